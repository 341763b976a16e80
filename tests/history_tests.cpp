// History: every modelled bug variant is caught by its scenario under
// scenarios/history/, with the shortest counterexample's length pinned (golden),
// and the fixed model passes the same scenario.
#include <filesystem>
#include <set>

#include "checker/explorer.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;

namespace {

struct Golden {
  const char* scenario;
  std::vector<std::string> variants;
  const char* invariant;
  std::size_t length;       // shortest counterexample, in steps
  std::uint64_t states;     // states explored with the variant on
};

const std::vector<Golden>& golden() {
  static const std::vector<Golden> g = {
      {"cancel-no-notify", {"cancel-no-notify"}, "kevent-delivered", 11, 22},
      {"kaio-wakeup-unlocked", {"kaio-wakeup-unlocked"}, "no-deadlock", 11, 38},
      {"kevent-job-sigill", {"kevent-job-sigill"}, "notify-kind", 13, 30},
      {"knlist-clear-influx-kevent", {"knlist-clear-stale-knote"}, "no-stale-kevent", 15, 123},
      {"knlist-clear-stale-knote", {"knlist-clear-stale-knote"}, "no-stale-kevent", 14, 37},
      {"kqclose-influx-double-drop", {"kqclose-influx-double-drop"}, "knote-single-drop", 19, 141},
      {"lio-count-so-far", {"lio-count-so-far"}, "lio-notify-exact", 14, 135},
      {"newproc-resv-leak", {"newproc-resv-leak"}, "quota", 6, 11},
      {"notify-before-done", {"notify-before-done"}, "notify-after-done", 8, 32},
      {"raw-oversize", {"raw-oversize"}, "raw-io-size", 5, 10},
      {"rundown-notifies", {"rundown-notifies"}, "rundown-silent", 5, 10},
      {"sigev-none-signalled", {"sigev-none-signalled"}, "notify-kind", 8, 20},
      {"slist-empty-remove", {"kqclose-influx-double-drop", "slist-empty-remove"}, "no-panic", 19, 141},
      {"socket-lio-member-uncounted", {"socket-lio-member-uncounted"}, "counts", 3, 6},
      {"swake-state-mismatch", {"swake-state-mismatch"}, "queue-state", 3, 6},
      {"unload-leftovers-reload", {"unload-leftovers"}, "no-panic", 5, 10},
      {"unload-leftovers", {"unload-leftovers"}, "no-panic", 3, 6},
      {"bdone-before-iodone", {"bdone-before-iodone"}, "bdone-last", 10, 86},
      {"lio-split-path-check", {"lio-split-path-check"}, "lio-notify-exact", 10, 165},
      {"lio-split-path-check", {"lio-split-path-check"}, "no-deadlock", 19, 165},
      {"lio-split-path-check", {"freebsd-5.2"}, "lio-notify-exact", 18, 82},
      {"qphysio-error-leak", {"qphysio-error-leak"}, "free-once", 6, 12},
      {"qphysio-error-double-count", {"qphysio-error-leak"}, "counts", 7, 36},
      {"kevent-job-sigill", {"freebsd-6.0"}, "notify-kind", 9, 17},
      {"rundown-notifies", {"freebsd-6.1-pre"}, "rundown-silent", 5, 10},
      {"knlist-clear-stale-knote", {"freebsd-5.3"}, "no-stale-kevent", 17, 42},
      {"waitcomplete-needs-init", {"waitcomplete-needs-init"}, "op-expect", 1, 30},
      {"register-unlock-window", {"register-unlock-window"}, "kevent-delivered", 16, 98},
      {"timeout-after-free", {"lio-split-path-check", "timeout-after-free"}, "free-once", 12, 44},
      // S7: F3b alone switches in F3's V52 structure, so it is the same model.
      {"timeout-after-free", {"timeout-after-free"}, "free-once", 12, 44},
      // Variants and eras on scenarios outside history/ (issues 8 and 16).
      {"lio/wait-lost-wakeup", {"kaio-wakeup-unlocked"}, "no-deadlock", 12, 40},
      {"lio/wait-member-reaped", {"lio-count-so-far"}, "no-deadlock", 12, 87},
      {"lio/nowait-member-reaped", {"lio-count-so-far"}, "free-once", 10, 154},
      {"sockets/cancel-other-process", {"cancel-no-notify"}, "op-expect", 3, 68},
      {"signals/exec-pending-signal", {"freebsd-6.0"}, "op-expect", 10, 36},
      // The Linux emulation (issue 11); F22 from the locks themselves.
      {"linux-ctx-sx-under-mutex", {"linux-ctx-sx-under-mutex"}, "no-sleep-holding-mutex", 14, 417},
      {"linux-cancel-leak", {"linux-cancel-leak"}, "linux-reap-once", 11, 22},
      {"linux-error-lost", {"linux-error-lost"}, "linux-error-sign", 14, 62},
      {"linux-exec-stale-ctx", {"linux-exec-stale-ctx"}, "linux-ctx-ring", 8, 28},
      {"linux-ctx-unhook-unlocked", {"linux-ctx-unhook-unlocked"}, "linux-ctx-list", 6, 192},
  };
  return g;
}

checker::Result explore(const loader::Scenario& sc, const std::vector<std::string>& ids) {
  model::Config cfg = sc.config;
  cfg.variants = test::variants(ids);
  model::Model m(sc.program, cfg);
  checker::Options o;
  o.threads = 2;
  return checker::explore(m, o);
}

// A bare name is a history scenario; "dir/name" is any other bundled scenario.
std::string path_of(const char* name) {
  bool nested = std::string(name).find('/') != std::string::npos;
  return std::string(AIOMC_SOURCE_DIR) + (nested ? "/scenarios/" : "/scenarios/history/") + name + ".json";
}

}  // namespace

