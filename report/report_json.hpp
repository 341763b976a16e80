// The JSON report of `aiomc check --report FILE` (`aiomc-report/1`, cli-and-reports.md).
#pragma once

#include <string>
#include <vector>

#include "report/check_record.hpp"

namespace aiomc::report {

std::string report_to_json_text(const std::vector<CheckRecord>& records);

}  // namespace aiomc::report
