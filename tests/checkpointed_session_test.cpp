// CheckpointedSession (trace/checkpointed_session.hpp) on its own, with a toy
// model as a third structure would bring one: a counter whose ops add to it one
// event at a time (and ops with no event that set it). Every event is reached
// forwards, backwards and at random, and the counter there is what the
// recording saw; a budget thins the checkpoints out; the op in progress is
// stepped on, or let return, rather than replayed.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "trace/checkpointed_session.hpp"

using namespace gomap;

namespace {

struct ToyEvent {
  uint64_t value = 0; // the counter after the event
};
struct ToySink {
  std::vector<ToyEvent> events;
  void clear() { events.clear(); }
};
struct ToyModel {
  uint64_t value = 0;
  ToySink* sink = nullptr;
  uint64_t pauseMask = 0;
  void setEventSink(ToySink* s) { sink = s; }
  void setPauseMask(uint64_t m) { pauseMask = m; }
};
// An op in the resumable form: one event per unit; with a pause mask it parks
// after each event, and the step after the last one returns false.
struct ToyRun {
  ToyModel& m;
  int left;
  uint64_t add;
  int* replays; // counts units run, to see what a seek replays
  bool step() {
    while (left > 0) {
      m.value += add;
      left--;
      (*replays)++;
      if (m.sink) m.sink->events.push_back({m.value});
      if (m.pauseMask) return true;
    }
    return false;
  }
};
struct ToyOp {
  int units = 0;                // events
  uint64_t add = 0;             // per event
  std::optional<uint64_t> set;  // an op with no event: the counter becomes this
  uint64_t firstEvent = 0, eventCount = 0;
  uint64_t after = 0;           // the counter after the op (recorded)
};

inline constexpr CheckpointPolicy kToyPolicy{4, 2500, 3};

class ToySession final
    : public CheckpointedSession<ToySession, ToyOp, ToyModel, ToySink, ToyRun, uint64_t, kToyPolicy> {
public:
  static std::unique_ptr<ToySession> record(std::vector<ToyOp> ops) {
    std::unique_ptr<ToySession> s(new ToySession());
    s->map_ = std::make_unique<ToyModel>();
    for (ToyOp& o : ops) {
      s->maybeCheckpoint();
      o.firstEvent = s->events_.size();
      s->map_->setEventSink(&s->scratch_);
      s->scratch_.clear();
      s->runDirect(o);
      s->events_.insert(s->events_.end(), s->scratch_.events.begin(), s->scratch_.events.end());
      s->map_->setEventSink(nullptr);
      o.eventCount = s->events_.size() - o.firstEvent;
      o.after = s->map_->value;
      s->recorded(std::move(o));
    }
    s->liveOp_ = s->ops_.size();
    s->position_ = static_cast<int64_t>(s->eventCount()) - 1;
    return s;
  }
  uint64_t eventCount() const { return events_.size(); }
  const ToyEvent& event(uint64_t i) const { return events_[i]; }
  uint64_t value() const { return map_->value; }
  int unitsRun = 0;
  int finishedOps = 0;

private:
  using Base = CheckpointedSession<ToySession, ToyOp, ToyModel, ToySink, ToyRun, uint64_t, kToyPolicy>;
  friend Base;
  ToySession() = default;
  void runDirect(const ToyOp& o) {
    if (o.set) map_->value = *o.set;
    ToyRun r{*map_, o.units, o.add, &unitsRun};
    while (r.step()) {
    }
  }
  uint64_t snapshot() { return map_->value; }
  void restoreSnapshot(uint64_t v) { map_->value = v; }
  CheckpointCost checkpointCost() const { return {1000, 1000}; }
  void replay(std::size_t k) { runDirect(ops_[k]); }
  std::unique_ptr<ToyRun> startOp(const ToyOp& o) {
    if (o.set) map_->value = *o.set;
    return std::make_unique<ToyRun>(ToyRun{*map_, o.units, o.add, &unitsRun});
  }
  void finished(const ToyOp&, ToyRun&) { finishedOps++; }

  std::vector<ToyEvent> events_;
};

std::vector<ToyOp> toyOps(int n) {
  std::vector<ToyOp> ops;
  std::mt19937_64 g(3);
  for (int k = 0; k < n; k++) {
    ToyOp o;
    if (k % 7 == 3) {
      o.set = g() % 1000; // no event of its own: it happens with the op before it
    } else {
      o.units = 1 + static_cast<int>(g() % 5);
      o.add = 1 + g() % 9;
    }
    ops.push_back(o);
  }
  return ops;
}

// The counter right after event i: the event's value, and at an op's last
// event the ops with no event after it have happened too.
uint64_t expectedAt(const ToySession& s, uint64_t i) {
  std::size_t k = s.opOfEvent(i);
  if (i + 1 < s.op(k).firstEvent + s.op(k).eventCount) return s.event(i).value;
  while (k + 1 < s.opCount() && s.op(k + 1).eventCount == 0) k++;
  return s.op(k).after;
}

} // namespace

