// The Model's side of the Linux AIO emulation: whether a scenario uses it, and the
// clone aiocb names (§D.2: each request's FreeBSD aiocb lives in the process's own
// memory, at an address of its own, beside the user's Linux iocb).
#include <cstdio>

#include "model/model.hpp"

namespace aiomc::model {

void Model::linux_setup() {
  for (const Process& p : program_.processes)
    for (const Thread& t : p.threads)
      for (const Op& op : t.ops) {
        bool io = op.kind == OpKind::io_setup || op.kind == OpKind::io_submit || op.kind == OpKind::io_getevents ||
                  op.kind == OpKind::io_cancel || op.kind == OpKind::io_destroy;
        bool kld = (op.kind == OpKind::kldload || op.kind == OpKind::kldunload) && op.module == "linuxaio";
        linux_ = linux_ || io || kld;
      }
  clone_of_.assign(program_.processes.size(), {});
  clone_base_.clear();
  for (std::size_t p = 0; p < program_.processes.size(); ++p) {
    Process& pr = program_.processes[p];
    clone_of_[p].assign(pr.job_names.size(), -1);
    clone_base_.push_back(static_cast<int>(pr.job_names.size()));
    std::vector<int> iocbs;
    for (const Thread& t : pr.threads)
      for (const Op& op : t.ops)
        if (op.kind == OpKind::io_submit)
          for (const LioEntry& e : op.list) iocbs.push_back(e.job);
    for (int iocb : iocbs) {
      if (iocb < 0 || clone_of_[p][static_cast<std::size_t>(iocb)] >= 0) continue;
      clone_of_[p][static_cast<std::size_t>(iocb)] = static_cast<int>(pr.job_names.size());
      pr.job_names.push_back("clone(" + pr.job_names[static_cast<std::size_t>(iocb)] + ")");
    }
  }
}

int Model::clone_name(int p, int iocb) const {
  const auto& v = clone_of_[static_cast<std::size_t>(p)];
  return iocb >= 0 && static_cast<std::size_t>(iocb) < v.size() ? v[static_cast<std::size_t>(iocb)] : -1;
}

int Model::clone_iocb(int p, int name) const {
  const auto& v = clone_of_[static_cast<std::size_t>(p)];
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace aiomc::model

namespace aiomc::model {

void Model::describe_linux(const State& s, std::vector<std::string>& out) const {
  auto add = [&](const std::string& k, const std::string& v) { out.push_back(k + " = " + v); };
  if (s.linuxaio_loaded != 1) add("linuxaio", "not loaded");
  if (s.lx.linked) add("linuxaio.linked", "aio");
  if (s.lx.list_mtx != kNone) add("linux_aio_context_list_mtx", actor_name(s.lx.list_mtx));
  std::string l = "[";
  for (int i = 0; i < s.lx.list.size(); ++i) l += (i ? " ctx#" : "ctx#") + std::to_string(s.lx.list[i]);
  add("linux_aio_context_list", l + "]");
  for (int c = 0; c < kMaxCtxs; ++c) {
    const LinuxCtx& x = s.lx.ctx[c];
    if (!x.live) continue;
    const Process& pr = program_.processes[x.proc];
    std::string v = "id " + std::to_string(x.ring) + " pid " + pr.name + " nreq " + std::to_string(x.nreq_cur) + "/" +
                    std::to_string(x.nreq_max) + " sx " + (x.sx_owner == kNone ? "free" : actor_name(x.sx_owner));
    if (x.refs) v += " refs " + std::to_string(x.refs);
    if (x.unlinked) v += " UNLINKED";
    v += " requests [";
    for (int i = 0; i < x.reqs.size(); ++i)
      v += (i ? ", " : "") + pr.job_names[x.reqs[i].iocb] + " -> " + pr.job_names[x.reqs[i].clone];
    add("ctx#" + std::to_string(c), v + "]");
  }
  for (std::size_t p = 0; p < program_.processes.size(); ++p)
    for (int r = 0; r < kMaxRings; ++r) {
      const LinuxRing& ring = s.lx.rings[p][static_cast<std::size_t>(r)];
      if (!ring.mapped) continue;
      char magic[16];
      std::snprintf(magic, sizeof magic, "%08x", ring.magic);
      add(program_.processes[p].name + ".ring@" + std::to_string(r + 1),
          "id " + std::to_string(ring.id) + " nr " + std::to_string(ring.nr) + " head " + std::to_string(ring.head) +
              " tail " + std::to_string(ring.tail) + " magic 0x" + magic);
    }
}

}  // namespace aiomc::model
