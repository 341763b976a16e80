// Small texts about one step shared by the timeline, the message-sequence view and
// replay: which op a step completed, and its result.
#pragma once

#include <string>

#include "model/model.hpp"

namespace aiomc::report {

// "aio_read" or "aio_read 'label'" for the op a thread step ran; "" if the step ran
// no op of the program (a daemon, a disk, the taskqueue).
std::string op_title(const model::Model& m, const model::StepInfo& info);

// "⇒ aio_read: ret 0" when the step completed an op, else "".
std::string op_result_text(const model::Model& m, const model::StepInfo& info);

// `text` cut to `width` columns (counting UTF-8 characters), then padded with spaces.
std::string fit(const std::string& text, std::size_t width);
// The number of UTF-8 characters in `text` (what a terminal shows for our texts).
std::size_t text_width(const std::string& text);

}  // namespace aiomc::report
