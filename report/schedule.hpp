// `aiomc run --schedule S`: a schedule written by a person. S is a comma-separated
// list of items, each an actor ("main", "app/main", "aiod:1", "disk:md0",
// "taskq:aiod_bio", "softclock"), optionally pinned to a kernel function or one of
// its sections ("closer:kqueue_close", "closer:kqueue_close:scan"), or `*`: any
// actor until the next item can run. `*` is deterministic: while the next item has
// no enabled step, the first enabled step that makes progress in the model's order
// (lowest actor first) runs; a trailing `*` runs that way to the end.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace aiomc::report {

struct ScheduleItem {
  std::string text;          // as written
  bool any = false;          // `*`
  std::vector<int> actors;   // the actors the item names (one, or a pattern's)
  std::string action;        // "" or "function" or "function:section"
};

// Returns "" or a message for exit 2 naming the item.
std::string parse_schedule(const model::Model& m, const std::string& text, std::vector<ScheduleItem>& out);

// Chooses steps for sim::run along a schedule.
class ScheduleChooser {
 public:
  ScheduleChooser(const model::Model& m, std::vector<ScheduleItem> items) : m_(m), items_(std::move(items)) {}
  // sim::RunOptions::choose.
  int choose(const model::State& s, const std::vector<model::Successor>& succ);
  bool complete() const { return next_ >= items_.size() || (next_ + 1 == items_.size() && items_[next_].any); }
  // Why the run stopped before the schedule was complete ("" if it did not).
  const std::string& failure() const { return failure_; }
  std::size_t next_item() const { return next_; }

 private:
  int find(const ScheduleItem& item, const model::State& s, const std::vector<model::Successor>& succ) const;
  std::string explain(const ScheduleItem& item, const model::State& s,
                      const std::vector<model::Successor>& succ) const;
  const model::Model& m_;
  std::vector<ScheduleItem> items_;
  std::size_t next_ = 0;
  std::string failure_;
};

}  // namespace aiomc::report
