// The aiomc binary as users and CI call it (cli-and-reports.md): determinism of `run`,
// traces that `replay` accepts and rejects, `list`, exit codes for bad input, `check`
// with its report; plus the pure pieces of report/ (trace round trip, diffs, XML).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/scenario.hpp"
#include "model/invariants.hpp"
#include "model/liveness.hpp"
#include "report/junit.hpp"
#include "report/state_diff.hpp"
#include "report/trace.hpp"
#include "tests/cli_support.hpp"
#include "tests/test_support.hpp"

namespace {

namespace fs = std::filesystem;
namespace report = aiomc::report;
namespace model = aiomc::model;
using aiomc::test::Outcome;
using aiomc::test::run_aiomc;
using aiomc::test::scratch;
using aiomc::test::slurp;
using aiomc::test::spit;

// Whether the scenario's checks say the fixed kernel passes it (then no schedule violates).
bool fixed_passes(const std::string& path) {
  auto loaded = aiomc::loader::load_scenario_file(path);
  if (!std::holds_alternative<aiomc::loader::Scenario>(loaded)) return false;
  for (const auto& c : std::get<aiomc::loader::Scenario>(loaded).checks)
    if (c.variant_ids == std::vector<std::string>{"fixed"} &&
        c.expect == aiomc::loader::Check::Expect::pass)
      return true;
  return false;
}

// Two threads of one process each read the file and wait for their own job.
const char* const kTwoReaders = R"({
  "format": "aiomc-scenario/1",
  "name": "two-readers",
  "config": { "target_aio_procs": 2, "max_aio_procs": 2 },
  "objects": { "data": { "type": "file" } },
  "processes": [ { "name": "app", "threads": [
    { "name": "t1", "ops": [
      { "op": "aio_read", "job": "a", "fd": "data", "offset": 0, "expect": { "ret": 0 } },
      { "op": "aio_suspend", "jobs": ["a"], "timeout": null, "expect": { "ret": 0 } },
      { "op": "aio_return", "job": "a", "expect": { "ret": 512 } } ] },
    { "name": "t2", "ops": [
      { "op": "aio_read", "job": "b", "fd": "data", "offset": 512, "expect": { "ret": 0 } },
      { "op": "aio_suspend", "jobs": ["b"], "timeout": null, "expect": { "ret": 0 } },
      { "op": "aio_return", "job": "b", "expect": { "ret": 512 } } ] }
  ] } ]
}
)";

std::string two_readers_file() {
  const fs::path p = scratch() / "two-readers.json";
  if (!fs::exists(p)) spit(p, kTwoReaders);
  return p.string();
}

report::Trace read_trace(const fs::path& p) {
  report::Trace t;
  const std::string err = report::read_trace_file(p.string(), t);
  INFO(err);
  REQUIRE(err.empty());
  return t;
}

// A run trace of the two-reader scenario, with at least a few steps.
report::Trace recorded_run(const fs::path& trace_file) {
  const Outcome o =
      run_aiomc({"run", two_readers_file(), "--seed", "3", "--trace", trace_file.string()});
  INFO(o.err);
  REQUIRE(o.code == 0);
  report::Trace t = read_trace(trace_file);
  REQUIRE(t.steps.size() >= 6);
  return t;
}

}  // namespace

TEST_CASE("run: the same seed gives a byte-identical trace for every scenario", "[cli][run]") {
  const std::vector<std::string> files = aiomc::test::bundled_scenarios();
  REQUIRE(!files.empty());
  const fs::path a = scratch() / "det-a.trace.json", b = scratch() / "det-b.trace.json";
  for (const std::string& f : files) {
    INFO(f);
    const Outcome first = run_aiomc({"run", f, "--seed", "7", "--trace", a.string()});
    const Outcome second = run_aiomc({"run", f, "--seed", "7", "--trace", b.string()});
    INFO(first.err);
    REQUIRE(first.code == second.code);
    if (fixed_passes(f)) REQUIRE(first.code == 0);
    const std::string ta = slurp(a), tb = slurp(b);
    REQUIRE(!ta.empty());
    REQUIRE(ta == tb);
    REQUIRE(first.out == second.out);
    fs::remove(a);
    fs::remove(b);
  }
}

