#include "concurrency/world.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "concurrency/consistency.hpp"

namespace gomap::race {

namespace {

bool endsOp(EventKind k) {
  return k == EventKind::OpEnd || k == EventKind::IterFinished || k == EventKind::Fatal || k == EventKind::Panic;
}

OpRequest requestOf(const Instr& in) {
  switch (in.kind) {
  case Instr::Kind::Put: return OpRequest{OpCode::Put, in.key, in.value};
  case Instr::Kind::Del: return OpRequest{OpCode::Del, in.key, 0};
  case Instr::Kind::Get: return OpRequest{OpCode::Get, in.key, 0};
  case Instr::Kind::Iter: return OpRequest{OpCode::Iter, {}, 0};
  case Instr::Kind::Clear: return OpRequest{OpCode::Clear, {}, 0};
  default: break;
  }
  throw std::logic_error("not a map operation");
}

} // namespace

World::World(const Scenario& sc, WorldOptions opts) : sc_(sc), opts_(opts), strings_(std::make_shared<StringPool>()) {
  setupMap();
  initialContents_.clear();
  for (auto& c : liveCells(*map_)) initialContents_.emplace_back(c.key, c.value);
  startSnap_ = map_->snapshot();
  map_->unshare();
  pauseMask_ = pauseMaskFor(sc_.granularity);
  map_->setEventBuffer(&buf_);
  map_->setPauseMask(pauseMask_);
  gs_.resize(sc_.programs.size());
  mutexes_.resize(sc_.mutexes.size());
  reset();
}

World::~World() { destroyRuns(); }

// The map section: the same ops and the same order of effects as an op script
// run by `gomaplab dump` (hashkey, rngseed and hashmode before make; make sets
// hash0 to its HASH0 argument, 0 by default).
void World::setupMap() {
  uint64_t hashkey = kDefaultHashKey;
  HashMode mode = HashMode::Go;
  std::optional<uint64_t> rng;
  for (const ScriptOp& op : sc_.setup) {
    using K = ScriptOp::Kind;
    switch (op.kind) {
    case K::HashKey: hashkey = op.number; break;
    case K::RngSeed:
      rng = op.number;
      if (map_) map_->setRngSeed(op.number);
      break;
    case K::HashMode:
      mode = op.mode;
      if (map_) map_->setHashMode(op.mode);
      break;
    case K::Make:
    case K::Nil:
      map_ = AnyMap::create(op.mapKind, rng ? *rng : opts_.rngSeed, strings_);
      map_->setHashKey(hashkey);
      map_->setHashMode(mode);
      if (op.kind == K::Make) {
        map_->apply(OpRequest{OpCode::Make, {}, op.hint});
        map_->setHash0(static_cast<uint32_t>(op.number));
      }
      break;
    case K::Seed: map_->setHash0(static_cast<uint32_t>(op.number)); break;
    case K::Pin: map_->pinHash(op.key, op.number); break;
    case K::Put: map_->apply(OpRequest{OpCode::Put, op.key, op.value}); break;
    case K::Del: map_->apply(OpRequest{OpCode::Del, op.key, 0}); break;
    case K::Get: map_->apply(OpRequest{OpCode::Get, op.key, 0}); break;
    case K::Clear: map_->apply(OpRequest{OpCode::Clear, {}, 0}); break;
    case K::Iter: map_->apply(OpRequest{OpCode::Iter, {}, 0}); break;
    case K::Hash:
    case K::Dump: break;
    }
  }
  if (!map_) throw std::logic_error("scenario without a map");
}

void World::destroyRuns() {
  // Destroying a suspended operation unwinds its coroutine frames (their
  // scopes tell the map the operation is no longer in flight).
  for (auto it = gs_.rbegin(); it != gs_.rend(); ++it) it->run.reset();
}

void World::reset() {
  destroyRuns();
  map_->restore(startSnap_);
  map_->unshare();
  aliasing_ = false;
  for (auto& g : gs_) g = G{};
  for (std::size_t i = 0; i < gs_.size(); i++)
    if (sc_.programs[i].code.empty()) gs_[i].done = true;
  for (auto& m : mutexes_) m = MutexState{};
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

bool World::blockedOn(int g, int& mutex) const {
  const G& gr = gs_[g - 1];
  if (gr.run || gr.done) return false;
  const Instr& in = sc_.programs[g - 1].code[gr.pc];
  if (in.kind != Instr::Kind::Lock && in.kind != Instr::Kind::RLock) return false;
  const MutexState& m = mutexes_[in.mutex];
  bool blocked = in.kind == Instr::Kind::Lock ? (m.writer != 0 || m.readers > 0) : m.writer != 0;
  if (blocked) mutex = in.mutex;
  return blocked;
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
  if (buf_.size() > 60000) buf_.truncate(1);
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
      gr.run = map_->start(requestOf(in));
      engineStep(g);
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
  const G& gr = gs_[g - 1];
  bool starting = !gr.run && !gr.done && sc_.programs[g - 1].code[gr.pc].isMapOp();
  if (!step(g)) return false;
  if (starting && runnable(g) && gs_[g - 1].run) {
    Footprint first = fp_;
    bool alive = step(g);
    fp_ |= first;
    return alive;
  }
  return true;
}

void World::engineStep(int g) {
  G& gr = gs_[g - 1];
  const std::size_t before = buf_.size();
  bool running = gr.run->step();
  std::size_t n = buf_.size();
  // A step that stops at the event ending the operation also finishes it.
  while (running && n > before && endsOp(buf_[n - 1].kind)) {
    running = gr.run->step();
    n = buf_.size();
  }
  if (n > before) {
    gr.last = buf_[n - 1];
    gr.hasEvent = true;
  }
  for (std::size_t i = before; i < n; i++) addFootprint(gr, buf_[i]);
  if (opts_.record) {
    for (std::size_t i = before; i < n; i++) {
      TraceEntry t;
      t.ev = buf_[i];
      t.step = static_cast<uint32_t>(steps_);
      t.g = static_cast<uint8_t>(g);
      t.op = static_cast<uint32_t>(gr.op + 1);
      trace_.push_back(t);
    }
  }
  if (!running) {
    finishOp(g);
    return;
  }
  if (++gr.opSteps >= opts_.maxOpSteps) {
    Ending e;
    e.kind = Ending::Kind::StepLimit;
    e.g = g;
    e.message = fmt::format("G{}'s {} did not finish within {} steps: its bucket chain is likely corrupted (a cycle)",
                            g, sc_.programs[g - 1].code[gr.pc].text, opts_.maxOpSteps);
    die(std::move(e));
  }
}

// The shared objects the code leading to event e may have touched (from the
// previous pause of the same goroutine to e). Written from map_impl.hpp, site
// by site; when unsure, more rather than less. tests/concurrency checks the
// reduction against full enumeration on small programs.
void World::addFootprint(G& gr, const Event& e) {
  using F = Footprint;
  uint64_t r = 0, w = 0;
  const uint64_t last = F::chain(gr.lastChain);
  const Loc l = e.loc();
  const uint64_t here = F::chain(l.bucket);
  const bool floats = map_->kind() == KeyKind::Float64; // NaN keys draw fastrand when hashed
  auto oldIndexRead = [&]() -> uint64_t {
    // A read that checks whether the old bucket of `here` is evacuated.
    if (!map_->growing()) return 0;
    return l.old ? here : F::chain(l.bucket & (map_->noldbuckets() - 1));
  };
  switch (e.site) {
  case Site::AssignHash:
  case Site::AccessHash:
  case Site::DeleteHash:
    r |= F::kFlags | F::kCount | F::kHash0 | F::kHeader;
    if (floats) r |= F::kRng, w |= F::kRng;
    break;
  case Site::AssignFlagsLoad:
  case Site::AssignExitFlagsLoad: r |= F::kFlags; break;
  case Site::ClearFlagsLoad:
  case Site::ClearExitFlagsLoad: r |= F::kFlags | F::kCount; break;
  case Site::DeleteFlagsLoad:
  case Site::DeleteExitFlagsLoad: r |= F::kFlags | last; break;
  case Site::AssignFlagsXor:
  case Site::AssignExitFlagsClear:
  case Site::ClearFlagsXor:
  case Site::ClearExitFlagsClear:
  case Site::IterInitFlags: r |= F::kFlags, w |= F::kFlags; break;
  case Site::DeleteFlagsXor:
  case Site::DeleteExitFlagsClear: r |= F::kFlags | last, w |= F::kFlags; break;
  case Site::AssignNewobject: r |= F::kHeader, w |= F::kHeader; break;
  case Site::GrowWorkBegin: r |= F::kHeader | F::kFlags; break;
  case Site::EvacuateBegin:
    gr.evacOld = e.b;
    r |= F::kHeader | F::kFlags | F::chain(e.b);
    break;
  case Site::EvacuateCell: {
    uint64_t newbit = uint64_t{1} << ((e.c >> 24) & 0x3f);
    uint64_t dst = l.bucket + (((e.c >> 3) & 1) ? newbit : 0);
    r |= F::kHeader | F::kFlags | F::kHash0 | here;
    w |= here | F::chain(dst);
    if (floats) r |= F::kRng, w |= F::kRng;
    break;
  }
  case Site::EvacuateNewOverflow:
    r |= F::kHeader | F::kFlags | F::kHash0 | F::kRng | F::chain(gr.evacOld) | here;
    w |= F::kHeader | F::kRng | F::chain(gr.evacOld) | here;
    break;
  case Site::EvacuateClearOld:
  case Site::EvacuateDone:
    r |= F::kFlags | F::chain(e.b);
    w |= F::chain(e.b);
    break;
  case Site::AdvanceMark:
    r |= F::kHeader | F::kFlags | F::kAllChains;
    w |= F::kHeader;
    break;
  case Site::AdvanceMarkDone:
    r |= F::kHeader | F::kFlags;
    w |= F::kHeader | F::kFlags;
    break;
  case Site::AssignBucket:
  case Site::DeleteBucket: r |= F::kHeader | F::kFlags; break;
  case Site::AssignTophash:
  case Site::AssignKeyCompare:
  case Site::AccessTophash:
  case Site::AccessKeyCompare:
  case Site::AccessResult:
  case Site::DeleteTophash:
  case Site::DeleteKeyCompare: r |= here | last; break;
  case Site::AssignKeyUpdate:
  case Site::AssignElemWrite:
  case Site::DeleteClear:
  case Site::DeleteEmptyRest: r |= here | last, w |= here; break;
  case Site::AssignInsertSlot:
  case Site::AssignNewOverflowSlot: break; // no memory touched since the previous event
  case Site::HashGrowBegin:
    r |= F::kCount | F::kHeader | F::kFlags | last;
    w |= F::kFlags;
    break;
  case Site::HashGrowArray: r |= F::kHeader; break;
  case Site::HashGrowCommit:
    r |= F::kHeader | F::kFlags;
    w |= F::kHeader | F::kFlags;
    break;
  case Site::NewOverflow:
    r |= F::kHeader | F::kCount | F::kRng | here | last;
    w |= F::kHeader | F::kRng | here;
    break;
  case Site::IncrNoverflow:
    r |= F::kHeader | F::kRng;
    w |= F::kHeader | F::kRng;
    break;
  case Site::AssignStore:
    r |= F::kHeader | F::kCount | here | last;
    w |= here;
    break;
  case Site::AssignCount:
  case Site::DeleteCount: r |= F::kCount | last, w |= F::kCount; break;
  case Site::DeleteReseed:
    r |= F::kCount | F::kRng;
    w |= F::kHash0 | F::kRng;
    break;
  case Site::AccessBucket: r |= F::kHeader | F::kFlags | here | oldIndexRead(); break;
  case Site::AccessEnd:
  case Site::DeleteEnd:
  case Site::ClearEnd:
  case Site::AssignEnd: r |= F::kCount | last; break;
  case Site::ClearReset:
    r |= F::kFlags | F::kHeader | F::kCount;
    w |= F::kFlags | F::kHeader | F::kCount;
    break;
  case Site::ClearReseed:
    r |= F::kRng;
    w |= F::kHash0 | F::kRng;
    break;
  case Site::ClearArray:
    r |= F::kHeader | F::kAllChains;
    w |= F::kHeader | F::kAllChains;
    aliasing_ = true;
    break;
  case Site::IterInitRand:
    r |= F::kHeader | F::kRng | F::kCount;
    w |= F::kHeader | F::kRng;
    break;
  case Site::IterNextBucket: r |= F::kFlags | F::kHeader | F::kHash0 | F::kCount | here | last | oldIndexRead(); break;
  case Site::IterNextSkip:
  case Site::IterNextYield:
    r |= F::kFlags | F::kHeader | F::kHash0 | F::kCount | here | last;
    // Via mapaccessK: a lookup anywhere in the live map.
    if ((e.site == Site::IterNextYield && e.c == 1) ||
        (e.site == Site::IterNextSkip && e.c == static_cast<uint64_t>(IterSkip::Deleted)))
      r |= F::kAllChains;
    break;
  case Site::IterNextEnd: r |= F::kFlags | F::kHeader | F::kCount | last; break;
  default:
    // Begin events touch nothing; fatal checks, panics and throws end the
    // program (and the step's footprint becomes everything).
    break;
  }
  fp_.r |= r;
  fp_.w |= w;
  switch (e.kind) {
  case EventKind::BucketSelected:
  case EventKind::TophashCompared:
  case EventKind::KeyCompared:
  case EventKind::SlotChosen:
  case EventKind::CellWritten:
  case EventKind::KeyUpdated:
  case EventKind::ElemWritten:
  case EventKind::ElemRead:
  case EventKind::CellDeleted:
  case EventKind::EmptyRestMarked:
  case EventKind::IterBucket:
  case EventKind::IterYielded:
  case EventKind::IterSkipped:
  case EventKind::OverflowAllocated: gr.lastChain = l.bucket; break;
  default: break;
  }
}

void World::finishOp(int g) {
  G& gr = gs_[g - 1];
  OpRecord& rec = history_[gr.op];
  rec.result = gr.run->result();
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
    e.message = std::string(messageText(rec.result.message));
    e.at = gr.last;
    e.hasEvent = true;
    gr.died = true;
    die(std::move(e));
    return;
  }
  if (++gr.pc >= prog.code.size()) gr.done = true;
}

void World::syncStep(int g) {
  G& gr = gs_[g - 1];
  const Instr& in = sc_.programs[g - 1].code[gr.pc];
  MutexState& m = mutexes_[in.mutex];
  const MutexDecl& decl = sc_.mutexes[in.mutex];
  auto fatal = [&](const char* msg) {
    Ending e;
    e.kind = Ending::Kind::Fatal;
    e.g = g;
    e.message = msg;
    gr.died = true;
    die(std::move(e));
  };
  fp_.r |= Footprint::mutex(in.mutex);
  fp_.w |= Footprint::mutex(in.mutex);
  TraceEntry t;
  t.step = static_cast<uint32_t>(steps_);
  t.g = static_cast<uint8_t>(g);
  t.source = TraceEntry::Source::Sync;
  t.mutex = static_cast<uint8_t>(in.mutex);
  switch (in.kind) {
  case Instr::Kind::Lock:
    m.writer = g;
    t.sync = TraceEntry::SyncKind::Lock;
    break;
  case Instr::Kind::RLock:
    m.readers++;
    t.sync = TraceEntry::SyncKind::RLock;
    break;
  case Instr::Kind::Unlock:
    t.sync = TraceEntry::SyncKind::Unlock;
    if (m.writer == 0) {
      if (opts_.record) trace_.push_back(t);
      return fatal(decl.rw ? "sync: Unlock of unlocked RWMutex" : "sync: unlock of unlocked mutex");
    }
    m.writer = 0;
    break;
  case Instr::Kind::RUnlock:
    t.sync = TraceEntry::SyncKind::RUnlock;
    if (m.readers == 0) {
      if (opts_.record) trace_.push_back(t);
      return fatal("sync: RUnlock of unlocked RWMutex");
    }
    m.readers--;
    break;
  default: break;
  }
  if (opts_.record) trace_.push_back(t);
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
  if (runnableList().empty()) {
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
  if (v.hasEvent) {
    v.event = gr.last;
    const SiteInfo& si = siteInfo(gr.last.site);
    v.function = si.function;
    v.goLine = si.line;
    v.what = si.what;
    if (gr.last.kind == EventKind::FlagsLoaded) {
      v.holdsLoadedFlags = true;
      v.loadedFlags = static_cast<uint8_t>(gr.last.a);
    }
  }
  int m = -1;
  if (gr.died) v.state = GoroutineView::State::Died;
  else if (gr.done) v.state = GoroutineView::State::Done;
  else if (gr.run) v.state = GoroutineView::State::InOp;
  else if (blockedOn(g, m)) {
    v.state = GoroutineView::State::Blocked;
    v.waitingMutex = m;
  } else v.state = GoroutineView::State::Ready;
  return v;
}

std::shared_ptr<const World::Checkpoint> World::checkpoint() const {
  if (!quiescent()) throw std::logic_error("checkpoint with an operation in flight");
  auto c = std::make_shared<Checkpoint>();
  c->map = map_->snapshot();
  map_->unshare();
  c->aliasing = aliasing_;
  for (auto& g : gs_) {
    c->pc.push_back(g.pc);
    c->done.push_back(g.done);
    c->gsteps.push_back(g.steps);
  }
  c->mutexes = mutexes_;
  c->history = history_.size();
  c->trace = trace_.size();
  c->steps = steps_;
  return c;
}

void World::restore(const Checkpoint& c) {
  destroyRuns();
  map_->restore(c.map);
  map_->unshare();
  aliasing_ = c.aliasing;
  for (std::size_t i = 0; i < gs_.size(); i++) {
    gs_[i] = G{};
    gs_[i].pc = c.pc[i];
    gs_[i].done = c.done[i];
    gs_[i].steps = c.gsteps[i];
  }
  mutexes_ = c.mutexes;
  history_.resize(c.history);
  trace_.resize(std::min(trace_.size(), c.trace));
  schedule_.resize(c.steps);
  steps_ = c.steps;
  end_ = Ending{};
  if (buf_.size() > 1) buf_.truncate(1);
}

} // namespace gomap::race
