// Kernel scripts: each test pins one interleaving by driving the model step by
// step and checks the state the kernel would be in.
#include "tests/test_support.hpp"

using namespace aiomc;
using aiomc::test::Driver;

namespace {

const char* kLioSplit = R"({
  "format": "aiomc-scenario/1", "name": "lio-split",
  "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
  "objects": { "md0": { "type": "raw_disk" }, "data": { "type": "file" } },
  "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
    { "op": "kqueue", "as": "kq" },
    { "op": "lio_listio", "mode": "nowait",
      "list": [ { "job": "r", "opcode": "read", "fd": "md0", "nbytes": 4096 },
                { "job": "f", "opcode": "read", "fd": "data", "nbytes": 4096 } ],
      "sigevent": { "notify": "kevent", "kq": "kq", "udata": 7 } },
    { "op": "kevent", "kq": "kq", "expect": { "events": [ { "filter": "EVFILT_LIO", "udata": 7 } ] } }
  ] } ] } ] })";

int lio_knote(const model::State& s) {
  for (int k = 0; k < model::kMaxKnotes; ++k)
    if (s.knotes[k].live && s.knotes[k].filter == static_cast<std::uint8_t>(model::Filter::lio)) return k;
  return -1;
}

}  // namespace

TEST_CASE("EVFILT_LIO activates only in the step that finishes the last member", "[model][script]") {
  Driver d(test::load_text(kLioSplit));
  d.step("app/main");                       // kqueue
  d.step("app/main");                       // aio_init_aioinfo
  for (int i = 0; i < 4; ++i) d.step("app/main");  // kqueue_register: attach, insert, clear DETACHED, f_event
  REQUIRE(d.step("app/main").action == "lio_listio:insert");
  REQUIRE(d.state().lios[0].lioj_count == 1);  // the extra hold
  REQUIRE(d.step("app/main").action == "aio_qphysio:quota_read");
  REQUIRE(d.step("app/main").action == "aio_qphysio:count");
  REQUIRE(d.step("app/main").action == "aio_qphysio:queue_bp");
  REQUIRE(d.step("app/main").action == "aio_qphysio:dev_strategy");
  // The raw member completes before the file member is even queued.
  d.step("disk:md0", model::StepKind::bio_done, 0);
  d.step("taskq:aiod_bio");
  model::StepInfo bio = d.step("taskq:aiod_bio");
  REQUIRE(bio.action == "biohelper:done");
  int kn = lio_knote(d.state());
  REQUIRE(kn >= 0);
  CHECK((d.state().knotes[kn].status & model::KN_ACTIVE) == 0);
  CHECK(d.state().lios[0].lioj_finished_count == 1);
  REQUIRE(d.step("app/main").action == "aio_aqueue:queue_daemon");
  REQUIRE(d.step("app/main").action == "aio_aqueue:wake_daemon");
  REQUIRE(d.step("app/main").action == "lio_listio:final");
  CHECK((d.state().knotes[kn].status & model::KN_ACTIVE) == 0);
  CHECK(d.state().lios[0].lioj_count == 2);  // hold dropped, two members counted
  REQUIRE(d.step("aiod:1").action == "aio_daemon:loop_top");
  REQUIRE(d.step("aiod:1").action == "aio_daemon:aio_process");
  CHECK((d.state().knotes[kn].status & model::KN_ACTIVE) == 0);
  model::StepInfo done = d.step("aiod:1");
  REQUIRE(done.action == "aio_daemon:complete");
  CHECK((d.state().knotes[kn].status & (model::KN_ACTIVE | model::KN_QUEUED)) == (model::KN_ACTIVE | model::KN_QUEUED));
  CHECK(d.state().kqs[0].kq_count == 1);
  CHECK(d.last_violations().empty());
}

TEST_CASE("lio-count-so-far posts EVFILT_LIO while lio_listio is still submitting", "[model][script][variant]") {
  Driver d(test::load_text(kLioSplit), test::variants({"lio-count-so-far"}));
  for (int i = 0; i < 7; ++i) d.step("app/main");  // kqueue, init, register x4, insert
  CHECK(d.state().lios[0].lioj_count == 0);  // no extra hold under F2
  for (int i = 0; i < 4; ++i) d.step("app/main");  // r on the fast path
  d.step("disk:md0", model::StepKind::bio_done, 0);
  d.step("taskq:aiod_bio");
  d.step("taskq:aiod_bio");
  CHECK(d.last_violations().has(model::Inv::lio_notify_exact));
}

TEST_CASE("aio_return reaps once; the second call fails with EINVAL", "[model][script]") {
  Driver d(test::load_text(R"({
    "format": "aiomc-scenario/1", "name": "return-twice",
    "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
    "objects": { "data": { "type": "file" } },
    "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
      { "op": "aio_read", "job": "a", "fd": "data" },
      { "op": "aio_suspend", "jobs": ["a"] },
      { "op": "aio_return", "job": "a", "expect": { "ret": 512 } },
      { "op": "aio_return", "job": "a", "expect": { "errno": "EINVAL" } }
    ] } ] } ] })"));
  d.step("app/main");  // init
  d.step("app/main");  // queue_daemon
  d.step("app/main");  // wake_daemon
  d.step("aiod:1");
  d.step("aiod:1");
  d.step("aiod:1");
  REQUIRE(d.state().jobs[0].jobstate == model::JOBST_JOBFINISHED);
  d.step("app/main");  // aio_suspend finds it finished
  model::StepInfo r1 = d.step("app/main");
  CHECK(r1.result == "ret 512");
  model::StepInfo r2 = d.step("app/main");
  CHECK(r2.result == "errno EINVAL");
  CHECK(d.last_violations().empty());
  CHECK(d.state().procs[0].kaio_count == 0);
}

