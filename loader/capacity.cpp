// The upper bounds of loader/capacity.hpp, counted over the program: every op runs at
// most once (threads are straight-line), so counting the ops and entries that can
// allocate a resource bounds what the resource can ever hold.
#include "loader/capacity.hpp"

#include <map>

#include "loader/json_pointer.hpp"
#include "model/state.hpp"

namespace aiomc::loader {

const std::vector<Limit>& limits() {
  using namespace model;
  using namespace detail;
  static const std::vector<Limit> table = {
      {"processes", kMaxProcs, "processes in a scenario"},
      {"threads", kMaxThreads, "threads in all processes together"},
      {"ops", kMaxOps, "ops in one thread"},
      {"objects", kMaxObjects, "objects (descriptors 3.. in every process)"},
      {"raw_disks", kMaxDisks, "raw_disk objects"},
      {"descriptors", kMaxFds, "descriptors per process: 3 (stdio) + objects + kqueue ops of the process"},
      {"names", kMaxNames, "names of one kind (job, kqueue, semaphore, context, lio) in one process"},
      {"jobs", kMaxJobs, "job submissions: aio_read/aio_write/aio_fsync ops and lio_listio entries, all processes"},
      {"lio_listio", kMaxLios, "lio_listio ops, all processes"},
      {"kqueues", kMaxKqueues, "kqueue ops, all processes"},
      {"knotes", kMaxKnotes, "knotes: submissions and lio_listio ops with a kevent sigevent, plus kevent changes with EV_ADD"},
      {"knlist", kMaxKnlist, "knotes on one knlist: a job's or list's own, plus changes passing it as 'data'; EVFILT_READ changes with EV_ADD on one socket or pipe"},
      {"bios", kMaxBios, "jobs submitted to one raw disk (bios in flight)"},
      {"socket_jobs", kMaxSockJobs, "jobs submitted to one socket (so_aiojobq)"},
      {"pending_signals", kMaxPending, "signals one process can have pending: submissions with a signal or thread_id sigevent, lio_listio ops with a sigevent, and native AIO ops when the module can be unloaded (SIGSYS)"},
      {"nevents", kMaxEvents, "events one kevent op collects"},
      {"changes", kMaxChanges, "changes in one kevent op"},
      {"daemons", kMaxDaemons, "aio daemons (target_aio_procs; max_aio_procs above it acts as this)"},
      {"int32", kMaxInt32, "offset, nbytes, size, sector_size, max_io and udata are 32-bit in the model (offset may be negative)"},
      {"signo", 32767, "a signal number's magnitude (16 bits in the model; -32768..32767 accepted)"},
      {"buffered_bytes", kMaxBuffered, "bytes write_peer puts into one socket or pipe"},
      {"latency_ticks", kMaxLatencyTicks, "latency_ticks of an object"},
      {"timeout_ticks", kMaxTimeoutTicks, "an op's timeout in ticks"},
      {"nesting", 64, "depth of JSON arrays and objects in a scenario file"},
      {"file_mib", 64, "size of a scenario or trace file, in MiB"},
  };
  return table;
}

namespace detail {

std::string capacity_text(std::int64_t limit, std::string_view what, std::uint64_t found) {
  return "expected at most " + std::to_string(limit) + " " + std::string(what) +
         " (a model capacity, see `aiomc list limits`), found " + std::to_string(found);
}

namespace {

using model::Notify;
using model::OpKind;

// A count that fails at the entry that takes it over its limit.
class Bound {
 public:
  Bound(const Reader& r, std::int64_t limit, std::string what) : r_(r), limit_(limit), what_(std::move(what)) {}
  void add(const std::string& ptr, std::int64_t n = 1) {
    count_ += n;
    if (count_ > limit_) r_.fail(ptr, capacity_text(limit_, what_, static_cast<std::uint64_t>(count_)));
  }

