#include "concurrency/world.hpp"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "concurrency/consistency.hpp"
#include "concurrency/cow_scenario.hpp"
#include "engine/site_footprints.hpp"

namespace gomap::race {


namespace {

// A Swiss operation stepped as the World steps every map operation.
class SwissOpRun final : public OpRun {
public:
  explicit SwissOpRun(std::unique_ptr<swiss::SwissRun> r) : r_(std::move(r)) {}
  bool step() override { return r_->step(); }
  bool done() const override { return r_->done(); }
  OpResult result() override {
    access.found = r_->found;
    access.value = r_->value;
    keys = std::move(r_->iter.keys);
    vals = std::move(r_->iter.vals);
    return r_->result();
  }

private:
  std::unique_ptr<swiss::SwissRun> r_;
};

swiss::SwissRequest swissRequestOf(const OpRequest& r) {
  swiss::SwissRequest s;
  switch (r.code) {
  case OpCode::Put: s.code = swiss::SwissOpCode::Put; break;
  case OpCode::Del: s.code = swiss::SwissOpCode::Del; break;
  case OpCode::Clear: s.code = swiss::SwissOpCode::Clear; break;
  case OpCode::Iter: s.code = swiss::SwissOpCode::Iter; break;
  default: s.code = swiss::SwissOpCode::Get; break;
  }
  s.key = r.key;
  s.value = r.value;
  return s;
}

// The Swiss map's memory, as one shared object of the footprints
// (engine/swiss_model.hpp, swissStepTouch): every name a classic step could use.
const ObjectSet& swissMapObjects() {
  static const ObjectSet s = [] {
    ObjectSet o = Footprint::allChains();
    o.add(Footprint::kFlags);
    o.add(Footprint::kCount);
    o.add(Footprint::kHash0);
    o.add(Footprint::kHeader);
    return o;
  }();
  return s;
}

// A sync.Map method stepped as the World steps every map operation. Its
// result as an OpRecord reads it: access.found / value are Load's (ok, value),
// LoadOrStore's (loaded, actual) and LoadAndDelete's (loaded, value); a
// Range's calls of f are keys / vals.
class SyncMapOpRun final : public OpRun {
public:
  explicit SyncMapOpRun(std::unique_ptr<syncmap::SyncRun> r) : r_(std::move(r)) {}
  bool step() override { return r_->step(); }
  bool done() const override { return r_->done(); }
  const syncmap::Held& held() const { return r_->held(); }
  OpResult result() override {
    access.found = r_->out.ok;
    access.value = r_->out.hasValue ? r_->out.value : 0;
    for (auto& [k, v] : r_->out.visited) {
      keys.push_back(k);
      vals.push_back(v);
    }
    return r_->result();
  }

private:
  std::unique_ptr<syncmap::SyncRun> r_;
};

// The shared objects of a sync.Map, named in Footprint's numbering (a race
// has one map, so the classic map's names are free): the pointer m.read; the
// state mu protects (dirty, misses, the readOnly and entry identities); the
// value-cell identities (a lock-free CAS may number a new cell); each entry's
// word p (by identity, folded); the fastrand state (a range's random start).
namespace smfp {
constexpr unsigned kRead = Footprint::kHeader, kLocked = Footprint::kCount, kCells = Footprint::kHash0;
constexpr unsigned kEntry0 = Footprint::kCell0, kEntryFold = 128;
// What goroutine g's stack holds (a runtime.GC()'s roots, syncmap::Held):
// written by each of g's sync.Map steps in a scenario that runs gc, read by
// gc. Folded into the numbers above the entries'.
constexpr unsigned kStack0 = kEntry0 + kEntryFold, kStackFold = 256 - kStack0;
unsigned stack(int g) { return kStack0 + static_cast<unsigned>(g) % kStackFold; }
unsigned entry(uint32_t id) { return kEntry0 + id % kEntryFold; }
} // namespace smfp
static_assert(smfp::kEntry0 + smfp::kEntryFold <= 256);

// The contents of a sync.Map (its keys with a value, read.m's and dirty's).
std::vector<std::pair<KeyValue, int64_t>> syncContents(const syncmap::SyncMap& m) {
  std::map<KeyValue, int64_t, syncmap::KeyLess> out;
  auto add = [&](const syncmap::KeyMap* km) {
    if (!km) return;
    for (const auto& [k, e] : *km)
      if (e->p == syncmap::PState::Value) out[k] = e->value;
  };
  add(m.read() ? m.read()->m.get() : nullptr);
  add(m.dirty());
  return {out.begin(), out.end()};
}

using SyncSnapshotRef = std::shared_ptr<const syncmap::SyncMap::Snapshot>;

// A copy-on-write map's method as an OpRun: the World steps it itself
// (cowEngineStep); step() is never called.
class CowOpRun final : public OpRun {
public:
  explicit CowOpRun(cow::Run r) : r(std::move(r)) {}
  bool step() override { return !r.done; }
  bool done() const override { return r.done; }
  OpResult result() override {
    access.found = r.found;
    access.value = r.result;
    return OpResult{};
  }
  cow::Run r;
};

// The shared objects of a copy-on-write map: the atomic word (the Pointer or
// the Value) and the version numbering (a copy takes the next identity).
namespace cowfp {
constexpr unsigned kWord = Footprint::kHeader, kIds = Footprint::kCount;
} // namespace cowfp

} // namespace

std::string_view World::mutexName(int m) const {
  if (m >= 0 && static_cast<std::size_t>(m) < sc_.mutexes.size()) return sc_.mutexes[static_cast<std::size_t>(m)].name;
  return cow_ ? "c.mu" : "m.mu";
}
bool World::mutexIsRw(int m) const {
  return m >= 0 && static_cast<std::size_t>(m) < sc_.mutexes.size() && sc_.mutexes[static_cast<std::size_t>(m)].rw;
}

World::World(const Scenario& sc, WorldOptions opts) : sc_(sc), opts_(opts), strings_(std::make_shared<StringPool>()) {
  setupMap();
  initialContents_.clear();
  if (swiss_) {
    initialContents_ = swiss_->entries();
    startSnap_ = swiss_->snapshot();
    swiss_->unshare();
    swiss_->setRetainReplaced(true);
    // Every kind is a step: the Swiss model has no finer memory level (scenario.hpp).
    pauseMask_ = (uint64_t{1} << static_cast<unsigned>(swiss::SwissKind::kCount)) - 1;
    swiss_->setEventSink(&sbuf_);
    swiss_->setPauseMask(pauseMask_);
  } else if (smap_) {
    initialContents_ = syncContents(*smap_);
    startSnap_ = smap_->snapshot();
    // Every kind is a step: each atomic load/CAS and each locked step is one
    // event already (syncmap_events.hpp); mu's queue is gosync's (the gate).
    pauseMask_ = (uint64_t{1} << static_cast<unsigned>(syncmap::SyncKind::kCount)) - 1;
    smap_->setEventSink(&ybuf_);
    smap_->setPauseMask(pauseMask_);
    smap_->setLockGate(true);
    for (const Program& p : sc_.programs)
      for (const Instr& in : p.code) hasGc_ = hasGc_ || in.kind == Instr::Kind::Gc;
  } else if (shards_) {
    pauseMask_ = pauseMaskFor(sc_.granularity); // each shard is a classic map
    shards_->setEvents(&buf_, pauseMask_);
  } else if (cow_) {
    if (cow_->published())
      for (auto& [k, v] : cow_->published()->m) initialContents_.emplace_back(k, v);
    startSnap_ = cow_->snapshot();
  } else {
    for (auto& c : liveCells(*map_)) initialContents_.emplace_back(c.key, c.value);
    startHeader_ = map_->header();
    startMemory_ = map_->memory();
    startSnap_ = map_->snapshot();
    map_->unshare();
    pauseMask_ = pauseMaskFor(sc_.granularity);
    map_->setEventBuffer(&buf_);
    map_->setPauseMask(pauseMask_);
  }
  gs_.resize(sc_.programs.size());
  reset();
}

World::~World() { destroyRuns(); }

// The map section: the same ops and the same order of effects as an op script
// run by `gomaplab dump` (hashkey, rngseed and hashmode before make; make sets
// hash0 to its HASH0 argument, 0 by default).
void World::setupMap() {
  if (sc_.shards > 0) {
    shards_ = std::make_unique<ShardSet>(sc_, strings_, opts_.rngSeed);
    return;
  }
  if (sc_.cow && !cow::isInPlace(sc_.cowVariant)) { // its constructor: no op of the op language makes it
    // (inplace's map is written in place: a classic map, made below as a classic race's)
    cow_ = std::make_unique<cow::CowMap>(sc_.cowVariant, sc_.kind);
    cow_->init(cowInitialEntries(sc_));
    return;
  }
  OpTarget t;
  t.strings = strings_;
  t.initialRng = opts_.rngSeed;
  for (const ScriptOp& op : sc_.setup) applyOp(t, op);
  map_ = std::move(t.map);
  swiss_ = std::move(t.swissMap);
  smap_ = std::move(t.syncMap);
  if (!map_ && !swiss_ && !smap_ && !cow_) throw std::logic_error("scenario without a map");
}

void World::destroyRuns() {
  // Destroying a suspended operation unwinds its coroutine frames (their
  // scopes tell the map the operation is no longer in flight).
  for (auto it = gs_.rbegin(); it != gs_.rend(); ++it) it->run.reset();
}

void World::reset() {
  destroyRuns();
  if (swiss_) {
    swiss_->restore(startSnap_);
    swiss_->unshare();
    sbuf_.clear();
  } else if (smap_) {
    smap_->restore(*std::any_cast<const SyncSnapshotRef&>(startSnap_));
    ybuf_.clear();
  } else if (shards_) {
    shards_->restoreStart();
  } else if (cow_) {
    cow_->restore(std::any_cast<const cow::CowMap::Snapshot&>(startSnap_));
  } else {
    map_->restore(startSnap_);
    map_->unshare();
  }
  aliasing_ = false;
  for (auto& g : gs_) g = G{};
  for (std::size_t i = 0; i < gs_.size(); i++)
    if (sc_.programs[i].code.empty()) gs_[i].done = true;
  const bool extraMu = smap_ || (cow_ && cow::usesMutex(cow_->variant()));
  sync_.reset(sc_.mutexes.size() + (extraMu ? 1 : 0), gs_.size()); // a sync.Map's mu (a cow map's c.mu) last
  history_.clear();
  trace_.clear();
  schedule_.clear();
  steps_ = 0;
  end_ = Ending{};
  if (buf_.size() > 1) buf_.truncate(1);
  bool all = true;
  for (auto& g : gs_) all = all && g.done;
  if (all) end_.kind = Ending::Kind::AllDone;
}

// Parked in one of a mutex's wait queues (a step of its lock statement put it
// there; only another goroutine's unlock takes it out).
bool World::blockedOn(int g, int& mutex) const {
  const G& gr = gs_[g - 1];
  // A sync.Map method waiting at m.mu.Lock() is parked with its method in flight.
  if ((gr.run && !gr.atMu) || gr.done || !sync_.parked(g)) return false;
  mutex = sync_.progress(g).mutex;
  return true;
}

bool World::runnable(int g) const {
  if (ended() || g < 1 || g > goroutines()) return false;
  const G& gr = gs_[g - 1];
  if (gr.done) return false;
  int m;
  return !blockedOn(g, m);
}

std::vector<int> World::runnableList() const {
  std::vector<int> r;
  for (int g = 1; g <= goroutines(); g++)
    if (runnable(g)) r.push_back(g);
  return r;
}

bool World::quiescent() const {
  for (auto& g : gs_)
    if (g.run) return false;
  return true;
}

void World::die(Ending e) {
  if (!ended()) end_ = std::move(e);
}

void World::endSchedule() {
  if (ended()) return;
  end_.kind = Ending::Kind::ScheduleEnded;
}

bool World::step(int g) {
  if (!runnable(g)) throw std::logic_error(fmt::format("goroutine {} cannot take a step now", g));
  G& gr = gs_[g - 1];
  if (buf_.size() > 1024) buf_.truncate(1); // events are consumed after each step: keep the buffer in cache
  if (sbuf_.events.size() > 1024) sbuf_.clear();
  if (ybuf_.events.size() > 1024) ybuf_.clear();
  fp_ = Footprint{};
  gr.steps++;
  if (gr.run) {
    engineStep(g);
  } else {
    const Instr& in = sc_.programs[g - 1].code[gr.pc];
    if (in.isMapOp()) {
      OpRecord rec;
      rec.g = g;
      rec.instr = gr.pc;
      rec.startStep = steps_;
      history_.push_back(std::move(rec));
      gr.op = static_cast<int>(history_.size()) - 1;
      gr.opSteps = 0;
      if (swiss_) {
        const swiss::SwissRequest r = swissRequestOf(requestOf(in));
        gr.sop = r.code;
        gr.run = std::make_unique<SwissOpRun>(swiss_->start(r));
      } else if (smap_) {
        gr.run = std::make_unique<SyncMapOpRun>(smap_->start(syncRequestOf(in)));
      } else if (shards_) {
        gr.run = shards_->map(in.shard).start(requestOf(in));
      } else if (cow_) {
        gr.run = std::make_unique<CowOpRun>(cow_->start(in.syncOp == syncmap::SyncOpCode::Store, in.key, in.value));
      } else {
        gr.run = map_->start(requestOf(in));
      }
      engineStep(g);
    } else if (in.kind == Instr::Kind::Gc) {
      gcStep(g);
    } else {
      syncStep(g);
    }
  }
  schedule_.push_back(static_cast<uint8_t>(g));
  steps_++;
  afterStep(g);
  if (ended() || aliasing_) fp_ = Footprint::all();
  return !ended();
}

bool World::stepFused(int g) {
  // Steps that touch no shared object (starting an operation, choosing a slot
  // already read, returning) commute with every other step: taking them right
  // away, together with the next step of the same goroutine, loses no
  // behaviour and spares the search branches that only move them around.
  Footprint acc;
  for (;;) {
    if (!step(g)) {
      fp_ |= acc;
      return false;
    }
    acc |= fp_;
    const bool local = !fp_.r.any() && !fp_.w.any();
    if (!local || !runnable(g)) break;
  }
  fp_ = acc;
  return true;
}

void World::engineStep(int g) {
  if (swiss_) return swissEngineStep(g);
  if (smap_) return syncMapEngineStep(g);
  if (cow_) return cowEngineStep(g);
  G& gr = gs_[g - 1];
  const std::size_t before = buf_.size();
  bool running = gr.run->step();
  std::size_t n = buf_.size();
  // A step that stops at the event ending the operation also finishes it. At
  // a fatal error or a panic the operation would only throw: it is ended here
  // (its coroutine frames are destroyed, which is what unwinding does) with
  // the outcome the event names.
  std::optional<OpResult> ended;
  while (running && n > before && endsOp(buf_[n - 1].kind)) {
    const Event& last = buf_[n - 1];
    if (last.kind == EventKind::Fatal || last.kind == EventKind::Panic) {
      const Message m = last.kind == EventKind::Fatal ? payloadOf<EventKind::Fatal>(last).message
                                                      : payloadOf<EventKind::Panic>(last).message;
      ended = OpResult{last.kind == EventKind::Fatal ? Outcome::Fatal : Outcome::Panic, m};
      running = false;
      break;
    }
    running = gr.run->step();
    n = buf_.size();
  }
  if (n > before) {
    gr.last = buf_[n - 1];
    gr.hasEvent = true;
  }
  const int shard = shards_ ? sc_.programs[g - 1].code[gr.pc].shard : -1;
  for (std::size_t i = before; i < n; i++) {
    if (shards_) {
      if (trackFp_) addShardFootprint(fp_, shard, buf_[i]);
    } else {
      addFootprint(gr, buf_[i]);
    }
  }
  if (opts_.record) {
    for (std::size_t i = before; i < n; i++) {
      TraceEntry& t = newTraceEntry(g, TraceEntry::Source::Engine);
      t.ev = buf_[i];
      t.shard = static_cast<int8_t>(shard);
    }
  }
  endEngineStep(g, running, ended);
}

// After an engine step: finish the operation, or stop a run whose operation
// takes too many steps (a corrupted chain can loop).
void World::endEngineStep(int g, bool running, const std::optional<OpResult>& ended) {
  G& gr = gs_[g - 1];
  if (!running) {
    finishOp(g, ended);
    return;
  }
  if (++gr.opSteps >= opts_.maxOpSteps) {
    Ending e;
    e.kind = Ending::Kind::StepLimit;
    e.g = g;
    e.message = fmt::format("G{}'s {} did not finish within {} steps{}", g, sc_.programs[g - 1].code[gr.pc].text,
                            opts_.maxOpSteps, swiss_ || smap_ || cow_ ? "" : ": its bucket chain is likely corrupted (a cycle)");
    die(std::move(e));
  }
}

// engineStep for a Swiss map: the same rules (a step that stops at the event
// ending the operation also finishes it; a fatal error or a panic ends it with
// the outcome the event names), on the Swiss model's events, with the
// footprints the model declares (swissStepTouch).
void World::swissEngineStep(int g) {
  G& gr = gs_[g - 1];
  const auto& evs = sbuf_.events;
  const std::size_t before = evs.size();
  bool running = gr.run->step();
  std::size_t n = evs.size();
  auto endsOp = [](const swiss::SwissEvent& e) { return swiss::kSwissKindTable[static_cast<std::size_t>(e.kind)].endsOp; };
  std::optional<OpResult> ended;
  while (running && n > before && endsOp(evs[n - 1])) {
    const swiss::SwissEvent& last = evs[n - 1];
    if (last.kind == swiss::SwissKind::Fatal || last.kind == swiss::SwissKind::Panic) {
      const Message m = last.kind == swiss::SwissKind::Fatal ? swiss::swissPayloadOf<swiss::SwissKind::Fatal>(last).message
                                                            : swiss::swissPayloadOf<swiss::SwissKind::Panic>(last).message;
      ended = OpResult{last.kind == swiss::SwissKind::Fatal ? Outcome::Fatal : Outcome::Panic, m};
      running = false;
      break;
    }
    running = gr.run->step();
    n = evs.size();
  }
  if (n > before) {
    gr.slast = evs[n - 1];
    gr.hasEvent = true;
  }
  if (trackFp_)
    for (std::size_t i = before; i < n; i++) {
      const swiss::SwissStepTouch t = swiss::swissStepTouch(gr.sop, evs[i].kind);
      if (t.readsMap) fp_.r |= swissMapObjects();
      if (t.writesMap) fp_.w |= swissMapObjects();
      if (t.drawsRandom) {
        fp_.r.add(Footprint::kRng);
        fp_.w.add(Footprint::kRng);
      }
    }
  if (opts_.record) {
    for (std::size_t i = before; i < n; i++) {
      newTraceEntry(g, TraceEntry::Source::Swiss).sev = evs[i];
    }
  }
  endEngineStep(g, running, ended);
}

// A map event's trace entry for goroutine g's current op, appended to the trace.
TraceEntry& World::newTraceEntry(int g, TraceEntry::Source source) {
  TraceEntry& t = trace_.emplace_back();
  t.source = source;
  t.step = static_cast<uint32_t>(steps_);
  t.g = static_cast<uint8_t>(g);
  t.op = static_cast<uint32_t>(gs_[g - 1].op + 1);
  return t;
}

// engineStep for a sync.Map: one event per step (every kind pauses); the step
// that stops at OpEnd also finishes the method. m.mu.Lock() is gosync's Mutex:
// the model pauses at its lock gate, this takes one Lock step of gosync (the
// CAS takes mu, or the goroutine parks on mu's semaphore and a later step
// retries, barging as Go 1.19 does), and the Locked event follows in the same
// step. Each Unlocked event is followed by gosync's Unlock step, which may wake
// the head waiter. Footprints come from the events (addSyncMapFootprint).
void World::syncMapEngineStep(int g) {
  G& gr = gs_[g - 1];
  // Any step may change what g's stack holds (its read, entry, cells): with a
  // gc in the scenario, each is ordered against the gc (not against the other
  // goroutines' steps, which write their own stacks).
  if (hasGc_ && trackFp_) fp_.w.add(smfp::stack(g));
  const auto& evs = ybuf_.events;
  const std::size_t before = evs.size();
  auto record = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; i++) {
      addSyncMapFootprint(evs[i]);
      if (!opts_.record) continue;
      newTraceEntry(g, TraceEntry::Source::SyncMap).yev = evs[i];
    }
  };
  bool running = true;
  if (gr.atMu) { // woken from mu's semaphore: retry the CAS
    if (!mapMutexStep(g, true)) return endEngineStep(g, true, std::nullopt);
    gr.atMu = false;
  }
  running = gr.run->step();
  if (running && smap_->takeLockPending()) {
    if (!mapMutexStep(g, true)) {
      gr.atMu = true;
      return endEngineStep(g, true, std::nullopt);
    }
    running = gr.run->step();
  }
  std::size_t n = evs.size();
  while (running && n > before && evs[n - 1].kind == syncmap::SyncKind::OpEnd) {
    running = gr.run->step();
    n = evs.size();
  }
  if (n > before) {
    gr.ylast = evs[n - 1];
    gr.hasEvent = true;
  }
  record(before, n);
  if (n > before && evs[n - 1].kind == syncmap::SyncKind::Unlocked) mapMutexStep(g, false);
  endEngineStep(g, running, std::nullopt);
}

