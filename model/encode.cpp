// The canonical encoding of a State: fixed field order, little-endian, sequences
// prefixed by their length, dead slots reduced to one byte. Its xxHash64 (seed 0)
// is the digest in traces; the checker's exact mode stores the bytes.
#include <xxhash.h>

#include <array>

#include "model/model.hpp"

namespace aiomc::model {
namespace {

// Writes through a raw cursor: the encoding is on the checker's hot path.
struct Enc {
  std::uint8_t* p;
  void u8(std::uint8_t v) { *p++ = v; }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v));
    u8(static_cast<std::uint8_t>(v >> 8));
  }
  void i16(std::int16_t v) { u16(static_cast<std::uint16_t>(v)); }
  void i32(std::int32_t v) {
    auto u = static_cast<std::uint32_t>(v);
    u16(static_cast<std::uint16_t>(u));
    u16(static_cast<std::uint16_t>(u >> 16));
  }
  template <class T, int N>
  void seq(const SVec<T, N>& v) {
    u8(v.n);
    for (const T& x : v) put(x);
  }
  void put(std::uint8_t v) { u8(v); }
  void put(const PendingSig& p) {
    u8(p.signo);
    u8(p.thread);
    u8(p.src_kind);
    u8(p.src);
  }
  void put(const CollectedEvent& e) {
    u8(e.filter);
    u8(e.ident);
    u16(e.flags);
    i16(e.data);
    i32(e.udata);
  }
  void sigev(const KSigEvent& e) {
    u8(e.notify);
    i16(e.signo);
    u8(e.thread);
    i32(e.udata);
  }
};

}  // namespace

// Every field of State is written at most once, so 2 * sizeof(State) bounds the size.
std::size_t Model::encode_raw(const State& s, std::uint8_t* buf) const {
  Enc e{buf};
  e.u8(s.jm_owner);
  e.u8(s.num_aio_procs);
  e.u8(s.num_aio_resv_start);
  e.u8(s.num_queue_count);
  e.u8(s.num_buf_aio);
  e.u8(s.aio_loaded);
  e.u8(s.newproc_sem);
  e.u8(s.panicked);
  e.seq(s.aio_jobs);
  e.seq(s.aio_freeproc);
  e.seq(s.taskq);
  e.u8(s.taskq_cur);
  for (std::size_t p = 0; p < program_.processes.size(); ++p) {
    const Proc& pr = s.procs[p];
    e.u8(pr.alive);
    e.u8(pr.exiting);
    e.u8(pr.has_aioinfo);
    e.u8(pr.p_mtx);
    e.u8(pr.kaio_flags);
    e.u8(pr.kaio_active_count);
    e.u8(pr.kaio_count);
    e.u8(pr.kaio_buffer_count);
    e.seq(pr.kaio_all);
    e.seq(pr.kaio_jobqueue);
    e.seq(pr.kaio_bufqueue);
    e.seq(pr.kaio_done);
    e.seq(pr.kaio_liojoblist);
    for (int fd = 0; fd < kMaxFds; ++fd) {
      e.u8(pr.fd_kind[fd]);
      e.u8(pr.fd_target[fd]);
    }
    const Process& prog = program_.processes[p];
    for (std::size_t n = 0; n < prog.kq_names.size(); ++n) e.u8(pr.kq_of_name[n]);
    for (std::size_t n = 0; n < prog.lio_names.size(); ++n) e.u8(pr.lio_of_name[n]);
    for (std::size_t n = 0; n < prog.sem_names.size(); ++n) e.u8(pr.sem[n]);
    for (std::size_t n = 0; n < prog.job_names.size(); ++n) {
      e.i32(pr.u_status[n]);
      e.i16(pr.u_error[n]);
    }
    e.seq(pr.sigpending);
  }
  for (int t = 0; t < nthreads_; ++t) {
    const ThreadSt& th = s.threads[t];
    e.u8(th.pc);
    e.u8(th.ph);
    e.u8(th.aq);
    e.u8(th.kr);
    e.u8(th.status);
    e.u8(th.wchan);
    e.u8(th.wid);
    e.u8(th.woken);
    e.u8(th.timedout);
    e.u8(th.timo);
    e.u8(th.pcatch);
    e.u8(th.exiter);
    e.u8(th.i);
    e.u8(th.nfail);
    e.u8(th.job);
    e.u8(th.lio);
    e.u8(th.kn);
    e.u8(th.kq);
    e.u8(th.scan_left);
    e.u8(th.flags);
    e.i16(th.err);
    e.i32(th.ret);
    e.seq(th.events);
  }
  for (int d = 0; d < ndaemons_; ++d) {
    const Daemon& dm = s.daemons[d];
    e.u8(dm.ph);
    if (dm.ph == AIOD_NONE) continue;
    e.u8(dm.aiop_free);
    e.u8(dm.job);
    e.u8(dm.vmspace);
    e.u8(dm.woken);
  }
  for (int d = 0; d < ndisks_; ++d) e.seq(s.disks[d].bios);
  for (const Job& j : s.jobs) {
    e.u8(j.live);
    if (!j.live) continue;
    e.u8(j.jobstate);
    e.u8(j.jobflags);
    e.u8(j.proc);
    e.u8(j.uaiocb);
    e.u8(j.lio);
    e.u8(j.obj);
    e.u8(j.op);
    e.u8(j.counted);
    e.u8(j.bufcounted);
    e.u8(j.qcounted);
    e.u8(j.freeing);
    e.u8(j.ksi_onq);
    e.u8(j.bp);
    e.u8(j.daemon);
    e.sigev(j.sigev);
    e.i32(j.offset);
    e.i32(j.nbytes);
    e.i32(j.status);
    e.i16(j.error);
    e.i16(j.io_error);
    e.seq(j.klist);
  }
  for (const Lio& l : s.lios) {
    e.u8(l.live);
    if (!l.live) continue;
    e.u8(l.proc);
    e.u8(l.name);
    e.u8(l.lioj_flags);
    e.u8(l.lioj_count);
    e.u8(l.lioj_finished_count);
    e.u8(l.ksi_onq);
    e.u8(l.notified);
    e.u8(l.hold);
    e.u8(l.submitting);
    e.u8(l.wanted);
    e.sigev(l.sigev);
    e.seq(l.klist);
  }
  for (const Kqueue& q : s.kqs) {
    e.u8(q.live);
    if (!q.live) continue;
    e.u8(q.proc);
    e.u8(q.fd);
    e.u8(q.kq_state);
    e.u8(q.kq_count);
    e.u8(q.owner);
    e.seq(q.knhash);
    e.seq(q.head);
  }
  for (const Knote& k : s.knotes) {
    e.u8(k.live);
    if (!k.live) continue;
    e.u8(k.kq);
    e.u8(k.filter);
    e.u8(k.status);
    e.u16(k.flags);
    e.u8(k.ident);
    e.u8(k.sdata);
    e.u8(k.sdata_stale);
    e.u8(k.knlist);
    e.u8(k.influx_owner);
    e.u8(k.dropped);
    e.i32(k.udata);
    e.i16(k.data);
  }
  return static_cast<std::size_t>(e.p - buf);
}

void Model::encode(const State& s, std::vector<std::uint8_t>& out) const {
  out.resize(kMaxEncoding);
  out.resize(encode_raw(s, out.data()));
}

std::uint64_t Model::digest(const State& s) const {
  thread_local std::array<std::uint8_t, kMaxEncoding> buf;
  std::size_t n = encode_raw(s, buf.data());
  return XXH64(buf.data(), n, 0);
}

}  // namespace aiomc::model
