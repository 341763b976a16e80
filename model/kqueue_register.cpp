// kqueue_register (kern_event.c) as a sequence of steps, §B.6: lookup under the kq
// lock, knote_attach, f_attach/knlist_add, f_event and clearing KN_INFLUX. RELENG_6
// keeps the knlist lock until INFLUX is cleared; `register-unlock-window` (F11)
// restores 1.95's early unlock.
#include "model/kernel.hpp"

namespace aiomc::model {
namespace {
constexpr std::uint8_t kFlagEvent = 0x80;  // th().flags bit: F11's saved f_event result
}  // namespace

Kernel::Sub Kernel::kqueue_register(const Registration& r, int* err) {
  switch (th().kr) {
    case KR_LOOKUP: return kqueue_register_lookup(r, err);
    case KR_DROP_EPERM: return kqueue_register_attach_refused(r, err);
    case KR_DROP_ENXIO: return kqueue_register_attach_refused(r, err);
    case KR_ATTACH: return knlist_add_insert(r, err);
    case KR_ATTACH2: return knlist_add_clear_detached(r, err);
    case KR_EVENT: return kqueue_register_event(r, err);
    case KR_EVENT2: return kqueue_register_clear_influx(r, err);
    case KR_DETACH: return kqueue_register_detach(r, err);
    case KR_DETACH2: return kqueue_register_detach_set_detached(r, err);
    case KR_DROP: return kqueue_register_drop(r, err);
  }
  AIOMC_ASSERT(!"bad kqueue_register phase");
  return Sub::blocked;
}

// Lookup under the kq lock; a new knote is allocated and attached INFLUX|DETACHED.
Kernel::Sub Kernel::kqueue_register_lookup(const Registration& r, int* err) {
  ThreadSt& t = th();
  Kqueue& q = s.kqs[r.kq];
  act("kqueue_register:lookup");
  KnoteId found;
  for (KnoteId kn : q.knhash)
    if (s.knotes[kn].ident == r.ident && s.knotes[kn].filter == r.filter) found = kn;
  if (found.valid() && (s.knotes[found].status & KN_INFLUX)) {
    q.kq_state |= KQ_FLUXWAIT;
    sleep_on(WC_KQ, static_cast<std::uint8_t>(r.kq), false);
    note([&] { return "kqflxwt on " + knote_label(found); });
    return Sub::step;
  }
  if (found.is_none()) {
    if (!(r.flags & evflag::EV_ADD)) {
      *err = err::enoent;
      return Sub::done;
    }
    const KnoteId kn(knote_alloc());
    Knote& k = s.knotes[kn];
    k.kq = KqId(r.kq);
    k.filter = static_cast<std::uint8_t>(r.filter);
    k.ident = static_cast<std::uint8_t>(r.ident);
    k.sdata = static_cast<std::uint8_t>(r.sdata);
    k.udata = r.udata;
    // kn_kevent = *kev: the flags are kept as passed (EV_FLAG1 is cleared by the
    // attach routine) and come back in every event, EV_ADD|EV_ENABLE included.
    k.flags = r.flags;
    k.status = KN_INFLUX | KN_DETACHED;
    k.influx_owner = static_cast<std::uint8_t>(me);
    q.knhash.push_front(kn);  // knote_attach
    t.kn = kn;
    act("kqueue_register:knote_attach");
    note([&] { return knote_label(kn) + " INFLUX|DETACHED"; });
    // filt_aioattach / filt_lioattach refuse a registration without EV_FLAG1;
    // filt_soattach takes any; null_filtops (the aio module unloaded) refuses
    // every one with ENXIO.
    if (r.filter == kFilterRead) {
      t.kr = KR_ATTACH;
      return Sub::step;
    }
    std::uint8_t ops = r.filter == kFilterAio ? evfilt_aio_ops() : evfilt_lio_ops();
    if (ops == FOPS_STALE) {
      // F20: the filter table still points into the unloaded module's text.
      act("kqueue_register:f_attach");
      panic("EVFILT_LIO filterops point into the unloaded aio module");
      return Sub::done;
    }
    t.kr = ops == FOPS_NULL ? KR_DROP_ENXIO : (r.flags & evflag::EV_FLAG1) ? KR_ATTACH : KR_DROP_EPERM;
    return Sub::step;
  }
  t.kn = found;
  if (r.flags & evflag::EV_ADD) {
    take_influx(found);
    t.kr = KR_EVENT;
    t.flags |= 0x40;  // modify existing
    note([&] { return "existing " + knote_label(found); });
    return Sub::step;
  }
  if (r.flags & evflag::EV_DELETE) {
    take_influx(found);
    t.kr = (s.knotes[found].status & KN_DETACHED) ? KR_DROP : KR_DETACH;
    return Sub::step;
  }
  // EV_ENABLE / EV_DISABLE only.
  register_enable_disable(found, r.flags);
  *err = 0;
  return Sub::done;
}

// f_attach refused (EPERM without EV_FLAG1, ENXIO from null_filtops): the knote is dropped.
Kernel::Sub Kernel::kqueue_register_attach_refused([[maybe_unused]] const Registration& r, int* err) {
  ThreadSt& t = th();
  bool nullops = t.kr == KR_DROP_ENXIO;
  act("kqueue_register:knote_drop");
  note(nullops ? "f_attach: ENXIO (null_filtops)" : "f_attach: EPERM (no EV_FLAG1)");
  knote_drop(t.kn);
  t.kn = KnoteId::none();
  *err = nullops ? err::enxio : err::eperm;
  return Sub::done;
}

// f_attach -> knlist_add: the SLIST insert under the knlist lock.
Kernel::Sub Kernel::knlist_add_insert([[maybe_unused]] const Registration& r, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  Knote& k = s.knotes[t.kn];
  if (k.sdata == kNone) {
    // A user EV_ADD that passes EV_FLAG1 gets past the check with kn_sdata = 0.
    act("knlist_add:insert");
    panic("filt_" + std::string(k.filter == kFilterAio ? "aio" : "lio") + "attach: knlist_add on a NULL kn_sdata for " +
          knote_label(t.kn));
    return Sub::done;
  }
  int lp = knlist_proc(k.filter, k.sdata);
  if (lp >= 0 && !lock_p(lp)) return Sub::blocked;
  k.flags &= static_cast<std::uint16_t>(~evflag::EV_FLAG1);
  knlist_of(k.filter, k.sdata).push_front(KnoteId(t.kn));
  act("knlist_add:insert");
  if (lp >= 0) unlock_p(lp);
  t.kr = KR_ATTACH2;
  return Sub::step;
}

// knlist_add: kn_knlist set and KN_DETACHED cleared under the kq lock.
Kernel::Sub Kernel::knlist_add_clear_detached([[maybe_unused]] const Registration& r, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  Knote& k = s.knotes[t.kn];
  kq_lock_nested(k.kq);
  k.knlist = k.sdata;
  k.status &= static_cast<std::uint8_t>(~KN_DETACHED);
  act("knlist_add:clear_detached");
  kq_unlock_nested(k.kq);
  t.kr = KR_EVENT;
  return Sub::step;
}

// f_event (or "modify existing"), activation, KN_INFLUX cleared.
Kernel::Sub Kernel::kqueue_register_event(const Registration& r, int* err) {
  ThreadSt& t = th();
  Knote& k = s.knotes[t.kn];
  int lp = knote_list_lock_proc(t.kn);
  if (lp == kListLockFreed) return Sub::done;
  if (lp >= 0 && !lock_p(lp)) return Sub::blocked;
  if ((t.flags & 0x40) && k.filter == kFilterRead) {
    // "modify existing" on a socket: kn_sdata is filt_soread's low-water mark
    // (0: none), not a pointer; udata is replaced.
    act("kqueue_register:modify");
    k.udata = r.udata;
  } else if (t.flags & 0x40) {
    // "modify existing": overwrite kn_sdata (the kernel pointer) and udata.
    act("kqueue_register:modify");
    k.sdata = static_cast<std::uint8_t>(r.sdata);
    k.sdata_stale = 0;
    k.udata = r.udata;
    if (k.sdata == kNone) {
      panic("filt_" + std::string(k.filter == kFilterAio ? "aio" : "lio") +
            ": NULL kn_sdata after a user EV_ADD on " + knote_label(t.kn));
      return Sub::done;
    }
  } else {
    act("kqueue_register:f_event");
  }
  bool event = f_event(t.kn);
  if (variant(Variant::register_unlock_window)) {
    // F11: 1.95 drops the knlist lock here, before the kq lock is taken and
    // INFLUX cleared: a knote() in between skips the knote.
    if (lp >= 0) unlock_p(lp);
    note([&] { return std::string("f_event ") + (event ? "true" : "false") + "; knlist lock released, KN_INFLUX still set"; });
    if (event) t.flags |= kFlagEvent;
    t.kr = KR_EVENT2;
    return Sub::step;
  }
  kq_lock_nested(k.kq);
  if (event) knote_activate(t.kn);
  k.status &= static_cast<std::uint8_t>(~KN_INFLUX);
  k.influx_owner = kNone;
  register_enable_disable(t.kn, r.flags);
  kq_flux_wakeup(k.kq);
  kq_unlock_nested(k.kq);
  if (lp >= 0) unlock_p(lp);
  t.kn = KnoteId::none();
  t.flags &= 0x3F;
  *err = 0;
  return Sub::done;
}

// F11: activation and KN_INFLUX cleared after the knlist lock was dropped.
Kernel::Sub Kernel::kqueue_register_clear_influx(const Registration& r, int* err) {
  ThreadSt& t = th();
  Knote& k = s.knotes[t.kn];
  act("kqueue_register:clear_influx");
  kq_lock_nested(k.kq);
  if (t.flags & kFlagEvent) knote_activate(t.kn);
  k.status &= static_cast<std::uint8_t>(~KN_INFLUX);
  k.influx_owner = kNone;
  register_enable_disable(t.kn, r.flags);
  kq_flux_wakeup(k.kq);
  kq_unlock_nested(k.kq);
  t.kn = KnoteId::none();
  t.flags &= 0x3F;
  *err = 0;
  return Sub::done;
}

// EV_DELETE: f_detach -> knlist_remove under the knlist lock.
Kernel::Sub Kernel::kqueue_register_detach(const Registration& r, int* err) {
  ThreadSt& t = th();
  Sub sub = f_detach(t.kn);
  if (sub == Sub::blocked || sub == Sub::done) return sub;
  t.kr = sub == Sub::step ? KR_DETACH2 : KR_DROP;
  return sub == Sub::step ? Sub::step : kqueue_register_drop(r, err);
}

// knlist_remove: KN_DETACHED under the kq lock.
Kernel::Sub Kernel::kqueue_register_detach_set_detached([[maybe_unused]] const Registration& r, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  knlist_remove_set_detached(t.kn);
  t.kr = KR_DROP;
  return Sub::step;
}

// knote_drop.
Kernel::Sub Kernel::kqueue_register_drop([[maybe_unused]] const Registration& r, int* err) {
  ThreadSt& t = th();
  act("kqueue_register:knote_drop");
  knote_drop(t.kn);
  t.kn = KnoteId::none();
  *err = 0;
  return Sub::done;
}

}  // namespace aiomc::model
