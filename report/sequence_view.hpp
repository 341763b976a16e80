// The message-sequence view of a counterexample: one column per actor (the user
// threads, then every daemon, disk, taskqueue or softclock that moves), one row per
// step with its action in its actor's column, the detail and the op's result, and
// under each row the state fields the step changed (Model::describe before/after).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "report/state_diff.hpp"

namespace aiomc::report {

struct SequenceStep {
  int actor = 0;  // the model's actor index
  model::StepInfo info;
  std::vector<FieldChange> changes;
};

// Re-executes `choices` from the initial state (Model::successors, take the index,
// Model::apply), recording what each step did and changed.
// Throws std::logic_error if a choice is not an enabled step: the caller got the
// choices from the checker, so that is a bug in aiomc.
std::vector<SequenceStep> replay_with_changes(const model::Model& m,
                                              const std::vector<std::uint8_t>& choices);

// The view; `ending` (e.g. "✗ lio-notify-exact: ...") is printed after the last row.
// `slice` (report/causal_slice.hpp), if not empty: its steps are marked `*`.
std::string sequence_view(const model::Model& m, const std::vector<SequenceStep>& steps,
                          const std::string& ending, const std::vector<bool>& slice = {});

}  // namespace aiomc::report
