// F3 `lio-split-path-check` (V52) and the eras that carry it: the split LIO
// counters of the fast path and the daemon path, and process_signal on softclock.
#include "model/kernel.hpp"

namespace aiomc::model {

// F3 (V52, the "revision 1.65" bug): the fast path's completion compares only the
// buffer counters, marks the signal posted at once and leaves it to
// timeout(process_signal) on softclock, which compares only the queue counters;
// the daemon path compares all four.
bool Kernel::lio_split_notify(int job, bool bufdone) {
  Lio& l = s.lios[s.jobs[job].lio];
  bool wanted = (l.lioj_flags & (LIOJ_SIGNAL | LIOJ_SIGNAL_POSTED)) == LIOJ_SIGNAL;
  if (bufdone) {
    l.buf_finished++;
    if (l.buf_finished == l.buf_count && wanted) {
      l.lioj_flags |= LIOJ_SIGNAL_POSTED;
      callout().push_back(CalloutEntry{JobId(job)});
      note([&] { return "timeout(process_signal) for " + job_label(job); });
    }
    return true;
  }
  l.q_finished++;
  if (wanted && l.buf_finished == l.buf_count && l.q_finished == l.q_count) {
    check_lio_notify(s.jobs[job].lio, "LIO signal");
    aio_sendsig(l.proc.index(), l.sigev, kSrcLio, s.jobs[job].lio.index());
    l.lioj_flags |= LIOJ_SIGNAL_POSTED;
  }
  return true;
}

// softclock runs process_signal(job): the LIO's signal if its queue counters
// balance and, under F3b, the job's own signal as well (V52's process_signal
// does both for every callout of the job). A callout marked stale
// outlived aio_free_entry: its job is gone.
bool Kernel::softclock_step() {
  const CalloutEntry entry = callout().pop_front();
  act("softclock:process_signal");
  if (entry.stale) {
    int job = entry.job.index();
    violate(Inv::free_once, [&] {
      return "softclock: process_signal(job#" + std::to_string(job) +
             ") dereferences the aiocb and its LIO after aio_free_entry freed them: untimeout cancelled only the "
             "callout in timeouthandle, which the job's own timeout had overwritten";
    });
    return true;
  }
  int job = entry.job.index();
  const Job& j = s.jobs[job];
  AIOMC_ASSERT(j.live);  // aio_free_entry untimeouts or marks the job's callouts
  if (j.lio.valid() && variant(Variant::lio_split_path_check)) {
    // The LIO half needs V52's queue counters; without F3 the 2006 lio_notify owns
    // the list's signal and process_signal only posts the job's own.
    // V52's process_signal posts the list's signal only for SIGEV_SIGNAL (5.2
    // vfs_aio.c:2103-2109), so a kevent or none list gets nothing on this path.
    Lio& l = s.lios[j.lio];
    if ((l.lioj_flags & LIOJ_SIGNAL) && l.sigev.notify == static_cast<std::uint8_t>(Notify::signal) &&
        l.q_finished == l.q_count) {
      check_lio_notify(j.lio, "LIO signal");
      aio_sendsig(l.proc.index(), l.sigev, kSrcLio, j.lio.index());
    }
  }
  if (variant(Variant::timeout_after_free) && j.sigev.notify == static_cast<std::uint8_t>(Notify::signal)) {
    check_job_notify(job, "job signal");
    aio_sendsig(j.proc.index(), j.sigev, kSrcJob, job);
  }
  return true;
}

}  // namespace aiomc::model
