// Engine events: compact, typed, fixed-size (16-byte) records, one per step of
// the runtime's algorithms, in the manner of Tracy's TracyQueue.hpp: one record
// type, one payload struct per kind packed inside it, and tables checked by
// static_assert.
//
//  - EventKind lists the kinds. For each kind K, Payload<K> (below) names its
//    fields in the runtime's vocabulary and holds the only code that packs them
//    into the record (encode) and unpacks them (decode). The engine builds
//    events with Event::of<Site>(payload); every reader goes through
//    payloadOf<K>(event). Nothing outside this file touches the raw words.
//  - kKindTable holds the facts about each kind that consumers used to compute
//    with switches (name, category, whether it carries a cell, ends the op,
//    replaces the bucket arrays).
//  - Each record also names its emission Site; kSiteTable gives the runtime
//    function and the map.go line (Go 1.19.8) it mirrors, so a viewer can show
//    the code that is running.
//
// Adding a kind: one enumerator in EventKind, one Payload<K> specialisation,
// one row in kKindTable (static_asserts check the count and the order).
#pragma once
#include <cassert>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace gomap {

// Payload fields per kind: see Payload<K> below.
enum class EventKind : uint8_t {
  OpBegin,           // an operation starts
  OpEnd,             // it returns
  HashComputed,      // t.hasher(key, h.hash0)
  BucketSelected,    // the chain head searched
  TophashCompared,   // b.tophash[i] against top
  KeyCompared,       // t.key.equal
  SlotChosen,        // mapassign's insert position
  OverflowAllocated, // newoverflow
  NoverflowIncr,     // incrnoverflow at B >= 16
  BucketsAllocated,  // makeBucketArray / newobject(t.bucket)
  GrowthStarted,     // hashGrow
  GrowWork,          // growWork
  EvacuateBegin,     // evacuate(oldbucket)
  CellEvacuated,     // one cell copied to X or Y
  OldBucketCleared,  // the old bucket's keys, elems and overflow pointer zeroed
  BucketEvacuated,   // evacuate done with one old bucket
  NevacuateAdvanced, // advanceEvacuationMark
  GrowthFinished,    // h.oldbuckets = nil
  CellWritten,       // key + tophash stored
  KeyUpdated,        // existing key overwritten (needkeyupdate)
  ElemWritten,       // the caller's store through mapassign's result
  ElemRead,          // mapaccess result
  CountChanged,      // h.count stored
  CellDeleted,       // tophash = emptyOne, key/elem cleared
  EmptyRestMarked,   // tophash = emptyRest
  FlagsLoaded,       // first half of a non-atomic read-modify-write of h.flags
  FlagsChanged,      // h.flags stored
  Hash0Reseeded,     // h.hash0 = fastrand()
  MapCleared,        // mapclear's makeBucketArray over the old array
  IterStarted,       // mapiterinit's random start
  IterBucket,        // mapiternext moves to a bucket
  IterYielded,       // a key/elem pair returned
  IterSkipped,       // a cell passed over
  IterFinished,      // end of iteration
  Panic,             // a Go panic
  Fatal,             // fatal error or runtime throw
  // Memory level only (not pause points at statement level): the earlier
  // stores and loads of a multi-word update whose last store is a kind above.
  KeyStored,         // the key alone stored (mapassign before its tophash; evacuate's copy)
  TophashStored,     // a tophash stored (evacuate: the old cell's mark, the copy's tophash)
  CountLoaded,       // first half of h.count++
  OverflowLinked,    // b.setoverflow(t, ovf): the new bmap joins the chain
  NevacuateLoaded,   // advanceEvacuationMark's load of h.nevacuate (held in a register until the store)
  kCount
};

enum class OpCode : uint8_t { Make, Put, Get, Del, Iter, IterNext, Clear, Hash, Seed };
enum class Outcome : uint8_t { Ok, Panic, Fatal };
enum class TophashOutcome : uint8_t { Match, Mismatch, Empty, EmptyRestStop, Evacuated };
enum class IterSkip : uint8_t { Empty, OtherHalf, Deleted };
// Why mapassign settled on a cell.
enum class SlotChoice : uint8_t { FirstEmpty = 1, ExistingKey = 2, NewOverflow = 3 };
enum GrowTrigger : uint32_t { kGrowLoadFactor = 1, kGrowOverflow = 2, kGrowSameSize = 4 };

enum class Message : uint32_t {
  None,
  NilMapWrite,                // panic: assignment to entry in nil map
  ConcurrentMapWrites,        // fatal error: concurrent map writes
  ConcurrentReadWrite,        // fatal error: concurrent map read and map write
  ConcurrentIterationWrite,   // fatal error: concurrent map iteration and map write
  BadMapState,                // throw: bad map state
  OldoverflowNotNil,          // throw: oldoverflow is not nil
  OutOfMemory,                // fatal error: runtime: out of memory (simulator's limit)
  InvalidMemory,              // panic: runtime error: invalid memory address or nil pointer dereference
                              // (a racing goroutine follows a pointer another one cleared)
  SmallMapNoEmptySlot,        // fatal error: small map with no empty slot (concurrent map writes?)
                              // (the Swiss map of Go 1.26, putSlotSmall)
};
std::string_view messageText(Message m);
// Whether the runtime reports m with throw (an internal error) rather than fatal.
constexpr bool thrownByRuntime(Message m) { return m == Message::BadMapState || m == Message::OldoverflowNotNil; }

