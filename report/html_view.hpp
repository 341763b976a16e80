// `aiomc view TRACE --html FILE`: one self-contained HTML page (no script or style
// from the network) drawing a trace as a message-sequence chart: a lifeline per
// actor, one box per step named kernel_function:step in its actor's lifeline, lock
// holds (PROC_LOCK, aio_job_mtx, Giant held across steps) as bars beside the boxes,
// sleeps marked on their step and wakeups as arrows from the waking step to the woken
// actor's lifeline, the violating step highlighted, the causal slice emphasised and the other steps
// greyed, and each step's state diff shown on click.
#pragma once

#include <string>
#include <vector>

#include "report/sequence_view.hpp"

namespace aiomc::report {

struct HtmlViewInput {
  std::string title;             // scenario name and variant
  std::vector<std::string> actors;  // the lifelines, in column order
  std::vector<SequenceStep> steps;
  std::vector<int> columns;      // per step: its lifeline
  std::vector<int> actor_column;  // per model actor: its lifeline, -1 if it has none
  std::vector<bool> slice;
  int violation_step = -1;       // steps.size(): the final state
  std::string violation;         // "invariant: message"
};

std::string html_view(const HtmlViewInput& in);

}  // namespace aiomc::report
