// What every recorded script session of a structure with a resumable form
// shares (the Swiss map's SwissSession, the sync.Map's SyncMapSession; the
// next structures' script sessions are one more Derived): the ops recorded
// once, checkpoints between them, and seek(i), which puts the model in its
// state right after event i.
//
// seek(i) restores the nearest checkpoint at or before event i's op (or a
// recent state, below), replays the ops after it in the direct form with
// recording off, then starts event i's op in the resumable form and steps it
// (pausing at every kind) until event i has happened: the memory is the
// memory at that event, in the middle of the op. The models are
// deterministic (their random state is part of a snapshot), so the replay
// emits the recorded events again exactly. Stepping forward inside an op
// continues the op in progress (no replay); stepping onto its end lets it
// return.
//
// Checkpoints: one every CheckpointPolicy::every ops at first. With a budget,
// when their estimated size (Derived::checkpointCost) passes it, every other
// checkpoint is dropped and the spacing doubles. With recentBack, a long
// replay keeps the state recentBack ops before its end, so that stepping back
// event by event there replays a few ops, not thousands.
//
// The base owns the model (map_, null until Derived makes it), the ops, the
// checkpoints, the op in progress and its scratch sink. Derived records the
// ops (calling maybeCheckpoint() before running each and recorded() after)
// and provides, for the base only (friend):
//   uint64_t eventCount() const;
//   Snap snapshot() const;                     // the state between ops
//   void restoreSnapshot(const Snap&);
//   CheckpointCost checkpointCost() const;     // with a budget: what a new checkpoint holds
//   void replay(std::size_t k);                // ops_[k] in the direct form, recording off
//   std::unique_ptr<Run> startOp(const Op&);   // the resumable form
//   void finished(const Op&, Run&);            // an op in progress has returned
// Op has firstEvent and eventCount (opHoldingEvent); Model has
// setEventSink(Sink*) and setPauseMask(uint64_t); Sink has events and clear();
// Run has step().
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "trace/event_source.hpp"

namespace gomap {

struct CheckpointPolicy {
  std::size_t every = 64;     // ops between checkpoints, at first
  uint64_t budget = UINT64_MAX; // the checkpoints' estimated bytes before thinning
  std::size_t recentBack = 0;   // 0: no recent state
};

struct CheckpointCost {
  uint64_t bytes = 0;    // what the checkpoint alone holds
  uint64_t mapBytes = 0; // the model's bytes (what it holds at most)
};

template <class Derived, class Op, class Model, class Sink, class Run, class Snap, CheckpointPolicy kPolicy>
class CheckpointedSession {
public:
  std::size_t opCount() const { return ops_.size(); }
  const Op& op(std::size_t k) const { return ops_[k]; }
  // The op that emitted event i (ops without events step back to the op before them).
  std::size_t opOfEvent(uint64_t i) const { return opHoldingEvent(ops_, i); }
  uint64_t firstEventOfOp(std::size_t k) const { return ops_[k].firstEvent; }

  // Puts the model in its state right after event i (i = -1: before any event).
  void seek(int64_t i);
  int64_t position() const { return position_; }
  // The op in progress at the cursor (paused inside it), if any.
  std::optional<std::size_t> opInProgress() const { return inProgressOp_; }
  std::size_t checkpointCount() const { return checkpoints_.size(); }
  std::size_t checkpointSpacing() const { return spacing_; }

protected:
  CheckpointedSession() = default;
  struct Checkpoint {
    std::size_t op; // the state before ops_[op]
    Snap snap;
    uint64_t bytes = 0;    // estimated bytes it alone holds
    uint64_t mapBytes = 0; // the model's bytes then (what it holds at most)
  };

  // Before recording an op: a checkpoint when one is due (always before the first op).
  void maybeCheckpoint();
  // After recording op o (its firstEvent and eventCount set).
  void recorded(Op&& o) {
    ops_.push_back(std::move(o));
    sinceCheckpoint_++;
  }
  // No sink, no pauses: the direct form runs unobserved.
  void quiesce() {
    if (!map_) return;
    map_->setEventSink(nullptr);
    map_->setPauseMask(0);
  }
  void abandonInProgress();
  void restoreTo(std::size_t op); // the state before ops_[op], nothing in progress

