// The other end of a socket or pipe (`write_peer`), and aio_swake_cb: the socket
// upcall that moves AIO jobs waiting for data to the daemons' queue (§B.3.13).
#include "model/kernel.hpp"

namespace aiomc::model {

// sowakeup: KNOTE_LOCKED on the receive buffer's knlist, then aio_swake_cb with the receive sockbuf locked: clear SB_AIO and, under
// aio_job_mtx, move the socket's waiting reads to aio_jobs. 1.220 leaves them in
// JOBQSOCK; the reference marks them JOBQGLOBAL as VX1 did, and
// `swake-state-mismatch` (F21) restores 1.220's text. Returns the jobs moved.
int Kernel::aio_swake_cb(int obj) {
  SockSt& so = s.socks[obj];
  so.sb_aio = 0;
  int moved = 0;
  auto waiting = so.so_aiojobq;
  for (JobId job : waiting) {
    Job& j = s.jobs[job];
    if (j.op != static_cast<std::uint8_t>(IoOp::read)) continue;
    if (j.jobstate != JOBST_JOBQSOCK) panic("invalid queue value");
    so.so_aiojobq.remove(job);
    aio_jobs().push_back(job);
    if (!variant(Variant::swake_state_mismatch)) j.jobstate = JOBST_JOBQGLOBAL;
    note([&] { return job_label(job.index()) + " moved to aio_jobs"; });
    moved++;
  }
  return moved;
}

namespace {
// write_peer (ThreadSt::ph): sowakeup, then one aio_swake_cb section per moved job.
enum WritePeerPhase : std::uint8_t { WP_SOWAKEUP = 0, WP_WAKE_DAEMONS = 1 };
}  // namespace

bool Kernel::sys_write_peer(const Op& op) {
  ThreadSt& t = th();
  int obj = op.fd.index;
  if (t.ph == WP_SOWAKEUP) {
    if (!lock_jm()) return false;
    act("write_peer:sowakeup");
    s.socks[obj].data += static_cast<std::int32_t>(op.nbytes);
    knote_socket(obj);
    int moved = prog.objects[obj].type == ObjType::socket && s.socks[obj].sb_aio ? aio_swake_cb(obj) : 0;
    unlock_jm();
    if (moved == 0) {
      finish_op(0, 0, kRetNumber);
      return true;
    }
    t.i = static_cast<std::uint8_t>(moved);
    t.ph = WP_WAKE_DAEMONS;
    return true;
  }
  // One aio_job_mtx section per moved job: wake a free daemon.
  if (!lock_jm()) return false;
  act("aio_swake_cb:wake_daemon");
  if (!aio_freeproc().empty()) {
    int d = aio_freeproc().pop_front().index();
    s.daemons[d].aiop_free = 0;
    wakeup_daemon(d);
    note([&] { return "wakeup aiod:" + std::to_string(d + 1); });
  }
  unlock_jm();
  if (--t.i == 0) finish_op(0, 0, kRetNumber);
  return true;
}

}  // namespace aiomc::model
