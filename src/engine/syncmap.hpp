// Go 1.19.8's sync.Map (sync/map.go), sequential: one goroutine, so mu is
// never contended. Read it with syncmap-spec.md and map.go open beside it;
// "M:L" is a line of sync/map.go.
//
// What it holds, as the runtime does (spec 0):
//  - mu: the Mutex's state word and sema (state 1 while held);
//  - read: the published readOnly {m, amended}, or none (a zero Map, spec
//    0.4). Every read.Store publishes a new readOnly object with a new
//    identity; the m inside is shared (a Store of {m: read.m, amended: true}
//    reuses it; a promotion publishes dirty itself as the new m);
//  - dirty: a map of key -> entry, or nil;
//  - misses: a plain int, touched only with mu held;
//  - entries shared between read.m and dirty: p is a value cell (with its own
//    identity: cells are immutable, a store swaps in a new cell), nil, or
//    expunged.
// Identities count from 1 in creation order, one sequence per kind (readOnly,
// entry, cell), never reused: the numbering of the oracle's JSON contract
// (docs/formats.md, "sync.Map JSON").
//
// Go's map iteration order is random (and so the order of dirtyLocked's
// expunges and of Range's calls): here it is the keys' sorted order rotated
// by one draw of the engine's seeded fastrand, per iteration, as Go's own
// iterator starts at a fastrand-chosen bucket. It is repeatable for a seed,
// not Go's actual order (which nobody outside the process can know).
//
// The heap (issue 12 section 1, spec 5 and 10.3): the objects sync.Map's own
// code allocates are counted where the method allocates them (syncmap_ops.inc),
// per kind (HeapKind): a readOnly box per read.Store, an entry and its cell per
// newEntry, the escaped `value` cell of every Store (M:L144), tryLoadOrStore's
// copy (M:L259), and the int64 box the call's conversion to `any` makes for a
// value outside 0..255 (convT64; 0..255 point into runtime.staticuint64s).
// The Go maps themselves (dirty's hmap, buckets, overflow buckets, growth) are
// not modelled, so not counted. gc() marks from the roots (read and dirty) and
// frees the rest, counting frees per kind; keys are not heap objects here.
//
// The methods are written once in syncmap_ops.inc and compiled into a
// resumable form (coroutines that can pause at any event) and a direct form
// (plain calls) through the stepping core (stepping.hpp), like the Swiss map.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/coro.hpp"
#include "engine/fastrand.hpp"
#include "engine/keys.hpp"
#include "engine/stepping.hpp"
#include "engine/syncmap_events.hpp"

