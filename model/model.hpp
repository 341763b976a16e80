// The model's public face: the initial state, the steps enabled in a state (in an
// order that depends on the state alone), and applying one step. The simulator, the
// checker and replay all go through these functions.
#pragma once

#include <array>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/invariants.hpp"
#include "model/program.hpp"
#include "model/state.hpp"

namespace aiomc::model {

enum class StepKind : std::uint8_t {
  run = 0,           // the actor's next step
  timeout = 1,       // a sleeping thread's finite timeout fires (S11)
  bio_done = 2,      // disk: the bio at index `arg` completes (S17: any order)
  idle_timeout = 3,  // a sleeping daemon's aiod_lifetime timeout
};

// The state invariants in groups by what they read (Model::state_invariants_affected):
// the kaio queues and counts, the knotes, the Linux emulation's.
enum StateInvGroup : unsigned { kInvQueues = 1, kInvKnotes = 2, kInvLinux = 4, kInvAll = 7 };

struct StepRef {
  std::uint8_t actor = 0;
  StepKind kind = StepKind::run;
  std::uint8_t arg = 0;
  friend bool operator==(const StepRef&, const StepRef&) = default;
};

// How long a timed step waits in virtual time (for the simulator).
enum class Delay : std::uint8_t { none, bio, timeout, idle, poll };

struct Violation {
  Inv invariant;
  std::string message;
};

// What one step did, for traces and timelines. Filled only when asked for.
struct StepInfo {
  std::string actor;
  std::string action;  // kernel_function:step
  std::string detail;
  std::vector<Violation> violations;
  // For the steps table's checks: the sections the step ran (StepId rows, in order),
  // the locks it took (LockKind) and the variants it consulted (bit per Variant).
  std::vector<std::uint8_t> steps;
  std::uint32_t locks = 0;
  std::uint64_t variants = 0;
  // What the step touched, object by object and global field by field (its reads
  // and its writes; the writes alone come from comparing the states).
  AccessLog touched;
  // The variant sites the step passed (Kernel::variant): variant, source file, line.
  struct VariantSite {
    int variant;
    const char* file;
    int line;
  };
  std::vector<VariantSite> variant_sites;
  void record_variant_site(int variant, const char* file, int line) {
    for (const VariantSite& s : variant_sites)
      if (s.line == line && s.variant == variant && s.file == file) return;
    variant_sites.push_back({variant, file, line});
  }
  // Sleeps and wakeups (for the viewer's arrows): the step put its actor to sleep;
  // the actors it woke (threads and daemons), in order.
  bool slept = false;
  std::vector<int> woke;
  bool op_completed = false;
  int thread = -1;
  int op_index = -1;
  std::string result;  // the op's result, as text, when op_completed
};

struct Successor {
  StepRef step;
  State next;
  InvSet violated;  // invariants violated by this step or in the state it reaches
};

// The fingerprint mix's multipliers, and the inverse of an odd number modulo 2^64
// (Newton's iteration doubles the correct bits: 3, 6, ..., 96).
inline constexpr std::uint64_t kFingerprintMix1 = 0xff51afd7ed558ccdULL;
inline constexpr std::uint64_t kFingerprintMix2 = 0xc4ceb9fe1a85ec53ULL;
constexpr std::uint64_t inverse_mod_2_64(std::uint64_t a) {
  std::uint64_t x = a;  // correct to 3 bits
  for (int i = 0; i < 5; ++i) x *= 2 - a * x;
  return x;
}
inline constexpr std::uint64_t kFingerprintUnmix1 = inverse_mod_2_64(kFingerprintMix1);
inline constexpr std::uint64_t kFingerprintUnmix2 = inverse_mod_2_64(kFingerprintMix2);
static_assert(kFingerprintMix1 * kFingerprintUnmix1 == 1 && kFingerprintMix2 * kFingerprintUnmix2 == 1);
// The mix's shape: a shift-xor, a multiply by a, a shift-xor, a multiply by b, a shift-xor.
constexpr std::uint64_t xorshift_multiply(std::uint64_t x, std::uint64_t a, std::uint64_t b) {
  x ^= x >> 33;
  x *= a;
  x ^= x >> 33;
  x *= b;
  x ^= x >> 33;
  return x;
}
static_assert(xorshift_multiply(xorshift_multiply(0x0123456789abcdefULL, kFingerprintMix1, kFingerprintMix2),
                                kFingerprintUnmix2, kFingerprintUnmix1) == 0x0123456789abcdefULL);

class Model {
 public:
  using StateType = State;
  using SuccessorType = Successor;
  Model(const Program& program, const Config& config);

