// How a state waits in the BFS frontier: its canonical encoding XORed with the
// initial state's, so that bytes no step has changed become zero, and only the
// nonzero bytes kept.
//
// Format: the encoding's length n (2 bytes, little-endian); a bitmap of its n bytes
// (bit set: the byte differs from the initial state's), ceil(n/8) bytes; then the
// XORs of the bytes that differ, in order. On lio-split an encoding of ~466 bytes
// differs from the initial one in ~167, so a state packs into ~230 bytes. A level's
// packed states sit in a ByteArena.
//
// Where the processor has BMI2 (and its PDEP/PEXT are fast: not AMD before Zen 3),
// a word's differing bytes are gathered and scattered with one PEXT/PDEP each
// instead of a loop over the bytes; the packed form is the same.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "checker/byte_arena.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define AIOMC_PACK_BMI2 1
#endif

namespace aiomc::checker::detail {

// One bit per nonzero byte of x (little-endian: byte i -> bit i).
inline unsigned nonzero_bytes(std::uint64_t x) {
  constexpr std::uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
  const std::uint64_t t = (((x & lo7) + lo7) | x) & ~lo7;
  return static_cast<std::uint8_t>(((t >> 7) * 0x0102040810204080ULL) >> 56);
}

// Word w of buf XOR the same word of base (n bytes each; the last word may be short).
inline std::uint64_t xor_word(const std::uint8_t* buf, const std::uint8_t* base, std::size_t n, std::size_t w) {
  std::uint64_t x = 0, y = 0;
  if (8 * w + 8 <= n) {  // a whole word: fixed-size copies the compiler makes loads
    std::memcpy(&x, buf + 8 * w, 8);
    std::memcpy(&y, base + 8 * w, 8);
  } else {
    std::memcpy(&x, buf + 8 * w, n - 8 * w);
    std::memcpy(&y, base + 8 * w, n - 8 * w);
  }
  return x ^ y;
}

#ifdef AIOMC_PACK_BMI2
// The word loops of pack and unpack with PEXT/PDEP: whole-word loads and stores, so
// `out` needs 8 spare bytes and `in` 8 readable bytes past its end.
__attribute__((target("bmi2,popcnt"))) inline std::uint8_t* pack_words_bmi2(const std::uint8_t* buf, const std::uint8_t* base,
                                                                          std::size_t n, std::uint8_t* mask, std::uint8_t* o) {
  const std::size_t words = (n + 7) / 8;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t x = xor_word(buf, base, n, w);
    const unsigned bits = x ? nonzero_bytes(x) : 0;
    mask[w] = static_cast<std::uint8_t>(bits);
    const std::uint64_t v = _pext_u64(x, _pdep_u64(bits, 0x0101010101010101ULL) * 0xFF);
    std::memcpy(o, &v, 8);
    o += __builtin_popcount(bits);
  }
  return o;
}
__attribute__((target("bmi2,popcnt"))) inline void unpack_words_bmi2(const std::uint8_t* mask, const std::uint8_t* in,
                                                                   const std::uint8_t* base, std::size_t n, std::uint8_t* buf) {
  const std::size_t words = (n + 7) / 8;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t y;
    std::memcpy(&y, base + 8 * w, 8);
    if (const unsigned bits = mask[w]) {
      std::uint64_t v;
      std::memcpy(&v, in, 8);
      y ^= _pdep_u64(v, _pdep_u64(bits, 0x0101010101010101ULL) * 0xFF);
      in += __builtin_popcount(bits);
    }
    std::memcpy(buf + 8 * w, &y, 8);
  }
}
// 64 bytes at a time with AVX-512 VBMI2: the differing bytes' mask is a test, and
// they are gathered (VPCOMPRESSB) and scattered (VPEXPANDB) in registers; masked loads
// and stores touch nothing past either end.
__attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt"))) inline std::uint8_t* pack_avx512(
    const std::uint8_t* buf, const std::uint8_t* base, std::size_t n, std::uint8_t* mask, std::uint8_t* o) {
  for (std::size_t off = 0; off < n; off += 64) {
    const std::size_t len = std::min<std::size_t>(64, n - off);
    const __mmask64 in_range = len == 64 ? ~__mmask64{0} : (__mmask64{1} << len) - 1;
    const __m512i d = _mm512_xor_si512(_mm512_maskz_loadu_epi8(in_range, buf + off), _mm512_maskz_loadu_epi8(in_range, base + off));
    const std::uint64_t k = _mm512_test_epi8_mask(d, d);
    std::memcpy(mask + off / 8, &k, (len + 7) / 8);
    const int count = __builtin_popcountll(k);
    const __mmask64 out = count == 64 ? ~__mmask64{0} : (__mmask64{1} << count) - 1;
    _mm512_mask_storeu_epi8(o, out, _mm512_maskz_compress_epi8(k, d));
    o += count;
  }
  return o;
}
__attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt"))) inline void unpack_avx512(const std::uint8_t* mask, const std::uint8_t* in,
                                                                                      const std::uint8_t* base, std::size_t n,
                                                                                      std::uint8_t* buf) {
  for (std::size_t off = 0; off < n; off += 64) {
    const std::size_t len = std::min<std::size_t>(64, n - off);
    const __mmask64 in_range = len == 64 ? ~__mmask64{0} : (__mmask64{1} << len) - 1;
    std::uint64_t k = 0;
    std::memcpy(&k, mask + off / 8, (len + 7) / 8);
    const int count = __builtin_popcountll(k);
    const __mmask64 packed = count == 64 ? ~__mmask64{0} : (__mmask64{1} << count) - 1;
    const __m512i d = _mm512_maskz_expand_epi8(k, _mm512_maskz_loadu_epi8(packed, in));
    _mm512_mask_storeu_epi8(buf + off, in_range, _mm512_xor_si512(d, _mm512_maskz_loadu_epi8(in_range, base + off)));
    in += count;
  }
}
inline bool fast_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2");
}
inline bool fast_bmi2() {
  __builtin_cpu_init();
  // PDEP/PEXT are microcoded (hundreds of cycles) on AMD before Zen 3.
  return __builtin_cpu_supports("bmi2") && !__builtin_cpu_is("amdfam15h") && !__builtin_cpu_is("znver1") &&
         !__builtin_cpu_is("znver2");
}
#endif

