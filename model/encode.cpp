// The canonical encoding of a State: fixed field order, little-endian, sequences
// prefixed by their length, dead slots reduced to one byte. Its xxHash64 (seed 0)
// is the digest in traces; the checker's exact mode stores the bytes.
#include <xxhash.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

#include "model/model.hpp"

namespace aiomc::model {
namespace {

// One field list serves both directions: Writer copies fields out, Reader copies
// them back, so the encoding and its decoding cannot drift apart.
// One blank state (immutable once made) that decodings start from: copying it is
// cheaper than State's constructor, which fills every typed id (none is 0xFF) and
// sequence slot one by one.
const State& blank_state() {
  static const State blank{};
  return blank;
}

struct Writer {
  std::uint8_t* p;
  void u8(const std::uint8_t& v) { *p++ = v; }
  // Little-endian: on a little-endian host the value's own bytes, as one store (byte
  // stores that the compiler merges through the stack stall on store forwarding).
  void u16(const std::uint16_t& v) {
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(p, &v, 2);
      p += 2;
    } else {
      *p++ = static_cast<std::uint8_t>(v);
      *p++ = static_cast<std::uint8_t>(v >> 8);
    }
  }
  void i16(const std::int16_t& v) { u16(static_cast<std::uint16_t>(v)); }
  void i32(const std::int32_t& v) {
    auto u = static_cast<std::uint32_t>(v);
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(p, &u, 4);
      p += 4;
    } else {
      for (int i = 0; i < 4; ++i) *p++ = static_cast<std::uint8_t>(u >> (8 * i));
    }
  }
  // A run of one-byte fields, copied at once (see U8_RUN).
  void bytes(const std::uint8_t* first, std::size_t n) {
    std::memcpy(p, first, n);
    p += n;
  }
  void mark(Model::SegKind, std::size_t) {}
  static constexpr bool reading = false;
};

struct Reader {
  const std::uint8_t* p;
  // When given: where each segment ends (mark() after each), from `base`.
  const std::uint8_t* base = nullptr;
  std::uint32_t* ends = nullptr;
  std::size_t seg = 0;
  void mark(Model::SegKind, std::size_t) {
    if (ends) ends[seg++] = static_cast<std::uint32_t>(p - base);
  }
  void u8(std::uint8_t& v) { v = *p++; }
  void u16(std::uint16_t& v) {
    if constexpr (std::endian::native == std::endian::little)
      std::memcpy(&v, p, 2);
    else
      v = static_cast<std::uint16_t>(p[0] | (p[1] << 8));
    p += 2;
  }
  void i16(std::int16_t& v) {
    std::uint16_t u;
    u16(u);
    v = static_cast<std::int16_t>(u);
  }
  void i32(std::int32_t& v) {
    std::uint32_t u = 0;
    if constexpr (std::endian::native == std::endian::little)
      std::memcpy(&u, p, 4);
    else
      for (int i = 0; i < 4; ++i) u |= static_cast<std::uint32_t>(p[i]) << (8 * i);
    p += 4;
    v = static_cast<std::int32_t>(u);
  }
  void bytes(std::uint8_t* first, std::size_t n) {
    std::memcpy(first, p, n);
    p += n;
  }
  static constexpr bool reading = true;
};

// Consecutive uint8_t members FIRST..LAST of T, written as one run in declaration
// order. The static_assert proves they are adjacent (no padding, no other field in
// between), so the encoding stays a field-by-field one.
#define U8_RUN(io, obj, T, FIRST, LAST, COUNT)                                             \
  static_assert(offsetof(T, LAST) - offsetof(T, FIRST) == (COUNT) - 1, "not one run"); \
  (io).bytes(byte_ptr(&(obj).FIRST), (COUNT))

// A one-byte field (a raw byte or a typed id, ids.hpp) as the byte it is.
template <class T>
  requires(sizeof(T) == 1 && std::is_trivially_copyable_v<T>)
std::uint8_t* byte_ptr(T* f) { return reinterpret_cast<std::uint8_t*>(f); }

