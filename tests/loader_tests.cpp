// The scenario loader (loader/): scenario-format.md and semantics.md S9-S11.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <xxhash.h>

#include "loader/scenario.hpp"

namespace {

using aiomc::loader::Check;
using aiomc::loader::LoadError;
using aiomc::loader::Scenario;
using aiomc::loader::load_scenario_text;
namespace model = aiomc::model;

const char* const kFile = "t.json";

// A scenario with two objects (md0: raw disk, data: file) and one process "app" whose
// only thread "main" runs `ops` (a JSON array's inside).
std::string with_ops(const std::string& ops) {
  return R"({
  "format": "aiomc-scenario/1",
  "name": "t",
  "objects": { "md0": { "type": "raw_disk" }, "data": { "type": "file" } },
  "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
    )" + ops + R"(
  ] } ] } ]
})";
}

Scenario load_ok(const std::string& text) {
  auto r = load_scenario_text(text, kFile);
  if (const auto* e = std::get_if<LoadError>(&r)) FAIL("unexpected load error: " << e->message);
  return std::get<Scenario>(std::move(r));
}

std::string load_error(const std::string& text) {
  auto r = load_scenario_text(text, kFile);
  if (std::holds_alternative<Scenario>(r)) FAIL("expected a load error for:\n" << text);
  return std::get<LoadError>(r).message;
}

// The message names the file, the exact pointer, and a line.
void require_error_at(const std::string& text, const std::string& pointer) {
  const std::string msg = load_error(text);
  INFO(msg);
  CHECK(msg.find(std::string(kFile) + ": " + pointer + " (line ") == 0);
  CHECK(msg.find("line ") != std::string::npos);
  CHECK(msg.find(kFile) != std::string::npos);
}

const model::Op& op0(const Scenario& s, std::size_t i = 0) { return s.program.processes.at(0).threads.at(0).ops.at(i); }

// Malformed scenarios with the pointer their error must name; shared with the [cli] test.
struct Bad {
  const char* what;
  std::string text;
  std::string pointer;
};