// Where an event is emitted. The table below maps each site to its runtime
// function and map.go line; viewers use it for the code panel.
enum class Site : uint8_t {
  None,
  MakemapBegin, MakemapHash0, MakemapArray, MakemapEnd,
  AssignBegin, AssignNilPanic, AssignEntryCheck, AssignHash, AssignFlagsLoad, AssignFlagsXor, AssignNewobject,
  AssignBucket, AssignTophash, AssignKeyCompare, AssignKeyUpdate, AssignInsertSlot, AssignGrow, AssignNewOverflowSlot,
  AssignStore, AssignCount, AssignExitCheck, AssignExitFlagsLoad, AssignExitFlagsClear, AssignElemWrite, AssignEnd,
  AccessBegin, AccessEntryCheck, AccessHash, AccessBucket, AccessTophash, AccessKeyCompare, AccessResult, AccessEnd,
  DeleteBegin, DeleteEntryCheck, DeleteHash, DeleteFlagsLoad, DeleteFlagsXor, DeleteBucket, DeleteTophash,
  DeleteKeyCompare, DeleteClear, DeleteEmptyRest, DeleteCount, DeleteReseed, DeleteExitCheck, DeleteExitFlagsLoad,
  DeleteExitFlagsClear, DeleteEnd,
  NewOverflow, IncrNoverflow,
  HashGrowBegin, HashGrowArray, HashGrowCommit,
  GrowWorkBegin, EvacuateBegin, EvacuateCell, EvacuateNewOverflow, EvacuateClearOld, EvacuateDone,
  AdvanceMark, AdvanceMarkDone,
  IterInitBegin, IterInitRand, IterInitFlags, IterNextEntryCheck, IterNextBucket, IterNextSkip, IterNextYield,
  IterNextEnd,
  ClearBegin, ClearEntryCheck, ClearFlagsLoad, ClearFlagsXor, ClearReset, ClearReseed, ClearArray, ClearExitCheck,
  ClearExitFlagsLoad, ClearExitFlagsClear, ClearEnd,
  HashGrowThrow, // throw("oldoverflow is not nil")
  EvacuateThrow, // throw("bad map state")
  // Memory-level steps (appended, so earlier sites keep their numbers).
  AssignKeyStore, AssignCountLoad, NewOverflowLink, EvacuateNewOverflowLink, EvacuateMarkOld, EvacuateCopyTophash,
  EvacuateCopyKey, AdvanceMarkLoad,
  kCount
};

