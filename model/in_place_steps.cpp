// The explorer's fast path through the model: steps run in place on a working copy
// of the parent and are undone from the parent afterwards, and the fingerprint of a
// successor is the parent's with the touched segments re-hashed. Both rest on the
// footprint log (access_log.hpp): what a step writes, it touched.
// xxHash inline (the Debian header's own mode): the segments are short, and a call
// into the library per segment costs more than the hashing.
#define XXH_INLINE_ALL
#include <xxhash.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include <array>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>

#include "model/kernel.hpp"
#include "model/model.hpp"

namespace aiomc::model {
namespace {

// The segment a kind of object's entries are encoded in.
Model::SegKind segment_kind(ObjKind k) {
  switch (k) {
    case ObjKind::proc: return Model::SegKind::proc;
    case ObjKind::thread: return Model::SegKind::thread;
    case ObjKind::daemon: return Model::SegKind::daemon;
    case ObjKind::disk: return Model::SegKind::disk;
    case ObjKind::job: return Model::SegKind::job;
    case ObjKind::lio: return Model::SegKind::lio;
    case ObjKind::kq: return Model::SegKind::kq;
    case ObjKind::knote: return Model::SegKind::knote;
    case ObjKind::sock: return Model::SegKind::sock;
  }
  return Model::SegKind::globals;
}

bool has_dead_form(Model::SegKind k) {
  return k == Model::SegKind::daemon || k == Model::SegKind::job || k == Model::SegKind::lio ||
         k == Model::SegKind::kq || k == Model::SegKind::knote;
}

std::uint64_t segment_seed(std::size_t seg) { return 0x9e3779b97f4a7c15ULL * (seg + 1); }

// The hashes of the state's bytes (segment_hash): a sum over the 8-byte words of a
// segment's bytes in a State, each word mixed with its position, so a step's change
// to a segment's hash comes from the words it changed alone, with no encoding and no
// hashing of the rest. The sum depends on the state only: a live entry's bytes are
// the ones its decoding gives (unused SVec slots zero, unencoded fields blank;
// checked builds assert it of every new state), the entries have no padding
// (state.hpp), and a dead slot counts as its dead_hash_, whatever stale bytes it keeps.
constexpr std::uint64_t kWordKey = 0x9e3779b97f4a7c15ULL;
inline std::uint64_t word_hash(std::size_t pos, std::uint64_t x) {
  // MurmurHash3's finaliser of the word keyed by its position.
  x ^= (static_cast<std::uint64_t>(pos) + 1) * kWordKey;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline std::uint64_t load_word(const unsigned char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

// A segment's span: `len` bytes (a multiple of 32) at byte `off` of a State, with
// their mask (0xFF for the segment's bytes, 0 for the bytes past it that round the
// span up). A word with no byte of the segment is left out.
std::uint64_t span_hash(const unsigned char* s, const unsigned char* mask, std::size_t off, std::size_t len) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < len; i += 8) {
    const std::uint64_t m = load_word(mask + i);
    if (m) h += word_hash(off + i, load_word(s + off + i) & m);
  }
  return h;
}

// Whether the spans of w and p differ in a data byte; if so, delta is what w's
// span_hash differs from p's by. Most steps change a few bytes of a segment, so the
// words are first compared 32 bytes at a time (Blocks: one AVX2 compare, or four
// words), and only a block that differs is hashed word by word.
template <class Blocks>
inline bool span_delta(const unsigned char* w, const unsigned char* p, const unsigned char* mask, std::size_t off,
                       std::size_t len, std::uint64_t& delta) {
  w += off;
  p += off;
  std::uint64_t d = 0;
  bool changed = false;
  for (std::size_t i = 0; i < len; i += 32) {
    if (!Blocks::differ(w + i, p + i, mask + i)) continue;
    for (std::size_t k = i; k < i + 32; k += 8) {
      const std::uint64_t m = load_word(mask + k);
      const std::uint64_t x = load_word(w + k) & m, y = load_word(p + k) & m;
      if (x != y) {
        d += word_hash(off + k, x) - word_hash(off + k, y);
        changed = true;
      }
    }
  }
  delta = d;
  return changed;
}

// span_delta that also puts p's bytes back into w's span (the mask's bytes only: the
// bytes past a segment's end belong to another, maybe not hashed yet), so that w is p
// again there. Only a block that differs is written. The span's first `full` bytes
// are the segment's whole blocks, compared 64 bytes at a time with no mask (a step
// changes a few words of an entry, so most of it is passed over at that rate).
template <class Blocks>
inline std::uint64_t block_delta_restore(unsigned char* w, const unsigned char* p, std::size_t at) {
  std::uint64_t d = 0;
  for (std::size_t k = 0; k < 32; k += 8) {
    const std::uint64_t x = load_word(w + k), y = load_word(p + k);
    if (x != y) d += word_hash(at + k, x) - word_hash(at + k, y);
  }
  Blocks::copy(w, p);
  return d;
}

// `changed` is set when a data byte of the span differed.
template <class Blocks>
inline std::uint64_t span_delta_restore(unsigned char* w, const unsigned char* p, const unsigned char* mask,
                                        std::size_t off, std::size_t len, std::size_t full, bool& changed) {
  w += off;
  p += off;
  std::uint64_t d = 0;
  std::size_t i = 0;
  for (; i + 64 <= full; i += 64) {
    if (!Blocks::differ64(w + i, p + i)) continue;
    changed = true;
    if (Blocks::differ32(w + i, p + i)) d += block_delta_restore<Blocks>(w + i, p + i, off + i);
    if (Blocks::differ32(w + i + 32, p + i + 32)) d += block_delta_restore<Blocks>(w + i + 32, p + i + 32, off + i + 32);
  }
  if (i < full) {
    if (Blocks::differ32(w + i, p + i)) {
      changed = true;
      d += block_delta_restore<Blocks>(w + i, p + i, off + i);
    }
    i += 32;
  }
  if (i < len && Blocks::differ(w + i, p + i, mask + i)) {
    changed = true;
    for (std::size_t k = i; k < i + 32; k += 8) {
      const std::uint64_t m = load_word(mask + k);
      const std::uint64_t x = load_word(w + k) & m, y = load_word(p + k) & m;
      if (x != y) d += word_hash(off + k, x) - word_hash(off + k, y);
    }
    Blocks::restore(w + i, p + i, mask + i);
  }
  return d;
}

struct PortableBlocks {
  static bool differ(const unsigned char* w, const unsigned char* p, const unsigned char* mask) {
    std::uint64_t any = 0;
    for (std::size_t k = 0; k < 32; k += 8) any |= (load_word(w + k) ^ load_word(p + k)) & load_word(mask + k);
    return any != 0;
  }
  static bool differ32(const unsigned char* w, const unsigned char* p) {
    std::uint64_t any = 0;
    for (std::size_t k = 0; k < 32; k += 8) any |= load_word(w + k) ^ load_word(p + k);
    return any != 0;
  }
  static bool differ64(const unsigned char* w, const unsigned char* p) {
    std::uint64_t any = 0;
    for (std::size_t k = 0; k < 64; k += 8) any |= load_word(w + k) ^ load_word(p + k);
    return any != 0;
  }
  static void copy(unsigned char* w, const unsigned char* p) { std::memcpy(w, p, 32); }
  static void restore(unsigned char* w, const unsigned char* p, const unsigned char* mask) {
    for (std::size_t k = 0; k < 32; k += 8) {
      const std::uint64_t m = load_word(mask + k);
      const std::uint64_t x = (load_word(w + k) & ~m) | (load_word(p + k) & m);
      std::memcpy(w + k, &x, 8);
    }
  }
};

#if defined(__x86_64__) && defined(__GNUC__)
struct Avx2Blocks {
  __attribute__((target("avx2"))) static bool differ(const unsigned char* w, const unsigned char* p,
                                                     const unsigned char* mask) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mask));
    return !_mm256_testz_si256(_mm256_xor_si256(x, y), m);
  }
  __attribute__((target("avx2"))) static bool differ32(const unsigned char* w, const unsigned char* p) {
    const __m256i d = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)),
                                       _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return !_mm256_testz_si256(d, d);
  }
  __attribute__((target("avx2"))) static bool differ64(const unsigned char* w, const unsigned char* p) {
    const __m256i d0 = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w)),
                                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    const __m256i d1 = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32)),
                                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32)));
    const __m256i d = _mm256_or_si256(d0, d1);
    return !_mm256_testz_si256(d, d);
  }
  __attribute__((target("avx2"))) static void copy(unsigned char* w, const unsigned char* p) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  __attribute__((target("avx2"))) static void restore(unsigned char* w, const unsigned char* p,
                                                      const unsigned char* mask) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(mask));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), _mm256_blendv_epi8(x, y, m));
  }
};
bool have_avx2() { return __builtin_cpu_supports("avx2"); }
#define AIOMC_HAVE_AVX2_PASS 1
#else
bool have_avx2() { return false; }
#endif

