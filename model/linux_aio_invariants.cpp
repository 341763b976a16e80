// linux-ctx-ring and linux-ctx-list (every state) and linux-reap-once's leak half
// (terminal states), S25. The event halves (linux-error-sign, linux-enosys, a double
// reap) are checked where the emulation acts, in linux_aio_syscalls.cpp.
#include "model/state_invariants.hpp"

#include <string>

namespace aiomc::model {

namespace {

// LX-LIST: linux_aio_context_list holds each live context that neither its
// io_destroy nor the exit handler has taken off, once, and nothing else. Only an
// unlocked SLIST_REMOVE (F28) can break it: a context lost from the list can no
// longer be found (EINVAL) nor freed at exit; a freed one left on it is walked by
// every later lookup.
void check_linux_list(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages) {
  auto describe = [&](std::uint8_t c) {
    const LinuxCtx& x = s.lx.ctx[c];
    return "context " + std::to_string(x.ring) +
           (x.proc < m.program().processes.size() ? " of " + m.program().processes[x.proc].name : std::string());
  };
  auto report = [&](std::string msg) {
    v->add(Inv::linux_ctx_list);
    if (messages) messages->push_back({Inv::linux_ctx_list, std::move(msg)});
  };
  for (int i = 0; i < s.lx.list.size(); ++i) {
    const std::uint8_t c = s.lx.list[i];
    AIOMC_ASSERT(c < kMaxCtxs);
    const LinuxCtx& x = s.lx.ctx[c];
    const char* what = !x.live ? "is freed but still on linux_aio_context_list"
                       : x.unlinked ? "was taken off linux_aio_context_list by io_destroy but is still on it"
                       : s.lx.list.find(c) != i ? "is on linux_aio_context_list twice"
                                                : nullptr;
    if (!what) continue;
    report(!x.live ? "ctx#" + std::to_string(c) + " " + what : describe(c) + " " + what);
    if (!messages) return;
  }
  for (int c = 0; c < kMaxCtxs; ++c) {
    const LinuxCtx& x = s.lx.ctx[c];
    if (!x.live || x.unlinked || s.lx.list.contains(static_cast<std::uint8_t>(c))) continue;
    report(describe(static_cast<std::uint8_t>(c)) + " is live but lost from linux_aio_context_list");
    if (!messages) return;
  }
}

}  // namespace

void check_linux_invariants(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages) {
  check_linux_list(m, s, v, messages);
  for (int c = 0; c < kMaxCtxs; ++c) {
    const LinuxCtx& x = s.lx.ctx[c];
    if (!x.live || x.unlinked) continue;
    // LX-CTX: the id is the address of a readable ring header, magic set, head != tail
    // (so libaio's zero-timeout poll always enters the kernel).
    const LinuxRing* r = x.ring >= 1 && x.ring <= kMaxRings ? &s.lx.rings[x.proc][x.ring - 1] : nullptr;
    const char* what = !r || !r->mapped           ? "is not mapped"
                       : r->magic != kLinuxAioRingMagic ? "has no AIO_RING_MAGIC"
                       : r->head == r->tail       ? "has head == tail"
                                                  : nullptr;
    if (!what) continue;
    if (v->has(Inv::linux_ctx_ring) && !messages) return;
    v->add(Inv::linux_ctx_ring);
    if (messages)
      messages->push_back({Inv::linux_ctx_ring, "context " + std::to_string(x.ring) + " of " +
                                                    m.program().processes[x.proc].name + ": its ring " + what});
  }
}

void check_linux_quiescent(const Model& m, const State& s, InvSet* v, std::vector<Violation>* messages) {
  // LX-OWN: a native job made by io_submit that no context's request refers to can
  // never be reaped by the emulation: it sits on the native queues until exit.
  for (int j = 0; j < kMaxJobs; ++j) {
    const Job& job = s.jobs[j];
    if (!job.live || job.proc.is_none() || !s.procs[job.proc].alive) continue;
    int iocb = m.clone_iocb(job.proc.index(), job.uaiocb);
    if (iocb < 0) continue;
    bool held = false;
    for (const LinuxCtx& x : s.lx.ctx)
      if (x.live && x.proc == job.proc.raw())
        for (const LinuxReq& r : x.reqs) held = held || r.clone == job.uaiocb;
    if (held) continue;
    v->add(Inv::linux_reap_once);
    if (messages) {
      const Process& pr = m.program().processes[job.proc.uindex()];
      messages->push_back({Inv::linux_reap_once, "native job of " + pr.job_names[job.uaiocb] + " (Linux iocb " +
                                                     pr.job_names[static_cast<std::size_t>(iocb)] +
                                                     ") is never reaped: no context request refers to it"});
    }
    return;
  }
}

}  // namespace aiomc::model
