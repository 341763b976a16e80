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
//   commuting  as current, with independence judged by running the steps rather than
//            by footprints: each of the actor's enabled steps and each other actor's
//            enabled step stay enabled after one another and reach the same state in
//            either order. No footprint, however fine (kaioinfo split by field and
//            queue, counter updates declared commuting: S25), can call two steps
//            independent that this calls dependent, so it bounds what finer
//            footprints could give a single-actor POR
//   persistent  the actor's enabled steps form a persistent set, decided exactly
//            over the full state graph with `commuting`'s independence: along every
//            path from the state that takes only other actors' steps, each step
//            commutes with each of the actor's steps where it is taken and leaves the
//            actor's enabled steps as they were (computed backwards over the acyclic
//            graph). This is what a sound single-actor POR with perfect knowledge of
//            independence could choose; the invariants' visibility is not required,
//            which flatters it
//   instances, future  a static dependence relation, as a practical POR would use:
//            between step instances (a step and the entries it touched, so which
//            job, process or knote), the pairs of different actors' instances that
//            fail to commute in some state where both are enabled (the best relation
//            that does not look at the state); A's enabled steps qualify when none
//            depends on an instance another actor can still take: any it takes in the
//            whole run (`instances`: fully static), or any on a path from the state
//            (`future`: as if an analysis of the actors' programs bounded their
//            futures exactly). The relation is learnt here from the full graph; a
//            checker would need it beforehand, from footprints fine enough to match it
// with the breadth-first cycle proviso (expand fully when an ample successor is
// already known at this depth or less: then every cycle of the reduced graph holds a
// fully expanded state) and, for comparison, without it (which is sound only when the
// state graph is acyclic; the tool says whether it is).
//
// aiomc_por_bound SCENARIO [all|sleep|blockers]: every row (all, the default); or
// only how many steps sleep sets leave to run (sleep: the same states, fewer
// transitions run; bench/README.md, "Sleep sets, measured and dropped"); or which
// objects' conflicts block the static test (blockers: the static test counting the
// conflicts of one object kind or global field only; bench/README.md, "What blocks a
// static POR").
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bench/tool_main.hpp"
#include "model/model.hpp"
#include "model/step_footprint.hpp"

using namespace aiomc;
using model::AccessLog;

namespace {

void add(AccessLog& into, const AccessLog& x) {
  for (int k = 0; k < model::kObjKinds; ++k) into.objs[static_cast<std::size_t>(k)] |= x.objs[static_cast<std::size_t>(k)];
  into.globals |= x.globals;
}

void remove(AccessLog& from, const AccessLog& x) {
  for (int k = 0; k < model::kObjKinds; ++k) from.objs[static_cast<std::size_t>(k)] &= ~x.objs[static_cast<std::size_t>(k)];
  from.globals &= ~x.globals;
}

struct Move {
  int actor;
  model::StepRef step;
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
    if (m.step_in_place(w, c, &v, log)) out.push_back({c.actor, c, log.all(), model::written_objects(s, w), w});
    m.undo_step(w, s, log);
  }
}

std::string enc(const model::Model& m, const model::State& s) {
  std::vector<std::uint8_t> buf;
  m.encode(s, buf);
  return std::string(buf.begin(), buf.end());
}

struct Edge {
  model::StepRef step;
  std::uint32_t to;
  std::uint32_t key;  // the step instance: its step and what it touched (Full::keys)
};

struct Full {
  std::size_t states = 0, transitions = 0;
  bool acyclic = false;
  std::vector<AccessLog> touched, written;  // per actor, over the whole run
  // The same over the steps that do not touch jm_owner; and the states where an actor
  // other than jm_owner's holder has an enabled step that touches it (0: every such
  // step needs the lock, which the lock-aware static test assumes).
  std::vector<AccessLog> touched_unlocked, written_unlocked;
  std::size_t lock_exceptions = 0;
  std::vector<std::string> encodings;       // by state id (BFS order)
  std::vector<std::vector<Edge>> out;       // enabled steps, in candidate order
  std::vector<std::uint32_t> topo;          // a topological order (when acyclic)
  std::vector<int> key_actor;               // step instances: their actor, by key
};