// Whether a table entry type has no padding, so that every byte of it is data
// (state.hpp): GCC's __builtin_clear_padding leaves an object of all ones as it is.
// Clang has no such builtin, but its has_unique_object_representations is right for
// these types (GCC's is false for any class with an empty [[no_unique_address]]
// member, as Table has).
#if defined(__has_builtin) && !defined(__clang__)
#if __has_builtin(__builtin_clear_padding)
#define AIOMC_CLEAR_PADDING 1
#endif
#endif
template <class T>
bool all_data_bytes() {
  static_assert(std::is_trivially_copyable_v<T>);
#ifdef AIOMC_CLEAR_PADDING
  auto t = std::make_unique<T>();
  std::memset(static_cast<void*>(t.get()), 0xFF, sizeof(T));
  __builtin_clear_padding(t.get());
  const auto* b = reinterpret_cast<const unsigned char*>(t.get());
  for (std::size_t i = 0; i < sizeof(T); ++i)
    if (b[i] != 0xFF) return false;
  return true;
#else
  return std::has_unique_object_representations_v<T>;
#endif
}

// The sizes of the global fields before `callout`'s end, summed: equal to where it
// ends when they have no padding between them.
std::size_t global_field_sizes(const State& s) {
  std::size_t n = 0;
#define AIOMC_GLOBAL_SIZE(field, bit) n += sizeof(s.field);
  AIOMC_GLOBAL_FIELDS(AIOMC_GLOBAL_SIZE)
#undef AIOMC_GLOBAL_SIZE
  return n - sizeof(s.panicked) - sizeof(s.lx);
}

