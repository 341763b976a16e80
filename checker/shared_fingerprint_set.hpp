// The visited set of the fingerprint mode, shared by the worker threads of a BFS
// level: 64-bit digests in one open-addressing table (linear probing, 8 bytes a slot),
// as SPIN's and TLC's hash-compact stores. Two different states with the same digest
// count as one: the probability of that is printed with the statistics
// (collision_probability).
//
// Workers insert while they expand the level, with a compare-and-swap on the slot
// (no lock). A state first reached in the level being expanded is claimed by a
// thread: its slot holds a ticket, a small number naming the claiming thread's
// FreshState (digest, least path so far, packed state), until the level ends and
// publish() writes the digest there. A thread that reaches a claimed state again
// lowers its least path (an atomic minimum), so which path wins does not depend on
// the threads' timing (S20).
//
// Slot values: 0 empty; [1, kTicketLimit) a ticket; anything else a stored digest
// (digests below kTicketLimit are stored XORed with kRemap, one more pair that can
// collide, as with any other pair of digests).
//
// The table grows between inserts only: a worker that has used its share of the free
// slots asks for a pause (pause_requested), the workers stop after the state they
// expand, and grow() rehashes on one thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <vector>
#if __has_include(<sys/mman.h>)
#include <sys/mman.h>
#endif

namespace aiomc::checker::detail {

// A state first reached in the level being expanded.
struct FreshState {
  std::uint64_t fp = 0;                    // the stored digest
  std::atomic<std::uint64_t> path{0};      // least path so far: parent rank << 32 | choice
  std::uint64_t where_taint = 0;           // packed state: offset << 8 | arena; bit 63 tainted
  std::uint64_t slot = 0;                  // its table slot
  static constexpr std::uint64_t kTaint = std::uint64_t{1} << 63;
};

// One thread's FreshStates of a level, in blocks that never move (other threads read
// the digests through tickets while this one appends); a cache line of its own.
class alignas(64) FreshStore {
 public:
  static constexpr int kShift = 15;
  static constexpr std::size_t kBlock = std::size_t{1} << kShift;
  static constexpr std::size_t kMaxBlocks = 8192;  // 2^28 states a thread a level
  FreshStore() : blocks_(std::make_unique<std::unique_ptr<FreshState[]>[]>(kMaxBlocks)) {}
  // The next entry, not yet counted (commit() counts it).
  FreshState& next() {
    const std::size_t b = size_ >> kShift;
    if (b >= kMaxBlocks) throw std::length_error("more than 2^28 new states in one BFS level on one thread");
    if (!blocks_[b]) {
      blocks_[b] = std::make_unique<FreshState[]>(kBlock);
      allocated_++;
    }
    return (*this)[size_];
  }
  void commit() { size_++; }
  FreshState& operator[](std::size_t i) const { return blocks_[i >> kShift][i & (kBlock - 1)]; }
  std::size_t size() const { return size_; }
  void clear() { size_ = 0; }
  std::size_t bytes() const { return allocated_ * kBlock * sizeof(FreshState) + kMaxBlocks * sizeof(void*); }

 private:
  std::unique_ptr<std::unique_ptr<FreshState[]>[]> blocks_;
  std::size_t size_ = 0;
  std::size_t allocated_ = 0;
};

class SharedFingerprintSet {
 public:
  // The table grows by kGrowth once it is about kMaxLoad full, so it stays 75–90 % full:
  // 8.9–10.7 bytes a state, under 16 with the 5-byte parent link.
  static constexpr double kMaxLoad = 0.9;
  static constexpr double kGrowth = 1.2;
  // The depth-first search keeps no parent links: its table grows by kGrowthNoLinks
  // once kMaxLoadNoLinks full, so it stays 53–80 % full: 10–15 bytes a state, with
  // 0.4 of the rehashing of kGrowth and half the probes of a miss at 90 %.
  static constexpr double kGrowthNoLinks = 1.5;
  static constexpr double kMaxLoadNoLinks = 0.8;
  static constexpr std::uint64_t kTicketLimit = std::uint64_t{1} << 48;
  static constexpr std::uint64_t kRemap = 0x9e3779b97f4a7c15ULL;  // >= kTicketLimit after any XOR below it
  static constexpr std::size_t kMaxSuccessors = 256;              // a choice is one byte

  // The value a digest is stored as.
  static std::uint64_t stored(std::uint64_t fp) { return fp < kTicketLimit ? fp ^ kRemap : fp; }
  // Whether a stored value may be a remapped digest (else it is the digest itself).
  static bool maybe_remapped(std::uint64_t v) { return (v ^ kRemap) < kTicketLimit; }

