// The scenario arguments of `aiomc check`: a file stands for itself, a directory for
// every *.json below it, sorted (cli-and-reports.md).
#pragma once

#include <string>
#include <vector>

namespace aiomc::report {

// Appends the files `inputs` stand for to `files`. Returns "" on success, otherwise
// the message for exit 2 (an input that does not exist, a directory with no *.json).
std::string expand_scenario_inputs(const std::vector<std::string>& inputs,
                                   std::vector<std::string>& files);

}  // namespace aiomc::report
