// `aiomc replay`: re-executes a trace step by step from its scenario, proving each
// step reaches the recorded state (digest), by the recorded actor and action, and
// that the recorded violation happens where the trace says. Prints every step with
// the state fields it changed. Exit 0 all matched, 1 diverged, 2 bad input.
#include <algorithm>

#include "model/model.hpp"
#include "replay/engine.hpp"
#include "model/steps.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/scenario_setup.hpp"

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
  std::string step(std::size_t i, replay::Engine& engine, std::vector<std::string>& described) const;
  std::string check_quiescent(replay::Engine& engine) const;
  std::string check_loop(replay::Engine& engine) const;
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

std::string Replayer::step(std::size_t i, replay::Engine& engine,
                           std::vector<std::string>& described) const {
  const TraceStep& rec = trace.steps[i];
  const std::size_t enabled = engine.enabled().size();
  if (rec.choice < 0 || rec.choice >= static_cast<std::int64_t>(enabled))
    return "choice " + std::to_string(rec.choice) + " is not an enabled step (" +
           std::to_string(enabled) + " enabled)";
  replay::Taken taken = engine.take(static_cast<std::size_t>(rec.choice));
  const model::InvSet& violated = taken.violated;
  const model::StepInfo& info = taken.info;
  const std::string digest = model::format_digest(engine.digest());
  std::vector<std::string> after = m.describe(engine.state());
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
  // A lasso's path may go past safety violations (liveness does not prune, S25).
  if (!violated.empty() && !trace.loop_start && (!trace.violation || static_cast<int>(i) < trace.violation->step))
    diff +=
        "; replayed a violation the trace does not record here: " + violated_text(violated, info);
  return diff.empty() ? "" : diff.substr(2);
}

std::string Replayer::check_quiescent(replay::Engine& engine) const {
  std::vector<model::Violation> messages;
  const model::InvSet q = engine.end_violations(&messages);
  if (q.has(*invariant)) return "";
  std::string found = q.empty() ? "none" : violated_text(q, model::StepInfo{});
  return "the trace records a violation of " + trace.violation->invariant +
         " in the final state, replayed " + found;
}

// A lasso closes: the state after the last step is the one at loop_start (same
// digest); an empty cycle: nothing is enabled in the final state.
std::string Replayer::check_loop(replay::Engine& engine) const {
  const std::size_t ls = static_cast<std::size_t>(*trace.loop_start);
  if (ls == trace.steps.size()) {
    const std::size_t enabled = engine.enabled().size();
    if (enabled == 0) return "";
    return "the lasso's cycle is empty, but " + std::to_string(enabled) + " steps are enabled in the final state";
  }
  const std::string at_loop = ls == 0 ? trace.initial_digest : trace.steps[ls - 1].digest;
  const std::string last = model::format_digest(engine.digest());
  if (last == at_loop) return "";
  return "the cycle does not close: the final state is " + last + ", the state at loop_start " +
         std::to_string(ls) + " is " + at_loop;
}

std::string Replayer::run() const {
  replay::Engine engine(m);
  const std::string initial = model::format_digest(engine.digest());
  if (initial != trace.initial_digest)
    return "initial state: digest recorded " + trace.initial_digest + ", replayed " + initial;
  std::vector<std::string> described = m.describe(engine.state());
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    if (trace.loop_start && static_cast<std::size_t>(*trace.loop_start) == i)
      out << "──── cycle: steps " << i << ".." << trace.steps.size() - 1 << " repeat forever ────\n";
    const std::string diff = step(i, engine, described);
    if (!diff.empty()) return "step " + std::to_string(i) + ": " + diff;
  }
  if (trace.loop_start) {
    if (static_cast<std::size_t>(*trace.loop_start) == trace.steps.size())
      out << "──── cycle: empty (nothing can run any more) ────\n";
    return check_loop(engine);
  }
  if (trace.violation && trace.violation->quiescent) return check_quiescent(engine);
  return "";
}

}  // namespace

int replay_command(const ReplayCommandOptions& opts, std::ostream& out, std::ostream& err) {
  Trace trace;
  loader::Scenario sc;
  ResolvedVariants variants;
  model::Config config;
  std::string problem = load_trace_configured(opts.trace_file, opts.scenario, trace, sc, variants, config);
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
  if (trace.provenance) {
    out << "written:  aiomc " << trace.provenance->aiomc_version << ", git " << trace.provenance->git_revision
        << ", catalog " << trace.provenance->catalog_digest << "\n";
    const Provenance here = provenance();
    if (trace.provenance->catalog_digest != here.catalog_digest)
      err << "aiomc: note: " << opts.trace_file << ": written with catalog digest " << trace.provenance->catalog_digest
          << ", this aiomc has " << here.catalog_digest
          << " (steps or variants may differ; a divergence may come from that)\n";
  }
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
  if (trace.violation && trace.loop_start)
    out << "; the lasso closes (cycle from step " << *trace.loop_start << ", "
        << trace.steps.size() - static_cast<std::size_t>(*trace.loop_start) << " steps); "
        << trace.violation->invariant << " violated as recorded";
  else if (trace.violation)
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
