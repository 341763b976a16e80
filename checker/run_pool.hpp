// A pool of threads for one piece of pulled work: a BFS level, a table's rehash.
#pragma once

#include <cstddef>
#include <system_error>
#include <thread>
#include <vector>

namespace aiomc::checker::detail {

// Runs work(0..n-1) on n threads (the caller's thread when n == 1). A thread that
// cannot be created makes the remaining work run on the threads that exist.
template <class Work>
void run_pool(int n, Work&& work) {
  if (n == 1) {
    work(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) {
    try {
      pool.emplace_back(work, t);
    } catch (const std::system_error&) {
      break;  // out of threads: the ones started do all of it (the work is pulled)
    }
  }
  if (pool.empty()) work(0);
  for (auto& th : pool) th.join();
}

}  // namespace aiomc::checker::detail