struct SiteInfo {
  EventKind kind;
  std::string_view function; // runtime function, e.g. "mapassign"
  int line;                  // line of runtime/map.go in Go 1.19.8
  std::string_view what;     // one-line description for logs
  // After this site the map's bucket arrays may be other ones, though its
  // kind does not always mean that (see replacesArrays(const Event&)).
  bool replacesArrays = false;
};
// One row per Site, in enum order: kind, runtime function, map.go line (1.19.8), description.
inline constexpr std::array<SiteInfo, static_cast<size_t>(Site::kCount)> kSiteTable = {{
    {EventKind::OpBegin, "", 0, "none"},
    {EventKind::OpBegin, "makemap", 304, "make(map[K]V, hint)", true},
    {EventKind::Hash0Reseeded, "makemap", 314, "h.hash0 = fastrand()"},
    {EventKind::BucketsAllocated, "makemap", 329, "h.buckets, nextOverflow = makeBucketArray(t, h.B, nil)"},
    {EventKind::OpEnd, "makemap", 336, "return h"},
    {EventKind::OpBegin, "mapassign", 578, "m[k] = v: mapassign"},
    {EventKind::Panic, "mapassign", 580, "panic: assignment to entry in nil map"},
    {EventKind::Fatal, "mapassign", 595, "fatal: concurrent map writes (entry check)"},
    {EventKind::HashComputed, "mapassign", 597, "hash := t.hasher(key, uintptr(h.hash0))"},
    {EventKind::FlagsLoaded, "mapassign", 601, "load h.flags (for h.flags ^= hashWriting)"},
    {EventKind::FlagsChanged, "mapassign", 601, "h.flags ^= hashWriting"},
    {EventKind::BucketsAllocated, "mapassign", 604, "h.buckets = newobject(t.bucket)"},
    {EventKind::BucketSelected, "mapassign", 612, "b := bucket hash & bucketMask(h.B)"},
    {EventKind::TophashCompared, "mapassign", 621, "if b.tophash[i] != top"},
    {EventKind::KeyCompared, "mapassign", 636, "if !t.key.equal(key, k)"},
    {EventKind::KeyUpdated, "mapassign", 641, "typedmemmove(t.key, k, key) (needkeyupdate)"},
    {EventKind::SlotChosen, "mapassign", 623, "inserti = &b.tophash[i]"},
    {EventKind::GrowthStarted, "mapassign", 658, "hashGrow(t, h); goto again"},
    {EventKind::SlotChosen, "mapassign", 664, "newb := h.newoverflow(t, b); inserti = &newb.tophash[0]"},
    {EventKind::CellWritten, "mapassign", 681, "*inserti = top (the key is stored: the cell is live)"},
    {EventKind::CountChanged, "mapassign", 682, "h.count++"},
    {EventKind::Fatal, "mapassign", 686, "fatal: concurrent map writes (exit check)"},
    {EventKind::FlagsLoaded, "mapassign", 688, "load h.flags (for h.flags &^= hashWriting)"},
    {EventKind::FlagsChanged, "mapassign", 688, "h.flags &^= hashWriting"},
    {EventKind::ElemWritten, "mapassign", 692, "*elem = v: the caller stores through the returned pointer"},
    {EventKind::OpEnd, "mapassign", 692, "return elem"},
    {EventKind::OpBegin, "mapaccess2", 456, "v, ok := m[k]: mapaccess2"},
    {EventKind::Fatal, "mapaccess2", 476, "fatal: concurrent map read and map write"},
    {EventKind::HashComputed, "mapaccess2", 478, "hash := t.hasher(key, uintptr(h.hash0))"},
    {EventKind::BucketSelected, "mapaccess2", 480, "b := bucket hash&m (old bucket if not evacuated)"},
    {EventKind::TophashCompared, "mapaccess2", 495, "if b.tophash[i] != top"},
    {EventKind::KeyCompared, "mapaccess2", 505, "if t.key.equal(key, k)"},
    {EventKind::ElemRead, "mapaccess2", 510, "return e, true"},
    {EventKind::OpEnd, "mapaccess2", 514, "return zeroVal, false"},
    {EventKind::OpBegin, "mapdelete", 695, "delete(m, k): mapdelete"},
    {EventKind::Fatal, "mapdelete", 715, "fatal: concurrent map writes (entry check)"},
    {EventKind::HashComputed, "mapdelete", 718, "hash := t.hasher(key, uintptr(h.hash0))"},
    {EventKind::FlagsLoaded, "mapdelete", 722, "load h.flags (for h.flags ^= hashWriting)"},
    {EventKind::FlagsChanged, "mapdelete", 722, "h.flags ^= hashWriting"},
    {EventKind::BucketSelected, "mapdelete", 728, "b := bucket hash & bucketMask(h.B)"},
    {EventKind::TophashCompared, "mapdelete", 734, "if b.tophash[i] != top"},
    {EventKind::KeyCompared, "mapdelete", 745, "if !t.key.equal(key, k2)"},
    {EventKind::CellDeleted, "mapdelete", 762, "clear key/elem; b.tophash[i] = emptyOne"},
    {EventKind::EmptyRestMarked, "mapdelete", 777, "b.tophash[i] = emptyRest"},
    {EventKind::CountChanged, "mapdelete", 795, "h.count--"},
    {EventKind::Hash0Reseeded, "mapdelete", 799, "if h.count == 0 { h.hash0 = fastrand() }"},
    {EventKind::Fatal, "mapdelete", 806, "fatal: concurrent map writes (exit check)"},
    {EventKind::FlagsLoaded, "mapdelete", 808, "load h.flags (for h.flags &^= hashWriting)"},
    {EventKind::FlagsChanged, "mapdelete", 808, "h.flags &^= hashWriting"},
    {EventKind::OpEnd, "mapdelete", 808, "return"},
    {EventKind::OverflowAllocated, "newoverflow", 246, "ovf from h.extra.nextOverflow or newobject(t.bucket)"},
    {EventKind::NoverflowIncr, "incrnoverflow", 227, "h.noverflow++ (with probability 1/2^(B-15) at B>=16)"},
    {EventKind::GrowthStarted, "hashGrow", 1041, "bigger or same-size grow"},
    {EventKind::BucketsAllocated, "hashGrow", 1051, "newbuckets, nextOverflow := makeBucketArray(t, h.B+bigger, nil)"},
    {EventKind::FlagsChanged, "hashGrow", 1059, "commit: B, flags, oldbuckets, buckets, nevacuate=0, noverflow=0", true},
    {EventKind::GrowWork, "growWork", 1128, "evacuate(bucket&oldbucketmask); evacuate(h.nevacuate)"},
    {EventKind::EvacuateBegin, "evacuate", 1152, "evacuate(t, h, oldbucket)"},
    {EventKind::CellEvacuated, "evacuate", 1221, "cell evacuated: its elem copied last (typedmemmove(t.elem, dst.e, e), L1239)"},
    {EventKind::OverflowAllocated, "evacuate", 1225, "dst.b = h.newoverflow(t, dst.b)"},
    {EventKind::OldBucketCleared, "evacuate", 1257, "memclrHasPointers(old bucket keys, elems, overflow)"},
    {EventKind::BucketEvacuated, "evacuate", 1261, "old bucket evacuated"},
    {EventKind::NevacuateAdvanced, "advanceEvacuationMark", 1267, "h.nevacuate++ past evacuated buckets"},
    {EventKind::GrowthFinished, "advanceEvacuationMark", 1279, "h.oldbuckets = nil: growing is all done"},
    {EventKind::OpBegin, "mapiterinit", 815, "for k, v := range m: mapiterinit"},
    {EventKind::IterStarted, "mapiterinit", 849, "r := fastrand(); startBucket, offset"},
    {EventKind::FlagsChanged, "mapiterinit", 860, "atomic.Or8(&h.flags, iterator|oldIterator)"},
    {EventKind::Fatal, "mapiternext", 873, "fatal: concurrent map iteration and map write"},
    {EventKind::IterBucket, "mapiternext", 882, "next bucket (old one if not yet evacuated)"},
    {EventKind::IterSkipped, "mapiternext", 915, "skip empty / other-half / deleted cell"},
    {EventKind::IterYielded, "mapiternext", 959, "it.key = k; it.elem = e"},
    {EventKind::IterFinished, "mapiternext", 885, "end of iteration"},
    {EventKind::OpBegin, "mapclear", 993, "mapclear"},
    {EventKind::Fatal, "mapclear", 1005, "fatal: concurrent map writes (entry check)"},
    {EventKind::FlagsLoaded, "mapclear", 1008, "load h.flags (for h.flags ^= hashWriting)"},
    {EventKind::FlagsChanged, "mapclear", 1008, "h.flags ^= hashWriting"},
    {EventKind::FlagsChanged, "mapclear", 1010, "clear sameSizeGrow, oldbuckets, nevacuate, noverflow, count", true},
    {EventKind::Hash0Reseeded, "mapclear", 1018, "h.hash0 = fastrand()"},
    {EventKind::MapCleared, "mapclear", 1028, "makeBucketArray(t, h.B, h.buckets): zero and rebuild pool"},
    {EventKind::Fatal, "mapclear", 1036, "fatal: concurrent map writes (exit check)"},
    {EventKind::FlagsLoaded, "mapclear", 1038, "load h.flags (for h.flags &^= hashWriting)"},
    {EventKind::FlagsChanged, "mapclear", 1038, "h.flags &^= hashWriting"},
    {EventKind::OpEnd, "mapclear", 1038, "return"},
    {EventKind::Fatal, "hashGrow", 1068, "throw: oldoverflow is not nil"},
    {EventKind::Fatal, "evacuate", 1185, "throw: bad map state"},
    {EventKind::KeyStored, "mapassign", 680, "typedmemmove(t.key, insertk, key)"},
    {EventKind::CountLoaded, "mapassign", 682, "load h.count (for h.count++)"},
    {EventKind::OverflowLinked, "newoverflow", 270, "b.setoverflow(t, ovf)"},
    {EventKind::OverflowLinked, "evacuate", 1225, "dst.b = h.newoverflow(t, dst.b): b.setoverflow(t, ovf)"},
    {EventKind::TophashStored, "evacuate", 1221, "b.tophash[i] = evacuatedX + useY"},
    {EventKind::TophashStored, "evacuate", 1230, "dst.b.tophash[dst.i&(bucketCnt-1)] = top"},
    {EventKind::KeyStored, "evacuate", 1234, "typedmemmove(t.key, dst.k, k)"},
    {EventKind::NevacuateLoaded, "advanceEvacuationMark", 1267,
     "load h.nevacuate, +1, skip evacuated buckets (in a register until the store)"},
}};
static_assert(kSiteTable.back().line == 1267, "site table out of step with enum Site");

constexpr const SiteInfo& siteInfo(Site s) { return kSiteTable[static_cast<std::size_t>(s)]; }

// ---- call structure ------------------------------------------------------------
//
// Which runtime function calls which, at which map.go line (Go 1.19.8), and
// which site is each function's entry. Only functions that emit events appear.
// The code panel's call stack (ui/call_stack.cpp), its caller lines
// (ui/pseudo_code.cpp) and the race tracebacks (concurrency/report.cpp) read
// these tables; none keeps a call graph of its own.

