#include "report/sequence_view.hpp"

#include <algorithm>
#include <stdexcept>

#include "replay/engine.hpp"
#include "report/step_text.hpp"

namespace aiomc::report {
namespace {

constexpr std::size_t kColumnWidthMin = 12;
constexpr std::size_t kColumnWidthMax = 30;
constexpr const char* kIdle = "|";

struct Column {
  int actor = 0;
  std::string name;
  std::size_t width = kColumnWidthMin;
};

std::vector<Column> columns_of(const model::Model& m, const std::vector<SequenceStep>& steps) {
  std::vector<bool> shown(static_cast<std::size_t>(m.actor_count() + 1), false);
  for (int t = 0; t < m.thread_count(); ++t) shown[static_cast<std::size_t>(t)] = true;
  for (const SequenceStep& s : steps)
    if (s.actor >= 0 && s.actor < static_cast<int>(shown.size()))
      shown[static_cast<std::size_t>(s.actor)] = true;
  std::vector<Column> cols;
  for (int a = 0; a < static_cast<int>(shown.size()); ++a) {
    if (!shown[static_cast<std::size_t>(a)]) continue;
    Column c{a, m.actor_name(a), kColumnWidthMin};
    c.width = std::max(c.width, text_width(c.name));
    for (const SequenceStep& s : steps)
      if (s.actor == a) c.width = std::max(c.width, text_width(s.info.action));
    c.width = std::min(c.width, kColumnWidthMax);
    cols.push_back(c);
  }
  return cols;
}

std::string row(const std::vector<Column>& cols, const std::string& lead, int actor,
                const std::string& text) {
  std::string line = lead;
  for (const Column& c : cols) line += fit(c.actor == actor ? text : kIdle, c.width) + "  ";
  return line;
}

std::string trim_right(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::vector<SequenceStep> replay_with_changes(const model::Model& m,
                                              const std::vector<std::uint8_t>& choices) {
  std::vector<SequenceStep> out;
  replay::Engine engine(m);
  std::vector<std::string> before = m.describe(engine.state());
  for (std::size_t i = 0; i < choices.size(); ++i) {
    replay::Taken t;
    try {
      t = engine.take(choices[i]);
    } catch (const std::out_of_range& e) {
      throw std::out_of_range("step " + std::to_string(i) + ": " + e.what());
    }
    SequenceStep step;
    step.actor = t.step.actor;
    step.info = std::move(t.info);
    std::vector<std::string> after = m.describe(engine.state());
    step.changes = diff_states(before, after);
    before = std::move(after);
    out.push_back(std::move(step));
  }
  return out;
}

std::string sequence_view(const model::Model& m, const std::vector<SequenceStep>& steps,
                          const std::string& ending, const std::vector<bool>& slice) {
  const std::vector<Column> cols = columns_of(m, steps);
  const std::size_t index_w = std::max<std::size_t>(3, std::to_string(steps.size()).size());
  const std::string pad(index_w + 2, ' ');
  std::string out;
  std::string head = pad;
  for (const Column& c : cols) head += fit(c.name, c.width) + "  ";
  out += trim_right(head) + "\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const SequenceStep& s = steps[i];
    std::string lead = std::to_string(i);
    lead = std::string(index_w - std::min(index_w, lead.size()), ' ') + lead +
           (i < slice.size() && slice[i] ? "* " : "  ");
    std::string line = row(cols, lead, s.actor, s.info.action);
    std::string tail = s.info.detail;
    const std::string result = op_result_text(m, s.info);
    if (!result.empty()) tail += (tail.empty() ? "" : "  ") + result;
    out += trim_right(line + tail) + "\n";
    for (const FieldChange& c : s.changes) out += pad + "    " + format_change(c) + "\n";
  }
  if (!ending.empty()) out += pad + ending + "\n";
  return out;
}

}  // namespace aiomc::report
