#include "model/names.hpp"  // first: see kernel_names.hpp
//
#include "loader/kernel_names.hpp"

namespace aiomc::loader::detail {

std::optional<int> errno_number(std::string_view name) { return model::errno_from_name(name); }
std::optional<int> signal_number(std::string_view name) { return model::signal_from_name(name); }
bool aio_constant_known(std::string_view name) { return model::aio_const_from_name(name).has_value(); }

}  // namespace aiomc::loader::detail