// One step of gosync's Mutex for the sync.Map's mu (its Lock's CAS, or its
// Unlock), mirrored into the model's mu words. Returns false when the
// goroutine parked.
bool World::mapMutexStep(int g, bool lock) {
  const int m = syncMapMutex();
  fp_.r.add(Footprint::mutex(m));
  fp_.w.add(Footprint::mutex(m));
  const SyncStepResult r = sync_.step(g, lock ? SyncModel::Op::Lock : SyncModel::Op::Unlock, m, false);
  const MutexState& mx = sync_.mutex(m);
  if (smap_) smap_->setMu(syncmap::MutexWords{mx.state, static_cast<uint32_t>(mx.sema.size())});
  if (opts_.record) {
    TraceEntry t;
    t.step = static_cast<uint32_t>(steps_);
    t.g = static_cast<uint8_t>(g);
    t.source = TraceEntry::Source::Sync;
    t.sync = lock ? TraceEntry::SyncKind::Lock : TraceEntry::SyncKind::Unlock;
    t.mutex = static_cast<uint8_t>(m);
    t.act = r.act;
    t.woke = r.woke;
    t.line = static_cast<uint16_t>(r.line);
    t.state = mx.state;
    t.op = static_cast<uint32_t>(gs_[g - 1].op + 1);
    trace_.push_back(t);
  }
  if (r.fatal) { // cannot happen: the model unlocks only what it locked
    Ending e;
    e.kind = Ending::Kind::Fatal;
    e.g = g;
    e.message = r.fatal;
    gs_[g - 1].died = true;
    die(std::move(e));
    return false;
  }
  return r.finished;
}

