// An op's "expect" (scenario-format.md "Threads and ops" and the per-op tables):
// {"ret": v}, {"errno": NAME}, {"ret_in": [...]}, {"count": n}, {"events": [...]}
// and aio_waitcomplete's {"job": name, "ret": n}. Exactly one form per expectation.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "loader/op_parser.hpp"
#include "loader/vocabulary.hpp"
#include "loader/kernel_names.hpp"

namespace aiomc::loader::detail {
namespace {

using model::OpKind;

// kevent results: {filter, ident (job name; for EVFILT_LIO a lio name), udata, flags, data}.
model::EventPattern read_kevent_pattern(const Reader& r, const Node& n, ProcessScope& scope) {
  r.object(n, "a kevent event pattern", {"filter", "ident", "udata", "flags", "data"});
  model::EventPattern p;
  if (Node f = n.get("filter")) {
    p.filter = filter_from_name(r.string(f));
    // A pattern only matches events the kernel can return: an unknown filter is a typo.
    if (p.filter == model::Filter::other) r.mismatch(f, "EVFILT_AIO, EVFILT_LIO or EVFILT_READ", filter_names());
  }
  if (Node id = n.get("ident")) {
    if (p.filter == model::Filter::read) {
      // EVFILT_READ's ident is the descriptor: checked, not matched.
      read_fd(r, id, scope);
    } else if (p.filter == model::Filter::lio) {
      // S9 names lists for EVFILT_LIO; scenario-format.md says the lio's identity is
      // not matched by name. The name is resolved (and checked) but not matched.
      use_name(r, id, scope, NameKind::lio);
    } else {
      p.ident_job = use_name(r, id, scope, NameKind::job);
    }
  }
  if (Node u = n.get("udata")) p.udata = r.integer(u);
  if (Node flags = n.get("flags")) {
    r.array(flags, "a list of flag names");
    for (std::size_t i = 0; i < flags->size(); ++i) {
      const Node f = flags.at(i);
      if (!f->is_string() || !event_flag_known(f->get_ref<const std::string&>()))
        r.mismatch(f, "a kevent flag name such as \"EV_EOF\" or \"EV_ERROR\"");
      p.flags.push_back(f->get<std::string>());
    }
  }
  if (Node d = n.get("data")) {
    // 0, an errno name (the job's error, or EV_ERROR's errno), or a number.
    model::Value v;
    if (d->is_number_integer()) {
      v.number = r.integer(d);
    } else if (d->is_string() && errno_number(d->get_ref<const std::string&>())) {
      v.is_name = true;
      v.name = d->get<std::string>();
    } else {
      r.mismatch(d, "an integer or an errno name");
    }
    p.data = v;
  }
  return p;
}

// io_getevents results: {job, res (bytes, or "-ENAME" for an error, S21), res2}.
model::EventPattern read_io_event_pattern(const Reader& r, const Node& n, ProcessScope& scope) {
  r.object(n, "an io_getevents event pattern", {"job", "res", "res2"});
  model::EventPattern p;
  if (Node j = n.get("job")) p.job = use_name(r, j, scope, NameKind::job);
  if (Node res = n.get("res")) {
    model::Value v;
    if (res->is_number_integer()) {
      v.number = r.integer(res);
    } else {
      const std::string s = res->is_string() ? res->get<std::string>() : "";
      if (s.size() < 2 || s[0] != '-' || !errno_number(std::string_view(s).substr(1)))
        r.mismatch(res, "an integer or a negated errno name such as \"-EIO\"");
      v.is_name = true;
      v.name = s;
    }
    p.res = v;
  }
  if (Node res2 = n.get("res2")) p.res2 = r.integer(res2);
  return p;
}

}  // namespace

model::Expect read_expect(const Reader& r, const Node& n, OpKind kind, ProcessScope& scope) {
  const bool waitcomplete = kind == OpKind::aio_waitcomplete;
  const bool has_events = kind == OpKind::kevent || kind == OpKind::io_getevents;
  std::vector<std::string_view> keys = {"ret", "errno", "ret_in"};
  if (has_events) keys.insert(keys.end(), {"count", "events"});
  if (waitcomplete) keys.push_back("job");
  r.object(n, "an expectation", keys);

  std::vector<std::string> forms;  // the forms present, "job" aside
  std::string found;
  for (auto it = n->begin(); it != n->end(); ++it) {
    if (it.key() == "job") continue;
    forms.push_back(it.key());
    found += (found.empty() ? "" : ", ") + it.key();
  }
  keys.erase(std::remove(keys.begin(), keys.end(), "job"), keys.end());
  if (forms.size() != 1)
    r.fail(n.ptr, "expected exactly one of " + join(keys) + ", found " + (found.empty() ? "none" : found));

  model::Expect e;
  const std::string form = forms.front();
  if (form == "ret") {
    const Node job = n.get("job");
    e.kind = job ? model::Expect::Kind::waitcomplete : model::Expect::Kind::ret;
    e.value = read_value(r, n.get("ret"));
    if (job) e.job = use_name(r, job, scope, NameKind::job);
  } else {
    if (Node job = n.get("job"))
      r.fail_at_key(job.ptr, "expected 'job' only together with 'ret', found it with '" + form + "'");
    if (form == "errno") {
      e.kind = model::Expect::Kind::errno_;
      const Node v = n.get("errno");
      read_errno(r, v);
      e.value.is_name = true;
      e.value.name = v->get<std::string>();
    } else if (form == "ret_in") {
      e.kind = model::Expect::Kind::ret_in;
      const Node list = n.get("ret_in");
      if (!list->is_array() || list->empty()) r.mismatch(list, "a non-empty list of values");
      for (std::size_t i = 0; i < list->size(); ++i) e.ret_in.push_back(read_value(r, list.at(i)));
    } else if (form == "count") {
      e.kind = model::Expect::Kind::count;
      e.count = static_cast<int>(r.integer(n.get("count"), 0, std::numeric_limits<int>::max()));
    } else {
      e.kind = model::Expect::Kind::events;
      const Node list = n.get("events");
      r.array(list, "a list of event patterns");
      for (std::size_t i = 0; i < list->size(); ++i)
        e.events.push_back(kind == OpKind::kevent ? read_kevent_pattern(r, list.at(i), scope)
                                                  : read_io_event_pattern(r, list.at(i), scope));
    }
  }
  return e;
}

}  // namespace aiomc::loader::detail
