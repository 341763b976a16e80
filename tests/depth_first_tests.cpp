// The depth-first search (checker/depth_first.hpp): where it answers, its verdict,
// states and transitions are the breadth-first search's; where it cannot (a violation,
// a state or depth bound, an error), the breadth-first search answers, with the same
// counterexamples as always. On one thread and on two.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/explorer.hpp"
#include "tests/bench_goldens.hpp"
#include "tests/cli_support.hpp"
#include "tests/search_compare.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

namespace {

checker::Result search(const model::Model& m, bool depth_first, int threads, bool reductions, std::uint64_t max_states) {
  checker::Options o;
  o.depth_first = depth_first;
  o.threads = threads;
  o.reductions = reductions;
  o.bounds.max_states = max_states;
  return checker::explore(m, o);
}

using test::bench_model;

}  // namespace

TEST_CASE("depth-first and breadth-first agree on every bundled check", "[scenarios][depth-first]") {
  std::size_t compared = 0, answered = 0, handed_over = 0;
  test::for_each_bundled_check([&](const std::string& path, const loader::Check& c, const model::Model& m) {
    for (bool reductions : {false, true}) {
      const checker::Result bfs = search(m, false, 1, reductions, 200000);
      for (int threads : {1, 2}) {
        const checker::Result dfs = search(m, true, threads, reductions, 200000);
        INFO(path << " variant " << c.variant_ids[0] << " threads " << threads << " reductions " << reductions);
        CHECK(dfs.verdict == bfs.verdict);
        CHECK(dfs.stats.states == bfs.stats.states);
        CHECK(dfs.stats.transitions == bfs.stats.transitions);
        CHECK(dfs.stats.bound_hit == bfs.stats.bound_hit);
        test::check_same_violations(bfs, dfs);
        // It answers exactly the checks that pass; the rest it hands over, saying why.
        if (bfs.verdict == checker::Verdict::pass) {
          CHECK(dfs.stats.search == "dfs");
          CHECK(dfs.stats.search_note.empty());
          answered++;
        } else {
          CHECK(dfs.stats.search == "bfs");
          CHECK(dfs.stats.search_note.find("searched again breadth-first") != std::string::npos);
          handed_over++;
        }
        compared++;
      }
    }
  });
  CHECK(compared > 600);
  CHECK(answered > 100);
  CHECK(handed_over > 100);
}

// Golden counts: the benchmark's lio-split (bench/scenarios), unreduced and reduced,
// as the breadth-first search finds them (reductions_tests.cpp).
TEST_CASE("depth-first golden counts: lio-split", "[depth-first][golden]") {
  const model::Model m = bench_model("lio-split", "fixed");
  for (int threads : {1, 2}) {
    INFO("threads " << threads);
    const checker::Result off = search(m, true, threads, false, 0), on = search(m, true, threads, true, 0);
    CHECK(off.verdict == checker::Verdict::pass);
    CHECK(off.stats.search == "dfs");
    CHECK(off.stats.states == 627403);
    CHECK(off.stats.transitions == 2195296);
    CHECK(on.stats.search == "dfs");
    CHECK(on.stats.states == 28212);
    CHECK(on.stats.transitions == 104362);
    // No parent links and no frontier: the table alone, under 16 bytes a state.
    CHECK(off.stats.bytes_per_state < 16);
  }
}

// The `fixed` checks of the three benchmark scenarios, depth-first on two threads,
// against the breadth-first goldens of reductions_tests.cpp (hidden with them: run
// with `build/aiomc_tests "[reductions-bench]"`, as CI does).
TEST_CASE("depth-first golden counts: bench fixed", "[.][reductions-bench][depth-first]") {
  for (const test::BenchGolden& r : test::kBenchGoldens) {
    INFO(r.name);
    const model::Model m = bench_model(r.name, "fixed");
    const checker::Result off = search(m, true, 2, false, 0), on = search(m, true, 2, true, 0);
    CHECK(off.verdict == checker::Verdict::pass);
    CHECK(off.stats.search == "dfs");
    CHECK(off.stats.states == r.off);
    CHECK(on.verdict == checker::Verdict::pass);
    CHECK(on.stats.search == "dfs");
    CHECK(on.stats.states == r.on);
  }
}

// A bug variant: the depth-first search meets the violation, and the breadth-first
// search reports the shortest counterexample (15 steps, as without depth-first).
TEST_CASE("depth-first hands a violation to breadth-first: lio-split, lio-count-so-far", "[depth-first]") {
  const model::Model m = bench_model("lio-split", "lio-count-so-far");
  for (int threads : {1, 2}) {
    const checker::Result r = search(m, true, threads, false, 0);
    CHECK(r.verdict == checker::Verdict::violation);
    CHECK(r.stats.search == "bfs");
    CHECK(r.stats.search_note.rfind("depth-first met a violation after ", 0) == 0);
    REQUIRE(!r.violations.empty());
    CHECK(r.violations[0].invariant == *model::inv_from_name("lio-notify-exact"));
    CHECK(r.violations[0].choices.size() == 15);
  }
}

// A state bound below the reachable states: handed over, so the incomplete result
// (its count and its bound) is the breadth-first search's, the same on any run.
TEST_CASE("depth-first hands a state bound to breadth-first", "[depth-first]") {
  const model::Model m = bench_model("lio-split", "fixed");
  const checker::Result bfs = search(m, false, 1, false, 5000), dfs = search(m, true, 2, false, 5000);
  CHECK(dfs.verdict == checker::Verdict::incomplete);
  CHECK(dfs.stats.bound_hit == "max_states");
  CHECK(dfs.stats.states == bfs.stats.states);
  CHECK(dfs.stats.search_note.rfind("depth-first met the state bound", 0) == 0);
}

// The CLI: --search dfs|auto, the stats line and the report say which search answered.
TEST_CASE("check --search", "[depth-first][cli]") {
  using test::Outcome;
  const std::string file = std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-split.json";
  const fs::path report = test::scratch() / "dfs-report.json";
  const Outcome o = test::run_aiomc({"check", file, "--search", "auto", "--reductions", "off", "--stats", "--report",
                                     report.string(), "--threads", "2"});
  INFO(o.out << o.err);
  REQUIRE(o.code == 0);
  CHECK(o.out.find("depth-first, reductions off, states 627403, transitions 2195296, max path ") != std::string::npos);
  const auto j = nlohmann::json::parse(test::slurp(report));
  bool saw_dfs = false, saw_bfs = false;
  for (const auto& r : j["results"]) {
    if (r["expected"] == "pass") {
      CHECK(r["stats"]["search"] == "dfs");
      saw_dfs = true;
    } else {
      // auto: a check that expects a violation goes breadth-first at once.
      CHECK(r["stats"]["search"] == "bfs");
      CHECK(!r["stats"].contains("search_note"));
      saw_bfs = true;
    }
  }
  CHECK(saw_dfs);
  CHECK(saw_bfs);
  const Outcome bad = test::run_aiomc({"check", file, "--search", "sideways"});
  CHECK(bad.code == 2);
}
