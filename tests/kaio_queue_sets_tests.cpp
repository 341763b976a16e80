// The kaio queues as sets (model/kaio_queue_sets.cpp, part of `--reductions on`):
// which processes qualify, what the canonical form does to the queues, and that the
// searches with it give the verdicts and counterexamples of the unreduced search.
#include <algorithm>
#include <string>
#include <vector>

#include "checker/explorer.hpp"
#include "tests/cli_support.hpp"
#include "tests/search_compare.hpp"
#include "tests/test_support.hpp"
#include <nlohmann/json.hpp>

using namespace aiomc;

namespace {

nlohmann::json lio_split() {
  return nlohmann::json::parse(test::slurp(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-split.json"));
}

// Which kaio queues are sets (four bits per process, model.hpp), for lio-split with
// `op` added at the end of the side thread (after its aio_return of s).
std::uint32_t sets_with_side_op(const nlohmann::json& op) {
  nlohmann::json j = lio_split();
  j["processes"][0]["threads"][1]["ops"].push_back(op);
  loader::Scenario sc = test::load_text(j.dump());
  return model::Model(sc.program, sc.config).kaio_queue_sets();
}

}  // namespace

TEST_CASE("kaio queues are sets only where nothing in the scenario reads their order", "[reductions][kaio-queue-sets]") {
  using M = model::Model;
  constexpr std::uint32_t all = M::kKaioAllSet, jobq = M::kKaioJobqueueSet, bufq = M::kKaioBufqueueSet,
                          done = M::kKaioDoneSet;
  {
    loader::Scenario sc = test::load_text(lio_split().dump());
    CHECK(model::Model(sc.program, sc.config).kaio_queue_sets() == (all | jobq | bufq | done));
  }
  // An op that reads a queue's order keeps that queue ordered: TAILQ_FIRST of
  // kaio_done, aio_cancel's walk of kaio_jobqueue, rundown's walks (all but kaio_all).
  CHECK(sets_with_side_op({{"op", "aio_waitcomplete"}, {"timeout", 0}}) == (all | jobq | bufq));
  CHECK(sets_with_side_op({{"op", "aio_cancel"}, {"fd", "data"}}) == (all | bufq | done));
  // aio_cancel of one aiocb walks only that aiocb's jobs, whose order is kept.
  CHECK(sets_with_side_op({{"op", "aio_cancel"}, {"fd", "data"}, {"job", "s"}}) == (all | jobq | bufq | done));
  CHECK(sets_with_side_op({{"op", "exit"}}) == all);
  CHECK(sets_with_side_op({{"op", "exec"}}) == all);
  // An aiocb submitted again keeps every queue a set: the canonical order keeps the
  // jobs of one user address in their order (below).
  CHECK(sets_with_side_op({{"op", "aio_read"}, {"job", "s"}, {"fd", "data"}, {"offset", 0}, {"nbytes", 512}}) ==
        (all | jobq | bufq | done));
  // The Linux emulation reaches the native queues only through aio_return and
  // aio_cancel of a request's clone aiocb: searches by address.
  CHECK(sets_with_side_op({{"op", "io_setup"}, {"ctx", "c"}, {"nr_events", 4}}) == (all | jobq | bufq | done));
}

TEST_CASE("canonical forms keep a qualifying process's kaio queues sorted by aiocb name", "[reductions][kaio-queue-sets]") {
  loader::Scenario sc = test::load_text(lio_split().dump());
  model::Model m(sc.program, sc.config);
  model::State s = m.initial();
  // Three live jobs, on kaio_all and kaio_done in the reverse of their slots' order.
  for (int i = 0; i < 3; ++i) {
    model::Job& j = s.jobs[i];
    j.live = 1;
    j.proc = model::ProcId(0);
    j.uaiocb = static_cast<std::uint8_t>(i);
    j.jobstate = model::JOBST_JOBFINISHED;
  }
  model::Proc& pr = s.procs[0];
  pr.has_aioinfo = 1;
  for (int i = 2; i >= 0; --i) {
    pr.kaio_all.push_back(model::JobId(i));
    pr.kaio_done.push_back(model::JobId(i));
  }
  REQUIRE_FALSE(m.kaio_queues_sorted(s, ~0u));
  model::State c{};
  REQUIRE(m.canonical(s, c));
  CHECK(m.kaio_queues_sorted(c, ~0u));
  for (int i = 0; i < 3; ++i) {
    CHECK(c.procs[0].kaio_all[i] == model::JobId(i));
    CHECK(c.procs[0].kaio_done[i] == model::JobId(i));
  }
  // Any order of the same jobs has that one canonical form.
  model::State t = s;
  std::swap(t.procs[0].kaio_done[0], t.procs[0].kaio_done[1]);
  model::State ct{};
  REQUIRE(m.canonical(t, ct));
  CHECK(m.fingerprint(ct) == m.fingerprint(c));
  // A sorted state is canonical already.
  model::State again{};
  CHECK_FALSE(m.canonical(c, again));
  // Two live jobs of one user address (slots 0 and 2 both aiocb 0) keep their order,
  // since a search by address finds the first: a stable sort by name, not by slot.
  model::State d = s;
  d.jobs[2].uaiocb = 0;
  while (d.procs[0].kaio_done.size() > 0) d.procs[0].kaio_done.erase_at(0);
  for (int i : {2, 1, 0}) d.procs[0].kaio_done.push_back(model::JobId(i));
  CHECK(m.sort_kaio_queues(d, ~0u, nullptr));
  REQUIRE(d.procs[0].kaio_done.size() == 3);
  CHECK(d.procs[0].kaio_done[0] == model::JobId(2));
  CHECK(d.procs[0].kaio_done[1] == model::JobId(0));
  CHECK(d.procs[0].kaio_done[2] == model::JobId(1));
  CHECK(m.kaio_queues_sorted(d, ~0u));
}

namespace {
checker::Result search(const model::Model& m, bool reductions, int threads, bool early_stop, int inv = -1) {
  checker::Options o;
  o.reductions = reductions;
  o.threads = threads;
  o.stop_when_found = early_stop;
  o.stop_invariant = inv;
  return checker::explore(m, o);
}
}  // namespace

// Golden counts on lio-wide, whose unreduced search (46,277,280 states) is bench/run's:
// with the queues as sets the reduced search is small enough for every test run. The
// lio-count-so-far counterexample is the unreduced search's, choice for choice.
TEST_CASE("golden state counts with kaio queues as sets: lio-wide", "[reductions][kaio-queue-sets][golden]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-wide.json");
  {
    model::Model m(sc.program, sc.config);
    REQUIRE(m.kaio_queue_sets() == 0xFu);
    const checker::Result one = search(m, true, 1, false), two = search(m, true, 2, false);
    CHECK(one.verdict == checker::Verdict::pass);
    CHECK(one.stats.states == 220667u);
    CHECK(one.stats.transitions == 985815u);
    CHECK(two.stats.states == one.stats.states);
    CHECK(two.stats.transitions == one.stats.transitions);
  }
  model::Config cfg = sc.config;
  cfg.variants = test::variants({"lio-count-so-far"});
  model::Model bug(sc.program, cfg);
  const int inv = static_cast<int>(*model::inv_from_name("lio-notify-exact"));
  const checker::Result off = search(bug, false, 2, true, inv), on = search(bug, true, 2, true, inv);
  CHECK(on.verdict == checker::Verdict::violation);
  CHECK(off.verdict == on.verdict);
  test::check_same_violations(off, on);
  REQUIRE(on.violations.size() == 1);
  CHECK(on.violations[0].choices.size() == 15);
  CHECK(on.stats.states < off.stats.states);
}

// How much of the bundled corpus the reduction reaches: the agreement tests of
// reductions_tests.cpp then compare it both ways on each of these checks.
TEST_CASE("kaio queues as sets apply across the bundled scenarios", "[reductions][kaio-queue-sets][scenarios]") {
  std::size_t checks = 0, qualifying = 0;
  test::for_each_bundled_check([&](const std::string&, const loader::Check&, const model::Model& m) {
    checks++;
    qualifying += m.kaio_queue_sets() != 0;
  });
  WARN("checks " << checks << ", with a process whose kaio queues are sets " << qualifying);
  CHECK(qualifying > 150);
}

// What --stats and the report say the reductions fold, in words.
TEST_CASE("reductions_applied names the kaio queues kept as sets", "[reductions][kaio-queue-sets]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-wide.json");
  const model::Model m(sc.program, sc.config);
  CHECK(m.reductions_applied() == std::vector<std::string>{"daemon units", "job slots",
                                                           "queues as sets in app: kaio_all kaio_jobqueue kaio_bufqueue kaio_done"});
  loader::Scenario two = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/two-procs.json");
  const model::Model t(two.program, two.config);
  const std::vector<std::string> r = t.reductions_applied();
  REQUIRE(r.size() >= 2);
  // aio_waitcomplete reads kaio_done's head: that queue stays ordered.
  CHECK(r.back().find("kaio_done") == std::string::npos);
  CHECK(r.back().find("kaio_jobqueue") != std::string::npos);
}
