#include "loader/op_fields.hpp"

#include <algorithm>
#include <limits>

#include "loader/capacity.hpp"
#include "loader/vocabulary.hpp"
#include "loader/kernel_names.hpp"

namespace aiomc::loader::detail {
namespace {

constexpr std::int64_t kIntMin = std::numeric_limits<int>::min();
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

}  // namespace

int object_index(const std::vector<model::Object>& objects, const std::string& name) {
  for (std::size_t i = 0; i < objects.size(); ++i)
    if (objects[i].name == name) return static_cast<int>(i);
  return -1;
}

int use_name(const Reader& r, const Node& n, ProcessScope& scope, NameKind kind) {
  return scope.names.use(kind, r.name(n, "a name"), n.ptr);
}

int define_name(const Reader& r, const Node& n, ProcessScope& scope, NameKind kind) {
  return scope.names.define(kind, r.name(n, "a name"), n.ptr);
}

model::FdRef read_fd(const Reader& r, const Node& n, ProcessScope& scope) {
  const std::string expected =
      "the name of an object or of a kqueue created in process '" + scope.process_name + "'";
  if (!n->is_string()) r.mismatch(n, expected);
  const auto& name = n->get_ref<const std::string&>();
  if (const int i = object_index(scope.objects, name); i >= 0) return {model::FdRef::Kind::object, i};
  if (scope.kqueues.count(name))
    return {model::FdRef::Kind::kqueue, scope.names.use(NameKind::kqueue, name, n.ptr)};
  r.mismatch(n, expected);
}

model::SigEvent read_sigevent(const Reader& r, const Node& n, ProcessScope& scope) {
  r.object(n, "a sigevent", {"notify", "signo", "thread", "kq", "udata"});
  model::SigEvent ev;
  std::string notify = "none";
  if (Node v = n.get("notify")) {
    notify = r.string(v);
    ev.notify = notify_from_name(notify);
  }
  if (Node v = n.get("signo")) ev.signo = read_signo(r, v);
  if (Node v = n.get("udata")) ev.udata = r.integer(v, -kMaxInt32 - 1, kMaxInt32);
  Node thread = n.get("thread");
  if (ev.notify == model::Notify::thread_id) thread = r.required(n, "thread", "a thread_id sigevent");
  if (thread) {
    if (ev.notify != model::Notify::thread_id)
      r.fail_at_key(thread.ptr, "expected 'thread' only with notify \"thread_id\", found notify \"" + notify + "\"");
    const std::string name = r.name(thread, "a thread name");
    const auto& t = scope.thread_names;
    const auto it = std::find(t.begin(), t.end(), name);
    if (it == t.end())
      r.fail(thread.ptr, "expected a thread of process '" + scope.process_name + "', found string \"" + name + "\"");
    ev.thread = static_cast<int>(it - t.begin());
  }
  Node kq = n.get("kq");
  if (ev.notify == model::Notify::kevent) kq = r.required(n, "kq", "a kevent sigevent");
  if (kq) {
    if (ev.notify != model::Notify::kevent)
      r.fail_at_key(kq.ptr, "expected 'kq' only with notify \"kevent\", found notify \"" + notify + "\"");
    ev.kq = use_name(r, kq, scope, NameKind::kqueue);
  }
  return ev;
}

std::optional<std::int64_t> read_timeout(const Reader& r, const Node& n) {
  if (!n || n->is_null()) return std::nullopt;
  if (n->is_number_integer() && n->get<std::int64_t>() >= 0 && n->get<std::int64_t>() <= kMaxTimeoutTicks)
    return n->get<std::int64_t>();
  r.mismatch(n, "null (wait forever) or a number of ticks from 0 to " + std::to_string(kMaxTimeoutTicks));
}

int read_signo(const Reader& r, const Node& n) {
  if (n->is_string()) {
    if (auto s = signal_number(n->get_ref<const std::string&>())) return *s;
  } else if (n->is_number_integer()) {
    return static_cast<int>(r.integer(n, -32768, 32767));
  }
  r.mismatch(n, "a signal name such as \"SIGUSR1\" or a signal number", signal_names());
}

int read_errno(const Reader& r, const Node& n) {
  if (n->is_string())
    if (auto e = errno_number(n->get_ref<const std::string&>())) return *e;
  r.mismatch(n, "an errno name such as \"EIO\"", errno_names());
}

model::Value read_value(const Reader& r, const Node& n) {
  model::Value v;
  if (n->is_number_integer()) {
    v.number = r.integer(n);
    return v;
  }
  if (n->is_string()) {
    const auto& s = n->get_ref<const std::string&>();
    if (errno_number(s) || aio_constant_known(s)) {
      v.is_name = true;
      v.name = s;
      return v;
    }
  }
  r.mismatch(n, "an integer, an errno name (\"EINVAL\", \"EINPROGRESS\") or an AIO_* constant (\"AIO_CANCELED\")");
}

std::int64_t read_offset(const Reader& r, const Node& n) {
  // Any off_t, negative ones included: the kernel rejects those itself (EINVAL).
  // The model keeps offsets in 32 bits: a larger one is refused, never truncated.
  return n ? r.integer(n, -kMaxInt32 - 1, kMaxInt32) : 0;
}

std::int64_t read_nbytes(const Reader& r, const Node& n) { return n ? r.integer(n, 0, kMaxInt32) : 512; }

}  // namespace aiomc::loader::detail
