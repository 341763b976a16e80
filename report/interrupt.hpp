// SIGINT and SIGTERM during `aiomc check`: the first one sets a flag that the search
// reads at the end of each BFS level (it then stops with partial statistics, and the
// report and JUnit are written); a second one ends the process as usual.
#pragma once

#include <atomic>

namespace aiomc::report {

// Installs the handlers for the lifetime of the object; restores the old ones after.
class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// The flag the handlers set (also settable by tests).
std::atomic<bool>& interrupt_flag();
// Which signal set it (0: none).
int interrupt_signal();

}  // namespace aiomc::report
