// The replay engine: the one loop that re-executes a schedule. From the initial
// state, each step is chosen by its index among the steps enabled there (the order of
// Model::successors, S20) and applied with a StepInfo. The simulator, the checker's
// counterexample rebuild, `aiomc replay` and the sequence view all drive the model
// through it, so they agree on what a choice means and fail the same way when one
// is not enabled.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace aiomc::replay {

// One step taken: which, and what it did.
struct Taken {
  model::StepRef step;
  std::size_t choice = 0;
  model::InvSet violated;  // by the step or in the state it reached
  model::StepInfo info;    // empty when taken without a record (Engine::advance)
};

class Engine {
 public:
  // lean (batch simulation): enabled() leaves each successor's `next` unfilled (its
  // step is run on a working copy and undone), and advance() runs the chosen step on
  // the state itself, so no state is copied per enabled step.
  explicit Engine(const model::Model& m, bool lean = false) : m_(m), s_(m.initial()), lean_(lean) {
    if (lean_) work_ = s_;
  }

  const model::Model& model() const { return m_; }
  const model::State& state() const { return s_; }
  std::uint64_t digest() const { return m_.digest(s_); }

  // The steps enabled in the current state, each with the state it leads to (not in
  // a lean engine). Their `violated` has only what the step itself reported: the
  // state invariants are checked when a step is taken (take, advance), on that
  // step's state alone.
  const std::vector<model::Successor>& enabled();

  // Takes enabled step `choice` with a full record. A choice that is not an enabled
  // step ends with std::out_of_range naming it and how many steps were enabled.
  Taken take(std::size_t choice);
  // Moves to enabled step `choice`'s state without a record (the successor already
  // holds it): for batch simulation. Returns what it violated.
  model::InvSet advance(std::size_t choice);

  // Quiescence: no enabled step makes progress (Model::is_progress), so the run or
  // the trace ends here and the end-state invariants apply.
  bool quiescent();
  // The invariants violated in the current state as an end state; messages if given.
  model::InvSet end_violations(std::vector<model::Violation>* messages);

 private:
  void require(std::size_t choice);

  void enabled_in_place();

  const model::Model& m_;
  model::State s_;
  std::vector<model::Successor> succ_;
  bool fresh_ = false;  // succ_ holds the current state's successors
  bool lean_ = false;
  model::State work_;             // lean: the working copy steps are tried on
  std::vector<model::StepRef> cands_;
};

// Whether any of `succ`, the steps enabled in s, makes progress.
bool makes_progress(const model::Model& m, const model::State& s, const std::vector<model::Successor>& succ);

}  // namespace aiomc::replay
