// kern_event.c 1.95 as amended on RELENG_6: knotes, knlists, activation,
// registration, and the knote side of teardown (§C of kernel-facts.md).
#include "model/kernel.hpp"
#include "model/knlists.hpp"

namespace aiomc::model {

int Kernel::knote_alloc() {
  for (int i = 0; i < kMaxKnotes; ++i) {
    if (!view().knotes[i].live) {
      s.knotes[i] = Knote{};
      s.knotes[i].live = 1;
      return i;
    }
  }
  AIOMC_ASSERT(!"knote capacity exceeded");
  return -1;
}

// Every knote is looked at, read-only; only the ones that match are written.
void Kernel::mark_knotes_stale(std::uint8_t filter, int sdata) {
  for (int i = 0; i < kMaxKnotes; ++i) {
    const Knote& k = view().knotes[i];
    if (k.live && k.filter == filter && k.sdata == sdata) s.knotes[i].sdata_stale = 1;
  }
}

// K-I1: only the thread that set KN_INFLUX may change or free the knote.
void Kernel::take_influx(KnoteId kn) {
  Knote& k = s.knotes[kn];
  if ((k.status & KN_INFLUX) && k.influx_owner != me)
    violate(Inv::knote_influx_exclusive, [&] {
      return knote_label(kn) + " is KN_INFLUX, owned by " + m.actor_name(k.influx_owner) + ", taken by " +
             m.actor_name(me);
    });
  k.status |= KN_INFLUX;
  k.influx_owner = static_cast<std::uint8_t>(me);
}

Knlist& Kernel::knlist_of(std::uint8_t filter, int owner) {
  return model::knlist_of(s, filter, owner);
}

int Kernel::knlist_proc(std::uint8_t filter, int owner) const {
  if (filter == kFilterAio) return s.jobs[owner].proc.raw();  // 0xFF for a freed job (issue 10: F1 + kevent)
  if (filter == kFilterLio) return s.lios[owner].proc.raw();
  return -1;
}

int Kernel::knote_list_lock_proc(KnoteId kn) {
  const Knote& k = s.knotes[kn];
  if (k.knlist == kNone || k.filter == kFilterRead) return -1;
  bool live = k.filter == kFilterAio ? s.jobs[k.knlist].live : s.lios[k.knlist].live;
  if (!live) {
    // Unreachable when knlist_cleardel waits for INFLUX knotes before the owner is
    // freed; a knote left behind would take the freed owner's lock.
    violate(Inv::no_stale_kevent, [&] { return "KN_LIST_LOCK of " + knote_label(kn) + " follows kn_knlist into a freed object"; });
    panic("KN_LIST_LOCK of " + knote_label(kn) + " on a freed knlist");
    return kListLockFreed;
  }
  return knlist_proc(k.filter, k.knlist);
}

// kqueue_register, after the EV_ADD block, under the kq lock: EV_DISABLE, then
// EV_ENABLE, which requeues a knote that is active and not queued.
void Kernel::register_enable_disable(KnoteId kn, std::uint16_t flags) {
  Knote& k = s.knotes[kn];
  if ((flags & evflag::EV_DISABLE) && !(k.status & KN_DISABLED)) k.status |= KN_DISABLED;
  if ((flags & evflag::EV_ENABLE) && (k.status & KN_DISABLED)) {
    k.status &= static_cast<std::uint8_t>(~KN_DISABLED);
    if ((k.status & KN_ACTIVE) && !(k.status & KN_QUEUED)) knote_enqueue(kn);
  }
}

// filt_aio / filt_lio / filt_soread. A knote whose kn_sdata is stale reads freed
// memory: the model reads it as zeroed (not finished).
bool Kernel::f_event(KnoteId kn) {
  Knote& k = s.knotes[kn];
  if (k.filter == kFilterRead) {
    // filt_soread / filt_piperead: readable once a byte is buffered (low water 1).
    k.data = static_cast<std::int16_t>(s.socks[k.sdata].data);
    return s.socks[k.sdata].data > 0;
  }
  if (k.sdata == kNone || k.sdata_stale) return false;
  if (k.filter == kFilterAio) {
    const Job& j = s.jobs[k.sdata];
    k.data = j.error;
    if (j.jobstate != JOBST_JOBFINISHED) return false;
    k.flags |= evflag::EV_EOF;
    return true;
  }
  return (s.lios[k.sdata].lioj_flags & LIOJ_KEVENT_POSTED) != 0;
}

void Kernel::kqueue_wakeup(KqId kq) {
  Kqueue& q = s.kqs[kq];
  if (q.kq_state & KQ_SLEEP) {
    q.kq_state &= static_cast<std::uint8_t>(~KQ_SLEEP);
    wakeup(WC_KQ, kq.raw());
  }
}

void Kernel::kq_flux_wakeup(KqId kq) {
  Kqueue& q = s.kqs[kq];
  if (q.kq_state & KQ_FLUXWAIT) {
    q.kq_state &= static_cast<std::uint8_t>(~KQ_FLUXWAIT);
    wakeup(WC_KQ, kq.raw());
  }
}

void Kernel::knote_enqueue(KnoteId kn) {
  Knote& k = s.knotes[kn];
  Kqueue& q = s.kqs[k.kq];
  AIOMC_ASSERT(!(k.status & KN_QUEUED));
  q.head.push_back(KqHeadEntry::knote_entry(KnoteId(kn)));
  k.status |= KN_QUEUED;
  q.kq_count++;
  kqueue_wakeup(k.kq);
}

void Kernel::knote_dequeue(KnoteId kn) {
  Knote& k = s.knotes[kn];
  Kqueue& q = s.kqs[k.kq];
  AIOMC_ASSERT(k.status & KN_QUEUED);
  AIOMC_ASSERT(q.head.remove(KqHeadEntry::knote_entry(KnoteId(kn))));
  k.status &= static_cast<std::uint8_t>(~KN_QUEUED);
  q.kq_count--;
}

// KNOTE_ACTIVATE: the event invariants are checked at the activation (S5).
void Kernel::knote_activate(KnoteId kn) {
  Knote& k = s.knotes[kn];
  if (k.filter == kFilterAio && k.sdata != kNone && !k.sdata_stale) check_job_notify(k.sdata, "EVFILT_AIO activation");
  k.status |= KN_ACTIVE;
  if ((k.status & (KN_QUEUED | KN_DISABLED)) == 0) knote_enqueue(kn);
  note([&] { return knote_label(kn) + " activated"; });
}

// knote(list, hint, islocked=1) with the knlist lock (the proc mutex) held: an
// INFLUX knote is skipped, its event not evaluated.
void Kernel::knote_locked(int owner_kind, int owner) {
  knote_list(knlist_of(src_filter(owner_kind), owner));
}

// sowakeup / pipeselwakeup with the sockbuf (pipe) lock held: KNOTE_LOCKED on the
// object's si_note.
void Kernel::knote_socket(int obj) { knote_list(s.socks[obj].si_note); }

void Kernel::knote_list(const Knlist& klist) {
  auto list = klist;  // SLIST_FOREACH: activation does not change the knlist
  for (KnoteId kn : list) {
    Knote& k = s.knotes[kn];
    if (k.status & KN_INFLUX) {
      note([&] { return "knote() skips " + knote_label(kn) + ": KN_INFLUX"; });
      continue;
    }
    kq_lock_nested(k.kq);
    if (!(k.status & KN_INFLUX) && f_event(kn)) knote_activate(kn);
    kq_unlock_nested(k.kq);
  }
}

void Kernel::kqkclr_sleep(const Knlist& klist, int p, const char* what) {
  int kq = s.knotes[klist[0]].kq.index();
  unlock_p(p);
  sleep_on(WC_KQ, static_cast<std::uint8_t>(kq), false);
  if (what != nullptr) note(what);
}

void Kernel::knlist_remove_set_detached(KnoteId kn) {
  Knote& k = s.knotes[kn];
  kq_lock_nested(k.kq);
  act("knlist_remove:set_detached");
  k.status |= KN_DETACHED;
  kq_unlock_nested(k.kq);
}

Kernel::Sub Kernel::f_detach(KnoteId kn, std::optional<StepName> named) {
  Knote& k = s.knotes[kn];
  const StepName action = named ? *named
                                : k.filter == kFilterRead ? StepName("filt_sordetach:knlist_remove")
                                                          : StepName("filt_aiodetach:knlist_remove");
  if (k.filter == kFilterRead) {
    // filt_sordetach: knlist_remove on the socket's (pipe's) receive knlist; its
    // sockbuf lock is folded into the step.
    act(action);
    if (k.knlist != kNone && !knlist_of(k.filter, k.knlist).remove(KnoteId(kn))) {
      panic("SLIST_REMOVE of " + knote_label(kn) + ", absent from its socket's knlist");
      return Sub::done;
    }
    k.knlist = kNone;
    return Sub::step;
  }
  // filt_aiodetach / filt_liodetach work on kn_sdata, not kn_knlist:
  // if (!knlist_empty(&aiocbe->klist)) knlist_remove(&aiocbe->klist, kn, 0).
  if (k.sdata == kNone) {
    act(action);
    panic("f_detach of " + knote_label(kn) + ": NULL kn_sdata");
    return Sub::done;
  }
  if (k.sdata_stale) {
    act(action);
    violate(Inv::free_once, [&] { return "f_detach of " + knote_label(kn) + " reads its freed object through kn_sdata"; });
    panic("f_detach of " + knote_label(kn) + " on a freed object");
    return Sub::done;
  }
  auto& list = knlist_of(k.filter, k.sdata);
  if (list.empty()) return Sub::free;
  int lp = knlist_proc(k.filter, k.sdata);
  if (lp >= 0 && !lock_p(lp)) return Sub::blocked;
  act(action);
  if (!list.remove(KnoteId(kn))) {
    // kn_sdata names another job or list than the one kn hangs on (a user EV_ADD
    // rewrote it, F27): SLIST_REMOVE walks off the end of that list.
    panic("SLIST_REMOVE of " + knote_label(kn) + " from the knlist of its kn_sdata, which does not hold it");
    return Sub::done;
  }
  k.knlist = kNone;
  if (lp >= 0) unlock_p(lp);
  return Sub::step;
}

// The kqueue a thread was dropping a knote from, when that knote is already gone.
int Kernel::th_kq_of_dropped(KnoteId) const {
  const ThreadSt& t = s.threads[me];
  return me < m.nthreads_ && t.kq.valid() && s.kqs[t.kq].live ? t.kq.index() : -1;
}

// knote_drop: the caller owns the knote through KN_INFLUX.
void Kernel::knote_drop(KnoteId kn) {
  Knote& k = s.knotes[kn];
  if (!k.live) {
    violate(Inv::knote_single_drop, [&] { return "knote_drop of " + knote_label(kn) + ", already dropped and freed"; });
    violate(Inv::free_once, [&] { return "knote#" + std::to_string(kn.index()) + " freed twice"; });
    // SLIST_REMOVE of the freed knote from its kq's ident hash: 1.95 skips an empty
    // list (`slist-empty-remove` removes that guard); a non-empty one is walked off.
    int kq = th_kq_of_dropped(kn);
    if (kq >= 0 && (!s.kqs[kq].knhash.empty() || variant(Variant::slist_empty_remove)))
      panic("SLIST_REMOVE of an absent knote from the kq ident hash (knote_drop of a freed knote)");
    return;
  }
  if (k.knlist != kNone && k.filter != kFilterRead) {
    // f_detach removed nothing (kn_sdata's knlist was empty): the freed knote stays
    // linked on its job's or list's knlist.
    violate(Inv::free_once, [&] {
      return "knote_drop frees " + knote_label(kn) + " while it is still on a knlist (f_detach followed kn_sdata)";
    });
    panic("knote_drop of " + knote_label(kn) + " still on a knlist");
    return;
  }
  if (k.influx_owner != me)
    violate(Inv::knote_influx_exclusive, [&] {
      return "knote_drop of " + knote_label(kn) + " by " + m.actor_name(me) + ", KN_INFLUX owned by " +
             (k.influx_owner == kNone ? std::string("nobody") : m.actor_name(k.influx_owner));
    });
  Kqueue& q = s.kqs[k.kq];
  KqId kq = k.kq;
  kq_lock_nested(kq);
  if (!q.knhash.remove(KnoteId(kn))) {
    // 1.95 guards only the empty list; removing an absent element from a non-empty
    // SLIST walks off its end.
    if (!q.knhash.empty() || variant(Variant::slist_empty_remove))
      panic("SLIST_REMOVE of an absent knote from the kq ident hash");
  }
  if (k.status & KN_QUEUED) knote_dequeue(kn);
  kq_flux_wakeup(kq);
  kq_unlock_nested(kq);
  note([&] { return knote_label(kn) + " dropped"; });
  s.knotes[kn] = Knote{};
}

// knlist_delete(knl, td, islocked=1) = knlist_cleardel(killkn=1), RELENG_6's _SAFE
// iteration. Returns false when an INFLUX knote remains: the caller sleeps on
// its kq ("kqkclr"), which releases the knlist lock (the proc mutex).
bool Kernel::knlist_delete(int owner_kind, int owner) {
  auto& klist = knlist_of(src_filter(owner_kind), owner);
  auto snapshot = klist;
  for (int i = 0; i < snapshot.size(); ++i) {
    KnoteId kn = snapshot[i];
    Knote& k = s.knotes[kn];
    kq_lock_nested(k.kq);
    if (k.status & KN_INFLUX) {
      kq_unlock_nested(k.kq);
      continue;
    }
    klist.remove(kn);
    k.knlist = kNone;
    k.status |= KN_DETACHED;
    take_influx(kn);
    KqId kq = k.kq;
    kq_unlock_nested(kq);
    knote_drop(kn);
  }
  if (klist.empty()) return true;
  int kq = s.knotes[klist[0]].kq.index();
  s.kqs[kq].kq_state |= KQ_FLUXWAIT;
  return false;
}

}  // namespace aiomc::model