const cow::Run* World::cowRun(int g) const {
  const G& gr = gs_[g - 1];
  return cow_ && gr.run ? &static_cast<const CowOpRun&>(*gr.run).r : nullptr;
}

// engineStep for a copy-on-write map: one statement per step. c.mu.Lock()
// (valuestore) is gosync's Mutex as sync.Map's m.mu is: the step takes its
// CAS, or parks the goroutine on its semaphore (a wake-up's step retries).
// c.mu.Unlock() is the model's MuUnlock step followed by gosync's Unlock.
void World::cowEngineStep(int g) {
  G& gr = gs_[g - 1];
  cow::Run& run = static_cast<CowOpRun&>(*gr.run).r;
  if (cow_->atLock(run)) {
    gr.atMu = true;
    gr.clast = cow::CowEvent{};
    gr.clast.site = cow::Site::MuLock;
    gr.hasEvent = true;
    if (!mapMutexStep(g, true)) return endEngineStep(g, true, std::nullopt);
    gr.atMu = false;
    cow_->lockTaken(run);
    return endEngineStep(g, true, std::nullopt);
  }
  const cow::CowEvent e = cow_->step(run);
  gr.clast = e;
  gr.hasEvent = true;
  if (trackFp_) {
    using cow::Site;
    switch (e.site) {
    case Site::PtrLoad:
    case Site::ValueLoad: fp_.r.add(cowfp::kWord); break;
    case Site::Copy:
      fp_.r.add(cowfp::kIds);
      fp_.w.add(cowfp::kIds);
      break;
    case Site::PtrCas:
    case Site::ValueCas:
      fp_.r.add(cowfp::kWord);
      if (e.swapped) fp_.w.add(cowfp::kWord);
      break;
    case Site::PtrStore:
    case Site::ValueStore: fp_.w.add(cowfp::kWord); break;
    default: break; // the private copy and the immutable version loaded: nothing shared
    }
  }
  if (opts_.record) newTraceEntry(g, TraceEntry::Source::Cow).cev = e;
  if (e.site == cow::Site::MuUnlock) mapMutexStep(g, false);
  if (!e.ends) return endEngineStep(g, true, std::nullopt);
  std::optional<OpResult> ended;
  if (e.panics) ended = OpResult{Outcome::Panic, Message::None};
  endEngineStep(g, false, ended);
}

