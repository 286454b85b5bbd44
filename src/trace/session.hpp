// A recorded session: the ops applied to one map, every event they emitted,
// and snapshots at op boundaries, so that a viewer can seek to any event.
//
// Seeking restores the nearest snapshot at or before the target's op (cheap:
// arrays are shared copy-on-write), replays whole ops with recording off, then
// starts the target op paused at every event and steps it to the target. The
// engine is deterministic (its fastrand state is part of the snapshot), so the
// replay reproduces the recorded events exactly.
#pragma once
#include <any>
#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "engine/any_map.hpp"
#include "trace/event_source.hpp"

namespace gomap {

struct SessionConfig {
  KeyKind kind = KeyKind::Int64;
  uint64_t rngSeed = 0;
  uint64_t hashkey = kDefaultHashKey;
  HashMode mode = HashMode::Go;
};

class Session final : public EventSource {
public:
  explicit Session(SessionConfig cfg);
  ~Session();

  // Runs op at the end of the session (seeking there first), recording its
  // events. Ops that change configuration rather than the map (seed, pin,
  // hash mode) go through the same list so that replays see them.
  OpResult append(const OpRequest& r);
  void appendSeed(uint32_t hash0);
  void appendPin(const KeyValue& k, uint64_t hash);
  void appendHashMode(HashMode m);
  // A hint that an op on key k will be appended soon: drivers that know their
  // next ops (loading a script) call it kPrefetchDistance ops ahead, so that
  // the map's cache misses overlap (far enough for the memory to arrive
  // before the op runs; docs/performance.md). Changes nothing recorded.
  // Once snapshots have versioned the arrays, the hint takes two stages:
  // Early now, Late kLatePrefetchDistance hints later.
  void prefetchKey(const KeyValue& k);
  static constexpr std::size_t kPrefetchDistance = 16;
  static constexpr std::size_t kLatePrefetchDistance = 8;
  // Drops every op after the current position (before appending from a past point).
  void truncateAfterCursor();

  uint64_t eventCount() const override { return events_.size(); }
  std::size_t opCount() const override { return ops_.size(); }
  const EventBuffer& events() const { return events_; }
  const Event& event(uint64_t i) const override { return events_[i]; }
  // The op that emitted event i, and the first event of op k.
  std::size_t opOfEvent(uint64_t i) const override;
  uint64_t firstEventOfOp(std::size_t k) const override { return ops_[k].firstEvent; }
  const OpRequest& op(std::size_t k) const { return ops_[k].req; }

  // Puts the map in its state right after event i has happened (i = -1: before
  // any event). position() is that i.
  void seek(int64_t i);
  int64_t position() const { return position_; }
  void seekEnd() { seek(static_cast<int64_t>(eventCount()) - 1); }

  const AnyMap& map() const { return *map_; }
  AnyMap& mutableMap() { return *map_; }
  const SessionConfig& config() const { return cfg_; }
  // The op in progress at the cursor (paused inside it), if any.
  std::optional<std::size_t> opInProgress() const { return inProgressOp_; }
  std::size_t checkpointCount() const { return checkpoints_.size(); }

private:
  enum class Kind { Map, Seed, Pin, Mode };
  struct RecordedOp {
    Kind kind = Kind::Map;
    OpRequest req;
    uint64_t extra = 0;
    uint64_t firstEvent = 0;
    uint64_t eventCount = 0;
    OpResult result;
  };
  struct Checkpoint {
    std::size_t op; // state before ops_[op]
    std::any snap;
  };
  void abandonInProgress();
  void applyConfigOp(const RecordedOp& r);
  // State before ops_[op], no op in progress. Returns true if it restored a
  // snapshot older than op and replayed ops to get there.
  bool restoreTo(std::size_t op);
  void maybeCheckpoint();
  void prefetchFor(const RecordedOp& r, PrefetchStage stage) const;

  SessionConfig cfg_;
  std::unique_ptr<AnyMap> map_;
  EventBuffer events_;
  std::deque<RecordedOp> ops_; // a deque: a million-op session never copies its log to grow it
  std::vector<Checkpoint> checkpoints_;
  // The state before the op most recently reached by a restore and replay:
  // stepping back event by event inside that op restores it instead of
  // replaying from an older checkpoint (on a 2^20-bucket map that replay is
  // most of a step's cost).
  std::optional<Checkpoint> recent_;
  std::size_t opsSinceCheckpoint_ = 0;
  std::size_t liveOp_ = 0; // the map's state is before ops_[liveOp_] (plus inProgress)
  std::unique_ptr<OpRun> inProgress_;
  std::optional<std::size_t> inProgressOp_;
  // The keys of the last kLatePrefetchDistance hints, for their Late stage.
  std::array<std::optional<KeyValue>, kLatePrefetchDistance> hinted_;
  std::size_t hintedNext_ = 0;
  int64_t position_ = -1;
};

} // namespace gomap
