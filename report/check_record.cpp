#include "report/check_record.hpp"

namespace aiomc::report {

std::string verdict_name(checker::Verdict v) {
  switch (v) {
    case checker::Verdict::pass: return "pass";
    case checker::Verdict::violation: return "violation";
    case checker::Verdict::incomplete: return "incomplete";
    case checker::Verdict::error: return "error";
  }
  return "?";
}

}  // namespace aiomc::report
