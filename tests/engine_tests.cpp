// The search engine's parts (issue 12): the fingerprint table, the frontier's
// state packing, and fingerprint mode against --exact on every bundled scenario.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "checker/explore_impl.hpp"
#include "tests/search_compare.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

TEST_CASE("the fingerprint table keeps every digest through its growth", "[checker][engine]") {
  checker::detail::SharedFingerprintSet set(1);
  std::mt19937_64 rng(12);
  std::vector<std::uint64_t> in;
  for (int i = 0; i < 100000; ++i) in.push_back(rng());
  in.push_back(0);  // stored as 0 ^ kRemap: the two are one fingerprint
  using Outcome = checker::detail::SharedFingerprintSet::Outcome;
  // Claimed in one level, growing whenever a claimer is over its share (as the
  // explorer does between two states), then published.
  std::uint64_t path = 0;
  for (std::uint64_t v : in) {
    if (set.over_quota(0)) set.make_room();
    CHECK(set.claim(v, path++, 0).outcome == Outcome::claimed);
  }
  auto again = set.claim(checker::detail::SharedFingerprintSet::kRemap, 0, 0);
  CHECK(again.outcome == Outcome::reclaimed);
  REQUIRE(again.fresh != nullptr);
  CHECK(again.fresh->path.load() == in.size() - 1);  // the least path claiming it
  CHECK(checker::detail::SharedFingerprintSet::lower(*again.fresh, 3));
  CHECK_FALSE(checker::detail::SharedFingerprintSet::lower(*again.fresh, 4));
  CHECK(set.size() == in.size());
  for (std::uint64_t v : in) REQUIRE(set.contains(v));
  set.publish(0);
  set.end_level();
  CHECK(set.fresh_count() == 0);
  for (std::uint64_t v : in) REQUIRE(set.claim(v, 0, 0).outcome == Outcome::visited);
  std::size_t absent = 0;
  for (int i = 0; i < 100000; ++i) absent += !set.contains(rng());
  CHECK(absent == 100000);
  CHECK(set.size() == in.size());
  // 90 % full at most: 8 bytes a slot stays under 16 bytes a state with the links.
  CHECK(static_cast<double>(set.bytes()) / static_cast<double>(set.size()) < 10.7);
}

// Two threads claim overlapping halves of one set of digests at once: every digest is
// claimed exactly once, and its least path is the least offered.
TEST_CASE("the shared fingerprint table: concurrent claims", "[checker][engine][threads]") {
  checker::detail::SharedFingerprintSet set(2);
  std::mt19937_64 rng(5);
  std::vector<std::uint64_t> in(8000);
  for (auto& v : in) v = rng();
  std::atomic<int> claims{0};
  auto work = [&](int tid) {
    // Thread 0 offers in[0..6000), thread 1 in[2000..8000), each with path = 2*i + tid.
    const std::size_t b = tid == 0 ? 0 : 2000, e = tid == 0 ? 6000 : 8000;
    for (std::size_t i = b; i < e; ++i) {
      auto c = set.claim(in[i], 2 * i + static_cast<std::size_t>(tid), tid);
      if (c.outcome == checker::detail::SharedFingerprintSet::Outcome::claimed) claims++;
      else checker::detail::SharedFingerprintSet::lower(*c.fresh, 2 * i + static_cast<std::size_t>(tid));
    }
  };
  REQUIRE_FALSE(set.over_quota(0));
  std::thread t0(work, 0), t1(work, 1);
  t0.join();
  t1.join();
  CHECK(claims == 8000);
  CHECK(set.fresh_count() == 8000);
  std::vector<std::uint64_t> least;
  for (int t = 0; t < 2; ++t)
    for (std::size_t i = 0; i < set.store(t).size(); ++i) least.push_back(set.store(t)[i].path.load());
  std::sort(least.begin(), least.end());
  std::vector<std::uint64_t> want;
  for (std::size_t i = 0; i < 8000; ++i) want.push_back(i < 6000 ? 2 * i : 2 * i + 1);
  CHECK(least == want);
}

TEST_CASE("the collision probability is n(n-1)/2 over 2^64", "[checker][engine]") {
  CHECK(checker::detail::collision_probability(1) == 0.0);
  CHECK(checker::detail::collision_probability(1u << 16) == Approx(1.16411e-10).epsilon(1e-4));
}

