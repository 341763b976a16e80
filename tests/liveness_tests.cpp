// Liveness under weak fairness (S18): toy graphs with known fair and unfair cycles,
// the bundled liveness scenarios' verdicts and lasso lengths, lasso replay, and
// liveness on/off giving the same safety verdicts on every bundled scenario.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker/explore_impl.hpp"
#include "model/liveness.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

namespace {

using model::Inv;
using model::InvSet;
using model::StepKind;
using model::StepRef;

// A toy whose states are the nodes of a hand-written graph: edges (from, actor, to);
// per node the obligations open there (bit 0: job-completes) and the actors that are
// enabled without a step (a thread blocked on a mutex).
struct GraphToy {
  struct ToyEdge {
    int from, actor, to;
  };
  struct StateType {
    std::uint8_t node = 0;
  };
  struct SuccessorType {
    StepRef step;
    StateType next;
    InvSet violated;
  };
  static constexpr std::size_t kMaxEncoding = 1;
  std::vector<ToyEdge> edges;
  std::vector<std::uint64_t> open;     // per node
  std::vector<std::uint32_t> blocked;  // per node: enabled for fairness without a step
  int bad = -1;                        // a node whose entry violates op-expect (safety)

  StateType initial() const { return {}; }
  void successors(const StateType& s, std::vector<SuccessorType>& out) const {
    out.clear();
    for (const ToyEdge& e : edges)
      if (e.from == s.node) {
        SuccessorType succ{{static_cast<std::uint8_t>(e.actor), StepKind::run, 0}, {static_cast<std::uint8_t>(e.to)}, {}};
        if (e.to == bad) succ.violated.add(Inv::op_expect);
        out.push_back(succ);
      }
  }
  bool is_progress(const StateType&, StepRef) const { return true; }
  InvSet quiescent_violations(const StateType&, bool, std::vector<model::Violation>*) const { return {}; }
  std::uint64_t digest_bytes(const std::uint8_t* buf, std::size_t) const { return 1000u + buf[0]; }
  std::size_t encode_raw(const StateType& s, std::uint8_t* buf) const {
    buf[0] = s.node;
    return 1;
  }
  StateType decode(const std::uint8_t* buf, std::size_t) const { return {buf[0]}; }
  std::uint64_t liveness_obligations(const StateType& s) const { return open[s.node]; }
  std::uint32_t fair_actors(const StateType& s, const std::vector<SuccessorType>& succ) const {
    std::uint32_t m = blocked.empty() ? 0 : blocked[s.node];
    for (const SuccessorType& x : succ) m |= 1u << x.step.actor;
    return m;
  }
};

checker::Result live(const GraphToy& toy, int threads = 1) {
  checker::Options o;
  o.liveness = true;
  o.threads = threads;
  return checker::detail::explore_with<std::uint64_t>(toy, o);
}

const checker::Counterexample* find(const checker::Result& r, Inv inv) {
  for (const auto& cx : r.violations)
    if (cx.invariant == inv) return &cx;
  return nullptr;
}

}  // namespace

TEST_CASE("toy: a fair cycle with the obligation open is reported as a lasso", "[liveness][toy]") {
  // 0 -a0-> 1 -a0-> 2 -a0-> 1: actor 0 spins between 1 and 2; nobody else is enabled.
  GraphToy toy{{{0, 0, 1}, {1, 0, 2}, {2, 0, 1}}, {1, 1, 1}, {}};
  for (int threads : {1, 2}) {
    const checker::Result r = live(toy, threads);
    CHECK(r.verdict == checker::Verdict::violation);
    CHECK(r.stats.liveness_checked);
    CHECK(r.stats.graph_edges == 3);
    CHECK(r.stats.graph_sccs == 2);
    const auto* cx = find(r, Inv::job_completes);
    REQUIRE(cx);
    CHECK(cx->loop_start == 1);  // prefix 0 -> 1
    CHECK(cx->choices == std::vector<std::uint8_t>{0, 0, 0});  // then 1 -> 2 -> 1
    CHECK(cx->obligation == 0);
  }
}

