// The outcome of one scenario × check as `aiomc check` reports it: what the JSON
// report (`aiomc-report/1`), the JUnit XML and the text summary are written from.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer.hpp"

namespace aiomc::report {

// One step of a counterexample as SARIF's codeFlow shows it: who moved, the kernel
// function and section, and (for a user thread's step) the op it ran.
struct FlowStep {
  std::string actor, action, detail, digest;
  std::string pointer;  // the op's JSON pointer; "" for a step no user thread took
  int line = 0;         // the op's line in the scenario file; 0 with no pointer
};

struct ViolationRecord {
  std::string invariant;
  std::string message;
  std::string trace_path;  // "" when no trace was written (no --trace-dir): null in JSON
  std::size_t steps = 0;   // the counterexample's length
  int loop_start = -1;     // a lasso: the index of the cycle's first step
  // Where the violation is located (report/locate.hpp): the op whose step violated it
  // (or the op in progress), else the check; with the counterexample's steps.
  std::string pointer;
  int line = 0;
  std::vector<FlowStep> flow;
};

struct CheckRecord {
  std::string scenario;              // the scenario's path as given
  std::string check_pointer;         // "/checks/0"; "" for --variant or the implied check
  // The check's line in the scenario file (1 for --variant or the implied check); for a
  // file that could not be loaded, the line its message names (0: none).
  int line = 0;
  std::vector<std::string> variant;  // [] for fixed (S19)
  std::string expected;              // "pass", "violation", "incomplete"
  std::optional<std::string> expected_invariant;
  std::string verdict;  // "pass", "violation", "incomplete", "error"
  bool ok = false;
  // verdict "error": what went wrong. `internal` true: a bug in aiomc (exit 70), with
  // the trace of the schedule up to the state whose expansion failed when it could be
  // written; false: the scenario file could not be loaded or checked (exit 2).
  std::string error;
  bool internal = false;
  std::string error_trace;
  std::string incomplete;  // "interrupted" when SIGINT/SIGTERM stopped or skipped it
  std::vector<ViolationRecord> violations;
  checker::Stats stats;
  bool liveness_checked = false;  // S19: the report says whether liveness was checked
};

std::string verdict_name(checker::Verdict v);

}  // namespace aiomc::report
