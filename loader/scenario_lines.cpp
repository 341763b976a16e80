// Lines of JSON pointers in a loaded scenario, for CI annotations and SARIF regions.
#include <cstdlib>

#include "loader/json_positions.hpp"
#include "loader/scenario.hpp"

namespace aiomc::loader {

int line_of(const Scenario& scenario, const std::string& pointer) {
  return detail::PositionIndex::build(scenario.text).nearest(pointer).line;
}

int line_in_message(const std::string& message) {
  const std::string mark = " (line ";
  const std::size_t at = message.find(mark);
  if (at == std::string::npos) return 0;
  const char* digits = message.c_str() + at + mark.size();
  char* end = nullptr;
  const long line = std::strtol(digits, &end, 10);
  if (end == digits || *end != ',' || line < 1 || line > 1000000000) return 0;
  return static_cast<int>(line);
}

}  // namespace aiomc::loader
