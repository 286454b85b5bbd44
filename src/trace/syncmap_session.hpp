// A recorded sync.Map session (issue 12) for the GUI: the ops of a sync.Map op
// script (`make syncmap KIND` and its verbs) run once on a SyncMap recording
// every SyncEvent (one global event index; per op its range), with snapshots
// between ops, so that a viewer can put the map in its state at any event.
//
// Steps without a SyncEvent of the model: `make syncmap` (the new, empty
// Map) and `gc` (runtime.GC(): frees counted) each get one step of their own
// in the event index, so the cursor can stop right after them (the panel's
// allocs/frees rows move at the gc's step). Their record is a placeholder
// (site None); op(k).kind says what the step is. rngseed and dump run no
// method and have no step: they happen with the step before them.
//
// seek(i) restores the nearest checkpoint at or before event i's op (a deep
// copy: SyncMap::snapshot copies the entries shared between read.m and dirty
// once, so a restored map shares nothing with the checkpoint), replays the
// ops after it in the direct form with recording off, then starts event i's
// op in the resumable form and steps it (pausing at every kind) until event i
// has happened. The model is deterministic (its fastrand state is part of a
// snapshot), so the replay emits the recorded events again exactly. Stepping
// forward inside an op continues the op in progress: no replay.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/syncmap.hpp"
#include "trace/opscript.hpp"

namespace gomap {

class SyncMapSession {
public:
  struct Op {
    enum class Kind : uint8_t { Make, Method, Gc, RngSeed, Nothing } kind = Kind::Method;
    syncmap::SyncRequest req;
    KeyKind mapKind = KeyKind::String; // make
    uint64_t number = 0;               // rngseed: the state
    int line = 0;                      // in the script
    std::size_t scriptOp = 0;          // index into the parsed ops (as Lesson::ops)
    uint64_t firstEvent = 0, eventCount = 0;
    OpResult result;
    syncmap::SyncResult out; // the method's results (Load's value, Range's calls)
    syncmap::HeapCounts freed; // gc: what it freed
  };

  // Builds a session from a parsed sync.Map script (the parser checked it:
  // `make syncmap` before any of its verbs). Fails with err naming the line.
  static std::unique_ptr<SyncMapSession> fromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                                    std::string& err);

  uint64_t eventCount() const { return events_.size(); }
  std::size_t opCount() const { return ops_.size(); }
  const syncmap::SyncEvent& event(uint64_t i) const { return events_[i]; }
  const Op& op(std::size_t k) const { return ops_[k]; }
  // The op that emitted event i.
  std::size_t opOfEvent(uint64_t i) const;
  // Event i is a step of its own (make, gc), not a SyncEvent of the model.
  bool isStep(uint64_t i) const { return ops_[opOfEvent(i)].kind != Op::Kind::Method; }

  // Puts the map in its state right after event i (-1: before any event,
  // when no map is made yet).
  void seek(int64_t i);
  int64_t position() const { return position_; }
  // The map at the cursor; null before make.
  const syncmap::SyncMap* map() const { return made_ ? map_.get() : nullptr; }
  std::optional<std::size_t> opInProgress() const { return inProgressOp_; }
  std::size_t checkpointCount() const { return checkpoints_.size(); }

  static constexpr std::size_t kCheckpointEvery = 64;

private:
  SyncMapSession() = default;
  struct Checkpoint {
    std::size_t op = 0; // the state before ops_[op]
    bool made = false;
    KeyKind kind = KeyKind::String;
    uint64_t rng = 0; // before make: the state the next make starts with
    std::shared_ptr<const syncmap::SyncMap::Snapshot> snap;
  };
  Checkpoint checkpoint(std::size_t op) const;
  void restore(const Checkpoint& c);
  void record(Op o);
  void applyDirect(Op& o, syncmap::SyncEventSink* sink);
  void abandonInProgress();
  void restoreTo(std::size_t op); // the state before ops_[op], nothing in progress

  std::unique_ptr<syncmap::SyncMap> map_;
  bool made_ = false;
  uint64_t rng_ = 0; // before make: the fastrand state the next make starts with
  std::vector<syncmap::SyncEvent> events_;
  syncmap::SyncEventSink sink_;
  std::vector<Op> ops_;
  std::vector<Checkpoint> checkpoints_;
  std::size_t sinceCheckpoint_ = 0;
  std::size_t liveOp_ = 0; // the map's state is before ops_[liveOp_] (plus the op in progress)
  std::unique_ptr<syncmap::SyncRun> inProgress_;
  std::optional<std::size_t> inProgressOp_;
  syncmap::SyncEventSink scratch_;
  int64_t position_ = -1;
};

} // namespace gomap
