// The Model: actors, the initial state (S2), successor generation and the checks
// that need a whole state (quiescence, S14/S15).
#include "model/model.hpp"

#include <algorithm>

#include "model/kernel.hpp"
#include "model/state_invariants.hpp"

namespace aiomc::model {

Model::Model(const Program& program, const Config& config) : program_(program), config_(config) {
  for (std::size_t p = 0; p < program_.processes.size(); ++p)
    for (std::size_t t = 0; t < program_.processes[p].threads.size(); ++t) {
      thread_proc_.push_back(static_cast<int>(p));
      thread_index_.push_back(static_cast<int>(t));
    }
  nthreads_ = static_cast<int>(thread_proc_.size());
  ndaemons_ = std::clamp(std::max(config_.max_aio_procs, config_.target_aio_procs), 0, kMaxDaemons);
  object_disk_.assign(program_.objects.size(), -1);
  for (std::size_t o = 0; o < program_.objects.size(); ++o)
    if (program_.objects[o].type == ObjType::raw_disk) {
      object_disk_[o] = static_cast<int>(disk_objects_.size());
      disk_objects_.push_back(static_cast<int>(o));
    }
  ndisks_ = static_cast<int>(disk_objects_.size());
  actors_ = nthreads_ + ndaemons_ + ndisks_ + 2;  // + taskqueue + softclock
  std::int64_t submissions = 0;
  for (const Process& p : program_.processes)
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops) {
        if (op.kind == OpKind::aio_read || op.kind == OpKind::aio_write) submissions++;
        if (op.kind == OpKind::lio_listio) submissions += static_cast<std::int64_t>(op.list.size());
      }
  quota_can_bind_ = submissions > std::min(config_.max_aio_queue_per_proc, config_.max_aio_queue);
  symmetric_daemons_ = ndaemons_ >= 2;
  symmetric_jobs_ = jobs_symmetric();
  // The Linux emulation (linux_aio_model.cpp): clone aiocb names, after the user's.
  linux_setup();
  kaio_queue_sets_ = kaio_queue_set_procs();
  segment_setup();
  aio_error_names_.assign(static_cast<std::size_t>(nthreads_), 0);
  for (int t = 0; t < nthreads_; ++t)
    for (const Op& op : program_.processes[thread_proc_[t]].threads[thread_index_[t]].ops)
      if (op.kind == OpKind::aio_error && op.job >= 0 && op.job < 32) aio_error_names_[t] |= 1u << op.job;
}

bool Model::suword_visible(int thread, int job) const {
  for (int t = 0; t < nthreads_; ++t) {
    if (t == thread || thread_proc_[t] != thread_proc_[thread]) continue;
    std::uint32_t names = aio_error_names_[static_cast<std::size_t>(t)];
    if (job < 0 ? names != 0 : (job < 32 && (names >> job) & 1u)) return true;
  }
  return false;
}

int Model::thread_actor(int proc, int thread) const {
  for (int t = 0; t < nthreads_; ++t)
    if (thread_proc_[t] == proc && thread_index_[t] == thread) return t;
  return -1;
}

std::string Model::actor_name(int actor) const {
  if (actor < 0 || actor == kNone) return "nobody";
  if (actor < nthreads_) {
    const Process& p = program_.processes[thread_proc_[actor]];
    return p.name + "/" + p.threads[thread_index_[actor]].name;
  }
  if (actor < first_disk_actor()) return "aiod:" + std::to_string(actor - nthreads_ + 1);
  if (actor < taskq_actor()) return "disk:" + program_.objects[disk_objects_[actor - first_disk_actor()]].name;
  if (actor == taskq_actor()) return "taskq:aiod_bio";
  return "softclock";
}

