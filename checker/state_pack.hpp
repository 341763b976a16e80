// How a state waits in the BFS frontier: its canonical encoding XORed with the
// initial state's, so that bytes no step has changed become zero, and only the
// nonzero bytes kept. A level's states sit back to back in byte arenas.
//
// Format: the encoding's length n (2 bytes, little-endian); a bitmap of its n bytes
// (bit set: the byte differs from the initial state's), ceil(n/8) bytes; then the
// XORs of the bytes that differ, in order. On lio-split an encoding of ~466 bytes
// differs from the initial one in ~167, so a state packs into ~230 bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace aiomc::checker::detail {

class StatePacker {
 public:
  StatePacker() = default;
  // base: the initial state's encoding; max: the longest encoding there can be.
  StatePacker(const std::uint8_t* base, std::size_t n, std::size_t max) : base_(max + 8, 0) {
    std::memcpy(base_.data(), base, std::min(n, max));
  }

  // Appends the packed form of buf[0..n) to out.
  void pack(const std::uint8_t* buf, std::size_t n, std::vector<std::uint8_t>& out) const {
    const std::size_t mask_bytes = (n + 7) / 8;
    // Packed in a scratch buffer first: growing `out` to the longest a packing can be
    // would zero-fill it for every state.
    thread_local std::vector<std::uint8_t> scratch;
    if (scratch.size() < 2 + mask_bytes + n + 8) scratch.resize(2 + mask_bytes + n + 8);  // + 8: whole-word stores
    std::uint8_t* head = scratch.data();
    head[0] = static_cast<std::uint8_t>(n);
    head[1] = static_cast<std::uint8_t>(n >> 8);
    std::uint8_t* mask = head + 2;
    std::uint8_t* o = mask + mask_bytes;
    const std::uint8_t* b = base_.data();
    for (std::size_t w = 0; w < mask_bytes; ++w) {
      std::uint64_t x = 0, y = 0;
      if (8 * w + 8 <= n) {  // a whole word: fixed-size copies the compiler makes loads
        std::memcpy(&x, buf + 8 * w, 8);
        std::memcpy(&y, b + 8 * w, 8);
      } else {
        std::memcpy(&x, buf + 8 * w, n - 8 * w);
        std::memcpy(&y, b + 8 * w, n - 8 * w);
      }
      x ^= y;
      if (x == 0) {  // most words of a state are as they were at the start
        mask[w] = 0;
        continue;
      }
      // One bit per nonzero byte of x (little-endian: byte i -> bit i).
      constexpr std::uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
      std::uint64_t t = (((x & lo7) + lo7) | x) & ~lo7;
      auto bits = static_cast<std::uint8_t>(((t >> 7) * 0x0102040810204080ULL) >> 56);
      mask[w] = bits;
      if (bits == 0xFF) {  // all eight differ: one word store
        std::memcpy(o, &x, 8);
        o += 8;
        continue;
      }
      // The nonzero bytes, in order (few per word: one store each).
      for (unsigned rest = bits; rest; rest &= rest - 1)
        *o++ = static_cast<std::uint8_t>(x >> (8 * __builtin_ctz(rest)));
    }
    out.insert(out.end(), head, o);
  }
  // Unpacks the state at p into buf (room for the longest encoding); returns its length.
  std::size_t unpack(const std::uint8_t* p, std::uint8_t* buf) const {
    const std::size_t n = static_cast<std::size_t>(p[0]) | (static_cast<std::size_t>(p[1]) << 8);
    const std::size_t mask_bytes = (n + 7) / 8;
    const std::uint8_t* mask = p + 2;
    const std::uint8_t* in = mask + mask_bytes;
    std::memcpy(buf, base_.data(), n);
    for (std::size_t w = 0; w < mask_bytes; ++w) {
      unsigned bits = mask[w];
      while (bits) {
        const int i = __builtin_ctz(bits);
        buf[8 * w + static_cast<std::size_t>(i)] ^= *in++;
        bits &= bits - 1;
      }
    }
    return n;
  }

 private:
  std::vector<std::uint8_t> base_;  // the initial encoding, zero beyond it
};

}  // namespace aiomc::checker::detail
