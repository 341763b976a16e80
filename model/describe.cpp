// A readable dump of a state, one "path = value" line per field that is not at its
// initial value, so that replay and counterexamples can show per-step diffs.
#include "model/model.hpp"
#include "model/names.hpp"

#include <utility>

namespace aiomc::model {
namespace {

const char* jobstate_name(int s) {
  switch (s) {
    case JOBST_NULL: return "JOBST_NULL";
    case JOBST_JOBQSOCK: return "JOBQSOCK";
    case JOBST_JOBQGLOBAL: return "JOBQGLOBAL";
    case JOBST_JOBRUNNING: return "JOBRUNNING";
    case JOBST_JOBFINISHED: return "JOBFINISHED";
    case JOBST_JOBQBUF: return "JOBQBUF";
  }
  return "?";
}

// Flag bits as "A|B" ("0" when none, unknown bits as hex).
template <std::size_t N>
std::string bits_text(unsigned v, const std::pair<unsigned, const char*> (&names)[N]) {
  std::string out;
  for (const auto& [bit, name] : names)
    if (v & bit) {
      out += (out.empty() ? "" : "|") + std::string(name);
      v &= ~bit;
    }
  if (v != 0) {
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (; v != 0; v >>= 4) h.insert(h.begin(), hex[v & 0xF]);
    out += (out.empty() ? "0x" : "|0x") + h;
  }
  return out.empty() ? "0" : out;
}

std::string lio_flags_text(unsigned v) {
  static const std::pair<unsigned, const char*> names[] = {
      {LIOJ_SIGNAL, "LIOJ_SIGNAL"}, {LIOJ_SIGNAL_POSTED, "LIOJ_SIGNAL_POSTED"}, {LIOJ_KEVENT_POSTED, "LIOJ_KEVENT_POSTED"}};
  return bits_text(v, names);
}

std::string kq_state_text(unsigned v) {
  static const std::pair<unsigned, const char*> names[] = {
      {KQ_SLEEP, "KQ_SLEEP"}, {KQ_CLOSING, "KQ_CLOSING"}, {KQ_FLUXWAIT, "KQ_FLUXWAIT"}, {KQ_FDCLOSED, "fd-closed"}};
  return bits_text(v, names);
}

std::string knstatus(int st) {
  static const char* names[] = {"ACTIVE", "QUEUED", "DISABLED", "DETACHED", "INFLUX"};
  std::string out;
  for (int i = 0; i < 5; ++i)
    if (st & (1 << i)) out += (out.empty() ? "" : "|") + std::string(names[i]);
  return out.empty() ? "0" : out;
}

template <class T, class F>
std::string list(const SVec<T, kMaxJobs>& v, F&& name) {
  std::string out = "[";
  for (int i = 0; i < v.size(); ++i) out += (i ? " " : "") + name(v[i]);
  return out + "]";
}

}  // namespace

namespace {

// Model::describe's parts, one kind of state each.
struct Describer {
  const Model& m;
  const Program& prog;
  const State& s;
  int nthreads, ndaemons, ndisks;
  std::vector<std::string>& out;

  void add(const std::string& k, const std::string& v) { out.push_back(k + " = " + v); }
  std::string jname(int j) const {
    const Job& job = s.jobs[j];
    if (!job.live || job.uaiocb == kNone) return "#" + std::to_string(j);
    return prog.processes[job.proc.uindex()].job_names[job.uaiocb];
  }
  static std::string dname(int d) { return "aiod:" + std::to_string(d + 1); }
  std::string jobs(const SVec<JobId, kMaxJobs>& v) const {
    return list(v, [&](JobId j) { return jname(j.index()); });
  }

  // The daemon pool, the global counters, aio_job_mtx and the taskqueue.
  void globals() {
    add("aio_jobs", jobs(s.aio_jobs));
    std::string fp = "[";
    for (int i = 0; i < s.aio_freeproc.size(); ++i) fp += (i ? " " : "") + dname(s.aio_freeproc[i].index());
    add("aio_freeproc", fp + "]");
    add("num_aio_procs", std::to_string(s.num_aio_procs));
    add("num_aio_resv_start", std::to_string(s.num_aio_resv_start));
    add("num_queue_count", std::to_string(s.num_queue_count));
    add("num_buf_aio", std::to_string(s.num_buf_aio));
    if (s.jm_owner != kNone) add("aio_job_mtx", m.actor_name(s.jm_owner));
    add("taskq", jobs(s.taskq) + (s.taskq_cur.valid() ? " running " + jname(s.taskq_cur.index()) : ""));
  }

  // Each process: its kaioinfo, PROC_LOCK and pending signals.
  void procs() {
    for (std::size_t p = 0; p < prog.processes.size(); ++p) {
      const Proc& pr = s.procs[p];
      std::string k = prog.processes[p].name + ".";
      if (!pr.alive) {
        add(k + "alive", "0");
        continue;
      }
      if (pr.exiting) add(k + "exiting", "1");
      if (!pr.has_aioinfo) {
        add(k + "p_aioinfo", "NULL");
      } else {
        add(k + "p_aioinfo", "installed");
        std::string flags = pr.kaio_flags & KAIO_RUNDOWN ? "RUNDOWN" : "";
        if (pr.kaio_flags & KAIO_WAKEUP) flags += flags.empty() ? "WAKEUP" : "|WAKEUP";
        add(k + "kaio_flags", flags.empty() ? "0" : flags);
        add(k + "kaio_count", std::to_string(pr.kaio_count));
        add(k + "kaio_buffer_count", std::to_string(pr.kaio_buffer_count));
        add(k + "kaio_active_count", std::to_string(pr.kaio_active_count));
        add(k + "kaio_all", jobs(pr.kaio_all));
        add(k + "kaio_jobqueue", jobs(pr.kaio_jobqueue));
        add(k + "kaio_bufqueue", jobs(pr.kaio_bufqueue));
        add(k + "kaio_done", jobs(pr.kaio_done));
      }
      if (pr.p_mtx != kNone) add(k + "p_mtx", m.actor_name(pr.p_mtx));
      std::string sig;
      for (const PendingSig& ps : pr.sigpending) {
        auto n = std::string(signal_name(ps.signo));
        sig += (sig.empty() ? "" : " ") + n;
      }
      add(k + "sigpending", "[" + sig + "]");
    }
  }