State Model::initial() const {
  State s;
  s.aio_loaded = config_.aio_loaded ? 1 : 0;
  s.evfilt_aio_ops = s.evfilt_lio_ops = config_.aio_loaded ? FOPS_AIO : FOPS_NULL;
  for (std::size_t p = 0; p < program_.processes.size(); ++p) {
    Proc& pr = s.procs[p];
    pr.alive = 1;
    for (std::size_t o = 0; o < program_.objects.size(); ++o) {
      pr.fd_kind[3 + o] = FD_OBJECT;
      pr.fd_target[3 + o] = static_cast<std::uint8_t>(o);
    }
  }
  for (std::size_t o = 0; o < program_.objects.size(); ++o) {
    const Object& obj = program_.objects[o];
    if ((obj.type == ObjType::socket || obj.type == ObjType::pipe) && obj.readable)
      s.socks[o].data = 1 << 20;  // readable from the start: plenty of data
  }
  for (int t = 0; t < nthreads_; ++t) {
    ThreadSt& th = s.threads[t];
    th.proc = static_cast<std::uint8_t>(thread_proc_[t]);
    if (program_.processes[thread_proc_[t]].threads[thread_index_[t]].ops.empty()) th.status = TS_DONE;
  }
  // S2: target_aio_procs daemons exist, aiod:1.. in creation order, the newest at the
  // head of aio_freeproc, each at the top of its loop (as aio_daemon leaves them).
  int target = config_.aio_loaded ? std::min(config_.target_aio_procs, ndaemons_) : 0;
  for (int d = 0; d < target; ++d) {
    s.daemons[d].ph = AIOD_TOP;
    s.daemons[d].aiop_free = 1;
    s.aio_freeproc.push_front(DaemonId(d));
  }
  s.num_aio_procs = static_cast<std::uint8_t>(target);
  // S25: linuxaio is loaded at start unless the config says not; a scenario that
  // never uses the emulation keeps the field at 0, where nothing reads it.
  s.linuxaio_loaded = linux_ && config_.linuxaio_loaded ? 1 : 0;
  return s;
}

namespace {
void candidates(const Model& m, const State& s, int actor, std::vector<StepRef>& out) {
  auto a = static_cast<std::uint8_t>(actor);
  if (actor < m.thread_count()) {
    const ThreadSt& t = s.threads[actor];
    if (t.status == TS_RUN) out.push_back({a, StepKind::run, 0});
    if (t.status == TS_SLEEP && t.timo) out.push_back({a, StepKind::timeout, 0});
    return;
  }
  if (actor < m.first_disk_actor()) {
    const Daemon& d = s.daemons[actor - m.first_daemon_actor()];
    if (d.ph == AIOD_SLEEP)
      out.push_back({a, StepKind::idle_timeout, 0});
    else if (d.ph != AIOD_NONE)
      out.push_back({a, StepKind::run, 0});
    return;
  }
  if (actor < m.taskq_actor()) {
    const Disk& dk = s.disks[actor - m.first_disk_actor()];
    for (int i = 0; i < dk.bios.size(); ++i) out.push_back({a, StepKind::bio_done, static_cast<std::uint8_t>(i)});
    return;
  }
  if (actor == m.taskq_actor() && (s.taskq_cur.valid() || s.taskq_wake != kNone || !s.taskq.empty()))
    out.push_back({a, StepKind::run, 0});
  if (actor == m.softclock_actor() && !s.callout.empty()) out.push_back({a, StepKind::run, 0});
}
}  // namespace

bool Model::apply(State& s, StepRef step, InvSet* violated, StepInfo* info) const {
  State next = s;
  InvSet v;
  if (info) {
    *info = StepInfo{};
    info->actor = actor_name(step.actor);
  }
  {
    // Scoped: the step's footprint is recorded while the Kernel lives, and the state
    // invariants below read everything.
    Kernel k(*this, next, step.actor, &v, info);
    if (!k.step(step)) return false;
  }
  state_violations(next, v, info ? &info->violations : nullptr);
  s = next;
  if (violated) *violated = v;
  return true;
}

void Model::state_violations(const State& s, InvSet& v, std::vector<Violation>* messages, unsigned groups) const {
  check_state_invariants(*this, s, &v, messages, groups);
  if (linux_ && (groups & kInvLinux)) check_linux_invariants(*this, s, &v, messages);
}

