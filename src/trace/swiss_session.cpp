#include "trace/swiss_session.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gomap {

template class CheckpointedSession<SwissSession, SwissSessionOp, swiss::AnySwiss, swiss::SwissEventSink, swiss::SwissRun,
                                   std::any, kSwissCheckpointPolicy>;

using swiss::SwissOpCode;

std::unique_ptr<SwissSession> SwissSession::fromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                                       std::string& err) {
  using K = ScriptOp::Kind;
  std::unique_ptr<SwissSession> s(new SwissSession());
  swiss::Version version = swiss::Version::Go127;
  uint64_t keys[4] = {swiss::kDefaultHashKeys[0], swiss::kDefaultHashKeys[1], swiss::kDefaultHashKeys[2],
                      swiss::kDefaultHashKeys[3]};
  uint64_t rng = 0;
  HashMode mode = HashMode::Go;
  bool made = false;
  // The lookahead (as the classic loader's, Session::kPrefetchDistance): before
  // recording an op, ask for the memory of the put/get/del this many ops on, so
  // that its group is in the caches (and its page walk done) when it runs.
  constexpr std::size_t kLookahead = 16;
  for (std::size_t at = 0; at < ops.size(); at++) {
    const ScriptOp& op = ops[at];
    if (!made) {
      switch (op.kind) {
      case K::Version: version = op.version; continue;
      case K::HashKey:
        if (op.hashkeyWords == 4) std::copy(std::begin(op.hashkeys), std::end(op.hashkeys), std::begin(keys));
        continue;
      case K::RngSeed: rng = op.number; continue;
      case K::HashMode: mode = op.mode; continue;
      case K::Make:
        if (!op.swiss) {
          err = fmt::format("{}:{}: expected 'make swiss KIND HINT [SEED]' in a Swiss-map script", file, op.line);
          return nullptr;
        }
        break;
      default:
        err = fmt::format("{}:{}: expected 'make swiss KIND HINT [SEED]' before '{}'", file, op.line, op.text);
        return nullptr;
      }
      // The map as applySwissMake configures it, before NewMap.
      s->map_ = swiss::AnySwiss::create(op.mapKind);
      s->map_->setRngState(rng);
      s->map_->setVersion(version);
      s->map_->setHashKeys(keys);
      s->map_->setHashMode(mode);
      made = true;
      Op o;
      o.req = swiss::SwissRequest{SwissOpCode::Make, {}, op.hint, {}};
      o.number = op.number;
      o.line = op.line;
      s->record(std::move(o));
      continue;
    }
    Op o;
    o.line = op.line;
    switch (op.kind) {
    case K::Put: o.req = {SwissOpCode::Put, op.key, op.value, {}}; break;
    case K::Del: o.req = {SwissOpCode::Del, op.key, 0, {}}; break;
    case K::Get: o.req = {SwissOpCode::Get, op.key, 0, {}}; break;
    case K::Clear: o.req = {SwissOpCode::Clear, {}, 0, {}}; break;
    case K::Iter:
      o.req = {SwissOpCode::Iter, {}, 0, op.iterOffsets};
      o.loop = op.iterDo;
      o.body = op.iterBody;
      break;
    case K::Seed:
      o.kind = Op::Kind::Seed;
      o.number = op.number;
      break;
    case K::RngSeed:
      o.kind = Op::Kind::RngSeed;
      o.number = op.number;
      break;
    case K::HashMode:
      o.kind = Op::Kind::HashMode;
      o.mode = op.mode;
      break;
    case K::Hash:
    case K::Dump: continue; // nothing runs
    default:
      err = fmt::format("{}:{}: '{}' is not an op of a Swiss-map session after make", file, op.line, op.text);
      return nullptr;
    }
    if (at + kLookahead < ops.size()) {
      const ScriptOp& ahead = ops[at + kLookahead];
      if (ahead.kind == K::Put || ahead.kind == K::Get || ahead.kind == K::Del) s->map_->prefetchKey(ahead.key);
    }
    s->record(std::move(o));
  }
  if (!made) {
    err = fmt::format("{}: the script never makes a map (expected a 'make swiss KIND HINT' line)", file);
    return nullptr;
  }
  s->events_.events.shrink_to_fit();
  s->map_->setEventSink(nullptr);
  s->liveOp_ = s->ops_.size();
  s->position_ = static_cast<int64_t>(s->eventCount()) - 1;
  return s;
}

void SwissSession::applyDirect(const Op& o) {
  switch (o.kind) {
  case Op::Kind::Map: {
    bool found = false;
    int64_t value = 0;
    swiss::IterResult iter;
    OpResult r = o.loop ? runSwissLoop(*map_, o.req.offsets, o.body, iter) : map_->apply(o.req, &found, &value, &iter);
    if (o.req.code == SwissOpCode::Make && r.outcome == Outcome::Ok) map_->setSeed(o.number);
    break;
  }
  case Op::Kind::Seed: map_->setSeed(o.number); break;
  case Op::Kind::RngSeed: map_->setRngState(o.number); break;
  case Op::Kind::HashMode: map_->setHashMode(o.mode); break;
  case Op::Kind::Nothing: break;
  }
}

std::unique_ptr<swiss::SwissRun> SwissSession::startOp(const Op& o) {
  if (o.loop) return std::make_unique<SwissLoopRun>(*map_, o.req.offsets, o.body);
  return map_->start(o.req);
}

void SwissSession::finished(const Op& o, swiss::SwissRun& run) {
  const OpResult r = run.result();
  if (o.req.code == SwissOpCode::Make && r.outcome == Outcome::Ok) map_->setSeed(o.number);
}

void SwissSession::record(Op o) {
  maybeCheckpoint();
  map_->setEventSink(&events_);
  o.firstEvent = events_.events.size();
  if (o.kind == Op::Kind::Map) {
    swiss::IterResult iter;
    o.result = o.loop ? runSwissLoop(*map_, o.req.offsets, o.body, iter) : map_->apply(o.req, &o.found, &o.value, &iter);
    if (o.req.code == SwissOpCode::Make && o.result.outcome == Outcome::Ok) map_->setSeed(o.number);
  } else {
    applyDirect(o);
  }
  o.eventCount = events_.events.size() - o.firstEvent;
  recorded(std::move(o));
}

CheckpointCost SwissSession::checkpointCost() const {
  // What this checkpoint alone holds: the tables written since the last one
  // (at most one per op), each about the map's bytes over its tables.
  uint64_t bytes = 4096;
  const uint64_t mapBytes = map_->liveBytes() + 4096;
  if (map_->header().dirLen > 0) {
    const uint64_t tables = std::max<uint64_t>(1, map_->tables().size());
    bytes += std::min<uint64_t>(sinceCheckpoint_, tables) * (map_->liveBytes() / tables + 256);
  } else {
    bytes += map_->liveBytes();
  }
  return {bytes, mapBytes};
}

} // namespace gomap
