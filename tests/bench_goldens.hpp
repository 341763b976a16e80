// The benchmark scenarios (bench/scenarios, copies of ../shared/bench) and their
// golden state counts, `fixed`, with reductions off and on: one table for every
// search that must find them.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.hpp"
#include "tests/test_support.hpp"

namespace aiomc::test {

inline model::Model bench_model(const std::string& name, const std::string& variant) {
  const loader::Scenario sc = load_file(std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/" + name + ".json");
  model::Config cfg = sc.config;
  cfg.variants = variants({variant});
  return model::Model(sc.program, cfg);
}

struct BenchGolden {
  const char* name;
  std::uint64_t off, on;  // states of the `fixed` check, reductions off and on
};
inline constexpr BenchGolden kBenchGoldens[] = {
    {"lio-split", 627403, 28212}, {"two-procs", 1684530, 117338}, {"kqueue-churn", 1082439, 179814}};

}  // namespace aiomc::test
