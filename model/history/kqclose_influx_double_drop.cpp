// F8 `kqclose-influx-double-drop` (H2): RELENG_6's knlist_cleardel released the kq
// lock between marking a knote INFLUX|DETACHED and dropping it, and kqueue_close took
// such a knote instead of sleeping on it ("kqclo2"), so both dropped it. aio_free_entry's
// knlist_delete is split here at that kq-lock release (a step boundary, S1): the knote
// stays on its kq's ident hash while the knlist lock (P) is held until knote_drop.
// kqueue_close's half of the race is its scan's INFLUX test (kevent_syscalls.cpp).
#include "model/kernel.hpp"

namespace aiomc::model {

// The first half of knlist_cleardel for one knote: off the knlist, INFLUX|DETACHED,
// kq lock released; its knote_drop is the caller's next step. False if every knote
// left is INFLUX (or none is left).
bool Kernel::knlist_delete_detach_one(int owner_kind, int owner) {
  auto& klist = knlist_of(src_filter(owner_kind), owner);
  for (KnoteId kn : klist) {
    Knote& k = s.knotes[kn];
    if (k.status & KN_INFLUX) continue;
    kq_lock_nested(k.kq);
    klist.remove(kn);
    k.knlist = kNone;
    k.status |= KN_DETACHED;
    take_influx(kn);
    kq_unlock_nested(k.kq);
    th().kn = kn;
    note([&] { return knote_label(kn) + " INFLUX|DETACHED, kq lock released before knote_drop"; });
    return true;
  }
  return false;
}

// The second half, the next step ("knlist_delete:knote_drop", with P retaken by
// aio_free_entry): knote_drop of the knote the first half detached.
void Kernel::knlist_delete_knote_drop() {
  ThreadSt& t = th();
  knote_drop(t.kn);
  t.kn = KnoteId::none();
  t.fe = FE_JOB_WAIT;
}

}  // namespace aiomc::model
