#include "report/annotate.hpp"

#include "report/variants.hpp"

namespace aiomc::report {
namespace {

std::string command(const std::string& kind, const std::string& file, int line, const std::string& title,
                    const std::string& message) {
  std::string out = "::" + kind + " file=" + github_escape_property(file);
  if (line > 0) out += ",line=" + std::to_string(line);
  out += ",title=" + github_escape_property(title) + "::" + github_escape_message(message) + "\n";
  return out;
}

std::string expected_text(const CheckRecord& r) {
  return r.expected + (r.expected_invariant ? " " + *r.expected_invariant : "");
}

}  // namespace

std::string github_escape_message(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_escape_property(const std::string& text) {
  std::string out;
  for (char c : github_escape_message(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string github_annotations(const std::vector<CheckRecord>& records) {
  std::string out;
  for (const CheckRecord& r : records) {
    if (r.ok) continue;
    const std::string label = variant_label(r.variant) + ", expected " + expected_text(r);
    if (r.verdict == "error") {
      out += command("error", r.scenario, r.line, r.internal ? "aiomc internal error" : "aiomc bad input", r.error);
      continue;
    }
    for (const ViolationRecord& v : r.violations)
      out += command("error", r.scenario, v.line, "aiomc: " + v.invariant + " violated",
                     v.message + " (" + label + "; " + std::to_string(v.steps) + " steps" +
                         (v.trace_path.empty() ? "" : ", trace " + v.trace_path) + ")");
    if (r.violations.empty()) {
      const bool incomplete = r.verdict == "incomplete";
      std::string message = label + ", verdict " + r.verdict;
      if (!r.stats.bound_hit.empty()) message += " (bound hit: " + r.stats.bound_hit + ")";
      out += command(incomplete ? "warning" : "error", r.scenario, r.line,
                     incomplete ? "aiomc: check incomplete" : "aiomc: verdict differs", message);
    }
  }
  return out;
}

}  // namespace aiomc::report
