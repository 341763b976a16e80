// What one step touched, object by object: the read half of a step's footprint.
// The state's kinded tables (Table<T, N, Id>, svec.hpp) note each entry a step
// indexes, and a whole-table walk as every entry; the Kernel's accessors note the
// global fields (aio_job_mtx's counters and queues, the module state, the taskqueue,
// the callout wheel, the Linux emulation). Writes are found by comparing the state
// before and after (step_footprint.hpp), so "touched and unchanged" is a read.
// Recording is on only while a Kernel that was given a log runs a step.
//
// Two halves: what the step reached through a mutable access (objs, globals: it may
// have written it) and what it reached only through a read-only one (reads,
// global_reads: a const table or a read_* accessor, which cannot write). A
// footprint independence relation needs both (touched_of, all()); undoing a step
// and keying its successor need only the first (the explorer compares and restores
// those entries, so a walk that only looks, such as a free-slot search or a lookup
// over every knote, costs them nothing).
#pragma once

#include <array>
#include <cstdint>

#include "model/ids.hpp"

namespace aiomc::model {

// The kinds of object the log tracks by index (the state's kinded tables).
enum class ObjKind : std::uint8_t { proc, thread, daemon, disk, job, lio, kq, knote, sock };
inline constexpr int kObjKinds = 9;

template <class I>
constexpr ObjKind obj_kind_of() {
  if constexpr (std::is_same_v<I, ProcId>) return ObjKind::proc;
  else if constexpr (std::is_same_v<I, ThreadId>) return ObjKind::thread;
  else if constexpr (std::is_same_v<I, DaemonId>) return ObjKind::daemon;
  else if constexpr (std::is_same_v<I, DiskId>) return ObjKind::disk;
  else if constexpr (std::is_same_v<I, JobId>) return ObjKind::job;
  else if constexpr (std::is_same_v<I, LioId>) return ObjKind::lio;
  else if constexpr (std::is_same_v<I, KqId>) return ObjKind::kq;
  else if constexpr (std::is_same_v<I, KnoteId>) return ObjKind::knote;
  else {
    static_assert(std::is_same_v<I, ObjId>, "a kind of id with a table in the state");
    return ObjKind::sock;
  }
}

// The state's global fields, one bit each (State in state.hpp; the taskqueue's three
// fields are one object, as is the whole Linux emulation's state).
enum GlobalField : std::uint32_t {
  G_JM_OWNER = 1u << 0,            // aio_job_mtx's owner
  G_GIANT = 1u << 1,               // Giant's owner (S8 eras)
  G_NUM_AIO_PROCS = 1u << 2,
  G_NUM_AIO_RESV_START = 1u << 3,
  G_NUM_QUEUE_COUNT = 1u << 4,
  G_NUM_BUF_AIO = 1u << 5,
  G_AIO_LOADED = 1u << 6,          // the aio module
  G_NEWPROC_SEM = 1u << 7,         // aio_newproc_sem
  G_EVFILT_OPS = 1u << 8,          // sysfilt_ops[] for EVFILT_AIO and EVFILT_LIO
  G_LINUXAIO_LOADED = 1u << 9,
  G_AIO_JOBS = 1u << 10,           // the daemons' queue
  G_AIO_FREEPROC = 1u << 11,       // the idle daemons
  G_TASKQ = 1u << 12,              // the aiod_bio taskqueue (queue, current task, F12 wake)
  G_CALLOUT = 1u << 13,            // the callout wheel
  G_PANICKED = 1u << 14,           // ghost: a panic happened
  G_LINUX = 1u << 15,              // the Linux emulation's state (contexts, rings, list)
};

// Each global field of State with its bit: the Kernel's accessors (kernel.hpp) and
// written_objects (step_footprint.cpp) both expand this one list.
#define AIOMC_GLOBAL_FIELDS(X)                 \
  X(jm_owner, G_JM_OWNER)                      \
  X(giant_owner, G_GIANT)                      \
  X(num_aio_procs, G_NUM_AIO_PROCS)            \
  X(num_aio_resv_start, G_NUM_AIO_RESV_START)  \
  X(num_queue_count, G_NUM_QUEUE_COUNT)        \
  X(num_buf_aio, G_NUM_BUF_AIO)                \
  X(aio_loaded, G_AIO_LOADED)                  \
  X(newproc_sem, G_NEWPROC_SEM)                \
  X(evfilt_aio_ops, G_EVFILT_OPS)              \
  X(evfilt_lio_ops, G_EVFILT_OPS)              \
  X(linuxaio_loaded, G_LINUXAIO_LOADED)        \
  X(aio_jobs, G_AIO_JOBS)                      \
  X(aio_freeproc, G_AIO_FREEPROC)              \
  X(taskq, G_TASKQ)                            \
  X(taskq_cur, G_TASKQ)                        \
  X(taskq_wake, G_TASKQ)                       \
  X(callout, G_CALLOUT)                        \
  X(panicked, G_PANICKED)                      \
  X(lx, G_LINUX)

struct AccessLog {
  std::array<std::uint32_t, kObjKinds> objs{};   // bit per table index: reached through a mutable access
  std::uint32_t globals = 0;                     // GlobalField bits: the same
  std::array<std::uint32_t, kObjKinds> reads{};  // bit per table index: reached read-only
  std::uint32_t global_reads = 0;                // GlobalField bits: read through a read_* accessor

