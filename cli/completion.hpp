// Bash completion for aiomc, generated from the CLI11 option table itself
// (`aiomc --bash-completion`; the build writes it to build/aiomc.bash-completion and
// `cmake --install` puts it under share/bash-completion/completions), so an option
// added to the CLI is completed without anyone editing a script.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace aiomc::cli {

// Word lists for values: key "SUBCOMMAND --option" for an option's value,
// "SUBCOMMAND" for the subcommand's positional words (files when absent).
using Choices = std::map<std::string, std::vector<std::string>>;

std::string bash_completion(const CLI::App& app, const Choices& choices);

}  // namespace aiomc::cli
