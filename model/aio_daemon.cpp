// The AIO daemon loop (aio_daemon, aio_selectjob, aio_process; §B.3.5) and the
// environment's answer to its I/O (S17; a raw disk answers as GEOM does, S24).
#include "model/geom_io.hpp"
#include "model/kernel.hpp"

namespace aiomc::model {
namespace {

// What fo_read/fo_write gives for a daemon-path job: bytes and error.
void aio_process_result(const Program& prog, const Job& j, std::int32_t* status, std::int16_t* error) {
  *status = 0;
  *error = 0;
  if (j.io_error != 0) {
    *error = j.io_error;
    return;
  }
  if (j.obj.is_none()) {
    *error = err::enxio;
    return;
  }
  const Object& o = prog.objects[j.obj.uindex()];
  if (o.type == ObjType::socket || o.type == ObjType::pipe) {
    *status = j.nbytes;  // writes go through; reads are settled by the caller
    return;
  }
  if (o.type == ObjType::raw_disk) {
    if (o.gone) {
      *error = err::enxio;
      return;
    }
    GeomResult g = geom_io(o, j.offset, j.nbytes);  // physio on the device vnode
    *error = g.error;
    *status = static_cast<std::int32_t>(g.bytes);
    return;
  }
  if (j.op == static_cast<std::uint8_t>(IoOp::read)) {
    std::int64_t left = o.size - j.offset;
    *status = static_cast<std::int32_t>(left <= 0 ? 0 : std::min<std::int64_t>(left, j.nbytes));
    return;
  }
  *status = j.nbytes;
}

bool aio_process_may_sleep(const Program& prog, const Job& j) {
  if (j.io_error != 0 || j.obj.is_none() || j.op != static_cast<std::uint8_t>(IoOp::read)) return false;
  ObjType t = prog.objects[j.obj.uindex()].type;
  return t == ObjType::socket || t == ObjType::pipe;
}

}  // namespace

// The daemon's steps, one function each, chosen by its phase.
bool Kernel::daemon_step(int d, StepKind kind) {
  if (kind == StepKind::idle_timeout) return aio_daemon_exit(d);
  if (kind != StepKind::run) return false;
  switch (s.daemons[d].ph) {
    case AIOD_NONE:
    case AIOD_SLEEP:
      return false;
    case AIOD_START: return aio_daemon_start(d);
    case AIOD_DETACH:
    case AIOD_TOP: return aio_daemon_loop_top(d);
    case AIOD_PROCESS: return aio_process(d);
    case AIOD_COMPLETE: return aio_daemon_complete(d);
    case AIOD_WAKEUP: return aio_daemon_kaio_wakeup(d);
  }
  return false;
}

// msleep "aiordy" timed out: the daemon exits if idle and above target_aio_procs.
bool Kernel::aio_daemon_exit(int d) {
  Daemon& dm = s.daemons[d];
  if (dm.ph != AIOD_SLEEP) return false;
  // The woken msleep picks Giant up again before it looks (Giant eras).
  if (variant(Variant::giant) && read_giant_owner() != kNone) return false;
  if (!(read_aio_jobs().empty() && dm.aiop_free && read_num_aio_procs() > cfg.target_aio_procs)) return false;
  if (!lock_jm()) return false;
  act("aio_daemon:exit");
  aio_freeproc().remove(DaemonId(d));
  num_aio_procs()--;
  dm = Daemon{};
  unlock_jm();
  return true;
}

// The new daemon goes on aio_freeproc and posts aio_newproc_sem.
bool Kernel::aio_daemon_start(int d) {
  Daemon& dm = s.daemons[d];
  if (!lock_jm()) return false;
  act("aio_daemon:start");
  aio_freeproc().push_front(DaemonId(d));
  dm.aiop_free = 1;
  unlock_jm();
  newproc_sem()++;  // sema_post(&aio_newproc_sem)
  wakeup(WC_SEMA, 0);
  dm.ph = AIOD_TOP;
  return true;
}

// The loop top under aio_job_mtx (and the vmspace detach before it):
// aio_selectjob, or sleep on "aiordy".
bool Kernel::aio_daemon_loop_top(int d) {
  Daemon& dm = s.daemons[d];
  // In the Giant eras the daemon takes Giant once it starts (V6b vfs_aio.c
  // 1.195.2.4:811) and keeps it for its whole loop; only its sleeps drop it.
  bool giant = variant(Variant::giant);
  if (giant && read_giant_owner() != kNone && read_giant_owner() != me) return false;
  if (!lock_jm()) return false;
  if (giant) take_giant();
  if (dm.ph == AIOD_DETACH) {
    act("aio_daemon:vmspace_detach");
    dm.vmspace = ProcId::none();
  } else {
    act("aio_daemon:loop_top");
  }
  if (dm.aiop_free) {
    aio_freeproc().remove(DaemonId(d));
    dm.aiop_free = 0;
  }
  // aio_selectjob: the first job whose process is below kaio_maxactive_count.
  for (int i = 0; i < read_aio_jobs().size(); ++i) {
    int job = read_aio_jobs()[i].index();
    Job& j = s.jobs[job];
    Proc& up = s.procs[j.proc];
    if (up.kaio_active_count < cfg.max_aio_per_proc) {
      aio_jobs().erase_at(i);
      up.kaio_active_count++;
      j.jobstate = JOBST_JOBRUNNING;
      j.daemon = DaemonId(d);
      dm.job = JobId(job);
      dm.vmspace = ProcId(j.proc);
      dm.ph = AIOD_PROCESS;
      // A socket or pipe read may sleep in fo_read, which drops Giant; the
      // model lets it go here and aio_process retakes it.
      if (giant && aio_process_may_sleep(prog, j)) giant_owner() = kNone;
      note([&] { return "aio_selectjob: " + job_label(job); });
      unlock_jm();
      return true;
    }
  }
  if (dm.vmspace.valid()) {
    // Disconnect from the user address space without JM, then re-check.
    dm.ph = AIOD_DETACH;
    unlock_jm();
    return true;
  }
  aio_freeproc().push_front(DaemonId(d));
  dm.aiop_free = 1;
  dm.ph = AIOD_SLEEP;
  if (read_giant_owner() == me) giant_owner() = kNone;  // msleep "aiordy" drops Giant
  note("msleep aiordy");
  unlock_jm();
  return true;
}

// aio_process (the I/O, folded), then kaio_active_count-- under aio_job_mtx.
bool Kernel::aio_process(int d) {
  Daemon& dm = s.daemons[d];
  // aio_process (the I/O on a job this daemon owns, folded), then
  // kaio_active_count-- under aio_job_mtx. In the Giant eras the daemon holds
  // Giant (retaken after a read that could sleep in fo_read).
  if (variant(Variant::giant)) {
    if (read_giant_owner() != kNone && read_giant_owner() != me) return false;
    take_giant();
  }
  if (!lock_jm()) return false;
  Job& j = s.jobs[dm.job];
  std::int32_t status = 0;
  std::int16_t error = 0;
  aio_process_result(prog, j, &status, &error);
  if (aio_process_may_sleep(prog, j)) {
    // fo_read sleeps until the peer writes: the daemon cannot move (S15, S17).
    std::int32_t& data = s.socks[j.obj].data;
    if (data == 0) return false;
    status = std::min(data, j.nbytes);
    data -= status;
  }
  act("aio_daemon:aio_process");
  j.status = status;
  j.error = error;
  s.procs[j.proc].kaio_active_count--;
  unlock_jm();
  dm.ph = AIOD_COMPLETE;
  return true;
}

// P: the job leaves kaio_jobqueue and aio_bio_done_notify runs.
bool Kernel::aio_daemon_complete(int d) {
  Daemon& dm = s.daemons[d];
  Job& j = s.jobs[dm.job];
  int p = j.proc.index();
  if (!lock_p(p)) return false;
  act("aio_daemon:complete");
  s.procs[p].kaio_jobqueue.remove(dm.job);
  j.daemon = DaemonId::none();
  aio_bio_done_notify(p, dm.job.index(), false);
  unlock_p(p);
  dm.job = JobId::none();
  dm.ph = variant(Variant::kaio_wakeup_unlocked) ? AIOD_WAKEUP : AIOD_TOP;
  return true;
}

}  // namespace aiomc::model
