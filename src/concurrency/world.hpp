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
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concurrency/scenario.hpp"
#include "engine/any_map.hpp"

namespace gomap::race {

// One entry of a run's trace: an engine event, or a sync operation.
struct TraceEntry {
  enum class Source : uint8_t { Engine, Sync };
  enum class SyncKind : uint8_t { Lock, Unlock, RLock, RUnlock };
  Event ev{};         // Engine: the event as the map emitted it
  uint32_t step = 0;  // scheduling step (0-based) in which it happened
  uint8_t g = 0;      // goroutine number (1-based)
  Source source = Source::Engine;
  SyncKind sync = SyncKind::Lock;
  uint8_t mutex = 0;  // Sync: index into Scenario::mutexes
  uint32_t op = 0;    // Engine: the op (index into World::history() + 1)
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
  Event at{};            // the engine event at which it died (engine fatals and panics)
  bool hasEvent = false;
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
  Event event{};                // the event it is paused at
  std::string_view function;    // runtime function of that event (siteInfo(event.site).function)
  int goLine = 0;               // map.go line of that event
  std::string_view what;        // the source line's description
  int waitingMutex = -1;        // Blocked: the mutex it waits for
  bool holdsLoadedFlags = false; // memory level: between the flags load and its store
  uint8_t loadedFlags = 0;      //   the value it loaded (and will XOR / AND NOT, then store)
  uint64_t steps = 0;           // steps this goroutine has taken
};

// What one step touched, for partial-order reduction: bit sets of shared
// objects read and written. Objects: the flags byte, count, hash0, the rest of
// the header (B, buckets, oldbuckets, nevacuate, noverflow, extra), the fastrand
// state, each mutex, and the bucket chains by bucket index (every array's chain
// k is one object, so a goroutine holding a stale array is still in conflict).
// Two steps of different goroutines are independent when neither writes what
// the other reads or writes; a step that ends the program conflicts with all.
struct Footprint {
  uint64_t r = 0, w = 0;
  static constexpr uint64_t kFlags = 1, kCount = 2, kHash0 = 4, kHeader = 8, kRng = 16;
  static constexpr int kMutexBit = 5, kMutexBits = 8, kChainBit = 13, kChainBits = 51;
  static constexpr uint64_t kAllChains = ~uint64_t{0} << kChainBit;
  static uint64_t mutex(int m) { return uint64_t{1} << (kMutexBit + m % kMutexBits); }
  static uint64_t chain(uint64_t k) { return uint64_t{1} << (kChainBit + k % kChainBits); }
  static Footprint all() { return {~uint64_t{0}, ~uint64_t{0}}; }
  Footprint& operator|=(const Footprint& o) {
    r |= o.r;
    w |= o.w;
    return *this;
  }
};
inline bool independent(const Footprint& a, const Footprint& b) {
  return (a.w & (b.r | b.w)) == 0 && (b.w & (a.r | a.w)) == 0;
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
  // The exploration step: like step(), but starting a map operation (a step
  // that touches no shared state) is fused with the operation's first real step.
  bool stepFused(int g);
  // What the last step() or stepFused() touched.
  const Footprint& lastFootprint() const { return fp_; }

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
  const AnyMap& map() const { return *map_; }
  GoroutineView view(int g) const;
  // Mutex state, for views: holder goroutine (0 = none) and reader count.
  int mutexWriter(int m) const { return mutexes_[m].writer; }
  int mutexReaders(int m) const { return mutexes_[m].readers; }

  // Live cells right after the map section (the sequential model starts there).
  const std::vector<std::pair<KeyValue, int64_t>>& initialContents() const { return initialContents_; }

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
    uint32_t lastChain = 0; // bucket index of its last event with a cell location
    uint32_t evacOld = 0;   // old bucket it is evacuating
  };
  struct MutexState {
    int writer = 0;  // goroutine holding the (write) lock, 0 if none
    int readers = 0; // RWMutex readers
  };

  void setupMap();
  bool blockedOn(int g, int& mutex) const;
  void engineStep(int g);
  void syncStep(int g);
  void finishOp(int g);
  void afterStep(int g);
  void die(Ending e);
  void destroyRuns();
  void addFootprint(G& gr, const Event& e);

  Scenario sc_;
  WorldOptions opts_;
  std::shared_ptr<StringPool> strings_;
  std::unique_ptr<AnyMap> map_;
  std::vector<std::pair<KeyValue, int64_t>> initialContents_;
  std::any startSnap_;
  EventBuffer buf_;
  uint64_t pauseMask_ = 0;

  std::vector<G> gs_;
  std::vector<MutexState> mutexes_;
  std::vector<OpRecord> history_;
  std::vector<TraceEntry> trace_;
  std::vector<uint8_t> schedule_;
  uint64_t steps_ = 0;
  Ending end_;
  Footprint fp_;
  bool aliasing_ = false; // after mapclear, pool buckets may be reused under stale pointers
};

struct World::Checkpoint {
  std::any map;
  std::vector<std::size_t> pc;
  std::vector<uint8_t> done;
  std::vector<uint64_t> gsteps;
  std::vector<MutexState> mutexes;
  std::size_t history = 0, trace = 0;
  uint64_t steps = 0;
  bool aliasing = false;
};

} // namespace gomap::race