struct CallEdge {
  std::string_view caller, callee;
  int line;              // the call's line in runtime/map.go
  std::string_view text; // that line, as a traceback's note shows it
};
// A callee with two rows under one caller (growWork calls evacuate twice) lists
// the first call first: a frame whose call cannot be told apart names that one.
inline constexpr std::array<CallEdge, 10> kCallTable = {{
    {"mapassign", "growWork", 610, "growWork(t, h, bucket)"},
    {"mapassign", "hashGrow", 658, "hashGrow(t, h)"},
    {"mapassign", "newoverflow", 664, "newb := h.newoverflow(t, b)"},
    {"mapdelete", "growWork", 726, "growWork(t, h, bucket)"},
    {"growWork", "evacuate", 1131, "evacuate(t, h, bucket&h.oldbucketmask())"},
    {"growWork", "evacuate", 1135, "evacuate(t, h, h.nevacuate)"},
    {"evacuate", "newoverflow", 1225, "dst.b = h.newoverflow(t, dst.b)"},
    {"evacuate", "advanceEvacuationMark", 1262, "advanceEvacuationMark(h, t, newbit)"},
    {"newoverflow", "incrnoverflow", 265, "h.incrnoverflow()"},
    {"mapiterinit", "mapiternext", 863, "mapiternext(it)"},
}};

// Each runtime function that emits events, with the site of its first event on
// every call (Site::None: the function has no such site, e.g. newoverflow,
// whose incrnoverflow runs before newoverflow emits anything).
struct FunctionInfo {
  std::string_view name;
  Site entry;
};
inline constexpr std::array<FunctionInfo, 13> kFunctionTable = {{
    {"makemap", Site::MakemapBegin},
    {"mapassign", Site::AssignBegin},
    {"mapaccess2", Site::AccessBegin},
    {"mapdelete", Site::DeleteBegin},
    {"mapclear", Site::ClearBegin},
    {"mapiterinit", Site::IterInitBegin},
    {"mapiternext", Site::None},
    {"hashGrow", Site::HashGrowBegin},
    {"growWork", Site::GrowWorkBegin},
    {"evacuate", Site::EvacuateBegin},
    {"advanceEvacuationMark", Site::AdvanceMarkLoad},
    {"newoverflow", Site::None},
    {"incrnoverflow", Site::None},
}};

constexpr const FunctionInfo* functionInfo(std::string_view name) {
  for (const FunctionInfo& f : kFunctionTable)
    if (f.name == name) return &f;
  return nullptr;
}
// Whether the function table has a row for name (for static checks: GCC with
// the sanitizers cannot compare a pointer into a table with null at compile time).
constexpr bool hasFunction(std::string_view name) {
  for (const FunctionInfo& f : kFunctionTable)
    if (f.name == name) return true;
  return false;
}
// Whether s is the first event of every call of its function.
constexpr bool isEntrySite(Site s) {
  if (s == Site::None) return false;
  const FunctionInfo* f = functionInfo(siteInfo(s).function);
  return f && f->entry == s;
}
// The first call of callee in caller (null if caller does not call it).
constexpr const CallEdge* callEdge(std::string_view caller, std::string_view callee) {
  for (const CallEdge& c : kCallTable)
    if (c.caller == caller && c.callee == callee) return &c;
  return nullptr;
}
constexpr bool calls(std::string_view caller, std::string_view callee) {
  return !caller.empty() && callEdge(caller, callee) != nullptr;
}
// The edge a traceback names for a frame of callee when the caller is not
// known from events: the call from `prefer` if there is one, else the first
// row for callee.
constexpr const CallEdge* callerEdge(std::string_view callee, std::string_view prefer = {}) {
  if (const CallEdge* c = callEdge(prefer, callee)) return c;
  for (const CallEdge& c : kCallTable)
    if (c.callee == callee) return &c;
  return nullptr;
}

constexpr bool callStructureConsistent() {
  for (const CallEdge& c : kCallTable)
    if (!hasFunction(c.caller) || !hasFunction(c.callee) || c.line <= 0) return false;
  for (const FunctionInfo& f : kFunctionTable)
    if (f.entry != Site::None && siteInfo(f.entry).function != f.name) return false;
  for (const SiteInfo& s : kSiteTable)
    if (!s.function.empty() && !hasFunction(s.function)) return false;
  return true;
}
static_assert(callStructureConsistent(), "kCallTable / kFunctionTable name functions of the site table");

// ---- per-kind facts ----------------------------------------------------------

// The event log's filter groups.
enum class EventCategory : uint8_t { Ops, Search, Writes, Growth, Overflow, Iteration, Flags, Errors, kCount };

// What the Loc in a kind's payload names: nothing, one cell, or a whole bmap
// (its slot 0 position: the bucket searched, allocated or iterated).
enum class CellRef : uint8_t { None, Cell, Bmap };

struct KindInfo {
  EventKind kind;            // the row's own kind (checked against its position)
  std::string_view name;     // in `gomaplab events` JSON and the catalogue
  EventCategory category;
  CellRef cell;              // the payload's Loc (read it with Event::loc() or cellOf())
  bool endsOp;               // the operation (or the goroutine's program) ends here
  bool replacesArrays;       // afterwards h.buckets / h.oldbuckets may be other arrays
};

