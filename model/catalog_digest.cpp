// The catalog digest: one text line per row of every table that gives a name a
// meaning, in table order, hashed once.
#include "model/catalog_digest.hpp"

#include <xxhash.h>

#include "model/config.hpp"
#include "model/invariants.hpp"
#include "model/model.hpp"
#include "model/steps.hpp"

namespace aiomc::model {

std::string catalog_text() {
  std::string t = "aiomc-catalog/1\n";
  auto field = [&t](std::string_view v) {
    t += v;
    t += '\t';
  };
  for (const InvInfo& i : invariant_catalog()) {
    t += "invariant\t";
    field(i.name);
    field(i.kind);
    t += i.checked ? "checked\n" : "unchecked\n";
  }
  for (const VariantInfo& v : variant_catalog()) {
    t += "variant\t";
    field(v.name);
    field(v.fnumber);
    field(v.history);
    field(v.invariant);
    t += v.modelled ? "modelled\n" : "unmodelled\n";
  }
  for (const EraInfo& e : era_catalog()) {
    t += "era\t";
    field(e.name);
    for (Variant v : e.members) field(variant_info(v).name);
    t += "|\t";
    for (Variant v : e.giant_unreachable) field(variant_info(v).name);
    t += "\n";
  }
  for (const StepDef& s : kSteps) {
    t += "step\t";
    field(s.name);
    field(actor_kinds_text(s.actors));
    field(lock_kinds_text(s.locks));
    field(write_kinds_text(s.writes));
    field(write_kinds_text(s.reads));
    t += std::to_string(s.variants) + "\n";
  }
  return t;
}

std::string catalog_digest() {
  const std::string text = catalog_text();
  return format_digest(XXH64(text.data(), text.size(), 0));
}

}  // namespace aiomc::model
