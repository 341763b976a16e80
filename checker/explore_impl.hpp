// The breadth-first explorer as a template over the model, so that tests can run
// it on a toy model with hand-computable state counts. Internal to checker/ and tests.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <memory>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <vector>
#include <string>
#include <thread>
#include <type_traits>

#include "checker/explorer.hpp"
#include "checker/shared_fingerprint_set.hpp"
#include "checker/liveness.hpp"
#include "checker/run_pool.hpp"
#include "checker/state_pack.hpp"
#include "model/liveness.hpp"

namespace aiomc::checker::detail {


// A path's position in the lexicographic order of paths of its BFS level:
// (rank of the parent in its level, choice).
struct PathKey {
  std::uint32_t parent_rank = 0;
  std::uint32_t choice = 0;
  friend auto operator<=>(const PathKey&, const PathKey&) = default;
};

// A stored state's parent link, packed to 5 bytes: what rebuilding a
// counterexample needs (the choice that led to it and the node it came from).
#pragma pack(push, 1)
struct Node {
  std::uint32_t parent;
  std::uint8_t choice;
};
#pragma pack(pop)
static_assert(sizeof(Node) == 5);

// The parent links in node order, in blocks of 64 Ki links, so that they cost 5 bytes
// a state plus at most one partly filled block (no doubling, no reallocation).
class NodeStore {
 public:
  static constexpr int kShift = 16;
  static constexpr std::size_t kBlock = std::size_t{1} << kShift;
  void push_back(Node n) {
    if (size_ == blocks_.size() * kBlock) blocks_.push_back(std::make_unique<Node[]>(kBlock));
    blocks_[size_ >> kShift][size_ & (kBlock - 1)] = n;
    size_++;
  }
  const Node& operator[](std::size_t i) const { return blocks_[i >> kShift][i & (kBlock - 1)]; }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return blocks_.size() * kBlock * sizeof(Node); }

 private:
  std::vector<std::unique_ptr<Node[]>> blocks_;
  std::size_t size_ = 0;
};

// The visited set of the exact mode: the canonical encodings themselves (the
// fingerprint mode's is SharedFingerprintSet).
template <class Key>
class VisitedSet;
template <>
class VisitedSet<std::string> {
 public:
  bool contains(const std::string& k) const { return set_.contains(k); }
  void insert(std::string k) {
    key_bytes_ += k.size();
    set_.insert(std::move(k));
  }
  void reserve(std::size_t n) { set_.reserve(n); }
  double bytes() const {
    return static_cast<double>(set_.capacity()) * (sizeof(std::string) + 1) + static_cast<double>(key_bytes_);
  }
  static constexpr bool exact = true;

 private:
  absl::flat_hash_set<std::string> set_;
  std::size_t key_bytes_ = 0;
};

// One BFS level's states, in path order, packed (StatePacker) back to back in the
// arenas the level's shards filled.
struct Frontier {
  struct Entry {
    std::uint64_t where;  // arena number in the low 8 bits, offset above
    std::uint32_t node;
    PathKey key;  // the path's position in its level (quiescent counterexamples)
    std::uint8_t tainted = 0;  // liveness: reached through a safety violation
    std::uint64_t fp = 0;      // fingerprint mode: the state's key as stored (its canonical form's under symmetry)
  };
  std::vector<ByteArena> arenas;
  std::vector<Entry> entries;
  const std::uint8_t* packed(const Entry& e) const { return arenas[e.where & 255].at(e.where >> 8); }
  std::size_t size() const { return entries.size(); }
  bool empty() const { return entries.empty(); }
  double bytes() const {
    double b = static_cast<double>(entries.capacity() * sizeof(Entry));
    for (const auto& a : arenas) b += static_cast<double>(a.bytes());
    return b;
  }
};

// The best counterexample found so far for one invariant.
struct Candidate {
  bool found = false;
  std::uint64_t length = 0;
  PathKey key;
  std::uint32_t node = 0;   // parent node (transition) or the node itself (quiescent)
  int choice = -1;          // -1: quiescent
  bool better_than(const Candidate& o) const {
    if (!o.found) return true;
    if (length != o.length) return length < o.length;
    return key < o.key;
  }
};

// The canonical encoding of a state, computed once per successor: it gives the
// visited-set key (its digest, or the bytes themselves in exact mode).
template <class M>
struct Encoded {
  std::vector<std::uint8_t> buf = std::vector<std::uint8_t>(M::kMaxEncoding + 8);  // + 8: StatePacker::unpack writes whole words
  std::size_t n = 0;
  void set(const M& m, const typename M::StateType& s) { n = m.encode_raw(s, buf.data()); }
};

template <class Key>
struct KeyOf;
template <>
struct KeyOf<std::uint64_t> {
  template <class M>
  static std::uint64_t get(const M& m, const Encoded<M>& e) { return m.digest_bytes(e.buf.data(), e.n); }
  static std::size_t hash(std::uint64_t k) { return static_cast<std::size_t>(k ^ (k >> 29)); }
};
template <>
struct KeyOf<std::string> {
  template <class M>
  static std::string get(const M&, const Encoded<M>& e) {
    return std::string(reinterpret_cast<const char*>(e.buf.data()), e.n);
  }
  static std::size_t hash(const std::string& k) { return absl::Hash<std::string>{}(k); }
};

template <class Key>
struct LevelEntry {
  Key key;
  PathKey path;
  // Of the packed state in its shard's arena (bits 0..55, as Frontier::Entry::where
  // keeps it above 8 bits), and in bit 63 whether the state is tainted (liveness), so
  // the entry stays 24 bytes.
  std::uint64_t offset_taint;
  static constexpr std::uint64_t kTaint = std::uint64_t{1} << 63;
};

static_assert(sizeof(LevelEntry<std::uint64_t>) == 24);

// Liveness: a state reached through a safety violation is kept apart from the same
// state reached cleanly (another key), so the clean part of the search is exactly the
// pruned safety search.
inline std::uint64_t tainted_key(std::uint64_t k) { return (k ^ 0x9e3779b97f4a7c15ULL) * 0xff51afd7ed558ccdULL; }
inline std::string tainted_key(std::string k) {
  k.push_back('\x01');
  return k;
}

// What the model offers liveness checking (model/liveness.hpp); toy models without it
// explore safety only.
template <class M>
concept HasLiveness = requires(const M& m, const typename M::StateType& s, const std::vector<typename M::SuccessorType>& v) {
  { m.liveness_obligations(s) } -> std::convertible_to<std::uint64_t>;
  { m.fair_actors(s, v) } -> std::convertible_to<std::uint32_t>;
};

// A model whose successors() can leave the state invariants out, to be checked with
// state_violations() only for states new to the visited set (Model).
template <class M>
concept HasDeferredInvariants = requires(const M& m, const typename M::StateType& s,
                                         std::vector<typename M::SuccessorType>& v, model::InvSet& inv) {
  m.successors(s, v, false);
  m.state_violations(s, inv);
};

