// libFuzzer harness: scenario bytes -> the loader -> a bounded check of every variant
// the scenario names. Refused input is fine; what must never happen is a crash, a
// sanitizer report, or a model failure (Verdict::error) on a scenario the loader
// accepted, which this harness turns into an abort so libFuzzer keeps the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "checker/explorer.hpp"
#include "loader/scenario.hpp"
#include "model/config.hpp"
#include "model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aiomc;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = loader::load_scenario_text(text, "fuzz.json");
  const auto* sc = std::get_if<loader::Scenario>(&loaded);
  if (sc == nullptr) return 0;
  std::vector<std::vector<std::string>> variant_sets{{"fixed"}};
  for (const loader::Check& c : sc->checks) variant_sets.push_back(c.variant_ids);
  for (const auto& ids : variant_sets) {
    model::Config cfg = sc->config;
    for (const std::string& id : ids) model::resolve_variant_id(id, cfg.variants);
    model::Model m(sc->program, cfg);
    checker::Options o;
    o.bounds.max_states = 3000;
    o.bounds.max_depth = 200;
    checker::Result r = checker::explore(m, o);
    if (r.verdict == checker::Verdict::error) {
      std::fprintf(stderr, "model failure on an accepted scenario: %s\n", r.error.c_str());
      std::abort();
    }
    if (&ids == &variant_sets.front()) {
      // The depth-first search (two workers) must give the breadth-first answer.
      checker::Options d = o;
      d.depth_first = true;
      d.threads = 2;
      const checker::Result rd = checker::explore(m, d);
      if (rd.verdict != r.verdict || rd.stats.states != r.stats.states || rd.stats.transitions != r.stats.transitions) {
        std::fprintf(stderr, "depth-first disagrees: %llu states against %llu breadth-first\n",
                     static_cast<unsigned long long>(rd.stats.states), static_cast<unsigned long long>(r.stats.states));
        std::abort();
      }
    }
  }
  return 0;
}
