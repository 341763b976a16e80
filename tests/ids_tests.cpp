// Typed ids (model/ids.hpp): one byte, one sentinel, checked construction and
// indexing, and tables indexed only by their own kind.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "model/state.hpp"

namespace m = aiomc::model;

namespace {
template <class TableT, class IdT>
concept indexable_by = requires(TableT t, IdT i) { t[i]; };
}  // namespace

// A table takes its own kind of id and no other.
static_assert(indexable_by<decltype(m::State{}.jobs), m::JobId>);
static_assert(!indexable_by<decltype(m::State{}.jobs), m::ProcId>);
static_assert(!indexable_by<decltype(m::State{}.procs), m::JobId>);
static_assert(!indexable_by<decltype(m::State{}.knotes), m::KqId>);
static_assert(indexable_by<decltype(m::State{}.kqs), m::KqId>);
// No implicit way between ints and ids.
static_assert(!std::is_convertible_v<int, m::JobId>);
static_assert(!std::is_convertible_v<m::JobId, int>);
static_assert(sizeof(m::KnoteId) == 1 && std::is_trivially_copyable_v<m::KnoteId>);

TEST_CASE("ids: none is the one sentinel, 0xFF", "[ids]") {
  m::JobId j;
  CHECK(j.is_none());
  CHECK(j == m::JobId::none());
  CHECK(j.raw() == 0xFF);
  CHECK(j.or_minus1() == -1);
  CHECK(m::JobId::or_none(-1).is_none());
  CHECK(m::JobId::or_none(0xFF).is_none());
  CHECK(m::JobId::or_none(3) == m::JobId(3));
  CHECK(m::JobId(3).index() == 3);
  CHECK(m::JobId(2) < m::JobId(3));
  CHECK(m::JobId(3) < m::JobId::none());
}

TEST_CASE("ids: out of range and none are model errors", "[ids]") {
  CHECK_THROWS_AS(m::ProcId(m::kMaxProcs), std::logic_error);
  CHECK_THROWS_AS(m::JobId(-1), std::logic_error);
  CHECK_THROWS_AS(m::KqId::from_raw(m::kMaxKqueues), std::logic_error);
  CHECK(m::KqId::from_raw(0xFF).is_none());
  CHECK_THROWS_AS(m::KnoteId::none().index(), std::logic_error);
  m::State s;
  CHECK_THROWS_AS(s.jobs[m::JobId::none()], std::logic_error);
  CHECK(&s.jobs[m::JobId(5)] == &s.jobs[5]);
}

TEST_CASE("ids: ids<I>() walks every id of a kind in order", "[ids]") {
  std::vector<int> seen;
  for (m::LioId l : m::ids<m::LioId>()) seen.push_back(l.index());
  CHECK(seen == std::vector<int>{0, 1, 2, 3, 4, 5});
  int n = 0;
  for (m::JobId j : m::ids<m::JobId>()) n += j.valid() ? 1 : 0;
  CHECK(n == m::kMaxJobs);
}
