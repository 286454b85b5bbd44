// The Swiss map's events (Go 1.26/1.27, internal/runtime/maps): the same
// scheme as the classic map's events.hpp, in its own vocabulary. One 16-byte
// record (SwissEvent), one payload struct per kind (SwissPayload<K>) that alone
// packs and unpacks the record's words, a kind table and a site table checked
// by static_assert. A site says which runtime function and which source line
// (file and line at Go 1.26.11 and at Go 1.27.4) the step mirrors; the
// `needle` is text found on that line in both releases, which a test checks
// against the real sources when they are present (tests/engine/swiss_test.cpp,
// tests/engine/swiss_sites_test.cpp). A site's function depends on the map's
// key kind (int64 keys run runtime_mapassign_fast64, float64 keys the generic
// runtime_mapassign, ...): the site table has a row per site and key kind, and
// the record stays the same 16 bytes: readers pass the map's KeyKind.
//
// Adding a kind: an enumerator in SwissKind, a SwissPayload<K>, a row in
// kSwissKindTable. Adding a site: an enumerator in SwissSite, its rows in
// scripts/swiss_sites.txt (in order), then scripts/gen-swiss-sites.py (the
// static_asserts check the order and that every key kind's row has the same
// event kind).
#pragma once
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>
#include <string_view>
#include <vector>

#include "engine/events.hpp" // Outcome, Message, Fields
#include "engine/keys.hpp"   // KeyKind
#include "engine/swiss_ctrl.hpp" // matchH2, matchEmpty, packBitset