// Puts back entries `bits` of table `w` from `p` (the step's log is detached by now,
// so the indexing notes nothing).
template <class T, std::size_t N, class I>
void restore_entries(Table<T, N, I>& w, const Table<T, N, I>& p, std::uint32_t bits) {
  static_assert(N <= 32, "an access log holds 32 entries of a kind");
  while (bits) {
    const auto i = static_cast<std::size_t>(std::countr_zero(bits));
    bits &= bits - 1;
    w[i] = p[i];
  }
}

}  // namespace

void Model::segment_index_setup() {
  for (auto& row : segment_of_) row.fill(-1);
  segment_mask_.fill(0);
  dead_hash_.assign(segments_.size(), 0);
  entry_bytes_.assign(segments_.size(), {});
  const auto probe = std::make_unique<State>();
  // The segment hashes read each table entry's bytes (no padding: every byte is data,
  // checked here once per type), and the global fields (one run of one-byte-aligned
  // fields, so with no padding: checked below) with the panicked ghost.
  AIOMC_ASSERT(all_data_bytes<Proc>() && all_data_bytes<ThreadSt>() && all_data_bytes<Daemon>() &&
               all_data_bytes<Disk>() && all_data_bytes<SockSt>() && all_data_bytes<Job>() && all_data_bytes<Lio>() &&
               all_data_bytes<Kqueue>() && all_data_bytes<Knote>());
  const auto entry = [&](const auto& table, std::size_t i) {
    const auto* at = reinterpret_cast<const char*>(&table.data()[i]);
    return EntryBytes{static_cast<std::uint32_t>(at - reinterpret_cast<const char*>(probe.get())),
                      static_cast<std::uint32_t>(sizeof(table.data()[i]))};
  };
  const std::uint8_t dead = 0;
  hash_span_.assign(segments_.size(), {});
  avx2_ = have_avx2();
  const auto* const base = reinterpret_cast<const char*>(probe.get());
  seg_masks_.clear();
  const auto global_end = static_cast<std::uint32_t>(reinterpret_cast<const char*>(&probe->callout + 1) - base);
  AIOMC_ASSERT(global_end == global_field_sizes(*probe) && global_end <= global_fields_bytes(*probe));
  panicked_offset_ = static_cast<std::uint32_t>(reinterpret_cast<const char*>(&probe->panicked) - base);
  // The global fields are segment 0 (for_touched_segments and touched_undo rely on it).
  AIOMC_ASSERT(!segments_.empty() && segments_[0].kind == SegKind::globals);
  for (std::size_t g = 0; g < segments_.size(); ++g) {
    const Segment seg = segments_[g];
    if (has_dead_form(seg.kind)) dead_hash_[g] = XXH3_64bits_withSeed(&dead, 1, segment_seed(g));
    if (seg.kind == SegKind::linux_emul) linux_segment_ = static_cast<int>(g);
    switch (seg.kind) {
      case SegKind::globals:
      case SegKind::linux_emul: break;
      case SegKind::proc: entry_bytes_[g] = entry(probe->procs, seg.index); break;
      case SegKind::thread: entry_bytes_[g] = entry(probe->threads, seg.index); break;
      case SegKind::daemon: entry_bytes_[g] = entry(probe->daemons, seg.index); break;
      case SegKind::disk: entry_bytes_[g] = entry(probe->disks, seg.index); break;
      case SegKind::sock: entry_bytes_[g] = entry(probe->socks, seg.index); break;
      case SegKind::job: entry_bytes_[g] = entry(probe->jobs, seg.index); break;
      case SegKind::lio: entry_bytes_[g] = entry(probe->lios, seg.index); break;
      case SegKind::kq: entry_bytes_[g] = entry(probe->kqs, seg.index); break;
      case SegKind::knote: entry_bytes_[g] = entry(probe->knotes, seg.index); break;
    }
    if (seg.kind == SegKind::globals)
      hash_span_[g] = {0, global_end};
    else if (seg.kind != SegKind::linux_emul)
      hash_span_[g] = {entry_bytes_[g].offset, entry_bytes_[g].bytes};
    // The byte that is 0 in a dead slot: its live flag, or a daemon's phase.
    const auto flag_at = [&](const std::uint8_t& flag) {
      return static_cast<std::uint32_t>(reinterpret_cast<const char*>(&flag) - base);
    };
    static_assert(AIOD_NONE == 0);
    const std::size_t i = seg.index;
    switch (seg.kind) {
      case SegKind::daemon: hash_span_[g].dead_flag = flag_at(probe->daemons.data()[i].ph); break;
      case SegKind::job: hash_span_[g].dead_flag = flag_at(probe->jobs.data()[i].live); break;
      case SegKind::lio: hash_span_[g].dead_flag = flag_at(probe->lios.data()[i].live); break;
      case SegKind::kq: hash_span_[g].dead_flag = flag_at(probe->kqs.data()[i].live); break;
      case SegKind::knote: hash_span_[g].dead_flag = flag_at(probe->knotes.data()[i].live); break;
      default: break;
    }
    AIOMC_ASSERT((hash_span_[g].dead_flag != 0) == has_dead_form(seg.kind));
    // The span rounded up to 32 bytes (still inside a State: the Linux emulation's
    // state comes after every table), its mask 0 past the segment.
    HashSpan& sp = hash_span_[g];
    if (sp.bytes) {
      const std::uint32_t len = (sp.bytes + 31) / 32 * 32;
      sp.full = sp.bytes / 32 * 32;
      AIOMC_ASSERT(sp.offset + len <= sizeof(State));
      sp.mask_at = static_cast<std::uint32_t>(seg_masks_.size());
      seg_masks_.resize(seg_masks_.size() + sp.bytes, 0xFF);
      seg_masks_.resize(seg_masks_.size() + (len - sp.bytes), 0);
      sp.bytes = len;
    }
    for (int k = 0; k < kObjKinds; ++k)
      if (segment_kind(static_cast<ObjKind>(k)) == seg.kind) {
        AIOMC_ASSERT(seg.index < 32);
        segment_of_[static_cast<std::size_t>(k)][seg.index] = static_cast<std::int16_t>(g);
        segment_mask_[static_cast<std::size_t>(k)] |= 1u << seg.index;
      }
  }
}

