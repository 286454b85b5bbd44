// A map sharded over N RWMutex-protected classic maps, for race scenarios
// (issue 12, "A sharded map"; syncmap-spec.md section 13.6 L8).
//
// `make sharded N KIND [HINT]` in a scenario's map section (N a power of two,
// 1..64; KIND string or int64) makes N shards. Each shard is an RWMutex of
// gosync's model (the one `lock` / `rlock` use: scenario mutexes 0..N-1, named
// "shard 0", "shard 1", ...) and a classic engine map (AnyMap, made as
// `make KIND HINT` makes one, so its hashWriting checks stay live).
//
// The shard of a key: FNV-1a 32 (Go's hash/fnv New32a) of the key's bytes,
// masked by N-1. The bytes of a string key are its bytes; the bytes of an int64
// key are its 8 little-endian bytes (encoding/binary.LittleEndian.PutUint64).
//
// A goroutine's statements on it are unrolled when parsed, as Go's code runs:
//   store K V   ->  lock shard S;    put K V;  unlock shard S     (s.mu.Lock(); s.m[k] = v; s.mu.Unlock())
//   delete K    ->  lock shard S;    del K;    unlock shard S
//   load K      ->  rlock shard S;   get K;    runlock shard S    (s.mu.RLock(); v, ok := s.m[k]; s.mu.RUnlock())
// and a scenario may lock a shard itself: `lock|unlock|rlock|runlock shard(K)`
// (the shard of key K) or `... shard S`. Each lock step is gosync's, each
// engine event of the shard's map a step, as on a classic map.
//
// No I/O. World (world.cpp) owns a ShardSet and drives it.
#pragma once
#include <any>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "concurrency/consistency.hpp"
#include "engine/any_map.hpp"
#include "trace/opscript.hpp"

namespace gomap::race {

struct Scenario;
struct Instr;
struct Footprint;
class World;

inline constexpr int kMaxShards = 64;

// FNV-1a 32 over bytes (hash/fnv.New32a): offset basis 2166136261, prime 16777619.
uint32_t fnv1a32(std::string_view bytes);
// The bytes a key is hashed over: a string's bytes, an int64's 8 little-endian bytes.
std::string shardKeyBytes(const KeyValue& k);
// fnv1a32(shardKeyBytes(k)) & (n - 1).
int shardOf(const KeyValue& k, int n);
// The name of shard s's RWMutex in traces ("shard 2").
std::string shardMutexName(int s);

// Parsing hooks (scenario.cpp). A map-section line `make sharded N KIND [HINT]`:
// sets sc.shards, sc.kind, declares the N RWMutexes and returns the op line a
// shard's map is made with ("make KIND HINT"), for the op grammar. Returns
// false with err set on bad input. Not a `make sharded` line: returns true and
// leaves `opLine` empty.
bool parseShardedMake(const std::vector<Token>& toks, int lineNo, const std::string& file, Scenario& sc,
                      std::string& opLine, SourceError& err);

// A goroutine statement on a sharded map: appends its unrolled instructions to
// out. Returns Handled, NotMine (a lock statement on one of the scenario's own
// mutexes: the ordinary grammar parses it) or Error (err set).
enum class ShardParse : uint8_t { Handled, NotMine, Error };
ShardParse parseShardedStatement(ScriptParser& ops, Scenario& sc, const std::vector<Token>& toks,
                                 const std::vector<std::string>& texts, int lineNo, std::vector<Instr>& out,
                                 SourceError& err);

// The N classic maps of a run, with their state after the map section.
class ShardSet {
public:
  // Makes the shards by running the scenario's map section once per shard.
  ShardSet(const Scenario& sc, std::shared_ptr<StringPool> strings, uint64_t rngSeed);
  int size() const { return static_cast<int>(maps_.size()); }
  AnyMap& map(int s) { return *maps_[static_cast<std::size_t>(s)]; }
  const AnyMap& map(int s) const { return *maps_[static_cast<std::size_t>(s)]; }
  void setEvents(EventBuffer* buf, uint64_t pauseMask);
  void restoreStart();
  std::any snapshot() const;
  void restore(const std::any& snap);
  // Every shard's digest, count, flags, B, nevacuate and fastrand state, folded.
  uint64_t digest() const;
  // The same as text (explore's independence signatures).
  std::string signature() const;

private:
  std::vector<std::unique_ptr<AnyMap>> maps_;
  std::vector<std::any> start_;
};

// Footprints: shard s's map memory as one shared object (all its cells,
// header and fastrand state): steps on different shards' maps commute.
unsigned shardObject(int s);
// The footprint of one engine event of shard s's map: its map object, read
// when the engine declares reads, written when it declares writes.
void addShardFootprint(Footprint& fp, int s, const Event& e);

// The consistency check's view of the shards (consistency.cpp): every
// shard's live cells, the sum of their h.count, and each shard's broken
// invariants ("shard 2: ..."; duplicate keys and counts are checked on the cells).
std::vector<Cell> shardedLiveCells(const World& w);
int64_t shardedCount(const World& w);
std::vector<std::string> shardedInvariants(const World& w);

// --states: ,"shards":[{"shard":0,"mutex":{...},"map":{dump fields}}, ...]
void appendShardedState(std::string& out, const World& w);

} // namespace gomap::race