// One row per EventKind, in enum order.
inline constexpr std::array<KindInfo, static_cast<std::size_t>(EventKind::kCount)> kKindTable = {{
    {EventKind::OpBegin, "op_begin", EventCategory::Ops, CellRef::None, false, false},
    {EventKind::OpEnd, "op_end", EventCategory::Ops, CellRef::None, true, false},
    {EventKind::HashComputed, "hash_computed", EventCategory::Search, CellRef::None, false, false},
    {EventKind::BucketSelected, "bucket_selected", EventCategory::Search, CellRef::Bmap, false, false},
    {EventKind::TophashCompared, "tophash_compared", EventCategory::Search, CellRef::Cell, false, false},
    {EventKind::KeyCompared, "key_compared", EventCategory::Search, CellRef::Cell, false, false},
    {EventKind::SlotChosen, "slot_chosen", EventCategory::Search, CellRef::Cell, false, false},
    {EventKind::OverflowAllocated, "overflow_alloc", EventCategory::Overflow, CellRef::Bmap, false, false},
    {EventKind::NoverflowIncr, "noverflow_incr", EventCategory::Overflow, CellRef::None, false, false},
    {EventKind::BucketsAllocated, "buckets_alloc", EventCategory::Growth, CellRef::None, false, true},
    {EventKind::GrowthStarted, "growth_started", EventCategory::Growth, CellRef::None, false, true},
    {EventKind::GrowWork, "grow_work", EventCategory::Growth, CellRef::None, false, false},
    {EventKind::EvacuateBegin, "evacuate_begin", EventCategory::Growth, CellRef::None, false, false},
    {EventKind::CellEvacuated, "cell_evacuated", EventCategory::Growth, CellRef::Cell, false, false},
    {EventKind::OldBucketCleared, "old_bucket_cleared", EventCategory::Growth, CellRef::None, false, false},
    {EventKind::BucketEvacuated, "bucket_evacuated", EventCategory::Growth, CellRef::None, false, false},
    {EventKind::NevacuateAdvanced, "nevacuate_advanced", EventCategory::Growth, CellRef::None, false, false},
    {EventKind::GrowthFinished, "growth_finished", EventCategory::Growth, CellRef::None, false, true},
    {EventKind::CellWritten, "cell_written", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::KeyUpdated, "key_updated", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::ElemWritten, "elem_written", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::ElemRead, "elem_read", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::CountChanged, "count_changed", EventCategory::Writes, CellRef::None, false, false},
    {EventKind::CellDeleted, "cell_deleted", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::EmptyRestMarked, "empty_rest_marked", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::FlagsLoaded, "flags_loaded", EventCategory::Flags, CellRef::None, false, false},
    {EventKind::FlagsChanged, "flags_changed", EventCategory::Flags, CellRef::None, false, false},
    {EventKind::Hash0Reseeded, "hash0_reseeded", EventCategory::Writes, CellRef::None, false, false},
    {EventKind::MapCleared, "map_cleared", EventCategory::Writes, CellRef::None, false, true},
    {EventKind::IterStarted, "iter_started", EventCategory::Iteration, CellRef::None, false, false},
    {EventKind::IterBucket, "iter_bucket", EventCategory::Iteration, CellRef::Bmap, false, false},
    {EventKind::IterYielded, "iter_yielded", EventCategory::Iteration, CellRef::Cell, false, false},
    {EventKind::IterSkipped, "iter_skipped", EventCategory::Iteration, CellRef::Cell, false, false},
    {EventKind::IterFinished, "iter_finished", EventCategory::Iteration, CellRef::None, true, false},
    {EventKind::Panic, "panic", EventCategory::Errors, CellRef::None, true, false},
    // Fatal carries a cell only when evacuate throws on a bad tophash: see cellOf().
    {EventKind::Fatal, "fatal", EventCategory::Errors, CellRef::None, true, false},
    {EventKind::KeyStored, "key_stored", EventCategory::Writes, CellRef::Cell, false, false},
    {EventKind::TophashStored, "tophash_stored", EventCategory::Growth, CellRef::Cell, false, false},
    {EventKind::CountLoaded, "count_loaded", EventCategory::Writes, CellRef::None, false, false},
    {EventKind::OverflowLinked, "overflow_linked", EventCategory::Overflow, CellRef::Bmap, false, false},
    {EventKind::NevacuateLoaded, "nevacuate_loaded", EventCategory::Growth, CellRef::None, false, false},
}};
static_assert(kKindTable.size() == static_cast<std::size_t>(EventKind::kCount), "one kKindTable row per EventKind");
constexpr bool kindTableInOrder() {
  for (std::size_t i = 0; i < kKindTable.size(); i++)
    if (static_cast<std::size_t>(kKindTable[i].kind) != i) return false;
  return true;
}
static_assert(kindTableInOrder(), "kKindTable rows must follow enum EventKind's order");

constexpr const KindInfo& kindInfo(EventKind k) { return kKindTable[static_cast<std::size_t>(k)]; }
constexpr std::string_view eventKindName(EventKind k) { return kindInfo(k).name; }
constexpr bool carriesCell(EventKind k) { return kindInfo(k).cell != CellRef::None; }
constexpr bool endsOp(EventKind k) { return kindInfo(k).endsOp; }

// ---- payloads ----------------------------------------------------------------

// A cell position: array, bucket, chain, slot.
struct Loc {
  bool old = false;   // in oldbuckets rather than buckets
  uint32_t bucket = 0;
  uint16_t chain = 0; // 0 = the bucket itself, 1 = first overflow bmap, ...
  uint8_t slot = 0;
};

// The three payload words of a record (16, 32 and 64 bits), as stored. Only
// the encode/decode functions in this file read or write them.
struct Fields {
  uint16_t a = 0;
  uint32_t b = 0;
  uint64_t c = 0;
  bool operator==(const Fields&) const = default;
};

inline constexpr uint16_t kMaxChain = 4095; // longer chains are recorded as 4095
// A Loc takes a and b: a = old<<15 | chain<<3 | slot, b = bucket.
constexpr Fields locFields(const Loc& l, uint64_t c = 0) {
  const uint16_t chain = l.chain > kMaxChain ? kMaxChain : l.chain;
  return Fields{static_cast<uint16_t>((l.old ? 0x8000 : 0) | (chain << 3) | (l.slot & 7)), l.bucket, c};
}
constexpr Loc locOf(const Fields& f) {
  return Loc{(f.a & 0x8000) != 0, f.b, static_cast<uint16_t>((f.a >> 3) & kMaxChain), static_cast<uint8_t>(f.a & 7)};
}

// One specialisation per EventKind: named fields, encode() into the record's
// words, decode() back. Payloads are aggregates, so the engine writes them
// with designated initializers: Event::of<Site::AssignHash>({.B = ..., .top = ..., .hash = ...}).
template <EventKind K> struct Payload;

template <> struct Payload<EventKind::OpBegin> {
  OpCode op = OpCode::Make;
  int64_t hint = 0; // makemap's size hint (0 for the other ops)
  constexpr Fields encode() const { return {static_cast<uint16_t>(op), 0, static_cast<uint64_t>(hint)}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<OpCode>(f.a), static_cast<int64_t>(f.c)}; }
};

template <> struct Payload<EventKind::OpEnd> {
  Outcome outcome = Outcome::Ok;
  constexpr Fields encode() const { return {static_cast<uint16_t>(outcome), 0, 0}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<Outcome>(f.a)}; }
};

