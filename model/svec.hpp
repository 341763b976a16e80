// A fixed-capacity vector for the kernel state: no allocation, trivially copyable,
// structural equality. Unused slots are kept zero so whole-object comparison works.
#pragma once

#include <array>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "model/access_log.hpp"

namespace aiomc::model {

[[noreturn]] void model_panic(const char* what, const char* file, int line);
#define AIOMC_ASSERT(cond)                                         \
  do {                                                             \
    if (!(cond)) ::aiomc::model::model_panic(#cond, __FILE__, __LINE__); \
  } while (0)

template <class T, int N>
struct SVec {
  std::array<T, N> v{};
  std::uint8_t n = 0;

  int size() const { return n; }
  bool empty() const { return n == 0; }
  bool full() const { return n == N; }
  const T* begin() const { return v.data(); }
  const T* end() const { return v.data() + n; }
  T* begin() { return v.data(); }
  T* end() { return v.data() + n; }
  // Checked: an index outside the live elements is a model-internal error (exit 70).
  const T& operator[](int i) const {
    AIOMC_ASSERT(i >= 0 && i < n);
    return v[static_cast<std::size_t>(i)];
  }
  T& operator[](int i) {
    AIOMC_ASSERT(i >= 0 && i < n);
    return v[static_cast<std::size_t>(i)];
  }
  const T& front() const {
    AIOMC_ASSERT(n > 0);
    return v[0];
  }

  void push_back(const T& x) {
    AIOMC_ASSERT(n < N);
    v[n++] = x;
  }
  void push_front(const T& x) {
    AIOMC_ASSERT(n < N);
    for (int i = n; i > 0; --i) v[static_cast<std::size_t>(i)] = v[static_cast<std::size_t>(i - 1)];
    v[0] = x;
    ++n;
  }
  void erase_at(int i) {
    AIOMC_ASSERT(i >= 0 && i < n);
    for (int k = i; k + 1 < n; ++k) v[static_cast<std::size_t>(k)] = v[static_cast<std::size_t>(k + 1)];
    --n;
    v[n] = T{};
  }
  int find(const T& x) const {
    for (int i = 0; i < n; ++i)
      if (v[static_cast<std::size_t>(i)] == x) return i;
    return -1;
  }
  bool contains(const T& x) const { return find(x) >= 0; }
  // Removes x; returns false if absent.
  bool remove(const T& x) {
    int i = find(x);
    if (i < 0) return false;
    erase_at(i);
    return true;
  }
  T pop_front() {
    AIOMC_ASSERT(n > 0);
    T x = v[0];
    erase_at(0);
    return x;
  }
  friend bool operator==(const SVec&, const SVec&) = default;
};

// A fixed table of the kernel state indexed by a small id: std::array with every
// index checked, in every build, so an id that is out of range (kNone included) ends
// the run as a model-internal error (exit 70) instead of reading past the table.
// With an id type I (ids.hpp) it is indexed by that kind of id (a none id is a model
// error, an id of another kind does not compile); the int index stays for the tables
// without a kind (per-descriptor, per-name) and for code not yet converted.
// A kinded table also notes, while a step records its footprint (access_log.hpp),
// every entry indexed and a whole-table walk as every entry, in the log's read-only
// half when the table is reached as const (a step reads through Kernel::view()
// where it only looks, so the explorer need not compare it). The log pointer is not
// state: equality ignores it and the encoding never sees it.
namespace detail {
struct NoTableLog {};
struct TableLog {
  AccessLog* log = nullptr;
};
}  // namespace detail

template <class T, std::size_t N, class I = void>
struct Table : std::array<T, N> {
  using Base = std::array<T, N>;
  [[no_unique_address]] std::conditional_t<std::is_void_v<I>, detail::NoTableLog, detail::TableLog> rec{};

  const T& operator[](std::size_t i) const {
    AIOMC_ASSERT(i < N);
    note_read(i);
    return Base::operator[](i);
  }
  T& operator[](std::size_t i) {
    AIOMC_ASSERT(i < N);
    note(i);
    return Base::operator[](i);
  }
  template <class J>
    requires(!std::is_void_v<I> && std::is_same_v<J, I>)
  const T& operator[](J id) const {
    static_assert(static_cast<std::size_t>(J::capacity) == N, "a table of its kind's capacity");
    const auto i = static_cast<std::size_t>(id.index());
    note_read(i);
    return Base::operator[](i);
  }
  template <class J>
    requires(!std::is_void_v<I> && std::is_same_v<J, I>)
  T& operator[](J id) {
    static_assert(static_cast<std::size_t>(J::capacity) == N, "a table of its kind's capacity");
    const auto i = static_cast<std::size_t>(id.index());
    note(i);
    return Base::operator[](i);
  }
  // A walk over the whole table touches every entry (read-only through a const table).
  auto begin() {
    note_all();
    return Base::begin();
  }
  auto begin() const {
    note_read_all();
    return Base::begin();
  }
  auto end() { return Base::end(); }
  auto end() const { return Base::end(); }

  // Footprint recording (kinded tables only): start with a log, stop with nullptr.
  void record_into(AccessLog* log)
    requires(!std::is_void_v<I>)
  {
    rec.log = log;
  }
  friend bool operator==(const Table& a, const Table& b) {
    return static_cast<const Base&>(a) == static_cast<const Base&>(b);
  }

 private:
  void note(std::size_t i) const {
    if constexpr (!std::is_void_v<I>)
      if (rec.log) rec.log->touch(obj_kind_of<I>(), i);
  }
  void note_all() const {
    if constexpr (!std::is_void_v<I>)
      if (rec.log) rec.log->touch_all(obj_kind_of<I>(), N);
  }
  // Through a const table: read, not written (AccessLog's read-only half).
  void note_read(std::size_t i) const {
    if constexpr (!std::is_void_v<I>)
      if (rec.log) rec.log->read(obj_kind_of<I>(), i);
  }
  void note_read_all() const {
    if constexpr (!std::is_void_v<I>)
      if (rec.log) rec.log->read_all(obj_kind_of<I>(), N);
  }
};

}  // namespace aiomc::model
