// Reading a trace back: JSON syntax errors by line and column, every other problem by
// the JSON pointer of the value at fault. Unknown keys are allowed (later versions
// may add fields); missing or mistyped ones are not.
#include <nlohmann/json.hpp>

#include "report/files.hpp"
#include "report/trace.hpp"

namespace aiomc::report {
namespace {

using json = nlohmann::json;

struct Malformed {
  std::string message;  // "/pointer: expected ..., found ..."
};

std::string found(const json& j) {
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

[[noreturn]] void mismatch(const std::string& ptr, const json& j, const std::string& expected) {
  throw Malformed{(ptr.empty() ? "/" : ptr) + ": expected " + expected + ", found " + found(j)};
}

// The keys read here contain no '/' or '~', so they need no escaping in a pointer.
std::string key_pointer(const std::string& ptr, const std::string& key) {
  return ptr + "/" + key;
}

const json& required(const json& obj, const std::string& ptr, const std::string& key) {
  auto it = obj.find(key);
  if (it == obj.end()) throw Malformed{(ptr.empty() ? "/" : ptr) + ": missing key '" + key + "'"};
  return *it;
}

std::string string_at(const json& obj, const std::string& ptr, const std::string& key) {
  const json& v = required(obj, ptr, key);
  if (!v.is_string()) mismatch(key_pointer(ptr, key), v, "a string");
  return v.get<std::string>();
}

std::int64_t integer_at(const json& obj, const std::string& ptr, const std::string& key) {
  const json& v = required(obj, ptr, key);
  if (!v.is_number_integer()) mismatch(key_pointer(ptr, key), v, "an integer");
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX)
    mismatch(key_pointer(ptr, key), v, "an integer below 2^63");
  return v.get<std::int64_t>();
}

std::string digest_at(const json& obj, const std::string& ptr, const std::string& key) {
  std::string d = string_at(obj, ptr, key);
  bool ok = d.size() == 16;
  for (char c : d) ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok) mismatch(key_pointer(ptr, key), required(obj, ptr, key), "16 lowercase hex digits");
  return d;
}

void require_object(const json& j, const std::string& ptr, const std::string& what) {
  if (!j.is_object()) mismatch(ptr, j, what + " (a JSON object)");
}

TraceStep read_step(const json& j, const std::string& ptr, int index) {
  require_object(j, ptr, "a step");
  TraceStep s;
  s.i = static_cast<int>(integer_at(j, ptr, "i"));
  if (s.i != index) mismatch(ptr + "/i", j["i"], std::to_string(index) + " (the step's index)");
  s.actor = string_at(j, ptr, "actor");
  s.choice = integer_at(j, ptr, "choice");
  s.action = string_at(j, ptr, "action");
  s.detail = string_at(j, ptr, "detail");
  s.digest = digest_at(j, ptr, "digest");
  if (j.contains("tick")) s.tick = integer_at(j, ptr, "tick");
  if (j.contains("result")) s.result = string_at(j, ptr, "result");
  return s;
}

std::optional<TraceViolation> read_violation(const json& root, std::size_t nsteps) {
  const json& v = required(root, "", "violation");
  if (v.is_null()) return std::nullopt;
  require_object(v, "/violation", "null or a violation");
  TraceViolation out;
  out.invariant = string_at(v, "/violation", "invariant");
  const std::int64_t step = integer_at(v, "/violation", "step");
  if (step < 0 || step > static_cast<std::int64_t>(nsteps))
    mismatch("/violation/step", v["step"], "a step index from 0 to " + std::to_string(nsteps));
  out.step = static_cast<int>(step);
  out.message = string_at(v, "/violation", "message");
  out.quiescent = out.step == static_cast<int>(nsteps);
  if (v.contains("quiescent")) {
    // Redundant with `step` (the state after the last step is the quiescent one).
    const json& q = v["quiescent"];
    if (!q.is_boolean() || q.get<bool>() != out.quiescent)
      mismatch("/violation/quiescent", q,
               out.quiescent ? "true (step is the number of steps)"
                             : "false (step is below the number of steps)");
  }
  return out;
}

void read_header(const json& root, Trace& t) {
  require_object(root, "", "a trace");
  const json& format = required(root, "", "format");
  if (format != "aiomc-trace/1") mismatch("/format", format, "\"aiomc-trace/1\"");
  t.scenario = string_at(root, "", "scenario");
  if (root.contains("scenario_from_trace")) t.scenario_from_trace = string_at(root, "", "scenario_from_trace");
  t.scenario_digest = digest_at(root, "", "scenario_digest");
  const json& variant = required(root, "", "variant");
  if (!variant.is_array()) mismatch("/variant", variant, "a list of variant ids");
  for (std::size_t i = 0; i < variant.size(); ++i) {
    if (!variant[i].is_string())
      mismatch("/variant/" + std::to_string(i), variant[i], "a variant id");
    t.variant.push_back(variant[i].get<std::string>());
  }
  const json& seed = required(root, "", "seed");
  if (!seed.is_null() && !seed.is_number_unsigned() && !(seed.is_number_integer() && seed >= 0))
    mismatch("/seed", seed, "null or a seed (an integer >= 0)");
  if (!seed.is_null()) t.seed = seed.get<std::uint64_t>();
  t.initial_digest = digest_at(root, "", "initial_digest");
  const json& minimal = required(root, "", "minimal");
  if (!minimal.is_boolean()) mismatch("/minimal", minimal, "true or false");
  t.minimal = minimal.get<bool>();
  // Optional (traces before issue 15 have none); unknown keys inside are allowed.
  if (root.contains("provenance")) {
    const json& p = root["provenance"];
    require_object(p, "/provenance", "the provenance");
    t.provenance = Provenance{string_at(p, "/provenance", "aiomc_version"), string_at(p, "/provenance", "git_revision"),
                              string_at(p, "/provenance", "catalog_digest")};
  }
}

std::string syntax_error(const std::string& text, const json::parse_error& e) {
  std::size_t line = 1, column = 1;
  const std::size_t end = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string what = e.what();
  const auto colon = what.find(": ", what.find("column"));
  if (colon != std::string::npos) what = what.substr(colon + 2);
  return "(line " + std::to_string(line) + ", column " + std::to_string(column) + "): " + what;
}

}  // namespace

