// Phases of a thread inside a linux_io_* call (internal to the linux_aio_*.cpp files).
#pragma once

#include <cstdint>

#include "model/steps.hpp"

namespace aiomc::model::lx {

using model::StepName;

// ThreadSt::ph of a thread inside a linux_io_* call.
enum LxPhase : std::uint8_t {
  LX_ENTRY = 0,    // link step and argument checks
  LX_INIT = 1,     // LINUX_AIO_LOCK: aio_init_aioinfo when p_aioinfo is NULL
  LX_LOOKUP = 2,   // P, list mutex, find the context
  LX_SX = 3,       // sx_xlock on the context
  LX_WORK = 4,     // the call's own loop (LinuxThread::sub says where)
  LX_RELEASE = 5,  // sx_xunlock and return
  // io_destroy under `linux-ctx-unhook-unlocked` (F28): the context found, the list
  // mutex dropped with the context still on the list, P held.
  LX_UNHOOK_WALK = 6,   // SLIST_REMOVE's walk to the context's predecessor
  LX_UNHOOK_STORE = 7,  // SLIST_REMOVE's store past the context
};

// LinuxThread::sub inside LX_WORK.
enum LxSub : std::uint8_t {
  SUB_NEXT = 0,     // io_submit: the next iocb; io_getevents: the next request of the walk
  SUB_AQUEUE = 1,   // io_submit: aio_aqueue on the clone
  SUB_RETURN = 2,   // native aio_return on the clone (reap)
  SUB_SUSPEND = 3,  // io_getevents: native aio_suspend over the context's clones
  SUB_CANCEL = 4,   // io_cancel / io_destroy: native aio_cancel on the clone
  SUB_WAIT = 5,     // io_destroy (fixed): native aio_suspend on a NOTCANCELED clone
};

// Step names, per call: [0] lookup, [1] sx_xlock, [2] sx_xunlock.
struct CallNames {
  StepName lock;
  StepName sx_xlock;
  StepName sx_xunlock;
};
inline constexpr CallNames kSubmit{"linux_io_submit:lock", "linux_io_submit:sx_xlock", "linux_io_submit:sx_xunlock"};
inline constexpr CallNames kGetevents{"linux_io_getevents:lock", "linux_io_getevents:sx_xlock",
                                      "linux_io_getevents:sx_xunlock"};
inline constexpr CallNames kCancel{"linux_io_cancel:lock", "linux_io_cancel:sx_xlock", "linux_io_cancel:sx_xunlock"};
inline constexpr CallNames kDestroy{"linux_io_destroy:lock", "linux_io_destroy:sx_xlock",
                                    "linux_io_destroy:sx_xunlock"};

}  // namespace aiomc::model::lx
