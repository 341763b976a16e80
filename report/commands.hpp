// The aiomc subcommands as library functions (cli-and-reports.md). cli/main.cpp fills
// one options struct per subcommand and calls one of these; the core never sees argv.
// Each writes its results to `out`, its diagnostics ("aiomc: ...") to `err`, and
// returns the exit code (report/exit_codes.hpp). The model may throw
// std::logic_error on an internal error: the caller turns that into exit 70.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace aiomc::report {

// aiomc run SCENARIO [--variant V]... [--seed N] [--trace FILE] [--json] [--max-steps N]
struct RunCommandOptions {
  std::string scenario;
  std::vector<std::string> variants;  // ids; empty = fixed
  std::uint64_t seed = 1;
  std::string trace_file;  // "" = no trace
  bool json = false;       // a JSON object on `out` instead of the text timeline
  std::uint64_t max_steps = 1000000;
  // > 1: a batch of runs with seeds seed, seed+1, ...: a summary instead of a timeline
  // (no --trace), with steps/s.
  std::uint64_t runs = 1;
  // A person's schedule instead of the seeded scheduler (report/schedule.hpp); ""
  // none. Exit 1 when an item is not enabled (with why) or the run ends before it.
  std::string schedule;
};
int run_command(const RunCommandOptions& opts, std::ostream& out, std::ostream& err);

// aiomc check SCENARIO|DIR... [--variant V]... [--report FILE] [--junit FILE]
//   [--trace-dir DIR] [--max-states N] [--max-depth N] [--max-seconds S] [--threads N]
//   [--stats] [--quiet] [--exact] [--reductions on|off] [--search bfs|dfs|auto]
struct CheckCommandOptions {
  std::vector<std::string> inputs;    // files and directories (every *.json below, sorted)
  std::vector<std::string> variants;  // empty: run each scenario's own checks
  std::string report_file, junit_file, trace_dir;
  std::string sarif_file;  // SARIF 2.1.0 (report/sarif.hpp); "" = none
  std::string annotate;    // "github": workflow-command annotations on `out` (report/annotate.hpp)
  // Unset: the scenario's "bounds", else no bound.
  std::optional<std::uint64_t> max_states, max_depth;
  std::optional<double> max_seconds;
  std::optional<double> max_total_seconds;   // a budget over all checks of the run
  std::optional<std::uint64_t> max_memory_mb;  // unset: three quarters of physical memory
  double progress_seconds = 0;  // a progress line on stderr every so often (0: on a terminal only)
  bool all_violations = false;  // S25: do not stop once the expected violation is found
  int threads = 0;     // 0: std::thread::hardware_concurrency()
  bool stats = false;  // states, transitions, depth, time, states/s, bytes/state per check
  bool quiet = false;  // only checks that are not ok, no message-sequence views
  bool exact = false;  // the checker keeps canonical states (no digest collisions)
  // Liveness under fairness (S18) for every check; it is on anyway for the checks of a
  // scenario whose checks name a liveness invariant.
  bool liveness = false;
  bool reductions = true;  // issue 12: daemon symmetry (off: every concrete state is stored)
  bool in_place = true;    // successors stepped in place and undone (false: a copy of each)
  // "bfs": breadth-first; "dfs": depth-first first (checker/depth_first.hpp), breadth-
  // first again when it meets a violation or a bound; "auto" (the default): dfs for
  // the checks that expect "pass", bfs for the rest.
  std::string search = "auto";
};
int check_command(const CheckCommandOptions& opts, std::ostream& out, std::ostream& err);

// aiomc replay TRACE [--scenario FILE]
struct ReplayCommandOptions {
  std::string trace_file;
  std::string scenario;  // "" = the trace's "scenario" path
};
int replay_command(const ReplayCommandOptions& opts, std::ostream& out, std::ostream& err);

// aiomc reproduce SCENARIO ORDER [--variant V]... [--trace FILE] [--max-states N]
// (report/order.hpp, docs/order-format.md)
struct ReproduceCommandOptions {
  std::string scenario;
  std::string order;                  // aiomc-order/1 JSON or the text format
  std::vector<std::string> variants;  // ids; empty = fixed
  std::string trace_file;             // "" = no trace
  std::uint64_t max_states = 2000000;
};
int reproduce_command(const ReproduceCommandOptions& opts, std::ostream& out, std::ostream& err);

// aiomc view TRACE --html FILE (report/html_view.hpp)
struct ViewCommandOptions {
  std::string trace_file;
  std::string html_file;
};
int view_command(const ViewCommandOptions& opts, std::ostream& out, std::ostream& err);

// aiomc graph SCENARIO [--variant V]... --dot FILE [--max-states N]
struct GraphCommandOptions {
  std::string scenario;
  std::vector<std::string> variants;  // empty = fixed
  std::string dot_file;
  std::uint64_t max_states = 2000;  // above: refused with exit 3
};
int graph_command(const GraphCommandOptions& opts, std::ostream& out, std::ostream& err);

// aiomc list invariants|variants|ops|limits
struct ListCommandOptions {
  std::string what;
};
int list_command(const ListCommandOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace aiomc::report
