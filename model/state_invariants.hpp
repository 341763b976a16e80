// Invariants of a whole state (structural ones after every step, S3; the
// quiescence ones at terminal states, S14). Event invariants live where the
// kernel posts (S5).
#pragma once

#include <vector>

#include "model/model.hpp"

namespace aiomc::model {

// groups: StateInvGroup bits (model.hpp), the Linux one aside (check_linux_invariants).
void check_state_invariants(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages,
                            unsigned groups = kInvQueues | kInvKnotes);
void check_quiescent_invariants(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages);

}  // namespace aiomc::model

namespace aiomc::model {
// The Linux emulation's invariants (linux_aio_invariants.cpp, S25): linux-ctx-ring
// in every state; linux-reap-once's leak half at terminal states.
void check_linux_invariants(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages);
void check_linux_quiescent(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages);
}  // namespace aiomc::model