template <class IO>
void field(IO& io, std::uint8_t& v) { io.u8(v); }
template <class IO, class Tag>
void field(IO& io, Id<Tag>& id) { io.u8(id.v); }

// A byte whose encoding is not its in-memory form: enc(x) is written, dec(b, x)
// reads it back. The typed entries keep the bytes they had as raw ids, so the
// encoding and the digests are what they were.
template <class IO, class T, class Enc, class Dec>
void coded(IO& io, T& x, Enc enc, Dec dec) {
  if constexpr (IO::reading) {
    std::uint8_t b = 0;
    io.u8(b);
    dec(b, x);
  } else {
    const std::uint8_t b = enc(x);
    io.u8(b);
  }
}
template <class IO>
void field(IO& io, KqHeadEntry& e) { io.u8(e.raw); }
// A callout: the job, with 0x80 once it is stale.
template <class IO>
void field(IO& io, CalloutEntry& c) {
  coded(
      io, c, [](const CalloutEntry& x) { return static_cast<std::uint8_t>(x.job.raw() | (x.stale ? 0x80 : 0)); },
      [](std::uint8_t b, CalloutEntry& x) {
        x.stale = (b & 0x80) ? 1 : 0;
        x.job = JobId::from_raw(static_cast<std::uint8_t>(b & 0x7F));
      });
}
// A name map entry: the id + 1, 0 for none.
template <class IO, class I>
void name_entry(IO& io, I& id) {
  coded(
      io, id, [](const I& x) { return static_cast<std::uint8_t>(x.is_none() ? 0 : x.raw() + 1); },
      [](std::uint8_t b, I& x) { x = b == 0 ? I::none() : I(b - 1); });
}
template <class IO>
void field(IO& io, PendingSig& x) {
  io.u8(x.signo);
  field(io, x.thread);
  io.u8(x.src_kind);
  io.u8(x.src);
}
// (CollectedEvent is packed: its wider fields go through locals, not references.)
template <class IO>
void field(IO& io, CollectedEvent& x) {
  io.u8(x.filter);
  io.u8(x.ident);
  std::uint16_t flags = x.flags;
  std::int16_t data = x.data;
  std::int32_t udata = x.udata;
  io.u16(flags);
  io.i16(data);
  io.i32(udata);
  if constexpr (IO::reading) {
    x.flags = flags;
    x.data = data;
    x.udata = udata;
  }
}
template <class IO, class T, int N>
void seq(IO& io, SVec<T, N>& v) {
  io.u8(v.n);
  AIOMC_ASSERT(v.n <= N);
  for (int i = 0; i < v.n; ++i) field(io, v[i]);
}
template <class IO>
void sigev(IO& io, KSigEvent& e) {
  io.u8(e.notify);
  io.i16(e.signo);
  field(io, e.thread);
  io.i32(e.udata);
}

// The canonical field order. Dead slots are one byte (their live flag); in a
// decoded state they stay default-constructed, as the model keeps them.
template <class IO>
void serialize_linux(IO& io, LinuxSt& lx, const Program& prog, int nthreads);

// One process: its kaioinfo, descriptors, named objects, aiocbs and signals.
template <class IO>
void serialize_proc(IO& io, Proc& pr, const Process& pp) {
  io.u8(pr.alive);
  io.u8(pr.exiting);
  io.u8(pr.has_aioinfo);
  io.u8(pr.p_mtx);
  io.u8(pr.kaio_flags);
  io.u8(pr.kaio_active_count);
  io.u8(pr.kaio_count);
  io.u8(pr.kaio_buffer_count);
  seq(io, pr.kaio_all);
  seq(io, pr.kaio_jobqueue);
  seq(io, pr.kaio_bufqueue);
  seq(io, pr.kaio_done);
  seq(io, pr.kaio_liojoblist);
  io.bytes(pr.fd_kind.data(), kMaxFds);
  io.bytes(pr.fd_target.data(), kMaxFds);
  for (std::size_t n = 0; n < pp.kq_names.size(); ++n) name_entry(io, pr.kq_of_name[n]);
  for (std::size_t n = 0; n < pp.lio_names.size(); ++n) name_entry(io, pr.lio_of_name[n]);
  for (std::size_t n = 0; n < pp.sem_names.size(); ++n) io.u8(pr.sem[n]);
  for (std::size_t n = 0; n < pp.job_names.size(); ++n) {
    io.i32(pr.u_status[n]);
    io.i16(pr.u_error[n]);
  }
  seq(io, pr.sigpending);
}

