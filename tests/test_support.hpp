// Helpers for tests: build a model from inline scenario JSON, and drive it one
// named step at a time (kernel scripts that pin an interleaving).
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "loader/scenario.hpp"
#include "model/model.hpp"

namespace aiomc::test {

inline loader::Scenario load_text(const std::string& json) {
  auto r = loader::load_scenario_text(json, "inline.json");
  if (auto* e = std::get_if<loader::LoadError>(&r)) FAIL(e->message);
  return std::get<loader::Scenario>(r);
}

inline loader::Scenario load_file(const std::string& path) {
  auto r = loader::load_scenario_file(path);
  if (auto* e = std::get_if<loader::LoadError>(&r)) FAIL(e->message);
  return std::get<loader::Scenario>(r);
}

// Every scenario under scenarios/, sorted.
inline std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(AIOMC_SOURCE_DIR) + "/scenarios"))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

inline model::VariantSet variants(const std::vector<std::string>& ids) {
  model::VariantSet v;
  for (const auto& id : ids) REQUIRE(model::resolve_variant_id(id, v));
  return v;
}

// Drives a model step by step, by actor name.
class Driver {
 public:
  explicit Driver(const loader::Scenario& sc, model::VariantSet v = {}) : cfg_(with(sc.config, v)), m_(sc.program, cfg_) {
    s_ = m_.initial();
  }
  const model::Model& model() const { return m_; }
  const model::State& state() const { return s_; }

  int actor(const std::string& name) const {
    for (int a = 0; a < m_.actor_count(); ++a)
      if (m_.actor_name(a) == name) return a;
    FAIL("no actor " + name);
    return -1;
  }
  // Applies the actor's enabled step of the given kind; fails the test if none.
  model::StepInfo step(const std::string& name, model::StepKind kind = model::StepKind::run, int arg = 0) {
    model::StepRef r{static_cast<std::uint8_t>(actor(name)), kind, static_cast<std::uint8_t>(arg)};
    model::StepInfo info;
    model::InvSet v;
    INFO("step of " << name);
    REQUIRE(m_.apply(s_, r, &v, &info));
    last_ = v;
    return info;
  }
  bool enabled(const std::string& name, model::StepKind kind = model::StepKind::run) const {
    std::vector<model::Successor> succ;
    m_.successors(s_, succ);
    int a = actor(name);
    for (const auto& sc : succ)
      if (sc.step.actor == a && sc.step.kind == kind) return true;
    return false;
  }
  model::InvSet last_violations() const { return last_; }
  // Steps an actor until the action named `action` has run (at most `limit` steps).
  model::StepInfo step_until(const std::string& name, const std::string& action, int limit = 20) {
    for (int i = 0; i < limit; ++i) {
      model::StepInfo info = step(name);
      if (info.action == action) return info;
    }
    FAIL("no " + action + " by " + name);
    return {};
  }

 private:
  static model::Config with(model::Config c, model::VariantSet v) {
    c.variants = v;
    return c;
  }
  model::Config cfg_;
  model::Model m_;
  model::State s_;
  model::InvSet last_;
};

}  // namespace aiomc::test
