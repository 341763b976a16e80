// The scenario arguments of `aiomc check`: a file stands for itself, a directory for
// every *.json below it, sorted (cli-and-reports.md).
#pragma once

#include <string>
#include <vector>

namespace aiomc::report {

struct ScenarioInput {
  std::string path;
  bool from_directory = false;  // found below a directory argument (S25: other aiomc formats are skipped)
  std::string problem;          // "" or why this input cannot be read (exit 2 for it alone)
};

// The files `inputs` stand for, in order; an input that does not exist or a directory
// with no *.json becomes an entry with its problem.
std::vector<ScenarioInput> expand_scenario_inputs(const std::vector<std::string>& inputs);

// S25: the aiomc format ("aiomc-report/1", "aiomc-trace/1", "aiomc-order/1") of a
// file that is not a scenario, or "" when it is none of them (or not JSON).
std::string other_aiomc_format(const std::string& path);

}  // namespace aiomc::report
