// `aiomc check`: every schedule of every scenario (checker::explore), each scenario's
// own checks compared with their `expect` (or the --variant set, expected to pass),
// traces of the counterexamples, the JSON report and JUnit XML.
// Each file and each check stands alone: a file that cannot be loaded is that file's
// `error` result, a check whose search throws is that check's `error` result (exit
// 70), and the others still run; the report and JUnit are always written. Exit codes
// by precedence (S25): 70 internal error > 2 bad input > 1 a verdict differs >
// 3 a bound was hit or the run was interrupted > 0.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "model/liveness.hpp"
#include "model/model.hpp"
#include "report/check_record.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/files.hpp"
#include "report/interrupt.hpp"
#include "report/annotate.hpp"
#include "report/junit.hpp"
#include "report/sarif.hpp"
#include "report/locate.hpp"
#include "report/report_json.hpp"
#include "report/scenario_files.hpp"
#include "report/scenario_setup.hpp"
#include "report/sequence_view.hpp"
#include "report/causal_slice.hpp"
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

// In the order of the status words of job_text; exit_code() ranks them.
enum class Outcome { ok, fail, incomplete, error, bad_input };

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
  char buf[260];
  std::snprintf(buf, sizeof buf,
                "%.0f states/s, %.1f bytes/state stored, %.1f bytes/state held (peak %.1f MiB), "
                "collision probability %.2g",
                s.states_per_second, s.bytes_per_state, s.search_bytes_per_state,
                static_cast<double>(s.peak_bytes) / 1048576.0, s.collision_probability);
  std::string live;
  if (s.liveness_checked) {
    char lb[200];
    std::snprintf(lb, sizeof lb, "; liveness: state graph %llu edges, %.1f bytes/edge (CSR), %llu SCCs, analysis %.3f s",
                  static_cast<unsigned long long>(s.graph_edges), s.graph_bytes_per_edge,
                  static_cast<unsigned long long>(s.graph_sccs), s.liveness_seconds);
    live = lb;
  }
  std::string which;
  for (const std::string& r : s.reductions_applied) which += (which.empty() ? " (" : "; ") + r;
  if (!which.empty()) which += ")";
  // A depth-first search's depth is that of the longest path it took.
  const bool dfs = s.search == "dfs";
  std::string note = s.search_note.empty() ? "" : "; " + s.search_note;
  return std::string(dfs ? "depth-first, " : "") + "reductions " + (s.reductions ? "on" : "off") + which + ", states " +
         std::to_string(s.states) + ", transitions " + std::to_string(s.transitions) + (dfs ? ", max path " : ", max depth ") +
         std::to_string(s.max_depth) + ", " + seconds_text(s.seconds) + ", " + buf + live + note;
}

// --- preparing the jobs -------------------------------------------------------

// One unit of work, in the order of the files: a check to run, or a file that could
// not be loaded or configured (its `error` result).
struct Unit {
  std::optional<CheckJob> job;
  CheckRecord bad;  // when !job
};

CheckRecord bad_input_record(const std::string& file, const std::string& message) {
  CheckRecord r;
  r.scenario = file;
  r.expected = "pass";
  r.verdict = "error";
  r.ok = false;
  r.error = message;
  r.internal = false;
  r.line = loader::line_in_message(message);
  return r;
}

std::string add_jobs(const CheckCommandOptions& opts, const loader::Scenario& sc,
                     std::vector<Unit>& units) {
  std::vector<Unit> mine;
  if (!opts.variants.empty()) {
    mine.push_back(Unit{CheckJob{&sc, "", {}, {}, Expect::pass, std::nullopt}, {}});
    const std::string err = configure(sc, opts.variants, mine.back().job->variants, mine.back().job->config);
    if (!err.empty()) return err;
  } else {
    for (const loader::Check& c : sc.checks) {
      mine.push_back(Unit{CheckJob{&sc, c.pointer, {}, {}, c.expect, c.invariant}, {}});
      const std::string err = configure(sc, c.variant_ids, mine.back().job->variants, mine.back().job->config);
      if (!err.empty()) return c.pointer.empty() ? err : sc.path + ": " + c.pointer + ": " + err;
    }
  }
  for (Unit& u : mine) units.push_back(std::move(u));
  return "";
}