namespace gomap::swiss {

enum class SwissKind : uint8_t {
  OpBegin,        // an operation starts
  OpEnd,          // it returns
  Hashed,         // the key's hash: H1, H2, the directory index
  GroupProbed,    // a group of the probe sequence: its control word matched against H2
  KeyCompared,    // typ.Key.Equal on a slot whose control byte matched
  SlotChosen,     // where an insert will go (an empty slot, a tombstone, the key's own slot)
  SlotWritten,    // key stored and control byte set to H2
  KeyUpdated,     // an existing key overwritten (NeedKeyUpdate, faststr)
  ElemWritten,    // the caller's store through the returned elem pointer
  ElemRead,       // a lookup's result
  UsedChanged,    // m.used (and the table's used / growthLeft)
  SlotDeleted,    // a slot's key/elem cleared, control byte empty or tombstone
  GroupAllocated, // growToSmall: the small map's one group
  TableAllocated, // newTable
  ConvertStarted, // growToTable: the small map becomes a one-table directory
  RehashStarted,  // rehash: grow (double) or split (two 1024-slot tables)
  SlotMoved,      // one full slot copied into a new table (growToTable, grow, split)
  TableInstalled, // replaceTable / installTableSplit: the directory points at the new table
  DirDoubled,     // installTableSplit doubled the directory
  PruneStarted,   // pruneTombstones at growthLeft 0
  PruneGroup,     // a group's tombstones turned empty
  PruneEnded,     // how the prune ended
  WritingChanged, // m.writing ^= 1
  SeedChanged,    // m.seed = rand() (make, delete to empty, clear) or the script's seed
  Cleared,        // clearSmall / table.Clear
  IterStarted,    // Iter.Init's two random offsets
  IterTable,      // Iter.Next moves to a directory entry's table
  IterYielded,    // a key/elem pair returned
  IterFinished,   // end of iteration
  Panic,          // a Go panic
  Fatal,          // a fatal error
  kCount
};
static_assert(static_cast<int>(SwissKind::kCount) <= 64, "pause masks have 64 bits");

enum class SwissOp : uint8_t { Make, Put, Get, Del, Clear, Iter };
// Why an insert settled on a slot.
enum class SwissChoice : uint8_t { Empty, Tombstone, Existing };
// How a prune ended (spec 12).
enum class PruneEnd : uint8_t { FewTombstones, TooFewFreeable, Pruned };
// Why the seed changed.
enum class SeedWhy : uint8_t { Make, DeleteToEmpty, Clear };

// A slot's position: the table (by the first directory index it occupies, or
// one of the marks below), the group in that table, the slot in the group.
struct SwissLoc {
  static constexpr uint16_t kSmall = 0xffff; // the small map's group
  static constexpr uint16_t kNew = 0xfffe;   // a table being built (grow, split left, growToTable)
  static constexpr uint16_t kNewRight = 0xfffd; // split's right table
  uint16_t table = 0;
  uint32_t group = 0;
  uint8_t slot = 0;
  bool operator==(const SwissLoc&) const = default;
};
// b: the slot in bits 0-2 and the group in bits 3-15 (a table has at most
// 1024 slots, 128 groups: swiss_map.hpp checks that they fit); bits 16-31
// are the kind's own (GroupProbed's probe number and H2).
inline constexpr uint32_t kSwissLocGroups = 1u << 13;
constexpr Fields swissLocFields(const SwissLoc& l, uint64_t c = 0) {
  return Fields{l.table, (l.group << 3) | (l.slot & 7u), c};
}
constexpr SwissLoc swissLocOf(const Fields& f) {
  return SwissLoc{f.a, (f.b >> 3) & (kSwissLocGroups - 1), static_cast<uint8_t>(f.b & 7)};
}

template <SwissKind K> struct SwissPayload;

template <> struct SwissPayload<SwissKind::OpBegin> {
  SwissOp op = SwissOp::Make;
  int64_t hint = 0;
  constexpr Fields encode() const { return {static_cast<uint16_t>(op), 0, static_cast<uint64_t>(hint)}; }
  static constexpr SwissPayload decode(const Fields& f) { return {static_cast<SwissOp>(f.a), static_cast<int64_t>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::OpEnd> {
  Outcome outcome = Outcome::Ok;
  constexpr Fields encode() const { return {static_cast<uint16_t>(outcome), 0, 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {static_cast<Outcome>(f.a)}; }
};
template <> struct SwissPayload<SwissKind::Hashed> {
  uint64_t hash = 0;        // H1 = hash >> 7, H2 = hash & 0x7f
  uint8_t globalShift = 0;  // m.globalShift (64 - globalDepth) when the key was hashed
  bool small = false;       // the map was small: no directory
  // The directory entry: the top globalDepth bits (0 for a small map or one
  // table, whose globalShift is 64), as directoryIndex computes it.
  constexpr uint32_t dirIndex() const {
    return small || globalShift >= 64 ? 0 : static_cast<uint32_t>(hash >> globalShift);
  }
  constexpr Fields encode() const { return {small, globalShift, hash}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.c, static_cast<uint8_t>(f.b), f.a != 0}; }
  constexpr uint64_t h1() const { return hash >> 7; }
  constexpr uint8_t h2() const { return static_cast<uint8_t>(hash & 0x7f); }
};
template <> struct SwissPayload<SwissKind::GroupProbed> {
  SwissLoc group{};   // slot 0
  uint16_t probe = 0; // i of the probe sequence (0: H1 & lengthMask); < 512
  uint64_t ctrl = 0;  // the group's control word as the probe read it
  uint8_t h2 = 0;     // the H2 it was matched against
  // What the probe found, bit i = slot i, computed from the control word the
  // way the runtime computes it (group.go; matchH2 has no false positives):
  // slots whose control byte equals H2, slots empty, slots holding a tombstone.
  constexpr uint8_t match() const { return packBitset(matchH2(ctrl, h2)); }
  constexpr uint8_t empty() const { return packBitset(matchEmpty(ctrl)); }
  constexpr uint8_t deleted() const { return packBitset(matchEmptyOrDeleted(ctrl) & ~matchEmpty(ctrl)); }
  // The record keeps the word itself (c) and the probe number and H2 above
  // the group in b (swissLocFields leaves bits 16-31 of b free: a group index
  // is below 8192), so that the recorded insert stores what it read instead
  // of packing three bitsets per probe.
  constexpr Fields encode() const {
    // probe < 512 (at most 128 groups in a table) and h2 < 128 by construction.
    return Fields{group.table, group.group << 3 | uint32_t{probe} << 16 | uint32_t{h2} << 25, ctrl};
  }
  static constexpr SwissPayload decode(const Fields& f) {
    return {swissLocOf(f), static_cast<uint16_t>((f.b >> 16) & 0x1ff), f.c, static_cast<uint8_t>(f.b >> 25)};
  }
};
template <> struct SwissPayload<SwissKind::KeyCompared> {
  SwissLoc slot{};
  bool equal = false;
  constexpr Fields encode() const { return swissLocFields(slot, equal); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), f.c != 0}; }
};
template <> struct SwissPayload<SwissKind::SlotChosen> {
  SwissLoc slot{};
  SwissChoice why = SwissChoice::Empty;
  constexpr Fields encode() const { return swissLocFields(slot, static_cast<uint64_t>(why)); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), static_cast<SwissChoice>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::SlotWritten> {
  SwissLoc slot{};
  uint8_t h2 = 0; // the control byte now
  constexpr Fields encode() const { return swissLocFields(slot, h2); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), static_cast<uint8_t>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::KeyUpdated> {
  SwissLoc slot{};
  constexpr Fields encode() const { return swissLocFields(slot); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f)}; }
};
template <> struct SwissPayload<SwissKind::ElemWritten> {
  SwissLoc slot{};
  int64_t value = 0;
  constexpr Fields encode() const { return swissLocFields(slot, static_cast<uint64_t>(value)); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), static_cast<int64_t>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::ElemRead> {
  SwissLoc slot{};
  int64_t value = 0;
  constexpr Fields encode() const { return swissLocFields(slot, static_cast<uint64_t>(value)); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), static_cast<int64_t>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::UsedChanged> {
  uint64_t used = 0;        // m.used after
  uint16_t tableUsed = 0;   // the table's used after (0 for a small map)
  uint16_t growthLeft = 0;  // the table's growthLeft after
  constexpr Fields encode() const { return {0, uint32_t{tableUsed} | uint32_t{growthLeft} << 16, used}; }
  static constexpr SwissPayload decode(const Fields& f) {
    return {f.c, static_cast<uint16_t>(f.b), static_cast<uint16_t>(f.b >> 16)};
  }
};
template <> struct SwissPayload<SwissKind::SlotDeleted> {
  SwissLoc slot{};
  bool tombstone = false; // ctrl = deleted (the group had no empty slot), else empty
  constexpr Fields encode() const { return swissLocFields(slot, tombstone); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), f.c != 0}; }
};
template <> struct SwissPayload<SwissKind::GroupAllocated> {
  uint32_t bytes = 0; // the allocation's size class
  constexpr Fields encode() const { return {0, bytes, 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.b}; }
};
template <> struct SwissPayload<SwissKind::TableAllocated> {
  uint16_t capacity = 0;
  int32_t index = 0; // -1 until installed (split)
  uint8_t localDepth = 0;
  uint32_t bytes = 0; // the groups' allocation
  constexpr Fields encode() const {
    return {capacity, bytes, uint64_t{static_cast<uint32_t>(index)} | uint64_t{localDepth} << 32};
  }
  static constexpr SwissPayload decode(const Fields& f) {
    return {f.a, static_cast<int32_t>(static_cast<uint32_t>(f.c)), static_cast<uint8_t>(f.c >> 32), f.b};
  }
};
template <> struct SwissPayload<SwissKind::ConvertStarted> {
  uint8_t full = 0; // full slots of the small group
  constexpr Fields encode() const { return {full, 0, 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {static_cast<uint8_t>(f.a)}; }
};
template <> struct SwissPayload<SwissKind::RehashStarted> {
  uint16_t table = 0;       // the table's first directory index
  uint16_t capacity = 0;    // its capacity
  uint16_t newCapacity = 0; // 2*capacity (grow) or 1024 each (split)
  bool split = false;
  constexpr Fields encode() const { return {table, uint32_t{capacity} | uint32_t{newCapacity} << 16, split}; }
  static constexpr SwissPayload decode(const Fields& f) {
    return {f.a, static_cast<uint16_t>(f.b), static_cast<uint16_t>(f.b >> 16), f.c != 0};
  }
};
template <> struct SwissPayload<SwissKind::SlotMoved> {
  SwissLoc from{}; // in the old table (or the small group)
  uint32_t toGroup = 0;
  uint8_t toSlot = 0;
  bool right = false; // split: into the right table
  constexpr Fields encode() const {
    return swissLocFields(from, uint64_t{toGroup} | uint64_t{toSlot} << 32 | uint64_t{right} << 40);
  }
  static constexpr SwissPayload decode(const Fields& f) {
    return {swissLocOf(f), static_cast<uint32_t>(f.c), static_cast<uint8_t>((f.c >> 32) & 7), ((f.c >> 40) & 1) != 0};
  }
};
template <> struct SwissPayload<SwissKind::TableInstalled> {
  uint16_t index = 0;      // its first directory entry
  uint8_t localDepth = 0;
  uint32_t entries = 0;    // directory entries now pointing at it
  constexpr Fields encode() const { return {index, entries, localDepth}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.a, static_cast<uint8_t>(f.c), f.b}; }
};
template <> struct SwissPayload<SwissKind::DirDoubled> {
  uint32_t dirLen = 0; // after
  uint8_t globalDepth = 0;
  constexpr Fields encode() const { return {globalDepth, dirLen, 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.b, static_cast<uint8_t>(f.a)}; }
};
template <> struct SwissPayload<SwissKind::PruneStarted> {
  uint16_t table = 0;
  uint16_t tombstones = 0;
  uint16_t capacity = 0;
  constexpr Fields encode() const { return {table, uint32_t{tombstones} | uint32_t{capacity} << 16, 0}; }
  static constexpr SwissPayload decode(const Fields& f) {
    return {f.a, static_cast<uint16_t>(f.b), static_cast<uint16_t>(f.b >> 16)};
  }
};
template <> struct SwissPayload<SwissKind::PruneGroup> {
  SwissLoc group{}; // slot 0
  uint8_t freed = 0; // tombstones turned empty
  constexpr Fields encode() const { return swissLocFields(group, freed); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), static_cast<uint8_t>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::PruneEnded> {
  PruneEnd how = PruneEnd::FewTombstones;
  uint16_t freeable = 0; // tombstones in groups no key needs
  uint16_t growthLeft = 0;
  constexpr Fields encode() const { return {static_cast<uint16_t>(how), uint32_t{freeable} | uint32_t{growthLeft} << 16, 0}; }
  static constexpr SwissPayload decode(const Fields& f) {
    return {static_cast<PruneEnd>(f.a), static_cast<uint16_t>(f.b), static_cast<uint16_t>(f.b >> 16)};
  }
};
template <> struct SwissPayload<SwissKind::WritingChanged> {
  uint8_t to = 0; // m.writing after: the runtime only ever flips it (m.writing ^= 1)
  constexpr uint8_t from() const { return to ^ 1; }
  constexpr Fields encode() const { return {to, 0, 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {static_cast<uint8_t>(f.a)}; }
};
template <> struct SwissPayload<SwissKind::SeedChanged> {
  uint64_t seed = 0;
  SeedWhy why = SeedWhy::Make;
  constexpr Fields encode() const { return {static_cast<uint16_t>(why), 0, seed}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.c, static_cast<SeedWhy>(f.a)}; }
};
template <> struct SwissPayload<SwissKind::Cleared> {
  uint16_t table = 0;     // SwissLoc::kSmall for the small group
  uint32_t zeroed = 0;    // groups zeroed
  bool fullTest = false;  // only groups with a full slot were zeroed
  constexpr Fields encode() const { return {table, zeroed, fullTest}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.a, f.b, f.c != 0}; }
};
template <> struct SwissPayload<SwissKind::IterStarted> {
  uint64_t entryOffset = 0;
  uint32_t dirOffset = 0; // its low 32 bits (only dirOffset mod dirLen matters)
  constexpr Fields encode() const { return {0, dirOffset, entryOffset}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.c, f.b}; }
};
template <> struct SwissPayload<SwissKind::IterTable> {
  uint16_t table = 0; // its first directory index
  uint32_t dirIdx = 0;
  constexpr Fields encode() const { return {table, dirIdx, 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.a, f.b}; }
};
template <> struct SwissPayload<SwissKind::IterYielded> {
  SwissLoc slot{};
  int64_t value = 0;
  constexpr Fields encode() const { return swissLocFields(slot, static_cast<uint64_t>(value)); }
  static constexpr SwissPayload decode(const Fields& f) { return {swissLocOf(f), static_cast<int64_t>(f.c)}; }
};
template <> struct SwissPayload<SwissKind::IterFinished> {
  uint64_t yielded = 0;
  constexpr Fields encode() const { return {0, 0, yielded}; }
  static constexpr SwissPayload decode(const Fields& f) { return {f.c}; }
};
template <> struct SwissPayload<SwissKind::Panic> {
  Message message = Message::None;
  constexpr Fields encode() const { return {0, static_cast<uint32_t>(message), 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {static_cast<Message>(f.b)}; }
};
template <> struct SwissPayload<SwissKind::Fatal> {
  Message message = Message::None;
  constexpr Fields encode() const { return {0, static_cast<uint32_t>(message), 0}; }
  static constexpr SwissPayload decode(const Fields& f) { return {static_cast<Message>(f.b)}; }
};

// What the views and the event list need about each kind.
struct SwissKindInfo {
  SwissKind kind;
  std::string_view name; // in `gomaplab events` JSON
  bool carriesSlot;      // the payload starts with a SwissLoc
  bool endsOp;
};
inline constexpr std::array<SwissKindInfo, static_cast<std::size_t>(SwissKind::kCount)> kSwissKindTable = {{
    {SwissKind::OpBegin, "op_begin", false, false},
    {SwissKind::OpEnd, "op_end", false, true},
    {SwissKind::Hashed, "hashed", false, false},
    {SwissKind::GroupProbed, "group_probed", true, false},
    {SwissKind::KeyCompared, "key_compared", true, false},
    {SwissKind::SlotChosen, "slot_chosen", true, false},
    {SwissKind::SlotWritten, "slot_written", true, false},
    {SwissKind::KeyUpdated, "key_updated", true, false},
    {SwissKind::ElemWritten, "elem_written", true, false},
    {SwissKind::ElemRead, "elem_read", true, false},
    {SwissKind::UsedChanged, "used_changed", false, false},
    {SwissKind::SlotDeleted, "slot_deleted", true, false},
    {SwissKind::GroupAllocated, "group_allocated", false, false},
    {SwissKind::TableAllocated, "table_allocated", false, false},
    {SwissKind::ConvertStarted, "convert_to_table", false, false},
    {SwissKind::RehashStarted, "rehash_started", false, false},
    {SwissKind::SlotMoved, "slot_moved", true, false},
    {SwissKind::TableInstalled, "table_installed", false, false},
    {SwissKind::DirDoubled, "dir_doubled", false, false},
    {SwissKind::PruneStarted, "prune_started", false, false},
    {SwissKind::PruneGroup, "prune_group", true, false},
    {SwissKind::PruneEnded, "prune_ended", false, false},
    {SwissKind::WritingChanged, "writing_changed", false, false},
    {SwissKind::SeedChanged, "seed_changed", false, false},
    {SwissKind::Cleared, "cleared", false, false},
    {SwissKind::IterStarted, "iter_started", false, false},
    {SwissKind::IterTable, "iter_table", false, false},
    {SwissKind::IterYielded, "iter_yielded", true, false},
    {SwissKind::IterFinished, "iter_finished", false, true},
    {SwissKind::Panic, "panic", false, true},
    {SwissKind::Fatal, "fatal", false, true},
}};
constexpr bool swissKindTableInOrder() {
  for (std::size_t i = 0; i < kSwissKindTable.size(); i++)
    if (static_cast<std::size_t>(kSwissKindTable[i].kind) != i) return false;
  return true;
}
static_assert(swissKindTableInOrder(), "kSwissKindTable rows follow enum SwissKind");
constexpr const SwissKindInfo& swissKindInfo(SwissKind k) { return kSwissKindTable[static_cast<std::size_t>(k)]; }

// The source files of internal/runtime/maps the sites point into.
enum class SwissFile : uint8_t { Map, Table, Fast64, Fast32, FastStr, Runtime };
constexpr std::string_view swissFileName(SwissFile f) {
  switch (f) {
  case SwissFile::Map: return "internal/runtime/maps/map.go";
  case SwissFile::Table: return "internal/runtime/maps/table.go";
  case SwissFile::Fast64: return "internal/runtime/maps/runtime_fast64.go";
  case SwissFile::Fast32: return "internal/runtime/maps/runtime_fast32.go";
  case SwissFile::FastStr: return "internal/runtime/maps/runtime_faststr.go";
  case SwissFile::Runtime: return "internal/runtime/maps/runtime.go";
  }
  return "";
}

enum class SwissSite : uint8_t {
  None,
  MakeBegin, MakeSeed, MakeTable, MakeEnd,
  AssignBegin, AssignNilPanic, AssignEntryCheck, AssignHash, AssignWritingSet, AssignGrowToSmall,
  SmallProbe, SmallKeyCompare, SmallKeyUpdate, SmallNoEmpty, SmallSlotChosen, SmallSlotWritten, SmallUsed,
  AssignGrowToTable, ConvertMove, ConvertInstall, AssignPutForAssign,
  AssignProbe, AssignKeyCompare, AssignKeyUpdate, AssignTombstoneSeen, AssignSlotChosen, AssignPrune,
  AssignSlotWritten, AssignUsed, SmallExitCheck, SmallWritingClear, AssignExitCheck, AssignWritingClear,
  AssignElemWrite, AssignEnd,
  NewTable, UncheckedPut,
  PruneBegin, PruneGroupFreed, PruneEnd,
  RehashBegin, GrowInstall, SplitDouble, SplitInstall,
  AccessBegin, AccessEntryCheck, AccessHash, AccessSmallHash, AccessSmallProbe, AccessSmallKeyCompare, AccessProbe,
  AccessKeyCompare, AccessFound, AccessEndFound, AccessEnd,
  DeleteBegin, DeleteEntryCheck, DeleteHash, DeleteWritingSet, DeleteSmallProbe, DeleteSmallKeyCompare, DeleteSmallUsed, DeleteSmallSlot,
  DeleteProbe, DeleteKeyCompare, DeleteSlot, DeleteUsed, DeleteReseed, DeleteExitCheck, DeleteWritingClear,
  DeleteEnd,
  ClearBegin, ClearEntryCheck, ClearWritingSet, ClearSmall, ClearTable, ClearReseed, ClearExitCheck,
  ClearWritingClear, ClearEnd,
  IterInit, IterNextCheck, IterLookupCheck, IterNextTable, IterNextYield, IterNextEnd,
  kCount
};

struct SwissSiteInfo {
  SwissSite site;            // the row's own site (checked: rows follow the enum)
  SwissKind kind;
  std::string_view function; // as in internal/runtime/maps
  SwissFile file;
  int line126;               // line in file at go1.26.11
  int line127;               // and at go1.27.4
  std::string_view needle;   // text on that line in both releases
  std::string_view what;     // one line for logs
};

// Per key kind (in enum KeyKind order), one row per SwissSite in enum order.
// The compiler lowers m[k] = v, v, ok := m[k] and delete(m, k) to a runtime
// function chosen by the key type (cmd/compile/internal/walk mapfast): int64
// keys run runtime_mapassign_fast64 / runtime_mapaccess2_fast64 /
// runtime_mapdelete_fast64 (runtime_fast64.go), int32 keys the fast32 twins,
// string keys the faststr ones, float64 keys (no fast variant) the generic
// runtime_mapassign / runtime_mapaccess2 (runtime.go), putSlotSmall and
// getWithKeySmall (map.go). Growth, split, prune, delete's own steps, clear and
// iteration are the same functions for every key kind.
inline constexpr std::size_t kSwissKeyKinds = 4;
inline constexpr SwissSiteInfo kSwissSiteRows[kSwissKeyKinds][static_cast<std::size_t>(SwissSite::kCount)] = {
#include "engine/swiss_sites.inc"
};
constexpr bool swissSiteRowsConsistent() {
  for (std::size_t s = 0; s < static_cast<std::size_t>(SwissSite::kCount); s++)
    for (std::size_t k = 0; k < kSwissKeyKinds; k++)
      if (static_cast<std::size_t>(kSwissSiteRows[k][s].site) != s || kSwissSiteRows[k][s].kind != kSwissSiteRows[0][s].kind)
        return false;
  return true;
}
static_assert(swissSiteRowsConsistent(),
              "kSwissSiteRows: per key kind, one row per SwissSite in enum order, the same event kind for every key "
              "kind (edit scripts/swiss_sites.txt and rerun scripts/gen-swiss-sites.py)");
// The row of site s for a map with keys of kind k: what the views, the event
// JSON, the catalogue and the race reports show.
constexpr const SwissSiteInfo& swissSiteInfo(SwissSite s, KeyKind k) {
  return kSwissSiteRows[static_cast<std::size_t>(k)][static_cast<std::size_t>(s)];
}
constexpr int swissSiteLine(SwissSite s, KeyKind k, bool go127) {
  return go127 ? swissSiteInfo(s, k).line127 : swissSiteInfo(s, k).line126;
}
// The int64 rows. Only a site's event kind (the same for every key kind) may be
// taken from them without the map's key kind.
inline constexpr const SwissSiteInfo* kSwissSiteTable = kSwissSiteRows[0];
constexpr const SwissSiteInfo& swissSiteInfo(SwissSite s) { return kSwissSiteTable[static_cast<std::size_t>(s)]; }

// The record: the same 16 bytes as the classic map's Event.
struct SwissEvent {
  SwissKind kind;
  SwissSite site;
  uint16_t a;
  uint32_t b;
  uint64_t c;

  template <SwissSite S>
  [[gnu::always_inline]] static constexpr SwissEvent of(const SwissPayload<swissSiteInfo(S).kind>& p = {}) {
    const Fields f = p.encode();
    return SwissEvent{swissSiteInfo(S).kind, S, f.a, f.b, f.c};
  }
  constexpr Fields fields() const { return Fields{a, b, c}; }
};
static_assert(sizeof(SwissEvent) == 16, "one 16-byte record per event");

// The records a sink holds: one contiguous array, read like a
// std::vector<SwissEvent> (size, [], begin/end, data, back, clear, copies, and
// a conversion to std::vector for the readers that keep their own). It is
// not a std::vector so that the append runs through its own write pointer:
//  - push() is a compare of two pointers, a pointer increment and two 8-byte
//    stores of the record packed in registers (see store() for their type);
//    no size bookkeeping, no out-of-line emplace_back (GCC called the
//    vector's at 20 sites of the recorded put), no value-initialisation;
//  - the full case leaves the inline path entirely (refill, cold): the
//    array doubles, from 4096 records (docs/performance.md, "Recording: the
//    sink's own write pointer").
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
// GCC 12 reported size() in reallocTo as a use after realloc (a false
// positive of -Wuse-after-free across the inlined refill) when it grew with
// realloc; kept for any later change back.
#pragma GCC diagnostic ignored "-Wuse-after-free"
#endif
class SwissEventLog {
public:
  using value_type = SwissEvent;
  using size_type = std::size_t;
  using const_iterator = const SwissEvent*;
  using iterator = const SwissEvent*;

  SwissEventLog() = default;
  SwissEventLog(const SwissEventLog& o) { append(o.begin_, o.size()); }
  SwissEventLog(SwissEventLog&& o) noexcept : begin_(o.begin_), cur_(o.cur_), end_(o.end_) {
    o.begin_ = o.cur_ = o.end_ = nullptr;
  }
  SwissEventLog& operator=(const SwissEventLog& o) {
    if (this != &o) {
      cur_ = begin_;
      append(o.begin_, o.size());
    }
    return *this;
  }
  SwissEventLog& operator=(SwissEventLog&& o) noexcept {
    std::swap(begin_, o.begin_);
    std::swap(cur_, o.cur_);
    std::swap(end_, o.end_);
    return *this;
  }
  ~SwissEventLog() { std::free(begin_); }
  // A copy as a vector (script_runner's ScriptStep, the tests' references).
  operator std::vector<SwissEvent>() const { return std::vector<SwissEvent>(begin(), end()); }

  std::size_t size() const { return static_cast<std::size_t>(cur_ - begin_); }
  bool empty() const { return cur_ == begin_; }
  std::size_t capacity() const { return static_cast<std::size_t>(end_ - begin_); }
  const SwissEvent* data() const {
    seen();
    return begin_;
  }
  const SwissEvent* begin() const { return data(); }
  const SwissEvent* end() const { return cur_; }
  const SwissEvent& operator[](std::size_t i) const {
    assert(i < size());
    return data()[i];
  }
  const SwissEvent& front() const { return (*this)[0]; }
  const SwissEvent& back() const { return (*this)[size() - 1]; }
  // Forgets the events, keeps the memory.
  void clear() { cur_ = begin_; }
  void reserve(std::size_t n) {
    if (n > capacity()) reallocTo(n);
  }
  void shrink_to_fit() { reallocTo(size()); }

  // The cursor is advanced before the record is stored, from the value just
  // compared (the order std::vector's emplace_back has).
  [[gnu::always_inline]] void push(uint64_t w0, uint64_t w1) {
    SwissEvent* const at = cur_;
    if (at == end_) [[unlikely]] return refill(w0, w1);
    cur_ = at + 1;
    store(at, w0, w1);
  }

private:
  // The record as two 8-byte words of a struct of two uint64_t. Stored this
  // way, and not with memcpy (or a SwissEvent, whose one-byte fields have
  // the character type's alias set), the stores cannot alias the cursor, the
  // map's sink pointer or the map's own pointer fields, so the compiler keeps
  // them in registers across the events of an op instead of reloading them
  // after every record (measured: with memcpy, the same code as the vector's
  // plus a spilled map pointer, 0.25-0.3 ns per event slower than the vector;
  // this way 0.05-0.1 faster). The records are read as SwissEvent: every
  // reader goes through begin(), data() or operator[], which hold a compiler
  // barrier (seen()), so no read is ever moved across a store it depends on.
  struct Words {
    uint64_t w0, w1;
  };
  static_assert(sizeof(Words) == sizeof(SwissEvent) && alignof(Words) == alignof(SwissEvent));
  [[gnu::always_inline]] static void store(SwissEvent* at, uint64_t w0, uint64_t w1) {
    *reinterpret_cast<Words*>(static_cast<void*>(at)) = Words{w0, w1};
  }
  // A compiler barrier: every store before it is done, every load after it
  // reads memory (no code; the readers are not hot).
  static void seen() { asm volatile("" ::: "memory"); }
  [[gnu::noinline, gnu::cold]] void refill(uint64_t w0, uint64_t w1) {
    reallocTo(begin_ == end_ ? 4096 : 2 * capacity());
    store(cur_, w0, w1);
    cur_++;
  }
  void append(const SwissEvent* from, std::size_t n) {
    reserve(size() + n);
    if (n != 0) std::memcpy(static_cast<void*>(cur_), from, n * sizeof(SwissEvent));
    cur_ += n;
  }
  void reallocTo(std::size_t cap) {
    const std::size_t n = size();
    if (cap == 0) {
      std::free(begin_);
      begin_ = cur_ = end_ = nullptr;
      return;
    }
    // A new block and a copy, as std::vector grows, not realloc: glibc moves
    // a large block with mremap (no copy, fewer page faults), but the bench
    // recorded 0.1-0.2 ns per event slower into the moved block, at 100,000
    // keys and at a million, every pair (not understood).
    void* p = std::malloc(cap * sizeof(SwissEvent));
    if (p == nullptr) [[unlikely]] failed();
    if (n != 0) std::memcpy(p, static_cast<const void*>(begin_), n * sizeof(SwissEvent));
    std::free(begin_);
    begin_ = static_cast<SwissEvent*>(p);
    cur_ = begin_ + n;
    end_ = begin_ + cap;
  }
  [[noreturn, gnu::noinline, gnu::cold]] static void failed() { throw std::bad_alloc(); }
  SwissEvent* begin_ = nullptr;
  SwissEvent* cur_ = nullptr; // the next record's place
  SwissEvent* end_ = nullptr; // cur_ == end_: full
};
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

// Where the map's events go when someone records them: `events`, which the
// session, the script runner and the tests read directly. push() is what the
// engine's recorded form runs for every event: the record is packed into its
// two little-endian words in registers (the struct copy wrote four narrow
// fields) and appended (SwissEventLog::push).
struct SwissEventSink {
  SwissEventLog events;
  [[gnu::always_inline]] void push(const SwissEvent& e) {
    const uint64_t w0 = uint64_t{static_cast<uint8_t>(e.kind)} | uint64_t{static_cast<uint8_t>(e.site)} << 8 |
                        uint64_t{e.a} << 16 | uint64_t{e.b} << 32;
    events.push(w0, e.c);
  }
  void clear() { events.clear(); }
};
static_assert(std::endian::native == std::endian::little && offsetof(SwissEvent, site) == 1 &&
                  offsetof(SwissEvent, a) == 2 && offsetof(SwissEvent, b) == 4 && offsetof(SwissEvent, c) == 8,
              "SwissEventSink::push writes this layout as two little-endian words");

template <SwissKind K> constexpr SwissPayload<K> swissPayloadOf(const SwissEvent& e) {
  assert(e.kind == K);
  return SwissPayload<K>::decode(e.fields());
}
// The slot an event names, for kinds that carry one.
constexpr SwissLoc swissLocOfEvent(const SwissEvent& e) { return swissLocOf(e.fields()); }

} // namespace gomap::swiss
