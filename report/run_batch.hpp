// `aiomc run --runs N`: N seeded schedules (seeds SEED .. SEED+N-1) without per-step
// records, summarised: how the runs ended, each violated invariant with its first
// seed (to reproduce it with `aiomc run --seed`), steps and steps/s.
#pragma once

#include <ostream>

#include "loader/scenario.hpp"
#include "model/model.hpp"
#include "report/commands.hpp"
#include "report/variants.hpp"

namespace aiomc::report {

// Exit: 70 if a run hit an internal error, else 1 if one found a violation, else 3
// if one reached --max-steps, else 0.
int run_batch(const model::Model& m, const loader::Scenario& sc, const ResolvedVariants& variants,
              const RunCommandOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace aiomc::report