// Loads every scenario and validates every check. A file with a problem becomes its
// own error result (the message is printed too); the others go on. Files below a
// directory in another aiomc format are skipped with a note (S25).
std::vector<Unit> prepare(const CheckCommandOptions& opts, std::deque<loader::Scenario>& scenarios,
                          ReportNotes& notes, std::ostream& err) {
  std::vector<Unit> units;
  for (const ScenarioInput& in : expand_scenario_inputs(opts.inputs)) {
    std::string problem = in.problem;
    if (problem.empty()) {
      scenarios.emplace_back();
      loader::Scenario& sc = scenarios.back();
      problem = load_scenario(in.path, sc);
      if (!problem.empty() && in.from_directory) {
        const std::string format = other_aiomc_format(in.path);
        if (!format.empty()) {
          scenarios.pop_back();
          notes.skipped.push_back({in.path, "an " + format + " file, not a scenario"});
          if (!opts.quiet) err << "aiomc: note: " << in.path << ": skipped: an " << format << " file, not a scenario\n";
          continue;
        }
      }
      if (problem.empty()) problem = add_jobs(opts, sc, units);
      if (!opts.quiet)
        for (const std::string& w : sc.warnings) err << "aiomc: warning: " << w << "\n";
    }
    if (!problem.empty()) {
      err << "aiomc: " << problem << "\n";
      units.push_back(Unit{std::nullopt, bad_input_record(in.path, problem)});
    }
  }
  return units;
}

// The memory bound: --max-memory, else three quarters of physical memory.
// Whether a check of the scenario names a liveness invariant (liveness is then on for
// all its checks, so a `pass` check beside it is judged on liveness too).
bool names_liveness(const loader::Scenario& sc) {
  for (const loader::Check& c : sc.checks)
    if (c.invariant)
      if (const auto inv = model::inv_from_name(*c.invariant))
        for (const model::InvInfo& i : model::invariant_catalog())
          if (i.id == *inv && i.kind == "liveness") return true;
  return false;
}

std::uint64_t memory_bound_mb(const CheckCommandOptions& opts) {
  if (opts.max_memory_mb) return *opts.max_memory_mb;
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) / 1048576 * 3 / 4;
  return 0;
}

checker::Options checker_options(const CheckCommandOptions& opts, const CheckJob& job, double budget) {
  const loader::Scenario& sc = *job.scenario;
  checker::Options o;
  o.bounds.max_states = opts.max_states.value_or(sc.bounds.max_states.value_or(0));
  o.bounds.max_depth = opts.max_depth.value_or(sc.bounds.max_depth.value_or(0));
  o.bounds.max_seconds = opts.max_seconds.value_or(sc.bounds.max_seconds.value_or(0));
  o.bounds.max_memory_mb = memory_bound_mb(opts);
  o.threads =
      opts.threads > 0 ? opts.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (o.threads < 1) o.threads = 1;
  o.exact = opts.exact;
  o.reductions = opts.reductions;
  o.in_place = opts.in_place;
  // auto: depth-first where a pass is expected, a scenario's check or the fixed model
  // under --variant. A bug variant asked for by --variant is there to show its
  // violation, which depth-first would only hand to breadth-first after a while.
  const bool expect_pass = job.expect == Expect::pass && (!job.pointer.empty() || job.config.variants.empty());
  o.depth_first = opts.search == "dfs" || (opts.search == "auto" && expect_pass);
  // Progress lines on stderr: on a terminal for runs longer than a second, and every
  // --progress seconds anywhere (CI=true turns them on every 10 s).
  o.progress = !opts.quiet;
  o.progress_seconds = opts.progress_seconds;
  o.budget_seconds = budget;
  o.interrupt = &interrupt_flag();
  // For the test suite: AIOMC_TEST_FAULT_STATE=N makes expanding state N throw, as a
  // model assertion would, to prove one failing check does not take the run down.
  if (const char* fault = std::getenv("AIOMC_TEST_FAULT_STATE")) o.test_fault_state = std::strtoull(fault, nullptr, 10);
  // S25: a check that expects a violation stops at the end of the level that found it.
  o.liveness = opts.liveness || names_liveness(sc);
  if (job.expect == Expect::violation && !opts.all_violations) {
    o.stop_when_found = true;
    if (job.invariant)
      if (const auto inv = model::inv_from_name(*job.invariant)) o.stop_invariant = static_cast<int>(*inv);
  }
  return o;
}

// --- running one job ----------------------------------------------------------

struct JobRun {
  CheckRecord record;
  Outcome outcome = Outcome::ok;
  std::string views;  // message-sequence views of the counterexamples, when wanted
};