std::vector<Bad> malformed() {
  const std::string ops = "/processes/0/threads/0/ops/0";
  // An op this build does not run yet is refused at the op itself, before its fields.
  auto at_field_if = [&](model::OpKind kind, const std::string& field) {
    return model::op_supported(kind) ? ops + field : ops;
  };
  return {
      {"unknown top-level key",
       R"({"format": "aiomc-scenario/1", "name": "t", "bogus": 1, "processes": [{"name": "a", "threads": [{"name": "m"}]}]})",
       "/bogus"},
      {"unknown op key", with_ops(R"({"op": "aio_read", "job": "a", "fd": "md0", "offest": 0})"), ops + "/offest"},
      {"wrong type", with_ops(R"({"op": "aio_read", "job": "a", "fd": "md0", "nbytes": "512"})"), ops + "/nbytes"},
      {"bad format string",
       R"({"format": "aiomc-scenario/2", "name": "t", "processes": [{"name": "a", "threads": [{"name": "m"}]}]})",
       "/format"},
      {"fd naming nothing", with_ops(R"({"op": "aio_read", "job": "a", "fd": "md1"})"), ops + "/fd"},
      {"duplicate process",
       R"({"format": "aiomc-scenario/1", "name": "t", "processes": [
            {"name": "a", "threads": [{"name": "m"}]},
            {"name": "a", "threads": [{"name": "m"}]}]})",
       "/processes/1/name"},
      {"duplicate thread",
       R"({"format": "aiomc-scenario/1", "name": "t", "processes": [
            {"name": "a", "threads": [{"name": "m"}, {"name": "m"}]}]})",
       "/processes/0/threads/1/name"},
      {"duplicate object key",
       R"({"format": "aiomc-scenario/1", "name": "t",
           "objects": {"md0": {"type": "raw_disk"}, "md0": {"type": "file"}},
           "processes": [{"name": "a", "threads": [{"name": "m"}]}]})",
       "/objects/md0"},
      {"unknown op", with_ops(R"({"op": "aio_reed", "job": "a", "fd": "md0"})"), ops + "/op"},
      {"missing lio mode", with_ops(R"({"op": "lio_listio", "list": []})"), ops + "/mode"},
      {"bad expect name", with_ops(R"({"op": "aio_error", "job": "a", "expect": {"ret": "EINPROGESS"}})"),
       ops + "/expect/ret"},
      {"unknown variant in checks",
       R"({"format": "aiomc-scenario/1", "name": "t", "processes": [{"name": "a", "threads": [{"name": "m"}]}],
           "checks": [{"variant": "fixed", "expect": "pass"}, {"variant": ["lio-count-so-far", "no-such-bug"], "expect": "violation"}]})",
       "/checks/1/variant/1"},
      {"bad latency_ticks",
       R"({"format": "aiomc-scenario/1", "name": "t", "objects": {"md0": {"type": "raw_disk", "latency_ticks": [5, 2]}},
           "processes": [{"name": "a", "threads": [{"name": "m"}]}]})",
       "/objects/md0/latency_ticks"},
      {"field of another object type",
       R"({"format": "aiomc-scenario/1", "name": "t", "objects": {"md0": {"type": "raw_disk", "readable": true}},
           "processes": [{"name": "a", "threads": [{"name": "m"}]}]})",
       "/objects/md0/readable"},
      {"unknown kevent flag",
       with_ops(R"({"op": "kqueue", "as": "kq"}, {"op": "kevent", "kq": "kq", "changes": [{"job": "a", "filter": "EVFILT_AIO", "flags": ["EV_ADD", "EV_ADDD"]}]})"),
       "/processes/0/threads/0/ops/1/changes/0/flags/1"},
      {"sigevent thread not in the process",
       with_ops(R"({"op": "aio_read", "job": "a", "fd": "md0", "sigevent": {"notify": "thread_id", "signo": "SIGUSR1", "thread": "t9"}})"),
       ops + "/sigevent/thread"},
      {"invariant with pass",
       R"({"format": "aiomc-scenario/1", "name": "t", "processes": [{"name": "a", "threads": [{"name": "m"}]}],
           "checks": [{"variant": "fixed", "expect": "pass", "invariant": "counts"}]})",
       "/checks/0/invariant"},
      {"unknown invariant",
       R"({"format": "aiomc-scenario/1", "name": "t", "processes": [{"name": "a", "threads": [{"name": "m"}]}],
           "checks": [{"variant": "lio-count-so-far", "expect": "violation", "invariant": "lio-notify-exactly"}]})",
       "/checks/0/invariant"},
      {"negative timeout", with_ops(R"({"op": "aio_waitcomplete", "timeout": -1})"), ops + "/timeout"},
      {"kqueue named like an object", with_ops(R"({"op": "kqueue", "as": "md0"})"), ops + "/as"},
      {"missing processes", R"({"format": "aiomc-scenario/1", "name": "t"})", "/processes"},
      {"two expectation forms", with_ops(R"({"op": "aio_return", "job": "a", "expect": {"ret": 0, "errno": "EINVAL"}})"),
       ops + "/expect"},
      {"zero max_states",
       R"({"format": "aiomc-scenario/1", "name": "t", "processes": [{"name": "a", "threads": [{"name": "m"}]}],
           "bounds": {"max_states": 0}})",
       "/bounds/max_states"},
      {"unknown lio mode", with_ops(R"({"op": "lio_listio", "mode": "later", "list": []})"), ops + "/mode"},
      {"unknown signal name", with_ops(R"({"op": "sigwait", "signo": "SIGUSR3"})"), ops + "/signo"},
      {"count on a non-list op", with_ops(R"({"op": "aio_return", "job": "a", "expect": {"count": 1}})"),
       ops + "/expect/count"},
      {"wrong module", with_ops(R"({"op": "kldload", "module": "linux"})"),
       at_field_if(model::OpKind::kldload, "/module")},
      {"write_peer on a disk", with_ops(R"({"op": "write_peer", "fd": "md0"})"),
       at_field_if(model::OpKind::write_peer, "/fd")},
      {"unknown key in a lio entry",
       with_ops(R"({"op": "lio_listio", "mode": "wait", "list": [{"job": "a", "opcode": "read", "fd": "md0", "sigevnt": {}}]})"),
       ops + "/list/0/sigevnt"},
      {"EVFILT_READ without fd",
       with_ops(R"({"op": "kqueue", "as": "kq"}, {"op": "kevent", "kq": "kq", "changes": [{"ident": 3, "filter": "EVFILT_READ", "flags": ["EV_ADD"]}]})"),
       "/processes/0/threads/0/ops/1/changes/0"},
      {"EVFILT_READ on a file",
       with_ops(R"({"op": "kqueue", "as": "kq"}, {"op": "kevent", "kq": "kq", "changes": [{"fd": "data", "filter": "EVFILT_READ", "flags": ["EV_ADD"]}]})"),
       "/processes/0/threads/0/ops/1/changes/0/fd"},
      {"kevent change data that is no kernel object",
       with_ops(R"({"op": "kqueue", "as": "kq"}, {"op": "kevent", "kq": "kq", "changes": [{"ident": 3, "filter": "EVFILT_AIO", "flags": ["EV_ADD"], "data": 4096}]})"),
       "/processes/0/threads/0/ops/1/changes/0/data"},
      {"unknown config key",
       R"({"format": "aiomc-scenario/1", "name": "t", "config": {"max_aio_proc": 1},
           "processes": [{"name": "a", "threads": [{"name": "m"}]}]})",
       "/config/max_aio_proc"},
  };
}

}  // namespace

