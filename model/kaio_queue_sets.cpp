// A process's kaio queues as sets (issue 12, a reduction of `--reductions on`).
//
// kaio_all, kaio_jobqueue, kaio_bufqueue and kaio_done are TAILQs: a job goes on at
// the tail (aio_aqueue, aio_bio_done_notify) and leaves by its address (TAILQ_REMOVE
// in aio_free_entry, the daemon's and biohelper's completions). So their order is the
// order the jobs were submitted or completed in, and it splits states that differ in
// nothing else: five jobs can finish in 120 orders. The kernel reads that order in
// few places (vfs_aio.c 1.220 and the model alike):
//   - aio_waitcomplete returns TAILQ_FIRST(&ki->kaio_done);
//   - aio_cancel walks kaio_jobqueue and cancels (and so notifies) in its order;
//   - aio_proc_rundown (exit, exec) walks kaio_jobqueue, waits for the first of
//     kaio_bufqueue and frees kaio_done from its head;
//   - the searches by user address (aio_error and aio_suspend over kaio_all, aio_return
//     and lio_listio's wait over kaio_done, a kevent change whose data names a job) take
//     the first or last match, which is the only match when no aiocb is submitted twice;
//   - the Linux emulation (io_cancel, io_getevents, io_destroy) walks the native queues.
// Nothing else does: no invariant, liveness obligation or variant reads the order,
// and no other walk of one queue fills another in its order.
// So, in a scenario without the Linux emulation, each queue of a process is a set to
// the search when none of its readers is in that process's ops:
//   kaio_all       no aiocb name submitted twice;
//   kaio_jobqueue  no aio_cancel (whose walk also fills kaio_done), exit or exec;
//   kaio_bufqueue  no exit or exec;
//   kaio_done      no aio_waitcomplete, exit or exec, and no aiocb name submitted twice.
// Two states that differ only in the order of such queues have the same futures (each
// step does the same to both and keeps them so related), and the checker stores one
// of them: those queues sorted by job slot, after the job slots are renamed
// (symmetry.cpp). SPIN's peer model makes the same choice by default
// (../shared/bench/spin/RESULTS.md: "queues as sets"); aio_jobs, aio_freeproc, the
// taskqueue, knlists, the kqueue's queue and the pending signals stay ordered.
// Counterexamples stay real schedules: a search stores choices, and the report runs
// them again from the initial state.
#include <algorithm>
#include <bit>
#include <vector>

#include "model/model.hpp"

namespace aiomc::model {
namespace {

// Whether p submits some aiocb name twice (two ops, or two entries of lio lists): two
// live jobs may then share it.
bool submits_a_name_twice(const Process& p) {
  std::vector<int> times(p.job_names.size(), 0);
  auto submit = [&](int name) {
    if (name < 0) return false;
    AIOMC_ASSERT(static_cast<std::size_t>(name) < times.size());
    return ++times[static_cast<std::size_t>(name)] > 1;
  };
  for (const Thread& t : p.threads)
    for (const Op& op : t.ops) {
      if (op.kind == OpKind::aio_read || op.kind == OpKind::aio_write || op.kind == OpKind::aio_fsync)
        if (submit(op.job)) return true;
      if (op.kind == OpKind::lio_listio)
        for (const LioEntry& e : op.list)
          if (e.opcode != LioOpcode::nop && submit(e.job)) return true;
    }
  return false;
}

template <class Q>
bool sorted(const Q& q) {
  return std::is_sorted(q.begin(), q.end(), [](JobId a, JobId b) { return a.raw() < b.raw(); });
}

template <class Q>
bool sort_queue(Q& q) {
  if (sorted(q)) return false;
  std::sort(q.begin(), q.end(), [](JobId a, JobId b) { return a.raw() < b.raw(); });
  return true;
}

}  // namespace

std::uint32_t Model::kaio_queue_set_procs() const {
  if (linux_) return 0;  // an io_* op, or the linuxaio module loaded or unloaded
  std::uint32_t sets = 0;
  for (std::size_t i = 0; i < program_.processes.size(); ++i) {
    const Process& p = program_.processes[i];
    AIOMC_ASSERT(i < static_cast<std::size_t>(kMaxProcs));
    std::uint32_t q = kKaioAllSet | kKaioJobqueueSet | kKaioBufqueueSet | kKaioDoneSet;
    if (submits_a_name_twice(p)) q &= ~(kKaioAllSet | kKaioDoneSet);
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops) {
        if (op.kind == OpKind::exit || op.kind == OpKind::exec) q &= kKaioAllSet;
        if (op.kind == OpKind::aio_cancel) q &= ~kKaioJobqueueSet;
        if (op.kind == OpKind::aio_waitcomplete) q &= ~kKaioDoneSet;
      }
    sets |= q << (4 * i);
  }
  return sets;
}

bool Model::kaio_queues_sorted(const State& s, std::uint32_t procs) const {
  for (int p = 0; p < kMaxProcs; ++p) {
    const std::uint32_t q = (kaio_queue_sets_ >> (4 * p)) & 0xFu;
    if (q == 0 || !((procs >> p) & 1u)) continue;
    const Proc& pr = s.procs[p];
    if (((q & kKaioAllSet) && !sorted(pr.kaio_all)) || ((q & kKaioJobqueueSet) && !sorted(pr.kaio_jobqueue)) ||
        ((q & kKaioBufqueueSet) && !sorted(pr.kaio_bufqueue)) || ((q & kKaioDoneSet) && !sorted(pr.kaio_done)))
      return false;
  }
  return true;
}

bool Model::sort_kaio_queues(State& s, std::uint32_t procs, AccessLog* log) const {
  bool changed = false;
  for (int p = 0; p < kMaxProcs; ++p) {
    const std::uint32_t q = (kaio_queue_sets_ >> (4 * p)) & 0xFu;
    if (q == 0 || !((procs >> p) & 1u)) continue;
    Proc& pr = s.procs[p];
    bool c = (q & kKaioAllSet) && sort_queue(pr.kaio_all);
    c = ((q & kKaioJobqueueSet) && sort_queue(pr.kaio_jobqueue)) || c;
    c = ((q & kKaioBufqueueSet) && sort_queue(pr.kaio_bufqueue)) || c;
    c = ((q & kKaioDoneSet) && sort_queue(pr.kaio_done)) || c;
    if (c && log) log->touch(ObjKind::proc, static_cast<std::size_t>(p));
    changed = changed || c;
  }
  return changed;
}

}  // namespace aiomc::model
