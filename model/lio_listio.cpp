// lio_listio (do_lio_listio in 1.220, §B.3.11): the extra hold on lioj_count while
// members are submitted, EVFILT_LIO registration, the LIO_WAIT loop and the
// LIO_NOWAIT final check.
#include "model/kernel.hpp"

namespace aiomc::model {
namespace {
enum LioPhase : std::uint8_t {
  LL_START = 0,
  LL_SIG = 1,       // sigevent: EVFILT_LIO registration steps
  LL_INSERT = 2,    // P: on kaio_liojoblist, lioj_count = 1
  LL_MEMBERS = 3,   // aio_aqueue per entry
  LL_FINISH = 4,    // P: wait / final check / drop the hold
  LL_FREE_WAIT = 5, // knlist_delete slept while freeing the lio
  LL_OLD_WAIT = 6,  // F2 / eras: V52/V6b's LIO_WAIT loop over the done queues
  LL_SET_WAKEUP = 7,  // F12: KAIO_WAKEUP set in a step of its own, then sleep
};
constexpr std::uint8_t kInterrupted = 0x01;  // th().flags: the LIO_WAIT sleep was interrupted

int entry_opcode(LioOpcode op) {
  switch (op) {
    case LioOpcode::read: return 1;
    case LioOpcode::write: return 2;
    case LioOpcode::nop: return 0;
    case LioOpcode::other: return 3;
  }
  return 3;
}

// LIO_WAIT's sleep with P held: KAIO_WAKEUP and msleep "aiospn" (P released), or under
// kaio-wakeup-unlocked (F12) P dropped first and KAIO_WAKEUP set in a step of its own.
bool lio_wait_sleep(Kernel& k, int p) {
  if (k.variant(Variant::kaio_wakeup_unlocked)) {
    k.unlock_p(p);
    k.th().ph = LL_SET_WAKEUP;
    return true;
  }
  k.kaio_wait(p, false, true, "aiospn");
  return true;
}
}  // namespace

// The steps of do_lio_listio, one function each, chosen by the thread's phase.
bool Kernel::sys_lio_listio(const Op& op) {
  switch (th().ph) {
    case LL_START: return lio_listio_setup(op);
    case LL_SIG: return lio_listio_register(op);
    case LL_INSERT: return lio_listio_insert(op);
    case LL_MEMBERS: return lio_listio_members(op);
    case LL_SET_WAKEUP: return lio_listio_set_kaio_wakeup(op);
    case LL_FINISH: return lio_listio_finish(op);
    case LL_OLD_WAIT: return lio_old_wait(op);
    case LL_FREE_WAIT: return lio_listio_free_wait(op);
  }
  AIOMC_ASSERT(!"bad lio_listio phase");
  return false;
}

// Entry: the size check, kaioinfo, the lio and its sigevent.
bool Kernel::lio_listio_setup(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  if (t.init == INIT_TEST && nosys()) return true;
  if (static_cast<int>(op.list.size()) > cfg.aio_listio_max) {
    act("lio_listio:einval");
    finish_op(err::einval, 0, kRetNumber);
    return true;
  }
  Sub init = aio_init_aioinfo(p);
  if (init == Sub::blocked) return false;
  if (init == Sub::step) return true;  // ph stays: the next step re-tests (free)
  // Allocate lj; set up the signal (ignored for LIO_WAIT).
  act("lio_listio:setup");
  int lio = -1;
  for (int i = 0; i < kMaxLios && lio < 0; ++i)
    if (!view().lios[i].live) lio = i;
  AIOMC_ASSERT(lio >= 0);
  Lio& l = s.lios[lio];
  l = Lio{};
  l.live = 1;
  l.proc = ProcId(p);
  l.name = op.as >= 0 ? static_cast<std::uint8_t>(op.as) : kNone;
  if (op.sigevent && !op.wait) {
    int kq = -1;
    int e = lio_sigevent(*op.sigevent, l, p, &kq);
    if (e != 0) {
      l = Lio{};
      finish_op(e, 0, kRetNumber);
      return true;
    }
    if (kq >= 0) {
      t.lio = LioId(lio);
      t.kq = KqId(kq);
      t.ph = LL_SIG;
      t.kr = KR_LOOKUP;
      if (op.as >= 0) pr.lio_of_name[op.as] = LioId(lio);
      return lio_listio_register(op);
    }
  }
  if (op.as >= 0) pr.lio_of_name[op.as] = LioId(lio);
  t.lio = LioId(lio);
  t.ph = LL_INSERT;
  return lio_listio_insert(op);
}

// The list's sigevent (LIO_NOWAIT): LIOJ_SIGNAL and what the user asked for. Returns
// the error that fails the call (0: none); *kq_out >= 0 when EVFILT_LIO is to be
// registered on that kqueue.
int Kernel::lio_sigevent(const SigEvent& sev, Lio& l, int p, int* kq_out) {
  Proc& pr = s.procs[p];
  l.sigev.notify = static_cast<std::uint8_t>(sev.notify);
  l.sigev.signo = static_cast<std::int16_t>(sev.signo);
  l.sigev.udata = static_cast<std::int32_t>(sev.udata);
  if (sev.notify == Notify::thread_id && sev.thread >= 0)
    l.sigev.thread = ThreadId(m.thread_actor(p, sev.thread));
  if (variant(Variant::pre_vx1)) {
    // Eras before 6.1 (S24): V52 and V6b copy the sigevent and set LIOJ_SIGNAL
    // whenever sigev_signo is valid, whatever sigev_notify says, and fail an
    // invalid one with EINVAL (V6b vfs_aio.c 1.195.2.4:1968-1980; 5.2
    // :1969-1981). There is no EVFILT_LIO: for SIGEV_KEVENT the slot holds the
    // kqueue's descriptor. Who posts, and for which kinds, is the completer's
    // business (lio_wants_signal, softclock_step).
    if (sev.notify == Notify::kevent) {
      int kq = sev.kq >= 0 ? pr.kq_of_name[sev.kq].or_minus1() : -1;
      l.sigev.signo = static_cast<std::int16_t>(kq >= 0 ? s.kqs[kq].fd : 0);
    }
    if (!sig_valid(l.sigev.signo)) return err::einval;
    l.lioj_flags |= LIOJ_SIGNAL;
    l.wanted = sev.notify != Notify::none;  // ghost: the user asked to be told
  } else if (sev.notify == Notify::kevent) {
    int kq = sev.kq >= 0 ? pr.kq_of_name[sev.kq].or_minus1() : -1;
    if (kq < 0) return err::ebadf;
    l.sigev.signo = static_cast<std::int16_t>(s.kqs[kq].fd);  // sigev_notify_kqueue
    l.wanted = 1;
    // F6: V6b set LIOJ_SIGNAL from sigev_signo whatever sigev_notify said, and
    // sigev_signo is the kqueue descriptor here (4 = SIGILL).
    if (variant(Variant::kevent_job_sigill) && sig_valid(l.sigev.signo)) l.lioj_flags |= LIOJ_SIGNAL;
    *kq_out = kq;
    return 0;
  }
  if (variant(Variant::pre_vx1)) {
    // set up above
  } else if (sev.notify == Notify::signal || sev.notify == Notify::thread_id) {
    if (!sig_valid(sev.signo)) return err::einval;
    l.lioj_flags |= LIOJ_SIGNAL;
    l.wanted = 1;
  } else if (sev.notify == Notify::none) {
    // F6b: V6b signals a SIGEV_NONE list that carries a valid signal number.
    if (variant(Variant::sigev_none_signalled) && sig_valid(sev.signo)) l.lioj_flags |= LIOJ_SIGNAL;
  } else {
    return err::einval;
  }
  return 0;
}

// SIGEV_KEVENT: EVFILT_LIO registration through kqueue_register.
bool Kernel::lio_listio_register([[maybe_unused]] const Op& op) {
  ThreadSt& t = th();
  const Registration r = kernel_registration(t.kq.index(), kFilterLio, t.lio.index(), t.lio.index(), s.lios[t.lio].sigev.udata);
  int e = 0;
  Sub sub = kqueue_register(r, &e);
  if (sub == Sub::blocked) return false;
  if (sub == Sub::step) return true;
  t.kr = KR_LOOKUP;
  if (e != 0) {
    free_lio(t.lio);
    finish_op(e, 0, kRetNumber);
    return true;
  }
  t.ph = LL_INSERT;
  return true;
}

// P: the lio goes on kaio_liojoblist with the hold on lioj_count.
bool Kernel::lio_listio_insert([[maybe_unused]] const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  bool so_far = variant(Variant::lio_count_so_far);
  if (!lock_p(p)) return false;
  act("lio_listio:insert");
  Lio& l = s.lios[t.lio];
  pr.kaio_liojoblist.push_back(LioId(t.lio));
  l.submitting = 1;
  // The extra count keeps the lio alive and its notification back until every
  // member is queued. `lio-count-so-far` (F2) has no such hold.
  if (!so_far) {
    l.lioj_count = 1;
    l.hold = 1;
  }
  unlock_p(p);
  t.ph = LL_MEMBERS;
  t.i = 0;
  t.aq = AQ_ENTRY;
  t.nfail = 0;
  return true;
}

// One aio_aqueue per entry; a member that touches nothing shared goes on in the
// same step.
bool Kernel::lio_listio_members(const Op& op) {
  ThreadSt& t = th();
  while (t.i < op.list.size()) {
    const LioEntry& e = op.list[t.i];
    AioRequest req;
    req.job = e.job;
    req.fd = e.fd;
    req.opcode = entry_opcode(e.opcode);
    req.offset = e.offset;
    req.nbytes = e.nbytes;
    req.sigev = e.sigevent ? &*e.sigevent : nullptr;
    req.io_error = e.io_error;
    int err = 0;
    Sub sub = aio_aqueue(req, t.lio.raw(), &err);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::step) return true;
    if (err != 0) t.nfail++;
    t.i++;
    t.aq = AQ_ENTRY;
    if (sub == Sub::done) {
      if (t.i >= op.list.size()) t.ph = LL_FINISH;
      return true;
    }
    // Sub::free: nothing shared touched; the next member goes on in this step.
  }
  t.ph = LL_FINISH;
  return lio_listio_finish(op);
}

