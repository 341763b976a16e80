// kqueue(2), kevent(2) (changes, then kqueue_scan) and close(2) with kqueue_close.
#include "model/kernel.hpp"

namespace aiomc::model {
namespace {
enum KeventPhase : std::uint8_t {
  KE_START = 0,
  KE_CHANGE = 1,
  KE_SCAN = 2,
  KE_EVENT = 3,
  KE_ONESHOT_DROP = 4,
  KE_ONESHOT_DETACH = 5,
  KE_ONESHOT_DETACH2 = 6,
  KE_LASTCLOSE = 7,  // the last fdrop of a closed kqueue descriptor: kqueue_close
};
}  // namespace

bool Kernel::sys_kqueue(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  act("kqueue:create");
  int fd = fd_alloc(p);
  int kq = -1;
  for (int i = 0; i < kMaxKqueues && kq < 0; ++i)
    if (!view().kqs[i].live) kq = i;
  if (fd < 0 || kq < 0) {
    finish_op(err::emfile, 0, kRetNumber);
    return true;
  }
  s.kqs[kq] = Kqueue{};
  s.kqs[kq].live = 1;
  s.kqs[kq].proc = ProcId(p);
  s.kqs[kq].fd = static_cast<std::uint8_t>(fd);
  s.procs[p].fd_kind[fd] = FD_KQUEUE;
  s.procs[p].fd_target[fd] = static_cast<std::uint8_t>(kq);
  if (op.as >= 0) s.procs[p].kq_of_name[op.as] = KqId(kq);
  note([&] { return (op.as >= 0 ? prog.processes[p].kq_names[op.as] : std::string("kq")) + " → fd " + std::to_string(fd); });
  finish_op(0, 0, kRetNumber);
  return true;
}

// kern_kevent's steps, one function each, chosen by the thread's phase.
bool Kernel::sys_kevent(const Op& op) {
  switch (th().ph) {
    case KE_START: return kevent_fget(op);
    case KE_CHANGE: return kevent_change(op);
    case KE_LASTCLOSE: return kevent_lastclose(op);
    case KE_SCAN: return kqueue_scan_take(op);
    case KE_ONESHOT_DETACH:
    case KE_ONESHOT_DETACH2:
    case KE_ONESHOT_DROP: return kqueue_scan_oneshot(op);
    default: return kqueue_scan_event(op);
  }
}

// fget on the kqueue descriptor; the changes, or the scan, follow in the same step.
bool Kernel::kevent_fget(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  int kq = op.kq >= 0 ? s.procs[p].kq_of_name[op.kq].or_minus1() : -1;
  if (kq < 0 || (s.kqs[kq].kq_state & KQ_CLOSING)) {
    act("kevent:fget");
    finish_op(err::ebadf, 0, kRetNumber);
    return true;
  }
  t.kq = KqId(kq);
  t.i = 0;
  t.ph = op.changes.empty() ? KE_SCAN : KE_CHANGE;
  return t.ph == KE_CHANGE ? kevent_change(op) : kqueue_scan_take(op);
}

// The kevent a user change becomes: ident and kn_sdata resolved from the scenario's
// names (*fget_error: EBADF for a closed descriptor).
Kernel::Registration Kernel::kevent_registration(const KeventChange& c, int* fget_error) {
  int p = th().proc;
  Registration r{};
  r.kq = th().kq.raw();
  r.filter = static_cast<int>(c.filter);
  // kern_kevent clears EV_SYSFLAGS (EV_FLAG1 among them) from every user change.
  r.flags = static_cast<std::uint16_t>(c.flags & ~evflag::EV_SYSFLAGS);
  r.udata = static_cast<std::int32_t>(c.udata);
  r.sdata = kNone;  // data 0: a NULL kernel pointer
  if (c.data_kind == KeventChange::DataKind::job) {
    // The address of the process's live job for that aiocb (NULL if none is live).
    for (JobId job : s.procs[p].kaio_all)
      if (s.jobs[job].uaiocb == c.data) r.sdata = job.index();
  } else if (c.data_kind == KeventChange::DataKind::lio) {
    r.sdata = s.procs[p].lio_of_name[c.data].raw();
  }
  if (c.ident_kind == KeventChange::IdentKind::job) {
    r.ident = c.ident;
  } else if (c.ident_kind == KeventChange::IdentKind::fd) {
    // An fd filter: fget(ident) fails once the descriptor is closed.
    int fdnum = -1;
    for (int fd = 0; fd < kMaxFds; ++fd)
      if (s.procs[p].fd_kind[fd] == FD_OBJECT && s.procs[p].fd_target[fd] == c.ident) fdnum = fd;
    if (fdnum < 0) *fget_error = err::ebadf;
    r.ident = fdnum < 0 ? kNone : fdnum;
    r.sdata = c.ident;
  } else if (c.ident_kind == KeventChange::IdentKind::lio) {
    int lio = s.procs[p].lio_of_name[c.ident].or_minus1();
    r.ident = lio >= 0 ? lio : 0xFE;
  } else {
    r.ident = static_cast<int>(c.ident & 0xFF);
  }
  return r;
}

// S13: with room for events a change's error comes back as an EV_ERROR event (each
// takes one of the nevents slots); with none left the call fails with it. False:
// the call has ended.
bool Kernel::kevent_change_error(const Op& op, const KeventChange& c, const Registration& r, int e) {
  ThreadSt& t = th();
  if (t.events.size() < op.nevents) {
    t.events.push_back(CollectedEvent{.filter = static_cast<std::uint8_t>(c.filter),
                                      .ident = static_cast<std::uint8_t>(r.ident),
                                      .flags = evflag::EV_ERROR,
                                      .udata = r.udata,
                                      .data = static_cast<std::int16_t>(e)});
    return true;
  }
  kevent_return(e);
  return false;
}

// One change through kqueue_register; its error comes back as an EV_ERROR event.
bool Kernel::kevent_change(const Op& op) {
  ThreadSt& t = th();
  const KeventChange& c = op.changes[t.i];
  int fget_error = 0;
  Registration r = kevent_registration(c, &fget_error);
  // An unknown filter, or EVFILT_LIO in an era before it existed, is out of
  // range for kqueue_fo_find: EINVAL. A filter whose module is unloaded has
  // null_filtops: kqueue_register's attach fails with ENXIO (filt_nullattach).
  bool filter_gone = c.filter == Filter::lio && variant(Variant::pre_vx1);
  if (c.filter == Filter::other || filter_gone || fget_error) {
    act(fget_error ? StepName("kqueue_register:fget") : StepName("kqueue_register:filterops"));
    if (!kevent_change_error(op, c, r, fget_error ? fget_error : err::einval)) return true;
  } else {
    int e = 0;
    Sub sub = kqueue_register(r, &e);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::step) return true;
    t.kr = KR_LOOKUP;
    if (e != 0 && !kevent_change_error(op, c, r, e)) return true;
  }
  t.i++;
  if (t.i < op.changes.size()) return true;
  // kern_kevent: if any change failed, the errors are the result; no scan.
  if (!t.events.empty()) {
    kevent_return(0);
    return true;
  }
  t.ph = KE_SCAN;
  t.marker = 0;
  return true;
}

