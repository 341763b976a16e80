// Obligations and fairness for liveness checking (S18, S25).
#include "model/liveness.hpp"

#include "model/program.hpp"

namespace aiomc::model {
namespace {

const Op* current_op(const Model& m, const State& s, int t) {
  const ThreadSt& th = s.threads[t];
  if (th.status == TS_DONE || th.status == TS_ENDED) return nullptr;
  const Thread& prog = m.program().processes[static_cast<std::size_t>(m.thread_proc(t))].threads[static_cast<std::size_t>(m.thread_index(t))];
  if (th.pc >= prog.ops.size()) return nullptr;
  return &prog.ops[th.pc];
}

// Whether some thread still has a write_peer op on object obj ahead of it.
bool writer_remains(const Model& m, const State& s, int obj) {
  for (int t = 0; t < m.thread_count(); ++t) {
    const ThreadSt& th = s.threads[t];
    if (th.status == TS_DONE || th.status == TS_ENDED) continue;
    const Thread& prog = m.program().processes[static_cast<std::size_t>(m.thread_proc(t))].threads[static_cast<std::size_t>(m.thread_index(t))];
    for (std::size_t i = th.pc; i < prog.ops.size(); ++i)
      if (prog.ops[i].kind == OpKind::write_peer && prog.ops[i].fd.index == obj) return true;
  }
  return false;
}

// A job that waits for I/O no remaining op will make ready (S18).
bool exempt_job(const Model& m, const State& s, const Job& j) {
  if (j.io_error != 0 || j.obj.is_none() || j.op != static_cast<std::uint8_t>(IoOp::read)) return false;
  const ObjType type = m.program().objects[j.obj.uindex()].type;
  if (type != ObjType::socket && type != ObjType::pipe) return false;
  return s.socks[j.obj].data == 0 && !writer_remains(m, s, j.obj.index());
}

bool open_job(const Job& j) { return j.live && j.jobstate != JOBST_JOBFINISHED; }

bool waiting_call(const Op& op) {
  return op.kind == OpKind::aio_suspend || op.kind == OpKind::aio_waitcomplete ||
         (op.kind == OpKind::lio_listio && op.wait) || op.kind == OpKind::io_getevents;
}

}  // namespace

std::uint64_t liveness_obligations(const Model& m, const State& s) {
  std::uint64_t out = 0;
  std::uint32_t exempt_procs = 0, open_procs = 0;  // processes whose open jobs are all exempt
  for (int j = 0; j < kMaxJobs; ++j) {
    const Job& job = s.jobs[j];
    if (!open_job(job)) continue;
    const bool exempt = exempt_job(m, s, job);
    if (job.proc.valid()) {
      open_procs |= 1u << job.proc.index();
      if (!exempt) exempt_procs |= 1u << job.proc.index();  // (inverted below)
    }
    if (!exempt) out |= std::uint64_t{1} << (kObligationJob + j);
  }
  const std::uint32_t only_exempt = open_procs & ~exempt_procs;
  for (int t = 0; t < m.thread_count(); ++t) {
    const Op* op = current_op(m, s, t);
    if (!op) continue;
    const ThreadSt& th = s.threads[t];
    if (op->kind == OpKind::exit || op->kind == OpKind::exec) {
      // Rundown polling (aioprn, physstr) for jobs that are all exempt waits on the
      // environment, as a waiter does (S18).
      const bool rundown_wait = th.status == TS_SLEEP && th.exiter && (th.wchan == WC_AIOINFO || th.wchan == WC_BP);
      if (!(rundown_wait && ((only_exempt >> th.proc) & 1u))) out |= std::uint64_t{1} << (kObligationExit + t);
    } else if (waiting_call(*op)) {
      const bool exempt = th.status == TS_SLEEP && ((only_exempt >> th.proc) & 1u);
      if (!exempt) out |= std::uint64_t{1} << (kObligationWaiter + t);
    }
  }
  return out;
}

Inv obligation_invariant(int bit) {
  if (bit < kObligationWaiter) return Inv::job_completes;
  if (bit < kObligationExit) return Inv::waiter_returns;
  return Inv::exit_completes;
}

std::string obligation_text(const Model& m, const State& s, int bit) {
  if (bit < kObligationWaiter) {
    const int j = bit - kObligationJob;
    const Job& job = s.jobs[j];
    std::string who = "job " + std::to_string(j);
    if (job.proc.valid() && job.uaiocb != kNone) {
      const Process& p = m.program().processes[job.proc.uindex()];
      if (job.uaiocb < p.job_names.size()) who = "job '" + p.job_names[job.uaiocb] + "' of " + p.name;
    }
    return who + " never finishes";
  }
  const int t = bit < kObligationExit ? bit - kObligationWaiter : bit - kObligationExit;
  const Op* op = current_op(m, s, t);
  const std::string call = op ? std::string(op_name(op->kind)) + " (op " + std::to_string(s.threads[t].pc) + ")" : "its call";
  if (bit < kObligationExit) return m.actor_name(t) + " never returns from " + call;
  return m.actor_name(t) + " never completes rundown in " + call;
}

std::uint32_t fair_actors(const Model& m, const State& s, const std::vector<Successor>& succ) {
  std::uint32_t out = 0;
  for (const Successor& sc : succ) out |= 1u << sc.step.actor;
  for (int t = 0; t < m.thread_count(); ++t)
    if (s.threads[t].status == TS_RUN) out |= 1u << t;
  return out;
}

std::uint64_t Model::liveness_obligations(const State& s) const { return model::liveness_obligations(*this, s); }
std::uint32_t Model::fair_actors(const State& s, const std::vector<Successor>& succ) const {
  return model::fair_actors(*this, s, succ);
}

}  // namespace aiomc::model
