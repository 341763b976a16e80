// Step dispatch, locks, sleep/wakeup and op completion: the machinery every kernel
// function in the model uses.
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "model/kernel.hpp"
#include "model/linux_aio_errno.hpp"

namespace aiomc::model {

void model_panic(const char* what, const char* file, int line) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "aiomc internal error: assertion `%s` failed at %s:%d", what, file, line);
  throw std::logic_error(buf);
}

Kernel::Kernel(const Model& model, State& state, int actor, InvSet* violated, StepInfo* info, AccessLog* log)
    : m(model), prog(model.program_), cfg(model.config_), s(state), me(actor), violated_(violated),
      info_(info), log_(info ? &info->touched : log), jm_at_start_(state.jm_owner) {
  if (log_) record_into(log_);
}

Kernel::~Kernel() {
  if (!log_) return;
  record_into(nullptr);
  // aio_job_mtx taken and dropped within the step (most of the daemons' and the
  // syscalls' sections): the owner field is as it was, so the step only depended on
  // it. It moves to the log's read-only half, and a step that wrote no other global
  // field leaves the global fields out of the explorer's compare.
  if ((log_->globals & G_JM_OWNER) && s.jm_owner == jm_at_start_) {
    log_->globals &= ~static_cast<std::uint32_t>(G_JM_OWNER);
    log_->read(G_JM_OWNER);
  }
}

void Kernel::record_into(AccessLog* log) {
  s.procs.record_into(log);
  s.threads.record_into(log);
  s.daemons.record_into(log);
  s.disks.record_into(log);
  s.jobs.record_into(log);
  s.lios.record_into(log);
  s.kqs.record_into(log);
  s.knotes.record_into(log);
  s.socks.record_into(log);
}

void Kernel::act_traced(StepName step) {
  info_->steps.push_back(step.id);
  // The step is named after its last kernel section; a firing timeout keeps its name (S20).
  if (acted_ && info_->action == "timeout") {
    note(step.name());
    return;
  }
  info_->action = step.name();
  acted_ = true;
}

void Kernel::append_note(const std::string& text) {
  if (!info_->detail.empty()) info_->detail += "; ";
  info_->detail += text;
}

void Kernel::panic(const std::string& msg) {
  panicked() = 1;
  violate(Inv::no_panic, [&] { return "panic: " + msg; });
}

std::string Kernel::job_label(int job) const {
  const Job& j = s.jobs[job];
  if (j.proc.is_none() || j.uaiocb == kNone) return "job#" + std::to_string(job);
  const Process& pr = prog.processes[j.proc.uindex()];
  std::string name = pr.job_names[j.uaiocb];
  if (prog.processes.size() > 1) name = pr.name + ":" + name;
  return "job " + name;
}

std::string Kernel::lio_label(LioId lio) const {
  const Lio& l = s.lios[lio];
  if (l.proc.valid() && l.name != kNone) return "lio " + prog.processes[l.proc.uindex()].lio_names[l.name];
  return "lio#" + std::to_string(lio.raw());
}

std::string Kernel::knote_label(KnoteId kn) const {
  const Knote& k = s.knotes[kn];
  return "knote#" + std::to_string(kn.index()) + " " + std::string(filter_name(k.filter));
}

// ---- locks ------------------------------------------------------------------

bool Kernel::lock_p(int p) {
  Proc& pr = s.procs[p];
  if (pr.p_mtx != kNone && pr.p_mtx != me) return false;
  // Lock order P -> JM: taking P while holding JM reverses it.
  if (info_) info_->locks |= L_P;
  if (holds_jm() && pr.p_mtx != me)
    violate(Inv::lock_order, [&] { return "PROC_LOCK taken while holding aio_job_mtx (order is P -> JM)"; });
  pr.p_mtx = static_cast<std::uint8_t>(me);
  return true;
}

void Kernel::unlock_p(int p) {
  AIOMC_ASSERT(s.procs[p].p_mtx == me);
  s.procs[p].p_mtx = kNone;
}

