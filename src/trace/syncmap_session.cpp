#include "trace/syncmap_session.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "trace/event_source.hpp"

namespace gomap {

using syncmap::SyncOpCode;

std::unique_ptr<SyncMapSession> SyncMapSession::fromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                                           std::string& err) {
  using K = ScriptOp::Kind;
  std::unique_ptr<SyncMapSession> s(new SyncMapSession());
  bool made = false;
  for (std::size_t i = 0; i < ops.size(); i++) {
    const ScriptOp& op = ops[i];
    Op o;
    o.line = op.line;
    o.scriptOp = i;
    switch (op.kind) {
    case K::Make:
      if (!op.syncmap) {
        err = fmt::format("{}:{}: expected 'make syncmap string|int64' in a sync.Map script", file, op.line);
        return nullptr;
      }
      o.kind = Op::Kind::Make;
      o.mapKind = op.mapKind;
      made = true;
      break;
    case K::RngSeed:
      o.kind = Op::Kind::RngSeed;
      o.number = op.number;
      break;
    case K::Dump: o.kind = Op::Kind::Nothing; break;
    case K::Gc: o.kind = Op::Kind::Gc; break;
    case K::Store: o.req = {SyncOpCode::Store, op.key, op.value, 0}; break;
    case K::Load: o.req = {SyncOpCode::Load, op.key, 0, 0}; break;
    case K::LoadOrStore: o.req = {SyncOpCode::LoadOrStore, op.key, op.value, 0}; break;
    case K::LoadAndDelete: o.req = {SyncOpCode::LoadAndDelete, op.key, 0, 0}; break;
    case K::Delete: o.req = {SyncOpCode::Delete, op.key, 0, 0}; break;
    case K::Range: o.req = {SyncOpCode::Range, {}, 0, op.limit}; break;
    default:
      err = fmt::format("{}:{}: '{}' is not an op of a sync.Map session", file, op.line, op.text);
      return nullptr;
    }
    if (!made && o.kind != Op::Kind::RngSeed && o.kind != Op::Kind::Make && o.kind != Op::Kind::Nothing) {
      err = fmt::format("{}:{}: expected 'make syncmap string|int64' before '{}'", file, op.line, op.text);
      return nullptr;
    }
    s->record(std::move(o));
  }
  if (!made) {
    err = fmt::format("{}: the script never makes a sync.Map (expected a 'make syncmap string|int64' line)", file);
    return nullptr;
  }
  s->events_.shrink_to_fit();
  s->liveOp_ = s->ops_.size();
  s->position_ = static_cast<int64_t>(s->eventCount()) - 1;
  return s;
}

SyncMapSession::Checkpoint SyncMapSession::checkpoint(std::size_t op) const {
  Checkpoint c;
  c.op = op;
  c.made = made_;
  c.rng = rng_;
  if (made_) {
    c.kind = map_->kind();
    c.snap = map_->snapshot();
  }
  return c;
}

void SyncMapSession::restore(const Checkpoint& c) {
  made_ = c.made;
  rng_ = c.rng;
  if (!c.made) {
    map_.reset();
    return;
  }
  if (!map_ || map_->kind() != c.kind) map_ = std::make_unique<syncmap::SyncMap>(c.kind);
  map_->setEventSink(nullptr);
  map_->setPauseMask(0);
  map_->restore(*c.snap);
}

// Runs op o to its end in the direct form (events to sink, when given).
void SyncMapSession::applyDirect(Op& o, syncmap::SyncEventSink* sink) {
  switch (o.kind) {
  case Op::Kind::Make: {
    // The generator carries over from a previous map, as one process's does (applySyncOp).
    const uint64_t state = made_ ? map_->rngState() : rng_;
    map_ = std::make_unique<syncmap::SyncMap>(o.mapKind, state);
    made_ = true;
    break;
  }
  case Op::Kind::RngSeed:
    if (made_) {
      map_->clearOpCounts();
      map_->setRngState(o.number);
    } else {
      rng_ = o.number;
    }
    break;
  case Op::Kind::Nothing:
    if (made_) map_->clearOpCounts();
    break;
  case Op::Kind::Gc:
    map_->gc();
    o.freed = map_->opFrees();
    break;
  case Op::Kind::Method:
    map_->setEventSink(sink);
    o.result = map_->apply(o.req, o.out);
    map_->setEventSink(nullptr);
    break;
  }
}