TEST_CASE("a KAIO_WAKEUP waiter is woken by the completion that puts its job on kaio_done", "[model][script]") {
  Driver d(test::load_text(R"({
    "format": "aiomc-scenario/1", "name": "suspend-wakeup",
    "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
    "objects": { "data": { "type": "file" } },
    "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
      { "op": "aio_read", "job": "a", "fd": "data" },
      { "op": "aio_suspend", "jobs": ["a"], "expect": { "ret": 0 } }
    ] } ] } ] })"));
  d.step("app/main");
  d.step("app/main");
  d.step("app/main");
  model::StepInfo sus = d.step("app/main");
  CHECK(sus.action == "aio_suspend:scan");
  CHECK(d.state().threads[0].status == model::TS_SLEEP);
  CHECK((d.state().procs[0].kaio_flags & model::KAIO_WAKEUP) != 0);
  d.step("aiod:1");
  d.step("aiod:1");
  CHECK(d.state().threads[0].status == model::TS_SLEEP);
  d.step("aiod:1");  // complete: aio_bio_done_notify clears KAIO_WAKEUP and wakes
  CHECK(d.state().threads[0].status == model::TS_RUN);
  CHECK((d.state().procs[0].kaio_flags & model::KAIO_WAKEUP) == 0);
  CHECK(d.step("app/main").result == "ret 0");
}

TEST_CASE("two submitters at the per-process cap both pass aio_aqueue's unlocked quota read", "[model][script]") {
  Driver d(test::load_file(std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/quota-race-both-pass.json"));
  REQUIRE(d.step("app/t1").action == "aio_init_aioinfo:test");
  REQUIRE(d.step("app/t2").action == "aio_init_aioinfo:test");  // both see p_aioinfo == NULL
  REQUIRE(d.step("app/t1").action == "aio_init_aioinfo:install");
  REQUIRE(d.step("app/t2").action == "aio_init_aioinfo:install");  // frees its own kaioinfo
  CHECK(d.state().procs[0].has_aioinfo == 1);
  REQUIRE(d.step("app/t1").action == "aio_aqueue:entry");
  REQUIRE(d.step("app/t2").action == "aio_aqueue:entry");  // kaio_count is still 0
  REQUIRE(d.step("app/t1").action == "aio_aqueue:queue_daemon");
  d.step("app/t1");  // wake_daemon: returns 0
  REQUIRE(d.step("app/t2").action == "aio_aqueue:queue_daemon");
  model::StepInfo second = d.step("app/t2");
  CHECK(second.result == "ret 0");
  CHECK(d.state().procs[0].kaio_count == 2);  // past kaio_qallowed_count 1 (S4: not an invariant)
  CHECK(d.last_violations().empty());
}

TEST_CASE("aio_aqueue returns after creating a daemon instead of retrying retryproc", "[model][script]") {
  Driver d(test::load_text(R"({
    "format": "aiomc-scenario/1", "name": "newproc-once",
    "config": { "target_aio_procs": 0, "max_aio_procs": 4 },
    "objects": { "data": { "type": "file" } },
    "processes": [ { "name": "app", "threads": [ { "name": "main", "ops": [
      { "op": "aio_read", "job": "a", "fd": "data", "expect": { "ret": 0 } },
      { "op": "aio_suspend", "jobs": ["a"], "expect": { "ret": 0 } }
    ] } ] } ] })"));
  d.step_until("app/main", "aio_aqueue:wake_daemon");  // aio_freeproc is empty: reserve one
  REQUIRE(d.step("app/main").action == "aio_newproc:kthread_create");
  d.step("aiod:1");  // joins aio_freeproc, sema_post
  d.step("aiod:1");  // top of its loop: off aio_freeproc, selects job a
  model::StepInfo started = d.step("app/main");
  REQUIRE(started.action == "aio_newproc:started");
  // 1.220 loops back to retryproc only when aio_newproc fails: no second daemon,
  // no wakeup of the one that already runs the job.
  CHECK(started.result == "ret 0");
  CHECK(d.state().num_aio_procs == 1);
  CHECK(d.state().num_aio_resv_start == 0);
}

TEST_CASE("a SIGEV_THREAD_ID signal to a thread that ran out of ops is queued for it (S25)", "[model][script]") {
  Driver d(test::load_text(R"({
    "format": "aiomc-scenario/1", "name": "thread-id-done",
    "config": { "target_aio_procs": 1, "max_aio_procs": 1 },
    "objects": { "data": { "type": "file" } },
    "processes": [ { "name": "app", "threads": [
      { "name": "main", "ops": [
        { "op": "aio_read", "job": "a", "fd": "data",
          "sigevent": { "notify": "thread_id", "signo": "SIGUSR1", "thread": "idle" } },
        { "op": "aio_suspend", "jobs": ["a"] } ] },
      { "name": "idle", "ops": [] } ] } ] })"));
  CHECK(d.state().threads[1].status == model::TS_DONE);
  d.step_until("app/main", "aio_aqueue:wake_daemon");
  d.step("aiod:1");  // loop top: selects job a
  d.step("aiod:1");  // aio_process
  model::StepInfo done = d.step("aiod:1");
  REQUIRE(done.action == "aio_daemon:complete");
  const auto& pending = d.state().procs[0].sigpending;
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].thread == model::ThreadId(1));  // directed at app/idle, still alive (no implicit exit, S14)
  CHECK(d.state().jobs[0].ksi_onq == 1);
}