bool Kernel::lock_jm() {
  if (jm_owner() != kNone && jm_owner() != me) return false;
  if (info_) info_->locks |= L_JM;
  jm_owner() = static_cast<std::uint8_t>(me);
  return true;
}

void Kernel::unlock_jm() {
  AIOMC_ASSERT(jm_owner() == me);
  jm_owner() = kNone;
}

void Kernel::kq_lock_nested(KqId kq) {
  // kq locks are only ever held inside one step, so they are free at its start.
  AIOMC_ASSERT(s.kqs[kq].owner == kNone);
  if (info_) info_->locks |= L_KQ;
  s.kqs[kq].owner = static_cast<std::uint8_t>(me);
}

void Kernel::kq_unlock_nested(KqId kq) {
  AIOMC_ASSERT(s.kqs[kq].owner == me);
  s.kqs[kq].owner = kNone;
}

// ---- sleep / wakeup -----------------------------------------------------------

bool Kernel::holds_sleep_forbidden_mutex() const {
  if (holds_jm()) return true;
  // The tables' own arrays: a walk through the tables would note every entry.
  const auto& procs = static_cast<const decltype(s.procs)::Base&>(s.procs);
  const auto& kqs = static_cast<const decltype(s.kqs)::Base&>(s.kqs);
  return std::any_of(procs.begin(), procs.end(), [&](const Proc& p) { return p.p_mtx == me; }) ||
         std::any_of(kqs.begin(), kqs.end(), [&](const Kqueue& k) { return k.owner == me; });
}

void Kernel::sleep_on(std::uint8_t chan, std::uint8_t id, bool timo, bool pcatch) {
  ThreadSt& t = th();
  // msleep drops only its interlock; anything else still held is a sleep with a mutex.
  if (holds_sleep_forbidden_mutex())
    violate(Inv::no_sleep_holding_mutex, [&] { return "thread sleeps while holding a non-sleepable mutex"; });
  if (read_giant_owner() == me) giant_owner() = kNone;  // msleep drops Giant (DROP_GIANT)
  if (info_) info_->slept = true;
  t.status = TS_SLEEP;
  t.wchan = chan;
  t.wid = id;
  t.timo = timo ? 1 : 0;
  t.pcatch = pcatch ? 1 : 0;
  t.woken = 0;
  t.timedout = 0;
  // An interruptible sleep begun after thread_single marked the process (this
  // thread was inside a syscall then) returns at once with EINTR, as msleep with
  // PCATCH does while the process is single-threading for exit or exec.
  const Proc& pr = s.procs[t.proc];
  if (pcatch && pr.exiting && !t.exiter) interrupt_sleep(t);
}

void Kernel::wakeup(std::uint8_t chan, std::uint8_t id) {
  for (int i = 0; i < m.nthreads_; ++i) {
    ThreadSt& t = s.threads[i];
    if (t.status == TS_SLEEP && t.wchan == chan && t.wid == id) {
      if (info_) info_->woke.push_back(i);
      t.status = TS_RUN;
      t.woken = 1;
      t.wchan = WC_NONE;
      t.wid = kNone;
      t.timo = 0;
      t.pcatch = 0;
    }
  }
}

void Kernel::kaio_wait(int p, bool timo, bool pcatch, const char* wmesg) {
  s.procs[p].kaio_flags |= KAIO_WAKEUP;
  unlock_p(p);
  sleep_on(WC_AIOINFO, static_cast<std::uint8_t>(p), timo, pcatch);
  if (wmesg) note([&] { return std::string("msleep ") + wmesg; });
}

void Kernel::wakeup_daemon(int d) {
  Daemon& dm = s.daemons[d];
  if (dm.ph != AIOD_SLEEP) return;
  if (info_) info_->woke.push_back(m.first_daemon_actor() + d);
  dm.ph = AIOD_TOP;
}

// ---- ops ------------------------------------------------------------------------

const Op& Kernel::cur_op() const {
  const ThreadSt& t = s.threads[me];
  const Process& pr = prog.processes[t.proc];
  return pr.threads[m.thread_index_[me]].ops[t.pc];
}

