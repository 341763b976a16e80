// Traces (`aiomc-trace/1`, cli-and-reports.md "Trace", semantics.md S20): one recorded
// schedule of a scenario, self-contained enough for `aiomc replay` to re-run it
// without a search. Each step records `choice`, its index in the state-ordered list
// of enabled steps (Model::successors), and the digest of the state after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer.hpp"
#include "loader/scenario.hpp"
#include "report/provenance.hpp"
#include "sim/simulator.hpp"

namespace aiomc::report {

struct TraceStep {
  int i = 0;
  std::string actor;  // "app/main", "aiod:1", "disk:md0", "taskq:aiod_bio", "softclock"
  std::int64_t choice = 0;
  std::string action;  // kernel_function:step
  std::string detail;
  std::string digest;                // 16 lowercase hex digits, the state after the step
  std::optional<std::int64_t> tick;  // `run` traces only: virtual time of the step
  std::string result;                // the op's result when the step completed an op
};

struct TraceViolation {
  std::string invariant;
  // The step that violated it; steps.size() when the violation is of the state after
  // the last step (quiescence: no-deadlock, kevent-delivered), with `quiescent` true.
  int step = 0;
  std::string message;
  bool quiescent = false;
};

struct Trace {
  std::string scenario;               // the scenario's path as it was given
  // The same file as a path relative to the trace's own directory (written by aiomc
  // since issue 9; "" when absent), so `replay` finds it from any working directory.
  std::string scenario_from_trace;
  std::string scenario_digest;        // loader::Scenario::digest
  std::vector<std::string> variant;   // [] for fixed (S19)
  std::optional<std::uint64_t> seed;  // `run`'s seed; nullopt (null) for `check`
  std::string initial_digest;
  bool minimal = false;  // a checker's shortest counterexample
  // A liveness counterexample (a lasso): the index of the cycle's first step; the
  // cycle runs from there to the last step and closes on the state before it (S18).
  // Equal to the number of steps: an empty cycle, the final state can do nothing.
  // The violation is then recorded at step = the number of steps.
  std::optional<int> loop_start;
  std::vector<TraceStep> steps;
  std::optional<TraceViolation> violation;
  // Which aiomc wrote it (report/provenance.hpp; since issue 15): written from this
  // build, read back when present (nullopt for older traces, which replay the same).
  std::optional<Provenance> provenance;
};

// The trace of a simulated run (minimal false, seed set). A run's first violation
// (if any) is the trace's violation.
Trace trace_from_run(const loader::Scenario& scenario, const std::vector<std::string>& variant_ids,
                     const sim::RunResult& run);

// The trace of a checker counterexample after checker::replay_choices (minimal true).
Trace trace_from_counterexample(const loader::Scenario& scenario,
                                const std::vector<std::string>& variant_ids,
                                const checker::Counterexample& cx,
                                const checker::Replayed& replayed);

// The JSON text of a trace: one line per step, keys in the order of the spec.
std::string trace_to_json_text(const Trace& trace);

// Parses and validates a trace. Returns "" on success, otherwise a message for exit 2
// that names the file and the JSON pointer (or line and column for a syntax error).
std::string parse_trace_text(const std::string& text, const std::string& path_for_messages,
                             Trace& out);
std::string read_trace_file(const std::string& path, Trace& out);

// The trace's scenario (trace_setup.cpp): its recorded path, else the path relative to
// the trace file; the first whose digest matches wins. Returns "" or the load error.
std::string find_scenario(const std::string& trace_file, const Trace& trace, loader::Scenario& sc);

// The scenario's path relative to the directory the trace file will be in.
std::string scenario_relative_to_trace(const std::string& scenario_path, const std::string& trace_path);

}  // namespace aiomc::report