TEST_CASE("each history scenario reproduces its bug with an exact shortest counterexample", "[history]") {
  for (const Golden& g : golden()) {
    INFO(g.scenario);
    loader::Scenario sc = test::load_file(path_of(g.scenario));
    checker::Result fixed = explore(sc, {"fixed"});
    CHECK(fixed.verdict == checker::Verdict::pass);
    checker::Result bug = explore(sc, g.variants);
    REQUIRE(bug.verdict == checker::Verdict::violation);
    CHECK(bug.stats.states == g.states);
    bool found = false;
    for (const auto& cx : bug.violations) {
      if (model::inv_name(cx.invariant) != g.invariant) continue;
      found = true;
      CHECK(cx.choices.size() == g.length);
      // The counterexample replays and shows the violation with a message.
      model::Config cfg = sc.config;
      cfg.variants = test::variants(g.variants);
      model::Model m(sc.program, cfg);
      checker::Replayed r = checker::replay_choices(m, cx);
      CHECK(r.steps.size() == g.length);
      REQUIRE_FALSE(r.violations.empty());
      CHECK_FALSE(r.violations[0].message.empty());
    }
    CHECK(found);
  }
}

TEST_CASE("every modelled variant is caught by a scenario", "[history]") {
  std::set<std::string> caught;
  for (const std::string& path : test::bundled_scenarios()) {
    loader::Scenario sc = test::load_file(path);
    for (const loader::Check& c : sc.checks)
      if (c.expect == loader::Check::Expect::violation)
        for (const std::string& id : c.variant_ids) caught.insert(id);
  }
  for (const model::VariantInfo& v : model::variant_catalog()) {
    if (v.id == model::Variant::giant || v.id == model::Variant::pre_vx1) continue;  // era-only switches
    // The Linux emulation's variants (F22-F26) wait for the emulation itself; every
    // native one (F1-F21) must be modelled.
    bool linux_emulation = v.name.substr(0, 6) == "linux-";
    INFO("variant " << v.name);
    if (!linux_emulation) CHECK(v.modelled);
    if (!v.modelled) continue;
    INFO("variant " << v.name << " has no scenario that expects a violation from it");
    CHECK(caught.count(std::string(v.name)) == 1);
  }
}

// Variants reachable only together with another (S7): the base variant alone must
// not show the companion's invariant, so the violation is the companion's doing.
TEST_CASE("a companion variant adds its own violation to its base variant", "[history]") {
  struct Pair {
    const char* scenario;
    const char* base;
    const char* companion;
    const char* invariant;
  };
  const Pair pairs[] = {
      {"timeout-after-free", "lio-split-path-check", "timeout-after-free", "free-once"},
      {"slist-empty-remove", "kqclose-influx-double-drop", "slist-empty-remove", "no-panic"},
  };
  for (const Pair& p : pairs) {
    INFO(p.scenario);
    loader::Scenario sc = test::load_file(path_of(p.scenario));
    auto has = [&](const checker::Result& r) {
      for (const auto& cx : r.violations)
        if (model::inv_name(cx.invariant) == p.invariant) return true;
      return false;
    };
    CHECK_FALSE(has(explore(sc, {p.base})));
    CHECK(has(explore(sc, {p.base, p.companion})));
  }
}

// S24: before 6.1 there is no EVFILT_LIO, so no era reports an EVFILT_LIO
// activation; and V52's fast path posts the list's signal through process_signal,
// which checks SIGEV_SIGNAL, so a kevent list of raw members gets no SIGILL.
TEST_CASE("eras before 6.1 have no EVFILT_LIO; 5.2's fast path checks the kind", "[history][eras]") {
  for (const char* name : {"kevent-file-only", "kevent-raw-only", "kevent-split-raw"}) {
    loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/lio/" + name + ".json");
    for (const char* era : {"freebsd-5.2", "freebsd-5.3", "freebsd-6.0"}) {
      INFO(name << " " << era);
      checker::Result r = explore(sc, {era});
      for (const auto& cx : r.violations) {
        model::Config cfg = sc.config;
        cfg.variants = test::variants({era});
        model::Model m(sc.program, cfg);
        checker::Replayed rp = checker::replay_choices(m, cx);
        for (const auto& v : rp.violations) CHECK(v.message.find("EVFILT_LIO") == std::string::npos);
      }
    }
  }
  loader::Scenario raw = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/lio/kevent-raw-only.json");
  checker::Result r = explore(raw, {"freebsd-5.2"});
  REQUIRE(r.verdict == checker::Verdict::violation);
  for (const auto& cx : r.violations) CHECK(model::inv_name(cx.invariant) != "notify-kind");
}