void Model::candidate_steps(const State& s, std::vector<StepRef>& out) const {
  out.clear();
  for (int a = 0; a < actors_; ++a) candidates(*this, s, a, out);
}
void Model::successors(const State& s, std::vector<Successor>& out, bool state_invariants) const {
  std::vector<StepRef> cands;
  candidate_steps(s, cands);
  // Built in place in the slots the vector already has: a State is a few kilobytes,
  // copied once per candidate (a temporary Successor would copy it twice).
  std::size_t n = 0;
  for (StepRef c : cands) {
    if (n == out.size()) {
      // Not a default State (it fills every none id) then a copy; braces, not
      // parentheses: clang 14 (the fuzzer's) has no parenthesised aggregate init.
      out.push_back(Successor{c, s, InvSet{}});
    } else {
      out[n].step = c;
      copy_used(out[n].next, s);  // the slot holds a state of this scenario: its unused parts are blank
      out[n].violated = {};
    }
    Successor& succ = out[n];
    Kernel k(*this, succ.next, c.actor, &succ.violated, nullptr);
    if (!k.step(c)) continue;
    if (state_invariants) state_violations(succ.next, succ.violated);
    n++;
  }
  out.resize(n);
}

bool Model::is_progress(const State& s, StepRef step) const {
  if (step.kind == StepKind::idle_timeout) return false;
  if (step.kind == StepKind::timeout && step.actor < nthreads_) {
    const ThreadSt& t = s.threads[step.actor];
    if (t.exiter && (t.wchan == WC_AIOINFO || t.wchan == WC_BP)) return false;  // rundown polls
  }
  return true;
}

Delay Model::delay_of(const State& s, StepRef step) const {
  switch (step.kind) {
    case StepKind::run: return Delay::none;
    case StepKind::bio_done: return Delay::bio;
    case StepKind::idle_timeout: return Delay::idle;
    case StepKind::timeout: {
      const ThreadSt& t = s.threads[step.actor];
      return t.exiter && (t.wchan == WC_AIOINFO || t.wchan == WC_BP) ? Delay::poll : Delay::timeout;
    }
  }
  return Delay::none;
}

std::int64_t Model::timeout_ticks(const State& s, StepRef step) const {
  if (step.kind == StepKind::idle_timeout) return 30LL * config_.hz;  // aiod_lifetime
  if (step.kind != StepKind::timeout || step.actor >= nthreads_) return 0;
  const ThreadSt& t = s.threads[step.actor];
  if (t.exiter && t.wchan == WC_AIOINFO) return config_.hz;
  if (t.exiter && t.wchan == WC_BP) return 10LL * config_.hz;  // aiod_timeout
  const Op& op = program_.processes[thread_proc_[step.actor]].threads[thread_index_[step.actor]].ops[t.pc];
  return op.timeout ? *op.timeout : 0;
}

InvSet Model::quiescent_violations(const State& s, bool has_progress_step, std::vector<Violation>* messages) const {
  InvSet v;
  if (has_progress_step) return v;
  // S15: nothing can make progress, yet a user thread has not finished.
  for (int t = 0; t < nthreads_; ++t) {
    const ThreadSt& th = s.threads[t];
    if (th.status == TS_DONE || th.status == TS_ENDED) continue;
    if (th.status == TS_SLEEP && th.timo) continue;  // a rundown poll: exit-completes, not S15
    v.add(Inv::no_deadlock);
    if (messages) {
      std::string what = th.status == TS_SLEEP ? "sleeps" : "is blocked";
      const Op& op = program_.processes[thread_proc_[t]].threads[thread_index_[t]].ops[th.pc];
      messages->push_back({Inv::no_deadlock, actor_name(t) + " " + what + " in " + op_name(op.kind) +
                                                 " (op " + std::to_string(th.pc) + ") and nothing can wake it"});
    }
    break;
  }
  check_quiescent_invariants(*this, s, &v, messages);
  if (linux_) check_linux_quiescent(*this, s, &v, messages);
  return v;
}

std::string format_digest(std::uint64_t d) {
  static const char* hex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = hex[d & 0xF];
    d >>= 4;
  }
  return out;
}

