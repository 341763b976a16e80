// SARIF 2.1.0 (`aiomc check --sarif FILE`), what code-scanning dashboards read: one
// run whose rules are the invariant catalog plus bad-input, internal-error,
// verdict-differs and incomplete; one result per violated invariant of every check,
// located at the scenario file and the JSON pointer and line of the op blamed for it
// (report/locate.hpp), the check as a related location, and the counterexample as a
// codeFlow (one threadFlow, a location per step with its actor and kernel function).
// A violation a check expected is a "note", any other an "error". Provenance is in
// the run's properties.
#pragma once

#include <string>
#include <vector>

#include "report/check_record.hpp"

namespace aiomc::report {

std::string sarif_json_text(const std::vector<CheckRecord>& records);

// A path as a SARIF artifact URI: relative paths stay relative (to the directory
// aiomc ran in, the repository root in CI), absolute ones become file:// URIs; bytes
// outside RFC 3986's unreserved set and '/' are percent-encoded.
std::string path_uri(const std::string& path);

}  // namespace aiomc::report
