// What a scenario asks the kernel to do: objects, processes, threads and their ops.
// Produced by the loader (JSON lives only there); read by the model. Every name
// (job, kqueue, semaphore, context, lio) is resolved to a small per-process index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aiomc::model {

enum class ObjType : std::uint8_t { raw_disk, file, socket, pipe };

struct Object {
  std::string name;
  ObjType type = ObjType::file;
  std::int64_t sector_size = 512;  // raw_disk
  std::int64_t max_io = 65536;     // raw_disk: the driver's si_iosize_max
  std::int64_t size = 1 << 20;     // raw_disk, file
  bool gone = false;               // raw_disk (extension): the device went away, vn_isdisk gives ENXIO
  std::string content;             // file (optional)
  bool readable = false;           // socket, pipe
  bool writable = true;            // socket
  std::int64_t latency_min = 1;    // only `aiomc run` uses latencies
  std::int64_t latency_max = 10;
};

// A descriptor as a thread names it: one of the scenario's objects, or a kqueue name
// of the thread's process.
struct FdRef {
  enum class Kind : std::uint8_t { object, kqueue } kind = Kind::object;
  int index = -1;  // into Program::objects, or Process::kq_names
};

// struct sigevent. `notify_name` keeps the scenario's spelling for messages.
enum class Notify : std::uint8_t { none, signal, thread_id, kevent, other };
struct SigEvent {
  Notify notify = Notify::none;
  int signo = 0;        // 0 when the scenario gives none
  int thread = -1;      // thread_id: thread index within the process
  int kq = -1;          // kevent: kqueue name index within the process
  std::int64_t udata = 0;
};

enum class LioOpcode : std::uint8_t { read, write, nop, other };

// One lio_listio entry (an aiocb in the list).
struct LioEntry {
  int job = -1;  // job name index
  LioOpcode opcode = LioOpcode::read;
  FdRef fd;
  std::int64_t offset = 0;
  std::int64_t nbytes = 512;
  std::optional<SigEvent> sigevent;  // the member's own aio_sigevent
  int io_error = 0;                  // errno forced on the I/O, 0 = none
};

// EVFILT_READ is modelled for sockets and pipes only (filt_soread / filt_piperead).
enum class Filter : std::uint8_t { aio, lio, other, read };
inline constexpr std::uint8_t kFilterAio = static_cast<std::uint8_t>(Filter::aio);
inline constexpr std::uint8_t kFilterLio = static_cast<std::uint8_t>(Filter::lio);
inline constexpr std::uint8_t kFilterRead = static_cast<std::uint8_t>(Filter::read);
// kevent flag bits (FreeBSD values).
namespace evflag {
inline constexpr std::uint16_t EV_ADD = 0x0001;
inline constexpr std::uint16_t EV_DELETE = 0x0002;
inline constexpr std::uint16_t EV_ENABLE = 0x0004;
inline constexpr std::uint16_t EV_DISABLE = 0x0008;
inline constexpr std::uint16_t EV_ONESHOT = 0x0010;
inline constexpr std::uint16_t EV_CLEAR = 0x0020;
inline constexpr std::uint16_t EV_FLAG1 = 0x2000;
inline constexpr std::uint16_t EV_SYSFLAGS = 0xF000;  // reserved by the system; kern_kevent clears them
inline constexpr std::uint16_t EV_EOF = 0x8000;
inline constexpr std::uint16_t EV_ERROR = 0x4000;
}  // namespace evflag

struct KeventChange {
  enum class IdentKind : std::uint8_t { job, lio, number, fd } ident_kind = IdentKind::job;
  int ident = -1;  // job name index, lio name index, a raw number, or (fd) a socket/pipe object index
  Filter filter = Filter::aio;
  std::uint16_t flags = 0;
  std::int64_t udata = 0;
  // `data` (an extension): 0, or the kernel address of one of the process's jobs or
  // lists, which a user that learned it can pass (kernel-facts F27); it becomes
  // kn_sdata, which filt_aio/filt_lio take for a kernel pointer.
  enum class DataKind : std::uint8_t { zero, job, lio } data_kind = DataKind::zero;
  int data = -1;  // job / lio name index
};

