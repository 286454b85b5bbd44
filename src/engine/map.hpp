// gomaplab's engine: Go 1.19's classic map (runtime/map.go), in C++.
//
// A Map<KeyTraits> holds an hmap header and the bucket arrays it points to,
// laid out as the runtime lays them: bmap = tophash[8], keys[8], elems[8],
// overflow pointer, with the real byte sizes (144 bytes for int64 and float64
// keys, 112 for int32, 208 for string). Pointers between buckets are BucketRefs:
// an allocation id and an index into it, so a whole map can be copied and
// restored without fixing up addresses.
//
// Every runtime function that the runtime would have on its stack while working
// on the map (mapassign, growWork, evacuate, newoverflow, ...) has the runtime's
// name and is written once, in map_ops.inc, which is compiled in two forms: a
// coroutine that can park at any event (stepping one event at a time,
// interleaving simulated goroutines on one map) and a plain call that records
// events but never parks (running to completion, recording a session). Each
// step is a GOMAP_EMIT(...): in the resumable form one branch when nobody
// observes; in the direct form nothing at all unless the op is recorded.
//
// All randomness the runtime takes from fastrand comes from this map's FastRand,
// drawn in the runtime's order: hash0 in makemap, NaN hashes, incrnoverflow at
// B >= 16, hash0 when a delete empties the map, iterator start, mapclear.
#pragma once
#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/bucket_storage.hpp"
#include "engine/coro.hpp"
#include "engine/events.hpp"
#include "engine/fastrand.hpp"
#include "engine/hash.hpp"
#include "engine/keys.hpp"
#include "engine/model.hpp"
#include "engine/runtime_consts.hpp"
#include "engine/stepping.hpp"

