#include "loader/vocabulary.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace aiomc::loader::detail {
namespace {

using model::OpKind;

// Argument keys per op: the tables of scenario-format.md, plus "op", "expect" and
// "label" on every op. lio_listio also takes "as" (S9).
const std::vector<OpSpec>& op_table() {
  static const std::vector<OpSpec> table = [] {
    const std::vector<std::string_view> common = {"op", "expect", "label"};
    auto spec = [&](std::string_view name, OpKind kind, std::vector<std::string_view> keys) {
      keys.insert(keys.begin(), common.begin(), common.end());
      return OpSpec{name, kind, std::move(keys)};
    };
    const std::vector<std::string_view> aio_rw = {"job", "fd", "offset", "nbytes", "sigevent", "data", "io_error"};
    return std::vector<OpSpec>{
        spec("aio_read", OpKind::aio_read, aio_rw),
        spec("aio_write", OpKind::aio_write, aio_rw),
        spec("aio_fsync", OpKind::aio_fsync, {"job", "fd", "sigevent"}),
        spec("lio_listio", OpKind::lio_listio, {"mode", "list", "sigevent", "as"}),
        spec("aio_error", OpKind::aio_error, {"job"}),
        spec("aio_return", OpKind::aio_return, {"job"}),
        spec("aio_suspend", OpKind::aio_suspend, {"jobs", "timeout"}),
        spec("aio_cancel", OpKind::aio_cancel, {"fd", "job"}),
        spec("aio_waitcomplete", OpKind::aio_waitcomplete, {"timeout"}),
        spec("kqueue", OpKind::kqueue, {"as"}),
        spec("kevent", OpKind::kevent, {"kq", "changes", "nevents", "timeout"}),
        spec("close", OpKind::close, {"fd"}),
        spec("sigwait", OpKind::sigwait, {"signo", "timeout"}),
        spec("exit", OpKind::exit, {}),
        spec("exec", OpKind::exec, {}),
        spec("sem_post", OpKind::sem_post, {"sem"}),
        spec("sem_wait", OpKind::sem_wait, {"sem"}),
        spec("write_peer", OpKind::write_peer, {"fd", "nbytes"}),
        spec("io_setup", OpKind::io_setup, {"ctx", "nr_events"}),
        spec("io_submit", OpKind::io_submit, {"ctx", "iocbs"}),
        spec("io_getevents", OpKind::io_getevents, {"ctx", "min_nr", "nr", "timeout"}),
        spec("io_cancel", OpKind::io_cancel, {"ctx", "job"}),
        spec("io_destroy", OpKind::io_destroy, {"ctx"}),
        spec("kldload", OpKind::kldload, {"module"}),
        spec("kldunload", OpKind::kldunload, {"module"}),
    };
  }();
  return table;
}

struct Flag {
  std::string_view name;
  std::uint16_t bit;
};
constexpr std::array kChangeFlags = {
    Flag{"EV_ADD", model::evflag::EV_ADD},         Flag{"EV_DELETE", model::evflag::EV_DELETE},
    Flag{"EV_ENABLE", model::evflag::EV_ENABLE},   Flag{"EV_DISABLE", model::evflag::EV_DISABLE},
    Flag{"EV_ONESHOT", model::evflag::EV_ONESHOT}, Flag{"EV_CLEAR", model::evflag::EV_CLEAR},
    Flag{"EV_FLAG1", model::evflag::EV_FLAG1},
};

constexpr std::array<std::string_view, 31> kInvariantIds = {
    "op-expect",          "queue-state",       "free-once",
    "counts",             "result-final",      "quota",
    "notify-after-done",  "lio-notify-exact",  "notify-kind",
    "rundown-silent",     "signal-pending-once", "no-stale-kevent",
    "kevent-delivered",   "knote-influx-exclusive", "knote-single-drop",
    "knote-detach-consistent", "knote-queue-consistent", "lock-order",
    "no-sleep-holding-mutex", "bdone-last",    "raw-io-size",
    "no-deadlock",        "no-panic",          "linux-ctx-ring",
    "linux-reap-once",    "linux-error-sign",  "linux-enosys",
    "linux-ctx-list",
    "job-completes",      "waiter-returns",    "exit-completes",
};

}  // namespace

const OpSpec* find_op(std::string_view name) {
  for (const auto& s : op_table())
    if (s.name == name) return &s;
  return nullptr;
}

std::string_view op_names_list() {
  static const std::string list = [] {
    std::string out;
    for (const auto& s : op_table()) {
      if (!out.empty()) out += ", ";
      out += s.name;
    }
    return out;
  }();
  return list;
}

std::vector<std::string_view> op_names() {
  std::vector<std::string_view> out;
  for (const auto& s : op_table()) out.push_back(s.name);
  return out;
}

std::vector<std::string_view> invariant_ids() { return {kInvariantIds.begin(), kInvariantIds.end()}; }

std::vector<std::string_view> filter_names() { return {"EVFILT_AIO", "EVFILT_LIO", "EVFILT_READ"}; }

std::optional<std::uint16_t> change_flag(std::string_view name) {
  for (const auto& f : kChangeFlags)
    if (f.name == name) return f.bit;
  return std::nullopt;
}

bool event_flag_known(std::string_view name) {
  return change_flag(name).has_value() || name == "EV_EOF" || name == "EV_ERROR";
}

model::Filter filter_from_name(std::string_view name) {
  if (name == "EVFILT_AIO") return model::Filter::aio;
  if (name == "EVFILT_LIO") return model::Filter::lio;
  if (name == "EVFILT_READ") return model::Filter::read;
  return model::Filter::other;
}

model::Notify notify_from_name(std::string_view name) {
  if (name == "none") return model::Notify::none;
  if (name == "signal") return model::Notify::signal;
  if (name == "thread_id") return model::Notify::thread_id;
  if (name == "kevent") return model::Notify::kevent;
  return model::Notify::other;
}

bool invariant_known(std::string_view id) {
  return std::find(kInvariantIds.begin(), kInvariantIds.end(), id) != kInvariantIds.end();
}

}  // namespace aiomc::loader::detail
