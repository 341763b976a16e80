#include "report/junit.hpp"

#include <cstdio>

#include "report/provenance.hpp"
#include "report/variants.hpp"

namespace aiomc::report {
namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s < 0 ? 0.0 : s);
  return buf;
}

std::string expected_text(const CheckRecord& r) {
  std::string e = r.expected;
  if (r.expected_invariant) e += " " + *r.expected_invariant;
  return e;
}

std::string failure_body(const CheckRecord& r) {
  std::string body = "expected " + expected_text(r) + ", verdict " + r.verdict;
  if (!r.stats.bound_hit.empty()) body += " (bound hit: " + r.stats.bound_hit + ")";
  body += "\n";
  for (const ViolationRecord& v : r.violations) {
    body += v.invariant + ": " + v.message + " (" + std::to_string(v.steps) + " steps";
    if (!v.trace_path.empty()) body += ", trace " + v.trace_path;
    body += ")\n";
  }
  return body;
}

bool is_error(const CheckRecord& r) { return r.verdict == "error"; }

std::string testcase(const CheckRecord& r) {
  std::string name = variant_label(r.variant) + " expect " + expected_text(r);
  std::string out = "    <testcase classname=\"" + xml_escape(r.scenario) + "\" name=\"" +
                    xml_escape(name) + "\" time=\"" + seconds_text(r.stats.seconds) + "\"";
  if (r.ok) return out + "/>\n";
  if (is_error(r)) {
    const std::string type = r.internal ? "internal" : "input";
    std::string body = r.error + "\n";
    if (!r.error_trace.empty()) body += "trace up to the failing state: " + r.error_trace + "\n";
    return out + ">\n      <error type=\"" + type + "\" message=\"" + xml_escape(r.error) + "\">" +
           xml_escape(body) + "</error>\n    </testcase>\n";
  }
  const std::string type = r.verdict == "incomplete" ? "incomplete" : "verdict";
  out += ">\n      <failure type=\"" + type + "\" message=\"" +
         xml_escape("expected " + expected_text(r) + ", verdict " + r.verdict) + "\">";
  out += xml_escape(failure_body(r)) + "</failure>\n    </testcase>\n";
  return out;
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') ? '?' : ch;
    }
  }
  return out;
}

std::string junit_xml(const std::vector<CheckRecord>& records) {
  std::size_t failures = 0, errors = 0;
  double seconds = 0;
  for (const CheckRecord& r : records) {
    failures += !r.ok && !is_error(r);
    errors += is_error(r);
    seconds += r.stats.seconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"aiomc check\" tests=\"" + std::to_string(records.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
         "\" time=\"" + seconds_text(seconds) + "\">\n";
  // Which aiomc ran the checks, as each suite's properties.
  const Provenance p = provenance();
  const std::string properties = "    <properties>\n      <property name=\"aiomc_version\" value=\"" +
                                 xml_escape(p.aiomc_version) + "\"/>\n      <property name=\"git_revision\" value=\"" +
                                 xml_escape(p.git_revision) + "\"/>\n      <property name=\"catalog_digest\" value=\"" +
                                 xml_escape(p.catalog_digest) + "\"/>\n    </properties>\n";
  for (std::size_t i = 0; i < records.size();) {
    std::size_t end = i, suite_failures = 0, suite_errors = 0;
    double suite_seconds = 0;
    for (; end < records.size() && records[end].scenario == records[i].scenario; ++end) {
      suite_failures += !records[end].ok && !is_error(records[end]);
      suite_errors += is_error(records[end]);
      suite_seconds += records[end].stats.seconds;
    }
    out += "  <testsuite name=\"" + xml_escape(records[i].scenario) + "\" tests=\"" +
           std::to_string(end - i) + "\" failures=\"" + std::to_string(suite_failures) +
           "\" errors=\"" + std::to_string(suite_errors) + "\" time=\"" + seconds_text(suite_seconds) + "\">\n";
    out += properties;
    for (; i < end; ++i) out += testcase(records[i]);
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace aiomc::report