// The last reference to a kqueue closed under kevent: kqueue_close runs here.
bool Kernel::kevent_lastclose([[maybe_unused]] const Op& op) {
  ThreadSt& t = th();
  Sub sub = kqueue_close(t.kq);
  if (sub == Sub::blocked) return false;
  if (sub == Sub::done) {
    t.kc = KC_START;
    if (t.err != 0)
      finish_op(t.err, 0, kRetNumber);
    else
      finish_op_events();
  }
  return true;
  return true;
}

// The kqueue_scan loop ends at this thread's marker, or once nevents events are
// collected; either way the marker leaves kq_head and flux waiters are woken
// (KQ_UNLOCK_FLUX). True if the call has finished.
bool Kernel::kqueue_scan_done(const Op& op) {
  ThreadSt& t = th();
  Kqueue& q = s.kqs[t.kq];
  const KqHeadEntry mine = KqHeadEntry::marker_of(ThreadId(me));
  bool full = t.events.size() >= op.nevents || t.events.full();
  bool at_marker = t.marker && !q.head.empty() && q.head[0] == mine;
  if (!full && !at_marker) return false;
  if (t.marker) AIOMC_ASSERT(q.head.remove(mine));
  t.marker = 0;
  kq_flux_wakeup(t.kq);
  if (full || !t.events.empty()) {
    kevent_return(0);
    return true;
  }
  return false;  // the marker came back with nothing collected: retry
}

