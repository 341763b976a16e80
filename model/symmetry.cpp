// Symmetries of the state (issue 12).
//
// AIO daemons: the daemons of aio_freeproc are
// interchangeable. No scenario op, invariant or variant names a daemon unit; a
// daemon's code never looks at its own unit number; aio_newproc takes the lowest free
// unit, and every free unit is the same (AIOD_NONE, referenced nowhere). So renaming
// the daemon units of a state maps it onto a state with the same futures up to that
// renaming, and the checker may store one representative per class.
//
// canonical_daemons() renames the units so that they are sorted by what the state says
// about each of them: its Daemon record, its place on aio_freeproc, the jobs whose
// ghost `daemon` names it, and every lock-owner field that holds its actor number.
// Two units with equal signatures are referenced nowhere, hence interchangeable: any
// order of them is sound (equal canonical forms still imply symmetric states).
//
// Job slots: a job's slot in State::jobs is its aiocblist's kernel address. The kernel
// walks queues, never addresses: no step orders jobs by slot (the loops over slots
// are the invariants', whose verdicts do not depend on the order), aio_aqueue takes
// the first free slot and every free slot is the same, and the references that outlive
// a job (a stale callout, a knote with sdata_stale, a thread's job_freed) are
// markers that nothing dereferences. canonical_jobs() renumbers live jobs by
// (process, aiocb name), ties and free slots by slot, and rewrites every reference.
// Not applied when the scenario passes a kernel address as a kevent change's `data`
// (F27): kn_sdata may then be a job slot read as a list id or the other way round, so
// the slot number is observable.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/model.hpp"

namespace aiomc::model {
namespace {

// The lock-owner fields that hold actor numbers, visited in a fixed order: f(v, at),
// where at(log) notes v's object or global field in an access log.
template <class F>
void each_owner(State& s, int nprocs, F&& f) {
  f(s.jm_owner, [](AccessLog& l) { l.touch(G_JM_OWNER); });
  f(s.giant_owner, [](AccessLog& l) { l.touch(G_GIANT); });
  for (int p = 0; p < nprocs; ++p)
    f(s.procs[p].p_mtx, [p](AccessLog& l) { l.touch(ObjKind::proc, static_cast<std::size_t>(p)); });
  for (std::size_t q = 0; q < s.kqs.size(); ++q) f(s.kqs[q].owner, [q](AccessLog& l) { l.touch(ObjKind::kq, q); });
  for (std::size_t k = 0; k < s.knotes.size(); ++k)
    f(s.knotes[k].influx_owner, [k](AccessLog& l) { l.touch(ObjKind::knote, k); });
  for (LinuxCtx& x : s.lx.ctx) f(x.sx_owner, [](AccessLog& l) { l.touch(G_LINUX); });
  f(s.lx.list_mtx, [](AccessLog& l) { l.touch(G_LINUX); });
}

// Each daemon unit's signature, up to 16 bytes, accumulated big-endian (the first
// byte highest) with its length; only the units in use are set (no zeroing of the rest).
struct DaemonSignatures {
  std::array<unsigned __int128, kMaxDaemons> sig;
  std::array<int, kMaxDaemons> n;

  void start(int d) {
    sig[static_cast<std::size_t>(d)] = 0;
    n[static_cast<std::size_t>(d)] = 0;
  }
  void push(int d, std::uint8_t v) {
    auto& len = n[static_cast<std::size_t>(d)];
    AIOMC_ASSERT(len < 16);
    len++;
    sig[static_cast<std::size_t>(d)] = (sig[static_cast<std::size_t>(d)] << 8) | v;
  }
  bool room(int d, int bytes) const { return n[static_cast<std::size_t>(d)] + bytes <= 16; }

