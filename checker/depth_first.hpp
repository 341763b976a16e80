// The depth-first search (Options::depth_first): every reachable state once, with no
// frontier, no packed states and no parent links, as SPIN's default search goes.
//
// Why it exists: a breadth-first level holds every state of the level packed, and each
// state is packed, unpacked and decoded again before it is expanded. Depth first, a
// state is expanded where it was made: each level of the stack keeps its state in a
// working copy, steps run on it in place and are undone from the level above
// (model/in_place_steps.cpp), so a new state costs one copy of the used part of a
// State and nothing else; the memory is the fingerprint table and the stack.
//
// What it gives: the set of states reached from the initial state through states that
// violate nothing does not depend on the order they are reached in (under symmetry
// too: a successor's canonical form is a function of the concrete successor). So when
// this search ends with no violation, no error, and no state or depth bound hit, its
// verdict (pass), states and transitions are exactly the breadth-first search's. In
// every other case it gives up (std::nullopt) and the caller searches breadth-first,
// which reports the shortest, lexicographically least counterexamples (S20) and the
// same bound hits as always. A time bound or an interrupt ends it as incomplete.
//
// Threads: each worker runs its own stack over the one shared fingerprint table; the
// thread that inserts a state expands it, so every state is expanded exactly once
// whatever the timing, and counts are the same on any number of threads. An idle
// worker takes work from a pool that busy workers fill on request with the steps
// still to try at their shallowest level (big subtrees), together with that level's
// state encoded. The table grows in a pause, as in a breadth-first level.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "checker/explorer.hpp"
#include "checker/run_pool.hpp"
#include "checker/seen_cache.hpp"
#include "checker/shared_fingerprint_set.hpp"

namespace aiomc::checker::detail {

template <class M>
class DepthFirst {
 public:
  using S = typename M::StateType;

  DepthFirst(const M& m, const Options& opts, int threads)
      : m_(m), opts_(opts), threads_(threads), visited_(threads, SharedFingerprintSet::kGrowthNoLinks, SharedFingerprintSet::kMaxLoadNoLinks), symmetric_(opts.reductions) {}

  // The result, or nullopt (with why_not() set) when a breadth-first search must decide.
  std::optional<Result> run() {
    start_ = std::chrono::steady_clock::now();
    time_limit_ = opts_.bounds.max_seconds;
    time_bound_ = "max_seconds";
    if (opts_.budget_seconds > 0 && (time_limit_ <= 0 || opts_.budget_seconds < time_limit_)) {
      time_limit_ = opts_.budget_seconds;
      time_bound_ = "max_total_seconds";
    }
    {
      auto root = std::make_unique<Work>();
      S init = m_.initial();
      if constexpr (kHasSymmetry)
        if (symmetric_) m_.canonical(init, init);
      root->encoding.resize(M::kMaxEncoding);
      root->encoding.resize(m_.encode_raw(init, root->encoding.data()));
      root->sum = m_.fingerprint_sum(init);
      // Every state expanded satisfies the state invariants (explore skips them for
      // a successor that changed nothing they read), the initial one included.
      model::InvSet v;
      m_.state_violations(init, v);
      if (!v.empty()) {
        why_not_ = "a violation";
        return std::nullopt;
      }
      root->expand = true;
      visited_.insert_now(M::fingerprint_of_sum(root->sum));
      pool_.push_back(std::move(root));
    }
    workers_.resize(static_cast<std::size_t>(threads_));
    run_workers();
    Result res;
    Stats& st = res.stats;
    st.search = "dfs";
    st.states = visited_.size();
    for (const auto& w : workers_) {
      st.transitions += w.transitions;
      st.max_depth = std::max(st.max_depth, w.max_depth);
    }
    if (!why_not_.empty()) return std::nullopt;
    st.seconds = elapsed();
    st.states_per_second = st.seconds > 0 ? static_cast<double>(st.states) / st.seconds : 0;
    const double per = static_cast<double>(std::max<std::uint64_t>(1, st.states));
    st.bytes_per_state = static_cast<double>(visited_.bytes()) / per;
    st.peak_bytes = static_cast<std::uint64_t>(std::max(peak_table_, static_cast<double>(visited_.bytes())) + stack_bytes());
    st.search_bytes_per_state = static_cast<double>(st.peak_bytes) / per;
    st.collision_probability = collision_probability(st.states);
    st.bound_hit = bound_;
    st.reductions = opts_.reductions;
    res.verdict = bound_.empty() ? Verdict::pass : Verdict::incomplete;
    return res;
  }
  // Why the depth-first search gave the question back to the breadth-first one.
  const std::string& why_not() const { return why_not_; }
  // Seconds since run() started.
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  static constexpr bool kHasSymmetry = requires(const M& mm, const S& a, S& b) { mm.canonical(a, b); };

