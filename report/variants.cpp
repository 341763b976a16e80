#include "report/variants.hpp"

#include "loader/suggest.hpp"

#include <algorithm>

namespace aiomc::report {
namespace {
// "; did you mean 'X'?" among "fixed", the variant ids and the era ids.
std::string variant_hint(const std::string& id) {
  std::vector<std::string_view> known = {"fixed"};
  for (const model::VariantInfo& v : model::variant_catalog()) known.push_back(v.name);
  for (const model::EraInfo& e : model::era_catalog()) known.push_back(e.name);
  return loader::did_you_mean(id, known);
}
}  // namespace
namespace {

// The switches an id stands for that the model does not implement yet.
std::vector<std::string> unmodelled_members(const std::string& id) {
  model::VariantSet set;
  model::resolve_variant_id(id, set);
  std::vector<std::string> out;
  for (const model::VariantInfo& v : model::variant_catalog())
    if (set.has(v.id) && !v.modelled) out.emplace_back(v.name);
  return out;
}

std::string unmodelled_message(const std::string& id, const std::vector<std::string>& members) {
  std::string msg = "variant '" + id + "' is not modelled yet";
  if (members.size() == 1 && members.front() == id) return msg;
  msg += " (its switches ";
  for (std::size_t i = 0; i < members.size(); ++i) msg += (i ? ", " : "") + members[i];
  return msg + " are not implemented)";
}

}  // namespace

std::string resolve_variants(const std::vector<std::string>& ids, ResolvedVariants& out) {
  out = ResolvedVariants{};
  for (const std::string& id : ids) {
    for (const model::RetiredVariant& r : model::retired_variants())
      if (r.name == id) return "variant '" + id + "' (" + std::string(r.fnumber) + ") is retired: " + std::string(r.reason);
    if (!model::resolve_variant_id(id, out.set))
      return "unknown variant '" + id + "' (see `aiomc list variants`)" + variant_hint(id);
    const std::vector<std::string> missing = unmodelled_members(id);
    if (!missing.empty()) return unmodelled_message(id, missing);
    if (id != "fixed" && std::find(out.ids.begin(), out.ids.end(), id) == out.ids.end())
      out.ids.push_back(id);
  }
  return "";
}

std::string variant_label(const std::vector<std::string>& ids, const std::string& separator) {
  if (ids.empty()) return "fixed";
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? separator : "") + ids[i];
  return out;
}

}  // namespace aiomc::report
