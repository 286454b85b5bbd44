// A recorded Swiss-map session (issue 13) for the GUI: the ops of a Swiss op
// script run once on an AnySwiss recording every SwissEvent (one global event
// index; per op its range), with snapshots between ops so that a viewer can
// put the map in its state at any event. seek(i), the checkpoints and the op
// in progress are CheckpointedSession's (trace/checkpointed_session.hpp): the
// memory at event i is the memory at that event, in the middle of a grow or a
// split included.
//
// Checkpoints are cheap (tables are shared with the live map copy-on-write
// until written), so a checkpoint costs the tables written since the one
// before; the Swiss session gives them a budget (when their estimated size
// passes kCheckpointBudget, every other checkpoint is dropped and the spacing
// doubles: a million random inserts stay within a few hundred MB) and keeps a
// recent state kRecentBack ops before the end of a long replay.
#pragma once
#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/swiss_events.hpp"
#include "engine/swiss_model.hpp"
#include "trace/checkpointed_session.hpp"
#include "trace/event_source.hpp"
#include "trace/opscript.hpp"

namespace gomap {

// One entry of the session: a map operation or a change of the map's
// configuration (seed, rngseed, hashmode) after make.
struct SwissSessionOp {
  enum class Kind : uint8_t { Map, Seed, RngSeed, HashMode, Nothing } kind = Kind::Map;
  swiss::SwissRequest req;
  uint64_t number = 0;   // make: the seed written after NewMap; seed, rngseed: the value
  HashMode mode = HashMode::Go;
  int line = 0;          // in the script (its text: the script's line)
  uint64_t firstEvent = 0, eventCount = 0;
  OpResult result;
  bool found = false;    // get
  int64_t value = 0;     // get
  // iter ... do: a range loop with a body (SwissLoopRun; its events are the
  // iteration's and the body ops', in the order they happen).
  bool loop = false;
  std::vector<IterBodyOp> body;
};

// A checkpoint every 128 ops at first, within 384 MiB; stepping back starts
// from the state 64 ops before the end of a long replay.
inline constexpr CheckpointPolicy kSwissCheckpointPolicy{128, uint64_t{384} << 20, 64};

class SwissSession final
    : public SwissEventSource,
      public CheckpointedSession<SwissSession, SwissSessionOp, swiss::AnySwiss, swiss::SwissEventSink, swiss::SwissRun,
                                 std::any, kSwissCheckpointPolicy> {
public:
  using Op = SwissSessionOp;

  // Builds a session from a parsed Swiss script (the parser checked it: one
  // `make swiss`, configuration before it). Fails with err naming the line.
  static std::unique_ptr<SwissSession> fromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                                  std::string& err);

  uint64_t eventCount() const override { return events_.events.size(); }
  std::size_t opCount() const override { return ops_.size(); }
  const swiss::SwissEvent& event(uint64_t i) const { return events_.events[i]; }
  const swiss::SwissEvent& swissEvent(uint64_t i) const override { return events_.events[i]; }
  const swiss::SwissEventLog& events() const { return events_.events; }
  // The op that emitted event i.
  std::size_t opOfEvent(uint64_t i) const override { return Base::opOfEvent(i); }
  uint64_t firstEventOfOp(std::size_t k) const override { return ops_[k].firstEvent; }

  // seek(i) (-1: before any event, when the map is not made yet), position(),
  // op(k), opInProgress(), checkpointCount(), checkpointSpacing(): the base's.
  void seekEnd() { seek(static_cast<int64_t>(eventCount()) - 1); }

  const swiss::AnySwiss& map() const { return *map_; }
  bool made() const { return position_ >= 0; }
  KeyKind kind() const { return map_->kind(); }
  swiss::Version version() const { return map_->version(); }

  static constexpr std::size_t kCheckpointEvery = kSwissCheckpointPolicy.every;
  static constexpr std::size_t kRecentBack = kSwissCheckpointPolicy.recentBack;
  static constexpr uint64_t kCheckpointBudget = kSwissCheckpointPolicy.budget;

private:
  using Base = CheckpointedSession<SwissSession, SwissSessionOp, swiss::AnySwiss, swiss::SwissEventSink,
                                   swiss::SwissRun, std::any, kSwissCheckpointPolicy>;
  friend Base;
  SwissSession() = default;
  void record(Op op);
  void applyDirect(const Op& o);
  // The base's hooks.
  std::any snapshot() { return map_->snapshot(); }
  void restoreSnapshot(const std::any& snap) { map_->restore(snap); }
  CheckpointCost checkpointCost() const;
  void replay(std::size_t k) { applyDirect(ops_[k]); }
  std::unique_ptr<swiss::SwissRun> startOp(const Op& o);
  void finished(const Op& o, swiss::SwissRun& run);

  swiss::SwissEventSink events_;
};

// Instantiated once, in swiss_session.cpp (beside the hooks it calls).
extern template class CheckpointedSession<SwissSession, SwissSessionOp, swiss::AnySwiss, swiss::SwissEventSink,
                                          swiss::SwissRun, std::any, kSwissCheckpointPolicy>;

} // namespace gomap