template <> struct Payload<EventKind::HashComputed> {
  uint8_t B = 0;     // h.B when hashing: the bucket is hash & bucketMask(B)
  uint8_t top = 0;   // tophash(hash)
  uint64_t hash = 0; // t.hasher(key, h.hash0)
  constexpr Fields encode() const { return {B, top, hash}; }
  static constexpr Payload decode(const Fields& f) {
    return {static_cast<uint8_t>(f.a), static_cast<uint8_t>(f.b), f.c};
  }
};

template <> struct Payload<EventKind::BucketSelected> {
  Loc bmap{};          // slot 0 of the chain head searched
  uint64_t hash = 0;
  constexpr Fields encode() const { return locFields(bmap, hash); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), f.c}; }
};

template <> struct Payload<EventKind::TophashCompared> {
  Loc cell{};
  uint8_t tophash = 0; // b.tophash[i], the cell's
  uint8_t top = 0;     // the key's
  TophashOutcome outcome = TophashOutcome::Match;
  constexpr Fields encode() const {
    return locFields(cell, uint64_t{tophash} | uint64_t{top} << 8 | uint64_t(outcome) << 16);
  }
  static constexpr Payload decode(const Fields& f) {
    return {locOf(f), static_cast<uint8_t>(f.c), static_cast<uint8_t>(f.c >> 8),
            static_cast<TophashOutcome>((f.c >> 16) & 0xff)};
  }
};

template <> struct Payload<EventKind::KeyCompared> {
  Loc cell{};
  bool equal = false;
  constexpr Fields encode() const { return locFields(cell, equal); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), f.c != 0}; }
};

template <> struct Payload<EventKind::SlotChosen> {
  Loc cell{};
  SlotChoice why = SlotChoice::FirstEmpty;
  constexpr Fields encode() const { return locFields(cell, static_cast<uint64_t>(why)); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), static_cast<SlotChoice>(f.c)}; }
};

template <> struct Payload<EventKind::OverflowAllocated> {
  static constexpr uint32_t kNotPreallocated = 0xffffffffu;
  Loc bmap{};                      // slot 0 of the new overflow bmap
  uint32_t pre = kNotPreallocated; // its index in the bucket array's pool, if it came from there
  uint16_t noverflow = 0;        // h.noverflow after
  bool fromPool = false;         // from h.extra.nextOverflow rather than newobject
  constexpr Fields encode() const {
    return locFields(bmap, uint64_t{pre} | uint64_t{noverflow} << 32 | uint64_t{fromPool} << 48);
  }
  static constexpr Payload decode(const Fields& f) {
    return {locOf(f), static_cast<uint32_t>(f.c), static_cast<uint16_t>(f.c >> 32), ((f.c >> 48) & 1) != 0};
  }
};

template <> struct Payload<EventKind::NoverflowIncr> {
  uint16_t noverflow = 0; // h.noverflow after
  bool incremented = false; // at B >= 16 the increment happens with probability 1/2^(B-15)
  constexpr Fields encode() const { return {noverflow, 0, incremented}; }
  static constexpr Payload decode(const Fields& f) { return {f.a, f.c != 0}; }
};

template <> struct Payload<EventKind::BucketsAllocated> {
  uint8_t B = 0;
  uint32_t nbuckets = 0; // allocated: 2^B main buckets + the overflow pool
  uint64_t spare = 0;    // size of the preallocated overflow pool
  constexpr Fields encode() const { return {B, nbuckets, spare}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<uint8_t>(f.a), f.b, f.c}; }
};

template <> struct Payload<EventKind::GrowthStarted> {
  uint8_t newB = 0;
  uint32_t trigger = 0;     // GrowTrigger bits
  uint64_t noldbuckets = 0;
  constexpr Fields encode() const { return {newB, trigger, noldbuckets}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<uint8_t>(f.a), f.b, f.c}; }
};

template <> struct Payload<EventKind::GrowWork> {
  uint32_t bucket = 0;    // the bucket being written
  uint64_t oldbucket = 0; // bucket & h.oldbucketmask(): evacuated first
  constexpr Fields encode() const { return {0, bucket, oldbucket}; }
  static constexpr Payload decode(const Fields& f) { return {f.b, f.c}; }
};

template <> struct Payload<EventKind::EvacuateBegin> {
  uint32_t oldbucket = 0;
  bool already = false; // evacuated before: nothing to do
  constexpr Fields encode() const { return {0, oldbucket, already}; }
  static constexpr Payload decode(const Fields& f) { return {f.b, f.c != 0}; }
};

template <> struct Payload<EventKind::CellEvacuated> {
  Loc src{};                // the cell in the old array
  uint8_t dstSlot = 0;
  bool useY = false;      // to Y (bucket + newbit) rather than X
  uint16_t dstChain = 0;  // in the destination's chain (up to kMaxChain)
  uint8_t top = 0;        // the tophash stored at the destination
  uint8_t log2Newbit = 0; // newbit = noldbuckets
  uint32_t hashLow = 0;   // the key's hash, low 32 bits (0 in a same-size grow)
  constexpr uint64_t newbit() const { return uint64_t{1} << log2Newbit; }
  constexpr uint64_t dstBucket() const { return src.bucket + (useY ? newbit() : 0); }
  constexpr Loc dst() const { return Loc{false, static_cast<uint32_t>(dstBucket()), dstChain, dstSlot}; }
  constexpr Fields encode() const {
    const uint16_t chain = dstChain > kMaxChain ? kMaxChain : dstChain;
    return locFields(src, uint64_t{dstSlot & 7u} | uint64_t{useY} << 3 | uint64_t{chain} << 4 | uint64_t{top} << 16 |
                              uint64_t{log2Newbit} << 24 | uint64_t{hashLow} << 32);
  }
  static constexpr Payload decode(const Fields& f) {
    return {locOf(f),
            static_cast<uint8_t>(f.c & 7),
            ((f.c >> 3) & 1) != 0,
            static_cast<uint16_t>((f.c >> 4) & kMaxChain),
            static_cast<uint8_t>(f.c >> 16),
            static_cast<uint8_t>((f.c >> 24) & 0x3f),
            static_cast<uint32_t>(f.c >> 32)};
  }
};

template <> struct Payload<EventKind::OldBucketCleared> {
  uint32_t oldbucket = 0; // keys, elems and overflow pointer zeroed
  constexpr Fields encode() const { return {0, oldbucket, 0}; }
  static constexpr Payload decode(const Fields& f) { return {f.b}; }
};

