// The Linux ABI's errno numbers for the errors an io_event can carry: the emulation
// translates a native error through linux_errtbl before it negates it into `res`
// (§D.4). Names are the errno names (scenarios write "-EIO").
#pragma once

#include <string>
#include <string_view>

#include "model/names.hpp"
#include "model/program.hpp"

namespace aiomc::model {

// FreeBSD errno -> Linux errno (linux_errtbl for the values the model produces).
inline int linux_errno(int e) {
  switch (e) {
    case err::eagain: return 11;
    case err::einprogress: return 115;
    case err::enosys: return 38;
    case err::ecanceled: return 125;
    case err::edeadlk: return 35;
    case err::eopnotsupp: return 95;
    default: return e;  // 1..34 agree
  }
}

// The name of a Linux errno number ("" if not one the model produces).
inline std::string_view linux_errno_name(int le) {
  for (int e = 1; e < 100; ++e)
    if (linux_errno(e) == le && !errno_name(e).empty()) return errno_name(e);
  return "";
}

// io_event.res as scenarios write it: bytes, or "-ENAME" (S21).
inline std::string linux_res_text(int res) {
  if (res >= 0) return std::to_string(res);
  std::string_view n = linux_errno_name(-res);
  return n.empty() ? std::to_string(res) : "-" + std::string(n);
}

// An expectation's res (a number, or "-ENAME") against an io_event's res.
inline bool linux_res_matches(const Value& v, int res) {
  if (!v.is_name) return res == v.number;
  if (v.name.size() < 2 || v.name[0] != '-') return false;
  auto e = errno_from_name(std::string_view(v.name).substr(1));
  return e && res == -linux_errno(*e);
}

}  // namespace aiomc::model