namespace gomap::syncmap {

// Keys of one map have one kind: int64 compare as numbers, strings by bytes.
struct KeyLess {
  bool operator()(const KeyValue& a, const KeyValue& b) const {
    if (a.kind == KeyKind::String) return a.s < b.s; // char_traits<char>: unsigned bytes
    return a.i < b.i;
  }
};

// An entry (M:L80): its identity and the word p.
struct Entry {
  uint32_t id = 0;
  PState p = PState::Nil;
  uint32_t cell = 0; // the value cell p points at (p == Value)
  int64_t value = 0; // the int64 boxed in that cell
  uint32_t box = 0;  // the heap box that cell's interface points at (0: none, a value in 0..255)
};
using EntryRef = std::shared_ptr<Entry>;
using KeyMap = std::map<KeyValue, EntryRef, KeyLess>;
using KeyMapRef = std::shared_ptr<KeyMap>;

// A readOnly (M:L70), immutable once published.
struct ReadOnly {
  uint32_t id = 0;
  KeyMapRef m; // null: a nil map
  bool amended = false;
};
using ReadOnlyRef = std::shared_ptr<const ReadOnly>;

// The kinds of heap objects the model counts (see the file comment).
enum class HeapKind : uint8_t { ReadOnly, Entry, Cell, Box };
inline constexpr int kHeapKinds = 4;
inline constexpr const char* heapKindName(HeapKind k) {
  constexpr const char* names[kHeapKinds] = {"readonly", "entry", "cell", "box"};
  return names[static_cast<int>(k)];
}
struct HeapCounts {
  uint64_t n[kHeapKinds] = {};
  uint64_t& operator[](HeapKind k) { return n[static_cast<int>(k)]; }
  uint64_t operator[](HeapKind k) const { return n[static_cast<int>(k)]; }
  uint64_t total() const { return n[0] + n[1] + n[2] + n[3]; }
};
// A value cell a method holds on its stack (a root of gc while it is held):
// its identity (0: allocated, not numbered yet: a Store's &value before it is
// stored) and the box its interface points at (0: none).
struct HeldCell {
  bool present = false;
  uint32_t id = 0;
  uint32_t box = 0;
};
// What a method in flight holds on its goroutine's stack: gc's roots besides
// read and dirty (issue 12, spec 10.3). The method's own locals, pointed at
// while they are in scope (the coroutine's frame does not move):
//  - read: its `read` local. `m.read.Load().(readOnly)` copies the struct
//    {m, amended} onto the stack, so the stack holds that m and its entries
//    (maybe no longer published), not the readOnly box itself;
//  - e, d: the entry it works on (found in read.m or dirty, or removed from
//    dirty by LoadAndDelete);
//  - own: Store's escaped `value` (M:L144) until the method returns;
//  - copy: tryLoadOrStore's `ic` (M:L259) until it returns;
//  - loaded: the cell a CAS loop loaded from p and will compare against or
//    read through after a pause (tryStore, tryLoadOrStore, entry.delete;
//    e.load reads through p in the step that loads it, so holds nothing);
//  - box: the call's own conversion to `any` (LoadOrStore's, which makes no
//    cell of its own until newEntry).
// A local counts while it is in scope. Go's compiler may end a local's
// liveness earlier (a Load's read.m is dead after its lookup), so the model's
// reachable set is an upper bound of what the real collector keeps mid-method;
// between methods the two agree (tests/oracle-syncmap). Values a method has
// returned to the goroutine's script are not roots: a scenario's goroutines
// keep ints, not interfaces.
struct Held {
  const ReadOnlyRef* read = nullptr;
  const std::shared_ptr<Entry>* e = nullptr;
  const std::shared_ptr<Entry>* d = nullptr;
  HeldCell own, copy, loaded;
  uint32_t box = 0;
};

// Whether passing v as `any` allocates a box (runtime.convT64: values below
// len(staticuint64s) = 256, as uint64, point into a static array).
inline constexpr bool valueBoxes(int64_t v) { return static_cast<uint64_t>(v) >= 256; }

// sync.Mutex's two words (MU:L25).
struct MutexWords {
  int32_t state = 0;
  uint32_t sema = 0;
};

// What a method returned.
struct SyncResult {
  bool ok = false; // Load: ok; LoadOrStore, LoadAndDelete: loaded
  bool hasValue = false;
  int64_t value = 0;
  std::vector<std::pair<KeyValue, int64_t>> visited; // Range: f's calls, in order
};

enum class SyncOpCode : uint8_t { Load, Store, LoadOrStore, LoadAndDelete, Delete, Range };
struct SyncRequest {
  SyncOpCode code = SyncOpCode::Load;
  KeyValue key;
  int64_t value = 0;
  int64_t limit = 0; // Range: f returns false after its limit-th call (0: never)
};

class SyncMap;

// A started method, stepped one pause at a time (the resumable form). It owns
// the request (the coroutine refers to its key) and the result.
class SyncRun {
public:
  SyncRun(SyncMap& m, const SyncRequest& r);
  bool step(); // false once the method has returned
  bool done() const { return task_.done(); }
  // What the method holds on its stack now (all empty once it has returned).
  const Held& held() const { return held_; }
  OpResult result();
  const SyncRequest& request() const { return req_; }
  SyncResult out;

private:
  SyncMap& map_;
  SyncRequest req_;
  Held held_;
  Task<void> task_;
  Cursor cursor_;
};

class SyncMap : public SteppingCore<SyncEvent, SyncEventSink> {
  using Core = SteppingCore<SyncEvent, SyncEventSink>;
  using OpScope = Core::OpScope<SyncMap>;
  friend Core;
  friend class SyncRun;

public:
  explicit SyncMap(KeyKind kind = KeyKind::String, uint64_t rngSeed = 0) : kind_(kind), rng_(rngSeed) {}

