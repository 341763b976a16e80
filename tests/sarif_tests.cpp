// SARIF 2.1.0 and GitHub annotations from `aiomc check` (issue 15): results located at
// the op blamed for each violation (line and JSON pointer), the counterexample as a
// codeFlow, bad input at the line its message names; every file written here is
// validated against the vendored SARIF 2.1.0 schema (tests/sarif/validate.py).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "report/annotate.hpp"
#include "report/sarif.hpp"
#include "tests/cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using aiomc::test::Outcome;
using aiomc::test::quoted;
using aiomc::test::run_aiomc;
using aiomc::test::scratch;
using aiomc::test::slurp;
using aiomc::test::spit;
using json = nlohmann::json;

const std::string kSource = AIOMC_SOURCE_DIR;
const std::string kHistory = kSource + "/scenarios/history/lio-count-so-far.json";
const std::string kLioPointer = "/processes/0/threads/0/ops/1";  // the lio_listio op, line 9

// tests/sarif/validate.py's exit code and output for one file.
Outcome validate(const fs::path& sarif) {
  const fs::path out = scratch() / "validate.txt";
  const std::string cmd = "/usr/bin/python3 " + quoted(kSource + "/tests/sarif/validate.py") + " " +
                          quoted(sarif.string()) + " >" + quoted(out.string()) + " 2>&1";
  const int status = std::system(cmd.c_str());
  return Outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), ""};
}

json sarif_results(const fs::path& sarif) { return json::parse(slurp(sarif))["runs"][0]["results"]; }

}  // namespace

TEST_CASE("sarif: an expected history violation is a note at the lio_listio op with its codeFlow", "[sarif][cli]") {
  const fs::path sarif = scratch() / "history.sarif";
  REQUIRE(run_aiomc({"check", kHistory, "--sarif", sarif.string(), "--threads", "1", "--quiet"}).code == 0);
  const Outcome v = validate(sarif);
  INFO(v.out);
  REQUIRE(v.code == 0);
  const json doc = json::parse(slurp(sarif));
  CHECK(doc["version"] == "2.1.0");
  const json& run = doc["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "aiomc");
  CHECK(run["properties"]["provenance"]["catalog_digest"].get<std::string>().size() == 16);
  const json& results = run["results"];
  REQUIRE(results.size() == 1);
  const json& r = results[0];
  CHECK(r["ruleId"] == "lio-notify-exact");
  CHECK(run["tool"]["driver"]["rules"][r["ruleIndex"].get<std::size_t>()]["id"] == "lio-notify-exact");
  CHECK(r["level"] == "note");
  const json& loc = r["locations"][0];
  CHECK(loc["physicalLocation"]["artifactLocation"]["uri"] == "file://" + kHistory);
  CHECK(loc["physicalLocation"]["region"]["startLine"] == 9);
  CHECK(loc["logicalLocations"][0]["fullyQualifiedName"] == kLioPointer);
  CHECK(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 19);  // /checks/1
  CHECK(r["properties"]["check"] == "/checks/1");
  CHECK(r["properties"]["steps"] == 14);
  const json& steps = r["codeFlows"][0]["threadFlows"][0]["locations"];
  REQUIRE(steps.size() == 14);
  CHECK(steps[0]["location"]["logicalLocations"][0]["fullyQualifiedName"] == "kqueue:create");
  CHECK(steps[0]["location"]["logicalLocations"][0]["name"] == "kqueue");
  CHECK(steps[0]["location"]["logicalLocations"][0]["kind"] == "function");
  CHECK(steps[0]["location"]["physicalLocation"]["region"]["startLine"] == 8);
  CHECK(steps[0]["properties"]["actor"] == "app/main");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    CHECK(steps[i]["executionOrder"] == i);
    // Only a user thread's step names an op of the scenario.
    const bool thread = steps[i]["properties"]["actor"] == "app/main";
    CHECK(steps[i]["location"].contains("physicalLocation") == thread);
  }
  // The violation is found in a step no user thread took.
  CHECK(steps[13]["properties"]["actor"] != "app/main");
}

