// aiomc: the command line (cli-and-reports.md). A thin CLI11 front end: each
// subcommand fills one options struct and calls its function in report/commands.hpp.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <limits>
#include <string_view>
#include <vector>
#include <iostream>

#include <CLI/CLI.hpp>

#include "checker/explorer.hpp"
#include "cli/completion.hpp"
#include "model/config.hpp"
#include "loader/suggest.hpp"
#include "report/files.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/provenance.hpp"

namespace {

using namespace aiomc::report;

enum class Command { none, run, check, replay, reproduce, view, list, graph };

// The words some options accept: what validates them also completes them.
const std::vector<std::string> kListWhat = {"invariants", "variants", "ops", "limits", "steps"};
const std::vector<std::string> kAnnotateKinds = {"github"};

struct Options {
  Command command = Command::none;
  RunCommandOptions run;
  CheckCommandOptions check;
  ReplayCommandOptions replay;
  ReproduceCommandOptions reproduce;
  ViewCommandOptions view;
  ListCommandOptions list;
  GraphCommandOptions graph;
};

// A number above zero (CLI11's PositiveNumber prints the whole double range when it fails).
CLI::Validator positive() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !(v > 0))
          return "expected a number above 0, found '" + text + "'";
        return "";
      },
      "NUMBER > 0");
}

// A whole number from 0 to `max`, digits only ("-1" or "1e3" are refused rather than
// wrapped or rounded).
CLI::Validator whole_number(std::uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        const std::string expected = "expected a whole number from 0 to " + std::to_string(max) + ", found '" + text + "'";
        if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
          return expected;
        errno = 0;
        const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
        if (errno == ERANGE || v > max) return expected;
        return "";
      },
      "0.." + std::to_string(max));
}

void add_run(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("run", "simulate one schedule chosen by a seeded scheduler");
  c->add_option("scenario", o.run.scenario, "scenario file")->required();
  c->add_option("--variant", o.run.variants,
                "variant id (fixed, a bug variant, an era); repeatable")
      ->allow_extra_args(false);
  c->add_option("--seed", o.run.seed, "scheduler seed")
      ->capture_default_str()
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()));
  c->add_option("--trace", o.run.trace_file, "write the trace (aiomc-trace/1) to FILE");
  c->add_flag("--json", o.run.json, "print a JSON object instead of the timeline");
  c->add_option("--schedule", o.run.schedule,
                "run this schedule instead of a seeded one: actors, comma-separated (main,aiod:1,closer:kqueue_close:scan,*,...)");
  c->add_option("--max-steps", o.run.max_steps, "stop after N steps (exit 3)")
      ->capture_default_str()
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()));
  c->add_option("--runs", o.run.runs,
                "a batch of N runs with seeds SEED, SEED+1, ...: a summary with steps/s")
      ->capture_default_str()
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()));
  c->callback([&o] { o.command = Command::run; });
}

