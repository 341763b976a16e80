// The read half of a step's footprint (model/access_log.hpp): the state's kinded
// tables and the Kernel's global accessors note what a recorded step touches, by
// object, and nothing else; the log is not state.
#include "model/step_footprint.hpp"
#include "model/steps.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
using model::AccessLog;
using model::ObjKind;

namespace {
const std::string kLioSplit = std::string(AIOMC_SOURCE_DIR) + "/bench/scenarios/lio-split.json";

std::uint32_t bit(int i) { return 1u << i; }
}  // namespace

TEST_CASE("a kinded table notes the entries indexed and a walk as every entry; equality ignores the log",
          "[footprint]") {
  model::Table<int, 6, model::LioId> t{};
  AccessLog log;
  t[model::LioId(4)] = 7;  // not recording yet
  CHECK(log == AccessLog{});
  t.record_into(&log);
  CHECK(t[model::LioId(4)] == 7);
  (void)t[std::size_t{1}];
  CHECK(log.of(ObjKind::lio) == (bit(1) | bit(4)));
  CHECK(log.globals == 0);
  int sum = 0;
  for (int x : t) sum += x;
  CHECK(sum == 7);
  CHECK(log.of(ObjKind::lio) == 0x3Fu);
  CHECK(log.of(ObjKind::job) == 0);

  // Through a const table: the read-only half, indexed or walked.
  const auto& ct = t;
  AccessLog ro;
  t.record_into(&ro);
  CHECK(ct[model::LioId(2)] == 0);
  CHECK(ro.of(ObjKind::lio) == 0);
  CHECK(ro.reads[static_cast<std::size_t>(ObjKind::lio)] == bit(2));
  CHECK(ro.touched_of(ObjKind::lio) == bit(2));
  for (int x : ct) sum += x;
  CHECK(ro.of(ObjKind::lio) == 0);
  CHECK(ro.touched_of(ObjKind::lio) == 0x3Fu);
  t[model::LioId(3)] = 1;
  CHECK(ro.of(ObjKind::lio) == bit(3));
  // all() folds the halves together; covers() asks a written entry of the mutable half.
  CHECK(ro.all().of(ObjKind::lio) == 0x3Fu);
  AccessLog wrote;
  wrote.touch(ObjKind::lio, 3);
  CHECK(ro.covers(wrote));
  wrote.touch(ObjKind::lio, 2);
  CHECK_FALSE(ro.covers(wrote));
  CHECK(ro.all().covers(wrote));
  CHECK(ro.meets(wrote));
  t[model::LioId(3)] = 0;
  t.record_into(&log);

  model::Table<int, 6, model::LioId> u = t;
  u.record_into(nullptr);
  CHECK(u == t);  // the same entries, another log
  u[std::size_t{0}] = 1;
  CHECK_FALSE(u == t);
}

TEST_CASE("a recorded step touches its own objects and the ones it changed, and leaves no log behind", "[footprint]") {
  loader::Scenario sc = test::load_file(kLioSplit);
  test::Driver d(sc);
  const int main_thread = d.actor("app/main");
  const int side_thread = d.actor("app/side");

  // kqueue(2) in main: its thread, its process (fd table, P) and the new kqueue; no job,
  // no daemon, none of the aio globals.
  model::State before = d.state();
  model::StepInfo info = d.step("app/main");
  CHECK(info.touched.of(ObjKind::thread) == bit(main_thread));
  CHECK(info.touched.of(ObjKind::proc) == bit(0));
  CHECK(info.touched.of(ObjKind::kq) == bit(0));
  CHECK(info.touched.of(ObjKind::job) == 0);
  CHECK(info.touched.of(ObjKind::daemon) == 0);
  CHECK(info.touched.covers(model::written_objects(before, d.state())));
  // Of the globals, a thread's step reads the ghost "panicked" (nothing runs after
  // a panic) and Giant's owner (S8: a thread waits while another holds it), both
  // through read-only accessors: the log's read-only half, which the explorer
  // neither compares nor restores.
  CHECK(info.touched.globals == 0);
  CHECK(info.touched.global_reads == (model::G_PANICKED | model::G_GIANT));
  CHECK(info.touched.touched_globals() == (model::G_PANICKED | model::G_GIANT));
  CHECK(model::touched_kinds(d.model(), info.touched, main_thread) ==
        (model::W_GLOBAL | model::W_PANIC | model::W_PROC_OWN | model::W_THREAD_SELF | model::W_KQ));

  // aio_read in side: its thread, not main's.
  before = d.state();
  info = d.step("app/side");
  CHECK((info.touched.of(ObjKind::thread) & bit(side_thread)) != 0);
  CHECK((info.touched.of(ObjKind::thread) & bit(main_thread)) == 0);
  CHECK(info.touched.covers(model::written_objects(before, d.state())));

  // The state that comes out records nothing: the Kernel unhooks its log before the
  // state leaves the step.
  const model::State& after = d.state();
  CHECK(after.procs.rec.log == nullptr);
  CHECK(after.threads.rec.log == nullptr);
  CHECK(after.daemons.rec.log == nullptr);
  CHECK(after.disks.rec.log == nullptr);
  CHECK(after.jobs.rec.log == nullptr);
  CHECK(after.lios.rec.log == nullptr);
  CHECK(after.kqs.rec.log == nullptr);
  CHECK(after.knotes.rec.log == nullptr);
  CHECK(after.socks.rec.log == nullptr);
}
