// JUnit XML for CI (`aiomc check --junit FILE`): one <testsuite> per scenario file,
// one <testcase> per scenario × check (classname: the scenario's path; name: the
// variant ids and the expected verdict), a <failure> when the verdict is not the
// expected one, with the invariants, messages and trace paths.
#pragma once

#include <string>
#include <vector>

#include "report/check_record.hpp"

namespace aiomc::report {

std::string junit_xml(const std::vector<CheckRecord>& records);

// Text made safe for XML character data and attribute values; characters XML 1.0
// forbids (controls other than tab, newline, carriage return) become '?'.
std::string xml_escape(const std::string& text);

}  // namespace aiomc::report
