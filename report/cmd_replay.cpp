// `aiomc replay`: re-executes a trace step by step from its scenario, proving each
// step reaches the recorded state (digest), by the recorded actor and action, and
// that the recorded violation happens where the trace says. Prints every step with
// the state fields it changed. Exit 0 all matched, 1 diverged, 2 bad input.
#include <algorithm>

#include "model/model.hpp"
#include "model/steps.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/scenario_setup.hpp"

#include <filesystem>
#include <optional>
#include "report/state_diff.hpp"
#include "report/causal_slice.hpp"
#include "report/sequence_view.hpp"
#include "report/step_text.hpp"
#include "report/trace.hpp"

namespace aiomc::report {
namespace {

struct Replayer {
  const model::Model& m;
  const Trace& trace;
  std::optional<model::Inv> invariant;  // the recorded violation's
  std::ostream& out;
  std::size_t actor_w = 5;
  std::size_t action_w = 6;

  // Each returns "" when it matched, otherwise what differed.
  std::string run() const;
  std::string step(std::size_t i, model::State& s, std::vector<std::string>& described) const;
  std::string check_quiescent(const model::State& s) const;
  void print(std::size_t i, const model::StepInfo& info, const std::string& digest,
             const std::vector<FieldChange>& changes) const;
};

std::string violated_text(const model::InvSet& v, const model::StepInfo& info) {
  std::string out;
  for (model::Inv i : v.list()) out += (out.empty() ? "" : ", ") + std::string(model::inv_name(i));
  if (!info.violations.empty()) out += " (" + info.violations.front().message + ")";
  return out;
}

void Replayer::print(std::size_t i, const model::StepInfo& info, const std::string& digest,
                     const std::vector<FieldChange>& changes) const {
  std::string line = fit(std::to_string(i), 4) + "  " + fit(info.actor, actor_w) + "  " +
                     fit(info.action, action_w);
  if (!info.detail.empty()) line += "  " + info.detail;
  const std::string result = op_result_text(m, info);
  if (!result.empty()) line += "  " + result;
  // Where the step's function is in vfs_aio.c 1.220 / kern_event.c 1.95.
  const std::optional<int> row = model::find_step(info.action);
  if (row && *model::kSteps[*row].source) line += "  (" + std::string(model::kSteps[*row].source) + ")";
  out << line << "  [" << digest << "]\n";
  for (const FieldChange& c : changes) out << "        " << format_change(c) << "\n";
}

std::string Replayer::step(std::size_t i, model::State& s,
                           std::vector<std::string>& described) const {
  const TraceStep& rec = trace.steps[i];
  std::vector<model::Successor> succ;
  m.successors(s, succ);
  if (rec.choice < 0 || rec.choice >= static_cast<std::int64_t>(succ.size()))
    return "choice " + std::to_string(rec.choice) + " is not an enabled step (" +
           std::to_string(succ.size()) + " enabled)";
  model::InvSet violated;
  model::StepInfo info;
  if (!m.apply(s, succ[static_cast<std::size_t>(rec.choice)].step, &violated, &info))
    throw std::logic_error("replay: an enabled step could not be applied");
  const std::string digest = model::format_digest(m.digest(s));
  std::vector<std::string> after = m.describe(s);
  print(i, info, digest, diff_states(described, after));
  described = std::move(after);
  std::string diff;
  if (info.actor != rec.actor)
    diff += "; actor: recorded " + rec.actor + ", replayed " + info.actor;
  if (info.action != rec.action)
    diff += "; action: recorded " + rec.action + ", replayed " + info.action;
  if (digest != rec.digest) diff += "; digest: recorded " + rec.digest + ", replayed " + digest;
  const bool at_violation = trace.violation && !trace.violation->quiescent &&
                            static_cast<int>(i) == trace.violation->step;
  if (at_violation && !violated.has(*invariant))
    diff += "; the trace records a violation of " + trace.violation->invariant +
            " here, replayed " + (violated.empty() ? "none" : violated_text(violated, info));
  if (!violated.empty() && (!trace.violation || static_cast<int>(i) < trace.violation->step))
    diff +=
        "; replayed a violation the trace does not record here: " + violated_text(violated, info);
  return diff.empty() ? "" : diff.substr(2);
}

std::string Replayer::check_quiescent(const model::State& s) const {
  std::vector<model::Successor> succ;
  m.successors(s, succ);
  bool progress = false;
  for (const model::Successor& x : succ) progress = progress || m.is_progress(s, x.step);
  std::vector<model::Violation> messages;
  const model::InvSet q = m.quiescent_violations(s, progress, &messages);
  if (q.has(*invariant)) return "";
  std::string found = q.empty() ? "none" : violated_text(q, model::StepInfo{});
  return "the trace records a violation of " + trace.violation->invariant +
         " in the final state, replayed " + found;
}

std::string Replayer::run() const {
  model::State s = m.initial();
  const std::string initial = model::format_digest(m.digest(s));
  if (initial != trace.initial_digest)
    return "initial state: digest recorded " + trace.initial_digest + ", replayed " + initial;
  std::vector<std::string> described = m.describe(s);
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const std::string diff = step(i, s, described);
    if (!diff.empty()) return "step " + std::to_string(i) + ": " + diff;
  }
  if (trace.violation && trace.violation->quiescent) return check_quiescent(s);
  return "";
}

}  // namespace

