// One op of a thread (scenario-format.md "Threads and ops" and its tables; defaults S10)
// and its "expect" (the op-expect invariant's input).
#pragma once

#include "loader/json_reader.hpp"
#include "loader/op_fields.hpp"
#include "model/program.hpp"

namespace aiomc::loader::detail {

model::Op read_op(const Reader& r, const Node& n, ProcessScope& scope);
model::Expect read_expect(const Reader& r, const Node& n, model::OpKind kind, ProcessScope& scope);

}  // namespace aiomc::loader::detail