TEST_CASE("a packed state unpacks to its encoding", "[checker][engine]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/two-procs-shared-pool.json");
  model::Model m(sc.program, sc.config);
  std::vector<std::uint8_t> base(model::Model::kMaxEncoding + 8), buf(model::Model::kMaxEncoding + 8),
      back(model::Model::kMaxEncoding + 8);
  model::State s = m.initial();
  std::size_t n0 = m.encode_raw(s, base.data());
  using Ops = checker::detail::StatePacker::WordOps;
  checker::detail::StatePacker portable(base.data(), n0, model::Model::kMaxEncoding);
  portable.force_portable();
  std::vector<model::Successor> succ;
  // Down one schedule, every state packed into an arena (blocks of 2 KiB, so that the
  // packings cross from block to block) with the portable word loops, and with the
  // BMI2 and AVX-512 ones where the processor has them: the same offsets and bytes
  // each way, and each packing unpacks to its encoding, also after all the later
  // appends (blocks never move).
  const std::vector<Ops> all_ops{Ops::portable, Ops::bmi2, Ops::avx512};
  std::vector<checker::detail::ByteArena> arenas;
  for (std::size_t o = 0; o <= all_ops.size(); ++o) arenas.emplace_back(2048);
  std::vector<std::vector<std::uint8_t>> encodings;
  std::vector<std::uint64_t> offsets;
  for (int i = 0; i < 40; ++i) {
    std::size_t n = m.encode_raw(s, buf.data());
    encodings.emplace_back(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    const std::uint64_t off = portable.pack(buf.data(), n, arenas[0]);
    const std::size_t len = static_cast<std::size_t>(arenas[0].size() - off);
    offsets.push_back(off);
    for (std::size_t o = 0; o < all_ops.size(); ++o) {
      checker::detail::StatePacker packer(base.data(), n0, model::Model::kMaxEncoding);
      packer.use(all_ops[o]);
      checker::detail::ByteArena& mine = arenas[o + 1];
      REQUIRE(packer.pack(buf.data(), n, mine) == off);
      REQUIRE(mine.size() == arenas[0].size());
      REQUIRE(std::memcmp(mine.at(off), arenas[0].at(off), len) == 0);
      std::fill(back.begin(), back.end(), 0);
      REQUIRE(packer.unpack(mine.at(off), back.data()) == n);
      REQUIRE(std::equal(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n), back.begin()));
    }
    m.successors(s, succ);
    if (succ.empty()) break;
    s = succ[static_cast<std::size_t>(i) % succ.size()].next;
  }
  REQUIRE(offsets.size() == 40);
  CHECK(offsets.back() / 2048 >= 2);  // the schedule filled more than two blocks
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    std::fill(back.begin(), back.end(), 0);
    REQUIRE(portable.unpack(arenas[0].at(offsets[i]), back.data()) == encodings[i].size());
    REQUIRE(std::equal(encodings[i].begin(), encodings[i].end(), back.begin()));
  }
}

TEST_CASE("a byte arena's appends never straddle a block and keep their offsets", "[checker][engine]") {
  checker::detail::ByteArena a(64);
  CHECK(a.empty());
  CHECK_THROWS_AS(a.reserve(64 - checker::detail::ByteArena::kSpare + 1), std::length_error);
  std::vector<std::uint64_t> at;
  for (std::uint8_t i = 0; i < 20; ++i) {
    const std::uint8_t bytes[10] = {i, i, i, i, i, i, i, i, i, i};
    std::uint8_t* w = a.reserve(10);
    at.push_back(a.size());
    std::memcpy(w, bytes, 10);
    a.commit(10);
  }
  // 64-byte blocks with 8 spare bytes hold five 10-byte appends: 0, 10, .., 40; then 64.
  CHECK(at[4] == 40);
  CHECK(at[5] == 64);
  CHECK(at[19] == 3 * 64 + 40);
  for (std::uint8_t i = 0; i < 20; ++i) {
    const std::uint8_t* p = a.at(at[i]);
    CHECK(std::all_of(p, p + 10, [&](std::uint8_t b) { return b == i; }));
  }
  const std::uint8_t* last = a.at(at[19]) + 10;
  CHECK(std::all_of(last, last + checker::detail::ByteArena::kSpare, [](std::uint8_t b) { return b == 0; }));
  CHECK(a.bytes() == 3 * 58 + 58);
  CHECK_THROWS_AS(a.at(4 * 64), std::out_of_range);
  // Cleared, it writes from the start of its first block again, in the same memory.
  const std::uint8_t* first = a.at(0);
  a.clear();
  CHECK(a.empty());
  std::uint8_t* w = a.reserve(3);
  CHECK(w == first);
  a.commit(3);
  CHECK(a.size() == 3);
  CHECK_THROWS_AS(a.commit(1), std::length_error);
}

