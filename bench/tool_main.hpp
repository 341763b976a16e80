// The measurement tools' common start (bench/tool): `NAME SCENARIO` loads the scenario
// and hands its model (variant fixed) to the tool; a missing argument or a scenario
// that does not load ends the run with a message and exit 2.
#pragma once

#include <cstdio>
#include <variant>

#include "loader/scenario.hpp"
#include "model/model.hpp"

namespace aiomc::bench {

// Returns run(model, scenario path)'s exit code.
template <class Run>
int tool_main(int argc, char** argv, const char* name, Run&& run) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SCENARIO\n", name);
    return 2;
  }
  auto loaded = loader::load_scenario_file(argv[1]);
  if (auto* e = std::get_if<loader::LoadError>(&loaded)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    return 2;
  }
  const loader::Scenario& sc = std::get<loader::Scenario>(loaded);
  const model::Model m(sc.program, sc.config);
  return run(m, argv[1]);
}

}  // namespace aiomc::bench
