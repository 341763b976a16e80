// `cancel-no-notify` (F13): V6b's aio_cancel socket branch (vfs_aio.c
// 1.195.2.4:1726-1763). It runs before the kaioinfo check, walks the socket's
// so_aiojobq whoever owns the jobs (no owner check: a process sharing the socket
// cancels the other's reads, kernel-facts F13(d)), moves each match to its
// owner's done queue, wakes the owner if KAIO_WAKEUP is set (without clearing
// it), and signals only SIGEV_SIGNAL jobs: no knote, no LIO accounting.
#include "model/kernel.hpp"

namespace aiomc::model {

bool Kernel::v6b_cancel_socket(int p, int sock, int job_name, int* cancelled) {
  *cancelled = 0;
  // splnet under Giant in V6b; here every owner's P and aio_job_mtx must be free,
  // since their queues change in this step.
  if (jm_owner() != kNone && jm_owner() != me) return false;
  for (JobId job : s.socks[sock].so_aiojobq) {
    const Proc& owner = s.procs[s.jobs[job].proc];
    if (owner.p_mtx != kNone && owner.p_mtx != me) return false;
  }
  act("aio_cancel:so_aiojobq");
  auto queue = s.socks[sock].so_aiojobq;
  for (JobId job : queue) {
    Job& j = s.jobs[job];
    // The user address in aiocbp: a name of the caller's own program (S9).
    if (job_name >= 0 && !(j.proc == ProcId(p) && j.uaiocb == job_name)) continue;
    int po = j.proc.index();
    Proc& owner = s.procs[po];
    s.socks[sock].so_aiojobq.remove(job);
    owner.kaio_jobqueue.remove(job);
    owner.kaio_done.push_back(job);
    if (owner.kaio_flags & KAIO_WAKEUP) wakeup(WC_AIOINFO, static_cast<std::uint8_t>(po));
    j.jobstate = JOBST_JOBFINISHED;
    j.status = -1;
    j.error = err::ecanceled;
    note([&] { return job_label(job.index()) + " cancelled"; });
    (*cancelled)++;
    if (j.sigev.notify == static_cast<std::uint8_t>(Notify::signal)) aio_sendsig(po, j.sigev, kSrcJob, job.index());
    if (job_name >= 0) break;
  }
  return true;
}

}  // namespace aiomc::model
