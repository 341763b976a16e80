// The context one step runs in: the state being changed, the actor moving, and the
// kernel functions (named as in vfs_aio.c / kern_event.c) that steps are made of.
// Internal to model/.
//
// A step is applied to a copy of the state. A function returns false ("blocked")
// when a lock it needs is held by another actor; the copy is then thrown away, so
// a step is enabled exactly when every lock it takes is free when it starts (the
// guard SPIN's d_steps use, see shared/bench/spin/RESULTS.md).
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "model/model.hpp"
#include "model/names.hpp"
#include "model/steps.hpp"

#include <optional>

namespace aiomc::model {

// A submission request as aio_aqueue sees it (the aiocb).
struct AioRequest {
  int job = -1;  // job name index (the user aiocb address)
  FdRef fd;
  int opcode = 0;  // 0 nop, 1 read, 2 write, 3 other (LIO_NOP passes the entry's)
  std::int64_t offset = 0;
  std::int64_t nbytes = 512;
  const SigEvent* sigev = nullptr;  // nullptr = zeroed (SIGEV_NONE)
  int io_error = 0;
};

class Kernel {
 public:
  // The step's footprint goes into info->touched when info is given, else into `log`
  // (the explorer's in-place stepping) when that is given.
  Kernel(const Model& m, State& s, int actor, InvSet* violated, StepInfo* info, AccessLog* log = nullptr);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  bool step(StepRef r);

  // ---- reporting ----------------------------------------------------------
  bool tracing() const { return info_ != nullptr; }
  void act(StepName step) {
    if (info_) act_traced(step);  // inline: the explorer's steps record nothing
  }
  void act_traced(StepName step);
  // Whether variant v is on. The step that asks is recorded for the steps table's
  // variants column, and the place that asks (a variant site) for the coverage test.
  // (__builtin_FILE/__builtin_LINE rather than std::source_location: clang 14 with
  // libstdc++ 12, the fuzzer's compiler, has no std::source_location.)
  bool variant(Variant v, const char* site_file = __builtin_FILE(), int site_line = __builtin_LINE()) const {
    if (info_) {
      info_->variants |= std::uint64_t{1} << static_cast<int>(v);
      info_->record_variant_site(static_cast<int>(v), site_file, site_line);
    }
    return cfg.variants.has(v);
  }
  // Step details for traces. Only a recorded step (info_) keeps them, so a detail
  // that has to be built is passed as a callable and built only then.
  void note(const char* text) {
    if (info_) append_note(text);
  }
  template <class F>
    requires std::is_invocable_v<F&>
  void note(F&& text) {
    if (info_) append_note(text());
  }
  void append_note(const std::string& text);
  template <class F>
  void violate(Inv inv, F&& message) {
    if (violated_) violated_->add(inv);
    if (info_) info_->violations.push_back({inv, message()});
  }
  void panic(const std::string& msg);

  // ---- names --------------------------------------------------------------
  std::string job_label(int job) const;
  std::string lio_label(LioId lio) const;
  std::string knote_label(KnoteId kn) const;

  // ---- locks (lock-order is checked on every acquisition) -----------------
  bool lock_p(int p);
  void unlock_p(int p);
  bool lock_jm();
  void unlock_jm();
  bool holds_p(int p) const { return s.procs[p].p_mtx == me; }
  // Whether this actor holds aio_job_mtx, or any mutex a thread may not sleep with.
  // A lock's owner field only ever goes from free to its taker and back, by the
  // taker, so no other actor's step can change these answers: they are read without
  // noting the fields in the footprint, where they would make every step that asks
  // dependent on every other actor's acquisitions (and a sleep on every process and
  // kqueue). tests/independence_tests.cpp checks the footprints against running the
  // steps both ways.
  bool holds_jm() const { return s.jm_owner == me; }
  bool holds_sleep_forbidden_mutex() const;
  void take_giant() {  // S8 eras: Giant, held across steps by its owner
    if (info_) info_->locks |= L_GIANT;
    giant_owner() = static_cast<std::uint8_t>(me);
  }
  void kq_lock_nested(KqId kq);  // kq locks are never held across steps: always free
  void kq_unlock_nested(KqId kq);