void add_check(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("check", "explore every schedule and compare verdicts");
  CheckCommandOptions& k = o.check;
  c->add_option("scenarios", k.inputs, "scenario files or directories (every *.json below)")
      ->required();
  c->add_option("--variant", k.variants, "check this variant set instead of the scenario's checks")
      ->allow_extra_args(false);
  c->add_option("--report", k.report_file, "write the JSON report (aiomc-report/1) to FILE");
  c->add_option("--junit", k.junit_file, "write JUnit XML to FILE");
  c->add_option("--trace-dir", k.trace_dir, "write a trace per counterexample into DIR");
  c->add_option("--sarif", k.sarif_file, "write SARIF 2.1.0 (for code-scanning views) to FILE");
  c->add_option("--annotate", k.annotate,
                "print CI annotations for problems: github (::error file=...,line=...::)")
      ->check(CLI::IsMember(kAnnotateKinds));
  c->add_option("--max-states", k.max_states, "bound on states (overrides the scenario's)")
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()) & positive());
  c->add_option("--max-depth", k.max_depth, "bound on depth (overrides the scenario's)")
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()) & positive());
  c->add_option("--max-seconds", k.max_seconds, "bound on time (overrides the scenario's)")
      ->check(positive());
  c->add_option("--max-total-seconds", k.max_total_seconds,
                 "bound on the time of the whole run, over all checks")
      ->check(positive());
  c->add_option("--max-memory", k.max_memory_mb,
                "bound on the memory one search holds, in MiB (default: 3/4 of physical memory)")
      ->check(whole_number(std::numeric_limits<std::uint32_t>::max()));
  c->add_option("--progress", k.progress_seconds,
                "a progress line on stderr every SECONDS, terminal or not (on, every 10 s, under CI=true)")
      ->check(positive());
  c->add_flag("--all-violations", k.all_violations,
              "search on after the expected violation is found (every violated invariant)");
  c->add_option("--threads", k.threads, "worker threads (default: hardware concurrency)")
      ->check(whole_number(static_cast<std::uint64_t>(aiomc::checker::kMaxThreads)));
  c->add_flag("--stats", k.stats, "print search statistics per check");
  c->add_flag("--quiet", k.quiet, "print only checks that are not as expected");
  c->add_flag("--exact", k.exact, "store canonical states (no digest collisions)");
  c->add_flag("--liveness", k.liveness,
              "also check job-completes, waiter-returns, exit-completes under fairness (S18); on anyway "
              "for a scenario whose checks name one of them");
  c->add_option_function<std::string>(
       "--reductions", [&k](const std::string& v) { k.reductions = v == "on"; },
       "on|off: symmetry reduction of AIO daemons and job slots, and a process's kaio queues as sets where "
       "nothing in the scenario reads their order (default: on)")
      ->check(CLI::IsMember({"on", "off"}));
  c->add_option_function<std::string>(
       "--engine", [&k](const std::string& v) { k.in_place = v == "in-place"; },
       "in-place|copy: how a safety search makes successors: each step run on a working copy of its "
       "parent and undone (default), or each successor a copy of its own (the two agree)")
      ->check(CLI::IsMember({"in-place", "copy"}));
  c->add_option("--search", k.search,
                "bfs|dfs|auto: breadth-first; depth-first, searched again breadth-first when it meets a violation "
                "or a state or depth bound (same verdicts and counts, less memory, faster); auto (default): dfs "
                "for the checks that expect pass, bfs for the rest")
      ->check(CLI::IsMember({"bfs", "dfs", "auto"}));
  c->callback([&o] { o.command = Command::check; });
}

void add_replay(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("replay", "re-execute a trace and verify every step");
  c->add_option("trace", o.replay.trace_file, "trace file")->required();
  c->add_option("--scenario", o.replay.scenario, "scenario file (default: the trace's)");
  c->callback([&o] { o.command = Command::replay; });
}

void add_reproduce(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("reproduce", "find the shortest schedule with a reported order of kernel events");
  c->add_option("scenario", o.reproduce.scenario, "scenario file")->required();
  c->add_option("order", o.reproduce.order, "ORDER file: aiomc-order/1 JSON or `<actor> <function>[:step]` lines")->required();
  c->add_option("--variant", o.reproduce.variants, "variant id (fixed, a bug variant, an era); repeatable")
      ->allow_extra_args(false);
  c->add_option("--trace", o.reproduce.trace_file, "write the schedule found as a trace (aiomc-trace/1) to FILE");
  c->add_option("--max-states", o.reproduce.max_states, "stop after N states (exit 3)")
      ->capture_default_str()
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()));
  c->callback([&o] { o.command = Command::reproduce; });
}

void add_view(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("view", "draw a trace as a self-contained HTML message-sequence chart");
  c->add_option("trace", o.view.trace_file, "trace file")->required();
  c->add_option("--html", o.view.html_file, "write the page to FILE")->required();
  c->callback([&o] { o.command = Command::view; });
}