Full explore_full(const model::Model& m) {
  Full f;
  f.touched.resize(static_cast<std::size_t>(m.actor_count()));
  f.touched_unlocked.resize(static_cast<std::size_t>(m.actor_count()));
  f.written_unlocked.resize(static_cast<std::size_t>(m.actor_count()));
  f.written.resize(static_cast<std::size_t>(m.actor_count()));
  std::unordered_map<std::string, std::uint32_t> id;
  std::deque<model::State> queue{m.initial()};
  id.emplace(enc(m, queue.front()), 0);
  f.encodings.push_back(enc(m, queue.front()));
  f.out.emplace_back();
  std::vector<model::StepRef> cands;
  std::vector<Move> mv;
  std::unordered_map<std::string, std::uint32_t> key_of;  // step instance -> key
  auto instance = [&](const Move& x) {
    std::string k(reinterpret_cast<const char*>(&x.step), sizeof(x.step));
    k.append(reinterpret_cast<const char*>(&x.touched), sizeof(x.touched));
    auto [it, fresh] = key_of.emplace(k, static_cast<std::uint32_t>(key_of.size()));
    if (fresh) f.key_actor.push_back(x.actor);
    return it->second;
  };
  for (std::uint32_t at = 0; !queue.empty(); ++at) {
    const model::State s = std::move(queue.front());
    queue.pop_front();
    moves(m, s, cands, mv);
    for (const Move& x : mv) {
      add(f.touched[static_cast<std::size_t>(x.actor)], x.touched);
      if (!(x.touched.globals & model::G_JM_OWNER)) {
        add(f.touched_unlocked[static_cast<std::size_t>(x.actor)], x.touched);
        add(f.written_unlocked[static_cast<std::size_t>(x.actor)], x.written);
      } else if (s.jm_owner != model::kNone && s.jm_owner != x.actor) {
        ++f.lock_exceptions;
      }
      add(f.written[static_cast<std::size_t>(x.actor)], x.written);
      std::string key = enc(m, x.next);
      auto [it, fresh] = id.emplace(key, static_cast<std::uint32_t>(id.size()));
      if (fresh) {
        f.out.emplace_back();
        f.encodings.push_back(std::move(key));
        queue.push_back(x.next);
      }
      f.out[at].push_back({x.step, it->second, instance(x)});
      ++f.transitions;
    }
  }
  f.states = id.size();
  // Kahn's algorithm: the graph is acyclic iff every state gets sorted.
  std::vector<std::uint32_t> indeg(f.out.size()), ready;
  for (const auto& out : f.out)
    for (const Edge& e : out) ++indeg[e.to];
  for (std::uint32_t i = 0; i < f.out.size(); ++i)
    if (indeg[i] == 0) ready.push_back(i);
  std::size_t sorted = 0;
  while (!ready.empty()) {
    const std::uint32_t x = ready.back();
    ready.pop_back();
    ++sorted;
    f.topo.push_back(x);
    for (const Edge& e : f.out[x])
      if (--indeg[e.to] == 0) ready.push_back(e.to);
  }
  f.acyclic = sorted == f.out.size();
  return f;
}

enum class Test { static_footprints, current_moves, commuting };

struct Reduced {
  std::size_t states = 0, transitions = 0, ample_states = 0;
  std::vector<std::uint32_t> reached;  // explore_persistent: the states reached (ids)
};