template <> struct Payload<EventKind::BucketEvacuated> {
  uint32_t oldbucket = 0;
  uint16_t moved = 0; // cells moved
  constexpr Fields encode() const { return {moved, oldbucket, 0}; }
  static constexpr Payload decode(const Fields& f) { return {f.b, f.a}; }
};

template <> struct Payload<EventKind::NevacuateAdvanced> {
  uint32_t nevacuate = 0; // h.nevacuate after
  uint64_t from = 0;      // before
  constexpr Fields encode() const { return {0, nevacuate, from}; }
  static constexpr Payload decode(const Fields& f) { return {f.b, f.c}; }
};

template <> struct Payload<EventKind::GrowthFinished> {
  uint8_t B = 0;
  constexpr Fields encode() const { return {B, 0, 0}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<uint8_t>(f.a)}; }
};

template <> struct Payload<EventKind::CellWritten> {
  Loc cell{};
  uint8_t top = 0; // the tophash written with the key
  constexpr Fields encode() const { return locFields(cell, top); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), static_cast<uint8_t>(f.c)}; }
};

template <> struct Payload<EventKind::KeyUpdated> {
  Loc cell{}; // the stored key overwritten (-0.0 over +0.0, a string header)
  constexpr Fields encode() const { return locFields(cell); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f)}; }
};

template <> struct Payload<EventKind::ElemWritten> {
  Loc cell{};
  int64_t value = 0;
  constexpr Fields encode() const { return locFields(cell, static_cast<uint64_t>(value)); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), static_cast<int64_t>(f.c)}; }
};

template <> struct Payload<EventKind::ElemRead> {
  Loc cell{};
  int64_t value = 0;
  constexpr Fields encode() const { return locFields(cell, static_cast<uint64_t>(value)); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), static_cast<int64_t>(f.c)}; }
};

template <> struct Payload<EventKind::CountChanged> {
  int64_t count = 0; // h.count after
  constexpr Fields encode() const { return {0, 0, static_cast<uint64_t>(count)}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<int64_t>(f.c)}; }
};

template <> struct Payload<EventKind::CellDeleted> {
  Loc cell{}; // tophash = emptyOne, key and elem cleared
  constexpr Fields encode() const { return locFields(cell); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f)}; }
};

template <> struct Payload<EventKind::EmptyRestMarked> {
  Loc cell{}; // tophash = emptyRest
  constexpr Fields encode() const { return locFields(cell); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f)}; }
};

template <> struct Payload<EventKind::FlagsLoaded> {
  uint8_t flags = 0; // the value loaded
  constexpr Fields encode() const { return {flags, 0, 0}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<uint8_t>(f.a)}; }
};

template <> struct Payload<EventKind::FlagsChanged> {
  uint8_t from = 0;
  uint8_t to = 0;
  uint64_t noldbuckets = 0; // hashGrow's commit only: the old array's size
  constexpr Fields encode() const { return {from, to, noldbuckets}; }
  static constexpr Payload decode(const Fields& f) {
    return {static_cast<uint8_t>(f.a), static_cast<uint8_t>(f.b), f.c};
  }
};

template <> struct Payload<EventKind::Hash0Reseeded> {
  uint32_t hash0 = 0; // the new seed
  constexpr Fields encode() const { return {0, 0, hash0}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<uint32_t>(f.c)}; }
};

template <> struct Payload<EventKind::MapCleared> {
  uint8_t B = 0;
  uint32_t nbuckets = 0; // the array zeroed (main buckets + pool)
  constexpr Fields encode() const { return {B, nbuckets, 0}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<uint8_t>(f.a), f.b}; }
};

template <> struct Payload<EventKind::IterStarted> {
  uint32_t startBucket = 0;
  uint8_t offset = 0; // first slot looked at in each bucket
  uint64_t r = 0;     // the fastrand value both come from
  constexpr Fields encode() const { return {offset, startBucket, r}; }
  static constexpr Payload decode(const Fields& f) { return {f.b, static_cast<uint8_t>(f.a), f.c}; }
};

template <> struct Payload<EventKind::IterBucket> {
  Loc bmap{};                 // slot 0 of the bucket walked (an old one if not yet evacuated)
  uint64_t checkBucket = 0; // noCheck, or the new bucket whose keys are kept
  constexpr Fields encode() const { return locFields(bmap, checkBucket); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), f.c}; }
};

template <> struct Payload<EventKind::IterYielded> {
  Loc cell{};
  bool viaMapaccessK = false; // the cell was evacuated: the pair came from a lookup
  constexpr Fields encode() const { return locFields(cell, viaMapaccessK); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), f.c != 0}; }
};

template <> struct Payload<EventKind::IterSkipped> {
  Loc cell{};
  IterSkip why = IterSkip::Empty;
  constexpr Fields encode() const { return locFields(cell, static_cast<uint64_t>(why)); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), static_cast<IterSkip>(f.c)}; }
};

template <> struct Payload<EventKind::IterFinished> {
  constexpr Fields encode() const { return {}; }
  static constexpr Payload decode(const Fields&) { return {}; }
};

template <> struct Payload<EventKind::Panic> {
  Message message = Message::None;
  constexpr Fields encode() const { return {0, static_cast<uint32_t>(message), 0}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<Message>(f.b)}; }
};

template <> struct Payload<EventKind::Fatal> {
  Message message = Message::None;
  bool hasCell = false; // evacuate's throw names the cell with the bad tophash
  Loc cell{};
  constexpr Fields encode() const {
    return hasCell ? locFields(cell, uint64_t{static_cast<uint32_t>(message)} | uint64_t{1} << 32)
                   : Fields{0, static_cast<uint32_t>(message), 0};
  }
  static constexpr Payload decode(const Fields& f) {
    if ((f.c >> 32) & 1) return {static_cast<Message>(static_cast<uint32_t>(f.c)), true, locOf(f)};
    return {static_cast<Message>(f.b), false, Loc{}};
  }
};

// Memory-level kinds.
template <> struct Payload<EventKind::KeyStored> {
  Loc cell{}; // the key stored (or copied) into this cell; its tophash is stored by another event
  constexpr Fields encode() const { return locFields(cell); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f)}; }
};

template <> struct Payload<EventKind::TophashStored> {
  Loc cell{};
  uint8_t tophash = 0; // evacuatedX/Y on the old cell, or the copy's tophash
  constexpr Fields encode() const { return locFields(cell, tophash); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f), static_cast<uint8_t>(f.c)}; }
};