  // The order of the units: by signature (lexicographic, a prefix first), ties by
  // unit. A signature zero-padded to 16 bytes read big-endian, then its length, orders
  // exactly so; an insertion sort of at most kMaxDaemons such keys (no allocation).
  // (n is at least 1, so the shift stays below 128.) order[k]: the old unit of new unit k.
  std::array<int, kMaxDaemons> order(int nd) const {
    struct Key {
      unsigned __int128 bytes;
      int n, d;
      bool operator<(const Key& o) const {
        if (bytes != o.bytes) return bytes < o.bytes;
        if (n != o.n) return n < o.n;
        return d < o.d;
      }
    };
    std::array<Key, kMaxDaemons> keys;
    for (int d = 0; d < nd; ++d) {
      const int len = n[static_cast<std::size_t>(d)];  // 1..16: the phase is always there
      Key k{sig[static_cast<std::size_t>(d)] << (8 * (16 - len)), len, d};
      int at = d;
      for (; at > 0 && k < keys[static_cast<std::size_t>(at - 1)]; --at)
        keys[static_cast<std::size_t>(at)] = keys[static_cast<std::size_t>(at - 1)];
      keys[static_cast<std::size_t>(at)] = k;
    }
    std::array<int, kMaxDaemons> out{};
    for (int d = 0; d < nd; ++d) out[static_cast<std::size_t>(d)] = keys[static_cast<std::size_t>(d)].d;
    return out;
  }
};

// Each unit's place on aio_freeproc (kNone: not on it).
std::array<std::uint8_t, kMaxDaemons> freeproc_places(const State& s) {
  std::array<std::uint8_t, kMaxDaemons> pos;
  pos.fill(kNone);
  for (int i = 0; i < s.aio_freeproc.size(); ++i) {
    const DaemonId v = s.aio_freeproc[i];
    AIOMC_ASSERT(v.index() < kMaxDaemons);
    pos[v.uindex()] = static_cast<std::uint8_t>(i);
  }
  return pos;
}

// What the state says about each unit: its Daemon record and place on aio_freeproc,
// the owner fields that hold its actor number (by their place in the visit order) and
// the jobs whose ghost names it. False when a signature would not fit in 16 bytes.
bool daemon_signatures(const State& s, int nd, int first, int nprocs, DaemonSignatures& g) {
  const std::array<std::uint8_t, kMaxDaemons> pos = freeproc_places(s);
  for (int d = 0; d < nd; ++d) {
    g.start(d);
    const Daemon& dm = s.daemons[d];
    g.push(d, dm.ph);
    if (dm.ph == AIOD_NONE) continue;
    g.push(d, dm.aiop_free);
    g.push(d, dm.job.raw());
    g.push(d, dm.vmspace.raw());
    g.push(d, dm.woken);
    g.push(d, pos[static_cast<std::size_t>(d)]);
  }
  int field_no = 0;
  bool overflow = false;
  each_owner(const_cast<State&>(s), nprocs, [&](std::uint8_t& v, auto&&) {
    if (v != kNone && v >= first && v < first + nd) {
      const int d = v - first;
      if (!g.room(d, 2)) overflow = true;
      else {
        g.push(d, 0xF0);
        g.push(d, static_cast<std::uint8_t>(field_no));
      }
    }
    field_no++;
  });
  for (int j = 0; j < kMaxJobs; ++j) {
    const Job& jb = s.jobs[j];
    if (!jb.live || jb.daemon.is_none() || jb.daemon.index() >= nd) continue;
    const int d = jb.daemon.index();
    if (!g.room(d, 2)) overflow = true;
    else {
      g.push(d, 0xF1);
      g.push(d, static_cast<std::uint8_t>(j));
    }
  }
  return !overflow;
}

// The records' part of each unit's signature, as one number that orders as the bytes
// do: the phase, and for a unit in use its record's four bytes and its place on
// aio_freeproc (the first six bytes of daemon_signatures', which always fit). When no
// two units share it, it alone orders the units, whatever the owner fields and the
// jobs add after it; then order[k] (the old unit of new unit k) is set and true.
bool order_by_records(const State& s, int nd, std::array<int, kMaxDaemons>& order) {
  const std::array<std::uint8_t, kMaxDaemons> pos = freeproc_places(s);
  std::array<std::uint64_t, kMaxDaemons> key{};
  for (int d = 0; d < nd; ++d) {
    const Daemon& dm = s.daemons[d];
    std::uint64_t k = std::uint64_t{dm.ph} << 40;
    if (dm.ph != AIOD_NONE)
      k |= std::uint64_t{dm.aiop_free} << 32 | std::uint64_t{dm.job.raw()} << 24 | std::uint64_t{dm.vmspace.raw()} << 16 |
           std::uint64_t{dm.woken} << 8 | pos[static_cast<std::size_t>(d)];
    // An insertion sort (at most kMaxDaemons keys); a tie leaves the order to the
    // whole signatures.
    int at = d;
    for (; at > 0 && k < key[static_cast<std::size_t>(at - 1)]; --at) {
      key[static_cast<std::size_t>(at)] = key[static_cast<std::size_t>(at - 1)];
      order[static_cast<std::size_t>(at)] = order[static_cast<std::size_t>(at - 1)];
    }
    if (at > 0 && k == key[static_cast<std::size_t>(at - 1)]) return false;
    key[static_cast<std::size_t>(at)] = k;
    order[static_cast<std::size_t>(at)] = d;
  }
  return true;
}

// out = s with new unit k the old unit order[k], and every reference renamed.
// inv: old unit -> new unit, the inverse of order. With a log, what it rewrote is
// noted there (the units' records, and every holder of a reference to one).
void rename_daemons(const State& s, State& out, const std::array<int, kMaxDaemons>& order,
                    const Model::DaemonMap& inv, int nd, int first, int nprocs, AccessLog* log) {
  const Table<Daemon, kMaxDaemons, DaemonId> old = s.daemons;  // out may be s
  if (&out != &s) out = s;
  for (int k = 0; k < nd; ++k) out.daemons[k] = old[order[static_cast<std::size_t>(k)]];
  if (log) log->touch_all(ObjKind::daemon, static_cast<std::size_t>(nd));
  for (int i = 0; i < out.aio_freeproc.size(); ++i) {
    DaemonId& v = out.aio_freeproc[i];
    AIOMC_ASSERT(v.index() < nd);
    v = DaemonId(inv[v.uindex()]);
    if (log) log->touch(G_AIO_FREEPROC);
  }
  for (std::size_t j = 0; j < out.jobs.size(); ++j) {
    Job& jb = out.jobs[j];
    if (jb.live && jb.daemon.valid() && jb.daemon.index() < nd) {
      jb.daemon = DaemonId(inv[jb.daemon.uindex()]);
      if (log) log->touch(ObjKind::job, j);
    }
  }
  each_owner(out, nprocs, [&](std::uint8_t& v, auto&& at) {
    if (v != kNone && v >= first && v < first + nd) {
      v = static_cast<std::uint8_t>(first + inv[static_cast<std::size_t>(v - first)]);
      if (log) at(*log);
    }
  });
}

}  // namespace

bool Model::canonical_daemons(const State& s, State& out, DaemonMap* unit_map, bool* complete) const {
  return canonical_daemons(s, out, unit_map, complete, nullptr);
}

bool Model::canonical_daemons(const State& s, State& out, DaemonMap* unit_map, bool* complete, AccessLog* log) const {
  const int nd = ndaemons_;
  if (nd < 2) return false;
  // A signature starts with the unit's phase: units in strictly ascending phases are
  // in order whatever the rest says (the form is complete only if no signature
  // overflows, which only the whole signatures tell).
  if (!complete) {
    bool ascending = true;
    for (int d = 1; d < nd && ascending; ++d) ascending = s.daemons[d - 1].ph < s.daemons[d].ph;
    if (ascending) return false;
  }
  const int first = first_daemon_actor();
  const int nprocs = static_cast<int>(program_.processes.size());
  // Distinct records order the units as the whole signatures do, and give a complete
  // form even where a signature would not fit in 16 bytes: a record says nothing about
  // unit numbers (a renaming carries each unit's record and place on aio_freeproc
  // along), so every renaming of s has the same records, hence the same order.
  std::array<int, kMaxDaemons> order{};
  if (!order_by_records(s, nd, order)) {
    DaemonSignatures g;
    if (!daemon_signatures(s, nd, first, nprocs, g)) {
      // Keep the units as they are (sound: no merging); the form then depends on them.
      if (complete) *complete = false;
      return false;
    }
    order = g.order(nd);
  }
  bool identity = true;
  for (int k = 0; k < nd; ++k) identity = identity && order[static_cast<std::size_t>(k)] == k;
  if (identity) return false;
  DaemonMap inv{};  // units past nd (never used) map to themselves
  for (std::size_t d = 0; d < inv.size(); ++d) inv[d] = static_cast<std::uint8_t>(d);
  for (int k = 0; k < nd; ++k)
    inv[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])] = static_cast<std::uint8_t>(k);
  rename_daemons(s, out, order, inv, nd, first, nprocs, log);
  if (unit_map) *unit_map = inv;
  return true;
}

