#include "loader/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace aiomc::loader {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: three rows.
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.size() > 200) return "";  // not a typo; keeps the cost bounded
  const std::string w = lower(word);
  double best = 1e9;
  std::string_view choice;
  for (std::string_view c : candidates) {
    if (c == word) continue;
    const double d = static_cast<double>(edit_distance(w, lower(c))) + (edit_distance(word, c) > 0 ? 0.5 : 0);
    if (d < best) {
      best = d;
      choice = c;
    }
  }
  const double limit = std::max<double>(1.5, static_cast<double>(word.size()) / 3.0 + 0.5);
  if (choice.empty() || best > limit) return "";
  return "; did you mean '" + std::string(choice) + "'?";
}

}  // namespace aiomc::loader
