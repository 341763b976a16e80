// The Linux AIO emulation's five system calls (sys/compat/linux/linux_aio.c,
// kernel-facts §D.2–D.4, semantics S21, S22, S25), on top of the native model:
// every request is a native job made by aio_aqueue from a clone aiocb, and the
// emulation sees completions only through the native aio_error, aio_suspend,
// aio_return and aio_cancel code paths (aio_syscalls.cpp's cores).
//
// Locks, as §D.2 has them: LINUX_AIO_LOCK is the proc mutex P (S21: VX2 has no
// kaio_mtx), the global context list has its own mutex, each context an sx that is
// held across steps (and across native sleeps). Under `linux-ctx-sx-under-mutex`
// (F22, the emulation as shipped) the sx is taken while P is still held; "fixed"
// (S25) takes a reference on the context under the list mutex and the sx after
// both mutexes are dropped.
#include "model/kernel.hpp"
#include "model/linux_aio_errno.hpp"
#include "model/linux_aio_steps.hpp"

namespace aiomc::model {
using namespace lx;
namespace {

bool is_io_call(OpKind k) {
  return k == OpKind::io_setup || k == OpKind::io_submit || k == OpKind::io_getevents || k == OpKind::io_cancel ||
         k == OpKind::io_destroy;
}

}  // namespace

bool Kernel::sys_linux_io(const Op& op) {
  AIOMC_ASSERT(is_io_call(op.kind));
  switch (op.kind) {
    case OpKind::io_setup: return linux_io_setup(op);
    case OpKind::io_submit: return linux_io_submit(op);
    case OpKind::io_getevents: return linux_io_getevents(op);
    case OpKind::io_cancel: return linux_io_cancel(op);
    default: return linux_io_destroy(op);
  }
}

void Kernel::linux_finish(int err, std::int64_t ret) {
  lx().th[me] = LinuxThread{};
  finish_op(err, err ? 0 : ret, kRetNumber);
}

// The link step (§D.3, S21): once linked, a reference on the aio module is held
// until linuxaio is unloaded. If aio is not loaded but loadable,
// linker_reference_module loads it. Otherwise ENOSYS, and nothing changes.
bool Kernel::linux_aio_link(const Op& op) {
  const char* call = op_name(op.kind);
  if (!linuxaio_loaded()) {
    // No linuxaio module: the Linux sysent slot is still nosys.
    act("linux_nosys");
    note("linuxaio is not loaded");
    linux_finish(err::enosys, 0);
    return false;
  }
  if (lx().linked) return true;
  if (!read_aio_loaded() && !cfg.aio_loadable) {
    act("linux_aio_link:enosys");
    note("Please load the module aio");
    // linux-enosys at the event: the call returns ENOSYS only with native AIO
    // neither loaded nor loadable, from its first step (nothing changed).
    if (th().ph != LX_ENTRY || read_aio_loaded())
      violate(Inv::linux_enosys, [&] { return std::string(call) + " returns ENOSYS with native AIO available"; });
    linux_finish(err::enosys, 0);
    return false;
  }
  if (!read_aio_loaded()) {
    // linker_reference_module loads aio (aio_onload: its filters registered).
    note("linker_reference_module loads aio");
    aio_loaded() = 1;
    if (evfilt_aio_ops() == FOPS_NULL) evfilt_aio_ops() = FOPS_AIO;
    if (evfilt_lio_ops() == FOPS_NULL) evfilt_lio_ops() = FOPS_AIO;
  }
  note("linked to aio");
  lx().linked = 1;
  return true;
}

// The lowest ring address not mapped in process p (mmap of the ring), or -1.
int Kernel::linux_ring_mmap(int p) {
  for (int r = 0; r < kMaxRings; ++r)
    if (!lx().rings[p][r].mapped) return r + 1;
  return -1;
}

// Frees context c. Whoever took it off the global list did so already: io_destroy
// (its lookup, or under F28 its own unlocked SLIST_REMOVE, which may have left it
// there) or the exit handler.
void Kernel::linux_ctx_free(int c) { lx().ctx[c] = LinuxCtx{}; }

// ---- io_setup ------------------------------------------------------------------

bool Kernel::linux_io_setup(const Op& op) {
  int p = th().proc;
  if (!linux_aio_link(op)) return true;
  act("linux_io_setup:insert");
  // vfs.aio.max_aio_queue_per_proc and vfs.aio.max_aio_queue bound nr first.
  if (op.nr_events <= 0) {
    linux_finish(err::einval, 0);
    return true;
  }
  if (op.nr_events > cfg.max_aio_queue_per_proc || op.nr_events > cfg.max_aio_queue) {
    note("nr above a vfs.aio sysctl: ENOMEM (Linux says EAGAIN)");
    linux_finish(err::enomem, 0);
    return true;
  }
  std::uint8_t& ctxp = lx().ctxp[p][op.ctx];
  if (ctxp != 0) {  // *ctxp must be 0
    linux_finish(err::einval, 0);
    return true;
  }
  int ring = linux_ring_mmap(p);
  if (ring < 0) {
    linux_finish(err::enomem, 0);
    return true;
  }
  int slot = -1;
  for (int c = 0; c < kMaxCtxs && slot < 0; ++c)
    if (!lx().ctx[c].live) slot = c;
  AIOMC_ASSERT(slot >= 0);  // check_capacity bounds the io_setup ops
  if (lx().list.contains(static_cast<std::uint8_t>(slot))) {
    // F28 only: a freed context that a torn SLIST_REMOVE left on the list is
    // allocated again, and SLIST_INSERT_HEAD points its link back into the list.
    act("linux_io_setup:insert");
    panic("linux_io_setup: SLIST_INSERT_HEAD of a context still on linux_aio_context_list (freed, never unhooked)");
    return true;
  }
  // Under the list mutex: capacity by declared nr_events, per process and system-wide.
  AIOMC_ASSERT(lx().list_mtx == kNone);
  lx().list_mtx = static_cast<std::uint8_t>(me);
  std::int64_t mine = 0, all = 0;
  for (std::uint8_t c : lx().list) {
    all += lx().ctx[c].nreq_max;
    if (lx().ctx[c].proc == p) mine += lx().ctx[c].nreq_max;
  }
  if (op.nr_events > cfg.max_aio_queue_per_proc - mine || op.nr_events > cfg.max_aio_queue - all) {
    lx().list_mtx = kNone;
    note([&] { return "capacity: " + std::to_string(mine) + " of this process, " + std::to_string(all) + " in all"; });
    linux_finish(err::enomem, 0);  // the ring is unmapped again
    return true;
  }
  LinuxCtx& x = lx().ctx[slot];
  x = LinuxCtx{};
  x.live = 1;
  x.proc = static_cast<std::uint8_t>(p);
  x.ring = static_cast<std::uint8_t>(ring);
  x.nreq_max = static_cast<std::int32_t>(op.nr_events);
  lx().list.push_front(static_cast<std::uint8_t>(slot));
  lx().list_mtx = kNone;
  // The ring header: id 1, nr, head 0, tail 1 (so head != tail: libaio's zero-timeout
  // io_getevents never short-circuits), magic, compat 1, incompat 0, header length.
  LinuxRing& r = lx().rings[p][ring - 1];
  r.mapped = 1;
  r.id = 1;
  r.nr = static_cast<std::int32_t>(op.nr_events);
  r.head = 0;
  r.tail = 1;
  r.magic = kLinuxAioRingMagic;
  r.compat_features = 1;
  r.incompat_features = 0;
  r.header_length = kLinuxAioRingHdrLen;
  ctxp = static_cast<std::uint8_t>(ring);
  note([&] { return "context " + std::to_string(ring) + " nr " + std::to_string(op.nr_events); });
  linux_finish(0, 0);
  return true;
}

// ---- the lock protocol ------------------------------------------------------------

// LINUX_AIO_LOCK(p), the list mutex, the lookup by (ring address, pid); io_destroy
// also takes the context off the list here. One step: it ends when the list mutex
// is released. done: the call ended (EINVAL).
Kernel::Sub Kernel::linux_ctx_lookup(const Op& op, bool unlink, StepName call) {
  ThreadSt& t = th();
  int p = t.proc;
  if (!lock_p(p)) return Sub::blocked;
  act(call);
  AIOMC_ASSERT(lx().list_mtx == kNone);
  lx().list_mtx = static_cast<std::uint8_t>(me);
  std::uint8_t id = op.ctx >= 0 ? lx().ctxp[p][op.ctx] : 0;
  int found = -1;
  for (std::uint8_t c : lx().list)
    if (found < 0 && lx().ctx[c].ring == id && lx().ctx[c].proc == p) found = c;
  if (found < 0) {
    lx().list_mtx = kNone;
    unlock_p(p);
    note([&] { return "no context " + std::to_string(id); });
    linux_finish(err::einval, 0);
    return Sub::done;
  }
  LinuxCtx& x = lx().ctx[found];
  // F28: linux_io_destroy drops the list mutex before LINUX_AIO_CTX_UNHOOK (linux_aio.c),
  // so the removal comes in two steps of its own, under P only.
  bool unhook_later = unlink && variant(Variant::linux_ctx_unhook_unlocked);
  if (unlink && !unhook_later) {
    lx().list.remove(static_cast<std::uint8_t>(found));
    x.unlinked = 1;
  }
  lx().list_mtx = kNone;
  lx().th[me].ctx = static_cast<std::uint8_t>(found);
  note([&] { return "context " + std::to_string(id) + (unlink && !unhook_later ? " unlinked" : ""); });
  if (unhook_later) {
    t.ph = LX_UNHOOK_WALK;
    return Sub::step;
  }
  if (!variant(Variant::linux_ctx_sx_under_mutex)) {
    // S25 fixed: a reference keeps the context while its sx is taken without P.
    x.refs++;
    unlock_p(p);
  }
  t.ph = LX_SX;
  return Sub::step;
}

// F28: LINUX_AIO_CTX_UNHOOK after the list mutex was dropped, P still held: the
// SLIST_REMOVE walk to the context's predecessor, then the store past it, a step
// each, so io_setup's SLIST_INSERT_HEAD (list mutex only) and other processes'
// removals (their own P) can come in between. The store is the macro's: at the
// head, SLIST_REMOVE_HEAD reads the head again and unlinks whatever is first then;
// else the predecessor's link skips whatever follows the predecessor then.
Kernel::Sub Kernel::linux_ctx_unhook_unlocked() {
  ThreadSt& t = th();
  LinuxThread& L = lx().th[me];
  const std::uint8_t c = L.ctx;
  AIOMC_ASSERT(c < kMaxCtxs);
  auto& list = lx().list;
  if (t.ph == LX_UNHOOK_WALK) {
    act("linux_io_destroy:unhook_walk");
    const int at = list.find(c);
    if (at < 0) {
      panic("linux_io_destroy: SLIST_REMOVE walked off linux_aio_context_list (NULL dereference)");
      return Sub::step;
    }
    L.unhook_prev = at == 0 ? kUnhookHead : list[at - 1];
    note([&] { return at == 0 ? std::string("first on the list") : "after ctx#" + std::to_string(list[at - 1]); });
    t.ph = LX_UNHOOK_STORE;
    return Sub::step;
  }
  act("linux_io_destroy:unhook_store");
  if (L.unhook_prev == kUnhookHead) {
    if (list.empty()) {
      panic("linux_io_destroy: SLIST_REMOVE_HEAD on an empty linux_aio_context_list (NULL dereference)");
      return Sub::step;
    }
    const std::uint8_t first = list.pop_front();
    note([&] { return "head = ctx#" + std::to_string(first) + "'s next" + (first == c ? "" : ": ctx#" + std::to_string(first) + " is lost"); });
  } else {
    const int at = list.find(L.unhook_prev);
    if (at < 0) {
      note("the predecessor left the list meanwhile: the store lands in a context no walk reaches");
    } else if (at + 1 >= list.size()) {
      panic("linux_io_destroy: SLIST_REMOVE past the last context (NULL dereference)");
      return Sub::step;
    } else {
      const std::uint8_t gone = list[at + 1];
      list.erase_at(at + 1);
      note([&] { return "ctx#" + std::to_string(L.unhook_prev) + "'s next skips ctx#" + std::to_string(gone); });
    }
  }
  L.unhook_prev = kNone;
  LinuxCtx& x = lx().ctx[c];
  x.unlinked = 1;
  if (!variant(Variant::linux_ctx_sx_under_mutex)) {
    x.refs++;
    unlock_p(t.proc);
  }
  t.ph = LX_SX;
  return Sub::step;
}

// sx_xlock(&ctx->ctx_sx). F22: P is still held here, so a thread that has to wait
// sleeps with the kaioinfo mutex held, and every native completion of the process
// (which needs P) stops behind it. Sub::free: the sx is now held and nothing ended
// the step (fixed); Sub::step: the step ended (asleep, or P released).
Kernel::Sub Kernel::linux_ctx_sx_xlock(StepName call) {
  ThreadSt& t = th();
  int p = t.proc;
  int c = lx().th[me].ctx;
  LinuxCtx& x = lx().ctx[c];
  bool f22 = variant(Variant::linux_ctx_sx_under_mutex);
  if (!x.live) {
    // F22 has no reference: io_destroy freed the context (and its sx) meanwhile.
    act(call);
    panic("sx_xlock on the sx of a destroyed Linux AIO context");
    return Sub::step;
  }
  if (x.sx_owner != kNone && x.sx_owner != me) {
    act(call);
    note([&] { return "sx held by " + m.actor_name(x.sx_owner); });
    sleep_on(WC_SX, static_cast<std::uint8_t>(c), false);
    return Sub::step;
  }
  act(call);
  if (info_) info_->locks |= L_LX_SX;
  x.sx_owner = static_cast<std::uint8_t>(me);
  note([&] { return "sx of context " + std::to_string(x.ring) + " held by " + m.actor_name(me); });
  if (f22) {
    unlock_p(p);  // the interlaced hand-over: P released only once the sx is held
  } else {
    x.refs--;
    if (x.unlinked && cur_op().kind != OpKind::io_destroy) {
      // io_destroy ran first: the context is gone for this call.
      note("context destroyed meanwhile");
      t.ph = LX_RELEASE;
      lx().th[me].err = err::einval;
      return Sub::step;
    }
  }
  t.ph = LX_WORK;
  lx().th[me].sub = SUB_NEXT;
  t.i = 0;
  return f22 ? Sub::step : Sub::free;
}

void Kernel::linux_ctx_sx_xunlock() {
  int c = lx().th[me].ctx;
  LinuxCtx& x = lx().ctx[c];
  AIOMC_ASSERT(x.sx_owner == me);
  x.sx_owner = kNone;
  note([&] { return "sx of context " + std::to_string(x.ring) + " released"; });
  wakeup(WC_SX, static_cast<std::uint8_t>(c));
  // The last holder of a destroyed context frees it: fixed counts the threads
  // between lookup and sx (refs); F22 has no count, and io_destroy frees it at once.
  if (x.unlinked && x.refs == 0) linux_ctx_free(c);
}

// linux-error-sign at the event: res is negative iff the request failed.
void Kernel::linux_check_event_res(int iocb, std::int32_t res, bool failed) {
  if ((res < 0) == failed) return;
  violate(Inv::linux_error_sign, [&] {
    return "io_event for " + prog.processes[th().proc].job_names[iocb] + " has res " + linux_res_text(res) +
           (failed ? " but the request failed" : " but the request succeeded");
  });
}

}  // namespace aiomc::model

namespace aiomc::model {

// The emulation's process_exit eventhandler: every context and request of the pid
// is freed without unmapping anything (the address space is going away); the
// native rundown then disposes of the jobs. There is no process_exec handler in the
// emulation: under `linux-exec-stale-ctx` (F26) the contexts outlive exec while the
// new image has neither their rings nor their clones; fixed (S25) tears them down.
void Kernel::linux_aio_proc_exit(int p, bool is_exit) {
  bool keep = !is_exit && variant(Variant::linux_exec_stale_ctx);
  lx().rings[p] = {};  // the old address space (rings, clones) is gone
  lx().clone_mapped[p] = 0;
  if (keep) {
    note("no process_exec handler: the contexts stay");
    return;
  }
  AIOMC_ASSERT(lx().list_mtx == kNone);
  // linux_aio_proc_rundown walks the context list under its mutex (a context that
  // io_destroy already took off the list is that call's to free).
  auto list = lx().list;
  for (std::uint8_t c : list) {
    LinuxCtx& x = lx().ctx[c];
    if (x.proc != p) continue;
    note([&] { return "context " + std::to_string(x.ring) + " freed"; });
    lx().list.remove(c);
    linux_ctx_free(c);
  }
}

}  // namespace aiomc::model
