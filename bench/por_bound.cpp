// aiomc_por_bound SCENARIO: how much a partial-order reduction over the model's step
// footprints could remove from a scenario's state space (variant fixed; bench/README.md,
// "Partial-order reduction: what the footprints allow"). Measurement only: the model
// and checker are not changed.
//
// Each step's footprint is what Model::step_in_place's access log says it touched
// (reads and writes, entry by entry and global field by field) and what
// written_objects says it changed. Two steps are independent when neither writes
// what the other touches. The search is a breadth-first one over exact encodings that
// expands, in each state, the enabled steps of one actor only (an ample set) when
// that actor qualifies, and every enabled step otherwise:
//   static   the actor's steps are independent of everything each other actor
//            touches or writes anywhere in the full state space (its footprint over
//            the whole run): a sound choice for single-actor ample sets, given the
//            step invariants are invisible (not checked here)
//   current  the actor's steps are independent of the other actors' steps enabled
//            in this state only. Every persistent set passes this test (each enabled
//            step outside it is a path of length one), so no single-actor POR can
//            choose in a state an actor this rejects: an optimistic estimate, not a
//            sound reduction (it ignores what the others do next)
// with the breadth-first cycle proviso (expand fully when an ample successor is
// already known at this depth or less: then every cycle of the reduced graph holds a
// fully expanded state) and, for comparison, without it (which is sound only when the
// state graph is acyclic; the tool says whether it is).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/tool_main.hpp"
#include "model/model.hpp"
#include "model/step_footprint.hpp"

using namespace aiomc;
using model::AccessLog;

