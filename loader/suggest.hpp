// "Did you mean" for a mistyped id: the closest candidate by edit distance, when it
// is close enough to be a likely typo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aiomc::loader {

// Levenshtein distance (insert, delete, substitute; a swap of neighbours counts 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// "; did you mean 'X'?" for the closest candidate within max(1, |word| / 3) edits
// (case differences count as half), or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace aiomc::loader
