// Which knlist a knote hangs on: a job's, a list's, or a socket's/pipe's si_note,
// chosen by the knote's filter. One lookup for the kernel steps and the state checks.
#pragma once

#include <cstdint>

#include "model/program.hpp"
#include "model/state.hpp"

namespace aiomc::model {

// StateT is State or const State; `owner` is the knote's kn_knlist (job, lio or object).
template <class StateT>
auto& knlist_of(StateT& s, std::uint8_t filter, int owner) {
  if (filter == kFilterAio) return s.jobs[owner].klist;
  if (filter == kFilterLio) return s.lios[owner].klist;
  return s.socks[owner].si_note;
}

}  // namespace aiomc::model
