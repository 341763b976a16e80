// aio_aqueue and aio_qphysio (vfs_aio.c 1.220, §B.3 steps 1–11 and B.3.1): job
// validation, EVFILT_AIO registration, and the choice between the physio fast
// path and the daemon queue, each lock section one step.
#include "model/geom_io.hpp"
#include "model/kernel.hpp"

namespace aiomc::model {
int Kernel::job_alloc(int proc) {
  for (int i = 0; i < kMaxJobs; ++i) {
    if (!view().jobs[i].live) {
      s.jobs[i] = Job{};
      s.jobs[i].live = 1;
      s.jobs[i].proc = ProcId(proc);
      return i;
    }
  }
  AIOMC_ASSERT(!"job capacity exceeded");
  return -1;
}

// aio_init_aioinfo. The caller's `p->p_aioinfo == NULL` test is unlocked (a step of
// its own, S1), so two first callers can both get here; under P only the first
// installs its kaioinfo, the other frees its own. Both then run
// `while (num_aio_procs < target_aio_procs) aio_newproc(NULL)`, which matters when
// the module was loaded after boot (S2: daemons exist only if it was loaded at start).
Kernel::Sub Kernel::aio_init_aioinfo(int p) {
  ThreadSt& t = th();
  if (t.init == INIT_TEST) {
    if (s.procs[p].has_aioinfo) return Sub::free;
    t.init = INIT_INSTALL;
    if (m.aioinfo_race(p)) {
      act("aio_init_aioinfo:test");
      note("p_aioinfo == NULL (unlocked test)");
      return Sub::step;
    }
    // A process with one thread: nobody else installs p_aioinfo, the test folds.
  }
  if (t.init == INIT_INSTALL) {
    if (!lock_p(p)) return Sub::blocked;
    act("aio_init_aioinfo:install");
    if (s.procs[p].has_aioinfo)
      note("another thread installed p_aioinfo first: this kaioinfo is freed");
    else
      kaioinfo_set(s.procs[p], true);
    unlock_p(p);
    t.init = num_aio_procs() < std::min(cfg.target_aio_procs, kMaxDaemons) ? INIT_NEWPROC : INIT_TEST;
    return Sub::step;
  }
  if (t.init == INIT_NEWPROC) {
    aio_newproc_create();
    t.init = INIT_NEWPROC_WAIT;
    return Sub::step;
  }
  // INIT_NEWPROC_WAIT: sema_wait returned.
  if (!aio_newproc_sema_ready()) return Sub::step;
  if (!lock_jm()) return Sub::blocked;
  act("aio_newproc:started");
  newproc_sem()--;
  num_aio_procs()++;
  unlock_jm();
  t.init = num_aio_procs() < std::min(cfg.target_aio_procs, kMaxDaemons) ? INIT_NEWPROC : INIT_TEST;
  return Sub::step;
}

// aio_newproc: kthread_create of the daemon with the lowest free unit number (S2),
// then sema_wait until it has started.
void Kernel::aio_newproc_create() {
  act("aio_newproc:kthread_create");
  int d = -1;
  for (int i = 0; i < kMaxDaemons && d < 0; ++i)
    if (view().daemons[i].ph == AIOD_NONE) d = i;
  AIOMC_ASSERT(d >= 0);
  s.daemons[d] = Daemon{};
  s.daemons[d].ph = AIOD_START;
  note([&] { return "aiod:" + std::to_string(d + 1) + " created"; });
  if (newproc_sem() == 0) sleep_on(WC_SEMA, 0, false);
}

// True when aio_newproc_sem can be taken; else the thread sleeps on it again.
bool Kernel::aio_newproc_sema_ready() {
  if (newproc_sem() > 0) return true;
  sleep_on(WC_SEMA, 0, false);
  return false;
}

// nosys(): a native AIO syscall while the aio module is not loaded (S12).
bool Kernel::nosys() {
  if (read_aio_loaded()) return false;
  act("nosys");
  PendingSig ps;
  ps.signo = 12;  // SIGSYS
  Proc& pr = s.procs[th().proc];
  if (!pr.sigpending.full()) pr.sigpending.push_back(ps);
  wakeup(WC_SIG, th().proc);
  finish_op(err::enosys, 0, kRetNumber);
  return true;
}

// aio_aqueue: one function per step (named as the trace names the step), chosen by
// the thread's aio_aqueue phase. A phase that folds into the next (S1) calls
// aio_aqueue again within the same step.
Kernel::Sub Kernel::aio_aqueue(const AioRequest& req, int lio, int* err) {
  switch (th().aq) {
    case AQ_ENTRY: return aio_aqueue_entry(req, lio, err);
    case AQ_VALIDATE: return aio_aqueue_validate(req, lio, err);
    case AQ_REGISTER: return aio_aqueue_register(req, lio, err);
    case AQ_PATH: return aio_aqueue_submit(req, lio, err);
    case AQ_PHYS_COUNT: return aio_qphysio_count(req, lio, err);
    case AQ_PHYS_QUEUE: return aio_qphysio_queue_bp(req, lio, err);
    case AQ_PHYS_STRATEGY: return aio_qphysio_dev_strategy(req, lio, err);
    case AQ_PHYS_ERRCHECK: return aio_qphysio_check_bio_error(req, lio, err);
    case AQ_SOCKET: return aio_aqueue_queue_socket(req, lio, err);
    case AQ_DAEMON: return aio_aqueue_queue_daemon(req, lio, err);
    case AQ_WAKE: return aio_aqueue_wake_daemon(req, lio, err);
    case AQ_NEWPROC: return aio_newproc_kthread_create(req, lio, err);
    case AQ_NEWPROC_WAIT: return aio_newproc_started(req, lio, err);
  }
  AIOMC_ASSERT(!"bad aio_aqueue phase");
  return Sub::blocked;
}

Kernel::Sub Kernel::aio_aqueue_entry([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  act("aio_aqueue:entry");
  // suword: status -1, error 0 (kernelinfo -1) in the user's aiocb.
  pr.u_status[req.job] = -1;
  pr.u_error[req.job] = 0;
  // The quota test is an unlocked read, a step of its own (S1, S4): the
  // increments come steps later, so two submitters at the cap can both pass.
  int qallowed = cfg.max_aio_queue_per_proc;
  if (num_queue_count() >= cfg.max_aio_queue || pr.kaio_count >= qallowed) {
    note("quota: EAGAIN");
    pr.u_error[req.job] = err::eagain;
    *err = err::eagain;
    return Sub::done;
  }
  t.aq = AQ_VALIDATE;
  if (m.quota_can_bind()) return Sub::step;
  // No interleaving can make the test fail: fold it into the next step.
  return aio_aqueue(req, lio, err);
}

Kernel::Sub Kernel::aio_aqueue_validate([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  act("aio_aqueue:validate");
  SigEvent none{};
  const SigEvent& sev = req.sigev ? *req.sigev : none;
  // S24: V52/V6b's _aio_aqueue checks only a SIGEV_SIGNAL's number and accepts
  // any other kind (V6b vfs_aio.c 1.195.2.4:1297-1301); only SIGEV_SIGNAL jobs
  // are then signalled.
  bool pre61 = variant(Variant::pre_vx1);
  if (sev.notify == Notify::other && !pre61) {
    pr.u_error[req.job] = err::einval;
    *err = err::einval;
    return Sub::free;
  }
  if ((sev.notify == Notify::signal || (sev.notify == Notify::thread_id && !pre61)) && !sig_valid(sev.signo)) {
    *err = err::einval;  // 1.220 returns without writing the error to the aiocb
    return Sub::free;
  }
  int kind = 0, target = 0, fdnum = 0;
  if (!fd_resolve(p, req.fd, &kind, &target, &fdnum)) {
    pr.u_error[req.job] = err::ebadf;
    *err = err::ebadf;
    return Sub::free;
  }
  if (req.offset == -1) {
    pr.u_error[req.job] = err::einval;
    *err = err::einval;
    return Sub::free;
  }
  if (req.opcode == 0) {  // LIO_NOP: no job
    *err = 0;
    return Sub::free;
  }
  if (req.opcode != 1 && req.opcode != 2) {
    pr.u_error[req.job] = err::einval;
    *err = err::einval;
    return Sub::free;
  }
  int job = job_alloc(p);
  Job& j = s.jobs[job];
  j.uaiocb = static_cast<std::uint8_t>(req.job);
  j.obj = kind == FD_OBJECT ? ObjId(target) : ObjId::none();
  j.fildes = static_cast<std::uint8_t>(fdnum);
  j.op = static_cast<std::uint8_t>(req.opcode);
  j.offset = static_cast<std::int32_t>(req.offset);
  j.nbytes = static_cast<std::int32_t>(req.nbytes);
  j.io_error = static_cast<std::int16_t>(kind == FD_KQUEUE ? err::enxio : req.io_error);
  j.sigev.notify = static_cast<std::uint8_t>(sev.notify);
  j.sigev.signo = static_cast<std::int16_t>(sev.signo);
  j.sigev.udata = static_cast<std::int32_t>(sev.udata);
  if (sev.notify == Notify::thread_id && sev.thread >= 0)
    j.sigev.thread = ThreadId(m.thread_actor(p, sev.thread));
  if (sev.notify == Notify::kevent) {
    // sigev_notify_kqueue is sigev_signo: the descriptor number of the kqueue.
    int kq = sev.kq >= 0 ? pr.kq_of_name[sev.kq].or_minus1() : -1;
    j.sigev.signo = static_cast<std::int16_t>(kq >= 0 ? s.kqs[kq].fd : -1);
    if (kq < 0) {
      s.jobs[job] = Job{};
      pr.u_error[req.job] = err::ebadf;
      *err = err::ebadf;
      return Sub::free;
    }
    t.job = static_cast<std::uint8_t>(job);
    t.kq = KqId(kq);
    t.aq = AQ_REGISTER;
    t.kr = KR_LOOKUP;
    return aio_aqueue(req, lio, err);
  }
  t.job = static_cast<std::uint8_t>(job);
  t.aq = AQ_PATH;
  return aio_aqueue(req, lio, err);
}

Kernel::Sub Kernel::aio_aqueue_register([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  const Registration r = kernel_registration(t.kq.index(), kFilterAio, req.job, t.job, s.jobs[t.job].sigev.udata);
  int e = 0;
  Sub sub = kqueue_register(r, &e);
  if (sub != Sub::done) return sub;
  t.kr = KR_LOOKUP;
  if (e != 0) {
    s.jobs[t.job] = Job{};
    t.job = kNone;
    pr.u_error[req.job] = static_cast<std::int16_t>(e);
    *err = e;
    return Sub::done;
  }
  t.aq = AQ_PATH;
  return Sub::step;
}

Kernel::Sub Kernel::aio_aqueue_submit([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  act("aio_aqueue:submit");
  Job& j = s.jobs[t.job];
  pr.u_error[req.job] = err::einprogress;
  j.error = err::einprogress;
  j.lio = LioId::or_none(lio);
  // Without lio_listio's extra hold (F2), reaping every member queued so far
  // lets aio_free_entry free the list while lio_listio still submits into it.
  if (lio != kNone && !s.lios[lio].live)
    violate(Inv::free_once, [&] { return "aio_aqueue links " + job_label(t.job) + " to an LIO that aio_free_entry freed"; });
  if (j.obj.valid() && prog.objects[j.obj.uindex()].type == ObjType::socket) {
    const Object& o = prog.objects[j.obj.uindex()];
    bool ready = j.op == static_cast<std::uint8_t>(IoOp::read) ? s.socks[j.obj].data > 0 : o.writable;
    if (!ready) {
      t.aq = AQ_SOCKET;
      return aio_aqueue(req, lio, err);
    }
  }
  // aio_qphysio eligibility: a disk, a whole number of blocks, within the
  // driver's si_iosize_max (1.220; `raw-oversize` drops this test) and MAXPHYS.
  if (j.obj.valid() && prog.objects[j.obj.uindex()].type == ObjType::raw_disk && prog.objects[j.obj.uindex()].gone &&
      variant(Variant::qphysio_error_leak)) {
    // F18 (V6b): vn_isdisk fails with ENXIO, a positive error; aio_aqueue stores
    // it in the aiocb and returns it without freeing the job or its file
    // reference. 1.220 compiles that branch out and falls back to the daemon.
    act("aio_qphysio:vn_isdisk");
    pr.u_status[req.job] = 0;
    pr.u_error[req.job] = err::enxio;
    note([&] { return job_label(t.job) + " leaked"; });
    t.job = kNone;
    *err = err::enxio;
    return Sub::done;
  }
  bool eligible = false;
  if (j.obj.valid()) {
    const Object& o = prog.objects[j.obj.uindex()];
    eligible = o.type == ObjType::raw_disk && !o.gone && o.sector_size > 0 && j.nbytes % o.sector_size == 0 &&
               (j.nbytes <= o.max_io || variant(Variant::raw_oversize)) && j.nbytes <= kMaxPhys;
  }
  if (eligible) {
    // The per-process fast-path quota is read without a lock: a step of its own.
    act("aio_qphysio:quota_read");
    if (pr.kaio_buffer_count >= cfg.max_buf_aio) {
      note([&] { return "kaio_buffer_count " + std::to_string(pr.kaio_buffer_count) + " >= max_buf_aio: daemon path"; });
      t.aq = AQ_DAEMON;
    } else {
      t.aq = AQ_PHYS_COUNT;
    }
    return Sub::step;
  }
  t.aq = AQ_DAEMON;
  return aio_aqueue(req, lio, err);
}

Kernel::Sub Kernel::aio_qphysio_count([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  if (!lock_p(p)) return Sub::blocked;
  act("aio_qphysio:count");
  Job& j = s.jobs[t.job];
  pr.kaio_count++;
  pr.kaio_buffer_count++;
  j.counted = 1;
  j.bufcounted = 1;
  if (j.lio.valid()) s.lios[j.lio].lioj_count++;
  if (j.lio.valid() && variant(Variant::lio_split_path_check)) s.lios[j.lio].buf_count++;
  unlock_p(p);
  t.aq = AQ_PHYS_QUEUE;
  return Sub::step;
}

Kernel::Sub Kernel::aio_qphysio_queue_bp([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  if (!lock_p(p)) return Sub::blocked;
  act("aio_qphysio:queue_bp");
  Job& j = s.jobs[t.job];
  j.bp = 1;
  pr.kaio_bufqueue.push_back(JobId(t.job));
  pr.kaio_all.push_back(JobId(t.job));
  j.jobstate = JOBST_JOBQBUF;
  j.status = j.nbytes;
  unlock_p(p);
  t.aq = AQ_PHYS_STRATEGY;
  return Sub::step;
}

Kernel::Sub Kernel::aio_qphysio_dev_strategy([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  act("aio_qphysio:dev_strategy");
  Job& j = s.jobs[t.job];
  num_queue_count()++;
  j.qcounted = 1;
  num_buf_aio()++;
  const Object& o = prog.objects[j.obj.uindex()];
  if (j.nbytes > o.max_io || j.nbytes > kMaxPhys)
    violate(Inv::raw_io_size, [&] {
      return "dev_strategy: " + std::to_string(j.nbytes) + "-byte bio for " + job_label(t.job) + " exceeds " +
             o.name + "'s si_iosize_max " + std::to_string(o.max_io);
    });
  int disk = m.object_disk_[j.obj.uindex()];
  s.disks[disk].bios.push_back(JobId(t.job));
  note([&] { return job_label(t.job) + " bio issued to " + o.name; });
  if (variant(Variant::qphysio_error_leak)) {
    t.aq = AQ_PHYS_ERRCHECK;
    return Sub::step;
  }
  t.job = kNone;
  *err = 0;
  return Sub::done;
}

Kernel::Sub Kernel::aio_aqueue_queue_socket([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  // The socket is not ready: under SOCKBUF_LOCK set SB_AIO, put the job on the
  // socket's so_aiojobq (aio_job_mtx) and on kaio_jobqueue as JOBQSOCK (P).
  // The two sections follow each other inside the sockbuf lock (folded into one
  // step); JM is released before P is taken.
  if (jm_owner() != kNone || pr.p_mtx != kNone) return Sub::blocked;
  act("aio_aqueue:queue_socket");
  Job& j = s.jobs[t.job];
  SockSt& so = s.socks[j.obj];
  so.sb_aio = 1;
  lock_jm();
  so.so_aiojobq.push_back(JobId(t.job));
  unlock_jm();
  lock_p(p);
  pr.kaio_all.push_back(JobId(t.job));
  pr.kaio_jobqueue.push_back(JobId(t.job));
  j.jobstate = JOBST_JOBQSOCK;
  pr.kaio_count++;
  j.counted = 1;
  // `socket-lio-member-uncounted` (F14): V6b did not count a socket-waiting member.
  if (j.lio.valid() && !variant(Variant::socket_lio_member_uncounted)) s.lios[j.lio].lioj_count++;
  unlock_p(p);
  num_queue_count()++;
  j.qcounted = 1;
  note([&] { return job_label(t.job) + " waits on " + prog.objects[j.obj.uindex()].name; });
  t.job = kNone;
  *err = 0;
  return Sub::done;
}

Kernel::Sub Kernel::aio_aqueue_queue_daemon([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  if (!lock_p(p)) return Sub::blocked;
  if (!lock_jm()) return Sub::blocked;
  act("aio_aqueue:queue_daemon");
  Job& j = s.jobs[t.job];
  j.bp = 0;
  pr.kaio_count++;
  j.counted = 1;
  if (j.lio.valid()) s.lios[j.lio].lioj_count++;
  if (j.lio.valid() && variant(Variant::lio_split_path_check)) s.lios[j.lio].q_count++;
  pr.kaio_jobqueue.push_back(JobId(t.job));
  pr.kaio_all.push_back(JobId(t.job));
  aio_jobs().push_back(JobId(t.job));
  j.jobstate = JOBST_JOBQGLOBAL;
  unlock_p(p);
  num_queue_count()++;
  j.qcounted = 1;
  note([&] { return job_label(t.job) + " on aio_jobs"; });
  t.job = kNone;
  t.aq = AQ_WAKE;
  return Sub::step;  // aio_job_mtx stays held
}

Kernel::Sub Kernel::aio_aqueue_wake_daemon([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  const int p = t.proc;
  Proc& pr = s.procs[p];
  AIOMC_ASSERT(holds_jm());
  act("aio_aqueue:wake_daemon");
  if (!aio_freeproc().empty()) {
    int d = aio_freeproc().pop_front().index();
    s.daemons[d].aiop_free = 0;
    if (!cfg.test_canary_no_daemon_wakeup) wakeup_daemon(d);
    note([&] { return "wakeup aiod:" + std::to_string(d + 1); });
    unlock_jm();
    *err = 0;
    return Sub::done;
  }
  int maxd = std::min(cfg.max_aio_procs, kMaxDaemons);
  if (num_aio_resv_start() + num_aio_procs() < maxd &&
      pr.kaio_active_count + num_aio_resv_start() < cfg.max_aio_per_proc) {
    num_aio_resv_start()++;
    unlock_jm();
    t.aq = AQ_NEWPROC;
    note("reserve a daemon");
    return Sub::step;
  }
  unlock_jm();
  *err = 0;
  return Sub::done;
}

Kernel::Sub Kernel::aio_newproc_kthread_create([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  aio_newproc_create();
  t.aq = AQ_NEWPROC_WAIT;
  return Sub::step;
}

Kernel::Sub Kernel::aio_newproc_started([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  if (!aio_newproc_sema_ready()) return Sub::step;
  if (!lock_jm()) return Sub::blocked;
  act("aio_newproc:started");
  newproc_sem()--;
  num_aio_procs()++;
  // `newproc-resv-leak` (F15): VX1's `*start--` decrements the pointer.
  if (!variant(Variant::newproc_resv_leak)) num_aio_resv_start()--;
  // 1.220 goes back to retryproc only when aio_newproc fails (never here): after
  // a successful creation it unlocks and returns. The new daemon, awake at the top
  // of its loop, selects the job itself.
  unlock_jm();
  *err = 0;
  return Sub::done;
}

namespace {
// aio_read/aio_write (ThreadSt::ph): aio_init_aioinfo, then aio_aqueue.
enum RwPhase : std::uint8_t { RW_INIT = 0, RW_AQUEUE = 1 };
}  // namespace

bool Kernel::sys_aio_rw(const Op& op) {
  ThreadSt& t = th();
  int p = t.proc;
  if (t.ph == RW_INIT) {
    if (nosys()) return true;
    Sub init = aio_init_aioinfo(p);
    if (init == Sub::blocked) return false;
    if (init == Sub::step) return true;
    t.ph = RW_AQUEUE;
    t.aq = AQ_ENTRY;
  }
  AioRequest req;
  req.job = op.job;
  req.fd = op.fd;
  req.opcode = op.kind == OpKind::aio_read ? 1 : 2;
  req.offset = op.offset;
  req.nbytes = op.nbytes;
  req.sigev = op.sigevent ? &*op.sigevent : nullptr;
  req.io_error = op.io_error;
  int e = 0;
  Sub sub = aio_aqueue(req, kNone, &e);
  if (sub == Sub::blocked) return false;
  if (sub == Sub::step) return true;
  finish_op(e, 0, kRetNumber);
  return true;
}

bool Kernel::sys_aio_fsync(const Op&) {
  // 1.220 has no aio_fsync (no LIO_SYNC): the syscall slot is nosys (S21).
  const bool loaded = aio_loaded();
  aio_loaded() = 0;
  nosys();
  aio_loaded() = loaded;
  return true;
}

}  // namespace aiomc::model
