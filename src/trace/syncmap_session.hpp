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
// seek(i), the checkpoints and the op in progress are CheckpointedSession's
// (trace/checkpointed_session.hpp): a checkpoint every kCheckpointEvery ops,
// a deep copy (SyncMap::snapshot copies the entries shared between read.m and
// dirty once, so a restored map shares nothing with the checkpoint); seek(i)
// restores the nearest one, replays the ops after it in the direct form and
// steps event i's method in the resumable form until event i has happened.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/syncmap.hpp"
#include "trace/checkpointed_session.hpp"
#include "trace/opscript.hpp"

namespace gomap {

struct SyncMapSessionOp {
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

// What a checkpoint holds: before make no map, only the state the next make
// starts its generator with.
struct SyncMapSessionState {
  bool made = false;
  KeyKind kind = KeyKind::String;
  uint64_t rng = 0; // before make: the state the next make starts with
  std::shared_ptr<const syncmap::SyncMap::Snapshot> snap;
};

// A checkpoint every 64 ops, no budget, no recent state.
inline constexpr CheckpointPolicy kSyncMapCheckpointPolicy{64, UINT64_MAX, 0};

class SyncMapSession final
    : public CheckpointedSession<SyncMapSession, SyncMapSessionOp, syncmap::SyncMap, syncmap::SyncEventSink,
                                 syncmap::SyncRun, SyncMapSessionState, kSyncMapCheckpointPolicy> {
public:
  using Op = SyncMapSessionOp;

  // Builds a session from a parsed sync.Map script (the parser checked it:
  // `make syncmap` before any of its verbs). Fails with err naming the line.
  static std::unique_ptr<SyncMapSession> fromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                                    std::string& err);

  uint64_t eventCount() const { return events_.size(); }
  const syncmap::SyncEvent& event(uint64_t i) const { return events_[i]; }
  // Event i is a step of its own (make, gc), not a SyncEvent of the model.
  bool isStep(uint64_t i) const { return ops_[opOfEvent(i)].kind != Op::Kind::Method; }

  // seek(i) (-1: before any event, when no map is made yet), position(),
  // op(k), opCount(), opOfEvent(i), opInProgress(), checkpointCount(): the base's.
  // The map at the cursor; null before make.
  const syncmap::SyncMap* map() const { return made_ ? map_.get() : nullptr; }

  static constexpr std::size_t kCheckpointEvery = kSyncMapCheckpointPolicy.every;

private:
  using Base = CheckpointedSession<SyncMapSession, SyncMapSessionOp, syncmap::SyncMap, syncmap::SyncEventSink,
                                   syncmap::SyncRun, SyncMapSessionState, kSyncMapCheckpointPolicy>;
  friend Base;
  SyncMapSession() = default;
  void record(Op o);
  void applyDirect(Op& o, syncmap::SyncEventSink* sink);
  // The base's hooks.
  SyncMapSessionState snapshot() const;
  void restoreSnapshot(const SyncMapSessionState& c);
  CheckpointCost checkpointCost() const { return {}; }
  void replay(std::size_t k) {
    Op copy = ops_[k]; // the recorded results stay as recorded
    applyDirect(copy, nullptr);
  }
  std::unique_ptr<syncmap::SyncRun> startOp(const Op& o) { return map_->start(o.req); }
  void finished(const Op&, syncmap::SyncRun&) {}

  bool made_ = false;
  uint64_t rng_ = 0; // before make: the fastrand state the next make starts with
  std::vector<syncmap::SyncEvent> events_;
  syncmap::SyncEventSink sink_;
};

// Instantiated once, in syncmap_session.cpp (beside the hooks it calls).
extern template class CheckpointedSession<SyncMapSession, SyncMapSessionOp, syncmap::SyncMap, syncmap::SyncEventSink,
                                          syncmap::SyncRun, SyncMapSessionState, kSyncMapCheckpointPolicy>;

} // namespace gomap
