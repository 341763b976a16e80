// aiomc_quotient SCENARIO: how many of a scenario's states (variant fixed) come from
// distinctions SPIN's model does not make (bench/README.md, "Reconciliation").
// A plain BFS over Model::successors with exact encodings (no digests), then counts:
//   raw        every reachable state (= `aiomc check --exact`, fixed variant)
//   no-suword  states in which no thread stands between aio_free_entry and
//              aio_return's suword step (what folding that step would leave: the
//              suword step needs no lock and nothing else reads what it writes, so
//              it commutes with every other step)
//   jobs-canon states up to renaming the job slots (slot = rank of (proc, aiocb));
//              the kernel's aiocblist address is not observable, SPIN names jobs
//              statically
//   both       the two together
// It also counts states inside aio_init_aioinfo (test taken, install not yet).
// Measurement only: the model and checker are not changed. Memory: all encodings.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "loader/scenario.hpp"
#include "model/model.hpp"

using namespace aiomc;
using model::kNone;

namespace {

std::uint8_t map_job(const std::array<std::uint8_t, model::kMaxJobs>& perm, std::uint8_t j) {
  if (j == kNone) return j;
  if (j & model::kCalloutStale) return static_cast<std::uint8_t>(model::kCalloutStale | perm[j & 0x7F]);
  return perm[j];
}

template <class V>
void map_vec(const std::array<std::uint8_t, model::kMaxJobs>& perm, V& v) {
  for (auto& x : v) x = map_job(perm, x);
}

// Renumber the job slots by (live, proc, uaiocb) and rewrite every job reference.
model::State canon_jobs(const model::State& s) {
  std::array<int, model::kMaxJobs> order{};
  for (int i = 0; i < model::kMaxJobs; ++i) order[static_cast<std::size_t>(i)] = i;
  auto key = [&](int i) {
    const model::Job& j = s.jobs[static_cast<std::size_t>(i)];
    return j.live ? (j.proc << 8 | j.uaiocb) : (0x10000 + i);
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
  std::array<std::uint8_t, model::kMaxJobs> perm{};  // old slot -> new slot
  for (int n = 0; n < model::kMaxJobs; ++n) perm[static_cast<std::size_t>(order[static_cast<std::size_t>(n)])] = static_cast<std::uint8_t>(n);
  model::State t = s;
  for (int n = 0; n < model::kMaxJobs; ++n) t.jobs[static_cast<std::size_t>(n)] = s.jobs[static_cast<std::size_t>(order[static_cast<std::size_t>(n)])];
  for (auto& p : t.procs) {
    map_vec(perm, p.kaio_all);
    map_vec(perm, p.kaio_jobqueue);
    map_vec(perm, p.kaio_bufqueue);
    map_vec(perm, p.kaio_done);
    for (auto& ps : p.sigpending)
      if (ps.src_kind == 1) ps.src = map_job(perm, ps.src);
  }
  map_vec(perm, t.aio_jobs);
  map_vec(perm, t.taskq);
  t.taskq_cur = map_job(perm, t.taskq_cur);
  map_vec(perm, t.callout);
  for (auto& d : t.daemons) d.job = map_job(perm, d.job);
  for (auto& d : t.disks) map_vec(perm, d.bios);
  for (auto& th : t.threads) th.job = map_job(perm, th.job);
  for (auto& k : t.knotes)
    if (k.live && k.filter == model::kFilterAio) {
      k.sdata = map_job(perm, k.sdata);
      k.knlist = map_job(perm, k.knlist);
    }
  for (auto& so : t.socks) map_vec(perm, so.so_aiojobq);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: aiomc_quotient SCENARIO\n");
    return 2;
  }
  auto loaded = loader::load_scenario_file(argv[1]);
  if (auto* e = std::get_if<loader::LoadError>(&loaded)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    return 2;
  }
  const loader::Scenario& sc = std::get<loader::Scenario>(loaded);
  model::Model m(sc.program, sc.config);
  auto t0 = std::chrono::steady_clock::now();

  std::unordered_set<std::string> seen, nosuword, canon, both;
  std::uint64_t in_init = 0, transitions = 0;
  std::deque<model::State> frontier;
  std::vector<std::uint8_t> buf;
  auto enc = [&](const model::State& s) {
    buf.clear();
    m.encode(s, buf);
    return std::string(buf.begin(), buf.end());
  };
  model::State s0 = m.initial();
  seen.insert(enc(s0));
  frontier.push_back(s0);
  std::vector<model::Successor> succ;
  while (!frontier.empty()) {
    model::State s = std::move(frontier.front());
    frontier.pop_front();
    succ.clear();
    m.successors(s, succ);
    bool mid_suword = false, mid_init = false;
    for (const auto& x : succ) {
      if (x.step.actor < m.thread_count() && x.step.kind == model::StepKind::run) {
        model::State c = s;
        model::StepInfo info;
        model::InvSet v;
        m.apply(c, x.step, &v, &info);
        if (info.action == "aio_return:suword") mid_suword = true;
        if (info.action == "aio_init_aioinfo:install") mid_init = true;
      }
    }
    if (mid_init) ++in_init;
    std::string ce = enc(canon_jobs(s));
    canon.insert(ce);
    if (!mid_suword) {
      nosuword.insert(enc(s));
      both.insert(ce);
    }
    for (auto& x : succ) {
      ++transitions;
      if (seen.insert(enc(x.next)).second) frontier.push_back(std::move(x.next));
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%s: raw %zu states (%llu transitions), no-suword %zu, jobs-canon %zu, both %zu; "
              "inside aio_init_aioinfo %llu; %.1f s\n",
              argv[1], seen.size(), static_cast<unsigned long long>(transitions), nosuword.size(),
              canon.size(), both.size(), static_cast<unsigned long long>(in_init), secs);
  return 0;
}