StepRef Model::renamed_step(StepRef step, const DaemonMap& unit_map) const {
  const int first = first_daemon_actor();
  if (step.actor >= first && step.actor < first + ndaemons_)
    step.actor = static_cast<std::uint8_t>(first + unit_map[static_cast<std::size_t>(step.actor - first)]);
  return step;
}

namespace {

using JobPerm = std::array<std::uint8_t, kMaxJobs>;  // old slot -> new slot

std::uint8_t map_job(const JobPerm& perm, std::uint8_t j) {
  if (j == kNone) return j;
  AIOMC_ASSERT(j < kMaxJobs);
  return perm[j];
}

JobId map_job(const JobPerm& perm, JobId j) { return j.is_none() ? j : JobId(perm[static_cast<std::size_t>(j.index())]); }

std::uint8_t raw_slot(std::uint8_t j) { return j; }
std::uint8_t raw_slot(JobId j) { return j.raw(); }

}  // namespace

bool Model::jobs_symmetric() const {
  for (const Process& p : program_.processes)
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops)
        for (const KeventChange& c : op.changes)
          if (c.data_kind != KeventChange::DataKind::zero) return false;
  return true;
}

namespace {

// The order of the job slots: live jobs by (process, aiocb name, slot), then free slots.
std::array<std::uint32_t, kMaxJobs> job_keys(const State& s) {
  std::array<std::uint32_t, kMaxJobs> key{};
  for (int i = 0; i < kMaxJobs; ++i) {
    const Job& j = s.jobs[i];
    key[static_cast<std::size_t>(i)] =
        j.live ? (static_cast<std::uint32_t>(j.proc.raw()) << 16 | static_cast<std::uint32_t>(j.uaiocb) << 8 | static_cast<std::uint32_t>(i))
               : (0x1000000u + static_cast<std::uint32_t>(i));
  }
  return key;
}

bool jobs_sorted(const std::array<std::uint32_t, kMaxJobs>& key) {
  for (int i = 1; i < kMaxJobs; ++i)
    if (key[static_cast<std::size_t>(i - 1)] > key[static_cast<std::size_t>(i)]) return false;
  return true;
}

// Whether two live jobs share a process and aiocb name (an aiocb submitted again while
// its first job lives): their order, by slot, then depends on the slots. With sorted
// keys the live ones are ascending and first, so neighbours tell.
bool jobs_tied(const std::array<std::uint32_t, kMaxJobs>& key, bool sorted) {
  std::array<std::uint32_t, kMaxJobs> named{};
  int n = 0;
  for (std::uint32_t k : key)
    if (k < 0x1000000u) named[static_cast<std::size_t>(n++)] = k >> 8;
  if (!sorted) std::sort(named.begin(), named.begin() + n);
  return std::adjacent_find(named.begin(), named.begin() + n) != named.begin() + n;
}

}  // namespace

