// `aiomc list invariants|variants|ops`: the catalogs, from the code.
#include <algorithm>

#include "model/config.hpp"
#include "model/invariants.hpp"
#include "model/liveness.hpp"
#include "model/program.hpp"
#include "model/steps.hpp"
#include "loader/capacity.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/step_text.hpp"

namespace aiomc::report {
namespace {

using Row = std::vector<std::string>;

// Aligned columns; the last column is not padded.
std::string table(const std::vector<Row>& rows) {
  std::vector<std::size_t> widths;
  for (const Row& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], text_width(r[c]));
    }
  std::string out;
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c)
      line += c + 1 < r.size() ? fit(r[c], widths[c]) + "  " : r[c];
    out += line + "\n";
  }
  return out;
}

const char* yes_no(bool b) {
  return b ? "yes" : "no";
}

std::string invariants() {
  std::vector<Row> rows{{"INVARIANT", "KIND", "CHECKED", "WHAT"}};
  for (const model::InvInfo& i : model::invariant_catalog())
    rows.push_back(
        {std::string(i.name), std::string(i.kind), yes_no(i.checked), std::string(i.what)});
  return table(rows) + "\nLiveness (aiomc check --liveness, or a check naming a liveness invariant) assumes " +
         std::string(model::kFairnessAssumption) + ".\n";
}

// The rows of the steps table that consult variant v (its variants column).
std::string steps_of(model::Variant v) {
  std::string names;
  for (const model::StepDef& d : model::kSteps)
    if (d.variants & (std::uint64_t{1} << static_cast<int>(v))) names += (names.empty() ? "" : ", ") + std::string(d.name);
  return names.empty() ? "" : "    steps: " + names + "\n";
}

std::string variants() {
  std::vector<Row> rows{{"VARIANT", "F", "HISTORY", "CAUGHT BY", "MODELLED", "WHAT"}};
  for (const model::VariantInfo& v : model::variant_catalog())
    rows.push_back({std::string(v.name), std::string(v.fnumber), std::string(v.history),
                    std::string(v.invariant), yes_no(v.modelled), std::string(v.summary)});
  // Each variant's row is followed by the steps it changes (semantics.md S7).
  std::string out, rows_text = table(rows);
  std::size_t line = 0, pos = 0;
  const auto& cat = model::variant_catalog();
  while (pos < rows_text.size()) {
    std::size_t nl = rows_text.find('\n', pos);
    out += rows_text.substr(pos, nl - pos + 1);
    if (line > 0 && cat[line - 1].steps != "-") out += "    changes: " + std::string(cat[line - 1].steps) + "\n";
    if (line > 0) out += steps_of(cat[line - 1].id);
    if (line > 0)
      for (const model::VariantPieces& p : model::variant_pieces())
        if (p.id == cat[line - 1].id) {
          std::string names;
          for (model::Variant b : p.brings) names += (names.empty() ? "" : ", ") + std::string(model::variant_info(b).name);
          out += "    brings: " + names + " (" + std::string(p.why) + ")\n";
        }
    pos = nl + 1;
    ++line;
  }
  out += "\n";
  std::vector<Row> eras{{"ERA", "VERSION", "MODELLED", "MEMBERS"}};
  for (const model::EraInfo& e : model::era_catalog()) {
    std::string members;
    bool modelled = true;
    for (model::Variant v : e.members) {
      members += (members.empty() ? "" : " ") + std::string(model::variant_info(v).name);
      modelled = modelled && model::variant_info(v).modelled;
    }
    eras.push_back({std::string(e.name), std::string(e.version), yes_no(modelled), members});
  }
  // Each era's row is followed by what it takes from its own source and the members
  // Giant keeps from firing (S25).
  std::string eras_text = table(eras);
  line = 0;
  pos = 0;
  const auto& ecat = model::era_catalog();
  while (pos < eras_text.size()) {
    std::size_t nl = eras_text.find('\n', pos);
    out += eras_text.substr(pos, nl - pos + 1);
    if (line > 0) {
      const model::EraInfo& e = ecat[line - 1];
      out += "    source: " + std::string(e.source) + "\n";
      if (!e.giant_unreachable.empty()) {
        std::string names;
        for (model::Variant v : e.giant_unreachable)
          names += (names.empty() ? "" : ", ") + std::string(model::variant_info(v).name);
        out += "    unreachable under Giant: " + names + " (" + std::string(e.giant_why) + ")\n";
      }
    }
    pos = nl + 1;
    ++line;
  }
  // Ids that stay known but name no switch (refused by name with the reason).
  std::vector<Row> retired{{"RETIRED", "F", "WHY"}};
  for (const model::RetiredVariant& r : model::retired_variants())
    retired.push_back({std::string(r.name), std::string(r.fnumber), std::string(r.reason)});
  return out + "\n" + table(retired);
}

std::string ops() {
  std::vector<Row> rows{{"OP", "SUPPORTED"}};
  for (int k = 0; k < model::kOpKinds; ++k) {
    const auto kind = static_cast<model::OpKind>(k);
    rows.push_back({model::op_name(kind), yes_no(model::op_supported(kind))});
  }
  return table(rows);
}

// The steps table (model/steps.def): each step, who runs it, the locks it takes and
// the state it may write and read (checked by tests/step_table_tests.cpp).
std::string steps() {
  std::vector<Row> rows{{"STEP", "SOURCE", "ACTORS", "LOCKS", "WRITES", "READS"}};
  for (const model::StepDef& d : model::kSteps)
    rows.push_back({d.name, *d.source ? d.source : "-", model::actor_kinds_text(d.actors), model::lock_kinds_text(d.locks),
                    model::write_kinds_text(d.writes), model::write_kinds_text(d.reads)});
  return table(rows);
}

// The model's capacities as the loader enforces them (loader/capacity.hpp).
std::string limits() {
  std::vector<std::vector<std::string>> rows = {{"limit", "value", "what is counted"}};
  for (const loader::Limit& l : loader::limits())
    rows.push_back({std::string(l.name), std::to_string(l.value), std::string(l.what)});
  return table(rows);
}

}  // namespace

int list_command(const ListCommandOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.what == "invariants")
    out << invariants();
  else if (opts.what == "variants")
    out << variants();
  else if (opts.what == "ops")
    out << ops();
  else if (opts.what == "limits")
    out << limits();
  else if (opts.what == "steps")
    out << steps();
  else {
    err << "aiomc: list: expected invariants, variants, ops, limits or steps, found '" << opts.what << "'\n";
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace aiomc::report
