#include "report/schedule.hpp"

#include "report/step_match.hpp"

namespace aiomc::report {
namespace {

std::string trim(const std::string& s) {
  const std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

std::string parse_schedule(const model::Model& m, const std::string& text, std::vector<ScheduleItem>& out) {
  out.clear();
  std::size_t start = 0;
  for (int n = 1;; ++n) {
    const std::size_t comma = text.find(',', start);
    ScheduleItem item;
    item.text = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    const std::string where = "--schedule item " + std::to_string(n) + " `" + item.text + "`: ";
    if (item.text.empty()) return where + "expected an actor name or `*`";
    if (item.text == "*") {
      item.any = true;
    } else {
      // The longest prefix (cut at a ':') that names an actor; the rest is the step.
      for (std::size_t cut = item.text.size();; cut = item.text.rfind(':', cut - 1)) {
        const std::vector<int> a = actors_named(m, item.text.substr(0, cut));
        if (!a.empty()) {
          item.actors = a;
          item.action = cut < item.text.size() ? item.text.substr(cut + 1) : "";
          break;
        }
        if (cut == 0 || item.text.rfind(':', cut - 1) == std::string::npos) break;
      }
      if (item.actors.empty()) {
        std::string names;
        for (int a = 0; a < m.actor_count(); ++a) names += (names.empty() ? "" : ", ") + m.actor_name(a);
        return where + "no actor of the scenario has this name (actors: " + names + ")";
      }
      if (!action_known(item.action))
        return where + "`" + item.action + "` is not a kernel function or function:section of the steps table (aiomc list steps)";
    }
    out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return "";
}

int ScheduleChooser::find(const ScheduleItem& item, const model::State& s,
                          const std::vector<model::Successor>& succ) const {
  for (std::size_t i = 0; i < succ.size(); ++i) {
    bool named = false;
    for (int a : item.actors) named = named || a == succ[i].step.actor;
    if (!named) continue;
    if (item.action.empty() || action_matches(item.action, step_info_of(m_, s, succ[i].step)))
      return static_cast<int>(i);
  }
  return -1;
}

std::string ScheduleChooser::explain(const ScheduleItem& item, const model::State& s,
                                     const std::vector<model::Successor>& succ) const {
  std::string out = "schedule item " + std::to_string(next_ + 1) + " `" + item.text + "` is not enabled\n";
  out += "  enabled: " + enabled_actors_text(m_, succ) + "\n";
  for (int a : item.actors) {
    std::string steps;
    for (const model::Successor& x : succ)
      if (x.step.actor == a) steps += (steps.empty() ? "" : ", ") + step_info_of(m_, s, x.step).action;
    if (!steps.empty())
      out += "  " + m_.actor_name(a) + " can run " + steps + ", not " + item.action + "\n";
    else
      out += "  " + why_not_enabled(m_, s, a) + "\n";
  }
  return out;
}

int ScheduleChooser::choose(const model::State& s, const std::vector<model::Successor>& succ) {
  if (next_ >= items_.size()) return -1;
  const ScheduleItem& item = items_[next_];
  if (item.any) {
    if (next_ + 1 < items_.size()) {
      const int i = find(items_[next_ + 1], s, succ);
      if (i >= 0) {
        next_ += 2;
        return i;
      }
    }
    for (std::size_t j = 0; j < succ.size(); ++j)
      if (m_.is_progress(s, succ[j].step)) return static_cast<int>(j);
    if (next_ + 1 < items_.size()) {
      ++next_;
      failure_ = explain(items_[next_], s, succ);
      --next_;
    }
    return -1;
  }
  const int i = find(item, s, succ);
  if (i < 0) {
    failure_ = explain(item, s, succ);
    return -1;
  }
  ++next_;
  return i;
}

}  // namespace aiomc::report
