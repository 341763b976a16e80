#include "report/provenance.hpp"

#include "model/catalog_digest.hpp"
#include "report/exit_codes.hpp"

namespace aiomc::report {

Provenance provenance() { return Provenance{kAiomcVersion, git_revision(), model::catalog_digest()}; }

nlohmann::ordered_json provenance_json(const Provenance& p) {
  nlohmann::ordered_json j;
  j["aiomc_version"] = p.aiomc_version;
  j["git_revision"] = p.git_revision;
  j["catalog_digest"] = p.catalog_digest;
  return j;
}

std::string version_text() {
  const Provenance p = provenance();
  return "aiomc " + p.aiomc_version + "\ngit revision: " + p.git_revision + "\ncatalog digest: " + p.catalog_digest;
}

}  // namespace aiomc::report
