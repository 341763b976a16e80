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
  // a panic) and Giant's owner (S8: a thread waits while another holds it).
  CHECK(info.touched.globals == (model::G_PANICKED | model::G_GIANT));
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