TEST_CASE("malformed scenarios name the file, the JSON pointer and a line", "[loader]") {
  const auto cases = malformed();
  REQUIRE(cases.size() >= 14);
  for (const auto& c : cases) {
    SECTION(c.what) { require_error_at(c.text, c.pointer); }
  }
}

TEST_CASE("error positions are the offending value's line and column", "[loader]") {
  const std::string text =
      "{\n"
      "  \"format\": \"aiomc-scenario/1\",\n"
      "  \"name\": \"t\",\n"
      "  \"processes\": [ { \"name\": \"a\", \"threads\": [ { \"name\": \"m\", \"ops\": [\n"
      "    { \"op\": \"aio_read\", \"job\": \"a\", \"fd\": 42 }\n"
      "  ] } ] } ]\n"
      "}\n";
  const std::string msg = load_error(text);
  CHECK(msg == "t.json: /processes/0/threads/0/ops/0/fd (line 5, column 43): expected the name of an object "
               "or of a kqueue created in process 'a', found integer 42");

  // An unknown key is located at the key itself.
  const std::string msg2 = load_error("{\"format\": \"aiomc-scenario/1\",\n  \"nme\": 1}");
  CHECK(msg2.rfind("t.json: /nme (line 2, column 3): unknown key 'nme'", 0) == 0);
}

TEST_CASE("JSON syntax errors carry line and column", "[loader]") {
  const std::string text = "{\n  \"format\": \"aiomc-scenario/1\",\n  \"name\": \"t\",,\n}";
  const std::string msg = load_error(text);
  INFO(msg);
  CHECK(msg.rfind("t.json: (line 3, column 15): ", 0) == 0);
  CHECK(msg.find("syntax error") != std::string::npos);

  // Unterminated input: the position is the end of the text.
  const std::string msg2 = load_error("{\"format\": \"aiomc-scenario/1\"");
  INFO(msg2);
  CHECK(msg2.rfind("t.json: (line 1, column 30): ", 0) == 0);
}

TEST_CASE("ops the model does not implement and unknown object types are refused by name", "[loader]") {
  // Every op of the format that the model does not implement yet is refused at its
  // pointer, whatever its arguments; the loop covers the Linux io_* ops today.
  int refused = 0;
  for (int k = 0; k < model::kOpKinds; ++k) {
    const auto kind = static_cast<model::OpKind>(k);
    if (model::op_supported(kind)) continue;
    const std::string name = model::op_name(kind);
    const std::string msg = load_error(with_ops("{\"op\": \"" + name + "\"}"));
    INFO(msg);
    CHECK(msg.rfind("t.json: /processes/0/threads/0/ops/0 (line ", 0) == 0);
    CHECK(msg.find("op '" + name + "' is not supported yet by this model") != std::string::npos);
    ++refused;
  }
  CHECK(refused == (model::op_supported(model::OpKind::io_setup) ? 0 : 5));
  const std::string msg = load_error(
      R"({"format": "aiomc-scenario/1", "name": "t", "objects": {"x": {"type": "tape"}},
          "processes": [{"name": "a", "threads": [{"name": "m"}]}]})");
  INFO(msg);
  CHECK(msg.rfind("t.json: /objects/x/type (line ", 0) == 0);
  CHECK(msg.find("expected an object type (raw_disk, file, socket, pipe), found string \"tape\"") != std::string::npos);
}

