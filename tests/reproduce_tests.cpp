// Schedules by hand (aiomc run --schedule) and reproducing a reported order
// (aiomc reproduce): exact verdicts, lengths and reasons.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "report/commands.hpp"
#include "tests/cli_support.hpp"

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

namespace aiomc {
namespace {

struct Reproduced {
  int code;
  std::string out, err;
};

Reproduced reproduce(const std::string& scenario, const std::string& order, const std::string& variant,
                     const std::string& trace = "") {
  report::ReproduceCommandOptions o;
  o.scenario = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/" + scenario + ".json";
  o.order = std::string(AIOMC_SOURCE_DIR) + "/examples/orders/" + order;
  o.variants = {variant};
  o.trace_file = trace;
  std::ostringstream out, err;
  const int code = report::reproduce_command(o, out, err);
  return {code, out.str(), err.str()};
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("reproduce: the seed races under their variants, with exact schedule lengths", "[reproduce]") {
  struct Row {
    const char *scenario, *order, *verdict, *violation;
  };
  const Row rows[] = {
      {"knlist-clear-stale-knote", "F1-knlist-clear-stale-knote.json", "verdict: reproduced in 14 steps\n",
       "violates no-stale-kevent at step 13: knote#0 still refers to a freed job\n"},
      {"lio-count-so-far", "F2-lio-count-so-far.json", "verdict: reproduced in 15 steps\n",
       "violates lio-notify-exact at step 13: EVFILT_LIO activation for lio#0 with 1 of 1 members finished while lio_listio is still submitting\n"},
      {"kqclose-influx-double-drop", "F8-kqclose-influx-double-drop.json", "verdict: reproduced in 19 steps\n",
       "violates knote-single-drop at step 18: knote_drop of knote#0 EVFILT_AIO, already dropped and freed\n"},
      {"kaio-wakeup-unlocked", "F12-kaio-wakeup-unlocked.json", "verdict: reproduced in 11 steps\n",
       "violates no-deadlock in the state after step 10: app/main sleeps in aio_suspend (op 1) and nothing can wake it\n"},
      // The text format: the F8 story as three pasted lines.
      {"kqclose-influx-double-drop", "kqclose-influx-double-drop.txt", "verdict: reproduced in 19 steps\n",
       "  step 14: e1 reaper aio_free_entry\n  step 16: e2 closer kqueue_close:scan\n  step 17: e3 reaper knlist_delete:knote_drop\n"},
      // The text format: the premature LIO signal (F3), pasted timeline lines.
      {"lio-split-path-check", "lio-split-path-check.txt", "verdict: reproduced in 15 steps\n",
       "violates lio-notify-exact at step 9: LIO signal for lio#0 with 1 of 1 members finished while lio_listio is still submitting\n"},
  };
  for (const Row& row : rows) {
    INFO(row.order);
    const Reproduced r = reproduce(row.scenario, row.order, row.scenario);
    CHECK(r.code == 1);
    CHECK(has(r.out, row.verdict));
    CHECK(has(r.out, row.violation));
  }
}

TEST_CASE("reproduce: the seed races are impossible under fixed, with the model's reason", "[reproduce]") {
  struct Row {
    const char *scenario, *order, *prefix, *reason;
  };
  const Row rows[] = {
      {"knlist-clear-stale-knote", "F1-knlist-clear-stale-knote.json", "longest satisfiable prefix: 1 of 2 events, in 11 steps\n",
       "  app/main runs aio_free_entry there, but knote#0 is then absent, not with EVFILT_AIO\n"},
      {"lio-count-so-far", "F2-lio-count-so-far.json", "longest satisfiable prefix: 2 of 3 events, in 20 steps\n",
       "  app/main runs aio_aqueue:queue_daemon at step 11, before post has happened\n"},
      {"kqclose-influx-double-drop", "F8-kqclose-influx-double-drop.json", "longest satisfiable prefix: 2 of 3 events, in 21 steps\n",
       "  app/reaper can run knlist_delete:retry there, and no schedule from there makes the event happen\n"},
      {"kaio-wakeup-unlocked", "F12-kaio-wakeup-unlocked.json", "longest satisfiable prefix: 2 of 3 events, in 7 steps\n",
       "  app/main runs aio_suspend there, but app/main is then op 2 run, not with sleep\n"},
      {"lio-split-path-check", "lio-split-path-check.txt", "longest satisfiable prefix: 2 of 4 events, in 9 steps\n",
       "  softclock has nothing to do here (it runs only when work is queued for it)\n"},
  };
  for (const Row& row : rows) {
    INFO(row.order);
    const Reproduced r = reproduce(row.scenario, row.order, "fixed");
    CHECK(r.code == 1);
    CHECK(has(r.out, "verdict: impossible: no schedule has the order\n"));
    CHECK(has(r.out, row.prefix));
    CHECK(has(r.out, row.reason));
  }
}

TEST_CASE("reproduce: the trace it writes replays, violation included", "[reproduce]") {
  const std::string trace = test::scratch().string() + "/reproduce-f2.trace.json";
  const Reproduced r = reproduce("lio-count-so-far", "F2-lio-count-so-far.json", "lio-count-so-far", trace);
  REQUIRE(r.code == 1);
  report::ReplayCommandOptions o;
  o.trace_file = trace;
  std::ostringstream out, err;
  CHECK(report::replay_command(o, out, err) == 0);
  CHECK(has(out.str(), "matched: 15 steps, every digest as recorded; lio-notify-exact violated at step 13 as recorded"));
  // replay ends with check's column view and the causal slice: the knote attach, the
  // count of the raw member, the biohelper's premature activation.
  CHECK(has(out.str(), "  8* aio_qphysio:count "));
  CHECK(has(out.str(), "     causal slice: 3 of 15 steps (marked *): 2 8 13\n"));
}

TEST_CASE("reproduce: the causal slice of F8 is the race's 8 steps of 19", "[reproduce][slice]") {
  const Reproduced r = reproduce("kqclose-influx-double-drop", "F8-kqclose-influx-double-drop.json", "kqclose-influx-double-drop");
  CHECK(has(r.out, "     causal slice: 8 of 19 steps (marked *): 3 5 6 11 14 16 17 18\n"));
  CHECK(has(r.out, " 16* |                             kqueue_close:scan "));
}

TEST_CASE("reproduce: an order reached without a violation exits 0; bad orders exit 2", "[reproduce]") {
  // Under fixed the F8 story's first two events happen, harmlessly.
  const std::string dir = test::scratch().string();
  const Reproduced ok = [&] {
    report::ReproduceCommandOptions o;
    o.scenario = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/kqclose-influx-double-drop.json";
    o.order = dir + "/reproduce-ok.order";
    std::ofstream(o.order) << "# two lines\n3  app/reaper  aio_free_entry   job a freed\ncloser kqueue_close:scan\n";
    std::ostringstream out, err;
    const int code = report::reproduce_command(o, out, err);
    return Reproduced{code, out.str(), err.str()};
  }();
  CHECK(ok.code == 0);
  CHECK(has(ok.out, "verdict: reached in 17 steps, with no invariant violated on any schedule that has the order\n"));
  auto bad = [&](const std::string& text) {
    report::ReproduceCommandOptions o;
    o.scenario = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/kqclose-influx-double-drop.json";
    o.order = dir + "/reproduce-bad.order";
    std::ofstream(o.order) << text;
    std::ostringstream out, err;
    CHECK(report::reproduce_command(o, out, err) == 2);
    return err.str();
  };
  CHECK(has(bad("reaper aio_free_entry\nnobody here\n"), "reproduce-bad.order: line 2: no word names an actor of the scenario"));
  CHECK(has(bad("{\"format\": \"aiomc-order/1\", \"events\": [{\"actor\": \"reaper\"}]}"), "reproduce-bad.order: /events/0/function: missing, expected a string"));
  CHECK(has(bad("{\"format\": \"aiomc-order/1\", \"events\": [{\"actor\": \"reaper\", \"function\": \"nope\"}]}"),
            "/events/0: `nope` is not a kernel function"));
  CHECK(has(bad("{\"format\": \"aiomc-order/1\", \"events\": [{\"id\": \"a\", \"actor\": \"reaper\", \"function\": \"aio_free_entry\"},"
                "{\"id\": \"b\", \"actor\": \"closer\", \"function\": \"kqueue_close\"}], \"before\": [[\"a\",\"b\"],[\"b\",\"a\"]]}"),
            "/before: the edges make a cycle"));
  CHECK(has(bad("{\"format\": \"aiomc-order/1\", \"events\": ["), "(line 1, column"));
  // A bound hit before the order happens: exit 3 (S25), with the prefix so far.
  report::ReproduceCommandOptions o;
  o.scenario = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/kqclose-influx-double-drop.json";
  o.order = std::string(AIOMC_SOURCE_DIR) + "/examples/orders/F8-kqclose-influx-double-drop.json";
  o.variants = {"kqclose-influx-double-drop"};
  o.max_states = 20;
  std::ostringstream out, err;
  CHECK(report::reproduce_command(o, out, err) == 3);
  CHECK(has(out.str(), "verdict: unknown: --max-states 20 reached before the order happened\n"));
}

}  // namespace aiomc

namespace aiomc {

TEST_CASE("the steps table names each step's function in vfs_aio.c 1.220 / kern_event.c 1.95", "[reproduce][steps]") {
  report::ListCommandOptions o;
  o.what = "steps";
  std::ostringstream out, err;
  REQUIRE(report::list_command(o, out, err) == 0);
  const std::string text = out.str();
  auto row = [&](const std::string& step) {
    const std::size_t at = text.find("\n" + step + " ");
    return at == std::string::npos ? std::string() : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  CHECK(row("aio_free_entry").find(" vfs_aio.c:528 ") != std::string::npos);
  CHECK(row("kqueue_close:scan").find(" kern_event.c:1413 ") != std::string::npos);
  CHECK(row("knlist_delete:knote_drop").find(" kern_event.c:1709 ") != std::string::npos);
  CHECK(row("sem_wait").find(" - ") != std::string::npos);
}

}  // namespace aiomc

namespace aiomc {

// aiomc view's page in a real browser: headless Chromium (Debian's chromium, installed
// by scripts/deps.sh) loads it, runs its script, and the DOM it dumps is checked.
TEST_CASE("view --html: headless Chromium renders the lifelines, the steps and the violation", "[view][browser]") {
  const std::string dir = test::scratch().string();
  const std::string trace = dir + "/view-f8.trace.json", html = dir + "/view-f8.html", dom = dir + "/view-f8.dom";
  report::ReproduceCommandOptions ro;
  ro.scenario = std::string(AIOMC_SOURCE_DIR) + "/scenarios/history/kqclose-influx-double-drop.json";
  ro.order = std::string(AIOMC_SOURCE_DIR) + "/examples/orders/F8-kqclose-influx-double-drop.json";
  ro.variants = {"kqclose-influx-double-drop"};
  ro.trace_file = trace;
  std::ostringstream out, err;
  REQUIRE(report::reproduce_command(ro, out, err) == 1);
  report::ViewCommandOptions vo;
  vo.trace_file = trace;
  vo.html_file = html;
  REQUIRE(report::view_command(vo, out, err) == 0);
  const std::string page = test::slurp(html);
  CHECK(page.find("http://") == std::string::npos);  // self-contained: nothing from the network
  CHECK(page.find("https://") == std::string::npos);
  const std::string cmd = "chromium --headless --no-sandbox --disable-gpu --dump-dom " + test::quoted("file://" + html) +
                          " > " + test::quoted(dom) + " 2> /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string d = test::slurp(dom);
  CHECK(has(d, "data-rendered-steps=\"19\""));      // the script ran: 19 step boxes
  CHECK(has(d, "data-rendered-lifelines=\"3\""));   // app/reaper, app/closer, aiod:1
  CHECK(has(d, ">app/reaper</th>"));
  CHECK(has(d, ">app/closer</th>"));
  CHECK(has(d, ">aiod:1</th>"));
  CHECK(has(d, "<tr class=\"row slice violation\" data-step=\"18\">"));
  CHECK(has(d, "id=\"violation-text\">✗ free-once: knote#0 freed twice"));
  CHECK(has(d, "data-slice=\"8\""));
  CHECK(has(d, "data-action=\"kqueue_close:scan\""));
}

// Sleeps and wakeups: a seeded run in which app/main sleeps in aio_suspend twice and
// aiod:1 is woken twice by aio_aqueue; each wakeup is an arrow to the woken lifeline.
TEST_CASE("view --html: sleeps are marked and wakeups drawn as arrows", "[view][browser]") {
  const std::string dir = test::scratch().string();
  const std::string trace = dir + "/view-wake.trace.json", html = dir + "/view-wake.html", dom = dir + "/view-wake.dom";
  report::RunCommandOptions ro;
  ro.scenario = std::string(AIOMC_SOURCE_DIR) + "/scenarios/native/file-read-suspend-return.json";
  ro.seed = 1;
  ro.trace_file = trace;
  std::ostringstream out, err;
  REQUIRE(report::run_command(ro, out, err) == 0);
  report::ViewCommandOptions vo;
  vo.trace_file = trace;
  vo.html_file = html;
  REQUIRE(report::view_command(vo, out, err) == 0);
  const std::string cmd = "chromium --headless --no-sandbox --disable-gpu --dump-dom " + test::quoted("file://" + html) +
                          " > " + test::quoted(dom) + " 2> /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string d = test::slurp(dom);
  CHECK(has(d, "data-rendered-steps=\"27\""));
  CHECK(has(d, "data-rendered-wakeups=\"4\""));  // aiod:1 at steps 3 and 17, app/main at 8 and 21
  CHECK(has(d, "data-rendered-sleeps=\"2\""));   // app/main's aio_suspend:scan at 6 and 18
  // Step 8 (aiod:1's aio_daemon:complete) wakes app/main: the arrow ends on its lifeline.
  CHECK(has(d, "data-step=\"8\"><td class=\"idx\">8</td><td class=\"lifeline\"><div class=\"arrow-head\" "
               "title=\"wakeup\">woken ◀──</div>"));
}

}  // namespace aiomc
