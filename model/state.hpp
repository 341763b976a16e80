// The kernel state: one value type with small integer ids and fixed capacities.
// Field names follow vfs_aio.c 1.220 and kern_event.c 1.95 so a kernel developer
// recognises them; fields marked "ghost" exist only for invariants and traces.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "model/ids.hpp"
#include "model/linux_aio_state.hpp"
#include "model/svec.hpp"
#include "model/thread_phases.hpp"

namespace aiomc::model {

// The tables' capacities and kNone are in ids.hpp.
inline constexpr int kMaxFds = 16;       // per process, numbers 0..15 (0-2 are stdio)
inline constexpr int kMaxNames = 24;     // job/kq/sem/lio names per process
inline constexpr int kMaxPending = 16;   // pending ksiginfo per process
inline constexpr int kMaxKnlist = 4;     // knotes on one job/lio knlist
inline constexpr int kMaxEvents = 4;     // events one kevent call collects
inline constexpr int kMaxBios = 8;       // bios in flight on one disk
inline constexpr int kMaxSockJobs = 8;   // jobs waiting on one socket (so_aiojobq)

// Actor numbering: threads, then daemons, then disks, then the taskqueue, then softclock.
// The Model maps these to names ("app/main", "aiod:1", "disk:md0", "taskq:aiod_bio").

static_assert(kMaxProcs == 4 && kMaxNames == 24 && kMaxThreads == 8, "linux_aio_state.hpp sizes");

enum JobState : std::uint8_t {  // JOBST_*
  JOBST_NULL = 0,
  JOBST_JOBQSOCK = 1,
  JOBST_JOBQGLOBAL = 2,
  JOBST_JOBRUNNING = 3,
  JOBST_JOBFINISHED = 4,
  JOBST_JOBQBUF = 5,
};
inline constexpr std::uint8_t AIOCBLIST_DONE = 0x10;
inline constexpr std::uint8_t AIOCBLIST_BUFDONE = 0x20;

inline constexpr std::uint8_t KAIO_RUNDOWN = 0x1;
inline constexpr std::uint8_t KAIO_WAKEUP = 0x2;

inline constexpr std::uint8_t LIOJ_SIGNAL = 0x1;
inline constexpr std::uint8_t LIOJ_SIGNAL_POSTED = 0x2;
inline constexpr std::uint8_t LIOJ_KEVENT_POSTED = 0x4;

inline constexpr std::uint8_t KN_ACTIVE = 0x01;
inline constexpr std::uint8_t KN_QUEUED = 0x02;
inline constexpr std::uint8_t KN_DISABLED = 0x04;
inline constexpr std::uint8_t KN_DETACHED = 0x08;
inline constexpr std::uint8_t KN_INFLUX = 0x10;

inline constexpr std::uint8_t FOPS_NULL = 0;
inline constexpr std::uint8_t FOPS_AIO = 1;
inline constexpr std::uint8_t FOPS_STALE = 2;

inline constexpr std::uint8_t KQ_SLEEP = 0x02;
inline constexpr std::uint8_t KQ_CLOSING = 0x10;
inline constexpr std::uint8_t KQ_FLUXWAIT = 0x20;
// Model-only: the descriptor was closed while kevent calls held the file (their fget
// references); the last of them runs kqueue_close at its fdrop.
inline constexpr std::uint8_t KQ_FDCLOSED = 0x40;

enum class IoOp : std::uint8_t { read = 1, write = 2 };  // LIO_READ / LIO_WRITE

// The sigevent as the kernel keeps it (`sigev_notify_kqueue` is `sigev_signo`).
// The table entries below have no padding: each byte is data (the fingerprint reads an
// entry's bytes, in_place_steps.cpp), so fields are ordered to fill every word and
// the rest is spelled out as pad bytes that stay zero; checked after State.
struct KSigEvent {
  std::uint8_t notify = 0;  // Notify (program.hpp)
  ThreadId thread;
  std::int16_t signo = 0;   // also the kqueue descriptor for SIGEV_KEVENT
  std::int32_t udata = 0;
  friend bool operator==(const KSigEvent&, const KSigEvent&) = default;
};

// A knlist: the knotes hanging on a job, a list or a socket (SLIST, head first).
using Knlist = SVec<KnoteId, kMaxKnlist>;

struct Job {  // struct aiocblist
  std::uint8_t live = 0;
  std::uint8_t jobstate = JOBST_NULL;
  std::uint8_t jobflags = 0;
  ProcId proc;                   // userproc
  std::uint8_t uaiocb = kNone;   // user aiocb address = job name index in the process
  LioId lio;                     // owning LIO
  ObjId obj;                     // fd_file: the object
  std::uint8_t op = 0;           // IoOp
  std::uint8_t counted = 0;      // ghost: kaio_count includes it (S3: in transit when unlinked)
  std::uint8_t ksi_onq = 0;      // KSI_ONQ of the job's ksiginfo
  std::uint8_t bp = 0;           // a pbuf is attached (fast path)
  DaemonId daemon;               // ghost: the daemon running it
  std::uint8_t bufcounted = 0;   // ghost: kaio_buffer_count includes it
  std::uint8_t qcounted = 0;     // ghost: num_queue_count includes it
  std::uint8_t freeing = 0;      // ghost: inside aio_free_entry (S3 "being freed")
  std::uint8_t b_done = 0;       // B_DONE on its buf (F5: bufdone sets it before b_iodone)
  std::uint8_t fildes = kNone;   // aio_fildes: the descriptor number it was submitted on
  std::array<std::uint8_t, 3> pad0_{};
  KSigEvent sigev;
  std::int32_t offset = 0;
  std::int32_t nbytes = 0;
  std::int32_t status = 0;       // _aiocb_private.status
  std::int16_t error = 0;        // _aiocb_private.error
  std::int16_t io_error = 0;     // environment: forced I/O failure
  Knlist klist;  // knotes on the job's knlist (SLIST, head first)
  std::array<std::uint8_t, 3> pad1_{};
  friend bool operator==(const Job&, const Job&) = default;
};

struct Lio {  // struct aioliojob
  std::uint8_t live = 0;
  ProcId proc;
  std::uint8_t name = kNone;  // lio name index ("as"), for traces and EVFILT_LIO idents
  std::uint8_t lioj_flags = 0;
  std::uint8_t lioj_count = 0;
  std::uint8_t lioj_finished_count = 0;
  std::uint8_t ksi_onq = 0;
  std::uint8_t notified = 0;    // ghost: completion notifications posted
  std::uint8_t hold = 0;        // ghost: lio_listio's extra count on lioj_count is held
  std::uint8_t submitting = 0;  // ghost: lio_listio has not left its submission loop
  std::uint8_t wanted = 0;      // ghost: a completion notification was asked for (kevent/signal)
  // F3 (V52): the split counters, by path (zero unless `lio-split-path-check` is on).
  std::uint8_t buf_count = 0;
  std::uint8_t buf_finished = 0;
  std::uint8_t q_count = 0;
  std::uint8_t q_finished = 0;
  std::uint8_t pad0_ = 0;
  KSigEvent sigev;
  Knlist klist;
  std::array<std::uint8_t, 3> pad1_{};
  friend bool operator==(const Lio&, const Lio&) = default;
};

struct Knote {
  std::uint8_t live = 0;
  KqId kq;
  std::uint8_t filter = 0;      // Filter (program.hpp)
  std::uint8_t status = 0;      // KN_*
  std::uint16_t flags = 0;      // kn_kevent.flags (EV_ONESHOT, EV_EOF, ...)
  std::uint8_t ident = kNone;   // EVFILT_AIO: user aiocb (job name); EVFILT_LIO: lio id; EVFILT_READ: fd
  std::uint8_t sdata = kNone;   // kn_sdata: the kernel job / lio id; EVFILT_READ: the socket/pipe (kn_fp->f_data)
  std::uint8_t sdata_stale = 0; // ghost: kn_sdata points at a freed object
  std::uint8_t knlist = kNone;  // kn_knlist: the job/lio/socket whose knlist holds it (same kind as filter)
  std::uint8_t influx_owner = kNone;  // ghost: actor that set KN_INFLUX
  std::uint8_t dropped = 0;     // ghost: knote_drop ran (a second drop is a violation)
  std::int32_t udata = 0;
  std::int16_t data = 0;
  std::array<std::uint8_t, 2> pad0_{};
  friend bool operator==(const Knote&, const Knote&) = default;
};

// An entry of kq_head: a queued knote, or the marker (KN_MARKER) a thread inside
// kqueue_scan puts there. One byte (the encoding is the knote id, or 0x40|thread
// for a marker); only these accessors read it.
struct KqHeadEntry {
  std::uint8_t raw = kNone;
  static KqHeadEntry knote_entry(KnoteId kn) { return KqHeadEntry{static_cast<std::uint8_t>(kn.index())}; }
  static KqHeadEntry marker_of(ThreadId t) { return KqHeadEntry{static_cast<std::uint8_t>(kMarkerBit | t.index())}; }
  bool is_marker() const { return (raw & kMarkerBit) != 0; }
  ThreadId thread() const {
    AIOMC_ASSERT(is_marker());
    return ThreadId(raw & ~kMarkerBit);
  }
  KnoteId knote() const {
    AIOMC_ASSERT(!is_marker());
    return KnoteId(raw);
  }
  friend bool operator==(const KqHeadEntry&, const KqHeadEntry&) = default;