TEST_CASE("descriptors follow the order of objects in the file", "[loader]") {
  const auto s = load_ok(R"({"format": "aiomc-scenario/1", "name": "t",
    "objects": {"zeta": {"type": "file", "size": 100, "content": "hi"}, "alpha": {"type": "raw_disk", "max_io": 4096, "latency_ticks": [0, 3]}},
    "processes": [{"name": "a", "threads": [{"name": "m", "ops": [
      {"op": "aio_read", "job": "r", "fd": "alpha"}, {"op": "aio_read", "job": "f", "fd": "zeta"}]}]}]})");
  REQUIRE(s.program.objects.size() == 2);
  CHECK(s.program.objects[0].name == "zeta");
  CHECK(s.program.objects[0].type == model::ObjType::file);
  CHECK(s.program.objects[0].size == 100);
  CHECK(s.program.objects[0].content == "hi");
  CHECK(s.program.objects[1].name == "alpha");
  CHECK(s.program.objects[1].type == model::ObjType::raw_disk);
  CHECK(s.program.objects[1].max_io == 4096);
  CHECK(s.program.objects[1].sector_size == 512);
  CHECK(s.program.objects[1].latency_min == 0);
  CHECK(s.program.objects[1].latency_max == 3);
  CHECK(op0(s, 0).fd.kind == model::FdRef::Kind::object);
  CHECK(op0(s, 0).fd.index == 1);
  CHECK(op0(s, 1).fd.index == 0);
}

