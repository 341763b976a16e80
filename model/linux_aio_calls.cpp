// io_submit, io_getevents, io_cancel and io_destroy (kernel-facts §D.4): the work
// each does with the context's sx held, one native call per step.
#include "model/kernel.hpp"
#include "model/linux_aio_errno.hpp"
#include "model/linux_aio_steps.hpp"

namespace aiomc::model {
using namespace lx;

Kernel::Sub Kernel::linux_enter(const Op& op, bool unlink, StepName lock_name, StepName sx_name) {
  ThreadSt& t = th();
  int p = t.proc;
  if (t.ph == LX_ENTRY) {
    if (!linux_aio_link(op)) return Sub::done;
    // The arguments each call checks before LINUX_AIO_LOCK.
    bool einval = (op.kind == OpKind::io_submit && op.list.empty()) ||  // nr <= 0 (Linux: 0 for nr == 0)
                  (op.kind == OpKind::io_getevents && (op.nr <= 0 || op.min_nr < 0));  // no min_nr > nr check
    if (einval) {
      act(op.kind == OpKind::io_submit ? StepName("linux_io_submit:einval") : StepName("linux_io_getevents:einval"));
      linux_finish(err::einval, 0);
      return Sub::done;
    }
    t.ph = LX_INIT;
    t.init = INIT_TEST;
  }
  if (t.ph == LX_INIT) {
    // LINUX_AIO_LOCK: the native kaioinfo is set up first if absent.
    Sub init = aio_init_aioinfo(p);
    if (init == Sub::blocked) return Sub::blocked;
    if (init == Sub::step) return Sub::step;
    t.ph = LX_LOOKUP;
  }
  if (t.ph == LX_LOOKUP) return linux_ctx_lookup(op, unlink, lock_name);
  if (t.ph == LX_UNHOOK_WALK || t.ph == LX_UNHOOK_STORE) return linux_ctx_unhook_unlocked();
  if (t.ph == LX_SX) return linux_ctx_sx_xlock(sx_name);
  return Sub::free;
}

// LINUX_AIO_REQ_UNHOOK of the request at idx, and the clone's munmap unless it leaks.
void Kernel::linux_req_unhook(int p, LinuxCtx& x, int idx, bool unmap) {
  if (unmap) lx().clone_mapped[p] &= ~(1u << (x.reqs[idx].clone - m.clone_name_base(p)));
  x.reqs.erase_at(idx);
  x.nreq_cur--;
}

// sx_xunlock and the call's return: ret, or the stop error when nothing was done.
bool Kernel::linux_release(StepName name, std::int64_t ret) {
  act(name);
  int e = lx().th[me].err;
  linux_ctx_sx_xunlock();
  linux_finish(e, ret);
  return true;
}

// ---- io_submit -------------------------------------------------------------------

bool Kernel::linux_io_submit(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  LinuxThread& L = lx().th[me];
  if (t.ph < LX_WORK) {
    Sub sub = linux_enter(op, false, kSubmit.lock, kSubmit.sx_xlock);
    if (sub != Sub::free) return sub != Sub::blocked;
  }
  LinuxCtx& x = lx().ctx[L.ctx];
  if (t.ph == LX_RELEASE) return linux_release(kSubmit.sx_xunlock, 0);
  for (;;) {
    if (L.sub == SUB_NEXT) {
      if (t.i >= op.list.size() || x.nreq_cur >= x.nreq_max || L.err != 0) {
        // Return i if i > 0; else the stopping error; else EAGAIN (context full).
        if (L.n > 0) L.err = 0;
        else if (L.err == 0) L.err = err::eagain;
        t.ph = LX_RELEASE;
        return linux_release(kSubmit.sx_xunlock, L.n);
      }
      const LioEntry& e = op.list[t.i];
      // Opcode translation: PREAD/PWRITE/NOOP; FSYNC/FDSYNC (no LIO_SYNC in 1.220,
      // S21) and anything else EINVAL.
      if (e.opcode == LioOpcode::other) {
        act("linux_io_submit:translate");
        note([&] { return "iocb " + prog.processes[p].job_names[e.job] + ": opcode EINVAL"; });
        L.err = err::einval;
        continue;
      }
      // mmap a clone aiocb in the process and copy it out.
      int clone = m.clone_name(p, e.job);
      lx().clone_mapped[p] |= 1u << (clone - m.clone_name_base(p));
      t.aq = AQ_ENTRY;
      L.sub = SUB_AQUEUE;
    }
    // SUB_AQUEUE: the native aio_aqueue(td, clone, NULL, opcode), SIGEV_NONE.
    const LioEntry& e = op.list[t.i];
    int clone = m.clone_name(p, e.job);
    AioRequest req;
    req.job = clone;
    req.fd = e.fd;
    req.opcode = e.opcode == LioOpcode::read ? 1 : e.opcode == LioOpcode::write ? 2 : 0;
    req.offset = e.offset;
    req.nbytes = e.nbytes;
    req.io_error = e.io_error;
    int err = 0;
    Sub sub = aio_aqueue(req, kNone, &err);
    if (sub == Sub::blocked) return false;
    if (sub == Sub::step) return true;
    L.sub = SUB_NEXT;
    if (err != 0) {
      lx().clone_mapped[p] &= ~(1u << (clone - m.clone_name_base(p)));  // the clone is unmapped
      note([&] { return "aio_aqueue: " + std::string(errno_name(err)) + ": stop"; });
      L.err = static_cast<std::int16_t>(err);
      if (sub == Sub::done) return true;
      continue;
    }
    LinuxReq r;
    r.iocb = static_cast<std::uint8_t>(e.job);
    r.clone = static_cast<std::uint8_t>(clone);
    int kind = 0, target = 0, fdnum = 0;
    r.fildes = fd_resolve(p, e.fd, &kind, &target, &fdnum) ? static_cast<std::uint8_t>(fdnum) : kNone;
    r.native = req.opcode != 0 ? 1 : 0;
    x.reqs.push_back(r);
    x.nreq_cur++;
    L.n++;
    t.i++;
    note([&] { return "request " + prog.processes[p].job_names[e.job] + " -> " + prog.processes[p].job_names[clone]; });
    if (sub == Sub::done) return true;
  }
}

// ---- io_getevents ----------------------------------------------------------------

namespace {
bool getevents_stop(const Op& op, const LinuxCtx& x, const LinuxThread& L, int events_max) {
  return x.reqs.empty() || L.n >= op.nr || L.n >= events_max || L.n >= op.min_nr || (op.timeout && *op.timeout == 0);
}
}  // namespace

// Native aio_return on a request's clone, then the io_event's res: the status, or
// (fixed, S25) the negated Linux errno of a failed job; F25 keeps a non-negative
// status even for a failed job (§D.4). false: the reap is still under way (*sub).
bool Kernel::linux_reap(int p, const LinuxReq& r, const char* why, std::int32_t* res, bool* failed, Sub* sub) {
  ThreadSt& t = th();
  if (t.aret == RET_FIND && r.native) {
    bool present = false;
    for (JobId j : s.procs[p].kaio_all) present = present || s.jobs[j].uaiocb == r.clone;
    if (!present)
      violate(Inv::linux_reap_once, [&] {
        return std::string(why) + ": the native job of " + prog.processes[p].job_names[r.clone] + " was reaped before";
      });
  }
  int e = 0;
  std::int64_t ret = 0;
  *sub = aio_return_core(p, r.clone, &e, &ret);
  if (*sub != Sub::done) return false;
  t.aret = RET_FIND;
  // aio_return_core keeps the job's raw status in t.ret and its error in t.err.
  std::int32_t status = e == 0 ? static_cast<std::int32_t>(ret) : t.ret;
  *failed = r.native && e != 0;
  if (!r.native) {
    *res = 0;  // S22: NOOP: aio_return finds no job (EINVAL), the value stays 0
  } else if (e == 0) {
    *res = status;
  } else if (variant(Variant::linux_error_lost) && status >= 0) {
    *res = status;  // F25: the error is lost
  } else {
    *res = -linux_errno(e);
  }
  return true;
}

// io_getevents' steps, one function each: the walk over the context's requests, the
// reap of a finished one, the native aio_suspend, and the release.
bool Kernel::linux_io_getevents(const Op& op) {
  ThreadSt& t = th();
  LinuxThread& L = lx().th[me];
  if (t.ph < LX_WORK) {
    Sub sub = linux_enter(op, false, kGetevents.lock, kGetevents.sx_xlock);
    if (sub != Sub::free) return sub != Sub::blocked;
  }
  if (t.ph == LX_RELEASE) return linux_io_getevents_release();
  switch (L.sub) {
    case SUB_NEXT: return linux_io_getevents_walk(op);
    case SUB_RETURN: return linux_io_getevents_reap(op);
    default: return linux_io_getevents_suspend(op);
  }
}

// The end of the call: the events gathered, or the error of the stop when none was.
bool Kernel::linux_io_getevents_release() {
  ThreadSt& t = th();
  int p = t.proc;
  LinuxThread& L = lx().th[me];
  // The error of a stop counts only when no event was taken (fixed: S25).
  if (L.n > 0) L.err = 0;
  std::string text;
  if (info_) {
    text = "[";
    for (int i = 0; i < t.events.size(); ++i)
      text += (i ? ", " : "") + prog.processes[p].job_names[t.events[i].ident] + " res " +
              linux_res_text(t.events[i].udata);
    text += "]";
  }
  bool ok = L.err == 0;
  linux_release(kGetevents.sx_xunlock, L.n);
  if (info_ && ok) info_->result = text;
  return true;
}

// After a request was looked at: go on walking, stop, or suspend.
bool Kernel::linux_io_getevents_next(const Op& op) {
  ThreadSt& t = th();
  LinuxThread& L = lx().th[me];
  const LinuxCtx& x = lx().ctx[L.ctx];
  if (t.i < x.reqs.size() && L.n < op.nr && t.events.size() < kMaxEvents) return true;
  if (getevents_stop(op, x, L, kMaxEvents)) {
    t.ph = LX_RELEASE;
    return true;
  }
  L.sub = SUB_SUSPEND;
  t.asus = SUS_ENTRY;
  return true;
}

// The walk over the context FIFO: native aio_error on each clone.
bool Kernel::linux_io_getevents_walk(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  LinuxThread& L = lx().th[me];
  LinuxCtx& x = lx().ctx[L.ctx];
  if (t.i == 0 && x.reqs.empty() && L.n == 0) {
    // No requests: 0 at once, even with min_nr > 0 and no timeout (Linux would block).
    act("linux_io_getevents:empty");
    t.ph = LX_RELEASE;
    return linux_io_getevents_release();
  }
  if (t.i < x.reqs.size()) {
    int e = 0, v = 0;
    if (aio_error_core(p, x.reqs[t.i].clone, &e, &v) == Sub::blocked) return false;
    if (v == err::einprogress) {
      t.i++;
    } else {
      L.sub = SUB_RETURN;
      t.aret = RET_FIND;
      return true;
    }
  }
  return linux_io_getevents_next(op);
}

// A finished request: native aio_return on its clone, an io_event, the request unhooked.
bool Kernel::linux_io_getevents_reap(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  LinuxThread& L = lx().th[me];
  LinuxCtx& x = lx().ctx[L.ctx];
  LinuxReq r = x.reqs[t.i];
  std::int32_t res = 0;
  bool failed = false;
  Sub sub = Sub::done;
  if (!linux_reap(p, r, "io_getevents", &res, &failed, &sub)) return sub != Sub::blocked;
  linux_check_event_res(r.iocb, res, failed);
  CollectedEvent ev;
  ev.ident = r.iocb;
  ev.udata = res;
  t.events.push_back(ev);
  linux_req_unhook(p, x, t.i, true);
  L.n++;
  note([&] { return "io_event " + prog.processes[p].job_names[r.iocb] + " res " + linux_res_text(res); });
  L.sub = SUB_NEXT;
  return linux_io_getevents_next(op);
}

// Native aio_suspend over every outstanding clone with the remaining timeout.
bool Kernel::linux_io_getevents_suspend(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  LinuxThread& L = lx().th[me];
  const LinuxCtx& x = lx().ctx[L.ctx];
  int names[kMaxCtxReqs];
  int n = 0;
  for (const LinuxReq& r : x.reqs) names[n++] = r.clone;
  if (t.asus == SUS_ENTRY) t.woken = 0;
  int e = 0;
  Sub sub = aio_suspend_core(p, names, n, op.timeout, &e);
  if (sub != Sub::done) return sub != Sub::blocked;
  t.asus = SUS_ENTRY;
  t.i = 0;
  L.sub = SUB_NEXT;
  if (e == 0) return true;  // walk again
  if (e == err::eagain) {   // timeout: stop
    t.ph = LX_RELEASE;
    return true;
  }
  if (variant(Variant::linux_getevents_spin)) {
    // F23: only EAGAIN ends the loop; EINVAL (more than AIO_LISTIO_MAX clones) or
    // EINTR sends it round again at once.
    note([&] { return "aio_suspend: " + std::string(errno_name(e)) + ": loop again"; });
    return true;
  }
  L.err = static_cast<std::int16_t>(e);
  t.ph = LX_RELEASE;
  return true;
}

// ---- io_cancel -------------------------------------------------------------------

bool Kernel::linux_io_cancel(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  LinuxThread& L = lx().th[me];
  if (t.ph < LX_WORK) {
    Sub sub = linux_enter(op, false, kCancel.lock, kCancel.sx_xlock);
    if (sub != Sub::free) return sub != Sub::blocked;
  }
  LinuxCtx& x = lx().ctx[L.ctx];
  if (t.ph == LX_RELEASE) return linux_release(kCancel.sx_xunlock, 0);
  if (L.sub == SUB_NEXT) {
    // Find the request by the user iocb's address (and aio_key).
    int idx = -1;
    for (int i = 0; i < x.reqs.size() && idx < 0; ++i)
      if (x.reqs[i].iocb == op.job) idx = i;
    if (idx < 0) {
      act("linux_io_cancel:find");
      note("not found");
      L.err = err::einval;
      t.ph = LX_RELEASE;
      return linux_release(kCancel.sx_xunlock, 0);
    }
    t.i = static_cast<std::uint8_t>(idx);
    const LinuxReq& r = x.reqs[idx];
    const Proc& pr = s.procs[p];
    int fd = r.fildes;
    int result = aioc::AIO_ALLDONE;
    if (fd == kNone || pr.fd_kind[fd] == FD_CLOSED) {
      // The native aio_cancel fails (EBADF) and leaves td_retval at 0, which is
      // neither AIO_CANCELED nor AIO_ALLDONE: the emulation says EAGAIN.
      act("aio_cancel:fget");
      result = 0;
    } else {
      int kind = pr.fd_kind[fd], target = pr.fd_target[fd];
      if (aio_cancel_core(p, kind, target, fd, r.clone, &result) == Sub::blocked) return false;
    }
    if (result == aioc::AIO_ALLDONE) L.err = err::einval;  // "really confusing" (Linux 2.6.15)
    if (result != aioc::AIO_ALLDONE && result != aioc::AIO_CANCELED) L.err = err::eagain;
    note([&] { return "native aio_cancel: " + (result ? std::string(aio_const_name(result)) : std::string("EBADF")); });
    if (L.err != 0) {
      t.ph = LX_RELEASE;
      return true;
    }
    // AIO_CANCELED: the io_event {res -ECANCELED} goes to *result.
    CollectedEvent ev;
    ev.ident = r.iocb;
    ev.udata = -linux_errno(err::ecanceled);
    t.events.push_back(ev);
    linux_check_event_res(r.iocb, ev.udata, true);
    if (variant(Variant::linux_cancel_leak)) {
      // F24: the native job is never reaped; the clone is unmapped under it.
      note([&] { return prog.processes[p].job_names[r.clone] + " left on kaio_done"; });
      linux_req_unhook(p, x, t.i, true);
      t.ph = LX_RELEASE;
      return true;
    }
    L.sub = SUB_RETURN;
    t.aret = RET_FIND;
    return true;
  }
  // SUB_RETURN (fixed, S25): the cancelled job is reaped natively.
  LinuxReq r = x.reqs[t.i];
  std::int32_t res = 0;
  bool failed = false;
  Sub sub = Sub::done;
  if (!linux_reap(p, r, "io_cancel", &res, &failed, &sub)) return sub != Sub::blocked;
  linux_req_unhook(p, x, t.i, true);
  t.ph = LX_RELEASE;
  return true;
}

// ---- io_destroy ------------------------------------------------------------------

// io_destroy's steps, one function each: cancel the oldest request natively, wait for
// it (fixed), reap it, and at the end free the context.
bool Kernel::linux_io_destroy(const Op& op) {
  ThreadSt& t = th();
  LinuxThread& L = lx().th[me];
  if (t.ph < LX_WORK || t.ph == LX_UNHOOK_WALK || t.ph == LX_UNHOOK_STORE) {
    Sub sub = linux_enter(op, true, kDestroy.lock, kDestroy.sx_xlock);
    if (sub != Sub::free) return sub != Sub::blocked;
  }
  if (t.ph == LX_RELEASE) {
    if (L.err != 0) return linux_release(kDestroy.sx_xunlock, 0);  // lost the race to another io_destroy
    return linux_io_destroy_free();
  }
  switch (L.sub) {
    case SUB_NEXT: return linux_io_destroy_cancel();
    case SUB_WAIT: return linux_io_destroy_wait();
    default: return linux_io_destroy_reap();
  }
}

// Release and destroy the sx, unmap the ring, free the context.
bool Kernel::linux_io_destroy_free() {
  int p = th().proc;
  LinuxThread& L = lx().th[me];
  act(kDestroy.sx_xunlock);
  LinuxCtx& cx = lx().ctx[L.ctx];
  if (cx.ring >= 1) lx().rings[p][cx.ring - 1] = LinuxRing{};
  cx.unlinked = 1;
  int e = L.err;
  linux_ctx_sx_xunlock();
  linux_finish(e, 0);
  return true;
}

// The oldest request leaves the context (unmap: its clone is unmapped too).
void Kernel::linux_io_destroy_unhook(bool unmap) {
  LinuxThread& L = lx().th[me];
  linux_req_unhook(th().proc, lx().ctx[L.ctx], 0, unmap);
  L.sub = SUB_NEXT;
  th().aret = RET_FIND;
  th().asus = SUS_ENTRY;
}

// Native aio_cancel on the oldest request's clone; what follows depends on its answer.
bool Kernel::linux_io_destroy_cancel() {
  int p = th().proc;
  LinuxThread& L = lx().th[me];
  const LinuxCtx& x = lx().ctx[L.ctx];
  bool f24 = variant(Variant::linux_cancel_leak);
  if (x.reqs.empty()) return linux_io_destroy_free();
  const LinuxReq& r = x.reqs[0];
  const Proc& pr = s.procs[p];
  int fd = r.fildes;
  int result = 0;  // the native aio_cancel failing (EBADF) leaves td_retval at 0
  if (fd != kNone && pr.fd_kind[fd] != FD_CLOSED) {
    int kind = pr.fd_kind[fd], target = pr.fd_target[fd];
    if (aio_cancel_core(p, kind, target, fd, r.clone, &result) == Sub::blocked) return false;
  } else {
    act("aio_cancel:fget");
  }
  note([&] {
    return prog.processes[p].job_names[r.iocb] + ": native aio_cancel: " +
           (result ? std::string(aio_const_name(result)) : std::string("EBADF"));
  });
  if (result == 0) {
    // Neither NOTCANCELED nor ALLDONE: the emulation frees the clone without a reap.
    if (f24) {
      linux_io_destroy_unhook(true);
      return true;
    }
    L.sub = SUB_WAIT;  // fixed: wait for the job and reap it
    th().asus = SUS_ENTRY;
    return true;
  }
  if (result == aioc::AIO_NOTCANCELED) {
    if (f24) {
      note("Both User Space and Kernel Memory Leaked");
      linux_io_destroy_unhook(false);  // the clone stays mapped, the native job runs on unreaped
      return true;
    }
    L.sub = SUB_WAIT;  // fixed (S25): wait for it, then reap it
    th().asus = SUS_ENTRY;
    return true;
  }
  if (result == aioc::AIO_CANCELED && f24) {
    linux_io_destroy_unhook(true);  // F24: no reap; the native job stays on kaio_done
    return true;
  }
  L.sub = SUB_RETURN;
  th().aret = RET_FIND;
  return true;
}

// Fixed (S25): native aio_suspend until the request's job is done.
bool Kernel::linux_io_destroy_wait() {
  ThreadSt& t = th();
  LinuxThread& L = lx().th[me];
  int names[1] = {lx().ctx[L.ctx].reqs[0].clone};
  int e = 0;
  if (t.asus == SUS_ENTRY) t.woken = 0;
  Sub sub = aio_suspend_core(t.proc, names, 1, std::nullopt, &e);
  if (sub != Sub::done) return sub != Sub::blocked;
  t.asus = SUS_ENTRY;
  L.sub = SUB_RETURN;
  return true;
}

// Native aio_return reaps the job; the request leaves the context.
bool Kernel::linux_io_destroy_reap() {
  LinuxThread& L = lx().th[me];
  LinuxReq r = lx().ctx[L.ctx].reqs[0];
  std::int32_t res = 0;
  bool failed = false;
  Sub sub = Sub::done;
  if (!linux_reap(th().proc, r, "io_destroy", &res, &failed, &sub)) return sub != Sub::blocked;
  linux_io_destroy_unhook(true);
  return true;
}

}  // namespace aiomc::model
