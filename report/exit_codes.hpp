// The exit codes of every aiomc command (cli-and-reports.md, "Exit codes").
#pragma once

namespace aiomc::report {

enum ExitCode : int {
  kExitOk = 0,          // as expected / no violation / replay matched
  kExitFailed = 1,      // a verdict differs, a violation was found, a replay diverged
  kExitBadInput = 2,    // unreadable file, JSON or schema error, unknown id, usage
  kExitIncomplete = 3,  // a bound was hit where pass was expected; run: max steps reached
  kExitInternal = 70,   // a bug in aiomc itself (e.g. a model assertion)
};

// The version written into reports ("aiomc_version"); CMakeLists.txt's project VERSION.
inline constexpr const char* kAiomcVersion = AIOMC_VERSION;

}  // namespace aiomc::report
