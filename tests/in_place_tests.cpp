// The explorer's in-place stepping (model/in_place_steps.cpp): a step run on a working
// copy and undone leaves the parent as it was; the successor is the one successors()
// makes; its fingerprint from the parent's touched segments is its fingerprint from
// scratch; the encoding is its segments end to end. And the search over the in-place
// path gives what the copying path gives, on every bundled scenario.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "checker/explorer.hpp"
#include "tests/search_compare.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

namespace {

// The first `limit` states of a breadth-first walk of the model (no visited set
// beyond their digests), each checked against the in-place primitives.
struct Walk {
  std::size_t states = 0, steps = 0, unchanged_reads = 0;
};

// `portable`: the same model with segment_delta's portable word loop, whose results
// must be the AVX2 compare's.
Walk walk_in_place(const model::Model& m, const model::Model& portable, std::size_t limit) {
  Walk w;
  std::deque<model::State> queue{m.initial()};
  std::set<std::uint64_t> seen{m.digest(queue.front())};
  std::vector<model::Successor> succ;
  std::vector<model::StepRef> cands;
  std::vector<std::uint8_t> buf(model::Model::kMaxEncoding), part(model::Model::kMaxEncoding);
  while (!queue.empty() && w.states < limit) {
    const model::State p = queue.front();
    queue.pop_front();
    w.states++;
    // The encoding is its segments in order.
    const std::size_t n = m.encode_raw(p, buf.data());
    std::size_t at = 0;
    for (std::size_t g = 0; g < m.segments().size(); ++g) {
      const std::size_t k = m.encode_segment(p, g, part.data());
      REQUIRE(at + k <= n);
      REQUIRE(std::equal(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(k), buf.begin() + static_cast<std::ptrdiff_t>(at)));
      at += k;
    }
    REQUIRE(at == n);
    // Decoding gives the segments' ends.
    std::vector<std::uint32_t> ends(m.segments().size());
    model::State decoded;
    m.decode_into(buf.data(), n, decoded, ends.data());
    REQUIRE(decoded == p);
    REQUIRE(ends.back() == n);
    const std::uint64_t sum = m.fingerprint_sum(p);
    REQUIRE(m.fingerprint(p) == model::Model::fingerprint_of_sum(sum));
    REQUIRE(model::Model::sum_of_fingerprint(m.fingerprint(p)) == sum);

    m.successors(p, succ, false);
    m.candidate_steps(p, cands);
    model::State work = p;
    std::size_t enabled = 0;
    for (const model::StepRef c : cands) {
      model::InvSet v;
      model::AccessLog log;
      const bool ok = m.step_in_place(work, c, &v, log);
      if (ok) {
        REQUIRE(enabled < succ.size());
        const model::Successor& s = succ[enabled++];
        REQUIRE(s.step == c);
        REQUIRE(work == s.next);
        REQUIRE(v == s.violated);
        // From the parent's sum, re-hashing only the touched segments that changed;
        // and as the explorer does it, from the words segment_delta finds changed,
        // which it finds exactly where the segment's encoding changed.
        std::uint64_t next = sum, by_delta = sum;
        std::vector<std::uint16_t> changed;
        m.for_touched_segments(log, [&](std::size_t g) {
          std::uint64_t d = 0;
          const bool moved = m.segment_delta(work, p, g, d);
          std::uint64_t d2 = 0;
          REQUIRE(portable.segment_delta(work, p, g, d2) == moved);
          if (moved) REQUIRE(d2 == d);
          const std::size_t kw = m.encode_segment(work, g, part.data());
          std::vector<std::uint8_t> pe(model::Model::kMaxEncoding);
          const std::size_t kp = m.encode_segment(p, g, pe.data());
          REQUIRE(moved == !(kw == kp && std::equal(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(kw), pe.begin())));
          if (moved) by_delta += d;
          if (m.segment_unchanged(work, p, g)) {
            REQUIRE(!moved);
            REQUIRE(m.segment_hash(work, g) == m.segment_hash(p, g));
            w.unchanged_reads++;
          } else {
            next += m.segment_hash(work, g) - m.segment_hash(p, g);
            changed.push_back(static_cast<std::uint16_t>(g));
          }
        });
        REQUIRE(next == m.fingerprint_sum(work));
        REQUIRE(by_delta == next);
        // As the explorer keys it, undoing the step in the same pass, with both block
        // compares: the same sum, and the parent again (dead slots' stale bytes included).
        // Its changed kinds are those of the touched segments whose bytes differ.
        std::uint32_t kinds = 0;
        for (const std::uint16_t g : changed) kinds |= 1u << static_cast<unsigned>(m.segments()[g].kind);
        for (const model::Model* one : {&m, &portable}) {
          model::State again = work;
          std::uint32_t got = ~0u;
          REQUIRE(sum + one->touched_delta_undo(again, p, log, &got) == next);
          REQUIRE(got == kinds);
          REQUIRE(again == p);
        }
        // The hashes read the state's bytes: a step leaves the bytes its decoding gives.
        REQUIRE(m.fingerprint_sum(m.decode(buf.data(), m.encode_raw(work, buf.data()))) == next);
        m.encode_raw(p, buf.data());  // (buf is the parent's encoding again)
        // Its encoding: the parent's with the changed segments re-encoded.
        std::sort(changed.begin(), changed.end());
        std::vector<std::uint8_t> spliced(model::Model::kMaxEncoding), whole(model::Model::kMaxEncoding);
        const std::size_t ns = m.splice_encoding(work, buf.data(), ends.data(), changed.data(), changed.size(), spliced.data());
        const std::size_t nw = m.encode_raw(work, whole.data());
        REQUIRE(ns == nw);
        REQUIRE(std::equal(spliced.begin(), spliced.begin() + static_cast<std::ptrdiff_t>(ns), whole.begin()));
        w.steps++;
      }
      m.undo_step(work, p, log);
      REQUIRE(work == p);
    }
    REQUIRE(enabled == succ.size());
    for (const model::Successor& s : succ)
      if (s.violated.empty() && seen.insert(m.digest(s.next)).second) queue.push_back(s.next);
  }
  return w;
}


}  // namespace

