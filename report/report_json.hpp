// The JSON report of `aiomc check --report FILE` (`aiomc-report/1`, cli-and-reports.md).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "report/check_record.hpp"

namespace aiomc::report {

// What the report says beside the results.
struct ReportNotes {
  std::string incomplete;  // "interrupted" when SIGINT/SIGTERM stopped the run
  std::vector<std::pair<std::string, std::string>> skipped;  // (file, why): other aiomc formats
};

std::string report_to_json_text(const std::vector<CheckRecord>& records, const ReportNotes& notes = {});

}  // namespace aiomc::report
