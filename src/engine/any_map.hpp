// A map of any key kind behind one interface, for the layers above the engine
// (scripts, sessions, views). Operations are dispatched once per operation, so
// the engine's inner loops stay monomorphic.
#pragma once
#include <any>
#include <memory>
#include <string>
#include <vector>

#include "engine/map.hpp"

namespace gomap {

// What a user asks the map to do.
struct OpRequest {
  OpCode code = OpCode::Get;
  KeyValue key;
  int64_t value = 0; // put: the value; make: the hint
};

// A started operation that can be stepped one pause at a time.
class OpRun {
public:
  virtual ~OpRun() = default;
  // Resumes until the next pause. Returns false once the operation has ended.
  virtual bool step() = 0;
  virtual bool done() const = 0;
  // Outcome once done (fatal errors and panics are outcomes, not exceptions).
  virtual OpResult result() = 0;
  AccessResult access;        // get
  std::vector<KeyValue> keys; // iter
  std::vector<int64_t> vals;  // iter
};

// One bmap as views and the JSON dump see it.
struct BmapView {
  uint8_t tophash[bucketCnt];
  KeyValue keys[bucketCnt];
  int64_t elems[bucketCnt];
  int64_t pre = -1; // index inside the array allocation if preallocated, else -1
  bool overflowBucket = false;
};

class AnyMap {
public:
  virtual ~AnyMap() = default;
  static std::unique_ptr<AnyMap> create(KeyKind kind, uint64_t rngSeed = 0,
                                        std::shared_ptr<StringPool> pool = std::make_shared<StringPool>());

  virtual KeyKind kind() const = 0;
  virtual std::string goType() const = 0;
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

  // Operations run to completion.
  virtual OpResult apply(const OpRequest& r, AccessResult* access = nullptr, std::vector<KeyValue>* keys = nullptr) = 0;
  // The same operations, started for stepping (pauseMask chooses where to stop).
  virtual std::unique_ptr<OpRun> start(const OpRequest& r) = 0;
  virtual uint64_t peekHash(const KeyValue& k) const = 0;
  // A hint that an op on k comes soon (see Map::prefetchKey); changes nothing.
  // String keys are skipped: their slot would intern the string early.
  virtual void prefetchKey(const KeyValue& k, PrefetchStage stage = PrefetchStage::Early) const = 0;

  // Recording and stepping.
  virtual void setEventBuffer(EventBuffer* b) = 0;
  virtual void setPauseMask(uint64_t m) = 0;

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

  // Snapshots (between operations only).
  virtual std::any snapshot() const = 0;
  virtual void restore(const std::any& s) = 0;
  // Faults in, ahead, the memory that `versions` copy-on-write versions of the
  // arrays and `arenaBytes` of copied chunks will take (Map::reserveVersionMemory).
  virtual void reserveVersionMemory(std::size_t versions, std::size_t arenaBytes) const = 0;
  // Copies now the arrays shared with snapshots (see Map::unshare): needed
  // before several operations run interleaved on the map.
  virtual void unshare() = 0;

  // FNV-1a over the canonical content of both bucket arrays (docs/formats.md);
  // the oracle computes the same digest from the real runtime's memory.
  virtual uint64_t digest() const = 0;

  // Invariants of a well-formed map; each violation as a sentence.
  virtual std::vector<std::string> checkInvariants() const = 0;
};

} // namespace gomap
