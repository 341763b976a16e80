// Field readers shared by the op and expectation parsers: descriptors, sigevents,
// timeouts, signal and errno names, return values, and per-process name references.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "loader/json_reader.hpp"
#include "loader/process_names.hpp"
#include "model/program.hpp"

namespace aiomc::loader::detail {

// What an op may refer to while its process is being read.
struct ProcessScope {
  const std::vector<model::Object>& objects;
  const std::string& process_name;
  const std::vector<std::string>& thread_names;  // of this process, in file order
  const std::set<std::string>& kqueues;          // names some `kqueue` op of this process creates
  ProcessNames& names;
};

// Index of the object called `name`, or -1.
int object_index(const std::vector<model::Object>& objects, const std::string& name);
// `fd`: an object's name, or a kqueue name that some kqueue op of the process defines
// (scenario-format.md: any other name is an error).
model::FdRef read_fd(const Reader& r, const Node& n, ProcessScope& scope);
// The name `n` holds, as an index into the process's table of that kind.
int use_name(const Reader& r, const Node& n, ProcessScope& scope, NameKind kind);
int define_name(const Reader& r, const Node& n, ProcessScope& scope, NameKind kind);
// struct sigevent: notify (default "none"), signo (with any notify, S10), thread
// (thread_id only), kq (kevent only), udata.
model::SigEvent read_sigevent(const Reader& r, const Node& n, ProcessScope& scope);
// `timeout`: absent or null = wait forever (S10, S11), else ticks >= 0.
std::optional<std::int64_t> read_timeout(const Reader& r, const Node& n);
// A signal name ("SIGUSR1") or any integer, kept as given (the kernel validates).
int read_signo(const Reader& r, const Node& n);
// An errno name ("EIO") as its FreeBSD number.
int read_errno(const Reader& r, const Node& n);
// A value in an expectation: an integer, an errno name (EINPROGRESS included) or an
// AIO_* constant name.
model::Value read_value(const Reader& r, const Node& n);
std::int64_t read_offset(const Reader& r, const Node& n);  // default 0 (S10)
std::int64_t read_nbytes(const Reader& r, const Node& n);  // default 512 (S10)

}  // namespace aiomc::loader::detail