  const Program& program() const { return program_; }
  const Config& config() const { return config_; }

  State initial() const;

  // Every enabled step with the state it leads to, in a state-determined order. With
  // state_invariants false, each successor's `violated` holds only what its step
  // itself reported; state_violations(next) gives the rest (a simulation that takes
  // one successor checks the state invariants of that one only).
  void successors(const State& s, std::vector<Successor>& out, bool state_invariants = true) const;
  // The state invariants successors() and apply() check in every state they reach;
  // their messages too when `messages` is given.
  void state_violations(const State& s, InvSet& v, std::vector<Violation>* messages = nullptr,
                        unsigned groups = kInvAll) const;
  // Applies one step; false if it is not enabled (s unchanged).
  bool apply(State& s, StepRef step, InvSet* violated, StepInfo* info) const;

  // Invariants of a state with no enabled step other than idle timeouts (S14, S15):
  // no-deadlock and kevent-delivered. `has_progress_step` says whether some enabled
  // step is more than an idle-daemon timeout or a rundown poll.
  InvSet quiescent_violations(const State& s, bool has_progress_step,
                              std::vector<Violation>* messages) const;
  // Whether a step counts as progress for S15 (not an idle timeout / rundown poll).
  bool is_progress(const State& s, StepRef step) const;

  // Liveness (model/liveness.hpp, S18): the obligations open in s and the actors weak
  // fairness applies to in s (bit per actor).
  std::uint64_t liveness_obligations(const State& s) const;
  std::uint32_t fair_actors(const State& s, const std::vector<Successor>& succ) const;

  Delay delay_of(const State& s, StepRef step) const;
  std::int64_t timeout_ticks(const State& s, StepRef step) const;  // for Delay::timeout
  int disk_object(int disk) const { return disk_objects_[static_cast<std::size_t>(disk)]; }

  int actor_count() const { return actors_; }
  std::string actor_name(int actor) const;
  int thread_count() const { return nthreads_; }
  int thread_actor(int proc, int thread) const;
  int first_daemon_actor() const { return nthreads_; }
  int first_disk_actor() const { return nthreads_ + ndaemons_; }
  int taskq_actor() const { return nthreads_ + ndaemons_ + ndisks_; }
  int softclock_actor() const { return taskq_actor() + 1; }
  int thread_proc(int t) const { return thread_proc_[static_cast<std::size_t>(t)]; }
  int thread_index(int t) const { return thread_index_[static_cast<std::size_t>(t)]; }
  // Whether aio_aqueue's unlocked quota read can come out differently under another
  // interleaving: only if the scenario submits more jobs than the smaller cap.
  // Otherwise the read always passes and is folded into the next step (S1).
  bool quota_can_bind() const { return quota_can_bind_; }
  // Whether another thread of process p can install p_aioinfo between this thread's
  // unlocked test and its locked install (else the two fold into one step).
  bool aioinfo_race(int p) const { return program_.processes[static_cast<std::size_t>(p)].threads.size() > 1; }
  // Whether a thread other than `thread` can read what aio_return / aio_waitcomplete
  // writes back to the aiocb of job name `job` (-1: any job) after PROC_UNLOCK: only
  // aio_error reads it, so only another thread of the process with an aio_error on
  // that name. Otherwise the write-back folds into the freeing step (S1).
  bool suword_visible(int thread, int job) const;
  // The Linux AIO emulation: whether the scenario uses it at all (io_* ops or the
  // linuxaio module); if not, its state is never encoded, so nothing changes for
  // scenarios that never name a context. Each Linux iocb name of a process has a
  // clone aiocb (§D.2), a job name of its own appended to the process's names:
  // clone_name(p, iocb) is its index, -1 if that iocb is never submitted.
  bool uses_linux() const { return linux_; }
  int clone_name(int p, int iocb) const;
  // The Linux iocb a clone aiocb name stands for, or -1 if `name` is not a clone.
  int clone_iocb(int p, int name) const;
  int clone_name_base(int p) const { return clone_base_[static_cast<std::size_t>(p)]; }
  void linux_setup();  // in the constructor (linux_aio_model.cpp)
  // The contexts for describe(): id, owner, nreq, sx owner, requests iocb -> clone.
  void describe_linux(const State& s, std::vector<std::string>& out) const;