// What the code leading to a sync.Map event touched (one event per step: the
// atomic or locked access the event names; lookups in a published read.m
// touch nothing shared, that map is never written after its publication).
void World::addSyncMapFootprint(const syncmap::SyncEvent& e) {
  if (!trackFp_) return;
  using namespace syncmap;
  auto rw = [&](unsigned o) {
    fp_.r.add(o);
    fp_.w.add(o);
  };
  switch (e.kind) {
  case SyncKind::OpBegin:
  case SyncKind::OpEnd:
  case SyncKind::ReadLookup:
  case SyncKind::RangeCall:
  case SyncKind::Collected: break; // gcStep sets its own footprint (all)
  case SyncKind::ReadLoaded: fp_.r.add(smfp::kRead); break;
  case SyncKind::DirtyLookup: fp_.r.add(smfp::kLocked); break;
  case SyncKind::Locked:
  case SyncKind::Unlocked: rw(Footprint::mutex(syncMapMutex())); break;
  case SyncKind::PLoaded: fp_.r.add(smfp::entry(payloadOf<SyncKind::PLoaded>(e).entry)); break;
  case SyncKind::PCas: {
    const auto p = payloadOf<SyncKind::PCas>(e);
    fp_.r.add(smfp::entry(p.entry));
    if (p.swapped) fp_.w.add(smfp::entry(p.entry));
    if (p.swapped && p.to == PState::Value) rw(smfp::kCells); // the new cell's identity
    break;
  }
  case SyncKind::PStored:
    rw(smfp::entry(payloadOf<SyncKind::PStored>(e).entry));
    rw(smfp::kCells);
    break;
  case SyncKind::DirtyWritten:
  case SyncKind::DirtyDeleted:
  case SyncKind::DirtyMade:
  case SyncKind::DirtyCleared:
  case SyncKind::MissCounted: rw(smfp::kLocked); break;
  case SyncKind::ReadStored:
    fp_.w.add(smfp::kRead);
    rw(smfp::kLocked);
    break;
  case SyncKind::EntryCreated:
    rw(smfp::kLocked);
    rw(smfp::kCells);
    break;
  case SyncKind::RangeNext: rw(Footprint::kRng); break; // the first one follows the random start's draw
  case SyncKind::kCount: break;
  }
}

