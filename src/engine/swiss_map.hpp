// The Swiss-table map of Go 1.26.11 and 1.27.4 (internal/runtime/maps), as
// swiss-map-spec.md describes it: a 48-byte Map header; a small map's single
// group, or a directory of tables (extendible hashing); tables of groups; a
// group is one control word and 8 slots. The names are the runtime's, so a
// student can read this beside map.go and table.go.
//
// The runtime's functions are written once, in swiss_ops.inc, and compiled
// twice through the stepping core (stepping.hpp) as the classic map's are: a
// resumable coroutine form that can pause at any event, and a direct form.
// Events are SwissEvent records (swiss_events.hpp).
//
// Memory that the real runtime keeps is kept here too: a deleted slot's stale
// key bytes (int64, int32, float64 keys; string keys are zeroed because they
// hold a pointer), zeroed elems, old groups left as they were. Tables are
// shared with snapshots and copied on the first write after one (by epoch).
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/coro.hpp"
#include "engine/fastrand.hpp"
#include "engine/hash.hpp"
#include "engine/keys.hpp"
#include "engine/map.hpp" // HashMode
#include "engine/stepping.hpp"
#include "engine/swiss_ctrl.hpp"
#include "engine/swiss_events.hpp"

namespace gomap::swiss {

enum class Version : uint8_t { Go126, Go127 };
std::string_view versionName(Version v); // "go1.26", "go1.27"

// The default hashkey words of gomaplab's Swiss scripts (issue 13).
inline constexpr uint64_t kDefaultHashKeys[4] = {0x0123456789abcdefULL, 0xfedcba9876543210ULL,
                                                 0x0f1e2d3c4b5a6978ULL, 0x8796a5b4c3d2e1f0ULL};

// ---- constants (abi/map.go, group.go, table.go) -----------------------------------
inline constexpr unsigned MapGroupSlots = 8;
inline constexpr uint16_t maxTableCapacity = 1024;
inline constexpr unsigned maxAvgGroupLoad = 7;
inline constexpr uint64_t maxAlloc = uint64_t{1} << 48;
static_assert(maxTableCapacity / MapGroupSlots <= kSwissLocGroups, "an event's SwissLoc holds a table's group index");

// Control bytes and control-word matching (group.go): engine/swiss_ctrl.hpp.

constexpr uint64_t h1(uint64_t h) { return h >> 7; }
constexpr uint8_t h2(uint64_t h) { return static_cast<uint8_t>(h & 0x7f); }

// The probe sequence (table.go makeProbeSeq): offset_i = H1 + i(i+1)/2 mod groups.
struct probeSeq {
  uint64_t mask, offset, index;
  static constexpr probeSeq make(uint64_t hash, uint64_t mask) { return {mask, h1(hash) & mask, 0}; }
  constexpr probeSeq next() const { return {mask, (offset + index + 1) & mask, index + 1}; }
};

// The size class the runtime rounds an allocation up to (internal/runtime/gc
// sizeclasses.go), for the sizes a map's groups and directories take.
uint64_t roundupsize(uint64_t bytes);

// The bytes of groups NewMap(hint) allocates for groups of groupSize bytes
// (spec 5.3-5.4; 0 when it allocates none, including when the runtime refuses
// the request and returns an empty map). Lets a script refuse a make whose
// memory the simulator cannot hold, before running it.
constexpr uint64_t makeGroupBytes(int64_t hint, uint64_t groupSize) {
  if (hint <= static_cast<int64_t>(MapGroupSlots)) return 0;
  const uint64_t h = static_cast<uint64_t>(hint);
  if (h > ~uint64_t{0} / 8) return 0;
  const uint64_t target = h * 8 / 7;
  uint64_t dirSize = 1;
  while (dirSize < (target + 1023) / 1024) dirSize <<= 1;
  if (dirSize > maxAlloc / (1024 * groupSize)) return 0;
  uint64_t perTable = 8;
  while (perTable < target / dirSize) perTable <<= 1;
  return dirSize * perTable / 8 * groupSize;
}
// The largest group memory a script may ask make for (the oracle's limit too).
inline constexpr uint64_t kMaxScriptGroupBytes = uint64_t{1} << 30;

// ---- memory ------------------------------------------------------------------------
// Where large group arrays live. A full table's groups take 17 KiB (int64
// keys) and a million-key map has 1,100-2,300 tables, 20-30 MB of groups: on
// 4 KiB pages nearly every op's group is on a page the TLB does not hold, and
// the page walk (two-level on a virtual machine) is what kept recording above
// 2 ns per event at a million keys (docs/performance.md). So arrays of at least
// kPooledFrom bytes are carved from 2 MiB slabs that come from the block cache
// of bucket_storage (allocateBlock: 2 MiB-aligned, advised MADV_HUGEPAGE before
// the first touch, prefaulted), one size class per exact byte size. A slab whose
// arrays are all freed goes back to the block cache (which the classic map's
// bucket arrays share, and which unmaps what it cannot keep). Used only when a
// table is created, copied or freed, never on an insert, lookup or delete; the
// pool is shared by every map and locked. Smaller arrays (small maps' first
// tables) come from the general heap.
namespace group_pool {
inline constexpr std::size_t kSlab = std::size_t{2} << 20;
inline constexpr std::size_t kPooledFrom = 4096;        // smaller arrays: operator new
inline constexpr std::size_t kPooledUpTo = kSlab / 16;  // larger ones too (none is: 128 groups of 200 bytes)
constexpr bool pooled(std::size_t bytes) { return bytes >= kPooledFrom && bytes <= kPooledUpTo; }
void* allocate(std::size_t bytes);                   // pooled(bytes); 64-byte aligned when bytes is a multiple of 64
void deallocate(void* p, std::size_t bytes) noexcept; // an array allocate(bytes) returned
// For tests: arrays handed out and not freed, and slabs held (each 2 MiB).
std::size_t arraysInUse();
std::size_t slabsInUse();
// Whether p lies in one of the pool's slabs.
bool inSlab(const void* p);
} // namespace group_pool

// A stateless allocator for a table's group vector: the pool for arrays it
// takes (pooled), the general heap otherwise. Changes no byte of a group
// (the vector constructs them as before), only where they are.
template <class T> struct GroupAllocator {
  using value_type = T;
  GroupAllocator() = default;
  template <class U> GroupAllocator(const GroupAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n <= group_pool::kPooledUpTo / sizeof(T) && group_pool::pooled(n * sizeof(T)))
      return static_cast<T*>(group_pool::allocate(n * sizeof(T)));
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n <= group_pool::kPooledUpTo / sizeof(T) && group_pool::pooled(n * sizeof(T)))
      return group_pool::deallocate(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U> bool operator==(const GroupAllocator<U>&) const noexcept { return true; }
};

// A group as the runtime lays it out (spec 2.6): the control word, then eight
// slots, each a key followed by its elem (an int32 key is followed by 4 bytes
// of padding). key(i) and elem(i) are the runtime's g.key(typ, i) and
// g.elem(typ, i). A slot's key and elem share a cache line (or two adjacent
// ones) as in the runtime: with the keys and the elems in two arrays of
// their own, a lookup at a million keys touched 2.56 lines of its group on
// average instead of 1.88 and ran 1.13-1.34x the runtime's time.
template <class KT> struct GroupSlot { // zeroed by Group()
  typename KT::Slot key;
  int64_t elem;
};
template <class KT> struct Group {
  uint64_t ctrl = ctrlGroupEmpty;
  GroupSlot<KT> slots[MapGroupSlots];

  // Empty: the control word all ctrlEmpty, every slot zero. The slots are
  // zeroed as two halves: one 128-byte zeroing became a `rep stos` per group
  // (GCC 12), whose startup made newTable 6% of a 100,000-key insert run
  // (3.5 ns an insert) where 64-byte halves are eight vector stores.
  Group() noexcept {
    std::memset(static_cast<void*>(&slots[0]), 0, sizeof(slots) / 2);
    asm("" ::: "memory"); // keeps the two halves apart
    std::memset(static_cast<void*>(&slots[MapGroupSlots / 2]), 0, sizeof(slots) / 2);
  }

  typename KT::Slot& key(unsigned i) { return slots[i].key; }
  const typename KT::Slot& key(unsigned i) const { return slots[i].key; }
  int64_t& elem(unsigned i) { return slots[i].elem; }
  const int64_t& elem(unsigned i) const { return slots[i].elem; }
};

template <class KT> struct Table {
  uint16_t used = 0;
  uint16_t capacity = 0;   // slots, a power of two
  uint16_t growthLeft = 0; // inserts into empty slots still allowed
  uint8_t localDepth = 0;
  int64_t index = 0;       // first directory entry it occupies; -1 once replaced
  std::vector<Group<KT>, GroupAllocator<Group<KT>>> groups; // group_pool: large arrays on huge pages
  uint64_t epoch = 0;      // copy-on-write: shared with snapshots taken after this epoch

  uint64_t lengthMask() const { return groups.size() - 1; }
  uint16_t maxGrowthLeft() const {
    return capacity <= MapGroupSlots ? static_cast<uint16_t>(capacity - 1)
                                     : static_cast<uint16_t>(capacity * maxAvgGroupLoad / MapGroupSlots);
  }
  uint16_t tombstones() const {
    return static_cast<uint16_t>(capacity * maxAvgGroupLoad / MapGroupSlots - used - growthLeft);
  }
};

// Where Table headers live. std::make_shared would put each one on the heap
// next to its own group array (17 KiB for a full table), so that at a million
// keys every header lies on a page of its own and an insert's first reads
// (epoch, growthLeft, used) cost a TLB miss and a cache miss; the runtime
// allocates its 32-byte tables densely from one size class. Here they come,
// control block included (64 bytes), from one pool of 64-byte blocks carved
// out of 16 KiB slabs: 1,000 tables' headers fit in 16 pages. Blocks are
// reused (a free list) and never returned; the pool is shared by every map
// and locked, since tables are made and freed only when a table is created,
// copied or dropped, never on an insert, lookup or delete.
namespace table_pool {
inline constexpr std::size_t kBlock = 64;
void* allocate();                   // one 64-byte block, 64-byte aligned
void deallocate(void* p) noexcept;  // a block allocate() returned
std::size_t blocksInUse();          // for tests
} // namespace table_pool

// A stateless allocator for std::allocate_shared<Table>: a block of the pool
// when what it is asked for fits one (the shared_ptr control block with the
// Table in it does), the general heap otherwise.
template <class T> struct TableAllocator {
  using value_type = T;
  TableAllocator() = default;
  template <class U> TableAllocator(const TableAllocator<U>&) noexcept {}
  static constexpr bool kPooled = sizeof(T) <= table_pool::kBlock && alignof(T) <= table_pool::kBlock;
  T* allocate(std::size_t n) {
    if (kPooled && n == 1) return static_cast<T*>(table_pool::allocate());
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (kPooled && n == 1) return table_pool::deallocate(p);
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U> bool operator==(const TableAllocator<U>&) const noexcept { return true; }
};

// The 48-byte Map header's fields (dirPtr is the small group or the directory).
struct Header {
  uint64_t used = 0;
  uint64_t seed = 0;
  uint64_t dirLen = 0;
  uint8_t globalDepth = 0;
  uint8_t globalShift = 0;
  uint8_t writing = 0;
  bool tombstonePossible = false;
  uint64_t clearSeq = 0;
};

// Per key kind: the fast rule (fast32/fast64/faststr) or the generic one.
template <class KT> inline constexpr bool kFastRule = KT::kind != KeyKind::Float64;
// Group sizes and slot sizes (spec 2.6).
template <class KT> inline constexpr uint64_t kSlotSize = KT::kind == KeyKind::String ? 24 : 16;
template <class KT> inline constexpr uint64_t kGroupSize = 8 + 8 * kSlotSize<KT>;
static_assert(sizeof(GroupSlot<Int64Key>) == kSlotSize<Int64Key> && sizeof(Group<Int64Key>) == kGroupSize<Int64Key>);
static_assert(sizeof(GroupSlot<Int32Key>) == kSlotSize<Int32Key> && sizeof(Group<Int32Key>) == kGroupSize<Int32Key>);
static_assert(sizeof(GroupSlot<Float64Key>) == kSlotSize<Float64Key> &&
              sizeof(Group<Float64Key>) == kGroupSize<Float64Key>);
static_assert(sizeof(GroupSlot<StringKey>) == kSlotSize<StringKey> && sizeof(Group<StringKey>) == kGroupSize<StringKey>);

// An iteration's result.
struct IterResult {
  std::vector<KeyValue> keys;
  std::vector<int64_t> vals;
  uint64_t entryOffset = 0, dirOffset = 0;
};

template <class KT> class SwissMap : public SteppingCore<SwissEvent, SwissEventSink> {
  using Core = SteppingCore<SwissEvent, SwissEventSink>;
  using OpScope = Core::OpScope<SwissMap>;
  friend Core;

public:
  using Slot = typename KT::Slot;
  using GroupT = Group<KT>;
  using TableT = Table<KT>;
  using TablePtr = std::shared_ptr<TableT>;

  explicit SwissMap(std::shared_ptr<StringPool> pool = std::make_shared<StringPool>()) : pool_(std::move(pool)) {}

  // Configuration (before make).
  void setVersion(Version v) { version_ = v; }
  Version version() const { return version_; }
  void setHashKeys(const uint64_t (&k)[4]) {
    for (int i = 0; i < 4; i++) hashkey_[i] = k[i];
    keys_ = go123Keys(hashkey_);
  }
  const uint64_t* hashKeys() const { return hashkey_; }
  void setHashMode(HashMode m) { mode_ = m; }
  HashMode hashMode() const { return mode_; }
  void setRngState(uint64_t s) { rng_.reseed(s); }
  uint64_t rngState() const { return rng_.state(); }
  void setSeed(uint64_t s) { h_.seed = s; }

  // ---- operations (direct form) ----
  // make: NewMap (hint > 8 allocates the tables now). nil: a nil map.
  void makeNil() {
    h_ = Header{};
    small_.reset();
    dir_.clear();
    fast_.clear();
    isNil_ = true;
    building_[0].reset();
    building_[1].reset();
  }
  OpResult make(int64_t hint) {
    return runDirect([&](auto via) { NewMap(via, hint); });
  }
  OpResult put(const KeyValue& k, int64_t v) {
    const Slot s = slotOf(k);
    return runDirect([&](auto via) { mapassign(via, s, v); });
  }
  OpResult get(const KeyValue& k, bool& found, int64_t& val) {
    const Slot s = slotOf(k);
    return runDirect([&](auto via) { mapaccess2(via, s, found, val); });
  }
  OpResult del(const KeyValue& k) {
    const Slot s = slotOf(k);
    return runDirect([&](auto via) { mapdelete(via, s); });
  }
  OpResult clear() {
    return runDirect([&](auto via) { mapclear(via); });
  }
  // Iterates the whole map; offsets, when given, replace the two rand() draws.
  OpResult iter(IterResult& out, std::optional<std::pair<uint64_t, uint64_t>> offsets = std::nullopt) {
    return runDirect([&](auto via) { mapiterate(via, out, offsets); });
  }
  // The resumable forms (for stepping and the tests that prove both forms equal).
  Task<void> makeTask(int64_t hint) { return NewMap(hint); }
  Task<void> putTask(const KeyValue& k, int64_t v) { return mapassign(slotOf(k), v); }
  Task<void> getTask(const KeyValue& k, bool& found, int64_t& val) { return mapaccess2(slotOf(k), found, val); }
  Task<void> delTask(const KeyValue& k) { return mapdelete(slotOf(k)); }
  Task<void> clearTask() { return mapclear(); }
  Task<void> iterTask(IterResult& out, std::optional<std::pair<uint64_t, uint64_t>> offsets) {
    return mapiterate(out, offsets);
  }

  // The hash a key has now (a NaN draws from the generator, as the runtime's does).
  uint64_t hashOf(const KeyValue& k) { return hasher(slotOf(k), h_.seed); }

  // A loader's lookahead (the classic Map::prefetchKey's counterpart): requests
  // the cache lines an op on k will touch first, its table's header and the
  // three lines of the first group of its probe sequence, without waiting for
  // any of them: it reads only the dense per-entry arrays (the directory's
  // table pointers and DirSlot's group array and mask), never a Table object,
  // which at a million keys lies on a page of its own next to its groups.
  // Changes nothing: no event, no draw (a NaN key, whose hash is a fresh draw,
  // is skipped), no string interned. A small map's one group is skipped too.
  // hashOf's result for k without drawing or interning (prefetchKey); false
  // for a NaN, whose hash is a fresh draw.
  [[gnu::always_inline]] bool peekHash(const KeyValue& k, uint64_t& hash) const;
  [[gnu::always_inline]] void prefetchKey(const KeyValue& k) const {
    if (h_.dirLen == 0) return;
    uint64_t hash;
    if (peekHash(k, hash)) prefetchHash(hash);
  }
  [[gnu::always_inline]] void prefetchHash(uint64_t hash) const {
    const uint64_t idx = directoryIndex(hash);
    if (idx >= fast_.size()) [[unlikely]] return;
    const DirSlot d = fast_[idx];
    const char* g = reinterpret_cast<const char*>(d.groups + (h1(hash) & d.mask));
    __builtin_prefetch(g);
    __builtin_prefetch(g + 64);
    __builtin_prefetch(g + sizeof(GroupT) - 1);
    // The probe sequence's second group (offset + 1) too: in a table close to
    // 7/8 full the first group is often full, and an insert then reads the
    // second one; requested late, it is the insert's own DRAM miss.
    const char* g2 = reinterpret_cast<const char*>(d.groups + ((h1(hash) + 1) & d.mask));
    __builtin_prefetch(g2);
    __builtin_prefetch(g2 + 64);
    __builtin_prefetch(g2 + sizeof(GroupT) - 1);
    // The insert's and delete's first reads: epoch (tableForWrite), groups,
    // growthLeft, used, all in one line of the header pool (table_pool). Only
    // the pointer is loaded, from the dense directory.
    __builtin_prefetch(dir_[idx].get());
  }

  // ---- state ----
  const Header& header() const { return h_; }
  bool isNil() const { return isNil_; }
  bool isSmall() const { return h_.dirLen == 0; }
  const GroupT* smallGroup() const { return h_.dirLen == 0 && small_ ? &small_->g : nullptr; }
  // A table growToTable, a grow or a split is filling and has not put in the
  // directory yet (the tables events name SwissLoc::kNew, and kNewRight for a
  // split's right one); null outside those steps. Views draw it filling.
  const TableT* buildingTable(bool right) const { return building_[right ? 1 : 0].get(); }
  const std::vector<TablePtr>& directory() const { return dir_; }
  // Each distinct table once, in the order of first appearance in the directory.
  std::vector<const TableT*> tables() const {
    std::vector<const TableT*> out;
    for (const TablePtr& t : dir_)
      if (out.empty() || out.back() != t.get()) out.push_back(t.get());
    return out;
  }
  KeyValue keyValue(const Slot& s) const;
  const StringPool& strings() const { return *pool_; }
  // Bytes the real runtime would have allocated for the live structure (the
  // header, the small group or the directory and every table's groups and header).
  uint64_t liveBytes() const;
  // Invariants (spec 8 and 7.2); empty when all hold.
  std::vector<std::string> checkInvariants() const;
  // The live key/elem pairs in memory order.
  void forEachLive(const std::function<void(const Slot&, int64_t)>& f) const;

  // Snapshots share tables until the next write.
  struct State {
    Header h;
    std::shared_ptr<const void> small;
    std::vector<TablePtr> dir;
    uint64_t rng;
    bool isNil;
  };
  State snapshot() {
    ++epoch_;
    return State{h_, small_, dir_, rng_.state(), isNil_};
  }
  void restore(const State& s) {
    ++epoch_;
    h_ = s.h;
    small_ = std::static_pointer_cast<SmallGroup>(std::const_pointer_cast<void>(s.small));
    dir_ = s.dir;
    syncDir();
    rng_.reseed(s.rng);
    isNil_ = s.isNil;
    retired_.clear();
    building_[0].reset();
    building_[1].reset();
  }

  [[gnu::always_inline]] Slot slotOf(const KeyValue& k);

  // Several operations in flight at once (race scenarios): a goroutine may
  // still read a table that another one's grow or split has replaced, as the
  // real runtime's garbage collector keeps it alive for that reader. With this
  // on, replaced tables are kept until releaseRetired() (called when no
  // operation is in flight). Off (the default), they are freed at once.
  void setRetainReplaced(bool on) {
    retain_ = on;
    if (!on) retired_.clear();
  }
  void releaseRetired() { retired_.clear(); }
  // Copies now whatever a snapshot shares (the small group, every table), so
  // that interleaved operations all see and write the one live memory.
  void unshare();

private:
  struct SmallGroup {
    GroupT g;
    uint64_t epoch = 0;
  };

  // ---- runtime functions (swiss_ops.inc; two forms each) ----
#define GOMAP_SWISS_DECLARE(ret, name, ...)                                                                            \
  Task<ret> name(__VA_ARGS__);                                                                                         \
  template <bool kRecord> ret name(Direct<kRecord> __VA_OPT__(, ) __VA_ARGS__);
  GOMAP_SWISS_DECLARE(void, NewMap, int64_t hint)
  GOMAP_SWISS_DECLARE(void, mapassign, Slot key, int64_t val)
  GOMAP_SWISS_DECLARE(void, mapaccess2, Slot key, bool& found, int64_t& val)
  GOMAP_SWISS_DECLARE(void, mapdelete, Slot key)
  GOMAP_SWISS_DECLARE(void, mapclear)
  GOMAP_SWISS_DECLARE(void, mapiterate, IterResult& out, std::optional<std::pair<uint64_t, uint64_t>> offsets)
#undef GOMAP_SWISS_DECLARE
#define GOMAP_SWISS_DECLARE(ret, name, ...)                                                                            \
  Task<ret> name(__VA_ARGS__);                                                                                         \
  template <bool kRecord> [[gnu::noinline, gnu::cold]] ret name(Direct<kRecord> __VA_OPT__(, ) __VA_ARGS__);
  GOMAP_SWISS_DECLARE(TableT*, growToTable)
  GOMAP_SWISS_DECLARE(void, rehash, TableT* t)
  GOMAP_SWISS_DECLARE(void, pruneTombstones, TableT* t)
  GOMAP_SWISS_DECLARE(void, installTableSplit, TableT* old, TablePtr left, TablePtr right)
#undef GOMAP_SWISS_DECLARE
  // Called once per slot a grow or split moves: out of line, but compiled for
  // speed (cold code is compiled for size, and its recorded form would call
  // the sink's vector out of line for every moved slot).
  Task<void> uncheckedPutSlot(TableT* t, uint64_t hash, const Slot& key, int64_t elem, SwissLoc from, bool right);
  template <bool kRecord>
  [[gnu::noinline, gnu::hot]] void uncheckedPutSlot(Direct<kRecord>, TableT* t, uint64_t hash, const Slot& key,
                                                    int64_t elem, SwissLoc from, bool right);

  // ---- helpers with one form ----
  [[gnu::always_inline]] uint64_t hasher(const Slot& k, uint64_t seed);
  [[gnu::always_inline]] bool keyEqual(const Slot& a, const Slot& b) const;
  bool keyIsSelf(const Slot& k) const; // typ.Key.Equal(k, k): false for NaN
  // Map.getWithKey: the live key and elem of `key`, no events (an iteration's
  // re-lookup of a key seen in a group the map has since replaced).
  bool liveLookup(const Slot& key, Slot& k, int64_t& e);
  uint64_t rand() { return rng_.fastrand64(); }
  [[noreturn]] void fatalNow(Message m) { throw GoFatal{m}; }

  uint64_t directoryIndex(uint64_t hash) const {
    if (h_.dirLen == 1) return 0;
    return h_.globalShift >= 64 ? 0 : hash >> h_.globalShift;
  }
  TablePtr newTable(uint64_t capacity, int64_t index, uint8_t localDepth);
  void replaceTable(const TablePtr& nt);
  // The table at directory entry i, copied first if a snapshot shares it.
  [[gnu::always_inline]] TableT* tableForWrite(uint64_t i) {
    TableT* t = dir_[i].get();
    if (t->epoch == epoch_) [[likely]] return t;
    return tableCopyForWrite(i);
  }
  [[gnu::noinline]] TableT* tableCopyForWrite(uint64_t i);
  GroupT* smallForWrite();
  GroupT* smallGroupMut() { return &small_->g; }
  static uint16_t tabRef(const TableT* t) { return t->index < 0 ? SwissLoc::kNew : static_cast<uint16_t>(t->index); }
  void clearSlot(Slot& k, int64_t& e) const {
    if constexpr (KT::hasPointers) k = Slot{};
    e = 0;
  }
  void tableClear(TableT* t, bool& fullTest, uint32_t& zeroed);

  // What a lookup needs of each directory entry's table, in one dense array:
  // the group array and its mask (the runtime reads them from the table; here
  // the Table objects lie far apart on the heap, so reading them costs a miss).
  // Kept in step by syncDir() wherever the directory or a table's groups change.
  struct DirSlot {
    const GroupT* groups;
    uint64_t mask;
  };
  void syncDir() {
    fast_.resize(dir_.size());
    for (std::size_t i = 0; i < dir_.size(); i++) fast_[i] = DirSlot{dir_[i]->groups.data(), dir_[i]->lengthMask()};
  }

  Header h_{};
  std::shared_ptr<SmallGroup> small_; // dirPtr of a small map (null: dirPtr nil)
  std::vector<TablePtr> dir_;         // the directory (dirLen entries)
  std::vector<DirSlot> fast_;         // per directory entry: its table's groups (syncDir)
  bool isNil_ = true;
  uint64_t epoch_ = 1;
  bool retain_ = false;
  std::vector<TablePtr> retired_; // replaced tables kept for readers in flight (setRetainReplaced)
  // buildingTable(): set when a rehash allocates a table, reset when that
  // table is installed. Two goroutines growing at once (a race the writing
  // check misses) share it: the later one's tables are shown.
  TablePtr building_[2];
  Version version_ = Version::Go127;
  uint64_t hashkey_[4] = {kDefaultHashKeys[0], kDefaultHashKeys[1], kDefaultHashKeys[2], kDefaultHashKeys[3]};
  FallbackKeys keys_ = go123Keys(kDefaultHashKeys);
  HashMode mode_ = HashMode::Go;
  FastRand rng_{0};
  std::shared_ptr<StringPool> pool_;
};

} // namespace gomap::swiss

#include "engine/swiss_impl.hpp"