// The kernel's objects, one slot each: jobs, lists, kqueues and knotes.
template <class IO>
void serialize_job(IO& io, Job& j) {
  io.u8(j.live);
  if (!j.live) return;
  U8_RUN(io, j, Job, jobstate, fildes, 16);
  sigev(io, j.sigev);
  io.i32(j.offset);
  io.i32(j.nbytes);
  io.i32(j.status);
  io.i16(j.error);
  io.i16(j.io_error);
  seq(io, j.klist);
}
template <class IO>
void serialize_lio(IO& io, Lio& l) {
  io.u8(l.live);
  if (!l.live) return;
  U8_RUN(io, l, Lio, proc, q_finished, 14);
  sigev(io, l.sigev);
  seq(io, l.klist);
}
template <class IO>
void serialize_kq(IO& io, Kqueue& q) {
  io.u8(q.live);
  if (!q.live) return;
  U8_RUN(io, q, Kqueue, proc, owner, 5);
  seq(io, q.knhash);
  seq(io, q.head);
}
template <class IO>
void serialize_knote(IO& io, Knote& k) {
  io.u8(k.live);
  if (!k.live) return;
  for (std::uint8_t* f : {byte_ptr(&k.kq), &k.filter, &k.status}) io.u8(*f);
  io.u16(k.flags);
  for (std::uint8_t* f : {&k.ident, &k.sdata, &k.sdata_stale, &k.knlist, &k.influx_owner, &k.dropped}) io.u8(*f);
  io.i32(k.udata);
  io.i16(k.data);
}

// The global fields (aio_job_mtx's, the module's, the taskqueue's, the callout's).
template <class IO>
void serialize_globals(IO& io, State& s) {
  io.u8(s.jm_owner);
  io.u8(s.giant_owner);
  io.u8(s.num_aio_procs);
  io.u8(s.num_aio_resv_start);
  io.u8(s.num_queue_count);
  io.u8(s.num_buf_aio);
  io.u8(s.aio_loaded);
  io.u8(s.newproc_sem);
  io.u8(s.evfilt_aio_ops);
  io.u8(s.evfilt_lio_ops);
  io.u8(s.linuxaio_loaded);
  io.u8(s.panicked);
  seq(io, s.aio_jobs);
  seq(io, s.aio_freeproc);
  seq(io, s.taskq);
  field(io, s.taskq_cur);
  io.u8(s.taskq_wake);
  seq(io, s.callout);
}

template <class IO>
void serialize_thread(IO& io, ThreadSt& th) {
  // The 27 one-byte fields from proc to flags, the phases among them (U8_RUN checks
  // that they are one run).
  constexpr std::size_t run = 27;
  U8_RUN(io, th, ThreadSt, proc, flags, run);
  // job_freed is encoded as the job byte 0xFE, as before the flag (job is none then).
  constexpr std::size_t job_at = offsetof(ThreadSt, job) - offsetof(ThreadSt, proc);
  if constexpr (IO::reading) {
    th.job_freed = th.job == 0xFE ? 1 : 0;
    if (th.job_freed) th.job = kNone;
  } else if (th.job_freed) {
    io.p[static_cast<std::ptrdiff_t>(job_at) - static_cast<std::ptrdiff_t>(run)] = 0xFE;
  }
  io.i16(th.err);
  io.i32(th.ret);
  seq(io, th.events);
}