std::uint64_t Model::segment_hash(const State& s, std::size_t seg) const {
  AIOMC_ASSERT(seg < segments_.size());
  if (dead_at(s, seg)) return dead_hash_[seg];
  const HashSpan sp = hash_span_[seg];
  if (!sp.bytes) {  // the Linux emulation: its encoding hashed
    alignas(64) std::uint8_t buf[kMaxEncoding];
    return segment_hash_of(buf, encode_segment(s, seg, buf), seg);
  }
  const auto* base = reinterpret_cast<const unsigned char*>(&s);
  std::uint64_t h = span_hash(base, seg_masks_.data() + sp.mask_at, sp.offset, sp.bytes);
  if (segments_[seg].kind == SegKind::globals) h += word_hash(panicked_offset_, s.panicked);
  return h;
}

// segment_delta and touched_delta_undo for one kind of block compare. The AVX2 pass is one
// function (flatten: the compare and the per-segment work inlined into it), so a
// step's touched segments cost no call each.
struct SegmentDeltaPass {
  template <class Blocks>
  static bool segment(const Model& m, const State& w, const State& p, std::size_t seg, std::uint64_t& delta) {
    AIOMC_ASSERT(seg < m.segments_.size());
    const Model::HashSpan sp = m.hash_span_[seg];
    if (!sp.bytes) {
      if (w.lx == p.lx) return false;
      delta = m.segment_hash(w, seg) - m.segment_hash(p, seg);
      return true;
    }
    if (sp.dead_flag) {
      const bool dw = m.dead_at(w, seg), dp = m.dead_at(p, seg);
      if (dw && dp) return false;  // one dead byte either way, whatever the slot's stale bytes
      if (dw || dp) {
        delta = m.segment_hash(w, seg) - m.segment_hash(p, seg);
        return true;
      }
    }
    const auto* wb = reinterpret_cast<const unsigned char*>(&w);
    const auto* pb = reinterpret_cast<const unsigned char*>(&p);
    bool changed = span_delta<Blocks>(wb, pb, m.seg_masks_.data() + sp.mask_at, sp.offset, sp.bytes, delta);
    if (m.segments_[seg].kind == Model::SegKind::globals && w.panicked != p.panicked) {
      delta += word_hash(m.panicked_offset_, w.panicked) - word_hash(m.panicked_offset_, p.panicked);
      changed = true;
    }
    return changed;
  }
  // The fingerprint sum's change from p to w over the segments the log touched, w
  // made p again on them in the same pass.
  // changed: a bit per SegKind with a segment whose bytes differed (a dead slot's
  // stale bytes included, to be safe).
  template <class Blocks>
  static std::uint64_t touched_undo(const Model& m, State& w, const State& p, const AccessLog& log,
                                    std::uint32_t& changed) {
    std::uint64_t sum = 0;
    std::uint32_t kinds = 0;
    auto* wb = reinterpret_cast<unsigned char*>(&w);
    const auto* pb = reinterpret_cast<const unsigned char*>(&p);
    m.for_touched_segments(log, [&](std::size_t g) {
      AIOMC_ASSERT(g < m.segments_.size());
      const Model::HashSpan& sp = m.hash_span_[g];
      const unsigned char* mask = m.seg_masks_.data() + sp.mask_at;
      const std::uint32_t kind = 1u << static_cast<unsigned>(m.segments_[g].kind);
      bool differs = false;
      if (sp.dead_flag) {
        const bool dw = wb[sp.dead_flag] == 0, dp = pb[sp.dead_flag] == 0;
        if (dw && dp) {
          // One dead byte to the hash either way, whatever the stale bytes (which are
          // put back all the same: the words' delta is not the hash's).
          span_delta_restore<Blocks>(wb, pb, mask, sp.offset, sp.bytes, sp.full, differs);
          if (differs) kinds |= kind;
          return;
        }
        if (dw || dp) {
          // Freed or allocated: hashed as segment() does, then copied back whole.
          std::uint64_t d;
          if (segment<Blocks>(m, w, p, g, d)) sum += d;
          m.copy_segment(w, p, g);
          kinds |= kind;
          return;
        }
      } else if (!sp.bytes) {
        // The Linux emulation: its encoding hashed, then copied back.
        std::uint64_t d;
        if (segment<Blocks>(m, w, p, g, d)) {
          sum += d;
          kinds |= kind;
        }
        m.copy_segment(w, p, g);
        return;
      }
      sum += span_delta_restore<Blocks>(wb, pb, mask, sp.offset, sp.bytes, sp.full, differs);
      if (g == 0 && w.panicked != p.panicked) {  // the global fields' segment, and its ghost
        sum += word_hash(m.panicked_offset_, w.panicked) - word_hash(m.panicked_offset_, p.panicked);
        w.panicked = p.panicked;
        differs = true;
      }
      if (differs) kinds |= kind;
    });
    changed = kinds;
    return sum;
  }
#ifdef AIOMC_HAVE_AVX2_PASS
  __attribute__((target("avx2"), flatten)) static std::uint64_t touched_undo_avx2(const Model& m, State& w,
                                                                                  const State& p, const AccessLog& log,
                                                                                  std::uint32_t& changed) {
    return touched_undo<Avx2Blocks>(m, w, p, log, changed);
  }
#else
  static std::uint64_t touched_undo_avx2(const Model& m, State& w, const State& p, const AccessLog& log,
                                         std::uint32_t& changed) {
    return touched_undo<PortableBlocks>(m, w, p, log, changed);
  }
#endif
#ifdef AIOMC_HAVE_AVX2_PASS
  __attribute__((target("avx2"), flatten)) static bool segment_avx2(const Model& m, const State& w, const State& p,
                                                                     std::size_t seg, std::uint64_t& delta) {
    return segment<Avx2Blocks>(m, w, p, seg, delta);
  }
#else
  static bool segment_avx2(const Model& m, const State& w, const State& p, std::size_t seg, std::uint64_t& delta) {
    return segment<PortableBlocks>(m, w, p, seg, delta);
  }
#endif
};

