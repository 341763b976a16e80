// The kernel's names the scenario uses (errnos, signals, aio_cancel's AIO_* constants),
// looked up through model/names.hpp. This wrapper exists because model/names.hpp
// declares constants called EPERM, EINVAL, ... which <cerrno>'s macros (pulled in by
// <string>) rewrite: it must be the first include of the file that uses it, which only
// kernel_names.cpp can promise.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace aiomc::loader::detail {

std::vector<std::string_view> errno_names();   // every errno name the model knows (for "did you mean")
std::vector<std::string_view> signal_names();  // every signal name

std::optional<int> errno_number(std::string_view name);   // "EIO" -> 5
std::optional<int> signal_number(std::string_view name);  // "SIGUSR1" -> 30
bool aio_constant_known(std::string_view name);           // "AIO_CANCELED"

}  // namespace aiomc::loader::detail
