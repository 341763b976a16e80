// The text timeline of `aiomc run`: one line per step with the tick, the actor, the
// kernel_function:step, the detail and, when the step completed an op, its result.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"
#include "sim/simulator.hpp"

namespace aiomc::report {

std::string run_timeline(const model::Model& m, const std::vector<sim::TraceStep>& steps);

}  // namespace aiomc::report
