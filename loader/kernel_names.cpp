#include "model/names.hpp"  // first: see kernel_names.hpp
//
#include "loader/kernel_names.hpp"

namespace aiomc::loader::detail {

std::optional<int> errno_number(std::string_view name) { return model::errno_from_name(name); }
std::optional<int> signal_number(std::string_view name) { return model::signal_from_name(name); }
std::vector<std::string_view> errno_names() {
  std::vector<std::string_view> out;
  for (int e = 1; e < 256; ++e)
    if (auto n = model::errno_name(e); !n.empty()) out.push_back(n);
  return out;
}

std::vector<std::string_view> signal_names() {
  std::vector<std::string_view> out;
  for (int sig = 1; sig <= 128; ++sig)
    if (auto n = model::signal_name(sig); !n.empty()) out.push_back(n);
  return out;
}

bool aio_constant_known(std::string_view name) { return model::aio_const_from_name(name).has_value(); }

}  // namespace aiomc::loader::detail