TEST_CASE("toy: an unfair cycle is not reported (weak fairness)", "[liveness][toy]") {
  // The same spin, but actor 1 is enabled in both states of the cycle and would end
  // it (-> 3, obligation met): a run that never lets it step is unfair.
  GraphToy toy{{{0, 0, 1}, {1, 0, 2}, {2, 0, 1}, {1, 1, 3}, {2, 1, 3}}, {1, 1, 1, 0}, {}};
  const checker::Result r = live(toy);
  CHECK(r.verdict == checker::Verdict::pass);
  CHECK(r.stats.liveness_checked);
  // Blocked on a mutex in every state of the cycle still counts as enabled (S25):
  // actor 1 has a step only from 1, but is "enabled" in 2 as well.
  GraphToy blocked{{{0, 0, 1}, {1, 0, 2}, {2, 0, 1}, {1, 1, 3}}, {1, 1, 1, 0}, {0, 0, 2, 0}};
  CHECK(live(blocked).verdict == checker::Verdict::pass);
  // Without that, actor 1 is enabled only in 1: not continuously, so the cycle is fair.
  GraphToy intermittent{{{0, 0, 1}, {1, 0, 2}, {2, 0, 1}, {1, 1, 3}}, {1, 1, 1, 0}, {}};
  const checker::Result ri = live(intermittent);
  CHECK(ri.verdict == checker::Verdict::violation);
  const auto* cx = find(ri, Inv::job_completes);
  REQUIRE(cx);
  CHECK(cx->loop_start == 1);
  CHECK(cx->choices.size() == 3);
}

TEST_CASE("toy: an obligation met inside the cycle is not reported", "[liveness][toy]") {
  // The job is done in state 2 of the cycle 1 -> 2 -> 1 (open again in 1: another job
  // of the same slot), so it does not stay open forever.
  GraphToy toy{{{0, 0, 1}, {1, 0, 2}, {2, 0, 1}}, {1, 1, 0}, {}};
  CHECK(live(toy).verdict == checker::Verdict::pass);
  // Open in 1 and 3 of a component 1 -> 2 -> 3 -> 1 with a shortcut 3 -> 3 kept open:
  // the sub-component {3} (a self-loop) is fair and keeps it open.
  GraphToy sub{{{0, 0, 1}, {1, 0, 2}, {2, 0, 3}, {3, 0, 1}, {3, 0, 3}}, {0, 1, 0, 1}, {}};
  const checker::Result r = live(sub);
  CHECK(r.verdict == checker::Verdict::violation);
  const auto* cx = find(r, Inv::job_completes);
  REQUIRE(cx);
  CHECK(cx->loop_start == 3);
  CHECK(cx->choices == std::vector<std::uint8_t>{0, 0, 0, 1});
}

TEST_CASE("toy: a terminal state with an open obligation is an empty cycle", "[liveness][toy]") {
  GraphToy toy{{{0, 0, 1}, {1, 1, 2}}, {0, 0, 1}, {}};
  const checker::Result r = live(toy);
  REQUIRE(r.verdict == checker::Verdict::violation);
  const auto* cx = find(r, Inv::job_completes);
  REQUIRE(cx);
  CHECK(cx->loop_start == 2);
  CHECK(cx->choices.size() == 2);
  // Safety only: no liveness, nothing reported.
  checker::Options o;
  CHECK(checker::detail::explore_with<std::uint64_t>(toy, o).verdict == checker::Verdict::pass);
}

