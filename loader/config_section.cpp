// "config": the kernel tunables of scenario-format.md's table, plus `hz` (S11).
#include <limits>

#include "loader/sections.hpp"

namespace aiomc::loader::detail {

model::Config read_config(const Reader& r, const Node& n) {
  model::Config c;
  if (!n) return c;
  struct BoolKey {
    std::string_view key;
    bool model::Config::*field;
  };
  struct IntKey {
    std::string_view key;
    int model::Config::*field;
    std::int64_t min;
  };
  static constexpr BoolKey kBools[] = {
      {"aio_loaded", &model::Config::aio_loaded},
      {"aio_loadable", &model::Config::aio_loadable},
      {"unloadable", &model::Config::unloadable},
      {"linuxaio_loaded", &model::Config::linuxaio_loaded},
  };
  static constexpr IntKey kInts[] = {
      {"max_aio_procs", &model::Config::max_aio_procs, 0},
      {"target_aio_procs", &model::Config::target_aio_procs, 0},  // may be 0 (S2)
      {"max_aio_per_proc", &model::Config::max_aio_per_proc, 0},
      {"max_aio_queue_per_proc", &model::Config::max_aio_queue_per_proc, 0},
      {"max_aio_queue", &model::Config::max_aio_queue, 0},
      {"max_buf_aio", &model::Config::max_buf_aio, 0},
      {"aio_listio_max", &model::Config::aio_listio_max, 0},
      {"hz", &model::Config::hz, 1},  // ticks per second: 0 would stop the clock
  };
  std::vector<std::string_view> keys;
  for (const auto& b : kBools) keys.push_back(b.key);
  for (const auto& i : kInts) keys.push_back(i.key);
  r.object(n, "config", keys);
  for (const auto& b : kBools)
    if (Node v = n.get(b.key)) c.*b.field = r.boolean(v);
  for (const auto& i : kInts)
    if (Node v = n.get(i.key)) c.*i.field = static_cast<int>(r.integer(v, i.min, std::numeric_limits<int>::max()));
  return c;
}

}  // namespace aiomc::loader::detail