// Where a goroutine stands, in the words of the model that runs the map.
void World::setDeathSite(Ending& e, const G& gr) const {
  if (cow_) {
    const Instr& in = sc_.programs[static_cast<std::size_t>(&gr - gs_.data())].code[gr.pc];
    const cow::SiteInfo si = cow::siteInfo(gr.clast.site, cow_->variant(), in.syncOp == syncmap::SyncOpCode::Store);
    e.function = si.function;
    e.file = si.file;
    e.line = si.line;
    e.what = si.what;
    return;
  }
  if (smap_) {
    const syncmap::SyncSiteInfo& si = syncmap::siteInfo(gr.ylast.site);
    e.function = si.function;
    e.file = si.file;
    e.line = si.line;
    e.what = si.what;
    return;
  }
  if (swiss_) {
    const swiss::SwissSiteInfo& si = swiss::swissSiteInfo(gr.slast.site, swiss_->kind());
    e.function = si.function;
    e.file = swiss::swissFileName(si.file);
    e.line = swiss_->version() == swiss::Version::Go127 ? si.line127 : si.line126;
    e.what = si.what;
    return;
  }
  const SiteInfo& si = siteInfo(gr.last.site);
  e.function = si.function;
  e.file = "runtime/map.go";
  e.line = si.line;
  e.what = si.what;
}