namespace {
// The Linux emulation's bounds for one process: requests, names with their clones,
// and the events one io_getevents can take.
std::string check_linux_capacity(const Process& p) {
  int iocbs = 0;
  std::vector<bool> named(p.job_names.size(), false);
  int clones = 0;
  for (const Thread& t : p.threads)
    for (const Op& op : t.ops)
      if (op.kind == OpKind::io_submit)
        for (const LioEntry& e : op.list) {
          iocbs += e.opcode != LioOpcode::other;  // the others never become requests
          if (e.job >= 0 && !named[static_cast<std::size_t>(e.job)]) {
            named[static_cast<std::size_t>(e.job)] = true;
            clones++;
          }
        }
  if (iocbs > kMaxCtxReqs)
    return "process '" + p.name + "' submits more than " + std::to_string(kMaxCtxReqs) + " iocbs";
  if (p.job_names.size() + static_cast<std::size_t>(clones) > static_cast<std::size_t>(kMaxNames))
    return "process '" + p.name + "' uses more than " + std::to_string(kMaxNames) + " job names with its clone aiocbs";
  if (p.ctx_names.size() > static_cast<std::size_t>(kMaxNames))
    return "process '" + p.name + "' uses more than " + std::to_string(kMaxNames) + " context names";
  for (const Thread& t : p.threads)
    for (const Op& op : t.ops)
      if (op.kind == OpKind::io_getevents && op.nr > kMaxEvents && iocbs > kMaxEvents)
        return "io_getevents nr above " + std::to_string(kMaxEvents) + " with more requests is not supported (" +
               op.pointer + ")";
  return "";
}
}  // namespace

std::string check_capacity(const Program& program, const Config& config) {
  int threads = 0, raw = 0, submissions = 0, kqueues = 0, lios = 0;
  if (program.processes.size() > static_cast<std::size_t>(kMaxProcs))
    return "at most " + std::to_string(kMaxProcs) + " processes are supported";
  if (program.objects.size() > static_cast<std::size_t>(kMaxObjects))
    return "at most " + std::to_string(kMaxObjects) + " objects are supported";
  for (const Object& o : program.objects) raw += o.type == ObjType::raw_disk;
  if (raw > kMaxDisks) return "at most " + std::to_string(kMaxDisks) + " raw disks are supported";
  for (const Process& p : program.processes) {
    threads += static_cast<int>(p.threads.size());
    if (p.job_names.size() > static_cast<std::size_t>(kMaxNames) ||
        p.kq_names.size() > static_cast<std::size_t>(kMaxNames) ||
        p.sem_names.size() > static_cast<std::size_t>(kMaxNames) ||
        p.lio_names.size() > static_cast<std::size_t>(kMaxNames))
      return "process '" + p.name + "' uses more than " + std::to_string(kMaxNames) + " names of one kind";
    int pk = 0;
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops) {
        if (op.kind == OpKind::aio_read || op.kind == OpKind::aio_write) submissions++;
        if (op.kind == OpKind::lio_listio) {
          submissions += static_cast<int>(op.list.size());
          lios++;
        }
        if (op.kind == OpKind::kqueue) pk++;
        if (op.kind == OpKind::kevent && op.nevents > kMaxEvents)
          return "kevent nevents above " + std::to_string(kMaxEvents) + " is not supported (" + op.pointer + ")";
        if (op.kind == OpKind::kevent && op.changes.size() > 250)
          return "too many kevent changes (" + op.pointer + ")";
      }
    if (std::string e = check_linux_capacity(p); !e.empty()) return e;
    if (3 + static_cast<int>(program.objects.size()) + pk > kMaxFds)
      return "process '" + p.name + "' needs more than " + std::to_string(kMaxFds) + " descriptors";
    kqueues += pk;
  }
  int setups = 0;
  for (const Process& p : program.processes)
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops) {
        // Only an io_setup whose nr_events the sysctls allow can create a context.
        setups += op.kind == OpKind::io_setup && op.nr_events > 0 && op.nr_events <= config.max_aio_queue_per_proc &&
                  op.nr_events <= config.max_aio_queue;
        if (op.kind == OpKind::io_submit) submissions += static_cast<int>(op.list.size());
      }
  if (setups > kMaxCtxs) return "at most " + std::to_string(kMaxCtxs) + " io_setup ops are supported";
  if (threads > kMaxThreads) return "at most " + std::to_string(kMaxThreads) + " threads are supported";
  if (submissions > kMaxJobs) return "at most " + std::to_string(kMaxJobs) + " job submissions are supported";
  if (kqueues > kMaxKqueues) return "at most " + std::to_string(kMaxKqueues) + " kqueue ops are supported";
  if (lios > kMaxLios) return "at most " + std::to_string(kMaxLios) + " lio_listio ops are supported";
  if (config.target_aio_procs > kMaxDaemons)
    return "target_aio_procs above " + std::to_string(kMaxDaemons) + " is not supported";
  return "";
}

}  // namespace aiomc::model