namespace {
std::string value_text(std::int64_t ret, int kind) {
  if (kind == kRetErrno && ret != 0) {
    auto n = errno_name(static_cast<int>(ret));
    return n.empty() ? std::to_string(ret) : std::string(n);
  }
  if (kind == kRetAioConst) return std::string(aio_const_name(static_cast<int>(ret)));
  return std::to_string(ret);
}

bool value_matches(const Value& v, int err, std::int64_t ret, int kind, bool allow_errno) {
  if (!v.is_name) return err == 0 && ret == v.number && (kind == kRetNumber || (kind == kRetErrno && ret == 0));
  if (auto e = errno_from_name(v.name)) {
    if (err == 0 && kind == kRetErrno && ret == *e) return true;
    return allow_errno && err == *e;
  }
  if (auto c = aio_const_from_name(v.name)) return err == 0 && kind == kRetAioConst && ret == *c;
  return false;
}
}  // namespace

bool Kernel::op_expect_holds(const Op& op, int err, std::int64_t ret, int kind, int wc_job) const {
  const Expect& e = op.expect;
  const ThreadSt& t = s.threads[me];
  switch (e.kind) {
    case Expect::Kind::none:
      return true;
    case Expect::Kind::ret:
      return value_matches(e.value, err, ret, kind, false);
    case Expect::Kind::errno_: {
      auto en = errno_from_name(e.value.name);
      return en && err == *en;
    }
    case Expect::Kind::ret_in:
      for (const Value& v : e.ret_in)
        if (value_matches(v, err, ret, kind, true)) return true;
      return false;
    case Expect::Kind::count:
      return err == 0 && t.events.size() == e.count;
    case Expect::Kind::waitcomplete:
      if (e.job && *e.job != wc_job) return false;
      return value_matches(e.value, err, ret, kind, false);
    case Expect::Kind::events: {
      if (err != 0) return false;
      std::uint32_t used = 0;
      for (const EventPattern& pat : e.events) {
        bool found = false;
        for (int i = 0; i < t.events.size() && !found; ++i) {
          if (used & (1u << i)) continue;
          const CollectedEvent& ev = t.events[i];
          if (pat.filter && static_cast<std::uint8_t>(*pat.filter) != ev.filter) continue;
          // io_getevents / io_cancel events: ident is the Linux iocb, udata the res.
          if (pat.job && ev.ident != *pat.job) continue;
          if (pat.res && !linux_res_matches(*pat.res, ev.udata)) continue;
          if (pat.res2 && *pat.res2 != 0) continue;
          if (pat.ident_job && !(ev.filter == kFilterAio && ev.ident == *pat.ident_job)) continue;
          if (pat.udata && *pat.udata != ev.udata) continue;
          // data: EVFILT_READ's byte count; otherwise an errno (the job's, or EV_ERROR's).
          int data_kind = ev.filter == kFilterRead && !(ev.flags & evflag::EV_ERROR) ? kRetNumber : kRetErrno;
          if (pat.data && !value_matches(*pat.data, 0, ev.data, data_kind, false)) continue;
          bool flags_ok = true;
          for (const std::string& f : pat.flags) {
            std::uint16_t bit = f == "EV_EOF"     ? evflag::EV_EOF
                                : f == "EV_ERROR" ? evflag::EV_ERROR
                                : f == "EV_ONESHOT" ? evflag::EV_ONESHOT
                                : f == "EV_CLEAR" ? evflag::EV_CLEAR
                                : f == "EV_ADD"   ? evflag::EV_ADD
                                : f == "EV_ENABLE" ? evflag::EV_ENABLE
                                : f == "EV_DISABLE" ? evflag::EV_DISABLE
                                : f == "EV_DELETE" ? evflag::EV_DELETE
                                                   : 0;
            if (bit == 0 || !(ev.flags & bit)) flags_ok = false;
          }
          if (!flags_ok) continue;
          used |= 1u << i;
          found = true;
        }
        if (!found) return false;
      }
      return true;
    }
  }
  return true;
}