TEST_CASE("run: seeds choose different schedules when threads race", "[cli][run]") {
  std::set<std::vector<std::string>> schedules;
  const fs::path t = scratch() / "seeds.trace.json";
  for (int seed = 1; seed <= 20; ++seed) {
    const Outcome o = run_aiomc(
        {"run", two_readers_file(), "--seed", std::to_string(seed), "--trace", t.string()});
    INFO("seed " << seed << ": " << o.err);
    REQUIRE(o.code == 0);
    const report::Trace trace = read_trace(t);
    REQUIRE(trace.seed == static_cast<std::uint64_t>(seed));
    std::vector<std::string> steps;
    for (const report::TraceStep& s : trace.steps) steps.push_back(s.actor + " " + s.action);
    schedules.insert(steps);
  }
  REQUIRE(schedules.size() >= 2);
}

TEST_CASE("run: text and JSON output", "[cli][run]") {
  const Outcome text = run_aiomc({"run", two_readers_file(), "--seed", "2"});
  REQUIRE(text.code == 0);
  REQUIRE(text.out.find("seed:     2\n") != std::string::npos);
  REQUIRE(text.out.find("\nno violation\n") != std::string::npos);
  REQUIRE(text.out.find("⇒ aio_return: ret 512") != std::string::npos);

  const Outcome json = run_aiomc({"run", two_readers_file(), "--seed", "2", "--json"});
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["format"] == "aiomc-run/1");
  REQUIRE(j["seed"] == 2);
  REQUIRE(j["end"] == "terminal");
  REQUIRE(j["violations"].empty());
  REQUIRE(j["results"].size() == 6);  // three ops in each of two threads
  REQUIRE(j["variant"] == nlohmann::json::array());
}

TEST_CASE("run: --max-steps stops with exit 3", "[cli][run]") {
  const Outcome o = run_aiomc({"run", two_readers_file(), "--max-steps", "2"});
  REQUIRE(o.code == 3);
  REQUIRE(o.out.find("stopped: --max-steps 2 reached") != std::string::npos);
}

TEST_CASE("replay: a run's trace matches; an edited digest or choice diverges", "[cli][replay]") {
  const fs::path recorded = scratch() / "replay.trace.json";
  const report::Trace t = recorded_run(recorded);

  const Outcome ok = run_aiomc({"replay", recorded.string()});
  INFO(ok.out << ok.err);
  REQUIRE(ok.code == 0);
  REQUIRE(ok.out.find("matched: " + std::to_string(t.steps.size()) + " steps") !=
          std::string::npos);

  SECTION("one digest with a hex digit flipped") {
    report::Trace edited = t;
    std::string& d = edited.steps[3].digest;
    d[5] = d[5] == '0' ? '1' : '0';
    const fs::path p = scratch() / "digest.trace.json";
    spit(p, report::trace_to_json_text(edited));
    const Outcome o = run_aiomc({"replay", p.string()});
    REQUIRE(o.code == 1);
    REQUIRE(o.out.find("DIVERGED at step 3: digest: recorded " + d) != std::string::npos);
  }
  SECTION("a choice that is not an enabled step") {
    report::Trace edited = t;
    edited.steps[2].choice = 99;
    const fs::path p = scratch() / "choice.trace.json";
    spit(p, report::trace_to_json_text(edited));
    const Outcome o = run_aiomc({"replay", p.string()});
    REQUIRE(o.code == 1);
    REQUIRE(o.out.find("DIVERGED at step 2: choice 99 is not an enabled step") !=
            std::string::npos);
  }
  SECTION("a recorded violation that does not happen") {
    report::Trace edited = t;
    edited.violation = report::TraceViolation{"op-expect", 1, "invented", false};
    const fs::path p = scratch() / "violation.trace.json";
    spit(p, report::trace_to_json_text(edited));
    const Outcome o = run_aiomc({"replay", p.string()});
    REQUIRE(o.code == 1);
    REQUIRE(o.out.find("DIVERGED at step 1: the trace records a violation of op-expect") !=
            std::string::npos);
  }
  SECTION("a scenario that changed since the trace was recorded") {
    const fs::path changed = scratch() / "two-readers-changed.json";
    spit(changed, std::string(kTwoReaders) + "\n");
    const Outcome o = run_aiomc({"replay", recorded.string(), "--scenario", changed.string()});
    REQUIRE(o.code == 1);
    REQUIRE(o.out.find("DIVERGED: the scenario is not the one") != std::string::npos);
  }
  SECTION("a malformed trace names the JSON pointer") {
    std::string text = slurp(recorded);
    const std::string from = "\"choice\":";
    text.replace(text.find(from), from.size(), "\"choice\":\"x\",\"was\":");
    const fs::path p = scratch() / "malformed.trace.json";
    spit(p, text);
    const Outcome o = run_aiomc({"replay", p.string()});
    REQUIRE(o.code == 2);
    REQUIRE(o.err ==
            "aiomc: " + p.string() + ": /steps/0/choice: expected an integer, found \"x\"\n");
  }
  SECTION("a trace that is not JSON gives line and column") {
    const fs::path p = scratch() / "syntax.trace.json";
    spit(p, "{\n  \"format\": ,\n}\n");
    const Outcome o = run_aiomc({"replay", p.string()});
    REQUIRE(o.code == 2);
    REQUIRE(o.err.rfind("aiomc: " + p.string() + ": (line 2, column 13): ", 0) == 0);
  }
}

