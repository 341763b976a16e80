// The footprint independence relation against running the steps. Two enabled steps
// of different actors are independent by their footprints when neither changes what
// the other touched (the access log, model/access_log.hpp, and written_objects,
// model/step_footprint.hpp); wherever that holds, the steps must commute: each stays
// enabled after the other, and both orders reach the same state. A partial-order
// reduction may only trust a relation that passes this (bench/README.md,
// "Partial-order reduction"), so this test guards today's footprints and any finer
// ones to come.
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "model/step_footprint.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
using model::AccessLog;

namespace {

struct Move {
  model::StepRef step;
  AccessLog touched, written;
};

std::string encoding(const model::Model& m, const model::State& s) {
  std::vector<std::uint8_t> buf;
  m.encode(s, buf);
  return std::string(buf.begin(), buf.end());
}

std::string action(const model::Model& m, const model::State& s, model::StepRef step) {
  model::State w = s;
  model::InvSet v;
  model::StepInfo info;
  m.apply(w, step, &v, &info);
  return info.actor + " " + info.action;
}

struct Tally {
  std::uint64_t states = 0;         // states whose steps were paired
  std::uint64_t pairs = 0;          // co-enabled pairs of different actors
  std::uint64_t independent = 0;    // of which independent by footprints
  std::vector<std::string> broken;  // independent by footprints, yet not commuting
  std::vector<std::string> lock_reads;  // enabled steps that touch an aio_job_mtx another actor holds
};

// Breadth-first over the first `limit` states of a scenario under `variants`.
void check_scenario(const loader::Scenario& sc, const model::VariantSet& variants, std::size_t limit,
                    const std::string& label, Tally& t) {
  model::Config cfg = sc.config;
  cfg.variants = variants;
  model::Model m(sc.program, cfg);
  std::set<std::string> seen;
  std::deque<model::State> queue{m.initial()};
  seen.insert(encoding(m, queue.front()));
  std::vector<model::StepRef> cands;
  std::vector<Move> moves;
  std::vector<model::State> next;
  while (!queue.empty()) {
    const model::State s = std::move(queue.front());
    queue.pop_front();
    ++t.states;
    m.candidate_steps(s, cands);
    moves.clear();
    next.clear();
    model::State w = s;
    for (const model::StepRef c : cands) {
      model::InvSet v;
      AccessLog log;
      if (m.step_in_place(w, c, &v, log)) {
        moves.push_back({c, log.all(), model::written_objects(s, w)});
        if (s.jm_owner != model::kNone && s.jm_owner != c.actor && (log.touched_globals() & model::G_JM_OWNER))
          t.lock_reads.push_back(label + ": " + action(m, s, c) + " touches aio_job_mtx's owner while another actor holds it");
        if (v.empty() && !w.panicked) next.push_back(w);
      }
      m.undo_step(w, s, log);
    }
    for (std::size_t i = 0; i < moves.size(); ++i)
      for (std::size_t j = i + 1; j < moves.size(); ++j) {
        const Move& a = moves[i];
        const Move& b = moves[j];
        if (a.step.actor == b.step.actor) continue;
        ++t.pairs;
        if (a.written.meets(b.touched) || b.written.meets(a.touched)) continue;
        ++t.independent;
        if (model::steps_commute(m, s, a.step, b.step)) continue;
        t.broken.push_back(label + ": " + action(m, s, a.step) + " / " + action(m, s, b.step) + " do not commute");
      }
    for (model::State& n : next)
      if (seen.size() < limit && seen.insert(encoding(m, n)).second) queue.push_back(std::move(n));
  }
}

// check_scenario over the first 20,000 states of every bundled scenario, once per
// distinct variant set of its checks.
Tally walk_bundled() {
  Tally t;
  for (const std::string& path : test::bundled_scenarios()) {
    const loader::Scenario sc = test::load_file(path);
    std::set<std::vector<std::string>> done;
    for (const loader::Check& c : sc.checks) {
      if (!done.insert(c.variant_ids).second) continue;
      std::string label = path.substr(path.find("scenarios/"));
      for (const std::string& id : c.variant_ids) label += " " + id;
      check_scenario(sc, test::variants(c.variant_ids), 20000, label, t);
    }
  }
  return t;
}

// The walk, once for both tests below.
const Tally& bundled() {
  static const Tally t = walk_bundled();
  return t;
}

}  // namespace

TEST_CASE("steps independent by their footprints commute, on every bundled scenario and variant", "[footprint]") {
  const Tally& t = bundled();
  INFO(t.states << " states, " << t.pairs << " co-enabled pairs, " << t.independent << " independent by footprints");
  for (const std::string& b : t.broken) UNSCOPED_INFO(b);
  CHECK(t.broken.empty());
  // The relation is not empty: some pairs are independent (else the test proves nothing).
  CHECK(t.independent > 1000);
}

// A step that asks whether its actor holds aio_job_mtx asks holds_jm(), which leaves
// the owner field out of its footprint (no other actor can change the answer); only a
// step that needs the lock (mtx_lock: free, or held by its actor) touches the field.
// Then no enabled step touches it while another actor holds the lock: the lock makes
// steps dependent only where they contend for it (bench/README.md, "What blocks a
// static POR"). Checked over the same states as above.
TEST_CASE("no enabled step touches aio_job_mtx's owner while another actor holds it", "[footprint]") {
  const Tally& t = bundled();
  INFO(t.states << " states");
  for (std::size_t i = 0; i < t.lock_reads.size() && i < 20; ++i) UNSCOPED_INFO(t.lock_reads[i]);
  CHECK(t.lock_reads.empty());
  CHECK(t.states > 10000);
}
