// Capacity as a contract (issue 9): the model's state has fixed capacities
// (model/state.hpp). Before any search, the loader derives from the scenario an
// upper bound on what each resource can ever hold and refuses a scenario that could
// exceed one, at the op that drives it, with the limit. Nothing a loaded scenario
// does can then reach a capacity assertion of the model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loader/json_reader.hpp"
#include "loader/scenario.hpp"

namespace aiomc::loader {

// One limit, for `aiomc list limits` and the README.
struct Limit {
  std::string_view name;  // "jobs"
  std::int64_t value;
  std::string_view what;  // what is counted, and what drives it
};
const std::vector<Limit>& limits();

namespace detail {

inline constexpr int kMaxOps = 255;                        // ops per thread (ThreadSt::pc is 8 bits)
inline constexpr int kMaxChanges = 250;                    // changes per kevent op (ThreadSt::i is 8 bits)
inline constexpr std::int64_t kMaxInt32 = 2147483647;      // offset, nbytes, size, udata: 32 bits in the state
inline constexpr std::int64_t kMaxBuffered = 32767;        // bytes written to one socket or pipe (kevent data)
inline constexpr std::int64_t kMaxLatencyTicks = 1000000;  // latency_ticks bound
inline constexpr std::int64_t kMaxTimeoutTicks = 1000000000;

// "expected at most LIMIT WHAT (a model capacity, see `aiomc list limits`), found FOUND"
std::string capacity_text(std::int64_t limit, std::string_view what, std::uint64_t found);

// Refuses the scenario (LoadFailure through `r`) if some resource could exceed its capacity.
void check_capacities(const Reader& r, const Scenario& s);

}  // namespace detail
}  // namespace aiomc::loader
