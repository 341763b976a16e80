// Liveness on the recorded state graph (S18, S25): the graph as a Boost.Graph
// compressed_sparse_row_graph, its strongly connected components
// (boost::strong_components), and the lassos that show an obligation staying open
// forever under weak fairness of the actors.
#pragma once

#include <cstdint>
#include <vector>

namespace aiomc::checker {

// The state graph as the explorer records it: vertex = node number (BFS order, so a
// smaller number is never deeper), one edge per step with its actor and choice.
struct GraphEdge {
  std::uint32_t src = 0, dst = 0;
  std::uint8_t actor = 0, choice = 0;
};
struct StateGraph {
  std::vector<GraphEdge> edges;
  std::vector<std::uint32_t> fair;         // per node: actors enabled for weak fairness (bit per actor)
  std::vector<std::uint64_t> obligations;  // per node: open obligations (bit per obligation)
  std::vector<std::uint8_t> cut;           // per node: a successor was left out (a panic): not terminal
};

// One open obligation that is never met: the cycle's first node `entry` (the least
// node of its component, so the prefix to it is a shortest one), and the cycle as the
// choices from entry back to entry (empty: entry is a terminal state).
struct Lasso {
  int obligation = -1;
  std::uint32_t entry = 0;
  std::vector<std::uint8_t> cycle;
  std::vector<std::uint32_t> cycle_nodes;  // the nodes the cycle's steps leave from
};

struct LivenessOutcome {
  // For each obligation bit (0..63) that is violated, the lasso with the least entry.
  std::vector<Lasso> lassos;
  std::uint64_t edges = 0;
  double bytes_per_edge = 0;  // of the CSR graph
  std::uint64_t sccs = 0;
  // Per node: its component number (for DOT clusters) and whether the component is a
  // nontrivial one.
  std::vector<std::uint32_t> component;
};

// A component is fair when every actor enabled in all its states takes a step inside
// it (weak fairness: a smaller cycle inside an unfair component is unfair too, so
// components decide it). A violation is a fair component (or a sub-component of the
// states where the obligation is open) in which the obligation stays open, or a
// terminal state with the obligation open.
LivenessOutcome analyse_liveness(StateGraph&& graph);

}  // namespace aiomc::checker