  KeyKind kind() const { return kind_; }
  void setEventSink(SyncEventSink* s) { setEventBuffer(s); }
  uint64_t rngState() const { return rng_.state(); }
  void setRngState(uint64_t s) { rng_.reseed(s); }

  // Runs a method to completion (the direct form).
  OpResult apply(const SyncRequest& r, SyncResult& out);
  // Starts a method for stepping (the resumable form); events of the kinds in
  // the pause mask park it (setPauseMask).
  std::unique_ptr<SyncRun> start(const SyncRequest& r);

  // State, between methods.
  const MutexWords& mu() const { return mu_; }
  const ReadOnly* read() const { return read_.get(); }
  const KeyMap* dirty() const { return dirty_.get(); }
  int64_t misses() const { return misses_; }
  // The counts of objects made so far (the last identity given).
  uint32_t readOnlyCount() const { return lastReadOnly_; }
  uint32_t entryCount() const { return lastEntry_; }
  uint32_t cellCount() const { return lastCell_; }
  // The heap (see the file comment). allocs/frees: since make; opAllocs:
  // since the last method began (or the last gc); opFrees: by the last gc
  // (zero after any other op). live = allocs - frees, reachable ones included.
  const HeapCounts& allocs() const { return allocs_; }
  const HeapCounts& frees() const { return frees_; }
  const HeapCounts& opAllocs() const { return opAllocs_; }
  const HeapCounts& opFrees() const { return opFrees_; }
  HeapCounts live() const;
  // What the roots reach: read and dirty (the current readOnly, the entries
  // of read.m and dirty, each once), and what the methods in flight hold on
  // their stacks (stacks: their runs' held(); the m of a readOnly no longer
  // published, an entry removed from dirty, cells not stored yet or replaced
  // since they were loaded); cells once each, boxes once each (a Store's
  // &value and newEntry's copy share the call's box).
  HeapCounts reachable(std::span<const Held* const> stacks = {}) const;
  // The readOnly publications, other than read, whose {m, amended} a stack
  // holds a copy of (a goroutine still reading an older m), each once.
  std::vector<const ReadOnly*> heldReadOnly(std::span<const Held* const> stacks) const;
  // runtime.GC(): frees every counted object the roots do not reach. stacks
  // must hold every method in flight (a race's goroutines': World passes
  // them); with fewer it refuses (false), as it cannot see their locals.
  bool gc(std::span<const Held* const> stacks = {});
  // An op that runs no method (dump, rngseed): it allocated and freed nothing.
  void clearOpCounts() { opAllocs_ = {}, opFrees_ = {}; }
  // The spec's invariants (section 1), as text; empty when they hold.
  std::vector<std::string> checkInvariants() const;

  // Go's map iteration order for one range over m (see the file comment).
  std::vector<std::pair<KeyValue, EntryRef>> goOrder(const KeyMap* m);

