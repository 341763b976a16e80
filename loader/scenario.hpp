// The scenario loader: an `aiomc-scenario/1` JSON file (shared/spec/scenario-format.md,
// semantics.md S9-S11) turned into the model's Config and Program. This is the only
// part of aiomc that knows the scenario's field names. It never throws: every problem
// comes back as a LoadError whose message reads
//   FILE: /json/pointer (line L, column C): what was expected, what was found
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/config.hpp"
#include "model/program.hpp"

namespace aiomc::loader {

// One entry of the scenario's "checks": a variant and the verdict CI expects for it.
struct Check {
  std::vector<std::string> variant_ids;  // as written; ["fixed"] for "fixed"; a list stays a list
  enum class Expect { pass, violation, incomplete } expect = Expect::pass;
  std::optional<std::string> invariant;  // only with Expect::violation
  std::string pointer;                   // "/checks/0"; "" for the implied default check
};

struct Bounds {
  std::optional<std::uint64_t> max_states, max_depth;
  std::optional<double> max_seconds;
};

struct Scenario {
  std::string path, name, description;
  model::Config config;  // variants are left empty: the command line chooses them
  model::Program program;
  std::vector<Check> checks;  // [{fixed, pass}] when the file has none
  Bounds bounds;
  std::string digest;  // 16 lowercase hex digits: XXH64 (seed 0) of the file's bytes
  std::vector<std::string> warnings;  // "FILE: /pointer: job 'x' is never submitted in process 'app'"
  std::string text;  // the file's bytes, to locate a JSON pointer after loading (line_of)
};

// The line (1-based) where the value at `pointer` starts in the scenario's text, or
// its nearest ancestor's; 1 at worst. One pass over the text per call.
int line_of(const Scenario& scenario, const std::string& pointer);
// The line of a LoadError message ("FILE: /ptr (line L, column C): ..."); 0 if it has none.
int line_in_message(const std::string& message);

struct LoadError {
  std::string message;
};

std::variant<Scenario, LoadError> load_scenario_file(const std::string& path);
std::variant<Scenario, LoadError> load_scenario_text(const std::string& text,
                                                     const std::string& path_for_messages);

}  // namespace aiomc::loader
