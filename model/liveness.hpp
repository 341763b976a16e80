// What liveness checking (S18) needs from a state: the obligations still open in it
// (a job not yet finished, a waiting call not yet returned, an exit/exec whose rundown
// has not ended) and the actors that weak fairness applies to in it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/invariants.hpp"
#include "model/model.hpp"

namespace aiomc::model {

// Obligation bits: one per job slot (job-completes), one per thread in a waiting call
// (waiter-returns), one per thread running exit/exec (exit-completes).
inline constexpr int kObligationJob = 0;      // + job slot (kMaxJobs = 24)
inline constexpr int kObligationWaiter = 24;  // + thread (kMaxThreads = 8)
inline constexpr int kObligationExit = 32;    // + thread

// The open obligations of s. Exempt (S18): a job waiting for I/O that no remaining op
// will make ready (a read of an empty socket or pipe nobody will write to), and a
// waiting call that sleeps with only such jobs of its process unfinished.
std::uint64_t liveness_obligations(const Model& m, const State& s);
// The invariant an obligation bit belongs to, and a sentence for the report.
Inv obligation_invariant(int bit);
std::string obligation_text(const Model& m, const State& s, int bit);
// Bit a set: actor a is enabled for weak fairness in s (S18, S25): it has an enabled
// step (a finite timeout is a step of the sleeping thread, an idle timeout of the
// daemon), or it is a user thread that is not sleeping (blocked on a mutex counts).
std::uint32_t fair_actors(const Model& m, const State& s, const std::vector<Successor>& succ);

// The fairness assumption, as `aiomc list invariants` and the report print it.
inline constexpr std::string_view kFairnessAssumption =
    "weak fairness for each AIO daemon, each disk's completion context, the aiod_bio taskqueue, "
    "softclock and each user thread that is not sleeping (a thread blocked on a mutex counts as "
    "enabled); finite timeouts eventually fire; jobs waiting for I/O that no remaining op will "
    "make ready are exempt (S18, S25)";

}  // namespace aiomc::model