  // For drivers that run several goroutines on one map (race scenarios,
  // concurrency/world.cpp): there mu is contended and its wait queue is the
  // driver's (gosync's Mutex model). With the gate on, the resumable form
  // pauses right before each m.mu.Lock(), recording no event, and sets
  // lockPending (takeLockPending reads and clears it); the driver resumes the
  // method once its Lock step has taken mu. setMu mirrors the driver's state
  // word into mu (the dump's "mu").
  void setLockGate(bool on) { lockGate_ = on; }
  bool takeLockPending() {
    const bool p = lockPending_;
    lockPending_ = false;
    return p;
  }
  void setMu(const MutexWords& w) { mu_ = w; }
  // The whole state between methods, entries shared between read.m and dirty
  // copied once (restore needs no method in flight).
  struct Snapshot;
  std::shared_ptr<const Snapshot> snapshot() const;
  void restore(const Snapshot& s);

private:
#define GOMAP_SYNC_DECL(ret, name, ...)                                                                                \
  Task<ret> name(__VA_ARGS__);                                                                                         \
  template <bool kRecord> ret name(Direct<kRecord> __VA_OPT__(, ) __VA_ARGS__);
  GOMAP_SYNC_DECL(void, Load, const KeyValue& key, SyncResult& out)
  GOMAP_SYNC_DECL(void, Store, const KeyValue& key, int64_t value)
  GOMAP_SYNC_DECL(void, LoadOrStore, const KeyValue& key, int64_t value, SyncResult& out)
  GOMAP_SYNC_DECL(void, LoadAndDelete, const KeyValue& key, SyncResult& out, bool isDelete)
  GOMAP_SYNC_DECL(void, Range, int64_t limit, SyncResult& out)
  // `site` (loadEntry, lock, unlock): kSite<S> for the site S the caller is at
  // (its type carries S, so the payload's type is checked at compile time).
  GOMAP_SYNC_DECL(void, loadEntry, const EntryRef& e, auto site, bool& ok, int64_t& value)
  GOMAP_SYNC_DECL(bool, tryStore, const EntryRef& e, uint32_t& cell, int64_t value, uint32_t box)
  GOMAP_SYNC_DECL(bool, unexpungeLocked, const EntryRef& e)
  GOMAP_SYNC_DECL(void, storeLocked, const EntryRef& e, uint32_t& cell, int64_t value, uint32_t box)
  GOMAP_SYNC_DECL(bool, tryLoadOrStore, const EntryRef& e, int64_t value, uint32_t box, SyncResult& out)
  GOMAP_SYNC_DECL(bool, deleteEntry, const EntryRef& e, SyncResult& out)
  GOMAP_SYNC_DECL(void, missLocked)
  GOMAP_SYNC_DECL(void, dirtyLocked)
  GOMAP_SYNC_DECL(bool, tryExpungeLocked, const EntryRef& e)
  GOMAP_SYNC_DECL(void, lock, auto site)
  GOMAP_SYNC_DECL(void, unlock, auto site)
#undef GOMAP_SYNC_DECL

  Task<void> taskOf(const SyncRequest& r, SyncResult& out);

