// The steps table's lookups and its columns as text.
#include "model/steps.hpp"

namespace aiomc::model {

std::optional<int> find_step(std::string_view name) {
  for (int i = 0; i < kStepCount; ++i)
    if (name == kSteps[i].name) return i;
  return std::nullopt;
}

namespace {
template <std::size_t N>
std::string mask_text(std::uint32_t mask, const char* const (&names)[N]) {
  std::string out;
  for (std::size_t b = 0; b < N; ++b)
    if (mask & (1u << b)) {
      if (!out.empty()) out += '|';
      out += names[b];
    }
  return out.empty() ? "-" : out;
}
}  // namespace

std::string actor_kinds_text(std::uint32_t mask) {
  static const char* const names[] = {"thread", "daemon", "disk", "taskq", "softclock"};
  return mask_text(mask, names);
}

std::string lock_kinds_text(std::uint32_t mask) {
  static const char* const names[] = {"P", "JM", "KQ", "Giant", "sx"};
  return mask_text(mask, names);
}

std::string write_kinds_text(std::uint32_t mask) {
  static const char* const names[] = {"global", "taskq", "callout", "proc-own", "proc-other", "thread-self",
                                      "thread-other", "daemon-self", "daemon-other", "disk", "job", "lio",
                                      "kqueue", "knote", "sock", "linux", "panic"};
  return mask_text(mask, names);
}

}  // namespace aiomc::model