// The trace's scenario: its path as recorded (relative to the working directory of
// the run that wrote it), else the path relative to the trace's own directory; the
// first whose digest matches wins, else the first that loads (replay then reports the
// digest mismatch).
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

int replay_command(const ReplayCommandOptions& opts, std::ostream& out, std::ostream& err) {
  Trace trace;
  loader::Scenario sc;
  ResolvedVariants variants;
  model::Config config;
  std::string problem = read_trace_file(opts.trace_file, trace);
  if (problem.empty()) problem = opts.scenario.empty() ? find_scenario(opts.trace_file, trace, sc) : load_scenario(opts.scenario, sc);
  if (problem.empty()) problem = configure(sc, trace.variant, variants, config);
  std::optional<model::Inv> inv;
  if (problem.empty() && trace.violation) {
    inv = model::inv_from_name(trace.violation->invariant);
    if (!inv)
      problem = opts.trace_file + ": /violation/invariant: unknown invariant '" +
                trace.violation->invariant + "'";
  }
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  out << "trace:    " << opts.trace_file << (trace.minimal ? " (shortest counterexample)" : "")
      << "\n"
      << "scenario: " << sc.path << " (" << sc.name << ")\n"
      << "variant:  " << variant_label(trace.variant, ", ") << "\n";
  if (trace.seed) out << "seed:     " << *trace.seed << "\n";
  if (sc.digest != trace.scenario_digest) {
    out << "DIVERGED: the scenario is not the one the trace was recorded from (scenario_digest "
        << trace.scenario_digest << ", file digest " << sc.digest << ")\n";
    return kExitFailed;
  }
  out << "\n";
  const model::Model m(sc.program, config);
  Replayer r{m, trace, inv, out};
  for (const TraceStep& s : trace.steps) {
    r.actor_w = std::max(r.actor_w, text_width(s.actor));
    r.action_w = std::max(r.action_w, std::min<std::size_t>(40, text_width(s.action)));
  }
  const std::string diff = r.run();
  if (!diff.empty()) {
    out << "DIVERGED at " << diff << "\n";
    return kExitFailed;
  }
  out << "\nmatched: " << trace.steps.size() << " steps, every digest as recorded";
  if (trace.violation)
    out << "; " << trace.violation->invariant << " violated "
        << (trace.violation->quiescent ? "in the final state"
                                       : "at step " + std::to_string(trace.violation->step))
        << " as recorded";
  out << "\n";
  // The same column view as `check`, with the causal slice of the violation.
  std::vector<std::uint8_t> choices;
  for (const TraceStep& st : trace.steps) choices.push_back(static_cast<std::uint8_t>(st.choice));
  const std::vector<SequenceStep> steps = replay_with_changes(m, choices);
  std::vector<bool> slice;
  std::string ending;
  if (trace.violation) {
    slice = causal_slice(m, steps, trace.violation->step, trace.violation->message);
    ending = "✗ " + trace.violation->invariant + (trace.violation->quiescent ? " (in the final state)" : "") + ": " +
             trace.violation->message;
  }
  out << "\n" << sequence_view(m, steps, ending, slice);
  if (trace.violation) out << "     " << causal_slice_text(slice) << "\n";
  return kExitOk;
}

}  // namespace aiomc::report
