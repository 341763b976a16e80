// What one step wrote, at the granularity of the steps table's write column
// (WriteKind): found by comparing the state before and after, object by object.
// The test suite checks every step against its declared write set with it; a
// reduction can use it as the step's dynamic write set.
#pragma once

#include <cstdint>

#include "model/model.hpp"

namespace aiomc::model {

std::uint32_t written_kinds(const Model& m, const State& before, const State& after, int actor);
// The objects and global fields a step changed, entry by entry (access_log.hpp's
// granularity): every one of them must be among those the step touched.
AccessLog written_objects(const State& before, const State& after);
// What a step touched (StepInfo::touched), as the steps table's kind bits (WriteKind,
// which the reads column shares): the actor's own process, thread or daemon apart
// from the others; the Linux emulation's state as one object.
std::uint32_t touched_kinds(const Model& m, const AccessLog& touched, int actor);
// The ActorKind of an actor number.
std::uint32_t actor_kind(const Model& m, int actor);
// Whether steps a and b commute in s: each stays enabled after the other and both
// orders reach the same state (compared by encoding). What a footprint independence
// relation must imply (tests/independence_tests.cpp; bench/por_bound uses it as
// independence itself).
bool steps_commute(const Model& m, const State& s, StepRef a, StepRef b);

}  // namespace aiomc::model