namespace {

// The slots in key order (keys are distinct: each holds its slot): an insertion sort,
// as the slots are mostly in order already.
std::array<int, kMaxJobs> job_order(const std::array<std::uint32_t, kMaxJobs>& key) {
  std::array<int, kMaxJobs> order{};
  for (int i = 0; i < kMaxJobs; ++i) {
    int at = i;
    for (; at > 0 && key[static_cast<std::size_t>(i)] < key[static_cast<std::size_t>(order[static_cast<std::size_t>(at - 1)])]; --at)
      order[static_cast<std::size_t>(at)] = order[static_cast<std::size_t>(at - 1)];
    order[static_cast<std::size_t>(at)] = i;
  }
  return order;
}

// Calls f on each of x's references to a job slot (a std::uint8_t or a JobId, none
// allowed), nprocs processes and nthreads threads: what a renaming of the slots must
// rewrite. St is State or const State.
template <class St, class F>
void each_job_ref(St& x, int nprocs, int nthreads, F&& f) {
  for (int p = 0; p < nprocs; ++p) {
    auto& pr = x.procs[p];
    for (auto& j : pr.kaio_all) f(j);
    for (auto& j : pr.kaio_jobqueue) f(j);
    for (auto& j : pr.kaio_bufqueue) f(j);
    for (auto& j : pr.kaio_done) f(j);
    for (auto& ps : pr.sigpending)
      if (ps.src_kind == 1) f(ps.src);
  }
  for (auto& j : x.aio_jobs) f(j);
  for (auto& j : x.taskq) f(j);
  f(x.taskq_cur);
  for (auto& c : x.callout) f(c.job);
  for (auto& d : x.daemons) f(d.job);
  for (auto& d : x.disks)
    for (auto& j : d.bios) f(j);
  for (int t = 0; t < nthreads; ++t) f(x.threads[t].job);  // none when job_freed
  for (auto& k : x.knotes)
    if (k.live && k.filter == kFilterAio) {
      f(k.sdata);
      f(k.knlist);
    }
  for (auto& so : x.socks)
    for (auto& j : so.so_aiojobq) f(j);
}

// x's references to job slots renamed by perm (old slot -> new).
void rename_jobs(State& x, const JobPerm& perm, int nprocs, int nthreads) {
  each_job_ref(x, nprocs, nthreads, [&](auto& ref) { ref = map_job(perm, ref); });
}

// Whether s refers to a slot whose job was freed (a stale callout, a knote's
// sdata_stale, a thread's pointer after aio_free_entry): such a slot is free, and free
// slots keep their order, so the canonical form then depends on the slots.
bool dangling_job_refs(const State& s, int nprocs, int nthreads) {
  bool dangling = false;
  each_job_ref(s, nprocs, nthreads, [&](const auto& ref) {
    const std::uint8_t slot = raw_slot(ref);
    if (slot != kNone && !s.jobs[slot].live) dangling = true;
  });
  return dangling;
}

JobPerm inverse(const std::array<int, kMaxJobs>& order) {
  JobPerm perm{};
  for (int n = 0; n < kMaxJobs; ++n) perm[static_cast<std::size_t>(order[static_cast<std::size_t>(n)])] = static_cast<std::uint8_t>(n);
  return perm;
}

}  // namespace