TEST_CASE("toy: liveness goes past a safety violation, safety verdicts unchanged", "[liveness][toy]") {
  // 0 -> 1 violates op-expect; past it 1 -> 2 is terminal with the job open.
  GraphToy toy{{{0, 0, 1}, {1, 0, 2}}, {0, 0, 1}, {}, 1};
  checker::Options o;
  const checker::Result safety = checker::detail::explore_with<std::uint64_t>(toy, o);
  const checker::Result both = live(toy);
  REQUIRE(safety.violations.size() == 1);
  REQUIRE(both.violations.size() == 2);
  CHECK(both.violations[0].invariant == Inv::op_expect);
  CHECK(both.violations[0].choices == safety.violations[0].choices);
  CHECK(both.violations[1].invariant == Inv::job_completes);
  CHECK(both.violations[1].loop_start == 2);
}

namespace {

std::string src(const std::string& rel) { return std::string(AIOMC_SOURCE_DIR) + "/" + rel; }

checker::Result check_scenario(const loader::Scenario& sc, const std::vector<std::string>& ids, bool liveness,
                               int threads = 2) {
  model::Config cfg = sc.config;
  cfg.variants = test::variants(ids);
  const model::Model m(sc.program, cfg);
  checker::Options o;
  o.threads = threads;
  o.liveness = liveness;
  o.bounds.max_states = 3000000;
  return checker::explore(m, o);
}

}  // namespace

TEST_CASE("liveness scenarios: golden verdicts, lasso lengths, replay", "[liveness][scenarios]") {
  struct Golden {
    const char* file;
    const char* variant;
    const char* invariant;  // nullptr: pass
    int prefix, cycle;
    std::uint64_t states, edges;
  };
  const Golden golden[] = {
      {"scenarios/liveness/newproc-resv-leak-starve.json", "fixed", nullptr, 0, 0, 55, 79},
      {"scenarios/liveness/newproc-resv-leak-starve.json", "newproc-resv-leak", "job-completes", 16, 0, 47, 65},
      {"scenarios/liveness/wakeup-lost-timeout.json", "fixed", nullptr, 0, 0, 24, 35},
      {"scenarios/liveness/wakeup-lost-timeout.json", "kaio-wakeup-unlocked", nullptr, 0, 0, 41, 61},
      {"scenarios/liveness/linux-getevents-spin.json", "fixed", nullptr, 0, 0, 36, 52},
      {"scenarios/liveness/linux-getevents-spin.json", "linux-getevents-spin", "waiter-returns", 9, 3, 22, 33},
      {"scenarios/liveness/rundown-pipe-no-writer.json", "fixed", nullptr, 0, 0, 17, 22},
  };
  for (const Golden& g : golden) {
    INFO(g.file << " " << g.variant);
    const loader::Scenario sc = test::load_file(src(g.file));
    const checker::Result r1 = check_scenario(sc, {g.variant}, true, 1);
    const checker::Result r2 = check_scenario(sc, {g.variant}, true, 2);
    CHECK(r1.stats.liveness_checked);
    CHECK(r1.stats.states == g.states);
    CHECK(r1.stats.graph_edges == g.edges);
    CHECK(r2.stats.states == g.states);
    REQUIRE(r1.violations.size() == r2.violations.size());
    for (std::size_t i = 0; i < r1.violations.size(); ++i) CHECK(r1.violations[i].choices == r2.violations[i].choices);
    const checker::Counterexample* live_cx = nullptr;
    for (const auto& cx : r1.violations)
      if (cx.loop_start >= 0) {
        CHECK(live_cx == nullptr);  // one liveness invariant violated per scenario
        live_cx = &cx;
      }
    if (!g.invariant) {
      CHECK(live_cx == nullptr);
      CHECK(r1.verdict == checker::Verdict::pass);
      continue;
    }
    REQUIRE(live_cx);
    CHECK(model::inv_name(live_cx->invariant) == g.invariant);
    CHECK(live_cx->loop_start == g.prefix);
    CHECK(static_cast<int>(live_cx->choices.size()) - live_cx->loop_start == g.cycle);
    model::Config cfg = sc.config;
    cfg.variants = test::variants({g.variant});
    const model::Model m(sc.program, cfg);
    const checker::Replayed rep = checker::replay_choices(m, *live_cx);
    CHECK(rep.loop_closes);
    REQUIRE(rep.violations.size() == 1);
    CHECK(rep.violations[0].invariant == live_cx->invariant);
    // A cycle cut short does not close.
    if (g.cycle > 0) {
      checker::Counterexample cut = *live_cx;
      cut.choices.pop_back();
      CHECK_FALSE(checker::replay_choices(m, cut).loop_closes);
    }
  }
}

