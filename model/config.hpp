// Kernel tunables (scenario "config") and the bug-variant switches.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aiomc::model {

// One switch per historical behaviour (kernel-facts.md §F, ids from
// invariants-and-variants.md). `fixed` is the empty set.
enum class Variant : std::uint8_t {
#define AIOMC_VARIANT(id, ...) id,
#include "model/variants.def"
#undef AIOMC_VARIANT
};
inline constexpr int kVariantCount = 0
#define AIOMC_VARIANT(...) +1
#include "model/variants.def"
#undef AIOMC_VARIANT
    ;
static_assert(kVariantCount <= 64, "VariantSet holds the switches in one 64-bit word");

struct VariantInfo {
  Variant id;
  std::string_view name;       // stable id, e.g. "lio-count-so-far"
  std::string_view fnumber;    // "F2"
  std::string_view history;    // "H1"
  std::string_view invariant;  // the invariant that catches it
  std::string_view summary;
  std::string_view steps;      // the steps of the model the variant changes (S7)
  bool modelled;               // false: the switch exists but the model does not implement it yet
};

struct EraInfo {
  std::string_view name;  // "freebsd-5.2"
  std::string_view version;
  std::vector<Variant> members;  // includes Variant::giant where S8 says so
  std::string_view source;       // what the era takes from its own source (S25)
  std::vector<Variant> giant_unreachable;  // members Giant keeps from firing (S25)
  std::string_view giant_why;
};

// A historical behaviour that has an id but no switch: the source shows it cannot be
// reached (or is not a bug); naming it is refused with the reason.
struct RetiredVariant {
  std::string_view name;
  std::string_view fnumber;
  std::string_view reason;
};

// The older structure a variant needs and switches in with it (S7): e.g.
// timeout-after-free (F3b) only exists in V52's deferred process_signal, which is
// lio-split-path-check's code.
struct VariantPieces {
  Variant id;
  std::vector<Variant> brings;
  std::string_view why;
};
const std::vector<VariantPieces>& variant_pieces();

const std::vector<VariantInfo>& variant_catalog();
const std::vector<RetiredVariant>& retired_variants();
const std::vector<EraInfo>& era_catalog();
const VariantInfo& variant_info(Variant v);

class VariantSet {
 public:
  bool has(Variant v) const { return (bits_ >> static_cast<int>(v)) & 1u; }
  void add(Variant v) { bits_ |= (1ull << static_cast<int>(v)); }
  bool empty() const { return bits_ == 0; }
  std::uint64_t bits() const { return bits_; }
  friend bool operator==(const VariantSet&, const VariantSet&) = default;

 private:
  std::uint64_t bits_ = 0;
};

// Resolves an id ("fixed", a variant id, an era id) to the switches it stands for.
// Returns false for an unknown id.
bool resolve_variant_id(std::string_view id, VariantSet& out);

struct Config {
  bool aio_loaded = true;
  bool aio_loadable = true;
  int max_aio_procs = 32;
  int target_aio_procs = 4;
  int max_aio_per_proc = 32;         // kaio_maxactive_count
  int max_aio_queue_per_proc = 256;  // kaio_qallowed_count
  int max_aio_queue = 1024;          // max_queue_count
  int max_buf_aio = 16;              // kaio_ballowed_count
  int aio_listio_max = 16;
  bool unloadable = false;
  bool linuxaio_loaded = true;  // S25: the linuxaio module is loaded at start
  int hz = 100;
  VariantSet variants;
  // Test-only mutant (never set from a scenario): aio_aqueue takes a daemon off
  // aio_freeproc without waking it, so tests can prove the checker finds the hang.
  bool test_canary_no_daemon_wakeup = false;
};

}  // namespace aiomc::model