  // A piece of work in the pool: a state (encoded) and either the steps of it still to
  // try (each with its successor's fingerprint) or, for the initial state, a note
  // that it is still to be expanded.
  struct Pending {
    model::StepRef step;
    std::uint16_t changed;  // the kinds of segment the step changed (touched_delta_undo)
    std::uint64_t key;      // the successor's fingerprint (its sum is sum_of_fingerprint(key))
  };
  static_assert(sizeof(Pending) == 16);
  struct Work {
    std::vector<std::uint8_t> encoding;
    std::uint64_t sum = 0;
    std::uint64_t depth = 0;
    bool expand = false;
    std::vector<Pending> pending;
  };
  // One level of a worker's stack: its state's working copy (the state itself between
  // steps; the successor being explored below while a deeper level runs), the steps
  // still to try, and the log of the step whose successor is below.
  //
  // A level's working copy is made from the one above by copying only the segments
  // where the two may differ (`dirty`): the one above changes only by the step whose
  // successor is explored below and by that step's undo (a step tried and undone
  // leaves it as it was), and a level's copy is as it was made once the levels below
  // it are done.
  struct Level {
    std::unique_ptr<S> work = std::make_unique<S>();
    std::vector<Pending> pending;
    std::size_t next = 0;
    std::uint64_t sum = 0;
    model::AccessLog log;
    std::vector<std::uint64_t> dirty;  // a bit per segment: may differ from the level above
    bool all_dirty = true;             // a blank copy, or one made from another state
  };
  struct alignas(64) Worker {
    std::vector<Level> levels;
    std::unique_ptr<S> root = std::make_unique<S>();  // the state of the work taken from the pool
    std::uint64_t base_depth = 0;
    std::size_t top = 0;  // levels in use
    std::vector<model::StepRef> cands;
    model::AccessLog scratch;
    SeenCache seen;  // fingerprints this worker knows are stored
    std::uint64_t transitions = 0;
    std::uint64_t max_depth = 0;
    std::uint64_t since_check = 0;
  };

  double stack_bytes() const {
    double b = 0;
    for (const auto& w : workers_) b += static_cast<double>((w.levels.size() + 1) * sizeof(S) + SeenCache::bytes());
    return b;
  }

  // Gives up (the breadth-first search decides) or ends as incomplete (bound set).
  void give_up(std::string why) {
    std::lock_guard<std::mutex> lk(mu_);
    if (why_not_.empty() && bound_.empty()) why_not_ = std::move(why);
    stop_.store(true, std::memory_order_relaxed);
    cv_.notify_all();
  }
  void end_incomplete(const char* bound) {
    std::lock_guard<std::mutex> lk(mu_);
    if (why_not_.empty() && bound_.empty()) bound_ = bound;
    stop_.store(true, std::memory_order_relaxed);
    cv_.notify_all();
  }

  const S& state_of(const Worker& w, std::size_t d) const { return d == 0 ? *w.root : *w.levels[d - 1].work; }

  // Runs step c on w (a copy of p), renamed into its canonical form under symmetry.
  bool step(S& w, const S& p, model::StepRef c, model::InvSet* v, model::AccessLog& log) const {
    if (!m_.step_in_place(w, c, v, log)) return false;
    if constexpr (kHasSymmetry)
      if (symmetric_ && v->empty()) m_.canonicalize_in_place(w, p, log);
    return true;
  }