// `ignore`: objects and global fields whose conflicts the static test overlooks (the
// blocker analysis: what finer footprints of them could give; not sound).
// `lock_aware`: where actor A holds aio_job_mtx, the other actors' steps that touch
// jm_owner cannot run before A moves (each of them needs the lock: Full checks it), so
// the static test compares A's steps with the others' other steps only.
Reduced explore_reduced(const model::Model& m, const Full& full, Test test, bool proviso, const AccessLog& ignore = {},
                        bool lock_aware = false) {
  // The other actors' footprints over the run, less what the static test overlooks.
  auto less_ignored = [&](std::vector<AccessLog> v) {
    for (AccessLog& x : v) remove(x, ignore);
    return v;
  };
  const std::vector<AccessLog> touched = less_ignored(full.touched), written = less_ignored(full.written),
                               touched_unlocked = less_ignored(full.touched_unlocked),
                               written_unlocked = less_ignored(full.written_unlocked);
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
          const bool held = lock_aware && s.jm_owner == a;
          const auto& others_touched = held ? touched_unlocked : touched;
          const auto& others_written = held ? written_unlocked : written;
          for (int b = 0; ok && b < m.actor_count(); ++b)
            if (b != a && (mv[i].written.meets(others_touched[static_cast<std::size_t>(b)]) ||
                           others_written[static_cast<std::size_t>(b)].meets(mv[i].touched)))
              ok = false;
        } else if (test == Test::current_moves) {
          for (const Move& o : mv)
            if (o.actor != a && (mv[i].written.meets(o.touched) || o.written.meets(mv[i].touched))) ok = false;
        } else {
          for (const Move& o : mv)
            if (ok && o.actor != a && !model::steps_commute(m, s, mv[i].step, o.step)) ok = false;
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

// Sleep sets (Godefroid) over footprint independence judged in the current state,
// breadth first: a state's sleep set is the intersection of those its incoming edges
// from the previous level bring, final before the state is expanded; a sleeping step
// keeps the footprint it had where it was last run (it stays valid while every step
// taken is independent of it). Every state is still reached, at its depth; the count
// of steps run is what it saves.
struct SleepResult {
  std::size_t states = 0, executed = 0;
};
SleepResult explore_sleep(const model::Model& m) {
  struct Sleeper {
    model::StepRef step;
    AccessLog touched, written;
  };
  struct Node {
    model::State s;
    std::vector<Sleeper> sleep;
  };
  SleepResult r;
  std::unordered_set<std::string> seen{enc(m, m.initial())};
  std::vector<Node> level{{m.initial(), {}}};
  std::vector<model::StepRef> cands;
  std::vector<Move> mv;
  while (!level.empty()) {
    std::vector<Node> next;
    std::unordered_map<std::string, std::size_t> in_next;
    for (const Node& n : level) {
      moves(m, n.s, cands, mv);
      std::vector<Sleeper> done;  // steps taken here so far
      for (const Move& x : mv) {
        bool asleep = false;
        for (const Sleeper& z : n.sleep) asleep = asleep || z.step == x.step;
        if (asleep) continue;
        ++r.executed;
        std::vector<Sleeper> carry;
        auto keep_if_independent = [&](const Sleeper& z) {
          if (z.step.actor != x.actor && !z.written.meets(x.touched) && !x.written.meets(z.touched)) carry.push_back(z);
        };
        std::for_each(n.sleep.begin(), n.sleep.end(), keep_if_independent);
        std::for_each(done.begin(), done.end(), keep_if_independent);
        done.push_back({x.step, x.touched, x.written});
        std::string key = enc(m, x.next);
        if (auto it = in_next.find(key); it != in_next.end()) {
          std::vector<Sleeper>& have = next[it->second].sleep;
          std::erase_if(have, [&](const Sleeper& z) {
            return std::none_of(carry.begin(), carry.end(), [&](const Sleeper& c) { return c.step == z.step; });
          });
          continue;
        }
        if (!seen.insert(key).second) continue;
        in_next.emplace(std::move(key), next.size());
        next.push_back({x.next, std::move(carry)});
      }
    }
    r.states += level.size();
    level = std::move(next);
  }
  return r;
}

// persistent[s] bit A: actor A's enabled steps at s are a persistent set (see the
// header), decided from the successors' bits in reverse topological order.
std::vector<std::uint32_t> persistent_sets(const model::Model& m, const Full& f) {
  AIOMC_ASSERT(f.acyclic && m.actor_count() <= 32);
  std::vector<std::uint32_t> bits(f.states, 0);
  auto steps_of = [&](std::uint32_t s, int a) {
    std::vector<model::StepRef> v;
    for (const Edge& e : f.out[s])
      if (e.step.actor == a) v.push_back(e.step);
    return v;
  };
  for (auto it = f.topo.rbegin(); it != f.topo.rend(); ++it) {
    const std::uint32_t s = *it;
    const std::string& e = f.encodings[s];
    const model::State st = m.decode(reinterpret_cast<const std::uint8_t*>(e.data()), e.size());
    for (int a = 0; a < m.actor_count(); ++a) {
      const std::vector<model::StepRef> mine = steps_of(s, a);
      if (mine.empty()) continue;
      bool ok = true;
      for (const Edge& b : f.out[s]) {
        if (!ok) break;
        if (b.step.actor == a) continue;
        ok = (bits[b.to] >> a & 1u) && steps_of(b.to, a) == mine;
        for (const model::StepRef& x : mine) ok = ok && model::steps_commute(m, st, x, b.step);
      }
      if (ok) bits[s] |= 1u << a;
    }
  }
  return bits;
}

// A set of step instances, one bit each.
struct KeySet {
  std::vector<std::uint64_t> w;
  explicit KeySet(std::size_t n = 0) : w((n + 63) / 64, 0) {}
  void set(std::uint32_t k) { w[k / 64] |= std::uint64_t{1} << (k % 64); }
  bool has(std::uint32_t k) const { return (w[k / 64] >> (k % 64)) & 1u; }
  void add(const KeySet& o) {
    for (std::size_t i = 0; i < w.size(); ++i) w[i] |= o.w[i];
  }
  bool meets(const KeySet& o) const {
    for (std::size_t i = 0; i < w.size(); ++i)
      if (w[i] & o.w[i]) return true;
    return false;
  }
};

// Ample sets a practical POR could choose: a static dependence relation between step
// instances (a step and what it touched: which job, process, knote...), the pairs of
// different actors' instances that fail to commute in some state where both are
// enabled (the best state-independent relation), and each other actor's future
// instances, known exactly (`future`: the instances on every path from the state, as
// a precise analysis of the actors' programs could bound them) or only per actor over
// the whole run (`whole run`). A's enabled steps qualify when none of them depends on
// a future instance of another actor.
std::vector<std::uint32_t> static_dependence_sets(const model::Model& m, const Full& f, bool whole_run) {
  const std::size_t nk = f.key_actor.size();
  std::vector<KeySet> dep(nk, KeySet(nk));
  for (std::uint32_t s = 0; s < f.states; ++s) {
    const std::string& e = f.encodings[s];
    const model::State st = m.decode(reinterpret_cast<const std::uint8_t*>(e.data()), e.size());
    for (std::size_t i = 0; i < f.out[s].size(); ++i)
      for (std::size_t j = i + 1; j < f.out[s].size(); ++j) {
        const Edge& a = f.out[s][i];
        const Edge& b = f.out[s][j];
        if (a.step.actor == b.step.actor || (dep[a.key].has(b.key))) continue;
        if (!model::steps_commute(m, st, a.step, b.step)) {
          dep[a.key].set(b.key);
          dep[b.key].set(a.key);
        }
      }
  }
  // Each actor's instances over the whole run, or each state's future.
  std::vector<KeySet> whole(static_cast<std::size_t>(m.actor_count()), KeySet(nk));
  for (std::uint32_t k = 0; k < nk; ++k) whole[static_cast<std::size_t>(f.key_actor[k])].set(k);
  std::vector<KeySet> future;
  if (!whole_run) {
    future.assign(f.states, KeySet(nk));
    for (auto it = f.topo.rbegin(); it != f.topo.rend(); ++it)
      for (const Edge& e : f.out[*it]) {
        future[*it].set(e.key);
        future[*it].add(future[e.to]);
      }
  }
  std::vector<std::uint32_t> bits(f.states, 0);
  for (std::uint32_t s = 0; s < f.states; ++s) {
    for (int a = 0; a < m.actor_count(); ++a) {
      KeySet deps(nk);
      bool any = false;
      for (const Edge& e : f.out[s])
        if (e.step.actor == a) {
          deps.add(dep[e.key]);
          any = true;
        }
      if (!any) continue;
      bool ok = true;
      for (int b = 0; ok && b < m.actor_count(); ++b) {
        if (b == a) continue;
        if (whole_run) {
          ok = !deps.meets(whole[static_cast<std::size_t>(b)]);
        } else {
          KeySet fb = future[s];
          for (std::size_t i = 0; i < fb.w.size(); ++i) fb.w[i] &= whole[static_cast<std::size_t>(b)].w[i];
          ok = !deps.meets(fb);
        }
      }
      if (ok) bits[s] |= 1u << a;
    }
  }
  return bits;
}

// The breadth-first search that expands only actor A's steps where A's set is
// persistent (the first such actor in actor order), with or without the proviso.
Reduced explore_persistent(const Full& f, const std::vector<std::uint32_t>& bits, bool proviso) {
  Reduced r;
  std::vector<int> depth(f.states, -1);
  std::deque<std::uint32_t> queue{0};
  depth[0] = 0;
  r.reached.push_back(0);
  std::size_t reached = 1;
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    const int d = depth[s];
    std::uint32_t actors = 0;
    for (const Edge& e : f.out[s]) actors |= 1u << e.step.actor;
    int chosen = -1;
    if (std::popcount(actors) > 1)
      for (int a = 0; chosen < 0 && a < 32; ++a) {
        if (!(bits[s] >> a & 1u)) continue;
        bool ok = true;
        for (const Edge& e : f.out[s])
          if (proviso && e.step.actor == a && depth[e.to] >= 0 && depth[e.to] <= d) ok = false;
        if (ok) chosen = a;
      }
    if (chosen >= 0) ++r.ample_states;
    for (const Edge& e : f.out[s]) {
      if (chosen >= 0 && e.step.actor != chosen) continue;
      ++r.transitions;
      if (depth[e.to] < 0) {
        depth[e.to] = d + 1;
        ++reached;
        r.reached.push_back(e.to);
        queue.push_back(e.to);
      }
    }
  }
  r.states = reached;
  return r;
}

}  // namespace