bool Model::segment_delta(const State& w, const State& p, std::size_t seg, std::uint64_t& delta) const {
  return avx2_ ? SegmentDeltaPass::segment_avx2(*this, w, p, seg, delta)
               : SegmentDeltaPass::segment<PortableBlocks>(*this, w, p, seg, delta);
}

std::uint64_t Model::touched_delta_undo(State& w, const State& p, const AccessLog& log,
                                        std::uint32_t* changed_kinds) const {
  std::uint32_t changed = 0;
  const std::uint64_t d = avx2_ ? SegmentDeltaPass::touched_undo_avx2(*this, w, p, log, changed)
                                : SegmentDeltaPass::touched_undo<PortableBlocks>(*this, w, p, log, changed);
  if (changed_kinds) *changed_kinds = changed;
  return d;
}

void Model::use_avx2(bool on) { avx2_ = on && have_avx2(); }

// (A dead slot's encoding is the byte its dead_hash_ hashes; the Linux emulation's
// segment hash is its encoding's.)
std::uint64_t Model::segment_hash_of(const std::uint8_t* encoding, std::size_t n, std::size_t seg) const {
  AIOMC_ASSERT(seg < segments_.size());
  return XXH3_64bits_withSeed(encoding, n, segment_seed(seg));
}

// Table entries are trivially copyable, with no padding: compared and copied as bytes.
static_assert(std::is_trivially_copyable_v<Proc> && std::is_trivially_copyable_v<ThreadSt> &&
              std::is_trivially_copyable_v<Daemon> && std::is_trivially_copyable_v<Disk> &&
              std::is_trivially_copyable_v<SockSt> && std::is_trivially_copyable_v<Job> && std::is_trivially_copyable_v<Lio> &&
              std::is_trivially_copyable_v<Kqueue> && std::is_trivially_copyable_v<Knote>);

