// What each runtime step reads and writes, declared once, by the engine that
// runs it: for every Site, the shared objects the code leading to that event
// touches (from the previous pause of the same goroutine up to the event),
// named in the map's own terms: header fields, and the cell, bmap or bucket
// chain relative to the event. The concurrency layer's partial-order reduction
// (race::World::addFootprint) interprets these rows; it keeps no per-site
// knowledge of its own.
//
// Each row was derived from map_ops.inc: what the code between the previous
// event of the same operation and this one loads and stores. When unsure, a
// row says more rather than less (a larger footprint only costs exploration
// time; a smaller one could hide an interleaving).
//
// Adding a site: one row in kSiteFootprints (static_asserts check count and
// order). A new kind of object: one Touch bit here and its meaning in the
// interpreter (World::addFootprint).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "engine/events.hpp"

namespace gomap {

// Shared objects a step may touch.
namespace touch {
enum : uint32_t {
  // Header fields.
  Flags = 1u << 0,  // h.flags
  Count = 1u << 1,  // h.count
  Hash0 = 1u << 2,  // h.hash0
  Header = 1u << 3, // the rest of the header: B, buckets, oldbuckets, nevacuate, noverflow, extra
  Rng = 1u << 4,    // the fastrand state
  // Relative to the event's subject (footprintSubject(): its cell or bmap).
  Tophash = 1u << 5,      // the subject cell's tophash
  Key = 1u << 6,          // its key
  Elem = 1u << 7,         // its elem
  ReachedVia = 1u << 8,   // the overflow pointer that led to the subject, if it is slot 0 of an overflow bmap
  Overflow = 1u << 9,     // the overflow pointer of the subject's bmap
  PrevOverflow = 1u << 10, // the overflow pointer of the bmap before the subject's (setoverflow)
  Chain = 1u << 11,       // every cell and overflow pointer of the subject bucket's chain
  OldMark = 1u << 12,     // while growing: the evacuation mark (tophash[0]) of the subject's old bucket
  // Relative to where the goroutine has been.
  LastChainEnd = 1u << 13, // the overflow pointer of the bmap the goroutine last stood at (a walk's end)
  LastChain = 1u << 14,    // the whole chain of the bucket the goroutine last stood at
  SrcKey = 1u << 15,       // the key of the old cell the goroutine is copying (evacuate)
  // Relative to the payload.
  DstElem = 1u << 16, // the elem of a copy's destination (CellEvacuated::dst())
  // Everything.
  AllChains = 1u << 17, // every cell and overflow pointer of every chain
  // Conditional: AllChains when the payload says a lookup ran in the live map
  // (an iterator re-reading an evacuated or deleted pair through mapaccessK).
  LookupAll = 1u << 18,
};
} // namespace touch

// Facts about a site that the footprint's interpreter keeps per goroutine.
namespace fpnote {
enum : uint8_t {
  HashesKey = 1u << 0,       // the step hashes the key: a NaN float key draws fastrand (Rng read and written)
  StandsElsewhere = 1u << 1, // the event's cell is not where the goroutine's own search stands (a copy in evacuate)
  StartsCopy = 1u << 2,      // the event's cell is the old cell evacuate copies next (SrcKey's cell)
  ReusesPool = 1u << 3,      // preallocated overflow buckets are handed out again: stale pointers may alias them
};
} // namespace fpnote

struct SiteFootprint {
  Site site;              // the row's own site (checked against its position)
  uint32_t reads = 0;     // touch:: bits
  uint32_t writes = 0;    // touch:: bits
  uint8_t notes = 0;      // fpnote:: bits
};

namespace fpdecl {
using namespace touch;
using namespace fpnote;
inline constexpr uint32_t kHashRead = Flags | Hash0 | Header;          // nil and entry checks, the hash
inline constexpr uint32_t kIterRead = Flags | Header | Hash0 | Count;  // mapiternext's checks and bucket choice
} // namespace fpdecl

// One row per Site, in enum order. Sites not listed as touching anything are
// begin events (nothing shared read before them), fatal checks, panics and
// throws (they end the program: the interpreter makes that step conflict with
// everything), and steps that only use values already in registers.
inline constexpr std::array<SiteFootprint, static_cast<std::size_t>(Site::kCount)> kSiteFootprints = [] {
  using namespace fpdecl;
  std::array<SiteFootprint, static_cast<std::size_t>(Site::kCount)> t{};
  for (std::size_t i = 0; i < t.size(); i++) t[i].site = static_cast<Site>(i);
  auto set = [&](Site s, uint32_t r, uint32_t w, uint8_t notes = 0) {
    t[static_cast<std::size_t>(s)] = SiteFootprint{s, r, w, notes};
  };
  // mapassign
  set(Site::AssignHash, kHashRead, 0, HashesKey);
  set(Site::AssignFlagsLoad, Flags, 0);
  set(Site::AssignFlagsXor, Flags, Flags);
  set(Site::AssignNewobject, Header, Header);
  set(Site::AssignBucket, Header, 0);
  set(Site::AssignTophash, Tophash | ReachedVia, 0);
  set(Site::AssignKeyCompare, Key, 0);
  set(Site::AssignKeyUpdate, 0, Key);
  // AssignInsertSlot, AssignGrow, AssignNewOverflowSlot: nothing since the previous event.
  set(Site::AssignKeyStore, Header | Count | LastChainEnd, Key); // the grow check, the chain's end, the key
  set(Site::AssignStore, 0, Tophash);
  set(Site::AssignCountLoad, Count, 0);
  set(Site::AssignCount, 0, Count);
  set(Site::AssignExitFlagsLoad, Flags, 0);
  set(Site::AssignExitFlagsClear, Flags, Flags);
  set(Site::AssignElemWrite, 0, Elem);
  // AssignEnd: nothing between the elem store and the return.
  // mapaccess2
  set(Site::AccessHash, kHashRead | Count, 0, HashesKey); // ... and the count == 0 shortcut
  set(Site::AccessBucket, Header | Flags | OldMark, 0);
  set(Site::AccessTophash, Tophash | ReachedVia, 0);
  set(Site::AccessKeyCompare, Key, 0);
  set(Site::AccessResult, Elem, 0);
  set(Site::AccessEnd, Count | LastChainEnd, 0);
  // mapdelete
  set(Site::DeleteHash, kHashRead | Count, 0, HashesKey);
  set(Site::DeleteFlagsLoad, Flags, 0);
  set(Site::DeleteFlagsXor, Flags, Flags);
  set(Site::DeleteBucket, Header, 0);
  set(Site::DeleteTophash, Tophash | ReachedVia, 0);
  set(Site::DeleteKeyCompare, Key, 0);
  set(Site::DeleteClear, 0, Tophash | Key | Elem);
  // The next cell (or the next bmap's first) checked, the chain's tophashes
  // walked back, predecessors found through overflow pointers.
  set(Site::DeleteEmptyRest, Chain, Tophash);
  set(Site::DeleteCount, Count | LastChain, Count); // with the emptyRest loop's last look at a tophash
  set(Site::DeleteReseed, Count | Rng, Hash0 | Rng);
  set(Site::DeleteExitFlagsLoad, Flags | LastChainEnd, 0);
  set(Site::DeleteExitFlagsClear, Flags | LastChainEnd, Flags);
  set(Site::DeleteEnd, Count | LastChainEnd, 0);
  // newoverflow / incrnoverflow: the grow check, then ovf taken (the pool's
  // sentinel checked and maybe reset) and counted; not linked yet.
  set(Site::NewOverflow, Header | Count | Rng | LastChainEnd | Overflow, Header | Rng | Overflow);
  set(Site::NewOverflowLink, 0, PrevOverflow); // b.setoverflow(t, ovf)
  set(Site::IncrNoverflow, Header | Rng, Header | Rng);
  // hashGrow
  set(Site::HashGrowBegin, Count | Header | Flags | LastChainEnd, Flags);
  set(Site::HashGrowArray, Header, 0);
  set(Site::HashGrowCommit, Header | Flags, Header | Flags);
  // growWork / evacuate (the subject of EvacuateBegin, EvacuateClearOld and
  // EvacuateDone is the old bucket's head: its tophash[0] is the mark).
  set(Site::GrowWorkBegin, Header | Flags, 0);
  set(Site::EvacuateBegin, Header | Flags | Tophash, 0);
  // From the previous event: the old chain walked to this cell (overflow
  // pointers, the empty cells before it marked evacuatedEmpty), the key hashed
  // (X or Y), and this cell's tophash marked evacuatedX/Y.
  set(Site::EvacuateMarkOld, Header | Flags | Hash0 | Chain, Chain, HashesKey | StandsElsewhere | StartsCopy);
  set(Site::EvacuateCopyTophash, 0, Tophash, StandsElsewhere); // top is in a register
  set(Site::EvacuateCopyKey, SrcKey, Key, StandsElsewhere);
  set(Site::EvacuateCell, Elem, DstElem, StandsElsewhere); // the last store of the copy: the elem
  set(Site::EvacuateNewOverflow, Header | Rng | Overflow, Header | Rng | Overflow);
  set(Site::EvacuateNewOverflowLink, 0, PrevOverflow);
  set(Site::EvacuateClearOld, Chain | Flags, Chain);
  set(Site::EvacuateDone, Chain | Flags, Chain);
  // advanceEvacuationMark
  set(Site::AdvanceMarkLoad, Header | Flags | AllChains, 0); // evacuated() of the next old buckets
  set(Site::AdvanceMark, Header, Header);                    // the store of h.nevacuate
  set(Site::AdvanceMarkDone, Header | Flags, Header | Flags);
  // mapiterinit / mapiternext
  set(Site::IterInitRand, Header | Rng | Count, Header | Rng);
  set(Site::IterInitFlags, Flags, Flags);
  // The rest of the previous chain (empty cells, overflow pointers), then this one.
  set(Site::IterNextBucket, kIterRead | LastChain | Chain | OldMark, 0);
  set(Site::IterNextSkip, kIterRead | LastChain | Chain | LookupAll, 0);
  set(Site::IterNextYield, kIterRead | LastChain | Chain | LookupAll, 0);
  set(Site::IterNextEnd, kIterRead | LastChain, 0);
  // mapclear
  set(Site::ClearFlagsLoad, Flags | Count, 0);
  set(Site::ClearFlagsXor, Flags, Flags);
  set(Site::ClearReset, Flags | Header | Count, Flags | Header | Count);
  set(Site::ClearReseed, Rng, Hash0 | Rng);
  set(Site::ClearArray, Header | AllChains, Header | AllChains, ReusesPool);
  set(Site::ClearExitFlagsLoad, Flags | Count, 0);
  set(Site::ClearExitFlagsClear, Flags, Flags);
  set(Site::ClearEnd, Count | LastChainEnd, 0);
  return t;
}();
static_assert(kSiteFootprints.size() == static_cast<std::size_t>(Site::kCount), "one kSiteFootprints row per Site");
constexpr bool siteFootprintsInOrder() {
  for (std::size_t i = 0; i < kSiteFootprints.size(); i++)
    if (static_cast<std::size_t>(kSiteFootprints[i].site) != i) return false;
  return true;
}
static_assert(siteFootprintsInOrder(), "kSiteFootprints rows must follow enum Site's order");

constexpr const SiteFootprint& siteFootprint(Site s) { return kSiteFootprints[static_cast<std::size_t>(s)]; }

// The cell or bmap the touch:: bits that are relative to an event name: its
// payload's Loc, or for the events that name an old bucket by index
// (EvacuateBegin, OldBucketCleared, BucketEvacuated) that bucket's head in the
// old array. Loc{} for other events (their rows use no relative bits).
constexpr Loc footprintSubject(const Event& e) {
  if (carriesCell(e.kind)) return e.loc();
  switch (e.kind) {
  case EventKind::EvacuateBegin: return Loc{true, payloadOf<EventKind::EvacuateBegin>(e).oldbucket, 0, 0};
  case EventKind::OldBucketCleared: return Loc{true, payloadOf<EventKind::OldBucketCleared>(e).oldbucket, 0, 0};
  case EventKind::BucketEvacuated: return Loc{true, payloadOf<EventKind::BucketEvacuated>(e).oldbucket, 0, 0};
  default: return Loc{};
  }
}

// The destination cell of a copy (DstElem): CellEvacuated's dst().
constexpr Loc copyDestination(const Event& e) {
  return e.kind == EventKind::CellEvacuated ? payloadOf<EventKind::CellEvacuated>(e).dst() : Loc{};
}

// Whether LookupAll applies: the iterator took the pair (or checked a deleted
// cell) with a lookup in the live map.
constexpr bool looksUpLiveMap(const Event& e) {
  if (e.kind == EventKind::IterYielded) return payloadOf<EventKind::IterYielded>(e).viaMapaccessK;
  if (e.kind == EventKind::IterSkipped) return payloadOf<EventKind::IterSkipped>(e).why == IterSkip::Deleted;
  return false;
}

// A site's reads and writes with its conditions resolved for one event:
// LookupAll becomes AllChains or nothing, HashesKey adds Rng when the map's
// keys can be NaN (float keys).
struct ResolvedFootprint {
  uint32_t reads = 0, writes = 0;
};
constexpr ResolvedFootprint resolveFootprint(const Event& e, bool nanKeys) {
  const SiteFootprint& d = siteFootprint(e.site);
  ResolvedFootprint f{d.reads, d.writes};
  auto lookup = [&](uint32_t& bits) {
    if (bits & touch::LookupAll) {
      bits &= ~uint32_t{touch::LookupAll};
      if (looksUpLiveMap(e)) bits |= touch::AllChains;
    }
  };
  lookup(f.reads);
  lookup(f.writes);
  if ((d.notes & fpnote::HashesKey) && nanKeys) {
    f.reads |= touch::Rng;
    f.writes |= touch::Rng;
  }
  return f;
}

} // namespace gomap
