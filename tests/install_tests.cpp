// Install tree, man page and bash completion (issue 15): `cmake --install` into a
// temporary prefix that is then moved still checks its bundled scenarios; the man page
// and the completion name every option `aiomc --help-all` lists, and the completion
// completes.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using aiomc::test::Outcome;
using aiomc::test::quoted;
using aiomc::test::run_aiomc;
using aiomc::test::scratch;
using aiomc::test::slurp;

const fs::path kBuild = AIOMC_BUILD_DIR;

Outcome shell(const std::string& cmd) {
  const fs::path out = scratch() / "shell.txt";
  const int status = std::system((cmd + " >" + quoted(out.string()) + " 2>&1").c_str());
  return Outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), ""};
}

// Every long option `aiomc --help-all` lists.
std::set<std::string> help_options() {
  const Outcome o = run_aiomc({"--help-all"});
  REQUIRE(o.code == 0);
  std::set<std::string> names;
  const std::regex option("(^|[ ,])(--[a-z][a-z-]*)");
  for (std::sregex_iterator it(o.out.begin(), o.out.end(), option), end; it != end; ++it) names.insert((*it)[2]);
  return names;
}

// What the completion offers for the words typed so far (the last one being completed).
std::string complete(const std::string& words) {
  const Outcome o = shell("bash -c " + quoted("source " + quoted((kBuild / "aiomc.bash-completion").string()) +
                                              "; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); " +
                                              "_aiomc; echo \"${COMPREPLY[*]}\""));
  REQUIRE(o.code == 0);
  return o.out;
}

std::set<std::string> relative_files(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), root).generic_string());
  return out;
}

}  // namespace

TEST_CASE("completion and man page name every option of the CLI", "[install][completion]") {
  const std::set<std::string> options = help_options();
  REQUIRE(options.count("--sarif") == 1);
  REQUIRE(options.count("--annotate") == 1);
  REQUIRE(options.size() > 20);
  const std::string completion = slurp(kBuild / "aiomc.bash-completion");
  CHECK(completion == run_aiomc({"--bash-completion"}).out);  // the build's file is current
  const std::string man = slurp(kBuild / "aiomc.1");
  for (const std::string& o : options) {
    INFO(o);
    CHECK(std::regex_search(completion, std::regex("[ ']" + o + "[ ']")));
    // help2man escapes '-' as "\-".
    CHECK(man.find(std::regex_replace(o, std::regex("-"), "\\-")) != std::string::npos);
  }
  CHECK(complete("aiomc check --ann") == "--annotate\n");
  CHECK(complete("aiomc check x.json --annotate ''") == "github\n");
  CHECK(complete("aiomc list va") == "variants\n");
  CHECK(complete("aiomc ch") == "check\n");
  CHECK(complete("aiomc run --variant lio-count-s") == "lio-count-so-far\n");
}

TEST_CASE("cmake --install: a moved install tree checks its bundled scenarios", "[install]") {
  const fs::path prefix = scratch() / "prefix", moved = scratch() / "moved prefix";
  fs::remove_all(prefix);
  fs::remove_all(moved);
  const Outcome install =
      shell("cmake --install " + quoted(kBuild.string()) + " --prefix " + quoted(prefix.string()));
  INFO(install.out);
  REQUIRE(install.code == 0);
  fs::rename(prefix, moved);
  REQUIRE(!fs::exists(prefix));
  CHECK(fs::is_regular_file(moved / "share/man/man1/aiomc.1"));
  CHECK(slurp(moved / "share/bash-completion/completions/aiomc") == slurp(kBuild / "aiomc.bash-completion"));
  const fs::path scenarios = moved / "share/aiomc/scenarios";
  CHECK(relative_files(scenarios) == relative_files(fs::path(AIOMC_SOURCE_DIR) / "scenarios"));
  const std::string aiomc = (moved / "bin/aiomc").string();
  const Outcome version = shell(quoted(aiomc) + " --version");
  CHECK(version.out == run_aiomc({"--version"}).out);
  const Outcome check = shell(quoted(aiomc) + " check " + quoted((scenarios / "history").string()) + " --quiet");
  INFO(check.out);
  CHECK(check.code == 0);
  CHECK(check.out.find(" failed, 0 incomplete") != std::string::npos);
  CHECK(check.out.find(" 0 failed") != std::string::npos);
}

TEST_CASE("the README shows the CI examples as they are in examples/ci/", "[install][readme]") {
  const std::string readme = slurp(fs::path(AIOMC_SOURCE_DIR) / "README.md");
  for (const char* f : {"github-workflow.yml", "gitlab-ci.yml"}) {
    INFO(f);
    const std::string text = slurp(fs::path(AIOMC_SOURCE_DIR) / "examples/ci" / f);
    REQUIRE(text.size() > 200);
    CHECK(readme.find("```yaml\n" + text + "```\n") != std::string::npos);
    // Artifacts kept and the exit codes that fail the job.
    CHECK(text.find("--junit aiomc-out/junit.xml") != std::string::npos);
    CHECK(text.find("--sarif aiomc-out/aiomc.sarif") != std::string::npos);
  }
}