bool Model::segment_unchanged(const State& w, const State& p, std::size_t seg) const {
  AIOMC_ASSERT(seg < segments_.size());
  const EntryBytes e = entry_bytes_[seg];
  if (e.bytes)
    return std::memcmp(reinterpret_cast<const char*>(&w) + e.offset, reinterpret_cast<const char*>(&p) + e.offset, e.bytes) == 0;
  if (segments_[seg].kind == SegKind::linux_emul) return w.lx == p.lx;
  // The global fields before the tables, then the ghost.
  return std::memcmp(&w, &p, global_fields_bytes(w)) == 0 && w.panicked == p.panicked;
}

void Model::copy_segment(State& dst, const State& src, std::size_t seg) const {
  AIOMC_ASSERT(seg < segments_.size());
  const EntryBytes e = entry_bytes_[seg];
  if (e.bytes) {
    std::memcpy(reinterpret_cast<char*>(&dst) + e.offset, reinterpret_cast<const char*>(&src) + e.offset, e.bytes);
  } else if (segments_[seg].kind == SegKind::linux_emul) {
    dst.lx = src.lx;
  } else {
    std::memcpy(static_cast<void*>(&dst), &src, global_fields_bytes(src));
    dst.panicked = src.panicked;
  }
}

std::uint64_t Model::fingerprint_sum(const State& s, std::uint64_t* segment_hashes) const {
  std::uint64_t sum = 0;
  for (std::size_t g = 0; g < segments_.size(); ++g) {
    const std::uint64_t h = segment_hash(s, g);
    if (segment_hashes) segment_hashes[g] = h;
    sum += h;
  }
  return sum;
}