// The shared objects the code leading to event e may have touched (from the
// previous pause of the same goroutine up to e): the engine declares them per
// site (engine/site_footprints.hpp) relative to the event and to where the
// goroutine has been; this interprets that declaration on the folded object
// names of Footprint, and keeps the goroutine-local facts it needs (where the
// goroutine stands, the old cell it copies). tests/concurrency checks the
// reduced search against full enumeration on small programs.
void World::addFootprint(G& gr, const Event& e) {
  using F = Footprint;
  const SiteFootprint& decl = siteFootprint(e.site);
  const Loc l = footprintSubject(e);
  if (decl.notes & fpnote::StartsCopy) gr.evacSrc = l;
  // After mapclear the preallocated overflow buckets are handed out again from
  // the start: a goroutine still holding one would share it with its new chain
  // under another name. Without a pool (B < 4) nothing is reused.
  if ((decl.notes & fpnote::ReusesPool) && map_->arrayAllocated(false) > bucketShift(map_->header().B)) aliasing_ = true;
  if (trackFp_) {
    const ResolvedFootprint t = resolveFootprint(e, map_->kind() == KeyKind::Float64);
    const Loc last = gr.lastLoc;
    auto objects = [&](uint32_t bits, ObjectSet& s) {
      if (!bits) return;
      auto cell = [&](const Loc& x, F::Field f) { s.add(F::cell(x.bucket, x.chain, x.slot, f)); };
      if (bits & touch::Flags) s.add(F::kFlags);
      if (bits & touch::Count) s.add(F::kCount);
      if (bits & touch::Hash0) s.add(F::kHash0);
      if (bits & touch::Header) s.add(F::kHeader);
      if (bits & touch::Rng) s.add(F::kRng);
      if (bits & touch::Tophash) cell(l, F::Tophash);
      if (bits & touch::Key) cell(l, F::Key);
      if (bits & touch::Elem) cell(l, F::Elem);
      if ((bits & touch::ReachedVia) && l.slot == 0 && l.chain > 0) s.add(F::overflow(l.bucket, l.chain - 1u));
      if (bits & touch::Overflow) s.add(F::overflow(l.bucket, l.chain));
      if (bits & touch::PrevOverflow) s.add(F::overflow(l.bucket, l.chain - 1u));
      if (bits & touch::Chain) s |= F::chain(l.bucket);
      if ((bits & touch::OldMark) && map_->growing())
        s.add(F::cell(l.old ? l.bucket : (l.bucket & (map_->noldbuckets() - 1)), 0, 0, F::Tophash));
      if (bits & touch::LastChainEnd) s.add(F::overflow(last.bucket, last.chain));
      if (bits & touch::LastChain) s |= F::chain(last.bucket);
      if (bits & touch::SrcKey) cell(gr.evacSrc, F::Key);
      if (bits & touch::DstElem) cell(copyDestination(e), F::Elem);
      if (bits & touch::AllChains) s |= F::allChains();
    };
    objects(t.reads, fp_.r);
    objects(t.writes, fp_.w);
  }
  // Where the goroutine stands in the current array (a copy's cells are not).
  if (carriesCell(e.kind) && !(decl.notes & fpnote::StandsElsewhere)) gr.lastLoc = e.loc();
}

