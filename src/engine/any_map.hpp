// The classic map's model: a Map of any key kind behind one interface, for the
// layers above the engine (scripts, sessions, views). The structure-agnostic
// surface (operations, stepping, snapshots, digest, typed invariant findings,
// live entries, event tables) is Model's (model.hpp); what is here besides is
// the classic map's own vocabulary: the hmap header, bmap chains, tophash, the
// hash setup. Operations are dispatched once per operation, so the engine's
// inner loops stay monomorphic.
#pragma once
#include <any>
#include <memory>
#include <string>
#include <vector>

#include "engine/map.hpp"
#include "engine/model.hpp"

namespace gomap {

// One bmap as views and the JSON dump see it.
struct BmapView {
  uint8_t tophash[bucketCnt];
  KeyValue keys[bucketCnt];
  int64_t elems[bucketCnt];
  int64_t pre = -1; // index inside the array allocation if preallocated, else -1
  bool overflowBucket = false;
};

class AnyMap : public Model {
public:
  static std::unique_ptr<AnyMap> create(KeyKind kind, uint64_t rngSeed = 0,
                                        std::shared_ptr<StringPool> pool = std::make_shared<StringPool>());

  virtual KeyKind kind() const = 0;
  virtual std::size_t bucketSize() const = 0;
  virtual std::size_t keySize() const = 0;

  // Configuration.
  virtual void setHashKey(uint64_t k) = 0;
  virtual void setHashMode(HashMode m) = 0;
  virtual HashMode hashMode() const = 0;
  virtual bool pinHash(const KeyValue& k, uint64_t hash) = 0; // false for NaN
  virtual void setHash0(uint32_t seed) = 0;
  virtual void setRngSeed(uint64_t seed) = 0;
  virtual uint64_t rngState() const = 0;

  virtual uint64_t peekHash(const KeyValue& k) const = 0;
  // A hint that an op on k comes soon (see Map::prefetchKey); changes nothing.
  // String keys are skipped: their slot would intern the string early.
  virtual void prefetchKey(const KeyValue& k, PrefetchStage stage = PrefetchStage::Early) const = 0;


  // State.
  virtual const Hmap& header() const = 0;
  virtual bool isNil() const = 0;
  virtual bool growing() const = 0;
  virtual uint64_t noldbuckets() const = 0;
  // The chain of bucket i of the current (old = false) or old array.
  virtual void chain(bool old, uint64_t bucket, std::vector<BmapView>& out) const = 0;
  // Cheap per-cell access for large views: tophash of cell `slot` of bucket i's
  // head bmap, and the chain length.
  virtual uint8_t headTophash(bool old, uint64_t bucket, int slot) const = 0;
  virtual int chainLength(bool old, uint64_t bucket) const = 0;
  virtual int64_t nextOverflowIndex() const = 0;
  virtual uint32_t arrayAllocated(bool old) const = 0; // buckets in the allocation (main + pool)
  struct Memory {
    uint64_t arrayBytes = 0, heapOverflowBytes = 0, heapOverflowBuckets = 0;
    uint64_t unsharedBytes = 0; // simulator memory a snapshot taken now would add (Map::MemoryUse)
  };
  virtual Memory memory() const = 0;

  // Faults in, ahead, the memory that `versions` copy-on-write versions of the
  // arrays and `arenaBytes` of copied chunks will take (Map::reserveVersionMemory).
  virtual void reserveVersionMemory(std::size_t versions, std::size_t arenaBytes) const = 0;
  // (Model: snapshot/restore, unshare; digest is FNV-1a over the canonical
  // content of both bucket arrays, which the oracle computes from the real
  // runtime's memory too.)

};

} // namespace gomap
