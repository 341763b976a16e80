// The steps table (model/steps.def) against what the model does: on every bundled
// scenario and each of its checks' variants, every step that runs names a row, and
// the state it writes and reads, the locks it takes and the actor that runs it are within the
// rows of the sections it ran. A step that writes or reads outside its footprint fails
// here, and so does one that changed an object its recorded reads do not hold (a path
// around the recording accessors).
//
// AIOMC_STEP_TABLE_OUT=FILE writes what was observed, as steps.def columns.
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "model/step_footprint.hpp"
#include "model/steps.hpp"
#include "tests/test_support.hpp"

using namespace aiomc;
namespace fs = std::filesystem;

namespace {

struct Seen {
  std::uint32_t actors = 0, locks = 0, writes = 0, reads = 0;
  std::uint64_t variants = 0;
  std::uint64_t runs = 0;
};

// A variant site: the variant a Kernel::variant call asks about, and where it is.
using Site = std::tuple<int, std::string, int>;  // variant, model/ file name, line

// Breadth-first over at most `limit` states, every transition applied with a
// StepInfo; failures name the step, the scenario and what went outside the row.
// Sites passed while their variant was on go into *sites.
void observe(const model::Model& m, std::size_t limit, std::vector<Seen>& seen, std::vector<std::string>& errors,
             std::set<Site>* sites) {
  std::set<std::uint64_t> visited;
  std::deque<model::State> queue{m.initial()};
  visited.insert(m.digest(queue.front()));
  std::vector<model::Successor> succs;
  while (!queue.empty() && visited.size() < limit) {
    const model::State s = queue.front();
    queue.pop_front();
    m.successors(s, succs);
    for (const model::Successor& sc : succs) {
      model::State n = s;
      model::StepInfo info;
      if (!m.apply(n, sc.step, nullptr, &info) || !(n == sc.next)) {
        errors.push_back("a step applied with a StepInfo differs from successors()");
        continue;
      }
      for (const model::StepInfo::VariantSite& vs : info.variant_sites)
        if (m.config().variants.has(static_cast<model::Variant>(vs.variant)))
          sites->insert({vs.variant, fs::path(vs.file).filename().string(), vs.line});
      if (info.steps.empty()) {
        errors.push_back("step '" + info.action + "' of " + info.actor + " names no row of the steps table");
        continue;
      }
      const std::uint32_t actor = model::actor_kind(m, sc.step.actor);
      const std::uint32_t writes = model::written_kinds(m, s, n, sc.step.actor);
      const std::uint32_t reads = model::touched_kinds(m, info.touched, sc.step.actor);
      // The reads are recorded by the state's accessors; whatever changed must have
      // gone through them, or the recording misses a path.
      const model::AccessLog written = model::written_objects(s, n);
      if (!info.touched.covers(written))
        errors.push_back("step '" + info.action + "' of " + info.actor +
                         " changed an object its recorded footprint does not hold");
      // A step that took and dropped aio_job_mtx left its owner as it was: the field
      // is in the read-only half, so the explorer does not compare the global fields
      // for it (Kernel::~Kernel).
      if ((info.locks & model::L_JM) && s.jm_owner == n.jm_owner && (info.touched.globals & model::G_JM_OWNER))
        errors.push_back("step '" + info.action + "' of " + info.actor +
                         " notes aio_job_mtx's owner as written, unchanged");
      std::uint32_t dw = 0, dr = 0, dl = 0, da = 0;
      std::uint64_t dv = 0;
      for (std::uint8_t id : info.steps) {
        dw |= model::kSteps[id].writes;
        dr |= model::kSteps[id].reads;
        dl |= model::kSteps[id].locks;
        da |= model::kSteps[id].actors;
        dv |= model::kSteps[id].variants;
      }
      // What the step did is attributed to every section it ran.
      for (std::uint8_t id : info.steps) {
        Seen& row = seen[id];
        row.actors |= actor;
        row.locks |= info.locks;
        row.writes |= writes;
        row.reads |= reads;
        row.variants |= info.variants;
        row.runs++;
      }
      auto outside = [&](const char* what, std::uint32_t got, std::uint32_t declared, auto text) {
        if (got & ~declared)
          errors.push_back("step '" + info.action + "' " + what + " " + text(got & ~declared) + " outside its row");
      };
      outside("writes", writes, dw, model::write_kinds_text);
      outside("reads", reads, dr, model::write_kinds_text);
      outside("takes", info.locks, dl, model::lock_kinds_text);
      outside("is run by", actor, da, model::actor_kinds_text);
      if (info.variants & ~dv)
        errors.push_back("step '" + info.action + "' consults variants outside its row (" +
                         std::to_string(info.variants & ~dv) + ")");
      if (visited.insert(m.digest(n)).second) queue.push_back(n);
    }
  }
}

struct Observation {
  std::vector<Seen> seen = std::vector<Seen>(static_cast<std::size_t>(model::kStepCount));
  std::set<std::string> errors;
  std::set<Site> sites;  // variant sites reached with their variant on
};

// Every bundled scenario under each of its checks' variants, at most 20,000 states
// each; computed once for the tests below.
const Observation& observe_bundled() {
  static const Observation obs = [] {
    Observation o;
    for (const std::string& path : test::bundled_scenarios()) {
      loader::Scenario sc = test::load_file(path);
      for (const loader::Check& c : sc.checks) {
        model::Config cfg = sc.config;
        cfg.variants = test::variants(c.variant_ids);
        model::Model m(sc.program, cfg);
        std::vector<std::string> errs;
        observe(m, 20000, o.seen, errs, &o.sites);
        for (const std::string& e : errs) o.errors.insert(e + " (" + fs::path(path).filename().string() + ")");
      }
    }
    return o;
  }();
  return obs;
}

// Every `variant(Variant::X)` in model/'s sources, by file and line.
std::set<Site> variant_sites_in_source() {
  const std::map<std::string, int> ids = {
#define AIOMC_VARIANT(id, ...) {#id, static_cast<int>(model::Variant::id)},
#include "model/variants.def"
#undef AIOMC_VARIANT
  };
  std::set<Site> out;
  const std::regex call(R"(\bvariant\(Variant::(\w+)\))");
  for (const auto& e : fs::recursive_directory_iterator(std::string(AIOMC_SOURCE_DIR) + "/model")) {
    if (!e.is_regular_file() || (e.path().extension() != ".cpp" && e.path().extension() != ".hpp")) continue;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
      for (auto it = std::sregex_iterator(line.begin(), line.end(), call); it != std::sregex_iterator(); ++it) {
        auto v = ids.find((*it)[1]);
        if (v == ids.end()) FAIL("unknown variant " + std::string((*it)[1]) + " at " + e.path().string() + ":" + std::to_string(n));
        out.insert({v->second, e.path().filename().string(), n});
      }
  }
  return out;
}

}  // namespace

