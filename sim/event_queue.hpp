// Timed events ordered by (due tick, priority, insertion sequence): ties never
// depend on container order.
#pragma once

#include <algorithm>
#include <tuple>
#include <cstdint>
#include <vector>

#include "model/svec.hpp"

namespace aiomc::sim {

struct EventKey {
  std::uint8_t actor = 0;
  std::uint8_t kind = 0;  // model::StepKind; also the priority (lower first)
  std::uint8_t id = 0;
  friend bool operator==(const EventKey&, const EventKey&) = default;
};

class EventQueue {
 public:
  bool contains(const EventKey& k) const { return find(k) >= 0; }
  void schedule(const EventKey& k, std::int64_t due) { events_.push_back({k, due, seq_++}); }
  std::int64_t due(const EventKey& k) const { return events_[static_cast<std::size_t>(find(k))].due; }
  void remove(const EventKey& k) {
    int i = find(k);
    if (i >= 0) events_.erase(events_.begin() + i);
  }
  // Drops events whose step is no longer enabled (a woken sleeper's timeout).
  void retain(const std::vector<EventKey>& live) {
    std::erase_if(events_, [&](const Ev& e) { return std::find(live.begin(), live.end(), e.key) == live.end(); });
  }
  template <class Pred>
  EventKey earliest_where(Pred&& ok) const {
    const Ev* best = nullptr;
    for (const Ev& e : events_) {
      if (!ok(e.key)) continue;
      if (!best || std::tie(e.due, e.key.kind, e.seq) < std::tie(best->due, best->key.kind, best->seq)) best = &e;
    }
    AIOMC_ASSERT(best != nullptr);
    return best->key;
  }

 private:
  struct Ev {
    EventKey key;
    std::int64_t due;
    std::uint64_t seq;
  };
  int find(const EventKey& k) const {
    for (std::size_t i = 0; i < events_.size(); ++i)
      if (events_[i].key == k) return static_cast<int>(i);
    return -1;
  }
  std::vector<Ev> events_;
  std::uint64_t seq_ = 0;
};

}  // namespace aiomc::sim