TEST_CASE("liveness on and off give the same safety verdicts on every bundled scenario", "[liveness][slow]") {
  std::size_t compared = 0;
  for (const std::string& path : test::bundled_scenarios()) {
    const loader::Scenario sc = test::load_file(path);
    for (const loader::Check& c : sc.checks) {
      INFO(path << " " << c.variant_ids[0]);
      const checker::Result off = check_scenario(sc, c.variant_ids, false);
      const checker::Result on = check_scenario(sc, c.variant_ids, true);
      CHECK(on.stats.liveness_checked);
      std::vector<const checker::Counterexample*> safety_on;
      for (const auto& cx : on.violations)
        if (cx.loop_start < 0) safety_on.push_back(&cx);
      REQUIRE(safety_on.size() == off.violations.size());
      for (std::size_t i = 0; i < off.violations.size(); ++i) {
        CHECK(safety_on[i]->invariant == off.violations[i].invariant);
        CHECK(safety_on[i]->choices == off.violations[i].choices);
        CHECK(safety_on[i]->quiescent == off.violations[i].quiescent);
      }
      compared++;
    }
  }
  CHECK(compared >= 186);
}

TEST_CASE("aiomc check --liveness: report, lasso trace, replay; a tampered loop_start diverges", "[liveness][cli]") {
  const fs::path dir = test::scratch() / "liveness-cli";
  fs::remove_all(dir);
  const test::Outcome o = test::run_aiomc({"check", src("scenarios/liveness/linux-getevents-spin.json"), "--trace-dir",
                                           (dir / "t").string(), "--report", (dir / "r.json").string(), "--stats"});
  INFO(o.out << o.err);
  REQUIRE(o.code == 0);
  CHECK(o.out.find("prefix 9, cycle 3") != std::string::npos);
  CHECK(o.out.find("bytes/edge (CSR)") != std::string::npos);
  CHECK(o.out.find("liveness checked under: " + std::string(model::kFairnessAssumption) + "\n") != std::string::npos);
  const std::string report = test::slurp(dir / "r.json");
  CHECK(report.find("\"liveness_checked\": true") != std::string::npos);
  CHECK(report.find("\"fairness\": \"weak fairness for each AIO daemon") != std::string::npos);
  CHECK(report.find("\"loop_start\": 9") != std::string::npos);
  const fs::path trace = dir / "t" / "linux-getevents-spin.linux-getevents-spin.waiter-returns.trace.json";
  const std::string text = test::slurp(trace);
  REQUIRE(text.find("\"loop_start\": 9") != std::string::npos);
  const test::Outcome rep = test::run_aiomc({"replay", trace.string()});
  INFO(rep.out << rep.err);
  CHECK(rep.code == 0);
  CHECK(rep.out.find("──── cycle: steps 9..11 repeat forever ────") != std::string::npos);
  CHECK(rep.out.find("the lasso closes (cycle from step 9, 3 steps)") != std::string::npos);
  std::string bad = text;
  bad.replace(bad.find("\"loop_start\": 9"), 15, "\"loop_start\": 8");
  test::spit(dir / "bad.trace.json", bad);
  const test::Outcome div = test::run_aiomc({"replay", (dir / "bad.trace.json").string(), "--scenario",
                                             src("scenarios/liveness/linux-getevents-spin.json")});
  CHECK(div.code == 1);
  CHECK(div.out.find("the cycle does not close") != std::string::npos);
}

