// A trace as JSON: the header keys in the spec's order, one line per step.
#include <nlohmann/json.hpp>

#include "report/trace_json.hpp"

namespace aiomc::report {

using ojson = nlohmann::ordered_json;

ojson trace_step_json(const TraceStep& s) {
  ojson j;
  j["i"] = s.i;
  if (s.tick) j["tick"] = *s.tick;
  j["actor"] = s.actor;
  j["choice"] = s.choice;
  j["action"] = s.action;
  j["detail"] = s.detail;
  if (!s.result.empty()) j["result"] = s.result;
  j["digest"] = s.digest;
  return j;
}

std::string compact_json(const ojson& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {

ojson violation_json(const std::optional<TraceViolation>& v) {
  if (!v) return nullptr;
  ojson j;
  j["invariant"] = v->invariant;
  j["step"] = v->step;
  j["message"] = v->message;
  j["quiescent"] = v->quiescent;
  return j;
}

}  // namespace

std::string trace_to_json_text(const Trace& trace) {
  ojson head;
  head["format"] = "aiomc-trace/1";
  head["scenario"] = trace.scenario;
  if (!trace.scenario_from_trace.empty()) head["scenario_from_trace"] = trace.scenario_from_trace;
  head["scenario_digest"] = trace.scenario_digest;
  head["variant"] = trace.variant;
  head["seed"] = trace.seed ? ojson(*trace.seed) : ojson(nullptr);
  head["initial_digest"] = trace.initial_digest;
  head["minimal"] = trace.minimal;
  if (trace.loop_start) head["loop_start"] = *trace.loop_start;
  if (trace.provenance) head["provenance"] = provenance_json(*trace.provenance);
  std::string out = "{\n";
  for (const auto& [key, value] : head.items())
    out += "  " + compact_json(key) + ": " + compact_json(value) + ",\n";
  out += "  \"steps\": [";
  for (std::size_t i = 0; i < trace.steps.size(); ++i)
    out += std::string(i ? "," : "") + "\n    " + compact_json(trace_step_json(trace.steps[i]));
  out += trace.steps.empty() ? "],\n" : "\n  ],\n";
  out += "  \"violation\": " + compact_json(violation_json(trace.violation)) + "\n}\n";
  return out;
}

std::string scenario_relative_to_trace(const std::string& scenario_path, const std::string& trace_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path scenario = fs::weakly_canonical(fs::absolute(scenario_path, ec), ec);
  if (ec) return "";
  const fs::path dir = fs::weakly_canonical(fs::absolute(trace_path, ec), ec).parent_path();
  if (ec) return "";
  return scenario.lexically_relative(dir).generic_string();
}

}  // namespace aiomc::report
