// Bundled scenarios through the checker and the simulator: every scenario's checks
// give their expected verdicts; golden state counts; 1 and 2 threads agree; every
// counterexample replays; the simulator is deterministic per seed.
#include <algorithm>
#include <filesystem>

#include "checker/explorer.hpp"
#include "sim/simulator.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

namespace {

checker::Result check(const loader::Scenario& sc, const std::vector<std::string>& ids, int threads = 2,
                      bool liveness = false) {
  model::Config cfg = sc.config;
  cfg.variants = test::variants(ids);
  model::Model m(sc.program, cfg);
  checker::Options o;
  o.threads = threads;
  o.liveness = liveness;
  o.bounds.max_states = 3000000;
  return checker::explore(m, o);
}

bool violated(const checker::Result& r, const std::string& inv) {
  for (const auto& cx : r.violations)
    if (model::inv_name(cx.invariant) == inv) return true;
  return false;
}

}  // namespace

TEST_CASE("every bundled scenario's checks give the expected verdict", "[scenarios][slow]") {
  for (const std::string& path : test::bundled_scenarios()) {
    loader::Scenario sc = test::load_file(path);
    for (const loader::Check& c : sc.checks) {
      INFO(path << " variant " << c.variant_ids[0]);
      // scenarios/liveness/ is checked with liveness on (as scripts/check.sh does).
      checker::Result r = check(sc, c.variant_ids, 2, path.find("/scenarios/liveness/") != std::string::npos);
      switch (c.expect) {
        case loader::Check::Expect::pass:
          if (r.verdict == checker::Verdict::violation)
            for (const auto& cx : r.violations) UNSCOPED_INFO("violated " << model::inv_name(cx.invariant));
          CHECK(r.verdict == checker::Verdict::pass);
          break;
        case loader::Check::Expect::violation:
          CHECK(r.verdict == checker::Verdict::violation);
          if (c.invariant) CHECK(violated(r, *c.invariant));
          break;
        case loader::Check::Expect::incomplete:
          CHECK(r.verdict == checker::Verdict::incomplete);
          break;
      }
    }
  }
}

TEST_CASE("golden state counts, identical with 1 and 2 threads", "[scenarios][golden]") {
  struct Golden {
    const char* file;
    std::uint64_t states, transitions, depth;
  };
  const Golden golden[] = {
      {"native/file-read-suspend-return.json", 67, 103, 22},
      {"kqueue/job-kevent-raw.json", 80, 130, 31},
      {"lio/kevent-split-raw.json", 210, 403, 30},
      {"native/cancel-race.json", 492, 1029, 29},
      {"rundown/exit-raw-notify-jobs.json", 1010, 2508, 34},
      // The Linux emulation (issue 11).
      {"linux/two-contexts.json", 145, 242, 33},
      {"linux/cancel-errnos.json", 966, 2215, 48},
      {"linux/submit-errnos.json", 236, 407, 39},
      {"linux/getevents-while-submit.json", 787, 1808, 28},
      {"linux/exit-in-flight.json", 260, 586, 29},
      {"linux/destroy-in-flight.json", 82, 151, 21},
  };
  for (const Golden& g : golden) {
    loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/" + g.file);
    for (int threads : {1, 2}) {
      INFO(g.file << " threads " << threads);
      checker::Result r = check(sc, {"fixed"}, threads);
      CHECK(r.verdict == checker::Verdict::pass);
      CHECK(r.stats.states == g.states);
      CHECK(r.stats.transitions == g.transitions);
      CHECK(r.stats.max_depth == g.depth);
    }
  }
}

TEST_CASE("every counterexample replays to the same violation", "[scenarios][replay]") {
  for (const std::string& path : test::bundled_scenarios()) {
    loader::Scenario sc = test::load_file(path);
    for (const loader::Check& c : sc.checks) {
      if (c.expect != loader::Check::Expect::violation) continue;
      model::Config cfg = sc.config;
      cfg.variants = test::variants(c.variant_ids);
      model::Model m(sc.program, cfg);
      checker::Options o;
      o.threads = 2;
      checker::Result r = checker::explore(m, o);
      for (const auto& cx : r.violations) {
        INFO(path << " " << model::inv_name(cx.invariant));
        checker::Replayed a = checker::replay_choices(m, cx);
        checker::Replayed b = checker::replay_choices(m, cx);
        REQUIRE(a.steps.size() == cx.choices.size());
        CHECK_FALSE(a.violations.empty());
        for (std::size_t i = 0; i < a.steps.size(); ++i) CHECK(a.steps[i].digest == b.steps[i].digest);
      }
    }
  }
}

