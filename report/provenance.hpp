// Provenance: which aiomc made a report, trace or SARIF file. The tool version
// (CMakeLists.txt's project VERSION), the git revision of the source it was built
// from (captured at build time; "unknown" outside git, "-dirty" with local changes)
// and the catalog digest (model/catalog_digest.hpp): a result found months ago can
// be replayed with the same model, and a replay with a different one says so.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace aiomc::report {

const char* git_revision();  // generated: build/generated/git_revision.cpp

struct Provenance {
  std::string aiomc_version, git_revision, catalog_digest;
};

Provenance provenance();  // this build's
// {"aiomc_version": ..., "git_revision": ..., "catalog_digest": ...}
nlohmann::ordered_json provenance_json(const Provenance& p);
// The text `aiomc --version` prints: the version, then one line per field.
std::string version_text();

}  // namespace aiomc::report