 private:
  static constexpr std::uint8_t kMarkerBit = 0x40;
  static_assert(kMaxKnotes <= kMarkerBit && kMaxThreads <= kMarkerBit);
};

struct Kqueue {
  std::uint8_t live = 0;
  ProcId proc;
  std::uint8_t fd = kNone;
  std::uint8_t kq_state = 0;
  std::uint8_t kq_count = 0;
  std::uint8_t owner = kNone;  // kq_lock holder (only set while held across steps)
  SVec<KnoteId, kMaxKnotes> knhash;  // knotes on the ident hash (insertion at head)
  // kq_head: queued knotes in order, and the markers of threads inside kqueue_scan,
  // which are not counted in kq_count.
  SVec<KqHeadEntry, kMaxKnotes + kMaxThreads> head;
  friend bool operator==(const Kqueue&, const Kqueue&) = default;
};

struct PendingSig {  // a queued ksiginfo
  std::uint8_t signo = 0;
  ThreadId thread;              // thread-directed (SIGEV_THREAD_ID) target, or none
  std::uint8_t src_kind = 0;    // 0 none, 1 job, 2 lio
  std::uint8_t src = kNone;
  friend bool operator==(const PendingSig&, const PendingSig&) = default;
};

enum FdKind : std::uint8_t { FD_CLOSED = 0, FD_OBJECT = 1, FD_KQUEUE = 2 };

struct Proc {
  std::uint8_t alive = 1;
  std::uint8_t exiting = 0;        // thread_single in progress (exit/exec)
  std::uint8_t has_aioinfo = 0;    // p_aioinfo != NULL
  std::uint8_t p_mtx = kNone;      // PROC_LOCK holder, while held across steps
  // struct kaioinfo
  std::uint8_t kaio_flags = 0;
  std::uint8_t kaio_active_count = 0;
  std::uint8_t kaio_count = 0;
  std::uint8_t kaio_buffer_count = 0;
  SVec<JobId, kMaxJobs> kaio_all;
  SVec<JobId, kMaxJobs> kaio_jobqueue;
  SVec<JobId, kMaxJobs> kaio_bufqueue;
  SVec<JobId, kMaxJobs> kaio_done;
  SVec<LioId, kMaxLios> kaio_liojoblist;
  // descriptors: kind and target (object index or kqueue id)
  Table<std::uint8_t, kMaxFds> fd_kind{};
  Table<std::uint8_t, kMaxFds> fd_target{};
  Table<KqId, kMaxNames> kq_of_name{};   // kq name -> kqueue (none: not open)
  Table<LioId, kMaxNames> lio_of_name{};  // lio name -> lio (none: none)
  Table<std::uint8_t, kMaxNames> sem{};          // user semaphores
  std::uint8_t pad0_ = 0;
  // user aiocb memory (the fields the kernel writes with suword)
  Table<std::int32_t, kMaxNames> u_status{};
  Table<std::int16_t, kMaxNames> u_error{};
  SVec<PendingSig, kMaxPending> sigpending;
  std::array<std::uint8_t, 3> pad1_{};
  friend bool operator==(const Proc&, const Proc&) = default;
};

enum ThreadStatus : std::uint8_t { TS_RUN = 0, TS_SLEEP = 1, TS_DONE = 2, TS_ENDED = 3 };
enum WaitChan : std::uint8_t {
  WC_NONE = 0,
  WC_AIOINFO = 1,  // &p->p_aioinfo (aiospn, aiowc, aioprn)
  WC_KQ = 2,       // kq (kqread, kqflxwt, kqclo, kqkclr)
  WC_SIG = 3,      // sigwait
  WC_SEMA = 4,     // aio_newproc_sem
  WC_SEM = 5,      // a user semaphore
  WC_BP = 6,       // a buf (aio_fphysio's "physstr")
  WC_SX = 7,       // a Linux AIO context's sx (sx_xlock)
};

// Packed (ten bytes, alignment 1): an SVec of a wider-aligned type would end in
// padding after its count.
struct __attribute__((packed)) CollectedEvent {
  std::uint8_t filter = 0;
  std::uint8_t ident = kNone;
  std::uint16_t flags = 0;
  std::int32_t udata = 0;
  std::int16_t data = 0;
  friend bool operator==(const CollectedEvent&, const CollectedEvent&) = default;
};

struct ThreadSt {
  std::uint8_t proc = 0;
  std::uint8_t pc = 0;        // op index
  std::uint8_t ph = 0;        // phase of the current syscall (the op's own enum)
  // One phase per multi-step kernel function (thread_phases.hpp): 0 when not inside it.
  AqPhase aq = AQ_ENTRY;      // aio_aqueue
  InitPhase init = INIT_TEST; // aio_init_aioinfo
  KrPhase kr = KR_LOOKUP;     // kqueue_register
  FePhase fe = FE_START;      // aio_free_entry
  ClosePhase kc = KC_START;   // kqueue_close
  RdPhase rd = RD_START;      // aio_proc_rundown
  ReturnPhase aret = RET_FIND;     // aio_return
  SuspendPhase asus = SUS_ENTRY;   // aio_suspend
  std::uint8_t status = TS_RUN;
  std::uint8_t wchan = WC_NONE;
  std::uint8_t wid = kNone;   // channel id (kq id, sem id, ...)
  std::uint8_t woken = 0;     // a wakeup() arrived while sleeping
  std::uint8_t timedout = 0;  // 1: the sleep timed out; 2: interrupted by thread_single
  std::uint8_t timo = 0;      // the current sleep has a finite timeout
  std::uint8_t pcatch = 0;    // the current sleep is interruptible (PCATCH)
  std::uint8_t exiter = 0;    // this thread runs exit/exec for its process
  std::uint8_t i = 0;         // loop index (lio entries, kevent changes, knotes)
  std::uint8_t nfail = 0;     // lio_listio: failed members
  std::uint8_t job = kNone;   // the job being submitted / freed
  LioId lio;                  // the lio being built
  KnoteId kn;                 // the knote being handled
  KqId kq;                    // the kqueue being used
  std::uint8_t marker = 0;    // kqueue_scan: this thread's marker is on kq_head
  std::uint8_t flags = 0;     // per-syscall scratch bits
  // F18 (b), V6b: the job this thread's aio_qphysio still points at (job, now none)
  // was freed by another thread's aio_free_entry.
  std::uint8_t job_freed = 0;
  std::int16_t err = 0;       // the syscall's pending error
  std::array<std::uint8_t, 2> pad0_{};
  std::int32_t ret = 0;       // the syscall's pending return value
  SVec<CollectedEvent, kMaxEvents> events;  // kevent results collected so far
  std::array<std::uint8_t, 3> pad1_{};
  // Not inside any multi-step kernel function (every phase field at its start).
  bool outside_kernel_functions() const {
    return aq == AQ_ENTRY && init == INIT_TEST && kr == KR_LOOKUP && fe == FE_START && kc == KC_START && rd == RD_START &&
           aret == RET_FIND && asus == SUS_ENTRY;
  }
  friend bool operator==(const ThreadSt&, const ThreadSt&) = default;
};

enum DaemonPhase : std::uint8_t {
  AIOD_NONE = 0,      // does not exist
  AIOD_TOP = 1,       // at the top of its loop (awake)
  AIOD_SLEEP = 2,     // msleep "aiordy"
  AIOD_PROCESS = 3,   // owns a RUNNING job: aio_process + kaio_active_count--
  AIOD_COMPLETE = 4,  // aio_process done: completion under P
  AIOD_DETACH = 5,    // vmspace detach, then re-check
  AIOD_START = 6,     // kthread created: joins aio_freeproc, sema_post
  AIOD_WAKEUP = 7,    // F12: the completion's KAIO_WAKEUP test, without the proc lock
};

struct Daemon {
  std::uint8_t ph = AIOD_NONE;
  std::uint8_t aiop_free = 0;   // AIOP_FREE
  JobId job;
  ProcId vmspace;               // attached user process
  std::uint8_t woken = 0;
  friend bool operator==(const Daemon&, const Daemon&) = default;
};

struct Disk {
  SVec<JobId, kMaxBios> bios;  // jobs whose bio is in flight, issue order
  friend bool operator==(const Disk&, const Disk&) = default;
};

// A socket or pipe: the bytes a reader can take, and (sockets) the AIO jobs that
// wait for it to become ready.
struct SockSt {
  std::int32_t data = 0;  // bytes available to read (write_peer adds)
  std::uint8_t sb_aio = 0;  // SB_AIO on the receive sockbuf
  SVec<JobId, kMaxSockJobs> so_aiojobq;
  Knlist si_note;  // EVFILT_READ knotes (so_rcv.sb_sel / pipe_sel knlist)
  std::uint8_t pad0_ = 0;
  friend bool operator==(const SockSt&, const SockSt&) = default;
};

// A pending timeout(process_signal, job, 0): the job, and whether aio_free_entry has
// freed it since (the callout then runs on a freed job).
struct CalloutEntry {
  JobId job;
  std::uint8_t stale = 0;
  friend bool operator==(const CalloutEntry&, const CalloutEntry&) = default;
};

struct State {
  // global AIO state (aio_job_mtx)
  std::uint8_t jm_owner = kNone;
  std::uint8_t giant_owner = kNone;  // S8 eras: Giant, held across steps by its owner
  std::uint8_t num_aio_procs = 0;
  std::uint8_t num_aio_resv_start = 0;
  std::uint8_t num_queue_count = 0;
  std::uint8_t num_buf_aio = 0;
  std::uint8_t aio_loaded = 1;
  std::uint8_t newproc_sem = 0;  // aio_newproc_sem
  // sysfilt_ops[] for EVFILT_AIO and EVFILT_LIO: FOPS_NULL (null_filtops, whose
  // attach fails ENXIO), FOPS_AIO (the aio module's) or FOPS_STALE (F20: the unloaded
  // module's, which nothing removed).
  std::uint8_t evfilt_aio_ops = 1;
  std::uint8_t evfilt_lio_ops = 1;
  std::uint8_t linuxaio_loaded = 0;
  SVec<JobId, kMaxJobs> aio_jobs;
  SVec<DaemonId, kMaxDaemons> aio_freeproc;
  // the aiod_bio taskqueue: queued biotasks, and the task the thread is running
  SVec<JobId, kMaxJobs> taskq;
  JobId taskq_cur;
  std::uint8_t taskq_wake = kNone;  // F12: biohelper's unlocked KAIO_WAKEUP test still to do (proc)
  SVec<CalloutEntry, kMaxJobs> callout;  // F3/F3b: timeout(process_signal, job, 0) pending on softclock

