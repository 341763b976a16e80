// The exhaustive explorer: breadth-first over every schedule of a scenario on one
// model variant, checking every invariant in every reached state (S19).
//
// Determinism: each BFS level is expanded in parallel; in fingerprint mode the
// workers insert into one shared table as they go (a state keeps the least path that
// reaches it, whichever worker got there first), in exact mode the level's new states
// are merged between levels; either way the next level is numbered in the
// lexicographic order of the paths that reach its states, so state counts and the
// reported counterexamples (the lexicographically least shortest one per invariant,
// S20) are the same for 1 and N threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checker/liveness.hpp"
#include "model/model.hpp"

namespace aiomc::checker {

struct Bounds {
  std::uint64_t max_states = 0;  // 0: no bound
  std::uint64_t max_depth = 0;
  double max_seconds = 0;
  std::uint64_t max_memory_mb = 0;
};

// Worker threads per search: more are clamped to this (the CLI refuses them).
inline constexpr int kMaxThreads = 256;

struct Options {
  Bounds bounds;
  int threads = 1;
  // Store canonical states, not only 64-bit digests (rules out collisions). The
  // default is the fingerprint table (8 bytes a slot + a 5-byte parent link).
  bool exact = false;
  // Reductions (issue 12): symmetry of interchangeable AIO daemons and of job slots
  // (states stored once per class of renamings, model/symmetry.cpp). Off in the library by default; the CLI
  // turns it on unless --reductions off. Verdicts, violated invariants and the
  // counterexamples (shortest, lexicographically least) are the same either way.
  bool reductions = false;
  bool progress = false;  // progress lines on a terminal's stderr (runs longer than a second)
  // A progress line on stderr every this many seconds, terminal or not (0: terminal only).
  double progress_seconds = 0;
  // What is left of a total time budget over several searches (0: none); the bound
  // hit is then "max_total_seconds".
  double budget_seconds = 0;
  // Set from a signal handler: the search stops at the end of the current level
  // (bound_hit "interrupted").
  const std::atomic<bool>* interrupt = nullptr;
  // S25: stop at the end of the BFS level where a violation of `stop_invariant`
  // (any invariant when -1) was found; Stats::violations_complete is then false.
  bool stop_when_found = false;
  int stop_invariant = -1;
  // Liveness (S18, S25): record the state graph (tainted copies of states reached
  // through a safety violation included, so the graph goes past them while the
  // safety verdicts stay those of the pruned search) and look for fair cycles and
  // terminal states where an obligation stays open. Early stop is off.
  bool liveness = false;
  // With liveness: hand the state graph back in Result::graph (`aiomc graph`).
  bool keep_graph = false;
  // Safety searches with fingerprints run steps in place on a working copy of the
  // parent and undo them (model/in_place_steps.cpp); false takes the path that copies
  // each successor whole (the tests compare the two).
  bool in_place = true;
  // Depth-first (checker/depth_first.hpp): a safety search with fingerprints runs
  // depth-first, with no frontier and no parent links, and when it ends with no
  // violation, no error and no state or depth bound hit, its verdict, states and
  // transitions are the breadth-first search's (the same reachable set); anything
  // else is searched again breadth-first, whose result is reported (the shortest,
  // lexicographically least counterexamples, S20). Its max_depth is the longest
  // path it took, not the breadth-first depth.
  bool depth_first = false;
  // Tests only: expanding the state with this node number (> 0) throws std::logic_error.
  std::uint64_t test_fault_state = 0;
};

// A counterexample: the choices from the initial state. The violation happens in
// the last step (`quiescent` false) or in the state after it (`quiescent` true:
// deadlock, kevent-delivered).
// A liveness counterexample is a lasso: `choices` are the prefix and then the cycle,
// which starts at index `loop_start` (== choices.size() for a terminal state where
// the obligation stays open: an empty cycle); `obligation` is the open obligation's
// bit (model/liveness.hpp).
struct Counterexample {
  model::Inv invariant{};
  std::vector<std::uint8_t> choices;
  bool quiescent = false;
  int loop_start = -1;  // -1: a safety counterexample
  int obligation = -1;
};

struct Stats {
  std::uint64_t states = 0;
  std::uint64_t transitions = 0;
  std::uint64_t max_depth = 0;
  double seconds = 0;
  double states_per_second = 0;
  double bytes_per_state = 0;         // the visited set (table, keys, parent links) per state
  double search_bytes_per_state = 0;  // everything the search held at its peak, per state
  std::uint64_t peak_bytes = 0;       // that peak
  // Fingerprint mode: an upper bound on the probability that two distinct states
  // shared a 64-bit digest, so that one of them was never explored (0 with --exact).
  double collision_probability = 0;
  // "" or "max_states", "max_depth", "max_seconds", "max_total_seconds", "max_memory",
  // "interrupted"
  std::string bound_hit;
  bool reductions = false;  // the search ran with Options::reductions
  // With reductions: what the model's canonical forms fold, in words (the report
  // fills it from Model::reductions_applied; empty: nothing in this scenario).
  std::vector<std::string> reductions_applied;
  bool violations_complete = true;  // false: stopped early once the expected violation was found
  // "bfs" or "dfs": the search whose result this is; with Options::depth_first and a
  // breadth-first result, why the depth-first search was not enough.
  std::string search = "bfs";
  std::string search_note;
  // Liveness: whether it was checked, the state graph's size (vertices are the states
  // above), its CSR's bytes per edge, its strongly connected components, and the time
  // the analysis after the search took.
  bool liveness_checked = false;
  std::uint64_t graph_edges = 0;
  double graph_bytes_per_edge = 0;
  std::uint64_t graph_sccs = 0;
  double liveness_seconds = 0;
};

enum class Verdict { pass, violation, incomplete, error };

// The state graph for `aiomc graph`: edges, each node's parent link (BFS tree), its
// strongly connected component, and the obligations open in it.
struct ExportedGraph {
  std::vector<GraphEdge> edges;
  std::vector<std::uint32_t> parent;
  std::vector<std::uint8_t> choice;
  std::vector<std::uint32_t> component;
  std::vector<std::uint64_t> obligations;
};

struct Result {
  Verdict verdict = Verdict::pass;
  std::vector<Counterexample> violations;  // one per violated invariant, ordered by invariant id
  Stats stats;
  // Verdict::error: what the model threw, and the choices that reach the state whose
  // expansion threw.
  std::string error;
  std::uint32_t error_node = 0;
  std::vector<std::uint8_t> error_choices;
  ExportedGraph graph;  // Options::keep_graph only
};

Result explore(const model::Model& m, const Options& opts);

// Re-executes a counterexample, filling each step's info and digest; the last
// entry of `infos` carries the violation messages.
struct ReplayedStep {
  model::StepRef step;
  int choice = 0;
  model::StepInfo info;
  std::uint64_t digest = 0;
};
struct Replayed {
  std::uint64_t initial_digest = 0;
  std::vector<ReplayedStep> steps;
  std::vector<model::Violation> violations;  // of the counterexample's invariant, with messages
  // A lasso: whether the cycle closes (the state after the last step is the state at
  // loop_start; for an empty cycle, that no step is enabled there).
  bool loop_closes = false;
};
Replayed replay_choices(const model::Model& m, const Counterexample& cx);

}  // namespace aiomc::checker