  // growth, max_load: the factor the table grows by once that full (kGrowth and
  // kMaxLoad; the depth-first search, which keeps no parent links, can afford a
  // sparser table within the same 16 bytes a state: kGrowthNoLinks, kMaxLoadNoLinks).
  explicit SharedFingerprintSet(int threads, double growth = kGrowth, double max_load = kMaxLoad)
      : growth_(growth), max_load_(max_load), stores_(static_cast<std::size_t>(std::max(threads, 1))), direct_(stores_.size()) {
    min_cap_ = std::max<std::size_t>(std::size_t{1} << 14, stores_.size() * 2 * kMaxSuccessors * 10);
    allocate(min_cap_);
    start_level();
  }

  enum class Outcome { visited, claimed, reclaimed };
  struct Claim {
    Outcome outcome;
    FreshState* fresh;  // claimed, reclaimed: the state's entry
  };
  // Where a lookup of fp stopped: the slot of fp itself (a stored digest or a ticket
  // of the level), or the first empty slot of its probe run.
  struct Probe {
    std::size_t slot;
    std::uint64_t value;  // what the slot held: 0 (empty), fp stored, or fp's ticket
    bool found() const { return value != 0; }
  };
  // Looks fp up (one probe run); safe during a level beside claim() (acquire: a
  // ticket's entry is written before the ticket is published).
  Probe probe(std::uint64_t fp) const {
    const std::uint64_t want = stored(fp);
    std::size_t i = home(want);
    for (std::size_t probes = 0; probes <= cap_; ++probes, i = next(i)) {
      const std::uint64_t v = slots_[i].load(std::memory_order_acquire);
      if (v == 0 || v == want || matches_ticket(v, want)) return {i, v};
    }
    throw std::logic_error("fingerprint table full");
  }
  // Looks fp up and claims it for thread `tid` if it is new, with `path`; the
  // claimer fills in where_taint. Safe on several threads at once.
  Claim claim(std::uint64_t fp, std::uint64_t path, int tid) { return claim(fp, path, tid, probe(fp)); }
  // The same after probe(fp) returned `at` (no grow() in between): the run is not
  // walked again, only from `at` on when another thread filled that empty slot since.
  Claim claim(std::uint64_t fp, std::uint64_t path, int tid, Probe at) {
    const std::uint64_t want = stored(fp);
    FreshStore& mine = stores_[static_cast<std::size_t>(tid)];
    std::size_t i = at.slot;
    for (std::size_t probes = 0; probes <= cap_; ++probes, i = next(i)) {
      std::uint64_t v = probes == 0 ? at.value : slots_[i].load(std::memory_order_acquire);
      if (v == 0) {
        FreshState& f = mine.next();
        f.fp = want;
        f.path.store(path, std::memory_order_relaxed);
        f.slot = i;
        if (slots_[i].compare_exchange_strong(v, ticket(tid, mine.size(), want), std::memory_order_acq_rel,
                                              std::memory_order_acquire)) {
          mine.commit();
          return {Outcome::claimed, &f};
        }
        // Another thread filled the slot first: v is what it wrote.
      }
      if (v == want) return {Outcome::visited, nullptr};
      if (matches_ticket(v, want)) return {Outcome::reclaimed, &fresh(v)};
    }
    throw std::logic_error("fingerprint table full");
  }
  // Starts fetching fp's home slot (claim() follows soon).
  void prefetch(std::uint64_t fp) const { __builtin_prefetch(&slots_[home(stored(fp))]); }
  // Lowers a claimed state's least path to `path`; whether it did.
  static bool lower(FreshState& f, std::uint64_t path) {
    std::uint64_t cur = f.path.load(std::memory_order_relaxed);
    while (path < cur)
      if (f.path.compare_exchange_weak(cur, path, std::memory_order_relaxed)) return true;
    return false;
  }
  // Whether the thread has claimed its share of the free slots (the caller then
  // pauses the level for grow()).
  bool over_quota(int tid) const {
    const auto t = static_cast<std::size_t>(tid);
    return stores_[t].size() + direct_[t].n.load(std::memory_order_relaxed) >= quota_[t];
  }
  // No claims running: new shares of the free slots below the maximum load if enough are
  // left (a worker may have used its share while another has not), else grow().
  void make_room() {
    make_room([](int, auto&& work) { work(0); }, 1);
  }
  // The same, rehashing on `threads` threads: pool(threads, work) runs work(tid) on
  // each and returns when all are done.
  template <class Pool>
  void make_room(Pool&& pool, int threads) {
    fold_direct();
    const std::size_t limit = static_cast<std::size_t>(max_load_ * static_cast<double>(cap_));
    const std::size_t filled = size();
    if (limit > filled && limit - filled >= stores_.size() * 4 * kMaxSuccessors) {
      set_quotas();
      return;
    }
    grow(pool, threads);
  }
  // No claims running: a larger table (rehashed on `threads` threads).
  template <class Pool>
  void grow(Pool&& pool, int threads) {
    fold_direct();
    const std::size_t n = used_ + fresh_count();
    std::size_t cap = std::max(min_cap_, static_cast<std::size_t>(static_cast<double>(cap_) * growth_));
    while (static_cast<double>(n) > max_load_ * static_cast<double>(cap) * 0.95) cap = static_cast<std::size_t>(static_cast<double>(cap) * growth_) + 1;
    Slots old = std::move(slots_);
    const std::size_t old_cap = cap_;
    allocate(cap);
    // Each old slot once, in blocks pulled by the threads; a value lands in the first
    // free slot from its home (compare-and-swap), a ticket's entry learns its slot.
    constexpr std::size_t kBlockSlots = std::size_t{1} << 16;
    std::atomic<std::size_t> next_block{0};
    pool(old_cap < 4 * kBlockSlots ? 1 : threads, [&](int) {
      for (std::size_t b; (b = next_block.fetch_add(kBlockSlots)) < old_cap;)
        for (std::size_t j = b, e = std::min(old_cap, b + kBlockSlots); j < e; ++j) {
          const std::uint64_t v = old[j].load(std::memory_order_relaxed);
          if (v == 0) continue;
          const std::uint64_t fp = v < kTicketLimit ? fresh(v).fp : v;
          std::size_t i = home(fp);
          for (std::uint64_t z = 0; !slots_[i].compare_exchange_strong(z, v, std::memory_order_relaxed); z = 0) i = next(i);
          if (v < kTicketLimit) fresh(v).slot = i;
        }
    });
    set_quotas();
  }
  // One thread: the digest of the initial state (or any state outside a level).
  void insert_now(std::uint64_t fp) {
    const std::uint64_t want = stored(fp);
    std::size_t i = home(want);
    for (;; i = next(i)) {
      const std::uint64_t v = slots_[i].load(std::memory_order_relaxed);
      if (v == want) return;
      if (v == 0) break;
    }
    slots_[i].store(want, std::memory_order_relaxed);
    used_++;
    set_quotas();
  }
  bool contains(std::uint64_t fp) const { return probe(fp).found(); }
  // The depth-first search (checker/depth_first.hpp) has no levels: a new digest is
  // stored at once, the thread that stores it being the one that expands the state.
  // Inserts fp after probe(fp) returned `at` with nothing found; false when another
  // thread stored fp first. Threads may call it at once; grow() waits for a pause, as
  // in a level (over_quota counts these inserts).
  bool insert_new(std::uint64_t fp, int tid, Probe at) {
    const std::uint64_t want = stored(fp);
    std::size_t i = at.slot;
    for (std::size_t probes = 0; probes <= cap_; ++probes, i = next(i)) {
      std::uint64_t v = probes == 0 ? at.value : slots_[i].load(std::memory_order_relaxed);
      if (v == 0) {
        if (slots_[i].compare_exchange_strong(v, want, std::memory_order_relaxed)) {
          std::atomic<std::size_t>& n = direct_[static_cast<std::size_t>(tid)].n;
          n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // only tid writes it
          return true;
        }
        // Another thread filled the slot first: v is what it wrote.
      }
      if (v == want) return false;
    }
    throw std::logic_error("fingerprint table full");
  }
  // The level's claims, each thread's in claim order.
  FreshStore& store(int tid) { return stores_[static_cast<std::size_t>(tid)]; }
  int stores() const { return static_cast<int>(stores_.size()); }
  std::size_t fresh_count() const {
    std::size_t n = 0;
    for (const FreshStore& s : stores_) n += s.size();
    return n;
  }
  // Writes the digests of thread tid's claims into their slots (threads may run this
  // for different tids at once); then end_level() on one thread.
  void publish(int tid) {
    const FreshStore& s = stores_[static_cast<std::size_t>(tid)];
    for (std::size_t k = 0; k < s.size(); ++k) slots_[s[k].slot].store(s[k].fp, std::memory_order_relaxed);
  }
  void end_level() {
    used_ += fresh_count();
    for (FreshStore& s : stores_) s.clear();
    start_level();
  }
  std::size_t size() const {
    std::size_t n = used_ + fresh_count();
    for (const Direct& d : direct_) n += d.n.load(std::memory_order_relaxed);
    return n;
  }
  std::size_t bytes() const { return cap_ * sizeof(std::uint64_t); }
  std::size_t level_bytes() const {
    std::size_t b = 0;
    for (const FreshStore& s : stores_) b += s.bytes();
    return b;
  }

