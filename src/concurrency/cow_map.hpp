// Copy-on-write maps (issue 12, lesson L9): an immutable map published
// through an atomic word, written by copying the published version,
// inserting into the copy and publishing the copy. Four variants a race
// scenario's map section chooses with `make cow VARIANT string|int64`:
//
//   ptrcas      atomic.Pointer[map[K]int] and a CAS loop: p := c.p.Load(); copy;
//               insert; c.p.CompareAndSwap(p, &copy), on failure retry from the Load.
//               CompareAndSwap compares pointers (sync/atomic/type.go:59-61).
//   valuestore  the shape of Go's own DeepCopyMap: writers Lock a sync.Mutex (gosync's
//               Mutex model, the same one sync.Map's m.mu uses), Load, copy, insert,
//               atomic.Value.Store, Unlock; readers Value.Load with no lock.
//   valuecas    atomic.Value.CompareAndSwap(old, new) on maps: on an empty Value it
//               succeeds when old is nil, with no comparison (value.go:147-164);
//               otherwise it compares the interfaces (value.go:185), and a map type
//               is not comparable: panic "runtime error: comparing uncomparable type
//               map[string]int" (a recoverable panic, checked on the real runtime).
//   ptrstore    BROKEN: atomic.Pointer with Store instead of the CAS: two writers that
//               both loaded the same version lose one of their keys.
//   inplace     BROKEN: no copy and no CAS: p := c.p.Load(); (*p)[k] = v (cow.go:124-127).
//               The published map is written in place, so it is not a version at all:
//               the scenario runs on a REAL classic engine map (World's classic map,
//               hashWriting checks live, statement or memory granularity) and two
//               writers die with the engine's own "concurrent map writes". This model
//               (CowMap) never runs it; see isInPlace and cow_scenario.hpp.
//
// Every atomic operation, the copy and the insert are separate steps. The Go
// code they mirror is real: tests/concurrency/cow_go/cow.go (the user program
// patterns, built and run by the tests) and Go 1.19's sync/atomic.
//
// The model has no I/O and no events buffer: the World takes one step of a
// goroutine's run at a time and records the returned CowEvent.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/keys.hpp"

namespace gomap::race::cow {

enum class Variant : uint8_t { PtrCas, ValueStore, ValueCas, PtrStore, InPlace };
inline constexpr std::string_view kVariantList = "ptrcas, valuestore, valuecas, ptrstore or inplace";
std::string_view variantName(Variant v);
std::optional<Variant> parseVariant(std::string_view s);
// The variant's writers take the scenario's extra mutex c.mu (valuestore).
inline bool usesMutex(Variant v) { return v == Variant::ValueStore; }
// The variant writes the loaded map in place: its race runs on a classic engine map, not on CowMap.
inline bool isInPlace(Variant v) { return v == Variant::InPlace; }
// cow.go's lines of InPlace: Store's p := c.p.Load() and (*p)[k] = v, Load's p := c.p.Load() and (*p)[k].
inline constexpr int kInPlaceStoreLoadLine = 125, kInPlaceStoreWriteLine = 126;
inline constexpr int kInPlaceLoadLoadLine = 130, kInPlaceLoadReadLine = 131;

// A key order for versions (strings by bytes, int64 by value).
struct KeyLess {
  bool operator()(const KeyValue& a, const KeyValue& b) const;
};

// An immutable map with an identity (#1, #2, ...): a version is never written
// after a writer made and filled it.
struct Version {
  uint32_t id = 0;
  std::map<KeyValue, int64_t, KeyLess> m;
};
using VersionRef = std::shared_ptr<const Version>;

// Where a step stands: the statement it ran.
enum class Site : uint8_t {
  PtrLoad,    // old := c.p.Load()                          sync/atomic/type.go:50
  Copy,       // m := make(...); for k2, v2 := range old     cow.go:14 (copyWith)
  Insert,     // m[k] = v                                    cow.go:18 (copyWith)
  PtrCas,     // c.p.CompareAndSwap(old, &m)                 sync/atomic/type.go:60
  PtrStore,   // c.p.Store(&m)                               sync/atomic/type.go:53
  MuLock,     // c.mu.Lock()                                 cow.go:77 (gosync's Mutex steps)
  ValueLoad,  // c.clean.Load() / c.v.Load()                 sync/atomic/value.go:30-35
  ValueStore, // c.clean.Store(m)                            sync/atomic/value.go:60-66 / 80
  MuUnlock,   // c.mu.Unlock()                               cow.go:81
  ValueCas,   // c.v.CompareAndSwap(old, m)                  sync/atomic/value.go:147-188
  Lookup,     // v, ok := m[k] in the version loaded         cow.go:43 / 64 / 86 / 108
  kCount
};
struct SiteInfo {
  std::string_view function; // Go's name for it
  std::string_view file;     // "sync/atomic/type.go", "cow.go" (tests/concurrency/cow_go/cow.go)
  int line = 0;
  std::string_view what;
};
// The site's Go function, file and line for a variant and method (the user
// program's line where the site is a sync/atomic call: callerLine).
SiteInfo siteInfo(Site s, Variant v, bool store);
// The line of cow.go that calls the sync/atomic function of site s (0: s is in cow.go itself).
int callerLine(Site s, Variant v, bool store);
std::string_view siteName(Site s);
// The site loads, CASes or stores the atomic word (the Pointer or the Value).
bool readsWord(Site s);

// What one step did.
struct CowEvent {
  Site site = Site::PtrLoad;
  bool swapped = false;   // PtrCas / ValueCas
  bool retry = false;     // a failed CAS: the loop goes back to the Load
  bool found = false;     // Lookup
  bool panics = false;    // ValueCas compared two maps
  bool ends = false;      // the method returned (or panicked) in this step
  uint32_t held = 0;      // the version the goroutine holds after the step (0: nil / none)
  uint32_t made = 0;      // its copy (Copy, Insert, publishing steps)
  uint32_t published = 0; // the published version after the step (0: empty Value), on the steps that
                          // read or write the atomic word only (readsWord)
  uint32_t entries = 0;   // entries of the version the step made or read
  int64_t value = 0;      // Lookup's value
};
static_assert(sizeof(CowEvent) <= 32, "a trace entry carries one");

// The panic text of comparing two maps (checked against the real Go 1.19 runtime).
std::string uncomparablePanic(KeyKind k);

class CowMap;

// One method call in flight: store K V or load K.
class Run {
public:
  bool store = false;
  KeyValue key;
  int64_t value = 0;
  // The method's state between steps.
  Site next = Site::PtrLoad;
  VersionRef held;  // the version it loaded (old), nil while it holds none
  bool heldLoaded = false;
  std::shared_ptr<Version> copy; // its copy (private until published)
  uint32_t retries = 0;
  bool done = false;
  bool found = false;
  int64_t result = 0;
};

class CowMap {
public:
  CowMap(Variant v, KeyKind k) : variant_(v), kind_(k) {}
  Variant variant() const { return variant_; }
  KeyKind kind() const { return kind_; }

