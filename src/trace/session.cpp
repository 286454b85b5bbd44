#include "trace/session.hpp"

#include <algorithm>

namespace gomap {

namespace {
constexpr uint64_t kAllEvents = ~uint64_t{0};
// Ops between snapshots. A snapshot pins a table of chunk pointers (8 bytes
// per 4 buckets of each array) and the buckets written since the one before;
// a seek restores one (copying that table twice) and replays the ops after
// it, which copy the chunks they write (BucketStorage). So: at least
// kMinCheckpointSpacing ops, then a snapshot once the live map holds
// kCheckpointBytes of its own (copied chunks, new arrays) or
// kMaxCheckpointSpacing ops have run, which bounds both a seek's replay and
// what each snapshot keeps. The tables are not counted: at 2^21 buckets they
// are 4.7 MB a snapshot (docs/performance.md).
constexpr std::size_t kMinCheckpointSpacing = 256;
constexpr std::size_t kMaxCheckpointSpacing = 4096;
constexpr uint64_t kCheckpointBytes = uint64_t{4} << 20;
constexpr std::size_t kBytesCheckEvery = 16;
// Versions of the arrays a seek has alive at once: the replay's, the one
// recent_ keeps until that replay is done, and the stepped op's (the live
// map's own is dropped at the restore). The first two hold up to about
// kCheckpointBytes of copied chunks each.
constexpr std::size_t kVersionsPerSeek = 3;
constexpr uint64_t kSeekArenaBytes = 2 * kCheckpointBytes;
} // namespace

void Session::prefetchFor(const RecordedOp& r, PrefetchStage stage) const {
  if (r.kind == Kind::Map && (r.req.code == OpCode::Put || r.req.code == OpCode::Get || r.req.code == OpCode::Del))
    map_->prefetchKey(r.req.key, stage);
}

void Session::prefetchKey(const KeyValue& k) {
  if (k.kind == KeyKind::String) return; // AnyMap skips them
  map_->prefetchKey(k, PrefetchStage::Early);
  std::optional<KeyValue>& oldest = hinted_[hintedNext_];
  if (oldest) map_->prefetchKey(*oldest, PrefetchStage::Late);
  oldest = k;
  hintedNext_ = (hintedNext_ + 1) % hinted_.size();
}

Session::Session(SessionConfig cfg) : cfg_(cfg) {
  map_ = AnyMap::create(cfg_.kind, cfg_.rngSeed);
  map_->setHashKey(cfg_.hashkey);
  map_->setHashMode(cfg_.mode);
  checkpoints_.push_back({0, map_->snapshot()});
}

Session::~Session() {
  abandonInProgress();
  // Newest first: each array version keeps the one it borrows from alive, so
  // dropping the oldest first would free the whole chain in one deep recursion.
  map_.reset();
  recent_.reset();
  while (!checkpoints_.empty()) checkpoints_.pop_back();
}

void Session::abandonInProgress() {
  inProgress_.reset(); // destroying the coroutine unwinds the op
  inProgressOp_.reset();
}

void Session::applyConfigOp(const RecordedOp& r) {
  switch (r.kind) {
  case Kind::Seed: map_->setHash0(static_cast<uint32_t>(r.extra)); break;
  case Kind::Pin: map_->pinHash(r.req.key, r.extra); break;
  case Kind::Mode: map_->setHashMode(static_cast<HashMode>(r.extra)); break;
  case Kind::Map: break;
  }
}

bool Session::restoreTo(std::size_t op) {
  // An op abandoned half-way has left the map half-changed: start from a snapshot.
  const bool dirty = inProgress_ != nullptr;
  abandonInProgress();
  if (!dirty && op == liveOp_) return false;
  bool restored = false;
  if (dirty || op < liveOp_ || op - liveOp_ > 2 * kMinCheckpointSpacing) {
    auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), op,
                               [](std::size_t o, const Checkpoint& c) { return o < c.op; });
    --it;
    const Checkpoint* base = &*it;
    if (recent_ && recent_->op <= op && recent_->op > base->op) base = &*recent_;
    if (dirty || op < liveOp_ || base->op > liveOp_) {
      map_->restore(base->snap); // configuration (pins, hash mode) is part of the snapshot
      liveOp_ = base->op;
      restored = true;
    }
  }
  map_->setEventBuffer(nullptr);
  const bool replays = liveOp_ < op;
  for (; liveOp_ < op; liveOp_++) {
    // A replay knows the ops it will run, so it prefetches ahead too.
    if (liveOp_ + kPrefetchDistance < op) prefetchFor(ops_[liveOp_ + kPrefetchDistance], PrefetchStage::Early);
    if (liveOp_ + kLatePrefetchDistance < op) prefetchFor(ops_[liveOp_ + kLatePrefetchDistance], PrefetchStage::Late);
    const RecordedOp& r = ops_[liveOp_];
    if (r.kind == Kind::Map) map_->apply(r.req);
    else applyConfigOp(r);
  }
  return restored && replays;
}