// The blocker analysis: which objects' conflicts keep the static test from choosing
// ample sets (with the proviso). Overlooking a conflict is not sound: this says where
// finer footprints would pay.
void blockers(const model::Model& m, const Full& full) {
  struct Category {
    std::string name;
    AccessLog log;
  };
  using namespace model;  // AIOMC_GLOBAL_FIELDS names the GlobalField bits unqualified
  std::vector<Category> cats;
  static const char* const kinds[] = {"proc", "thread", "daemon", "disk", "job", "lio", "kq", "knote", "sock"};
  for (int k = 0; k < model::kObjKinds; ++k) {
    Category c{kinds[k], {}};
    c.log.objs[static_cast<std::size_t>(k)] = ~0u;
    cats.push_back(c);
  }
#define AIOMC_CATEGORY(field, bit)                                                     \
  if (std::none_of(cats.begin(), cats.end(), [](const Category& c) { return c.log.globals == (bit); })) { \
    Category c{#field, {}};                                                            \
    c.log.globals = (bit);                                                             \
    cats.push_back(c);                                                                 \
  }
  AIOMC_GLOBAL_FIELDS(AIOMC_CATEGORY)
#undef AIOMC_CATEGORY
  // Each category alone: the static test counting only its conflicts. A category
  // that alone keeps the reduction near 1x blocks by itself: it must be refined.
  AccessLog all;
  for (const Category& c : cats) add(all, c.log);
  for (const Category& c : cats) {
    AccessLog ignore = all;
    remove(ignore, c.log);
    const Reduced r = explore_reduced(m, full, Test::static_footprints, true, ignore);
    std::printf("  only %-20s %9zu states (%.2fx fewer), ample in %zu states\n", c.name.c_str(), r.states,
                static_cast<double>(full.states) / static_cast<double>(r.states), r.ample_states);
    std::fflush(stdout);
  }
  // The three that block most, together; and with the lock-aware test.
  auto only = [&](std::initializer_list<const char*> names, bool lock_aware) {
    AccessLog ignore = all;
    std::string label;
    for (const char* n : names)
      for (const Category& c : cats)
        if (c.name == n) {
          remove(ignore, c.log);
          label += (label.empty() ? "" : " + ") + c.name;
        }
    if (lock_aware) label += ", lock-aware";
    const Reduced r = explore_reduced(m, full, Test::static_footprints, true, ignore, lock_aware);
    std::printf("  only %s: %zu states (%.2fx fewer), ample in %zu states\n", label.c_str(), r.states,
                static_cast<double>(full.states) / static_cast<double>(r.states), r.ample_states);
    std::fflush(stdout);
  };
  only({"proc", "jm_owner"}, false);
  only({"proc", "jm_owner", "job"}, false);
  only({"jm_owner"}, true);
  only({"proc", "jm_owner", "job"}, true);
  {
    const Reduced r = explore_reduced(m, full, Test::static_footprints, true, {}, true);
    std::printf("  every conflict, lock-aware: %zu states (%.2fx fewer)\n", r.states,
                static_cast<double>(full.states) / static_cast<double>(r.states));
  }
  const Reduced none = explore_reduced(m, full, Test::static_footprints, true, all);
  std::printf("  no conflict at all     %9zu states (%.2fx fewer), ample in %zu states\n", none.states,
              static_cast<double>(full.states) / static_cast<double>(none.states), none.ample_states);
}

// The measurement of the scenario at `path`: every row (`part` "all"), the sleep-set
// row only ("sleep"), or the blocker analysis ("blockers").
static int measure(const model::Model& m, const char* path, const std::string& part) {
  const auto t0 = std::chrono::steady_clock::now();
  const Full full = explore_full(m);
  std::printf("%s: full %zu states, %zu transitions, state graph %s; %zu enabled steps touch a jm_owner another actor holds\n",
              path, full.states, full.transitions, full.acyclic ? "acyclic" : "has cycles", full.lock_exceptions);
  if (part == "sleep" || part == "all") {
    const SleepResult z = explore_sleep(m);
    std::printf("  sleep sets: %zu states, %zu steps run (%.2fx fewer than %zu)\n", z.states, z.executed,
                static_cast<double>(full.transitions) / static_cast<double>(z.executed), full.transitions);
  }
  if (part == "blockers") {
    blockers(m, full);
    return 0;
  }
  if (part != "all") return 0;
  for (Test t : {Test::static_footprints, Test::current_moves, Test::commuting})
    for (bool proviso : {true, false}) {
      const Reduced r = explore_reduced(m, full, t, proviso);
      std::printf("  %-9s %-12s %9zu states (%.2fx fewer), %9zu transitions, ample in %zu states\n",
                  t == Test::static_footprints ? "static" : t == Test::current_moves ? "current" : "commuting", proviso ? "proviso" : "no proviso", r.states,
                  static_cast<double>(full.states) / static_cast<double>(r.states), r.transitions, r.ample_states);
    }
  // States up to the checker's symmetry (daemon units and job slots renamed): what
  // the reductions keep of a set of states.
  auto canonical_count = [&](auto&& ids) {
    std::unordered_set<std::string> forms;
    for (std::uint32_t id : ids) {
      const std::string& e = full.encodings[id];
      const model::State s = m.decode(reinterpret_cast<const std::uint8_t*>(e.data()), e.size());
      model::State c = s;
      if (!m.canonical(s, c)) c = s;
      forms.insert(enc(m, c));
    }
    return forms.size();
  };
  {
    std::vector<std::uint32_t> all(full.states);
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    std::printf("  symmetry alone: %zu states up to renaming (%.2fx fewer)\n", canonical_count(all),
                static_cast<double>(full.states) / static_cast<double>(canonical_count(all)));
  }
  if (full.acyclic) {
    std::printf("  step instances: %zu\n", full.key_actor.size());
    for (bool whole_run : {true, false}) {
      const std::vector<std::uint32_t> bits = static_dependence_sets(m, full, whole_run);
      for (bool proviso : {true, false}) {
        const Reduced r = explore_persistent(full, bits, proviso);
        const std::size_t sym = canonical_count(r.reached);
        std::printf("  %-9s %-12s %9zu states (%.2fx fewer), %9zu transitions, ample in %zu states; "
                    "%zu up to renaming (%.2fx fewer)\n",
                    whole_run ? "instances" : "future", proviso ? "proviso" : "no proviso", r.states,
                    static_cast<double>(full.states) / static_cast<double>(r.states), r.transitions, r.ample_states,
                    sym, static_cast<double>(full.states) / static_cast<double>(sym));
      }
    }
    const std::vector<std::uint32_t> bits = persistent_sets(m, full);
    for (bool proviso : {true, false}) {
      const Reduced r = explore_persistent(full, bits, proviso);
      const std::size_t sym = canonical_count(r.reached);
      std::printf("  %-9s %-12s %9zu states (%.2fx fewer), %9zu transitions, ample in %zu states; "
                  "%zu up to renaming (%.2fx fewer)\n",
                  "persistent", proviso ? "proviso" : "no proviso", r.states,
                  static_cast<double>(full.states) / static_cast<double>(r.states), r.transitions, r.ample_states, sym,
                  static_cast<double>(full.states) / static_cast<double>(sym));
    }
  }
  std::printf("  %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}

int main(int argc, char** argv) {
  const std::string part = argc > 2 ? argv[2] : "all";
  if (part != "all" && part != "sleep" && part != "blockers") {
    std::fprintf(stderr, "usage: aiomc_por_bound SCENARIO [all|sleep|blockers]\n");
    return 2;
  }
  return bench::tool_main(argc, argv, "aiomc_por_bound",
                          [&](const model::Model& m, const char* path) { return measure(m, path, part); });
}
