// Variant ids as the user or a scenario's check names them ("fixed", a bug-variant id,
// an era id) turned into the model's switches, and the spellings reports use (S19).
#pragma once

#include <string>
#include <vector>

#include "model/config.hpp"

namespace aiomc::report {

struct ResolvedVariants {
  model::VariantSet set;
  // For reports and traces: the ids as given, without "fixed" and repeats, in order
  // of first appearance. Empty for fixed (S19: `[]`).
  std::vector<std::string> ids;
};

// Resolves every id into one set (repeated --variant flags form one set, S19).
// Returns "" on success, otherwise the message for exit 2: an unknown id, or an id
// whose switches the model does not implement yet (VariantInfo::modelled false).
std::string resolve_variants(const std::vector<std::string>& ids, ResolvedVariants& out);

// "fixed" for no ids, else the ids joined by `separator` ("+" in trace file names).
std::string variant_label(const std::vector<std::string>& ids, const std::string& separator = "+");

}  // namespace aiomc::report
