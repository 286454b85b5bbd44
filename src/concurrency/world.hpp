// One run of a race scenario: the shared map, the simulated goroutines with
// their programs, the mutexes, and what has happened so far.
//
// A step resumes one goroutine until its next pause:
//  - inside a map operation, the engine runs to its next event in the
//    granularity's pause mask (statement: every event kind but FlagsLoaded;
//    memory: every kind). When that event ends the operation (OpEnd, the end of
//    a range loop, a fatal error or a panic), the step also finishes the
//    operation, so every step shows at least one event and nothing is left half
//    done behind a pause that has nothing to show;
//  - a goroutine between operations starts the next one (the step ends at its
//    OpBegin event), or performs a lock/unlock (a sync entry in the trace).
// A fatal error ends the whole program (Go cannot recover from it). A panic
// ends it too unless the goroutine has `defer recover`. Everything is
// deterministic: the same scenario and the same schedule give the same trace.
#pragma once
#include <any>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concurrency/gosync.hpp"
#include "concurrency/scenario.hpp"
#include "concurrency/sharded_map.hpp"
#include "engine/any_map.hpp"
#include "engine/swiss_model.hpp"

namespace gomap::race {

// One entry of a run's trace: an engine event (of the classic map, or of the
// Swiss map when the scenario makes one), or a sync step. A sync statement
// takes one step per atomic operation of Go's sync code (gosync.hpp): `sync`
// names the method, `act` what this step of it did.
struct TraceEntry {
  enum class Source : uint8_t { Engine, Sync, Swiss, SyncMap, Cow };
  enum class SyncKind : uint8_t { Lock, Unlock, RLock, RUnlock };
  Event ev{};         // Engine: the event as the classic map emitted it
  swiss::SwissEvent sev{}; // Swiss: the event as the Swiss map emitted it
  syncmap::SyncEvent yev{}; // SyncMap: the event as the sync.Map model emitted it
  cow::CowEvent cev{};      // Cow: what the copy-on-write map's step did (cow_map.hpp)
  uint32_t step = 0;  // scheduling step (0-based) in which it happened
  uint8_t g = 0;      // goroutine number (1-based)
  Source source = Source::Engine;
  SyncKind sync = SyncKind::Lock;
  uint8_t mutex = 0;  // Sync: index into Scenario::mutexes
  uint32_t op = 0;    // Engine: the op (index into World::history() + 1)
  int8_t shard = -1;  // Engine, on a sharded map: the shard whose map emitted it
  // Sync: what the step did, the goroutines it woke (bit g-1), the sync/*.go
  // line it mirrors, and the mutex's words after it.
  SyncAct act = SyncAct::Acquired;
  uint8_t woke = 0;
  bool rwFile = false;
  uint16_t line = 0;
  int32_t state = 0, readerCount = 0, readerWait = 0;
};

// A map operation as a goroutine ran it (for the consistency check and views).
struct OpRecord {
  int g = 0;
  std::size_t instr = 0;   // index into the goroutine's program
  uint64_t startStep = 0;  // step of its OpBegin
  uint64_t endStep = 0;    // step in which it finished
  bool finished = false;
  OpResult result;
  AccessResult access;          // get
  std::vector<KeyValue> keys;   // iter: the keys in the order yielded
  std::vector<int64_t> vals;    // iter
};

// How a run ended (or that it has not).
struct Ending {
  enum class Kind : uint8_t {
    Running,       // not ended
    AllDone,       // every goroutine finished its program
    Fatal,         // fatal error (map race detected, sync misuse, deadlock)
    Panic,         // unrecovered panic
    StepLimit,     // stopped: a goroutine or the run took too many steps
    ScheduleEnded, // a recorded schedule ran out (with no 'then' policy)
  };
  Kind kind = Kind::Running;
  int g = 0;             // goroutine that died / was stopped (0 for deadlock)
  std::string message;   // "concurrent map writes", "all goroutines are asleep - deadlock!", ...
  bool deadlock = false; // Fatal because every goroutine is blocked
  Event at{};            // the engine event at which it died (engine fatals and panics; classic map)
  bool hasEvent = false;
  // Where it died, for any model (set with hasEvent): the runtime function,
  // the source file and line it mirrors, and the line's description.
  std::string_view function, file, what;
  int line = 0;
};

// What a goroutine is doing, for lanes and tracebacks.
struct GoroutineView {
  enum class State : uint8_t { Ready, InOp, Blocked, Done, Died };
  int g = 0;
  State state = State::Ready;
  std::size_t pc = 0;           // instruction in progress or next
  std::size_t programSize = 0;
  const Instr* instr = nullptr; // that instruction (null when done)
  bool hasEvent = false;        // paused at an engine event (inside a map op)
  Event event{};                // the event it is paused at (classic map)
  swiss::SwissEvent swissEvent{}; // the event it is paused at (Swiss map)
  syncmap::SyncEvent syncMapEvent{}; // the event it is paused at (sync.Map)
  cow::CowEvent cowEvent{};     // its last step (copy-on-write map)
  bool atMapMutex = false;      // sync.Map: inside the method, at (or parked in) m.mu.Lock()
  std::string_view function;    // runtime function of that event (siteInfo(event.site).function)
  std::string_view file;        // its source file (runtime/map.go, internal/runtime/maps/...)
  int goLine = 0;               // line of that event in file
  std::string_view what;        // the source line's description
  int waitingMutex = -1;        // Blocked: the mutex it waits for
  SyncProgress sync{};          // where it is inside a lock/unlock statement (queue: where it is parked)
  bool holdsLoadedFlags = false; // memory level: between the flags load and its store
  uint8_t loadedFlags = 0;      //   the value it loaded (and will XOR / AND NOT, then store)
  uint64_t steps = 0;           // steps this goroutine has taken
};

// What one step touched, for partial-order reduction: the sets of shared
// objects it read and wrote. Objects: the flags byte, count, hash0, the rest of
// the header (B, buckets, oldbuckets, nevacuate, noverflow, extra), the
// fastrand state, each mutex, and bucket memory cell by cell: the tophash, key
// and elem of each slot and the overflow pointer of each bmap, named by
// (bucket index, position in the chain). Names are folded (bucket index mod 4,
// chain position mod 2, mutex mod 8) and do not say which array: folding only
// merges objects, so two steps that touch one cell are always seen to conflict.
// Two steps of different goroutines are independent when neither writes what
// the other reads or writes; a step that ends the program conflicts with all.
struct ObjectSet {
  std::array<uint64_t, 4> bits{};
  void add(unsigned i) { bits[i >> 6] |= uint64_t{1} << (i & 63); }
  ObjectSet& operator|=(const ObjectSet& o) {
    for (int i = 0; i < 4; i++) bits[i] |= o.bits[i];
    return *this;
  }
  bool any() const { return (bits[0] | bits[1] | bits[2] | bits[3]) != 0; }
  bool intersects(const ObjectSet& o) const {
    for (int i = 0; i < 4; i++)
      if (bits[i] & o.bits[i]) return true;
    return false;
  }
  static ObjectSet everything() {
    ObjectSet s;
    s.bits.fill(~uint64_t{0});
    return s;
  }
};
struct Footprint {
  ObjectSet r, w;
  bool ends = false; // the step ended the program: it disables every other step
  enum Field : unsigned { Tophash = 0, Key = 1, Elem = 2 };
  static constexpr unsigned kFlags = 0, kCount = 1, kHash0 = 2, kHeader = 3, kRng = 4;
  static constexpr unsigned kMutex0 = 8, kMutexes = 8;
  static constexpr unsigned kCell0 = 16, kBucketFold = 4, kChainFold = 2, kPerBmap = 3 * 8 + 1;
  static unsigned mutex(int m) { return kMutex0 + static_cast<unsigned>(m) % kMutexes; }
  static unsigned bmapBase(uint64_t bucket, unsigned chain) {
    return kCell0 + static_cast<unsigned>((bucket % kBucketFold) * kChainFold + chain % kChainFold) * kPerBmap;
  }
  static unsigned cell(uint64_t bucket, unsigned chain, unsigned slot, Field f) {
    return bmapBase(bucket, chain) + (slot & 7) * 3 + f;
  }
  static unsigned overflow(uint64_t bucket, unsigned chain) { return bmapBase(bucket, chain) + 24; }
  // Every cell and overflow pointer of bucket index `bucket`'s chain.
  static const ObjectSet& chain(uint64_t bucket) {
    static const auto sets = [] {
      std::array<ObjectSet, kBucketFold> a{};
      for (unsigned b = 0; b < kBucketFold; b++)
        for (unsigned c = 0; c < kChainFold; c++)
          for (unsigned i = 0; i < kPerBmap; i++) a[b].add(bmapBase(b, c) + i);
      return a;
    }();
    return sets[bucket % kBucketFold];
  }
  static const ObjectSet& allChains() {
    static const ObjectSet all = [] {
      ObjectSet s;
      for (unsigned i = kCell0; i < kCell0 + kBucketFold * kChainFold * kPerBmap; i++) s.add(i);
      return s;
    }();
    return all;
  }
  static Footprint all() { return {ObjectSet::everything(), ObjectSet::everything(), true}; }
  Footprint& operator|=(const Footprint& o) {
    r |= o.r;
    w |= o.w;
    ends = ends || o.ends;
    return *this;
  }
};
static_assert(Footprint::kCell0 + Footprint::kBucketFold * Footprint::kChainFold * Footprint::kPerBmap <= 256);
inline bool independent(const Footprint& a, const Footprint& b) {
  if (a.ends || b.ends) return false;
  return !a.w.intersects(b.r) && !a.w.intersects(b.w) && !b.w.intersects(a.r);
}

struct WorldOptions {
  bool record = true;                 // keep the trace (off while exploring)
  uint64_t maxSteps = 50'000'000;     // a run stops after this many steps
  uint64_t maxOpSteps = 1'000'000;    // a single map op stops after this many
  uint64_t rngSeed = 0;               // initial simulated fastrand state (before the map section)
};

class World {
public:
  World(const Scenario& sc, WorldOptions opts = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const Scenario& scenario() const { return sc_; }
  const WorldOptions& options() const { return opts_; }
  int goroutines() const { return static_cast<int>(gs_.size()); }

  // Back to the state right after the map section, before any goroutine step.
  void reset();

  // Goroutine g (1-based) can take a step now: it has not finished and is not
  // blocked on a mutex, and the run has not ended.
  bool runnable(int g) const;
  // Runnable goroutines in increasing order.
  std::vector<int> runnableList() const;
  // Takes one step of goroutine g (must be runnable). Returns false if the run
  // has ended after it.
  bool step(int g);
  // The exploration step: like step(), but steps that touch no shared object
  // (starting a map operation, choosing a slot already read, returning) are
  // fused with the goroutine's next step.
  bool stepFused(int g);
  // What the last step() or stepFused() touched (computed only while
  // trackFootprints is on; replays turn it off).
  const Footprint& lastFootprint() const { return fp_; }
  void trackFootprints(bool on) { trackFp_ = on; }

  const Ending& ending() const { return end_; }
  bool ended() const { return end_.kind != Ending::Kind::Running; }
  // Ends the run because the schedule has no more steps.
  void endSchedule();
  // True when no goroutine is inside a map operation (snapshots are possible).
  bool quiescent() const;

  uint64_t steps() const { return steps_; }
  const std::vector<uint8_t>& schedule() const { return schedule_; } // goroutine of each step
  const std::vector<TraceEntry>& trace() const { return trace_; }
  const std::vector<OpRecord>& history() const { return history_; }
  // The shared map: the classic one (map()), or the Swiss one when the
  // scenario's map section makes one (isSwiss(), swissMap()).
  const AnyMap& map() const { return *map_; }
  bool isSwiss() const { return swiss_ != nullptr; }
  const swiss::AnySwiss& swissMap() const { return *swiss_; }
  // A sync.Map (make syncmap): its model, and the index of its mutex mu in
  // sync() (after the scenario's own mutexes; mutexName names it "m.mu").
  bool isSyncMap() const { return smap_ != nullptr; }
  // A sharded map (make sharded N KIND): its N classic maps; shard s's RWMutex is mutex s.
  bool isSharded() const { return shards_ != nullptr; }
  const ShardSet& shards() const { return *shards_; }
  const syncmap::SyncMap& syncMap() const { return *smap_; }
  // What goroutine g's sync.Map method in flight holds on its stack (gc's
  // roots), or null when it is in none.
  const syncmap::Held* syncStack(int g) const;
  int syncMapMutex() const { return static_cast<int>(sc_.mutexes.size()); }
  // A copy-on-write map (make cow VARIANT KIND): its model, and the method a
  // goroutine has in flight (the versions it holds), null when none. The
  // valuestore variant's c.mu is sync()'s mutex syncMapMutex() ("c.mu").
  bool isCow() const { return cow_ != nullptr; }
  const cow::CowMap& cowMap() const { return *cow_; }
  const cow::Run* cowRun(int g) const;
  // A mutex's name as traces print it (the scenario's, or "m.mu"), and whether it is an RWMutex.
  std::string_view mutexName(int m) const;
  bool mutexIsRw(int m) const;
  GoroutineView view(int g) const;
  // The mutexes (state words, queues) and each goroutine's progress through
  // its lock/unlock statement, for views.
  const SyncModel& sync() const { return sync_; }
  const MutexState& mutex(int m) const { return sync_.mutex(m); }

  // Live cells right after the map section (the sequential model starts there).
  const std::vector<std::pair<KeyValue, int64_t>>& initialContents() const { return initialContents_; }
  // The map's header and memory right after the map section (views' series start there).
  const Hmap& startHeader() const { return startHeader_; }
  const AnyMap::Memory& startMemory() const { return startMemory_; }

  // Checkpoints: only when quiescent().
  struct Checkpoint;
  std::shared_ptr<const Checkpoint> checkpoint() const;
  void restore(const Checkpoint& c);

private:
  struct G {
    std::size_t pc = 0;
    std::unique_ptr<OpRun> run;
    int op = -1; // index into history_ of the op in flight
    bool done = false;
    bool died = false;
    bool hasEvent = false;
    Event last{};
    uint64_t steps = 0;
    uint64_t opSteps = 0;
    swiss::SwissEvent slast{}; // its last event (Swiss map)
    swiss::SwissOpCode sop = swiss::SwissOpCode::Get; // the Swiss op in flight
    syncmap::SyncEvent ylast{}; // its last event (sync.Map)
    cow::CowEvent clast{};      // its last step (copy-on-write map)
    bool atMu = false;          // sync.Map: its method waits at m.mu.Lock() (lock gate)
    Loc lastLoc{};        // its last event with a cell location
    Loc evacSrc{};        // the old cell it is copying (memory level: the copy takes several steps)
  };
  void setupMap();
  bool blockedOn(int g, int& mutex) const;
  void engineStep(int g);
  void swissEngineStep(int g);
  void syncMapEngineStep(int g);
  TraceEntry& newTraceEntry(int g, TraceEntry::Source source);
  bool mapMutexStep(int g, bool lock); // sync.Map's mu: one gosync step; false: parked
  void addSyncMapFootprint(const syncmap::SyncEvent& e);
  void cowEngineStep(int g);
  void endEngineStep(int g, bool running, const std::optional<OpResult>& ended);
  void setDeathSite(Ending& e, const G& gr) const;
  void syncStep(int g);
  void gcStep(int g);
  void finishOp(int g, const std::optional<OpResult>& ended);
  void afterStep(int g);
  void die(Ending e);
  void destroyRuns();
  void addFootprint(G& gr, const Event& e);

  Scenario sc_;
  WorldOptions opts_;
  std::shared_ptr<StringPool> strings_;
  std::unique_ptr<AnyMap> map_;        // the classic map, or
  std::unique_ptr<swiss::AnySwiss> swiss_; // the Swiss map
  swiss::SwissEventSink sbuf_;
  std::unique_ptr<syncmap::SyncMap> smap_; // or the sync.Map
  syncmap::SyncEventSink ybuf_;
  std::unique_ptr<ShardSet> shards_; // or the sharded map's shards (their events go to buf_)
  std::unique_ptr<cow::CowMap> cow_; // or the copy-on-write map
  std::vector<std::pair<KeyValue, int64_t>> initialContents_;
  Hmap startHeader_{};
  AnyMap::Memory startMemory_{};
  std::any startSnap_;
  EventBuffer buf_;
  uint64_t pauseMask_ = 0;

  std::vector<G> gs_;
  SyncModel sync_;
  std::vector<OpRecord> history_;
  std::vector<TraceEntry> trace_;
  std::vector<uint8_t> schedule_;
  uint64_t steps_ = 0;
  Ending end_;
  Footprint fp_;
  bool aliasing_ = false;
  bool hasGc_ = false;  // a goroutine runs gc (sync.Map): every step writes smfp::kStacks
  bool trackFp_ = true; // after mapclear, pool buckets may be reused under stale pointers
};

struct World::Checkpoint {
  std::any map;
  std::vector<std::size_t> pc;
  std::vector<uint8_t> done;
  std::vector<uint64_t> gsteps;
  SyncModel sync;
  std::size_t history = 0, trace = 0;
  uint64_t steps = 0;
  bool aliasing = false;
};

} // namespace gomap::race