void Session::maybeCheckpoint() {
  opsSinceCheckpoint_++;
  if (liveOp_ != ops_.size() || inProgress_) return;
  if (opsSinceCheckpoint_ < kMinCheckpointSpacing) return;
  // What the live map holds of its own is summed over its allocations
  // (AnyMap::memory: 5% of a 300,000-op script's load when asked after every
  // op): ask every kBytesCheckEvery ops. A snapshot comes at most that many
  // ops late, a few KiB past kCheckpointBytes.
  const bool due = opsSinceCheckpoint_ >= kMaxCheckpointSpacing ||
                   (opsSinceCheckpoint_ % kBytesCheckEvery == 0 && map_->memory().unsharedBytes >= kCheckpointBytes);
  if (due) {
    checkpoints_.push_back({liveOp_, map_->snapshot()});
    opsSinceCheckpoint_ = 0;
    // Fault in now, while recording, the memory a seek will take (else the
    // first seeks that need it wait for fresh pages: up to 14 ms measured).
    map_->reserveVersionMemory(kVersionsPerSeek, kSeekArenaBytes);
  }
}

void Session::truncateAfterCursor() {
  std::size_t keep = inProgressOp_ ? *inProgressOp_ : liveOp_;
  if (keep >= ops_.size()) return;
  // Finish nothing: the ops from `keep` on are dropped, and the map goes back
  // to the state before them.
  restoreTo(keep);
  if (recent_ && recent_->op > keep) recent_.reset();
  ops_.resize(keep);
  events_.truncate(keep == 0 ? 0 : ops_.back().firstEvent + ops_.back().eventCount);
  while (!checkpoints_.empty() && checkpoints_.back().op > keep) checkpoints_.pop_back();
  position_ = static_cast<int64_t>(events_.size()) - 1;
}

OpResult Session::append(const OpRequest& r) {
  restoreTo(ops_.size());
  RecordedOp rec;
  rec.kind = Kind::Map;
  rec.req = r;
  rec.firstEvent = events_.size();
  map_->setEventBuffer(&events_);
  rec.result = map_->apply(r);
  map_->setEventBuffer(nullptr);
  rec.eventCount = events_.size() - rec.firstEvent;
  ops_.push_back(rec);
  liveOp_ = ops_.size();
  position_ = static_cast<int64_t>(events_.size()) - 1;
  maybeCheckpoint();
  return rec.result;
}

void Session::appendSeed(uint32_t hash0) {
  restoreTo(ops_.size());
  RecordedOp rec{Kind::Seed, {}, hash0, events_.size(), 0, {}};
  applyConfigOp(rec);
  ops_.push_back(rec);
  liveOp_ = ops_.size();
}

void Session::appendPin(const KeyValue& k, uint64_t hash) {
  restoreTo(ops_.size());
  RecordedOp rec{Kind::Pin, OpRequest{OpCode::Get, k, 0}, hash, events_.size(), 0, {}};
  applyConfigOp(rec);
  ops_.push_back(rec);
  liveOp_ = ops_.size();
}

void Session::appendHashMode(HashMode m) {
  restoreTo(ops_.size());
  RecordedOp rec{Kind::Mode, {}, static_cast<uint64_t>(m), events_.size(), 0, {}};
  applyConfigOp(rec);
  ops_.push_back(rec);
  liveOp_ = ops_.size();
}

std::size_t Session::opOfEvent(uint64_t i) const { return opHoldingEvent(ops_, i); }

void Session::seek(int64_t i) {
  const int64_t n = static_cast<int64_t>(events_.size());
  i = std::clamp<int64_t>(i, -1, n - 1);
  if (i < 0) {
    std::size_t firstMapOp = 0;
    while (firstMapOp < ops_.size() && ops_[firstMapOp].eventCount == 0) firstMapOp++;
    restoreTo(firstMapOp);
    position_ = -1;
    return;
  }
  const std::size_t k = opOfEvent(static_cast<uint64_t>(i));
  const RecordedOp& r = ops_[k];
  const uint64_t within = static_cast<uint64_t>(i) - r.firstEvent; // events of op k already happened, minus one
  if (within + 1 == r.eventCount) {
    // The op's last event: the state is simply after the op. When that op is
    // in progress before i, finishing it is cheaper than a restore and replay
    // (the GUI steps forward across op ends all the time, and on a large map
    // the replay from the last snapshot costs tens of milliseconds).
    if (inProgressOp_ && *inProgressOp_ == k && position_ < i && liveOp_ == k) {
      map_->setPauseMask(0);
      while (inProgress_->step()) {
      }
      abandonInProgress();
      liveOp_ = k + 1;
      position_ = i;
      return;
    }
    restoreTo(k + 1);
    position_ = i;
    return;
  }
  // Forward within the op already in progress: just keep stepping.
  if (!(inProgressOp_ && *inProgressOp_ == k && position_ < i)) {
    // Reached op k the long way: keep its starting state for the next step back.
    if (restoreTo(k)) recent_ = Checkpoint{k, map_->snapshot()};
    inProgress_ = map_->start(r.req);
    inProgressOp_ = k;
    position_ = static_cast<int64_t>(r.firstEvent) - 1;
  }
  map_->setPauseMask(kAllEvents);
  while (position_ < i && inProgress_->step()) position_++;
  map_->setPauseMask(0);
  position_ = i;
}

} // namespace gomap