TEST_CASE("sarif and --annotate github: unexpected violations, bad input, incomplete", "[sarif][annotate][cli]") {
  SECTION("a violation under --variant is an error, annotated at the op") {
    const fs::path sarif = scratch() / "variant.sarif";
    const Outcome o = run_aiomc({"check", kHistory, "--variant", "lio-count-so-far", "--sarif", sarif.string(),
                                 "--annotate", "github", "--threads", "1", "--quiet"});
    REQUIRE(o.code == 1);
    REQUIRE(validate(sarif).code == 0);
    const json results = sarif_results(sarif);
    REQUIRE(results.size() == 1);
    CHECK(results[0]["level"] == "error");
    CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 9);
    CHECK(results[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 1);
    CHECK(o.out.find("::error file=" + kHistory +
                     ",line=9,title=aiomc%3A lio-notify-exact violated::EVFILT_LIO activation for lio#0 with 1 of 1 "
                     "members finished while lio_listio is still submitting (lio-count-so-far, expected pass; 14 "
                     "steps)\n") != std::string::npos);
  }
  SECTION("a file that cannot be loaded: at the line its message names") {
    std::string text = slurp(kHistory);
    const std::string from = "\"nbytes\": 4096 },\n                { \"job\": \"f\"";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), std::string("\"nbytes\": 4096").size(), "\"nbytes\": \"x\"");
    const fs::path bad = scratch() / "bad input, 100%.json", sarif = scratch() / "bad.sarif";
    spit(bad, text);
    const Outcome o = run_aiomc({"check", bad.string(), "--sarif", sarif.string(), "--annotate", "github"});
    REQUIRE(o.code == 2);
    REQUIRE(validate(sarif).code == 0);
    const json results = sarif_results(sarif);
    REQUIRE(results.size() == 1);
    CHECK(results[0]["ruleId"] == "bad-input");
    CHECK(results[0]["level"] == "error");
    CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 10);
    CHECK(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().find(
              "/bad%20input%2C%20100%25.json") != std::string::npos);
    const std::string prefix = "::error file=" + aiomc::report::github_escape_property(bad.string()) +
                               ",line=10,title=aiomc bad input::" + aiomc::report::github_escape_message(bad.string()) +
                               ": /processes/0/threads/0/ops/1/list/0/nbytes (line 10, column ";
    CHECK(o.out.find(prefix) != std::string::npos);
  }
  SECTION("a bound hit where pass is expected is a warning") {
    const fs::path sarif = scratch() / "incomplete.sarif";
    const Outcome o = run_aiomc({"check", kHistory, "--variant", "fixed", "--max-states", "3", "--sarif",
                                 sarif.string(), "--annotate", "github"});
    REQUIRE(o.code == 3);
    REQUIRE(validate(sarif).code == 0);
    const json results = sarif_results(sarif);
    REQUIRE(results.size() == 1);
    CHECK(results[0]["ruleId"] == "incomplete");
    CHECK(results[0]["level"] == "warning");
    CHECK(o.out.find("::warning file=" + kHistory +
                     ",line=1,title=aiomc%3A check incomplete::fixed, expected pass, verdict incomplete (bound hit: "
                     "max_states)\n") != std::string::npos);
  }
  SECTION("every history scenario: one valid file, and nothing to annotate") {
    const fs::path sarif = scratch() / "all-history.sarif";
    const Outcome o = run_aiomc({"check", kSource + "/scenarios/history", "--sarif", sarif.string(), "--annotate",
                                 "github", "--quiet"});
    REQUIRE(o.code == 0);
    const Outcome v = validate(sarif);
    INFO(v.out);
    REQUIRE(v.code == 0);
    CHECK(o.out.find("::") == std::string::npos);
    for (const json& r : sarif_results(sarif)) CHECK(r["level"] == "note");
  }
  SECTION("the validator refuses what the schema refuses") {
    const fs::path broken = scratch() / "broken.sarif";
    spit(broken, R"({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})");
    const Outcome v = validate(broken);
    CHECK(v.code == 1);
    CHECK(v.out.find("/runs/0/tool/driver: 'name' is a required property") != std::string::npos);
  }
}

TEST_CASE("sarif: artifact URIs and GitHub escapes", "[sarif][annotate]") {
  CHECK(aiomc::report::path_uri("scenarios/lio/a b.json") == "scenarios/lio/a%20b.json");
  CHECK(aiomc::report::path_uri("/x/y,z.json") == "file:///x/y%2Cz.json");
  CHECK(aiomc::report::github_escape_message("50%\nnext") == "50%25%0Anext");
  CHECK(aiomc::report::github_escape_property("a:b,c") == "a%3Ab%2Cc");
}
