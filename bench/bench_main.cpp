// aiomc_bench SCENARIO [SECONDS] [THREADS]: simulator steps per second (seeded runs
// back to back for about SECONDS) and one exhaustive check's states per second.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "checker/explorer.hpp"
#include "loader/scenario.hpp"
#include "sim/simulator.hpp"

int main(int argc, char** argv) {
  using namespace aiomc;
  if (argc < 2) {
    std::fprintf(stderr, "usage: aiomc_bench SCENARIO [SECONDS] [THREADS]\n");
    return 2;
  }
  double budget = argc > 2 ? std::atof(argv[2]) : 2.0;
  int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  auto loaded = loader::load_scenario_file(argv[1]);
  if (auto* e = std::get_if<loader::LoadError>(&loaded)) {
    std::fprintf(stderr, "%s\n", e->message.c_str());
    return 2;
  }
  const loader::Scenario& sc = std::get<loader::Scenario>(loaded);
  model::Model m(sc.program, sc.config);
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  std::uint64_t steps = 0, runs = 0;
  while (std::chrono::duration<double>(Clock::now() - t0).count() < budget) {
    sim::RunOptions o;
    o.seed = ++runs;
    steps += sim::run(m, o).steps.size();
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("sim: %llu runs, %llu steps, %.2f s, %.0f steps/s\n", static_cast<unsigned long long>(runs),
              static_cast<unsigned long long>(steps), secs, static_cast<double>(steps) / secs);
  checker::Options co;
  co.threads = threads;
  checker::Result r = checker::explore(m, co);
  std::printf("check (%d thread%s): %llu states, %llu transitions, depth %llu, %.2f s, %.0f states/s, %.1f bytes/state\n",
              threads, threads == 1 ? "" : "s", static_cast<unsigned long long>(r.stats.states),
              static_cast<unsigned long long>(r.stats.transitions), static_cast<unsigned long long>(r.stats.max_depth),
              r.stats.seconds, r.stats.states_per_second, r.stats.bytes_per_state);
  return 0;
}
