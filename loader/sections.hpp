// The scenario's top-level sections, each read on its own (scenario-format.md).
#pragma once

#include <string>
#include <vector>

#include "loader/json_reader.hpp"
#include "loader/scenario.hpp"

namespace aiomc::loader::detail {

model::Config read_config(const Reader& r, const Node& n);                 // "config" (+ "hz", S11)
// "objects", in file order; a warning for settings that have no effect on that type.
std::vector<model::Object> read_objects(const Reader& r, const Node& n, std::vector<std::string>& warnings);
std::vector<model::Process> read_processes(const Reader& r, const Node& n,
                                           const std::vector<model::Object>& objects,
                                           std::vector<std::string>& warnings);  // "processes"
std::vector<Check> read_checks(const Reader& r, const Node& n);  // "checks"; absent: fixed/pass
Bounds read_bounds(const Reader& r, const Node& n);              // "bounds"

}  // namespace aiomc::loader::detail