  Table<Proc, kMaxProcs, ProcId> procs{};
  Table<ThreadSt, kMaxThreads, ThreadId> threads{};
  Table<Daemon, kMaxDaemons, DaemonId> daemons{};
  Table<Disk, kMaxDisks, DiskId> disks{};
  Table<Job, kMaxJobs, JobId> jobs{};
  Table<Lio, kMaxLios, LioId> lios{};
  Table<Kqueue, kMaxKqueues, KqId> kqs{};
  Table<Knote, kMaxKnotes, KnoteId> knotes{};
  Table<SockSt, kMaxObjects, ObjId> socks{};  // by object index (sockets and pipes only)
  std::uint8_t panicked = 0;  // ghost: a panic() happened; nothing runs afterwards
  LinuxSt lx;                 // the Linux AIO emulation (linux_aio_state.hpp)

  friend bool operator==(const State&, const State&) = default;
};

// Every byte of a table entry is data (see KSigEvent): no padding for anything to
// leave unequal in two equal entries. Checked here by Clang; GCC 12's trait is false
// for any class with an empty [[no_unique_address]] member (Table's), so under GCC
// the Model checks it when it starts, with __builtin_clear_padding (in_place_steps.cpp).
#if defined(__clang__)
static_assert(std::has_unique_object_representations_v<Proc> && std::has_unique_object_representations_v<ThreadSt> &&
              std::has_unique_object_representations_v<Daemon> && std::has_unique_object_representations_v<Disk> &&
              std::has_unique_object_representations_v<SockSt> && std::has_unique_object_representations_v<Job> &&
              std::has_unique_object_representations_v<Lio> && std::has_unique_object_representations_v<Kqueue> &&
              std::has_unique_object_representations_v<Knote>,
              "a table entry with padding");
#endif

// The global fields before the tables are one run of bytes at the start of a State;
// its length (State is not standard-layout, so it is taken from an object).
inline std::size_t global_fields_bytes(const State& s) {
  return static_cast<std::size_t>(reinterpret_cast<const char*>(&s.procs) - reinterpret_cast<const char*>(&s));
}

}  // namespace aiomc::model
