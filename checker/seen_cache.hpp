// A worker's small cache of fingerprints it knows are in the visited table: one
// direct-mapped slot per low bits of the fingerprint, 128 KiB, so it stays in the
// core's L2 cache beside the working states.
//
// Why: three successors in four are already stored, and a lookup in a table of
// hundreds of megabytes is a cache miss and, on a virtual machine, a page walk.
// Depth first, a state reached again is most often one reached a short while ago
// (the other order of two independent steps, explored in a sibling subtree), so
// close to half of all successors are found here without touching the table.
// lio-wide, one thread: 46 % of successors with 2^14 slots, 52 % with 2^16, 59 %
// with 2^18; but a 512 KiB cache missed L2 itself and gained nothing, 128 KiB gained
// about 5 % (seven paired full runs, bench/README.md).
//
// Exact: a slot holds a whole fingerprint, put there only once the table holds it;
// a fingerprint of 0 is never cached (0 marks an empty slot).
#pragma once

#include <cstdint>
#include <vector>

namespace aiomc::checker::detail {

class SeenCache {
 public:
  static constexpr int kBits = 14;
  SeenCache() : slots_(std::size_t{1} << kBits, 0) {}
  // Whether fp is in the visited table (true is certain; false says nothing).
  bool known(std::uint64_t fp) const { return fp != 0 && slots_[fp & kMask] == fp; }
  // fp is in the visited table now.
  void note(std::uint64_t fp) { slots_[fp & kMask] = fp; }
  static constexpr std::size_t bytes() { return (std::size_t{1} << kBits) * sizeof(std::uint64_t); }

 private:
  static constexpr std::uint64_t kMask = (std::uint64_t{1} << kBits) - 1;
  std::vector<std::uint64_t> slots_;
};

}  // namespace aiomc::checker::detail
