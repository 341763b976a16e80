// Naming steps the way people write them: actor names ("app/main", "main",
// "aiod:1", patterns "aiod:*"), kernel functions with an optional section
// ("kqueue_close", "kqueue_close:scan"), the step an enabled successor would take,
// and why an actor cannot move. Shared by `run --schedule` and `reproduce`.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace aiomc::report {

// Whether `pattern` names the actor: its full name ("app/main"), its thread name
// without the process ("main") when that is unique, or a glob with a trailing `*`
// ("aiod:*", "app/*", "*").
bool actor_matches(const model::Model& m, const std::string& pattern, int actor);
// The actors `pattern` names, lowest first.
std::vector<int> actors_named(const model::Model& m, const std::string& pattern);

// Whether a step that ran `info` is `spec`: "" (any), a kernel function
// ("kqueue_close": any of its sections) or "function:section"; a step that ran
// several sections (folded ones) matches any of them.
bool action_matches(const std::string& spec, const model::StepInfo& info);
// Whether `spec` names a function or a function:section of the steps table.
bool action_known(const std::string& spec);

// What the enabled step `step` would do from `s` (applied to a copy).
model::StepInfo step_info_of(const model::Model& m, const model::State& s, model::StepRef step);

// Why `actor` has no enabled step in `s`: the lock it waits for and its holder, the
// sleep channel, or that it has finished.
std::string why_not_enabled(const model::Model& m, const model::State& s, int actor);

// The actors with an enabled step, as "app/main, aiod:1".
std::string enabled_actors_text(const model::Model& m, const std::vector<model::Successor>& succ);

}  // namespace aiomc::report
