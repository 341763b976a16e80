// aio_bio_done_notify (the single notification point, §B.3.4), aio_sendsig, and
// aio_free_entry (§B.3.6), with the event invariants checked where the kernel
// posts (S5).
#include "model/kernel.hpp"

namespace aiomc::model {

void Kernel::check_job_notify(int job, const char* what) {
  const Job& j = view().jobs[job];
  bool on_done = view().procs[j.proc].kaio_done.contains(JobId(job));
  if (j.jobstate != JOBST_JOBFINISHED || !on_done)
    violate(Inv::notify_after_done, [&] {
      return std::string(what) + " for " + job_label(job) + " before it is FINISHED on kaio_done";
    });
  if (view().procs[j.proc].kaio_flags & KAIO_RUNDOWN)
    violate(Inv::rundown_silent, [&] { return std::string(what) + " for " + job_label(job) + " during rundown"; });
}

void Kernel::check_lio_notify(LioId lio, const char* what) {
  Lio& l = s.lios[lio];
  int members = 0, finished = 0;
  for (int i = 0; i < kMaxJobs; ++i) {
    const Job& j = view().jobs[i];
    if (!j.live || j.lio != lio || !j.counted) continue;
    members++;
    if (j.jobstate == JOBST_JOBFINISHED && view().procs[j.proc].kaio_done.contains(JobId(i)))
      finished++;
  }
  if (l.submitting || finished != members)
    violate(Inv::lio_notify_exact, [&] {
      return std::string(what) + " for " + lio_label(lio) + " with " + std::to_string(finished) + " of " +
             std::to_string(members) + " members finished" + (l.submitting ? " while lio_listio is still submitting" : "");
    });
  if (finished != members)
    violate(Inv::notify_after_done, [&] { return std::string(what) + " for " + lio_label(lio) + " before all members are done"; });
  if (l.notified)
    violate(Inv::lio_notify_exact, [&] { return std::string(what) + " for " + lio_label(lio) + " a second time"; });
  if (view().procs[l.proc].kaio_flags & KAIO_RUNDOWN)
    violate(Inv::rundown_silent, [&] { return std::string(what) + " for " + lio_label(lio) + " during rundown"; });
  if (l.notified < 255) l.notified++;
}

void Kernel::aio_sendsig(int p, const KSigEvent& sigev, int src_kind, int src) {
  std::uint8_t& onq = src_kind == kSrcJob ? s.jobs[src].ksi_onq : s.lios[src].ksi_onq;
  if (onq) return;  // KSI_ONQ: at most one pending ksiginfo per job/LIO
  int signo = sigev.signo;
  bool kind_ok = sigev.notify == static_cast<std::uint8_t>(Notify::signal) ||
                 sigev.notify == static_cast<std::uint8_t>(Notify::thread_id);
  if (!kind_ok)
    violate(Inv::notify_kind, [&] {
      std::string who = src_kind == kSrcJob ? job_label(src) : lio_label(LioId(src));
      auto sname = signal_name(signo);
      static const char* kinds[] = {"SIGEV_NONE", "SIGEV_SIGNAL", "SIGEV_THREAD_ID", "SIGEV_KEVENT", "an invalid kind"};
      return "psignal(" + (sname.empty() ? std::to_string(signo) : std::string(sname)) + ") for " + who +
             ": LIOJ_SIGNAL set from sigev_signo " + std::to_string(signo) + " while sigev_notify = " +
             kinds[std::min<int>(sigev.notify, 4)];
    });
  if (!sig_valid(signo)) return;
  PendingSig ps;
  ps.signo = static_cast<std::uint8_t>(signo);
  ps.thread = sigev.notify == static_cast<std::uint8_t>(Notify::thread_id) ? sigev.thread : ThreadId::none();
  ps.src_kind = static_cast<std::uint8_t>(src_kind);
  ps.src = static_cast<std::uint8_t>(src);
  if (variant(Variant::pre_vx1)) {
    // Before 6.1 there is no ksiginfo: psignal(p, signo) sets a bit in p_siglist
    // (RELENG_6 kern_sig.c). A second post of a pending signal coalesces with the
    // first, and nothing withdraws it when the job or list is freed, at exit or at
    // exec (S24).
    for (const PendingSig& q : s.procs[p].sigpending)
      if (q.signo == signo && q.thread.is_none()) {
        note([&] { return "psignal " + std::to_string(signo) + ": already pending, coalesced"; });
        return;
      }
    ps.thread = ThreadId::none();
    ps.src_kind = 0;
    ps.src = kNone;
    if (s.procs[p].sigpending.full()) return;
    s.procs[p].sigpending.push_back(ps);
    note([&] {
      auto sname = signal_name(signo);
      return "psignal " + std::string(sname.empty() ? std::to_string(signo) : std::string(sname)) + " for " +
             (src_kind == kSrcJob ? job_label(src) : lio_label(LioId(src)));
    });
    wakeup(WC_SIG, static_cast<std::uint8_t>(p));
    return;
  }
  if (ps.thread.valid()) {
    const ThreadSt& tt = s.threads[ps.thread];
    // S25: a thread that ran out of ops is still alive (no implicit exit, S14) and
    // gets the signal queued; one ended by thread_single is gone (psignal_event's
    // thread lookup fails, nothing is queued).
    if (tt.status == TS_ENDED) return;
  }
  if (s.procs[p].sigpending.full()) return;
  s.procs[p].sigpending.push_back(ps);
  onq = 1;
  note([&] {
    auto sname = signal_name(signo);
    return "psignal " + std::string(sname.empty() ? std::to_string(signo) : std::string(sname)) + " for " +
           (src_kind == kSrcJob ? job_label(src) : lio_label(LioId(src)));
  });
  wakeup(WC_SIG, static_cast<std::uint8_t>(p));
}

void Kernel::sigqueue_take(int p, int src_kind, int src) {
  auto& q = s.procs[p].sigpending;
  for (int i = q.size() - 1; i >= 0; --i)
    if (q[i].src_kind == src_kind && q[i].src == src) q.erase_at(i);
  if (src_kind == kSrcJob)
    s.jobs[src].ksi_onq = 0;
  else
    s.lios[src].ksi_onq = 0;
}

// The list is complete: its one notification, by kevent and/or signal.
void Kernel::lio_notify(LioId lio, const char* where) {
  bool kev = lio_wants_kevent(lio), sig = lio_wants_signal(lio);
  if (!kev && !sig) return;
  check_lio_notify(lio, kev ? "EVFILT_LIO activation" : "LIO signal");
  Lio& l = s.lios[lio];
  if (kev) {
    l.lioj_flags |= LIOJ_KEVENT_POSTED;
    knote_locked(kSrcLio, lio.index());
  }
  if (sig) {
    aio_sendsig(l.proc.index(), l.sigev, kSrcLio, lio.index());
    l.lioj_flags |= LIOJ_SIGNAL_POSTED;
  }
  note([&] { return std::string(where) + ": " + lio_label(lio) + " complete"; });
}

// The LIO's completion notification once lj_done. 1.220 re-checks the kind before
// posting the signal; `kevent-job-sigill` (F6) and `sigev-none-signalled` (F6b)
// post whatever LIOJ_SIGNAL says, as V6b did.
bool Kernel::lio_wants_kevent(LioId lio) const {
  if (variant(Variant::pre_vx1)) return false;  // no EVFILT_LIO before 6.1 (S24)
  return s.lios[lio].sigev.notify == static_cast<std::uint8_t>(Notify::kevent);
}
bool Kernel::lio_wants_signal(LioId lio) const {
  const Lio& l = s.lios[lio];
  if ((l.lioj_flags & (LIOJ_SIGNAL | LIOJ_SIGNAL_POSTED)) != LIOJ_SIGNAL) return false;
  if (variant(Variant::lio_split_path_check)) return false;  // lio_split_notify owns it
  // Before 6.1 the completers post whatever LIOJ_SIGNAL says (V6b vfs_aio.c
  // 1.195.2.4:904-915, 2120-2141).
  if (variant(Variant::pre_vx1)) return true;
  if (variant(Variant::kevent_job_sigill) || variant(Variant::sigev_none_signalled)) return true;
  return l.sigev.notify == static_cast<std::uint8_t>(Notify::signal) ||
         l.sigev.notify == static_cast<std::uint8_t>(Notify::thread_id);
}

void Kernel::aio_bio_done_notify(int p, int job, bool bufdone) {
  AIOMC_ASSERT(holds_p(p));
  Proc& pr = s.procs[p];
  Job& j = s.jobs[job];
  bool lj_done = false;
  const LioId lio = j.lio;
  if (lio.valid()) {
    Lio& l = s.lios[lio];
    l.lioj_finished_count++;
    lj_done = l.lioj_count == l.lioj_finished_count;
    // F3: the LIO signal follows V52's split counters instead (lio_split_notify).
    if (variant(Variant::lio_split_path_check) && l.sigev.notify != static_cast<std::uint8_t>(Notify::kevent))
      lj_done = false;
  }
  j.jobflags |= bufdone ? AIOCBLIST_BUFDONE : AIOCBLIST_DONE;
  bool early = variant(Variant::notify_before_done);
  // Before 6.1 nothing keeps a process in rundown quiet (S24), as in VX1 (F16).
  bool silent = quiet_ || ((pr.kaio_flags & KAIO_RUNDOWN) && !variant(Variant::rundown_notifies) &&
                            !variant(Variant::pre_vx1));
  if (early && !silent) {
    // F4 on the 2006 code: the LIO notification comes before the job is on
    // kaio_done; so does the KAIO_WAKEUP wakeup on the daemon path (V6b vfs_aio.c
    // 1.195.2.4:897-901). The old aio_physwakeup moves the job and runs its KNOTE
    // before wakeup(p) (:2146-2155); only its LIO signal is early there (S24).
    if (lj_done) lio_notify(lio, "aio_bio_done_notify");
    if (!bufdone && (pr.kaio_flags & KAIO_WAKEUP) && !variant(Variant::kaio_wakeup_unlocked)) {
      check_job_notify(job, "wakeup of a KAIO_WAKEUP waiter");
      pr.kaio_flags &= static_cast<std::uint8_t>(~KAIO_WAKEUP);
      wakeup(WC_AIOINFO, static_cast<std::uint8_t>(p));
    }
  }
  pr.kaio_done.push_back(JobId(job));
  j.jobstate = JOBST_JOBFINISHED;
  note([&] { return job_label(job) + " FINISHED"; });
  if (!silent) {
    if (bufdone && variant(Variant::timeout_after_free) &&
        j.sigev.notify == static_cast<std::uint8_t>(Notify::signal)) {
      // F3b (V52): aio_physwakeup defers the job's own signal too, storing the
      // callout in the same aiocbe->timeouthandle the LIO's timeout used.
      callout().push_back(CalloutEntry{JobId(job)});
      note([&] { return "timeout(process_signal) for " + job_label(job) + "'s own signal"; });
    } else if (j.sigev.notify == static_cast<std::uint8_t>(Notify::signal) ||
               (j.sigev.notify == static_cast<std::uint8_t>(Notify::thread_id) &&
                !variant(Variant::pre_vx1))) {  // V52/V6b signal SIGEV_SIGNAL jobs only
      check_job_notify(job, "job signal");
      aio_sendsig(p, j.sigev, kSrcJob, job);
    }
    knote_locked(kSrcJob, job);
    if (lj_done && !early) lio_notify(lio, "aio_bio_done_notify");
  }
  // `kaio-wakeup-unlocked` (F12): the completer tests KAIO_WAKEUP after dropping
  // the proc lock, in a step of its own (kaio_wakeup_unlocked()).
  if (!variant(Variant::kaio_wakeup_unlocked)) kaio_wakeup(p);
  if (lio.valid() && variant(Variant::lio_split_path_check) && !silent) lio_split_notify(job, bufdone);
}

void Kernel::kaio_wakeup(int p) {
  Proc& pr = s.procs[p];
  if (pr.kaio_flags & KAIO_WAKEUP) {
    pr.kaio_flags &= static_cast<std::uint8_t>(~KAIO_WAKEUP);
    wakeup(WC_AIOINFO, static_cast<std::uint8_t>(p));
  }
}

void Kernel::free_lio(LioId lio) {
  Lio& l = s.lios[lio];
  int p = l.proc.index();
  sigqueue_take(p, kSrcLio, lio.index());
  mark_knotes_stale(kFilterLio, lio.raw());
  for (LioId& b : s.procs[p].lio_of_name)
    if (b == LioId(lio)) b = LioId::none();
  note([&] { return lio_label(lio) + " freed"; });
  l = Lio{};
}

// knlist_clear (F1) = 1.95's knlist_cleardel(killkn=0): detach only, flag
// EOF|ONESHOT, leave the knotes on the kqueue. An INFLUX knote is skipped, and if
// one remains the caller sleeps on its kq ("kqkclr") and retries, as in delete mode.
// Returns true when the knlist is empty.
static bool knlist_clear(Kernel& k, Knlist& klist) {
  auto snapshot = klist;
  for (KnoteId kn : snapshot) {
    Knote& n = k.s.knotes[kn];
    if (n.status & KN_INFLUX) continue;
    klist.remove(kn);
    n.knlist = kNone;
    n.status |= KN_DETACHED;
    n.flags |= evflag::EV_EOF | evflag::EV_ONESHOT;
  }
  if (klist.empty()) return true;
  int kq = k.s.knotes[klist[0]].kq.index();
  k.s.kqs[kq].kq_state |= KQ_FLUXWAIT;
  return false;
}

Kernel::Sub Kernel::aio_free_entry(int job) {
  ThreadSt& t = th();
  Job& j = s.jobs[job];
  int p = j.proc.index();
  Proc& pr = s.procs[p];
  if (t.fe != FE_START) {
    // Woken from "kqkclr": knlist_delete retakes the knlist lock (P).
    if (!lock_p(p)) return Sub::blocked;
    act(t.fe == FE_JOB_DROP ? StepName("knlist_delete:knote_drop") : StepName("knlist_delete:retry"));
  }
  if (t.fe == FE_START) {
    AIOMC_ASSERT(holds_p(p));
    act("aio_free_entry");
    untimeout_process_signal(job);
    if (j.jobstate != JOBST_JOBFINISHED) panic("aio_free_entry of a job that is not FINISHED");
    num_queue_count()--;
    j.qcounted = 0;
    pr.kaio_count--;
    j.counted = 0;
    pr.kaio_done.remove(JobId(job));
    pr.kaio_all.remove(JobId(job));
    j.freeing = 1;
    note([&] { return job_label(job) + " freed"; });
    t.lio = LioId::none();
    if (j.lio.valid()) {
      Lio& l = s.lios[j.lio];
      l.lioj_count--;
      l.lioj_finished_count--;
      if (l.lioj_count == 0) {
        pr.kaio_liojoblist.remove(j.lio);
        t.lio = j.lio;
        t.fe = FE_LIO_WAIT;
      } else {
        t.fe = FE_JOB_WAIT;
      }
    } else {
      t.fe = FE_JOB_WAIT;
    }
  }
  if (t.fe == FE_LIO_WAIT) {
    if (!knlist_delete(kSrcLio, t.lio.index())) {
      kqkclr_sleep(s.lios[t.lio].klist, p, "knlist_delete: kqkclr");
      return Sub::step;
    }
    free_lio(t.lio);
    s.jobs[job].lio = LioId::none();
    t.lio = LioId::none();
    t.fe = FE_JOB_WAIT;
  }
  if (t.fe == FE_JOB_DROP) knlist_delete_knote_drop();  // F8 (model/history/)
  if (variant(Variant::knlist_clear_stale_knote)) {
    if (!knlist_clear(*this, j.klist)) {
      kqkclr_sleep(j.klist, p, "knlist_clear: kqkclr");
      return Sub::step;
    }
  } else if (variant(Variant::kqclose_influx_double_drop) && knlist_delete_detach_one(kSrcJob, job)) {
    t.fe = FE_JOB_DROP;  // F8 (model/history/): knote_drop is the next step
    return Sub::step;
  } else if (!knlist_delete(kSrcJob, job)) {
    kqkclr_sleep(j.klist, p, "knlist_delete: kqkclr");
    return Sub::step;
  }
  sigqueue_take(p, kSrcJob, job);
  mark_knotes_stale(kFilterAio, job);
  // F18 (b): a submitter still inside V6b's aio_qphysio holds a pointer to the job.
  if (variant(Variant::qphysio_error_leak))
    for (ThreadSt& other : s.threads)
      if (&other != &t && other.job == job) {
        other.job = kNone;
        other.job_freed = 1;
      }
  s.jobs[job] = Job{};
  unlock_p(p);
  t.fe = FE_START;
  return Sub::done;
}

}  // namespace aiomc::model