namespace {

bool meets(const AccessLog& a, const AccessLog& b) {
  for (int k = 0; k < model::kObjKinds; ++k)
    if (a.objs[static_cast<std::size_t>(k)] & b.objs[static_cast<std::size_t>(k)]) return true;
  return (a.globals & b.globals) != 0;
}

void add(AccessLog& into, const AccessLog& x) {
  for (int k = 0; k < model::kObjKinds; ++k) into.objs[static_cast<std::size_t>(k)] |= x.objs[static_cast<std::size_t>(k)];
  into.globals |= x.globals;
}

struct Move {
  int actor;
  AccessLog touched, written;
  model::State next;
};

// The enabled steps of s with their footprints and successors.
void moves(const model::Model& m, const model::State& s, std::vector<model::StepRef>& cands, std::vector<Move>& out) {
  out.clear();
  m.candidate_steps(s, cands);
  model::State w = s;
  for (const model::StepRef& c : cands) {
    model::InvSet v;
    AccessLog log;
    if (m.step_in_place(w, c, &v, log)) out.push_back({c.actor, log, model::written_objects(s, w), w});
    m.undo_step(w, s, log);
  }
}

std::string enc(const model::Model& m, const model::State& s) {
  std::vector<std::uint8_t> buf;
  m.encode(s, buf);
  return std::string(buf.begin(), buf.end());
}

struct Full {
  std::size_t states = 0, transitions = 0;
  bool acyclic = false;
  std::vector<AccessLog> touched, written;  // per actor, over the whole run
};

Full explore_full(const model::Model& m) {
  Full f;
  f.touched.resize(static_cast<std::size_t>(m.actor_count()));
  f.written.resize(static_cast<std::size_t>(m.actor_count()));
  std::unordered_map<std::string, std::uint32_t> id;
  std::vector<std::vector<std::uint32_t>> adj;
  std::deque<model::State> queue{m.initial()};
  id.emplace(enc(m, queue.front()), 0);
  adj.emplace_back();
  std::vector<model::StepRef> cands;
  std::vector<Move> mv;
  for (std::uint32_t at = 0; !queue.empty(); ++at) {
    const model::State s = std::move(queue.front());
    queue.pop_front();
    moves(m, s, cands, mv);
    for (const Move& x : mv) {
      add(f.touched[static_cast<std::size_t>(x.actor)], x.touched);
      add(f.written[static_cast<std::size_t>(x.actor)], x.written);
      auto [it, fresh] = id.emplace(enc(m, x.next), static_cast<std::uint32_t>(id.size()));
      if (fresh) {
        adj.emplace_back();
        queue.push_back(x.next);
      }
      adj[at].push_back(it->second);
      ++f.transitions;
    }
  }
  f.states = id.size();
  // Kahn's algorithm: the graph is acyclic iff every state gets sorted.
  std::vector<std::uint32_t> indeg(adj.size()), ready;
  for (const auto& out : adj)
    for (std::uint32_t c : out) ++indeg[c];
  for (std::uint32_t i = 0; i < adj.size(); ++i)
    if (indeg[i] == 0) ready.push_back(i);
  std::size_t sorted = 0;
  while (!ready.empty()) {
    const std::uint32_t x = ready.back();
    ready.pop_back();
    ++sorted;
    for (std::uint32_t c : adj[x])
      if (--indeg[c] == 0) ready.push_back(c);
  }
  f.acyclic = sorted == adj.size();
  return f;
}

enum class Test { static_footprints, current_moves };

struct Reduced {
  std::size_t states = 0, transitions = 0, ample_states = 0;
};

Reduced explore_reduced(const model::Model& m, const Full& full, Test test, bool proviso) {
  Reduced r;
  std::unordered_map<std::string, int> depth;
  std::deque<model::State> queue{m.initial()};
  depth.emplace(enc(m, queue.front()), 0);
  std::vector<model::StepRef> cands;
  std::vector<Move> mv;
  std::vector<std::string> keys;
  while (!queue.empty()) {
    const model::State s = std::move(queue.front());
    queue.pop_front();
    const int d = depth.at(enc(m, s));
    moves(m, s, cands, mv);
    keys.clear();
    for (const Move& x : mv) keys.push_back(enc(m, x.next));
    // The actors with an enabled step, in the order of their first step.
    std::vector<int> actors;
    for (const Move& x : mv)
      if (std::find(actors.begin(), actors.end(), x.actor) == actors.end()) actors.push_back(x.actor);
    int chosen = -1;
    // Ample sets are proper subsets: with one actor enabled there is nothing to choose.
    for (std::size_t ai = 0; actors.size() > 1 && chosen < 0 && ai < actors.size(); ++ai) {
      const int a = actors[ai];
      bool ok = true;
      for (std::size_t i = 0; ok && i < mv.size(); ++i) {
        if (mv[i].actor != a) continue;
        if (test == Test::static_footprints) {
          for (int b = 0; ok && b < m.actor_count(); ++b)
            if (b != a && (meets(mv[i].written, full.touched[static_cast<std::size_t>(b)]) ||
                           meets(full.written[static_cast<std::size_t>(b)], mv[i].touched)))
              ok = false;
        } else {
          for (const Move& o : mv)
            if (o.actor != a && (meets(mv[i].written, o.touched) || meets(o.written, mv[i].touched))) ok = false;
        }
        if (ok && proviso) {
          auto it = depth.find(keys[i]);
          if (it != depth.end() && it->second <= d) ok = false;
        }
      }
      if (ok) chosen = a;
    }
    if (chosen >= 0) ++r.ample_states;
    for (std::size_t i = 0; i < mv.size(); ++i) {
      if (chosen >= 0 && mv[i].actor != chosen) continue;
      ++r.transitions;
      if (depth.emplace(keys[i], d + 1).second) queue.push_back(mv[i].next);
    }
  }
  r.states = depth.size();
  return r;
}

}  // namespace

// The measurement of the scenario at `path`.
static int measure(const model::Model& m, const char* path) {
  const auto t0 = std::chrono::steady_clock::now();
  const Full full = explore_full(m);
  std::printf("%s: full %zu states, %zu transitions, state graph %s\n", path, full.states, full.transitions,
              full.acyclic ? "acyclic" : "has cycles");
  for (Test t : {Test::static_footprints, Test::current_moves})
    for (bool proviso : {true, false}) {
      const Reduced r = explore_reduced(m, full, t, proviso);
      std::printf("  %-7s %-12s %9zu states (%.2fx fewer), %9zu transitions, ample in %zu states\n",
                  t == Test::static_footprints ? "static" : "current", proviso ? "proviso" : "no proviso", r.states,
                  static_cast<double>(full.states) / static_cast<double>(r.states), r.transitions, r.ample_states);
    }
  std::printf("  %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}

int main(int argc, char** argv) { return bench::tool_main(argc, argv, "aiomc_por_bound", measure); }
