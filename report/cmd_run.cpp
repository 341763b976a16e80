// `aiomc run`: one seeded schedule (sim::run), shown as a timeline or as JSON, with
// an optional trace file. Exit 0 no violation, 1 a violation, 3 max steps reached.
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "model/model.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/files.hpp"
#include "report/run_batch.hpp"
#include "report/schedule.hpp"
#include "report/scenario_setup.hpp"
#include "report/step_text.hpp"
#include "report/timeline.hpp"
#include "report/trace.hpp"
#include "report/provenance.hpp"
#include "report/trace_json.hpp"

namespace aiomc::report {
namespace {

using ojson = nlohmann::ordered_json;

const char* end_name(sim::RunEnd e) {
  switch (e) {
    case sim::RunEnd::terminal: return "terminal";
    case sim::RunEnd::violation: return "violation";
    case sim::RunEnd::max_steps: return "max_steps";
    case sim::RunEnd::error: return "error";
    case sim::RunEnd::stopped: return "schedule_stopped";
  }
  return "?";
}

int exit_of(const sim::RunResult& r) {
  if (r.end == sim::RunEnd::error) return kExitInternal;
  if (r.end == sim::RunEnd::stopped) return kExitFailed;
  if (r.end == sim::RunEnd::max_steps) return kExitIncomplete;
  return r.violations.empty() ? kExitOk : kExitFailed;
}

// Where the violation is: "at step N" or "at the end (no step can make progress)".
std::string violation_place(const sim::RunResult& r) {
  if (r.violation_step == static_cast<int>(r.steps.size()))
    return r.steps.empty()
               ? "in the initial state"
               : "in the final state (after step " + std::to_string(r.steps.size() - 1) + ")";
  return "at step " + std::to_string(r.violation_step);
}

std::string text_output(const model::Model& m, const loader::Scenario& sc, const Trace& trace,
                        const sim::RunResult& r, const RunCommandOptions& opts) {
  const std::uint64_t max_steps = opts.max_steps;
  std::string out = "scenario: " + sc.path + " (" + sc.name + ")\n";
  out += "variant:  " + variant_label(trace.variant, ", ") + "\n";
  if (opts.schedule.empty())
    out += "seed:     " + std::to_string(r.seed) + "\n\n";
  else
    out += "schedule: " + opts.schedule + "\n\n";
  out += run_timeline(m, r.steps) + "\n";
  for (const model::Violation& v : r.violations)
    out += "violation " + violation_place(r) + ": " + std::string(model::inv_name(v.invariant)) +
           ": " + v.message + "\n";
  if (r.violations.empty()) out += "no violation\n";
  if (!r.violations.empty()) {
    out += "reproduce: aiomc run " + sc.path +
           (opts.schedule.empty() ? " --seed " + std::to_string(r.seed) : " --schedule '" + opts.schedule + "'");
    for (const std::string& id : trace.variant) out += " --variant " + id;
    out += "\n";
  }
  if (r.end == sim::RunEnd::max_steps)
    out += "stopped: --max-steps " + std::to_string(max_steps) + " reached\n";
  if (r.end == sim::RunEnd::error)
    out += "stopped: internal error after step " + std::to_string(r.steps.size()) + ": " + r.error + "\n";
  out += "steps " + std::to_string(r.steps.size()) + ", final tick " +
         std::to_string(r.final_tick) + ", final digest " + model::format_digest(r.final_digest) +
         "\n";
  return out;
}

ojson op_results_json(const model::Model& m, const sim::RunResult& r) {
  ojson results = ojson::array();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const model::StepInfo& info = r.steps[i].info;
    if (!info.op_completed) continue;
    ojson j;
    j["step"] = i;
    j["actor"] = info.actor;
    j["op_index"] = info.op_index;
    j["op"] = op_title(m, info);
    j["result"] = info.result;
    results.push_back(j);
  }
  return results;
}

std::string json_output(const model::Model& m, const loader::Scenario& sc, const Trace& trace,
                        const sim::RunResult& r) {
  ojson j;
  j["format"] = "aiomc-run/1";
  j["scenario"] = sc.path;
  j["scenario_digest"] = sc.digest;
  j["variant"] = trace.variant;
  j["seed"] = r.seed;
  j["end"] = end_name(r.end);
  if (!r.error.empty()) j["error"] = r.error;
  j["initial_digest"] = trace.initial_digest;
  j["provenance"] = provenance_json(provenance());
  j["steps"] = ojson::array();
  for (const TraceStep& s : trace.steps) j["steps"].push_back(trace_step_json(s));
  j["results"] = op_results_json(m, r);
  j["violations"] = ojson::array();
  for (const model::Violation& v : r.violations)
    j["violations"].push_back(ojson{{"invariant", model::inv_name(v.invariant)},
                                    {"message", v.message},
                                    {"step", r.violation_step}});
  j["final_tick"] = r.final_tick;
  j["final_digest"] = model::format_digest(r.final_digest);
  return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace

int run_command(const RunCommandOptions& opts, std::ostream& out, std::ostream& err) {
  loader::Scenario sc;
  ResolvedVariants variants;
  model::Config config;
  std::string problem = load_configured(opts.scenario, opts.variants, sc, variants, config);
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  for (const std::string& w : sc.warnings) err << "aiomc: warning: " << w << "\n";
  const model::Model m(sc.program, config);
  if (opts.runs == 0 || (opts.runs > 1 && !opts.trace_file.empty())) {
    err << "aiomc: " << (opts.runs == 0 ? "--runs: expected a number of runs above 0"
                                         : "--trace records one run: it cannot be used with --runs above 1")
        << "\n";
    return kExitBadInput;
  }
  if (opts.runs > 1 && !opts.schedule.empty()) {
    err << "aiomc: --schedule runs one schedule: it cannot be used with --runs above 1\n";
    return kExitBadInput;
  }
  if (opts.runs > 1) return run_batch(m, sc, variants, opts, out, err);
  sim::RunOptions ro;
  ro.seed = opts.seed;
  ro.max_steps = opts.max_steps;
  std::vector<ScheduleItem> items;
  if (!opts.schedule.empty()) {
    problem = parse_schedule(m, opts.schedule, items);
    if (!problem.empty()) {
      err << "aiomc: " << problem << "\n";
      return kExitBadInput;
    }
  }
  ScheduleChooser chooser(m, items);
  if (!items.empty())
    ro.choose = [&chooser](const model::State& st, const std::vector<model::Successor>& succ) {
      return chooser.choose(st, succ);
    };
  // For the test suite: AIOMC_TEST_FAULT_STEP=N makes the N-th step fail as a model
  // failure would (see AIOMC_TEST_FAULT_STATE for check).
  if (const char* fault = std::getenv("AIOMC_TEST_FAULT_STEP")) ro.test_fault_step = std::strtoull(fault, nullptr, 10);
  const sim::RunResult r = sim::run(m, ro);
  Trace trace = trace_from_run(sc, variants.ids, r);
  if (!opts.trace_file.empty()) {
    trace.scenario_from_trace = scenario_relative_to_trace(sc.path, opts.trace_file);
    problem = write_text_file(opts.trace_file, trace_to_json_text(trace));
    if (!problem.empty()) {
      err << "aiomc: " << problem << "\n";
      return kExitBadInput;
    }
  }
  out << (opts.json ? json_output(m, sc, trace, r) : text_output(m, sc, trace, r, opts));
  int code = exit_of(r);
  if (!items.empty() && !chooser.complete() && r.end != sim::RunEnd::error && r.end != sim::RunEnd::max_steps) {
    out << (r.end == sim::RunEnd::stopped ? "stopped: " : "the run ended before the schedule did: ")
        << (chooser.failure().empty() ? "schedule item " + std::to_string(chooser.next_item() + 1) + " was not reached\n"
                                      : chooser.failure());
    code = kExitFailed;
  } else if (!items.empty() && (r.end == sim::RunEnd::stopped || r.end == sim::RunEnd::terminal)) {
    out << "the schedule is complete (" << items.size() << " items)\n";
    code = r.violations.empty() ? kExitOk : kExitFailed;
  }
  out.flush();
  if (r.end == sim::RunEnd::error) {
    std::string what = r.error;
    if (what.rfind("aiomc internal error: ", 0) == 0) what.erase(0, 22);
    err << "aiomc: internal error after step " << r.steps.size() << ": " << what
        << (opts.trace_file.empty() ? "" : " (the trace up to it: " + opts.trace_file + ")") << "\n";
  }
  return code;
}

}  // namespace aiomc::report