class StatePacker {
 public:
  StatePacker() = default;
  // base: the initial state's encoding; max: the longest encoding there can be.
  StatePacker(const std::uint8_t* base, std::size_t n, std::size_t max) : base_(max + 8, 0) {
    std::memcpy(base_.data(), base, std::min(n, max));
#ifdef AIOMC_PACK_BMI2
    static const WordOps best = fast_avx512() ? WordOps::avx512 : fast_bmi2() ? WordOps::bmi2 : WordOps::portable;
    ops_ = best;
#endif
  }

  // Appends the packed form of buf[0..n) to out; returns the offset it starts at.
  std::uint64_t pack(const std::uint8_t* buf, std::size_t n, ByteArena& out) const {
    const std::size_t mask_bytes = (n + 7) / 8;
    // Written in place: the longest a packing can be, and 8 bytes for whole-word stores.
    std::uint8_t* head = out.reserve(2 + mask_bytes + n + 8);
    const std::uint64_t at = out.size();
    head[0] = static_cast<std::uint8_t>(n);
    head[1] = static_cast<std::uint8_t>(n >> 8);
    std::uint8_t* mask = head + 2;
    std::uint8_t* o = mask + mask_bytes;
    const std::uint8_t* b = base_.data();
#ifdef AIOMC_PACK_BMI2
    if (ops_ != WordOps::portable) {
      o = ops_ == WordOps::avx512 ? pack_avx512(buf, b, n, mask, o) : pack_words_bmi2(buf, b, n, mask, o);
      out.commit(static_cast<std::size_t>(o - head));
      return at;
    }
#endif
    for (std::size_t w = 0; w < mask_bytes; ++w) {
      const std::uint64_t x = xor_word(buf, b, n, w);
      if (x == 0) {  // most words of a state are as they were at the start
        mask[w] = 0;
        continue;
      }
      const auto bits = static_cast<std::uint8_t>(nonzero_bytes(x));
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
    out.commit(static_cast<std::size_t>(o - head));
    return at;
  }
  // Tests: the portable word loops even where BMI2 is fast (the packed form is the same).
  enum class WordOps { portable, bmi2, avx512 };
  // Tests: the word loops to use (at most the best the processor has; the packed
  // form is the same with any).
  void use(WordOps w) { ops_ = std::min(w, ops_); }
  void force_portable() { use(WordOps::portable); }
  // Unpacks the state at p into buf (room for the longest encoding and 8 bytes more);
  // returns its length. 8 bytes past the packed state must be readable (a ByteArena
  // keeps 8 spare bytes after its last append).
  std::size_t unpack(const std::uint8_t* p, std::uint8_t* buf) const {
    const std::size_t n = static_cast<std::size_t>(p[0]) | (static_cast<std::size_t>(p[1]) << 8);
    const std::size_t mask_bytes = (n + 7) / 8;
    const std::uint8_t* mask = p + 2;
    const std::uint8_t* in = mask + mask_bytes;
#ifdef AIOMC_PACK_BMI2
    if (ops_ == WordOps::avx512) {
      unpack_avx512(mask, in, base_.data(), n, buf);
      return n;
    }
    if (ops_ == WordOps::bmi2) {
      unpack_words_bmi2(mask, in, base_.data(), n, buf);
      return n;
    }
#endif
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
  WordOps ops_ = WordOps::portable;
};

}  // namespace aiomc::checker::detail
