// What a step changed, from Model::describe() before and after it ("path = value"
// lines): the field changes shown under each step by `replay` and the
// message-sequence view.
#pragma once

#include <string>
#include <vector>

namespace aiomc::report {

struct FieldChange {
  enum class Kind { changed, added, removed };
  Kind kind = Kind::changed;
  std::string path;
  std::string before;  // empty for added
  std::string after;   // empty for removed
};

// Changed and added fields in the order of `after`, then removed ones in the order of
// `before`. A line without " = " is taken as a path with an empty value.
std::vector<FieldChange> diff_states(const std::vector<std::string>& before,
                                     const std::vector<std::string>& after);

// "app.kaio_count: 0 → 1", "+ job.a = JOBQGLOBAL ...", "- job.a (was JOBFINISHED ...)".
std::string format_change(const FieldChange& change);

}  // namespace aiomc::report
