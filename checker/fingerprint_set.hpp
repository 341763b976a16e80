// The visited set of the fingerprint mode: 64-bit digests in one open-addressing
// table (linear probing, 8 bytes a slot, 0 marks an empty slot), as SPIN's and TLC's
// hash-compact stores. Two different states with the same digest count as one: the
// probability of that is printed with the statistics (collision_probability).
//
// Reads (contains) may run on several threads at once; inserts happen between BFS
// levels on one thread, so no read ever races a write.
#pragma once

#include <cstdint>
#include <vector>

namespace aiomc::checker::detail {

class FingerprintSet {
 public:
  // The table grows by kGrowth once it is kMaxLoad full, so it stays 75–90 % full:
  // 8.9–10.7 bytes a state, under 16 with the 5-byte parent link.
  static constexpr double kMaxLoad = 0.9;
  static constexpr double kGrowth = 1.2;

  bool contains(std::uint64_t fp) const {
    fp = nonzero(fp);
    for (std::size_t i = home(fp);; i = next(i)) {
      std::uint64_t v = slots_[i];
      if (v == fp) return true;
      if (v == 0) return false;
    }
  }
  // Whether fp was new. Grows the table when needed.
  bool insert(std::uint64_t fp) {
    reserve(size_ + 1);
    return put(nonzero(fp));
  }
  // Room for n fingerprints without growing during the next inserts.
  void reserve(std::size_t n) {
    if (static_cast<double>(n) <= kMaxLoad * static_cast<double>(slots_.size())) return;
    std::size_t cap = std::max<std::size_t>(1024, static_cast<std::size_t>(static_cast<double>(slots_.size()) * kGrowth));
    while (static_cast<double>(n) > kMaxLoad * static_cast<double>(cap)) cap = static_cast<std::size_t>(static_cast<double>(cap) * kGrowth) + 1;
    std::vector<std::uint64_t> old(cap, 0);
    old.swap(slots_);
    size_ = 0;
    for (std::uint64_t v : old)
      if (v) put(v);
  }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return slots_.capacity() * sizeof(std::uint64_t); }

 private:
  // Digest 0 marks an empty slot, so it is stored as 1 (one more pair that can collide).
  static std::uint64_t nonzero(std::uint64_t fp) { return fp ? fp : 1; }
  // The slot from the digest's high bits (Lemire's multiply-shift: any table size).
  std::size_t home(std::uint64_t fp) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp) * slots_.size()) >> 64);
  }
  std::size_t next(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
  bool put(std::uint64_t fp) {
    for (std::size_t i = home(fp);; i = next(i)) {
      std::uint64_t& v = slots_[i];
      if (v == fp) return false;
      if (v == 0) {
        v = fp;
        size_++;
        return true;
      }
    }
  }
  std::vector<std::uint64_t> slots_ = std::vector<std::uint64_t>(1024, 0);
  std::size_t size_ = 0;
};

// The probability that some two of n distinct states share a 64-bit digest (so one
// was never explored): at most n(n-1)/2 pairs, each colliding with probability 2^-64.
inline double collision_probability(std::uint64_t n) {
  double d = static_cast<double>(n);
  return d * (d - 1) / 2 / 18446744073709551616.0;
}

}  // namespace aiomc::checker::detail
