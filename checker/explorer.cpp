#include "checker/explorer.hpp"

#include "checker/explore_impl.hpp"
#include "replay/engine.hpp"
#include "model/liveness.hpp"

namespace aiomc::checker {

// The model has what the in-place fast path asks for: were a requirement of the
// concept to go unmet, the explorer would fall back to the copying path silently.
static_assert(detail::HasInPlaceSteps<model::Model>, "model::Model lost a member the in-place engine needs");

Result explore(const model::Model& m, const Options& opts) {
  return opts.exact ? detail::explore_with<std::string>(m, opts) : detail::explore_with<std::uint64_t>(m, opts);
}

Replayed replay_choices(const model::Model& m, const Counterexample& cx) {
  Replayed out;
  replay::Engine engine(m);
  out.initial_digest = engine.digest();
  for (std::size_t i = 0; i < cx.choices.size(); ++i) {
    replay::Taken t = engine.take(cx.choices[i]);
    ReplayedStep rs;
    rs.step = t.step;
    rs.choice = cx.choices[i];
    rs.info = std::move(t.info);
    rs.digest = engine.digest();
    if (i + 1 == cx.choices.size() && !cx.quiescent)
      for (const auto& viol : rs.info.violations)
        if (viol.invariant == cx.invariant) out.violations.push_back(viol);
    out.steps.push_back(std::move(rs));
  }
  if (cx.loop_start >= 0) {
    // A lasso: the obligation is open at the end, and the cycle closes on the state
    // at loop_start (an empty cycle: no step is enabled there).
    const bool empty_cycle = static_cast<std::size_t>(cx.loop_start) == cx.choices.size();
    if (cx.obligation >= 0)
      out.violations.push_back(
          {cx.invariant, model::obligation_text(m, engine.state(), cx.obligation) +
                             (empty_cycle ? " (nothing can run any more)"
                                          : " (a fair cycle of " +
                                                std::to_string(cx.choices.size() - static_cast<std::size_t>(cx.loop_start)) +
                                                " steps repeats forever)")});
    if (empty_cycle) {
      out.loop_closes = engine.enabled().empty();
    } else {
      const std::uint64_t at_loop =
          cx.loop_start == 0 ? out.initial_digest : out.steps[static_cast<std::size_t>(cx.loop_start) - 1].digest;
      out.loop_closes = !out.steps.empty() && out.steps.back().digest == at_loop;
    }
  }
  if (cx.quiescent) {
    std::vector<model::Violation> msgs;
    engine.end_violations(&msgs);
    for (const auto& viol : msgs)
      if (viol.invariant == cx.invariant) out.violations.push_back(viol);
  }
  return out;
}

}  // namespace aiomc::checker
