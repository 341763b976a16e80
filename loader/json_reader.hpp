// Reading the scenario DOM with messages that name the file, the JSON pointer and the
// line:column of the offending value. Every check that fails throws LoadFailure, which
// only the public entry points (scenario_loader.cpp) catch.
#pragma once

#include <cstdint>
#include <vector>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "loader/json_pointer.hpp"
#include "loader/json_positions.hpp"

namespace aiomc::loader::detail {

using json = nlohmann::ordered_json;  // keeps object order: descriptor numbers depend on it (S9)

struct LoadFailure {
  std::string message;
};

// A value of the DOM together with its pointer. `value == nullptr`: the key is absent
// (the pointer is then where it would be).
struct Node {
  const json* value = nullptr;
  std::string ptr;

  explicit operator bool() const { return value != nullptr; }
  const json& operator*() const { return *value; }
  const json* operator->() const { return value; }
  Node get(std::string_view key) const;  // absent unless this is an object with `key`
  Node at(std::size_t index) const;      // this must be an array with index < size
};

// "string \"abc\"", "integer -3", "an array", ... for "found ..." in messages.
std::string describe(const json& j);
// "a, b, c" for message lists.
std::string join(const std::vector<std::string_view>& words);

class Reader {
 public:
  Reader(std::string file, const PositionIndex& positions) : file_(std::move(file)), positions_(positions) {}

  const std::string& file() const { return file_; }

  // "FILE: /ptr (line L, column C)" at the value (or, if absent, its nearest ancestor).
  std::string where(const std::string& ptr) const;
  [[noreturn]] void fail(const std::string& ptr, const std::string& what) const;
  // As fail(), positioned at the member's key rather than its value.
  [[noreturn]] void fail_at_key(const std::string& ptr, const std::string& what) const;
  // As fail(), at an explicit position.
  [[noreturn]] void fail_at(const std::string& ptr, TextPos at, const std::string& what) const;
  // "FILE: /ptr: what" (warnings carry no position).
  std::string warning(const std::string& ptr, const std::string& what) const;

  // `n` must be an object (called `what` in messages) with only `allowed` keys.
  void object(const Node& n, std::string_view what, const std::vector<std::string_view>& allowed) const;
  // The member `key` of object `n`; an error if it is absent.
  Node required(const Node& n, std::string_view key, std::string_view what) const;

  std::string string(const Node& n) const;
  std::string name(const Node& n, std::string_view what) const;  // a non-empty string
  bool boolean(const Node& n) const;
  std::int64_t integer(const Node& n, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                       std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
  double number(const Node& n) const;  // any JSON number
  void array(const Node& n, std::string_view what) const;

  // "expected EXPECTED, found <describe(value)>" at n.
  [[noreturn]] void mismatch(const Node& n, std::string_view expected) const;
  // As above, with "; did you mean 'X'?" when n is a string close to one of `candidates`.
  [[noreturn]] void mismatch(const Node& n, std::string_view expected,
                             const std::vector<std::string_view>& candidates) const;

 private:
  std::string file_;
  const PositionIndex& positions_;
};

}  // namespace aiomc::loader::detail
