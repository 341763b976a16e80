// Running the aiomc binary from tests: a scratch directory per test process, whole-file
// reads and writes, and `aiomc ARGS...` with its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace aiomc::test {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string out, err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void spit(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A directory of its own for this test process, removed at exit.
inline const fs::path& scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("aiomc_cli_tests_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup;
  return dir;
}

// Runs `aiomc ARGS...` with stdout and stderr captured; the exit code as the shell sees it.
// `env` (e.g. "AIOMC_TEST_FAULT_STATE=3") is put before the command.
inline Outcome run_aiomc(const std::vector<std::string>& args, const std::string& env = "") {
  const fs::path out = scratch() / "stdout.txt", err = scratch() / "stderr.txt";
  std::string cmd = (env.empty() ? "" : env + " ") + quoted(AIOMC_BINARY);
  for (const std::string& a : args) cmd += " " + quoted(a);
  cmd += " >" + quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
  const int status = std::system(cmd.c_str());
  Outcome o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = slurp(out);
  o.err = slurp(err);
  return o;
}

}  // namespace aiomc::test