static std::string events_text(const Kernel& k, const ThreadSt& t) {
  std::string out = "[";
  for (int i = 0; i < t.events.size(); ++i) {
    const CollectedEvent& ev = t.events[i];
    if (i) out += ", ";
    out += filter_name(ev.filter);
    if (ev.filter == kFilterAio && ev.ident < k.prog.processes[t.proc].job_names.size())
      out += " " + k.prog.processes[t.proc].job_names[ev.ident];
    out += " udata=" + std::to_string(ev.udata);
    if (ev.flags & evflag::EV_ERROR) out += " EV_ERROR";
    if (ev.flags & evflag::EV_EOF) out += " EV_EOF";
    if (ev.data) {
      auto n = errno_name(ev.data);
      out += " data=" + (n.empty() ? std::to_string(ev.data) : std::string(n));
    }
  }
  return out + "]";
}

bool Kernel::is_aio_syscall(OpKind k) {
  switch (k) {
    case OpKind::aio_read:
    case OpKind::aio_write:
    case OpKind::aio_fsync:
    case OpKind::lio_listio:
    case OpKind::aio_error:
    case OpKind::aio_return:
    case OpKind::aio_suspend:
    case OpKind::aio_cancel:
    case OpKind::aio_waitcomplete:
      return true;
    default:
      return false;
  }
}

void Kernel::finish_op(int err, std::int64_t ret, int retkind) {
  ThreadSt& t = th();
  if (read_giant_owner() == me) giant_owner() = kNone;
  const Op& op = cur_op();
  const Proc& pr = s.procs[t.proc];
  // S16: a thread ended by thread_single does not have its expectations checked.
  bool check = !(pr.exiting && !t.exiter);
  int wc_job = (op.kind == OpKind::aio_waitcomplete && err == 0) ? t.job : -1;
  if (info_) {
    info_->op_completed = true;
    info_->thread = me;
    info_->op_index = t.pc;
    if (op.kind == OpKind::kevent && err == 0)
      info_->result = events_text(*this, t);
    else if (err != 0)
      info_->result = "errno " + value_text(err, kRetErrno);
    else if (wc_job >= 0)
      info_->result = "job " + prog.processes[t.proc].job_names[wc_job] + " ret " + value_text(ret, retkind);
    else
      info_->result = "ret " + value_text(ret, retkind);
  }
  if (check && !op_expect_holds(op, err, ret, retkind, wc_job)) {
    violate(Inv::op_expect, [&] {
      std::string where = prog.processes[t.proc].name + "/" +
                          prog.processes[t.proc].threads[m.thread_index_[me]].name + " op " +
                          std::to_string(t.pc) + " (" + op_name(op.kind) + (op.label.empty() ? "" : " '" + op.label + "'") + ")";
      std::string got = op.kind == OpKind::kevent && err == 0
                            ? events_text(*this, t)
                            : (err ? "errno " + value_text(err, kRetErrno) : "ret " + value_text(ret, retkind));
      return where + " returned " + got + ", not what its expect says";
    });
  }
  std::uint8_t proc = t.proc, exiter = t.exiter;
  std::uint8_t pc = static_cast<std::uint8_t>(t.pc + 1);
  t = ThreadSt{};
  t.proc = proc;
  t.exiter = exiter;
  t.pc = pc;
  const auto& ops = prog.processes[proc].threads[m.thread_index_[me]].ops;
  if (s.procs[proc].exiting && !exiter)
    t.status = TS_ENDED;
  else if (pc >= ops.size())
    t.status = TS_DONE;
}

void Kernel::finish_op_events() { finish_op(0, static_cast<std::int64_t>(th().events.size()), kRetNumber); }

void Kernel::finish_op_waitcomplete(int err, std::int64_t ret, int job_name) {
  th().job = static_cast<std::uint8_t>(job_name);
  finish_op(err, ret, kRetNumber);
}

// ---- descriptors -----------------------------------------------------------------

