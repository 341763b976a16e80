// Reliability of `aiomc check` as CI runs it (issue 9): one failing check or file
// does not take the run down, the report and JUnit are always written, exit codes
// follow S25's precedence, and trace files stay inside --trace-dir.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "tests/cli_support.hpp"

namespace {

using aiomc::test::Outcome;
using aiomc::test::run_aiomc;
using aiomc::test::scratch;
using aiomc::test::slurp;
using aiomc::test::spit;
namespace fs = std::filesystem;

// A scenario with one thread of `ops` (JSON text) and the given name.
std::string scenario_text(const std::string& name, const std::string& ops,
                          const std::string& checks = R"([{"variant":"fixed","expect":"pass"}])") {
  return R"({ "format": "aiomc-scenario/1", "name": )" + nlohmann::json(name).dump() + R"(,
    "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
    "objects": { "data": { "type": "file" } },
    "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [ )" +
         ops + R"( ] } ] } ], "checks": )" + checks + " }";
}

const char* const kReadAndWait =
    R"({ "op": "aio_read", "job": "a", "fd": "data" }, { "op": "aio_suspend", "jobs": ["a"], "expect": { "ret": 0 } })";

fs::path fresh_dir(const std::string& name) {
  const fs::path d = scratch() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("a failing check, a bad file and a report in a directory: the others run, all is written", "[cli][isolation]") {
  const fs::path dir = fresh_dir("isolation");
  spit(dir / "a-tiny.json", scenario_text("tiny", ""));            // one state: never reaches the fault
  spit(dir / "b-reader.json", scenario_text("reader", kReadAndWait));  // the injected fault hits it
  spit(dir / "c-bad.json", "{ \"format\": \"aiomc-scenario/1\", \"name\": 5 }");
  spit(dir / "d-report.json", R"({ "format": "aiomc-report/1", "results": [] })");
  const fs::path report = scratch() / "isolation-report.json", junit = scratch() / "isolation-junit.xml";
  const fs::path traces = scratch() / "isolation-traces";
  for (const std::string threads : {"1", "2"}) {
    const Outcome o = run_aiomc({"check", dir.string(), "--report", report.string(), "--junit", junit.string(),
                                 "--trace-dir", traces.string(), "--threads", threads},
                                "AIOMC_TEST_FAULT_STATE=3");
    INFO(o.out << o.err);
    REQUIRE(o.code == 70);
    CHECK(o.err.find("c-bad.json: /name (line 1, column 41): expected a scenario name") != std::string::npos);
    CHECK(o.err.find("note: " + (dir / "d-report.json").generic_string() + ": skipped: an aiomc-report/1 file") !=
          std::string::npos);
    const auto j = nlohmann::json::parse(slurp(report));
    REQUIRE(j["results"].size() == 3);
    CHECK(j["results"][0]["verdict"] == "pass");
    CHECK(j["results"][1]["verdict"] == "error");
    CHECK(j["results"][1]["internal_error"] == true);
    CHECK(j["results"][1]["error"] == "internal error: injected fault at state 3");
    CHECK(j["results"][2]["verdict"] == "error");
    CHECK(j["results"][2]["internal_error"] == false);
    CHECK(j["skipped"][0]["file"] == (dir / "d-report.json").generic_string());
    // The schedule up to the failing state, replayable.
    const std::string trace = j["results"][1]["error_trace"];
    REQUIRE(fs::exists(trace));
    CHECK(run_aiomc({"replay", trace}).code == 0);
    const std::string xml = slurp(junit);
    CHECK(xml.find("tests=\"3\" failures=\"0\" errors=\"2\"") != std::string::npos);
    CHECK(xml.find("<error type=\"internal\"") != std::string::npos);
  }
}

TEST_CASE("exit codes follow 70 > 2 > 1 > 3 > 0 across files", "[cli][isolation]") {
  const fs::path dir = fresh_dir("precedence");
  // A pass check that a bound makes incomplete (3) beside a failing verdict (1): 1.
  spit(dir / "a.json", scenario_text("a", kReadAndWait, R"([{"variant":"fixed","expect":"incomplete"}])"));
  spit(dir / "b.json", scenario_text("b", kReadAndWait));
  CHECK(run_aiomc({"check", dir.string()}).code == 1);
  CHECK(run_aiomc({"check", (dir / "b.json").string(), "--max-states", "2"}).code == 3);
  // A bad file beside them: 2.
  spit(dir / "c.json", "[]");
  CHECK(run_aiomc({"check", dir.string()}).code == 2);
  // An internal error beside them: 70.
  CHECK(run_aiomc({"check", dir.string()}, "AIOMC_TEST_FAULT_STATE=2").code == 70);
}

TEST_CASE("trace file names never leave --trace-dir", "[cli][paths]") {
  const fs::path dir = fresh_dir("paths");
  const fs::path traces = dir / "traces";
  const std::string deadlock = R"({ "op": "sem_wait", "sem": "s" })";
  const std::string expect = R"([{"variant":"fixed","expect":"violation","invariant":"no-deadlock"}])";
  int n = 0;
  for (const std::string name : {"../../escape", "/abs", "a/b", "..", "ünï", "a b*?<>|:\\"}) {
    const fs::path sc = dir / ("s" + std::to_string(n++) + ".json");
    spit(sc, scenario_text(name, deadlock, expect));
    const fs::path report = dir / "report.json";
    const Outcome o = run_aiomc({"check", sc.string(), "--trace-dir", traces.string(), "--report", report.string()});
    INFO(name << "\n" << o.out << o.err);
    REQUIRE(o.code == 0);
    const std::string trace = nlohmann::json::parse(slurp(report))["results"][0]["violations"][0]["trace"];
    const fs::path p(trace);
    CHECK(p.parent_path() == traces);
    const std::string file = p.filename().string();
    CHECK(file.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-+") ==
          std::string::npos);
    CHECK(fs::exists(p));
  }
  // A name with a control character (a NUL would truncate a path) is refused at load.
  const fs::path ctl = dir / "ctl.json";
  spit(ctl, scenario_text(std::string("nul\0ctl", 7), deadlock, expect));
  const Outcome o = run_aiomc({"check", ctl.string(), "--trace-dir", traces.string()});
  CHECK(o.code == 2);
  CHECK(o.err.find("/name (line 1, column 41): expected a scenario name without control characters, found string "
                   "\"nul\\u0000ctl\"") != std::string::npos);
  // Nothing was written beside the directory.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK((e.path().extension() == ".json" || e.path() == traces || e.path().filename() == "report.json"));
  CHECK(!fs::exists(scratch() / "escape.fixed.no-deadlock.trace.json"));
}

TEST_CASE("integer options are validated, not wrapped", "[cli][options]") {
  const fs::path sc = scratch() / "options.json";
  spit(sc, scenario_text("options", kReadAndWait));
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", sc.string(), "--seed", "-1"},
           {"run", sc.string(), "--seed", "1e3"},
           {"run", sc.string(), "--seed", "18446744073709551616"},
           {"check", sc.string(), "--threads", "100000"},
           {"check", sc.string(), "--threads", "-2"},
           {"check", sc.string(), "--max-memory", "x"},
           {"check", sc.string(), "--max-states", "99999999999999999999999"},
           {"check", sc.string(), "--max-depth", "1e3"},
           {"check", sc.string(), "--max-seconds", "nan"}}) {
    const Outcome o = run_aiomc(args);
    INFO(args[2] << " " << args[3] << ": " << o.err);
    CHECK(o.code == 2);
    CHECK(o.err.find("expected") != std::string::npos);
  }
  CHECK(run_aiomc({"check", sc.string(), "--threads", "256"}).code == 0);
  CHECK(run_aiomc({"run", sc.string(), "--seed", "18446744073709551615"}).code == 0);
}

