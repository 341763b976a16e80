// The stable invariant ids (invariants-and-variants.md) and a set of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace aiomc::model {

enum class Inv : std::uint8_t {
  op_expect,
  queue_state,
  free_once,
  counts,
  result_final,
  quota,
  notify_after_done,
  lio_notify_exact,
  notify_kind,
  rundown_silent,
  signal_pending_once,
  no_stale_kevent,
  kevent_delivered,
  knote_influx_exclusive,
  knote_single_drop,
  knote_detach_consistent,
  knote_queue_consistent,
  lock_order,
  no_sleep_holding_mutex,
  bdone_last,
  raw_io_size,
  no_deadlock,
  no_panic,
  linux_ctx_ring,
  linux_reap_once,
  linux_error_sign,
  linux_enosys,
  linux_ctx_list,
  job_completes,
  waiter_returns,
  exit_completes,
};
inline constexpr int kInvCount = 31;

struct InvInfo {
  Inv id;
  std::string_view name;
  std::string_view kind;  // "safety", "safety, at quiescence", "liveness"
  std::string_view what;
  bool checked;  // false: not checked by this build yet
};

const std::vector<InvInfo>& invariant_catalog();
std::string_view inv_name(Inv i);
std::optional<Inv> inv_from_name(std::string_view name);

class InvSet {
 public:
  void add(Inv i) { bits_ |= 1ull << static_cast<int>(i); }
  bool has(Inv i) const { return (bits_ >> static_cast<int>(i)) & 1u; }
  bool empty() const { return bits_ == 0; }
  void merge(InvSet o) { bits_ |= o.bits_; }
  std::uint64_t bits() const { return bits_; }
  std::vector<Inv> list() const {
    std::vector<Inv> out;
    for (int i = 0; i < kInvCount; ++i)
      if ((bits_ >> i) & 1u) out.push_back(static_cast<Inv>(i));
    return out;
  }
  friend bool operator==(const InvSet&, const InvSet&) = default;

 private:
  std::uint64_t bits_ = 0;
};

}  // namespace aiomc::model