void World::finishOp(int g, const std::optional<OpResult>& ended) {
  G& gr = gs_[g - 1];
  OpRecord& rec = history_[gr.op];
  rec.result = ended ? *ended : gr.run->result();
  rec.access = gr.run->access;
  rec.keys = std::move(gr.run->keys);
  rec.vals = std::move(gr.run->vals);
  rec.endStep = steps_;
  rec.finished = true;
  gr.run.reset();
  gr.op = -1;
  const Program& prog = sc_.programs[g - 1];
  if (rec.result.outcome == Outcome::Fatal) {
    Ending e;
    e.kind = Ending::Kind::Fatal;
    e.g = g;
    e.message = std::string(messageText(rec.result.message));
    e.at = gr.last;
    e.hasEvent = gr.hasEvent;
    if (e.hasEvent) setDeathSite(e, gr);
    gr.died = true;
    die(std::move(e));
    return;
  }
  gr.hasEvent = false;
  if (rec.result.outcome == Outcome::Panic) {
    if (prog.recoverPanics) {
      // The deferred recover() stops the panic; the goroutine's function returns.
      gr.done = true;
      return;
    }
    Ending e;
    e.kind = Ending::Kind::Panic;
    e.g = g;
    // (a copy-on-write map's only panic: valuecas compared two maps)
    e.message = cow_ ? cow::uncomparablePanic(cow_->kind()) : std::string(messageText(rec.result.message));
    e.at = gr.last;
    e.hasEvent = true;
    setDeathSite(e, gr);
    gr.died = true;
    die(std::move(e));
    return;
  }
  if (++gr.pc >= prog.code.size()) gr.done = true;
}

// One atomic step of a lock/unlock statement (gosync.hpp). The statement is
// finished when its method returns; a goroutine another one wakes from
// readerSem / writerSem returns from its RLock / Lock in the waker's step.
void World::syncStep(int g) {
  G& gr = gs_[g - 1];
  const Instr& in = sc_.programs[g - 1].code[gr.pc];
  const MutexDecl& decl = sc_.mutexes[in.mutex];
  fp_.r.add(Footprint::mutex(in.mutex));
  fp_.w.add(Footprint::mutex(in.mutex));
  SyncModel::Op op = SyncModel::Op::Lock;
  TraceEntry t;
  t.step = static_cast<uint32_t>(steps_);
  t.g = static_cast<uint8_t>(g);
  t.source = TraceEntry::Source::Sync;
  t.mutex = static_cast<uint8_t>(in.mutex);
  switch (in.kind) {
  case Instr::Kind::Lock: op = SyncModel::Op::Lock, t.sync = TraceEntry::SyncKind::Lock; break;
  case Instr::Kind::Unlock: op = SyncModel::Op::Unlock, t.sync = TraceEntry::SyncKind::Unlock; break;
  case Instr::Kind::RLock: op = SyncModel::Op::RLock, t.sync = TraceEntry::SyncKind::RLock; break;
  case Instr::Kind::RUnlock: op = SyncModel::Op::RUnlock, t.sync = TraceEntry::SyncKind::RUnlock; break;
  default: break;
  }
  const SyncStepResult r = sync_.step(g, op, in.mutex, decl.rw);
  if (opts_.record) {
    const MutexState& m = sync_.mutex(in.mutex);
    t.act = r.act;
    t.woke = r.woke;
    t.rwFile = r.rwFile;
    t.line = static_cast<uint16_t>(r.line);
    t.state = m.state;
    t.readerCount = m.readerCount;
    t.readerWait = m.readerWait;
    trace_.push_back(t);
  }
  if (r.fatal) {
    Ending e;
    e.kind = Ending::Kind::Fatal;
    e.g = g;
    e.message = r.fatal;
    gr.died = true;
    die(std::move(e));
    return;
  }
  auto advance = [&](int h) {
    G& x = gs_[h - 1];
    if (++x.pc >= sc_.programs[h - 1].code.size()) x.done = true;
  };
  for (int h = 1; h <= goroutines(); h++)
    if (r.completed & (1u << (h - 1))) advance(h);
  if (r.finished) advance(g);
}

const syncmap::Held* World::syncStack(int g) const {
  const auto* r = dynamic_cast<const SyncMapOpRun*>(gs_[g - 1].run.get());
  return r && !r->done() ? &r->held() : nullptr;
}

// A goroutine's runtime.GC() on the sync.Map's heap: one step, marking from
// read, dirty and the stacks of every method in flight (syncmap::Held).
void World::gcStep(int g) {
  G& gr = gs_[g - 1];
  std::vector<const syncmap::Held*> stacks;
  for (int h = 1; h <= goroutines(); h++)
    if (const syncmap::Held* s = syncStack(h)) stacks.push_back(s);
  if (!smap_->gc(stacks)) throw std::logic_error("gc: a method in flight without its stack");
  fp_ = Footprint{};
  fp_.r = ObjectSet::everything(); // reads every root; writes only the free counts, which no step reads
  const syncmap::HeapCounts& f = smap_->opFrees();
  auto n = [&](syncmap::HeapKind k) { return static_cast<uint32_t>(f[k]); };
  using syncmap::HeapKind;
  const auto ev = syncmap::SyncEvent::of<syncmap::SyncSite::Gc>(
      {.readonly = n(HeapKind::ReadOnly), .entry = n(HeapKind::Entry), .cell = n(HeapKind::Cell), .box = n(HeapKind::Box)});
  gr.ylast = ev;
  if (opts_.record) {
    TraceEntry& t = newTraceEntry(g, TraceEntry::Source::SyncMap);
    t.yev = ev;
    t.op = 0; // not a map operation
  }
  if (++gr.pc >= sc_.programs[g - 1].code.size()) gr.done = true;
}