 private:
  // A ticket: 1 + (tag << 36 | tid << 28 | entry), the tag being the stored digest's
  // low 12 bits, so that a probe passing another state's ticket rarely reads its
  // FreshState (a cache miss) to learn that it is not fp's.
  static constexpr int kEntryBits = 28;  // FreshStore holds at most 2^28 entries
  static constexpr int kTagShift = 36;   // + 8 bits of thread (kMaxThreads = 256)
  static constexpr std::uint64_t kTagMask = 0xfff;
  static_assert(FreshStore::kMaxBlocks * FreshStore::kBlock <= (std::size_t{1} << kEntryBits));
  static_assert(kTagShift + 12 == 48 && kTicketLimit == std::uint64_t{1} << 48);
  static std::uint64_t ticket(int tid, std::size_t i, std::uint64_t want) {
    return 1 + ((want & kTagMask) << kTagShift | static_cast<std::uint64_t>(tid) << kEntryBits | i);
  }
  bool matches_ticket(std::uint64_t v, std::uint64_t want) const {
    return v < kTicketLimit && ((v - 1) >> kTagShift) == (want & kTagMask) && fresh(v).fp == want;
  }
  FreshState& fresh(std::uint64_t t) const {
    --t;
    return stores_[static_cast<std::size_t>((t >> kEntryBits) & 0xff)][static_cast<std::size_t>(t & ((std::uint64_t{1} << kEntryBits) - 1))];
  }
  // The slot from the digest's high bits (Lemire's multiply-shift: any table size).
  std::size_t home(std::uint64_t fp) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp) * cap_) >> 64);
  }
  std::size_t next(std::size_t i) const { return i + 1 == cap_ ? 0 : i + 1; }
  // The slots, in memory the kernel may back with 2 MiB pages (transparent huge pages,
  // when the system leaves them to madvise): every probe lands on a random slot, so
  // with 4 KiB pages nearly each one also misses the TLB, and filling a table of
  // hundreds of MiB takes a page fault every 4 KiB.
  struct FreeSlots {
    static_assert(std::is_trivially_destructible_v<std::atomic<std::uint64_t>>);
    void operator()(std::atomic<std::uint64_t>* p) const { std::free(p); }
  };
  using Slots = std::unique_ptr<std::atomic<std::uint64_t>[], FreeSlots>;
  void allocate(std::size_t cap) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = cap * sizeof(std::atomic<std::uint64_t>);
    const std::size_t align = bytes >= kHuge ? kHuge : 64;
    const std::size_t size = (bytes + align - 1) / align * align;  // aligned_alloc wants a multiple
    void* p = std::aligned_alloc(align, size);
    if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (align == kHuge) (void)madvise(p, size, MADV_HUGEPAGE);  // a hint only