  std::unique_ptr<Model> map_;
  std::vector<Op> ops_;
  std::vector<Checkpoint> checkpoints_;
  std::size_t spacing_ = kPolicy.every;
  // The state before the op most recently reached by a restore and a long
  // replay: stepping back event by event inside that op starts from it.
  std::optional<Checkpoint> recent_;
  std::size_t sinceCheckpoint_ = 0;
  uint64_t checkpointBytes_ = 0;
  std::size_t liveOp_ = 0; // the model's state is before ops_[liveOp_] (plus the op in progress)
  std::unique_ptr<Run> inProgress_;
  std::optional<std::size_t> inProgressOp_;
  uint64_t inProgressEvents_ = 0; // events the op in progress has emitted
  Sink scratch_;
  int64_t position_ = -1;

private:
  Derived& self() { return static_cast<Derived&>(*this); }
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

template <class D, class Op, class M, class Sk, class R, class Sn, CheckpointPolicy P>
void CheckpointedSession<D, Op, M, Sk, R, Sn, P>::maybeCheckpoint() {
  if (!checkpoints_.empty() && sinceCheckpoint_ < spacing_) return;
  const CheckpointCost cost = self().checkpointCost();
  checkpoints_.push_back(Checkpoint{ops_.size(), self().snapshot(), std::min(cost.bytes, cost.mapBytes), cost.mapBytes});
  checkpointBytes_ += checkpoints_.back().bytes;
  sinceCheckpoint_ = 0;
  if (checkpointBytes_ <= P.budget || checkpoints_.size() < 3) return;
  // Over budget: drop every other checkpoint (never the first, the state
  // before the first op); what a dropped one held moves to the one after it.
  std::vector<Checkpoint> kept;
  kept.reserve(checkpoints_.size() / 2 + 1);
  uint64_t carry = 0;
  checkpointBytes_ = 0;
  for (std::size_t i = 0; i < checkpoints_.size(); i++) {
    if (i % 2 == 1 && i + 1 < checkpoints_.size()) {
      carry += checkpoints_[i].bytes;
      continue;
    }
    checkpoints_[i].bytes = std::min(checkpoints_[i].bytes + carry, checkpoints_[i].mapBytes);
    carry = 0;
    checkpointBytes_ += checkpoints_[i].bytes;
    kept.push_back(std::move(checkpoints_[i]));
  }
  checkpoints_ = std::move(kept);
  spacing_ *= 2;
}

template <class D, class Op, class M, class Sk, class R, class Sn, CheckpointPolicy P>
void CheckpointedSession<D, Op, M, Sk, R, Sn, P>::abandonInProgress() {
  if (!inProgress_) return;
  inProgress_.reset(); // the coroutine frame goes; the model is half-way through an op
  inProgressOp_.reset();
  inProgressEvents_ = 0;
  liveOp_ = SIZE_MAX; // only a checkpoint brings back a known state
  quiesce();
}

template <class D, class Op, class M, class Sk, class R, class Sn, CheckpointPolicy P>
void CheckpointedSession<D, Op, M, Sk, R, Sn, P>::restoreTo(std::size_t op) {
  abandonInProgress();
  quiesce();
  if (liveOp_ > op || op - liveOp_ > spacing_) {
    auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), op,
                               [](std::size_t v, const Checkpoint& c) { return v < c.op; });
    const Checkpoint* cp = &*(it - 1); // checkpoints_[0] is op 0
    if (recent_ && recent_->op <= op && recent_->op > cp->op) cp = &*recent_;
    if (liveOp_ > op || cp->op > liveOp_) {
      self().restoreSnapshot(cp->snap);
      liveOp_ = cp->op;
    }
  }
  // A long replay keeps the state a few ops before its end: stepping back
  // through those ops (and inside them) then replays a few ops, not thousands.
  const std::size_t from = liveOp_;
  const std::size_t mark = std::max(from, op > P.recentBack ? op - P.recentBack : 0);
  const bool longReplay = P.recentBack > 0 && op - from > 2 * P.recentBack;
  for (; liveOp_ < op; liveOp_++) {
    if (longReplay && liveOp_ == mark) recent_ = Checkpoint{liveOp_, self().snapshot(), 0, 0};
    self().replay(liveOp_);
  }
}

template <class D, class Op, class M, class Sk, class R, class Sn, CheckpointPolicy P>
void CheckpointedSession<D, Op, M, Sk, R, Sn, P>::seek(int64_t i) {
  const int64_t n = static_cast<int64_t>(self().eventCount());
  i = std::clamp<int64_t>(i, -1, n - 1);
  if (i < 0) {
    restoreTo(0);
    position_ = -1;
    return;
  }
  const std::size_t k = opOfEvent(static_cast<uint64_t>(i));
  const Op& o = ops_[k];
  const uint64_t want = static_cast<uint64_t>(i) - o.firstEvent + 1; // events of op k that have happened
  if (want >= o.eventCount) {
    // The op's end: it has returned, and so have the ops that follow it with
    // no event of their own (configuration lines).
    std::size_t upTo = k + 1;
    while (upTo < ops_.size() && ops_[upTo].eventCount == 0) upTo++;
    if (inProgressOp_ == k) {
      // Stepping onto the end of the op in progress: let it return (a restore
      // and a replay would cost thousands of ops on a big session).
      quiesce();
      while (inProgress_->step()) {
      }
      self().finished(o, *inProgress_);
      inProgress_.reset();
      inProgressOp_.reset();
      inProgressEvents_ = 0;
      liveOp_ = k + 1;
    }
    restoreTo(upTo);
    position_ = i;
    return;
  }
  if (!(inProgressOp_ == k && inProgressEvents_ <= want)) {
    restoreTo(k);
    scratch_.clear();
    map_->setEventSink(&scratch_);
    map_->setPauseMask(~uint64_t{0});
    inProgress_ = self().startOp(o);
    inProgressOp_ = k;
  } else {
    map_->setEventSink(&scratch_);
    map_->setPauseMask(~uint64_t{0});
  }
  while (scratch_.events.size() < want && inProgress_->step()) {
  }
  inProgressEvents_ = scratch_.events.size();
  map_->setEventSink(nullptr);
  position_ = i;
}

} // namespace gomap