// A trace file in --trace-dir: the scenario name made safe as a file name (it never
// names another directory), the variant ids and the invariant (catalog ids), and a
// number when two checks would otherwise share a name.
std::string trace_path(const CheckCommandOptions& opts, const CheckJob& job, const std::string& what,
                       std::set<std::string>& trace_names) {
  const std::string stem =
      safe_file_component(job.scenario->name) + "." + variant_label(job.variants.ids) + "." + what;
  std::string name = stem + ".trace.json";
  for (int n = 2; !trace_names.insert(name).second; ++n) name = stem + "." + std::to_string(n) + ".trace.json";
  return (std::filesystem::path(opts.trace_dir) / name).generic_string();
}

// The counterexample's message and, with --trace-dir, its trace file.
ViolationRecord record_violation(const CheckCommandOptions& opts, const CheckJob& job,
                                 const model::Model& m, const checker::Counterexample& cx,
                                 std::set<std::string>& trace_names, std::string& problem) {
  const checker::Replayed replayed = checker::replay_choices(m, cx);
  Trace trace = trace_from_counterexample(*job.scenario, job.variants.ids, cx, replayed);
  ViolationRecord v;
  v.invariant = std::string(model::inv_name(cx.invariant));
  v.message = trace.violation ? trace.violation->message : "";
  v.steps = cx.choices.size();
  v.loop_start = cx.loop_start;
  locate_violation(*job.scenario, m, replayed, job.pointer, v);
  if (!opts.trace_dir.empty()) {
    v.trace_path = trace_path(opts, job, v.invariant, trace_names);
    trace.scenario_from_trace = scenario_relative_to_trace(job.scenario->path, v.trace_path);
    problem = write_text_file(v.trace_path, trace_to_json_text(trace));
  }
  return v;
}

std::string view_of(const model::Model& m, const checker::Counterexample& cx,
                    const ViolationRecord& v) {
  const std::vector<SequenceStep> steps = replay_with_changes(m, cx.choices);
  std::string where = cx.quiescent ? " (in the final state)" : "";
  if (cx.loop_start >= 0)
    where = static_cast<std::size_t>(cx.loop_start) == cx.choices.size()
                ? " (lasso: prefix " + std::to_string(cx.loop_start) + " steps, then nothing can run)"
                : " (lasso: prefix " + std::to_string(cx.loop_start) + " steps, then steps " +
                      std::to_string(cx.loop_start) + ".." + std::to_string(cx.choices.size() - 1) + " repeat forever)";
  const int at = cx.quiescent ? static_cast<int>(steps.size()) : static_cast<int>(steps.size()) - 1;
  const std::vector<bool> slice = causal_slice(m, steps, at, v.message);
  return "  counterexample for " + v.invariant + ", " + std::to_string(v.steps) + " steps:\n" +
         sequence_view(m, steps, "✗ " + v.invariant + where + ": " + v.message, slice) + "     " +
         causal_slice_text(slice) + "\n\n";
}

// The part of a check's record that says which check it is and what it expected.
CheckRecord record_of(const CheckJob& job) {
  CheckRecord rec;
  rec.scenario = job.scenario->path;
  rec.check_pointer = job.pointer;
  rec.line = loader::line_of(*job.scenario, job.pointer);
  rec.variant = job.variants.ids;
  rec.expected = expect_name(job.expect);
  rec.expected_invariant = job.invariant;
  return rec;
}

JobRun fill_run(const CheckCommandOptions& opts, const CheckJob& job, const model::Model& m,
                const checker::Result& result, std::set<std::string>& trace_names, std::string& problem) {
  JobRun run;
  run.outcome = judge(job, result);
  run.record = record_of(job);
  CheckRecord& rec = run.record;
  rec.verdict = verdict_name(result.verdict);
  rec.ok = run.outcome == Outcome::ok;
  rec.stats = result.stats;
  rec.liveness_checked = result.stats.liveness_checked;
  if (result.stats.bound_hit == "interrupted") rec.incomplete = "interrupted";
  for (const checker::Counterexample& cx : result.violations) {
    std::string write_problem;
    rec.violations.push_back(record_violation(opts, job, m, cx, trace_names, write_problem));
    if (problem.empty()) problem = write_problem;
    if (run.outcome != Outcome::ok && !opts.quiet)
      run.views += view_of(m, cx, rec.violations.back());
  }
  return run;
}