// Renumbers x's job slots in place (x is not canonical: the caller checked).
void Model::permute_jobs(State& x, const std::array<std::uint32_t, kMaxJobs>& key) const {
  const std::array<int, kMaxJobs> order = job_order(key);
  const Table<Job, kMaxJobs, JobId> old = x.jobs;
  for (int n = 0; n < kMaxJobs; ++n) x.jobs[n] = old[order[static_cast<std::size_t>(n)]];
  rename_jobs(x, inverse(order), static_cast<int>(program_.processes.size()), nthreads_);
}

bool Model::canonical_jobs(const State& s, State& out, bool* complete) const {
  const auto key = job_keys(s);
  const bool sorted = jobs_sorted(key);
  if (complete && (jobs_tied(key, sorted) ||
                   dangling_job_refs(s, static_cast<int>(program_.processes.size()), nthreads_)))
    *complete = false;
  if (sorted) return false;
  // out = s with the job table permuted on the way: everything around the table
  // copied as bytes, the table slot by slot from s (no copy of the old table).
  // (State is not standard-layout, as its kinded tables carry a footprint log slot
  // beside their entries, so the table's place is taken from the object.)
  static_assert(std::is_trivially_copyable_v<State>);
  const std::array<int, kMaxJobs> order = job_order(key);
  if (&out == &s) {
    permute_jobs(out, key);
    return true;
  }
  const auto* src = reinterpret_cast<const unsigned char*>(&s);
  auto* dst = reinterpret_cast<unsigned char*>(&out);
  const auto jobs_at = static_cast<std::size_t>(reinterpret_cast<const unsigned char*>(&s.jobs) - src);
  const std::size_t jobs_end = jobs_at + sizeof(State::jobs);
  std::memcpy(dst, src, jobs_at);
  std::memcpy(dst + jobs_end, src + jobs_end, sizeof(State) - jobs_end);
  out.jobs.record_into(nullptr);
  for (int n = 0; n < kMaxJobs; ++n) out.jobs[n] = s.jobs[order[static_cast<std::size_t>(n)]];
  rename_jobs(out, inverse(order), static_cast<int>(program_.processes.size()), nthreads_);
  return true;
}

