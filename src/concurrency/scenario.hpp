// Race scenarios: one map, several simulated goroutines, a schedule.
//
// A scenario file is plain UTF-8 text, one directive per line, '#' comments,
// indentation ignored. docs/concurrency.md is the full reference; in short:
//
//   gomaplab-race 1                      first directive: format name + version
//   title en|zh TEXT                     one line per language
//   narration en|zh TEXT                 repeated lines are joined with '\n'
//   map                                  op-script lines until the next section:
//     make int64 0 / hashmode identity / put 1 10 / ...   (run before any goroutine)
//   goroutine N                          N = 1, 2, ... in order; its program follows:
//     defer recover                      (first line only) recover panics, like
//                                        defer func() { recover() }()
//     put KEY VAL | del KEY | get KEY | iter | clear
//     store K V | load K | loadorstore K V | loadanddelete K | delete K | range [N]
//                                        (sync.Map's methods, after 'make syncmap KIND')
//     store K V | load K | delete K      (on N RWMutex-protected shards, after 'make sharded N KIND';
//                                        lock|rlock|unlock|runlock shard(K) / shard S lock one: sharded_map.hpp)
//     store K V | load K                 (a copy-on-write map's, after 'make cow VARIANT KIND':
//                                        cow_map.hpp, cow_scenario.hpp; 'make cow inplace KIND'
//                                        runs them as put / get on a classic map)
//     lock MU | unlock MU | rlock MU | runlock MU
//     for i in A..B: STMT [; STMT ...]   keys/values may use i: i, i+1000, 2*i, k{i}
//   granularity statement|memory
//   schedule roundrobin [QUANTUM] | random SEED | manual | STEPS [then roundrobin|random SEED]
//     STEPS: goroutine numbers, one per step: 1 1 2 or 1x2 2 (G1 twice, then G2);
//     N* runs GN until it finishes or blocks
//   expect clean | fatal G MESSAGE | panic G MESSAGE | corrupt [KIND ...] | deadlock
//
// Errors are reported as FILE:LINE:COL: what was expected.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concurrency/cow_map.hpp"
#include "engine/keys.hpp"
#include "trace/opscript.hpp"

