#include "report/state_diff.hpp"

#include <map>
#include <utility>

namespace aiomc::report {
namespace {

std::pair<std::string, std::string> split_line(const std::string& line) {
  const auto eq = line.find(" = ");
  if (eq == std::string::npos) return {line, ""};
  return {line.substr(0, eq), line.substr(eq + 3)};
}

}  // namespace

std::vector<FieldChange> diff_states(const std::vector<std::string>& before,
                                     const std::vector<std::string>& after) {
  std::map<std::string, std::string> old_values, new_values;
  for (const std::string& line : before) old_values.insert(split_line(line));
  std::vector<FieldChange> out;
  for (const std::string& line : after) {
    auto [path, value] = split_line(line);
    new_values.emplace(path, value);
    auto it = old_values.find(path);
    if (it == old_values.end())
      out.push_back({FieldChange::Kind::added, path, "", value});
    else if (it->second != value)
      out.push_back({FieldChange::Kind::changed, path, it->second, value});
  }
  for (const std::string& line : before) {
    auto [path, value] = split_line(line);
    if (!new_values.count(path)) out.push_back({FieldChange::Kind::removed, path, value, ""});
  }
  return out;
}

std::string format_change(const FieldChange& change) {
  switch (change.kind) {
    case FieldChange::Kind::added: return "+ " + change.path + " = " + change.after;
    case FieldChange::Kind::removed: return "- " + change.path + " (was " + change.before + ")";
    case FieldChange::Kind::changed: break;
  }
  return change.path + ": " + change.before + " → " + change.after;
}

}  // namespace aiomc::report
