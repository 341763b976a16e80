#include "model/state_invariants.hpp"

#include <bit>
#include <string>

#include "model/knlists.hpp"

namespace aiomc::model {
namespace {

struct Reporter {
  InvSet* v;
  std::vector<Violation>* messages;
  void operator()(Inv inv, const std::string& msg) const {
    if (v->has(inv) && !messages) return;
    v->add(inv);
    if (messages) messages->push_back({inv, msg});
  }
};

std::string jname(const Model& m, const State& s, int job) {
  const Job& j = s.jobs[job];
  if (j.proc.is_none() || j.uaiocb == kNone) return "job#" + std::to_string(job);
  return "job " + m.program().processes[j.proc.uindex()].job_names[j.uaiocb];
}

// What one pass over the job table and the queues gathers for the per-process and
// per-LIO checks (the hot path: this runs on every successor).
struct JobScan {
  enum : std::uint8_t { ALL = 1, JQ = 2, BQ = 4, DQ = 8, GQ = 16 };
  std::uint8_t on[kMaxJobs] = {};  // the queues of the job's own process (and aio_jobs) it is on
  int counted[kMaxProcs] = {}, bufcounted[kMaxProcs] = {}, running_active[kMaxProcs] = {};
  int lio_members[kMaxLios] = {}, lio_finished[kMaxLios] = {};
  int counted_q = 0;
  // Per process, a bit per job of its that check_proc's queue-state check reads (live,
  // not being freed, past JOBST_NULL): it then skips the other slots without a look.
  std::uint32_t checked[kMaxProcs] = {};
  static_assert(kMaxJobs <= 32);
};

JobScan scan_jobs(const State& s, int nprocs) {
  JobScan sc;
  auto mark = [&](const auto& queue, int p, std::uint8_t bit) {
    for (JobId job : queue)
      if (s.jobs[job].proc == ProcId(p)) sc.on[job.index()] |= bit;
  };
  for (int p = 0; p < nprocs; ++p) {
    const Proc& pr = s.procs[p];
    mark(pr.kaio_all, p, JobScan::ALL);
    mark(pr.kaio_jobqueue, p, JobScan::JQ);
    mark(pr.kaio_bufqueue, p, JobScan::BQ);
    mark(pr.kaio_done, p, JobScan::DQ);
  }
  for (JobId job : s.aio_jobs) sc.on[job.index()] |= JobScan::GQ;
  for (int i = 0; i < kMaxJobs; ++i) {
    const Job& j = s.jobs[i];
    if (!j.live) continue;
    sc.counted_q += j.qcounted;
    if (j.proc.valid()) {
      sc.counted[j.proc.index()] += j.counted;
      sc.bufcounted[j.proc.index()] += j.bufcounted;
      if (!j.freeing && j.jobstate != JOBST_NULL) sc.checked[j.proc.index()] |= 1u << i;
    }
    if (j.lio.valid() && j.counted) {
      sc.lio_members[j.lio.index()]++;
      sc.lio_finished[j.lio.index()] += j.jobstate == JOBST_JOBFINISHED;
    }
  }
  for (const Daemon& dm : s.daemons)
    if (dm.ph == AIOD_PROCESS && s.jobs[dm.job].proc.valid()) sc.running_active[s.jobs[dm.job].proc.index()]++;
  return sc;
}

// queue-state (E1), counts (E3), quota (E5) for one process.
void check_proc(const Model& m, const State& s, int p, const JobScan& sc, const Reporter& report) {
  const Proc& pr = s.procs[p];
  for (std::uint32_t bits = sc.checked[p]; bits; bits &= bits - 1) {
    const int i = std::countr_zero(bits);
    const Job& j = s.jobs[i];
    const std::uint8_t on = sc.on[i];
    const std::uint8_t queues = on & (JobScan::JQ | JobScan::BQ | JobScan::DQ | JobScan::GQ);
    bool ok = on & JobScan::ALL;
    switch (j.jobstate) {
      case JOBST_JOBQGLOBAL: ok = ok && queues == (JobScan::JQ | JobScan::GQ); break;
      case JOBST_JOBQSOCK:
        ok = ok && queues == JobScan::JQ && s.socks[j.obj].so_aiojobq.contains(JobId(i));
        break;
      case JOBST_JOBRUNNING: ok = ok && queues == JobScan::JQ && j.daemon.valid(); break;
      case JOBST_JOBQBUF: ok = ok && queues == JobScan::BQ && j.bp; break;
      case JOBST_JOBFINISHED: ok = ok && queues == JobScan::DQ; break;
      default: break;
    }
    if (!ok) report(Inv::queue_state, jname(m, s, i) + " in state " + std::to_string(j.jobstate) + " is not on exactly the queues its state dictates");
  }
  if (pr.kaio_count != sc.counted[p])
    report(Inv::counts, "kaio_count " + std::to_string(pr.kaio_count) + " but " + std::to_string(sc.counted[p]) + " jobs counted");
  if (pr.kaio_buffer_count != sc.bufcounted[p])
    report(Inv::counts, "kaio_buffer_count " + std::to_string(pr.kaio_buffer_count) + " but " + std::to_string(sc.bufcounted[p]) + " fast-path jobs");
  if (pr.kaio_active_count != sc.running_active[p])
    report(Inv::counts, "kaio_active_count " + std::to_string(pr.kaio_active_count) + " but " + std::to_string(sc.running_active[p]) + " jobs in aio_process");
  if (pr.kaio_active_count > m.config().max_aio_per_proc)
    report(Inv::quota, "kaio_active_count above kaio_maxactive_count");
  for (JobId job : pr.kaio_all)
    if (!s.jobs[job].live || s.jobs[job].proc != ProcId(p)) report(Inv::free_once, "kaio_all holds a freed job");
  // One pending ksiginfo per job/LIO, none for a freed one (E10).
  for (int i = 0; i < pr.sigpending.size(); ++i) {
    const PendingSig& a = pr.sigpending[i];
    if (a.src_kind == 0) continue;
    bool live = a.src_kind == 1 ? s.jobs[a.src].live : s.lios[a.src].live;
    if (!live) report(Inv::signal_pending_once, "a pending signal refers to a freed job/LIO");
    for (int k = i + 1; k < pr.sigpending.size(); ++k)
      if (pr.sigpending[k].src_kind == a.src_kind && pr.sigpending[k].src == a.src)
        report(Inv::signal_pending_once, "two pending ksiginfo for one job/LIO");
  }
}

void check_lios(const Model& m, const State& s, const JobScan& sc, const Reporter& report) {
  bool so_far = m.config().variants.has(Variant::lio_count_so_far);
  for (int l = 0; l < kMaxLios; ++l) {
    const Lio& lio = s.lios[l];
    if (!lio.live) continue;
    int members = sc.lio_members[l], finished = sc.lio_finished[l];
    int expect_count = members + (so_far ? 0 : lio.hold);
    if (lio.lioj_count != expect_count || lio.lioj_finished_count != finished)
      report(Inv::counts, "lio#" + std::to_string(l) + " lioj_count " + std::to_string(lio.lioj_count) +
                              " lioj_finished_count " + std::to_string(lio.lioj_finished_count) + " but " +
                              std::to_string(members) + " members, " + std::to_string(finished) + " finished");
  }
}

void check_knotes(const Model& m, const State& s, const Reporter& report) {
  (void)m;
  int queued[kMaxKqueues] = {};
  for (int kn = 0; kn < kMaxKnotes; ++kn) {
    const Knote& k = s.knotes[kn];
    if (!k.live) continue;
    // A knote its owner is dropping (INFLUX) may still name the object that was
    // freed under it; any other knote must not (S3).
    if (k.sdata_stale && !(k.status & KN_INFLUX))
      report(Inv::no_stale_kevent, "knote#" + std::to_string(kn) + " still refers to a freed " +
                                       (k.filter == kFilterLio ? std::string("LIO") : std::string("job")));
    const Kqueue& q = s.kqs[k.kq];
    bool on_head = q.head.contains(KqHeadEntry::knote_entry(KnoteId(kn)));
    if (k.status & KN_QUEUED) queued[k.kq.index()]++;
    if (k.status & KN_INFLUX) continue;  // S3: its owner may have it half-moved
    bool on_list = false;
    if (k.knlist != kNone) {
      on_list = knlist_of(s, k.filter, k.knlist).contains(KnoteId(kn));
    }
    bool detached = k.status & KN_DETACHED;
    if (detached == (k.knlist != kNone) || (k.knlist != kNone && !on_list))
      report(Inv::knote_detach_consistent, "knote#" + std::to_string(kn) + " KN_DETACHED disagrees with its knlist");
    if (((k.status & KN_QUEUED) != 0) != on_head)
      report(Inv::knote_queue_consistent, "knote#" + std::to_string(kn) + " KN_QUEUED disagrees with kq_head");
  }
  for (int q = 0; q < kMaxKqueues; ++q) {
    const Kqueue& kq = s.kqs[q];
    if (!kq.live) continue;
    if (kq.kq_count != queued[q]) report(Inv::knote_queue_consistent, "kq_count disagrees with the queued knotes");
  }
}

}  // namespace

void check_state_invariants(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages,
                            unsigned groups) {
  Reporter report{v, messages};
  if (groups & kInvQueues) {
    int nprocs = static_cast<int>(m.program().processes.size());
    const JobScan sc = scan_jobs(s, nprocs);
    if (s.num_queue_count != sc.counted_q)
      report(Inv::counts, "num_queue_count " + std::to_string(s.num_queue_count) + " but " + std::to_string(sc.counted_q) + " jobs");
    int maxd = std::min(m.config().max_aio_procs, kMaxDaemons);
    if (s.num_aio_procs + s.num_aio_resv_start > std::max(maxd, m.config().target_aio_procs))
      report(Inv::quota, "num_aio_procs + num_aio_resv_start above max_aio_procs");
    for (int p = 0; p < nprocs; ++p) check_proc(m, s, p, sc, report);
    check_lios(m, s, sc, report);
  }
  if (groups & kInvKnotes) check_knotes(m, s, report);
}

// What each group of state invariants reads (keep this with the checks: an
// invariant that reads more must widen its group's inputs; checked builds of the
// depth-first search check every skipped group anyway):
// - kInvQueues (scan_jobs, check_proc, check_lios and the global counts): jobs,
//   processes, LIOs, sockets' so_aiojobq, the daemons in aio_process and their jobs,
//   and of the global fields num_queue_count, num_aio_procs, num_aio_resv_start and
//   aio_jobs;
// - kInvKnotes (check_knotes): knotes, kqueues, and the knlists, which are in jobs,
//   LIOs and sockets;
// - kInvLinux (check_linux_invariants): the Linux emulation, jobs and processes.
// No group reads a thread or a disk, nor a lock's owner, the taskqueue or the
// callout wheel.
unsigned Model::state_invariants_affected(const State& w, const State& p, std::uint32_t changed_kinds) const {
  const auto bit = [](SegKind k) { return 1u << static_cast<unsigned>(k); };
  unsigned groups = 0;
  if (changed_kinds & (bit(SegKind::job) | bit(SegKind::proc) | bit(SegKind::lio) | bit(SegKind::sock)))
    groups |= kInvQueues;
  if ((changed_kinds & bit(SegKind::globals)) &&
      !(w.num_queue_count == p.num_queue_count && w.num_aio_procs == p.num_aio_procs &&
        w.num_aio_resv_start == p.num_aio_resv_start && w.aio_jobs == p.aio_jobs))
    groups |= kInvQueues;
  // A daemon matters to kInvQueues only by being in aio_process on a job (its
  // process's kaio_active_count); a daemon step that changes neither whether it is
  // nor the job (the jobs themselves unchanged here) keeps the count.
  if ((changed_kinds & bit(SegKind::daemon)) && !(groups & kInvQueues))
    for (int d = 0; d < kMaxDaemons; ++d) {
      const Daemon& a = w.daemons[d];
      const Daemon& b = p.daemons[d];
      const bool in_a = a.ph == AIOD_PROCESS, in_b = b.ph == AIOD_PROCESS;
      if (in_a != in_b || (in_a && a.job != b.job)) {
        groups |= kInvQueues;
        break;
      }
    }
  if (changed_kinds & (bit(SegKind::knote) | bit(SegKind::kq) | bit(SegKind::job) | bit(SegKind::lio) | bit(SegKind::sock)))
    groups |= kInvKnotes;
  if (linux_ && (changed_kinds & (bit(SegKind::linux_emul) | bit(SegKind::job) | bit(SegKind::proc))))
    groups |= kInvLinux;
  return groups;
}

void check_quiescent_invariants(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages) {
  Reporter report{v, messages};
  // kevent-delivered (E12): a finished, un-reaped job with a registered, enabled knote
  // on an open kqueue has its event retrievable, exactly once.
  for (int i = 0; i < kMaxJobs; ++i) {
    const Job& j = s.jobs[i];
    if (!j.live || j.jobstate != JOBST_JOBFINISHED || j.freeing) continue;
    int n = 0, retrievable = 0;
    for (const Knote& k : s.knotes) {
      if (!k.live || k.filter != kFilterAio || k.sdata != i || k.sdata_stale) continue;
      const Kqueue& q = s.kqs[k.kq];
      if (!q.live || (q.kq_state & KQ_CLOSING)) continue;
      if (k.status & KN_DISABLED) continue;
      n++;
      retrievable += (k.status & KN_QUEUED) != 0;
    }
    if (n > 1) report(Inv::kevent_delivered, jname(m, s, i) + " has " + std::to_string(n) + " EVFILT_AIO knotes");
    if (n >= 1 && retrievable != 1)
      report(Inv::kevent_delivered, jname(m, s, i) + " finished but its EVFILT_AIO event is not retrievable");
  }
  // kevent-delivered for EVFILT_READ: a registered, enabled knote on an open kqueue
  // whose socket or pipe has data buffered is queued, so the next kevent returns it.
  for (int kn = 0; kn < kMaxKnotes; ++kn) {
    const Knote& k = s.knotes[kn];
    if (!k.live || k.filter != kFilterRead || (k.status & (KN_DISABLED | KN_INFLUX | KN_DETACHED))) continue;
    const Kqueue& q = s.kqs[k.kq];
    if (!q.live || (q.kq_state & KQ_CLOSING) || s.socks[k.sdata].data <= 0) continue;
    if (!(k.status & KN_QUEUED))
      report(Inv::kevent_delivered, m.program().objects[k.sdata].name + " has " +
                                        std::to_string(s.socks[k.sdata].data) +
                                        " bytes to read but its EVFILT_READ knote#" + std::to_string(kn) +
                                        " is not queued");
  }
  // free-once (E2): a job that no queue holds and no thread is submitting was leaked.
  for (int i = 0; i < kMaxJobs; ++i) {
    const Job& j = s.jobs[i];
    if (!j.live || j.jobstate != JOBST_NULL || j.counted) continue;
    bool held = false;
    for (int t = 0; t < m.thread_count(); ++t) held = held || s.threads[t].job == i;
    if (!held) report(Inv::free_once, jname(m, s, i) + " was never freed: it is on no queue (leaked)");
  }
  // lio-notify-exact (E7), the "at least once" half: a finished list that asked for
  // a notification got one.
  for (int l = 0; l < kMaxLios; ++l) {
    const Lio& lio = s.lios[l];
    if (!lio.live || !lio.wanted || lio.submitting || lio.notified) continue;
    if (lio.lioj_count > 0 && lio.lioj_count == lio.lioj_finished_count)
      report(Inv::lio_notify_exact, "lio#" + std::to_string(l) + " finished every member but was never notified");
  }
}

}  // namespace aiomc::model
