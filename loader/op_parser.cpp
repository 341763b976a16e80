#include "loader/op_parser.hpp"

#include <limits>

#include "loader/capacity.hpp"
#include "loader/vocabulary.hpp"

namespace aiomc::loader::detail {
namespace {

using model::OpKind;
constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

// A lio_listio entry: an aiocb of the list. Its own sigevent, when omitted, is the
// zeroed one ({"notify": "none"}); only the list's sigevent can be NULL (S10).
model::LioEntry read_lio_entry(const Reader& r, const Node& n, ProcessScope& scope) {
  r.object(n, "a lio_listio entry", {"job", "opcode", "fd", "offset", "nbytes", "sigevent", "io_error"});
  model::LioEntry e;
  e.job = define_name(r, r.required(n, "job", "a lio_listio entry"), scope, NameKind::job);
  const std::string opcode = r.string(r.required(n, "opcode", "a lio_listio entry"));
  e.opcode = opcode == "read"    ? model::LioOpcode::read
             : opcode == "write" ? model::LioOpcode::write
             : opcode == "nop"   ? model::LioOpcode::nop
                                 : model::LioOpcode::other;  // any other string tests rejection
  e.fd = read_fd(r, r.required(n, "fd", "a lio_listio entry"), scope);
  e.offset = read_offset(r, n.get("offset"));
  e.nbytes = read_nbytes(r, n.get("nbytes"));
  e.sigevent = model::SigEvent{};
  if (Node s = n.get("sigevent")) e.sigevent = read_sigevent(r, s, scope);
  if (Node v = n.get("io_error")) e.io_error = read_errno(r, v);
  return e;
}

// An io_submit iocb, stored as a LioEntry: pread/pwrite/noop map to read/write/nop;
// fsync, fdsync and anything else to `other` (S21: the emulation gives EINVAL).
model::LioEntry read_iocb(const Reader& r, const Node& n, ProcessScope& scope) {
  r.object(n, "an io_submit iocb", {"job", "opcode", "fd", "offset", "nbytes", "data"});
  model::LioEntry e;
  e.job = define_name(r, r.required(n, "job", "an io_submit iocb"), scope, NameKind::job);
  const std::string opcode = r.string(r.required(n, "opcode", "an io_submit iocb"));
  e.opcode = opcode == "pread"    ? model::LioOpcode::read
             : opcode == "pwrite" ? model::LioOpcode::write
             : opcode == "noop"   ? model::LioOpcode::nop
                                  : model::LioOpcode::other;
  e.fd = read_fd(r, r.required(n, "fd", "an io_submit iocb"), scope);
  e.offset = read_offset(r, n.get("offset"));
  e.nbytes = read_nbytes(r, n.get("nbytes"));
  if (Node d = n.get("data"); d && !d->is_string() && !d->is_number_integer())
    r.mismatch(d, "a string or an integer");  // checked, not kept: LioEntry has no field for it
  return e;
}

// A kevent change: exactly one of job / lio / ident / fd, a filter, flags, udata.
// `fd` (an extension) names a socket or pipe for EVFILT_READ, which needs it.
model::KeventChange read_change(const Reader& r, const Node& n, ProcessScope& scope) {
  r.object(n, "a kevent change", {"job", "lio", "ident", "fd", "filter", "flags", "udata", "data"});
  model::KeventChange c;
  const Node job = n.get("job"), lio = n.get("lio"), ident = n.get("ident"), fd = n.get("fd");
  const int idents = (job ? 1 : 0) + (lio ? 1 : 0) + (ident ? 1 : 0) + (fd ? 1 : 0);
  if (idents != 1)
    r.fail(n.ptr, "expected exactly one of 'job', 'lio', 'ident', 'fd' in a kevent change, found " +
                      std::to_string(idents));
  const Node filter = r.required(n, "filter", "a kevent change");
  c.filter = filter_from_name(r.string(filter));
  if (c.filter == model::Filter::read && !fd)
    r.fail(n.ptr, "expected 'fd' (a socket or pipe) in an EVFILT_READ change");
  if (fd) {
    const model::FdRef ref = read_fd(r, fd, scope);
    if (ref.kind != model::FdRef::Kind::object || c.filter != model::Filter::read ||
        (scope.objects[ref.index].type != model::ObjType::socket &&
         scope.objects[ref.index].type != model::ObjType::pipe))
      r.mismatch(fd, "a socket or pipe object, with filter EVFILT_READ");
    c.ident_kind = model::KeventChange::IdentKind::fd;
    c.ident = ref.index;
  } else if (job) {
    c.ident_kind = model::KeventChange::IdentKind::job;
    c.ident = use_name(r, job, scope, NameKind::job);
  } else if (lio) {
    c.ident_kind = model::KeventChange::IdentKind::lio;
    c.ident = use_name(r, lio, scope, NameKind::lio);
  } else {
    c.ident_kind = model::KeventChange::IdentKind::number;
    c.ident = static_cast<int>(r.integer(ident, std::numeric_limits<int>::min(), kIntMax));
  }
  if (Node flags = n.get("flags")) {
    r.array(flags, "a list of flag names");
    for (std::size_t i = 0; i < flags->size(); ++i) {
      const Node f = flags.at(i);
      const auto bit = f->is_string() ? change_flag(f->get_ref<const std::string&>()) : std::nullopt;
      if (!bit) r.mismatch(f, "a flag name (EV_ADD, EV_DELETE, EV_ENABLE, EV_DISABLE, EV_ONESHOT, EV_CLEAR, EV_FLAG1)");
      c.flags = static_cast<std::uint16_t>(c.flags | *bit);
    }
  }
  if (Node u = n.get("udata")) c.udata = r.integer(u, -kMaxInt32 - 1, kMaxInt32);
  if (Node d = n.get("data")) {
    const char* expected = "0, {\"job\": name} or {\"lio\": name} (the kernel address the user passes)";
    if (d->is_number_integer()) {
      if (r.integer(d) != 0) r.mismatch(d, expected);
    } else if (d->is_object() && d->size() == 1 && (d->contains("job") || d->contains("lio"))) {
      const bool is_job = d->contains("job");
      c.data_kind = is_job ? model::KeventChange::DataKind::job : model::KeventChange::DataKind::lio;
      c.data = use_name(r, d.get(is_job ? "job" : "lio"), scope, is_job ? NameKind::job : NameKind::lio);
    } else {
      r.mismatch(d, expected);
    }
  }
  return c;
}

void read_args(const Reader& r, const Node& n, model::Op& op, ProcessScope& scope, std::string_view what) {
  auto need = [&](std::string_view key) { return r.required(n, key, what); };
  switch (op.kind) {
    case OpKind::aio_read:
    case OpKind::aio_write:
      op.job = define_name(r, need("job"), scope, NameKind::job);
      op.fd = read_fd(r, need("fd"), scope);
      op.offset = read_offset(r, n.get("offset"));
      op.nbytes = read_nbytes(r, n.get("nbytes"));
      op.sigevent = model::SigEvent{};  // the aiocb's, zeroed when omitted
      if (Node s = n.get("sigevent")) op.sigevent = read_sigevent(r, s, scope);
      if (Node d = n.get("data")) op.data = r.string(d);
      if (Node e = n.get("io_error")) op.io_error = read_errno(r, e);
      break;
    case OpKind::aio_fsync:
      op.job = define_name(r, need("job"), scope, NameKind::job);
      op.fd = read_fd(r, need("fd"), scope);
      op.sigevent = model::SigEvent{};
      if (Node s = n.get("sigevent")) op.sigevent = read_sigevent(r, s, scope);
      break;
    case OpKind::lio_listio: {
      const Node mode = need("mode");  // required (S10)
      const std::string m = mode->is_string() ? mode->get<std::string>() : "";
      if (m != "wait" && m != "nowait") r.mismatch(mode, "\"wait\" or \"nowait\"");
      op.wait = m == "wait";
      const Node list = need("list");
      r.array(list, "a list of aiocbs");
      for (std::size_t i = 0; i < list->size(); ++i) op.list.push_back(read_lio_entry(r, list.at(i), scope));
      if (Node s = n.get("sigevent")) op.sigevent = read_sigevent(r, s, scope);  // omitted: NULL (S10)
      if (Node as = n.get("as")) op.as = define_name(r, as, scope, NameKind::lio);
      break;
    }
    case OpKind::aio_error:
    case OpKind::aio_return:
      op.job = use_name(r, need("job"), scope, NameKind::job);
      break;
    case OpKind::aio_suspend: {
      const Node jobs = need("jobs");
      r.array(jobs, "a list of job names");
      for (std::size_t i = 0; i < jobs->size(); ++i) op.jobs.push_back(use_name(r, jobs.at(i), scope, NameKind::job));
      op.timeout = read_timeout(r, n.get("timeout"));
      break;
    }
    case OpKind::aio_cancel:
      op.fd = read_fd(r, need("fd"), scope);
      if (Node j = n.get("job")) op.job = use_name(r, j, scope, NameKind::job);
      break;
    case OpKind::aio_waitcomplete:
    case OpKind::sigwait:
      if (op.kind == OpKind::sigwait) op.signo = read_signo(r, need("signo"));
      op.timeout = read_timeout(r, n.get("timeout"));
      break;
    case OpKind::kqueue: {
      const Node as = need("as");
      const std::string name = r.name(as, "a kqueue name");
      if (object_index(scope.objects, name) >= 0)  // an fd name must say which descriptor it is
        r.mismatch(as, "a kqueue name that no object has");
      op.as = scope.names.define(NameKind::kqueue, name, as.ptr);
      break;
    }
    case OpKind::kevent:
      op.kq = use_name(r, need("kq"), scope, NameKind::kqueue);
      if (Node changes = n.get("changes")) {
        r.array(changes, "a list of kevent changes");
        for (std::size_t i = 0; i < changes->size(); ++i) op.changes.push_back(read_change(r, changes.at(i), scope));
      }
      if (Node ne = n.get("nevents")) op.nevents = static_cast<int>(r.integer(ne, 0, kIntMax));
      op.timeout = read_timeout(r, n.get("timeout"));
      break;
    case OpKind::close:
      op.fd = read_fd(r, need("fd"), scope);
      break;
    case OpKind::exit:
    case OpKind::exec:
      break;
    case OpKind::sem_post:
    case OpKind::sem_wait:
      op.sem = use_name(r, need("sem"), scope, NameKind::sem);
      break;
    case OpKind::write_peer: {
      const Node fd = need("fd");
      op.fd = read_fd(r, fd, scope);
      const auto& objects = scope.objects;
      if (op.fd.kind != model::FdRef::Kind::object ||
          (objects[static_cast<std::size_t>(op.fd.index)].type != model::ObjType::socket &&
           objects[static_cast<std::size_t>(op.fd.index)].type != model::ObjType::pipe))
        r.mismatch(fd, "the name of a socket or pipe object");
      op.nbytes = read_nbytes(r, n.get("nbytes"));
      break;
    }
    case OpKind::io_setup:
      op.ctx = define_name(r, need("ctx"), scope, NameKind::ctx);
      op.nr_events = r.integer(need("nr_events"));  // any value: the emulation rejects bad ones
      break;
    case OpKind::io_submit: {
      op.ctx = use_name(r, need("ctx"), scope, NameKind::ctx);
      const Node iocbs = need("iocbs");
      r.array(iocbs, "a list of iocbs");
      for (std::size_t i = 0; i < iocbs->size(); ++i) op.list.push_back(read_iocb(r, iocbs.at(i), scope));
      break;
    }
    case OpKind::io_getevents:
      op.ctx = use_name(r, need("ctx"), scope, NameKind::ctx);
      op.min_nr = r.integer(need("min_nr"));
      op.nr = r.integer(need("nr"));
      op.timeout = read_timeout(r, n.get("timeout"));
      break;
    case OpKind::io_cancel:
      op.ctx = use_name(r, need("ctx"), scope, NameKind::ctx);
      op.job = use_name(r, need("job"), scope, NameKind::job);
      break;
    case OpKind::io_destroy:
      op.ctx = use_name(r, need("ctx"), scope, NameKind::ctx);
      break;
    case OpKind::kldload:
    case OpKind::kldunload: {
      const Node m = need("module");
      op.module = m->is_string() ? m->get<std::string>() : "";
      if (op.module != "aio" && op.module != "linuxaio") r.mismatch(m, "\"aio\" or \"linuxaio\"");
      break;
    }
  }
}

}  // namespace

model::Op read_op(const Reader& r, const Node& n, ProcessScope& scope) {
  if (!n->is_object()) r.mismatch(n, "an op (a JSON object)");
  const Node kind = r.required(n, "op", "an op");
  const OpSpec* spec = kind->is_string() ? find_op(kind->get_ref<const std::string&>()) : nullptr;
  if (!spec) r.mismatch(kind, "an op name (one of: " + std::string(op_names_list()) + ")", op_names());
  // The model refuses what it cannot run yet, loudly (program.hpp, op_supported).
  if (!model::op_supported(spec->kind))
    r.fail(n.ptr, "op '" + std::string(spec->name) + "' is not supported yet by this model");
  const std::string what = "op '" + std::string(spec->name) + "'";
  r.object(n, what, spec->keys);

  model::Op op;
  op.kind = spec->kind;
  op.pointer = n.ptr;
  if (Node label = n.get("label")) {
    op.label = r.string(label);
    // Labels reach timelines and violation messages: no control characters.
    for (char c : op.label)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) r.mismatch(label, "a label without control characters");
  }
  read_args(r, n, op, scope, what);
  if (Node e = n.get("expect")) op.expect = read_expect(r, e, op.kind, scope);
  return op;
}

}  // namespace aiomc::loader::detail
