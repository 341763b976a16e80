#include "replay/engine.hpp"

#include <stdexcept>

namespace aiomc::replay {

bool makes_progress(const model::Model& m, const model::State& s, const std::vector<model::Successor>& succ) {
  for (const model::Successor& x : succ)
    if (m.is_progress(s, x.step)) return true;
  return false;
}

const std::vector<model::Successor>& Engine::enabled() {
  if (!fresh_) {
    if (lean_)
      enabled_in_place();
    else
      m_.successors(s_, succ_, /*state_invariants=*/false);
    fresh_ = true;
  }
  return succ_;
}

// Model::successors's steps and their own violations, each step run on the working
// copy and undone; `next` is left as it was.
void Engine::enabled_in_place() {
  m_.copy_used(work_, s_);
  m_.candidate_steps(s_, cands_);
  std::size_t n = 0;
  for (const model::StepRef c : cands_) {
    model::InvSet v;
    model::AccessLog log;
    const bool ok = m_.step_in_place(work_, c, &v, log);
    m_.undo_step(work_, s_, log);
    if (!ok) continue;
    if (n == succ_.size()) {
      succ_.push_back(model::Successor{c, s_, v});
    } else {
      succ_[n].step = c;
      succ_[n].violated = v;
    }
    n++;
  }
  succ_.resize(n);
}

void Engine::require(std::size_t choice) {
  enabled();
  if (choice >= succ_.size())
    throw std::out_of_range("choice " + std::to_string(choice) + " is not an enabled step (" +
                            std::to_string(succ_.size()) + " enabled)");
}

Taken Engine::take(std::size_t choice) {
  require(choice);
  Taken t;
  t.step = succ_[choice].step;
  t.choice = choice;
  // Applied again with a StepInfo: the successor holds the state but not the record.
  if (!m_.apply(s_, t.step, &t.violated, &t.info))
    throw std::logic_error("replay: enabled step " + std::to_string(choice) + " could not be applied");
  fresh_ = false;
  return t;
}

model::InvSet Engine::advance(std::size_t choice) {
  require(choice);
  if (lean_) {
    // The chosen step again, on the state itself.
    model::InvSet v;
    model::AccessLog log;
    if (!m_.step_in_place(s_, succ_[choice].step, &v, log))
      throw std::logic_error("simulation: enabled step " + std::to_string(choice) + " could not be run");
    m_.state_violations(s_, v);
    fresh_ = false;
    return v;
  }
  model::InvSet v = succ_[choice].violated;
  m_.state_violations(succ_[choice].next, v);  // deferred by enabled()
  m_.copy_used(s_, succ_[choice].next);  // only what the scenario uses (s_ is a state of it)
  fresh_ = false;
  return v;
}

bool Engine::quiescent() { return !makes_progress(m_, s_, enabled()); }

model::InvSet Engine::end_violations(std::vector<model::Violation>* messages) {
  return m_.quiescent_violations(s_, !quiescent(), messages);
}

}  // namespace aiomc::replay
