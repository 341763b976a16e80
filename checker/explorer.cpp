#include "checker/explorer.hpp"

#include "checker/explore_impl.hpp"
#include "model/liveness.hpp"

namespace aiomc::checker {

Result explore(const model::Model& m, const Options& opts) {
  return opts.exact ? detail::explore_with<std::string>(m, opts) : detail::explore_with<std::uint64_t>(m, opts);
}

Replayed replay_choices(const model::Model& m, const Counterexample& cx) {
  Replayed out;
  model::State s = m.initial();
  out.initial_digest = m.digest(s);
  std::vector<model::Successor> succ;
  for (std::size_t i = 0; i < cx.choices.size(); ++i) {
    m.successors(s, succ);
    AIOMC_ASSERT(cx.choices[i] < succ.size());
    ReplayedStep rs;
    rs.step = succ[cx.choices[i]].step;
    rs.choice = cx.choices[i];
    model::InvSet v;
    bool ok = m.apply(s, rs.step, &v, &rs.info);
    AIOMC_ASSERT(ok);
    rs.digest = m.digest(s);
    if (i + 1 == cx.choices.size() && !cx.quiescent)
      for (const auto& viol : rs.info.violations)
        if (viol.invariant == cx.invariant) out.violations.push_back(viol);
    out.steps.push_back(std::move(rs));
  }
  if (cx.loop_start >= 0) {
    // A lasso: the obligation is open at the end, and the cycle closes on the state
    // at loop_start (an empty cycle: no step is enabled there).
    if (cx.obligation >= 0)
      out.violations.push_back({cx.invariant, model::obligation_text(m, s, cx.obligation) +
                                                  (static_cast<std::size_t>(cx.loop_start) == cx.choices.size()
                                                       ? " (nothing can run any more)"
                                                       : " (a fair cycle of " +
                                                             std::to_string(cx.choices.size() - static_cast<std::size_t>(cx.loop_start)) +
                                                             " steps repeats forever)")});
    if (static_cast<std::size_t>(cx.loop_start) == cx.choices.size()) {
      m.successors(s, succ);
      out.loop_closes = succ.empty();
    } else {
      const std::uint64_t at_loop = cx.loop_start == 0 ? out.initial_digest : out.steps[static_cast<std::size_t>(cx.loop_start) - 1].digest;
      out.loop_closes = !out.steps.empty() && out.steps.back().digest == at_loop;
    }
  }
  if (cx.quiescent) {
    std::vector<model::Violation> msgs;
    m.quiescent_violations(s, false, &msgs);
    for (const auto& viol : msgs)
      if (viol.invariant == cx.invariant) out.violations.push_back(viol);
  }
  return out;
}

}  // namespace aiomc::checker
