// A recorded Swiss-map session (issue 13) for the GUI: the ops of a Swiss op
// script run once on an AnySwiss recording every SwissEvent (one global event
// index; per op its range), with snapshots between ops so that a viewer can
// put the map in its state at any event.
//
// seek(i) restores the nearest checkpoint at or before event i's op (cheap:
// tables are shared copy-on-write), replays the ops after it in the direct
// form with recording off, then starts event i's op and steps it (pausing at
// every kind) until event i has happened: the memory is the memory at that
// event, in the middle of a grow or a split included. The engine is
// deterministic (its random state is part of a snapshot), so the replay
// emits the recorded events again exactly.
//
// Checkpoints: one every kCheckpointEvery ops at first; tables are shared
// with the live map until written, so a checkpoint costs the tables written
// since the one before. When their estimated size passes kCheckpointBudget,
// every other checkpoint is dropped and the spacing doubles (a million random
// inserts stay within a few hundred MB).
#pragma once
#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/swiss_events.hpp"
#include "engine/swiss_model.hpp"
#include "trace/event_source.hpp"
#include "trace/opscript.hpp"

namespace gomap {

class SwissSession final : public SwissEventSource {
public:
  // One entry of the session: a map operation or a change of the map's
  // configuration (seed, rngseed, hashmode) after make.
  struct Op {
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

  // Builds a session from a parsed Swiss script (the parser checked it: one
  // `make swiss`, configuration before it). Fails with err naming the line.
  static std::unique_ptr<SwissSession> fromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                                  std::string& err);

  uint64_t eventCount() const override { return events_.events.size(); }
  std::size_t opCount() const override { return ops_.size(); }
  const swiss::SwissEvent& event(uint64_t i) const { return events_.events[i]; }
  const swiss::SwissEvent& swissEvent(uint64_t i) const override { return events_.events[i]; }
  const swiss::SwissEventLog& events() const { return events_.events; }
  const Op& op(std::size_t k) const { return ops_[k]; }
  // The op that emitted event i.
  std::size_t opOfEvent(uint64_t i) const override;
  uint64_t firstEventOfOp(std::size_t k) const override { return ops_[k].firstEvent; }

  // Puts the map in its state right after event i (i = -1: before any event,
  // when the map is not made yet).
  void seek(int64_t i);
  int64_t position() const { return position_; }
  void seekEnd() { seek(static_cast<int64_t>(eventCount()) - 1); }

  const swiss::AnySwiss& map() const { return *map_; }
  bool made() const { return position_ >= 0; }
  KeyKind kind() const { return map_->kind(); }
  swiss::Version version() const { return map_->version(); }
  // The op in progress at the cursor (paused inside it), if any.
  std::optional<std::size_t> opInProgress() const { return inProgressOp_; }
  std::size_t checkpointCount() const { return checkpoints_.size(); }
  std::size_t checkpointSpacing() const { return spacing_; }

  static constexpr std::size_t kCheckpointEvery = 128;
  static constexpr std::size_t kRecentBack = 64;
  static constexpr uint64_t kCheckpointBudget = uint64_t{384} << 20;

private:
  SwissSession() = default;
  struct Checkpoint {
    std::size_t op; // the state before ops_[op]
    std::any snap;
    uint64_t bytes = 0;    // estimated bytes it alone holds
    uint64_t mapBytes = 0; // the map's bytes then (what it holds at most)
  };
  void record(Op op);
  void applyDirect(const Op& o);
  std::unique_ptr<swiss::SwissRun> startOp(const Op& o);
  void abandonInProgress();
  void restoreTo(std::size_t op); // the state before ops_[op], nothing in progress
  void maybeCheckpoint();

  std::unique_ptr<swiss::AnySwiss> map_;
  std::any fresh_; // the configured map before make
  swiss::SwissEventSink events_;
  std::vector<Op> ops_;
  std::vector<Checkpoint> checkpoints_;
  std::size_t spacing_ = kCheckpointEvery;
  // The state before the op most recently reached by a restore and a long
  // replay: stepping back event by event inside that op starts from it.
  std::optional<Checkpoint> recent_;
  std::size_t sinceCheckpoint_ = 0;
  uint64_t checkpointBytes_ = 0;
  std::size_t liveOp_ = 0; // the map's state is before ops_[liveOp_] (plus inProgress)
  std::unique_ptr<swiss::SwissRun> inProgress_;
  std::optional<std::size_t> inProgressOp_;
  uint64_t inProgressEvents_ = 0; // events the op in progress has emitted
  swiss::SwissEventSink scratch_;
  int64_t position_ = -1;
};

} // namespace gomap
