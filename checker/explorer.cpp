#include "checker/explorer.hpp"

#include "checker/explore_impl.hpp"

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
  if (cx.quiescent) {
    std::vector<model::Violation> msgs;
    m.quiescent_violations(s, false, &msgs);
    for (const auto& viol : msgs)
      if (viol.invariant == cx.invariant) out.violations.push_back(viol);
  }
  return out;
}

}  // namespace aiomc::checker