TEST_CASE("defaults of S10 and scenario-format.md", "[loader]") {
  const auto s = load_ok(with_ops(R"(
    {"op": "aio_read", "job": "a", "fd": "md0"},
    {"op": "lio_listio", "mode": "nowait", "list": [{"job": "b", "opcode": "write", "fd": "data"}]},
    {"op": "kqueue", "as": "kq"},
    {"op": "kevent", "kq": "kq"},
    {"op": "aio_suspend", "jobs": ["a"]},
    {"op": "aio_waitcomplete", "timeout": 0},
    {"op": "aio_cancel", "fd": "md0"})"));
  CHECK(s.name == "t");
  CHECK(s.description.empty());
  CHECK(s.config.aio_loaded);
  CHECK(s.config.target_aio_procs == 4);
  CHECK(s.config.hz == 100);
  const auto& read = op0(s, 0);
  CHECK(read.kind == model::OpKind::aio_read);
  CHECK(read.offset == 0);
  CHECK(read.nbytes == 512);
  CHECK(read.expect.kind == model::Expect::Kind::none);
  CHECK(read.pointer == "/processes/0/threads/0/ops/0");
  const auto& lio = op0(s, 1);
  CHECK_FALSE(lio.wait);
  REQUIRE(lio.list.size() == 1);
  CHECK(lio.list[0].opcode == model::LioOpcode::write);
  CHECK(lio.list[0].offset == 0);
  CHECK(lio.list[0].nbytes == 512);
  CHECK(lio.list[0].fd.index == 1);
  CHECK(lio.as == -1);
  CHECK(op0(s, 3).nevents == 1);
  CHECK_FALSE(op0(s, 3).timeout.has_value());
  CHECK_FALSE(op0(s, 4).timeout.has_value());
  REQUIRE(op0(s, 5).timeout.has_value());
  CHECK(*op0(s, 5).timeout == 0);
  CHECK(op0(s, 6).job == -1);
  REQUIRE(s.checks.size() == 1);
  CHECK(s.checks[0].variant_ids == std::vector<std::string>{"fixed"});
  CHECK(s.checks[0].expect == Check::Expect::pass);
  CHECK_FALSE(s.bounds.max_states.has_value());
}

TEST_CASE("an omitted lio_listio sigevent is NULL, unlike {\"notify\": \"none\"}", "[loader]") {
  const auto s = load_ok(with_ops(R"(
    {"op": "lio_listio", "mode": "wait", "list": []},
    {"op": "lio_listio", "mode": "wait", "list": [], "sigevent": {"notify": "none"}},
    {"op": "lio_listio", "mode": "wait", "list": [], "sigevent": {"notify": "none", "signo": "SIGUSR1"}},
    {"op": "lio_listio", "mode": "wait", "list": [], "sigevent": {"notify": "SIGEV_BOGUS", "signo": 99}})"));
  CHECK_FALSE(op0(s, 0).sigevent.has_value());
  REQUIRE(op0(s, 1).sigevent.has_value());
  CHECK(op0(s, 1).sigevent->notify == model::Notify::none);
  CHECK(op0(s, 1).sigevent->signo == 0);
  CHECK(op0(s, 2).sigevent->signo == 30);
  CHECK(op0(s, 3).sigevent->notify == model::Notify::other);
  CHECK(op0(s, 3).sigevent->signo == 99);
}

TEST_CASE("names are indexed per process in first-appearance order", "[loader]") {
  const auto s = load_ok(R"({"format": "aiomc-scenario/1", "name": "t",
    "objects": {"md0": {"type": "raw_disk"}},
    "processes": [
      {"name": "p1", "threads": [
        {"name": "t1", "ops": [
          {"op": "aio_read", "job": "x", "fd": "md0", "sigevent": {"notify": "thread_id", "signo": "SIGUSR2", "thread": "t2"}},
          {"op": "aio_write", "job": "y", "fd": "md0", "nbytes": 4096, "offset": 8192},
          {"op": "sem_post", "sem": "go"},
          {"op": "kqueue", "as": "kq"},
          {"op": "lio_listio", "mode": "nowait", "as": "L",
           "list": [{"job": "z", "opcode": "read", "fd": "md0"}, {"job": "x", "opcode": "nop", "fd": "md0"}],
           "sigevent": {"notify": "kevent", "kq": "kq", "udata": 7}},
          {"op": "kevent", "kq": "kq", "changes": [{"lio": "L", "filter": "EVFILT_LIO", "flags": ["EV_ADD", "EV_CLEAR"], "udata": 3}],
           "nevents": 2, "timeout": null,
           "expect": {"events": [{"filter": "EVFILT_AIO", "ident": "y", "flags": ["EV_EOF"], "data": "EIO"}]}}]},
        {"name": "t2", "ops": [
          {"op": "sem_wait", "sem": "go"},
          {"op": "aio_return", "job": "y", "expect": {"ret": 4096}},
          {"op": "close", "fd": "kq"}]}]},
      {"name": "p2", "threads": [{"name": "main", "ops": [
          {"op": "aio_read", "job": "y", "fd": "md0"},
          {"op": "aio_waitcomplete", "expect": {"job": "y", "ret": 512}}]}]}]})");
  REQUIRE(s.program.processes.size() == 2);
  const auto& p1 = s.program.processes[0];
  CHECK(p1.job_names == std::vector<std::string>{"x", "y", "z"});
  CHECK(p1.kq_names == std::vector<std::string>{"kq"});
  CHECK(p1.sem_names == std::vector<std::string>{"go"});
  CHECK(p1.lio_names == std::vector<std::string>{"L"});
  CHECK(p1.ctx_names.empty());
  const auto& t1 = p1.threads[0].ops;
  CHECK(t1[0].job == 0);
  CHECK(t1[0].sigevent->notify == model::Notify::thread_id);
  CHECK(t1[0].sigevent->thread == 1);
  CHECK(t1[0].sigevent->signo == 31);
  CHECK(t1[1].job == 1);
  CHECK(t1[1].nbytes == 4096);
  CHECK(t1[1].offset == 8192);
  CHECK(t1[3].as == 0);
  CHECK(t1[4].as == 0);
  CHECK(t1[4].list[0].job == 2);
  CHECK(t1[4].list[1].job == 0);
  CHECK(t1[4].list[1].opcode == model::LioOpcode::nop);
  CHECK(t1[4].sigevent->notify == model::Notify::kevent);
  CHECK(t1[4].sigevent->kq == 0);
  CHECK(t1[4].sigevent->udata == 7);
  REQUIRE(t1[5].changes.size() == 1);
  CHECK(t1[5].changes[0].ident_kind == model::KeventChange::IdentKind::lio);
  CHECK(t1[5].changes[0].ident == 0);
  CHECK(t1[5].changes[0].filter == model::Filter::lio);
  CHECK(t1[5].changes[0].flags == (model::evflag::EV_ADD | model::evflag::EV_CLEAR));
  CHECK(t1[5].changes[0].udata == 3);
  CHECK(t1[5].nevents == 2);
  REQUIRE(t1[5].expect.kind == model::Expect::Kind::events);
  const auto& ev = t1[5].expect.events.at(0);
  CHECK(ev.filter == model::Filter::aio);
  CHECK(ev.ident_job == 1);
  CHECK(ev.flags == std::vector<std::string>{"EV_EOF"});
  REQUIRE(ev.data.has_value());
  CHECK(ev.data->is_name);
  CHECK(ev.data->name == "EIO");
  const auto& t2 = p1.threads[1].ops;
  CHECK(t2[0].sem == 0);
  CHECK(t2[1].job == 1);
  CHECK(t2[1].expect.kind == model::Expect::Kind::ret);
  CHECK(t2[1].expect.value.number == 4096);
  CHECK(t2[2].fd.kind == model::FdRef::Kind::kqueue);
  CHECK(t2[2].fd.index == 0);
  const auto& p2 = s.program.processes[1];
  CHECK(p2.job_names == std::vector<std::string>{"y"});  // per process (S9)
  CHECK(p2.threads[0].ops[1].expect.kind == model::Expect::Kind::waitcomplete);
  CHECK(p2.threads[0].ops[1].expect.job == 0);
  CHECK(p2.threads[0].ops[1].expect.value.number == 512);
  CHECK(s.warnings.empty());
}

TEST_CASE("names nothing defines are warnings, not errors", "[loader]") {
  const auto s = load_ok(with_ops(R"(
    {"op": "aio_error", "job": "ghost", "expect": {"ret_in": [0, "EINPROGRESS", "EINVAL"]}},
    {"op": "kevent", "kq": "nokq", "expect": {"errno": "EBADF"}},
    {"op": "aio_return", "job": "a"},
    {"op": "aio_read", "job": "a", "fd": "md0"},
    {"op": "aio_cancel", "fd": "md0", "job": "ghost", "expect": {"ret": "AIO_ALLDONE"}})"));
  REQUIRE(s.warnings.size() == 2);
  CHECK(s.warnings[0] == "t.json: /processes/0/threads/0/ops/0/job: job 'ghost' is never submitted in process 'app'");
  CHECK(s.warnings[1].rfind("t.json: /processes/0/threads/0/ops/1/kq: kqueue 'nokq' is never created", 0) == 0);
  const auto& e = op0(s, 0).expect;
  REQUIRE(e.kind == model::Expect::Kind::ret_in);
  REQUIRE(e.ret_in.size() == 3);
  CHECK_FALSE(e.ret_in[0].is_name);
  CHECK(e.ret_in[1].name == "EINPROGRESS");
  CHECK(op0(s, 1).expect.kind == model::Expect::Kind::errno_);
  CHECK(op0(s, 1).expect.value.name == "EBADF");
  CHECK(op0(s, 2).job == op0(s, 3).job);  // a name used before its submission: same aiocb
  CHECK(op0(s, 4).expect.value.name == "AIO_ALLDONE");
}

TEST_CASE("a kqueue may be named as an fd before its kqueue op", "[loader]") {
  const auto s = load_ok(with_ops(R"({"op": "close", "fd": "kq", "expect": {"errno": "EBADF"}}, {"op": "kqueue", "as": "kq"})"));
  CHECK(op0(s, 0).fd.kind == model::FdRef::Kind::kqueue);
  CHECK(op0(s, 0).fd.index == 0);
  CHECK(op0(s, 1).as == 0);
}

TEST_CASE("config, checks, bounds and digest", "[loader]") {
  const std::string text = R"({"format": "aiomc-scenario/1", "name": "t", "description": "d",
    "config": {"aio_loaded": false, "target_aio_procs": 0, "max_aio_procs": 1, "aio_listio_max": 2, "unloadable": true, "hz": 1000},
    "processes": [{"name": "a", "threads": [{"name": "m", "ops": [{"op": "exit"}]}]}],
    "checks": [{"variant": "fixed", "expect": "pass"},
               {"variant": "lio-split-path-check", "expect": "violation", "invariant": "lio-notify-exact"},
               {"variant": ["notify-before-done", "kaio-wakeup-unlocked"], "expect": "violation"},
               {"variant": "freebsd-6.0", "expect": "incomplete"}],
    "bounds": {"max_states": 2000000, "max_depth": 400, "max_seconds": 1.5}})";
  const auto s = load_ok(text);
  CHECK(s.description == "d");
  CHECK_FALSE(s.config.aio_loaded);
  CHECK(s.config.aio_loadable);
  CHECK(s.config.target_aio_procs == 0);
  CHECK(s.config.max_aio_procs == 1);
  CHECK(s.config.aio_listio_max == 2);
  CHECK(s.config.unloadable);
  CHECK(s.config.hz == 1000);
  REQUIRE(s.checks.size() == 4);
  CHECK(s.checks[1].variant_ids == std::vector<std::string>{"lio-split-path-check"});
  CHECK(s.checks[1].invariant == std::optional<std::string>("lio-notify-exact"));
  CHECK(s.checks[2].variant_ids == std::vector<std::string>{"notify-before-done", "kaio-wakeup-unlocked"});
  CHECK(s.checks[2].pointer == "/checks/2");
  CHECK_FALSE(s.checks[2].invariant.has_value());
  CHECK(s.checks[3].expect == Check::Expect::incomplete);
  CHECK(s.bounds.max_states == std::optional<std::uint64_t>(2000000));
  CHECK(s.bounds.max_depth == std::optional<std::uint64_t>(400));
  CHECK(s.bounds.max_seconds == std::optional<double>(1.5));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH64(text.data(), text.size(), 0)));
  CHECK(s.digest == hex);
  CHECK(s.digest.size() == 16);
}

