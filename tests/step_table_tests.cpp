// The steps table (model/steps.def) against what the model does: on every bundled
// scenario and each of its checks' variants, every step that runs names a row, and
// the state it writes, the locks it takes and the actor that runs it are within the
// rows of the sections it ran. A step that writes outside its footprint fails here.
//
// AIOMC_STEP_TABLE_OUT=FILE writes what was observed, as steps.def columns.
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>

#include "model/step_footprint.hpp"
#include "model/steps.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

namespace {

struct Seen {
  std::uint32_t actors = 0, locks = 0, writes = 0;
  std::uint64_t variants = 0;
  std::uint64_t runs = 0;
};

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(std::string(AIOMC_SOURCE_DIR) + "/scenarios"))
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Breadth-first over at most `limit` states, every transition applied with a
// StepInfo; failures name the step, the scenario and what went outside the row.
void observe(const model::Model& m, std::size_t limit, std::vector<Seen>& seen, std::vector<std::string>& errors) {
  std::set<std::uint64_t> visited;
  std::deque<model::State> queue{m.initial()};
  visited.insert(m.digest(queue.front()));
  std::vector<model::Successor> succs;
  while (!queue.empty() && visited.size() < limit) {
    const model::State s = queue.front();
    queue.pop_front();
    m.successors(s, succs);
    for (const model::Successor& sc : succs) {
      model::State n = s;
      model::StepInfo info;
      if (!m.apply(n, sc.step, nullptr, &info) || !(n == sc.next)) {
        errors.push_back("a step applied with a StepInfo differs from successors()");
        continue;
      }
      if (info.steps.empty()) {
        errors.push_back("step '" + info.action + "' of " + info.actor + " names no row of the steps table");
        continue;
      }
      const std::uint32_t actor = model::actor_kind(m, sc.step.actor);
      const std::uint32_t writes = model::written_kinds(m, s, n, sc.step.actor);
      std::uint32_t dw = 0, dl = 0, da = 0;
      std::uint64_t dv = 0;
      for (std::uint8_t id : info.steps) {
        dw |= model::kSteps[id].writes;
        dl |= model::kSteps[id].locks;
        da |= model::kSteps[id].actors;
        dv |= model::kSteps[id].variants;
      }
      // What the step did is attributed to every section it ran.
      for (std::uint8_t id : info.steps) {
        Seen& row = seen[id];
        row.actors |= actor;
        row.locks |= info.locks;
        row.writes |= writes;
        row.variants |= info.variants;
        row.runs++;
      }
      auto outside = [&](const char* what, std::uint32_t got, std::uint32_t declared, auto text) {
        if (got & ~declared)
          errors.push_back("step '" + info.action + "' " + what + " " + text(got & ~declared) + " outside its row");
      };
      outside("writes", writes, dw, model::write_kinds_text);
      outside("takes", info.locks, dl, model::lock_kinds_text);
      outside("is run by", actor, da, model::actor_kinds_text);
      if (info.variants & ~dv)
        errors.push_back("step '" + info.action + "' consults variants outside its row (" +
                         std::to_string(info.variants & ~dv) + ")");
      if (visited.insert(m.digest(n)).second) queue.push_back(n);
    }
  }
}

}  // namespace

TEST_CASE("every step stays within its row of the steps table on every bundled scenario", "[steps][slow]") {
  std::vector<Seen> seen(static_cast<std::size_t>(model::kStepCount));
  std::set<std::string> errors;
  for (const std::string& path : bundled_scenarios()) {
    loader::Scenario sc = test::load_file(path);
    for (const loader::Check& c : sc.checks) {
      model::Config cfg = sc.config;
      cfg.variants = test::variants(c.variant_ids);
      model::Model m(sc.program, cfg);
      std::vector<std::string> errs;
      observe(m, 20000, seen, errs);
      for (const std::string& e : errs) errors.insert(e + " (" + fs::path(path).filename().string() + ")");
    }
  }
  if (const char* out = std::getenv("AIOMC_STEP_TABLE_OUT")) {
    std::ofstream f(out);
    for (int i = 0; i < model::kStepCount; ++i)
      f << model::kSteps[i].name << ' ' << seen[i].actors << ' ' << seen[i].locks << ' ' << seen[i].writes << ' '
        << seen[i].runs << ' ' << seen[i].variants << '\n';
  }
  for (const std::string& e : errors) UNSCOPED_INFO(e);
  CHECK(errors.empty());
}

TEST_CASE("the steps table names each step once, as kernel_function[:section]", "[steps]") {
  std::set<std::string> names;
  for (const model::StepDef& d : model::kSteps) {
    INFO(d.name);
    CHECK(names.insert(d.name).second);
    CHECK(model::find_step(d.name).has_value());
    CHECK(d.actors != 0);
  }
  CHECK_FALSE(model::find_step("aio_qphysio:no_such_section").has_value());
  CHECK(std::string(model::kSteps[model::StepName("aio_qphysio:count").id].name) == "aio_qphysio:count");
}