bool Model::step_in_place(State& w, StepRef step, InvSet* violated, AccessLog& log) const {
  log = AccessLog{};
  Kernel k(*this, w, step.actor, violated, nullptr, &log);
  return k.step(step);
}

void Model::undo_step(State& w, const State& p, const AccessLog& log) const {
  restore_entries(w.procs, p.procs, log.of(ObjKind::proc));
  restore_entries(w.threads, p.threads, log.of(ObjKind::thread));
  restore_entries(w.daemons, p.daemons, log.of(ObjKind::daemon));
  restore_entries(w.disks, p.disks, log.of(ObjKind::disk));
  restore_entries(w.jobs, p.jobs, log.of(ObjKind::job));
  restore_entries(w.lios, p.lios, log.of(ObjKind::lio));
  restore_entries(w.kqs, p.kqs, log.of(ObjKind::kq));
  restore_entries(w.knotes, p.knotes, log.of(ObjKind::knote));
  restore_entries(w.socks, p.socks, log.of(ObjKind::sock));
#define AIOMC_RESTORE_GLOBAL(field, bit) \
  if (log.globals & (bit)) w.field = p.field;
  AIOMC_GLOBAL_FIELDS(AIOMC_RESTORE_GLOBAL)
#undef AIOMC_RESTORE_GLOBAL
}

}  // namespace aiomc::model
