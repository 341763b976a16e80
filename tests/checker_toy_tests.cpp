// The explorer on a toy model whose state space is computed by hand: N counters,
// each incremented by its own actor up to K. States (K+1)^N; transitions
// N*K*(K+1)^(N-1); the state with every counter at K is "bad", reached first after
// exactly N*K steps, and the lexicographically least path to it is all zeros.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <cstring>

#include "checker/explore_impl.hpp"

namespace {

using aiomc::model::Inv;
using aiomc::model::InvSet;
using aiomc::model::StepKind;
using aiomc::model::StepRef;
using aiomc::model::Violation;

struct Toy {
  struct StateType {
    std::array<std::uint8_t, 4> c{};
  };
  struct SuccessorType {
    StepRef step;
    StateType next;
    InvSet violated;
  };
  static constexpr std::size_t kMaxEncoding = 4;
  int n, k;
  bool bad_check;

  StateType initial() const { return {}; }
  void successors(const StateType& s, std::vector<SuccessorType>& out) const {
    out.clear();
    for (int a = 0; a < n; ++a) {
      if (s.c[static_cast<std::size_t>(a)] >= k) continue;
      SuccessorType succ{{static_cast<std::uint8_t>(a), StepKind::run, 0}, s, {}};
      succ.next.c[static_cast<std::size_t>(a)]++;
      bool all = true;
      for (int i = 0; i < n; ++i) all = all && succ.next.c[static_cast<std::size_t>(i)] == k;
      if (all && bad_check) succ.violated.add(Inv::op_expect);
      out.push_back(succ);
    }
  }
  bool is_progress(const StateType&, StepRef) const { return true; }
  InvSet quiescent_violations(const StateType&, bool, std::vector<Violation>*) const { return {}; }
  std::uint64_t digest_bytes(const std::uint8_t* buf, std::size_t) const {
    std::uint64_t d = 0;
    for (int i = 0; i < n; ++i) d = d * 31 + buf[i] + 1;
    return d;
  }
  std::size_t encode_raw(const StateType& s, std::uint8_t* buf) const {
    std::memcpy(buf, s.c.data(), 4);
    return 4;
  }
  StateType decode(const std::uint8_t* buf, std::size_t) const {
    StateType s;
    std::memcpy(s.c.data(), buf, 4);
    return s;
  }
};

std::uint64_t ipow(std::uint64_t b, int e) {
  std::uint64_t r = 1;
  while (e-- > 0) r *= b;
  return r;
}

}  // namespace

TEST_CASE("explorer counts the toy model's states and transitions exactly", "[checker][toy]") {
  for (int n = 1; n <= 3; ++n)
    for (int k = 1; k <= 4; ++k)
      for (int threads : {1, 2}) {
        Toy toy{n, k, false};
        aiomc::checker::Options o;
        o.threads = threads;
        auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
        INFO("n=" << n << " k=" << k << " threads=" << threads);
        CHECK(res.verdict == aiomc::checker::Verdict::pass);
        CHECK(res.stats.states == ipow(static_cast<std::uint64_t>(k + 1), n));
        CHECK(res.stats.transitions == static_cast<std::uint64_t>(n * k) * ipow(static_cast<std::uint64_t>(k + 1), n - 1));
        CHECK(res.stats.max_depth == static_cast<std::uint64_t>(n * k));
      }
}

TEST_CASE("explorer reports the shortest, lexicographically least counterexample", "[checker][toy]") {
  Toy toy{3, 2, true};
  for (int threads : {1, 2}) {
    aiomc::checker::Options o;
    o.threads = threads;
    auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
    REQUIRE(res.verdict == aiomc::checker::Verdict::violation);
    REQUIRE(res.violations.size() == 1);
    CHECK(res.violations[0].invariant == Inv::op_expect);
    CHECK(res.violations[0].choices == std::vector<std::uint8_t>(6, 0));
    // The bad state is not expanded and not stored: 27 - 1 states.
    CHECK(res.stats.states == 26);
  }
}

TEST_CASE("explorer's exact mode agrees with digest mode", "[checker][toy]") {
  Toy toy{3, 3, false};
  aiomc::checker::Options o;
  auto a = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
  auto b = aiomc::checker::detail::explore_with<std::string>(toy, o);
  CHECK(a.stats.states == b.stats.states);
  CHECK(a.stats.transitions == b.stats.transitions);
}

