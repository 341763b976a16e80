// The JSON of one trace step, shared by the trace writer and `run --json`.
#pragma once

#include <nlohmann/json.hpp>

#include "report/trace.hpp"

namespace aiomc::report {

// {"i", "tick"?, "actor", "choice", "action", "detail", "result"?, "digest"}
nlohmann::ordered_json trace_step_json(const TraceStep& step);

// Compact JSON text of a value; bytes that are not UTF-8 are replaced, not thrown on.
std::string compact_json(const nlohmann::ordered_json& value);

}  // namespace aiomc::report