void add_graph(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand(
      "graph",
      "write the state graph as Graphviz DOT (counterexample in red, cycles' SCCs as clusters); "
      "a graph above --max-states is refused with exit 3 (a bound was hit), since a DOT that large cannot be read");
  c->add_option("scenario", o.graph.scenario, "scenario file")->required();
  c->add_option("--variant", o.graph.variants, "variant set (default: fixed)")->allow_extra_args(false);
  c->add_option("--dot", o.graph.dot_file, "the DOT file to write")->required();
  c->add_option("--max-states", o.graph.max_states, "refuse (exit 3) a graph with more states (default 2000)")
      ->check(whole_number(1000000) & positive());
  c->callback([&o] { o.command = Command::graph; });
}

void add_list(CLI::App& app, Options& o) {
  CLI::App* c = app.add_subcommand("list", "print a catalog from the code");
  c->add_option("what", o.list.what, "invariants, variants, ops, limits or steps")
      ->required()
      ->check(CLI::IsMember(kListWhat));
  c->callback([&o] { o.command = Command::list; });
}

int dispatch(const Options& o) {
  switch (o.command) {
    case Command::run: return run_command(o.run, std::cout, std::cerr);
    case Command::check: return check_command(o.check, std::cout, std::cerr);
    case Command::replay: return replay_command(o.replay, std::cout, std::cerr);
    case Command::reproduce: return reproduce_command(o.reproduce, std::cout, std::cerr);
    case Command::view: return view_command(o.view, std::cout, std::cerr);
    case Command::list: return list_command(o.list, std::cout, std::cerr);
    case Command::graph: return graph_command(o.graph, std::cout, std::cerr);
    case Command::none: break;
  }
  return kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aiomc: simulator and model checker for FreeBSD's AIO/kqueue kernel code", "aiomc"};
  app.set_version_flag("--version", aiomc::report::version_text());
  // Every subcommand's options in one text: what help2man makes the man page from.
  app.set_help_all_flag("--help-all", "Print help for every subcommand and exit");
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "aiomc: " + std::string(e.what()) + "\nRun with --help for more information.\n";
  });
  Options options;
  add_run(app, options);
  add_check(app, options);
  add_replay(app, options);
  add_reproduce(app, options);
  add_view(app, options);
  add_list(app, options);
  add_graph(app, options);
  if (argc == 2 && std::string_view(argv[1]) == "--bash-completion") {
    std::vector<std::string> variants = {"fixed"};
    for (const auto& v : aiomc::model::variant_catalog()) variants.emplace_back(v.name);
    for (const auto& e : aiomc::model::era_catalog()) variants.emplace_back(e.name);
    std::cout << aiomc::cli::bash_completion(app, {{"list", kListWhat},
                                                   {"check --annotate", kAnnotateKinds},
                                                   {"check --variant", variants},
                                                   {"run --variant", variants}});
    return kExitOk;
  }
  // A mistyped subcommand gets a suggestion (CLI11 alone says only that it is extra).
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    const std::vector<std::string_view> subcommands = {"run", "check", "replay", "reproduce", "view", "list", "graph"};
    if (std::find(subcommands.begin(), subcommands.end(), word) == subcommands.end()) {
      std::cerr << "aiomc: unknown subcommand '" << aiomc::report::printable(word) << "'; expected run, check, replay, reproduce, view, list or graph"
                << aiomc::loader::did_you_mean(word, subcommands) << "\nRun with --help for more information.\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help/version, or the usage error
    return code == 0 ? kExitOk : kExitBadInput;
  }
  if (options.command == Command::check && options.check.progress_seconds == 0) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") options.check.progress_seconds = 10;
  }
  try {
    return dispatch(options);
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "aiomc: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cout.flush();
    std::cerr << "aiomc: internal error: unknown exception\n";
    return kExitInternal;
  }
}
