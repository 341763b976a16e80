// "processes": each a C program with its threads (scenario-format.md "Threads and ops").
// Names are per process (S9); process names and, within a process, thread names are
// unique.
#include <algorithm>
#include <set>

#include "loader/capacity.hpp"
#include "model/state.hpp"
#include "loader/op_parser.hpp"
#include "loader/sections.hpp"

namespace aiomc::loader::detail {
namespace {

// Names some `kqueue` op of the process creates (anywhere in any of its threads): an
// `fd` may name them even before the kqueue op runs (scenario-format.md "Names").
std::set<std::string> kqueues_created(const Node& threads) {
  std::set<std::string> out;
  for (const auto& t : *threads) {
    if (!t.is_object() || !t.contains("ops") || !t["ops"].is_array()) continue;
    for (const auto& op : t["ops"]) {
      if (!op.is_object() || op.value("op", json()) != "kqueue") continue;
      if (const auto as = op.find("as"); as != op.end() && as->is_string()) out.insert(as->get<std::string>());
    }
  }
  return out;
}

// A name not used before among `seen` (names with their pointers).
void require_unique(const Reader& r, const Node& name_node, const std::string& name,
                    std::vector<std::pair<std::string, std::string>>& seen, std::string_view what) {
  for (const auto& [other, ptr] : seen)
    if (other == name)
      r.fail(name_node.ptr, "expected a " + std::string(what) + " name not used before, found string \"" + name +
                                "\" (already at " + ptr + ")");
  seen.emplace_back(name, name_node.ptr);
}

model::Process read_process(const Reader& r, const Node& n, const std::vector<model::Object>& objects,
                            std::vector<std::pair<std::string, std::string>>& process_names,
                            std::vector<std::string>& warnings) {
  r.object(n, "a process", {"name", "threads"});
  model::Process p;
  const Node name = r.required(n, "name", "a process");
  p.name = r.name(name, "a process name");
  require_unique(r, name, p.name, process_names, "process");

  const Node threads = r.required(n, "threads", "a process");
  if (!threads->is_array() || threads->empty()) r.mismatch(threads, "a non-empty list of threads");
  if (threads->size() > static_cast<std::size_t>(model::kMaxThreads))
    r.fail(threads.at(model::kMaxThreads).ptr, capacity_text(model::kMaxThreads, "threads in one process", threads->size()));
  std::vector<std::pair<std::string, std::string>> seen;
  std::vector<std::string> thread_names;
  for (std::size_t i = 0; i < threads->size(); ++i) {
    const Node t = threads.at(i);
    r.object(t, "a thread", {"name", "ops"});
    const Node tname = r.required(t, "name", "a thread");
    thread_names.push_back(r.name(tname, "a thread name"));
    require_unique(r, tname, thread_names.back(), seen, "thread");
    if (const Node ops = t.get("ops")) {
      r.array(ops, "a list of ops");
      if (ops->size() > static_cast<std::size_t>(kMaxOps))
        r.fail(ops.at(kMaxOps).ptr, capacity_text(kMaxOps, "ops in one thread", ops->size()));
    }
  }

  const std::set<std::string> kqueues = kqueues_created(threads);
  ProcessNames names(p, r);
  ProcessScope scope{objects, p.name, thread_names, kqueues, names};
  for (std::size_t i = 0; i < threads->size(); ++i) {
    const Node t = threads.at(i);
    model::Thread thread;
    thread.name = thread_names[i];
    if (const Node ops = t.get("ops"))  // optional: a thread without ops is done at once (S14)
      for (std::size_t k = 0; k < ops->size(); ++k) thread.ops.push_back(read_op(r, ops.at(k), scope));
    p.threads.push_back(std::move(thread));
  }
  names.warnings(r, p.name, warnings);
  return p;
}

}  // namespace

std::vector<model::Process> read_processes(const Reader& r, const Node& n, const std::vector<model::Object>& objects,
                                           std::vector<std::string>& warnings) {
  if (!n->is_array() || n->empty()) r.mismatch(n, "a non-empty list of processes");
  if (n->size() > static_cast<std::size_t>(model::kMaxProcs))
    r.fail(n.at(model::kMaxProcs).ptr, capacity_text(model::kMaxProcs, "processes", n->size()));
  std::vector<model::Process> out;
  std::vector<std::pair<std::string, std::string>> seen;
  for (std::size_t i = 0; i < n->size(); ++i) out.push_back(read_process(r, n.at(i), objects, seen, warnings));
  return out;
}

}  // namespace aiomc::loader::detail