template <class IO>
void serialize_daemon(IO& io, Daemon& dm) {
  io.u8(dm.ph);
  if (dm.ph == AIOD_NONE) return;
  io.u8(dm.aiop_free);
  io.u8(*byte_ptr(&dm.job));
  io.u8(*byte_ptr(&dm.vmspace));
  io.u8(dm.woken);
}

// A socket or pipe (other objects have no encoded state).
template <class IO>
void serialize_sock(IO& io, SockSt& so) {
  io.i32(so.data);
  io.u8(so.sb_aio);
  seq(io, so.so_aiojobq);
  seq(io, so.si_note);
}

bool encoded_object(const Object& o) { return o.type == ObjType::socket || o.type == ObjType::pipe; }

// The whole state, segment by segment: this order is Model::segments's (segment_setup
// lists the segments by running it).
// Writes or reads one segment, then marks its end (a reader can note where each ends).
template <class IO, class F>
void marked(IO& io, Model::SegKind kind, std::size_t index, F&& segment) {
  segment();
  io.mark(kind, index);
}

template <class IO>
void serialize(IO& io, State& s, const Program& prog, int nthreads, int ndaemons, int ndisks, bool linux_used) {
  using K = Model::SegKind;
  marked(io, K::globals, 0, [&] { serialize_globals(io, s); });
  for (std::size_t p = 0; p < prog.processes.size(); ++p)
    marked(io, K::proc, p, [&] { serialize_proc(io, s.procs[p], prog.processes[p]); });
  for (int t = 0; t < nthreads; ++t)
    marked(io, K::thread, static_cast<std::size_t>(t), [&] { serialize_thread(io, s.threads[t]); });
  for (int d = 0; d < ndaemons; ++d)
    marked(io, K::daemon, static_cast<std::size_t>(d), [&] { serialize_daemon(io, s.daemons[d]); });
  for (int d = 0; d < ndisks; ++d) marked(io, K::disk, static_cast<std::size_t>(d), [&] { seq(io, s.disks[d].bios); });
  for (std::size_t o = 0; o < prog.objects.size(); ++o)
    if (encoded_object(prog.objects[o])) marked(io, K::sock, o, [&] { serialize_sock(io, s.socks[o]); });
  std::size_t i = 0;
  for (Job& j : s.jobs) marked(io, K::job, i++, [&] { serialize_job(io, j); });
  i = 0;
  for (Lio& l : s.lios) marked(io, K::lio, i++, [&] { serialize_lio(io, l); });
  i = 0;
  for (Kqueue& q : s.kqs) marked(io, K::kq, i++, [&] { serialize_kq(io, q); });
  i = 0;
  for (Knote& k : s.knotes) marked(io, K::knote, i++, [&] { serialize_knote(io, k); });
  // The Linux emulation, only for scenarios that use it: every other scenario keeps
  // the encoding (and digests) it had before the emulation existed.
  if (linux_used) marked(io, K::linux_emul, 0, [&] { serialize_linux(io, s.lx, prog, nthreads); });
}

// A Writer that also lists the segments as serialize marks them.
struct SegmentLister : Writer {
  std::vector<Model::Segment>* out;
  void mark(Model::SegKind kind, std::size_t index) { out->push_back({kind, static_cast<std::uint8_t>(index)}); }
};

// One segment of that order.
template <class IO>
void serialize_segment(IO& io, State& s, Model::Segment g, const Program& prog, int nthreads) {
  const std::size_t i = g.index;
  switch (g.kind) {
    case Model::SegKind::globals: return serialize_globals(io, s);
    case Model::SegKind::proc: return serialize_proc(io, s.procs[i], prog.processes[i]);
    case Model::SegKind::thread: return serialize_thread(io, s.threads[i]);
    case Model::SegKind::daemon: return serialize_daemon(io, s.daemons[i]);
    case Model::SegKind::disk: return seq(io, s.disks[i].bios);
    case Model::SegKind::sock: return serialize_sock(io, s.socks[i]);
    case Model::SegKind::job: return serialize_job(io, s.jobs[i]);
    case Model::SegKind::lio: return serialize_lio(io, s.lios[i]);
    case Model::SegKind::kq: return serialize_kq(io, s.kqs[i]);
    case Model::SegKind::knote: return serialize_knote(io, s.knotes[i]);
    case Model::SegKind::linux_emul: return serialize_linux(io, s.lx, prog, nthreads);
  }
}

