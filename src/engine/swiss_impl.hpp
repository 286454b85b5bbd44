// The Swiss map's runtime functions in both forms (swiss_ops.inc) and the
// helpers that exist in one form only. Included by swiss_map.hpp.
#pragma once

namespace gomap::swiss {

#define GOMAP_OWNER_TEMPLATE template <class KT>
#define GOMAP_EVENT(site, ...) SwissEvent::of<site>(__VA_ARGS__)

template <class KT> inline typename KT::Slot SwissMap<KT>::slotOf(const KeyValue& k) {
  if constexpr (KT::kind == KeyKind::Int64) return k.i;
  else if constexpr (KT::kind == KeyKind::Int32) return static_cast<int32_t>(k.i);
  else if constexpr (KT::kind == KeyKind::Float64) return k.f;
  else return StringHeader{k.s.empty() ? 0 : pool_->intern(k.s), k.s.size()};
}

template <class KT> KeyValue SwissMap<KT>::keyValue(const Slot& s) const {
  if constexpr (KT::kind == KeyKind::Int64) return KeyValue::ofInt(KeyKind::Int64, s);
  else if constexpr (KT::kind == KeyKind::Int32) return KeyValue::ofInt(KeyKind::Int32, s);
  else if constexpr (KT::kind == KeyKind::Float64) return KeyValue::ofFloat(s);
  else return KeyValue::ofString(std::string(pool_->view(s.ptr).substr(0, s.len)));
}

template <class KT> inline bool SwissMap<KT>::keyEqual(const Slot& a, const Slot& b) const {
  if constexpr (KT::kind == KeyKind::String) return a.len == b.len && (a.len == 0 || a.ptr == b.ptr);
  else return a == b; // floats: NaN != NaN, -0 == +0
}
template <class KT> bool SwissMap<KT>::keyIsSelf(const Slot& k) const {
  if constexpr (KT::kind == KeyKind::Float64) return k == k;
  else return true;
}

// The fallback hash of Go 1.23 and later (swiss-map-spec 19), keyed by the
// four hashkey words and the 64-bit seed; f64hash for floats (±0 alike, a NaN
// a fresh random hash: RNG-5).
template <class KT> inline uint64_t SwissMap<KT>::hasher(const Slot& k, uint64_t seed) {
  if constexpr (KT::kind == KeyKind::Float64) {
    if (k == 0) return c1 * (c0 ^ seed);
    if (k != k) return c1 * (c0 ^ seed ^ rand());
    uint64_t bits;
    std::memcpy(&bits, &k, 8);
    if (mode_ == HashMode::Identity) return bits;
    return memhash64Fallback(bits, seed, keys_);
  } else if constexpr (KT::kind == KeyKind::Int64) {
    if (mode_ == HashMode::Identity) return static_cast<uint64_t>(k);
    return memhash64Fallback(static_cast<uint64_t>(k), seed, keys_);
  } else if constexpr (KT::kind == KeyKind::Int32) {
    if (mode_ == HashMode::Identity) return static_cast<uint32_t>(k);
    return memhash32Fallback(static_cast<uint32_t>(k), seed, keys_);
  } else {
    const std::string_view s = pool_->view(k.ptr).substr(0, k.len);
    if (mode_ == HashMode::Identity) {
      uint64_t v = 0;
      std::memcpy(&v, s.data(), std::min<std::size_t>(8, s.size()));
      return v;
    }
    return memhashFallback(s.data(), seed, s.size(), keys_);
  }
}

template <class KT> inline bool SwissMap<KT>::peekHash(const KeyValue& k, uint64_t& hash) const {
  const uint64_t seed = h_.seed;
  if constexpr (KT::kind == KeyKind::Float64) {
    const double f = k.f;
    if (f != f) return false;
    if (f == 0) hash = c1 * (c0 ^ seed);
    else {
      uint64_t bits;
      std::memcpy(&bits, &f, 8);
      hash = mode_ == HashMode::Identity ? bits : memhash64Fallback(bits, seed, keys_);
    }
  } else if constexpr (KT::kind == KeyKind::Int64) {
    const uint64_t v = static_cast<uint64_t>(k.i);
    hash = mode_ == HashMode::Identity ? v : memhash64Fallback(v, seed, keys_);
  } else if constexpr (KT::kind == KeyKind::Int32) {
    const uint32_t v = static_cast<uint32_t>(static_cast<int32_t>(k.i));
    hash = mode_ == HashMode::Identity ? v : memhash32Fallback(v, seed, keys_);
  } else {
    const std::string& s = k.s;
    if (mode_ == HashMode::Identity) {
      uint64_t v = 0;
      std::memcpy(&v, s.data(), std::min<std::size_t>(8, s.size()));
      hash = v;
    } else {
      hash = memhashFallback(s.data(), seed, s.size(), keys_);
    }
  }
  return true;
}

#define GOMAP_RESUMABLE 1
#include "engine/stepping_macros.hpp"
#include "engine/swiss_ops.inc"
#undef GOMAP_RESUMABLE

#define GOMAP_RESUMABLE 0
#include "engine/stepping_macros.hpp"
#include "engine/swiss_ops.inc"
#include "engine/stepping_macros_end.hpp"

template <class KT>
typename SwissMap<KT>::TablePtr SwissMap<KT>::newTable(uint64_t capacity, int64_t index, uint8_t localDepth) {
  if (capacity < MapGroupSlots) capacity = MapGroupSlots;
  capacity = std::bit_ceil(capacity);
  auto t = std::allocate_shared<TableT>(TableAllocator<TableT>{});
  t->capacity = static_cast<uint16_t>(capacity);
  t->index = index;
  t->localDepth = localDepth;
  t->groups.resize(capacity / MapGroupSlots);
  t->growthLeft = t->maxGrowthLeft();
  t->epoch = epoch_;
  return t;
}

template <class KT> void SwissMap<KT>::replaceTable(const TablePtr& nt) {
  const uint64_t entries = uint64_t{1} << (h_.globalDepth - nt->localDepth);
  for (uint64_t i = 0; i < entries; i++) {
    TablePtr& e = dir_[static_cast<uint64_t>(nt->index) + i];
    if (retain_ && e && e != nt && (retired_.empty() || retired_.back() != e)) [[unlikely]]
      retired_.push_back(e);
    e = nt;
  }
  syncDir();
}

template <class KT> bool SwissMap<KT>::liveLookup(const Slot& key, Slot& k, int64_t& e) {
  const uint64_t hash = hasher(key, h_.seed);
  auto inGroup = [&](const GroupT& g) {
    for (uint64_t match = matchH2(g.ctrl, h2(hash)); match != 0; match = bitsetRemoveFirst(match)) {
      const unsigned i = bitsetFirst(match);
      if (keyEqual(key, g.key(i))) {
        k = g.key(i);
        e = g.elem(i);
        return true;
      }
    }
    return false;
  };
  if (h_.dirLen == 0) return small_ && inGroup(small_->g); // getWithKeySmall
  const TableT* t = dir_[directoryIndex(hash)].get();
  for (probeSeq seq = probeSeq::make(hash, t->lengthMask());; seq = seq.next()) {
    const GroupT& g = t->groups[seq.offset];
    if (inGroup(g)) return true;
    if (matchEmpty(g.ctrl) != 0) return false;
  }
}

template <class KT> void SwissMap<KT>::unshare() {
  if (small_) smallForWrite();
  for (uint64_t i = 0; i < dir_.size(); i++) tableForWrite(i);
}

template <class KT> Table<KT>* SwissMap<KT>::tableCopyForWrite(uint64_t i) {
  TablePtr& t = dir_[i];
  {
    TablePtr copy = std::allocate_shared<TableT>(TableAllocator<TableT>{}, *t);
    copy->epoch = epoch_;
    const TableT* old = t.get();
    for (uint64_t j = 0; j < h_.dirLen; j++)
      if (dir_[j].get() == old) dir_[j] = copy;
    syncDir();
    return copy.get();
  }
  return t.get();
}

template <class KT> Group<KT>* SwissMap<KT>::smallForWrite() {
  if (small_->epoch != epoch_) {
    small_ = std::make_shared<SmallGroup>(*small_);
    small_->epoch = epoch_;
  }
  return &small_->g;
}

template <class KT> void SwissMap<KT>::tableClear(TableT* t, bool& fullTest, uint32_t& zeroed) {
  const uint16_t mgl = t->maxGrowthLeft();
  fullTest = false;
  zeroed = 0;
  if (t->used == 0 && t->growthLeft == mgl) return; // no entries and no tombstones
  fullTest = uint64_t{t->used} * 4 <= t->lengthMask() || kSlotSize<KT> > 32;
  for (GroupT& g : t->groups) {
    if (!fullTest || (~g.ctrl & bitsetMSB) != 0) {
      g = GroupT{};
      zeroed++;
    }
    g.ctrl = ctrlGroupEmpty;
  }
  t->used = 0;
  t->growthLeft = mgl;
}

template <class KT> void SwissMap<KT>::forEachLive(const std::function<void(const Slot&, int64_t)>& f) const {
  if (h_.dirLen == 0) {
    if (!small_) return;
    for (unsigned i = 0; i < MapGroupSlots; i++)
      if ((ctrlAt(small_->g.ctrl, i) & ctrlEmpty) == 0) f(small_->g.key(i), small_->g.elem(i));
    return;
  }
  for (const TableT* t : tables())
    for (const GroupT& g : t->groups)
      for (unsigned i = 0; i < MapGroupSlots; i++)
        if ((ctrlAt(g.ctrl, i) & ctrlEmpty) == 0) f(g.key(i), g.elem(i));
}

template <class KT> uint64_t SwissMap<KT>::liveBytes() const {
  if (isNil_) return 0;
  uint64_t n = 48; // the Map header
  if (h_.dirLen == 0) return n + (small_ ? roundupsize(kGroupSize<KT>) : 0);
  n += roundupsize(h_.dirLen * 8);
  for (const TableT* t : tables()) n += 32 + roundupsize(t->groups.size() * kGroupSize<KT>);
  return n;
}

template <class KT> std::vector<std::string> SwissMap<KT>::checkInvariants() const {
  std::vector<std::string> bad;
  auto fail = [&](std::string s) { bad.push_back(std::move(s)); };
  if (h_.writing != 0 && inflight() == 0) fail("writing set with no operation in flight");
  if (h_.dirLen == 0) {
    if (!dir_.empty()) fail("small map with a directory");
    uint64_t full = 0;
    if (small_)
      for (unsigned i = 0; i < MapGroupSlots; i++) {
        const uint8_t c = ctrlAt(small_->g.ctrl, i);
        if (c == ctrlDeleted) fail("tombstone in a small map");
        if ((c & ctrlEmpty) == 0) full++;
      }
    if (full != h_.used) fail("used " + std::to_string(h_.used) + " but " + std::to_string(full) + " full slots");
    return bad;
  }
  if (dir_.size() != h_.dirLen || h_.dirLen != (uint64_t{1} << h_.globalDepth)) fail("dirLen != 2^globalDepth");
  uint64_t used = 0;
  for (const TableT* t : tables()) {
    if (t->localDepth > h_.globalDepth) {
      fail("localDepth > globalDepth");
      continue;
    }
    const uint64_t span = uint64_t{1} << (h_.globalDepth - t->localDepth);
    if (t->index < 0 || static_cast<uint64_t>(t->index) % span != 0) fail("table index not a multiple of its span");
    for (uint64_t j = 0; j < span && static_cast<uint64_t>(t->index) + j < dir_.size(); j++)
      if (dir_[static_cast<uint64_t>(t->index) + j].get() != t) fail("directory entry does not point at its table");
    if (t->capacity < 8 || t->capacity > maxTableCapacity || !std::has_single_bit(t->capacity)) fail("bad capacity");
    uint64_t full = 0, deleted = 0;
    for (const GroupT& g : t->groups) {
      bool hasEmpty = false, hasDeleted = false;
      for (unsigned i = 0; i < MapGroupSlots; i++) {
        const uint8_t c = ctrlAt(g.ctrl, i);
        if (c == ctrlEmpty) hasEmpty = true;
        else if (c == ctrlDeleted) hasDeleted = true, deleted++;
        else if ((c & 0x80) == 0) full++;
        else fail("bad control byte");
      }
      if (hasEmpty && hasDeleted) fail("a group holds both a tombstone and an empty slot (spec 8.3)");
    }
    if (full != t->used) fail("table used disagrees with its full slots");
    if (deleted != t->tombstones()) fail("tombstones != capacity*7/8 - used - growthLeft");
    used += t->used;
  }
  if (used != h_.used) fail("tables' used do not add up to the map's");
  return bad;
}

extern template class SwissMap<Int64Key>;
extern template class SwissMap<Int32Key>;
extern template class SwissMap<StringKey>;
extern template class SwissMap<Float64Key>;

} // namespace gomap::swiss
