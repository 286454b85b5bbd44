#include "trace/syncmap_session.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gomap {

template class CheckpointedSession<SyncMapSession, SyncMapSessionOp, syncmap::SyncMap, syncmap::SyncEventSink,
                                   syncmap::SyncRun, SyncMapSessionState, kSyncMapCheckpointPolicy>;

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

SyncMapSessionState SyncMapSession::snapshot() const {
  SyncMapSessionState c;
  c.made = made_;
  c.rng = rng_;
  if (made_) {
    c.kind = map_->kind();
    c.snap = map_->snapshot();
  }
  return c;
}

void SyncMapSession::restoreSnapshot(const SyncMapSessionState& c) {
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
  maybeCheckpoint();
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
  recorded(std::move(o));
}

} // namespace gomap
