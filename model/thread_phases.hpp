// The phases of the kernel functions a thread runs through several steps, one enum
// per sub-machine. Each has its own field in ThreadSt (state.hpp), so no register is
// shared between sub-machines: a function nested in another (kqueue_register inside
// aio_aqueue, aio_free_entry inside aio_proc_rundown) keeps its own place. Every
// sub-machine is back at its first phase (0) when it returns, and finish_op clears
// them all, so a field is non-zero only while its function is in progress.
#pragma once

#include <cstdint>

namespace aiomc::model {

// aio_aqueue and aio_qphysio (aio_aqueue.cpp).
enum AqPhase : std::uint8_t {
  AQ_ENTRY = 0,
  AQ_REGISTER = 1,
  AQ_PATH = 2,
  AQ_PHYS_COUNT = 3,
  AQ_PHYS_QUEUE = 4,
  AQ_PHYS_STRATEGY = 5,
  AQ_DAEMON = 6,
  AQ_WAKE = 7,
  AQ_NEWPROC = 8,
  AQ_NEWPROC_WAIT = 9,
  AQ_SOCKET = 10,
  AQ_PHYS_ERRCHECK = 11,  // F18 (b): V6b's look at the buf's error after dev_strategy
  AQ_VALIDATE = 12,       // after the unlocked quota read: copyin, sigevent, fget, opcode
};

// aio_init_aioinfo, with its aio_newproc loop (aio_aqueue.cpp).
enum InitPhase : std::uint8_t { INIT_TEST = 0, INIT_NEWPROC = 1, INIT_NEWPROC_WAIT = 2, INIT_INSTALL = 3 };

// kqueue_register (kqueue_register.cpp).
enum KrPhase : std::uint8_t {
  KR_LOOKUP = 0,
  KR_ATTACH = 1,   // f_attach -> knlist_add: SLIST insert under the knlist lock
  KR_ATTACH2 = 2,  // knlist_add: kn_knlist = knl, clear KN_DETACHED under the kq lock
  KR_EVENT = 3,    // f_event, activate, clear INFLUX
  KR_EVENT2 = 4,   // F11: activate and clear INFLUX after the knlist lock was dropped
  KR_DETACH = 5,   // EV_DELETE: f_detach -> knlist_remove under the knlist lock
  KR_DETACH2 = 6,  // knlist_remove: KN_DETACHED under the kq lock
  KR_DROP = 7,     // knote_drop
  KR_DROP_EPERM = 8,
  KR_DROP_ENXIO = 9,  // filt_nullattach: the filter's module is unloaded
};

// aio_free_entry's knlist_delete of the lio's and the job's knlists (aio_notify.cpp).
enum FePhase : std::uint8_t { FE_START = 0, FE_LIO_WAIT = 1, FE_JOB_WAIT = 2, FE_JOB_DROP = 3 };

// kqueue_close (kevent_syscalls.cpp).
enum ClosePhase : std::uint8_t { KC_START = 0, KC_DETACH = 1, KC_DETACH2 = 2, KC_DROP = 3 };

// aio_return (aio_syscalls.cpp), for the syscall and for the Linux emulation's reap.
enum ReturnPhase : std::uint8_t { RET_FIND = 0, RET_FREE = 1, RET_SUWORD = 2 };

// aio_suspend (aio_syscalls.cpp), for the syscall and for io_getevents/io_destroy.
enum SuspendPhase : std::uint8_t { SUS_ENTRY = 0, SUS_SCAN = 1, SUS_SET_WAKEUP = 2 };

// aio_proc_rundown (proc_ops.cpp).
enum RdPhase : std::uint8_t { RD_START = 0, RD_SCAN = 1, RD_FREE = 2, RD_FREE_ENTRY = 3, RD_LIO_WAIT = 4, RD_FPHYSIO = 5 };

}  // namespace aiomc::model