void SyncMapSession::record(Op o) {
  if (checkpoints_.empty() || sinceCheckpoint_ >= kCheckpointEvery) {
    checkpoints_.push_back(checkpoint(ops_.size()));
    sinceCheckpoint_ = 0;
  }
  o.firstEvent = events_.size();
  sink_.clear();
  applyDirect(o, &sink_);
  if (o.kind == Op::Kind::Make || o.kind == Op::Kind::Gc) {
    events_.push_back(syncmap::SyncEvent{}); // the step's placeholder (site None)
  } else {
    events_.insert(events_.end(), sink_.events.begin(), sink_.events.end());
  }
  sink_.clear();
  o.eventCount = events_.size() - o.firstEvent;
  ops_.push_back(std::move(o));
  sinceCheckpoint_++;
}

std::size_t SyncMapSession::opOfEvent(uint64_t i) const { return opHoldingEvent(ops_, i); }

void SyncMapSession::abandonInProgress() {
  if (!inProgress_) return;
  inProgress_.reset(); // the coroutine frame goes; the map is half-way through a method
  inProgressOp_.reset();
  liveOp_ = SIZE_MAX; // only a checkpoint brings back a known state
  if (map_) {
    map_->setPauseMask(0);
    map_->setEventSink(nullptr);
  }
}

void SyncMapSession::restoreTo(std::size_t op) {
  abandonInProgress();
  if (liveOp_ > op || op - liveOp_ > kCheckpointEvery) {
    auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), op,
                               [](std::size_t v, const Checkpoint& c) { return v < c.op; });
    const Checkpoint& cp = *(it - 1); // checkpoints_[0] is op 0
    if (liveOp_ > op || cp.op > liveOp_) {
      restore(cp);
      liveOp_ = cp.op;
    }
  }
  for (; liveOp_ < op; liveOp_++) {
    Op copy = ops_[liveOp_]; // the recorded results stay as recorded
    applyDirect(copy, nullptr);
  }
}

void SyncMapSession::seek(int64_t i) {
  const int64_t n = static_cast<int64_t>(eventCount());
  i = std::clamp<int64_t>(i, -1, n - 1);
  if (i < 0) {
    restoreTo(0);
    position_ = -1;
    return;
  }
  const std::size_t k = opOfEvent(static_cast<uint64_t>(i));
  const Op& o = ops_[k];
  const uint64_t want = static_cast<uint64_t>(i) - o.firstEvent + 1; // events of op k that have happened
  if (want >= o.eventCount || o.kind != Op::Kind::Method) {
    // The op's end, and the ops with no event of their own after it.
    std::size_t upTo = k + 1;
    while (upTo < ops_.size() && ops_[upTo].eventCount == 0) upTo++;
    if (inProgressOp_ == k) {
      // Stepping onto the end of the op in progress: let it return.
      map_->setEventSink(nullptr);
      map_->setPauseMask(0);
      while (inProgress_->step()) {
      }
      inProgress_.reset();
      inProgressOp_.reset();
      liveOp_ = k + 1;
    }
    restoreTo(upTo);
    position_ = i;
    return;
  }
  if (!(inProgressOp_ == k && scratch_.events.size() <= want)) {
    restoreTo(k);
    scratch_.clear();
    map_->setEventSink(&scratch_);
    map_->setPauseMask(~uint64_t{0});
    inProgress_ = map_->start(o.req);
    inProgressOp_ = k;
  } else {
    map_->setEventSink(&scratch_);
    map_->setPauseMask(~uint64_t{0});
  }
  while (scratch_.events.size() < want && inProgress_->step()) {
  }
  map_->setEventSink(nullptr);
  position_ = i;
}

} // namespace gomap
