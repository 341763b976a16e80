// Typed ids for the kernel state's objects: one byte each, one kind per table, and
// one encoding of "none" (0xFF). An id is made from an int only through a check
// against its kind's capacity, is read as an index only when it is not none, and
// indexes only the table of its own kind (Table<T, N, Id>, svec.hpp): a job id
// used as a process number does not compile.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace aiomc::model {

[[noreturn]] void model_panic(const char* what, const char* file, int line);

// The capacities (the tables' sizes).
inline constexpr int kMaxProcs = 4;
inline constexpr int kMaxThreads = 8;
inline constexpr int kMaxDaemons = 8;
inline constexpr int kMaxDisks = 4;
inline constexpr int kMaxJobs = 24;
inline constexpr int kMaxLios = 6;
inline constexpr int kMaxKqueues = 6;
inline constexpr int kMaxKnotes = 16;
inline constexpr int kMaxObjects = 8;

// The raw byte of none, for the code that still holds ids as bytes.
inline constexpr std::uint8_t kNone = 0xFF;

template <class Tag>
struct Id {
  static constexpr int capacity = Tag::capacity;
  static_assert(capacity > 0 && capacity < 0xFF, "an id is one byte and 0xFF is none");

  std::uint8_t v = kNone;

  constexpr Id() = default;
  // Checked: i must be an index of the kind's table (never -1, never 0xFF).
  constexpr explicit Id(int i, const char* file = __builtin_FILE(), int line = __builtin_LINE())
      : v(static_cast<std::uint8_t>(i)) {
    if (i < 0 || i >= capacity) model_panic("id out of range for its kind", file, line);
  }
  static constexpr Id none() { return Id{}; }
  // An int that may be "none" (-1 or 0xFF, as older code and callers pass it).
  static constexpr Id or_none(int i, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return (i < 0 || i == kNone) ? none() : Id(i, file, line);
  }
  // The encoding's byte back into an id: none or in range, else a model error.
  static constexpr Id from_raw(std::uint8_t b, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return b == kNone ? none() : Id(b, file, line);
  }

  constexpr bool is_none() const { return v == kNone; }
  constexpr bool valid() const { return v != kNone; }
  // The table index; asking for the index of none is a model error (exit 70).
  constexpr int index(const char* file = __builtin_FILE(), int line = __builtin_LINE()) const {
    if (v == kNone) model_panic("index of a none id", file, line);
    return v;
  }
  // The index as a size_t, for the vectors of the program beside the state.
  constexpr std::size_t uindex(const char* file = __builtin_FILE(), int line = __builtin_LINE()) const {
    return static_cast<std::size_t>(index(file, line));
  }
  // -1 for none, else the index: for code that still takes ints.
  constexpr int or_minus1() const { return v == kNone ? -1 : v; }
  constexpr std::uint8_t raw() const { return v; }

  friend constexpr bool operator==(Id, Id) = default;
  friend constexpr auto operator<=>(Id, Id) = default;
};

struct ProcTag { static constexpr int capacity = kMaxProcs; };
struct ThreadTag { static constexpr int capacity = kMaxThreads; };
struct JobTag { static constexpr int capacity = kMaxJobs; };
struct LioTag { static constexpr int capacity = kMaxLios; };
struct KnoteTag { static constexpr int capacity = kMaxKnotes; };
struct KqTag { static constexpr int capacity = kMaxKqueues; };
struct ObjTag { static constexpr int capacity = kMaxObjects; };
struct DaemonTag { static constexpr int capacity = kMaxDaemons; };
struct DiskTag { static constexpr int capacity = kMaxDisks; };

using ProcId = Id<ProcTag>;
using ThreadId = Id<ThreadTag>;
using JobId = Id<JobTag>;
using LioId = Id<LioTag>;
using KnoteId = Id<KnoteTag>;
using KqId = Id<KqTag>;
using ObjId = Id<ObjTag>;
using DaemonId = Id<DaemonTag>;
using DiskId = Id<DiskTag>;

static_assert(sizeof(JobId) == 1 && std::is_trivially_copyable_v<JobId> && std::is_standard_layout_v<JobId>);

template <class T>
inline constexpr bool is_id_v = false;
template <class Tag>
inline constexpr bool is_id_v<Id<Tag>> = true;

// Every id of a kind, in index order: the escape for whole-table loops (invariants,
// encoding, symmetry, describe): `for (JobId j : ids<JobId>())`.
template <class I>
struct IdRange {
  struct iterator {
    int i;
    constexpr I operator*() const { return I(i); }
    constexpr iterator& operator++() {
      ++i;
      return *this;
    }
    constexpr bool operator==(const iterator&) const = default;
  };
  constexpr iterator begin() const { return {0}; }
  constexpr iterator end() const { return {I::capacity}; }
};
template <class I>
  requires is_id_v<I>
constexpr IdRange<I> ids() {
  return {};
}

}  // namespace aiomc::model