TEST_CASE("explorer bounds give incomplete, never pass", "[checker][toy]") {
  Toy toy{3, 4, false};
  aiomc::checker::Options o;
  o.bounds.max_states = 10;
  auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
  CHECK(res.verdict == aiomc::checker::Verdict::incomplete);
  CHECK(res.stats.bound_hit == "max_states");
  aiomc::checker::Options d;
  d.bounds.max_depth = 3;
  auto rd = aiomc::checker::detail::explore_with<std::uint64_t>(toy, d);
  CHECK(rd.verdict == aiomc::checker::Verdict::incomplete);
  CHECK(rd.stats.bound_hit == "max_depth");
}

// The checker can fail on the AIO model too: a test-only mutant that forgets the
// daemon's wakeup leaves aio_suspend asleep for good.
#include "checker/explorer.hpp"
#include "tests/test_support.hpp"

TEST_CASE("a canary mutant (no daemon wakeup) is caught with an exact counterexample", "[checker][canary]") {
  aiomc::loader::Scenario sc = aiomc::test::load_text(R"({
    "format": "aiomc-scenario/1", "name": "canary",
    "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
    "objects": { "data": { "type": "file" } },
    "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
      { "op": "aio_read", "job": "a", "fd": "data" },
      { "op": "aio_suspend", "jobs": ["a"], "expect": { "ret": 0 } }
    ] } ] } ] })");
  aiomc::model::Config cfg = sc.config;
  {
    aiomc::model::Model m(sc.program, cfg);
    CHECK(aiomc::checker::explore(m, {}).verdict == aiomc::checker::Verdict::pass);
  }
  cfg.test_canary_no_daemon_wakeup = true;
  aiomc::model::Model m(sc.program, cfg);
  for (int threads : {1, 2}) {
    aiomc::checker::Options o;
    o.threads = threads;
    auto res = aiomc::checker::explore(m, o);
    REQUIRE(res.verdict == aiomc::checker::Verdict::violation);
    REQUIRE(res.violations.size() == 1);
    CHECK(res.violations[0].invariant == Inv::no_deadlock);
    CHECK(res.violations[0].quiescent);
    // aiod:1 goes to sleep, init, queue_daemon, wake_daemon (forgotten), aio_suspend sleeps.
    CHECK(res.violations[0].choices.size() == 5);
  }
}

namespace {
// The toy model with an assertion that fails when every counter has reached 1.
struct FaultyToy : Toy {
  void successors(const StateType& s, std::vector<SuccessorType>& out) const {
    bool all = true;
    for (int i = 0; i < n; ++i) all = all && s.c[static_cast<std::size_t>(i)] == 1;
    AIOMC_ASSERT(!all);
    Toy::successors(s, out);
  }
};
}  // namespace

TEST_CASE("an assertion in a worker ends the search with an error, not the process", "[checker][toy][isolation]") {
  FaultyToy toy{{3, 2, false}};
  for (int threads : {1, 2, 4}) {
    aiomc::checker::Options o;
    o.threads = threads;
    auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
    INFO("threads=" << threads);
    REQUIRE(res.verdict == aiomc::checker::Verdict::error);
    CHECK(res.error.find("assertion `!all` failed") != std::string::npos);
    // The path to the failing state: one step of each actor, least first.
    CHECK(res.error_choices == std::vector<std::uint8_t>{0, 1, 2});  // actors 0, 1, 2 once each
    CHECK(res.stats.max_depth == 3);
  }
}

TEST_CASE("a thread count beyond what the system gives still completes", "[checker][toy]") {
  Toy toy{2, 3, false};
  aiomc::checker::Options o;
  o.threads = 100000;  // clamped to checker::kMaxThreads
  auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
  CHECK(res.verdict == aiomc::checker::Verdict::pass);
  CHECK(res.stats.states == 16);
}

TEST_CASE("a check that expects a violation stops at the end of its level (S25)", "[checker][toy]") {
  Toy toy{3, 2, true};
  aiomc::checker::Options o;
  o.stop_when_found = true;
  o.stop_invariant = static_cast<int>(Inv::op_expect);
  auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
  REQUIRE(res.verdict == aiomc::checker::Verdict::violation);
  // The bad state is the last one of depth 6: the search is complete anyway.
  CHECK(res.violations[0].choices == std::vector<std::uint8_t>(6, 0));
  CHECK(res.stats.violations_complete);
}

