#include "report/step_match.hpp"

#include "model/steps.hpp"

namespace aiomc::report {
namespace {

std::string short_name(const std::string& full) {
  const std::size_t slash = full.find('/');
  return slash == std::string::npos ? full : full.substr(slash + 1);
}

bool glob(const std::string& pattern, const std::string& name) {
  if (!pattern.empty() && pattern.back() == '*')
    return name.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  return pattern == name;
}

std::string function_of(const std::string& action) { return action.substr(0, action.find(':')); }

bool one_matches(const std::string& spec, const std::string& action) {
  if (spec.find(':') != std::string::npos) return spec == action;
  return spec == function_of(action);
}

const char* wchan_text(std::uint8_t chan) {
  switch (chan) {
    case model::WC_AIOINFO: return "&p->p_aioinfo (aiospn/aiowc/aioprn)";
    case model::WC_KQ: return "the kqueue (kqread/kqflxwt/kqclo/kqkclr)";
    case model::WC_SIG: return "a signal (sigwait)";
    case model::WC_SEMA: return "aio_newproc_sem";
    case model::WC_SEM: return "a user semaphore";
    case model::WC_BP: return "a buf (physstr)";
    case model::WC_SX: return "a Linux AIO context's sx (sx_xlock)";
    default: return "an unknown channel";
  }
}

}  // namespace

bool actor_matches(const model::Model& m, const std::string& pattern, int actor) {
  const std::string full = m.actor_name(actor);
  if (glob(pattern, full)) return true;
  if (actor >= m.thread_count() || pattern.find('/') != std::string::npos) return false;
  if (!glob(pattern, short_name(full))) return false;
  if (!pattern.empty() && pattern.back() == '*') return true;
  // A bare thread name must name one thread only.
  for (int t = 0; t < m.thread_count(); ++t)
    if (t != actor && short_name(m.actor_name(t)) == pattern) return false;
  return true;
}

std::vector<int> actors_named(const model::Model& m, const std::string& pattern) {
  std::vector<int> out;
  for (int a = 0; a < m.actor_count(); ++a)
    if (actor_matches(m, pattern, a)) out.push_back(a);
  return out;
}

bool action_matches(const std::string& spec, const model::StepInfo& info) {
  if (spec.empty()) return true;
  if (one_matches(spec, info.action)) return true;
  for (std::uint8_t row : info.steps)
    if (row < model::kStepCount && one_matches(spec, model::kSteps[row].name)) return true;
  return false;
}

bool action_known(const std::string& spec) {
  if (spec.empty()) return true;
  for (int i = 0; i < model::kStepCount; ++i)
    if (one_matches(spec, model::kSteps[i].name)) return true;
  // Actions a trace names that are not rows (the timed steps).
  return spec == "timeout" || spec == "bio_done" || spec == "idle_timeout";
}

model::StepInfo step_info_of(const model::Model& m, const model::State& s, model::StepRef step) {
  model::State copy = s;
  model::StepInfo info;
  model::InvSet v;
  m.apply(copy, step, &v, &info);
  return info;
}

std::string why_not_enabled(const model::Model& m, const model::State& s, int actor) {
  const std::string name = m.actor_name(actor);
  if (actor < m.thread_count()) {
    const model::ThreadSt& t = s.threads[actor];
    if (t.status == model::TS_DONE || t.status == model::TS_ENDED) return name + " has finished its ops";
    if (t.status == model::TS_SLEEP)
      return name + " sleeps on " + wchan_text(t.wchan) +
             (t.wid != model::kNone ? " #" + std::to_string(t.wid) : "") + " and no wakeup has come";
  }
  std::string held;
  auto add = [&](const std::string& lock, std::uint8_t owner) {
    if (owner == model::kNone || owner == actor) return;
    held += (held.empty() ? "" : ", ") + lock + " held by " + m.actor_name(owner);
  };
  for (std::size_t p = 0; p < m.program().processes.size(); ++p)
    add("PROC_LOCK(" + m.program().processes[p].name + ")", s.procs[p].p_mtx);
  add("aio_job_mtx", s.jm_owner);
  add("Giant", s.giant_owner);
  if (actor < m.thread_count())
    return held.empty() ? name + " has no enabled step (no lock is held across steps)"
                        : name + " waits for a lock: " + held;
  return name + " has nothing to do here (it runs only when work is queued for it)" +
         (held.empty() ? "" : "; held: " + held);
}

std::string enabled_actors_text(const model::Model& m, const std::vector<model::Successor>& succ) {
  std::string out;
  int last = -1;
  for (const model::Successor& x : succ) {
    if (x.step.actor == last) continue;
    last = x.step.actor;
    out += (out.empty() ? "" : ", ") + m.actor_name(x.step.actor);
  }
  return out.empty() ? "none" : out;
}

}  // namespace aiomc::report
