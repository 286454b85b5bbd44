// A test of the stepping core (engine/stepping.hpp, stepping_macros.hpp), not
// of any simulated structure: a deliberately small second structure, a shared
// counter that exists only here, has its own event record, kinds, sites and
// ops text (counter_ops.inc) and is compiled both ways through the same core
// and spellings as the classic map. If the core were still tied to Map, this
// file would not compile; if the forms drifted apart, the both-forms test
// below would fail as BothForms does for the map.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string_view>
#include <vector>

#include "engine/stepping.hpp"

namespace gomap {
namespace {

// ---- the counter's events: its own kinds, sites and record --------------------
enum class CounterKind : uint8_t { OpBegin, Check, Flag, Read, Write, OpEnd, Count };
enum class CounterSite : uint8_t {
  AddBegin, AddEntryCheck, AddSetWriting, Load, Store, AddEnd, GetBegin, GetEntryCheck, GetEnd, Count
};
struct CounterSiteInfo {
  CounterSite site;
  CounterKind kind;
  std::string_view function;
  int line; // in the Go of counter_ops.inc's comment
  std::string_view description;
};
constexpr std::array<CounterSiteInfo, static_cast<std::size_t>(CounterSite::Count)> kCounterSites{{
    {CounterSite::AddBegin, CounterKind::OpBegin, "add", 1, "add(n) begins"},
    {CounterSite::AddEntryCheck, CounterKind::Check, "add", 2, "another writer holds the counter: fatal"},
    {CounterSite::AddSetWriting, CounterKind::Flag, "add", 3, "c.writing = 1"},
    {CounterSite::Load, CounterKind::Read, "load", 4, "v := c.v"},
    {CounterSite::Store, CounterKind::Write, "store", 5, "c.v = v + n"},
    {CounterSite::AddEnd, CounterKind::OpEnd, "add", 6, "c.writing = 0; add ends"},
    {CounterSite::GetBegin, CounterKind::OpBegin, "get", 8, "get begins"},
    {CounterSite::GetEntryCheck, CounterKind::Check, "get", 9, "a writer holds the counter: fatal"},
    {CounterSite::GetEnd, CounterKind::OpEnd, "get", 10, "get returns v"},
}};
static_assert([] {
  for (std::size_t i = 0; i < kCounterSites.size(); i++)
    if (static_cast<std::size_t>(kCounterSites[i].site) != i) return false;
  return true;
}(), "counter site table out of step with enum CounterSite");

struct CounterEvent {
  CounterKind kind; // the core's pause mask indexes this
  CounterSite site;
  int64_t value;
  bool operator==(const CounterEvent&) const = default;
};
constexpr CounterEvent counterEvent(CounterSite s, int64_t v) {
  return {kCounterSites[static_cast<std::size_t>(s)].kind, s, v};
}
// The counter's sink.
struct CounterLog {
  std::vector<CounterEvent> events;
  void push(const CounterEvent& e) { events.push_back(e); }
};

// ---- the structure ---------------------------------------------------------------
// No beginOp/endOp of its own: OpScope uses the core's in-flight count.
class Counter : public SteppingCore<CounterEvent, CounterLog> {
  using OpScope = SteppingCore<CounterEvent, CounterLog>::OpScope<Counter>; // as every structure declares it

public:
  // Resumable form.
  Task<void> add(int64_t n);
  Task<int64_t> get();
  // Direct form.
  template <bool kRecord> void add(Direct<kRecord>, int64_t n);
  template <bool kRecord> int64_t get(Direct<kRecord>);

  OpResult addNow(int64_t n) {
    return runDirect([&](auto via) { add(via, n); });
  }
  OpResult getNow(int64_t& out) {
    return runDirect([&](auto via) { out = get(via); });
  }
  int64_t value() const { return value_; }
  uint8_t writing() const { return writing_; }

private:
  Task<int64_t> load();
  Task<void> store(int64_t v);
  template <bool kRecord> int64_t load(Direct<kRecord>);
  template <bool kRecord> void store(Direct<kRecord>, int64_t v);