namespace gomap {

// A pointer to a bmap: (allocation id + 1) << 32 | index inside the allocation.
// 0 is nil. Index < nbuckets is inside the bucket array (main buckets and the
// preallocated overflow pool); larger indexes are overflow buckets that
// newoverflow took from the heap while this array was h.buckets.
using BucketRef = uint64_t;
inline constexpr BucketRef nilBucket = 0;

// How the map hashes keys. Go is the runtime's own hash; the others are teaching
// modes that make placement predictable.
enum class HashMode : uint8_t {
  Go,       // memhash/strhash/f64hash fallback, keyed by hashkey[0] and hash0
  Identity, // hash = the key's bits (strings: their first 8 bytes, little-endian)
};

// A prefetch hint's stage (Map::prefetchKey). A flat array needs only Early;
// a versioned one (after a snapshot) keeps its buckets behind a chunk table,
// so Early loads the table entry and Late, a few ops later, reads it and loads
// the bucket.
enum class PrefetchStage : uint8_t { Early, Late };

// The simulator refuses bucket arrays beyond this size (2^24 buckets, about
// 2.4 GB for int64 keys); the runtime would report "out of memory" instead.
inline constexpr uint8_t kMaxSimulatedB = 24;

// The hmap header (map.go L116-147), field for field.
struct Hmap {
  int64_t count = 0;      // # live cells == size of map
  uint8_t flags = 0;      // iterator | oldIterator | hashWriting | sameSizeGrow
  uint8_t B = 0;          // log_2 of # of buckets (can hold up to loadFactor * 2^B items)
  uint16_t noverflow = 0; // approximate number of overflow buckets
  uint32_t hash0 = 0;     // hash seed
  BucketRef buckets = nilBucket;    // array of 2^B buckets; nil if count == 0 and never written
  BucketRef oldbuckets = nilBucket; // previous bucket array of half the size, non-nil only when growing
  uint64_t nevacuate = 0;           // progress counter for evacuation (buckets below this are evacuated)
  // mapextra (L149-163). The runtime keeps overflow/oldoverflow as slices of
  // pointers only so the GC keeps pointer-free overflow buckets alive; here only
  // their presence and length matter.
  bool extra = false;          // h.extra != nil
  bool hasOverflow = false;    // h.extra.overflow != nil
  uint32_t overflowLen = 0;    // len(*h.extra.overflow)
  bool hasOldOverflow = false; // h.extra.oldoverflow != nil
  uint32_t oldOverflowLen = 0;
  BucketRef nextOverflow = nilBucket; // next free preallocated overflow bucket
};

template <class KT> class Map;

// The stepping core (stepping.hpp) holds the event sink, pause mask, cursor,
// in-flight counts and the run/step drivers; Map adds copy-on-write and
// deferred frees at the start and end of an op (beginOp/endOp below).
template <class KT> class Map : public SteppingCore<Event, EventBuffer> {
  using Core = SteppingCore<Event, EventBuffer>;
  friend Core;
  // `OpScope scope(this, writes)` in map_ops.inc names this, not the core's
  // template (clang deduces no arguments for a member class template).
  using OpScope = Core::OpScope<Map>;

public:
  using Slot = typename KT::Slot;

  struct bmap {
    uint8_t tophash[bucketCnt];
    Slot keys[bucketCnt];
    int64_t elems[bucketCnt];
    BucketRef overflow;
  };
  static constexpr std::size_t bucketsize = sizeof(bmap);

  // One allocation made by makeBucketArray (or newobject for the first bucket).
  struct BucketArray {
    uint8_t b = 0;          // log2 of the number of main buckets
    uint32_t nbuckets = 0;  // buckets in the array: main + preallocated overflow pool
    BucketStorage<bmap> array;
    OverflowHeap<bmap> heap; // overflow buckets from newobject while this array was h.buckets
  };

  // A map iterator (hiter, L165-181).
  struct Iter {
    Slot key{};
    int64_t elem = 0;
    bool valid = false; // it.key != nil
    BucketArray* buckets = nullptr;
    BucketRef bucketsRef = nilBucket;
    uint8_t B = 0;
    uint64_t startBucket = 0;
    uint8_t offset = 0;
    bool wrapped = false;
    uint64_t bucket = 0;
    bmap* bptr = nullptr;
    Loc bloc{};
    uint8_t i = 0;
    uint64_t checkBucket = 0;
    bool started = false;
  };

  // Everything needed to put the map back as it was: the header, the live
  // allocations (shared copy-on-write), the random state and the hash setup.
  struct Snapshot {
    Hmap h;
    bool isNil = true;
    std::vector<std::shared_ptr<BucketArray>> allocs;
    uint64_t rng = 0;
    HashMode mode = HashMode::Go;
    std::unordered_map<uint64_t, uint64_t> pins;
  };

  explicit Map(uint64_t rngSeed = 0, std::shared_ptr<StringPool> pool = std::make_shared<StringPool>())
      : rng_(rngSeed), strings_(std::move(pool)) {}
  Map(const Map&) = delete;
  Map& operator=(const Map&) = delete;

  // ---- configuration -------------------------------------------------------
  void setHashKey(uint64_t k) { hashkey0_ = k; }
  uint64_t hashKey() const { return hashkey0_; }
  void setHashMode(HashMode m) {
    mode_ = m;
    hashSetupChanged();
  }
  HashMode hashMode() const { return mode_; }
  void pinHash(const Slot& k, uint64_t hash) {
    pins_[pinKey(k)] = hash;
    hashSetupChanged();
  }
  void clearPins() {
    pins_.clear();
    hashSetupChanged();
  }
  void setHash0(uint32_t seed) { h_.hash0 = seed; }
  FastRand& rng() { return rng_; }
  StringPool& strings() { return *strings_; }
  const StringPool& strings() const { return *strings_; }

  // Recording and stepping (setEventBuffer, setPauseMask with bit k set to
  // pause at EventKind k, setCursor): the stepping core's.

  // ---- state, read-only ----------------------------------------------------
  const Hmap& header() const { return h_; }
  bool isNil() const { return isNil_; }
  bool growing() const { return h_.oldbuckets != nilBucket; }
  bool sameSizeGrowing() const { return (h_.flags & sameSizeGrow) != 0; }
  uint64_t noldbuckets() const {
    uint8_t oldB = h_.B;
    if (!sameSizeGrowing()) oldB--;
    return bucketShift(oldB);
  }
  uint64_t oldbucketmask() const { return noldbuckets() - 1; }
  // Takes private copies of the arrays a snapshot shares, now. Read ops skip
  // copy-on-write; when several ops interleave (simulated goroutines), a write
  // that copied arrays under a reader in flight would leave the reader on the
  // snapshot's copy. Call with no op in flight, after snapshot() or restore().
  // A version that borrows chunks (BucketStorage) counts as shared here: its
  // copy of a chunk would likewise leave a reader in flight on the old bucket;
  // so, until the next snapshot, new arrays are flat again.
  void unshare() {
    if (inflight_ != 0) return;
    lazyNewArrays_ = false;
    for (auto& a : allocs_)
      if (a && (a.use_count() > 1 || !a->array.flatData())) a = std::make_shared<BucketArray>(*a);
    shared_ = false;
    syncArrays();
  }

  // Reading never copies a chunk of a versioned array (views read the map
  // while an op is paused inside it).
  const bmap& at(BucketRef r) const {
    // Only racing goroutines get here with nil plus an offset (evacuating after
    // another one set oldbuckets to nil) or an index past the allocation (a
    // stale newbit): Go faults or reads unrelated memory; the simulator stops.
    const uint64_t id = (r >> 32) - 1;
    if (id >= narrays_) [[unlikely]]
      throw GoPanic{Message::InvalidMemory};
    const BucketArray& a = *arrays_[id]; // a freed id holds noArray(): every index is out of bounds
    const uint32_t i = static_cast<uint32_t>(r);
    if (i < a.nbuckets) [[likely]]
      return a.array[i];
    if (i - a.nbuckets >= a.heap.size()) [[unlikely]]
      throw GoPanic{Message::InvalidMemory};
    return a.heap[i - a.nbuckets];
  }
  const BucketArray* allocation(BucketRef r) const { return r ? allocs_[(r >> 32) - 1].get() : nullptr; }
  static uint32_t indexOf(BucketRef r) { return static_cast<uint32_t>(r); }
  static bool sameAllocation(BucketRef a, BucketRef b) { return (a >> 32) == (b >> 32); }
  uint64_t arrayLength(BucketRef arr) const { return arr == h_.oldbuckets ? noldbuckets() : bucketShift(h_.B); }

  // Bytes held by bucket arrays (with their pools) and by heap overflow buckets.
  struct MemoryUse {
    uint64_t arrayBytes = 0;
    uint64_t heapOverflowBytes = 0;
    uint64_t heapOverflowBuckets = 0;
    // Of the simulator's own memory (not the runtime's): bytes the live map
    // holds that no snapshot shares, i.e. what a snapshot taken now would add.
    uint64_t unsharedBytes = 0;
  };
  MemoryUse memoryUse() const {
    MemoryUse m;
    for (BucketRef r : {h_.buckets, h_.oldbuckets}) {
      if (!r) continue;
      const BucketArray* a = allocation(r);
      m.arrayBytes += roundupsize(uint64_t{a->nbuckets} * bucketsize);
      m.heapOverflowBuckets += a->heap.size();
      m.heapOverflowBytes += a->heap.size() * roundupsize(bucketsize);
    }
    for (auto& a : allocs_)
      if (a && a.use_count() == 1) m.unsharedBytes += a->array.privateBytes() + a->heap.privateBytes();
    return m;
  }

  uint64_t keyHashNoRng(const Slot& k) const { return hasherPeek(k, h_.hash0); }
  // The hash the next hasher call would return for k (for NaN: the next draw).
  uint64_t peekHash(const Slot& k) const { return hasherPeek(k, h_.hash0); }
  Slot slotOf(const KeyValue& k) {
    if constexpr (KT::kind == KeyKind::String) {
      return StringHeader{strings_->intern(k.s), static_cast<uint64_t>(k.s.size())};
    } else if constexpr (KT::kind == KeyKind::Float64) {
      return k.f;
    } else {
      return static_cast<Slot>(k.i);
    }
  }
  KeyValue keyValueOf(const Slot& s) const {
    if constexpr (KT::kind == KeyKind::String) {
      return KeyValue::ofString(std::string(strings_->view(s.ptr).substr(0, s.len)));
    } else if constexpr (KT::kind == KeyKind::Float64) {
      return KeyValue::ofFloat(s);
    } else {
      return KeyValue::ofInt(KT::kind, s);
    }
  }

  // ---- snapshots ------------------------------------------------------------
  // Taken only between operations: a suspended coroutine holds raw bucket
  // pointers that a restore would invalidate.
  Snapshot snapshot() const {
    assert(inflight_ == 0);
    Snapshot s{h_, isNil_, {}, rng_.state(), mode_, pins_};
    shared_ = true;
    lazyNewArrays_ = true;
    s.allocs.reserve(allocs_.size());
    for (auto& a : allocs_) s.allocs.push_back(a);
    return s;
  }
  // Fills the block cache with what `versions` new versions of this map's
  // arrays take (a chunk table each) and with blocks for `arenaBytes` of
  // copied chunks. A session calls it after each snapshot, so that a seek,
  // which makes such versions, finds that memory faulted in already: fresh
  // memory costs a page fault per page, and on this project's virtual
  // machines about 5 ms per 2 MiB, more than the rest of a slow seek
  // (docs/performance.md). Changes nothing in the map.
  void reserveVersionMemory(std::size_t versions, std::size_t arenaBytes) const {
    std::size_t sizes[2] = {0, 0}, arrays = 0;
    for (BucketRef r : {h_.buckets, h_.oldbuckets})
      if (r && BucketStorage<bmap>::versioned(allocation(r)->nbuckets)) sizes[arrays++] = allocation(r)->nbuckets;
    if (arrays == 0) return;
    // Same-size grows: two arrays of one size need twice the tables.
    if (arrays == 2 && sizes[0] == sizes[1]) BucketStorage<bmap>::reserveTables(sizes[0], 2 * versions);
    else
      for (std::size_t k = 0; k < arrays; k++) BucketStorage<bmap>::reserveTables(sizes[k], versions);
    // Each version of each array fills blocks of its own and may leave its last one part-used.
    constexpr std::size_t block = BucketStorage<bmap>::kArenaBlockBytes;
    BucketStorage<bmap>::reserveArenaBlocks((arenaBytes + block - 1) / block + arrays * versions);
  }
  void restore(const Snapshot& s) {
    assert(inflight_ == 0);
    h_ = s.h;
    isNil_ = s.isNil;
    allocs_ = s.allocs;
    shared_ = true;
    lazyNewArrays_ = true;
    rng_.reseed(s.rng);
    mode_ = s.mode;
    pins_ = s.pins;
    hashSetupChanged();
    graveyard_.clear();
    rebuildFreeIds();
  }

  // ---- the runtime's operations ------------------------------------------------
  // Resumable form: coroutines that can pause at any event (stepping, goroutines).
  Task<void> makemap(int64_t hint);
  Task<void> mapassign(Slot key, int64_t val); // m[k] = v: mapassign + the caller's elem store
  Task<AccessResult> mapaccess2(Slot key);
  Task<void> mapdelete(Slot key);
  Task<void> mapclear();
  Task<void> mapiterinit(Iter& it);
  Task<void> mapiternext(Iter& it);
  // for k, v := range m { collect k, v }: mapiterinit, then mapiternext until done.
  Task<void> rangeLoop(std::vector<KeyValue>* keys, std::vector<int64_t>* vals);
  // Direct form: the same functions as plain calls that never pause; with
  // kRecord they record into the event buffer (which must be set). Fatal
  // errors and panics are thrown as GoFatal / GoPanic.
  template <bool kRecord> void makemap(Direct<kRecord>, int64_t hint);
  template <bool kRecord> void mapassign(Direct<kRecord>, Slot key, int64_t val);
  template <bool kRecord> AccessResult mapaccess2(Direct<kRecord>, Slot key);
  template <bool kRecord> void mapdelete(Direct<kRecord>, Slot key);
  template <bool kRecord> void mapclear(Direct<kRecord>);
  template <bool kRecord> void mapiterinit(Direct<kRecord>, Iter& it);
  template <bool kRecord> void mapiternext(Direct<kRecord>, Iter& it);
  template <bool kRecord> void rangeLoop(Direct<kRecord>, std::vector<KeyValue>* keys, std::vector<int64_t>* vals);
  // Ends an iteration early (the Go loop breaking out): nothing in the runtime
  // happens, but the simulator stops counting it as in flight.
  void iterDone(Iter& it) {
    if (it.started) endOp(true); // mapiterinit began it as a writer (it sets the iterator flags)
    it.started = false;
  }

  // Running and stepping a started op (run, step, finish), and the direct
  // form's runDirect: the stepping core's.

  // ---- conveniences: run one operation to completion (direct form) ----------
  // A hint from a driver that knows its next ops (a script run, a batch):
  // starts loading the bucket an op on k will use, and during a grow the old
  // bucket growWork will evacuate and its X and Y, so that the misses of
  // several ops overlap. It changes no state and
  // draws no randomness; the runtime functions never call it.
  void prefetchKey(const Slot& k, PrefetchStage stage = PrefetchStage::Early) const {
    if (h_.buckets == nilBucket) return;
    const uint64_t hash = hasherPeek(k, h_.hash0);
    prefetchBucket(offset(h_.buckets, hash & bucketMask(h_.B)), stage);
    if (h_.oldbuckets != nilBucket) {
      const uint64_t oldbucket = hash & oldbucketmask();
      prefetchBucket(offset(h_.oldbuckets, oldbucket), stage);
      prefetchBucket(offset(h_.buckets, oldbucket), stage);
      if (!sameSizeGrowing()) prefetchBucket(offset(h_.buckets, oldbucket + noldbuckets()), stage);
    }
  }
  OpResult put(Slot k, int64_t v) {
    return runDirect([&](auto via) { mapassign(via, k, v); });
  }
  OpResult get(Slot k, AccessResult& out) {
    return runDirect([&](auto via) { out = mapaccess2(via, k); });
  }
  OpResult del(Slot k) {
    return runDirect([&](auto via) { mapdelete(via, k); });
  }
  OpResult put(const KeyValue& k, int64_t v) { return put(slotOf(k), v); }
  OpResult get(const KeyValue& k, AccessResult& out) { return get(slotOf(k), out); }
  OpResult del(const KeyValue& k) { return del(slotOf(k)); }
  OpResult clear() {
    return runDirect([&](auto via) { mapclear(via); });
  }
  OpResult make(int64_t hint) {
    return runDirect([&](auto via) { makemap(via, hint); });
  }
  // Runs a whole range loop; keys receive the iteration order.
  OpResult iterate(std::vector<KeyValue>* keys, std::vector<int64_t>* vals = nullptr) {
    return runDirect([&](auto via) { rangeLoop(via, keys, vals); });
  }

private:
  friend class MapTestPeer;

  // ---- stepping helpers -------------------------------------------------------
  // GOMAP_EMIT (stepping_macros.hpp) builds an Event::of<site> and records it
  // through the core's note(); the core's OpScope calls beginOp/endOp here.
  [[noreturn]] void fatalNow(Message m) { throw GoFatal{m}; }

  [[gnu::always_inline]] void beginOp(bool writes) {
    countBegin(writes);
    if (writes && shared_) [[unlikely]] prepareWrite();
  }
  [[gnu::always_inline]] void endOp(bool writes) {
    if (countEnd(writes) && !graveyard_.empty()) [[unlikely]] collectGarbage();
  }

  // ---- memory ----------------------------------------------------------------
  // Asks for every cache line of a bucket (the runtime does not prefetch; this
  // changes only when memory arrives, never what is in it).
  static void prefetchLines(const void* begin, std::size_t bytes) {
    const char* p = static_cast<const char*>(begin);
    for (std::size_t off = 0; off < bytes; off += 64) prefetchForRead(p + off);
    prefetchForRead(p + bytes - 1);
  }
  static void prefetchLines(const bmap* b) { prefetchLines(b, sizeof(bmap)); }
  void prefetchBucket(BucketRef r, PrefetchStage stage) const {
    const uint64_t id = (r >> 32) - 1;
    if (id >= narrays_) return;
    const BucketArray& a = *arrays_[id];
    const uint32_t i = static_cast<uint32_t>(r);
    if (i >= a.nbuckets) return;
    if (const bmap* flat = a.array.flatData()) {
      if (stage == PrefetchStage::Early) prefetchLines(flat + i);
    } else if (stage == PrefetchStage::Early) {
      // Reading the table entry now would stall on it (a seek's replay
      // spent a third of its time so): only start loading it.
      prefetchForRead(a.array.chunkEntry(i));
    } else {
      // The whole chunk: a writing op copies all of it (BucketStorage::copyChunk).
      prefetchLines(a.array.chunkOf(i), BucketStorage<bmap>::kChunkBytes);
    }
  }
  // The runtime functions' way to a bucket. Inline for the common case, a
  // bucket of a flat array (every map nobody snapshots); the rest, and the
  // errors, out of line.
  bmap& at(BucketRef r) {
    const uint64_t id = (r >> 32) - 1;
    if (id < narrays_) [[likely]] {
      BucketArray& a = *arrays_[id];
      const uint32_t i = static_cast<uint32_t>(r);
      if (i < a.nbuckets) [[likely]] {
        if (bmap* flat = a.array.flatData()) [[likely]]
          return flat[i];
      } else if (bmap* own = a.heap.ownBucket(i - a.nbuckets)) {
        return *own;
      }
    }
    return atSlow(r);
  }
  // Bucket i of the array `arr` (h.buckets or h.oldbuckets), the bucket the
  // hash selects: the first cache miss of every op. As at(offset(arr, i)),
  // always inline, and the allocation is found from arr alone, so its loads
  // need not wait for the hash that gives i. All of the bucket's cache lines
  // are asked for at once: a 144-byte bmap spans three or four, and a lookup
  // in a million-key map had waited for the tophash line and then for the
  // elem's (perf: 65% and 14% of mapaccess2's samples). A hint only.
  [[gnu::always_inline]] bmap& bucketOf(BucketRef arr, uint64_t i) {
    const uint64_t id = (arr >> 32) - 1;
    if (id < narrays_) [[likely]] {
      BucketArray& a = *arrays_[id];
      const uint64_t j = static_cast<uint32_t>(arr) + i;
      if (j < a.nbuckets) [[likely]] {
        if (bmap* flat = a.array.flatData()) [[likely]] {
          prefetchLines(flat + j);
          return flat[j];
        }
      }
    }
    return atSlow(offset(arr, i));
  }
  [[gnu::noinline]] bmap& atSlow(BucketRef r) {
    if (writers_ == 0) return const_cast<bmap&>(std::as_const(*this).at(r));
    const uint64_t id = (r >> 32) - 1;
    if (id >= narrays_) [[unlikely]]
      throw GoPanic{Message::InvalidMemory};
    BucketArray& a = *arrays_[id];
    const uint32_t i = static_cast<uint32_t>(r);
    if (i < a.nbuckets) return a.array.writable(i);
    if (i - a.nbuckets >= a.heap.size()) [[unlikely]]
      throw GoPanic{Message::InvalidMemory};
    return a.heap.writable(i - a.nbuckets);
  }
  // Bucket i < a.nbuckets of the array a.
  [[gnu::always_inline]] bmap& arrayBucket(BucketArray& a, uint32_t i) {
    if (bmap* flat = a.array.flatData()) [[likely]]
      return flat[i];
    return versionedAt(a, i);
  }
  // A bucket of a versioned array (after a snapshot): while a writing op is
  // in flight every bucket it reaches is copied first, so the pointers it
  // holds stay on memory that only the live map owns. Read-only ops borrow.
  [[gnu::noinline]] bmap& versionedAt(BucketArray& a, uint32_t i) {
    if (writers_ > 0) return a.array.writable(i);
    return const_cast<bmap&>(std::as_const(a.array)[i]);
  }
  BucketArray& arrayOf(BucketRef r) { return *allocs_[(r >> 32) - 1]; }
  static BucketRef refOf(uint32_t allocIndex, uint32_t i) { return (uint64_t{allocIndex} + 1) << 32 | i; }
  static BucketRef offset(BucketRef base, uint64_t i) { return base + i; }

  uint32_t newAllocation(uint8_t b, uint32_t nbuckets) {
    auto a = std::make_shared<BucketArray>();
    a->b = b;
    a->nbuckets = nbuckets;
    // Zeroed: every tophash emptyRest, every overflow nil.
    a->array = lazyNewArrays_ ? BucketStorage<bmap>::lazilyZeroed(nbuckets) : BucketStorage<bmap>(nbuckets);
    uint32_t id;
    if (!freeIds_.empty()) {
      id = freeIds_.back();
      freeIds_.pop_back();
      allocs_[id] = std::move(a);
    } else {
      id = static_cast<uint32_t>(allocs_.size());
      allocs_.push_back(std::move(a));
    }
    syncArrays();
    return id;
  }
  void retire(BucketRef r) {
    if (r) graveyard_.push_back(static_cast<uint32_t>((r >> 32) - 1));
  }
  [[gnu::noinline]] void collectGarbage() {
    for (uint32_t id : graveyard_) {
      allocs_[id].reset();
      freeIds_.push_back(id);
    }
    graveyard_.clear();
    syncArrays();
  }
  void rebuildFreeIds() {
    freeIds_.clear();
    for (uint32_t i = 0; i < allocs_.size(); i++)
      if (!allocs_[i]) freeIds_.push_back(i);
    syncArrays();
  }
  // at() follows BucketRefs through arrays_, a plain mirror of allocs_, so
  // that a reference costs one compare and two loads. Called whenever allocs_
  // changes (a handful of times per grow or snapshot, never per cell).
  static BucketArray* noArray() {
    static BucketArray none; // nbuckets 0, no heap buckets
    return &none;
  }
  void syncArrays() {
    arrays_.resize(allocs_.size());
    for (std::size_t i = 0; i < allocs_.size(); i++) arrays_[i] = allocs_[i] ? allocs_[i].get() : noArray();
    narrays_ = arrays_.size();
  }
  // Copy-on-write: a snapshot shares allocations with the live map; the first
  // writing operation after it gives the live map a new version of each
  // shared array, which copies a chunk of buckets when it is first written
  // (BucketStorage, OverflowHeap).
  [[gnu::noinline]] void prepareWrite() {
    for (auto& a : allocs_) {
      if (!a || a.use_count() == 1) continue;
      auto v = std::make_shared<BucketArray>();
      v->b = a->b;
      v->nbuckets = a->nbuckets;
      v->array = BucketStorage<bmap>(a->array, a);
      v->heap = OverflowHeap<bmap>(a->heap, a);
      a = std::move(v);
    }
    shared_ = false;
    syncArrays();
  }

  // makeBucketArray (L345): 2^b buckets plus, for b >= 4, a pool of spare
  // overflow buckets sized so the allocation fills its malloc size class. The
  // pool's last bucket gets a non-nil sentinel overflow pointer (to bucket 0).
  struct ArrayResult {
    BucketRef buckets;
    BucketRef nextOverflow;
  };
  static uint32_t bucketsToAllocate(uint8_t b) {
    uint64_t base = bucketShift(b);
    uint64_t n = base;
    if (b >= 4) {
      n += bucketShift(b - 4);
      uint64_t sz = bucketsize * n;
      uint64_t up = roundupsize(sz);
      if (up != sz) n = up / bucketsize;
    }
    return static_cast<uint32_t>(n);
  }
  ArrayResult makeBucketArray(uint8_t b, std::optional<BucketRef> dirtyalloc = std::nullopt) {
    if (b > kMaxSimulatedB) fatalNow(Message::OutOfMemory);
    uint64_t base = bucketShift(b);
    uint32_t n = bucketsToAllocate(b);
    BucketRef buckets;
    if (!dirtyalloc) {
      buckets = refOf(newAllocation(b, n), 0);
    } else {
      buckets = *dirtyalloc;
      BucketArray& a = arrayOf(buckets);
      a.array.zero();
      // The old heap overflow buckets are now unreachable. Drop them unless
      // another (racing) operation may still hold one.
      if (inflight_ <= 1) a.heap.clear();
    }
    BucketRef nextOverflow = nilBucket;
    if (base != n) {
      nextOverflow = offset(buckets, base);
      at(offset(buckets, n - 1)).overflow = buckets;
    }
    return {buckets, nextOverflow};
  }

  // ---- hashing ---------------------------------------------------------------
  static uint64_t pinKey(const Slot& k) {
    if constexpr (KT::kind == KeyKind::String) {
      return k.ptr;
    } else if constexpr (KT::kind == KeyKind::Float64) {
      double d = k == 0 ? 0.0 : k; // +0 and -0 are one key
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return bits;
    } else {
      return static_cast<uint64_t>(static_cast<int64_t>(k));
    }
  }
  uint64_t baseHash(const Slot& k, uint64_t seed, uint32_t nanRand) const {
    if (mode_ == HashMode::Identity) {
      if constexpr (KT::kind == KeyKind::String) {
        uint64_t v = 0;
        std::string_view s = strings_->view(k.ptr).substr(0, k.len);
        std::memcpy(&v, s.data(), std::min<std::size_t>(8, s.size()));
        return v;
      } else if constexpr (KT::kind == KeyKind::Float64) {
        if (k == 0) return 0;
        if (k != k) return f64hashNaN(seed, nanRand);
        uint64_t bits;
        std::memcpy(&bits, &k, 8);
        return bits;
      } else if constexpr (KT::kind == KeyKind::Int32) {
        return static_cast<uint32_t>(k);
      } else {
        return static_cast<uint64_t>(k);
      }
    }
    if constexpr (KT::kind == KeyKind::Int64) {
      return memhash64Fallback(static_cast<uint64_t>(k), seed, hashkey0_);
    } else if constexpr (KT::kind == KeyKind::Int32) {
      return memhash32Fallback(static_cast<uint32_t>(k), seed, hashkey0_);
    } else if constexpr (KT::kind == KeyKind::String) {
      return strhashFallback(strings_->view(k.ptr).substr(0, k.len), seed, hashkey0_);
    } else {
      if (k == 0) return f64hashZero(seed);
      if (k != k) return f64hashNaN(seed, nanRand);
      uint64_t bits;
      std::memcpy(&bits, &k, 8);
      return memhash64Fallback(bits, seed, hashkey0_);
    }
  }
  static bool isNaN(const Slot& k) {
    if constexpr (KT::kind == KeyKind::Float64) return k != k;
    return false;
  }
  // t.hasher(key, seed): draws fastrand for NaN keys, as f64hash does.
  [[gnu::always_inline]] uint64_t hasher(const Slot& k, uint64_t seed) {
    if (!customHash_) [[likely]] {
      if constexpr (KT::kind == KeyKind::Int64) return memhash64Fallback(static_cast<uint64_t>(k), seed, hashkey0_);
      if constexpr (KT::kind == KeyKind::Int32) return memhash32Fallback(static_cast<uint32_t>(k), seed, hashkey0_);
    }
    return hasherSlow(k, seed);
  }
  // The rest of hasher: teaching modes, pinned hashes, strings and floats.
  [[gnu::noinline]] uint64_t hasherSlow(const Slot& k, uint64_t seed) {
    if (!pins_.empty() && !isNaN(k)) {
      auto it = pins_.find(pinKey(k));
      if (it != pins_.end()) return it->second;
    }
    uint32_t r = isNaN(k) ? rng_.fastrand() : 0;
    return baseHash(k, seed, r);
  }
  uint64_t hasherPeek(const Slot& k, uint64_t seed) const {
    if (!pins_.empty() && !isNaN(k)) {
      auto it = pins_.find(pinKey(k));
      if (it != pins_.end()) return it->second;
    }
    uint32_t r = 0;
    if (isNaN(k)) {
      FastRand copy = rng_;
      r = copy.fastrand();
    }
    return baseHash(k, seed, r);
  }
  static bool keyEqual(const Slot& a, const Slot& b) {
    if constexpr (KT::kind == KeyKind::String) {
      return a.len == b.len && a.ptr == b.ptr; // interned: equal bytes <=> equal id
    } else {
      return a == b;
    }
  }

  // ---- helpers of the runtime ---------------------------------------------------
  static bool evacuated(const bmap& b) { return gomap::evacuated(b.tophash[0]); }
  Task<BucketRef> newoverflow(BucketRef b, Loc newLoc, Site site, Site linkSite);
  Task<void> hashGrow();
  Task<void> growWork(uint64_t bucket);
  Task<void> evacuate(uint64_t oldbucket);
  Task<void> advanceEvacuationMark(uint64_t newbit);
  template <bool kRecord> BucketRef newoverflow(Direct<kRecord>, BucketRef b, Loc newLoc, Site site, Site linkSite);
  template <bool kRecord> void hashGrow(Direct<kRecord>);
  template <bool kRecord> void growWork(Direct<kRecord>, uint64_t bucket);
  template <bool kRecord> void evacuate(Direct<kRecord>, uint64_t oldbucket);
  template <bool kRecord> void advanceEvacuationMark(Direct<kRecord>, uint64_t newbit);
  // mapaccessK (L518): the iterator's lookup of the live map; no checks, no events.
  bool mapaccessK(const Slot& key, Slot& outKey, int64_t& outElem);

  Hmap h_;
  bool isNil_ = true;
  FastRand rng_;
  std::shared_ptr<StringPool> strings_;
  uint64_t hashkey0_ = kDefaultHashKey;
  HashMode mode_ = HashMode::Go;
  std::unordered_map<uint64_t, uint64_t> pins_;
  bool customHash_ = false; // a teaching mode or pinned hashes: hasher takes the long way
  void hashSetupChanged() { customHash_ = mode_ != HashMode::Go || !pins_.empty(); }

  std::vector<std::shared_ptr<BucketArray>> allocs_;
  std::vector<BucketArray*> arrays_; // allocs_[i].get(), or noArray() for a free id
  uint64_t narrays_ = 0;             // arrays_.size()
  std::vector<uint32_t> freeIds_;
  std::vector<uint32_t> graveyard_;
  mutable bool shared_ = false; // allocations may be shared with a snapshot
  // New arrays start lazily zeroed (BucketStorage::lazilyZeroed): set once the
  // map has been snapshotted or restored (a recorded session), cleared by
  // unshare() (interleaved goroutines need flat arrays).
  mutable bool lazyNewArrays_ = false;

};

} // namespace gomap

#include "engine/map_impl.hpp"
