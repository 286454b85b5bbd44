// Engine events: compact, typed, fixed-size (16-byte) records, one per step of
// the runtime's algorithms. Each record names its emission Site; the site table
// gives the runtime function and the map.go line (Go 1.19.8) it mirrors, so a
// viewer can show the code that is running. Payload layout per kind is written
// next to each kind; Loc helpers pack a cell position (array, bucket, chain, slot).
#pragma once
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <array>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace gomap {

enum class EventKind : uint8_t {
  OpBegin,           // a: OpCode; c: op sequence number
  OpEnd,             // a: Outcome
  HashComputed,      // a: B; b: tophash; c: hash of the op's key
  BucketSelected,    // loc(slot 0) of the chain head searched; c: hash
  TophashCompared,   // loc; c: cell tophash | top<<8 | TophashOutcome<<16
  KeyCompared,       // loc; c: 1 if equal
  SlotChosen,        // loc; c: 1 = insert candidate (empty cell), 2 = existing key, 3 = new overflow slot 0
  OverflowAllocated, // loc of the new bmap (slot 0); c: pre index (or 0xffffffff) | noverflow after <<32 | 1<<48 if from the pool
  NoverflowIncr,     // a: noverflow after; c: 1 if incremented (at B>=16 it is random)
  BucketsAllocated,  // a: B; b: nbuckets allocated (main + pool); c: spare pool size
  GrowthStarted,     // a: new B; b: GrowTrigger; c: noldbuckets
  GrowWork,          // b: bucket being written; c: oldbucket = bucket & oldbucketmask
  EvacuateBegin,     // b: old bucket; c: 1 if already evacuated (nothing to do)
  CellEvacuated,     // loc (old array, source); c: dst slot | useY<<3 | dst chain<<4 | top<<16 | log2(newbit)<<24 | (hash low 32)<<32
  OldBucketCleared,  // b: old bucket whose keys, elems and overflow pointer were zeroed
  BucketEvacuated,   // b: old bucket; a: cells moved
  NevacuateAdvanced, // b: new nevacuate; c: previous nevacuate
  GrowthFinished,    // a: B
  CellWritten,       // loc; c: tophash written (key + tophash stored)
  KeyUpdated,        // loc: existing key overwritten (needkeyupdate: -0.0 over +0.0, string header)
  ElemWritten,       // loc; c: value written (after mapassign returned, as compiled code does)
  ElemRead,          // loc; c: value read (mapaccess result)
  CountChanged,      // c: count after
  CellDeleted,       // loc: tophash set to emptyOne, elem zeroed
  EmptyRestMarked,   // loc: tophash set to emptyRest
  FlagsLoaded,       // a: value loaded (first half of a non-atomic read-modify-write)
  FlagsChanged,      // a: flags before; b: flags after
  Hash0Reseeded,     // c: new hash0
  MapCleared,        // a: B
  IterStarted,       // b: startBucket; a: offset; c: r
  IterBucket,        // loc(slot 0) of the bucket being iterated; c: checkBucket
  IterYielded,       // loc; c: 0 stored pair, 1 via mapaccessK (evacuated cell)
  IterSkipped,       // loc; c: IterSkip reason
  IterFinished,      //
  Panic,             // b: Message
  Fatal,             // b: Message
  // Memory level only (not pause points at statement level): the earlier
  // stores and loads of a multi-word update whose last store is the event above.
  KeyStored,         // loc; the key alone is stored (mapassign before its tophash store; evacuate's copy)
  TophashStored,     // loc; c: tophash stored (evacuate: the old cell's evacuatedX/Y mark, the copy's tophash)
  CountLoaded,       // c: the count loaded (first half of h.count++)
  OverflowLinked,    // loc of the new bmap (slot 0): b.setoverflow(t, ovf) linked it after chain - 1
  NevacuateLoaded,   // b: the nevacuate to be stored; c: the nevacuate loaded (held while evacuated buckets are skipped)
  kCount
};

enum class OpCode : uint8_t { Make, Put, Get, Del, Iter, IterNext, Clear, Hash, Seed };
enum class Outcome : uint8_t { Ok, Panic, Fatal };
enum class TophashOutcome : uint8_t { Match, Mismatch, Empty, EmptyRestStop, Evacuated };
enum class IterSkip : uint8_t { Empty, OtherHalf, Deleted };
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
};
std::string_view messageText(Message m);