TEST_CASE("list invariants prints exactly the catalog's ids", "[cli][list]") {
  const Outcome o = run_aiomc({"list", "invariants"});
  REQUIRE(o.code == 0);
  std::istringstream lines(o.out);
  std::string line;
  std::getline(lines, line);  // the header
  std::vector<std::string> listed;
  while (std::getline(lines, line) && !line.empty()) listed.push_back(line.substr(0, line.find(' ')));
  std::vector<std::string> catalog;
  for (const model::InvInfo& i : model::invariant_catalog()) catalog.emplace_back(i.name);
  REQUIRE(listed == catalog);
  // After a blank line: the fairness assumption liveness is checked under (S18).
  REQUIRE(std::getline(lines, line));
  REQUIRE(line == "Liveness (aiomc check --liveness, or a check naming a liveness invariant) assumes " +
                      std::string(model::kFairnessAssumption) + ".");
}

TEST_CASE("list variants and ops; an unknown list is a usage error", "[cli][list]") {
  const Outcome v = run_aiomc({"list", "variants"});
  REQUIRE(v.code == 0);
  REQUIRE(v.out.find("\nlio-count-so-far ") != std::string::npos);
  REQUIRE(v.out.find("\nfreebsd-6.0 ") != std::string::npos);
  // S7: a variant that switches in older structure says which.
  REQUIRE(v.out.find("    brings: lio-split-path-check (") != std::string::npos);
  // S25: per era, what it takes from its source and what Giant makes unreachable.
  REQUIRE(v.out.find("    source: vfs_aio.c 1.195.2.4: ") != std::string::npos);
  REQUIRE(v.out.find("    unreachable under Giant: kaio-wakeup-unlocked, bdone-before-iodone (") != std::string::npos);
  const Outcome ops = run_aiomc({"list", "ops"});
  REQUIRE(ops.code == 0);
  REQUIRE(ops.out.find("\naio_read          yes\n") != std::string::npos);
  // Issue 11: every op of the format runs, the Linux emulation's included.
  REQUIRE(ops.out.find("\nio_getevents      yes\n") != std::string::npos);
  REQUIRE(ops.out.find(" no\n") == std::string::npos);
  REQUIRE(run_aiomc({"list", "nonsense"}).code == 2);
}