  // Canonical encoding and its stable 64-bit digest (xxHash64, seed 0).
  void encode(const State& s, std::vector<std::uint8_t>& out) const;
  static constexpr std::size_t kMaxEncoding = 2 * sizeof(State);
  std::size_t encode_raw(const State& s, std::uint8_t* buf) const;  // buf: kMaxEncoding bytes
  State decode(const std::uint8_t* buf, std::size_t n) const;        // the inverse of encode_raw
  // The same into `out`; with segment_ends, where each segment's encoding ends in buf.
  void decode_into(const std::uint8_t* buf, std::size_t n, State& out, std::uint32_t* segment_ends = nullptr) const;
  // The in-place engine's copies (state_copy.cpp): dst = src, and decode_into, over
  // only the parts of a state the scenario uses (the global fields; its processes,
  // threads, daemons and disks; every job, lio, kqueue, knote and socket slot; the
  // Linux emulation when used). The rest of dst or out must be blank already, as it
  // is in every state of the model: nothing writes an entry past the scenario's
  // processes, threads, daemons or disks (checked builds assert the result).
  void copy_used(State& dst, const State& src) const;
  void decode_over(const std::uint8_t* buf, std::size_t n, State& out, std::uint32_t* segment_ends = nullptr) const;

  // The encoding's segments, in encode_raw's order: the global fields, each process,
  // thread, daemon, disk and socket or pipe, every job, lio, kqueue and knote slot,
  // and the Linux emulation (when used). encode_raw is their concatenation.
  enum class SegKind : std::uint8_t { globals, proc, thread, daemon, disk, sock, job, lio, kq, knote, linux_emul };
  struct Segment {
    SegKind kind;
    std::uint8_t index;  // in its table
  };
  const std::vector<Segment>& segments() const { return segments_; }
  std::size_t encode_segment(const State& s, std::size_t seg, std::uint8_t* buf) const;  // buf: kMaxEncoding bytes
  // encode_raw(s) made from the encoding of a state s differs from only in segments
  // `changed` (ascending): those re-encoded, the rest copied from `parent` (whose
  // segment ends decode_into gave).
  std::size_t splice_encoding(const State& s, const std::uint8_t* parent, const std::uint32_t* parent_ends,
                              const std::uint16_t* changed, std::size_t nchanged, std::uint8_t* out) const;
  // decode_over(buf) where `out` holds the decoding of `prev` (segment ends prev_ends):
  // a segment whose bytes are prev's decodes to what `out` has (the decoding of a
  // segment reads its own bytes only), so only the others are decoded again, each
  // over a blank entry. ends: buf's segment ends; decoded: the segments decoded again,
  // ascending. The BFS frontier holds siblings side by side: they differ in the few
  // segments their steps changed.
  void decode_changed(const std::uint8_t* buf, std::size_t n, const std::uint8_t* prev, const std::uint32_t* prev_ends,
                      State& out, std::uint32_t* ends, std::vector<std::uint16_t>& decoded) const;
  // dst's part of a state that segment `seg` encodes = src's (in_place_steps.cpp).
  void copy_segment(State& dst, const State& src, std::size_t seg) const;

