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
    m_.successors(s_, succ_, /*state_invariants=*/false);
    fresh_ = true;
  }
  return succ_;
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
  model::InvSet v = succ_[choice].violated;
  m_.state_violations(succ_[choice].next, v);  // deferred by enabled()
  s_ = succ_[choice].next;
  fresh_ = false;
  return v;
}

bool Engine::quiescent() { return !makes_progress(m_, s_, enabled()); }

model::InvSet Engine::end_violations(std::vector<model::Violation>* messages) {
  return m_.quiescent_violations(s_, !quiescent(), messages);
}

}  // namespace aiomc::replay