TEST_CASE("bad input exits 2 with a message", "[cli]") {
  SECTION("a malformed scenario") {
    const fs::path p = scratch() / "malformed.json";
    spit(p, "{ \"format\": \"aiomc-scenario/1\", \"name\": 5 }");
    const Outcome o = run_aiomc({"run", p.string()});
    REQUIRE(o.code == 2);
    REQUIRE(o.err.rfind("aiomc: " + p.string() + ": ", 0) == 0);
    REQUIRE(run_aiomc({"check", p.string()}).code == 2);
  }
  SECTION("an unknown variant") {
    const Outcome o = run_aiomc({"run", two_readers_file(), "--variant", "no-such-variant"});
    REQUIRE(o.code == 2);
    REQUIRE(o.err == "aiomc: unknown variant 'no-such-variant' (see `aiomc list variants`)\n");
    REQUIRE(run_aiomc({"check", two_readers_file(), "--variant", "no-such-variant"}).code == 2);
  }
  SECTION("a variant the model does not implement yet") {
    for (const model::VariantInfo& v : model::variant_catalog()) {
      if (v.modelled || v.id == model::Variant::giant) continue;
      const Outcome o = run_aiomc({"run", two_readers_file(), "--variant", std::string(v.name)});
      REQUIRE(o.code == 2);
      REQUIRE(o.err == "aiomc: variant '" + std::string(v.name) + "' is not modelled yet\n");
      break;
    }
  }
  SECTION("a missing file, a missing argument, an unknown subcommand") {
    REQUIRE(run_aiomc({"run", (scratch() / "absent.json").string()}).code == 2);
    REQUIRE(run_aiomc({"check", (scratch() / "absent-dir").string()}).code == 2);
    REQUIRE(run_aiomc({"run"}).code == 2);
    REQUIRE(run_aiomc({"frobnicate"}).code == 2);
  }
}

TEST_CASE("check: verdicts, exit codes, report and traces", "[cli][check]") {
  const fs::path report_file = scratch() / "report.json", junit = scratch() / "junit.xml";
  SECTION("a scenario's own pass check") {
    const Outcome o = run_aiomc({"check", two_readers_file(), "--report", report_file.string(),
                                 "--junit", junit.string(), "--threads", "1"});
    INFO(o.out << o.err);
    REQUIRE(o.code == 0);
    const auto j = nlohmann::json::parse(slurp(report_file));
    REQUIRE(j["format"] == "aiomc-report/1");
    REQUIRE(j["results"].size() == 1);
    const auto& r = j["results"][0];
    REQUIRE(r["scenario"] == two_readers_file());
    REQUIRE(r["variant"] == nlohmann::json::array());
    REQUIRE(r["expected"] == "pass");
    REQUIRE(r["verdict"] == "pass");
    REQUIRE(r["ok"] == true);
    REQUIRE(r["violations"].empty());
    REQUIRE(r["liveness_checked"] == false);
    REQUIRE(r["stats"]["bound_hit"].is_null());
    REQUIRE(r["stats"]["states"].get<std::uint64_t>() > 1);
    const std::string xml = slurp(junit);
    REQUIRE(xml.find("tests=\"1\" failures=\"0\"") != std::string::npos);
    REQUIRE(xml.find("name=\"fixed expect pass\"") != std::string::npos);
  }
  SECTION("a bound hit where pass is expected exits 3") {
    const Outcome o = run_aiomc(
        {"check", two_readers_file(), "--max-states", "3", "--report", report_file.string()});
    REQUIRE(o.code == 3);
    const auto j = nlohmann::json::parse(slurp(report_file));
    REQUIRE(j["results"][0]["verdict"] == "incomplete");
    REQUIRE(j["results"][0]["ok"] == false);
    REQUIRE(j["results"][0]["stats"]["bound_hit"] == "max_states");
  }
  SECTION("an expected deadlock is found, traced and replayed") {
    const fs::path scenario = scratch() / "deadlock.json";
    spit(scenario, R"({ "format": "aiomc-scenario/1", "name": "deadlock",
      "objects": { "data": { "type": "file" } },
      "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
        { "op": "sem_wait", "sem": "s" } ] } ] } ],
      "checks": [ { "variant": "fixed", "expect": "violation", "invariant": "no-deadlock" } ] })");
    const fs::path traces = scratch() / "traces";
    const Outcome o = run_aiomc({"check", scenario.string(), "--trace-dir", traces.string(),
                                 "--report", report_file.string()});
    INFO(o.out << o.err);
    REQUIRE(o.code == 0);
    const fs::path trace = traces / "deadlock.fixed.no-deadlock.trace.json";
    const auto j = nlohmann::json::parse(slurp(report_file));
    REQUIRE(j["results"][0]["violations"][0]["invariant"] == "no-deadlock");
    REQUIRE(j["results"][0]["violations"][0]["trace"] == trace.generic_string());
    const report::Trace t = read_trace(trace);
    REQUIRE(t.minimal);
    REQUIRE(!t.seed);
    REQUIRE(t.violation);
    REQUIRE(t.violation->invariant == "no-deadlock");
    REQUIRE(t.violation->quiescent);
    REQUIRE(t.violation->step == static_cast<int>(t.steps.size()));
    REQUIRE(j["results"][0]["violations"][0]["steps"] == t.steps.size());
    const Outcome r = run_aiomc({"replay", trace.string()});
    INFO(r.out);
    REQUIRE(r.code == 0);
  }
  SECTION("an unexpected violation with --variant exits 1 and prints the sequence view") {
    bool tried = false;
    for (const model::VariantInfo& v : model::variant_catalog()) {
      if (v.id != model::Variant::raw_oversize || !v.modelled) continue;
      tried = true;
      const std::string scenario =
          std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/raw-oversize-daemon.json";
      const fs::path traces = scratch() / "traces-variant";
      const Outcome o = run_aiomc(
          {"check", scenario, "--variant", "raw-oversize", "--trace-dir", traces.string()});
      INFO(o.out << o.err);
      REQUIRE(o.code == 1);
      REQUIRE(o.out.rfind("FAIL", 0) == 0);
      REQUIRE(o.out.find("✗ raw-io-size: ") != std::string::npos);
      REQUIRE(o.out.find("counterexample for raw-io-size") != std::string::npos);
      const fs::path trace = traces / "raw-oversize-daemon.raw-oversize.raw-io-size.trace.json";
      REQUIRE(read_trace(trace).variant == std::vector<std::string>{"raw-oversize"});
      REQUIRE(run_aiomc({"replay", trace.string()}).code == 0);
      const Outcome quiet = run_aiomc({"check", scenario, "--variant", "raw-oversize", "--quiet"});
      REQUIRE(quiet.code == 1);
      REQUIRE(quiet.out.find("counterexample for") == std::string::npos);
    }
    if (!tried) WARN("raw-oversize is not modelled: section skipped");
  }
}