 private:
  const Reader& r_;
  std::int64_t limit_;
  std::string what_;
  std::int64_t count_ = 0;
};

bool kevent_notify(const std::optional<model::SigEvent>& ev) { return ev && ev->notify == Notify::kevent; }
// A job's sigevent that queues a ksiginfo when it completes (the fixed kernel; the
// variants that signal other kinds too drop what does not fit, as a full queue would).
bool signal_notify(const std::optional<model::SigEvent>& ev) {
  return ev && (ev->notify == Notify::signal || ev->notify == Notify::thread_id);
}

bool native_aio(OpKind k) {
  switch (k) {
    case OpKind::aio_read: case OpKind::aio_write: case OpKind::aio_fsync: case OpKind::lio_listio:
    case OpKind::aio_error: case OpKind::aio_return: case OpKind::aio_suspend: case OpKind::aio_cancel:
    case OpKind::aio_waitcomplete:
      return true;
    default:
      return false;
  }
}

bool module_may_unload(const Scenario& s) {
  if (!s.config.aio_loaded) return true;
  for (const model::Process& p : s.program.processes)
    for (const model::Thread& t : p.threads)
      for (const model::Op& op : t.ops)
        if (op.kind == OpKind::kldunload) return true;
  return false;
}

}  // namespace

void check_capacities(const Reader& r, const Scenario& s) {
  const model::Program& prog = s.program;
  const auto& objects = prog.objects;
  Bound threads(r, model::kMaxThreads, "threads in all processes");
  Bound jobs(r, model::kMaxJobs, "job submissions in all processes");
  Bound lios(r, model::kMaxLios, "lio_listio ops in all processes");
  Bound kqueues(r, model::kMaxKqueues, "kqueue ops in all processes");
  Bound knotes(r, model::kMaxKnotes, "knotes in all kqueues");
  Bound job_knlist(r, model::kMaxKnlist, "knotes on one job's knlist (its own and those passing a job as 'data')");
  job_knlist.add("");  // the job's own EVFILT_AIO knote
  Bound lio_knlist(r, model::kMaxKnlist, "knotes on one list's knlist (its own and those passing a list as 'data')");
  lio_knlist.add("");
  std::map<int, Bound> per_object, read_knlist, buffered;
  auto object_bound = [&](std::map<int, Bound>& m, int obj, std::int64_t limit, const std::string& what) -> Bound& {
    auto it = m.find(obj);
    if (it == m.end()) it = m.emplace(obj, Bound(r, limit, what + " '" + objects[static_cast<std::size_t>(obj)].name + "'")).first;
    return it->second;
  };
  int raw = 0;
  for (std::size_t o = 0; o < objects.size(); ++o)
    if (objects[o].type == model::ObjType::raw_disk && ++raw > model::kMaxDisks)
      r.fail_at_key(pointer_child("/objects", objects[o].name), capacity_text(model::kMaxDisks, "raw disks", static_cast<std::uint64_t>(raw)));
  if (s.config.target_aio_procs > model::kMaxDaemons)
    r.fail("/config/target_aio_procs", capacity_text(model::kMaxDaemons, "aio daemons", static_cast<std::uint64_t>(s.config.target_aio_procs)));
  const bool unloadable = module_may_unload(s);

  // A submission of `fd` at `ptr`: a job, and a bio or a socket queue entry.
  auto submit = [&](const model::FdRef& fd, const std::string& ptr) {
    jobs.add(ptr);
    if (fd.kind != model::FdRef::Kind::object || fd.index < 0) return;
    const model::Object& o = objects[static_cast<std::size_t>(fd.index)];
    if (o.type == model::ObjType::raw_disk)
      object_bound(per_object, fd.index, model::kMaxBios, "bios in flight on raw disk").add(ptr);
    else if (o.type == model::ObjType::socket)
      object_bound(per_object, fd.index, model::kMaxSockJobs, "jobs waiting on socket").add(ptr);
  };

  for (std::size_t p = 0; p < prog.processes.size(); ++p) {
    const model::Process& proc = prog.processes[p];
    const std::string pptr = pointer_child("/processes", p);
    Bound fds(r, model::kMaxFds, "descriptors in process '" + proc.name + "' (3 + objects + kqueue ops)");
    fds.add(pptr, 3 + static_cast<std::int64_t>(objects.size()));
    Bound pending(r, model::kMaxPending, "signals pending in process '" + proc.name + "'");
    for (std::size_t t = 0; t < proc.threads.size(); ++t) {
      threads.add(pointer_child(pointer_child(pptr, "threads"), t));
      for (const model::Op& op : proc.threads[t].ops) {
        const std::string& ptr = op.pointer;
        if (unloadable && native_aio(op.kind)) pending.add(ptr);  // SIGSYS from nosys()
        switch (op.kind) {
          case OpKind::aio_read:
          case OpKind::aio_write:
          case OpKind::aio_fsync:
            submit(op.fd, ptr);
            if (!unloadable && signal_notify(op.sigevent)) pending.add(ptr);
            if (kevent_notify(op.sigevent)) knotes.add(ptr);
            break;
          case OpKind::lio_listio:
          case OpKind::io_submit:
            if (op.kind == OpKind::lio_listio) {
              lios.add(ptr);
              if (!unloadable && op.sigevent) pending.add(ptr);
              if (kevent_notify(op.sigevent)) knotes.add(ptr);
            }
            for (std::size_t i = 0; i < op.list.size(); ++i) {
              const std::string eptr = pointer_child(pointer_child(ptr, op.kind == OpKind::lio_listio ? "list" : "iocbs"), i);
              submit(op.list[i].fd, eptr);
              if (signal_notify(op.list[i].sigevent)) pending.add(eptr);
              if (kevent_notify(op.list[i].sigevent)) knotes.add(eptr);
            }
            break;
          case OpKind::kqueue:
            kqueues.add(ptr);
            fds.add(ptr);
            break;
          case OpKind::kevent:
            if (op.nevents > model::kMaxEvents)
              r.fail(pointer_child(ptr, "nevents"), capacity_text(model::kMaxEvents, "events per kevent op",
                                                                  static_cast<std::uint64_t>(op.nevents)));
            if (op.changes.size() > static_cast<std::size_t>(kMaxChanges))
              r.fail(pointer_child(pointer_child(ptr, "changes"), kMaxChanges),
                     capacity_text(kMaxChanges, "changes per kevent op", op.changes.size()));
            for (std::size_t i = 0; i < op.changes.size(); ++i) {
              const model::KeventChange& c = op.changes[i];
              const std::string cptr = pointer_child(pointer_child(ptr, "changes"), i);
              if (!(c.flags & model::evflag::EV_ADD)) continue;
              knotes.add(cptr);
              if (c.data_kind == model::KeventChange::DataKind::job) job_knlist.add(cptr);
              if (c.data_kind == model::KeventChange::DataKind::lio) lio_knlist.add(cptr);
              if (c.ident_kind == model::KeventChange::IdentKind::fd)
                object_bound(read_knlist, c.ident, model::kMaxKnlist, "EVFILT_READ knotes on").add(cptr);
            }
            break;
          case OpKind::write_peer:
            object_bound(buffered, op.fd.index, kMaxBuffered, "bytes written to").add(pointer_child(ptr, "nbytes"), op.nbytes);
            break;
          default:
            break;
        }
      }
    }
  }
}

}  // namespace detail
}  // namespace aiomc::loader
