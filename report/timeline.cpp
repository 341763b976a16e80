#include "report/timeline.hpp"

#include <algorithm>

#include "report/step_text.hpp"

namespace aiomc::report {
namespace {

constexpr std::size_t kActionWidthMax = 40;

std::string right(const std::string& text, std::size_t width) {
  return std::string(width - std::min(width, text.size()), ' ') + text;
}

}  // namespace

std::string run_timeline(const model::Model& m, const std::vector<sim::TraceStep>& steps) {
  std::size_t actor_w = 5, action_w = 6, tick_w = 4, index_w = 1;
  for (const sim::TraceStep& s : steps) {
    actor_w = std::max(actor_w, text_width(s.info.actor));
    action_w = std::max(action_w, text_width(s.info.action));
    tick_w = std::max(tick_w, std::to_string(s.tick).size());
  }
  action_w = std::min(action_w, kActionWidthMax);
  index_w = std::max<std::size_t>(1, std::to_string(steps.size()).size());
  std::string out = right("#", index_w) + "  " + right("tick", tick_w) + "  " +
                    fit("actor", actor_w) + "  " + fit("action", action_w) + "  detail\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const sim::TraceStep& s = steps[i];
    std::string line = right(std::to_string(i), index_w) + "  " +
                       right(std::to_string(s.tick), tick_w) + "  " + fit(s.info.actor, actor_w) +
                       "  " + fit(s.info.action, action_w);
    std::string tail = s.info.detail;
    const std::string result = op_result_text(m, s.info);
    if (!result.empty()) tail += (tail.empty() ? "" : "  ") + result;
    if (!tail.empty()) line += "  " + tail;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace aiomc::report