// A model with a fingerprint of its own (Model: a mix of per-segment hashes), used
// as the visited-set key instead of the digest of the whole encoding.
template <class M>
concept HasFingerprint = requires(const M& m, const typename M::StateType& s) {
  { m.fingerprint(s) } -> std::same_as<std::uint64_t>;
};

// A model that can run a step in place and undo it, and fingerprint the result from
// the parent's sum of segment hashes and the changes of the segments the step
// touched (model/in_place_steps.cpp): the explorer's fast path.
template <class M>
concept HasInPlaceSteps =
    HasFingerprint<M> && HasDeferredInvariants<M> &&
    requires(const M& m, typename M::StateType& w, const typename M::StateType& p, std::vector<model::StepRef>& c,
             model::AccessLog& log, model::InvSet& v, std::uint64_t* h, const std::uint8_t* buf,
             std::vector<std::uint16_t>& c16, std::uint64_t& d) {
      m.candidate_steps(p, c);
      { m.step_in_place(w, model::StepRef{}, &v, log) } -> std::same_as<bool>;
      m.undo_step(w, p, log);
      { m.fingerprint_sum(p, h) } -> std::same_as<std::uint64_t>;
      { m.segment_hash(p, std::size_t{0}) } -> std::same_as<std::uint64_t>;
      { m.segment_delta(w, p, std::size_t{0}, d) } -> std::same_as<bool>;
      { m.touched_delta_undo(w, p, log) } -> std::same_as<std::uint64_t>;
      { m.segment_unchanged(w, p, std::size_t{0}) } -> std::same_as<bool>;
      m.decode_over(buf, std::size_t{0}, w, static_cast<std::uint32_t*>(nullptr));
      m.copy_used(w, p);
      m.decode_changed(buf, std::size_t{0}, buf, static_cast<const std::uint32_t*>(nullptr), w,
                       static_cast<std::uint32_t*>(nullptr), c16);
      m.copy_segment(w, p, std::size_t{0});
      { m.splice_encoding(p, buf, static_cast<const std::uint32_t*>(nullptr), static_cast<const std::uint16_t*>(nullptr),
                          std::size_t{0}, static_cast<std::uint8_t*>(nullptr)) } -> std::same_as<std::size_t>;
    };

// A step recorded for the state graph before its target has a node number.
template <class Key>
struct PendingEdge {
  std::uint32_t src;
  Key dst;
  std::uint8_t actor, choice;
};

template <class Key>
class LevelMap {
 public:
  static constexpr int kShards = 64;
  // Keeps, for each new state, the least path reaching it.
  // Identical keys mean identical states, so only the least path is kept.
  // pack(arena) appends the packed state and returns its offset.
  // With `repack` (symmetry: the packed state carries the renaming from the concrete
  // state its path reaches) a lesser path also replaces the packed state, so it is
  // always the least path's.
  template <class PackFn>
  void offer(const Key& k, std::size_t hash, PathKey path, std::uint8_t tainted, PackFn&& pack, bool repack = false) {
    Shard& sh = shards_[hash % kShards];
    std::lock_guard<std::mutex> lock(sh.mu);
    auto [it, inserted] = sh.index.try_emplace(k, static_cast<std::uint32_t>(sh.entries.size()));
    if (inserted) {
      const std::uint64_t off = pack(sh.arena);
      sh.entries.push_back({k, path, off | (tainted ? LevelEntry<Key>::kTaint : 0)});
    } else if (path < sh.entries[it->second].path) {
      sh.entries[it->second].path = path;
      if (repack) {
        // The key is the same, so the taint (part of the key) is too.
        std::uint64_t& ot = sh.entries[it->second].offset_taint;
        ot = (ot & LevelEntry<Key>::kTaint) | pack(sh.arena);
      }
    }
  }
  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& sh : shards_) n += sh.entries.size();
    return n;
  }
  double bytes() const {
    double b = 0;
    for (const Shard& sh : shards_)
      b += static_cast<double>(sh.arena.bytes() + sh.entries.capacity() * sizeof(LevelEntry<Key>) +
                               sh.index.capacity() * (sizeof(std::pair<Key, std::uint32_t>) + 1));
    return b;
  }
  // Calls f(key, path, where) for every new state in path order, where = the
  // packed state's place in `arenas` (Frontier::Entry::where), which receives the
  // shards' arenas; then empties the map.
  static_assert(kShards <= 256, "Frontier::Entry::where keeps the shard in 8 bits");
  template <class F>
  void drain_sorted(std::vector<ByteArena>& arenas, F&& f) {
    struct Ref {
      PathKey path;
      std::uint32_t shard, entry;
    };
    std::vector<Ref> order;
    order.reserve(size());
    for (std::uint32_t s = 0; s < kShards; ++s) {
      shards_[s].index = {};
      for (std::uint32_t e = 0; e < shards_[s].entries.size(); ++e) order.push_back({shards_[s].entries[e].path, s, e});
    }
    std::sort(order.begin(), order.end(), [](const Ref& a, const Ref& b) { return a.path < b.path; });
    for (const Ref& r : order) {
      LevelEntry<Key>& e = shards_[r.shard].entries[r.entry];
      const std::uint64_t off = e.offset_taint & ~LevelEntry<Key>::kTaint;
      f(std::move(e.key), e.path, (off << 8) | r.shard, static_cast<std::uint8_t>((e.offset_taint & LevelEntry<Key>::kTaint) != 0));
    }
    arenas.clear();
    for (Shard& sh : shards_) {
      sh.entries = {};
      arenas.push_back(std::move(sh.arena));
      sh.arena = ByteArena();
    }
  }

 private:
  struct Shard {
    std::mutex mu;
    absl::flat_hash_map<Key, std::uint32_t> index;
    std::vector<LevelEntry<Key>> entries;
    ByteArena arena;
  };
  Shard shards_[kShards];
};

// A successor waiting for its visited-set lookup: its key, its path, its taint.
template <class Key>
struct Offer {
  Key key;
  PathKey path;
  bool taint;
  std::uint32_t succ = 0;  // the copying path: its index in the successor list
};

// What the fingerprint mode has instead of a LevelMap: nothing (its table is shared).
struct NoLevelMap {};

using Clock = std::chrono::steady_clock;

// The first failure (an exception out of the model, e.g. a capacity assertion) while
// expanding a level: the one at the least frontier rank is kept.
class Failures {
 public:
  void record(std::size_t rank, std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_ || rank < rank_) {
      rank_ = rank;
      error_ = std::move(e);
    }
  }
  bool any() const { return static_cast<bool>(error_); }
  std::size_t rank() const { return rank_; }
  std::string message() const {
    try {
      std::rethrow_exception(error_);
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "unknown exception";
    }
  }

 private:
  std::mutex mu_;
  std::size_t rank_ = 0;
  std::exception_ptr error_;
};

inline double mib(double bytes) { return bytes / 1048576.0; }

