// The scenario's words: op names and their argument keys, kevent flag, filter and
// notify names, invariant ids. Tables only; no JSON here.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "model/program.hpp"

namespace aiomc::loader::detail {

struct OpSpec {
  std::string_view name;
  model::OpKind kind;
  std::vector<std::string_view> keys;  // every key the op accepts, "op"/"expect"/"label" included
};

const OpSpec* find_op(std::string_view name);  // nullptr for an unknown op name
std::string_view op_names_list();              // "aio_read, aio_write, ..." for messages
std::vector<std::string_view> op_names();      // the same, one per entry (for "did you mean")
std::vector<std::string_view> invariant_ids();
std::vector<std::string_view> filter_names();  // EVFILT_AIO, EVFILT_LIO, EVFILT_READ

// kevent change flags that a scenario may set.
std::optional<std::uint16_t> change_flag(std::string_view name);
// Flag names an event expectation may list (the change flags plus EV_EOF, EV_ERROR).
bool event_flag_known(std::string_view name);

model::Filter filter_from_name(std::string_view name);  // unknown names: Filter::other
model::Notify notify_from_name(std::string_view name);  // unknown names: Notify::other

// invariants-and-variants.md, "Invariants" (kept here until the model's catalog lands).
bool invariant_known(std::string_view id);

}  // namespace aiomc::loader::detail
