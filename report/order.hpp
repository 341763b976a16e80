// An ORDER for `aiomc reproduce` (docs/order-format.md): the kernel events a bug
// report describes and the order between them. Two ways to write one:
//  - `aiomc-order/1` JSON: events (actor or pattern, kernel function, optional
//    section, optional n-th occurrence, optional state condition) with "before"
//    edges between them, or "sequence": true for each event before the next;
//  - text: one `<actor> <function>[:section]` per line, `#` comments, a sequence.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model.hpp"

namespace aiomc::report {

struct OrderEvent {
  std::string id;      // "e1" ... unless named
  std::string actor;   // a name or pattern (report/step_match.hpp)
  std::string action;  // "function" or "function:section"
  int nth = 1;         // the n-th step of this actor and action (counted from the start)
  // Optional: after the step, a line of Model::describe whose field is `state_path`
  // has a value containing `state_contains` ("knote#0" contains "INFLUX").
  std::string state_path, state_contains;
  std::string where;   // "/events/2" or "line 7", for messages
  std::string text() const;  // "app/closer kqueue_close:scan (2nd)"
};

struct Order {
  std::string path;
  std::string description;
  std::vector<OrderEvent> events;
  std::vector<std::pair<int, int>> before;  // (a, b): event a happens before event b
};

inline constexpr int kMaxOrderEvents = 64;

// Reads an ORDER file (JSON when its first non-blank character is `{`, else the text
// format) and checks its names against the scenario's model. Returns "" or a message
// for exit 2 naming the file and the JSON pointer or line.
std::string read_order_file(const std::string& path, const model::Model& m, Order& out);
std::string parse_order_text(const std::string& text, const std::string& path, const model::Model& m, Order& out);

}  // namespace aiomc::report
