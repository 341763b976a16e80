#include "report/scenario_setup.hpp"

#include <variant>

#include "model/model.hpp"

namespace aiomc::report {

std::string load_scenario(const std::string& path, loader::Scenario& out) {
  auto loaded = loader::load_scenario_file(path);
  if (auto* e = std::get_if<loader::LoadError>(&loaded)) return e->message;
  out = std::move(std::get<loader::Scenario>(loaded));
  return "";
}

std::string configure(const loader::Scenario& scenario, const std::vector<std::string>& variant_ids,
                      ResolvedVariants& variants, model::Config& config) {
  const std::string err = resolve_variants(variant_ids, variants);
  if (!err.empty()) return err;
  config = scenario.config;
  config.variants = variants.set;
  const std::string capacity = model::check_capacity(scenario.program, config);
  if (!capacity.empty()) return scenario.path + ": " + capacity;
  return "";
}

std::string load_configured(const std::string& path, const std::vector<std::string>& variant_ids,
                            loader::Scenario& out, ResolvedVariants& variants, model::Config& config) {
  std::string problem = load_scenario(path, out);
  if (problem.empty()) problem = configure(out, variant_ids, variants, config);
  return problem;
}

}  // namespace aiomc::report
