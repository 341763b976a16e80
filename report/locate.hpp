// Locating a counterexample in its scenario file, for SARIF and CI annotations: each
// step's op (a user thread's step ran an op of its thread; other actors' steps have
// none) and the op the violation is blamed on: the violating step's op when a user
// thread took it, else the op of the last user-thread step before it (the syscall
// in progress, e.g. the lio_listio whose member a disk completion finished), else
// (no user-thread step at all) the check that found it.
#pragma once

#include <string>
#include <vector>

#include "checker/explorer.hpp"
#include "loader/scenario.hpp"
#include "model/model.hpp"
#include "report/check_record.hpp"

namespace aiomc::report {

// Fills v.flow, v.pointer and v.line; `check_pointer` is the fallback location.
void locate_violation(const loader::Scenario& sc, const model::Model& m, const checker::Replayed& replayed, const std::string& check_pointer, ViolationRecord& v);

}  // namespace aiomc::report
