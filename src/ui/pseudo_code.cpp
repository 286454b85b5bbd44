#include "ui/pseudo_code.hpp"

#include <cstdlib>

namespace gomap::ui {

namespace {
constexpr CodeLine kMapassign[] = {
    {578, "func mapassign(h, key) *elem           // m[k] = v"},
    {580, "  if h == nil: panic(\"assignment to entry in nil map\")"},
    {595, "  if h.flags & hashWriting: fatal(\"concurrent map writes\")"},
    {597, "  hash := hasher(key, h.hash0)"},
    {601, "  h.flags ^= hashWriting                // we are writing now"},
    {604, "  if h.buckets == nil: h.buckets = one new bucket"},
    {607, "again:"},
    {608, "  bucket := hash & (2^B - 1)            // the low B bits"},
    {610, "  if growing: growWork(bucket)          // help the grow first"},
    {612, "  b := &buckets[bucket]"},
    {613, "  top := tophash(hash)                  // top 8 bits (+5 if < 5)"},
    {620, "  for each bmap b of the chain, slot i = 0..7:"},
    {621, "    if b.tophash[i] != top:"},
    {623, "      if empty and no slot yet: remember (b, i) for the insert"},
    {627, "      if b.tophash[i] == emptyRest: stop searching"},
    {630, "      continue"},
    {636, "    if key != b.keys[i]: continue       // same tophash, other key"},
    {641, "    if needkeyupdate: b.keys[i] = key   // +0.0/-0.0, strings"},
    {644, "    found: update the value in place, goto done"},
    {657, "  if !growing && (count+1 > 6.5*2^B || too many overflow buckets):"},
    {658, "    hashGrow(); goto again              // growing moves everything"},
    {662, "  if no free slot was found:"},
    {664, "    newb := newoverflow(b); use slot 0 of newb"},
    {681, "  store the key; tophash[i] = top"},
    {682, "  h.count++"},
    {684, "done:"},
    {686, "  if h.flags & hashWriting == 0: fatal(\"concurrent map writes\")"},
    {688, "  h.flags &^= hashWriting"},
    {690, "  *elem = v                             // compiled code, after the call"},
    {692, "  return elem"},
};

constexpr CodeLine kMapaccess2[] = {
    {456, "func mapaccess2(h, key) (*elem, bool)  // v, ok := m[k]"},
    {469, "  if h == nil || h.count == 0: return zero, false"},
    {476, "  if h.flags & hashWriting: fatal(\"concurrent map read and map write\")"},
    {478, "  hash := hasher(key, h.hash0)"},
    {479, "  m := 2^B - 1"},
    {480, "  b := &buckets[hash & m]"},
    {481, "  if growing:                           // reads never move anything"},
    {484, "    if not same-size: m >>= 1           // the old array is half as big"},
    {486, "    oldb := &oldbuckets[hash & m]"},
    {487, "    if !evacuated(oldb): b = oldb       // the key still lives there"},
    {491, "  top := tophash(hash)"},
    {493, "  for each bmap b of the chain, slot i = 0..7:"},
    {495, "    if b.tophash[i] != top:"},
    {496, "      if b.tophash[i] == emptyRest: stop: not found"},
    {499, "      continue"},
    {505, "    if key == b.keys[i]:"},
    {510, "      return &b.elems[i], true"},
    {514, "  return zero, false"},
};

constexpr CodeLine kMapdelete[] = {
    {695, "func mapdelete(h, key)                 // delete(m, k)"},
    {708, "  if h == nil || h.count == 0: return"},
    {715, "  if h.flags & hashWriting: fatal(\"concurrent map writes\")"},
    {718, "  hash := hasher(key, h.hash0)"},
    {722, "  h.flags ^= hashWriting"},
    {724, "  bucket := hash & (2^B - 1)"},
    {726, "  if growing: growWork(bucket)"},
    {728, "  b := &buckets[bucket]; bOrig := b"},
    {730, "  top := tophash(hash)"},
    {732, "  for each bmap b of the chain, slot i = 0..7:"},
    {734, "    if b.tophash[i] != top:"},
    {735, "      if b.tophash[i] == emptyRest: stop: not found"},
    {738, "      continue"},
    {745, "    if key != b.keys[i]: continue"},
    {762, "    clear the key (if it holds pointers) and the elem; tophash[i] = emptyOne"},
    {767, "    if nothing live follows slot i in the chain:"},
    {777, "      tophash[i] = emptyRest, then step back over emptyOne cells"},
    {795, "    h.count--"},
    {799, "    if h.count == 0: h.hash0 = fastrand() // a fresh seed"},
    {801, "    stop"},
    {806, "  if h.flags & hashWriting == 0: fatal(\"concurrent map writes\")"},
    {808, "  h.flags &^= hashWriting"},
    {809, "  return"},
};

constexpr CodeLine kNewoverflow[] = {
    {246, "func newoverflow(h, b) *bmap"},
    {248, "  if h.extra.nextOverflow != nil:       // a preallocated spare"},
    {251, "    ovf := nextOverflow"},
    {252, "    if ovf.overflow == nil: nextOverflow++  // not the last spare"},
    {259, "    else: ovf.overflow = nil; nextOverflow = nil // the last held the sentinel"},
    {263, "  else: ovf := a new bucket from the heap"},
    {265, "  h.incrnoverflow()"},
    {268, "  if the bucket is pointer-free: append ovf to h.extra.overflow"},
    {270, "  b.overflow = ovf                      // linked at the chain's tail"},
    {271, "  return ovf"},
};

constexpr CodeLine kIncrnoverflow[] = {
    {227, "func incrnoverflow(h)"},
    {231, "  if h.B < 16: h.noverflow++; return"},
    {238, "  mask := 2^(B-15) - 1"},
    {241, "  if fastrand() & mask == 0: h.noverflow++ // counts 1 in 2^(B-15)"},
};

constexpr CodeLine kHashGrow[] = {
    {1041, "func hashGrow(h)"},
    {1045, "  bigger := 1"},
    {1046, "  if !overLoadFactor(count+1, B):      // too many overflow buckets instead"},
    {1047, "    bigger = 0; h.flags |= sameSizeGrow"},
    {1050, "  oldbuckets := h.buckets"},
    {1051, "  newbuckets, nextOverflow := makeBucketArray(B + bigger)"},
    {1053, "  flags := h.flags &^ (iterator | oldIterator)"},
    {1054, "  if h.flags & iterator: flags |= oldIterator"},
    {1059, "  commit: B += bigger; flags; oldbuckets; buckets = newbuckets"},
    {1062, "  h.nevacuate = 0; h.noverflow = 0"},
    {1068, "  if h.extra.oldoverflow != nil: throw(\"oldoverflow is not nil\")"},
    {1070, "  h.extra.oldoverflow = h.extra.overflow; h.extra.overflow = nil"},
    {1077, "  h.extra.nextOverflow = nextOverflow"},
    {0, "  // nothing is copied yet: growWork and evacuate move buckets later"},
};

constexpr CodeLine kGrowWork[] = {
    {1128, "func growWork(h, bucket)"},
    {1131, "  evacuate(bucket & oldbucketmask)     // the old bucket this write needs"},
    {1134, "  if growing:"},
    {1135, "    evacuate(h.nevacuate)              // and one more, to make progress"},
};

constexpr CodeLine kEvacuate[] = {
    {1152, "func evacuate(h, oldbucket)"},
    {1153, "  b := &oldbuckets[oldbucket]"},
    {1154, "  newbit := noldbuckets                // the hash bit that picks X or Y"},
    {1155, "  if !evacuated(b):"},
    {1162, "    X := &buckets[oldbucket]           // same index"},
    {1170, "    Y := &buckets[oldbucket + newbit]  // bigger grows only"},
    {1175, "    for each bmap b of the old chain, slot i = 0..7:"},
    {1181, "      if empty: tophash[i] = evacuatedEmpty; continue"},
    {1185, "      if tophash[i] < minTopHash: throw(\"bad map state\")"},
    {1192, "      if growing bigger:"},
    {1195, "        hash := hasher(key, h.hash0)"},
    {1211, "        useY := hash & newbit != 0"},
    {1221, "      tophash[i] = evacuatedX + useY; dst := X or Y"},
    {1225, "      if dst is full: dst = newoverflow(dst)"},
    {1230, "      copy tophash, key and elem into dst's next slot"},
    {1257, "    if no old iterator and keys or elems hold pointers: clear the old bucket"},
    {1261, "  // the old bucket is evacuated"},
    {1262, "  if oldbucket == h.nevacuate: advanceEvacuationMark(newbit)"},
};

constexpr CodeLine kAdvance[] = {
    {1266, "func advanceEvacuationMark(h, newbit)"},
    {1267, "  h.nevacuate++"},
    {1270, "  stop := min(h.nevacuate + 1024, newbit)"},
    {1274, "  while h.nevacuate != stop && evacuated(oldbuckets[h.nevacuate]): h.nevacuate++"},
    {1277, "  if h.nevacuate == newbit:            // every old bucket has moved"},
    {1279, "    h.oldbuckets = nil                 // growing is done"},
    {1284, "    h.extra.oldoverflow = nil"},
    {1286, "    h.flags &^= sameSizeGrow"},
};

constexpr CodeLine kMapiterinit[] = {
    {815, "func mapiterinit(h, it)                // for k, v := range m"},
    {822, "  if h == nil || h.count == 0: return"},
    {832, "  it.B = h.B; it.buckets = h.buckets   // a snapshot"},
    {849, "  r := fastrand()                       // a random start"},
    {851, "  it.startBucket = r & (2^B - 1)"},
    {852, "  it.offset = (r >> B) & 7              // and a random slot offset"},
    {860, "  h.flags |= iterator | oldIterator"},
    {863, "  mapiternext(it)"},
};

constexpr CodeLine kMapiternext[] = {
    {866, "func mapiternext(it)"},
    {873, "  if h.flags & hashWriting: fatal(\"concurrent map iteration and map write\")"},
    {882, "  if no current bucket:"},
    {883, "    if back at startBucket after wrapping:"},
    {885, "      the iteration ends"},
    {889, "    if growing && it.B == h.B && its old bucket is not evacuated:"},
    {897, "      walk the old bucket, keeping keys bound for this bucket"},
    {903, "    else: walk it.buckets[bucket]"},
    {906, "    bucket++ (wrapping at 2^B)"},
    {913, "  for i = 0..7: cell (i + offset) & 7"},
    {915, "    skip empty and evacuatedEmpty cells, and keys bound for the other half"},
    {959, "    yield key, elem (looked up again if evacuated since)"},
    {987, "  next bmap of the chain, or the next bucket"},
};

constexpr CodeLine kMapclear[] = {
    {993, "func mapclear(h)                       // for k := range m { delete(m, k) }"},
    {1000, "  if h == nil || h.count == 0: return"},
    {1005, "  if h.flags & hashWriting: fatal(\"concurrent map writes\")"},
    {1008, "  h.flags ^= hashWriting"},
    {1010, "  clear sameSizeGrow; oldbuckets = nil; nevacuate = 0; noverflow = 0; count = 0"},
    {1018, "  h.hash0 = fastrand()"},
    {1022, "  *h.extra = mapextra{}"},
    {1028, "  makeBucketArray(B, h.buckets): zero the array, rebuild the spares"},
    {1036, "  if h.flags & hashWriting == 0: fatal(\"concurrent map writes\")"},
    {1038, "  h.flags &^= hashWriting"},
    {1039, "  return"},
};

constexpr CodeLine kMakemap[] = {
    {304, "func makemap(hint) *hmap               // make(map[K]V, hint)"},
    {306, "  if hint*bucketsize overflows or > maxAlloc: hint = 0"},
    {314, "  h.hash0 = fastrand()"},
    {319, "  B := smallest B with hint <= 6.5*2^B  (B = 0 up to 8)"},
    {327, "  if B != 0:"},
    {329, "    h.buckets, nextOverflow = makeBucketArray(B) // 2^B + spares if B >= 4"},
    {331, "    if spares: h.extra.nextOverflow = nextOverflow"},
    {336, "  return h"},
};

struct Fn {
  std::string_view name;
  std::span<const CodeLine> code;
};
const Fn kFunctions[] = {
    {"mapassign", kMapassign},       {"mapaccess2", kMapaccess2},   {"mapdelete", kMapdelete},
    {"newoverflow", kNewoverflow},   {"incrnoverflow", kIncrnoverflow}, {"hashGrow", kHashGrow},
    {"growWork", kGrowWork},         {"evacuate", kEvacuate},       {"advanceEvacuationMark", kAdvance},
    {"mapiterinit", kMapiterinit},   {"mapiternext", kMapiternext}, {"mapclear", kMapclear},
    {"makemap", kMakemap},
};
} // namespace

std::span<const CodeLine> pseudoCode(std::string_view function) {
  for (const Fn& f : kFunctions)
    if (f.name == function) return f.code;
  return {};
}

int goLineOf(const Event& e) { return siteInfo(e.site).line; }

int pseudoLineOf(std::string_view function, const Event& e) {
  auto code = pseudoCode(function);
  if (code.empty()) return -1;
  int line = goLineOf(e);
  // Where the site's line is a summary, point at the line that says what happened.
  switch (e.site) {
  case Site::AssignInsertSlot: line = payloadOf<EventKind::SlotChosen>(e).why == SlotChoice::ExistingKey ? 644 : 623; break;
  case Site::NewOverflow: line = 270; break;
  case Site::AssignElemWrite: line = 690; break; // the caller's store, drawn as its own line
  case Site::IncrNoverflow: line = 241; break;
  case Site::EvacuateCopyKey: line = 1230; break; // one pseudo line copies tophash, key and elem
  case Site::AssignTophash:
  case Site::AccessTophash:
  case Site::DeleteTophash: {
    // The outcome of the compare picks the line (emptyRest stops the search).
    const TophashOutcome outcome = payloadOf<EventKind::TophashCompared>(e).outcome;
    if (outcome == TophashOutcome::EmptyRestStop)
      line = e.site == Site::AssignTophash ? 627 : e.site == Site::AccessTophash ? 496 : 735;
    break;
  }
  default: break;
  }
  if (siteInfo(e.site).function != function) return -1;
  int best = -1, bestDist = 3;
  for (std::size_t i = 0; i < code.size(); i++) {
    if (code[i].goLine == 0) continue;
    int d = std::abs(code[i].goLine - line);
    if (d < bestDist) {
      best = static_cast<int>(i);
      bestDist = d;
    }
  }
  return best;
}

int pseudoCallLine(std::string_view caller, std::string_view callee) {
  // The call's map.go line comes from the engine's call table (the first call
  // when caller calls callee twice).
  const CallEdge* c = callEdge(caller, callee);
  if (!c) return -1;
  auto code = pseudoCode(caller);
  for (std::size_t i = 0; i < code.size(); i++)
    if (code[i].goLine == c->line) return static_cast<int>(i);
  return -1;
}

} // namespace gomap::ui