// S25: a member an era lists as unreachable under Giant shows its invariant on its
// own history scenario, and not under the era.
TEST_CASE("members Giant makes unreachable stay quiet under their era", "[history][eras]") {
  for (const model::EraInfo& e : model::era_catalog()) {
    for (model::Variant v : e.giant_unreachable) {
      const model::VariantInfo& info = model::variant_info(v);
      INFO(e.name << " " << info.name);
      loader::Scenario sc = test::load_file(path_of(std::string(info.name).c_str()));
      auto has = [&](const checker::Result& r) {
        for (const auto& cx : r.violations)
          if (model::inv_name(cx.invariant) == info.invariant) return true;
        return false;
      };
      CHECK(has(explore(sc, {std::string(info.name)})));
      CHECK_FALSE(has(explore(sc, {std::string(e.name)})));
    }
  }
}

TEST_CASE("Linux emulation: F22 is a sleep on the context sx with P held, found from the locks", "[history][linux]") {
  loader::Scenario sc = test::load_file(path_of("linux-ctx-sx-under-mutex"));
  checker::Result bug = explore(sc, {"linux-ctx-sx-under-mutex"});
  REQUIRE(bug.verdict == checker::Verdict::violation);
  bool found = false;
  for (const auto& cx : bug.violations) {
    if (cx.invariant != model::Inv::no_sleep_holding_mutex) continue;
    found = true;
    model::Config cfg = sc.config;
    cfg.variants = test::variants({"linux-ctx-sx-under-mutex"});
    model::Model m(sc.program, cfg);
    checker::Replayed r = checker::replay_choices(m, cx);
    REQUIRE(r.steps.size() == 14);
    // The last step is the worker's sx_xlock: it sleeps on the sx main holds, with P.
    CHECK(r.steps.back().info.action == "linux_io_submit:sx_xlock");
    CHECK(r.steps.back().info.actor == "app/worker");
  }
  CHECK(found);
}

TEST_CASE("linux-ctx-unhook-unlocked: the torn SLIST_REMOVE loses the inserted context and keeps its own", "[history][linux]") {
  loader::Scenario sc = test::load_file(path_of("linux-ctx-unhook-unlocked"));
  checker::Result bug = explore(sc, {"linux-ctx-unhook-unlocked"});
  REQUIRE(bug.verdict == checker::Verdict::violation);
  const checker::Counterexample* cx = nullptr;
  for (const auto& c : bug.violations)
    if (c.invariant == model::Inv::linux_ctx_list) cx = &c;
  REQUIRE(cx);
  model::Config cfg = sc.config;
  cfg.variants = test::variants({"linux-ctx-unhook-unlocked"});
  model::Model m(sc.program, cfg);
  checker::Replayed r = checker::replay_choices(m, *cx);
  REQUIRE(r.steps.size() == 6);
  // app walks (its context first), tool inserts at the head, app's store unhooks tool's.
  CHECK(r.steps[3].info.action == "linux_io_destroy:unhook_walk");
  CHECK(r.steps[4].info.action == "linux_io_setup:insert");
  CHECK(r.steps[5].info.action == "linux_io_destroy:unhook_store");
  std::vector<std::string> msgs;
  for (const auto& v : r.violations)
    if (v.invariant == model::Inv::linux_ctx_list) msgs.push_back(v.message);
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0] == "context 1 of app was taken off linux_aio_context_list by io_destroy but is still on it");
  CHECK(msgs[1] == "context 1 of tool is live but lost from linux_aio_context_list");
}

TEST_CASE("linux-ctx-unhook-unlocked: an exit handler frees the predecessor between walk and store", "[history][linux]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/linux/destroy-unhook-vs-exit.json");
  test::Driver d(sc, test::variants({"linux-ctx-unhook-unlocked"}));
  d.step_until("app/main", "linux_io_setup:insert");
  d.step_until("tool/main", "linux_io_setup:insert");  // tool's context goes first on the list
  model::StepInfo walk = d.step_until("app/main", "linux_io_destroy:unhook_walk");
  CHECK(walk.detail.find("after ctx#1") != std::string::npos);
  CHECK(d.last_violations().empty());
  // tool exits: its handler takes its context off the list (under the list mutex) and frees it.
  for (int i = 0; i < 20 && d.enabled("tool/main"); ++i) d.step("tool/main");
  CHECK_FALSE(d.state().lx.ctx[1].live);
  model::StepInfo store = d.step("app/main");
  CHECK(store.action == "linux_io_destroy:unhook_store");
  CHECK(store.detail.find("the predecessor left the list meanwhile") != std::string::npos);
  CHECK(d.last_violations().has(model::Inv::linux_ctx_list));
}