// The trace of the schedule that reaches the state whose expansion failed.
std::string write_error_trace(const CheckCommandOptions& opts, const CheckJob& job, const model::Model& m,
                              const checker::Result& result, std::set<std::string>& trace_names) {
  if (opts.trace_dir.empty()) return "";
  try {
    checker::Counterexample prefix{};  // invariant: any valid id (the violation is dropped below)
    prefix.choices = result.error_choices;
    prefix.quiescent = true;
    const checker::Replayed replayed = checker::replay_choices(m, prefix);
    Trace trace = trace_from_counterexample(*job.scenario, job.variants.ids, prefix, replayed);
    trace.violation.reset();
    trace.minimal = false;
    const std::string path = trace_path(opts, job, "internal-error", trace_names);
    trace.scenario_from_trace = scenario_relative_to_trace(job.scenario->path, path);
    if (!write_text_file(path, trace_to_json_text(trace)).empty()) return "";
    return path;
  } catch (...) {
    return "";  // the prefix itself fails again: no trace
  }
}

// "internal error: WHAT" (the model's own "aiomc internal error: " prefix dropped).
std::string internal_error_text(std::string what) {
  const std::string prefix = "aiomc internal error: ";
  if (what.rfind(prefix, 0) == 0) what.erase(0, prefix.size());
  return "internal error: " + what;
}

JobRun run_job(const CheckCommandOptions& opts, const CheckJob& job, double budget,
               std::set<std::string>& trace_names, std::string& problem) {
  try {
    const model::Model m(job.scenario->program, job.config);
    checker::Result result = checker::explore(m, checker_options(opts, job, budget));
    if (result.stats.reductions) result.stats.reductions_applied = m.reductions_applied();
    if (result.verdict != checker::Verdict::error) return fill_run(opts, job, m, result, trace_names, problem);
    JobRun run = fill_run(opts, job, m, result, trace_names, problem);
    run.outcome = Outcome::error;
    run.record.ok = false;
    run.record.internal = true;
    run.record.error = internal_error_text(result.error);
    run.record.error_trace = write_error_trace(opts, job, m, result, trace_names);
    return run;
  } catch (const std::exception& e) {
    JobRun run;
    run.outcome = Outcome::error;
    run.record = bad_input_record(job.scenario->path, internal_error_text(e.what()));
    run.record.check_pointer = job.pointer;
    run.record.line = loader::line_of(*job.scenario, job.pointer);
    run.record.variant = job.variants.ids;
    run.record.expected = expect_name(job.expect);
    run.record.expected_invariant = job.invariant;
    run.record.internal = true;
    return run;
  }
}

// A check that did not run: the run was interrupted or the total time budget was
// spent before it started.
JobRun not_run(const CheckJob& job, const std::string& why) {
  JobRun run;
  run.outcome = Outcome::incomplete;
  run.record = record_of(job);
  CheckRecord& rec = run.record;
  rec.verdict = "incomplete";
  rec.stats.bound_hit = why;
  if (why == "interrupted") rec.incomplete = why;
  return run;
}

std::string job_text(const CheckCommandOptions& opts, const CheckJob* job, const JobRun& run) {
  static const char* status[] = {"ok", "FAIL", "INCOMPLETE", "ERROR", "ERROR"};
  const CheckRecord& r = run.record;
  std::string out = std::string(status[static_cast<int>(run.outcome)]);
  out += std::string(12 - out.size(), ' ') + r.scenario;
  if (!job) return out + "  not checked: the message above says why\n";
  if (job->scenario->checks.size() > 1 && !job->pointer.empty()) out += " " + job->pointer;
  out += "  " + variant_label(r.variant) + "  " + expected_text(*job) + " → " + r.verdict + "  " +
         std::to_string(r.stats.states) + " states  " + seconds_text(r.stats.seconds) + "\n";
  if (opts.stats) out += "    " + stats_text(r.stats) + "\n";
  if (!r.stats.bound_hit.empty()) out += "    bound hit: " + r.stats.bound_hit + "\n";
  if (!r.stats.violations_complete)
    out += "    stopped at the end of the level that found the expected violation (--all-violations searches on)\n";
  if (!r.error.empty()) {
    out += "    " + r.error + "\n";
    if (!r.error_trace.empty()) out += "    trace up to the failing state: " + r.error_trace + "\n";
  }
  for (const ViolationRecord& v : r.violations) {
    out += "    ✗ " + v.invariant + ": " + v.message + " (" + std::to_string(v.steps) + " steps";
    if (v.loop_start >= 0)
      out += ": prefix " + std::to_string(v.loop_start) + ", cycle " + std::to_string(v.steps - static_cast<std::size_t>(v.loop_start));
    out += (v.trace_path.empty() ? "" : ", trace " + v.trace_path) + ")\n";
  }
  return out + run.views;
}

