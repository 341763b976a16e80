// The digest of what a model build means by its names: the invariant, variant and era
// catalogs and the steps table. Two builds with the same digest run a trace's steps
// under the same names with the same variant switches, so a result recorded with one
// can be replayed with the other (reports, traces and SARIF files carry it).
#pragma once

#include <string>

namespace aiomc::model {

// The canonical text the digest is taken over (one line per row), for tests.
std::string catalog_text();
// 16 lowercase hex digits: XXH64 (seed 0) of catalog_text().
std::string catalog_digest();

}  // namespace aiomc::model