  // m.read.Store(readOnly{m, amended}): a new object, a new identity.
  void publish(KeyMapRef m, bool amended) {
    alloc(HeapKind::ReadOnly); // the readOnly{...} boxed into the atomic.Value (spec 5.4)
    read_ = std::make_shared<const ReadOnly>(ReadOnly{++lastReadOnly_, std::move(m), amended});
  }
  // A lookup in a map that may be nil. A published read.m is never written
  // again (only its entries' p change), so lookups in the current one go
  // through a hash index built once per publication of a new m: a Load hit was
  // a walk down a tree of string compares, 2.5x Go's sync.Map
  // (bench/syncmap_vs_go.cpp). The index is a cache, not state: the tree stays
  // the map (its order is goOrder's), and any other map is searched directly.
  EntryRef lookup(const KeyMap* m, const KeyValue& k) const {
    if (!m) return nullptr;
    if (m->size() >= kIndexFrom && read_ && m == read_->m.get()) {
      if (indexOf_.get() != m) buildIndex();
      if (k.kind == KeyKind::String) {
        auto it = byString_.find(std::string_view(k.s));
        return it == byString_.end() ? nullptr : *it->second;
      }
      auto it = byInt_.find(k.i);
      return it == byInt_.end() ? nullptr : *it->second;
    }
    auto it = m->find(k);
    return it == m->end() ? nullptr : it->second;
  }
  static constexpr std::size_t kIndexFrom = 16;
  void buildIndex() const {
    indexOf_ = read_->m;
    byString_.clear();
    byInt_.clear();
    for (const auto& [key, e] : *indexOf_) {
      if (key.kind == KeyKind::String) byString_.emplace(std::string_view(key.s), &e);
      else byInt_.emplace(key.i, &e);
    }
  }
  static std::size_t lenOf(const KeyMap* m) { return m ? m->size() : 0; }
  uint32_t newCell() { return ++lastCell_; }
  // The box of a call's conversion of v to `any`, or 0 when it makes none.
  uint32_t boxOf(int64_t v) {
    if (!valueBoxes(v)) return 0;
    alloc(HeapKind::Box);
    return ++lastBox_;
  }
  // Marks a local of the running method as a root while it is in scope (see
  // Held). Inert in the direct form (held_ null) and for a run never stepped.
  struct HoldCell {
    HeldCell* slot = nullptr;
    HoldCell(Held* h, HeldCell Held::*which) : slot(h ? &(h->*which) : nullptr) {}
    HoldCell(const HoldCell&) = delete;
    HoldCell& operator=(const HoldCell&) = delete;
    ~HoldCell() { drop(); }
    void hold(uint32_t id, uint32_t box) {
      if (slot) *slot = HeldCell{true, id, box};
    }
    void drop() {
      if (slot) *slot = HeldCell{};
    }
    void number(uint32_t id) {
      if (slot) slot->id = id;
    }
  };
  // Store's &value numbered by the callee that stores it (tryStore, storeLocked).
  void numberOwn(uint32_t id) {
    if (held_ && held_->own.present) held_->own.id = id;
  }
  template <class T> struct HoldRef {
    const T** slot = nullptr;
    HoldRef(Held* h, const T* Held::*which, const T* local) {
      if (!h) return;
      slot = &(h->*which);
      *slot = local;
    }
    HoldRef(const HoldRef&) = delete;
    HoldRef& operator=(const HoldRef&) = delete;
    ~HoldRef() {
      if (slot) *slot = nullptr;
    }
  };
  // One heap object of kind k allocated by the method running.
  void alloc(HeapKind k) {
    allocs_[k]++;
    opAllocs_[k]++;
  }

  KeyKind kind_;
  FastRand rng_;
  MutexWords mu_;
  ReadOnlyRef read_; // null: read never stored (a zero Map)
  KeyMapRef dirty_;  // null: dirty is nil
  int64_t misses_ = 0;
  uint32_t lastReadOnly_ = 0, lastEntry_ = 0, lastCell_ = 0, lastBox_ = 0;
  Held* held_ = nullptr; // the stack of the run being stepped (SyncRun::step), null in the direct form
  bool lockGate_ = false, lockPending_ = false;
  // lookup's index of read.m (the map it pins), keyed into the tree's own nodes.
  mutable KeyMapRef indexOf_;
  mutable std::unordered_map<std::string_view, const EntryRef*> byString_;
  mutable std::unordered_map<int64_t, const EntryRef*> byInt_;
  HeapCounts allocs_, frees_, opAllocs_, opFrees_;
};

struct SyncMap::Snapshot {
  uint64_t rng = 0;
  MutexWords mu;
  std::optional<ReadOnly> read; // its m and dirty refer to the entries below
  KeyMapRef dirty;
  int64_t misses = 0;
  uint32_t lastReadOnly = 0, lastEntry = 0, lastCell = 0, lastBox = 0;
  HeapCounts allocs, frees, opAllocs, opFrees;
};

} // namespace gomap::syncmap