TEST(CheckpointedSession, EveryEventForwardsBackwardsAndAtRandom) {
  auto s = ToySession::record(toyOps(300));
  const int64_t n = static_cast<int64_t>(s->eventCount());
  ASSERT_GT(n, 500);
  for (int64_t i = -1; i < n; i++) {
    s->seek(i);
    ASSERT_EQ(s->position(), i);
    ASSERT_EQ(s->value(), i < 0 ? 0u : expectedAt(*s, static_cast<uint64_t>(i))) << "forwards, event " << i;
  }
  for (int64_t i = n - 1; i >= -1; i--) {
    s->seek(i);
    ASSERT_EQ(s->value(), i < 0 ? 0u : expectedAt(*s, static_cast<uint64_t>(i))) << "backwards, event " << i;
  }
  std::mt19937_64 g(11);
  for (int r = 0; r < 2000; r++) {
    const int64_t i = static_cast<int64_t>(g() % static_cast<uint64_t>(n + 1)) - 1;
    s->seek(i);
    ASSERT_EQ(s->value(), i < 0 ? 0u : expectedAt(*s, static_cast<uint64_t>(i))) << "at random, event " << i;
  }
  // Out of range: clamped.
  s->seek(n + 5);
  EXPECT_EQ(s->position(), n - 1);
}

TEST(CheckpointedSession, ABudgetThinsTheCheckpointsOutAndDoublesTheSpacing) {
  auto s = ToySession::record(toyOps(300));
  // 1000 bytes each within 2500: past 3 checkpoints every other one goes.
  EXPECT_GT(s->checkpointSpacing(), kToyPolicy.every);
  EXPECT_LE(s->checkpointCount() * 1000, kToyPolicy.budget + 1000);
  EXPECT_GE(s->checkpointCount(), 2u);
}

TEST(CheckpointedSession, InsideAnOpSteppingOnContinuesItAndItsEndLetsItReturn) {
  std::vector<ToyOp> ops(40);
  for (ToyOp& o : ops) {
    o.units = 5;
    o.add = 1;
  }
  auto s = ToySession::record(ops);
  const uint64_t first = s->op(30).firstEvent; // op 30's events: first .. first + 4
  s->seek(static_cast<int64_t>(first));
  ASSERT_EQ(s->opInProgress(), std::optional<std::size_t>(30));
  const int unitsAtStart = s->unitsRun;
  s->seek(static_cast<int64_t>(first + 2));
  EXPECT_EQ(s->value(), first + 3);
  EXPECT_EQ(s->unitsRun - unitsAtStart, 2) << "stepping on inside the op runs its next events only";
  s->seek(static_cast<int64_t>(first + 4)); // its end
  EXPECT_FALSE(s->opInProgress());
  EXPECT_EQ(s->finishedOps, 1);
  EXPECT_EQ(s->value(), first + 5);
  EXPECT_EQ(s->unitsRun - unitsAtStart, 4) << "the op returned: no replay";
  // Back inside it: a restore and a replay, then the op in progress again.
  s->seek(static_cast<int64_t>(first + 1));
  EXPECT_EQ(s->opInProgress(), std::optional<std::size_t>(30));
  EXPECT_EQ(s->value(), first + 2);
}