// F12 only: KAIO_WAKEUP set and the sleep taken a step after the scan.
bool Kernel::lio_listio_set_kaio_wakeup([[maybe_unused]] const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  bool so_far = variant(Variant::lio_count_so_far);
  // F12: the scan found the list unfinished; setting KAIO_WAKEUP and sleeping
  // come a step later, since the completers no longer take P around the flag.
  if (!lock_p(p)) return false;
  act("lio_listio:set_kaio_wakeup");
  t.ph = so_far ? LL_OLD_WAIT : LL_FINISH;
  kaio_wait(p, false, true, nullptr);
  return true;
}

// P: LIO_WAIT sleeps until every member is done, LIO_NOWAIT checks and notifies;
// the hold is dropped and the lio freed with its last reference.
bool Kernel::lio_listio_finish(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  if (variant(Variant::lio_count_so_far)) {
    // S24: V52's and V6b's lio_listio never touch the list after the submission
    // loop (vfs_aio.c 1.195.2.4:2002-2088): no hold to drop, no final check, no
    // free. The list goes with its last member (aio_free_entry) or at rundown.
    if (s.lios[t.lio].live) s.lios[t.lio].submitting = 0;
    int nqueued = static_cast<int>(op.list.size()) - t.nfail;
    if (!op.wait || nqueued == 0) {
      act("lio_listio:return");
      // V52/V6b return 0 when no entry was queued (1.195.2.4:2002-2003).
      bool none = nqueued == 0 && variant(Variant::pre_vx1);
      finish_op(t.nfail && !none ? err::eio : 0, 0, kRetNumber);
      return true;
    }
    t.ph = LL_OLD_WAIT;
    return lio_old_wait(op);
  }
  if (!lock_p(p)) return false;
  Lio& l = s.lios[t.lio];
  l.submitting = 0;
  if (op.wait) {
    if (t.timedout == 2) t.flags |= kInterrupted;
    bool done = l.lioj_count - 1 == l.lioj_finished_count;
    if (!done && !(t.flags & kInterrupted)) {
      act(t.woken ? StepName("lio_listio:rescan") : StepName("lio_listio:wait"));
      return lio_wait_sleep(*this, p);
    }
    act("lio_listio:done");
  } else {
    act("lio_listio:final");
    l.hold = 0;
    if (l.lioj_count - 1 == l.lioj_finished_count) lio_notify(t.lio, "lio_listio");
  }
  l.hold = 0;
  l.lioj_count--;
  if (l.lioj_count == 0) {
    pr.kaio_liojoblist.remove(LioId(t.lio));
    if (!knlist_delete(kSrcLio, t.lio.index())) {
      kqkclr_sleep(l.klist, p);
      t.ph = LL_FREE_WAIT;
      return true;
    }
    free_lio(t.lio);
  }
  unlock_p(p);
  return lio_listio_return();
}