TEST_CASE("a step in place, undone, and its fingerprint from the touched segments", "[checker][engine][in-place]") {
  const std::string name = GENERATE(std::string("bench/scenarios/lio-split.json"), std::string("scenarios/linux/destroy-vs-submit.json"),
                                    std::string("scenarios/history/socket-lio-member-uncounted.json"),
                                    std::string("scenarios/history/register-unlock-window.json"));
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/" + name);
  for (const loader::Check& c : sc.checks) {
    model::Config cfg = sc.config;
    cfg.variants = test::variants(c.variant_ids);
    model::Model m(sc.program, cfg), portable(sc.program, cfg);
    portable.use_avx2(false);
    CHECK(!portable.uses_avx2());
    INFO(name << " variant " << c.variant_ids[0]);
    const Walk w = walk_in_place(m, portable, 400);
    CHECK(w.states > 20);
    CHECK(w.steps > w.states);
    CHECK(w.unchanged_reads > 0);  // the skip is exercised
  }
}

// One thread and two, symmetry off and on (then the keys are the copying engine's
// digests): the same counts, transitions, verdicts and counterexamples either way.
TEST_CASE("the in-place and copying engines agree on every bundled scenario", "[scenarios][engine][in-place]") {
  std::size_t compared = 0;
  test::for_each_bundled_check([&](const std::string& path, const loader::Check& c, const model::Model& m) {
    for (int threads : {1, 2})
      for (bool reductions : {false, true}) {
        checker::Options copy, in_place;
        copy.reductions = in_place.reductions = reductions;
        copy.bounds.max_states = in_place.bounds.max_states = 200000;
        copy.threads = 1;
        in_place.threads = threads;
        copy.in_place = false;
        const checker::Result a = checker::explore(m, copy), b = checker::explore(m, in_place);
        INFO(path << " variant " << c.variant_ids[0] << " threads " << threads << " reductions " << reductions);
        CHECK(a.stats.states == b.stats.states);
        CHECK(a.stats.transitions == b.stats.transitions);
        CHECK(a.stats.bound_hit == b.stats.bound_hit);
        CHECK(a.verdict == b.verdict);
        test::check_same_violations(a, b);
        compared++;
      }
  });
  CHECK(compared > 600);
}

// The segment hashes read a state's bytes, but only what its encoding says: the
// stale bytes of a dead slot (a freed job keeps its fields) are not part of a state,
// and a byte of a live entry's data is.
TEST_CASE("the fingerprint ignores dead slots' stale bytes", "[checker][engine][in-place]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-split.json");
  model::Model m(sc.program, sc.config);
  const model::State p = m.initial();
  std::size_t proc_seg = m.segments().size(), job_seg = m.segments().size();
  for (std::size_t g = 0; g < m.segments().size(); ++g) {
    if (m.segments()[g].kind == model::Model::SegKind::proc && m.segments()[g].index == 0) proc_seg = g;
    if (m.segments()[g].kind == model::Model::SegKind::job && m.segments()[g].index == 3) job_seg = g;
  }
  REQUIRE(proc_seg < m.segments().size());
  REQUIRE(job_seg < m.segments().size());
  REQUIRE(!p.jobs.data()[3].live);
  const std::uint64_t fp = m.fingerprint(p);
  std::uint64_t d = 0;
  model::State w = p;

  // A dead job slot's stale fields.
  w = p;
  w.jobs.data()[3].status = 77;
  w.jobs.data()[3].jobstate = 2;
  CHECK(m.fingerprint(w) == fp);
  CHECK(!m.segment_delta(w, p, job_seg, d));

  // Live data: a process's counter, and the slot once live.
  w = p;
  w.procs.data()[0].kaio_count = 1;
  CHECK(m.fingerprint(w) != fp);
  REQUIRE(m.segment_delta(w, p, proc_seg, d));
  CHECK(model::Model::fingerprint_of_sum(m.fingerprint_sum(p) + d) == m.fingerprint(w));
  w = p;
  w.jobs.data()[3].live = 1;
  CHECK(m.fingerprint(w) != fp);
  REQUIRE(m.segment_delta(w, p, job_seg, d));
  CHECK(d == m.segment_hash(w, job_seg) - m.segment_hash(p, job_seg));
}

// The portable word loop and the AVX2 compare find the same changes: the same search.
TEST_CASE("segment_delta's portable loop gives the same search as its AVX2 compare", "[checker][engine][in-place]") {
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-split.json");
  model::Model wide(sc.program, sc.config), portable(sc.program, sc.config);
  portable.use_avx2(false);
  for (bool reductions : {false, true}) {
    checker::Options o;
    o.reductions = reductions;
    const checker::Result a = checker::explore(wide, o), b = checker::explore(portable, o);
    INFO("reductions " << reductions);
    CHECK(a.stats.states == (reductions ? 28212u : 627403u));
    CHECK(a.stats.states == b.stats.states);
    CHECK(a.stats.transitions == b.stats.transitions);
    CHECK(a.verdict == b.verdict);
  }
}