TEST_CASE("the complete example of scenario-format.md loads", "[loader]") {
  const auto s = load_ok(R"({
  "format": "aiomc-scenario/1",
  "name": "lio-split-raw-and-file-kevent",
  "description": "H1/H3: a list split across the physio fast path and the daemon queue must report completion once, after both members are done.",
  "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
  "objects": { "md0": { "type": "raw_disk" }, "data": { "type": "file" } },
  "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
    { "op": "kqueue", "as": "kq" },
    { "op": "lio_listio", "mode": "nowait",
      "list": [ { "job": "r", "opcode": "read", "fd": "md0", "nbytes": 4096 },
                { "job": "f", "opcode": "read", "fd": "data", "nbytes": 4096 } ],
      "sigevent": { "notify": "kevent", "kq": "kq", "udata": 7 },
      "expect": { "ret": 0 } },
    { "op": "kevent", "kq": "kq", "expect": { "events": [ { "filter": "EVFILT_LIO", "udata": 7 } ] } },
    { "op": "aio_return", "job": "r", "expect": { "ret": 4096 } },
    { "op": "aio_return", "job": "f", "expect": { "ret": 4096 } }
  ] } ] } ],
  "checks": [
    { "variant": "fixed", "expect": "pass" },
    { "variant": "lio-split-path-check", "expect": "violation", "invariant": "lio-notify-exact" }
  ]
})");
  CHECK(s.program.processes[0].threads[0].ops.size() == 5);
  CHECK(s.program.processes[0].job_names == std::vector<std::string>{"r", "f"});
  CHECK(op0(s, 2).expect.events.at(0).filter == model::Filter::lio);
  CHECK(op0(s, 2).expect.events.at(0).udata == 7);
  CHECK(s.warnings.empty());
}

