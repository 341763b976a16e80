#include "loader/json_reader.hpp"

#include <algorithm>

#include "loader/suggest.hpp"

namespace aiomc::loader::detail {

Node Node::get(std::string_view key) const {
  Node child{nullptr, pointer_child(ptr, key)};
  if (value && value->is_object()) {
    const auto it = value->find(key);
    if (it != value->end()) child.value = &*it;
  }
  return child;
}

Node Node::at(std::size_t index) const { return Node{&(*value)[index], pointer_child(ptr, index)}; }

std::string describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return j.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: return "integer " + std::to_string(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return "integer " + std::to_string(j.get<std::uint64_t>());
    case json::value_t::number_float: return "number " + j.dump();
    case json::value_t::object: return j.empty() ? "an empty object" : "an object";
    case json::value_t::array: return j.empty() ? "an empty array" : "an array";
    case json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (s.size() <= 40) return "string \"" + s + "\"";
      std::size_t cut = 40;
      while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole characters only
      return "string \"" + s.substr(0, cut) + "...\"";
    }
    default: return "a value of another kind";
  }
}

std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

namespace {
std::string located(const std::string& file, const std::string& ptr, TextPos at) {
  std::string out = file + ": ";
  if (!ptr.empty()) out += ptr + " ";
  out += "(line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ")";
  return out;
}
}  // namespace

std::string Reader::where(const std::string& ptr) const { return located(file_, ptr, positions_.nearest(ptr)); }

void Reader::fail(const std::string& ptr, const std::string& what) const {
  throw LoadFailure{where(ptr) + ": " + what};
}

void Reader::fail_at(const std::string& ptr, TextPos at, const std::string& what) const {
  throw LoadFailure{located(file_, ptr, at) + ": " + what};
}

void Reader::fail_at_key(const std::string& ptr, const std::string& what) const {
  const std::optional<TextPos> at = positions_.key(ptr);
  if (!at) fail(ptr, what);
  fail_at(ptr, *at, what);
}

std::string Reader::warning(const std::string& ptr, const std::string& what) const {
  return file_ + ": " + ptr + ": " + what;
}

void Reader::mismatch(const Node& n, std::string_view expected) const {
  fail(n.ptr, "expected " + std::string(expected) + ", found " + describe(*n));
}

void Reader::mismatch(const Node& n, std::string_view expected, const std::vector<std::string_view>& candidates) const {
  std::string hint;
  if (n->is_string()) hint = did_you_mean(n->get_ref<const std::string&>(), candidates);
  fail(n.ptr, "expected " + std::string(expected) + ", found " + describe(*n) + hint);
}

void Reader::object(const Node& n, std::string_view what,
                    const std::vector<std::string_view>& allowed) const {
  if (!n->is_object()) mismatch(n, std::string(what) + " (a JSON object)");
  for (const auto& [key, value] : n->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string expected = allowed.size() == 0 ? "no keys" : "one of: " + join(allowed);
    fail_at_key(pointer_child(n.ptr, key),
                "unknown key '" + key + "' in " + std::string(what) + "; expected " + expected +
                    did_you_mean(key, allowed));
  }
}

Node Reader::required(const Node& n, std::string_view key, std::string_view what) const {
  Node child = n.get(key);
  if (!child)
    fail(child.ptr, "expected key '" + std::string(key) + "' in " + std::string(what) +
                        ", found it missing");
  return child;
}

std::string Reader::string(const Node& n) const {
  if (!n->is_string()) mismatch(n, "a string");
  return n->get<std::string>();
}

std::string Reader::name(const Node& n, std::string_view what) const {
  if (!n->is_string() || n->get_ref<const std::string&>().empty())
    mismatch(n, std::string(what) + " (a non-empty string)");
  // Names reach file names, terminals and reports: no control characters (NUL included).
  for (char c : n->get_ref<const std::string&>())
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      mismatch(n, std::string(what) + " without control characters");
  return n->get<std::string>();
}

bool Reader::boolean(const Node& n) const {
  if (!n->is_boolean()) mismatch(n, "true or false");
  return n->get<bool>();
}

std::int64_t Reader::integer(const Node& n, std::int64_t min, std::int64_t max) const {
  std::string expected = "an integer";
  if (min == 0 && max == std::numeric_limits<std::int64_t>::max())
    expected = "a non-negative integer";
  else if (min == 1 && max == std::numeric_limits<std::int64_t>::max())
    expected = "a positive integer";
  else if (min != std::numeric_limits<std::int64_t>::min() || max != std::numeric_limits<std::int64_t>::max())
    expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (n->is_number_unsigned()) {
    const auto u = n->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(u) < min) mismatch(n, expected);
    return static_cast<std::int64_t>(u);
  }
  if (!n->is_number_integer()) mismatch(n, expected);
  const auto v = n->get<std::int64_t>();
  if (v < min || v > max) mismatch(n, expected);
  return v;
}

double Reader::number(const Node& n) const {
  if (!n->is_number()) mismatch(n, "a number");
  return n->get<double>();
}

void Reader::array(const Node& n, std::string_view what) const {
  if (!n->is_array()) mismatch(n, std::string(what) + " (a JSON array)");
}

}  // namespace aiomc::loader::detail