TEST_CASE("an interrupt stops the search at the end of a level with partial statistics", "[checker][toy]") {
  Toy toy{3, 4, false};
  std::atomic<bool> flag{true};
  aiomc::checker::Options o;
  o.interrupt = &flag;
  auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
  CHECK(res.verdict == aiomc::checker::Verdict::incomplete);
  CHECK(res.stats.bound_hit == "interrupted");
  CHECK(res.stats.max_depth == 1);
  CHECK(res.stats.states == 4);  // the initial state and its three successors
}

TEST_CASE("bytes per state counts the frontier too", "[checker][toy]") {
  Toy toy{3, 4, false};
  auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, {});
  CHECK(res.stats.search_bytes_per_state > res.stats.bytes_per_state);
  CHECK(res.stats.peak_bytes > 0);
}

namespace {
// The toy with 65,536 states, well-mixed digests (the fingerprint table grows in the
// middle of levels) and one bad state away from the all-zeros path.
struct BigToy : Toy {
  std::array<std::uint8_t, 4> target{};
  void successors(const StateType& s, std::vector<SuccessorType>& out) const {
    // The states of the all-zeros path come first in their levels: expanding them
    // slowly lets the other workers reach their successors first from greater paths,
    // which must not change which path (parent link) a state keeps.
    bool zeros = true;
    for (int i = 1; i < n; ++i)
      if (s.c[static_cast<std::size_t>(i)] > 0)
        for (int j = 0; j < i; ++j) zeros = zeros && s.c[static_cast<std::size_t>(j)] == k;
    if (zeros) {
      std::atomic<int> spin{0};
      while (spin.fetch_add(1, std::memory_order_relaxed) < 300000) {
      }
    }
    Toy::successors(s, out);
    for (SuccessorType& sc : out)
      if (sc.next.c == target) sc.violated.add(Inv::op_expect);
  }
  std::uint64_t digest_bytes(const std::uint8_t* buf, std::size_t n) const {
    std::uint64_t z = Toy::digest_bytes(buf, n) + 0x9e3779b97f4a7c15ULL;  // splitmix64
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};
}  // namespace

// S20 on the shared table: 1 to 4 workers claim the same states with the same least
// paths (parent links), through many growths of the table in the middle of a level.
TEST_CASE("the shared fingerprint table gives every thread count the same search", "[checker][toy][threads]") {
  BigToy toy{{4, 15, false}, {3, 0, 2, 1}};
  aiomc::checker::Options o;
  const auto exact = aiomc::checker::detail::explore_with<std::string>(toy, o);
  REQUIRE(exact.violations.size() == 1);
  // Shortest: 6 steps; least: actor 0 three times, then actor 2 twice, then actor 3.
  CHECK(exact.violations[0].choices == std::vector<std::uint8_t>{0, 0, 0, 2, 2, 3});
  for (int threads : {1, 2, 3, 4}) {
    o.threads = threads;
    const auto res = aiomc::checker::detail::explore_with<std::uint64_t>(toy, o);
    INFO("threads=" << threads);
    CHECK(res.verdict == aiomc::checker::Verdict::violation);
    CHECK(res.stats.states == 65536 - 1);  // the bad state is not stored
    CHECK(res.stats.states == exact.stats.states);
    CHECK(res.stats.transitions == exact.stats.transitions);
    CHECK(res.stats.max_depth == 60);
    CHECK(res.stats.bytes_per_state < 16);
    REQUIRE(res.violations.size() == 1);
    CHECK(res.violations[0].choices == exact.violations[0].choices);
  }
  // The corner every path ends in: all zeros is the least of the C(60; 15,15,15,15) paths.
  BigToy corner{{4, 15, false}, {15, 15, 15, 15}};
  for (int threads : {1, 2, 4}) {
    o.threads = threads;
    const auto res = aiomc::checker::detail::explore_with<std::uint64_t>(corner, o);
    INFO("threads=" << threads);
    REQUIRE(res.violations.size() == 1);
    CHECK(res.violations[0].choices == std::vector<std::uint8_t>(60, 0));
  }
}
