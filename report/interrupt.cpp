#include "report/interrupt.hpp"

#include <signal.h>

namespace aiomc::report {
namespace {

std::atomic<bool> g_flag{false};
volatile sig_atomic_t g_signal = 0;
struct sigaction g_old_int, g_old_term;

extern "C" void on_interrupt(int sig) {
  g_signal = sig;
  g_flag.store(true, std::memory_order_relaxed);
  // A second signal ends the process the default way.
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
}

}  // namespace

static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

std::atomic<bool>& interrupt_flag() { return g_flag; }
int interrupt_signal() { return g_signal; }

InterruptScope::InterruptScope() {
  g_flag = false;
  g_signal = 0;
  struct sigaction sa{};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

}  // namespace aiomc::report
