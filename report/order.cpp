#include "report/order.hpp"

#include <nlohmann/json.hpp>

#include "report/files.hpp"
#include "report/step_match.hpp"

namespace aiomc::report {
namespace {

using json = nlohmann::json;

struct Bad {
  std::string message;
};

std::string ordinal(int n) {
  const int t = n % 100;
  const char* suffix = (t >= 11 && t <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

std::string found(const json& j) {
  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

const json* member(const json& obj, const std::string& ptr, const std::string& key, const char* expected,
                   bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) throw Bad{ptr + "/" + key + ": missing, expected " + expected};
    return nullptr;
  }
  return &*it;
}

std::string string_member(const json& obj, const std::string& ptr, const std::string& key, bool required) {
  const json* v = member(obj, ptr, key, "a string", required);
  if (!v) return "";
  if (!v->is_string() || v->get<std::string>().empty())
    throw Bad{ptr + "/" + key + ": expected a non-empty string, found " + found(*v)};
  return v->get<std::string>();
}

// Checks an event's names against the model.
void check_names(const model::Model& m, const OrderEvent& e, const std::string& where) {
  if (actors_named(m, e.actor).empty()) {
    std::string names;
    for (int a = 0; a < m.actor_count(); ++a) names += (names.empty() ? "" : ", ") + m.actor_name(a);
    throw Bad{where + ": `" + e.actor + "` names no actor of the scenario (actors: " + names + ")"};
  }
  if (!action_known(e.action))
    throw Bad{where + ": `" + e.action + "` is not a kernel function or function:section of the steps table (aiomc list steps)"};
}

void parse_json(const json& doc, const model::Model& m, Order& out) {
  if (!doc.is_object()) throw Bad{"/: expected an object, found " + found(doc)};
  const std::string format = string_member(doc, "", "format", true);
  if (format != "aiomc-order/1") throw Bad{"/format: expected \"aiomc-order/1\", found " + found(doc["format"])};
  out.description = doc.contains("description") ? string_member(doc, "", "description", false) : "";
  const json* events = member(doc, "", "events", "an array of events", true);
  if (!events->is_array() || events->empty())
    throw Bad{"/events: expected a non-empty array of events, found " + found(*events)};
  if (events->size() > kMaxOrderEvents)
    throw Bad{"/events: at most " + std::to_string(kMaxOrderEvents) + " events, found " + std::to_string(events->size())};
  for (std::size_t i = 0; i < events->size(); ++i) {
    const std::string ptr = "/events/" + std::to_string(i);
    const json& ej = (*events)[i];
    if (!ej.is_object()) throw Bad{ptr + ": expected an object, found " + found(ej)};
    OrderEvent e;
    e.where = ptr;
    e.id = ej.contains("id") ? string_member(ej, ptr, "id", false) : "e" + std::to_string(i + 1);
    e.actor = string_member(ej, ptr, "actor", true);
    e.action = string_member(ej, ptr, "function", true);
    if (ej.contains("step")) {
      if (e.action.find(':') != std::string::npos)
        throw Bad{ptr + "/step: the function already names a section (" + e.action + ")"};
      e.action += ":" + string_member(ej, ptr, "step", false);
    }
    if (const json* n = member(ej, ptr, "n", "", false)) {
      if (!n->is_number_integer() || n->get<std::int64_t>() < 1 || n->get<std::int64_t>() > 255)
        throw Bad{ptr + "/n: expected an integer from 1 to 255, found " + found(*n)};
      e.nth = n->get<int>();
    }
    if (const json* st = member(ej, ptr, "state", "", false)) {
      if (!st->is_object()) throw Bad{ptr + "/state: expected an object {\"field\", \"contains\"}, found " + found(*st)};
      e.state_path = string_member(*st, ptr + "/state", "field", true);
      e.state_contains = string_member(*st, ptr + "/state", "contains", true);
    }
    check_names(m, e, ptr);
    for (const OrderEvent& other : out.events)
      if (other.id == e.id) throw Bad{ptr + "/id: `" + e.id + "` names two events"};
    out.events.push_back(std::move(e));
  }
  auto index_of = [&](const json& v, const std::string& ptr) {
    if (v.is_string())
      for (std::size_t i = 0; i < out.events.size(); ++i)
        if (out.events[i].id == v.get<std::string>()) return static_cast<int>(i);
    throw Bad{ptr + ": expected the id of an event, found " + found(v)};
  };
  bool sequence = false;
  if (const json* sq = member(doc, "", "sequence", "", false)) {
    if (!sq->is_boolean()) throw Bad{"/sequence: expected true or false, found " + found(*sq)};
    sequence = sq->get<bool>();
  }
  if (sequence)
    for (std::size_t i = 1; i < out.events.size(); ++i) out.before.emplace_back(static_cast<int>(i - 1), static_cast<int>(i));
  if (const json* b = member(doc, "", "before", "", false)) {
    if (!b->is_array()) throw Bad{"/before: expected an array of [earlier, later] id pairs, found " + found(*b)};
    for (std::size_t i = 0; i < b->size(); ++i) {
      const std::string ptr = "/before/" + std::to_string(i);
      const json& pair = (*b)[i];
      if (!pair.is_array() || pair.size() != 2) throw Bad{ptr + ": expected [earlier, later], found " + found(pair)};
      const int a = index_of(pair[0], ptr + "/0"), c = index_of(pair[1], ptr + "/1");
      if (a == c) throw Bad{ptr + ": an event cannot happen before itself"};
      out.before.emplace_back(a, c);
    }
  }
  // A cycle can never be satisfied: refuse it as bad input.
  const std::size_t n = out.events.size();
  std::vector<int> indeg(n, 0);
  for (auto [a, c] : out.before) indeg[static_cast<std::size_t>(c)]++;
  std::vector<int> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (indeg[i] == 0) ready.push_back(static_cast<int>(i));
  std::size_t seen = 0;
  while (!ready.empty()) {
    const int x = ready.back();
    ready.pop_back();
    ++seen;
    for (auto [a, c] : out.before)
      if (a == x && --indeg[static_cast<std::size_t>(c)] == 0) ready.push_back(c);
  }
  if (seen != n) throw Bad{"/before: the edges make a cycle"};
}

// One line of the text format: the first word that names an actor (or
// actor:function[:section]), then the first word after it that names a kernel
// function; other words (step numbers, ticks, details pasted from a log) are skipped.
bool parse_line(const model::Model& m, std::string line, OrderEvent& e) {
  const std::size_t hash = line.find('#');
  if (hash != std::string::npos) line.erase(hash);
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) {
      std::string w = line.substr(i, j - i);
      while (!w.empty() && (w.back() == ',' || w.back() == ';' || w.back() == ')' || w.back() == '(')) w.pop_back();
      if (!w.empty()) words.push_back(w);
    }
    i = j;
  }
  if (words.empty()) return false;
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string& w = words[k];
    // The longest prefix of the word (cut at a ':') naming an actor.
    for (std::size_t cut = w.size();;) {
      if (!actors_named(m, w.substr(0, cut)).empty()) {
        e.actor = w.substr(0, cut);
        if (cut < w.size()) {
          e.action = w.substr(cut + 1);
          if (!action_known(e.action)) throw Bad{"`" + e.action + "` is not a kernel function or function:section of the steps table"};
          return true;
        }
        for (std::size_t f = k + 1; f < words.size(); ++f)
          if (action_known(words[f])) {
            e.action = words[f];
            return true;
          }
        throw Bad{"after the actor `" + e.actor + "`, no word names a kernel function or function:section of the steps table"};
      }
      const std::size_t colon = cut == 0 ? std::string::npos : w.rfind(':', cut - 1);
      if (colon == std::string::npos) break;
      cut = colon;
    }
  }
  throw Bad{"no word names an actor of the scenario"};
}

}  // namespace