// Under symmetry the search steps canonical forms, and each stored form carries the
// renaming sigma of its daemon units from the concrete state its least path reaches
// (sigma[concrete unit] = the form's unit), packed after the form's encoding, 4 bits a
// unit. A form's enabled steps are then numbered as that concrete state's are, so
// paths, their order and counterexamples are the unreduced search's (S20).
inline constexpr std::size_t kUnitsBytes = 4;
// The model's renaming type (a one-unit stand-in for a model without symmetry).
template <class M, class = void>
struct UnitsOf {
  using type = std::array<std::uint8_t, 1>;
};
template <class M>
struct UnitsOf<M, std::void_t<typename M::DaemonMap>> {
  using type = typename M::DaemonMap;
};
template <class Map>
Map identity_units() {
  Map sigma{};
  for (std::size_t d = 0; d < sigma.size(); ++d) sigma[d] = static_cast<std::uint8_t>(d);
  return sigma;
}
template <class Map>
void put_units(const Map& sigma, std::uint8_t* at) {
  static_assert(std::tuple_size_v<Map> <= 8);
  std::uint32_t u = 0;
  for (std::size_t d = 0; d < sigma.size(); ++d) u |= static_cast<std::uint32_t>(sigma[d] & 15) << (4 * d);
  std::memcpy(at, &u, kUnitsBytes);
}
// Packs sigma after the encoding in e (StatePacker packs up to kMaxEncoding bytes).
template <class M, class Map>
void append_units(Encoded<M>& e, const Map& sigma) {
  AIOMC_ASSERT(e.n + kUnitsBytes <= M::kMaxEncoding);
  put_units(sigma, e.buf.data() + e.n);
  e.n += kUnitsBytes;
}
template <class Map>
Map get_units(const std::uint8_t* at) {
  std::uint32_t u = 0;
  std::memcpy(&u, at, kUnitsBytes);
  Map sigma{};
  for (std::size_t d = 0; d < sigma.size(); ++d) sigma[d] = static_cast<std::uint8_t>((u >> (4 * d)) & 15);
  return sigma;
}
// rho after sigma: the renaming from the concrete state to the form a step's
// successor is renamed into (rho: the successor's units -> the new form's).
template <class Map>
Map compose(const Map& rho, const Map& sigma) {
  Map out{};
  for (std::size_t d = 0; d < sigma.size(); ++d) out[d] = rho[sigma[d]];
  return out;
}

// The concrete choice of each enabled step of a stored form whose renaming is sigma:
// actors[i] is the i-th enabled step's actor in the form. candidate_steps lists the
// actors in ascending order, each actor's steps together, so the concrete state lists
// the same steps ordered by their concrete actor (sigma^-1 of a daemon's unit), each
// actor's in the same order. out[i]: step i's choice in the concrete state.
template <class M>
void concrete_order(const M& m, const typename M::DaemonMap& sigma, const std::vector<std::uint8_t>& actors,
                    std::vector<std::uint32_t>& out) {
  typename M::DaemonMap back{};
  bool identity = true;
  for (std::size_t d = 0; d < sigma.size(); ++d) {
    back[sigma[d]] = static_cast<std::uint8_t>(d);
    identity = identity && sigma[d] == d;
  }
  out.resize(actors.size());
  if (identity) {
    for (std::size_t i = 0; i < actors.size(); ++i) out[i] = static_cast<std::uint32_t>(i);
    return;
  }
  thread_local std::vector<std::uint8_t> concrete;
  concrete.resize(actors.size());
  for (std::size_t i = 0; i < actors.size(); ++i) concrete[i] = m.renamed_step(model::StepRef{actors[i]}, back).actor;
  for (std::size_t i = 0; i < actors.size(); ++i) {
    std::uint32_t at = 0;
    for (std::size_t j = 0; j < actors.size(); ++j)
      at += concrete[j] < concrete[i] || (concrete[j] == concrete[i] && j < i);
    out[i] = at;
  }
}