// Fingerprints are the default; a digest collision would lose states silently, so
// every bundled check must count and report exactly as with the exact store.
TEST_CASE("fingerprint mode and --exact agree on every bundled scenario", "[scenarios][exact][heavy]") {
  const std::vector<std::string> files = test::bundled_scenarios();
  REQUIRE(files.size() > 50);
  for (const std::string& path : files) {
    loader::Scenario sc = test::load_file(path);
    for (const loader::Check& c : sc.checks) {
      model::Config cfg = sc.config;
      cfg.variants = test::variants(c.variant_ids);
      model::Model m(sc.program, cfg);
      checker::Options fp, exact;
      fp.threads = exact.threads = 2;
      fp.bounds.max_states = exact.bounds.max_states = 3000000;
      exact.exact = true;
      checker::Result a = checker::explore(m, fp), b = checker::explore(m, exact);
      INFO(path << " variant " << c.variant_ids[0]);
      CHECK(a.stats.states == b.stats.states);
      CHECK(a.stats.transitions == b.stats.transitions);
      CHECK(a.verdict == b.verdict);
      REQUIRE(a.violations.size() == b.violations.size());
      for (std::size_t i = 0; i < a.violations.size(); ++i) {
        CHECK(a.violations[i].invariant == b.violations[i].invariant);
        CHECK(a.violations[i].choices == b.violations[i].choices);
      }
      CHECK(a.stats.collision_probability > 0);
      CHECK(b.stats.collision_probability == 0);
    }
  }
}

#include "sim/simulator.hpp"

// Batch runs (aiomc run --runs) skip the per-step record but must take exactly the
// schedule of a recorded run with the same seed.
TEST_CASE("a run without records takes the recorded run's schedule", "[sim][engine]") {
  for (const char* f : {"native/two-procs-shared-pool.json", "lio/kevent-split-raw.json", "native/cancel-race.json"}) {
    loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/" + f);
    for (const loader::Check& c : sc.checks) {
      model::Config cfg = sc.config;
      cfg.variants = test::variants(c.variant_ids);
      model::Model m(sc.program, cfg);
      for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        sim::RunOptions full, light;
        full.seed = light.seed = seed;
        full.max_steps = light.max_steps = 100000;
        light.record = false;
        sim::RunResult a = sim::run(m, full), b = sim::run(m, light);
        INFO(f << " variant " << c.variant_ids[0] << " seed " << seed);
        REQUIRE(a.steps.size() > 0);
        CHECK(b.steps.empty());
        CHECK(a.step_count == a.steps.size());
        CHECK(b.step_count == a.step_count);
        CHECK(b.end == a.end);
        CHECK(b.final_digest == a.final_digest);
        CHECK(b.final_tick == a.final_tick);
        CHECK(b.violation_step == a.violation_step);
        REQUIRE(b.violations.size() == a.violations.size());
        for (std::size_t i = 0; i < a.violations.size(); ++i) CHECK(b.violations[i].invariant == a.violations[i].invariant);
      }
    }
  }
}

#include <sstream>

#include <nlohmann/json.hpp>

#include "report/commands.hpp"

TEST_CASE("aiomc run --runs sums the runs it would take one by one", "[sim][engine][cli]") {
  const std::string path = std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/quota-race-both-pass.json";
  loader::Scenario sc = test::load_file(path);
  model::Model m(sc.program, sc.config);
  std::uint64_t violations = 0, terminal = 0, steps = 0, first = 0;
  for (std::uint64_t seed = 7; seed < 7 + 60; ++seed) {
    sim::RunOptions ro;
    ro.seed = seed;
    sim::RunResult r = sim::run(m, ro);
    steps += r.steps.size();
    if (r.end == sim::RunEnd::violation) {
      violations++;
      if (!first) first = seed;
    }
    terminal += r.end == sim::RunEnd::terminal;
  }
  REQUIRE(violations > 0);
  REQUIRE(terminal > 0);
  report::RunCommandOptions o;
  o.scenario = path;
  o.seed = 7;
  o.runs = 60;
  o.json = true;
  std::ostringstream out, err;
  CHECK(report::run_command(o, out, err) == 1);
  auto j = nlohmann::json::parse(out.str());
  CHECK(j["ends"]["violation"] == violations);
  CHECK(j["ends"]["terminal"] == terminal);
  CHECK(j["steps"] == steps);
  REQUIRE(j["violations"].size() >= 1);
  CHECK(j["violations"][0]["first_seed"] == first);
  o.runs = 0;
  CHECK(report::run_command(o, out, err) == 2);
}

// S20: 1 and 2 threads find the same states and the same shortest, lexicographically
// least counterexample, on every bundled check (violations included).
TEST_CASE("1 and 2 threads agree on counts and counterexamples on every bundled scenario", "[scenarios][threads][heavy]") {
  std::size_t with_violation = 0;
  test::for_each_bundled_check([&](const std::string& path, const loader::Check& c, const model::Model& m) {
    checker::Options one, two;
    one.threads = 1;
    two.threads = 2;
    one.bounds.max_states = two.bounds.max_states = 3000000;
    checker::Result a = checker::explore(m, one), b = checker::explore(m, two);
    INFO(path << " variant " << c.variant_ids[0]);
    CHECK(a.stats.states == b.stats.states);
    CHECK(a.stats.transitions == b.stats.transitions);
    CHECK(a.stats.max_depth == b.stats.max_depth);
    CHECK(a.verdict == b.verdict);
    with_violation += !a.violations.empty();
    test::check_same_violations(a, b);
  });
  CHECK(with_violation > 20);
}
