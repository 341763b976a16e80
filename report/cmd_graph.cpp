// `aiomc graph SCENARIO [--variant V]... --dot FILE [--max-states N]`: the state graph
// of one check as Graphviz DOT, written by boost::write_graphviz. Vertices carry a
// short state summary; the counterexample (a lasso if liveness is violated, else the
// first safety counterexample) is drawn red; strongly connected components with a
// cycle are clusters. Above --max-states the graph is refused (exit 3: a bound).
#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/graphviz.hpp>
#include <map>
#include <set>
#include <sstream>

#include "checker/explorer.hpp"
#include "model/liveness.hpp"
#include "model/model.hpp"
#include "report/commands.hpp"
#include "report/exit_codes.hpp"
#include "report/files.hpp"
#include "report/scenario_setup.hpp"

namespace aiomc::report {
namespace {

struct EdgeIndex {
  std::uint32_t i = 0;  // into the sorted edge list
};
using Dot = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeIndex, boost::no_property,
                                               std::uint32_t, std::uint32_t>;

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

const char* status_text(std::uint8_t st) {
  switch (st) {
    case model::TS_RUN: return "run";
    case model::TS_SLEEP: return "sleep";
    case model::TS_DONE: return "done";
    default: return "ended";
  }
}

// #node, each thread's op and status, the daemons that exist, open obligations.
std::string summary(const model::Model& m, const model::State& s, std::uint32_t node) {
  std::string out = "#" + std::to_string(node);
  for (int t = 0; t < m.thread_count(); ++t) {
    const model::ThreadSt& th = s.threads[t];
    out += "\n" + m.actor_name(t) + " op " + std::to_string(th.pc) + " " + status_text(th.status);
    if (th.status == model::TS_SLEEP && th.timo) out += " (timeout)";
  }
  std::string daemons;
  for (int d = 0; d < model::kMaxDaemons; ++d)
    if (s.daemons[d].ph != model::AIOD_NONE) daemons += (daemons.empty() ? "" : " ") + std::to_string(d + 1) + ":" + std::to_string(s.daemons[d].ph);
  if (!daemons.empty()) out += "\naiod " + daemons;
  int open = 0, jobs = 0;
  for (int j = 0; j < model::kMaxJobs; ++j)
    if (s.jobs[j].live) {
      jobs++;
      open += s.jobs[j].jobstate != model::JOBST_JOBFINISHED;
    }
  if (jobs) out += "\njobs " + std::to_string(jobs) + " (" + std::to_string(open) + " unfinished)";
  const int obligations = __builtin_popcountll(m.liveness_obligations(s));
  if (obligations) out += "\nopen obligations " + std::to_string(obligations);
  return out;
}

}  // namespace

int graph_command(const GraphCommandOptions& opts, std::ostream& out, std::ostream& err) {
  loader::Scenario sc;
  ResolvedVariants variants;
  model::Config config;
  std::string problem = load_configured(opts.scenario, opts.variants, sc, variants, config);
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  const model::Model m(sc.program, config);
  checker::Options o;
  o.liveness = true;
  o.keep_graph = true;
  o.threads = 1;
  o.bounds.max_states = opts.max_states;
  const checker::Result r = checker::explore(m, o);
  if (r.verdict == checker::Verdict::error) {
    err << "aiomc: internal error: " << r.error << "\n";
    return kExitInternal;
  }
  if (!r.stats.bound_hit.empty()) {
    err << "aiomc: " << opts.scenario << ": the state graph has more than " << opts.max_states
        << " states (bound " << r.stats.bound_hit
        << "): refused, a DOT file that size is no use to read; raise --max-states or draw a smaller scenario\n";
    return kExitIncomplete;
  }
  const checker::ExportedGraph& g = r.graph;
  const std::size_t n = g.parent.size();
  // Every node's state, from its parent's by its choice (node numbers are BFS order).
  std::vector<model::State> states;
  states.reserve(n);
  states.push_back(m.initial());
  std::vector<model::Successor> succ;
  for (std::size_t i = 1; i < n; ++i) {
    m.successors(states[g.parent[i]], succ);
    states.push_back(succ.at(g.choice[i]).next);
  }
  // The highlighted path: the first liveness lasso, else the first counterexample.
  const checker::Counterexample* cx = nullptr;
  for (const auto& c : r.violations)
    if (c.loop_start >= 0 && !cx) cx = &c;
  if (!cx && !r.violations.empty()) cx = &r.violations.front();
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::uint32_t> by_choice;
  for (const checker::GraphEdge& e : g.edges) by_choice[{e.src, e.choice}] = e.dst;
  std::set<std::pair<std::uint32_t, std::uint8_t>> red_edges, cycle_edges;
  std::set<std::uint32_t> red_nodes{0};
  if (cx) {
    std::uint32_t cur = 0;
    for (std::size_t i = 0; i < cx->choices.size(); ++i) {
      const auto it = by_choice.find({cur, cx->choices[i]});
      if (it == by_choice.end()) break;  // a safety violation's last step leaves the graph
      (cx->loop_start >= 0 && static_cast<int>(i) >= cx->loop_start ? cycle_edges : red_edges).insert({cur, cx->choices[i]});
      cur = it->second;
      red_nodes.insert(cur);
    }
  }
  std::vector<checker::GraphEdge> edge_info = g.edges;
  std::sort(edge_info.begin(), edge_info.end(), [](const checker::GraphEdge& a, const checker::GraphEdge& b) {
    return a.src != b.src ? a.src < b.src : a.choice < b.choice;
  });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
  std::vector<EdgeIndex> idx;
  for (std::uint32_t i = 0; i < edge_info.size(); ++i) {
    ends.emplace_back(edge_info[i].src, edge_info[i].dst);
    idx.push_back({i});
  }
  const Dot dot(boost::edges_are_sorted, ends.begin(), ends.end(), idx.begin(), static_cast<std::uint32_t>(n));
  // Components with a cycle (an edge inside them) become clusters.
  std::map<std::uint32_t, std::vector<std::uint32_t>> members;
  std::set<std::uint32_t> cyclic;
  for (const checker::GraphEdge& e : g.edges)
    if (g.component[e.src] == g.component[e.dst]) cyclic.insert(g.component[e.src]);
  for (std::uint32_t v = 0; v < n; ++v)
    if (cyclic.count(g.component[v])) members[g.component[v]].push_back(v);
  std::ostringstream text;
  boost::write_graphviz(
      text, dot,
      [&](std::ostream& os, std::size_t v) {
        os << "[label=\"" << dot_escape(summary(m, states[v], static_cast<std::uint32_t>(v))) << "\"";
        if (red_nodes.count(static_cast<std::uint32_t>(v))) os << ", color=red, penwidth=2";
        if (g.obligations[v]) os << ", style=filled, fillcolor=\"#fff0e0\"";
        os << "]";
      },
      [&](std::ostream& os, const Dot::edge_descriptor& e) {
        const checker::GraphEdge& ge = edge_info[dot[e].i];
        os << "[label=\"" << dot_escape(m.actor_name(ge.actor)) << " #" << static_cast<int>(ge.choice) << "\"";
        if (cycle_edges.count({ge.src, ge.choice})) os << ", color=red, penwidth=3, style=bold";
        else if (red_edges.count({ge.src, ge.choice})) os << ", color=red, penwidth=2";
        os << "]";
      },
      [&](std::ostream& os) {
        os << "node [shape=box, fontsize=9];\nedge [fontsize=8];\n";
        os << "label=\"" << dot_escape(sc.name + " (" + variant_label(variants.ids) + "): " + std::to_string(n) + " states" +
                                       (cx ? ", red: counterexample for " + std::string(model::inv_name(cx->invariant)) +
                                                 (cx->loop_start >= 0 ? " (bold: the cycle)" : "")
                                           : ""))
           << "\";\n";
        for (const auto& [c, vs] : members) {
          os << "subgraph cluster_" << c << " {\nlabel=\"SCC " << c << "\"; style=dashed;\n";
          for (std::uint32_t v : vs) os << v << ";\n";
          os << "}\n";
        }
      });
  problem = write_text_file(opts.dot_file, text.str());
  if (!problem.empty()) {
    err << "aiomc: " << problem << "\n";
    return kExitBadInput;
  }
  out << "wrote " << opts.dot_file << ": " << n << " states, " << g.edges.size() << " edges, " << members.size()
      << " cyclic components" << (cx ? ", counterexample for " + std::string(model::inv_name(cx->invariant)) : "") << "\n";
  return kExitOk;
}

}  // namespace aiomc::report
