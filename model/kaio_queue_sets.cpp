// A process's kaio queues as sets (issue 12, a reduction of `--reductions on`).
//
// kaio_all, kaio_jobqueue, kaio_bufqueue and kaio_done are TAILQs: a job goes on at
// the tail (aio_aqueue, aio_bio_done_notify) and leaves by its address (TAILQ_REMOVE
// in aio_free_entry, the daemon's and biohelper's completions). So their order is the
// order the jobs were submitted or completed in, and it splits states that differ in
// nothing else: five jobs can finish in 120 orders. The kernel reads that order in
// few places (vfs_aio.c 1.220 and the model alike):
//   - aio_waitcomplete returns TAILQ_FIRST(&ki->kaio_done);
//   - aio_cancel of every job on a descriptor walks kaio_jobqueue and cancels (and
//     so notifies, and fills kaio_done) in its order;
//   - aio_proc_rundown (exit, exec) walks kaio_jobqueue, waits for the first of
//     kaio_bufqueue and frees kaio_done from its head;
//   - the searches by user address (aio_error and aio_suspend over kaio_all, aio_return
//     and lio_listio's wait over kaio_done, a kevent change whose data names a job,
//     aio_cancel of one aiocb over kaio_jobqueue, and the Linux emulation's io_cancel,
//     io_getevents and io_destroy, which call aio_return and aio_cancel on a request's
//     clone aiocb) take the first or last match, or each match in order: they read
//     only the order of jobs that share a user address (an aiocb submitted again while
//     its first job lives).
// Nothing else does: no invariant, liveness obligation or variant reads the order,
// and no other walk of one queue fills another in its order.
// So each queue of a process is a set to the search, up to the order among jobs of
// one user address, when none of its walkers is in that process's ops:
//   kaio_all       always;
//   kaio_jobqueue  no aio_cancel of a whole descriptor (whose walk also fills
//                  kaio_done), exit or exec;
//   kaio_bufqueue  no exit or exec;
//   kaio_done      no aio_waitcomplete, exit or exec.
// Two states whose such queues hold the same jobs, those of each user address in the
// same order, have the same futures (each step does the same to both and keeps them
// so related: jobs join at the tail, leave by address, and a search by address picks
// the same jobs in the same order). The checker stores one of them: those queues
// stably sorted by user aiocb name, after the job slots are renamed (symmetry.cpp),
// so by slot when no two live jobs share a name. SPIN's peer model makes the same
// choice by default (../shared/bench/spin/RESULTS.md: "queues as sets"); aio_jobs,
// aio_freeproc, the taskqueue, the sockets' so_aiojobq, knlists, the kqueue's queue
// and the pending signals stay ordered.
// Counterexamples stay real schedules: a search stores choices, and the report runs
// them again from the initial state.
#include <cstdint>
#include <cstring>

#include "model/model.hpp"

namespace aiomc::model {
namespace {

// The order a queue kept as a set is stored in: by user aiocb name, and jobs that
// share a name (an aiocb submitted again while its first job lives) in the order
// they have, since a search by name finds the first (or last) of them. An insertion
// sort, stable and without allocation: a queue holds at most kMaxJobs jobs and is
// mostly in order already.
template <class Q>
bool in_name_order(const State& s, const Q& q) {
  for (int i = 1; i < q.size(); ++i)
    if (s.jobs[q[i - 1]].uaiocb > s.jobs[q[i]].uaiocb) return false;
  return true;
}

template <class Q>
bool sort_by_name(const State& s, Q& q) {
  if (in_name_order(s, q)) return false;
  for (int i = 1; i < q.size(); ++i) {
    const JobId v = q[i];
    const std::uint8_t name = s.jobs[v].uaiocb;
    int at = i;
    for (; at > 0 && s.jobs[q[at - 1]].uaiocb > name; --at) q[at] = q[at - 1];
    q[at] = v;
  }
  return true;
}

}  // namespace

std::uint32_t Model::kaio_queue_set_procs() const {
  std::uint32_t sets = 0;
  for (std::size_t i = 0; i < program_.processes.size(); ++i) {
    const Process& p = program_.processes[i];
    AIOMC_ASSERT(i < static_cast<std::size_t>(kMaxProcs));
    std::uint32_t q = kKaioAllSet | kKaioJobqueueSet | kKaioBufqueueSet | kKaioDoneSet;
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops) {
        if (op.kind == OpKind::exit || op.kind == OpKind::exec) q &= kKaioAllSet;
        // aio_cancel of one aiocb walks only that aiocb's jobs, in their order.
        if (op.kind == OpKind::aio_cancel && op.job < 0) q &= ~kKaioJobqueueSet;
        if (op.kind == OpKind::aio_waitcomplete) q &= ~kKaioDoneSet;
      }
    sets |= q << (4 * i);
  }
  return sets;
}

bool Model::kaio_queues_sorted(const State& s, std::uint32_t procs) const {
  for (int p = 0; p < kMaxProcs; ++p) {
    const std::uint32_t q = kaio_queue_sets_of(p);
    if (q == 0 || !((procs >> p) & 1u)) continue;
    const Proc& pr = s.procs[p];
    if (((q & kKaioAllSet) && !in_name_order(s, pr.kaio_all)) ||
        ((q & kKaioJobqueueSet) && !in_name_order(s, pr.kaio_jobqueue)) ||
        ((q & kKaioBufqueueSet) && !in_name_order(s, pr.kaio_bufqueue)) ||
        ((q & kKaioDoneSet) && !in_name_order(s, pr.kaio_done)))
      return false;
  }
  return true;
}

bool Model::sort_kaio_queues(State& s, std::uint32_t procs, AccessLog* log, const State* parent) const {
  bool changed = false;
  for (int p = 0; p < kMaxProcs; ++p) {
    const std::uint32_t q = kaio_queue_sets_of(p);
    if (q == 0 || !((procs >> p) & 1u)) continue;
    Proc& pr = s.procs[p];
    // A queue as the sorted parent has it is sorted (its jobs keep their names). The
    // queues have no padding (state.hpp), so their bytes compare.
    const Proc* pp = parent ? &parent->procs[p] : nullptr;
    auto sort_changed = [&](std::uint32_t bit, auto& queue, const auto* was) {
      if (!(q & bit) || (was && std::memcmp(&queue, was, sizeof queue) == 0)) return false;
      return sort_by_name(s, queue);
    };
    bool c = sort_changed(kKaioAllSet, pr.kaio_all, pp ? &pp->kaio_all : nullptr);
    c = sort_changed(kKaioJobqueueSet, pr.kaio_jobqueue, pp ? &pp->kaio_jobqueue : nullptr) || c;
    c = sort_changed(kKaioBufqueueSet, pr.kaio_bufqueue, pp ? &pp->kaio_bufqueue : nullptr) || c;
    c = sort_changed(kKaioDoneSet, pr.kaio_done, pp ? &pp->kaio_done : nullptr) || c;
    if (c && log) log->touch(ObjKind::proc, static_cast<std::size_t>(p));
    changed = changed || c;
  }
  return changed;
}

}  // namespace aiomc::model
