// Building RFC 6901 JSON pointers ("/processes/0/threads/1/ops/3/fd"). The position
// index and the schema reader build pointers with these same functions, so a pointer
// made while reading the DOM finds the position the scanner recorded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace aiomc::loader::detail {

// "~" is written "~0" and "/" is written "~1" inside a reference token (RFC 6901 §3).
inline std::string pointer_child(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out.reserve(out.size() + key.size() + 1);
  out += '/';
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

inline std::string pointer_child(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out += '/';
  out += std::to_string(index);
  return out;
}

}  // namespace aiomc::loader::detail
