// Schedules by hand (aiomc run --schedule) and reproducing a reported order
// (aiomc reproduce): exact verdicts, lengths and reasons.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "report/commands.hpp"

namespace aiomc {
namespace {

const std::string kF8 = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/kqclose-influx-double-drop.json";

struct Ran {
  int code;
  std::string out, err;
};

Ran run_schedule(const std::string& schedule, const std::string& variant = "kqclose-influx-double-drop") {
  report::RunCommandOptions o;
  o.scenario = kF8;
  o.variants = {variant};
  o.schedule = schedule;
  std::ostringstream out, err;
  const int code = report::run_command(o, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("run --schedule: a complete schedule with `*` runs to its end", "[schedule]") {
  const Ran r = run_schedule("reaper,*,closer:kqueue_close:scan,*");
  CHECK(r.code == 0);
  CHECK(r.out.find("19     0  app/closer  kqueue_close:scan") != std::string::npos);
  CHECK(r.out.find("steps 22,") != std::string::npos);
  CHECK(r.out.find("the schedule is complete (4 items)") != std::string::npos);
}

TEST_CASE("run --schedule: an item that is not enabled stops with exit 1 and says why", "[schedule]") {
  const Ran r = run_schedule("reaper,closer,closer:kqueue_close");
  CHECK(r.code == 1);
  CHECK(r.out.find("stopped: schedule item 3 `closer:kqueue_close` is not enabled\n"
                   "  enabled: app/reaper, aiod:1\n"
                   "  app/closer sleeps on a user semaphore #0 and no wakeup has come\n") != std::string::npos);
  CHECK(r.out.find("steps 2,") != std::string::npos);
}

TEST_CASE("run --schedule: unknown actors and steps are bad input", "[schedule]") {
  Ran r = run_schedule("reaper,nobody");
  CHECK(r.code == 2);
  CHECK(r.err.find("--schedule item 2 `nobody`: no actor of the scenario has this name") != std::string::npos);
  r = run_schedule("reaper:no_such_function");
  CHECK(r.code == 2);
  CHECK(r.err.find("is not a kernel function") != std::string::npos);
}

}  // namespace aiomc
