// The symmetry reduction's premise (model/symmetry.cpp), checked state by state:
// renaming the daemon units and job slots of a state renames its futures.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;

// What makes storing one state per class sound: the steps commute with the renaming.
// A state's canonical form, stepped with each step renamed as its daemon unit is,
// has the same enabled steps, the same reported violations, and successors whose
// canonical forms are the concrete successors' (whenever the form does not depend on
// the naming: `complete`).
TEST_CASE("steps commute with the renaming of daemon units and job slots", "[reductions][symmetry]") {
  // Scenarios with two daemons (the bench ones), with job slots renamed (the Linux
  // emulation's clones), and with freed jobs' slots still named (rundown: a thread's
  // pointer after aio_free_entry), where forms may depend on the naming.
  struct Case {
    const char* name;
    bool daemon_renamings, incomplete_forms;
  };
  const Case cs = GENERATE(Case{"bench/scenarios/lio-split.json", true, false}, Case{"bench/scenarios/two-procs.json", true, false},
                           Case{"scenarios/linux/cancel-errnos.json", false, false},
                           Case{"scenarios/rundown/exit-file-jobs.json", false, true});
  const std::string name = cs.name;
  INFO(name);
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/" + name);
  model::Model m(sc.program, sc.config);
  std::deque<model::State> queue{m.initial()};
  std::set<std::uint64_t> seen{m.digest(queue.front())};
  std::vector<model::Successor> succ;
  std::vector<model::StepRef> cands;
  std::size_t renamed = 0, daemon_steps = 0, same_forms = 0, incomplete = 0;
  model::State q, a, b;
  for (std::size_t states = 0; !queue.empty() && states < 3000; ++states) {
    const model::State p = queue.front();
    queue.pop_front();
    m.successors(p, succ, false);
    model::Model::DaemonMap map{};
    const bool renamed_parent = m.canonical(p, q, &map);
    if (!renamed_parent) {
      for (std::size_t d = 0; d < map.size(); ++d) REQUIRE(map[d] == d);  // the identity
      q = p;
    }
    // A renaming of every unit, the unused ones (past the scenario's daemons) kept,
    // so that renamings compose.
    for (auto d = static_cast<std::size_t>(m.first_disk_actor() - m.first_daemon_actor()); d < map.size(); ++d)
      REQUIRE(map[d] == d);
    model::Model::DaemonMap sorted = map;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t d = 0; d < sorted.size(); ++d) REQUIRE(sorted[d] == d);
    renamed += renamed_parent;
    m.candidate_steps(p, cands);
    std::size_t enabled = 0;
    for (const model::StepRef c : cands) {
      model::State w = q;
      model::InvSet v;
      model::AccessLog log;
      const model::StepRef rc = m.renamed_step(c, map);
      if (rc.actor != c.actor) daemon_steps++;
      if (!m.step_in_place(w, rc, &v, log)) continue;
      REQUIRE(enabled < succ.size());
      const model::Successor& x = succ[enabled++];
      REQUIRE(x.step == c);
      REQUIRE(v == x.violated);
      bool complete = true;
      if (!m.canonical(w, a, nullptr, &complete)) a = w;
      if (!m.canonical(x.next, b)) b = x.next;
      if (!complete) {
        incomplete++;  // two renamings may have two forms
        continue;
      }
      if (!(a == b)) {
        auto da = m.describe(a), db = m.describe(b);
        for (std::size_t i = 0; i < std::min(da.size(), db.size()); ++i)
          if (da[i] != db[i]) UNSCOPED_INFO(da[i] << "  vs  " << db[i]);
        UNSCOPED_INFO("step of actor " << static_cast<int>(c.actor) << " kind " << static_cast<int>(c.kind));
      }
      REQUIRE(a == b);
      same_forms++;
    }
    REQUIRE(enabled == succ.size());
    for (const model::Successor& x : succ)
      if (x.violated.empty() && seen.insert(m.digest(x.next)).second) queue.push_back(x.next);
  }
  CHECK(renamed > 20);
  if (cs.incomplete_forms) CHECK(incomplete > 0);
  else CHECK(same_forms > 20);
  if (cs.daemon_renamings) CHECK(daemon_steps > 0);
}


// The in-place engine's renaming (Model::canonicalize_in_place): a canonical state
// stepped in place is renamed on the working copy into what canonical() gives; the
// shortcut still_canonical() never calls a state canonical that canonical() would
// rename; what the renaming rewrote is in the log, so undo_step gives the parent back
// and the parent's segment sum with the logged segments re-hashed is the form's.
TEST_CASE("in-place canonicalization agrees with canonical()", "[reductions][symmetry]") {
  const std::string name = GENERATE(as<std::string>{}, "bench/scenarios/lio-split.json", "bench/scenarios/two-procs.json",
                                    "scenarios/linux/cancel-errnos.json", "scenarios/rundown/exit-file-jobs.json");
  INFO(name);
  loader::Scenario sc = test::load_file(std::string(AIOMC_SOURCE_DIR) + "/" + name);
  model::Model m(sc.program, sc.config);
  model::State init = m.initial();
  (void)m.canonical(init, init);  // the search starts from the initial state's form
  std::deque<model::State> queue{init};
  std::set<std::uint64_t> seen{m.digest(init)};
  std::vector<model::StepRef> cands;
  std::size_t shortcut = 0, renamed = 0, daemon_renamed = 0, checked = 0;
  model::State form;
  for (std::size_t states = 0; !queue.empty() && states < 3000; ++states) {
    const model::State p = queue.front();
    queue.pop_front();
    REQUIRE_FALSE(m.canonical(p, form));  // stored states are canonical
    const std::uint64_t parent_sum = m.fingerprint_sum(p);
    m.candidate_steps(p, cands);
    for (const model::StepRef c : cands) {
      model::State w = p;
      model::InvSet v;
      model::AccessLog log;
      if (!m.step_in_place(w, c, &v, log)) continue;
      if (!v.empty()) continue;
      const bool still = m.still_canonical(w, p, log);
      model::Model::DaemonMap expect_map{};
      const bool expect_renamed = m.canonical(w, form, &expect_map);
      if (!expect_renamed) form = w;
      REQUIRE_FALSE((still && expect_renamed));
      shortcut += still;
      model::Model::DaemonMap map{};
      const bool was_renamed = m.canonicalize_in_place(w, p, log, &map);
      REQUIRE(was_renamed == expect_renamed);
      REQUIRE(w == form);
      REQUIRE(map == expect_map);
      renamed += was_renamed;
      daemon_renamed += map != model::Model::DaemonMap{0, 1, 2, 3, 4, 5, 6, 7};
      std::uint64_t sum = parent_sum;
      m.for_touched_segments(log, [&](std::size_t g) { sum += m.segment_hash(w, g) - m.segment_hash(p, g); });
      REQUIRE(sum == m.fingerprint_sum(w));
      if (seen.insert(m.digest(w)).second) queue.push_back(w);
      m.undo_step(w, p, log);
      REQUIRE(w == p);
      checked++;
    }
  }
  CHECK(checked > 200);
  CHECK(shortcut > 50);
  CHECK(renamed > 20);
  if (name.find("bench/") == 0) CHECK(daemon_renamed > 0);
}
