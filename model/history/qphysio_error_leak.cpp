// F18 `qphysio-error-leak` (b), V6b: aio_qphysio's look at the buf after
// dev_strategy, a step of its own.
#include "model/geom_io.hpp"
#include "model/kernel.hpp"

namespace aiomc::model {

// A step of aio_aqueue, chosen by its phase AQ_PHYS_ERRCHECK (aio_aqueue.cpp).
Kernel::Sub Kernel::aio_qphysio_check_bio_error([[maybe_unused]] const AioRequest& req, [[maybe_unused]] int lio, [[maybe_unused]] int* err) {
  ThreadSt& t = th();
  // F18 (b), V6b: back from dev_strategy, aio_qphysio looks at the buf. If the
  // bio has already failed, aio_physwakeup has counted the job in
  // kaio_buffer_finished_count, and this path counts it again.
  act("aio_qphysio:check_bio_error");
  int job = t.job;
  const bool freed = t.job_freed != 0;
  t.job = kNone;
  t.job_freed = 0;
  *err = 0;
  if (freed) {
    violate(Inv::free_once, [&] { return "aio_qphysio reads the buf of a job that aio_free_entry already freed"; });
    return Sub::done;
  }
  const Job& j = s.jobs[job];
  const Object& o = prog.objects[j.obj.uindex()];
  bool failed = j.io_error != 0 || geom_io(o, j.offset, j.nbytes).error != 0;
  if (failed && !s.disks[m.object_disk_[j.obj.uindex()]].bios.contains(JobId(job)))
    violate(Inv::counts, [&] {
      return "aio_qphysio: " + job_label(job) +
             "'s bio already failed and aio_physwakeup counted it; kaio_buffer_finished_count is incremented "
             "a second time";
    });
  return Sub::done;
}

}  // namespace aiomc::model
