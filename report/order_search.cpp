#include "report/order_search.hpp"

#include <absl/container/flat_hash_map.h>

#include <algorithm>

#include "report/step_match.hpp"

namespace aiomc::report {
namespace {

struct Monitor {
  std::uint64_t done = 0;
  bool violated = false;  // an invariant was violated earlier on the path
  std::vector<std::uint8_t> count;  // per event: its matching steps so far (capped at n)
};

struct Node {
  std::uint32_t parent = 0;
  std::uint8_t choice = 0;
  std::uint8_t event = 0xFF;  // the event the step into this node made happen
  std::uint32_t depth = 0;
};

class Search {
 public:
  Search(const model::Model& m, const Order& o) : m_(m), o_(o), n_(o.events.size()) {
    pred_.assign(n_, 0);
    for (auto [a, b] : o.before) pred_[static_cast<std::size_t>(b)] |= std::uint64_t{1} << a;
    all_ = n_ == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_) - 1;
    actor_ok_.assign(n_, std::vector<bool>(static_cast<std::size_t>(m.actor_count()), false));
    for (std::size_t e = 0; e < n_; ++e)
      for (int a : actors_named(m, o.events[e].actor)) actor_ok_[e][static_cast<std::size_t>(a)] = true;
  }

  OrderSearchResult run(const OrderSearchOptions& opts);

 private:
  bool ready(std::size_t e, std::uint64_t done) const {
    return !((done >> e) & 1) && (pred_[e] & done) == pred_[e];
  }
  // Updates the monitor for one step; returns the event that happened or -1.
  int advance(Monitor& mon, const model::State& s, const model::Successor& x) const;
  bool condition_holds(const OrderEvent& e, const model::State& next) const;
  std::string key(const model::State& s, const Monitor& mon) const;
  std::vector<std::uint8_t> path_to(std::uint32_t node, std::vector<int>* events, std::vector<int>* steps) const;
  void explain(OrderSearchResult& r, std::uint32_t best) const;
  void first_violation(OrderSearchResult& r) const;

