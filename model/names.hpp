// FreeBSD's numbers and names for errnos, signals and AIO return constants.
// The model computes with the numbers; traces, reports and scenarios use the names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace aiomc::model {

// errno values as in FreeBSD's <sys/errno.h> (lower case: the libc names are macros).
namespace err {
inline constexpr int ok = 0;
inline constexpr int eperm = 1;
inline constexpr int enoent = 2;
inline constexpr int esrch = 3;
inline constexpr int eintr = 4;
inline constexpr int eio = 5;
inline constexpr int enxio = 6;
inline constexpr int e2big = 7;
inline constexpr int ebadf = 9;
inline constexpr int edeadlk = 11;
inline constexpr int enomem = 12;
inline constexpr int eacces = 13;
inline constexpr int efault = 14;
inline constexpr int enotblk = 15;
inline constexpr int ebusy = 16;
inline constexpr int eexist = 17;
inline constexpr int enodev = 19;
inline constexpr int einval = 22;
inline constexpr int emfile = 24;
inline constexpr int enospc = 28;
inline constexpr int epipe = 32;
inline constexpr int eagain = 35;
inline constexpr int einprogress = 36;
inline constexpr int eopnotsupp = 45;
inline constexpr int enosys = 78;
inline constexpr int ecanceled = 85;
}  // namespace err

// Return-value constants of aio_cancel(2).
namespace aioc {
inline constexpr int AIO_CANCELED = 1;
inline constexpr int AIO_NOTCANCELED = 2;
inline constexpr int AIO_ALLDONE = 3;
}  // namespace aioc

std::string_view errno_name(int e);                  // "EINVAL"; "" if unknown
std::optional<int> errno_from_name(std::string_view name);
std::string_view signal_name(int signo);             // "SIGUSR1"; "" if unknown
std::string_view filter_name(std::uint8_t filter);   // a Filter value: "EVFILT_AIO", ...
std::optional<int> signal_from_name(std::string_view name);
std::string_view aio_const_name(int v);              // "AIO_CANCELED"
std::optional<int> aio_const_from_name(std::string_view name);

// _SIG_VALID: 0 < sig <= _SIG_MAXSIG (128), real-time signals included (S24;
// sys/_sigset.h).
inline constexpr int kSigMaxSig = 128;
inline bool sig_valid(int signo) { return signo > 0 && signo <= kSigMaxSig; }

}  // namespace aiomc::model
