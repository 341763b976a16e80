// The causal slice of a counterexample (an approximation, from what the steps wrote):
// the violating step, every step that wrote a state field the violation's message
// names (`knote#0`, `lio#0`, `job.a`, a thread such as `app/main`), and, when the
// violating step itself wrote no shared field, the step its actor ran before it.
// Marked `*` in the message-sequence views of `check`, `reproduce` and `replay`.
#pragma once

#include <string>
#include <vector>

#include "report/sequence_view.hpp"

namespace aiomc::report {

// `violation_step`: the violating step, or steps.size() for a violation of the final
// state (then the last step of every user thread the message names starts the slice).
std::vector<bool> causal_slice(const model::Model& m, const std::vector<SequenceStep>& steps, int violation_step,
                               const std::string& message);

// "causal slice: 8 of 19 steps (marked *): 3 5 6 11 14 16 17 18"
std::string causal_slice_text(const std::vector<bool>& slice);

}  // namespace aiomc::report