  // ---- sleep / wakeup -----------------------------------------------------
  void sleep_on(std::uint8_t chan, std::uint8_t id, bool timo, bool pcatch = false);
  void wakeup(std::uint8_t chan, std::uint8_t id);
  // An interruptible sleep that thread_single ends: the thread runs again and its
  // syscall sees EINTR (timedout 2).
  static void interrupt_sleep(ThreadSt& o) {
    o.status = TS_RUN;
    o.wchan = WC_NONE;
    o.wid = kNone;
    o.timo = 0;
    o.pcatch = 0;
    o.timedout = 2;
  }
  void wakeup_daemon(int d);
  // KAIO_WAKEUP, then msleep(&p->p_aioinfo, &p->p_mtx, ...): the waiters' half of
  // the handshake aio_bio_done_notify completes. P is held on entry, released here.
  void kaio_wait(int p, bool timo, bool pcatch, const char* wmesg);

  // ---- kern_event.c -------------------------------------------------------
  int knote_alloc();
  // Ghost bookkeeping when a job or LIO is freed: every live knote of `filter` whose
  // kn_sdata names it now points at a freed object (S3's no-stale-kevent).
  void mark_knotes_stale(std::uint8_t filter, int sdata);
  bool f_event(KnoteId kn);
  void knote_activate(KnoteId kn);
  void knote_enqueue(KnoteId kn);
  void knote_dequeue(KnoteId kn);
  void knote_drop(KnoteId kn);
  void knote_locked(int owner_kind, int owner);  // KNOTE_LOCKED(&x->klist, 1)
  // knlist_delete(&x->klist, curthread, 1): false if it must sleep ("kqkclr").
  bool knlist_delete(int owner_kind, int owner);
  // F8 (model/history/kqclose_influx_double_drop.cpp): knlist_delete in two steps.
  bool knlist_delete_detach_one(int owner_kind, int owner);
  void knlist_delete_knote_drop();
  int th_kq_of_dropped(KnoteId kn) const;
  // The knlist a knote of this filter hangs on when its kn_knlist is `owner`, and the
  // process whose mutex locks it (-1 for a socket's or pipe's: its sockbuf/pipe lock
  // is only ever held inside one step).
  Knlist& knlist_of(std::uint8_t filter, int owner);
  int knlist_proc(std::uint8_t filter, int owner) const;
  // KN_LIST_LOCK(kn): the process whose mutex is the knlist lock of kn_knlist; -1
  // when there is none to take (detached, or a socket's folded sockbuf lock);
  // kListLockFreed when kn_knlist belongs to a freed job or list (reported).
  static constexpr int kListLockFreed = -2;
  int knote_list_lock_proc(KnoteId kn);
  // kqueue_register's EV_DISABLE and EV_ENABLE blocks, after EV_ADD/modify.
  void register_enable_disable(KnoteId kn, std::uint16_t flags);
  void knote_socket(int obj);  // sowakeup / pipeselwakeup: KNOTE_LOCKED(&si_note, 0)
  void knote_list(const Knlist& klist);
  void kqueue_wakeup(KqId kq);
  void kq_flux_wakeup(KqId kq);
  void take_influx(KnoteId kn);

  // ---- vfs_aio.c ----------------------------------------------------------
  int job_alloc(int proc);
  void aio_bio_done_notify(int p, int job, bool bufdone);
  void kaio_wakeup(int p);  // test and clear KAIO_WAKEUP, wakeup(&p->p_aioinfo)
  void aio_sendsig(int p, const KSigEvent& sigev, int src_kind, int src);
  bool lio_wants_kevent(LioId lio) const;
  bool lio_wants_signal(LioId lio) const;
  void lio_notify(LioId lio, const char* where);
  void check_job_notify(int job, const char* what);
  void check_lio_notify(LioId lio, const char* what);
  void sigqueue_take(int p, int src_kind, int src);
  void free_lio(LioId lio);

  // ---- global state, through accessors that note the read -------------------
  // (The state's kinded tables note their own entries, svec.hpp.)
#define AIOMC_GLOBAL(field, bit)          \
  decltype(State::field)& field() const { \
    if (log_) log_->touch(bit);           \
    return s.field;                       \
  }
  AIOMC_GLOBAL_FIELDS(AIOMC_GLOBAL)
#undef AIOMC_GLOBAL
  // The same for a step that only reads the field (the log's read-only half).
#define AIOMC_READ_GLOBAL(field, bit)                  \
  const decltype(State::field)& read_##field() const { \
    if (log_) log_->read(bit);                         \
    return s.field;                                    \
  }
  AIOMC_GLOBAL_FIELDS(AIOMC_READ_GLOBAL)
#undef AIOMC_READ_GLOBAL
  // The state for a step that only looks: its tables are const, so what is read
  // through it goes into the log's read-only half (access_log.hpp), which the
  // explorer neither compares nor restores. Write through `s`.
  const State& view() const { return s; }

