// The discrete-event simulator: one schedule of a scenario in virtual time.
// Untimed steps run at the current tick, chosen by the seeded PRNG; the clock moves
// to the next timed event (bio completion, timeout, idle daemon) only when no untimed
// step is enabled (S11). Same program, config and seed => the same steps, always.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace aiomc::sim {

struct TraceStep {
  std::int64_t tick = 0;
  model::StepRef step;
  int choice = 0;  // index in the state-ordered list of enabled steps (S20)
  model::StepInfo info;
  std::uint64_t digest = 0;
};

// error: the model threw (an internal error, e.g. an assertion); the steps before it
// are kept so the trace up to the failing step can still be written.
// stopped: a chooser (RunOptions::choose) ended the run (its reason is its own).
enum class RunEnd { terminal, violation, max_steps, error, stopped };

struct RunResult {
  std::uint64_t seed = 0;
  std::uint64_t initial_digest = 0;
  std::vector<TraceStep> steps;
  std::vector<model::Violation> violations;  // all violations seen (the run stops at the first step with any)
  int violation_step = -1;                   // index of the step that violated, or steps.size() for quiescence
  RunEnd end = RunEnd::terminal;
  std::int64_t final_tick = 0;
  std::uint64_t final_digest = 0;
  std::string error;  // RunEnd::error: what the model threw
  std::uint64_t step_count = 0;  // steps taken (steps.size() when they are recorded)
};

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint64_t max_steps = 1000000;
  // Test-only: the step with this 1-based number throws as a model failure would
  // (0: never), so the isolation path can be tested without a model bug.
  std::uint64_t test_fault_step = 0;
  // false (batch runs): the same schedule, but no per-step record (steps stays
  // empty, no StepInfo, no per-step digest) and violations without messages.
  bool record = true;
  // A person's schedule instead of the seeded scheduler (aiomc run --schedule): given
  // the state and its enabled steps (Model::successors order), the index of the step
  // to take, or -1 to end the run (RunEnd::stopped; when no step can make progress
  // the quiescence check ends it instead). Asked in every state; a timed step it picks moves the clock to its due
  // time.
  std::function<int(const model::State&, const std::vector<model::Successor>&)> choose;
};

RunResult run(const model::Model& m, const RunOptions& opts);

}  // namespace aiomc::sim
