// Liveness on the state graph: CSR graph, strong components, fair components with an
// obligation open in every state, lassos through them (checker/liveness.hpp).
#include "checker/liveness.hpp"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/range/iterator_range.hpp>
#include <deque>
#include <utility>

namespace aiomc::checker {
namespace {

struct EdgeProp {
  std::uint8_t actor = 0, choice = 0;
};
using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProp, boost::no_property,
                                               std::uint32_t, std::uint32_t>;
using Edge = Csr::edge_descriptor;

// Membership of the states a search is restricted to.
struct InSet {
  const std::vector<std::uint8_t>* in = nullptr;
  bool operator()(std::uint32_t v) const { return (*in)[v] != 0; }
};
struct EdgeInSet {
  const Csr* g = nullptr;
  const std::vector<std::uint8_t>* in = nullptr;
  bool operator()(const Edge& e) const { return (*in)[boost::target(e, *g)] != 0; }
};

struct Step {
  std::uint32_t src, dst;
  std::uint8_t actor, choice;
};

// The shortest path inside `in` from `from` whose last edge satisfies goal (BFS,
// out-edges in choice order, so the path is deterministic); empty if there is none.
template <class Goal>
std::vector<Step> bfs_path(const Csr& g, const std::vector<std::uint8_t>& in, std::uint32_t from, Goal goal, bool& found) {
  absl::flat_hash_map<std::uint32_t, Step> pred;  // node -> the edge that reached it
  std::deque<std::uint32_t> queue{from};
  pred.emplace(from, Step{from, from, 0, 0});
  found = false;
  while (!queue.empty()) {
    const std::uint32_t u = queue.front();
    queue.pop_front();
    for (const Edge& e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const std::uint32_t v = boost::target(e, g);
      if (!in[v]) continue;
      const Step st{u, v, g[e].actor, g[e].choice};
      if (goal(st)) {
        std::vector<Step> path{st};
        for (std::uint32_t n = u; n != from; n = pred.at(n).src) path.push_back(pred.at(n));
        std::reverse(path.begin(), path.end());
        found = true;
        return path;
      }
      if (pred.emplace(v, st).second) queue.push_back(v);
    }
  }
  return {};
}

// A fair cycle through `entry` inside the component `in`: it takes a step of every
// actor enabled in all the component's states (`required`), and then, for any actor
// enabled in every state the cycle has visited yet not taken, goes to a state where
// that actor is disabled or takes one of its steps.
Lasso build_cycle(const Csr& g, const StateGraph& sg, const std::vector<std::uint8_t>& in, std::uint32_t entry,
                  std::uint32_t required, int bit) {
  Lasso l;
  l.obligation = bit;
  l.entry = entry;
  std::uint32_t cur = entry, taken = 0, on_all = sg.fair[entry];
  auto append = [&](const std::vector<Step>& path) {
    for (const Step& s : path) {
      l.cycle.push_back(s.choice);
      l.cycle_nodes.push_back(s.src);
      taken |= 1u << s.actor;
      cur = s.dst;
      on_all &= sg.fair[s.dst];
    }
  };
  bool found = false;
  for (int a = 0; a < 32; ++a) {
    const std::uint32_t b = 1u << a;
    if (!(required & b) || (taken & b)) continue;
    append(bfs_path(g, in, cur, [&](const Step& s) { return s.actor == a; }, found));
  }
  for (;;) {
    const std::uint32_t extra = on_all & ~taken;
    if (!extra) break;
    const int a = __builtin_ctz(extra);
    const std::uint32_t b = 1u << a;
    append(bfs_path(g, in, cur, [&](const Step& s) { return s.actor == a || !(sg.fair[s.dst] & b); }, found));
    if (!found) break;  // cannot happen: the actor is disabled somewhere in the component
  }
  if (cur != entry || l.cycle.empty()) append(bfs_path(g, in, cur, [&](const Step& s) { return s.dst == entry; }, found));
  return l;
}

struct Component {
  std::uint32_t least = UINT32_MAX;
  std::uint32_t fair_and = ~0u, taken = 0;
  std::uint64_t obl_and = ~std::uint64_t{0}, obl_or = 0;
  bool cyclic = false;
};

// Summaries of the components numbered in comp (only the states in `in`).
std::vector<Component> summarise(const Csr& g, const StateGraph& sg, const std::vector<std::uint32_t>& comp,
                                 std::size_t ncomp, const std::vector<std::uint8_t>* in) {
  std::vector<Component> cs(ncomp);
  const std::uint32_t n = static_cast<std::uint32_t>(boost::num_vertices(g));
  for (std::uint32_t v = 0; v < n; ++v) {
    if (in && !(*in)[v]) continue;
    Component& c = cs[comp[v]];
    c.least = std::min(c.least, v);
    c.fair_and &= sg.fair[v];
    c.obl_and &= sg.obligations[v];
    c.obl_or |= sg.obligations[v];
    for (const Edge& e : boost::make_iterator_range(boost::out_edges(v, g))) {
      const std::uint32_t w = boost::target(e, g);
      if ((in && !(*in)[w]) || comp[w] != comp[v]) continue;
      c.cyclic = true;
      c.taken |= 1u << g[e].actor;
    }
  }
  return cs;
}

bool fair(const Component& c) { return c.cyclic && (c.fair_and & ~c.taken) == 0; }

}  // namespace

LivenessOutcome analyse_liveness(StateGraph&& sg) {
  LivenessOutcome out;
  const std::uint32_t n = static_cast<std::uint32_t>(sg.fair.size());
  std::sort(sg.edges.begin(), sg.edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
    return a.src != b.src ? a.src < b.src : a.choice < b.choice;
  });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
  std::vector<EdgeProp> props;
  ends.reserve(sg.edges.size());
  props.reserve(sg.edges.size());
  for (const GraphEdge& e : sg.edges) {
    ends.emplace_back(e.src, e.dst);
    props.push_back({e.actor, e.choice});
  }
  std::vector<GraphEdge>().swap(sg.edges);
  const Csr g(boost::edges_are_sorted, ends.begin(), ends.end(), props.begin(), n);
  std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(ends);
  std::vector<EdgeProp>().swap(props);
  out.edges = boost::num_edges(g);
  // Row starts, targets and edge properties: what the CSR graph holds.
  const double csr_bytes = static_cast<double>(n + 1) * sizeof(std::uint32_t) +
                           static_cast<double>(out.edges) * (sizeof(std::uint32_t) + sizeof(EdgeProp));
  out.bytes_per_edge = out.edges ? csr_bytes / static_cast<double>(out.edges) : 0;

