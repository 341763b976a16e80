// The raw-disk completion side of the fast path (§B.3.2, B.3.3): the disk's bio
// completion context calls bufdone -> aio_physwakeup, which only enqueues the
// job's biotask on the aiod_bio taskqueue; biohelper does the work under P.
// In the Giant eras there is no taskqueue: aio_physwakeup does the whole
// completion itself under Giant (giant_physwakeup).
#include "model/geom_io.hpp"
#include "model/kernel.hpp"

namespace aiomc::model {

bool Kernel::disk_step(int disk, int bio) {
  Disk& dk = s.disks[disk];
  if (bio >= dk.bios.size()) return false;
  if (variant(Variant::giant)) return giant_physwakeup(disk, bio);
  int job = dk.bios[bio].index();
  if (variant(Variant::bdone_before_iodone)) {
    // F5: V52's bufdone sets B_DONE first (a step of its own, S1), then calls the
    // b_iodone callback, aio_physwakeup, which wakes the top half sleeping on bp.
    Job& j = s.jobs[job];
    if (j.live && !j.b_done) {
      act("bufdone:set_b_done");
      j.b_done = 1;
      note([&] { return job_label(job); });
      return true;
    }
    dk.bios.erase_at(bio);
    act("aio_physwakeup:iodone");
    if (!j.live) {
      violate(Inv::bdone_last, [&] {
        return "aio_physwakeup runs on job#" + std::to_string(job) + ", which aio_fphysio freed once it saw B_DONE";
      });
      violate(Inv::free_once, [&] { return "a freed job is still the b_caller1 of a buf in flight"; });
      return true;
    }
    wakeup(WC_BP, static_cast<std::uint8_t>(job));
    note([&] { return job_label(job); });
    taskq().push_back(JobId(job));
    return true;
  }
  dk.bios.erase_at(bio);
  act("aio_physwakeup:enqueue_biotask");
  note([&] { return job_label(job); });
  taskq().push_back(JobId(job));
  return true;
}

// V6b's aio_physwakeup (vfs_aio.c 1.195.2.4:2097-2166) runs entirely under Giant:
// B_DONE and wakeup(bp), the LIO test and signal, the move to kaio_bufdone, the
// KNOTE, the KAIO_WAKEUP test and wakeup(p), the job's signal. Giant also covers
// the bufdone that called it (5.2's bufdonebio takes Giant around bufdone,
// vfs_bio.c:3062-3069), so F5's B_DONE window is not a step of its own here. Every AIO syscall
// and the daemon loop hold Giant too, so none of this races them; P is taken only
// because the model's completion code asserts it (V6b takes it just for psignal).
bool Kernel::giant_physwakeup(int disk, int bio) {
  if (read_giant_owner() != kNone) return false;
  Disk& dk = s.disks[disk];
  int job = dk.bios[bio].index();
  Job& j = s.jobs[job];
  AIOMC_ASSERT(j.live);  // with Giant around bufdone no top half frees it first
  int p = j.proc.index();
  if (!lock_p(p)) return false;
  dk.bios.erase_at(bio);
  act("aio_physwakeup");
  j.b_done = 1;
  wakeup(WC_BP, static_cast<std::uint8_t>(job));
  physio_done(job);
  kaio_wakeup(p);  // tested under Giant, which every KAIO_WAKEUP waiter holds
  unlock_p(p);
  num_buf_aio()--;
  return true;
}

// The completion of a fast-path job (biohelper in 1.220; aio_physwakeup itself in
// the Giant eras), with P held.
void Kernel::physio_done(int job) {
  Job& j = s.jobs[job];
  const Object& o = prog.objects[j.obj.uindex()];
  j.error = 0;
  if (j.io_error != 0) {
    j.error = j.io_error;
    j.status = 0;
  } else if (GeomResult g = geom_io(o, j.offset, j.nbytes); g.error != 0) {
    j.error = g.error;
    j.status = 0;
  } else {
    j.status = static_cast<std::int32_t>(g.bytes);  // status -= b_resid: a short count at the end
  }
  j.bp = 0;
  int p = j.proc.index();
  Proc& pr = s.procs[p];
  pr.kaio_bufqueue.remove(JobId(job));
  pr.kaio_buffer_count--;
  j.bufcounted = 0;
  aio_bio_done_notify(p, job, true);
}

bool Kernel::taskq_step() {
  if (taskq_wake() != kNone) {
    act("biohelper:kaio_wakeup_unlocked");
    kaio_wakeup(taskq_wake());
    taskq_wake() = kNone;
    return true;
  }
  if (taskq_cur().is_none()) {
    // The taskqueue thread dequeues the first task (under the taskqueue's lock).
    if (taskq().empty()) return false;
    act("taskqueue_run:dequeue");
    taskq_cur() = taskq().pop_front();
    note([&] { return job_label(taskq_cur().index()); });
    return true;
  }
  int job = taskq_cur().index();
  Job& j = s.jobs[job];
  if (!j.live) {
    // Only F5's top half can free a fast-path job before its completion ran.
    act("biohelper:done");
    violate(Inv::bdone_last, [&] {
      return "biohelper runs on job#" + std::to_string(job) + ", which aio_fphysio freed once it saw B_DONE";
    });
    taskq_cur() = JobId::none();
    return true;
  }
  int p = j.proc.index();
  if (!lock_p(p)) return false;
  act("biohelper:done");
  physio_done(job);
  unlock_p(p);
  // Unmap and release the pbuf outside the lock; num_buf_aio-- is atomic.
  num_buf_aio()--;
  taskq_cur() = JobId::none();
  if (variant(Variant::kaio_wakeup_unlocked)) taskq_wake() = static_cast<std::uint8_t>(p);
  return true;
}

}  // namespace aiomc::model
