// Go 1.19.8's sync.Map (sync/map.go) as events: the same scheme as the Swiss
// map's swiss_events.hpp and the classic map's events.hpp, in its own
// vocabulary. One fixed-size record (SyncEvent: kind, site, payload bytes),
// one payload struct per kind (SyncPayload<K>, right below its kind), a kind
// table and a site table checked by static_assert. A site says which function
// of sync/map.go and which line (Go 1.19.8) the step mirrors, and fixes the
// kind, so the payload type: SyncEvent::of<Site>(payload) builds a record
// (a payload of another kind does not compile), payloadOf<K>(event) reads one
// back, visitPayload(event, f) calls f with whichever payload the event holds.
// Nothing else touches the record's bytes.
//
// The `needle` of a site is text found on its line, which a test checks
// against /usr/share/go-1.19/src/sync/map.go when it is present
// (tests/engine/syncmap_test.cpp, SyncSites).
//
// Every atomic load/CAS/store of read or of an entry's p, every lookup, and
// every step done with mu held is one event (syncmap-spec.md sections 2-3).
//
// Adding a kind: an enumerator in SyncKind, its SyncPayload<K>, a row in
// kSyncKindTable and a case in visitKind. Adding a site: an enumerator in
// SyncSite and a row in kSyncSiteTable, in the same order. The static_asserts
// check the tables' order and size and every payload's fit.
#pragma once
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace gomap::syncmap {

enum class SyncKind : uint8_t {
  OpBegin,      // a sync.Map method starts
  OpEnd,        // it returns
  ReadLoaded,   // [A] m.read.Load()
  ReadLookup,   // [I] read.m[key]
  DirtyLookup,  // [L] m.dirty[key]
  Locked,       // m.mu.Lock() (uncontended: state 0 -> 1)
  Unlocked,     // m.mu.Unlock() (state 1 -> 0)
  PLoaded,      // [A] atomic.LoadPointer(&e.p)
  PCas,         // [A] CompareAndSwapPointer(&e.p, old, new)
  PStored,      // [A] storeLocked: atomic.StorePointer(&e.p, &value)
  DirtyWritten, // [L] m.dirty[k] = e
  DirtyDeleted, // [L] delete(m.dirty, key)
  DirtyMade,    // [L] dirtyLocked: m.dirty = make(map, len(read.m))
  DirtyCleared, // [L] m.dirty = nil (a promotion); misses = 0
  ReadStored,   // [A] m.read.Store(readOnly{...})
  EntryCreated, // newEntry(value)
  MissCounted,  // [L] m.misses++
  RangeNext,    // for k, e := range read.m (Range or dirtyLocked)
  RangeCall,    // f(k, v) called by Range
  Collected,    // runtime.GC() in a goroutine of a race (not a sync.Map step): what it freed
  kCount
};
static_assert(static_cast<int>(SyncKind::kCount) <= 64, "pause masks have 64 bits");

enum class SyncOp : uint8_t { Load, Store, LoadOrStore, LoadAndDelete, Delete, Range };
// The three states of an entry's p (spec 0.3).
enum class PState : uint8_t { Value, Nil, Expunged };
constexpr std::string_view pStateName(PState p) {
  return p == PState::Value ? "value" : p == PState::Nil ? "nil" : "expunged";
}

// The payloads, one per kind. Identities (entry, cell, read) count from 1; 0
// means none. A cell is the heap object an entry's p points at when its state
// is Value; `value` is the int64 boxed in it.
template <SyncKind K> struct SyncPayload;

template <> struct SyncPayload<SyncKind::OpBegin> {
  SyncOp op = SyncOp::Load;
  int64_t value = 0; // Store, LoadOrStore: the value passed
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::OpEnd> {
  bool ok = false;   // Load: ok; LoadOrStore, LoadAndDelete: loaded; Store: true
  int64_t value = 0; // the value returned (0 when none)
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::ReadLoaded> {
  uint32_t read = 0; // the readOnly's identity (0: read never stored, a zero Map)
  bool amended = false;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::ReadLookup> {
  bool found = false;
  uint32_t entry = 0;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::DirtyLookup> {
  bool found = false;
  uint32_t entry = 0;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::Locked> {
  int32_t state = 0; // mu's state word after
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::Unlocked> {
  int32_t state = 0; // mu's state word after
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::PLoaded> {
  uint32_t entry = 0;
  PState p = PState::Nil; // the state loaded
  uint32_t cell = 0;      // p's cell (p == Value)
  int64_t value = 0;      // the value in it, when the caller reads it (e.load)
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::PCas> {
  uint32_t entry = 0;
  PState from = PState::Nil; // the state the caller loaded (CAS's old)
  PState to = PState::Nil;   // the state it swaps in (CAS's new)
  bool swapped = false;
  uint32_t cell = 0;  // the new cell (to == Value), or the old one (entry.delete)
  int64_t value = 0;  // the value in that cell
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::PStored> {
  uint32_t entry = 0;
  PState from = PState::Nil; // p's state before (storeLocked stores a value cell)
  uint32_t cell = 0;
  int64_t value = 0;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::DirtyWritten> {
  uint32_t entry = 0;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::DirtyDeleted> {
  bool found = false; // the key was in dirty
  uint32_t entry = 0; // its entry (0 when absent)
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::DirtyMade> {
  uint32_t hint = 0; // len(read.m)
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::DirtyCleared> {
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::ReadStored> {
  uint32_t read = 0; // the new readOnly's identity
  bool amended = false;
  uint32_t len = 0; // len(its m)
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::EntryCreated> {
  uint32_t entry = 0;
  uint32_t cell = 0; // p = &value, a new cell
  int64_t value = 0;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::MissCounted> {
  uint32_t misses = 0;   // after the increment
  uint32_t lenDirty = 0; // promotion when misses >= lenDirty
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::RangeNext> {
  uint32_t entry = 0;
  bool operator==(const SyncPayload&) const = default;
};
template <> struct SyncPayload<SyncKind::RangeCall> {
  uint32_t entry = 0;
  int64_t value = 0;
  bool more = false; // f's result: false stops the walk
  bool operator==(const SyncPayload&) const = default;
};

// What a runtime.GC() freed, per heap kind (syncmap.hpp's HeapKind): the
// counted objects no root reached (read, dirty, the goroutines' stacks).
template <> struct SyncPayload<SyncKind::Collected> {
  uint32_t readonly = 0, entry = 0, cell = 0, box = 0;
  bool operator==(const SyncPayload&) const = default;
};

// The record's payload area: every payload fits (checked below).
inline constexpr std::size_t kSyncPayloadBytes = 24;

template <std::size_t... I> constexpr bool syncPayloadsFit(std::index_sequence<I...>) {
  return ((sizeof(SyncPayload<static_cast<SyncKind>(I)>) <= kSyncPayloadBytes &&
           alignof(SyncPayload<static_cast<SyncKind>(I)>) <= 8 &&
           std::is_trivially_copyable_v<SyncPayload<static_cast<SyncKind>(I)>>) &&
          ...);
}
static_assert(syncPayloadsFit(std::make_index_sequence<static_cast<std::size_t>(SyncKind::kCount)>{}),
              "every SyncPayload<K> is trivially copyable and fits the record's payload bytes");

struct SyncKindInfo {
  SyncKind kind;
  std::string_view name; // in `gomaplab events` JSON
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
    {SyncKind::Collected, "collected", "runtime.GC(): the objects no root reaches are freed"},
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
  // a goroutine's runtime.GC() (runtime/mgc.go, not sync/map.go)
  Gc,
  kCount
};

struct SyncSiteInfo {
  SyncSite site;
  SyncKind kind; // so the payload SyncEvent::of<site> takes
  std::string_view function;
  int line; // sync/map.go, Go 1.19.8
  std::string_view needle;
  std::string_view what;
  std::string_view file = "sync/map.go"; // the Go 1.19.8 source the line is in
};

// One row per SyncSite, in order. {site, kind, function, line, needle, what}
inline constexpr std::array<SyncSiteInfo, static_cast<std::size_t>(SyncSite::kCount)> kSyncSiteTable{{
    {SyncSite::None, SyncKind::OpBegin, "", 0, "", "none"},
    // Load
    {SyncSite::LoadBegin, SyncKind::OpBegin, "Load", 110, "func (m *Map) Load(key any)", "m.Load(key)"},
    {SyncSite::LoadRead, SyncKind::ReadLoaded, "Load", 111, "read, _ := m.read.Load().(readOnly)",
     "read := m.read.Load()"},
    {SyncSite::LoadLookup, SyncKind::ReadLookup, "Load", 112, "e, ok := read.m[key]", "e, ok := read.m[key]"},
    {SyncSite::LoadLock, SyncKind::Locked, "Load", 114, "m.mu.Lock()", "missing and amended: m.mu.Lock()"},
    {SyncSite::LoadReread, SyncKind::ReadLoaded, "Load", 118, "read, _ = m.read.Load().(readOnly)",
     "read reloaded under the lock"},
    {SyncSite::LoadRelookup, SyncKind::ReadLookup, "Load", 119, "e, ok = read.m[key]",
     "looked up again (a promotion may have happened)"},
    {SyncSite::LoadDirty, SyncKind::DirtyLookup, "Load", 121, "e, ok = m.dirty[key]",
     "e, ok = m.dirty[key], then missLocked"},
    {SyncSite::LoadUnlock, SyncKind::Unlocked, "Load", 127, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncSite::LoadEndMissing, SyncKind::OpEnd, "Load", 130, "return nil, false", "not found: (nil, false)"},
    {SyncSite::EntryLoad, SyncKind::PLoaded, "entry.load", 136, "p := atomic.LoadPointer(&e.p)",
     "e.load: p := atomic.LoadPointer(&e.p)"},
    {SyncSite::LoadEnd, SyncKind::OpEnd, "Load", 132, "return e.load()",
     "return e.load(): the value, or (nil, false) when p is nil or expunged"},
    // Store
    {SyncSite::StoreBegin, SyncKind::OpBegin, "Store", 144, "func (m *Map) Store(key, value any)",
     "m.Store(key, value)"},
    {SyncSite::StoreRead, SyncKind::ReadLoaded, "Store", 145, "read, _ := m.read.Load().(readOnly)",
     "read := m.read.Load()"},
    {SyncSite::StoreLookup, SyncKind::ReadLookup, "Store", 146, "if e, ok := read.m[key]; ok && e.tryStore(&value)",
     "e, ok := read.m[key]"},
    {SyncSite::TryStoreLoad, SyncKind::PLoaded, "entry.tryStore", 179, "p := atomic.LoadPointer(&e.p)",
     "tryStore: p := atomic.LoadPointer(&e.p)"},
    {SyncSite::TryStoreCas, SyncKind::PCas, "entry.tryStore", 183,
     "if atomic.CompareAndSwapPointer(&e.p, p, unsafe.Pointer(i))",
     "tryStore: CAS p -> &value (no lock)"},
    {SyncSite::StoreEndFast, SyncKind::OpEnd, "Store", 147, "return", "stored lock-free"},
    {SyncSite::StoreLock, SyncKind::Locked, "Store", 150, "m.mu.Lock()", "m.mu.Lock()"},
    {SyncSite::StoreReread, SyncKind::ReadLoaded, "Store", 151, "read, _ = m.read.Load().(readOnly)",
     "read reloaded under the lock"},
    {SyncSite::StoreRelookup, SyncKind::ReadLookup, "Store", 152, "if e, ok := read.m[key]; ok {",
     "looked up again in read.m"},
    {SyncSite::Unexpunge, SyncKind::PCas, "entry.unexpungeLocked", 194,
     "return atomic.CompareAndSwapPointer(&e.p, expunged, nil)",
     "unexpungeLocked: CAS expunged -> nil"},
    {SyncSite::StoreDirtyPut, SyncKind::DirtyWritten, "Store", 156, "m.dirty[key] = e",
     "was expunged: m.dirty[key] = e"},
    {SyncSite::StoreLocked, SyncKind::PStored, "entry.storeLocked", 201, "atomic.StorePointer(&e.p, unsafe.Pointer(i))",
     "storeLocked: p = &value"},
    {SyncSite::StoreDirtyLookup, SyncKind::DirtyLookup, "Store", 159, "} else if e, ok := m.dirty[key]; ok {",
     "e, ok := m.dirty[key] (no miss)"},
    {SyncSite::StorePublish, SyncKind::ReadStored, "Store", 166, "m.read.Store(readOnly{m: read.m, amended: true})",
     "the first new key: read = readOnly{m: read.m, amended: true}"},
    {SyncSite::StoreNewEntry, SyncKind::EntryCreated, "Store", 168, "m.dirty[key] = newEntry(value)",
     "m.dirty[key] = newEntry(value)"},
    {SyncSite::StoreUnlock, SyncKind::Unlocked, "Store", 170, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncSite::StoreEnd, SyncKind::OpEnd, "Store", 171, "}", "Store returns"},
    // LoadOrStore
    {SyncSite::LosBegin, SyncKind::OpBegin, "LoadOrStore", 207, "func (m *Map) LoadOrStore(key, value any)",
     "m.LoadOrStore(key, value)"},
    {SyncSite::LosRead, SyncKind::ReadLoaded, "LoadOrStore", 209, "read, _ := m.read.Load().(readOnly)",
     "read := m.read.Load()"},
    {SyncSite::LosLookup, SyncKind::ReadLookup, "LoadOrStore", 210, "if e, ok := read.m[key]; ok {",
     "e, ok := read.m[key]"},
    {SyncSite::TlosLoad, SyncKind::PLoaded, "entry.tryLoadOrStore", 248, "p := atomic.LoadPointer(&e.p)",
     "tryLoadOrStore: p := atomic.LoadPointer(&e.p)"},
    {SyncSite::TlosCas, SyncKind::PCas, "entry.tryLoadOrStore", 261,
     "if atomic.CompareAndSwapPointer(&e.p, nil, unsafe.Pointer(&ic))",
     "tryLoadOrStore: CAS nil -> &ic"},
    {SyncSite::TlosReload, SyncKind::PLoaded, "entry.tryLoadOrStore", 264, "p = atomic.LoadPointer(&e.p)",
     "tryLoadOrStore: CAS failed, reload p"},
    {SyncSite::LosEndFast, SyncKind::OpEnd, "LoadOrStore", 213, "return actual, loaded", "a clean hit: no lock"},
    {SyncSite::LosLock, SyncKind::Locked, "LoadOrStore", 217, "m.mu.Lock()", "m.mu.Lock()"},
    {SyncSite::LosReread, SyncKind::ReadLoaded, "LoadOrStore", 218, "read, _ = m.read.Load().(readOnly)",
     "read reloaded under the lock"},
    {SyncSite::LosRelookup, SyncKind::ReadLookup, "LoadOrStore", 219, "if e, ok := read.m[key]; ok {",
     "looked up again in read.m"},
    {SyncSite::LosDirtyPut, SyncKind::DirtyWritten, "LoadOrStore", 221, "m.dirty[key] = e",
     "was expunged: m.dirty[key] = e"},
    {SyncSite::LosDirtyLookup, SyncKind::DirtyLookup, "LoadOrStore", 224, "} else if e, ok := m.dirty[key]; ok {",
     "e, ok := m.dirty[key] (then a miss, M:L226)"},
    {SyncSite::LosPublish, SyncKind::ReadStored, "LoadOrStore", 232, "m.read.Store(readOnly{m: read.m, amended: true})",
     "the first new key: read = readOnly{m: read.m, amended: true}"},
    {SyncSite::LosNewEntry, SyncKind::EntryCreated, "LoadOrStore", 234, "m.dirty[key] = newEntry(value)",
     "m.dirty[key] = newEntry(value)"},
    {SyncSite::LosUnlock, SyncKind::Unlocked, "LoadOrStore", 237, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncSite::LosEnd, SyncKind::OpEnd, "LoadOrStore", 239, "return actual, loaded", "return actual, loaded"},
    // LoadAndDelete, Delete
    {SyncSite::LadBegin, SyncKind::OpBegin, "LoadAndDelete", 276, "func (m *Map) LoadAndDelete(key any)",
     "m.LoadAndDelete(key)"},
    {SyncSite::DeleteBegin, SyncKind::OpBegin, "Delete", 300, "func (m *Map) Delete(key any)",
     "m.Delete(key) = m.LoadAndDelete(key)"},
    {SyncSite::LadRead, SyncKind::ReadLoaded, "LoadAndDelete", 277, "read, _ := m.read.Load().(readOnly)",
     "read := m.read.Load()"},
    {SyncSite::LadLookup, SyncKind::ReadLookup, "LoadAndDelete", 278, "e, ok := read.m[key]", "e, ok := read.m[key]"},
    {SyncSite::LadLock, SyncKind::Locked, "LoadAndDelete", 280, "m.mu.Lock()", "missing and amended: m.mu.Lock()"},
    {SyncSite::LadReread, SyncKind::ReadLoaded, "LoadAndDelete", 281, "read, _ = m.read.Load().(readOnly)",
     "read reloaded under the lock"},
    {SyncSite::LadRelookup, SyncKind::ReadLookup, "LoadAndDelete", 282, "e, ok = read.m[key]",
     "looked up again in read.m"},
    {SyncSite::LadDirty, SyncKind::DirtyLookup, "LoadAndDelete", 284, "e, ok = m.dirty[key]", "e, ok = m.dirty[key]"},
    {SyncSite::LadDirtyDelete, SyncKind::DirtyDeleted, "LoadAndDelete", 285, "delete(m.dirty, key)",
     "delete(m.dirty, key), then missLocked"},
    {SyncSite::LadUnlock, SyncKind::Unlocked, "LoadAndDelete", 291, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncSite::LadEndMissing, SyncKind::OpEnd, "LoadAndDelete", 296, "return nil, false", "not found: (nil, false)"},
    {SyncSite::DeleteLoad, SyncKind::PLoaded, "entry.delete", 306, "p := atomic.LoadPointer(&e.p)",
     "e.delete: p := atomic.LoadPointer(&e.p)"},
    {SyncSite::DeleteCas, SyncKind::PCas, "entry.delete", 310, "if atomic.CompareAndSwapPointer(&e.p, p, nil)",
     "e.delete: CAS p -> nil (no lock)"},
    {SyncSite::LadEnd, SyncKind::OpEnd, "LoadAndDelete", 294, "return e.delete()", "return e.delete()"},
    // Range
    {SyncSite::RangeBegin, SyncKind::OpBegin, "Range", 327, "func (m *Map) Range(f func(key, value any) bool)",
     "m.Range(f)"},
    {SyncSite::RangeRead, SyncKind::ReadLoaded, "Range", 332, "read, _ := m.read.Load().(readOnly)",
     "read := m.read.Load()"},
    {SyncSite::RangeLock, SyncKind::Locked, "Range", 338, "m.mu.Lock()", "amended: m.mu.Lock()"},
    {SyncSite::RangeReread, SyncKind::ReadLoaded, "Range", 339, "read, _ = m.read.Load().(readOnly)",
     "read reloaded under the lock"},
    {SyncSite::RangePublish, SyncKind::ReadStored, "Range", 342, "m.read.Store(read)",
     "still amended: promote now, read = readOnly{m: m.dirty}"},
    {SyncSite::RangeDirtyNil, SyncKind::DirtyCleared, "Range", 343, "m.dirty = nil", "m.dirty = nil; m.misses = 0"},
    {SyncSite::RangeUnlock, SyncKind::Unlocked, "Range", 346, "m.mu.Unlock()", "m.mu.Unlock()"},
    {SyncSite::RangeNext, SyncKind::RangeNext, "Range", 349, "for k, e := range read.m {",
     "for k, e := range read.m (random order)"},
    {SyncSite::RangeLoad, SyncKind::PLoaded, "entry.load", 136, "p := atomic.LoadPointer(&e.p)", "v, ok := e.load()"},
    {SyncSite::RangeCall, SyncKind::RangeCall, "Range", 354, "if !f(k, v) {", "f(k, v)"},
    {SyncSite::RangeEnd, SyncKind::OpEnd, "Range", 358, "}", "Range returns"},
    // missLocked
    {SyncSite::MissCount, SyncKind::MissCounted, "missLocked", 361, "m.misses++",
     "m.misses++; promote when misses >= len(dirty)"},
    {SyncSite::MissPublish, SyncKind::ReadStored, "missLocked", 365, "m.read.Store(readOnly{m: m.dirty})",
     "promotion: read = readOnly{m: m.dirty}"},
    {SyncSite::MissDirtyNil, SyncKind::DirtyCleared, "missLocked", 366, "m.dirty = nil", "m.dirty = nil; m.misses = 0"},
    // dirtyLocked, tryExpungeLocked
    {SyncSite::DirtyRead, SyncKind::ReadLoaded, "dirtyLocked", 375, "read, _ := m.read.Load().(readOnly)",
     "dirty is nil: read := m.read.Load()"},
    {SyncSite::DirtyMake, SyncKind::DirtyMade, "dirtyLocked", 376, "m.dirty = make(map[any]*entry, len(read.m))",
     "m.dirty = make(map[any]*entry, len(read.m))"},
    {SyncSite::DirtyNext, SyncKind::RangeNext, "dirtyLocked", 377, "for k, e := range read.m {",
     "for k, e := range read.m (random order)"},
    {SyncSite::ExpungeLoad, SyncKind::PLoaded, "entry.tryExpungeLocked", 385, "p := atomic.LoadPointer(&e.p)",
     "tryExpungeLocked: p := atomic.LoadPointer(&e.p)"},
    {SyncSite::ExpungeCas, SyncKind::PCas, "entry.tryExpungeLocked", 387,
     "if atomic.CompareAndSwapPointer(&e.p, nil, expunged)",
     "tryExpungeLocked: CAS nil -> expunged"},
    {SyncSite::ExpungeReload, SyncKind::PLoaded, "entry.tryExpungeLocked", 390, "p = atomic.LoadPointer(&e.p)",
     "CAS failed: reload p"},
    {SyncSite::DirtyCopy, SyncKind::DirtyWritten, "dirtyLocked", 379, "m.dirty[k] = e", "not expunged: m.dirty[k] = e"},
    {SyncSite::Gc, SyncKind::Collected, "GC", 412, "func GC()",
     "runtime.GC(): marks from read, dirty and the goroutines' stacks, frees the rest", "runtime/mgc.go"},
}};
constexpr bool syncSiteTableInOrder() {
  for (std::size_t i = 0; i < kSyncSiteTable.size(); i++)
    if (static_cast<std::size_t>(kSyncSiteTable[i].site) != i || kSyncSiteTable[i].kind >= SyncKind::kCount)
      return false;
  return true;
}
static_assert(syncSiteTableInOrder(), "kSyncSiteTable rows must follow SyncSite's order, each with a kind");
// Every kind is recorded somewhere (a kind no site names is dead weight).
constexpr bool everySyncKindHasASite() {
  for (std::size_t k = 0; k < static_cast<std::size_t>(SyncKind::kCount); k++) {
    bool found = false;
    for (std::size_t i = 1; i < kSyncSiteTable.size(); i++)
      found |= static_cast<std::size_t>(kSyncSiteTable[i].kind) == k;
    if (!found) return false;
  }
  return true;
}
static_assert(everySyncKindHasASite(), "each SyncKind is the kind of at least one SyncSite");

constexpr const SyncSiteInfo& siteInfo(SyncSite s) { return kSyncSiteTable[static_cast<std::size_t>(s)]; }
constexpr std::string_view kindName(SyncKind k) { return kSyncKindTable[static_cast<std::size_t>(k)].name; }

// One event: 32 bytes, the kind, the site, and the kind's payload. Built with
// of<Site>(payload) only; read with payloadOf<K> or visitPayload only.
struct SyncEvent {
  SyncKind kind = SyncKind::OpBegin;
  SyncSite site = SyncSite::None;
  alignas(8) std::array<std::byte, kSyncPayloadBytes> payload{};

  template <SyncSite S> using PayloadAt = SyncPayload<siteInfo(S).kind>;
  template <SyncSite S> [[gnu::always_inline]] static SyncEvent of(const PayloadAt<S>& p = {}) {
    SyncEvent e;
    e.kind = siteInfo(S).kind;
    e.site = S;
    if constexpr (!std::is_empty_v<PayloadAt<S>>) std::memcpy(e.payload.data(), &p, sizeof p);
    return e;
  }
  // Equal kind, site and payload (compared as the payload struct: its
  // padding bytes are not part of it).
  friend bool operator==(const SyncEvent& a, const SyncEvent& b);
};
static_assert(sizeof(SyncEvent) == 32, "one 32-byte record per event");
static_assert(offsetof(SyncEvent, payload) == 8);

// An event's payload, as the struct of its kind (the event must be of kind K).
template <SyncKind K> SyncPayload<K> payloadOf(const SyncEvent& e) {
  assert(e.kind == K);
  SyncPayload<K> p{};
  if constexpr (!std::is_empty_v<SyncPayload<K>>) std::memcpy(&p, e.payload.data(), sizeof p);
  return p;
}

// Calls f(std::integral_constant<SyncKind, k>{}) for the runtime kind k;
// f returns the same type for every kind (a generic lambda).
template <class F> decltype(auto) visitKind(SyncKind k, F&& f) {
  using enum SyncKind;
  switch (k) {
  case OpBegin: return f(std::integral_constant<SyncKind, OpBegin>{});
  case OpEnd: return f(std::integral_constant<SyncKind, OpEnd>{});
  case ReadLoaded: return f(std::integral_constant<SyncKind, ReadLoaded>{});
  case ReadLookup: return f(std::integral_constant<SyncKind, ReadLookup>{});
  case DirtyLookup: return f(std::integral_constant<SyncKind, DirtyLookup>{});
  case Locked: return f(std::integral_constant<SyncKind, Locked>{});
  case Unlocked: return f(std::integral_constant<SyncKind, Unlocked>{});
  case PLoaded: return f(std::integral_constant<SyncKind, PLoaded>{});
  case PCas: return f(std::integral_constant<SyncKind, PCas>{});
  case PStored: return f(std::integral_constant<SyncKind, PStored>{});
  case DirtyWritten: return f(std::integral_constant<SyncKind, DirtyWritten>{});
  case DirtyDeleted: return f(std::integral_constant<SyncKind, DirtyDeleted>{});
  case DirtyMade: return f(std::integral_constant<SyncKind, DirtyMade>{});
  case DirtyCleared: return f(std::integral_constant<SyncKind, DirtyCleared>{});
  case ReadStored: return f(std::integral_constant<SyncKind, ReadStored>{});
  case EntryCreated: return f(std::integral_constant<SyncKind, EntryCreated>{});
  case MissCounted: return f(std::integral_constant<SyncKind, MissCounted>{});
  case RangeNext: return f(std::integral_constant<SyncKind, RangeNext>{});
  case RangeCall: return f(std::integral_constant<SyncKind, RangeCall>{});
  case Collected: return f(std::integral_constant<SyncKind, Collected>{});
  case kCount: break;
  }
  assert(false && "an event with no kind");
  return f(std::integral_constant<SyncKind, DirtyCleared>{});
}
// Calls f(payload) with the payload struct of e's kind (f as for visitKind).
template <class F> decltype(auto) visitPayload(const SyncEvent& e, F&& f) {
  return visitKind(e.kind, [&](auto k) -> decltype(auto) { return f(payloadOf<decltype(k)::value>(e)); });
}

inline bool operator==(const SyncEvent& a, const SyncEvent& b) {
  if (a.kind != b.kind || a.site != b.site) return false;
  return visitKind(a.kind,
                   [&](auto k) { return payloadOf<decltype(k)::value>(a) == payloadOf<decltype(k)::value>(b); });
}

// A site as a value whose type carries it, for runtime functions that several
// sites share (mu.Lock, e.load): they take `auto site` and record
// SyncEvent::of<decltype(site)::value>.
template <SyncSite S> inline constexpr std::integral_constant<SyncSite, S> kSite{};

struct SyncEventSink {
  std::vector<SyncEvent> events;
  void push(const SyncEvent& e) { events.push_back(e); }
  void clear() { events.clear(); }
};

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
