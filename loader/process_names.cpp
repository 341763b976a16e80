#include "loader/process_names.hpp"

#include <algorithm>

#include "model/state.hpp"

namespace aiomc::loader::detail {

ProcessNames::ProcessNames(model::Process& process, const Reader& reader)
    : reader_(reader), process_name_(process.name) {
  table(NameKind::job).names = &process.job_names;
  table(NameKind::kqueue).names = &process.kq_names;
  table(NameKind::sem).names = &process.sem_names;
  table(NameKind::ctx).names = &process.ctx_names;
  table(NameKind::lio).names = &process.lio_names;
}

int ProcessNames::use(NameKind kind, const std::string& name, const std::string& ptr) {
  Table& t = table(kind);
  const auto it = std::find(t.names->begin(), t.names->end(), name);
  if (it != t.names->end()) return static_cast<int>(it - t.names->begin());
  if (t.names->size() >= static_cast<std::size_t>(model::kMaxNames)) {
    static constexpr const char* kNouns[] = {"job", "kqueue", "semaphore", "context", "lio"};
    reader_.fail(ptr, "expected at most " + std::to_string(model::kMaxNames) + " " +
                          kNouns[static_cast<std::size_t>(kind)] + " names in process '" + process_name_ +
                          "' (a model capacity, see `aiomc list limits`), found a " +
                          std::to_string(model::kMaxNames + 1) + "th: \"" + name + "\"");
  }
  t.names->push_back(name);
  // A semaphore exists as soon as any op names it (it starts at 0, S10).
  t.defined.push_back(kind == NameKind::sem);
  t.first_use.push_back(ptr);
  return static_cast<int>(t.names->size() - 1);
}

int ProcessNames::define(NameKind kind, const std::string& name, const std::string& ptr) {
  const int index = use(kind, name, ptr);
  table(kind).defined[static_cast<std::size_t>(index)] = true;
  return index;
}

void ProcessNames::warnings(const Reader& reader, const std::string& process_name,
                            std::vector<std::string>& out) const {
  struct Wording {
    NameKind kind;
    const char* noun;
    const char* never;
  };
  static constexpr Wording kWordings[] = {
      {NameKind::job, "job", "is never submitted"},
      {NameKind::kqueue, "kqueue", "is never created by a kqueue op"},
      {NameKind::ctx, "context", "is never set up by io_setup"},
      {NameKind::lio, "lio", "is never named by a lio_listio 'as'"},
  };
  for (const auto& w : kWordings) {
    const Table& t = tables_[static_cast<std::size_t>(w.kind)];
    for (std::size_t i = 0; i < t.names->size(); ++i) {
      if (t.defined[i]) continue;
      out.push_back(reader.warning(t.first_use[i], std::string(w.noun) + " '" + (*t.names)[i] + "' " +
                                                       w.never + " in process '" + process_name + "'"));
    }
  }
}

}  // namespace aiomc::loader::detail