TEST_CASE("every step stays within its row of the steps table on every bundled scenario", "[steps][slow]") {
  const Observation& o = observe_bundled();
  if (const char* out = std::getenv("AIOMC_STEP_TABLE_OUT")) {
    std::ofstream f(out);
    for (int i = 0; i < model::kStepCount; ++i)
      f << model::kSteps[i].name << ' ' << o.seen[i].actors << ' ' << o.seen[i].locks << ' ' << o.seen[i].writes << ' '
        << o.seen[i].reads << ' ' << o.seen[i].runs << ' ' << o.seen[i].variants << '\n';
  }
  for (const std::string& e : o.errors) UNSCOPED_INFO(e);
  CHECK(o.errors.empty());
}

// Each variant's scenarios pass every place in model/ that asks about that variant,
// with the variant on: a site no bundled scenario reaches is code no check exercises.
TEST_CASE("every variant site is reached by a bundled scenario with its variant on", "[steps][variants][slow]") {
  const Observation& o = observe_bundled();
  std::set<Site> source = variant_sites_in_source();
  REQUIRE(source.size() >= 60);
  // Sites no scenario can reach, each with the reason; an entry that stops matching a
  // site (the code moved or went) fails the test too.
  const std::map<std::pair<std::string, std::string>, std::string> exempt = {
      {{"slist-empty-remove", "SLIST_REMOVE of an absent knote from the kq ident hash\");"},
       "knote_drop of a live knote: knote_attach puts every live knote on its kq's ident hash and only "
       "knote_drop takes it off, so the removal cannot miss; the double drop is judged on the freed knote"},
      {{"lio-split-path-check", "lio_split_notify owns it"},
       "under F3 every LIO signal goes through lio_split_notify and process_signal; lio_notify is not "
       "reached with LIOJ_SIGNAL set and unposted in any bundled scenario (kept as the guard it is)"},
  };
  auto line_text = [](const Site& site) {
    for (const auto& e : fs::recursive_directory_iterator(std::string(AIOMC_SOURCE_DIR) + "/model")) {
      if (e.path().filename().string() != std::get<1>(site)) continue;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n)
        if (n == std::get<2>(site)) return line;
    }
    return std::string();
  };
  std::set<std::pair<std::string, std::string>> used;
  auto is_exempt = [&](const Site& site) {
    std::string variant(model::variant_info(static_cast<model::Variant>(std::get<0>(site))).name);
    std::string text = line_text(site);
    for (const auto& [key, why] : exempt)
      if (key.first == variant) {
        // The marker is on the site's line or the next one.
        Site below{std::get<0>(site), std::get<1>(site), std::get<2>(site) + 1};
        if (text.find(key.second) != std::string::npos || line_text(below).find(key.second) != std::string::npos) {
          used.insert(key);
          return true;
        }
      }
    return false;
  };
  std::vector<std::string> missed;
  for (const Site& site : source)
    if (!o.sites.count(site) && !is_exempt(site))
      missed.push_back(std::string(model::variant_info(static_cast<model::Variant>(std::get<0>(site))).name) + " at " +
                       std::get<1>(site) + ":" + std::to_string(std::get<2>(site)));
  for (const Site& site : o.sites)
    if (!source.count(site))
      missed.push_back("a site recorded at " + std::get<1>(site) + ":" + std::to_string(std::get<2>(site)) +
                       " that the source scan does not see");
  for (const auto& [key, why] : exempt)
    if (!used.count(key)) missed.push_back("exemption for " + key.first + " (" + key.second + ") matches no unreached site");
  for (const std::string& m : missed) UNSCOPED_INFO(m);
  CHECK(missed.empty());
}
TEST_CASE("the steps table names each step once, as kernel_function[:section]", "[steps]") {
  std::set<std::string> names;
  for (const model::StepDef& d : model::kSteps) {
    INFO(d.name);
    CHECK(names.insert(d.name).second);
    CHECK(model::find_step(d.name).has_value());
    CHECK(d.actors != 0);
  }
  CHECK_FALSE(model::find_step("aio_qphysio:no_such_section").has_value());
  CHECK(std::string(model::kSteps[model::StepName("aio_qphysio:count").id].name) == "aio_qphysio:count");
}