  int64_t value_ = 0;
  uint8_t writing_ = 0;
};

#define GOMAP_OWNER_TEMPLATE
#define GOMAP_EVENT(site, ...) counterEvent(site, __VA_ARGS__)
#define GOMAP_RESUMABLE 1
#include "engine/stepping_macros.hpp"
#include "counter_ops.inc"
#undef GOMAP_RESUMABLE
#define GOMAP_RESUMABLE 0
#include "engine/stepping_macros.hpp"
#include "counter_ops.inc"
#include "engine/stepping_macros_end.hpp"

// A started resumable op and its cursor, stepped pause by pause.
template <class T> struct Started {
  Task<T> task;
  Cursor cursor;
  explicit Started(Task<T> t) : task(std::move(t)), cursor{task.handle()} {}
};

// ---- tests -------------------------------------------------------------------------

// The counter's both-forms test: the same random ops on three counters, one
// direct and unrecorded, one direct and recorded, one resumable and paused at
// every event. Same outcomes, same results, same events, same state.
TEST(SteppingCore, CounterBothFormsAgreeOnEveryEventAndState) {
  Counter direct, recorded, stepped;
  CounterLog recordedLog, steppedLog;
  recorded.setEventBuffer(&recordedLog);
  stepped.setEventBuffer(&steppedLog);
  stepped.setPauseMask(~uint64_t{0});
  std::mt19937_64 rng(5);
  std::size_t pauses = 0;
  for (int i = 0; i < 500; i++) {
    const bool isAdd = rng() % 3 != 0;
    const int64_t n = static_cast<int64_t>(rng() % 1000) - 500;
    OpResult r0, r1, r2;
    int64_t g0 = -1, g1 = -2, g2 = -3;
    if (isAdd) {
      r0 = direct.addNow(n);
      r1 = recorded.addNow(n);
      Started<void> s(stepped.add(n));
      while (stepped.step(s.task, s.cursor)) pauses++;
      r2 = stepped.finish(s.task);
    } else {
      r0 = direct.getNow(g0);
      r1 = recorded.getNow(g1);
      Started<int64_t> s(stepped.get());
      while (stepped.step(s.task, s.cursor)) pauses++;
      r2 = stepped.finish(s.task);
      g2 = s.task.result();
      ASSERT_EQ(g0, g1);
      ASSERT_EQ(g0, g2);
    }
    ASSERT_EQ(r0.outcome, Outcome::Ok);
    ASSERT_EQ(r1.outcome, Outcome::Ok);
    ASSERT_EQ(r2.outcome, Outcome::Ok);
    ASSERT_EQ(direct.value(), recorded.value());
    ASSERT_EQ(direct.value(), stepped.value());
    ASSERT_EQ(stepped.writing(), 0);
    ASSERT_EQ(stepped.inflight(), 0);
    ASSERT_EQ(direct.inflight(), 0);
  }
  EXPECT_EQ(recordedLog.events, steppedLog.events);
  EXPECT_EQ(pauses, steppedLog.events.size()) << "the resumable form pauses at every event it records";
  EXPECT_GT(steppedLog.events.size(), 1500u);
  // Every add is Begin, SetWriting, Load, Store, End with the values the Go says.
  int64_t v = 0;
  for (std::size_t i = 0; i < recordedLog.events.size();) {
    const CounterEvent& e = recordedLog.events[i];
    if (e.site == CounterSite::AddBegin) {
      ASSERT_EQ(recordedLog.events[i + 2], counterEvent(CounterSite::Load, v));
      ASSERT_EQ(recordedLog.events[i + 3], counterEvent(CounterSite::Store, v + e.value));
      v += e.value;
      ASSERT_EQ(recordedLog.events[i + 4], counterEvent(CounterSite::AddEnd, v));
      i += 5;
    } else {
      ASSERT_EQ(e.site, CounterSite::GetBegin);
      ASSERT_EQ(recordedLog.events[i + 2], counterEvent(CounterSite::GetEnd, v));
      i += 3;
    }
  }
  EXPECT_EQ(v, direct.value());
}

// The pause mask pauses at the kinds it names and nowhere else; run() goes to
// the end whatever the mask, and puts the mask back.
TEST(SteppingCore, PauseMaskSelectsKindsAndRunIgnoresIt) {
  Counter c;
  CounterLog log;
  c.setEventBuffer(&log);
  c.setPauseMask(uint64_t{1} << static_cast<unsigned>(CounterKind::Write));
  Started<void> s(c.add(7));
  ASSERT_TRUE(c.step(s.task, s.cursor));
  EXPECT_EQ(log.events.back(), counterEvent(CounterSite::Store, 7)) << "the first pause is the store";
  EXPECT_EQ(log.events.size(), 4u);
  EXPECT_EQ(c.inflight(), 1);
  EXPECT_EQ(c.writersInFlight(), 1);
  EXPECT_FALSE(c.step(s.task, s.cursor));
  EXPECT_EQ(c.finish(s.task).outcome, Outcome::Ok);
  EXPECT_EQ(c.inflight(), 0);

  Task<void> t = c.add(5);
  EXPECT_EQ(c.run(t).outcome, Outcome::Ok);
  EXPECT_EQ(c.value(), 12);
  EXPECT_EQ(c.pauseMask(), uint64_t{1} << static_cast<unsigned>(CounterKind::Write));
  EXPECT_EQ(log.events.size(), 10u);
}

// Two ops in flight on one structure, as simulated goroutines run them: a
// writer paused after setting its flag makes a second writer fail its entry
// check with a fatal error, in both forms alike, with the same events; the
// OpScope ends the failed op on the exception path, and the paused writer
// finishes afterwards with the in-flight count back at zero.
TEST(SteppingCore, FatalErrorThroughBothFormsWhileAnotherOpIsPaused) {
  for (bool resumable : {false, true}) {
    SCOPED_TRACE(resumable ? "second writer resumable" : "second writer direct");
    Counter c;
    CounterLog log;
    c.setEventBuffer(&log);
    c.setPauseMask(uint64_t{1} << static_cast<unsigned>(CounterKind::Flag));
    Started<void> first(c.add(3));
    ASSERT_TRUE(c.step(first.task, first.cursor)); // paused at c.writing = 1
    ASSERT_EQ(c.writing(), 1);
    ASSERT_EQ(c.inflight(), 1);
    const std::size_t before = log.events.size();
    OpResult second;
    if (resumable) {
      Task<void> t = c.add(4);
      second = c.run(t);
    } else {
      second = c.addNow(4);
    }
    EXPECT_EQ(second.outcome, Outcome::Fatal);
    EXPECT_EQ(second.message, Message::ConcurrentMapWrites);
    ASSERT_EQ(log.events.size(), before + 2);
    EXPECT_EQ(log.events[before], counterEvent(CounterSite::AddBegin, 4));
    EXPECT_EQ(log.events[before + 1], counterEvent(CounterSite::AddEntryCheck, 1));
    EXPECT_EQ(c.inflight(), 1) << "the failed op ended; the paused one is still in flight";
    EXPECT_EQ(c.writersInFlight(), 1);

    int64_t got = 0;
    const OpResult reader = c.getNow(got);
    EXPECT_EQ(reader.outcome, Outcome::Fatal);
    EXPECT_EQ(reader.message, Message::ConcurrentReadWrite);

    EXPECT_FALSE(c.step(first.task, first.cursor));
    EXPECT_EQ(c.finish(first.task).outcome, Outcome::Ok);
    EXPECT_EQ(c.value(), 3);
    EXPECT_EQ(c.inflight(), 0);
    EXPECT_EQ(c.writersInFlight(), 0);
  }
}

// A read-only op is counted in flight while it is paused (GOMAP_READ_SCOPE in
// the resumable form) and not at all in the direct form, where nothing can see it.
TEST(SteppingCore, ReadScopeCountsOnlyPausedReaders) {
  Counter c;
  c.setPauseMask(uint64_t{1} << static_cast<unsigned>(CounterKind::Read));
  Started<int64_t> r(c.get());
  ASSERT_TRUE(c.step(r.task, r.cursor));
  EXPECT_EQ(c.inflight(), 1);
  EXPECT_EQ(c.writersInFlight(), 0);
  EXPECT_EQ(c.addNow(2).outcome, Outcome::Ok) << "a reader does not block a writer's entry check";
  EXPECT_FALSE(c.step(r.task, r.cursor));
  EXPECT_EQ(r.task.result(), 0) << "the reader loaded before the write";
  EXPECT_EQ(c.inflight(), 0);
}

} // namespace
} // namespace gomap