  // Expands the state of level d: each enabled step's successor keyed, the ones not in
  // the table yet kept to try. False: a violation (the caller gives up).
  bool expand(Worker& wk, std::size_t d) {
    Level& l = wk.levels[d];
    const S& p = state_of(wk, d);
    S& w = *l.work;
    m_.candidate_steps(p, wk.cands);
    l.pending.clear();
    l.next = 0;
    bool progress = false;
    for (const model::StepRef c : wk.cands) {
      model::InvSet v;
      if (step(w, p, c, &v, wk.scratch)) {
        wk.transitions++;
        progress = progress || m_.is_progress(p, c);
        if (!v.empty()) {
          m_.undo_step(w, p, wk.scratch);
          return false;
        }
        std::uint32_t changed = 0;
        const std::uint64_t sum = l.sum + m_.touched_delta_undo(w, p, wk.scratch, &changed);
#ifdef _GLIBCXX_ASSERTIONS
        AIOMC_ASSERT(w == p);
#endif
        // A successor this worker knows is stored has nothing left to try; the others
        // are looked up in the table when their turn comes.
        const std::uint64_t key = M::fingerprint_of_sum(sum);
        if (wk.seen.known(key)) continue;
        l.pending.push_back({c, static_cast<std::uint16_t>(changed), key});
      } else {
        m_.undo_step(w, p, wk.scratch);
      }
    }
    if (!progress && !m_.quiescent_violations(p, false, nullptr).empty()) return false;
    // The successors' slots are fetched together, once every step is tried: on a
    // virtual machine a slot is often a page walk as well as a cache miss, and a
    // prefetch waits for its walk, so prefetches issued back to back overlap their
    // walks where one issued after each step waited alone (lio-wide, one thread, on an
    // AMD EPYC guest: 57-59 s -> 53-55 s).
    for (const Pending& pd : l.pending) visited_.prefetch(pd.key);
    // The successors are not looked up here: explore() looks each up when its turn
    // comes, by which time the slot prefetched above has arrived. (Looking them all up
    // now waited on the last ones' slots: a cache miss, and on a virtual machine often
    // a page walk, for each state.)
    return true;
  }

  // The segments a step (or its undo) may have changed in level d's working copy are
  // where the level below may now differ from it.
  void mark_below(Worker& wk, std::size_t d, const model::AccessLog& log) {
    if (d + 1 >= wk.levels.size()) return;
    Level& below = wk.levels[d + 1];
    if (below.all_dirty) return;
    m_.for_touched_segments(log, [&](std::size_t g) { below.dirty[g >> 6] |= std::uint64_t{1} << (g & 63); });
  }