template <> struct Payload<EventKind::CountLoaded> {
  int64_t count = 0; // the value loaded (h.count++ stores it + 1)
  constexpr Fields encode() const { return {0, 0, static_cast<uint64_t>(count)}; }
  static constexpr Payload decode(const Fields& f) { return {static_cast<int64_t>(f.c)}; }
};

template <> struct Payload<EventKind::OverflowLinked> {
  Loc bmap{}; // slot 0 of the new overflow bmap, now after chain - 1
  constexpr Fields encode() const { return locFields(bmap); }
  static constexpr Payload decode(const Fields& f) { return {locOf(f)}; }
};

template <> struct Payload<EventKind::NevacuateLoaded> {
  uint32_t nevacuate = 0; // what will be stored
  uint64_t from = 0;      // the value loaded
  constexpr Fields encode() const { return {0, nevacuate, from}; }
  static constexpr Payload decode(const Fields& f) { return {f.b, f.c}; }
};

// ---- the record --------------------------------------------------------------

struct Event {
  EventKind kind;
  Site site;
  // The payload's words: written by Payload<kind>::encode, read by decode.
  uint16_t a;
  uint32_t b;
  uint64_t c;

  static constexpr uint16_t kMaxChain = gomap::kMaxChain;

  // The engine's constructor: the site fixes the kind, and so the payload's
  // type; a mismatch does not compile. Compiles to the record's stores.
  template <Site S>
  [[gnu::always_inline]] static constexpr Event of(const Payload<siteInfo(S).kind>& p = {}) {
    const Fields f = p.encode();
    return Event{siteInfo(S).kind, S, f.a, f.b, f.c};
  }
  // For a site known only at run time; its kind must be K.
  template <EventKind K> static constexpr Event of(Site s, const Payload<K>& p) {
    assert(siteInfo(s).kind == K);
    const Fields f = p.encode();
    return Event{K, s, f.a, f.b, f.c};
  }
  // A record from raw words (sampleEvents and tests only).
  static constexpr Event raw(Site s, const Fields& f) { return Event{siteInfo(s).kind, s, f.a, f.b, f.c}; }

  constexpr Fields fields() const { return Fields{a, b, c}; }
  // The payload's Loc, for kinds whose kindInfo says they carry one.
  constexpr Loc loc() const { return locOf(fields()); }
  // The record as EventBuffer stores it: two little-endian words.
  constexpr uint64_t word0() const {
    return uint64_t{static_cast<uint8_t>(kind)} | uint64_t{static_cast<uint8_t>(site)} << 8 | uint64_t{a} << 16 |
           uint64_t{b} << 32;
  }
  constexpr uint64_t word1() const { return c; }
  bool operator==(const Event&) const = default;
};
static_assert(sizeof(Event) == 16, "events are 16-byte records");
static_assert(offsetof(Event, site) == 1 && offsetof(Event, a) == 2 && offsetof(Event, b) == 4 && offsetof(Event, c) == 8,
              "EventBuffer::store writes this layout as two little-endian words");

// The typed payload of an event of kind K.
template <EventKind K> constexpr Payload<K> payloadOf(const Event& e) {
  assert(e.kind == K);
  return Payload<K>::decode(e.fields());
}

// The cell (or bmap) an event names, if any.
constexpr std::optional<Loc> cellOf(const Event& e) {
  if (carriesCell(e.kind)) return e.loc();
  if (e.kind == EventKind::Fatal) {
    const auto p = payloadOf<EventKind::Fatal>(e);
    if (p.hasCell) return p.cell;
  }
  return std::nullopt;
}

// Whether the map's bucket arrays may be other ones after this event.
constexpr bool replacesArrays(const Event& e) {
  return kindInfo(e.kind).replacesArrays || siteInfo(e.site).replacesArrays;
}

// Every site with a spread of payload words, so that each field of each
// payload takes small values and each enum each of its values (the GUI
// collects the glyphs of all event texts from these).
std::vector<Event> sampleEvents();

// Receives events when recording is on: a chunked array of records, so that a
// long session never copies what it already holds. push() is inline; with no
// buffer attached the engine skips it with one branch.
class EventBuffer {
public:
  // 2 MiB chunks from allocateBlock (huge pages, reused after release): a long
  // session takes few page faults per event.
  static constexpr std::size_t kChunkBits = 17;
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;

  EventBuffer() = default;
  EventBuffer(const EventBuffer&) = delete;
  EventBuffer& operator=(const EventBuffer&) = delete;
  ~EventBuffer();

  // Plain stores into the current 2 MiB chunk: the cursor is two pointers, and
  // the record is written as the struct it is (streaming stores measured no
  // faster here, and would push the newest events out of the cache the
  // viewers read them from).
  [[gnu::always_inline]] void push(const Event& e) {
    if (cur_ == end_) [[unlikely]] newChunk();
    store(cur_++, e);
  }
  // One 16-byte store of a record built in registers (field by field it took
  // four stores, and the byte-sized ones made the compiler reload everything).
  [[gnu::always_inline]] static void store(Event* at, const Event& e) {
    const uint64_t w0 = e.word0();
#if defined(__SSE2__)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(at),
                     _mm_set_epi64x(static_cast<long long>(e.word1()), static_cast<long long>(w0)));
#else
    const uint64_t words[2] = {w0, e.word1()}; // little-endian layout of Event
    std::memcpy(static_cast<void*>(at), words, sizeof words);
#endif
  }
  std::size_t size() const {
    return used_ == 0 ? 0 : (used_ - 1) * kChunk + static_cast<std::size_t>(cur_ - chunks_[used_ - 1]);
  }
  const Event& operator[](std::size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  // Forgets every event but keeps the memory for the next recording.
  void clear() { truncate(0); }
  // Drops events from index n on (used when a session rewrites its future).
  void truncate(std::size_t n);
  // Gives the memory back.
  void release();
  std::size_t bytesReserved() const { return chunks_.size() * kChunk * sizeof(Event); }
  // Bytes of the chunks that hold events (the last one partly filled).
  std::size_t bytesInUse() const { return used_ * kChunk * sizeof(Event); }

private:
  void newChunk();
  std::vector<Event*> chunks_; // chunks_[0, used_) hold events; the rest are spare
  std::size_t used_ = 0;
  Event* cur_ = nullptr; // next free record in chunks_[used_ - 1]
  Event* end_ = nullptr; // end of that chunk (cur_ == end_: no room)
};

} // namespace gomap