template <class IO>
void field(IO& io, LinuxReq& r) {
  io.u8(r.iocb);
  io.u8(r.clone);
  io.u8(r.fildes);
  io.u8(r.native);
}

template <class IO>
void serialize_linux(IO& io, LinuxSt& lx, const Program& prog, int nthreads) {
  io.u8(lx.list_mtx);
  io.u8(lx.linked);
  seq(io, lx.list);
  for (LinuxCtx& x : lx.ctx) {
    io.u8(x.live);
    if (!x.live) continue;
    U8_RUN(io, x, LinuxCtx, proc, nreq_cur, 6);
    io.i32(x.nreq_max);
    seq(io, x.reqs);
  }
  for (std::size_t p = 0; p < prog.processes.size(); ++p) {
    for (LinuxRing& r : lx.rings[p]) {
      io.u8(r.mapped);
      if (!r.mapped) continue;
      for (std::int32_t* f : {&r.id, &r.nr, &r.head, &r.tail, &r.compat_features, &r.incompat_features, &r.header_length})
        io.i32(*f);
      std::int32_t magic = static_cast<std::int32_t>(r.magic);
      io.i32(magic);
      if constexpr (IO::reading) r.magic = static_cast<std::uint32_t>(magic);
    }
    for (std::size_t n = 0; n < prog.processes[p].ctx_names.size(); ++n) io.u8(lx.ctxp[p][n]);
    std::int32_t mapped = static_cast<std::int32_t>(lx.clone_mapped[p]);
    io.i32(mapped);
    if constexpr (IO::reading) lx.clone_mapped[p] = static_cast<std::uint32_t>(mapped);
  }
  for (int t = 0; t < nthreads; ++t) {
    LinuxThread& th = lx.th[static_cast<std::size_t>(t)];
    U8_RUN(io, th, LinuxThread, ctx, unhook_prev, 4);
    io.i16(th.err);
  }
}

}  // namespace

// Every field of State is written at most once, so 2 * sizeof(State) bounds the size.
std::size_t Model::encode_raw(const State& s, std::uint8_t* buf) const {
  // Writing into a local array first lets the compiler see that the stores do not
  // alias the state being read (uint8_t stores may alias anything); then one copy.
  alignas(64) std::uint8_t local[kMaxEncoding];
  Writer w{local};
  serialize(w, const_cast<State&>(s), program_, nthreads_, ndaemons_, ndisks_, linux_);  // Writer only reads
  auto n = static_cast<std::size_t>(w.p - local);
  std::memcpy(buf, local, n);
  return n;
}

void Model::encode(const State& s, std::vector<std::uint8_t>& out) const {
  out.resize(kMaxEncoding);
  out.resize(encode_raw(s, out.data()));
}

State Model::decode(const std::uint8_t* buf, std::size_t n) const {
  State s;
  decode_into(buf, n, s);
  return s;
}

void Model::decode_into(const std::uint8_t* buf, std::size_t n, State& out, std::uint32_t* segment_ends) const {
  out = blank_state();
  decode_fields(buf, n, out, segment_ends);
}

void Model::decode_over(const std::uint8_t* buf, std::size_t n, State& out, std::uint32_t* segment_ends) const {
  copy_used(out, blank_state());
  decode_fields(buf, n, out, segment_ends);
}

void Model::decode_fields(const std::uint8_t* buf, std::size_t n, State& out, std::uint32_t* segment_ends) const {
  Reader r{buf, buf, segment_ends};
  serialize(r, out, program_, nthreads_, ndaemons_, ndisks_, linux_);
  AIOMC_ASSERT(static_cast<std::size_t>(r.p - buf) == n);
  AIOMC_ASSERT(!segment_ends || r.seg == segments_.size());
}