// A value in an expectation: a number (4096) or a name ("EINVAL", "AIO_NOTCANCELED").
struct Value {
  bool is_name = false;
  std::int64_t number = 0;
  std::string name;
};

struct EventPattern {  // every field optional: only listed fields are matched
  std::optional<Filter> filter;
  std::optional<int> ident_job;  // job name index (EVFILT_AIO)
  std::optional<std::int64_t> udata;
  std::vector<std::string> flags;  // subset match
  std::optional<Value> data;
  // io_getevents events
  std::optional<int> job;
  std::optional<Value> res;
  std::optional<std::int64_t> res2;
};

struct Expect {
  enum class Kind : std::uint8_t { none, ret, errno_, ret_in, count, events, waitcomplete };
  Kind kind = Kind::none;
  Value value;                       // ret / errno_ / waitcomplete's ret
  std::vector<Value> ret_in;         // ret_in
  int count = 0;                     // count
  std::vector<EventPattern> events;  // events
  std::optional<int> job;            // waitcomplete's job name index
};

enum class OpKind : std::uint8_t {
  aio_read, aio_write, aio_fsync, lio_listio, aio_error, aio_return, aio_suspend, aio_cancel,
  aio_waitcomplete, kqueue, kevent, close, sigwait, exit, exec, sem_post, sem_wait, write_peer,
  io_setup, io_submit, io_getevents, io_cancel, io_destroy, kldload, kldunload,
};
inline constexpr int kOpKinds = 25;
const char* op_name(OpKind k);

struct Op {
  OpKind kind = OpKind::aio_read;
  std::string label;    // optional "label"
  std::string pointer;  // JSON pointer of the op, for messages
  // aio_read/aio_write/aio_fsync/aio_error/aio_return/aio_cancel/io_cancel
  int job = -1;  // job name index (-1: none, e.g. aio_cancel without job)
  FdRef fd;
  std::int64_t offset = 0;
  std::int64_t nbytes = 512;
  std::optional<SigEvent> sigevent;  // aio_*: the aiocb's; lio_listio: the list's (nullopt = NULL)
  std::string data;
  int io_error = 0;
  // lio_listio / io_submit
  bool wait = false;              // lio_listio mode
  std::vector<LioEntry> list;     // lio_listio entries, io_submit iocbs
  int as = -1;                    // kqueue: kq name index; lio_listio: lio name index
  // aio_suspend
  std::vector<int> jobs;
  std::optional<std::int64_t> timeout;  // nullopt = wait forever; 0 = poll; ticks
  // kevent
  int kq = -1;  // kq name index
  std::vector<KeventChange> changes;
  int nevents = 1;
  // sigwait
  int signo = 0;
  // sem_post / sem_wait
  int sem = -1;
  // linux
  int ctx = -1;
  std::int64_t nr_events = 0, min_nr = 0, nr = 0;
  // kldload / kldunload
  std::string module;

  Expect expect;
};

struct Thread {
  std::string name;
  std::vector<Op> ops;
};

struct Process {
  std::string name;
  std::vector<Thread> threads;
  std::vector<std::string> job_names;  // index = job name index
  std::vector<std::string> kq_names;
  std::vector<std::string> sem_names;
  std::vector<std::string> ctx_names;
  std::vector<std::string> lio_names;
};

struct Program {
  std::vector<Object> objects;  // descriptor of objects[i] is 3 + i in every process
  std::vector<Process> processes;
};

}  // namespace aiomc::model

namespace aiomc::model {
// What this build of the model can run. The loader refuses the rest with a clear
// "not supported yet" error (exit 2), never ignoring it.
bool op_supported(OpKind k);
bool object_supported(ObjType t);
}  // namespace aiomc::model