TEST_CASE("aiomc graph: DOT that dot -Tsvg reads, lasso and SCC clusters; refused above --max-states", "[liveness][cli][dot]") {
  const fs::path dir = test::scratch() / "liveness-dot";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path dotfile = dir / "spin.dot";
  const test::Outcome o = test::run_aiomc({"graph", src("scenarios/liveness/linux-getevents-spin.json"), "--variant",
                                           "linux-getevents-spin", "--dot", dotfile.string()});
  INFO(o.out << o.err);
  REQUIRE(o.code == 0);
  CHECK(o.out == "wrote " + dotfile.string() + ": 22 states, 33 edges, 2 cyclic components, counterexample for waiter-returns\n");
  const std::string text = test::slurp(dotfile);
  CHECK(text.rfind("digraph G {", 0) == 0);
  CHECK(text.find("subgraph cluster_") != std::string::npos);
  CHECK(text.find("penwidth=3") != std::string::npos);  // the cycle
  CHECK(text.find("open obligations 1") != std::string::npos);
  // Graphviz itself reads it (graphviz is installed by scripts/deps.sh).
  const fs::path svg = dir / "spin.svg";
  const std::string cmd = "dot -Tsvg " + test::quoted(dotfile.string()) + " -o " + test::quoted(svg.string()) + " 2>" +
                          test::quoted((dir / "dot.err").string());
  const int rc = std::system(cmd.c_str());
  INFO(test::slurp(dir / "dot.err"));
  REQUIRE(rc == 0);
  CHECK(test::slurp(svg).find("<svg") != std::string::npos);
  // Above the size limit: refused with exit 3 (a bound), and no file.
  const test::Outcome big = test::run_aiomc({"graph", src("scenarios/liveness/linux-getevents-spin.json"), "--dot",
                                             (dir / "big.dot").string(), "--max-states", "10"});
  CHECK(big.code == 3);
  CHECK(big.err.find("the state graph has more than 10 states") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "big.dot"));
}

TEST_CASE("model: rundown polling for a read nobody will satisfy is exempt; with a writer left it is not", "[liveness]") {
  // The exiting thread sleeps in rundown (aioprn) while aiod:1 blocks in fo_read.
  const std::string base = R"({"format": "aiomc-scenario/1", "name": "t",
    "config": {"target_aio_procs": 1, "max_aio_procs": 1},
    "objects": {"p": {"type": "pipe"}},
    "processes": [ {"name": "app", "threads": [ {"name": "main", "ops": [
      {"op": "aio_read", "job": "a", "fd": "p"}, {"op": "exit"} ]} ]} ]})";
  const loader::Scenario sc = test::load_text(base);
  const checker::Result r = check_scenario(sc, {"fixed"}, true, 1);
  CHECK(r.verdict == checker::Verdict::pass);
  // The same model state, but judged as if a write were still to come: the job is not
  // exempt, the poll's self-loop is a fair cycle and exit-completes is violated.
  const model::Model m(sc.program, sc.config);
  model::State s = m.initial();
  std::vector<model::Successor> succ;
  bool found = false;
  for (int guard = 0; guard < 64 && !found; ++guard) {
    m.successors(s, succ);
    if (succ.empty()) break;
    s = succ.back().next;  // the last enabled step: runs the daemon before the thread
    const model::ThreadSt& th = s.threads[0];
    found = th.status == model::TS_SLEEP && th.exiter && th.wchan == model::WC_AIOINFO;
  }
  REQUIRE(found);
  CHECK((m.liveness_obligations(s) >> model::kObligationExit & 1u) == 0);
  CHECK((m.liveness_obligations(s) >> model::kObligationJob) == 0);
  model::State fed = s;
  fed.socks[0].data = 0;
  fed.jobs[0].io_error = 5;  // a job that will complete (not a blocked read): not exempt
  CHECK((m.liveness_obligations(fed) >> model::kObligationExit & 1u) == 1);
}