  // The threads, the daemons and the disks' queues.
  void actors() {
    for (int t = 0; t < nthreads; ++t) {
      const ThreadSt& th = s.threads[t];
      static const char* st[] = {"run", "sleep", "done", "ended"};
      // The op and the thread's state; the syscall's internal phase registers are not
      // shown (the step names say where a thread is).
      add(m.actor_name(t), "op " + std::to_string(th.pc) + " " + st[th.status] +
                               (th.status == TS_SLEEP ? " chan " + std::to_string(th.wchan) + ":" +
                                                            std::to_string(th.wid)
                                                      : ""));
    }
    for (int d = 0; d < ndaemons; ++d) {
      const Daemon& dm = s.daemons[d];
      if (dm.ph == AIOD_NONE) continue;
      static const char* ph[] = {"none",     "top",    "sleep", "process",
                                 "complete", "detach", "start", "wakeup"};
      add(dname(d), std::string(ph[dm.ph]) + (dm.job.valid() ? " " + jname(dm.job.index()) : "") +
                        (dm.aiop_free ? " FREE" : ""));
    }
    for (int d = 0; d < ndisks; ++d) {
      std::string b = "[";
      for (int i = 0; i < s.disks[d].bios.size(); ++i)
        b += (i ? " " : "") + jname(s.disks[d].bios[i].index());
      add(m.actor_name(m.first_disk_actor() + d) + ".bios", b + "]");
    }
  }

  // Sockets and pipes.
  void sockets() {
    for (std::size_t o = 0; o < prog.objects.size(); ++o) {
      const Object& obj = prog.objects[o];
      if (obj.type != ObjType::socket && obj.type != ObjType::pipe) continue;
      const SockSt& so = s.socks[o];
      std::string v = "data " + std::to_string(so.data) + (so.sb_aio ? " SB_AIO" : "");
      if (!so.so_aiojobq.empty()) {
        v += " so_aiojobq [";
        for (int i = 0; i < so.so_aiojobq.size(); ++i)
          v += (i ? " " : "") + jname(so.so_aiojobq[i].index());
        v += "]";
      }
      if (!so.si_note.empty()) {
        v += " si_note [";
        for (int i = 0; i < so.si_note.size(); ++i)
          v += (i ? " knote#" : "knote#") + std::to_string(so.si_note[i].index());
        v += "]";
      }
      add(obj.name, v);
    }
  }

  // Jobs and lists.
  void jobs_and_lios() {
    for (int j = 0; j < kMaxJobs; ++j) {
      const Job& job = s.jobs[j];
      if (!job.live) continue;
      std::string k = "job." + jname(j) +
                      (prog.processes.size() > 1 ? "@" + prog.processes[job.proc.uindex()].name : "");
      add(k, std::string(jobstate_name(job.jobstate)) + " status " + std::to_string(job.status) +
                 " error " +
                 (errno_name(job.error).empty() ? std::to_string(job.error)
                                                : std::string(errno_name(job.error))) +
                 (job.lio.valid() ? " lio#" + std::to_string(job.lio.raw()) : "") +
                 (job.ksi_onq ? " KSI_ONQ" : ""));
    }
    for (int l = 0; l < kMaxLios; ++l) {
      const Lio& lio = s.lios[l];
      if (!lio.live) continue;
      add("lio#" + std::to_string(l), "count " + std::to_string(lio.lioj_count) + " finished " +
                                          std::to_string(lio.lioj_finished_count) + " flags " +
                                          lio_flags_text(lio.lioj_flags));
    }
  }

  // Kqueues and knotes.
  void kqueues() {
    for (int q = 0; q < kMaxKqueues; ++q) {
      const Kqueue& kq = s.kqs[q];
      if (!kq.live) continue;
      add("kq#" + std::to_string(q), "fd " + std::to_string(kq.fd) + " kq_count " +
                                         std::to_string(kq.kq_count) + " state " +
                                         kq_state_text(kq.kq_state));
    }
    for (int n = 0; n < kMaxKnotes; ++n) {
      const Knote& k = s.knotes[n];
      if (!k.live) continue;
      add("knote#" + std::to_string(n), std::string(filter_name(k.filter)) + " kq#" +
                                            std::to_string(k.kq.raw()) + " " + knstatus(k.status) +
                                            (k.sdata_stale ? " STALE" : ""));
    }
  }
};

}  // namespace

std::vector<std::string> Model::describe(const State& s) const {
  std::vector<std::string> out;
  Describer d{*this, program_, s, nthreads_, ndaemons_, ndisks_, out};
  d.globals();
  d.procs();
  d.actors();
  d.sockets();
  d.jobs_and_lios();
  d.kqueues();
  if (linux_) describe_linux(s, out);
  return out;
}

}  // namespace aiomc::model