// kqueue_scan, one knote per step: under the kq lock, take the first entry of
// kq_head. The marker (KN_MARKER) goes at the tail when the scan starts; returned
// knotes are requeued behind it, so each is returned at most once per call. Another
// thread's marker, like an INFLUX knote, is waited for ("kqflxwt").
bool Kernel::kqueue_scan_take(const Op& op) {
  ThreadSt& t = th();
  Kqueue& q = s.kqs[t.kq];
  act("kqueue_scan:take");
  if (op.nevents == 0 || t.events.full()) {
    kevent_return(0);
    return true;
  }
  if (!t.marker) {
    if (q.kq_count == 0) {
      bool poll = op.timeout && *op.timeout == 0;
      if (t.timedout == 2) {  // thread_single aborted the sleep: "don't restart after signals"
        kevent_return(err::eintr);
        return true;
      }
      if (!t.events.empty() || poll || t.timedout) {
        kevent_return(0);
        return true;
      }
      q.kq_state |= KQ_SLEEP;
      // msleep(kq, ..., PSOCK | PCATCH, "kqread", timeout): interruptible.
      sleep_on(WC_KQ, t.kq.raw(), op.timeout.has_value(), true);
      note("msleep kqread");
      return true;
    }
    q.head.push_back(KqHeadEntry::marker_of(ThreadId(me)));
    t.marker = 1;
  }
  const KqHeadEntry first = q.head[0];
  if (first == KqHeadEntry::marker_of(ThreadId(me))) {
    kqueue_scan_done(op);
    return true;
  }
  if (first.is_marker() || (s.knotes[first.knote()].status & KN_INFLUX)) {
    q.kq_state |= KQ_FLUXWAIT;
    sleep_on(WC_KQ, t.kq.raw(), false);
    note([&] {
      return first.is_marker() ? "kqflxwt on the marker of " + m.actor_name(first.thread().index())
                               : "kqflxwt on " + knote_label(first.knote());
    });
    return true;
  }
  const KnoteId kn = first.knote();
  Knote& k = s.knotes[kn];
  q.head.erase_at(0);
  if (k.status & KN_DISABLED) {
    k.status &= static_cast<std::uint8_t>(~KN_QUEUED);
    q.kq_count--;
    kqueue_scan_done(op);
    return true;
  }
  take_influx(kn);
  t.kn = kn;
  note([&] { return "take " + knote_label(kn); });
  if (k.flags & evflag::EV_ONESHOT) {
    k.status &= static_cast<std::uint8_t>(~KN_QUEUED);
    q.kq_count--;
    t.events.push_back(CollectedEvent{.filter = k.filter, .ident = k.ident, .flags = k.flags, .udata = k.udata, .data = k.data});
    if (k.filter == kFilterAio && k.sdata_stale)
      violate(Inv::no_stale_kevent, [&] { return "kevent delivers " + knote_label(kn) + " for a job already freed"; });
    // f_detach unless the knote is already off its knlist, then knote_drop.
    t.ph = (k.status & KN_DETACHED) ? KE_ONESHOT_DROP : KE_ONESHOT_DETACH;
    return true;
  }
  t.ph = KE_EVENT;
  return true;
}

// EV_ONESHOT: f_detach (knlist_remove under the knlist lock, then KN_DETACHED under
// the kq lock) unless the knote is KN_DETACHED, then knote_drop.
bool Kernel::kqueue_scan_oneshot(const Op& op) {
  ThreadSt& t = th();
  if (t.ph == KE_ONESHOT_DETACH) {
    Sub sub = f_detach(t.kn);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::done) return true;
    t.ph = sub == Sub::step ? KE_ONESHOT_DETACH2 : KE_ONESHOT_DROP;
    if (sub == Sub::step) return true;
  }
  if (t.ph == KE_ONESHOT_DETACH2) {
    knlist_remove_set_detached(t.kn);
    t.ph = KE_ONESHOT_DROP;
    return true;
  }
  act("kqueue_scan:knote_drop");
  knote_drop(t.kn);
  t.kn = KnoteId::none();
  t.ph = KE_SCAN;
  kqueue_scan_done(op);
  return true;
}

