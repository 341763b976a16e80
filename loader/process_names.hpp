// Per-process name tables (semantics.md S9: job, kqueue, semaphore, context and lio
// names belong to their process, like a C program's variables). A name gets its index
// at its first appearance; the loader notes which names some op defines, and warns
// about job, kqueue, context and lio names that nothing defines (scenario-format.md,
// "Names behave like the C program's variables": legal, but usually a typo).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "loader/json_reader.hpp"
#include "model/program.hpp"

namespace aiomc::loader::detail {

enum class NameKind : std::uint8_t { job, kqueue, sem, ctx, lio };

class ProcessNames {
 public:
  // Fills process.job_names, kq_names, sem_names, ctx_names, lio_names. A name
  // beyond the model's kMaxNames of one kind is refused through `reader` at once,
  // before any further work (so a list of 100 000 names costs no more than 25).
  ProcessNames(model::Process& process, const Reader& reader);
  ProcessNames(const ProcessNames&) = delete;
  ProcessNames& operator=(const ProcessNames&) = delete;

  // The index of `name`, appended at its first appearance (`ptr` is where it appears).
  int use(NameKind kind, const std::string& name, const std::string& ptr);
  // As use(), and marks the name as defined by this op.
  int define(NameKind kind, const std::string& name, const std::string& ptr);

  // One warning per name of `process_name` used but never defined (semaphores are
  // defined by any use). In order: jobs, kqueues, contexts, lios; each by first use.
  void warnings(const Reader& reader, const std::string& process_name,
                std::vector<std::string>& out) const;

 private:
  struct Table {
    std::vector<std::string>* names = nullptr;
    std::vector<bool> defined;
    std::vector<std::string> first_use;  // pointer of each name's first appearance
  };
  Table& table(NameKind kind) { return tables_[static_cast<std::size_t>(kind)]; }
  std::array<Table, 5> tables_;
  const Reader& reader_;
  std::string process_name_;
};

}  // namespace aiomc::loader::detail
