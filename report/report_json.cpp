#include "report/report_json.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "model/liveness.hpp"
#include "report/exit_codes.hpp"
#include "report/provenance.hpp"

namespace aiomc::report {
namespace {

using ojson = nlohmann::ordered_json;

// v to `decimals` places: an exact division by a power of ten prints as a short decimal.
double rounded(double v, double scale) {
  return std::round(v * scale) / scale;
}

ojson stats_json(const checker::Stats& s) {
  ojson j;
  j["states"] = s.states;
  j["transitions"] = s.transitions;
  j["max_depth"] = s.max_depth;
  j["seconds"] = rounded(s.seconds, 1e6);
  j["states_per_second"] =
      static_cast<std::uint64_t>(std::llround(std::max(0.0, s.states_per_second)));
  j["bytes_per_state"] = rounded(s.bytes_per_state, 10);
  j["search_bytes_per_state"] = rounded(s.search_bytes_per_state, 10);
  j["peak_bytes"] = s.peak_bytes;
  j["collision_probability"] = s.collision_probability;
  j["reductions"] = s.reductions;
  // Extensions: which search gave these stats (with "dfs", max_depth is the longest
  // path the depth-first search took), and why a depth-first search handed over.
  j["search"] = s.search;
  if (!s.search_note.empty()) j["search_note"] = s.search_note;
  if (s.reductions) j["reductions_applied"] = s.reductions_applied;
  j["bound_hit"] = s.bound_hit.empty() ? ojson(nullptr) : ojson(s.bound_hit);
  if (s.liveness_checked) {
    j["graph_edges"] = s.graph_edges;
    j["graph_bytes_per_edge"] = s.graph_bytes_per_edge;
    j["graph_sccs"] = s.graph_sccs;
    j["liveness_seconds"] = s.liveness_seconds;
  }
  return j;
}

ojson record_json(const CheckRecord& r) {
  ojson j;
  j["scenario"] = r.scenario;
  j["variant"] = r.variant;
  j["expected"] = r.expected;
  if (r.expected_invariant) j["expected_invariant"] = *r.expected_invariant;
  if (!r.check_pointer.empty()) j["check"] = r.check_pointer;
  j["verdict"] = r.verdict;
  j["ok"] = r.ok;
  if (!r.error.empty()) {
    j["error"] = r.error;
    j["internal_error"] = r.internal;
    if (!r.error_trace.empty()) j["error_trace"] = r.error_trace;
  }
  if (!r.incomplete.empty()) j["incomplete"] = r.incomplete;
  j["violations"] = ojson::array();
  for (const ViolationRecord& v : r.violations) {
    ojson vj;
    vj["invariant"] = v.invariant;
    vj["message"] = v.message;
    vj["trace"] = v.trace_path.empty() ? ojson(nullptr) : ojson(v.trace_path);
    vj["steps"] = v.steps;
    if (v.loop_start >= 0) vj["loop_start"] = v.loop_start;
    j["violations"].push_back(vj);
  }
  j["violations_complete"] = r.stats.violations_complete;
  j["stats"] = stats_json(r.stats);
  j["liveness_checked"] = r.liveness_checked;
  if (r.liveness_checked) j["fairness"] = std::string(model::kFairnessAssumption);
  return j;
}

}  // namespace

std::string report_to_json_text(const std::vector<CheckRecord>& records, const ReportNotes& notes) {
  ojson doc;
  doc["format"] = "aiomc-report/1";
  doc["aiomc_version"] = kAiomcVersion;
  doc["provenance"] = provenance_json(provenance());
  if (!notes.incomplete.empty()) doc["incomplete"] = notes.incomplete;
  if (!notes.skipped.empty()) {
    doc["skipped"] = ojson::array();
    for (const auto& [file, why] : notes.skipped) doc["skipped"].push_back(ojson{{"file", file}, {"reason", why}});
  }
  doc["results"] = ojson::array();
  for (const CheckRecord& r : records) doc["results"].push_back(record_json(r));
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace aiomc::report
