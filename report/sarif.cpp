#include "report/sarif.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "model/invariants.hpp"
#include "report/exit_codes.hpp"
#include "report/provenance.hpp"
#include "report/variants.hpp"

namespace aiomc::report {
namespace {

using ojson = nlohmann::ordered_json;

struct RuleInfo {
  std::string id, text;
};

// The rules in a fixed order: the invariant catalog, then aiomc's own outcomes.
std::vector<RuleInfo> rules() {
  std::vector<RuleInfo> out;
  for (const model::InvInfo& i : model::invariant_catalog())
    out.push_back({std::string(i.name), std::string(i.what) + " (" + std::string(i.kind) + ")"});
  out.push_back({"bad-input", "the scenario file could not be loaded or a check could not be configured (exit 2)"});
  out.push_back({"internal-error", "aiomc failed while checking (a bug in aiomc, exit 70)"});
  out.push_back({"verdict-differs", "a check's verdict differs from the one it expects (exit 1)"});
  out.push_back({"incomplete", "a bound was hit or the run was interrupted before the verdict was established (exit 3)"});
  return out;
}

std::size_t rule_index(const std::vector<RuleInfo>& all, const std::string& id) {
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].id == id) return i;
  return all.size();  // not reached: every id is a catalog name or one of ours
}

ojson physical(const std::string& file, int line) {
  ojson p;
  p["artifactLocation"] = ojson{{"uri", path_uri(file)}};
  if (line > 0) p["region"] = ojson{{"startLine", line}};
  return p;
}

// A location at FILE:LINE naming the JSON pointer as a logical location.
ojson location(const std::string& file, int line, const std::string& pointer) {
  ojson l;
  l["physicalLocation"] = physical(file, line);
  l["logicalLocations"] = ojson::array({ojson{{"fullyQualifiedName", pointer.empty() ? "/" : pointer}, {"kind", "object"}}});
  return l;
}

std::string expected_text(const CheckRecord& r) {
  return r.expected + (r.expected_invariant ? " " + *r.expected_invariant : "");
}

std::string check_name(const CheckRecord& r) {
  return r.check_pointer.empty() ? "the check" : "the check " + r.check_pointer;
}

ojson flow_of(const CheckRecord& r, const ViolationRecord& v) {
  ojson steps = ojson::array();
  for (std::size_t i = 0; i < v.flow.size(); ++i) {
    const FlowStep& f = v.flow[i];
    ojson loc;
    if (!f.pointer.empty()) loc["physicalLocation"] = physical(r.scenario, f.line);
    const std::string function = f.action.substr(0, f.action.find(':'));
    ojson logical = ojson::array({ojson{{"name", function}, {"fullyQualifiedName", f.action}, {"kind", "function"}}});
    if (!f.pointer.empty()) logical.push_back(ojson{{"fullyQualifiedName", f.pointer}, {"kind", "object"}});
    loc["logicalLocations"] = logical;
    loc["message"] = ojson{{"text", f.actor + ": " + f.action + (f.detail.empty() ? "" : " — " + f.detail)}};
    ojson step;
    step["location"] = loc;
    step["executionOrder"] = i;
    step["properties"] = ojson{{"step", i}, {"actor", f.actor}, {"action", f.action}, {"digest", f.digest}};
    steps.push_back(step);
  }
  ojson flow;
  flow["message"] = ojson{{"text", "the shortest counterexample for " + v.invariant + ", " + std::to_string(v.steps) + " steps"}};
  flow["threadFlows"] = ojson::array({ojson{{"locations", steps}}});
  return flow;
}

ojson result(const std::vector<RuleInfo>& all, const std::string& rule, const std::string& level,
             const std::string& text, ojson locations) {
  ojson j;
  j["ruleId"] = rule;
  j["ruleIndex"] = rule_index(all, rule);
  j["level"] = level;
  j["message"] = ojson{{"text", text}};
  j["locations"] = std::move(locations);
  return j;
}

ojson record_properties(const CheckRecord& r) {
  ojson p;
  p["variant"] = r.variant;
  p["expected"] = expected_text(r);
  p["verdict"] = r.verdict;
  p["ok"] = r.ok;
  if (!r.check_pointer.empty()) p["check"] = r.check_pointer;
  return p;
}

void add_results(const std::vector<RuleInfo>& all, const CheckRecord& r, ojson& results) {
  const std::string label = "variant " + variant_label(r.variant) + ", expected " + expected_text(r);
  if (r.verdict == "error") {
    ojson j = result(all, r.internal ? "internal-error" : "bad-input", "error", r.error,
                     ojson::array({ojson{{"physicalLocation", physical(r.scenario, r.line)}}}));
    j["properties"] = record_properties(r);
    results.push_back(j);
  }
  for (const ViolationRecord& v : r.violations) {
    ojson j = result(all, v.invariant, r.ok ? "note" : "error",
                     v.invariant + ": " + v.message + " (" + label + "; " + std::to_string(v.steps) + " steps)",
                     ojson::array({location(r.scenario, v.line, v.pointer)}));
    j["relatedLocations"] = ojson::array(
        {ojson{{"id", 1}, {"physicalLocation", physical(r.scenario, r.line)}, {"message", {{"text", check_name(r)}}}}});
    j["codeFlows"] = ojson::array({flow_of(r, v)});
    ojson p = record_properties(r);
    p["steps"] = v.steps;
    p["trace"] = v.trace_path.empty() ? ojson(nullptr) : ojson(v.trace_path);
    j["properties"] = p;
    results.push_back(j);
  }
  if (r.verdict != "error" && !r.ok && r.violations.empty()) {
    const bool incomplete = r.verdict == "incomplete";
    std::string text = check_name(r) + ": " + label + ", verdict " + r.verdict;
    if (!r.stats.bound_hit.empty()) text += " (bound hit: " + r.stats.bound_hit + ")";
    ojson j = result(all, incomplete ? "incomplete" : "verdict-differs", incomplete ? "warning" : "error", text,
                     ojson::array({location(r.scenario, r.line, r.check_pointer)}));
    j["properties"] = record_properties(r);
    results.push_back(j);
  }
}

}  // namespace

std::string path_uri(const std::string& path) {
  std::string out = path.rfind('/', 0) == 0 ? "file://" : "";
  for (unsigned char c : path) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string sarif_json_text(const std::vector<CheckRecord>& records) {
  const std::vector<RuleInfo> all = rules();
  ojson driver;
  driver["name"] = "aiomc";
  driver["version"] = kAiomcVersion;
  driver["semanticVersion"] = kAiomcVersion;
  driver["rules"] = ojson::array();
  for (const RuleInfo& r : all)
    driver["rules"].push_back(ojson{{"id", r.id}, {"shortDescription", {{"text", r.text}}}});
  ojson run;
  run["tool"] = ojson{{"driver", driver}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = ojson::array();
  for (const CheckRecord& r : records) add_results(all, r, run["results"]);
  run["properties"] = ojson{{"provenance", provenance_json(provenance())}};
  ojson doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = ojson::array({run});
  return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace aiomc::report
