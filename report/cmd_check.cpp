// `aiomc check`: every schedule of every scenario (checker::explore), each scenario's
// own checks compared with their `expect` (or the --variant set, expected to pass),
// traces of the counterexamples, the JSON report and JUnit XML.
// Exit 0 all as expected, 1 a verdict differs, 3 a bound was hit where the expected
// verdict needed a complete search (and nothing failed), 2 bad input.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "model/model.hpp"
#include "report/check_record.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/files.hpp"
#include "report/junit.hpp"
#include "report/report_json.hpp"
#include "report/scenario_files.hpp"
#include "report/scenario_setup.hpp"
#include "report/sequence_view.hpp"
#include "report/trace.hpp"

namespace aiomc::report {
namespace {

using Expect = loader::Check::Expect;

// One scenario × check, validated before any search starts.
struct CheckJob {
  const loader::Scenario* scenario = nullptr;
  std::string pointer;  // "/checks/N"; "" for --variant or the implied check
  ResolvedVariants variants;
  model::Config config;
  Expect expect = Expect::pass;
  std::optional<std::string> invariant;
};

enum class Outcome { ok, fail, incomplete };

const char* expect_name(Expect e) {
  switch (e) {
    case Expect::pass: return "pass";
    case Expect::violation: return "violation";
    case Expect::incomplete: return "incomplete";
  }
  return "?";
}

bool found_invariant(const checker::Result& r, const std::string& name) {
  for (const checker::Counterexample& cx : r.violations)
    if (model::inv_name(cx.invariant) == name) return true;
  return false;
}

// S19: a violation check holds if its invariant (if named) is among the violated
// ones; a bound hit before the expected verdict is established is `incomplete`.
Outcome judge(const CheckJob& job, const checker::Result& r) {
  switch (job.expect) {
    case Expect::pass:
      if (r.verdict == checker::Verdict::pass) return Outcome::ok;
      return r.verdict == checker::Verdict::incomplete ? Outcome::incomplete : Outcome::fail;
    case Expect::violation:
      if (r.verdict == checker::Verdict::violation &&
          (!job.invariant || found_invariant(r, *job.invariant)))
        return Outcome::ok;
      return r.verdict == checker::Verdict::incomplete || !r.stats.bound_hit.empty()
                 ? Outcome::incomplete
                 : Outcome::fail;
    case Expect::incomplete:
      return r.verdict == checker::Verdict::incomplete ? Outcome::ok : Outcome::fail;
  }
  return Outcome::fail;
}

std::string expected_text(const CheckJob& job) {
  return std::string(expect_name(job.expect)) + (job.invariant ? " " + *job.invariant : "");
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

std::string stats_text(const checker::Stats& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.0f states/s, %.1f bytes/state", s.states_per_second,
                s.bytes_per_state);
  return "states " + std::to_string(s.states) + ", transitions " + std::to_string(s.transitions) +
         ", max depth " + std::to_string(s.max_depth) + ", " + seconds_text(s.seconds) + ", " + buf;
}

// --- preparing the jobs -------------------------------------------------------

std::string add_jobs(const CheckCommandOptions& opts, const loader::Scenario& sc,
                     std::vector<CheckJob>& jobs) {
  std::vector<CheckJob> mine;
  if (!opts.variants.empty()) {
    mine.push_back(CheckJob{&sc, "", {}, {}, Expect::pass, std::nullopt});
    const std::string err = configure(sc, opts.variants, mine.back().variants, mine.back().config);
    if (!err.empty()) return err;
  } else {
    for (const loader::Check& c : sc.checks) {
      mine.push_back(CheckJob{&sc, c.pointer, {}, {}, c.expect, c.invariant});
      const std::string err =
          configure(sc, c.variant_ids, mine.back().variants, mine.back().config);
      if (!err.empty()) return sc.path + (c.pointer.empty() ? "" : ": " + c.pointer) + ": " + err;
    }
  }
  jobs.insert(jobs.end(), mine.begin(), mine.end());
  return "";
}

// Loads every scenario and validates every check; reports every problem, not only
// the first. Returns false on any (exit 2).
bool prepare(const CheckCommandOptions& opts, std::vector<loader::Scenario>& scenarios,
             std::vector<CheckJob>& jobs, std::ostream& err) {
  std::vector<std::string> files;
  std::string problem = expand_scenario_inputs(opts.inputs, files);
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return false;
  }
  bool ok = true;
  scenarios.resize(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    problem = load_scenario(files[i], scenarios[i]);
    if (problem.empty()) problem = add_jobs(opts, scenarios[i], jobs);
    if (!problem.empty()) err << "aiomc: " << problem << "\n";
    ok = ok && problem.empty();
    if (!opts.quiet)
      for (const std::string& w : scenarios[i].warnings) err << "aiomc: warning: " << w << "\n";
  }
  if (ok && !opts.trace_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(opts.trace_dir, ec);
    if (ec) {
      err << "aiomc: " << opts.trace_dir << ": cannot create the trace directory: " << ec.message()
          << "\n";
      ok = false;
    }
  }
  return ok;
}

checker::Options checker_options(const CheckCommandOptions& opts, const loader::Scenario& sc) {
  checker::Options o;
  o.bounds.max_states = opts.max_states.value_or(sc.bounds.max_states.value_or(0));
  o.bounds.max_depth = opts.max_depth.value_or(sc.bounds.max_depth.value_or(0));
  o.bounds.max_seconds = opts.max_seconds.value_or(sc.bounds.max_seconds.value_or(0));
  o.threads =
      opts.threads > 0 ? opts.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (o.threads < 1) o.threads = 1;
  o.exact = opts.exact;
  // Progress lines on stderr for runs longer than a second (the explorer only prints
  // them to a terminal); a memory ceiling at three quarters of physical memory.
  o.progress = !opts.quiet;
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    o.bounds.max_memory_mb = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 1048576 * 3 / 4;
  return o;
}

// --- running one job ----------------------------------------------------------

struct JobRun {
  CheckRecord record;
  Outcome outcome = Outcome::ok;
  std::string views;  // message-sequence views of the counterexamples, when wanted
};

// The counterexample's message and, with --trace-dir, its trace file.
ViolationRecord record_violation(const CheckCommandOptions& opts, const CheckJob& job,
                                 const model::Model& m, const checker::Counterexample& cx,
                                 std::string& problem) {
  const checker::Replayed replayed = checker::replay_choices(m, cx);
  const Trace trace = trace_from_counterexample(*job.scenario, job.variants.ids, cx, replayed);
  ViolationRecord v;
  v.invariant = std::string(model::inv_name(cx.invariant));
  v.message = trace.violation ? trace.violation->message : "";
  v.steps = cx.choices.size();
  if (!opts.trace_dir.empty()) {
    const std::string name = job.scenario->name + "." + variant_label(job.variants.ids) + "." +
                             v.invariant + ".trace.json";
    v.trace_path = (std::filesystem::path(opts.trace_dir) / name).generic_string();
    problem = write_text_file(v.trace_path, trace_to_json_text(trace));
  }
  return v;
}

std::string view_of(const model::Model& m, const checker::Counterexample& cx,
                    const ViolationRecord& v) {
  const std::vector<SequenceStep> steps = replay_with_changes(m, cx.choices);
  const std::string where = cx.quiescent ? " (in the final state)" : "";
  return "  counterexample for " + v.invariant + ", " + std::to_string(v.steps) + " steps:\n" +
         sequence_view(m, steps, "✗ " + v.invariant + where + ": " + v.message) + "\n";
}

JobRun run_job(const CheckCommandOptions& opts, const CheckJob& job, std::string& problem) {
  const model::Model m(job.scenario->program, job.config);
  const checker::Result result = checker::explore(m, checker_options(opts, *job.scenario));
  JobRun run;
  run.outcome = judge(job, result);
  CheckRecord& rec = run.record;
  rec.scenario = job.scenario->path;
  rec.check_pointer = job.pointer;
  rec.variant = job.variants.ids;
  rec.expected = expect_name(job.expect);
  rec.expected_invariant = job.invariant;
  rec.verdict = verdict_name(result.verdict);
  rec.ok = run.outcome == Outcome::ok;
  rec.stats = result.stats;
  for (const checker::Counterexample& cx : result.violations) {
    std::string write_problem;
    rec.violations.push_back(record_violation(opts, job, m, cx, write_problem));
    if (problem.empty()) problem = write_problem;
    if (run.outcome != Outcome::ok && !opts.quiet)
      run.views += view_of(m, cx, rec.violations.back());
  }
  return run;
}

std::string job_text(const CheckCommandOptions& opts, const CheckJob& job, const JobRun& run) {
  static const char* status[] = {"ok", "FAIL", "INCOMPLETE"};
  const CheckRecord& r = run.record;
  std::string out = std::string(status[static_cast<int>(run.outcome)]);
  out += std::string(12 - out.size(), ' ') + r.scenario;
  if (job.scenario->checks.size() > 1 && !job.pointer.empty()) out += " " + job.pointer;
  out += "  " + variant_label(r.variant) + "  " + expected_text(job) + " → " + r.verdict + "  " +
         std::to_string(r.stats.states) + " states  " + seconds_text(r.stats.seconds) + "\n";
  if (opts.stats) out += "    " + stats_text(r.stats) + "\n";
  if (!r.stats.bound_hit.empty()) out += "    bound hit: " + r.stats.bound_hit + "\n";
  for (const ViolationRecord& v : r.violations) {
    out += "    ✗ " + v.invariant + ": " + v.message + " (" + std::to_string(v.steps) + " steps";
    out += (v.trace_path.empty() ? "" : ", trace " + v.trace_path) + ")\n";
  }
  return out + run.views;
}

int exit_code(const std::vector<Outcome>& outcomes) {
  int code = kExitOk;
  for (Outcome o : outcomes) {
    if (o == Outcome::fail) return kExitFailed;
    if (o == Outcome::incomplete) code = kExitIncomplete;
  }
  return code;
}

std::string summary(const std::vector<Outcome>& outcomes) {
  std::size_t n[3] = {0, 0, 0};
  for (Outcome o : outcomes) n[static_cast<int>(o)]++;
  return std::to_string(outcomes.size()) + " checks: " + std::to_string(n[0]) + " ok, " +
         std::to_string(n[1]) + " failed, " + std::to_string(n[2]) + " incomplete\n";
}

}  // namespace

int check_command(const CheckCommandOptions& opts, std::ostream& out, std::ostream& err) {
  std::vector<loader::Scenario> scenarios;
  std::vector<CheckJob> jobs;
  if (!prepare(opts, scenarios, jobs, err)) return kExitBadInput;
  std::vector<CheckRecord> records;
  std::vector<Outcome> outcomes;
  std::string problem;  // the first file that could not be written
  for (const CheckJob& job : jobs) {
    const JobRun run = run_job(opts, job, problem);
    if (!opts.quiet || run.outcome != Outcome::ok) out << job_text(opts, job, run) << std::flush;
    records.push_back(run.record);
    outcomes.push_back(run.outcome);
  }
  out << summary(outcomes);
  if (!opts.report_file.empty()) {
    const std::string p = write_text_file(opts.report_file, report_to_json_text(records));
    if (problem.empty()) problem = p;
  }
  if (!opts.junit_file.empty()) {
    const std::string p = write_text_file(opts.junit_file, junit_xml(records));
    if (problem.empty()) problem = p;
  }
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  return exit_code(outcomes);
}

}  // namespace aiomc::report
