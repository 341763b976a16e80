#include "sim/simulator.hpp"

#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

#include "replay/engine.hpp"
#include "sim/event_queue.hpp"
#include "sim/prng.hpp"

namespace aiomc::sim {
namespace {

// A timed step keeps its identity while it stays enabled: a bio by its job, a
// sleeping thread's timeout by the thread and its op, an idle daemon by number.
EventKey key_of(const model::Model& m, const model::State& s, model::StepRef r) {
  EventKey k{r.actor, static_cast<std::uint8_t>(r.kind), 0};
  if (r.kind == model::StepKind::bio_done)
    k.id = s.disks[r.actor - m.first_disk_actor()].bios[r.arg].raw();
  else if (r.kind == model::StepKind::timeout)
    k.id = s.threads[r.actor].pc;
  return k;
}

std::int64_t delay_ticks(const model::Model& m, const model::State& s, model::StepRef r, Prng& prng) {
  switch (m.delay_of(s, r)) {
    case model::Delay::none: return 0;
    case model::Delay::bio: {
      const model::Object& o = m.program().objects[m.disk_object(r.actor - m.first_disk_actor())];
      return prng.range(o.latency_min, o.latency_max);
    }
    case model::Delay::timeout:
    case model::Delay::idle:
    case model::Delay::poll: return m.timeout_ticks(s, r);
  }
  return 0;
}

}  // namespace

RunResult run(const model::Model& m, const RunOptions& opts) {
  RunResult res;
  res.seed = opts.seed;
  Prng prng(opts.seed);
  // A batch run keeps no record and asks no chooser: the lean engine, which copies
  // no state per enabled step.
  replay::Engine engine(m, !opts.record && !opts.choose);
  res.initial_digest = engine.digest();
  EventQueue timers;
  std::int64_t now = 0;
  std::vector<int> untimed;
  std::vector<EventKey> live;  // the timed steps enabled now (reused: no allocation a step)
  try {
    for (std::uint64_t n = 0;; ++n) {
      const model::State& s = engine.state();
      const std::vector<model::Successor>& succ = engine.enabled();
      untimed.clear();
      bool progress = false;
      live.clear();
      for (int i = 0; i < static_cast<int>(succ.size()); ++i) {
        progress = progress || m.is_progress(s, succ[i].step);
        if (m.delay_of(s, succ[i].step) == model::Delay::none) {
          untimed.push_back(i);
          continue;
        }
        EventKey k = key_of(m, s, succ[i].step);
        live.push_back(k);
        if (!timers.contains(k)) timers.schedule(k, now + delay_ticks(m, s, succ[i].step, prng));
      }
      timers.retain(live);
      int chosen = -1;
      if (opts.choose) {
        chosen = opts.choose(s, succ);
        if (chosen < 0 && progress) {
          res.end = RunEnd::stopped;
          break;
        }
        // Nothing can make progress: the quiescence check below ends the run.
        AIOMC_ASSERT(chosen < static_cast<int>(succ.size()));
        if (chosen >= 0) progress = true;
      }
      if (!progress) {
        model::InvSet q = engine.end_violations(&res.violations);
        if (!q.empty()) {
          if (!opts.record && res.violations.empty())
            for (model::Inv inv : q.list()) res.violations.push_back({inv, ""});
          res.end = RunEnd::violation;
          res.violation_step = static_cast<int>(res.step_count);
        }
        break;
      }
      if (n >= opts.max_steps) {
        res.end = RunEnd::max_steps;
        break;
      }
      int pick = -1;
      if (chosen >= 0) {
        pick = chosen;
        if (m.delay_of(s, succ[chosen].step) != model::Delay::none) {
          const EventKey k = key_of(m, s, succ[chosen].step);
          now = std::max(now, timers.due(k));
          timers.remove(k);
        }
      } else if (!untimed.empty()) {
        pick = untimed[prng.uniform(untimed.size())];
      } else {
        // Advance the clock to the earliest progress-making timed event.
        EventKey k = timers.earliest_where([&](const EventKey& key) {
          for (const auto& sc : succ)
            if (key_of(m, s, sc.step) == key) return m.is_progress(s, sc.step);
          return false;
        });
        now = std::max(now, timers.due(k));
        timers.remove(k);
        for (int i = 0; i < static_cast<int>(succ.size()); ++i)
          if (m.delay_of(s, succ[i].step) != model::Delay::none && key_of(m, s, succ[i].step) == k) pick = i;
      }
      if (opts.test_fault_step != 0 && n + 1 == opts.test_fault_step)
        throw std::logic_error("test fault injected at step " + std::to_string(n + 1));
      res.step_count++;
      if (!opts.record) {
        // The successor already holds the next state and its violations: the same
        // step apply() would take, without its StepInfo and second execution.
        const model::InvSet v = engine.advance(static_cast<std::size_t>(pick));
        if (!v.empty()) {
          for (model::Inv inv : v.list()) res.violations.push_back({inv, ""});
          res.end = RunEnd::violation;
          res.violation_step = static_cast<int>(res.step_count) - 1;
          break;
        }
        continue;
      }
      replay::Taken taken = engine.take(static_cast<std::size_t>(pick));
      TraceStep ts;
      ts.tick = now;
      ts.step = taken.step;
      ts.choice = pick;
      ts.info = std::move(taken.info);
      const model::InvSet& v = taken.violated;
      ts.digest = engine.digest();
      res.steps.push_back(std::move(ts));
      if (!v.empty()) {
        for (const auto& viol : res.steps.back().info.violations) res.violations.push_back(viol);
        res.end = RunEnd::violation;
        res.violation_step = static_cast<int>(res.steps.size()) - 1;
        break;
      }
    }
  } catch (const std::exception& e) {
    // Isolation: the run ends with what it did so far and the model's message.
    res.end = RunEnd::error;
    res.error = e.what();
  }
  res.final_tick = now;
  res.final_digest = engine.digest();
  return res;
}

}  // namespace aiomc::sim
