// Getting from a scenario path and variant ids to a model configuration, with every
// problem as a message for exit 2: load errors (the loader's FILE: /pointer (line,
// column) messages), unknown or unmodelled variants, programs beyond the model's
// capacities.
#pragma once

#include <string>
#include <vector>

#include "loader/scenario.hpp"
#include "model/config.hpp"
#include "report/variants.hpp"

namespace aiomc::report {

// Returns "" on success, otherwise the loader's message.
std::string load_scenario(const std::string& path, loader::Scenario& out);
// load_scenario, then configure with variant_ids: the problem, or "".
std::string load_configured(const std::string& path, const std::vector<std::string>& variant_ids,
                            loader::Scenario& out, ResolvedVariants& variants, model::Config& config);

// The scenario's config with the variants switched on, after checking the program fits
// the model. Returns "" on success, otherwise the message (prefixed with the path).
std::string configure(const loader::Scenario& scenario, const std::vector<std::string>& variant_ids,
                      ResolvedVariants& variants, model::Config& config);

struct Trace;
// A trace file, its scenario (scenario_file, or "" for the one the trace names: see
// find_scenario) and the configuration with the trace's variants (trace_setup.cpp).
// Returns "" on success, otherwise the message for exit 2.
std::string load_trace_configured(const std::string& trace_file, const std::string& scenario_file, Trace& trace,
                                  loader::Scenario& sc, ResolvedVariants& variants, model::Config& config);

}  // namespace aiomc::report
