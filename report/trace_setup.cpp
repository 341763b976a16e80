// From a trace file to the model configuration it was recorded under: the trace, its
// scenario (found as find_scenario says, or the one the user names) and its variants.
// What `aiomc replay` and `aiomc view` both start with.
#include <filesystem>
#include <optional>

#include "report/scenario_setup.hpp"
#include "report/trace.hpp"

namespace aiomc::report {

// The first candidate whose digest matches wins, else the first that loads (replay
// then reports the digest mismatch).
std::string find_scenario(const std::string& trace_file, const Trace& trace, loader::Scenario& sc) {
  std::vector<std::string> candidates = {trace.scenario};
  if (!trace.scenario_from_trace.empty())
    candidates.push_back(
        (std::filesystem::path(trace_file).parent_path() / trace.scenario_from_trace).lexically_normal().generic_string());
  std::string first_problem;
  std::optional<loader::Scenario> fallback;
  for (const std::string& path : candidates) {
    loader::Scenario candidate;
    const std::string problem = load_scenario(path, candidate);
    if (!problem.empty()) {
      if (first_problem.empty()) first_problem = problem;
      continue;
    }
    if (candidate.digest == trace.scenario_digest) {
      sc = std::move(candidate);
      return "";
    }
    if (!fallback) fallback = std::move(candidate);
  }
  if (fallback) {
    sc = std::move(*fallback);
    return "";
  }
  return first_problem;
}

std::string load_trace_configured(const std::string& trace_file, const std::string& scenario_file, Trace& trace,
                                  loader::Scenario& sc, ResolvedVariants& variants, model::Config& config) {
  std::string problem = read_trace_file(trace_file, trace);
  if (problem.empty())
    problem = scenario_file.empty() ? find_scenario(trace_file, trace, sc) : load_scenario(scenario_file, sc);
  if (problem.empty()) problem = configure(sc, trace.variant, variants, config);
  return problem;
}

}  // namespace aiomc::report
