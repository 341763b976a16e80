// The exhaustive explorer: breadth-first over every schedule of a scenario on one
// model variant, checking every invariant in every reached state (S19).
//
// Determinism: each BFS level is expanded in parallel, then merged in the
// lexicographic order of the paths that reach its states, so state counts and the
// reported counterexamples (the lexicographically least shortest one per invariant,
// S20) are the same for 1 and N threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace aiomc::checker {

struct Bounds {
  std::uint64_t max_states = 0;  // 0: no bound
  std::uint64_t max_depth = 0;
  double max_seconds = 0;
  std::uint64_t max_memory_mb = 0;
};

struct Options {
  Bounds bounds;
  int threads = 1;
  bool exact = false;     // store canonical states, not only digests (rules out collisions)
  bool progress = false;  // progress lines on stderr (only for runs longer than a second)
};

// A counterexample: the choices from the initial state. The violation happens in
// the last step (`quiescent` false) or in the state after it (`quiescent` true:
// deadlock, kevent-delivered).
struct Counterexample {
  model::Inv invariant;
  std::vector<std::uint8_t> choices;
  bool quiescent = false;
};

struct Stats {
  std::uint64_t states = 0;
  std::uint64_t transitions = 0;
  std::uint64_t max_depth = 0;
  double seconds = 0;
  double states_per_second = 0;
  double bytes_per_state = 0;
  std::string bound_hit;  // "" or "max_states", "max_depth", "max_seconds", "max_memory"
};

enum class Verdict { pass, violation, incomplete };

struct Result {
  Verdict verdict = Verdict::pass;
  std::vector<Counterexample> violations;  // one per violated invariant, ordered by invariant id
  Stats stats;
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
};
Replayed replay_choices(const model::Model& m, const Counterexample& cx);

}  // namespace aiomc::checker
