// Traces from a simulated run and from a checker counterexample.
#include "report/trace.hpp"

namespace aiomc::report {
namespace {

TraceStep step_of(int i, int choice, const model::StepInfo& info, std::uint64_t digest) {
  TraceStep t;
  t.i = i;
  t.actor = info.actor;
  t.choice = choice;
  t.action = info.action;
  t.detail = info.detail;
  t.digest = model::format_digest(digest);
  if (info.op_completed) t.result = info.result;
  return t;
}

Trace header(const loader::Scenario& scenario, const std::vector<std::string>& variant_ids,
             std::uint64_t initial_digest) {
  Trace t;
  t.scenario = scenario.path;
  t.scenario_digest = scenario.digest;
  t.variant = variant_ids;
  t.initial_digest = model::format_digest(initial_digest);
  t.provenance = provenance();
  return t;
}

}  // namespace

Trace trace_from_run(const loader::Scenario& scenario, const std::vector<std::string>& variant_ids,
                     const sim::RunResult& run) {
  Trace t = header(scenario, variant_ids, run.initial_digest);
  t.seed = run.seed;
  t.minimal = false;
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    const sim::TraceStep& s = run.steps[i];
    t.steps.push_back(step_of(static_cast<int>(i), s.choice, s.info, s.digest));
    t.steps.back().tick = s.tick;
  }
  if (!run.violations.empty() && run.violation_step >= 0) {
    const model::Violation& v = run.violations.front();
    t.violation =
        TraceViolation{std::string(model::inv_name(v.invariant)), run.violation_step, v.message,
                       run.violation_step == static_cast<int>(run.steps.size())};
  }
  return t;
}

Trace trace_from_counterexample(const loader::Scenario& scenario,
                                const std::vector<std::string>& variant_ids,
                                const checker::Counterexample& cx,
                                const checker::Replayed& replayed) {
  Trace t = header(scenario, variant_ids, replayed.initial_digest);
  t.minimal = true;
  for (std::size_t i = 0; i < replayed.steps.size(); ++i) {
    const checker::ReplayedStep& s = replayed.steps[i];
    t.steps.push_back(step_of(static_cast<int>(i), s.choice, s.info, s.digest));
  }
  TraceViolation v;
  v.invariant = std::string(model::inv_name(cx.invariant));
  v.quiescent = cx.quiescent;
  const int n = static_cast<int>(t.steps.size());
  v.step = cx.quiescent || cx.loop_start >= 0 ? n : (n > 0 ? n - 1 : 0);
  if (cx.loop_start >= 0) {
    t.loop_start = cx.loop_start;
    v.quiescent = true;  // the violation is of the whole lasso, recorded after its last step
  }
  for (const model::Violation& viol : replayed.violations)
    if (viol.invariant == cx.invariant) {
      v.message = viol.message;
      break;
    }
  t.violation = v;
  return t;
}

}  // namespace aiomc::report