std::size_t Model::splice_encoding(const State& s, const std::uint8_t* parent, const std::uint32_t* parent_ends,
                                   const std::uint16_t* changed, std::size_t nchanged, std::uint8_t* out) const {
  std::uint8_t* o = out;
  std::uint32_t from = 0;  // the parent's bytes not yet copied start here
  for (std::size_t c = 0; c < nchanged; ++c) {
    const std::size_t g = changed[c];
    AIOMC_ASSERT(g < segments_.size() && (c == 0 || changed[c - 1] < g));
    const std::uint32_t start = g == 0 ? 0 : parent_ends[g - 1];
    std::memcpy(o, parent + from, start - from);
    o += start - from;
    o += encode_segment(s, g, o);
    from = parent_ends[g];
  }
  const std::uint32_t end = parent_ends[segments_.size() - 1];
  std::memcpy(o, parent + from, end - from);
  o += end - from;
  return static_cast<std::size_t>(o - out);
}

namespace {
// How many leading bytes of a[0..n) and b[0..n) agree (a word at a time).
std::size_t common_prefix(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) {
      if constexpr (std::endian::native == std::endian::little) return i + static_cast<std::size_t>(std::countr_zero(x ^ y) / 8);
      break;
    }
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}
}  // namespace

void Model::decode_changed(const std::uint8_t* buf, std::size_t n, const std::uint8_t* prev, const std::uint32_t* prev_ends,
                           State& out, std::uint32_t* ends, std::vector<std::uint16_t>& decoded) const {
  decoded.clear();
  const std::size_t nseg = segments_.size();
  const std::size_t prev_n = prev_ends[nseg - 1];
  std::size_t pos = 0, ppos = 0;  // where segment g starts in buf and in prev
  std::size_t g = 0;
  while (g < nseg) {
    // The segments wholly inside the bytes that agree from here on are prev's.
    const std::size_t agree = ppos + common_prefix(buf + pos, prev + ppos, std::min(n - pos, prev_n - ppos));
    for (; g < nseg && prev_ends[g] <= agree; ++g) ends[g] = static_cast<std::uint32_t>(prev_ends[g] - ppos + pos);
    if (g == nseg) break;
    pos = g == 0 ? 0 : ends[g - 1];
    // Segment g differs (or runs past what agrees): decoded again over a blank entry,
    // as decode_over would.
    copy_segment(out, blank_state(), g);
    Reader r{buf + pos};
    serialize_segment(r, out, segments_[g], program_, nthreads_);
    decoded.push_back(static_cast<std::uint16_t>(g));
    ends[g] = static_cast<std::uint32_t>(r.p - buf);
    pos = ends[g];
    ppos = prev_ends[g];
    ++g;
  }
  AIOMC_ASSERT(ends[nseg - 1] == n);
}

std::size_t Model::encode_segment(const State& s, std::size_t seg, std::uint8_t* buf) const {
  AIOMC_ASSERT(seg < segments_.size());
  Writer w{buf};
  serialize_segment(w, const_cast<State&>(s), segments_[seg], program_, nthreads_);  // Writer only reads
  return static_cast<std::size_t>(w.p - buf);
}

// The segments in serialize's order, taken by serializing a blank state once (which
// segments there are depends on the scenario only).
void Model::segment_setup() {
  std::vector<std::uint8_t> buf(kMaxEncoding);
  State s{};
  SegmentLister lister{{buf.data()}, &segments_};
  serialize(lister, s, program_, nthreads_, ndaemons_, ndisks_, linux_);
  segment_index_setup();
}

std::uint64_t Model::digest(const State& s) const {
  thread_local std::array<std::uint8_t, kMaxEncoding> buf;
  std::size_t n = encode_raw(s, buf.data());
  return digest_bytes(buf.data(), n);
}

std::uint64_t Model::digest_bytes(const std::uint8_t* buf, std::size_t n) const {
  return XXH64(buf, n, 0);
}

}  // namespace aiomc::model
