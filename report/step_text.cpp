#include "report/step_text.hpp"

#include <algorithm>

namespace aiomc::report {

std::string op_title(const model::Model& m, const model::StepInfo& info) {
  if (info.thread < 0 || info.thread >= m.thread_count() || info.op_index < 0) return "";
  const model::Process& p =
      m.program().processes[static_cast<std::size_t>(m.thread_proc(info.thread))];
  const model::Thread& t = p.threads[static_cast<std::size_t>(m.thread_index(info.thread))];
  if (static_cast<std::size_t>(info.op_index) >= t.ops.size()) return "";
  const model::Op& op = t.ops[static_cast<std::size_t>(info.op_index)];
  std::string title = model::op_name(op.kind);
  if (!op.label.empty()) title += " '" + op.label + "'";
  return title;
}

std::string op_result_text(const model::Model& m, const model::StepInfo& info) {
  if (!info.op_completed) return "";
  const std::string title = op_title(m, info);
  return "⇒ " + (title.empty() ? std::string("op") : title) + ": " + info.result;
}

std::size_t text_width(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string fit(const std::string& text, std::size_t width) {
  std::string out;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool starts_char = (c & 0xC0) != 0x80;
    if (starts_char && shown == width) break;
    shown += starts_char;
    out += text[i];
  }
  if (shown == width && text_width(text) > width && width > 0) {
    // Mark the cut: replace the last character with '~'.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty()) out.back() = '~';
  }
  return out + std::string(width - std::min(width, shown), ' ');
}

}  // namespace aiomc::report
