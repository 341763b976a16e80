// `aiomc reproduce SCENARIO ORDER`: the shortest schedule in which a reported order
// of kernel events happens (report/order_search.hpp), as a replayable trace with the
// invariants it violates, or why the model says it cannot happen. Exit codes as for
// `check` (S25): 0 the order happens without a violation, 1 it happens with one or
// is impossible, 2 bad input, 3 --max-states hit first.
#include "checker/explorer.hpp"
#include "model/model.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/files.hpp"
#include "report/order.hpp"
#include "report/order_search.hpp"
#include "report/scenario_setup.hpp"
#include "report/sequence_view.hpp"
#include "report/causal_slice.hpp"
#include "report/trace.hpp"
#include "report/trace_json.hpp"

namespace aiomc::report {
namespace {

std::string events_text(const Order& o, const OrderSearchResult& r) {
  std::string out;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const OrderEvent& e = o.events[static_cast<std::size_t>(r.events[i])];
    out += "  step " + std::to_string(r.event_steps[i]) + ": " + e.id + " " + e.text() + "\n";
  }
  return out;
}

}  // namespace

int reproduce_command(const ReproduceCommandOptions& opts, std::ostream& out, std::ostream& err) {
  loader::Scenario sc;
  ResolvedVariants variants;
  model::Config config;
  std::string problem = load_configured(opts.scenario, opts.variants, sc, variants, config);
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  const model::Model m(sc.program, config);
  Order order;
  problem = read_order_file(opts.order, m, order);
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  if (opts.max_states == 0) {
    err << "aiomc: --max-states: expected a number above 0\n";
    return kExitBadInput;
  }
  OrderSearchOptions so;
  so.max_states = opts.max_states;
  const OrderSearchResult r = search_order(m, order, so);

  out << "scenario: " << sc.path << " (" << sc.name << ")\n";
  out << "variant:  " << variant_label(variants.ids, ", ") << "\n";
  out << "order:    " << order.path << " (" << order.events.size() << " events, " << order.before.size()
      << " before edges)\n";
  out << "searched: " << r.states << " states, " << r.transitions << " transitions\n\n";
  const std::string schedule_len = std::to_string(r.choices.size()) + " steps";
  int code = kExitFailed;
  if (r.verdict == OrderVerdict::reproduced || r.verdict == OrderVerdict::reached) {
    checker::Counterexample cx{r.invariant, r.choices, r.quiescent};
    const checker::Replayed replayed = checker::replay_choices(m, cx);
    Trace trace = trace_from_counterexample(sc, variants.ids, cx, replayed);
    trace.minimal = false;
    std::string ending;
    if (r.verdict == OrderVerdict::reproduced) {
      out << "verdict: reproduced in " << schedule_len << "\n" << events_text(order, r);
      const std::string where = r.quiescent ? "in the state after step " + std::to_string(r.choices.size() - 1)
                                            : "at step " + std::to_string(r.violation_step);
      const std::vector<model::Violation>& step_msgs =
          r.quiescent ? replayed.violations : replayed.steps[static_cast<std::size_t>(r.violation_step)].info.violations;
      for (model::Inv inv : r.violated) {
        std::string msg;
        for (const model::Violation& v : step_msgs)
          if (v.invariant == inv && msg.empty()) msg = v.message;
        out << "violates " << model::inv_name(inv) << " " << where << (msg.empty() ? "" : ": " + msg) << "\n";
        ending += (ending.empty() ? "✗ " : "\n     ✗ ") + std::string(model::inv_name(inv)) + (msg.empty() ? "" : ": " + msg);
        if (inv == r.invariant) trace.violation = TraceViolation{std::string(model::inv_name(inv)), r.violation_step, msg, r.quiescent};
      }
      if (!r.quiescent && r.violation_step + 1 < static_cast<int>(r.choices.size()))
        ending += "\n     (at step " + std::to_string(r.violation_step) + "; the order completes at step " +
                  std::to_string(r.choices.size() - 1) + ")";
      code = kExitFailed;
    } else {
      trace.violation.reset();
      out << "verdict: reached in " << schedule_len << ", with no invariant violated on any schedule that has the order\n"
          << events_text(order, r);
      code = kExitOk;
    }
    const std::vector<SequenceStep> steps = replay_with_changes(m, r.choices);
    std::vector<bool> slice;
    if (r.verdict == OrderVerdict::reproduced)
      slice = causal_slice(m, steps, r.violation_step, trace.violation ? trace.violation->message : "");
    out << "\n" << sequence_view(m, steps, ending, slice);
    if (!slice.empty()) out << "     " << causal_slice_text(slice) << "\n";
    if (!opts.trace_file.empty()) {
      trace.scenario_from_trace = scenario_relative_to_trace(sc.path, opts.trace_file);
      problem = write_text_file(opts.trace_file, trace_to_json_text(trace));
      if (!problem.empty()) {
        err << "aiomc: " << problem << "\n";
        return kExitBadInput;
      }
      out << "trace: " << opts.trace_file << " (aiomc replay " << opts.trace_file << ")\n";
    } else {
      out << "trace: not written (--trace FILE writes it, replayable with aiomc replay)\n";
    }
    return code;
  }
  out << (r.verdict == OrderVerdict::bound
              ? "verdict: unknown: --max-states " + std::to_string(opts.max_states) + " reached before the order happened\n"
              : "verdict: impossible: no schedule has the order\n");
  out << "longest satisfiable prefix: " << r.events.size() << " of " << order.events.size() << " events, in "
      << schedule_len << "\n"
      << events_text(order, r);
  if (r.first_missing >= 0) {
    const OrderEvent& e = order.events[static_cast<std::size_t>(r.first_missing)];
    out << "first event that cannot happen: " << e.id << " " << e.text() << " (" << e.where << ")\n";
    for (const std::string& why : r.reasons) out << "  " << why << "\n";
  }
  return r.verdict == OrderVerdict::bound ? kExitIncomplete : kExitFailed;
}

}  // namespace aiomc::report