// KN_LIST_LOCK, f_event, copy, requeue behind the marker (or clear), clear INFLUX.
bool Kernel::kqueue_scan_event(const Op& op) {
  ThreadSt& t = th();
  Kqueue& q = s.kqs[t.kq];
  Knote& k = s.knotes[t.kn];
  int lp = knote_list_lock_proc(t.kn);
  if (lp == kListLockFreed) return true;
  if (lp >= 0 && !lock_p(lp)) return false;
  act("kqueue_scan:f_event");
  bool event = f_event(t.kn);
  kq_lock_nested(t.kq);
  if (!event) {
    k.status &= static_cast<std::uint8_t>(~(KN_QUEUED | KN_ACTIVE | KN_INFLUX));
    k.influx_owner = kNone;
    q.kq_count--;
  } else {
    if (k.filter == kFilterAio && k.sdata_stale)
      violate(Inv::no_stale_kevent, [&] { return "kevent delivers " + knote_label(t.kn) + " for a freed job"; });
    t.events.push_back(CollectedEvent{.filter = k.filter, .ident = k.ident, .flags = k.flags, .udata = k.udata, .data = k.data});
    if (k.flags & evflag::EV_CLEAR) {
      k.data = 0;
      k.status &= static_cast<std::uint8_t>(~(KN_QUEUED | KN_ACTIVE));
      q.kq_count--;
    } else {
      q.head.push_back(KqHeadEntry::knote_entry(KnoteId(t.kn)));
    }
    k.status &= static_cast<std::uint8_t>(~KN_INFLUX);
    k.influx_owner = kNone;
  }
  kq_flux_wakeup(t.kq);
  kq_unlock_nested(t.kq);
  if (lp >= 0) unlock_p(lp);
  t.kn = KnoteId::none();
  t.ph = KE_SCAN;
  kqueue_scan_done(op);
  return true;
}

void Kernel::kqueue_fd_release(KqId kq) {
  const Kqueue& q = s.kqs[kq];
  Proc& pr = s.procs[q.proc];
  if (pr.fd_kind[q.fd] == FD_KQUEUE && pr.fd_target[q.fd] == kq.raw()) {
    pr.fd_kind[q.fd] = FD_CLOSED;
    pr.fd_target[q.fd] = 0;
  }
  for (KqId& b : pr.kq_of_name)
    if (b == KqId(kq)) b = KqId::none();
}

bool Kernel::kevent_holder_other(KqId kq) const {
  for (int i = 0; i < m.nthreads_; ++i) {
    const ThreadSt& o = s.threads[i];
    if (i == me || o.status == TS_DONE || o.status == TS_ENDED || o.ph == KE_START) continue;
    const Op& oop = prog.processes[o.proc].threads[m.thread_index_[i]].ops[o.pc];
    if (oop.kind == OpKind::kevent && o.kq == kq) return true;
  }
  return false;
}

void Kernel::kevent_return(int err) {
  ThreadSt& t = th();
  if ((s.kqs[t.kq].kq_state & KQ_FDCLOSED) && !kevent_holder_other(t.kq)) {
    note("last reference to the closed kqueue: kqueue_close");
    t.err = static_cast<std::int16_t>(err);
    t.ph = KE_LASTCLOSE;
    t.kc = KC_START;
    return;
  }
  if (err != 0)
    finish_op(err, 0, kRetNumber);
  else
    finish_op_events();
}