  // ---- thread helpers -----------------------------------------------------
  ThreadSt& th() { return s.threads[me]; }
  const Op& cur_op() const;
  static bool is_aio_syscall(OpKind k);
  void finish_op(int err, std::int64_t ret, int retkind);
  void finish_op_events();
  void finish_op_waitcomplete(int err, std::int64_t ret, int job_name);
  bool fd_resolve(int p, const FdRef& ref, int* kind, int* target, int* fdnum) const;
  int fd_alloc(int p) const;

  const Model& m;
  const Program& prog;
  const Config& cfg;
  State& s;
  int me;

 private:
  // Points the state's kinded tables at log (nullptr: stop recording).
  void record_into(AccessLog* log);
  bool thread_step(int t, StepKind kind);
  bool daemon_step(int d, StepKind kind);
  // Its steps (aio_daemon.cpp).
  bool aio_daemon_exit(int d);
  bool aio_daemon_start(int d);
  bool aio_daemon_loop_top(int d);
  bool aio_process(int d);
  bool aio_daemon_complete(int d);
  bool aio_daemon_kaio_wakeup(int d);
  bool disk_step(int disk, int bio);
  bool taskq_step();
  bool giant_physwakeup(int disk, int bio);
  bool lio_old_wait(const Op& op);
  // sys_lio_listio's steps (lio_listio.cpp).
  bool lio_listio_setup(const Op& op);
  int lio_sigevent(const SigEvent& sev, Lio& l, int p, int* kq_out);
  bool lio_listio_register(const Op& op);
  bool lio_listio_insert(const Op& op);
  bool lio_listio_members(const Op& op);
  bool lio_listio_set_kaio_wakeup(const Op& op);
  bool lio_listio_finish(const Op& op);
  bool lio_listio_free_wait(const Op& op);
  bool lio_listio_return();
  bool v6b_cancel_socket(int p, int sock, int job_name, int* cancelled);
  void physio_done(int job);
  bool softclock_step();
  void untimeout_process_signal(int job);
  bool lio_split_notify(int job, bool bufdone);
  bool op_expect_holds(const Op& op, int err, std::int64_t ret, int retkind, int wc_job) const;

  InvSet* violated_;
  StepInfo* info_;
  // Where the step's reads are noted (the StepInfo's, when there is one), else null.
  AccessLog* log_;
  // aio_job_mtx's owner when the step began: a step that takes and drops the lock
  // writes the field and leaves it as it was (~Kernel notes that as a read).
  std::uint8_t jm_at_start_;
  bool acted_ = false;
  // Set while the pre-6.1 rundown disposes of a queued job: V52/V6b free it with
  // aio_free_entry, which notifies nothing (aio_bio_done_notify stays silent).
  bool quiet_ = false;

 public:
  // Syscalls (one file each or per family). Each runs the thread's current step.
  bool sys_aio_rw(const Op& op);
  bool sys_aio_fsync(const Op& op);
  bool sys_aio_error(const Op& op);
  bool sys_aio_return(const Op& op);
  bool sys_aio_suspend(const Op& op);
  bool sys_aio_cancel(const Op& op);
  bool sys_aio_waitcomplete(const Op& op);
  bool sys_lio_listio(const Op& op);
  bool sys_kqueue(const Op& op);
  bool sys_kevent(const Op& op);
  bool kqueue_scan_take(const Op& op);
  bool kqueue_scan_oneshot(const Op& op);
  bool kqueue_scan_event(const Op& op);
  bool kqueue_scan_done(const Op& op);
  // sys_kevent's steps before the scan (kevent_syscalls.cpp).
  bool kevent_fget(const Op& op);
  bool kevent_change(const Op& op);
  bool kevent_lastclose(const Op& op);
  // kern_kevent's end (fdrop of its own reference): finishes the call with err (0:
  // the events collected), or, when the descriptor was closed meanwhile and this is
  // the last kevent holding the file, runs kqueue_close first.
  void kevent_return(int err);
  bool kevent_holder_other(KqId kq) const;
  bool sys_close(const Op& op);
  bool sys_sigwait(const Op& op);
  bool sys_exit_exec(const Op& op);
  bool sys_sem_post(const Op& op);
  bool sys_sem_wait(const Op& op);
  bool sys_write_peer(const Op& op);
  bool sys_kld(const Op& op);
  bool kld_linuxaio(bool load);
  bool kld_aio_onload();
  bool kld_aio_unload();
  int aio_swake_cb(int obj);