// Where an event is emitted. The table in events.cpp maps each site to its
// runtime function and map.go line; viewers use it for the code panel.
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
  ThrowBadMapState,
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
};
// One row per Site, in enum order.
// One row per Site, in enum order: kind, runtime function, map.go line (1.19.8), description.
inline constexpr std::array<SiteInfo, static_cast<size_t>(Site::kCount)> kSiteTable = {{
    {EventKind::OpBegin, "", 0, "none"},
    {EventKind::OpBegin, "makemap", 304, "make(map[K]V, hint)"},
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
    {EventKind::FlagsChanged, "hashGrow", 1059, "commit: B, flags, oldbuckets, buckets, nevacuate=0, noverflow=0"},
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
    {EventKind::FlagsChanged, "mapclear", 1010, "clear sameSizeGrow, oldbuckets, nevacuate, noverflow, count"},
    {EventKind::Hash0Reseeded, "mapclear", 1018, "h.hash0 = fastrand()"},
    {EventKind::MapCleared, "mapclear", 1028, "makeBucketArray(t, h.B, h.buckets): zero and rebuild pool"},
    {EventKind::Fatal, "mapclear", 1036, "fatal: concurrent map writes (exit check)"},
    {EventKind::FlagsLoaded, "mapclear", 1038, "load h.flags (for h.flags &^= hashWriting)"},
    {EventKind::FlagsChanged, "mapclear", 1038, "h.flags &^= hashWriting"},
    {EventKind::OpEnd, "mapclear", 1038, "return"},
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
std::string_view eventKindName(EventKind k);

// A cell position packed into 16+32 bits: a = old<<15 | chain<<3 | slot, b = bucket.
struct Loc {
  bool old = false;   // in oldbuckets rather than buckets
  uint32_t bucket = 0;
  uint16_t chain = 0; // 0 = the bucket itself, 1 = first overflow bmap, ...
  uint8_t slot = 0;
};

struct Event {
  EventKind kind;
  Site site;
  uint16_t a;
  uint32_t b;
  uint64_t c;

  static constexpr uint16_t kMaxChain = 4095;
  static Event at(Site s, Loc l, uint64_t c) {
    uint16_t chain = l.chain > kMaxChain ? kMaxChain : l.chain;
    return Event{siteInfo(s).kind, s, static_cast<uint16_t>((l.old ? 0x8000 : 0) | (chain << 3) | (l.slot & 7)),
                 l.bucket, c};
  }
  static Event make(Site s, uint16_t a, uint32_t b, uint64_t c) { return Event{siteInfo(s).kind, s, a, b, c}; }
  Loc loc() const { return Loc{(a & 0x8000) != 0, b, static_cast<uint16_t>((a >> 3) & kMaxChain), static_cast<uint8_t>(a & 7)}; }
};
static_assert(sizeof(Event) == 16, "events are 16-byte records");
static_assert(offsetof(Event, site) == 1 && offsetof(Event, a) == 2 && offsetof(Event, b) == 4 && offsetof(Event, c) == 8,
              "EventBuffer::store writes this layout as two little-endian words");

// Kinds whose a and b fields hold a Loc (Event::at); the others carry plain numbers.
constexpr bool hasLoc(EventKind k) {
  switch (k) {
  case EventKind::BucketSelected:
  case EventKind::TophashCompared:
  case EventKind::KeyCompared:
  case EventKind::SlotChosen:
  case EventKind::OverflowAllocated:
  case EventKind::CellEvacuated:
  case EventKind::CellWritten:
  case EventKind::KeyUpdated:
  case EventKind::ElemWritten:
  case EventKind::ElemRead:
  case EventKind::CellDeleted:
  case EventKind::EmptyRestMarked:
  case EventKind::IterBucket:
  case EventKind::IterYielded:
  case EventKind::IterSkipped:
  case EventKind::KeyStored:
  case EventKind::TophashStored:
  case EventKind::OverflowLinked: return true;
  default: return false;
  }
}

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
    const uint64_t w0 = uint64_t{static_cast<uint8_t>(e.kind)} | uint64_t{static_cast<uint8_t>(e.site)} << 8 |
                        uint64_t{e.a} << 16 | uint64_t{e.b} << 32;
#if defined(__SSE2__)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(at),
                     _mm_set_epi64x(static_cast<long long>(e.c), static_cast<long long>(w0)));
#else
    const uint64_t words[2] = {w0, e.c}; // little-endian layout of Event
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
