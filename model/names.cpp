#include "model/names.hpp"

#include <array>
#include <utility>

namespace aiomc::model {
namespace {

struct Named {
  int value;
  std::string_view name;
};

constexpr std::array kErrnos = {
    Named{err::eperm, "EPERM"},         Named{err::enoent, "ENOENT"},   Named{err::esrch, "ESRCH"},
    Named{err::eintr, "EINTR"},         Named{err::eio, "EIO"},         Named{err::enxio, "ENXIO"},
    Named{err::e2big, "E2BIG"},         Named{err::ebadf, "EBADF"},     Named{err::edeadlk, "EDEADLK"},
    Named{err::enomem, "ENOMEM"},       Named{err::eacces, "EACCES"},   Named{err::efault, "EFAULT"},
    Named{err::enotblk, "ENOTBLK"},     Named{err::ebusy, "EBUSY"},     Named{err::eexist, "EEXIST"},
    Named{err::enodev, "ENODEV"},       Named{err::einval, "EINVAL"},   Named{err::emfile, "EMFILE"},   Named{err::enospc, "ENOSPC"},
    Named{err::epipe, "EPIPE"},         Named{err::eagain, "EAGAIN"},   Named{err::einprogress, "EINPROGRESS"},
    Named{err::eopnotsupp, "EOPNOTSUPP"}, Named{err::enosys, "ENOSYS"}, Named{err::ecanceled, "ECANCELED"},
};

constexpr std::array kSignals = {
    Named{1, "SIGHUP"},    Named{2, "SIGINT"},   Named{3, "SIGQUIT"},   Named{4, "SIGILL"},
    Named{5, "SIGTRAP"},   Named{6, "SIGABRT"},  Named{7, "SIGEMT"},    Named{8, "SIGFPE"},
    Named{9, "SIGKILL"},   Named{10, "SIGBUS"},  Named{11, "SIGSEGV"},  Named{12, "SIGSYS"},
    Named{13, "SIGPIPE"},  Named{14, "SIGALRM"}, Named{15, "SIGTERM"},  Named{16, "SIGURG"},
    Named{17, "SIGSTOP"},  Named{18, "SIGTSTP"}, Named{19, "SIGCONT"},  Named{20, "SIGCHLD"},
    Named{21, "SIGTTIN"},  Named{22, "SIGTTOU"}, Named{23, "SIGIO"},    Named{24, "SIGXCPU"},
    Named{25, "SIGXFSZ"},  Named{26, "SIGVTALRM"}, Named{27, "SIGPROF"}, Named{28, "SIGWINCH"},
    Named{29, "SIGINFO"},  Named{30, "SIGUSR1"}, Named{31, "SIGUSR2"},  Named{32, "SIGTHR"},
    Named{65, "SIGRTMIN"}, Named{126, "SIGRTMAX"},
};

constexpr std::array kAioConsts = {
    Named{aioc::AIO_CANCELED, "AIO_CANCELED"},
    Named{aioc::AIO_NOTCANCELED, "AIO_NOTCANCELED"},
    Named{aioc::AIO_ALLDONE, "AIO_ALLDONE"},
};

template <std::size_t N>
std::string_view find_name(const std::array<Named, N>& table, int value) {
  for (const auto& n : table)
    if (n.value == value) return n.name;
  return {};
}

template <std::size_t N>
std::optional<int> find_value(const std::array<Named, N>& table, std::string_view name) {
  for (const auto& n : table)
    if (n.name == name) return n.value;
  return std::nullopt;
}

}  // namespace

std::string_view errno_name(int e) { return find_name(kErrnos, e); }
std::optional<int> errno_from_name(std::string_view name) { return find_value(kErrnos, name); }
std::string_view filter_name(std::uint8_t filter) {
  switch (filter) {
    case 0: return "EVFILT_AIO";
    case 1: return "EVFILT_LIO";
    case 3: return "EVFILT_READ";
    default: return "EVFILT_?";
  }
}

std::string_view signal_name(int signo) { return find_name(kSignals, signo); }
std::optional<int> signal_from_name(std::string_view name) { return find_value(kSignals, name); }
std::string_view aio_const_name(int v) { return find_name(kAioConsts, v); }
std::optional<int> aio_const_from_name(std::string_view name) { return find_value(kAioConsts, name); }

}  // namespace aiomc::model
