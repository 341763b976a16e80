#include "report/run_batch.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "report/exit_codes.hpp"
#include "sim/simulator.hpp"

namespace aiomc::report {

int run_batch(const model::Model& m, const loader::Scenario& sc, const ResolvedVariants& variants,
              const RunCommandOptions& opts, std::ostream& out, std::ostream& err) {
  std::uint64_t ends[4] = {0, 0, 0, 0};  // by sim::RunEnd
  std::uint64_t steps = 0;
  std::map<model::Inv, std::pair<std::uint64_t, std::uint64_t>> violated;  // runs, first seed
  std::string first_error;
  std::uint64_t error_seed = 0;
  // Wall time for the steps/s figure only; it decides nothing.
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < opts.runs; ++i) {
    sim::RunOptions ro;
    ro.seed = opts.seed + i;
    ro.max_steps = opts.max_steps;
    ro.record = false;
    const sim::RunResult r = sim::run(m, ro);
    steps += r.step_count;
    ends[static_cast<int>(r.end)]++;
    if (r.end == sim::RunEnd::error && first_error.empty()) {
      first_error = r.error;
      error_seed = ro.seed;
    }
    for (const model::Violation& v : r.violations) {
      auto [it, fresh] = violated.try_emplace(v.invariant, 0, ro.seed);
      it->second.first++;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = seconds > 0 ? static_cast<double>(steps) / seconds : 0;
  const std::uint64_t terminal = ends[static_cast<int>(sim::RunEnd::terminal)],
                      violation = ends[static_cast<int>(sim::RunEnd::violation)],
                      max_steps = ends[static_cast<int>(sim::RunEnd::max_steps)],
                      error = ends[static_cast<int>(sim::RunEnd::error)];
  if (opts.json) {
    nlohmann::ordered_json j;
    j["format"] = "aiomc-runs/1";
    j["scenario"] = sc.path;
    j["variant"] = variants.ids;
    j["first_seed"] = opts.seed;
    j["runs"] = opts.runs;
    j["ends"] = {{"terminal", terminal}, {"violation", violation}, {"max_steps", max_steps}, {"error", error}};
    j["violations"] = nlohmann::ordered_json::array();
    for (const auto& [inv, v] : violated)
      j["violations"].push_back({{"invariant", std::string(model::inv_name(inv))}, {"runs", v.first}, {"first_seed", v.second}});
    j["steps"] = steps;
    j["seconds"] = seconds;
    j["steps_per_second"] = static_cast<std::uint64_t>(rate);
    out << j.dump(2) << "\n";
  } else {
    out << "scenario: " << sc.path << " (" << sc.name << ")\n";
    out << "runs:     " << opts.runs << " (seeds " << opts.seed << " .. " << opts.seed + opts.runs - 1 << ")\n";
    out << "ends:     " << terminal << " terminal, " << violation << " violation, " << max_steps << " max steps, "
        << error << " error\n";
    for (const auto& [inv, v] : violated)
      out << "violation " << model::inv_name(inv) << ": " << v.first << " runs, first seed " << v.second
          << " (aiomc run " << sc.path << " --seed " << v.second << ")\n";
    char buf[120];
    std::snprintf(buf, sizeof buf, "steps %llu, %.3f s, %.0f steps/s\n", static_cast<unsigned long long>(steps),
                  seconds, rate);
    out << buf;
  }
  out.flush();
  if (error) {
    err << "aiomc: internal error in the run with seed " << error_seed << ": " << first_error << "\n";
    return kExitInternal;
  }
  if (violation) return kExitFailed;
  if (max_steps) return kExitIncomplete;
  return kExitOk;
}

}  // namespace aiomc::report