  // Level d's working copy made equal to the state above it, `s` (the root's state
  // for level 0, always copied whole, or level d - 1's working copy).
  void sync(Worker& wk, std::size_t d, const S& s) {
    Level& l = wk.levels[d];
    const std::size_t words = (m_.segments().size() + 63) / 64;
    Level* below = d + 1 < wk.levels.size() ? &wk.levels[d + 1] : nullptr;
    if (l.all_dirty || d == 0) {
      m_.copy_used(*l.work, s);
      l.dirty.assign(words, 0);
      l.all_dirty = false;
      if (below) below->all_dirty = true;
    } else {
      for (std::size_t i = 0; i < words; ++i) {
        std::uint64_t bits = l.dirty[i];
        if (bits && below && !below->all_dirty) below->dirty[i] |= bits;
        l.dirty[i] = 0;
        while (bits) {
          m_.copy_segment(*l.work, s, i * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
          bits &= bits - 1;
        }
      }
    }
#ifdef _GLIBCXX_ASSERTIONS
    AIOMC_ASSERT(*l.work == s);
#endif
  }

  // Makes level d exist with a working copy equal to `s` (blank beyond its used part).
  void enter(Worker& wk, std::size_t d, const S& s, std::uint64_t sum) {
    if (wk.levels.size() <= d) wk.levels.emplace_back();
    sync(wk, d, s);
    Level& l = wk.levels[d];
    l.sum = sum;
    l.pending.clear();
    l.next = 0;
    wk.top = d + 1;
    wk.max_depth = std::max<std::uint64_t>(wk.max_depth, wk.base_depth + d);
  }

  // The worker's loop over its stack, until it is empty or the search stops.
  void explore(Worker& wk, int tid) {
    while (wk.top > 0 && !stop_.load(std::memory_order_relaxed)) {
      const std::size_t d = wk.top - 1;
      Level& l = wk.levels[d];
      if (l.next == l.pending.size()) {
        // Level d is done: back to the state above, whose working copy holds it.
        wk.top = d;
        if (d > 0) {
          m_.undo_step(*wk.levels[d - 1].work, state_of(wk, d - 1), wk.levels[d - 1].log);
          mark_below(wk, d - 1, wk.levels[d - 1].log);
        }
        continue;
      }
      if (hungry_.load(std::memory_order_relaxed) > 0) donate(wk);
      if (l.next == l.pending.size()) continue;  // donated
      if (pausing_.load(std::memory_order_relaxed) || visited_.over_quota(tid)) make_room();
      const Pending pd = l.pending[l.next++];
      const std::uint64_t key = pd.key;
      const SharedFingerprintSet::Probe at = visited_.probe(key);
      if (at.found()) {
        wk.seen.note(key);
        continue;
      }
      const S& p = state_of(wk, d);
      S& w = *l.work;
      model::InvSet none;
      const bool again = step(w, p, pd.step, &none, l.log);
      AIOMC_ASSERT(again && none.empty());
#ifdef _GLIBCXX_ASSERTIONS
      AIOMC_ASSERT(m_.fingerprint(w) == key);
#endif
      // The state invariants hold in p (every state this search expands satisfies
      // them); only the groups that read something the step changed are checked.
      model::InvSet v;
      const unsigned groups = m_.state_invariants_affected(w, p, pd.changed);
      if (groups) m_.state_violations(w, v, nullptr, groups);
#ifdef _GLIBCXX_ASSERTIONS
      if (v.empty()) {
        m_.state_violations(w, v);
        AIOMC_ASSERT(v.empty());
      }
#endif
      if (!v.empty()) {
        m_.undo_step(w, p, l.log);
        give_up("a violation");
        return;
      }
      const bool fresh = visited_.insert_new(key, tid, at);
      wk.seen.note(key);
      if (!fresh) {
        m_.undo_step(w, p, l.log);
        continue;
      }
      if (opts_.bounds.max_states && visited_.size() > opts_.bounds.max_states) {
        give_up("the state bound");
        return;
      }
      if (opts_.bounds.max_depth && wk.base_depth + d + 1 >= opts_.bounds.max_depth) {
        give_up("the depth bound");
        return;
      }
      if (++wk.since_check >= 4096) {
        wk.since_check = 0;
        if (!check_limits(tid)) return;
      }
      mark_below(wk, d, l.log);
      enter(wk, d + 1, w, M::sum_of_fingerprint(key));
      if (!expand(wk, d + 1)) {
        give_up("a violation");
        return;
      }
    }
  }

  // Time, interrupts, memory and progress, every few thousand states.
  bool check_limits(int tid) {
    const double t = elapsed();
    if (opts_.interrupt && opts_.interrupt->load(std::memory_order_relaxed)) {
      end_incomplete("interrupted");
      return false;
    }
    if (time_limit_ > 0 && t > time_limit_) {
      end_incomplete(time_bound_);
      return false;
    }
    if (opts_.bounds.max_memory_mb &&
        static_cast<double>(visited_.bytes()) / 1048576.0 > static_cast<double>(opts_.bounds.max_memory_mb)) {
      end_incomplete("max_memory");
      return false;
    }
    if (tid == 0 && opts_.progress_seconds > 0 && t - last_progress_ >= opts_.progress_seconds) {
      last_progress_ = t;
      std::fprintf(stderr, "aiomc: progress: %zu states, %.0f states/s, depth-first, %.0f MiB, %.1f s\n", visited_.size(),
                   static_cast<double>(visited_.size()) / t, static_cast<double>(visited_.bytes()) / 1048576.0, t);
      std::fflush(stderr);
    }
    return true;
  }

  // An idle worker waits: the steps still to try at the shallowest level with any go
  // to the pool, with that level's state encoded.
  void donate(Worker& wk) {
    for (std::size_t d = 0; d < wk.top; ++d) {
      Level& l = wk.levels[d];
      if (l.next == l.pending.size()) continue;
      auto work = std::make_unique<Work>();
      const S& s = state_of(wk, d);
      work->encoding.resize(M::kMaxEncoding);
      work->encoding.resize(m_.encode_raw(s, work->encoding.data()));
      work->sum = l.sum;
      work->depth = wk.base_depth + d;
      work->pending.assign(l.pending.begin() + static_cast<std::ptrdiff_t>(l.next), l.pending.end());
      l.pending.resize(l.next);
      std::lock_guard<std::mutex> lk(mu_);
      pool_.push_back(std::move(work));
      hungry_.store(0, std::memory_order_relaxed);
      cv_.notify_all();
      return;
    }
  }

  // The table is over this worker's share: every other worker stops at its next
  // state (or is idle), and the table grows or the shares are dealt again.
  void make_room() {
    std::unique_lock<std::mutex> lk(mu_);
    if (pausing_.load(std::memory_order_relaxed)) {
      paused_++;
      cv_.notify_all();
      cv_.wait(lk, [&] { return !pausing_.load(std::memory_order_relaxed) || stop_.load(std::memory_order_relaxed); });
      paused_--;
      return;
    }
    pausing_.store(true, std::memory_order_relaxed);
    // A worker that has stopped (the search gave up) is neither paused nor idle.
    cv_.wait(lk, [&] { return paused_ + idle_ == threads_ - 1 || stop_.load(std::memory_order_relaxed); });
    // While it grows, the old table and the new one are both held.
    const double before = static_cast<double>(visited_.bytes());
    // The other workers wait: the rehash takes their cores.
    visited_.make_room([](int n, auto&& work) { run_pool(n, work); }, threads_);
    if (static_cast<double>(visited_.bytes()) != before) peak_table_ = std::max(peak_table_, before + static_cast<double>(visited_.bytes()));
    pausing_.store(false, std::memory_order_relaxed);
    cv_.notify_all();
  }

  // Takes work from the pool into the worker's stack; false: the search is over.
  bool take(Worker& wk) {
    std::unique_ptr<Work> work;
    {
      std::unique_lock<std::mutex> lk(mu_);
      idle_++;
      cv_.notify_all();
      for (;;) {
        if (stop_.load(std::memory_order_relaxed) || done_) break;
        if (!pool_.empty() && !pausing_.load(std::memory_order_relaxed)) {
          work = std::move(pool_.back());
          pool_.pop_back();
          break;
        }
        if (idle_ == threads_ && pool_.empty()) {
          done_ = true;
          cv_.notify_all();
          break;
        }
        hungry_.store(1, std::memory_order_relaxed);
        cv_.wait(lk);
      }
      idle_--;
      if (!work) return false;
    }
    *wk.root = m_.decode(work->encoding.data(), work->encoding.size());
    wk.base_depth = work->depth;
    // Level 0 is the work's state: expanded here (the initial state) or with the steps
    // it still has to try.
    enter(wk, 0, *wk.root, work->sum);
    if (work->expand) {
      if (!expand(wk, 0)) {
        give_up("a violation");
        return false;
      }
    } else {
      wk.levels[0].pending = std::move(work->pending);
    }
    return true;
  }

  void run_workers() {
    auto body = [&](int tid) {
      Worker& wk = workers_[static_cast<std::size_t>(tid)];
      {
        // Until every thread that could be started has been: threads_ is their number.
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return go_; });
      }
      try {
        while (take(wk)) explore(wk, tid);
      } catch (...) {
        // The breadth-first search meets the same exception and reports it with the
        // path to the state whose expansion threw.
        give_up("an error");
      }
    };
    std::vector<std::thread> pool;
    int started = 1;
    for (int t = 1; t < threads_; ++t, ++started) {
      try {
        pool.emplace_back(body, t);
      } catch (const std::system_error&) {
        break;  // out of threads: the ones started share the work (it is pulled)
      }
    }
    {
      std::lock_guard<std::mutex> lk(mu_);
      threads_ = started;
      go_ = true;
    }
    cv_.notify_all();
    body(0);
    for (auto& th : pool) th.join();
  }

  const M& m_;
  const Options& opts_;
  int threads_;
  SharedFingerprintSet visited_;
  bool symmetric_;
  std::vector<Worker> workers_;
  std::chrono::steady_clock::time_point start_;
  double time_limit_ = 0;
  const char* time_bound_ = "max_seconds";
  double last_progress_ = 0;
  double peak_table_ = 0;  // the most the table took, both copies while it grew

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Work>> pool_;
  int idle_ = 0;
  int paused_ = 0;
  bool done_ = false;
  bool go_ = false;
  std::atomic<bool> pausing_{false};
  std::atomic<int> hungry_{0};
  std::atomic<bool> stop_{false};
  std::string why_not_;
  std::string bound_;
};

}  // namespace aiomc::checker::detail
