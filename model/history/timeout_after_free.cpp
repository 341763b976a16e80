// F3b `timeout-after-free`: untimeout cancels only the callout the job's handle
// names; an older one of the same job is left on softclock, stale.
#include "model/kernel.hpp"

namespace aiomc::model {

// untimeout(process_signal, job, job->timeouthandle) cancels the one callout the
// handle names, the job's latest. Any earlier callout of the job (F3b: the LIO's,
// whose handle the job's own timeout overwrote) stays on softclock, now pointing
// at freed memory.
void Kernel::untimeout_process_signal(int job) {
  for (int i = callout().size() - 1; i >= 0; --i)
    if (callout()[i].job == JobId(job) && !callout()[i].stale) {
      callout().erase_at(i);
      break;
    }
  for (CalloutEntry& c : callout())
    if (c.job == JobId(job)) c.stale = 1;
}

}  // namespace aiomc::model
