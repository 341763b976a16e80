// The loader's entry points: read the bytes, parse JSON (syntax errors located by
// line:column), refuse duplicate keys, read the sections, hash the file. Nothing thrown
// inside escapes: every failure becomes a LoadError.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <xxhash.h>

#include "loader/capacity.hpp"
#include "loader/json_positions.hpp"
#include "loader/json_reader.hpp"
#include "loader/scenario.hpp"
#include "loader/sections.hpp"

namespace aiomc::loader {
namespace {

using detail::json;
using detail::LoadFailure;
using detail::Node;
using detail::Reader;

constexpr std::string_view kFormat = "aiomc-scenario/1";
constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line
// L, column C: " prefix: the position is ours, computed from the byte offset.
std::string syntax_message(const json::parse_error& e) {
  const std::string what = e.what();
  const auto column = what.find("column ");
  if (column != std::string::npos) {
    const auto colon = what.find(": ", column);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  const auto bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// Arrays and objects nest at most this deep in a scenario (the deepest real one is 7):
// deeper text is refused before nlohmann builds a DOM of it.
constexpr int kMaxNesting = 64;

void check_nesting(const std::string& text, const std::string& path) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) {
        const auto at = detail::position_at_offset(text, i);
        throw LoadFailure{path + ": (line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                          "): expected arrays and objects nested at most " + std::to_string(kMaxNesting) +
                          " deep (see `aiomc list limits`), found a deeper one"};
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

json parse_json(const std::string& text, const std::string& path) {
  check_nesting(text, path);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte counts the characters read, the offending one included (1-based).
    const auto at = detail::position_at_offset(text, e.byte > 0 ? e.byte - 1 : 0);
    throw LoadFailure{path + ": (line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                      "): " + syntax_message(e)};
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("number overflow parsing '1e999'"): no byte
    // offset is given, so find the quoted token in the text.
    const std::string what = e.what();
    std::size_t offset = 0;
    if (const auto q = what.find('\''); q != std::string::npos && what.size() > q + 2)
      if (const auto found = text.find(what.substr(q + 1, what.size() - q - 2)); found != std::string::npos)
        offset = found;
    const auto at = detail::position_at_offset(text, offset);
    const auto bracket = what.find("] ");
    throw LoadFailure{path + ": (line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                      "): " + (bracket == std::string::npos ? what : what.substr(bracket + 2))};
  }
}

// Messages go to terminals and JSON reports: bytes that are not UTF-8 (from nlohmann's
// "last read: ..." or a file name) become '?', and control characters from the input
// are written as \u00XX so they never reach a terminal raw.
std::string utf8_safe(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      ++i;
      continue;
    }
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= in.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(in, i, len);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

std::string digest_of(const std::string& text) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH64(text.data(), text.size(), 0)));
  return buf;
}

Scenario read_scenario(const std::string& text, const std::string& path) {
  const json doc = parse_json(text, path);
  const auto positions = detail::PositionIndex::build(text);
  const Reader r(path, positions);

  // A key twice in one object: the DOM keeps one silently, so the text decides.
  if (!positions.duplicates().empty()) {
    const auto& d = positions.duplicates().front();
    const bool object_name = d.pointer.rfind("/objects/", 0) == 0 && d.pointer.find('/', 9) == std::string::npos;
    r.fail_at(d.pointer, d.at, object_name ? "expected unique object names, found '" + d.key + "' twice"
                                            : "expected each key once per object, found '" + d.key + "' twice");
  }

  const Node root{&doc, ""};
  if (!doc.is_object()) r.mismatch(root, "a scenario (a JSON object)");
  const Node format = r.required(root, "format", "the scenario");
  if (!format->is_string() || format->get_ref<const std::string&>() != kFormat)
    r.mismatch(format, "\"" + std::string(kFormat) + "\"");
  r.object(root, "the scenario",
           {"format", "name", "description", "config", "objects", "processes", "checks", "bounds"});

  Scenario s;
  s.path = path;
  s.name = r.name(r.required(root, "name", "the scenario"), "a scenario name");
  if (const Node d = root.get("description")) s.description = r.string(d);
  s.config = detail::read_config(r, root.get("config"));
  s.program.objects = detail::read_objects(r, root.get("objects"), s.warnings);
  s.program.processes =
      detail::read_processes(r, r.required(root, "processes", "the scenario"), s.program.objects, s.warnings);
  s.checks = detail::read_checks(r, root.get("checks"));
  s.bounds = detail::read_bounds(r, root.get("bounds"));
  detail::check_capacities(r, s);
  s.digest = digest_of(text);
  s.text = text;
  return s;
}

}  // namespace

std::variant<Scenario, LoadError> load_scenario_text(const std::string& text, const std::string& path_for_messages) {
  try {
    return read_scenario(text, path_for_messages);
  } catch (const LoadFailure& f) {
    return LoadError{utf8_safe(f.message)};
  } catch (const std::exception& e) {
    return LoadError{utf8_safe(path_for_messages + ": internal error while loading the scenario: " + e.what())};
  } catch (...) {
    return LoadError{utf8_safe(path_for_messages + ": internal error while loading the scenario")};
  }
}

std::variant<Scenario, LoadError> load_scenario_file(const std::string& path) {
  try {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return LoadError{utf8_safe(path + ": cannot read: it is a directory")};
    std::ifstream in(path, std::ios::binary);
    if (!in) return LoadError{utf8_safe(path + ": cannot read: " + std::strerror(errno))};
    // At most kMaxFileBytes: /dev/zero or a huge file is refused, not read forever.
    std::string text;
    char chunk[65536];
    while (in && text.size() <= kMaxFileBytes) {
      in.read(chunk, sizeof chunk);
      text.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) return LoadError{utf8_safe(path + ": cannot read: I/O error")};
    if (text.size() > kMaxFileBytes)
      return LoadError{utf8_safe(path + ": cannot read: larger than " + std::to_string(kMaxFileBytes >> 20) +
                                 " MiB (see `aiomc list limits`)")};
    return load_scenario_text(text, path);
  } catch (const std::exception& e) {
    return LoadError{utf8_safe(path + ": cannot read: " + e.what())};
  }
}

}  // namespace aiomc::loader
