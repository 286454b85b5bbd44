#include "engine/any_map.hpp"

#include <fmt/format.h>

#include <set>
#include <type_traits>
#include <unordered_set>

namespace gomap {

namespace {

template <class KT> class TypedMap final : public AnyMap {
public:
  using M = Map<KT>;
  using Slot = typename M::Slot;
  using bmap = typename M::bmap;

  TypedMap(uint64_t seed, std::shared_ptr<StringPool> pool) : m_(seed, std::move(pool)) {}

  KeyKind kind() const override { return KT::kind; }
  std::string goType() const override { return KT::goType; }
  std::size_t bucketSize() const override { return M::bucketsize; }
  std::size_t keySize() const override { return sizeof(Slot); }

  void setHashKey(uint64_t k) override { m_.setHashKey(k); }
  void setHashMode(HashMode mo) override { m_.setHashMode(mo); }
  HashMode hashMode() const override { return m_.hashMode(); }
  bool pinHash(const KeyValue& k, uint64_t hash) override {
    if (k.kind == KeyKind::Float64 && k.f != k.f) return false;
    m_.pinHash(m_.slotOf(k), hash);
    return true;
  }
  void setHash0(uint32_t seed) override { m_.setHash0(seed); }
  void setRngSeed(uint64_t seed) override { m_.rng().reseed(seed); }
  uint64_t rngState() const override { return const_cast<M&>(m_).rng().state(); }

  OpResult apply(const OpRequest& r, AccessResult* access, std::vector<KeyValue>* keys) override {
    switch (r.code) {
    case OpCode::Make: return m_.make(r.value);
    case OpCode::Put: return m_.put(r.key, r.value);
    case OpCode::Get: {
      AccessResult a;
      OpResult res = m_.get(r.key, a);
      if (access) *access = a;
      return res;
    }
    case OpCode::Del: return m_.del(r.key);
    case OpCode::Clear: return m_.clear();
    case OpCode::Iter: return m_.iterate(keys);
    default: return {};
    }
  }

  // A started operation of result type T.
  template <class T> class Run final : public OpRun {
  public:
    Run(M& m, Task<T> t) : m_(m), task_(std::move(t)), cursor_{task_.handle()} {}
    bool step() override {
      if (task_.done()) return false;
      bool running = m_.step(task_, cursor_);
      if constexpr (std::is_same_v<T, AccessResult>) {
        if (!running && m_.finish(task_).outcome == Outcome::Ok) access = task_.result();
      }
      return running;
    }
    bool done() const override { return task_.done(); }
    OpResult result() override { return m_.finish(task_); }

  private:
    M& m_;
    Task<T> task_;
    Cursor cursor_;
  };

  // A whole range loop; the keys and values it yields fill the run's own lists.
  class IterRun final : public OpRun {
  public:
    explicit IterRun(M& m) : m_(m), loop_(m.rangeLoop(&keys, &vals)), cursor_{loop_.handle()} {}
    bool step() override { return !loop_.done() && m_.step(loop_, cursor_); }
    bool done() const override { return loop_.done(); }
    OpResult result() override { return m_.finish(loop_); }

  private:
    M& m_;
    Task<void> loop_;
    Cursor cursor_;
  };

  std::unique_ptr<OpRun> start(const OpRequest& r) override {
    switch (r.code) {
    case OpCode::Make: return std::make_unique<Run<void>>(m_, m_.makemap(r.value));
    case OpCode::Put: return std::make_unique<Run<void>>(m_, m_.mapassign(m_.slotOf(r.key), r.value));
    case OpCode::Get: return std::make_unique<Run<AccessResult>>(m_, m_.mapaccess2(m_.slotOf(r.key)));
    case OpCode::Del: return std::make_unique<Run<void>>(m_, m_.mapdelete(m_.slotOf(r.key)));
    case OpCode::Clear: return std::make_unique<Run<void>>(m_, m_.mapclear());
    case OpCode::Iter: return std::make_unique<IterRun>(m_);
    default: return nullptr;
    }
  }

  uint64_t peekHash(const KeyValue& k) const override {
    auto& mm = const_cast<M&>(m_);
    return mm.peekHash(mm.slotOf(k));
  }
  void prefetchKey(const KeyValue& k, PrefetchStage stage) const override {
    if constexpr (KT::kind != KeyKind::String) m_.prefetchKey(const_cast<M&>(m_).slotOf(k), stage);
  }

  void setEventBuffer(EventBuffer* b) override { m_.setEventBuffer(b); }
  void setPauseMask(uint64_t mask) override { m_.setPauseMask(mask); }

  const Hmap& header() const override { return m_.header(); }
  bool isNil() const override { return m_.isNil(); }
  bool growing() const override { return m_.growing(); }
  uint64_t noldbuckets() const override { return m_.noldbuckets(); }

  BucketRef arrayRef(bool old) const { return old ? m_.header().oldbuckets : m_.header().buckets; }

  void chain(bool old, uint64_t bucket, std::vector<BmapView>& out) const override {
    out.clear();
    BucketRef base = arrayRef(old);
    if (!base) return;
    const auto* alloc = m_.allocation(base);
    BucketRef r = base + bucket;
    bool first = true;
    std::size_t guard = 0;
    while (r && guard++ < 1'000'000) {
      const bmap& b = m_.at(r);
      BmapView v;
      for (int i = 0; i < bucketCnt; i++) {
        v.tophash[i] = b.tophash[i];
        v.keys[i] = m_.keyValueOf(b.keys[i]);
        v.elems[i] = b.elems[i];
      }
      v.overflowBucket = !first;
      uint32_t idx = M::indexOf(r);
      v.pre = (M::sameAllocation(r, base) && idx < alloc->nbuckets) ? static_cast<int64_t>(idx) : -1;
      out.push_back(std::move(v));
      first = false;
      r = b.overflow;
    }
  }
  uint8_t headTophash(bool old, uint64_t bucket, int slot) const override {
    BucketRef base = arrayRef(old);
    return base ? m_.at(base + bucket).tophash[slot] : 0;
  }
  int chainLength(bool old, uint64_t bucket) const override {
    BucketRef r = arrayRef(old);
    if (!r) return 0;
    r += bucket;
    int n = 0;
    while (r && n < 1'000'000) {
      n++;
      r = m_.at(r).overflow;
    }
    return n;
  }
  int64_t nextOverflowIndex() const override {
    const Hmap& h = m_.header();
    if (!h.extra || !h.nextOverflow || !h.buckets) return -1;
    if (!M::sameAllocation(h.nextOverflow, h.buckets)) return -1;
    return static_cast<int64_t>(M::indexOf(h.nextOverflow));
  }
  uint32_t arrayAllocated(bool old) const override {
    BucketRef r = arrayRef(old);
    return r ? m_.allocation(r)->nbuckets : 0;
  }
  Memory memory() const override {
    auto u = m_.memoryUse();
    return Memory{u.arrayBytes, u.heapOverflowBytes, u.heapOverflowBuckets, u.unsharedBytes};
  }

  std::any snapshot() const override { return m_.snapshot(); }
  void restore(const std::any& s) override { m_.restore(std::any_cast<const typename M::Snapshot&>(s)); }
  void reserveVersionMemory(std::size_t versions, std::size_t arenaBytes) const override {
    m_.reserveVersionMemory(versions, arenaBytes);
  }
  void unshare() override { m_.unshare(); }

  std::vector<InvariantFinding> checkInvariants() const override;
  uint64_t digest() const override;
  std::vector<Entry> entries() const override;
  std::string_view modelName() const override { return "classic map (Go 1.19 hmap/bmap)"; }
  const ModelEventTables& eventTables() const override { return classicMapEventTables(); }

private:
  M m_;
};

template <class KT> uint64_t TypedMap<KT>::digest() const {
  uint64_t f = 0xcbf29ce484222325ULL;
  auto byte = [&f](uint8_t b) {
    f ^= b;
    f *= 0x100000001b3ULL;
  };
  auto u64 = [&byte](uint64_t v) {
    for (int i = 0; i < 8; i++) byte(static_cast<uint8_t>(v >> (8 * i)));
  };
  auto array = [&](BucketRef base, uint64_t n) {
    const auto* alloc = m_.allocation(base);
    for (uint64_t i = 0; i < n; i++) {
      BucketRef r = base + i;
      bool head = true;
      while (r) {
        const bmap& b = m_.at(r);
        for (int s = 0; s < bucketCnt; s++) byte(b.tophash[s]);
        for (int s = 0; s < bucketCnt; s++) {
          if (b.tophash[s] < minTopHash) continue;
          const Slot& k = b.keys[s];
          if constexpr (KT::kind == KeyKind::String) {
            u64(k.len);
            for (unsigned char c : m_.strings().view(k.ptr).substr(0, k.len)) byte(c);
          } else if constexpr (KT::kind == KeyKind::Int32) {
            for (int j = 0; j < 4; j++) byte(static_cast<uint8_t>(static_cast<uint32_t>(k) >> (8 * j)));
          } else {
            uint64_t bits;
            std::memcpy(&bits, &k, 8);
            u64(bits);
          }
          u64(static_cast<uint64_t>(b.elems[s]));
        }
        if (!head) {
          uint32_t idx = M::indexOf(r);
          u64(M::sameAllocation(r, base) && idx < alloc->nbuckets ? idx : ~uint64_t{0});
        }
        head = false;
        r = b.overflow;
      }
      byte(0xff);
    }
  };
  const Hmap& h = m_.header();
  if (h.buckets != nilBucket) {
    byte('N');
    array(h.buckets, bucketShift(h.B));
  }
  if (m_.growing()) {
    byte('O');
    array(h.oldbuckets, m_.noldbuckets());
  }
  return f;
}

// Every cell with a live tophash, new array then old, bucket by bucket along
// each chain (an evacuated old cell is marked, so nothing is listed twice).
template <class KT> std::vector<Entry> TypedMap<KT>::entries() const {
  std::vector<Entry> out;
  const Hmap& h = m_.header();
  if (m_.isNil()) return out;
  auto array = [&](BucketRef base, uint64_t n) {
    for (uint64_t i = 0; i < n; i++) {
      int guard = 0;
      for (BucketRef r = base + i; r && ++guard <= 1'000'000; r = m_.at(r).overflow) {
        const bmap& b = m_.at(r);
        for (int s = 0; s < bucketCnt; s++)
          if (b.tophash[s] >= minTopHash) out.push_back({m_.keyValueOf(b.keys[s]), b.elems[s]});
      }
    }
  };
  if (h.buckets != nilBucket) array(h.buckets, bucketShift(h.B));
  if (m_.growing()) array(h.oldbuckets, m_.noldbuckets());
  return out;
}

// The checker walks the whole map. It stays independent of the algorithms it
// checks: it reads memory and recomputes hashes (never drawing random numbers).
template <class KT> std::vector<InvariantFinding> TypedMap<KT>::checkInvariants() const {
  std::vector<InvariantFinding> bad;
  const Hmap& h = m_.header();
  if (m_.isNil()) return bad;
  using K = InvariantKind;
  auto add = [&](InvariantKind k, std::optional<Loc> where, std::string s) {
    if (bad.size() < 20) bad.push_back({k, where, std::move(s)});
  };
  // The cell at position pos of a chain (8 cells per bmap).
  auto cell = [](bool old, uint64_t bucket, int pos) {
    return Loc{old, static_cast<uint32_t>(bucket), static_cast<uint16_t>(pos / bucketCnt),
               static_cast<uint8_t>(pos % bucketCnt)};
  };
  auto bucketLoc = [](bool old, uint64_t bucket) { return Loc{old, static_cast<uint32_t>(bucket), 0, 0}; };
  if (h.flags & hashWriting) add(K::WritingBetweenOps, std::nullopt, "hashWriting is set between operations");
  const bool growing = h.oldbuckets != nilBucket;
  const bool same = (h.flags & sameSizeGrow) != 0;
  if (!growing && same) add(K::SameSizeGrowNotGrowing, std::nullopt, "sameSizeGrow set while not growing");
  if (h.buckets == nilBucket) {
    if (h.count != 0) add(K::CountWithoutBuckets, std::nullopt, fmt::format("count {} with no buckets", h.count));
    return bad;
  }
  const uint64_t nb = bucketShift(h.B);
  const uint64_t nold = growing ? m_.noldbuckets() : 0;
  if (growing && h.nevacuate >= nold) add(K::NevacuatePastEnd, std::nullopt, "nevacuate reached noldbuckets but oldbuckets is still set");

  int64_t live = 0;
  std::set<std::string> seen;
  auto keyBytes = [&](const Slot& k) {
    std::string v;
    if constexpr (KT::kind == KeyKind::String) {
      v.assign(m_.strings().view(k.ptr).substr(0, k.len));
    } else if constexpr (KT::kind == KeyKind::Float64) {
      double d = k == 0 ? 0.0 : k;
      v.resize(8);
      std::memcpy(v.data(), &d, 8);
    } else {
      v.resize(sizeof(Slot));
      std::memcpy(v.data(), &k, sizeof(Slot));
    }
    return v;
  };
  auto isNaN = [](const Slot& k) {
    if constexpr (KT::kind == KeyKind::Float64) return k != k;
    return false;
  };

  auto walk = [&](bool old, uint64_t bucket, bool expectEvacuated) {
    BucketRef r = (old ? h.oldbuckets : h.buckets) + bucket;
    bool restSeen = false;
    uint8_t prevTh = 255;
    int pos = 0;
    int guard = 0;
    while (r) {
      if (++guard > 1'000'000) {
        add(K::ChainDoesNotEnd, bucketLoc(old, bucket), "overflow chain does not end");
        return;
      }
      const bmap& b = m_.at(r);
      for (int i = 0; i < bucketCnt; i++, pos++) {
        uint8_t th = b.tophash[i];
        if (expectEvacuated) {
          if (!(th == evacuatedX || th == evacuatedY || th == evacuatedEmpty))
            add(K::NotEvacuated, cell(old, bucket, pos),
                fmt::format("old bucket {} below nevacuate or marked evacuated has cell tophash {}", bucket, th));
          continue;
        }
        if (isEvacuatedMark(th)) {
          add(K::StrayEvacuationMark, cell(old, bucket, pos),
            fmt::format("{} bucket {} cell {} has evacuation mark {} but the bucket is not evacuated",
                          old ? "old" : "new", bucket, pos, th));
          continue;
        }
        if (restSeen && th != emptyRest)
          add(K::AfterEmptyRest, cell(old, bucket, pos),
              fmt::format("{} bucket {} cell {} follows an emptyRest cell but has tophash {}", old ? "old" : "new",
                          bucket, pos, th));
        if (th == emptyRest && prevTh == emptyOne)
          add(K::EmptyOneBeforeEmptyRest, cell(old, bucket, pos - 1),
              fmt::format("{} bucket {} cell {} is emptyOne right before emptyRest (should be emptyRest)",
                          old ? "old" : "new", bucket, pos - 1));
        if (th == emptyRest) restSeen = true;
        prevTh = th;
        if (th < minTopHash) continue;
        live++;
        const Slot& k = b.keys[i];
        if (isNaN(k)) continue; // NaN hashes are random; each NaN is its own key
        uint64_t hash = m_.keyHashNoRng(k);
        if (tophash(hash) != th)
          add(K::TophashMismatch, cell(old, bucket, pos),
              fmt::format("{} bucket {} cell {}: tophash {} but the key's tophash is {}", old ? "old" : "new", bucket,
                          pos, th, tophash(hash)));
        uint64_t want = old ? (hash & (nold - 1)) : (hash & (nb - 1));
        if (want != bucket)
          add(K::WrongBucket, cell(old, bucket, pos),
              fmt::format("{} bucket {} cell {}: key belongs in bucket {}", old ? "old" : "new", bucket, pos, want));
        if (!seen.insert(keyBytes(k)).second)
          add(K::DuplicateKey, cell(old, bucket, pos),
              fmt::format("{} bucket {} cell {}: duplicate key", old ? "old" : "new", bucket, pos));
      }
      r = b.overflow;
    }
    if (!expectEvacuated && prevTh == emptyOne)
      add(K::ChainEndsEmptyOne, cell(old, bucket, pos - 1),
          fmt::format("{} bucket {} chain ends with an emptyOne cell (should be emptyRest)", old ? "old" : "new", bucket));
  };

  for (uint64_t i = 0; i < nb; i++) {
    if (growing) {
      // A new bucket receives keys only after its old bucket is evacuated
      // (every write runs growWork on its bucket first).
      const bmap& ob = m_.at(h.oldbuckets + (i & (nold - 1)));
      bool evac = evacuated(ob.tophash[0]);
      if (!evac && m_.at(h.buckets + i).tophash[0] != emptyRest)
        add(K::FilledBeforeEvacuation, bucketLoc(false, i),
            fmt::format("new bucket {} is filled but its old bucket {} is not evacuated", i, i & (nold - 1)));
    }
    walk(false, i, false);
  }
  if (growing) {
    for (uint64_t i = 0; i < nold; i++) {
      const bmap& ob = m_.at(h.oldbuckets + i);
      bool evac = evacuated(ob.tophash[0]);
      if (i < h.nevacuate && !evac) add(K::NotEvacuated, bucketLoc(true, i), fmt::format("old bucket {} is below nevacuate {} but not evacuated", i, h.nevacuate));
      walk(true, i, evac);
    }
  }
  if (live != h.count) add(K::CountMismatch, std::nullopt, fmt::format("count is {} but {} cells are live", h.count, live));
  return bad;
}

} // namespace

std::unique_ptr<AnyMap> AnyMap::create(KeyKind kind, uint64_t rngSeed, std::shared_ptr<StringPool> pool) {
  switch (kind) {
  case KeyKind::Int64: return std::make_unique<TypedMap<Int64Key>>(rngSeed, std::move(pool));
  case KeyKind::Int32: return std::make_unique<TypedMap<Int32Key>>(rngSeed, std::move(pool));
  case KeyKind::String: return std::make_unique<TypedMap<StringKey>>(rngSeed, std::move(pool));
  case KeyKind::Float64: return std::make_unique<TypedMap<Float64Key>>(rngSeed, std::move(pool));
  }
  return nullptr;
}

} // namespace gomap
