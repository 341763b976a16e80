// "checks" (what CI asserts, scenario-format.md) and "bounds".
#include "loader/sections.hpp"
#include "loader/vocabulary.hpp"

namespace aiomc::loader::detail {
namespace {

// "fixed", the variant ids and the era ids, for "did you mean".
std::vector<std::string_view> variant_ids() {
  std::vector<std::string_view> out = {"fixed"};
  for (const model::VariantInfo& v : model::variant_catalog()) out.push_back(v.name);
  for (const model::EraInfo& e : model::era_catalog()) out.push_back(e.name);
  return out;
}

std::string read_variant_id(const Reader& r, const Node& n) {
  model::VariantSet ignored;
  if (!n->is_string() || !model::resolve_variant_id(n->get_ref<const std::string&>(), ignored))
    r.mismatch(n, "a variant id (\"fixed\", a bug-variant id or an era id)", variant_ids());
  return n->get<std::string>();
}

Check read_check(const Reader& r, const Node& n) {
  r.object(n, "a check", {"variant", "expect", "invariant"});
  Check c;
  c.pointer = n.ptr;
  const Node variant = r.required(n, "variant", "a check");
  if (variant->is_array()) {
    if (variant->empty()) r.mismatch(variant, "a variant id or a non-empty list of variant ids");
    for (std::size_t i = 0; i < variant->size(); ++i) c.variant_ids.push_back(read_variant_id(r, variant.at(i)));
  } else {
    c.variant_ids.push_back(read_variant_id(r, variant));
  }
  const Node expect = r.required(n, "expect", "a check");
  const std::string e = expect->is_string() ? expect->get<std::string>() : "";
  if (e == "pass")
    c.expect = Check::Expect::pass;
  else if (e == "violation")
    c.expect = Check::Expect::violation;
  else if (e == "incomplete")
    c.expect = Check::Expect::incomplete;
  else
    r.mismatch(expect, "\"pass\", \"violation\" or \"incomplete\"");
  if (const Node inv = n.get("invariant")) {
    if (c.expect != Check::Expect::violation)
      r.fail_at_key(inv.ptr, "expected 'invariant' only with \"expect\": \"violation\", found it with \"" + e + "\"");
    if (!inv->is_string() || !invariant_known(inv->get_ref<const std::string&>()))
      r.mismatch(inv, "an invariant id (see `aiomc list invariants`)", invariant_ids());
    c.invariant = inv->get<std::string>();
  }
  return c;
}

}  // namespace

std::vector<Check> read_checks(const Reader& r, const Node& n) {
  std::vector<Check> out;
  if (n) {
    r.array(n, "a list of checks");
    for (std::size_t i = 0; i < n->size(); ++i) out.push_back(read_check(r, n.at(i)));
  }
  // No checks: [{"variant": "fixed", "expect": "pass"}] (scenario-format.md).
  if (out.empty()) out.push_back(Check{{"fixed"}, Check::Expect::pass, std::nullopt, ""});
  return out;
}

Bounds read_bounds(const Reader& r, const Node& n) {
  Bounds b;
  if (!n) return b;
  r.object(n, "bounds", {"max_states", "max_depth", "max_seconds"});
  if (const Node v = n.get("max_states")) b.max_states = static_cast<std::uint64_t>(r.integer(v, 1));
  if (const Node v = n.get("max_depth")) b.max_depth = static_cast<std::uint64_t>(r.integer(v, 1));
  if (const Node v = n.get("max_seconds")) {
    if (!v->is_number() || !(v->get<double>() > 0)) r.mismatch(v, "a positive number of seconds");
    b.max_seconds = v->get<double>();
  }
  return b;
}

}  // namespace aiomc::loader::detail