bool Kernel::fd_resolve(int p, const FdRef& ref, int* kind, int* target, int* fdnum) const {
  const Proc& pr = s.procs[p];
  if (ref.kind == FdRef::Kind::kqueue) {
    int kq = pr.kq_of_name[ref.index].or_minus1();
    if (kq < 0) return false;
    *kind = FD_KQUEUE;
    *target = kq;
    *fdnum = s.kqs[kq].fd;
    return true;
  }
  for (int fd = 0; fd < kMaxFds; ++fd) {
    if (pr.fd_kind[fd] == FD_OBJECT && pr.fd_target[fd] == ref.index) {
      *kind = FD_OBJECT;
      *target = ref.index;
      *fdnum = fd;
      return true;
    }
  }
  return false;
}

int Kernel::fd_alloc(int p) const {
  const Proc& pr = s.procs[p];
  for (int fd = 3; fd < kMaxFds; ++fd)
    if (pr.fd_kind[fd] == FD_CLOSED) return fd;
  return -1;
}

// ---- dispatch ----------------------------------------------------------------------

bool Kernel::step(StepRef r) {
  if (read_panicked()) return false;
  if (r.actor < m.nthreads_) return thread_step(r.actor, r.kind);
  if (r.actor < m.first_disk_actor()) return daemon_step(r.actor - m.nthreads_, r.kind);
  if (r.actor < m.taskq_actor()) return r.kind == StepKind::bio_done && disk_step(r.actor - m.first_disk_actor(), r.arg);
  if (r.actor == m.taskq_actor()) return r.kind == StepKind::run && taskq_step();
  if (r.actor == m.softclock_actor()) return r.kind == StepKind::run && softclock_step();
  return false;
}

bool Kernel::thread_step(int t, StepKind kind) {
  ThreadSt& T = s.threads[t];
  if (T.status == TS_DONE || T.status == TS_ENDED) return false;
  if (kind == StepKind::timeout) {
    if (T.status != TS_SLEEP || !T.timo) return false;
    act("timeout");
    T.status = TS_RUN;
    T.wchan = WC_NONE;
    T.wid = kNone;
    T.timo = 0;
    T.pcatch = 0;
    T.timedout = 1;
  } else if (kind != StepKind::run || T.status == TS_SLEEP) {
    return false;
  }
  if (info_) {
    info_->thread = t;
    info_->op_index = T.pc;
  }
  const Op& op = cur_op();
  // S8: in the 5.x/6.0 eras the AIO syscalls run under Giant. It is held from the
  // syscall's first step to its return, dropped while the thread sleeps.
  if (variant(Variant::giant) && is_aio_syscall(op.kind)) {
    if (read_giant_owner() != kNone && read_giant_owner() != me) return false;
    take_giant();
  }
  switch (op.kind) {
    case OpKind::aio_read:
    case OpKind::aio_write: return sys_aio_rw(op);
    case OpKind::aio_fsync: return sys_aio_fsync(op);
    case OpKind::aio_error: return sys_aio_error(op);
    case OpKind::aio_return: return sys_aio_return(op);
    case OpKind::aio_suspend: return sys_aio_suspend(op);
    case OpKind::aio_cancel: return sys_aio_cancel(op);
    case OpKind::aio_waitcomplete: return sys_aio_waitcomplete(op);
    case OpKind::lio_listio: return sys_lio_listio(op);
    case OpKind::kqueue: return sys_kqueue(op);
    case OpKind::kevent: return sys_kevent(op);
    case OpKind::close: return sys_close(op);
    case OpKind::sigwait: return sys_sigwait(op);
    case OpKind::exit:
    case OpKind::exec: return sys_exit_exec(op);
    case OpKind::sem_post: return sys_sem_post(op);
    case OpKind::sem_wait: return sys_sem_wait(op);
    case OpKind::write_peer: return sys_write_peer(op);
    case OpKind::kldload:
    case OpKind::kldunload: return sys_kld(op);
    case OpKind::io_setup:
    case OpKind::io_submit:
    case OpKind::io_getevents:
    case OpKind::io_cancel:
    case OpKind::io_destroy: return sys_linux_io(op);
    default:
      AIOMC_ASSERT(!"op not supported by the model reached the kernel");
  }
  return false;
}

}  // namespace aiomc::model
