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
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench/tool_main.hpp"
#include "model/model.hpp"

using namespace aiomc;

namespace {

// The job-slot symmetry of the checker's reductions (Model::canonical_jobs): slots
// renumbered by (process, aiocb name), every job reference rewritten.
model::State canon_jobs(const model::Model& m, const model::State& s) {
  model::State t = s;
  m.canonical_jobs(s, t);
  return t;
}

}  // namespace

// The measurement of the scenario at `path`.
static int measure(const model::Model& m, const char* path) {
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
    std::string ce = enc(canon_jobs(m, s));
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
              path, seen.size(), static_cast<unsigned long long>(transitions), nosuword.size(),
              canon.size(), both.size(), static_cast<unsigned long long>(in_init), secs);
  return 0;
}

int main(int argc, char** argv) { return bench::tool_main(argc, argv, "aiomc_quotient", measure); }
