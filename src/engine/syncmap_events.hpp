// Go 1.19.8's sync.Map (sync/map.go) as events: the same scheme as the Swiss
// map's swiss_events.hpp, in its own vocabulary. One record (SyncEvent), a
// kind table and a site table checked by static_assert. A site says which
// function of sync/map.go and which line (Go 1.19.8) the step mirrors; the
// `needle` is text found on that line, which a test checks against
// /usr/share/go-1.19/src/sync/map.go when it is present
// (tests/engine/syncmap_test.cpp, SyncSites).
//
// Every atomic load/CAS/store of read or of an entry's p, every lookup, and
// every step done with mu held is one event (syncmap-spec.md sections 2-3).
//
// The record is flat: what each field means depends on the kind (see
// SyncEvent). Adding a kind: an enumerator in SyncKind and a row in
// kSyncKindTable. Adding a site: an enumerator in SyncSite and a row in
// kSyncSiteTable, in the same order (the static_asserts check both).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/events.hpp" // Outcome

namespace gomap::syncmap {

enum class SyncKind : uint8_t {
  OpBegin,      // a method starts: op
  OpEnd,        // it returns: flag = ok/loaded, value
  ReadLoaded,   // [A] m.read.Load(): ro = the readOnly's identity (0: never stored), flag = amended
  ReadLookup,   // [I] read.m[key]: flag = found, entry
  DirtyLookup,  // [L] m.dirty[key]: flag = found, entry
  Locked,       // m.mu.Lock() (uncontended: state 0 -> 1)
  Unlocked,     // m.mu.Unlock() (state 1 -> 0)
  PLoaded,      // [A] atomic.LoadPointer(&e.p): entry, from = p's state, cell
  PCas,         // [A] CompareAndSwapPointer(&e.p, old, new): entry, from, to, flag = swapped, cell = new cell
  PStored,      // [A] storeLocked: entry, to = value, cell
  DirtyWritten, // [L] m.dirty[k] = e: entry
  DirtyDeleted, // [L] delete(m.dirty, key): entry (0 when absent)
  DirtyMade,    // [L] dirtyLocked: m.dirty = make(map, len(read.m)): n = the hint
  DirtyCleared, // [L] m.dirty = nil (a promotion); misses = 0
  ReadStored,   // [A] m.read.Store(readOnly{...}): ro = the new readOnly, flag = amended, n = len(m)
  EntryCreated, // newEntry(value): entry, cell, value
  MissCounted,  // [L] m.misses++: n = misses, n2 = len(dirty)
  RangeNext,    // for k, e := range read.m (Range or dirtyLocked): entry
  RangeCall,    // f(k, v) called by Range: entry, value, flag = f's result
  kCount
};
static_assert(static_cast<int>(SyncKind::kCount) <= 64, "pause masks have 64 bits");

enum class SyncOp : uint8_t { Load, Store, LoadOrStore, LoadAndDelete, Delete, Range };
// The three states of an entry's p (spec 0.3).
enum class PState : uint8_t { Value, Nil, Expunged };
constexpr std::string_view pStateName(PState p) {
  return p == PState::Value ? "value" : p == PState::Nil ? "nil" : "expunged";
}

struct SyncKindInfo {
  SyncKind kind;
  std::string_view name;
  std::string_view what;
};
inline constexpr std::array<SyncKindInfo, static_cast<std::size_t>(SyncKind::kCount)> kSyncKindTable{{
    {SyncKind::OpBegin, "op_begin", "a sync.Map method starts"},
    {SyncKind::OpEnd, "op_end", "the method returns"},
    {SyncKind::ReadLoaded, "read_loaded", "[A] m.read.Load(): the published readOnly"},
    {SyncKind::ReadLookup, "read_lookup", "[I] read.m[key] (immutable once published)"},
    {SyncKind::DirtyLookup, "dirty_lookup", "[L] m.dirty[key]"},
    {SyncKind::Locked, "locked", "m.mu.Lock()"},
    {SyncKind::Unlocked, "unlocked", "m.mu.Unlock()"},
    {SyncKind::PLoaded, "p_loaded", "[A] atomic.LoadPointer(&e.p)"},
    {SyncKind::PCas, "p_cas", "[A] atomic.CompareAndSwapPointer(&e.p, old, new)"},
    {SyncKind::PStored, "p_stored", "[A] atomic.StorePointer(&e.p, cell) (storeLocked)"},
    {SyncKind::DirtyWritten, "dirty_written", "[L] m.dirty[k] = e"},
    {SyncKind::DirtyDeleted, "dirty_deleted", "[L] delete(m.dirty, key)"},
    {SyncKind::DirtyMade, "dirty_made", "[L] m.dirty = make(map[any]*entry, len(read.m))"},
    {SyncKind::DirtyCleared, "dirty_cleared", "[L] m.dirty = nil, m.misses = 0 (promotion)"},
    {SyncKind::ReadStored, "read_stored", "[A] m.read.Store(readOnly{...}): a new readOnly published"},
    {SyncKind::EntryCreated, "entry_created", "newEntry(value): a new entry and its value cell"},
    {SyncKind::MissCounted, "miss_counted", "[L] m.misses++ (missLocked)"},
    {SyncKind::RangeNext, "range_next", "for k, e := range read.m (Go's random order)"},
    {SyncKind::RangeCall, "range_call", "Range calls f(k, v)"},
}};
constexpr bool syncKindTableInOrder() {
  for (std::size_t i = 0; i < kSyncKindTable.size(); i++)
    if (static_cast<std::size_t>(kSyncKindTable[i].kind) != i) return false;
  return true;
}
static_assert(syncKindTableInOrder(), "kSyncKindTable rows must follow SyncKind's order");

enum class SyncSite : uint16_t {
  None,
  // Load (M:L110-141)
  LoadBegin, LoadRead, LoadLookup, LoadLock, LoadReread, LoadRelookup, LoadDirty, LoadUnlock, LoadEndMissing,
  EntryLoad, LoadEnd,
  // Store, tryStore, unexpungeLocked, storeLocked (M:L144-202)
  StoreBegin, StoreRead, StoreLookup, TryStoreLoad, TryStoreCas, StoreEndFast, StoreLock, StoreReread,
  StoreRelookup, Unexpunge, StoreDirtyPut, StoreLocked, StoreDirtyLookup, StorePublish, StoreNewEntry, StoreUnlock,
  StoreEnd,
  // LoadOrStore, tryLoadOrStore (M:L207-272)
  LosBegin, LosRead, LosLookup, TlosLoad, TlosCas, TlosReload, LosEndFast, LosLock, LosReread, LosRelookup,
  LosDirtyPut, LosDirtyLookup, LosPublish, LosNewEntry, LosUnlock, LosEnd,
  // LoadAndDelete, Delete, entry.delete (M:L276-314)
  LadBegin, DeleteBegin, LadRead, LadLookup, LadLock, LadReread, LadRelookup, LadDirty, LadDirtyDelete, LadUnlock,
  LadEndMissing, DeleteLoad, DeleteCas, LadEnd,
  // Range (M:L327-358)
  RangeBegin, RangeRead, RangeLock, RangeReread, RangePublish, RangeDirtyNil, RangeUnlock, RangeNext, RangeLoad,
  RangeCall, RangeEnd,
  // missLocked (M:L360-368)
  MissCount, MissPublish, MissDirtyNil,
  // dirtyLocked, tryExpungeLocked (M:L370-393)
  DirtyRead, DirtyMake, DirtyNext, ExpungeLoad, ExpungeCas, ExpungeReload, DirtyCopy,
  kCount
};

struct SyncSiteInfo {
  SyncKind kind;
  std::string_view function;
  int line; // sync/map.go, Go 1.19.8
  std::string_view needle;
  std::string_view what;
};

// One row per SyncSite, in order. {kind, function, line, needle, what}
inline constexpr std::array<SyncSiteInfo, static_cast<std::size_t>(SyncSite::kCount)> kSyncSiteTable{{
    {SyncKind::OpBegin, "", 0, "", "none"},
    // Load
    {SyncKind::OpBegin, "Load", 110, "func (m *Map) Load(key any)", "m.Load(key)"},
    {SyncKind::ReadLoaded, "Load", 111, "read, _ := m.read.Load().(readOnly)", "read := m.read.Load()"},
    {SyncKind::ReadLookup, "Load", 112, "e, ok := read.m[key]", "e, ok := read.m[key]"},
    {SyncKind::Locked, "Load", 114, "m.mu.Lock()", "missing and amended: m.mu.Lock()"},
    {SyncKind::ReadLoaded, "Load", 118, "read, _ = m.read.Load().(readOnly)", "read reloaded under the lock"},
    {SyncKind::ReadLookup, "Load", 119, "e, ok = read.m[key]", "looked up again (a promotion may have happened)"},
    {SyncKind::DirtyLookup, "Load", 121, "e, ok = m.dirty[key]", "e, ok = m.dirty[key], then missLocked"},
    {SyncKind::Unlocked, "Load", 127, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncKind::OpEnd, "Load", 130, "return nil, false", "not found: (nil, false)"},
    {SyncKind::PLoaded, "entry.load", 136, "p := atomic.LoadPointer(&e.p)", "e.load: p := atomic.LoadPointer(&e.p)"},
    {SyncKind::OpEnd, "Load", 132, "return e.load()", "return e.load(): nil and expunged are (nil, false)"},
    // Store
    {SyncKind::OpBegin, "Store", 144, "func (m *Map) Store(key, value any)", "m.Store(key, value)"},
    {SyncKind::ReadLoaded, "Store", 145, "read, _ := m.read.Load().(readOnly)", "read := m.read.Load()"},
    {SyncKind::ReadLookup, "Store", 146, "if e, ok := read.m[key]; ok && e.tryStore(&value)", "e, ok := read.m[key]"},
    {SyncKind::PLoaded, "entry.tryStore", 179, "p := atomic.LoadPointer(&e.p)", "tryStore: p := atomic.LoadPointer(&e.p)"},
    {SyncKind::PCas, "entry.tryStore", 183, "if atomic.CompareAndSwapPointer(&e.p, p, unsafe.Pointer(i))",
     "tryStore: CAS p -> &value (no lock)"},
    {SyncKind::OpEnd, "Store", 147, "return", "stored lock-free"},
    {SyncKind::Locked, "Store", 150, "m.mu.Lock()", "m.mu.Lock()"},
    {SyncKind::ReadLoaded, "Store", 151, "read, _ = m.read.Load().(readOnly)", "read reloaded under the lock"},
    {SyncKind::ReadLookup, "Store", 152, "if e, ok := read.m[key]; ok {", "looked up again in read.m"},
    {SyncKind::PCas, "entry.unexpungeLocked", 194, "return atomic.CompareAndSwapPointer(&e.p, expunged, nil)",
     "unexpungeLocked: CAS expunged -> nil"},
    {SyncKind::DirtyWritten, "Store", 156, "m.dirty[key] = e", "was expunged: m.dirty[key] = e"},
    {SyncKind::PStored, "entry.storeLocked", 201, "atomic.StorePointer(&e.p, unsafe.Pointer(i))",
     "storeLocked: p = &value"},
    {SyncKind::DirtyLookup, "Store", 159, "} else if e, ok := m.dirty[key]; ok {", "e, ok := m.dirty[key] (no miss)"},
    {SyncKind::ReadStored, "Store", 166, "m.read.Store(readOnly{m: read.m, amended: true})",
     "the first new key: read = readOnly{m: read.m, amended: true}"},
    {SyncKind::EntryCreated, "Store", 168, "m.dirty[key] = newEntry(value)", "m.dirty[key] = newEntry(value)"},
    {SyncKind::Unlocked, "Store", 170, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncKind::OpEnd, "Store", 171, "}", "Store returns"},
    // LoadOrStore
    {SyncKind::OpBegin, "LoadOrStore", 207, "func (m *Map) LoadOrStore(key, value any)", "m.LoadOrStore(key, value)"},
    {SyncKind::ReadLoaded, "LoadOrStore", 209, "read, _ := m.read.Load().(readOnly)", "read := m.read.Load()"},
    {SyncKind::ReadLookup, "LoadOrStore", 210, "if e, ok := read.m[key]; ok {", "e, ok := read.m[key]"},
    {SyncKind::PLoaded, "entry.tryLoadOrStore", 248, "p := atomic.LoadPointer(&e.p)",
     "tryLoadOrStore: p := atomic.LoadPointer(&e.p)"},
    {SyncKind::PCas, "entry.tryLoadOrStore", 261, "if atomic.CompareAndSwapPointer(&e.p, nil, unsafe.Pointer(&ic))",
     "tryLoadOrStore: CAS nil -> &ic"},
    {SyncKind::PLoaded, "entry.tryLoadOrStore", 264, "p = atomic.LoadPointer(&e.p)", "tryLoadOrStore: CAS failed, reload p"},
    {SyncKind::OpEnd, "LoadOrStore", 213, "return actual, loaded", "a clean hit: no lock"},
    {SyncKind::Locked, "LoadOrStore", 217, "m.mu.Lock()", "m.mu.Lock()"},
    {SyncKind::ReadLoaded, "LoadOrStore", 218, "read, _ = m.read.Load().(readOnly)", "read reloaded under the lock"},
    {SyncKind::ReadLookup, "LoadOrStore", 219, "if e, ok := read.m[key]; ok {", "looked up again in read.m"},
    {SyncKind::DirtyWritten, "LoadOrStore", 221, "m.dirty[key] = e", "was expunged: m.dirty[key] = e"},
    {SyncKind::DirtyLookup, "LoadOrStore", 224, "} else if e, ok := m.dirty[key]; ok {",
     "e, ok := m.dirty[key] (then a miss, M:L226)"},
    {SyncKind::ReadStored, "LoadOrStore", 232, "m.read.Store(readOnly{m: read.m, amended: true})",
     "the first new key: read = readOnly{m: read.m, amended: true}"},
    {SyncKind::EntryCreated, "LoadOrStore", 234, "m.dirty[key] = newEntry(value)", "m.dirty[key] = newEntry(value)"},
    {SyncKind::Unlocked, "LoadOrStore", 237, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncKind::OpEnd, "LoadOrStore", 239, "return actual, loaded", "return actual, loaded"},
    // LoadAndDelete, Delete
    {SyncKind::OpBegin, "LoadAndDelete", 276, "func (m *Map) LoadAndDelete(key any)", "m.LoadAndDelete(key)"},
    {SyncKind::OpBegin, "Delete", 300, "func (m *Map) Delete(key any)", "m.Delete(key) = m.LoadAndDelete(key)"},
    {SyncKind::ReadLoaded, "LoadAndDelete", 277, "read, _ := m.read.Load().(readOnly)", "read := m.read.Load()"},
    {SyncKind::ReadLookup, "LoadAndDelete", 278, "e, ok := read.m[key]", "e, ok := read.m[key]"},
    {SyncKind::Locked, "LoadAndDelete", 280, "m.mu.Lock()", "missing and amended: m.mu.Lock()"},
    {SyncKind::ReadLoaded, "LoadAndDelete", 281, "read, _ = m.read.Load().(readOnly)", "read reloaded under the lock"},
    {SyncKind::ReadLookup, "LoadAndDelete", 282, "e, ok = read.m[key]", "looked up again in read.m"},
    {SyncKind::DirtyLookup, "LoadAndDelete", 284, "e, ok = m.dirty[key]", "e, ok = m.dirty[key]"},
    {SyncKind::DirtyDeleted, "LoadAndDelete", 285, "delete(m.dirty, key)", "delete(m.dirty, key), then missLocked"},
    {SyncKind::Unlocked, "LoadAndDelete", 291, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncKind::OpEnd, "LoadAndDelete", 296, "return nil, false", "not found: (nil, false)"},
    {SyncKind::PLoaded, "entry.delete", 306, "p := atomic.LoadPointer(&e.p)", "e.delete: p := atomic.LoadPointer(&e.p)"},
    {SyncKind::PCas, "entry.delete", 310, "if atomic.CompareAndSwapPointer(&e.p, p, nil)", "e.delete: CAS p -> nil (no lock)"},
    {SyncKind::OpEnd, "LoadAndDelete", 294, "return e.delete()", "return e.delete()"},
    // Range
    {SyncKind::OpBegin, "Range", 327, "func (m *Map) Range(f func(key, value any) bool)", "m.Range(f)"},
    {SyncKind::ReadLoaded, "Range", 332, "read, _ := m.read.Load().(readOnly)", "read := m.read.Load()"},
    {SyncKind::Locked, "Range", 338, "m.mu.Lock()", "amended: m.mu.Lock()"},
    {SyncKind::ReadLoaded, "Range", 339, "read, _ = m.read.Load().(readOnly)", "read reloaded under the lock"},
    {SyncKind::ReadStored, "Range", 342, "m.read.Store(read)", "still amended: promote now, read = readOnly{m: m.dirty}"},
    {SyncKind::DirtyCleared, "Range", 343, "m.dirty = nil", "m.dirty = nil; m.misses = 0"},
    {SyncKind::Unlocked, "Range", 346, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncKind::RangeNext, "Range", 349, "for k, e := range read.m {", "for k, e := range read.m (random order)"},
    {SyncKind::PLoaded, "entry.load", 136, "p := atomic.LoadPointer(&e.p)", "v, ok := e.load()"},
    {SyncKind::RangeCall, "Range", 354, "if !f(k, v) {", "f(k, v)"},
    {SyncKind::OpEnd, "Range", 358, "}", "Range returns"},
    // missLocked
    {SyncKind::MissCounted, "missLocked", 361, "m.misses++", "m.misses++; promote when misses >= len(dirty)"},
    {SyncKind::ReadStored, "missLocked", 365, "m.read.Store(readOnly{m: m.dirty})", "promotion: read = readOnly{m: m.dirty}"},
    {SyncKind::DirtyCleared, "missLocked", 366, "m.dirty = nil", "m.dirty = nil; m.misses = 0"},
    // dirtyLocked, tryExpungeLocked
    {SyncKind::ReadLoaded, "dirtyLocked", 375, "read, _ := m.read.Load().(readOnly)", "dirty is nil: read := m.read.Load()"},
    {SyncKind::DirtyMade, "dirtyLocked", 376, "m.dirty = make(map[any]*entry, len(read.m))",
     "m.dirty = make(map[any]*entry, len(read.m))"},
    {SyncKind::RangeNext, "dirtyLocked", 377, "for k, e := range read.m {", "for k, e := range read.m (random order)"},
    {SyncKind::PLoaded, "entry.tryExpungeLocked", 385, "p := atomic.LoadPointer(&e.p)",
     "tryExpungeLocked: p := atomic.LoadPointer(&e.p)"},
    {SyncKind::PCas, "entry.tryExpungeLocked", 387, "if atomic.CompareAndSwapPointer(&e.p, nil, expunged)",
     "tryExpungeLocked: CAS nil -> expunged"},
    {SyncKind::PLoaded, "entry.tryExpungeLocked", 390, "p = atomic.LoadPointer(&e.p)", "CAS failed: reload p"},
    {SyncKind::DirtyWritten, "dirtyLocked", 379, "m.dirty[k] = e", "not expunged: m.dirty[k] = e"},
}};
static_assert(kSyncSiteTable.size() == static_cast<std::size_t>(SyncSite::kCount));

// One event. Fields by kind (SyncKind's comments): op for OpBegin; flag
// (found, swapped, amended, ok/loaded, f's result); from/to (p's states);
// entry and cell identities (0: none); ro (a readOnly's identity); n, n2
// (counts); value (a value in a cell).
struct SyncEvent {
  SyncKind kind = SyncKind::OpBegin;
  SyncSite site = SyncSite::None;
  SyncOp op = SyncOp::Load;
  bool flag = false;
  PState from = PState::Nil, to = PState::Nil;
  uint32_t entry = 0, cell = 0, ro = 0;
  uint32_t n = 0, n2 = 0;
  int64_t value = 0;
  bool operator==(const SyncEvent&) const = default;
  static constexpr SyncEvent at(SyncSite s, SyncEvent e) {
    e.site = s;
    e.kind = kSyncSiteTable[static_cast<std::size_t>(s)].kind;
    return e;
  }
};

struct SyncEventSink {
  std::vector<SyncEvent> events;
  void push(const SyncEvent& e) { events.push_back(e); }
  void clear() { events.clear(); }
};

constexpr const SyncSiteInfo& siteInfo(SyncSite s) { return kSyncSiteTable[static_cast<std::size_t>(s)]; }
constexpr std::string_view kindName(SyncKind k) { return kSyncKindTable[static_cast<std::size_t>(k)].name; }
constexpr std::string_view opName(SyncOp o) {
  switch (o) {
  case SyncOp::Load: return "Load";
  case SyncOp::Store: return "Store";
  case SyncOp::LoadOrStore: return "LoadOrStore";
  case SyncOp::LoadAndDelete: return "LoadAndDelete";
  case SyncOp::Delete: return "Delete";
  case SyncOp::Range: return "Range";
  }
  return "?";
}

} // namespace gomap::syncmap
