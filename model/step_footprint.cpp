// A step's footprint from the states before and after it (written_kinds, written_objects)
// and from what it touched (touched_kinds).
#include "model/step_footprint.hpp"

#include <optional>
#include <vector>

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
// The entries of a table that differ, a bit each.
template <class T>
std::uint32_t changed_entries(const T& a, const T& b) {
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i])) bits |= 1u << i;
  return bits;
}
// Bits of a table's entries split into the actor's own entry and the others.
std::uint32_t own_other(std::uint32_t entries, int self, std::uint32_t own, std::uint32_t other) {
  std::uint32_t w = 0;
  if (self >= 0 && (entries >> self & 1u)) w |= own;
  if (entries & ~(self >= 0 ? 1u << self : 0u)) w |= other;
  return w;
}
// Bits for a table whose entries belong to (self, other) by index.
template <class T>
std::uint32_t table_kinds(const T& a, const T& b, int self, std::uint32_t own, std::uint32_t other) {
  return own_other(changed_entries(a, b), self, own, other);
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

AccessLog written_objects(const State& a, const State& b) {
  AccessLog w;
  w.objs[static_cast<std::size_t>(ObjKind::proc)] = changed_entries(a.procs, b.procs);
  w.objs[static_cast<std::size_t>(ObjKind::thread)] = changed_entries(a.threads, b.threads);
  w.objs[static_cast<std::size_t>(ObjKind::daemon)] = changed_entries(a.daemons, b.daemons);
  w.objs[static_cast<std::size_t>(ObjKind::disk)] = changed_entries(a.disks, b.disks);
  w.objs[static_cast<std::size_t>(ObjKind::job)] = changed_entries(a.jobs, b.jobs);
  w.objs[static_cast<std::size_t>(ObjKind::lio)] = changed_entries(a.lios, b.lios);
  w.objs[static_cast<std::size_t>(ObjKind::kq)] = changed_entries(a.kqs, b.kqs);
  w.objs[static_cast<std::size_t>(ObjKind::knote)] = changed_entries(a.knotes, b.knotes);
  w.objs[static_cast<std::size_t>(ObjKind::sock)] = changed_entries(a.socks, b.socks);
#define AIOMC_CHANGED(field, bit) \
  if (!(a.field == b.field)) w.touch(bit);
  AIOMC_GLOBAL_FIELDS(AIOMC_CHANGED)
#undef AIOMC_CHANGED
  return w;
}

std::uint32_t touched_kinds(const Model& m, const AccessLog& touched, int actor) {
  const AccessLog t = touched.all();  // read-only or not
  const bool thread = actor < m.thread_count();
  const int own_proc = thread ? m.thread_proc(actor) : -1;
  const int own_daemon = actor_kind(m, actor) == A_DAEMON ? actor - m.first_daemon_actor() : -1;
  std::uint32_t k = 0;
  k |= own_other(t.of(ObjKind::proc), own_proc, W_PROC_OWN, W_PROC_OTHER);
  k |= own_other(t.of(ObjKind::thread), thread ? actor : -1, W_THREAD_SELF, W_THREAD_OTHER);
  k |= own_other(t.of(ObjKind::daemon), own_daemon, W_DAEMON_SELF, W_DAEMON_OTHER);
  if (t.of(ObjKind::disk)) k |= W_DISK;
  if (t.of(ObjKind::job)) k |= W_JOB;
  if (t.of(ObjKind::lio)) k |= W_LIO;
  if (t.of(ObjKind::kq)) k |= W_KQ;
  if (t.of(ObjKind::knote)) k |= W_KNOTE;
  if (t.of(ObjKind::sock)) k |= W_SOCK;
  if (t.globals & G_TASKQ) k |= W_TASKQ;
  if (t.globals & G_CALLOUT) k |= W_CALLOUT;
  if (t.globals & G_PANICKED) k |= W_PANIC;
  if (t.globals & G_LINUX) k |= W_LINUX;
  if (t.globals & ~(G_TASKQ | G_CALLOUT | G_PANICKED | G_LINUX)) k |= W_GLOBAL;
  return k;
}

namespace {
// The encoding of s after `first` then `second`; nullopt when either is not enabled.
std::optional<std::vector<std::uint8_t>> after_both(const Model& m, const State& s, StepRef first, StepRef second) {
  State w = s;
  InvSet v;
  AccessLog log;
  if (!m.step_in_place(w, first, &v, log) || !m.step_in_place(w, second, &v, log)) return std::nullopt;
  std::vector<std::uint8_t> out;
  m.encode(w, out);
  return out;
}
}  // namespace

bool steps_commute(const Model& m, const State& s, StepRef a, StepRef b) {
  const auto ab = after_both(m, s, a, b);
  if (!ab) return false;
  const auto ba = after_both(m, s, b, a);
  return ba && *ab == *ba;
}

}  // namespace aiomc::model