void World::afterStep(int) {
  if (ended()) return;
  bool all = true;
  for (auto& g : gs_) all = all && g.done;
  if (all) {
    end_.kind = Ending::Kind::AllDone;
    return;
  }
  bool any = false;
  for (int g = 1; g <= goroutines() && !any; g++) any = runnable(g);
  if (!any) {
    Ending e;
    e.kind = Ending::Kind::Fatal;
    e.deadlock = true;
    e.message = "all goroutines are asleep - deadlock!";
    die(std::move(e));
    return;
  }
  if (steps_ >= opts_.maxSteps) {
    Ending e;
    e.kind = Ending::Kind::StepLimit;
    e.message = fmt::format("the run was stopped after {} steps", opts_.maxSteps);
    die(std::move(e));
  }
}

GoroutineView World::view(int g) const {
  GoroutineView v;
  const G& gr = gs_[g - 1];
  const Program& prog = sc_.programs[g - 1];
  v.g = g;
  v.pc = gr.pc;
  v.programSize = prog.code.size();
  v.instr = gr.pc < prog.code.size() && !gr.done ? &prog.code[gr.pc] : nullptr;
  if (gr.died) v.instr = &prog.code[gr.pc];
  v.steps = gr.steps;
  v.hasEvent = gr.hasEvent && (gr.run != nullptr || gr.died);
  v.atMapMutex = gr.atMu;
  if (v.hasEvent && (smap_ || swiss_ || cow_)) {
    // Where it stands, as a death there would name it (function, file, line).
    Ending site;
    setDeathSite(site, gr);
    v.function = site.function;
    v.file = site.file;
    v.goLine = site.line;
    v.what = site.what;
  }
  if (v.hasEvent && smap_) {
    v.syncMapEvent = gr.ylast;
    if (gr.atMu && v.instr) { // it stands at its method's m.mu.Lock(), past its last event
      using syncmap::SyncSite;
      const SyncSite lk[] = {SyncSite::LoadLock, SyncSite::StoreLock, SyncSite::LosLock,
                             SyncSite::LadLock,  SyncSite::LadLock,   SyncSite::RangeLock};
      const syncmap::SyncSiteInfo& si = syncmap::siteInfo(lk[static_cast<std::size_t>(v.instr->syncOp)]);
      v.function = si.function;
      v.goLine = si.line;
      v.what = si.what;
    }
  } else if (v.hasEvent && cow_) {
    v.cowEvent = gr.clast;
  } else if (v.hasEvent && swiss_) {
    v.swissEvent = gr.slast;
  } else if (v.hasEvent) {
    v.event = gr.last;
    const SiteInfo& si = siteInfo(gr.last.site);
    v.function = si.function;
    v.file = "runtime/map.go";
    v.goLine = si.line;
    v.what = si.what;
    if (gr.last.kind == EventKind::FlagsLoaded) {
      v.holdsLoadedFlags = true;
      v.loadedFlags = payloadOf<EventKind::FlagsLoaded>(gr.last).flags;
    }
  }
  int m = -1;
  if (gr.died) v.state = GoroutineView::State::Died;
  else if (gr.done) v.state = GoroutineView::State::Done;
  else if (blockedOn(g, m)) { // a sync.Map method parked at m.mu.Lock() is in flight and blocked
    v.state = GoroutineView::State::Blocked;
    v.waitingMutex = m;
  } else if (gr.run) v.state = GoroutineView::State::InOp;
  else v.state = GoroutineView::State::Ready;
  v.sync = sync_.progress(g);
  return v;
}

std::shared_ptr<const World::Checkpoint> World::checkpoint() const {
  if (!quiescent()) throw std::logic_error("checkpoint with an operation in flight");
  auto c = std::make_shared<Checkpoint>();
  if (swiss_) {
    c->map = swiss_->snapshot();
    swiss_->unshare();
  } else if (smap_) {
    c->map = smap_->snapshot();
  } else if (shards_) {
    c->map = shards_->snapshot();
  } else if (cow_) {
    c->map = cow_->snapshot();
  } else {
    c->map = map_->snapshot();
    map_->unshare();
  }
  c->aliasing = aliasing_;
  for (auto& g : gs_) {
    c->pc.push_back(g.pc);
    c->done.push_back(g.done);
    c->gsteps.push_back(g.steps);
  }
  c->sync = sync_;
  c->history = history_.size();
  c->trace = trace_.size();
  c->steps = steps_;
  return c;
}

void World::restore(const Checkpoint& c) {
  destroyRuns();
  if (swiss_) {
    swiss_->restore(c.map);
    swiss_->unshare();
    sbuf_.clear();
  } else if (smap_) {
    smap_->restore(*std::any_cast<const SyncSnapshotRef&>(c.map));
    ybuf_.clear();
  } else if (shards_) {
    shards_->restore(c.map);
  } else if (cow_) {
    cow_->restore(std::any_cast<const cow::CowMap::Snapshot&>(c.map));
  } else {
    map_->restore(c.map);
    map_->unshare();
  }
  aliasing_ = c.aliasing;
  for (std::size_t i = 0; i < gs_.size(); i++) {
    gs_[i] = G{};
    gs_[i].pc = c.pc[i];
    gs_[i].done = c.done[i];
    gs_[i].steps = c.gsteps[i];
  }
  sync_ = c.sync;
  history_.resize(c.history);
  trace_.resize(std::min(trace_.size(), c.trace));
  schedule_.resize(c.steps);
  steps_ = c.steps;
  end_ = Ending{};
  if (buf_.size() > 1) buf_.truncate(1);
}

} // namespace gomap::race