// kqueue_close: every knote on the ident hash is taken (INFLUX), detached and
// dropped. The reference sleeps on an INFLUX knote ("kqclo2"); 1.95 asserted.
Kernel::Sub Kernel::kqueue_close(KqId kq) {
  ThreadSt& t = th();
  Kqueue& q = s.kqs[kq];
  switch (t.kc) {
    case KC_START: {
      act("kqueue_close:scan");
      q.kq_state |= KQ_CLOSING;
      if (q.knhash.empty()) {
        // knlist_destroy, then the kqueue is freed.
        kqueue_fd_release(kq);
        wakeup(WC_KQ, kq.raw());
        s.kqs[kq] = Kqueue{};
        return Sub::done;
      }
      const KnoteId kn = q.knhash[0];
      Knote& k = s.knotes[kn];
      if ((k.status & KN_INFLUX) && !variant(Variant::kqclose_influx_double_drop)) {
        q.kq_state |= KQ_FLUXWAIT;
        sleep_on(WC_KQ, kq.raw(), false);
        note([&] { return "kqclo2: " + knote_label(kn) + " is INFLUX"; });
        return Sub::step;
      }
      if (k.status & KN_INFLUX) {
        // F8: 1.95 only asserts (no INVARIANTS here) and carries on with a knote
        // another thread owns; KN_INFLUX is already set, so nothing changes yet.
        note([&] { return "KN_INFLUX set when not suppose to be: " + knote_label(kn); });
      } else {
        take_influx(kn);
      }
      t.kn = kn;
      t.kc = (k.status & KN_DETACHED) ? KC_DROP : KC_DETACH;
      return Sub::step;
    }
    case KC_DETACH: {
      Sub sub = f_detach(t.kn, StepName("f_detach:knlist_remove"));
      if (sub == Sub::blocked || sub == Sub::done) return sub;
      t.kc = sub == Sub::step ? KC_DETACH2 : KC_DROP;
      return sub == Sub::step ? Sub::step : kqueue_close(kq);
    }
    case KC_DETACH2: {
      knlist_remove_set_detached(t.kn);
      t.kc = KC_DROP;
      return Sub::step;
    }
    case KC_DROP: {
      act("kqueue_close:knote_drop");
      knote_drop(t.kn);
      t.kn = KnoteId::none();
      t.kc = KC_START;
      return Sub::step;
    }
  }
  AIOMC_ASSERT(!"bad kqueue_close phase");
  return Sub::blocked;
}

namespace {
// close(2) (ThreadSt::ph): the descriptor, then (a kqueue's last reference) kqueue_close.
enum CloseFdPhase : std::uint8_t { CL_FDROP = 0, CL_KQUEUE_CLOSE = 1 };
}  // namespace

bool Kernel::sys_close(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  if (t.ph == CL_FDROP) {
    int kind = 0, target = 0, fdnum = 0;
    if (!fd_resolve(p, op.fd, &kind, &target, &fdnum)) {
      act("close:fget");
      finish_op(err::ebadf, 0, kRetNumber);
      return true;
    }
    if (kind == FD_OBJECT) {
      // knote_fdclose: the descriptor's knotes in the process's kqueues are
      // detached and dropped, one per step; an INFLUX one is waited for.
      for (int kq = 0; kq < kMaxKqueues; ++kq) {
        const Kqueue& q = view().kqs[kq];
        if (!q.live || q.proc != ProcId(p)) continue;
        for (KnoteId kn : q.knhash) {
          Knote& k = s.knotes[kn];
          if (k.filter != kFilterRead || k.ident != fdnum) continue;
          act("knote_fdclose");
          if (k.status & KN_INFLUX) {
            s.kqs[kq].kq_state |= KQ_FLUXWAIT;
            sleep_on(WC_KQ, static_cast<std::uint8_t>(kq), false);
            note([&] { return "kqflxwt on " + knote_label(kn); });
            return true;
          }
          take_influx(kn);
          if (k.knlist != kNone) knlist_of(k.filter, k.knlist).remove(kn);
          k.knlist = kNone;
          k.status |= KN_DETACHED;
          knote_drop(kn);
          return true;
        }
      }
      // Jobs hold their own file reference (fhold at submission), so closing the
      // descriptor only unbinds the number.
      act("close:fdrop");
      s.procs[p].fd_kind[fdnum] = FD_CLOSED;
      s.procs[p].fd_target[fdnum] = 0;
      finish_op(0, 0, kRetNumber);
      return true;
    }
    // Another thread inside kevent on it holds its own file reference (fget in
    // kern_kevent): close only frees the descriptor, and kqueue_close runs at the
    // last fdrop, in that thread.
    if (kevent_holder_other(KqId(target))) {
      act("close:fdrop");
      kqueue_fd_release(KqId(target));
      s.kqs[target].kq_state |= KQ_FDCLOSED;
      note("kevent holds the file: kqueue_close deferred to its fdrop");
      finish_op(0, 0, kRetNumber);
      return true;
    }
    t.kq = KqId(target);
    t.ph = CL_KQUEUE_CLOSE;
    t.kc = KC_START;
  }
  Sub sub = kqueue_close(t.kq);
  if (sub == Sub::blocked) return false;
  if (sub == Sub::done) finish_op(0, 0, kRetNumber);
  return true;
}

}  // namespace aiomc::model