namespace gomap::race {

inline constexpr int kScenarioVersion = 1;
inline constexpr int kMaxGoroutines = 8;

enum class Granularity : uint8_t {
  Statement, // a step is one engine event; h.flags ^= hashWriting is one atomic step
  Memory,    // the flags read-modify-write is split into its load and its store
};
std::string_view granularityName(Granularity g);
// A Swiss map's race runs at statement granularity only.
inline constexpr std::string_view kSwissMemoryGranularity =
    "expected 'granularity statement' for a Swiss map: its m.writing ^= 1 is one step in this model (memory "
    "granularity splits only the classic map's flags update into its load and its store)";

// A sync.Map's race runs at statement granularity only.
inline constexpr std::string_view kSyncMapMemoryGranularity =
    "expected 'granularity statement' for a sync.Map: each of its atomic loads, CASes and locked steps is already one "
    "step (memory granularity splits only the classic map's flags update into its load and its store)";

// The pause mask (bit k = pause at EventKind k) of a granularity.
uint64_t pauseMaskFor(Granularity g);

// One statement of a goroutine's program (loops are unrolled when parsed).
struct Instr {
  // SyncMap: a sync.Map method (syncOp says which), on a map made by 'make syncmap'.
  // Gc: runtime.GC() on a sync.Map's heap (its roots: read, dirty and every goroutine's stack).
  enum class Kind : uint8_t { Put, Del, Get, Iter, Clear, Lock, Unlock, RLock, RUnlock, SyncMap, Gc };
  Kind kind = Kind::Get;
  KeyValue key;
  int64_t value = 0;
  int mutex = -1;      // index into Scenario::mutexes
  int line = 0;        // source line and column of the statement
  int column = 0;
  std::string text;    // as run: "put 5 50" (loop variables substituted)
  std::string loopVar; // "i=5" inside an unrolled loop, else empty
  syncmap::SyncOpCode syncOp = syncmap::SyncOpCode::Load; // SyncMap
  int64_t limit = 0;   // SyncMap range N: f returns false after its Nth call (0: never)
  int shard = -1;      // a sharded map's put/get/del: the shard whose map it runs on (sharded_map.hpp)
  bool isMapOp() const { return kind <= Kind::Clear || kind == Kind::SyncMap; }
};
std::string_view instrKindName(Instr::Kind k);
// The engine request of a map statement (put, del, get, iter, clear), made by
// the op language's requestOf; throws std::logic_error for lock/unlock.
OpRequest requestOf(const Instr& in);
// The sync.Map request of a SyncMap statement.
syncmap::SyncRequest syncRequestOf(const Instr& in);

struct Program {
  int line = 0; // the 'goroutine N' line
  bool recoverPanics = false;
  std::vector<Instr> code;
};

struct MutexDecl {
  std::string name;
  bool rw = false; // sync.RWMutex (rlock/runlock used on it), else sync.Mutex
};

// How the next goroutine to step is chosen.
struct ScheduleSpec {
  enum class Kind : uint8_t { RoundRobin, Random, Manual, Steps };
  Kind kind = Kind::RoundRobin;
  uint64_t quantum = 1;    // round-robin: steps per turn
  uint64_t seed = 0;       // random
  std::vector<uint8_t> steps; // Steps: goroutine number per step (| kUntilBlocked: N*)
  // After the listed steps run out: stop (Manual), or continue round-robin / random.
  Kind then = Kind::Manual;
  uint64_t thenQuantum = 1;
  uint64_t thenSeed = 0;
};

// A listed step "N*": goroutine N, again and again until it finishes or blocks.
inline constexpr uint8_t kUntilBlocked = 0x80;
// "1 1 2" -> {1,1,2}; accepts N, gN, GN, NxK and N*. Errors name the 1-based column.
bool parseSteps(std::string_view text, std::vector<uint8_t>& out, std::string& why, int& column);
// {1,1,1,2} -> "1x3 2"
std::string formatSteps(const std::vector<uint8_t>& steps);
// The text of a whole schedule line's argument ("roundrobin 2", "1x3 2 then random 7", ...).
std::string formatSchedule(const ScheduleSpec& s);
// Parses the argument of a schedule line or of --schedule. column is 1-based in text.
bool parseSchedule(std::string_view text, ScheduleSpec& out, std::string& why, int& column);

// What a lesson expects to happen (checked by `gomaplab race` and the tests).
struct Expectation {
  enum class Kind : uint8_t { Clean, Fatal, Panic, Corrupt, Deadlock };
  Kind kind = Kind::Clean;
  int goroutine = 0;
  std::string message;
  std::vector<std::string> corruptKinds; // corruption kinds that must all be present
  int line = 0;
  int column = 0; // of the goroutine number
};

struct Scenario {
  std::string file;
  int version = kScenarioVersion;
  std::string title[2];     // [0] English, [1] Simplified Chinese
  std::string narration[2];
  std::vector<ScriptOp> setup; // the map section, as op-script ops
  KeyKind kind = KeyKind::Int64;
  bool nilMap = false;
  bool swiss = false; // the map section makes a Swiss map (make swiss / nil swiss)
  bool syncmap = false; // the map section makes a sync.Map (make syncmap KIND)
  int shards = 0; // the map section makes a sharded map (make sharded N KIND): N; its RWMutexes are mutexes 0..N-1
  bool cow = false;     // the map section makes a copy-on-write map (make cow VARIANT KIND)
  cow::Variant cowVariant = cow::Variant::PtrCas;
  std::vector<Program> programs; // programs[0] is G1
  std::vector<MutexDecl> mutexes;
  Granularity granularity = Granularity::Statement;
  ScheduleSpec schedule;
  std::optional<Expectation> expect;
  // Source lines of the map and goroutine sections, kept verbatim so that a
  // recorded session can be written back without reformatting the programs.
  std::vector<std::string> mapLines;
  std::vector<std::vector<std::string>> programLines;
};

// The op language's one error type: FILE:LINE:COL: message.
using ScenarioError = SourceError;

// Parses a scenario; nullopt with err set on the first error.
std::optional<Scenario> parseScenario(std::string_view text, const std::string& file, ScenarioError& err);
// Reads and parses a file ("-": standard input).
std::optional<Scenario> loadScenario(const std::string& path, ScenarioError& err);
// Writes a scenario back as text (same directives; the map and programs verbatim).
std::string writeScenario(const Scenario& s);

} // namespace gomap::race
