// The Linux AIO emulation's state (sys/compat/linux/linux_aio.c, kernel-facts §D):
// the global context list and its mutex, the contexts with their sx and request
// FIFOs, the ring headers in user memory and the user's context variables.
// Kept apart from the native state so that a scenario that never names a context
// encodes exactly as before (encode.cpp writes it only for such scenarios).
#pragma once

#include <array>
#include <cstdint>

#include "model/svec.hpp"

namespace aiomc::model {

inline constexpr int kMaxCtxs = 6;     // contexts alive system-wide
inline constexpr int kMaxCtxReqs = 8;  // requests on one context
inline constexpr int kMaxRings = 4;    // ring mappings per process (addresses 1..kMaxRings)
inline constexpr std::uint32_t kLinuxAioRingMagic = 0xa10a10a1;
inline constexpr std::int32_t kLinuxAioRingHdrLen = 32;  // 8 x unsigned int

// struct linux_aio_request: the clone aiocb in user memory (a job name of the
// process: Model::clone_name) and the Linux iocb it was made from.
struct LinuxReq {
  std::uint8_t iocb = 0xFF;   // the user's Linux iocb (job name index)
  std::uint8_t clone = 0xFF;  // the clone aiocb (job name index, see Model::clone_name)
  std::uint8_t fildes = 0;    // aio_fildes copied from the iocb
  std::uint8_t native = 0;    // ghost: aio_aqueue created a native job for it (not NOOP)
  friend bool operator==(const LinuxReq&, const LinuxReq&) = default;
};

// struct linux_aio_context.
struct LinuxCtx {
  std::uint8_t live = 0;
  std::uint8_t proc = 0xFF;      // owner pid
  std::uint8_t ring = 0;         // user ring address (1..kMaxRings): the context id
  std::uint8_t sx_owner = 0xFF;  // the context's sx, held across steps
  std::uint8_t refs = 0;         // fixed only (S25): threads between lookup and release
  std::uint8_t unlinked = 0;     // io_destroy took it off the global list
  std::uint8_t nreq_cur = 0;
  std::int32_t nreq_max = 0;
  SVec<LinuxReq, kMaxCtxReqs> reqs;  // STAILQ, submission order
  friend bool operator==(const LinuxCtx&, const LinuxCtx&) = default;
};

// struct aio_ring's header as io_setup writes it into user memory.
struct LinuxRing {
  std::uint8_t mapped = 0;
  std::int32_t id = 0, nr = 0, head = 0, tail = 0;
  std::uint32_t magic = 0;
  std::int32_t compat_features = 0, incompat_features = 0, header_length = 0;
  friend bool operator==(const LinuxRing&, const LinuxRing&) = default;
};

// LinuxThread::unhook_prev when the context io_destroy unhooks was first on the list.
inline constexpr std::uint8_t kUnhookHead = 0xFE;

// A thread's place inside a linux_io_* call, beside ThreadSt (whose ph is the
// emulation's phase, and whose aret/asus are the native aio_return's and
// aio_suspend's): the context and the loop stage.
struct LinuxThread {
  std::uint8_t ctx = 0xFF;
  std::uint8_t sub = 0;   // which native call / loop stage
  std::uint8_t n = 0;     // io_submit: iocbs accepted; io_getevents: events taken
  // F28: what io_destroy's unlocked SLIST_REMOVE walk found before the context
  // (kUnhookHead: the context was first; else the context before it), for its store.
  std::uint8_t unhook_prev = 0xFF;
  std::int16_t err = 0;   // the error that stopped the loop
  friend bool operator==(const LinuxThread&, const LinuxThread&) = default;
};

struct LinuxSt {
  std::uint8_t list_mtx = 0xFF;  // linux_aio_context_list_mtx (only held inside a step)
  std::uint8_t linked = 0;       // the link step holds a reference on the aio module
  SVec<std::uint8_t, kMaxCtxs> list;  // linux_aio_context_list, head first
  std::array<LinuxCtx, kMaxCtxs> ctx{};
  std::array<std::array<LinuxRing, kMaxRings>, 4> rings{};        // per process
  std::array<std::array<std::uint8_t, 24>, 4> ctxp{};             // per process, per context name: the id
  std::array<std::uint32_t, 4> clone_mapped{};                     // per process: clone aiocbs mapped (bit per clone slot)
  std::array<LinuxThread, 8> th{};
  friend bool operator==(const LinuxSt&, const LinuxSt&) = default;
};

}  // namespace aiomc::model