std::string parse_trace_text(const std::string& text, const std::string& path_for_messages,
                             Trace& out) {
  out = Trace{};
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    return path_for_messages + ": " + syntax_error(text, e);
  }
  try {
    read_header(root, out);
    const json& steps = required(root, "", "steps");
    if (!steps.is_array()) mismatch("/steps", steps, "a list of steps");
    for (std::size_t i = 0; i < steps.size(); ++i)
      out.steps.push_back(read_step(steps[i], "/steps/" + std::to_string(i), static_cast<int>(i)));
    out.violation = read_violation(root, out.steps.size());
    if (root.contains("loop_start")) {
      const json& ls = root["loop_start"];
      if (!ls.is_number_integer() || ls.get<std::int64_t>() < 0 || ls.get<std::int64_t>() > static_cast<std::int64_t>(out.steps.size()))
        mismatch("/loop_start", ls, "the index of the cycle's first step, from 0 to " + std::to_string(out.steps.size()));
      if (!out.violation) mismatch("/violation", root["violation"], "the liveness violation the lasso shows");
      out.loop_start = static_cast<int>(ls.get<std::int64_t>());
    }
  } catch (const Malformed& m) {
    return path_for_messages + ": " + m.message;
  }
  return "";
}

std::string read_trace_file(const std::string& path, Trace& out) {
  std::string text;
  const std::string err = read_text_file(path, text);
  if (!err.empty()) return err;
  return parse_trace_text(text, path, out);
}

}  // namespace aiomc::report