namespace {

// What renaming the job slots may write: the job table and every holder of a slot
// (each_job_ref).
void note_job_renaming(AccessLog& log) {
  log.touch_all(ObjKind::job, kMaxJobs);
  log.touch_all(ObjKind::proc, kMaxProcs);
  log.touch_all(ObjKind::thread, kMaxThreads);
  log.touch_all(ObjKind::daemon, kMaxDaemons);
  log.touch_all(ObjKind::disk, kMaxDisks);
  log.touch_all(ObjKind::knote, kMaxKnotes);
  log.touch_all(ObjKind::sock, kMaxObjects);
  log.touch(G_AIO_JOBS);
  log.touch(G_TASKQ);
  log.touch(G_CALLOUT);
}

}  // namespace

// What still_canonical and canonicalize_in_place ask of a state w, its canonical
// parent p stepped (log: what the step touched; only touched objects can differ, as
// what a step writes it touched): whether the step changed no job's key (live,
// process, aiocb name), and whether it changed nothing a daemon signature reads (the
// units' records, aio_freeproc, the jobs' ghost `daemon`, an owner field that held or
// now holds a daemon's actor number). Then that half of the canonical order is p's.
bool Model::job_keys_kept(const State& w, const State& p, const AccessLog& log) const {
  for (std::uint32_t bits = log.of(ObjKind::job); bits; bits &= bits - 1) {
    const auto j = static_cast<std::size_t>(std::countr_zero(bits));
    const Job& a = w.jobs[j];
    const Job& b = p.jobs[j];
    if (a.live != b.live || (a.live && (a.proc != b.proc || a.uaiocb != b.uaiocb))) return false;
  }
  return true;
}

bool Model::daemon_inputs_kept(const State& w, const State& p, const AccessLog& log) const {
  const int first = first_daemon_actor();
  const int nd = ndaemons_;
  auto daemon_actor = [&](std::uint8_t v) { return v != kNone && v >= first && v < first + nd; };
  auto owner_moved = [&](std::uint8_t a, std::uint8_t b) { return a != b && (daemon_actor(a) || daemon_actor(b)); };
  for (std::uint32_t bits = log.of(ObjKind::job); bits; bits &= bits - 1) {
    const auto j = static_cast<std::size_t>(std::countr_zero(bits));
    if (w.jobs[j].live != p.jobs[j].live || w.jobs[j].daemon != p.jobs[j].daemon) return false;
  }
  for (std::uint32_t bits = log.of(ObjKind::daemon); bits; bits &= bits - 1) {
    const auto d = static_cast<std::size_t>(std::countr_zero(bits));
    if (!(w.daemons[d] == p.daemons[d])) return false;
  }
  if ((log.globals & G_AIO_FREEPROC) && !(w.aio_freeproc == p.aio_freeproc)) return false;
  if ((log.globals & G_JM_OWNER) && owner_moved(w.jm_owner, p.jm_owner)) return false;
  if ((log.globals & G_GIANT) && owner_moved(w.giant_owner, p.giant_owner)) return false;
  for (std::uint32_t bits = log.of(ObjKind::proc); bits; bits &= bits - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    if (owner_moved(w.procs[i].p_mtx, p.procs[i].p_mtx)) return false;
  }
  for (std::uint32_t bits = log.of(ObjKind::kq); bits; bits &= bits - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    if (owner_moved(w.kqs[i].owner, p.kqs[i].owner)) return false;
  }
  for (std::uint32_t bits = log.of(ObjKind::knote); bits; bits &= bits - 1) {
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    if (owner_moved(w.knotes[i].influx_owner, p.knotes[i].influx_owner)) return false;
  }
  if (log.globals & G_LINUX) {
    if (owner_moved(w.lx.list_mtx, p.lx.list_mtx)) return false;
    for (std::size_t x = 0; x < w.lx.ctx.size(); ++x)
      if (owner_moved(w.lx.ctx[x].sx_owner, p.lx.ctx[x].sx_owner)) return false;
  }
  return true;
}

