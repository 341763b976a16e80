#include "report/locate.hpp"

#include <map>

namespace aiomc::report {
namespace {

// The JSON pointer of the op a user thread's step ran, or "".
std::string op_pointer(const loader::Scenario& sc, const model::Model& m, const model::StepInfo& info) {
  if (info.thread < 0 || info.thread >= m.thread_count() || info.op_index < 0) return "";
  const auto p = static_cast<std::size_t>(m.thread_proc(info.thread));
  const auto t = static_cast<std::size_t>(m.thread_index(info.thread));
  if (p >= sc.program.processes.size() || t >= sc.program.processes[p].threads.size()) return "";
  const auto& ops = sc.program.processes[p].threads[t].ops;
  const auto i = static_cast<std::size_t>(info.op_index);
  return i < ops.size() ? ops[i].pointer : "";
}

}  // namespace

void locate_violation(const loader::Scenario& sc, const model::Model& m, const checker::Replayed& replayed, const std::string& check_pointer, ViolationRecord& v) {
  std::map<std::string, int> lines;
  auto line = [&](const std::string& pointer) {
    auto it = lines.find(pointer);
    if (it == lines.end()) it = lines.emplace(pointer, loader::line_of(sc, pointer)).first;
    return it->second;
  };
  v.flow.clear();
  for (const checker::ReplayedStep& s : replayed.steps) {
    FlowStep f{s.info.actor, s.info.action, s.info.detail, model::format_digest(s.digest), op_pointer(sc, m, s.info), 0};
    if (!f.pointer.empty()) f.line = line(f.pointer);
    v.flow.push_back(std::move(f));
  }
  // The violating step is the last one (a quiescent violation: the state after it).
  v.pointer.clear();
  for (std::size_t i = v.flow.size(); i-- > 0;)
    if (!v.flow[i].pointer.empty()) {
      v.pointer = v.flow[i].pointer;
      break;
    }
  if (v.pointer.empty()) v.pointer = check_pointer;
  v.line = line(v.pointer);
}

}  // namespace aiomc::report