  // The constructor: ptr variants publish a version (#1) holding the initial
  // entries (none: an empty map, as NewPtrCas does); value variants publish one
  // only if there are entries (c.v.Store(initial)), else the Value stays empty.
  void init(const std::vector<std::pair<KeyValue, int64_t>>& entries);

  Run start(bool store, const KeyValue& k, int64_t v) const;
  // The first site of run r's next step is MuLock: the World takes c.mu with
  // gosync, then calls lockTaken(r).
  bool atLock(const Run& r) const { return !r.done && r.next == Site::MuLock; }
  void lockTaken(Run& r) const;
  // One step of r (not at MuLock). The World records the event; ends says whether the method returned.
  CowEvent step(Run& r);

  const VersionRef& published() const { return published_; }
  uint32_t versionsMade() const { return nextId_ - 1; }
  uint64_t casFailures() const { return casFailures_; }

  // The state between steps: what checkpoints keep (no run is in flight then).
  struct Snapshot {
    VersionRef published;
    uint32_t nextId = 1;
    uint64_t casFailures = 0;
  };
  Snapshot snapshot() const { return {published_, nextId_, casFailures_}; }
  void restore(const Snapshot& s) {
    published_ = s.published;
    nextId_ = s.nextId;
    casFailures_ = s.casFailures;
  }

private:
  Variant variant_;
  KeyKind kind_;
  VersionRef published_;
  uint32_t nextId_ = 1;
  uint64_t casFailures_ = 0;
};

// JSON of a version ({"id":N,"m":{...}}) and of the map's state for --states:
// ,"cow":{"variant":...,"published":{...}|null,"versionsMade":N,"casFailures":N,"held":[...]}
void appendVersionJson(std::string& out, const Version* v);
struct HeldBy {
  int g = 0;
  const Run* run = nullptr;
};
// A trace entry's fields (docs/formats.md): {"i":I,"op":N,"kind":"cow","site":...,"fn":...,"file":...,"line":...,...}
void appendCowEventJson(std::string& out, const CowEvent& e, Variant v, bool store, uint64_t index, uint64_t opIndex);
void appendCowState(std::string& out, const CowMap& m, const std::vector<HeldBy>& runs);

} // namespace gomap::race::cow
