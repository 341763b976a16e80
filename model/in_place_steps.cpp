// The explorer's fast path through the model: steps run in place on a working copy
// of the parent and are undone from the parent afterwards, and the fingerprint of a
// successor is the parent's with the touched segments re-hashed. Both rest on the
// footprint log (access_log.hpp): what a step writes, it touched.
// xxHash inline (the Debian header's own mode): the segments are short, and a call
// into the library per segment costs more than the hashing.
#define XXH_INLINE_ALL
#include <xxhash.h>

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

// A slot whose encoding is the one dead byte (its live flag or phase, 0).
bool dead_slot(const State& s, Model::Segment g) {
  switch (g.kind) {
    case Model::SegKind::daemon: return s.daemons[g.index].ph == AIOD_NONE;
    case Model::SegKind::job: return !s.jobs[g.index].live;
    case Model::SegKind::lio: return !s.lios[g.index].live;
    case Model::SegKind::kq: return !s.kqs[g.index].live;
    case Model::SegKind::knote: return !s.knotes[g.index].live;
    default: return false;
  }
}

bool has_dead_form(Model::SegKind k) {
  return k == Model::SegKind::daemon || k == Model::SegKind::job || k == Model::SegKind::lio ||
         k == Model::SegKind::kq || k == Model::SegKind::knote;
}

std::uint64_t segment_seed(std::size_t seg) { return 0x9e3779b97f4a7c15ULL * (seg + 1); }

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
  const auto entry = [&](const auto& table, std::size_t i) {
    const auto* at = reinterpret_cast<const char*>(&table.data()[i]);
    return EntryBytes{static_cast<std::uint32_t>(at - reinterpret_cast<const char*>(probe.get())),
                      static_cast<std::uint32_t>(sizeof(table.data()[i]))};
  };
  const std::uint8_t dead = 0;
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
  if (dead_hash_[seg] && dead_slot(s, segments_[seg])) return dead_hash_[seg];
  alignas(64) std::uint8_t buf[kMaxEncoding];
  return segment_hash_of(buf, encode_segment(s, seg, buf), seg);
}

// (A dead slot's encoding is the byte its dead_hash_ hashes.)
std::uint64_t Model::segment_hash_of(const std::uint8_t* encoding, std::size_t n, std::size_t seg) const {
  AIOMC_ASSERT(seg < segments_.size());
  return XXH3_64bits_withSeed(encoding, n, segment_seed(seg));
}

// Table entries are trivially copyable: compared byte for byte (padding included: a
// difference there only costs a re-hash) and copied as bytes.
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

// A bijection (MurmurHash3's finaliser): two states share a fingerprint only if their
// sums collide, and the table's slot bits depend on every bit of the sum.
namespace {
constexpr std::uint64_t kMix1 = 0xff51afd7ed558ccdULL;
constexpr std::uint64_t kMix2 = 0xc4ceb9fe1a85ec53ULL;
// The inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits).
constexpr std::uint64_t inverse(std::uint64_t a) {
  std::uint64_t x = a;  // correct to 3 bits
  for (int i = 0; i < 5; ++i) x *= 2 - a * x;
  return x;
}
static_assert(kMix1 * inverse(kMix1) == 1 && kMix2 * inverse(kMix2) == 1);
}  // namespace

std::uint64_t Model::fingerprint_of_sum(std::uint64_t x) {
  x ^= x >> 33;
  x *= kMix1;
  x ^= x >> 33;
  x *= kMix2;
  x ^= x >> 33;
  return x;
}

// x ^= x >> 33 is its own inverse (the shift is over half the word).
std::uint64_t Model::sum_of_fingerprint(std::uint64_t x) {
  x ^= x >> 33;
  x *= inverse(kMix2);
  x ^= x >> 33;
  x *= inverse(kMix1);
  x ^= x >> 33;
  return x;
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