  void touch(ObjKind k, std::size_t i) { objs[static_cast<std::size_t>(k)] |= 1u << i; }
  void touch_all(ObjKind k, std::size_t n) { objs[static_cast<std::size_t>(k)] |= first_bits(n); }
  void touch(GlobalField g) { globals |= g; }
  void read(ObjKind k, std::size_t i) { reads[static_cast<std::size_t>(k)] |= 1u << i; }
  void read_all(ObjKind k, std::size_t n) { reads[static_cast<std::size_t>(k)] |= first_bits(n); }
  void read(GlobalField g) { global_reads |= g; }
  // The entries reached through a mutable access: all a step may have written.
  std::uint32_t of(ObjKind k) const { return objs[static_cast<std::size_t>(k)]; }
  // Every entry touched, read-only or not.
  std::uint32_t touched_of(ObjKind k) const {
    return objs[static_cast<std::size_t>(k)] | reads[static_cast<std::size_t>(k)];
  }
  std::uint32_t touched_globals() const { return globals | global_reads; }
  // Everything touched as one half (objs, globals), the other empty: the footprint a
  // reduction compares.
  AccessLog all() const {
    AccessLog a;
    for (int k = 0; k < kObjKinds; ++k) a.objs[static_cast<std::size_t>(k)] = touched_of(static_cast<ObjKind>(k));
    a.globals = touched_globals();
    return a;
  }
  // Whether this and `o` share an object or a global field, touched either way.
  bool meets(const AccessLog& o) const {
    for (int k = 0; k < kObjKinds; ++k)
      if (o.touched_of(static_cast<ObjKind>(k)) & touched_of(static_cast<ObjKind>(k))) return true;
    return (o.touched_globals() & touched_globals()) != 0;
  }
  // Whether everything `o` holds is also here, what `o` reached through a mutable
  // access here through a mutable access too (a step's written_objects must be
  // covered by its log's mutable half: the explorer undoes only that).
  bool covers(const AccessLog& o) const {
    for (int k = 0; k < kObjKinds; ++k) {
      if (o.of(static_cast<ObjKind>(k)) & ~of(static_cast<ObjKind>(k))) return false;
      if (o.reads[static_cast<std::size_t>(k)] & ~touched_of(static_cast<ObjKind>(k))) return false;
    }
    return (o.globals & ~globals) == 0 && (o.global_reads & ~touched_globals()) == 0;
  }
  friend bool operator==(const AccessLog&, const AccessLog&) = default;

 private:
  static std::uint32_t first_bits(std::size_t n) { return n >= 32 ? ~0u : (1u << n) - 1u; }
};

}  // namespace aiomc::model
