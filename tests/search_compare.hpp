// Helpers for tests that run the checker over the bundled scenarios and compare two
// searches of one model.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "checker/explorer.hpp"
#include "tests/test_support.hpp"

namespace aiomc::test {

// Calls f(path, check, model) for every check of every bundled scenario, the model
// built with that check's variants.
template <class F>
void for_each_bundled_check(F&& f) {
  for (const std::string& path : bundled_scenarios()) {
    const loader::Scenario sc = load_file(path);
    for (const loader::Check& c : sc.checks) {
      model::Config cfg = sc.config;
      cfg.variants = variants(c.variant_ids);
      const model::Model m(sc.program, cfg);
      f(path, c, m);
    }
  }
}

// The same violations in the same order: invariant, counterexample choices, and
// whether the counterexample ends in a quiescent state.
inline void check_same_violations(const checker::Result& a, const checker::Result& b) {
  REQUIRE(a.violations.size() == b.violations.size());
  for (std::size_t i = 0; i < a.violations.size(); ++i) {
    CHECK(a.violations[i].invariant == b.violations[i].invariant);
    CHECK(a.violations[i].choices == b.violations[i].choices);
    CHECK(a.violations[i].quiescent == b.violations[i].quiescent);
  }
}

}  // namespace aiomc::test