  std::vector<std::uint32_t> comp(n, 0);
  const std::size_t ncomp =
      n ? boost::strong_components(g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g))) : 0;
  out.sccs = ncomp;
  const std::vector<Component> cs = summarise(g, sg, comp, ncomp, nullptr);

  std::vector<Lasso> best(64);
  auto offer = [&](Lasso&& l) {
    Lasso& b = best[static_cast<std::size_t>(l.obligation)];
    if (b.obligation < 0 || l.entry < b.entry) b = std::move(l);
  };
  // Terminal states with an open obligation.
  for (std::uint32_t v = 0; v < n; ++v) {
    if (boost::out_degree(v, g) != 0 || sg.cut[v] || !sg.obligations[v]) continue;
    for (int bit = 0; bit < 64; ++bit)
      if ((sg.obligations[v] >> bit) & 1u) {
        const Lasso& b = best[static_cast<std::size_t>(bit)];
        if (b.obligation < 0 || v < b.entry) offer(Lasso{bit, v, {}, {}});
      }
  }
  // Fair components: obligations open in all their states, then, per obligation open
  // in only some, the components of the states where it is open.
  std::vector<std::uint8_t> in(n, 0);
  // The states of each component, in node order (a counting sort by component).
  std::vector<std::uint32_t> first(ncomp + 1, 0), by_comp(n);
  for (std::uint32_t v = 0; v < n; ++v) first[comp[v] + 1]++;
  for (std::size_t c = 0; c < ncomp; ++c) first[c + 1] += first[c];
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v) by_comp[fill[comp[v]]++] = v;
  }
  for (std::size_t c = 0; c < ncomp; ++c) {
    const Component& cc = cs[c];
    if (!fair(cc) || !cc.obl_or) continue;
    for (int bit = 0; bit < 64; ++bit) {
      const std::uint64_t b = std::uint64_t{1} << bit;
      if (!(cc.obl_or & b)) continue;
      const Lasso& cur = best[static_cast<std::size_t>(bit)];
      if (cur.obligation >= 0 && cur.entry <= cc.least) continue;  // cannot do better
      const std::vector<std::uint32_t> members(by_comp.begin() + first[c], by_comp.begin() + first[c + 1]);
      if (cc.obl_and & b) {
        for (std::uint32_t v : members) in[v] = 1;
        offer(build_cycle(g, sg, in, cc.least, cc.fair_and, bit));
        for (std::uint32_t v : members) in[v] = 0;
        continue;
      }
      for (std::uint32_t v : members) in[v] = (sg.obligations[v] & b) ? 1 : 0;
      const boost::filtered_graph<Csr, EdgeInSet, InSet> fg(g, EdgeInSet{&g, &in}, InSet{&in});
      std::vector<std::uint32_t> sub(n, 0);
      const std::size_t nsub =
          boost::strong_components(fg, boost::make_iterator_property_map(sub.begin(), boost::get(boost::vertex_index, g)));
      const std::vector<Component> ss = summarise(g, sg, sub, nsub, &in);
      std::size_t pick = nsub;
      for (std::size_t s = 0; s < nsub; ++s)
        if (fair(ss[s]) && (pick == nsub || ss[s].least < ss[pick].least)) pick = s;
      if (pick < nsub) {
        std::vector<std::uint8_t> in2(n, 0);
        for (std::uint32_t v : members)
          if (in[v] && sub[v] == pick) in2[v] = 1;
        offer(build_cycle(g, sg, in2, ss[pick].least, ss[pick].fair_and, bit));
      }
      for (std::uint32_t v : members) in[v] = 0;
    }
  }
  for (Lasso& l : best)
    if (l.obligation >= 0) out.lassos.push_back(std::move(l));
  out.component = std::move(comp);
  return out;
}

}  // namespace aiomc::checker
