// Copies of a state over only what the scenario uses: a lio-wide state is 6 KB, of
// which one process, two threads and three daemons use under half. The in-place
// engine needs them for a worker's first state (its decoding starts from a blank
// state, and the working copy starts as the parent; later states take only the
// segments that changed, decode_changed), and the simulator for every step.
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "model/model.hpp"

namespace aiomc::model {
namespace {

// dst's entries [0, n) of a table = src's (not the table's footprint log pointer).
template <class T, std::size_t N, class I>
void copy_entries(Table<T, N, I>& dst, const Table<T, N, I>& src, std::size_t n) {
  static_assert(std::is_trivially_copyable_v<T>);
  AIOMC_ASSERT(n <= N);
  std::memcpy(static_cast<void*>(dst.data()), src.data(), n * sizeof(T));
}

}  // namespace

void Model::copy_used(State& dst, const State& src) const {
  std::memcpy(static_cast<void*>(&dst), &src, global_fields_bytes(src));
  copy_entries(dst.procs, src.procs, program_.processes.size());
  copy_entries(dst.threads, src.threads, static_cast<std::size_t>(nthreads_));
  copy_entries(dst.daemons, src.daemons, static_cast<std::size_t>(ndaemons_));
  copy_entries(dst.disks, src.disks, static_cast<std::size_t>(ndisks_));
  copy_entries(dst.jobs, src.jobs, kMaxJobs);
  copy_entries(dst.lios, src.lios, kMaxLios);
  copy_entries(dst.kqs, src.kqs, kMaxKqueues);
  copy_entries(dst.knotes, src.knotes, kMaxKnotes);
  copy_entries(dst.socks, src.socks, kMaxObjects);
  dst.panicked = src.panicked;
  if (linux_) dst.lx = src.lx;
#ifdef _GLIBCXX_ASSERTIONS
  // Checked builds: the parts left alone were equal (blank) already.
  AIOMC_ASSERT(dst == src);
#endif
}

}  // namespace aiomc::model
