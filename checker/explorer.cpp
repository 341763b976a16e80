#include "checker/explorer.hpp"

#include <algorithm>
#include <cstdio>

#include "checker/depth_first.hpp"
#include "checker/explore_impl.hpp"
#include "replay/engine.hpp"
#include "model/liveness.hpp"

namespace aiomc::checker {

// The model has what the in-place fast path asks for: were a requirement of the
// concept to go unmet, the explorer would fall back to the copying path silently.
static_assert(detail::HasInPlaceSteps<model::Model>, "model::Model lost a member the in-place engine needs");

Result explore(const model::Model& m, const Options& opts) {
  if (opts.exact) return detail::explore_with<std::string>(m, opts);
  // Depth-first needs what the in-place engine has: fingerprints, safety only.
  if (!opts.depth_first || opts.liveness || !opts.in_place || opts.test_fault_state) return detail::explore_with<std::uint64_t>(m, opts);
  const int threads = std::clamp(opts.threads, 1, kMaxThreads);
  detail::DepthFirst<model::Model> dfs(m, opts, threads);
  if (auto r = dfs.run()) return *std::move(r);
  // The breadth-first search decides, in the time left.
  const double spent = dfs.elapsed();
  Options again = opts;
  if (again.bounds.max_seconds > 0) again.bounds.max_seconds = std::max(again.bounds.max_seconds - spent, 1e-3);
  if (again.budget_seconds > 0) again.budget_seconds = std::max(again.budget_seconds - spent, 1e-3);
  Result res = detail::explore_with<std::uint64_t>(m, again);
  char took[32];
  std::snprintf(took, sizeof took, "%.3f", spent);
  res.stats.search_note = "depth-first met " + dfs.why_not() + " after " + took + " s; searched again breadth-first";
  res.stats.seconds += spent;
  res.stats.states_per_second = res.stats.seconds > 0 ? static_cast<double>(res.stats.states) / res.stats.seconds : 0;
  return res;
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
