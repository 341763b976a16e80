// The steps table (model/steps.def) as data: one StepDef per step, a StepName that
// is checked against the table when the program is compiled, and the masks of the
// table's columns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/config.hpp"

namespace aiomc::model {

// Who runs a step.
enum ActorKind : std::uint32_t {
  A_THREAD = 1u << 0,     // a user thread in a syscall
  A_DAEMON = 1u << 1,     // an AIO daemon (aio_daemon)
  A_DISK = 1u << 2,       // the raw disk's completion (bio done, interrupt context)
  A_TASKQ = 1u << 3,      // the aiod_bio taskqueue (biohelper)
  A_SOFTCLOCK = 1u << 4,  // softclock running a callout
};

// The locks a step takes (held across the step or only inside it).
enum LockKind : std::uint32_t {
  L_P = 1u << 0,        // PROC_LOCK (also the kaioinfo mutex, S21)
  L_JM = 1u << 1,       // aio_job_mtx
  L_KQ = 1u << 2,       // kq_lock
  L_GIANT = 1u << 3,    // Giant (S8 eras)
  L_LX_SX = 1u << 4,    // a Linux AIO context's sx
};

// The state a step may write (and, in the reads column, touch), relative to the
// actor that runs it.
enum WriteKind : std::uint32_t {
  W_GLOBAL = 1u << 0,        // aio globals: counters, aio_jobs, aio_freeproc, module state
  W_TASKQ = 1u << 1,         // the aiod_bio taskqueue
  W_CALLOUT = 1u << 2,       // the callout wheel (timeout(9))
  W_PROC_OWN = 1u << 3,      // the running thread's own process (kaioinfo, fds, signals)
  W_PROC_OTHER = 1u << 4,    // another process (or any, for a non-thread actor)
  W_THREAD_SELF = 1u << 5,   // the running thread
  W_THREAD_OTHER = 1u << 6,  // another thread (wakeup, thread_single, signal delivery)
  W_DAEMON_SELF = 1u << 7,   // the running daemon
  W_DAEMON_OTHER = 1u << 8,  // another daemon (wakeup, creation)
  W_DISK = 1u << 9,          // a disk's bio queue
  W_JOB = 1u << 10,          // a job (aiocblist)
  W_LIO = 1u << 11,          // a list (aioliojob)
  W_KQ = 1u << 12,           // a kqueue
  W_KNOTE = 1u << 13,        // a knote
  W_SOCK = 1u << 14,         // a socket or pipe
  W_LINUX = 1u << 15,        // the Linux emulation's contexts and context list
  W_PANIC = 1u << 16,        // the ghost "panicked" flag
  W_ALL = (1u << 17) - 1,
};

struct StepDef {
  const char* name;  // kernel_function:section, as traces name it
  std::uint32_t actors;
  std::uint32_t locks;
  std::uint32_t writes;
  std::uint32_t reads;     // the state it may touch (read or write), in WriteKind bits
  std::uint64_t variants;  // bit per Variant: the variants that change the step
  const char* source;      // "vfs_aio.c:528": the function's definition in 1.220 / 1.95; "" unknown
};

#define AIOMC_V(id) (std::uint64_t{1} << static_cast<int>(Variant::id))

enum class StepId : std::uint8_t {
#define AIOMC_STEP(id, name, actors, locks, writes, reads, variants, source) id,
#include "model/steps.def"
#undef AIOMC_STEP
};

inline constexpr StepDef kSteps[] = {
#define AIOMC_STEP(id, name, actors, locks, writes, reads, variants, source) {name, actors, locks, writes, reads, variants, source},
#include "model/steps.def"
#undef AIOMC_STEP
};
inline constexpr int kStepCount = static_cast<int>(sizeof(kSteps) / sizeof(kSteps[0]));
static_assert(kStepCount < 255, "StepId is one byte");

consteval int step_index_of(std::string_view name) {
  for (int i = 0; i < kStepCount; ++i)
    if (std::string_view(kSteps[i].name) == name) return i;
  return -1;
}

// A step's name, resolved to its row when the program is compiled: naming a step
// that is not in the table does not build.
struct StepName {
  std::uint8_t id;
  consteval StepName(const char* name) : id(checked(step_index_of(name))) {}
  constexpr explicit StepName(StepId s) : id(static_cast<std::uint8_t>(s)) {}
  const StepDef& def() const { return kSteps[id]; }
  const char* name() const { return kSteps[id].name; }

 private:
  static consteval std::uint8_t checked(int i) {
    if (i < 0) throw "step name not in model/steps.def";  // a compile error
    return static_cast<std::uint8_t>(i);
  }
};

// The row of a name found at run time (traces read back), if any.
std::optional<int> find_step(std::string_view name);
// The masks as text: "thread|daemon", "P|JM", "job|knote|thread-self".
std::string actor_kinds_text(std::uint32_t mask);
std::string lock_kinds_text(std::uint32_t mask);
std::string write_kinds_text(std::uint32_t mask);

}  // namespace aiomc::model