TEST_CASE("traces survive a write and a read unchanged", "[report][trace]") {
  report::Trace t;
  t.scenario = "scenarios/x.json";
  t.scenario_digest = "0123456789abcdef";
  t.variant = {"lio-count-so-far", "freebsd-6.0"};
  t.seed = 42;
  t.initial_digest = "fedcba9876543210";
  t.minimal = false;
  t.steps.push_back({0, "app/main", 1, "aio_aqueue:queue_daemon", "job \"a\" → x",
                     "00000000000000ff", 5, "ret 0"});
  t.steps.push_back({1, "disk:md0", 0, "aio_physwakeup:enqueue_biotask", "", "1111111111111111",
                     std::nullopt, ""});
  t.violation = report::TraceViolation{"no-deadlock", 2, "app/main sleeps", true};
  report::Trace back;
  REQUIRE(report::parse_trace_text(report::trace_to_json_text(t), "t", back) == "");
  REQUIRE(report::trace_to_json_text(back) == report::trace_to_json_text(t));
  REQUIRE(back.steps[0].detail == "job \"a\" → x");
  REQUIRE(back.steps[0].tick == 5);
  REQUIRE(!back.steps[1].tick);
  REQUIRE(back.violation->quiescent);

  report::Trace bad;
  REQUIRE(report::parse_trace_text("[]", "t", bad) ==
          "t: /: expected a trace (a JSON object), found []");
  std::string text = report::trace_to_json_text(t);
  text.replace(text.find("\"i\":1"), 5, "\"i\":7");
  REQUIRE(report::parse_trace_text(text, "t", bad) ==
          "t: /steps/1/i: expected 1 (the step's index), found 7");
}

TEST_CASE("state diffs list changed, added and removed fields", "[report]") {
  const auto changes =
      report::diff_states({"a = 1", "b = x", "c = gone"}, {"a = 2", "b = x", "d = new"});
  REQUIRE(changes.size() == 3);
  REQUIRE(report::format_change(changes[0]) == "a: 1 → 2");
  REQUIRE(report::format_change(changes[1]) == "+ d = new");
  REQUIRE(report::format_change(changes[2]) == "- c (was gone)");
}

TEST_CASE("JUnit text is escaped", "[report]") {
  REQUIRE(report::xml_escape("a<b & \"c\" 'd'>\x01") ==
          "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;?");
}
