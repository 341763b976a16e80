// F12 `kaio-wakeup-unlocked` (V52, V53): the completers test and clear
// KAIO_WAKEUP without P, a step after the job is done.
#include "model/kernel.hpp"

namespace aiomc::model {

// F12: the KAIO_WAKEUP test and wakeup without P.
bool Kernel::aio_daemon_kaio_wakeup(int d) {
  Daemon& dm = s.daemons[d];
  act("aio_daemon:kaio_wakeup_unlocked");
  kaio_wakeup(dm.vmspace.index());
  dm.ph = AIOD_TOP;
  return true;
}

}  // namespace aiomc::model
