// Process-level operations: sigwait, user semaphores, exit/exec with
// thread_single and aio_proc_rundown (§B.3.14, semantics S12, S16).
#include "model/kernel.hpp"

namespace aiomc::model {

bool Kernel::sys_sigwait(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  if (!lock_p(p)) return false;
  act(t.woken || t.timedout ? StepName("sigwait:wakeup") : StepName("sigwait:check"));
  // A thread-directed signal for this thread first. If there is none,
  // kern_sigtimedwait moves every pending process-directed instance of the signal
  // to this thread's queue (kern_sig.c 1.327:1213-1224, sigqueue_move) and takes
  // the first: the others stay for this thread's next sigwait only.
  int found = -1;
  for (int i = 0; i < pr.sigpending.size() && found < 0; ++i)
    if (pr.sigpending[i].signo == op.signo && pr.sigpending[i].thread == ThreadId(me)) found = i;
  for (int i = 0; i < pr.sigpending.size() && found < 0; ++i)
    if (pr.sigpending[i].signo == op.signo && pr.sigpending[i].thread.is_none()) found = i;
  if (found >= 0 && pr.sigpending[found].thread.is_none())
    for (PendingSig& ps : pr.sigpending)
      if (ps.signo == op.signo && ps.thread.is_none()) ps.thread = ThreadId(me);
  if (found >= 0) {
    PendingSig ps = pr.sigpending[found];
    pr.sigpending.erase_at(found);
    if (ps.src_kind == kSrcJob) s.jobs[ps.src].ksi_onq = 0;
    if (ps.src_kind == kSrcLio) s.lios[ps.src].ksi_onq = 0;
    unlock_p(p);
    finish_op(0, 0, kRetNumber);
    return true;
  }
  if (t.timedout || (op.timeout && *op.timeout == 0)) {
    unlock_p(p);
    finish_op(t.timedout == 2 ? err::eintr : err::eagain, 0, kRetNumber);
    return true;
  }
  unlock_p(p);
  sleep_on(WC_SIG, static_cast<std::uint8_t>(p), op.timeout.has_value(), true);
  note("sleep in sigwait");
  return true;
}

bool Kernel::sys_sem_post(const Op& op) {
  ThreadSt& t = th();
  act("sem_post");
  std::uint8_t& v = s.procs[t.proc].sem[op.sem];
  if (v < 255) v++;
  wakeup(WC_SEM, static_cast<std::uint8_t>(t.proc * kMaxNames + op.sem));
  finish_op(0, 0, kRetNumber);
  return true;
}

bool Kernel::sys_sem_wait(const Op& op) {
  ThreadSt& t = th();
  std::uint8_t& v = s.procs[t.proc].sem[op.sem];
  if (v == 0) {
    act("sem_wait:block");
    sleep_on(WC_SEM, static_cast<std::uint8_t>(t.proc * kMaxNames + op.sem), false);
    return true;
  }
  act("sem_wait");
  v--;
  finish_op(0, 0, kRetNumber);
  return true;
}

void Kernel::thread_single(int p) {
  for (int i = 0; i < m.nthreads_; ++i) {
    if (i == me || m.thread_proc_[i] != p) continue;
    ThreadSt& o = s.threads[i];
    if (o.status == TS_DONE || o.status == TS_ENDED) continue;
    if (o.status == TS_SLEEP && o.wchan == WC_SEM) {
      std::uint8_t proc = o.proc, pc = o.pc;
      o = ThreadSt{};
      o.proc = proc;
      o.pc = pc;
      o.status = TS_ENDED;
      continue;
    }
    if (o.status == TS_RUN && o.ph == 0 && o.outside_kernel_functions()) {
      // At the user boundary between two ops.
      std::uint8_t proc = o.proc, pc = o.pc;
      o = ThreadSt{};
      o.proc = proc;
      o.pc = pc;
      o.status = TS_ENDED;
      continue;
    }
    // An interruptible sleep returns EINTR; the syscall then runs to its end.
    if (o.status == TS_SLEEP && o.pcatch) interrupt_sleep(o);
  }
}

// The steps of aio_proc_rundown, one function each, chosen by the thread's phase.
Kernel::Sub Kernel::aio_proc_rundown(int p) {
  switch (th().rd) {
    case RD_START: return aio_proc_rundown_start(p);
    case RD_SCAN: return aio_proc_rundown_restart(p);
    case RD_FREE: return aio_proc_rundown_free(p);
    case RD_FREE_ENTRY: return aio_proc_rundown_free_entry(p);
    case RD_LIO_WAIT: return aio_proc_rundown_lio_retry(p);
    case RD_FPHYSIO: return aio_fphysio(p);
  }
  AIOMC_ASSERT(!"bad aio_proc_rundown phase");
  return Sub::blocked;
}

// P: KAIO_RUNDOWN set, then the first scan in the same step.
Kernel::Sub Kernel::aio_proc_rundown_start(int p) {
  ThreadSt& t = th();
  Proc& pr = s.procs[p];
  if (!pr.has_aioinfo) return Sub::free;
  if (!lock_p(p)) return Sub::blocked;
  act("aio_proc_rundown:start");
  pr.kaio_flags |= KAIO_RUNDOWN;
  t.rd = RD_SCAN;
  return aio_proc_rundown_scan(p);
}

// P again after a sleep ("aioprn", "physstr"): the scan restarts.
Kernel::Sub Kernel::aio_proc_rundown_restart(int p) {
  if (!lock_p(p)) return Sub::blocked;
  act("aio_proc_rundown:restart");
  return aio_proc_rundown_scan(p);
}

// With P held: cancel the queued jobs, then wait for the in-flight ones ("aioprn")
// or go on to free the done ones.
Kernel::Sub Kernel::aio_proc_rundown_scan(int p) {
  ThreadSt& t = th();
  Proc& pr = s.procs[p];
  // aio_job_mtx is taken per job on kaio_jobqueue: not at all when it is empty.
  bool jm = !pr.kaio_jobqueue.empty();
  if (jm && !lock_jm()) return Sub::blocked;
  // Cancel every queued job as aio_cancel would (notification suppressed).
  auto queue = pr.kaio_jobqueue;
  for (JobId job : queue) {
    Job& j = s.jobs[job];
    if (j.jobstate == JOBST_JOBQGLOBAL) {
      aio_jobs().remove(job);
    } else if (j.jobstate == JOBST_JOBQSOCK) {
      if (!s.socks[j.obj].so_aiojobq.remove(job)) panic("TAILQ_REMOVE of a job that is not on so_aiojobq");
    } else {
      continue;
    }
    j.status = -1;
    j.error = err::ecanceled;
    pr.kaio_jobqueue.remove(job);
    note([&] { return job_label(job.index()) + " cancelled"; });
    // Before 6.1 the rundown frees a queued job with aio_free_entry (V6b
    // vfs_aio.c 1.195.2.4:593-599; 5.2 :584-590): no signal, no knote.
    quiet_ = variant(Variant::pre_vx1);
    aio_bio_done_notify(p, job.index(), false);
    quiet_ = false;
  }
  if (jm) unlock_jm();
  if (!pr.kaio_bufqueue.empty() && variant(Variant::bdone_before_iodone) &&
      !variant(Variant::giant)) {
    // F5 (S7): the abstract top half of kernel-facts F5 frees an in-flight
    // fast-path job through aio_fphysio, which trusts B_DONE. V52's own rundown
    // never does: it sleeps on "aioprn" until kaio_bufqueue drains (5.2
    // vfs_aio.c:596-603) and frees only kaio_bufdone jobs, so under
    // freebsd-5.2 (Giant) the rundown waits below like 1.220's.
    t.job = pr.kaio_bufqueue[0].raw();
    t.rd = RD_FPHYSIO;
    unlock_p(p);
    return Sub::step;
  }
  if (!pr.kaio_bufqueue.empty() || !pr.kaio_jobqueue.empty()) {
    kaio_wait(p, true, false, "aioprn (hz)");
    return Sub::step;
  }
  t.rd = RD_FREE;
  return aio_proc_rundown_free_all(p);
}

// P again after aio_free_entry finished a job: the next done job or list.
Kernel::Sub Kernel::aio_proc_rundown_free(int p) {
  if (!lock_p(p)) return Sub::blocked;
  act("aio_proc_rundown:free");
  return aio_proc_rundown_free_all(p);
}

// aio_fphysio (F5 only): wait for B_DONE on an in-flight fast-path job, then free it.
Kernel::Sub Kernel::aio_fphysio(int p) {
  ThreadSt& t = th();
  Proc& pr = s.procs[p];
  // aio_fphysio at splbio (no lock): while !B_DONE, tsleep(bp, "physstr", aiod_timeout).
  Job& j = s.jobs[t.job];
  if (!j.live || j.jobstate != JOBST_JOBQBUF) {
    // Its completion got there first: back to the scan.
    t.job = kNone;
    t.rd = RD_SCAN;
    return aio_proc_rundown_restart(p);
  }
  if (!j.b_done) {
    act("aio_fphysio:tsleep");
    sleep_on(WC_BP, t.job, true);
    return Sub::step;
  }
  if (!lock_p(p)) return Sub::blocked;
  act("aio_fphysio:b_done");
  // Unmap, release the pbuf, and free the job (aio_free_entry's JOBQBUF case).
  pr.kaio_bufqueue.remove(JobId(t.job));
  pr.kaio_all.remove(JobId(t.job));
  pr.kaio_count--;
  pr.kaio_buffer_count--;
  num_queue_count()--;
  num_buf_aio()--;
  if (j.lio.valid()) s.lios[j.lio].lioj_count--;
  note([&] { return job_label(t.job) + " freed in flight"; });
  sigqueue_take(p, kSrcJob, t.job);
  knlist_delete(kSrcJob, t.job);
  s.jobs[t.job] = Job{};
  unlock_p(p);
  t.job = kNone;
  t.rd = RD_SCAN;
  return Sub::step;
}

// aio_free_entry on a done job, over as many steps as it takes.
Kernel::Sub Kernel::aio_proc_rundown_free_entry([[maybe_unused]] int p) {
  ThreadSt& t = th();
  Sub sub = aio_free_entry(t.job);
  if (sub == Sub::done) t.rd = RD_FREE;
  return sub == Sub::done ? Sub::step : sub;
}

// knlist_delete slept ("kqkclr") on a list's knotes: P again, then go on freeing.
Kernel::Sub Kernel::aio_proc_rundown_lio_retry(int p) {
  ThreadSt& t = th();
  if (!lock_p(p)) return Sub::blocked;
  act("knlist_delete:retry");
  t.rd = RD_FREE;
  return aio_proc_rundown_free_all(p);
}

// With P held: free every done job, then every list, then the kaioinfo.
Kernel::Sub Kernel::aio_proc_rundown_free_all(int p) {
  ThreadSt& t = th();
  Proc& pr = s.procs[p];
  AIOMC_ASSERT(t.rd == RD_FREE);
  if (!pr.kaio_done.empty()) {
    t.job = pr.kaio_done[0].raw();
    t.fe = FE_START;
    t.rd = RD_FREE_ENTRY;
    Sub sub = aio_free_entry(t.job);
    if (sub == Sub::done) t.rd = RD_FREE;
    return sub == Sub::done ? Sub::step : sub;
  }
  // Each list is taken off kaio_liojoblist before knlist_delete, which may sleep on
  // "kqkclr" with the list already off it (t.lio keeps it for the retry).
  while (t.lio.valid() || !pr.kaio_liojoblist.empty()) {
    if (t.lio.is_none()) {
      int lio = pr.kaio_liojoblist[0].index();
      Lio& l = s.lios[lio];
      if (l.lioj_count != 0) {
        panic("LIO job not cleaned up: C:" + std::to_string(l.lioj_count) + ", FC:" +
              std::to_string(l.lioj_finished_count));
        unlock_p(p);
        return Sub::done;
      }
      pr.kaio_liojoblist.erase_at(0);
      t.lio = LioId(lio);
    }
    if (!knlist_delete(kSrcLio, t.lio.index())) {
      kqkclr_sleep(s.lios[t.lio].klist, p);
      t.rd = RD_LIO_WAIT;
      return Sub::step;
    }
    free_lio(t.lio);
    t.lio = LioId::none();
  }
  act("aio_proc_rundown:free_kaioinfo");
  kaioinfo_set(pr, false);
  unlock_p(p);
  t.rd = RD_START;
  return Sub::done;
}

namespace {
enum ExitPhase : std::uint8_t { EX_START = 0, EX_WAIT = 1, EX_RUNDOWN = 2, EX_CLOSE = 3 };
}

bool Kernel::sys_exit_exec(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  bool is_exit = op.kind == OpKind::exit;
  if (t.ph == EX_START) {
    if (!lock_p(p)) return false;
    act(is_exit ? StepName("exit1:thread_single") : StepName("execve:thread_single"));
    pr.exiting = 1;
    t.exiter = 1;
    thread_single(p);
    unlock_p(p);
    t.ph = EX_WAIT;
    t.rd = RD_START;
    return true;
  }
  if (t.ph == EX_WAIT) {
    // thread_single waits until every other thread is at a user boundary.
    for (int i = 0; i < m.nthreads_; ++i) {
      if (i == me || m.thread_proc_[i] != p) continue;
      std::uint8_t st = s.threads[i].status;
      if (st != TS_DONE && st != TS_ENDED) return false;
    }
    t.ph = EX_RUNDOWN;
    t.rd = RD_START;
    // The emulation's process_exit handler (and its exec teardown unless F26).
    if (m.uses_linux()) linux_aio_proc_exit(p, is_exit);
  }
  if (t.ph == EX_RUNDOWN) {
    t.timedout = 0;
    Sub sub = aio_proc_rundown(p);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::step) return true;
    if (read_panicked()) return true;
    if (!is_exit) {
      act("execve:done");
      pr.exiting = 0;
      t.exiter = 0;
      finish_op(0, 0, kRetNumber);
      return true;
    }
    t.ph = EX_CLOSE;
    t.kc = KC_START;
    t.kq = KqId::none();
    if (sub == Sub::done) return true;
  }
  // EX_CLOSE: fdfree closes every descriptor; kqueues through kqueue_close.
  if (t.kq.is_none()) {
    for (int fd = 0; fd < kMaxFds && t.kq.is_none(); ++fd)
      if (pr.fd_kind[fd] == FD_KQUEUE) t.kq = KqId(pr.fd_target[fd]);
  }
  if (t.kq.valid()) {
    Sub sub = kqueue_close(t.kq);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::done) {
      t.kq = KqId::none();
      t.kc = KC_START;
    }
    return true;
  }
  act("exit1:done");
  for (int fd = 0; fd < kMaxFds; ++fd) {
    pr.fd_kind[fd] = FD_CLOSED;
    pr.fd_target[fd] = 0;
  }
  pr.alive = 0;
  finish_op(0, 0, kRetNumber);
  t.status = TS_ENDED;
  return true;
}

}  // namespace aiomc::model