  // Sub-machines shared by several syscalls; each returns a Sub result.
  // blocked: a lock is held elsewhere; step: this step ends, more follow; done: finished
  // in this step; free: finished without touching shared state (the caller goes on).
  enum class Sub { blocked, step, done, free };
  // aio_aqueue: uses th().aq/job (and kqueue_register's th().kr); on done, *err holds the result.
  Sub aio_aqueue(const AioRequest& req, int lio, int* err);
  // Its steps, one function each (aio_aqueue.cpp).
  Sub aio_aqueue_entry(const AioRequest& req, int lio, int* err);
  Sub aio_aqueue_validate(const AioRequest& req, int lio, int* err);
  Sub aio_aqueue_register(const AioRequest& req, int lio, int* err);
  Sub aio_aqueue_submit(const AioRequest& req, int lio, int* err);
  Sub aio_qphysio_count(const AioRequest& req, int lio, int* err);
  Sub aio_qphysio_queue_bp(const AioRequest& req, int lio, int* err);
  Sub aio_qphysio_dev_strategy(const AioRequest& req, int lio, int* err);
  Sub aio_qphysio_check_bio_error(const AioRequest& req, int lio, int* err);
  Sub aio_aqueue_queue_socket(const AioRequest& req, int lio, int* err);
  Sub aio_aqueue_queue_daemon(const AioRequest& req, int lio, int* err);
  Sub aio_aqueue_wake_daemon(const AioRequest& req, int lio, int* err);
  Sub aio_newproc_kthread_create(const AioRequest& req, int lio, int* err);
  Sub aio_newproc_started(const AioRequest& req, int lio, int* err);
  // aio_init_aioinfo when p_aioinfo is NULL: one P step; done if nothing to do.
  Sub aio_init_aioinfo(int p);
  void aio_newproc_create();
  bool aio_newproc_sema_ready();
  // p_aioinfo allocated (fresh counters) or freed.
  static void kaioinfo_set(Proc& pr, bool present) {
    pr.has_aioinfo = present ? 1 : 0;
    pr.kaio_flags = 0;
    pr.kaio_active_count = 0;
    pr.kaio_count = 0;
    pr.kaio_buffer_count = 0;
  }
  // The aio module is not loaded: ENOSYS and SIGSYS, as nosys() does. True if so.
  bool nosys();
  // kqueue_register for the kernel's own EV_ADD|EV_ENABLE|EV_FLAG1 and for user changes.
  struct Registration {
    int kq;
    int filter;  // Filter
    int ident;
    int sdata;   // job / lio id (kNone for none)
    std::uint16_t flags;
    std::int32_t udata;
  };
  Sub kqueue_register(const Registration& r, int* err);
  Registration kevent_registration(const KeventChange& c, int* fget_error);
  bool kevent_change_error(const Op& op, const KeventChange& c, const Registration& r, int e);
  // The kernel's own registration of a job's or list's knote (EV_ADD|EV_ENABLE|EV_FLAG1).
  static Registration kernel_registration(int kq, int filter, int ident, int sdata, std::int32_t udata) {
    return Registration{kq, filter, ident, sdata, static_cast<std::uint16_t>(evflag::EV_ADD | evflag::EV_ENABLE | evflag::EV_FLAG1),
                        udata};
  }
  // Its steps, one function each (kqueue_register.cpp), chosen by th().kr.
  Sub kqueue_register_lookup(const Registration& r, int* err);
  Sub kqueue_register_attach_refused(const Registration& r, int* err);
  Sub knlist_add_insert(const Registration& r, int* err);
  Sub knlist_add_clear_detached(const Registration& r, int* err);
  Sub kqueue_register_event(const Registration& r, int* err);
  Sub kqueue_register_clear_influx(const Registration& r, int* err);
  Sub kqueue_register_detach(const Registration& r, int* err);
  Sub kqueue_register_detach_set_detached(const Registration& r, int* err);
  Sub kqueue_register_drop(const Registration& r, int* err);
  // aio_free_entry with P held; may sleep in knlist_delete (P released).
  Sub aio_free_entry(int job);
  // f_detach's knlist section (filt_aiodetach / filt_liodetach / filt_sordetach):
  // step: knlist_remove ran under the knlist lock, and the caller's next step sets
  // KN_DETACHED under the kq lock; free: filt_aiodetach found kn_sdata's knlist empty
  // and removed nothing, so the caller goes on to knote_drop in the same step;
  // done: a panic was reported; blocked: the knlist lock is held elsewhere.
  // action: the step's name; nullptr names it after the filter's detach routine.
  Sub f_detach(KnoteId kn, std::optional<StepName> action = std::nullopt);
  // knlist_remove's second section, a step of its own: KN_DETACHED under the kq lock.
  void knlist_remove_set_detached(KnoteId kn);
  // knlist_cleardel's wait when an INFLUX knote is left on klist: the knlist lock
  // (process p's mutex) is released and the thread sleeps on that knote's kq
  // ("kqkclr"); `what`, if given, goes to the step's detail.
  void kqkclr_sleep(const Knlist& klist, int p, const char* what = nullptr);
  // The descriptor of a kqueue is released: the number is freed unless it already
  // names something else, and the kqueue's names in the process forget it.
  void kqueue_fd_release(KqId kq);
  // kqueue_close for kq; steps through its knotes.
  Sub kqueue_close(KqId kq);
  // aio_proc_rundown for p.
  Sub aio_proc_rundown(int p);
  // Its steps (proc_ops.cpp), chosen by th().rd.
  Sub aio_proc_rundown_start(int p);
  Sub aio_proc_rundown_restart(int p);
  Sub aio_proc_rundown_scan(int p);
  Sub aio_proc_rundown_free(int p);
  Sub aio_fphysio(int p);
  Sub aio_proc_rundown_free_entry(int p);
  Sub aio_proc_rundown_lio_retry(int p);
  Sub aio_proc_rundown_free_all(int p);
  // Marks the threads of p other than the caller for thread_single.
  void thread_single(int p);