TEST_CASE("a trace names its scenario relative to itself: replay works from any directory", "[cli][paths]") {
  const fs::path dir = fresh_dir("replay-anywhere");
  spit(dir / "sc.json", scenario_text("anywhere", R"({ "op": "sem_wait", "sem": "s" })",
                                      R"([{"variant":"fixed","expect":"violation","invariant":"no-deadlock"}])"));
  // Checked from the scenario's directory with a relative path...
  const Outcome c = run_aiomc({"check", "sc.json", "--trace-dir", "traces"}, "cd " + aiomc::test::quoted(dir.string()) + " &&");
  INFO(c.out << c.err);
  REQUIRE(c.code == 0);
  const fs::path trace = dir / "traces" / "anywhere.fixed.no-deadlock.trace.json";
  const auto j = nlohmann::json::parse(slurp(trace));
  CHECK(j["scenario"] == "sc.json");
  CHECK(j["scenario_from_trace"] == "../sc.json");
  // ...replayed from elsewhere: the recorded path does not exist there, the trace's does.
  const Outcome r = run_aiomc({"replay", trace.string()}, "cd / &&");
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("matched:") != std::string::npos);
}

namespace {
const std::string kBench = std::string(AIOMC_SOURCE_DIR) + "/../shared/bench/two-procs.json";  // seconds to check
}  // namespace

