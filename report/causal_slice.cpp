#include "report/causal_slice.hpp"

#include <cctype>

namespace aiomc::report {
namespace {

// The field a describe path belongs to: "knote#0", "job.a", "app.kaio_done", "app/main".
bool named_in(const std::string& path, const std::string& message) {
  if (path.empty()) return false;
  std::size_t at = message.find(path);
  while (at != std::string::npos) {
    const std::size_t end = at + path.size();
    const bool left = at == 0 || !(std::isalnum(static_cast<unsigned char>(message[at - 1])) || message[at - 1] == '#');
    const bool right = end == message.size() || !(std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '_');
    if (left && right) return true;
    at = message.find(path, at + 1);
  }
  return false;
}

bool is_actor_field(const model::Model& m, const std::string& path) {
  for (int a = 0; a < m.actor_count(); ++a)
    if (path == m.actor_name(a)) return true;
  return false;
}

}  // namespace

std::vector<bool> causal_slice(const model::Model& m, const std::vector<SequenceStep>& steps, int violation_step,
                               const std::string& message) {
  std::vector<bool> slice(steps.size(), false);
  if (steps.empty()) return slice;
  // "job a" in messages is the field "job.a".
  std::string text = message;
  for (std::size_t k = text.find("job "); k != std::string::npos; k = text.find("job ", k + 1)) text[k + 3] = '.';
  const bool final_state = violation_step >= static_cast<int>(steps.size());
  if (!final_state) slice[static_cast<std::size_t>(violation_step)] = true;
  const std::size_t last = final_state ? steps.size() : static_cast<std::size_t>(violation_step);
  // A thread the message names is a field only for a violation of the final state
  // (a thread that sleeps forever); at a step, the shared fields are the ones to follow.
  for (std::size_t i = 0; i < last; ++i)
    for (const FieldChange& c : steps[i].changes)
      if ((final_state || !is_actor_field(m, c.path)) && named_in(c.path, text)) slice[i] = true;
  if (final_state) {
    // The last step of each thread the message names.
    for (int t = 0; t < m.thread_count(); ++t) {
      if (!named_in(m.actor_name(t), text)) continue;
      for (std::size_t i = steps.size(); i-- > 0;)
        if (steps[i].actor == t) {
          slice[i] = true;
          break;
        }
    }
  } else {
    const SequenceStep& v = steps[static_cast<std::size_t>(violation_step)];
    bool shared = false;
    for (const FieldChange& c : v.changes) shared = shared || !is_actor_field(m, c.path);
    if (!shared)
      for (int i = violation_step - 1; i >= 0; --i)
        if (steps[static_cast<std::size_t>(i)].actor == v.actor) {
          slice[static_cast<std::size_t>(i)] = true;
          break;
        }
  }
  return slice;
}

std::string causal_slice_text(const std::vector<bool>& slice) {
  std::string list;
  std::size_t n = 0;
  for (std::size_t i = 0; i < slice.size(); ++i)
    if (slice[i]) {
      list += " " + std::to_string(i);
      ++n;
    }
  return "causal slice: " + std::to_string(n) + " of " + std::to_string(slice.size()) + " steps (marked *):" + list;
}

}  // namespace aiomc::report