  // The native syscalls' bodies, shared by the syscalls and the Linux emulation
  // (which calls them on its clone aiocbs, §D.2): aio_syscalls.cpp.
  Sub aio_error_core(int p, int name, int* err, int* value);
  Sub aio_return_core(int p, int name, int* err, std::int64_t* ret);  // phase: th().aret
  Sub aio_suspend_core(int p, const int* names, int n, std::optional<std::int64_t> timeout, int* err);  // th().asus
  Sub aio_cancel_core(int p, int kind, int target, int fdnum, int name, int* result);

  // ---- the Linux AIO emulation (linux_aio_*.cpp) ----------------------------
  bool sys_linux_io(const Op& op);
  bool linux_io_setup(const Op& op);
  bool linux_io_submit(const Op& op);
  bool linux_io_getevents(const Op& op);
  bool linux_io_getevents_release();
  bool linux_io_getevents_next(const Op& op);
  bool linux_io_getevents_walk(const Op& op);
  bool linux_io_getevents_reap(const Op& op);
  bool linux_io_getevents_suspend(const Op& op);
  bool linux_io_cancel(const Op& op);
  bool linux_io_destroy(const Op& op);
  bool linux_io_destroy_free();
  void linux_io_destroy_unhook(bool unmap);
  bool linux_io_destroy_cancel();
  bool linux_io_destroy_wait();
  bool linux_io_destroy_reap();
  // The link step and the syscall's entry: false when the call ended (ENOSYS).
  bool linux_aio_link(const Op& op);
  // LINUX_AIO_LOCK, the list lookup and the context's sx (§D.2), as steps.
  Sub linux_ctx_lookup(const Op& op, bool unlink, StepName call);
  Sub linux_ctx_unhook_unlocked();
  // The entry shared by io_submit/getevents/cancel/destroy: LINUX_AIO_LOCK's
  // aio_init_aioinfo, the lookup and the sx. free: the sx is held, go on in this step.
  Sub linux_enter(const Op& op, bool unlink, StepName lock_name, StepName sx_name);
  bool linux_release(StepName name, std::int64_t ret);
  void linux_req_unhook(int p, LinuxCtx& x, int idx, bool unmap);
  bool linux_reap(int p, const LinuxReq& r, const char* why, std::int32_t* res, bool* failed, Sub* sub);
  Sub linux_ctx_sx_xlock(StepName call);
  void linux_ctx_sx_xunlock();
  void linux_finish(int err, std::int64_t ret);
  // The emulation's process_exit handler (and, unless F26, its exec teardown).
  void linux_aio_proc_exit(int p, bool is_exit);
  int linux_ring_mmap(int p);
  void linux_ctx_free(int c);
  void linux_check_event_res(int iocb, std::int32_t res, bool failed);
};

// Filter / notify numbering used in the state.
inline constexpr int kSrcJob = 1;
inline constexpr int kSrcLio = 2;
// The filter whose knotes hang on a job's (kSrcJob) or a list's (kSrcLio) knlist.
inline constexpr std::uint8_t src_filter(int src_kind) { return src_kind == kSrcJob ? kFilterAio : kFilterLio; }
inline constexpr int kRetNumber = 0;  // result kinds for finish_op
inline constexpr int kRetErrno = 1;
inline constexpr int kRetAioConst = 2;
inline constexpr std::int64_t kMaxPhys = 128 * 1024;  // MAXPHYS

}  // namespace aiomc::model
