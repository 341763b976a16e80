// `aiomc reproduce`'s search: breadth-first over the product of the model with a
// monitor of an ORDER (report/order.hpp), for the shortest schedule in which every
// event happens in an order the ORDER allows and, if any such schedule has one, an
// invariant is violated (at the step that completes the order or after it).
//
// The monitor: an event happens at the first step (of a matching actor and
// function/section, at its n-th such step, with its state condition true in the
// state after the step) taken once every event before it has happened; a step makes
// at most one event happen (the first such event in the ORDER's list). A violation
// before the order is complete does not end the path: the search goes on along it
// (a state the model finds inconsistent past the violation ends it), and the order
// completed after it is reproduced with the first violation where it happened.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "report/order.hpp"

namespace aiomc::report {

struct OrderSearchOptions {
  std::uint64_t max_states = 2000000;
};

enum class OrderVerdict {
  reproduced,  // the order happens and an invariant is violated
  reached,     // the order happens, never with a violation
  impossible,  // no schedule has the order
  bound,       // max_states hit first
};

struct OrderSearchResult {
  OrderVerdict verdict = OrderVerdict::impossible;
  // reproduced / reached: the schedule (choices from the initial state);
  // impossible / bound: the shortest schedule to the state where most events happened.
  std::vector<std::uint8_t> choices;
  model::Inv invariant{};        // reproduced: the first violated invariant
  std::vector<model::Inv> violated;  // reproduced: every invariant violated there
  bool quiescent = false;        // reproduced: violated in the state after the last step
  int violation_step = -1;       // reproduced: the first violating step (choices.size() if quiescent)
  // Along `choices`: the events that happened and at which step (0-based).
  std::vector<int> events, event_steps;
  // impossible / bound: for the first event that could not happen, what the model says.
  int first_missing = -1;
  std::vector<std::string> reasons;
  std::uint64_t states = 0, transitions = 0;
};

OrderSearchResult search_order(const model::Model& m, const Order& order, const OrderSearchOptions& opts);

}  // namespace aiomc::report