template <class Key, class M>
Result explore_with(const M& m, const Options& opts) {
  using S = typename M::StateType;
  Result res;
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  static_assert(M::kMaxEncoding < 65536, "StatePacker stores a length in 2 bytes");
  const int threads = std::clamp(opts.threads, 1, kMaxThreads);
  // Fingerprint mode: one table all workers insert into during a level (no merge
  // pass); exact mode: the level's new states merged into the set between levels.
  constexpr bool kShared = std::is_same_v<Key, std::uint64_t>;
  constexpr bool kDefer = HasDeferredInvariants<M>;
  using Visited = std::conditional_t<kShared, SharedFingerprintSet, VisitedSet<Key>>;
  auto visited_holder = [&] {
    if constexpr (kShared)
      return std::make_unique<Visited>(threads);
    else
      return std::make_unique<Visited>();
  }();
  Visited& visited = *visited_holder;
  // The key liveness numbers a state by (the stored digest in fingerprint mode).
  auto id_key = [](const Key& k) -> Key {
    if constexpr (kShared)
      return SharedFingerprintSet::stored(k);
    else
      return k;
  };
  NodeStore nodes;
  std::vector<Candidate> best(model::kInvCount);
  // Everything the search holds, in bytes: the visited table with its keys, the
  // parent links, and the frontier (packed states) of the level being expanded
  // together with the next one being built.
  double peak_bytes = 0;

  // Symmetry reduction: the frontier and the visited set hold the canonical renaming
  // of each state's daemon units and job slots (its canonical form); a search steps
  // canonical states only, numbering their steps as the concrete states' (put_units).
  constexpr bool has_symmetry = requires(const M& mm, const S& a, S& b) { mm.canonical(a, b); };
  bool symmetric = false;
  // S25: symmetry is off under liveness (the state graph needs concrete states; not
  // shown sound for fair cycles).
  if constexpr (has_symmetry) symmetric = opts.reductions && !(HasLiveness<M> && opts.liveness);
  // The fast path (expand_in_place below): safety, fingerprints, a model with
  // in-place steps. Its keys are the model's segmented fingerprints (computed without
  // encoding the state); the copying path keys states by their encoding's digest.
  constexpr bool kInPlace = HasInPlaceSteps<M> && kShared;
  const bool in_place = kInPlace && !(HasLiveness<M> && opts.liveness) && opts.in_place;
  const bool segment_keys = in_place;
  // The visited-set key of st's canonical form, renaming st into canon when st is not
  // canonical (rho: the renaming of st's units into the form's). e is left holding the
  // canonical form's encoding, except with segment keys (then untouched).
  using Units = typename UnitsOf<M>::type;
  auto key_for = [&](const S& st, Encoded<M>& e, S& canon, Units& rho) -> Key {
    const S* form = &st;
    rho = identity_units<Units>();
    if constexpr (has_symmetry) {
      if (symmetric && m.canonical(st, canon, &rho)) form = &canon;
    } else {
      (void)canon;
    }
    if constexpr (kInPlace)
      if (segment_keys) return m.fingerprint(*form);
    e.set(m, *form);
    return KeyOf<Key>::get(m, e);
  };
  Frontier frontier;
  StatePacker packer;
  // Liveness: node numbers of visited keys, the state graph, and per worker the steps
  // of the level whose targets are not numbered yet.
  constexpr bool kCanLive = HasLiveness<M>;
  const bool live = kCanLive && opts.liveness;
  absl::flat_hash_map<Key, std::uint32_t> ids;
  StateGraph graph;
  std::vector<std::vector<PendingEdge<Key>>> pending(static_cast<std::size_t>(threads));
  auto graph_bytes = [&] {
    if (!live) return 0.0;
    double b = static_cast<double>(graph.edges.capacity() * sizeof(GraphEdge) + graph.fair.capacity() * 4 +
                                   graph.obligations.capacity() * 8 + graph.cut.capacity());
    return b + static_cast<double>(ids.capacity() * (sizeof(std::pair<Key, std::uint32_t>) + 1));
  };
  auto table_bytes = [&] { return static_cast<double>(visited.bytes()) + static_cast<double>(nodes.bytes()) + graph_bytes(); };
  {
    S init = m.initial();
    Units sigma0 = identity_units<Units>();
    if constexpr (has_symmetry)
      if (symmetric) m.canonical(init, init, &sigma0);
    Encoded<M> enc;
    enc.set(m, init);
    packer = StatePacker(enc.buf.data(), enc.n, M::kMaxEncoding);
    S canon{};
    Encoded<M> key_enc;
    Units rho{};
    const Key k0 = key_for(init, key_enc, canon, rho);
    if (symmetric) append_units(enc, sigma0);
    if constexpr (kShared)
      visited.insert_now(k0);
    else
      visited.insert(k0);
    if (live) {
      ids.emplace(id_key(k0), 0);
      graph.fair.push_back(0);
      graph.obligations.push_back(0);
      graph.cut.push_back(0);
    }
    nodes.push_back({0, 0});
    frontier.entries.push_back({0, 0, {}});
    if constexpr (kShared) frontier.entries[0].fp = SharedFingerprintSet::stored(k0);
    frontier.arenas.emplace_back();
    packer.pack(enc.buf.data(), enc.n, frontier.arenas[0]);
  }
  std::atomic<std::uint64_t> transitions{0};
  std::atomic<bool> stop{false};
  std::string bound;
  std::uint64_t depth = 0;
  const bool tty = opts.progress && isatty(2);
  const double progress_every = opts.progress_seconds > 0 ? opts.progress_seconds : (tty ? 0.5 : 0);
  double last_progress = 0;
  bool printed_tty = false;
  double time_limit = opts.bounds.max_seconds;
  const char* time_bound = "max_seconds";
  if (opts.budget_seconds > 0 && (time_limit <= 0 || opts.budget_seconds < time_limit)) {
    time_limit = opts.budget_seconds;
    time_bound = "max_total_seconds";
  }
  auto interrupted = [&] { return opts.interrupt && opts.interrupt->load(std::memory_order_relaxed); };
  auto found_target = [&] {
    if (!opts.stop_when_found || live) return false;
    if (opts.stop_invariant < 0) {
      for (const Candidate& c : best)
        if (c.found) return true;
      return false;
    }
    return best[static_cast<std::size_t>(opts.stop_invariant)].found;
  };
  Failures failures;
  // Fingerprint mode: the expanded level's arenas, kept for the next level's lanes.
  std::vector<ByteArena> spare_arenas;

  while (!frontier.empty()) {
    if (opts.bounds.max_depth && depth >= opts.bounds.max_depth) {
      bound = "max_depth";
      break;
    }
    std::conditional_t<kShared, NoLevelMap, LevelMap<Key>> level;
    std::vector<std::vector<Candidate>> local_best(static_cast<std::size_t>(threads), std::vector<Candidate>(model::kInvCount));
    std::atomic<std::size_t> next{0};
    const std::size_t chunk = 64;
    // Fingerprint mode: the packed new states, an arena per worker; and the states
    // whose packed copy a lesser path replaces (symmetry).
    struct Repack {
      FreshState* fresh;
      std::uint64_t path, where;
    };
    // A cache line each, so that one worker's appends do not slow the other's reads.
    struct alignas(64) Lane {
      ByteArena arena;
      std::vector<Repack> repacks;
    };
    std::vector<Lane> lanes(kShared ? static_cast<std::size_t>(threads) : 0);
    // The lanes write into the arenas of the level before the one being expanded
    // (emptied, their pages already mapped): no page faults and no regrowth copies.
    for (Lane& l : lanes)
      if (!spare_arenas.empty()) {
        l.arena = std::move(spare_arenas.back());
        l.arena.clear();
        spare_arenas.pop_back();
      }
    spare_arenas.clear();
    // Rounds end early when the table must grow: the unexpanded rest of each
    // worker's chunk is handed back.
    std::atomic<bool> pause{false};
    std::mutex leftover_mu;
    std::vector<std::pair<std::size_t, std::size_t>> leftovers;
    auto give_back = [&](std::size_t b, std::size_t e) {
      std::lock_guard<std::mutex> lock(leftover_mu);
      leftovers.emplace_back(b, e);
    };
    auto take_leftover = [&](std::size_t& b, std::size_t& e) {
      std::lock_guard<std::mutex> lock(leftover_mu);
      if (leftovers.empty()) return false;
      b = leftovers.back().first;
      e = leftovers.back().second;
      leftovers.pop_back();
      return true;
    };
    // Into a worker's best counterexamples lb: the invariants a step from frontier
    // entry fe (choice pk) violated, and those of fe's state when no step of it makes
    // progress (S14, S15).
    auto record_step = [&](std::vector<Candidate>& lb, const Frontier::Entry& fe, const model::InvSet& v, PathKey pk) {
      for (model::Inv inv : v.list()) {
        Candidate c{true, depth + 1, pk, fe.node, static_cast<int>(pk.choice)};
        if (c.better_than(lb[static_cast<std::size_t>(inv)])) lb[static_cast<std::size_t>(inv)] = c;
      }
    };
    auto record_quiescent = [&](std::vector<Candidate>& lb, const Frontier::Entry& fe, const S& state) {
      model::InvSet q = m.quiescent_violations(state, false, nullptr);
      for (model::Inv inv : q.list()) {
        Candidate c{true, depth, fe.key, fe.node, -1};
        if (c.better_than(lb[static_cast<std::size_t>(inv)])) lb[static_cast<std::size_t>(inv)] = c;
      }
    };
    // A successor whose key is known: checked against the visited set, claimed, and
    // packed into the worker's arena when new. violates(known) checks the deferred
    // invariants of a state whose key is not in the set yet (true: it violates one,
    // recorded, not inserted); encoded() gives the encoding of the state stored (the
    // canonical form under symmetry).
    auto settle = [&](Offer<Key>& o, int tid, auto&& violates, auto&& encoded) {
      Key& k = o.key;
      const PathKey pk = o.path;
      const bool taint_next = o.taint;
      if constexpr (kShared) {
        // A key in the table (an earlier level's state, or one claimed in this level)
        // is not checked again; the claim still runs, for the least path.
        // One probe run serves the check and the claim (the table does not grow
        // while a state is expanded).
        const SharedFingerprintSet::Probe at = visited.probe(k);
        if (violates(at.found())) return;
        const std::uint64_t path = (std::uint64_t{pk.parent_rank} << 32) | pk.choice;
        const SharedFingerprintSet::Claim c = visited.claim(k, path, tid, at);
        if (c.outcome == SharedFingerprintSet::Outcome::visited) return;
        // Claimed before in this level: its least path may change, and under symmetry
        // the packed state with it (it carries the renaming from the concrete state
        // the path reaches).
        if (c.outcome == SharedFingerprintSet::Outcome::reclaimed &&
            !(SharedFingerprintSet::lower(*c.fresh, path) && symmetric))
          return;
        const Encoded<M>& packed = encoded();
        const std::uint64_t off = packer.pack(packed.buf.data(), packed.n, lanes[static_cast<std::size_t>(tid)].arena);
        const std::uint64_t where = (off << 8) | static_cast<std::uint64_t>(tid) | (taint_next ? FreshState::kTaint : 0);
        if (c.outcome == SharedFingerprintSet::Outcome::claimed)
          c.fresh->where_taint = where;
        else
          lanes[static_cast<std::size_t>(tid)].repacks.push_back({c.fresh, path, where});
      } else {
        (void)tid;
        if (visited.contains(k)) return;
        if (violates(false)) return;
        level.offer(
            k, KeyOf<Key>::hash(k), pk, taint_next ? 1 : 0,
            [&](ByteArena& arena) {
              const Encoded<M>& packed = encoded();
              return packer.pack(packed.buf.data(), packed.n, arena);
            }, symmetric);
      }
    };
    // Expands frontier entry r: its successors, their invariants, the new states.
    auto expand = [&](std::size_t r, std::vector<typename M::SuccessorType>& succ, Encoded<M>& enc,
                      std::vector<Candidate>& lb, std::uint64_t& local_trans, std::vector<PendingEdge<Key>>& edges,
                      S& canon, int tid, std::vector<Encoded<M>>& encs, std::vector<Offer<Key>>& offers) {
      const Frontier::Entry& fe = frontier.entries[r];
      if (opts.test_fault_state && fe.node == opts.test_fault_state)
        throw std::logic_error("injected fault at state " + std::to_string(fe.node));
      AIOMC_ASSERT(!segment_keys);  // encodings below, not fingerprints
      thread_local std::vector<std::uint8_t> step_actors;
      thread_local std::vector<std::uint32_t> choice_order;
      std::size_t n = packer.unpack(frontier.packed(fe), enc.buf.data());
      Units sigma = identity_units<Units>();
      if (symmetric) {
        n -= kUnitsBytes;
        sigma = get_units<Units>(enc.buf.data() + n);
      }
      const S state = m.decode(enc.buf.data(), n);
      // The state invariants depend on the state alone, and a state in the visited set
      // violates none (a violating state is never inserted, S19): so a successor's are
      // checked only when its key is not in the set yet (below). Liveness checks them
      // all (it goes past violations).
      if constexpr (kDefer) {
        m.successors(state, succ, live);
      } else {
        m.successors(state, succ);
      }
      local_trans += succ.size();
      const bool tainted = fe.tainted != 0;
      if constexpr (kCanLive) {
        if (live) {
          graph.fair[fe.node] = m.fair_actors(state, succ);
          graph.obligations[fe.node] = m.liveness_obligations(state);
        }
      }
      bool progress = false;
      for (const auto& sc : succ) progress = progress || m.is_progress(state, sc.step);
      if (!progress && !tainted) record_quiescent(lb, fe, state);
      auto record = [&](const model::InvSet& v, PathKey pk) { record_step(lb, fe, v, pk); };
      // Under symmetry, the choices as the concrete state numbers its steps.
      std::vector<std::uint32_t>& order = choice_order;
      if constexpr (has_symmetry)
        if (symmetric) {
          step_actors.clear();
          for (const auto& sc : succ) step_actors.push_back(sc.step.actor);
          concrete_order(m, sigma, step_actors, order);
        }
      for (std::size_t i = 0; i < succ.size(); ++i) {
        auto& sc = succ[i];
        PathKey pk{static_cast<std::uint32_t>(r), symmetric ? order[i] : static_cast<std::uint32_t>(i)};
        bool taint_next = tainted;
        if constexpr (kDefer) {
          // What the step itself reported: its state's invariants as well, for the record.
          if (!live && !sc.violated.empty()) m.state_violations(sc.next, sc.violated);
        }
        if (!sc.violated.empty()) {
          // S19: a violating state is not expanded (safety); liveness goes past it
          // (S25) in a tainted copy, except past a panic.
          if (!tainted) record(sc.violated, pk);
          if (!live) continue;
          if (sc.violated.has(model::Inv::no_panic)) {
            graph.cut[fe.node] = 1;
            continue;
          }
          taint_next = true;
        }
        // First every successor's key, its table slot fetched ahead (the lookups
        // below then wait less on memory).
        if (encs.size() <= offers.size()) encs.emplace_back();
        Encoded<M>& e = encs[offers.size()];
        Units rho{};
        Key k = key_for(sc.next, e, canon, rho);  // e: the canonical form's encoding
        if (symmetric) append_units(e, compose(rho, sigma));
        if (taint_next) k = tainted_key(std::move(k));
        if constexpr (kShared) visited.prefetch(k);
        offers.push_back({std::move(k), pk, taint_next, static_cast<std::uint32_t>(i)});
      }
      // The deferred state invariants of successor i when its key is not in the
      // visited set; true when it violates one (recorded, and the state is not inserted).
      auto violates_new = [&](bool known, PathKey pk, std::size_t i) {
        if constexpr (kDefer) {
          if (live || known) return false;
          model::InvSet v;
          m.state_violations(succ[i].next, v);
          if (v.empty()) return false;
          record(v, pk);
          return true;
        } else {
          return false;
        }
      };
      for (std::size_t j = 0; j < offers.size(); ++j) {
        const PathKey pk = offers[j].path;
        const std::size_t i = offers[j].succ;
        Encoded<M>& enc = encs[j];
        auto encoded = [&]() -> Encoded<M>& { return enc; };
        if (live) edges.push_back({fe.node, id_key(offers[j].key), succ[i].step.actor, static_cast<std::uint8_t>(pk.choice)});
        settle(offers[j], tid, [&](bool known) { return violates_new(known, pk, i); }, encoded);
      }
      offers.clear();
    };
    // The fast path (safety, fingerprints, a model with in-place steps): one working
    // copy of the parent, each step run on it and undone, its successor keyed from
    // the parent's segment hashes; under symmetry the successor is first renamed into
    // its canonical form in place (the parent is canonical already, so most successors
    // are too, and a renaming notes what it rewrote, for the undo and the re-hash). A
    // successor is stepped again only when its key is new, to check its invariants and
    // pack it. The same states, choices, claims and counts as expand.
    struct InPlace {
      S parent{}, work{};
      std::vector<model::StepRef> cands;
      model::AccessLog log;
      std::vector<std::uint32_t> seg_end;  // where each segment ends in parent_enc
      std::vector<std::uint16_t> changed;  // a successor's changed segments, ascending
      Encoded<M> parent_enc;
      // The state expanded before (its encoding and segment ends): parent and work
      // still hold its decoding when have_prev, so the next parent decodes only the
      // segments that differ (its siblings sit beside it in the frontier).
      Encoded<M> prev_enc;
      std::vector<std::uint32_t> prev_end;
      std::vector<std::uint16_t> decoded;
      bool have_prev = false;
      struct Pending {
        model::StepRef step;
        Offer<Key> offer;
      };
      std::vector<Pending> pending;
      Encoded<M> enc;
      // Under symmetry: the enabled steps' actors, their concrete choices, and the
      // steps that reported a violation (recorded once the choices are known).
      std::vector<std::uint8_t> actors;
      std::vector<std::uint32_t> order;
      struct StepViolation {
        model::InvSet v;
        std::uint32_t at;  // its place among the enabled steps
      };
      std::vector<StepViolation> step_violations;
    };
    auto expand_in_place = [&](std::size_t r, InPlace& ip, std::vector<Candidate>& lb, std::uint64_t& local_trans, int tid) {
      if constexpr (HasInPlaceSteps<M> && kShared) {
        const Frontier::Entry& fe = frontier.entries[r];
        if (opts.test_fault_state && fe.node == opts.test_fault_state)
          throw std::logic_error("injected fault at state " + std::to_string(fe.node));
        const std::size_t nseg = m.segments().size();
        if (ip.seg_end.size() != nseg) {
          ip.seg_end.assign(nseg, 0);
          ip.prev_end.assign(nseg, 0);
          ip.have_prev = false;
        }
        std::swap(ip.parent_enc.buf, ip.prev_enc.buf);
        std::swap(ip.seg_end, ip.prev_end);
        // Set again once this expansion has undone its last step (an exception
        // leaves the working copy as it was then).
        const bool have_prev = ip.have_prev;
        ip.have_prev = false;
        std::size_t n = packer.unpack(frontier.packed(fe), ip.parent_enc.buf.data());
        Units sigma = identity_units<Units>();
        if (symmetric) {
          n -= kUnitsBytes;
          sigma = get_units<Units>(ip.parent_enc.buf.data() + n);
        }
        if (have_prev) {
          m.decode_changed(ip.parent_enc.buf.data(), n, ip.prev_enc.buf.data(), ip.prev_end.data(), ip.parent,
                           ip.seg_end.data(), ip.decoded);
          for (const std::uint16_t g : ip.decoded) m.copy_segment(ip.work, ip.parent, g);
        } else {
          m.decode_over(ip.parent_enc.buf.data(), n, ip.parent, ip.seg_end.data());
          m.copy_used(ip.work, ip.parent);
        }
#ifdef _GLIBCXX_ASSERTIONS
        // Checked builds: as decoded from scratch, and the working copy its equal.
        AIOMC_ASSERT(m.decode(ip.parent_enc.buf.data(), n) == ip.parent);
        AIOMC_ASSERT(ip.work == ip.parent);
#endif
        // The parent's sum of segment hashes is its key unmixed (a key the table
        // stores remapped, 1 in 2^16, is recomputed); a successor's is that plus the
        // changes of the segments its step touched.
        const std::uint64_t sum =
            SharedFingerprintSet::maybe_remapped(fe.fp) ? m.fingerprint_sum(ip.parent) : M::sum_of_fingerprint(fe.fp);
#ifdef _GLIBCXX_ASSERTIONS
        AIOMC_ASSERT(sum == m.fingerprint_sum(ip.parent));
#endif
        // Runs step c on the working copy, renamed into its canonical form under
        // symmetry (rho: the renaming of its units); false: not enabled.
        auto step_canonical = [&](model::StepRef c, model::InvSet* v, Units& rho) {
          if (!m.step_in_place(ip.work, c, v, ip.log)) return false;
          if constexpr (has_symmetry)
            if (symmetric && v->empty()) m.canonicalize_in_place(ip.work, ip.parent, ip.log, &rho);
          return true;
        };
        m.candidate_steps(ip.parent, ip.cands);
        ip.pending.clear();
        ip.actors.clear();
        ip.step_violations.clear();
        auto record = [&](const model::InvSet& v, PathKey pk) { record_step(lb, fe, v, pk); };
        std::uint32_t choice = 0;
        bool progress = false;
        Units rho{};
        for (const model::StepRef c : ip.cands) {
          model::InvSet v;
          const bool enabled = step_canonical(c, &v, rho);
          if (enabled) {
            // The choice in the stored form's order (renumbered below under symmetry).
            const PathKey pk{static_cast<std::uint32_t>(r), choice++};
            ip.actors.push_back(c.actor);
            progress = progress || m.is_progress(ip.parent, c);
            if (!v.empty()) {
              // The step itself reported a violation: its state's too, for the record (S19).
              m.state_violations(ip.work, v);
              if (symmetric)
                ip.step_violations.push_back({v, pk.choice});
              else
                record(v, pk);
            } else {
              // Keyed and undone in one pass over the touched segments.
              const std::uint64_t next = sum + m.touched_delta_undo(ip.work, ip.parent, ip.log);
#ifdef _GLIBCXX_ASSERTIONS
              AIOMC_ASSERT(ip.work == ip.parent);
#endif
              const Key k = M::fingerprint_of_sum(next);
              visited.prefetch(k);
              ip.pending.push_back({c, Offer<Key>{k, pk, false}});
              continue;
            }
          }
          m.undo_step(ip.work, ip.parent, ip.log);
        }
        local_trans += choice;
        if constexpr (has_symmetry)
          if (symmetric) {
            concrete_order(m, sigma, ip.actors, ip.order);
            for (auto& pd : ip.pending) pd.offer.path.choice = ip.order[pd.offer.path.choice];
            for (const auto& sv : ip.step_violations) record(sv.v, PathKey{static_cast<std::uint32_t>(r), ip.order[sv.at]});
          }
        if (!progress) record_quiescent(lb, fe, ip.parent);
        for (auto& pd : ip.pending) {
          bool stepped = false;
          auto step_again = [&] {
            if (stepped) return;
            model::InvSet none;
            const bool again = step_canonical(pd.step, &none, rho);
            AIOMC_ASSERT(again && none.empty());
            stepped = true;
          };
          auto violates = [&](bool known) {
            if (known) return false;
            step_again();
            model::InvSet v;
            m.state_violations(ip.work, v);
            if (v.empty()) return false;
            record(v, pd.offer.path);
            return true;
          };
          // The parent's encoding with the segments the step (and the renaming)
          // changed re-encoded.
          auto encoded = [&]() -> Encoded<M>& {
            step_again();
            ip.changed.clear();
            m.for_touched_segments(ip.log, [&](std::size_t g) {
              if (!m.segment_unchanged(ip.work, ip.parent, g)) ip.changed.push_back(static_cast<std::uint16_t>(g));
            });
            std::sort(ip.changed.begin(), ip.changed.end());
            ip.enc.n = m.splice_encoding(ip.work, ip.parent_enc.buf.data(), ip.seg_end.data(), ip.changed.data(),
                                         ip.changed.size(), ip.enc.buf.data());
#ifdef _GLIBCXX_ASSERTIONS
            // Checked builds: the key, taken from the working copy's bytes, is the
            // decoded state's (the bytes a step leaves are the ones its encoding gives).
            AIOMC_ASSERT(m.fingerprint(m.decode(ip.enc.buf.data(), ip.enc.n)) == pd.offer.key);
#endif
            if (symmetric) append_units(ip.enc, compose(rho, sigma));
            return ip.enc;
          };
          settle(pd.offer, tid, violates, encoded);
          if (stepped) m.undo_step(ip.work, ip.parent, ip.log);
        }
        ip.have_prev = true;
      } else {
        (void)r, (void)ip, (void)lb, (void)local_trans, (void)tid;
      }
    };
    auto work = [&](int tid) {
      std::unique_ptr<InPlace> ip;
      if (in_place) ip = std::make_unique<InPlace>();
      std::vector<typename M::SuccessorType> succ;
      Encoded<M> enc;
      std::vector<Encoded<M>> encs;
      std::vector<Offer<Key>> offers;
      S canon{};
      auto& lb = local_best[static_cast<std::size_t>(tid)];
      auto& edges = pending[static_cast<std::size_t>(tid)];
      std::uint64_t local_trans = 0;
      for (;;) {
        if (stop.load(std::memory_order_relaxed)) break;
        std::size_t begin = 0, end = 0;
        if (!take_leftover(begin, end)) {
          begin = next.fetch_add(chunk);
          if (begin >= frontier.size()) break;
          end = std::min(frontier.size(), begin + chunk);
        }
        for (std::size_t r = begin; r < end; ++r) {
          if constexpr (kShared) {
            // The table needs to grow: the rest of the chunk waits for the next round.
            if (visited.over_quota(tid)) pause = true;
            if (pause.load(std::memory_order_relaxed)) {
              give_back(r, end);
              break;
            }
          }
          // Isolation: an assertion or exception of the model ends this search with
          // an error result instead of terminating the process.
          const std::size_t edges_before = edges.size();
          try {
            offers.clear();
            if (in_place)
              expand_in_place(r, *ip, lb, local_trans, tid);
            else
              expand(r, succ, enc, lb, local_trans, edges, canon, tid, encs, offers);
          } catch (...) {
            if (live && frontier.entries[r].tainted) {
              // Past a safety violation the model may meet what it asserts against:
              // that state is left out of liveness (no obligation, not terminal).
              edges.resize(edges_before);
              graph.obligations[frontier.entries[r].node] = 0;
              graph.cut[frontier.entries[r].node] = 1;
              continue;
            }
            failures.record(r, std::current_exception());
            stop = true;
            break;
          }
        }
        if (time_limit > 0 && elapsed() > time_limit) stop = true;
        if (pause.load(std::memory_order_relaxed)) break;
      }
      transitions += local_trans;
    };
    // Rounds: a round ends early when the fingerprint table must grow (no claim
    // runs while it does).
    for (;;) {
      run_pool(threads, work);
      if (!pause || stop) break;
      if constexpr (kShared) visited.make_room([](int n, auto&& w) { run_pool(n, w); }, threads);
      pause = false;
    }
    for (const auto& lb : local_best)
      for (int i = 0; i < model::kInvCount; ++i)
        if (lb[static_cast<std::size_t>(i)].found && lb[static_cast<std::size_t>(i)].better_than(best[static_cast<std::size_t>(i)]))
          best[static_cast<std::size_t>(i)] = lb[static_cast<std::size_t>(i)];
    if (failures.any()) {
      res.error = failures.message();
      res.error_node = frontier.entries[failures.rank()].node;
      bound.clear();
      break;
    }
    if (stop) {
      bound = time_bound;
      break;
    }
    std::size_t fresh = 0;
    double level_bytes = 0;
    for (const auto& edges : pending) level_bytes += static_cast<double>(edges.capacity() * sizeof(PendingEdge<Key>));
    Frontier next_frontier;
    // The level's new states in path order get the next node numbers.
    auto number = [&](const Key& key, PathKey path, std::uint64_t where, std::uint8_t tainted) {
      auto id = static_cast<std::uint32_t>(nodes.size());
      nodes.push_back({frontier.entries[path.parent_rank].node, static_cast<std::uint8_t>(path.choice)});
      if (live) {
        ids.emplace(key, id);
        graph.fair.push_back(0);
        graph.obligations.push_back(0);
        graph.cut.push_back(0);
      }
      next_frontier.entries.push_back({where, id, path, tainted});
      if constexpr (kShared) next_frontier.entries.back().fp = key;
    };
    if constexpr (kShared) {
      fresh = visited.fresh_count();
      level_bytes += static_cast<double>(visited.level_bytes());
      for (const Lane& l : lanes) level_bytes += static_cast<double>(l.arena.bytes() + l.repacks.capacity() * sizeof(Repack));
      // A lesser path's copy of a state replaces the claimer's.
      for (const Lane& l : lanes)
        for (const Repack& rp : l.repacks)
          if (rp.fresh->path.load(std::memory_order_relaxed) == rp.path) rp.fresh->where_taint = rp.where;
      // Per worker (in parallel): its claims sorted by least path, and their digests
      // written into the table.
      struct Ref {
        std::uint64_t path;
        FreshState* fresh;
      };
      std::vector<std::vector<Ref>> sorted(static_cast<std::size_t>(threads));
      std::atomic<int> next_store{0};
      run_pool(threads, [&](int) {
        for (int t; (t = next_store.fetch_add(1)) < threads;) {
          FreshStore& st = visited.store(t);
          std::vector<Ref>& v = sorted[static_cast<std::size_t>(t)];
          v.reserve(st.size());
          for (std::size_t i = 0; i < st.size(); ++i) v.push_back({st[i].path.load(std::memory_order_relaxed), &st[i]});
          std::sort(v.begin(), v.end(), [](const Ref& a, const Ref& b) { return a.path < b.path; });
          visited.publish(t);
        }
      });
      for (const auto& v : sorted) level_bytes += static_cast<double>(v.capacity() * sizeof(Ref));
      // Merged in path order (paths are distinct: each is one parent's one choice).
      next_frontier.entries.reserve(fresh);
      std::vector<std::size_t> head(sorted.size(), 0);
      for (std::size_t k = 0; k < fresh; ++k) {
        std::size_t pick = sorted.size();
        for (std::size_t t = 0; t < sorted.size(); ++t)
          if (head[t] < sorted[t].size() && (pick == sorted.size() || sorted[t][head[t]].path < sorted[pick][head[pick]].path))
            pick = t;
        const Ref& rf = sorted[pick][head[pick]++];
        const std::uint64_t wt = rf.fresh->where_taint;
        number(rf.fresh->fp, PathKey{static_cast<std::uint32_t>(rf.path >> 32), static_cast<std::uint32_t>(rf.path & 0xffffffffu)},
               wt & ~FreshState::kTaint, static_cast<std::uint8_t>((wt & FreshState::kTaint) != 0));
      }
      visited.end_level();
      for (Lane& l : lanes) next_frontier.arenas.push_back(std::move(l.arena));
    } else {
      fresh = level.size();
      visited.reserve(nodes.size() + fresh);
      level_bytes += level.bytes();
      next_frontier.entries.reserve(fresh);
      level.drain_sorted(next_frontier.arenas, [&](Key&& key, PathKey path, std::uint64_t where, std::uint8_t tainted) {
        number(key, path, where, tainted);
        visited.insert(std::move(key));
      });
    }
    if (live)
      for (auto& edges : pending) {
        for (const PendingEdge<Key>& e : edges) graph.edges.push_back({e.src, ids.at(e.dst), e.actor, e.choice});
        edges.clear();
      }
    const double held = table_bytes() + frontier.bytes() + level_bytes + static_cast<double>(fresh * sizeof(Frontier::Entry));
    peak_bytes = std::max(peak_bytes, held);
    if constexpr (kShared) {
      spare_arenas = std::move(frontier.arenas);
      // The largest last: taken first.
      std::sort(spare_arenas.begin(), spare_arenas.end(),
                [](const auto& a, const auto& b) { return a.bytes() < b.bytes(); });
    }
    frontier = std::move(next_frontier);
    if (!frontier.empty()) depth++;
    // S25: a check that expects a violation stops at the end of the level that found
    // it, so its counterexample is still the least shortest one.
    if (found_target() && !frontier.empty()) {
      res.stats.violations_complete = false;
      break;
    }
    if (interrupted()) {
      bound = "interrupted";
      break;
    }
    if (opts.bounds.max_states && nodes.size() > opts.bounds.max_states) {
      bound = "max_states";
      break;
    }
    if (opts.bounds.max_memory_mb && mib(held) > static_cast<double>(opts.bounds.max_memory_mb)) {
      bound = "max_memory";
      break;
    }
    double t = elapsed();
    // On a terminal only runs longer than a second show progress; --progress asks for
    // a line every so many seconds from the start.
    const double first_after = opts.progress_seconds > 0 ? opts.progress_seconds : 1.0;
    if (progress_every > 0 && t > first_after && t - last_progress >= progress_every) {
      last_progress = t;
      if (tty) {
        printed_tty = true;
        std::fprintf(stderr, "\r  %zu states, %.0f states/s, depth %llu, queue %zu   ", nodes.size(),
                     static_cast<double>(nodes.size()) / t, static_cast<unsigned long long>(depth), frontier.size());
      } else {
        std::fprintf(stderr, "aiomc: progress: %zu states, %.0f states/s, depth %llu, queue %zu, %.0f MiB, %.1f s\n",
                     nodes.size(), static_cast<double>(nodes.size()) / t, static_cast<unsigned long long>(depth),
                     frontier.size(), mib(held), t);
      }
      std::fflush(stderr);
    }
    if (time_limit > 0 && t > time_limit && !frontier.empty()) {
      bound = time_bound;
      break;
    }
  }
  if (printed_tty) std::fprintf(stderr, "\n");

  auto path_to = [&](std::uint32_t node, std::vector<std::uint8_t>& rev) {
    for (std::uint32_t n = node; n != 0; n = nodes[n].parent) rev.push_back(nodes[n].choice);
  };
  for (int i = 0; i < model::kInvCount; ++i) {
    const Candidate& c = best[static_cast<std::size_t>(i)];
    if (!c.found) continue;
    Counterexample cx;
    cx.invariant = static_cast<model::Inv>(i);
    cx.quiescent = c.choice < 0;
    std::vector<std::uint8_t> rev;
    if (c.choice >= 0) rev.push_back(static_cast<std::uint8_t>(c.choice));
    path_to(c.node, rev);
    cx.choices.assign(rev.rbegin(), rev.rend());
    res.violations.push_back(std::move(cx));
  }
  if (!res.error.empty()) {
    std::vector<std::uint8_t> rev;
    path_to(res.error_node, rev);
    res.error_choices.assign(rev.rbegin(), rev.rend());

  }
  Stats& st = res.stats;
  if (live && res.error.empty() && bound.empty()) {
    // S18: fair cycles and terminal states where an obligation stays open. Per
    // liveness invariant, the lasso whose cycle starts earliest (shortest prefix).
    const auto live_start = Clock::now();
    ids = {};
    if (opts.keep_graph) {
      res.graph.edges = graph.edges;
      res.graph.obligations = graph.obligations;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        const Node link = nodes[i];  // a packed struct: copy, never bind a reference to its fields
        res.graph.parent.push_back(std::uint32_t{link.parent});
        res.graph.choice.push_back(std::uint8_t{link.choice});
      }
    }
    LivenessOutcome lo = analyse_liveness(std::move(graph));
    if (opts.keep_graph) res.graph.component = lo.component;
    st.liveness_checked = true;
    st.graph_edges = lo.edges;
    st.graph_bytes_per_edge = lo.bytes_per_edge;
    st.graph_sccs = lo.sccs;
    for (model::Inv inv : {model::Inv::job_completes, model::Inv::waiter_returns, model::Inv::exit_completes}) {
      const Lasso* pick = nullptr;
      for (const Lasso& l : lo.lassos)
        if (model::obligation_invariant(l.obligation) == inv && (!pick || l.entry < pick->entry)) pick = &l;
      if (!pick) continue;
      Counterexample cx;
      cx.invariant = inv;
      std::vector<std::uint8_t> rev;
      path_to(pick->entry, rev);
      cx.choices.assign(rev.rbegin(), rev.rend());
      cx.loop_start = static_cast<int>(cx.choices.size());
      cx.obligation = pick->obligation;
      cx.choices.insert(cx.choices.end(), pick->cycle.begin(), pick->cycle.end());
      res.violations.push_back(std::move(cx));
    }
    st.liveness_seconds = std::chrono::duration<double>(Clock::now() - live_start).count();
  }
  st.states = nodes.size();
  st.transitions = transitions.load();
  st.max_depth = depth;
  st.seconds = elapsed();
  st.states_per_second = st.seconds > 0 ? static_cast<double>(st.states) / st.seconds : 0;
  // Memory that stays per state: the visited table's slots and the parent links;
  // and everything the search held at its peak (frontiers included), per state.
  const double per = static_cast<double>(std::max<std::uint64_t>(1, st.states));
  st.bytes_per_state = table_bytes() / per;
  peak_bytes = std::max(peak_bytes, table_bytes() + frontier.bytes());
  st.collision_probability = kShared ? collision_probability(st.states) : 0.0;
  st.peak_bytes = static_cast<std::uint64_t>(peak_bytes);
  st.search_bytes_per_state = peak_bytes / per;
  st.bound_hit = bound;
  st.reductions = opts.reductions;
  if (!res.error.empty())
    res.verdict = Verdict::error;
  else
    res.verdict = !res.violations.empty() ? Verdict::violation : (bound.empty() ? Verdict::pass : Verdict::incomplete);
  return res;
}

}  // namespace aiomc::checker::detail