#endif
    auto* slots = static_cast<std::atomic<std::uint64_t>*>(p);
    std::uninitialized_value_construct_n(slots, cap);  // all 0
    slots_ = Slots(slots);
    cap_ = cap;
  }
  void start_level() { set_quotas(); }
  // The depth-first inserts counted into used_ (no inserts running).
  void fold_direct() {
    for (Direct& d : direct_) {
      used_ += d.n.load(std::memory_order_relaxed);
      d.n.store(0, std::memory_order_relaxed);
    }
  }
  // Each thread may claim an equal share of the slots left below the maximum load; a thread
  // past its share finishes the state it expands (at most kMaxSuccessors claims), so
  // the table never fills (min_cap_ keeps that margin under the remaining 10 % or more).
  void set_quotas() {
    const std::size_t limit = static_cast<std::size_t>(max_load_ * static_cast<double>(cap_));
    const std::size_t filled = size();
    const std::size_t room = limit > filled ? limit - filled : 0;
    quota_.assign(stores_.size(), 0);
    for (std::size_t t = 0; t < stores_.size(); ++t) quota_[t] = stores_[t].size() + direct_[t].n.load(std::memory_order_relaxed) + room / stores_.size();
  }

  double growth_;
  double max_load_;
  Slots slots_;
  std::size_t cap_ = 0;
  std::size_t min_cap_ = 0;
  std::size_t used_ = 0;  // digests stored before the level being expanded
  std::vector<FreshStore> stores_;
  // Per thread, its depth-first inserts since they were last folded into used_ (a
  // cache line each: every insert counts).
  struct alignas(64) Direct {
    std::atomic<std::size_t> n{0};
  };
  std::vector<Direct> direct_;
  std::vector<std::size_t> quota_;
};

// The probability that some two of n distinct states share a 64-bit digest (so one
// was never explored): at most n(n-1)/2 pairs, each colliding with probability 2^-64.
inline double collision_probability(std::uint64_t n) {
  double d = static_cast<double>(n);
  return d * (d - 1) / 2 / 18446744073709551616.0;
}

}  // namespace aiomc::checker::detail