std::string OrderEvent::text() const {
  std::string out = actor + " " + action;
  if (nth > 1) out += " (" + ordinal(nth) + ")";
  if (!state_path.empty()) out += " with " + state_path + " ∋ " + state_contains;
  return out;
}

std::string parse_order_text(const std::string& text, const std::string& path, const model::Model& m, Order& out) {
  out = Order{};
  out.path = path;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::parse_error& e) {
      std::size_t line = 1, column = 1;
      for (std::size_t k = 0; k < text.size() && k + 1 < e.byte; ++k) {
        if (text[k] == '\n') {
          ++line;
          column = 1;
        } else {
          ++column;
        }
      }
      return path + " (line " + std::to_string(line) + ", column " + std::to_string(column) + "): not JSON: " + e.what();
    }
    try {
      parse_json(doc, m, out);
    } catch (const Bad& b) {
      return path + ": " + b.message;
    }
    return "";
  }
  std::size_t start = 0;
  for (int line = 1; start <= text.size(); ++line) {
    const std::size_t nl = text.find('\n', start);
    const std::string l = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    OrderEvent e;
    try {
      if (parse_line(m, l, e)) {
        e.where = "line " + std::to_string(line);
        e.id = "e" + std::to_string(out.events.size() + 1);
        if (out.events.size() >= static_cast<std::size_t>(kMaxOrderEvents))
          throw Bad{"at most " + std::to_string(kMaxOrderEvents) + " events"};
        if (!out.events.empty())
          out.before.emplace_back(static_cast<int>(out.events.size()) - 1, static_cast<int>(out.events.size()));
        out.events.push_back(std::move(e));
      }
    } catch (const Bad& b) {
      return path + ": line " + std::to_string(line) + ": " + b.message;
    }
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  if (out.events.empty()) return path + ": no events (expected `<actor> <function>[:section]` lines or an aiomc-order/1 JSON object)";
  return "";
}

std::string read_order_file(const std::string& path, const model::Model& m, Order& out) {
  std::string text;
  const std::string problem = read_text_file(path, text);
  if (!problem.empty()) return problem;
  return parse_order_text(text, path, m, out);
}

}  // namespace aiomc::report
