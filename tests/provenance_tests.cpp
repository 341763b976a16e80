// Provenance (issue 15): the version, git revision and catalog digest in every report,
// trace and `--version`; traces from before it (no provenance) still replay.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "model/catalog_digest.hpp"
#include "model/config.hpp"
#include "model/steps.hpp"
#include "report/provenance.hpp"
#include "report/trace.hpp"
#include "tests/cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using aiomc::test::Outcome;
using aiomc::test::run_aiomc;
using aiomc::test::scratch;
using aiomc::test::slurp;
using aiomc::test::spit;

const std::string kHistory = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/lio-count-so-far.json";

bool is_hex16(const std::string& s) {
  return s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The counterexample trace of lio-count-so-far, as `check --trace-dir` writes it.
fs::path history_trace() {
  const fs::path dir = scratch() / "prov-traces";
  const Outcome o = run_aiomc({"check", kHistory, "--trace-dir", dir.string(), "--threads", "1", "--quiet"});
  REQUIRE(o.code == 0);
  const fs::path t = dir / "lio-count-so-far.lio-count-so-far.lio-notify-exact.trace.json";
  REQUIRE(fs::exists(t));
  return t;
}

}  // namespace

TEST_CASE("provenance: the catalog digest covers every table row", "[provenance]") {
  const std::string text = aiomc::model::catalog_text();
  REQUIRE(is_hex16(aiomc::model::catalog_digest()));
  for (const auto& s : aiomc::model::kSteps) CHECK(text.find(std::string("step\t") + s.name + "\t") != std::string::npos);
  for (const auto& v : aiomc::model::variant_catalog())
    CHECK(text.find("variant\t" + std::string(v.name) + "\t") != std::string::npos);
  CHECK(text.find("invariant\tlio-notify-exact\tsafety\tchecked\n") != std::string::npos);
}

TEST_CASE("provenance: --version prints version, git revision and catalog digest", "[provenance][cli]") {
  const Outcome o = run_aiomc({"--version"});
  REQUIRE(o.code == 0);
  const auto p = aiomc::report::provenance();
  CHECK(o.out == "aiomc " + p.aiomc_version + "\ngit revision: " + p.git_revision + "\ncatalog digest: " +
                     p.catalog_digest + "\n");
  CHECK(p.aiomc_version == AIOMC_VERSION);
  CHECK(!p.git_revision.empty());
}

TEST_CASE("provenance: reports, JUnit and traces carry it; old traces replay", "[provenance][cli]") {
  const auto p = aiomc::report::provenance();
  const nlohmann::json expected = {
      {"aiomc_version", p.aiomc_version}, {"git_revision", p.git_revision}, {"catalog_digest", p.catalog_digest}};
  SECTION("report and JUnit") {
    const fs::path report = scratch() / "prov-report.json", junit = scratch() / "prov-junit.xml";
    REQUIRE(run_aiomc({"check", kHistory, "--report", report.string(), "--junit", junit.string(), "--quiet"}).code == 0);
    const auto j = nlohmann::json::parse(slurp(report));
    CHECK(j["aiomc_version"] == p.aiomc_version);  // the field readers knew before stays
    CHECK(j["provenance"] == expected);
    CHECK(slurp(junit).find("<property name=\"catalog_digest\" value=\"" + p.catalog_digest + "\"/>") !=
          std::string::npos);
  }
  SECTION("a new trace has it and replays") {
    const fs::path t = history_trace();
    const auto j = nlohmann::json::parse(slurp(t));
    CHECK(j["provenance"] == expected);
    aiomc::report::Trace trace;
    REQUIRE(aiomc::report::read_trace_file(t.string(), trace) == "");
    REQUIRE(trace.provenance);
    CHECK(trace.provenance->catalog_digest == p.catalog_digest);
    const Outcome o = run_aiomc({"replay", t.string()});
    CHECK(o.code == 0);
    CHECK(o.out.find("written:  aiomc " + p.aiomc_version) != std::string::npos);
    CHECK(o.err.empty());
  }
  SECTION("a trace without provenance (before issue 15) replays the same") {
    auto j = nlohmann::ordered_json::parse(slurp(history_trace()));
    j.erase("provenance");
    const fs::path old = scratch() / "prov-traces" / "old.trace.json";
    spit(old, j.dump(2));
    aiomc::report::Trace trace;
    REQUIRE(aiomc::report::read_trace_file(old.string(), trace) == "");
    CHECK(!trace.provenance);
    const Outcome o = run_aiomc({"replay", old.string()});
    INFO(o.out << o.err);
    CHECK(o.code == 0);
    CHECK(o.out.find("matched: 14 steps") != std::string::npos);
  }
  SECTION("another catalog digest is noted, a malformed provenance refused") {
    auto j = nlohmann::ordered_json::parse(slurp(history_trace()));
    j["provenance"]["catalog_digest"] = "0123456789abcdef";
    const fs::path other = scratch() / "prov-traces" / "other.trace.json";
    spit(other, j.dump(2));
    Outcome o = run_aiomc({"replay", other.string()});
    CHECK(o.code == 0);
    CHECK(o.err.find("written with catalog digest 0123456789abcdef, this aiomc has " + p.catalog_digest) !=
          std::string::npos);
    j["provenance"] = 3;
    spit(other, j.dump(2));
    o = run_aiomc({"replay", other.string()});
    CHECK(o.code == 2);
    CHECK(o.err.find("/provenance: expected the provenance (a JSON object), found 3") != std::string::npos);
  }
}