// knlist_delete slept ("kqkclr"): retry, then free the lio.
bool Kernel::lio_listio_free_wait([[maybe_unused]] const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  if (!lock_p(p)) return false;
  act("knlist_delete:retry");
  if (!knlist_delete(kSrcLio, t.lio.index())) {
    kqkclr_sleep(s.lios[t.lio].klist, p);
    return true;
  }
  free_lio(t.lio);
  unlock_p(p);
  return lio_listio_return();
}

// The call's result: EIO when a member failed to queue, EINTR when the wait was
// interrupted.
bool Kernel::lio_listio_return() {
  ThreadSt& t = th();
  int e = t.nfail ? err::eio : ((t.flags & kInterrupted) ? err::eintr : 0);
  finish_op(e, 0, kRetNumber);
  return true;
}

// V52's and V6b's LIO_WAIT loop (vfs_aio.c 1.195.2.4:2012-2085; V52 alike): count
// the entries that are LIO_NOP or whose job, looked up by the job reference the
// aiocb carries, is on kaio_jobdone/kaio_bufdone; return once that equals the
// number queued, else set KAIO_WAKEUP and tsleep "aiospn" with no timeout. A member
// another thread has reaped is on no done queue any more, so the loop never ends.
// The scan holds P here only because the completers test KAIO_WAKEUP under it in
// the model; `kaio-wakeup-unlocked` (F12) splits it from the sleep.
bool Kernel::lio_old_wait(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  Proc& pr = s.procs[p];
  if (!lock_p(p)) return false;
  if (t.timedout == 2) {  // tsleep(PCATCH) interrupted by thread_single
    act("lio_listio:wakeup");
    unlock_p(p);
    finish_op(err::eintr, 0, kRetNumber);
    return true;
  }
  act(t.woken ? StepName("lio_listio:rescan") : StepName("lio_listio:scan"));
  int found = 0;
  for (const LioEntry& e : op.list) {
    if (e.opcode == LioOpcode::nop) {
      found++;
      continue;
    }
    for (JobId job : pr.kaio_done) {
      const Job& j = s.jobs[job];
      if (j.uaiocb == e.job && j.lio == t.lio) {
        found++;
        break;
      }
    }
  }
  if (found == static_cast<int>(op.list.size()) - t.nfail) {
    unlock_p(p);
    finish_op(t.nfail ? err::eio : 0, 0, kRetNumber);
    return true;
  }
  return lio_wait_sleep(*this, p);
}

}  // namespace aiomc::model