TEST_CASE("pointers escape '/' and '~' in names", "[loader]") {
  const std::string msg = load_error(R"({"format": "aiomc-scenario/1", "name": "t",
    "objects": {"a/b~c": {"type": "file", "size": -1}}, "processes": [{"name": "a", "threads": [{"name": "m"}]}]})");
  CHECK(msg.rfind("t.json: /objects/a~1b~0c/size (line 2, column ", 0) == 0);
}

TEST_CASE("load_scenario_file reports unreadable files", "[loader]") {
  auto r = aiomc::loader::load_scenario_file("/nonexistent/dir/s.json");
  REQUIRE(std::holds_alternative<LoadError>(r));
  CHECK(std::get<LoadError>(r).message.rfind("/nonexistent/dir/s.json: ", 0) == 0);
}

#ifdef AIOMC_BINARY
TEST_CASE("aiomc run exits 2 on malformed scenarios and names the pointer", "[cli]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("aiomc-loader-tests-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto cases = malformed();
  REQUIRE(cases.size() >= 10);
  for (std::size_t i = 0; i < 10; ++i) {
    const auto& c = cases[i];
    INFO(c.what);
    const fs::path file = dir / ("bad" + std::to_string(i) + ".json");
    const fs::path err = dir / ("bad" + std::to_string(i) + ".err");
    std::ofstream(file) << c.text;
    const std::string cmd = std::string(AIOMC_BINARY) + " run '" + file.string() + "' >/dev/null 2>'" + err.string() + "'";
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    std::ifstream in(err);
    std::stringstream text;
    text << in.rdbuf();
    INFO(text.str());
    CHECK(text.str().find(file.string() + ": " + c.pointer + " (line ") != std::string::npos);
  }
  fs::remove_all(dir);
}
#endif