bool Model::still_canonical(const State& w, const State& p, const AccessLog& log) const {
  return job_keys_kept(w, p, log) && (!symmetric_daemons_ || daemon_inputs_kept(w, p, log)) &&
         kaio_queues_sorted(w, log.of(ObjKind::proc));
}

bool Model::canonicalize_in_place(State& w, const State& p, AccessLog& log, DaemonMap* unit_map) const {
  if (unit_map)
    for (std::size_t d = 0; d < unit_map->size(); ++d) (*unit_map)[d] = static_cast<std::uint8_t>(d);
  // The order of canonical(): jobs, then daemons (whose signatures name job slots, so
  // renamed jobs call for a look at the daemons too).
  const bool j = symmetric_jobs_ && !job_keys_kept(w, p, log) && canonical_jobs(w, w);
  if (j) note_job_renaming(log);
  // The kaio queues kept as sets (kaio_queue_sets.cpp): p's are sorted by aiocb name,
  // which a renaming of the slots keeps, so only a process the step touched can need
  // sorting (after a renaming, which notes every process, none is compared with p).
  const bool q = kaio_queue_sets_ != 0 && sort_kaio_queues(w, log.of(ObjKind::proc), &log, j ? nullptr : &p);
  const bool d = symmetric_daemons_ && (j || !daemon_inputs_kept(w, p, log)) &&
                 canonical_daemons(w, w, unit_map, nullptr, &log);
  return j || q || d;
}

std::vector<std::string> Model::reductions_applied() const {
  std::vector<std::string> out;
  if (symmetric_daemons_) out.push_back("daemon units");
  if (symmetric_jobs_) out.push_back("job slots");
  for (std::size_t p = 0; p < program_.processes.size(); ++p) {
    const std::uint32_t q = kaio_queue_sets_of(static_cast<int>(p));
    if (q == 0) continue;
    std::string names;
    for (const auto& [bit, name] : {std::pair{kKaioAllSet, "kaio_all"}, std::pair{kKaioJobqueueSet, "kaio_jobqueue"},
                                    std::pair{kKaioBufqueueSet, "kaio_bufqueue"}, std::pair{kKaioDoneSet, "kaio_done"}})
      if (q & bit) names += std::string(names.empty() ? "" : " ") + name;
    out.push_back("queues as sets in " + program_.processes[p].name + ": " + names);
  }
  return out;
}

// Jobs first: the daemons' signatures then name canonical job slots. Then the kaio
// queues kept as sets (their order by aiocb name does not depend on the slots).
bool Model::canonical(const State& s, State& out, DaemonMap* unit_map, bool* complete) const {
  if (unit_map)
    for (std::size_t d = 0; d < unit_map->size(); ++d) (*unit_map)[d] = static_cast<std::uint8_t>(d);
  if (complete) *complete = true;
  bool j = symmetric_jobs_ && canonical_jobs(s, out, complete);
  if (kaio_queue_sets_ != 0 && !kaio_queues_sorted(j ? out : s, ~0u)) {
    if (!j) out = s;
    sort_kaio_queues(out, ~0u, nullptr);
    j = true;
  }
  if (symmetric_daemons_ && canonical_daemons(j ? out : s, out, unit_map, complete)) return true;
  return j;
}

}  // namespace aiomc::model