TEST_CASE("the simulator gives the same trace for the same seed", "[sim][determinism]") {
  for (const std::string& path : test::bundled_scenarios()) {
    loader::Scenario sc = test::load_file(path);
    model::Model m(sc.program, sc.config);
    // A scenario whose fixed-model check expects a violation (a hazard of the
    // reference kernel itself) may show it on any run.
    bool fixed_passes = true;
    for (const loader::Check& c : sc.checks)
      if (c.variant_ids == std::vector<std::string>{"fixed"} && c.expect == loader::Check::Expect::violation)
        fixed_passes = false;
    for (std::uint64_t seed : {1u, 42u}) {
      sim::RunOptions o;
      o.seed = seed;
      sim::RunResult a = sim::run(m, o), b = sim::run(m, o);
      INFO(path << " seed " << seed);
      REQUIRE(a.steps.size() == b.steps.size());
      for (std::size_t i = 0; i < a.steps.size(); ++i) {
        CHECK(a.steps[i].digest == b.steps[i].digest);
        CHECK(a.steps[i].tick == b.steps[i].tick);
        CHECK(a.steps[i].choice == b.steps[i].choice);
      }
      if (fixed_passes) CHECK(a.violations.empty());
    }
  }
}

TEST_CASE("different seeds give different schedules when threads race", "[sim][determinism]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/two-procs-shared-pool.json");
  model::Model m(sc.program, sc.config);
  std::vector<std::vector<int>> schedules;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    sim::RunOptions o;
    o.seed = seed;
    sim::RunResult r = sim::run(m, o);
    std::vector<int> actors;
    for (const auto& st : r.steps) actors.push_back(st.step.actor);
    schedules.push_back(actors);
  }
  std::sort(schedules.begin(), schedules.end());
  schedules.erase(std::unique(schedules.begin(), schedules.end()), schedules.end());
  CHECK(schedules.size() >= 2);
}

TEST_CASE("state digests are stable literals", "[model][digest]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/file-read-suspend-return.json");
  model::Model m(sc.program, sc.config);
  model::State s = m.initial();
  std::vector<std::string> digests{model::format_digest(m.digest(s))};
  std::vector<model::Successor> succ;
  for (int i = 0; i < 3; ++i) {
    m.successors(s, succ);
    REQUIRE_FALSE(succ.empty());
    s = succ[0].next;
    digests.push_back(model::format_digest(m.digest(s)));
  }
  CHECK(digests == std::vector<std::string>{"39cebd554380a7ef", "60fef7fb0399063c", "f1483b5dc0f4d109", "6c35f458a371bf94"});
}

TEST_CASE("decoding an encoded state gives the state back", "[model][digest]") {
  for (const std::string& path : test::bundled_scenarios()) {
    loader::Scenario sc = test::load_file(path);
    model::Model m(sc.program, sc.config);
    model::State s = m.initial();
    std::vector<model::Successor> succ;
    std::vector<std::uint8_t> buf;
    for (int i = 0; i < 200; ++i) {
      m.encode(s, buf);
      INFO(path << " step " << i);
      REQUIRE(m.decode(buf.data(), buf.size()) == s);
      m.successors(s, succ);
      if (succ.empty()) break;
      s = succ[static_cast<std::size_t>(i) % succ.size()].next;
    }
  }
}

TEST_CASE("exact mode and digest mode agree on small scenarios", "[scenarios][exact]") {
  for (const char* f : {"native/cancel-race.json", "lio/kevent-split-raw.json", "kqueue/two-jobs-nevents-2.json",
                        "history/kqclose-influx-double-drop.json"}) {
    loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/" + f);
    model::Model m(sc.program, sc.config);
    checker::Options digest_mode, exact_mode;
    exact_mode.exact = true;
    checker::Result a = checker::explore(m, digest_mode), b = checker::explore(m, exact_mode);
    INFO(f);
    CHECK(a.stats.states == b.stats.states);
    CHECK(a.stats.transitions == b.stats.transitions);
    CHECK(a.verdict == b.verdict);
  }
}