  const model::Model& m_;
  const Order& o_;
  std::size_t n_;
  std::vector<std::uint64_t> pred_;
  std::uint64_t all_ = 0;
  std::vector<std::vector<bool>> actor_ok_;
  std::vector<Node> nodes_;
  std::vector<std::string> states_;  // the model state's encoding per node
  std::vector<Monitor> monitors_;
};

bool Search::condition_holds(const OrderEvent& e, const model::State& next) const {
  if (e.state_path.empty()) return true;
  for (const std::string& line : m_.describe(next)) {
    if (line.compare(0, e.state_path.size(), e.state_path) != 0) continue;
    const std::string rest = line.substr(e.state_path.size());
    if (rest.rfind(" = ", 0) == 0 && rest.find(e.state_contains) != std::string::npos) return true;
  }
  return false;
}

int Search::advance(Monitor& mon, const model::State& s, const model::Successor& x) const {
  bool any = false;
  for (std::size_t e = 0; e < n_ && !any; ++e)
    any = !((mon.done >> e) & 1) && actor_ok_[e][x.step.actor];
  if (!any) return -1;
  const model::StepInfo info = step_info_of(m_, s, x.step);
  int happened = -1;
  for (std::size_t e = 0; e < n_; ++e) {
    const OrderEvent& ev = o_.events[e];
    if (((mon.done >> e) & 1) || !actor_ok_[e][x.step.actor] || !action_matches(ev.action, info)) continue;
    bool nth = true;
    if (ev.nth > 1) {
      if (mon.count[e] < ev.nth) mon.count[e]++;
      nth = mon.count[e] == ev.nth;
      if (!nth) continue;
    }
    if (happened < 0 && ready(e, mon.done) && condition_holds(ev, x.next)) happened = static_cast<int>(e);
  }
  if (happened >= 0) mon.done |= std::uint64_t{1} << happened;
  return happened;
}

std::string Search::key(const model::State& s, const Monitor& mon) const {
  std::string k(model::Model::kMaxEncoding + 8 + mon.count.size(), '\0');
  const std::size_t len = m_.encode_raw(s, reinterpret_cast<std::uint8_t*>(k.data()));
  k.resize(len);
  for (int i = 0; i < 8; ++i) k.push_back(static_cast<char>((mon.done >> (8 * i)) & 0xFF));
  k.push_back(mon.violated ? '\1' : '\0');
  for (std::uint8_t c : mon.count) k.push_back(static_cast<char>(c));
  return k;
}

std::vector<std::uint8_t> Search::path_to(std::uint32_t node, std::vector<int>* events, std::vector<int>* steps) const {
  std::vector<std::uint8_t> choices;
  std::vector<std::uint8_t> ev;
  for (std::uint32_t k = node; k != 0; k = nodes_[k].parent) {
    choices.push_back(nodes_[k].choice);
    ev.push_back(nodes_[k].event);
  }
  std::reverse(choices.begin(), choices.end());
  std::reverse(ev.begin(), ev.end());
  for (std::size_t i = 0; i < ev.size(); ++i)
    if (ev[i] != 0xFF) {
      events->push_back(ev[i]);
      steps->push_back(static_cast<int>(i));
    }
  return choices;
}

// For the first event that could not happen after the most the search achieved:
// what each actor it names is doing in that state.
void Search::explain(OrderSearchResult& r, std::uint32_t best) const {
  const std::uint64_t done = monitors_[best].done;
  for (std::size_t e = 0; e < n_; ++e)
    if (ready(e, done)) {
      r.first_missing = static_cast<int>(e);
      break;
    }
  if (r.first_missing < 0) return;
  const OrderEvent& ev = o_.events[static_cast<std::size_t>(r.first_missing)];
  const std::string& enc = states_[best];
  const model::State s = m_.decode(reinterpret_cast<const std::uint8_t*>(enc.data()), enc.size());
  std::vector<model::Successor> succ;
  m_.successors(s, succ);
  for (int a : actors_named(m_, ev.actor)) {
    std::string steps;
    for (const model::Successor& x : succ)
      if (x.step.actor == a) steps += (steps.empty() ? "" : ", ") + step_info_of(m_, s, x.step).action;
    r.reasons.push_back(steps.empty() ? why_not_enabled(m_, s, a)
                                      : m_.actor_name(a) + " can run " + steps + " there, and no schedule from there makes the event happen");
  }
  // Along the path to that state: steps that would have been the event had the
  // events before it happened already.
  {
    model::State t = m_.initial();
    std::uint64_t d = 0;
    std::size_t next_ev = 0;
    for (std::size_t i = 0; i < r.choices.size(); ++i) {
      m_.successors(t, succ);
      const model::Successor& x = succ[r.choices[i]];
      if (actor_ok_[static_cast<std::size_t>(r.first_missing)][x.step.actor] &&
          action_matches(ev.action, step_info_of(m_, t, x.step)) && !ready(static_cast<std::size_t>(r.first_missing), d)) {
        std::string missing;
        for (std::size_t e = 0; e < n_; ++e)
          if (((pred_[static_cast<std::size_t>(r.first_missing)] >> e) & 1) && !((d >> e) & 1))
            missing += (missing.empty() ? "" : ", ") + o_.events[e].id;
        r.reasons.push_back(m_.actor_name(x.step.actor) + " runs " + ev.action + " at step " + std::to_string(i) +
                            ", before " + missing + " has happened");
      }
      while (next_ev < r.event_steps.size() && r.event_steps[next_ev] == static_cast<int>(i))
        d |= std::uint64_t{1} << r.events[next_ev++];
      t = x.next;
    }
  }
  // Steps of the event's actor and function taken after as much of the order, that
  // did not make it happen: the n-th count or the state condition failed.
  std::vector<std::string> ran;
  for (std::uint32_t k = 0; k < nodes_.size() && ran.size() < 3; ++k) {
    if (monitors_[k].done != done) continue;
    const model::State t = m_.decode(reinterpret_cast<const std::uint8_t*>(states_[k].data()), states_[k].size());
    m_.successors(t, succ);
    for (const model::Successor& x : succ) {
      if (!actor_ok_[static_cast<std::size_t>(r.first_missing)][x.step.actor]) continue;
      if (!action_matches(ev.action, step_info_of(m_, t, x.step))) continue;
      std::string what = m_.actor_name(x.step.actor) + " runs " + ev.action + " there";
      if (!ev.state_path.empty()) {
        std::string value = "absent";
        for (const std::string& line : m_.describe(x.next))
          if (line.rfind(ev.state_path + " = ", 0) == 0) value = line.substr(ev.state_path.size() + 3);
        what += ", but " + ev.state_path + " is then " + value + ", not with " + ev.state_contains;
      } else if (ev.nth > 1) {
        what += ", but not as its " + std::to_string(ev.nth) + "th step of that kind";
      }
      if (std::find(ran.begin(), ran.end(), what) == ran.end()) ran.push_back(what);
    }
  }
  for (const std::string& w : ran) r.reasons.push_back(w);
  // Where the actor ends up on every path that has done as much: its waits.
  std::vector<std::string> ends;
  for (std::uint32_t k = 0; k < nodes_.size(); ++k) {
    if (monitors_[k].done != done) continue;
    const model::State t = m_.decode(reinterpret_cast<const std::uint8_t*>(states_[k].data()), states_[k].size());
    m_.successors(t, succ);
    for (int a : actors_named(m_, ev.actor)) {
      bool enabled = false;
      for (const model::Successor& x : succ) enabled = enabled || x.step.actor == a;
      if (enabled) continue;
      const std::string why = why_not_enabled(m_, t, a);
      if (std::find(ends.begin(), ends.end(), why) == ends.end()) ends.push_back(why);
    }
  }
  for (const std::string& w : ends)
    if (std::find(r.reasons.begin(), r.reasons.end(), w) == r.reasons.end())
      r.reasons.push_back("in another reachable state with the same events done: " + w);
}

// The first step along r.choices that violates an invariant, and what it violates.
void Search::first_violation(OrderSearchResult& r) const {
  model::State s = m_.initial();
  std::vector<model::Successor> succ;
  for (std::size_t i = 0; i < r.choices.size(); ++i) {
    m_.successors(s, succ);
    if (!succ[r.choices[i]].violated.empty()) {
      r.violated = succ[r.choices[i]].violated.list();
      r.invariant = r.violated.front();
      r.violation_step = static_cast<int>(i);
      return;
    }
    s = succ[r.choices[i]].next;
  }
  AIOMC_ASSERT(false);
}

OrderSearchResult Search::run(const OrderSearchOptions& opts) {
  OrderSearchResult r;
  absl::flat_hash_map<std::string, std::uint32_t> seen;
  const model::State init = m_.initial();
  Monitor m0;
  m0.count.assign(n_, 0);
  nodes_.push_back(Node{});
  const std::string k0 = key(init, m0);
  states_.push_back(k0.substr(0, k0.size() - 9 - n_));
  monitors_.push_back(m0);
  seen.emplace(k0, 0);
  std::uint32_t best = 0, reached = UINT32_MAX;
  std::vector<model::Successor> succ;
  std::vector<model::Violation> msgs;
  for (std::uint32_t head = 0; head < nodes_.size(); ++head) {
    const model::State s = m_.decode(reinterpret_cast<const std::uint8_t*>(states_[head].data()), states_[head].size());
    const Monitor mon = monitors_[head];
    try {
      m_.successors(s, succ);
    } catch (const std::logic_error&) {
      // Past a violation the model may find its own state inconsistent: a dead end.
      if (mon.violated) continue;
      throw;
    }
    AIOMC_ASSERT(succ.size() <= 255);
    bool progress = false;
    for (const model::Successor& x : succ) progress = progress || m_.is_progress(s, x.step);
    if (mon.done == all_ && !mon.violated) {
      if (reached == UINT32_MAX) reached = head;
      if (!progress) {
        msgs.clear();
        const model::InvSet q = m_.quiescent_violations(s, false, &msgs);
        if (!q.empty()) {
          r.verdict = OrderVerdict::reproduced;
          r.quiescent = true;
          r.violated = q.list();
          r.invariant = r.violated.front();
          r.choices = path_to(head, &r.events, &r.event_steps);
          r.violation_step = static_cast<int>(r.choices.size());
          r.states = nodes_.size();
          return r;
        }
      }
    }
    for (std::size_t i = 0; i < succ.size(); ++i) {
      ++r.transitions;
      Monitor next = mon;
      const int ev = advance(next, s, succ[i]);
      next.violated = mon.violated || !succ[i].violated.empty();
      if (next.violated && next.done == all_) {
        // The order is complete on a path with a violation (here or earlier).
        nodes_.push_back(Node{head, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(ev), nodes_[head].depth + 1});
        r.verdict = OrderVerdict::reproduced;
        r.choices = path_to(static_cast<std::uint32_t>(nodes_.size() - 1), &r.events, &r.event_steps);
        first_violation(r);
        r.states = nodes_.size() - 1;
        return r;
      }
      std::string k = key(succ[i].next, next);
      if (seen.contains(k)) continue;
      if (nodes_.size() >= opts.max_states) {
        r.verdict = OrderVerdict::bound;
        r.states = nodes_.size();
        r.choices = path_to(best, &r.events, &r.event_steps);
        explain(r, best);
        return r;
      }
      const auto id = static_cast<std::uint32_t>(nodes_.size());
      seen.emplace(k, id);
      nodes_.push_back(Node{head, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(ev), nodes_[head].depth + 1});
      std::size_t tail = 9 + next.count.size();
      k.resize(k.size() - tail);
      states_.push_back(std::move(k));
      if (__builtin_popcountll(next.done) > __builtin_popcountll(monitors_[best].done)) best = id;
      monitors_.push_back(std::move(next));
    }
  }
  r.states = nodes_.size();
  if (reached != UINT32_MAX) {
    r.verdict = OrderVerdict::reached;
    r.choices = path_to(reached, &r.events, &r.event_steps);
    return r;
  }
  r.verdict = OrderVerdict::impossible;
  r.choices = path_to(best, &r.events, &r.event_steps);
  explain(r, best);
  return r;
}

}  // namespace

OrderSearchResult search_order(const model::Model& m, const Order& order, const OrderSearchOptions& opts) {
  Search s(m, order);
  return s.run(opts);
}

}  // namespace aiomc::report
