// CI annotations (`aiomc check --annotate github`): GitHub Actions workflow commands
// on stdout, one per problem, at the scenario file and line the loader knows:
//   ::error file=F,line=L,title=T::MESSAGE
// for an unexpected violation (at the op blamed for it, report/locate.hpp), a verdict
// that differs (at the check), a file that could not be loaded (at the line its
// message names) and an internal error; ::warning for an incomplete check.
// Checks that are as expected (expected violations included) print nothing.
#pragma once

#include <string>
#include <vector>

#include "report/check_record.hpp"

namespace aiomc::report {

std::string github_annotations(const std::vector<CheckRecord>& records);

// GitHub's escapes: for the message %, CR and LF; for a property also ':' and ','.
std::string github_escape_message(const std::string& text);
std::string github_escape_property(const std::string& text);

}  // namespace aiomc::report
