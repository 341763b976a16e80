// `aiomc view TRACE --html FILE`: the trace re-executed (as replay does) and drawn as
// one self-contained HTML page (report/html_view.hpp). Exit 0 written, 1 the trace
// does not replay (use `aiomc replay` for where), 2 bad input.
#include <stdexcept>

#include "model/model.hpp"
#include "report/causal_slice.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/files.hpp"
#include "report/html_view.hpp"
#include "report/scenario_setup.hpp"
#include "report/trace.hpp"

namespace aiomc::report {

int view_command(const ViewCommandOptions& opts, std::ostream& out, std::ostream& err) {
  Trace trace;
  loader::Scenario sc;
  ResolvedVariants variants;
  model::Config config;
  std::string problem = load_trace_configured(opts.trace_file, "", trace, sc, variants, config);
  if (problem.empty() && opts.html_file.empty()) problem = "view: --html FILE is required";
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  const model::Model m(sc.program, config);
  std::vector<std::uint8_t> choices;
  for (const TraceStep& st : trace.steps) {
    if (st.choice < 0 || st.choice > 255) {
      err << "aiomc: " << opts.trace_file << ": step " << st.i << " is not an enabled step (aiomc replay says more)\n";
      return kExitFailed;
    }
    choices.push_back(static_cast<std::uint8_t>(st.choice));
  }
  HtmlViewInput in;
  in.title = sc.name + " — " + variant_label(trace.variant, ", ");
  try {
    in.steps = replay_with_changes(m, choices);
  } catch (const std::out_of_range& e) {  // a choice that is not an enabled step
    err << "aiomc: " << opts.trace_file << ": " << e.what() << " (aiomc replay says more)\n";
    return kExitFailed;
  }
  // Lifelines: the user threads, then every other actor that moves.
  std::vector<int> col(static_cast<std::size_t>(m.actor_count()), -1);
  for (int a = 0; a < m.actor_count(); ++a) {
    bool moves = a < m.thread_count();
    for (const SequenceStep& s : in.steps) moves = moves || s.actor == a;
    if (!moves) continue;
    col[static_cast<std::size_t>(a)] = static_cast<int>(in.actors.size());
    in.actors.push_back(m.actor_name(a));
  }
  for (const SequenceStep& s : in.steps) in.columns.push_back(col[static_cast<std::size_t>(s.actor)]);
  in.actor_column = col;
  if (trace.violation) {
    in.violation_step = trace.violation->step;
    in.violation = trace.violation->invariant + ": " + trace.violation->message;
    in.slice = causal_slice(m, in.steps, trace.violation->step, trace.violation->message);
  }
  problem = write_text_file(opts.html_file, html_view(in));
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  out << "wrote " << opts.html_file << ": " << in.steps.size() << " steps, " << in.actors.size() << " lifelines\n";
  return kExitOk;
}

}  // namespace aiomc::report