// S25: 70 > 2 > 1 > 3 > 0.
int exit_code(const std::vector<Outcome>& outcomes) {
  bool error = false, bad = false, fail = false, incomplete = false;
  for (Outcome o : outcomes) {
    error = error || o == Outcome::error;
    bad = bad || o == Outcome::bad_input;
    fail = fail || o == Outcome::fail;
    incomplete = incomplete || o == Outcome::incomplete;
  }
  if (error) return kExitInternal;
  if (bad) return kExitBadInput;
  if (fail) return kExitFailed;
  return incomplete ? kExitIncomplete : kExitOk;
}

std::string summary(const std::vector<Outcome>& outcomes) {
  std::size_t n[5] = {0, 0, 0, 0, 0};
  for (Outcome o : outcomes) n[static_cast<int>(o)]++;
  std::string out = std::to_string(outcomes.size()) + " checks: " + std::to_string(n[0]) + " ok, " +
                    std::to_string(n[1]) + " failed, " + std::to_string(n[2]) + " incomplete";
  if (n[3] + n[4] > 0) out += ", " + std::to_string(n[3] + n[4]) + " errors";
  return out + "\n";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int check_command(const CheckCommandOptions& opts, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  const InterruptScope interrupts;
  std::deque<loader::Scenario> scenarios;
  ReportNotes notes;
  std::vector<Unit> units = prepare(opts, scenarios, notes, err);
  std::vector<CheckRecord> records;
  std::vector<Outcome> outcomes;
  std::string problem;  // the first file that could not be written
  bool trace_dir_ok = true;
  if (!opts.trace_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(opts.trace_dir, ec);
    if (ec) {
      err << "aiomc: " << opts.trace_dir << ": cannot create the trace directory: " << ec.message() << "\n";
      trace_dir_ok = false;
    }
  }
  std::set<std::string> trace_names;
  for (const Unit& unit : units) {
    if (!trace_dir_ok) break;
    JobRun run;
    if (!unit.job) {
      run.outcome = Outcome::bad_input;
      run.record = unit.bad;
    } else if (interrupt_flag()) {
      run = not_run(*unit.job, "interrupted");
    } else {
      double budget = 0;
      if (opts.max_total_seconds) {
        budget = *opts.max_total_seconds - seconds_since(start);
        if (budget <= 0) {
          run = not_run(*unit.job, "max_total_seconds");
          records.push_back(run.record);
          outcomes.push_back(run.outcome);
          if (!opts.quiet) out << job_text(opts, &*unit.job, run) << std::flush;
          continue;
        }
      }
      run = run_job(opts, *unit.job, budget, trace_names, problem);
    }
    if (!opts.quiet || run.outcome != Outcome::ok)
      out << job_text(opts, unit.job ? &*unit.job : nullptr, run) << std::flush;
    records.push_back(run.record);
    outcomes.push_back(run.outcome);
  }
  if (!trace_dir_ok) outcomes.push_back(Outcome::bad_input);
  if (interrupt_flag()) {
    notes.incomplete = "interrupted";
    err << "aiomc: interrupted by signal " << interrupt_signal()
        << ": partial statistics above; the report and JUnit say \"incomplete\": \"interrupted\"\n";
  }
  for (const CheckRecord& r : records)
    if (r.liveness_checked) {
      out << "liveness checked under: " << model::kFairnessAssumption << "\n";
      break;
    }
  if (opts.annotate == "github") out << github_annotations(records);
  out << summary(outcomes);
  if (!opts.report_file.empty()) {
    const std::string p = write_text_file(opts.report_file, report_to_json_text(records, notes));
    if (problem.empty()) problem = p;
  }
  if (!opts.sarif_file.empty()) {
    const std::string p = write_text_file(opts.sarif_file, sarif_json_text(records));
    if (problem.empty()) problem = p;
  }
  if (!opts.junit_file.empty()) {
    const std::string p = write_text_file(opts.junit_file, junit_xml(records));
    if (problem.empty()) problem = p;
  }
  int code = exit_code(outcomes);
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    if (code != kExitInternal) code = kExitBadInput;
  }
  if (notes.incomplete == "interrupted" && code == kExitOk) code = kExitIncomplete;
  return code;
}

}  // namespace aiomc::report