  // The explorer's fingerprint (in_place_steps.cpp): a hash per segment, summed and
  // then mixed. A segment's hash is a sum over the 8-byte words of its bytes in the
  // State (no padding in them), each mixed with its position; a dead slot's is a constant,
  // and the Linux emulation's hashes its encoding (XXH3). A step's successor is
  // fingerprinted from its parent's sum by segment_delta on the segments it touched.
  // fingerprint_sum can hand out the segment hashes too.
  std::uint64_t segment_hash(const State& s, std::size_t seg) const;
  // Whether segment `seg` of `w` differs from `p`'s in what the encoding says, and if
  // so (only then) delta = segment_hash(w, seg) - segment_hash(p, seg), computed from
  // the words that differ.
  bool segment_delta(const State& w, const State& p, std::size_t seg, std::uint64_t& delta) const;
  // The change of the fingerprint sum from p to w (segment_delta summed over the
  // segments `log` touched), and undo_step in the same pass: w is p again on every
  // segment the log touched, with only the blocks that differ written back (undo_step
  // also puts back touched entries that no segment holds: a step never writes those).
  // One AVX2 function where the CPU has it. changed_kinds: a bit per SegKind
  // (1 << kind) with a touched segment whose bytes differed.
  std::uint64_t touched_delta_undo(State& w, const State& p, const AccessLog& log,
                                   std::uint32_t* changed_kinds = nullptr) const;
  // The groups of state invariants (StateInvGroup) that a successor w of p, whose
  // segments differ from p's only in the kinds `changed_kinds` (touched_delta_undo's),
  // may violate when p satisfies them all: the groups that read something that
  // changed (state_invariants.cpp). The others hold in w because they hold in p.
  unsigned state_invariants_affected(const State& w, const State& p, std::uint32_t changed_kinds) const;
  // Whether segment_delta compares with AVX2 (on by default where the CPU has it; off:
  // the portable word loop, which tests run too). Same results either way.
  void use_avx2(bool on);
  bool uses_avx2() const { return avx2_; }
  // XXH3 of a segment's encoding (n bytes), seeded by its number: the Linux emulation's
  // segment hash.
  std::uint64_t segment_hash_of(const std::uint8_t* encoding, std::size_t n, std::size_t seg) const;
  std::uint64_t fingerprint_sum(const State& s, std::uint64_t* segment_hashes = nullptr) const;
  // A bijection (MurmurHash3's finaliser): two states share a fingerprint only if their
  // sums collide, and the table's slot bits depend on every bit of the sum. Inline: the
  // depth-first search keys every successor with it.
  static std::uint64_t fingerprint_of_sum(std::uint64_t x) {
    return xorshift_multiply(x, kFingerprintMix1, kFingerprintMix2);
  }
  // Its inverse: the same shape with the inverse multipliers in the other order
  // (x ^= x >> 33 is its own inverse: the shift is over half the word).
  static std::uint64_t sum_of_fingerprint(std::uint64_t x) {
    return xorshift_multiply(x, kFingerprintUnmix2, kFingerprintUnmix1);
  }
  std::uint64_t fingerprint(const State& s) const { return fingerprint_of_sum(fingerprint_sum(s)); }
  // Whether segment `seg` of `w` is as in `p` (a touched segment the step only read).
  bool segment_unchanged(const State& w, const State& p, std::size_t seg) const;
  // A bit per kind of object with a touched segment.
  std::uint32_t touched_kinds(const AccessLog& log) const {
    static_assert(kObjKinds == 9);
#if defined(__SSE2__)
    // Kinds 0-7 four at a time (SSE2 is in every x86-64), kind 8 alone.
    const auto lane = [&](int k) {
      const __m128i o = _mm_loadu_si128(reinterpret_cast<const __m128i*>(log.objs.data() + k));
      const __m128i m = _mm_loadu_si128(reinterpret_cast<const __m128i*>(segment_mask_.data() + k));
      const __m128i none = _mm_cmpeq_epi32(_mm_and_si128(o, m), _mm_setzero_si128());
      return static_cast<std::uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(none))) ^ 0xFu;
    };
    return lane(0) | lane(4) << 4 | static_cast<std::uint32_t>((log.objs[8] & segment_mask_[8]) != 0) << 8;
#else
    std::uint32_t kinds = 0;
    for (int k = 0; k < kObjKinds; ++k)
      kinds |= static_cast<std::uint32_t>((log.objs[static_cast<std::size_t>(k)] & segment_mask_[static_cast<std::size_t>(k)]) != 0) << k;
    return kinds;
#endif
  }
  // Calls f(segment) for each segment holding an object or field the log touched.
  template <class F>
  void for_touched_segments(const AccessLog& log, F&& f) const {
    if (log.globals & ~static_cast<std::uint32_t>(G_LINUX)) f(std::size_t{0});
    if ((log.globals & G_LINUX) && linux_segment_ >= 0) f(static_cast<std::size_t>(linux_segment_));
    // The kinds with a touched segment first, without a branch each (most steps touch
    // two or three of the nine kinds).
    std::uint32_t kinds = touched_kinds(log);
    while (kinds) {
      const int k = std::countr_zero(kinds);
      kinds &= kinds - 1;
      std::uint32_t bits = log.objs[static_cast<std::size_t>(k)] & segment_mask_[static_cast<std::size_t>(k)];
      while (bits) {
        const int i = std::countr_zero(bits);
        bits &= bits - 1;
        f(static_cast<std::size_t>(segment_of_[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)]));
      }
    }
  }

  // In-place stepping, for the explorer: candidate_steps lists the steps successors()
  // tries, in its order; step_in_place runs one on `w`, noting what it touched in
  // `log` (false: not enabled); undo_step puts back into `w` what the log names from
  // `p`, the state `w` was a copy of. Every field a step writes is one it touched
  // (the steps table's test checks that), so `w` is then `p` again.
  void candidate_steps(const State& s, std::vector<StepRef>& out) const;
  bool step_in_place(State& w, StepRef step, InvSet* violated, AccessLog& log) const;
  void undo_step(State& w, const State& p, const AccessLog& log) const;
  std::uint64_t digest(const State& s) const;
  // Symmetry reduction (symmetry.cpp): `out` = s with its daemon units renamed into a
  // canonical order; false (out untouched) when s is already canonical or the
  // scenario has fewer than two daemons. `out` may be `s`.
  // With unit_map, also the renaming: unit_map[old unit] = its new unit (left
  // untouched when false is returned). *complete is set false when the form depends
  // on how s names its units after all (a signature too long to compare: the units
  // are kept as they are), so two renamings of one state may give two forms.
  using DaemonMap = std::array<std::uint8_t, kMaxDaemons>;
  bool canonical_daemons(const State& s, State& out, DaemonMap* unit_map = nullptr, bool* complete = nullptr) const;
  // The same, noting in `log` what the renaming rewrote.
  bool canonical_daemons(const State& s, State& out, DaemonMap* unit_map, bool* complete, AccessLog* log) const;
  // The same for job slots (renumbered by process and aiocb name; *complete set false
  // when two live jobs share both, as their order then follows their slots).
  bool canonical_jobs(const State& s, State& out, bool* complete = nullptr) const;
  // Both symmetries this scenario allows, then the kaio queues kept as sets
  // (kaio_queue_sets.cpp); false when s is canonical already.
  // unit_map: as canonical_daemons's, the identity when the daemons keep their units;
  // complete: whether every renaming of s has this same canonical form.
  bool canonical(const State& s, State& out, DaemonMap* unit_map = nullptr, bool* complete = nullptr) const;
  // canonical(w, w) for the in-place engine, where w is the canonical state p with a
  // step run on it in place (`log`: what the step touched): w renamed into its
  // canonical form, and what the renaming rewrote noted in `log` (so that undo_step
  // restores it and the fingerprint re-hashes it). False: w was canonical. unit_map:
  // as canonical()'s (the identity when the units stay).
  bool canonicalize_in_place(State& w, const State& p, AccessLog& log, DaemonMap* unit_map = nullptr) const;
  // Its shortcut: true when w is canonical because p is and the step changed nothing
  // the canonical order reads (false: canonical() must decide); and its halves, for
  // the job slots' order and the daemon units'.
  bool still_canonical(const State& w, const State& p, const AccessLog& log) const;
  bool job_keys_kept(const State& w, const State& p, const AccessLog& log) const;
  bool daemon_inputs_kept(const State& w, const State& p, const AccessLog& log) const;
  // The step of s that is `step` of the state renamed by unit_map (a daemon's step
  // moves with its unit; no other step names a daemon or a job slot).
  StepRef renamed_step(StepRef step, const DaemonMap& unit_map) const;
  bool jobs_symmetric() const;  // no kevent change passes a kernel address (F27)
  // What canonical() folds in this scenario, in words, for --stats and the report:
  // "daemon units", "job slots", and per process the kaio queues kept as sets.
  std::vector<std::string> reductions_applied() const;
  // The kaio queues that are sets to the search, four bits per process (process p's
  // at bit 4p: kKaio*Set): kept stably sorted by aiocb name in canonical forms
  // (kaio_queue_sets.cpp says when a queue's order is unobservable).
  static constexpr std::uint32_t kKaioAllSet = 1, kKaioJobqueueSet = 2, kKaioBufqueueSet = 4, kKaioDoneSet = 8;
  std::uint32_t kaio_queue_sets() const { return kaio_queue_sets_; }
  // Whether the processes of `procs` (bit p) have those queues sorted; sorting them,
  // noting each process it reorders in `log` (false: all were sorted). With `parent`,
  // a canonical state of which s is a successor with the same job slots (no
  // renaming), a queue equal to the parent's is sorted already and not looked at.
  bool kaio_queues_sorted(const State& s, std::uint32_t procs) const;
  bool sort_kaio_queues(State& s, std::uint32_t procs, AccessLog* log, const State* parent = nullptr) const;
  void permute_jobs(State& x, const std::array<std::uint32_t, kMaxJobs>& key) const;
  std::uint64_t digest_bytes(const std::uint8_t* buf, std::size_t n) const;  // of an encoding
  // A readable dump of the state, one "path = value" line per field, for diffs.
  std::vector<std::string> describe(const State& s) const;

 private:
  Program program_;
  Config config_;
  // decode_into and decode_over once `out` is blank: the encoded fields read in.
  void decode_fields(const std::uint8_t* buf, std::size_t n, State& out, std::uint32_t* segment_ends) const;
  int nthreads_ = 0;
  int ndaemons_ = 0;
  int ndisks_ = 0;
  int actors_ = 0;
  std::vector<int> thread_proc_;
  std::vector<int> thread_index_;
  std::vector<int> disk_objects_;   // disk number -> object index
  std::vector<int> object_disk_;    // object index -> disk number or -1
  bool quota_can_bind_ = true;
  bool symmetric_daemons_ = false;  // two or more daemon units
  bool symmetric_jobs_ = false;     // jobs_symmetric()
  std::uint32_t kaio_queue_sets_ = 0;  // kaio_queue_set_procs()
  std::uint32_t kaio_queue_set_procs() const;
  std::uint32_t kaio_queue_sets_of(int p) const { return (kaio_queue_sets_ >> (4 * p)) & 0xFu; }
  bool linux_ = false;
  std::vector<int> clone_base_;  // [proc] the first clone name
  std::vector<std::vector<int>> clone_of_;  // [proc][iocb name] -> clone name or -1
  std::vector<std::uint32_t> aio_error_names_;  // per thread: job names its aio_error ops read
  // The encoding's segments, and for each kind of object, the segment of each index
  // (segment_mask_: the indices that have one; the others are never encoded).
  std::vector<Segment> segments_;
  std::array<std::array<std::int16_t, 32>, kObjKinds> segment_of_{};
  std::array<std::uint32_t, kObjKinds> segment_mask_{};
  int linux_segment_ = -1;
  std::vector<std::uint64_t> dead_hash_;  // per segment: the hash of its dead-slot encoding (0 if none)
  // Per segment, where the table entry it encodes lies in a State (bytes 0: the global
  // fields and the Linux emulation, which are not one entry): segment_unchanged and
  // copy_segment compare or copy those bytes without a switch over the kinds.
  struct EntryBytes {
    std::uint32_t offset = 0, bytes = 0;
  };
  std::vector<EntryBytes> entry_bytes_;
  // Per segment, the bytes of a State its hash sums, rounded up to 32 (bytes 0: the
  // Linux emulation, whose encoding is hashed), and their mask at seg_masks_[mask_at]
  // (0xFF for a byte of the segment; 0 for the bytes past it that round it up); the
  // global fields' span is followed by the panicked ghost at panicked_offset_.
  // dead_flag: where the byte lies that is 0 in a dead slot (0: no dead form).
  // full: the span's whole 32-byte blocks that are all the segment's (mask all 0xFF).
  struct HashSpan {
    std::uint32_t offset = 0, bytes = 0, dead_flag = 0, mask_at = 0, full = 0;
  };
  std::vector<HashSpan> hash_span_;
  std::vector<std::uint8_t> seg_masks_;
  std::uint32_t panicked_offset_ = 0;
  bool avx2_ = false;  // segment_delta compares 32 bytes at a time
  bool dead_at(const State& s, std::size_t seg) const {
    const std::uint32_t f = hash_span_[seg].dead_flag;
    return f && reinterpret_cast<const unsigned char*>(&s)[f] == 0;
  }
  friend struct SegmentDeltaPass;  // touched_delta_undo's two passes (in_place_steps.cpp)
  void segment_setup();        // encode.cpp
  void segment_index_setup();  // in_place_steps.cpp
  friend class Kernel;
};

std::string format_digest(std::uint64_t d);  // 16 lowercase hex digits

// Checks the program fits the model's capacities; returns "" or an error message.
std::string check_capacity(const Program& program, const Config& config);

}  // namespace aiomc::model
