// written_kinds: the state a step changed, as WriteKind bits.
#include "model/step_footprint.hpp"

#include "model/steps.hpp"

namespace aiomc::model {

std::uint32_t actor_kind(const Model& m, int actor) {
  if (actor < m.thread_count()) return A_THREAD;
  if (actor < m.first_disk_actor()) return A_DAEMON;
  if (actor < m.taskq_actor()) return A_DISK;
  if (actor == m.taskq_actor()) return A_TASKQ;
  return A_SOFTCLOCK;
}

namespace {
// Bits for a table whose entries belong to (self, other) by index.
template <class T>
std::uint32_t table_kinds(const T& a, const T& b, int self, std::uint32_t own, std::uint32_t other) {
  std::uint32_t w = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) w |= static_cast<int>(i) == self ? own : other;
  return w;
}
}  // namespace

std::uint32_t written_kinds(const Model& m, const State& before, const State& after, int actor) {
  const bool thread = actor < m.thread_count();
  const int own_proc = thread ? m.thread_proc(actor) : -1;
  const int own_daemon = actor_kind(m, actor) == A_DAEMON ? actor - m.first_daemon_actor() : -1;
  std::uint32_t w = 0;
  w |= table_kinds(before.procs, after.procs, own_proc, W_PROC_OWN, W_PROC_OTHER);
  w |= table_kinds(before.threads, after.threads, thread ? actor : -1, W_THREAD_SELF, W_THREAD_OTHER);
  w |= table_kinds(before.daemons, after.daemons, own_daemon, W_DAEMON_SELF, W_DAEMON_OTHER);
  w |= table_kinds(before.disks, after.disks, -1, W_DISK, W_DISK);
  w |= table_kinds(before.jobs, after.jobs, -1, W_JOB, W_JOB);
  w |= table_kinds(before.lios, after.lios, -1, W_LIO, W_LIO);
  w |= table_kinds(before.kqs, after.kqs, -1, W_KQ, W_KQ);
  w |= table_kinds(before.knotes, after.knotes, -1, W_KNOTE, W_KNOTE);
  w |= table_kinds(before.socks, after.socks, -1, W_SOCK, W_SOCK);
  // The emulation's per-process and per-thread parts belong to those owners.
  const LinuxSt& la = before.lx;
  const LinuxSt& lb = after.lx;
  w |= table_kinds(la.th, lb.th, thread ? actor : -1, W_THREAD_SELF, W_THREAD_OTHER);
  w |= table_kinds(la.rings, lb.rings, own_proc, W_PROC_OWN, W_PROC_OTHER);
  w |= table_kinds(la.ctxp, lb.ctxp, own_proc, W_PROC_OWN, W_PROC_OTHER);
  w |= table_kinds(la.clone_mapped, lb.clone_mapped, own_proc, W_PROC_OWN, W_PROC_OTHER);
  if (!(la.ctx == lb.ctx) || !(la.list == lb.list) || la.list_mtx != lb.list_mtx || la.linked != lb.linked)
    w |= W_LINUX;
  if (!(before.taskq == after.taskq) || before.taskq_cur != after.taskq_cur || before.taskq_wake != after.taskq_wake)
    w |= W_TASKQ;
  if (!(before.callout == after.callout)) w |= W_CALLOUT;
  if (before.panicked != after.panicked) w |= W_PANIC;
  // Everything else is global: compare with the tables and the parts above taken
  // from `after`, so only a global field can still differ.
  State g = before;
  g.procs = after.procs;
  g.threads = after.threads;
  g.daemons = after.daemons;
  g.disks = after.disks;
  g.jobs = after.jobs;
  g.lios = after.lios;
  g.kqs = after.kqs;
  g.knotes = after.knotes;
  g.socks = after.socks;
  g.lx = after.lx;
  g.taskq = after.taskq;
  g.taskq_cur = after.taskq_cur;
  g.taskq_wake = after.taskq_wake;
  g.callout = after.callout;
  g.panicked = after.panicked;
  if (!(g == after)) w |= W_GLOBAL;
  return w;
}

}  // namespace aiomc::model