TEST_CASE("SIGINT and SIGTERM: partial statistics, report and JUnit, exit 3", "[cli][interrupt]") {
  if (!fs::exists(kBench)) {
    WARN("no ../shared/bench/two-procs.json: skipped");
    return;
  }
  for (int sig : {SIGINT, SIGTERM}) {
    const fs::path report = scratch() / "int-report.json", junit = scratch() / "int-junit.xml";
    fs::remove(report);
    fs::remove(junit);
    const fs::path out = scratch() / "int-out.txt";
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      // Reductions off: the unreduced first check takes seconds (reduced, about one).
      execl(AIOMC_BINARY, AIOMC_BINARY, "check", kBench.c_str(), "--threads", "1", "--reductions", "off", "--report",
            report.c_str(), "--junit", junit.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    ::usleep(1500 * 1000);
    ::kill(pid, sig);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    INFO(slurp(out));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
    const auto j = nlohmann::json::parse(slurp(report));
    CHECK(j["incomplete"] == "interrupted");
    CHECK(j["results"][0]["incomplete"] == "interrupted");
    CHECK(j["results"][0]["stats"]["bound_hit"] == "interrupted");
    CHECK(j["results"][0]["stats"]["states"].get<std::uint64_t>() > 1000);  // partial statistics
    CHECK(j["results"].size() == 2);  // the check not started is listed, not lost
    CHECK(slurp(junit).find("<testsuites") != std::string::npos);
    CHECK(slurp(out).find("interrupted by signal " + std::to_string(sig)) != std::string::npos);
  }
}

TEST_CASE("budgets: a total time bound, a memory bound, progress lines off a terminal", "[cli][budgets]") {
  if (!fs::exists(kBench)) {
    WARN("no ../shared/bench/two-procs.json: skipped");
    return;
  }
  const fs::path report = scratch() / "budget-report.json";
  // Two checks and one second for both: the first stops at max_total_seconds, the
  // second does not start; the whole run stays near the budget.
  const auto start = std::chrono::steady_clock::now();
  // Reductions off: reduced, the first check can finish within the second.
  Outcome o = run_aiomc({"check", kBench, "--reductions", "off", "--max-total-seconds", "1", "--progress", "0.3",
                         "--report", report.string()});
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(o.out << o.err);
  CHECK(o.code == 3);
  CHECK(took < 8);
  auto j = nlohmann::json::parse(slurp(report));
  CHECK(j["results"][0]["stats"]["bound_hit"] == "max_total_seconds");
  CHECK(j["results"][1]["stats"]["bound_hit"] == "max_total_seconds");
  CHECK(o.err.find("aiomc: progress: ") != std::string::npos);
  // One MiB cannot hold the search.
  o = run_aiomc({"check", kBench, "--reductions", "off", "--max-memory", "1", "--report", report.string()});
  CHECK(o.code == 3);
  j = nlohmann::json::parse(slurp(report));
  CHECK(j["results"][0]["stats"]["bound_hit"] == "max_memory");
  CHECK(j["results"][0]["stats"]["search_bytes_per_state"].get<double>() >
        j["results"][0]["stats"]["bytes_per_state"].get<double>());
}

TEST_CASE("check stops a violation check at the end of its level (S25)", "[cli][check]") {
  const std::string sc = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/bdone-before-iodone.json";
  const fs::path report = scratch() / "early-report.json";
  REQUIRE(run_aiomc({"check", sc, "--report", report.string()}).code == 0);
  const auto early = nlohmann::json::parse(slurp(report))["results"][1];
  REQUIRE(run_aiomc({"check", sc, "--all-violations", "--report", report.string()}).code == 0);
  const auto full = nlohmann::json::parse(slurp(report))["results"][1];
  CHECK(early["violations_complete"] == false);
  CHECK(full["violations_complete"] == true);
  CHECK(early["stats"]["states"].get<int>() < full["stats"]["states"].get<int>());
  // The same shortest counterexamples either way.
  CHECK(early["violations"] == full["violations"]);
}

TEST_CASE("a directory with a symbolic link back to an ancestor is scanned once", "[cli][paths]") {
  const fs::path dir = fresh_dir("symlink-loop");
  fs::create_directories(dir / "a");
  spit(dir / "a" / "s.json", scenario_text("loop", ""));
  fs::create_directory_symlink(dir, dir / "a" / "up");
  const Outcome o = run_aiomc({"check", dir.string()});
  INFO(o.out << o.err);
  CHECK(o.code == 0);
  CHECK(o.out.find("1 checks: 1 ok") != std::string::npos);
}
