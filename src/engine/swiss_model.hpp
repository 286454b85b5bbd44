// The Swiss map behind one interface for the layers above the engine (op
// scripts, JSON, views): SwissMap<KT> for any key kind, dispatched once per
// operation. What it shows is the runtime's memory in the runtime's words:
// the Map header, the small group, the directory, the tables and their groups.
#pragma once
#include <any>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/swiss_map.hpp"

namespace gomap::swiss {

// One group as views and the JSON dump see it: the control word and every
// slot's key and elem as they are in memory (stale or zeroed ones included).
struct GroupView {
  uint64_t ctrl = ctrlGroupEmpty;
  KeyValue keys[MapGroupSlots];
  int64_t elems[MapGroupSlots] = {};
  uint8_t ctrlByte(unsigned i) const { return ctrlAt(ctrl, i); }
};
// One table's header fields.
struct TableInfo {
  int64_t index = 0;
  uint8_t localDepth = 0;
  uint16_t capacity = 0, used = 0, growthLeft = 0;
  uint64_t groups = 0;
  uint16_t tombstones() const { return static_cast<uint16_t>(capacity * maxAvgGroupLoad / MapGroupSlots - used - growthLeft); }
};

// A started operation, stepped one pause at a time (the resumable form).
class SwissRun {
public:
  virtual ~SwissRun() = default;
  virtual bool step() = 0; // false once the operation has ended
  virtual bool done() const = 0;
  virtual OpResult result() = 0;
  bool found = false;
  int64_t value = 0;
  IterResult iter;
};

enum class SwissOpCode : uint8_t { Make, Put, Get, Del, Clear, Iter };
struct SwissRequest {
  SwissOpCode code = SwissOpCode::Get;
  KeyValue key;
  int64_t value = 0; // put: the value; make: the hint
  std::optional<std::pair<uint64_t, uint64_t>> offsets; // iter E D
};

// What the code leading to an event of a Swiss operation touches, for the race
// explorer's partial-order reduction. The map's memory (header, directory,
// tables, groups) counts as one object: coarse on purpose, and sound (a larger
// footprint only costs exploration time). Declared here, by the model that
// runs the steps:
//  - OpBegin is each operation's first event, emitted before it reads
//    anything: the step touches nothing shared;
//  - every other step of a writer (make, put, delete, clear) may read and write
//    the map and draw from the random generator (a new seed; hashing a NaN
//    key draws too, spec RNG-5, in the insert and in a grow's rehashing);
//  - every other step of a reader (get, range) only reads the map; a get's
//    Hashed step may draw (a NaN key), and every step of a range may: its
//    IterStarted step follows the two offset draws, and its Next calls hash
//    the keys they look up again after a grow.
struct SwissStepTouch {
  bool readsMap = false, writesMap = false, drawsRandom = false;
};
constexpr SwissStepTouch swissStepTouch(SwissOpCode op, SwissKind k) {
  if (k == SwissKind::OpBegin) return {};
  const bool writer = op == SwissOpCode::Make || op == SwissOpCode::Put || op == SwissOpCode::Del ||
                      op == SwissOpCode::Clear;
  const bool draws = writer || k == SwissKind::Hashed || op == SwissOpCode::Iter;
  return {true, writer, draws};
}

class AnySwiss {
public:
  virtual ~AnySwiss() = default;
  static std::unique_ptr<AnySwiss> create(KeyKind kind, std::shared_ptr<StringPool> pool = std::make_shared<StringPool>());

  virtual KeyKind kind() const = 0;
  std::string goType() const;
  // Configuration.
  virtual void setVersion(Version v) = 0;
  virtual Version version() const = 0;
  virtual void setHashKeys(const uint64_t (&k)[4]) = 0;
  virtual void setHashMode(HashMode m) = 0;
  virtual void setRngState(uint64_t s) = 0;
  virtual uint64_t rngState() const = 0;
  virtual void setSeed(uint64_t s) = 0;
  virtual void setEventSink(SwissEventSink* s) = 0;
  virtual void setPauseMask(uint64_t m) = 0;
  virtual uint64_t pauseMask() const = 0;

  // Operations run to completion (direct form).
  virtual OpResult apply(const SwissRequest& r, bool* found = nullptr, int64_t* value = nullptr,
                         IterResult* iter = nullptr) = 0;
  // The same, started for stepping (resumable form).
  virtual std::unique_ptr<SwissRun> start(const SwissRequest& r) = 0;
  virtual void makeNil() = 0;
  virtual uint64_t hashOf(const KeyValue& k) = 0;
  // A loader's lookahead (SwissMap::prefetchKey): requests the memory an op
  // on k will touch first. Changes nothing (no event, draw or interned string).
  virtual void prefetchKey(const KeyValue& k) const = 0;
  // hashOf without a draw: false for a NaN (its hash is a fresh draw).
  virtual bool peekHash(const KeyValue& k, uint64_t& hash) const = 0;

  // State.
  virtual const Header& header() const = 0;
  virtual bool isNil() const = 0;
  virtual bool hasSmallGroup() const = 0; // dirLen == 0 and dirPtr set
  virtual void smallGroup(GroupView& out) const = 0;
  // For each directory entry, the position of its table in tables().
  virtual std::vector<uint32_t> directoryPositions() const = 0;
  virtual std::vector<TableInfo> tables() const = 0;
  virtual void group(std::size_t table, uint64_t g, GroupView& out) const = 0;
  // The table a grow, split or growToTable is filling (SwissLoc::kNew; a
  // split's right one: kNewRight), before it is in the directory: false when
  // there is none (SwissMap::buildingTable).
  virtual bool buildingTable(bool right, TableInfo& out) const = 0;
  virtual void buildingGroup(bool right, uint64_t g, GroupView& out) const = 0;
  virtual uint64_t ctrlWord(std::size_t table, uint64_t g) const = 0;
  // Every group's control word, table after table as tables() lists them (one
  // call for an overview of a big map: ctrlWord looks its table up each time).
  virtual void allCtrlWords(std::vector<uint64_t>& out) const = 0;
  virtual std::vector<std::string> checkInvariants() const = 0;
  virtual uint64_t liveBytes() const = 0;
  virtual uint64_t groupSize() const = 0;
  virtual uint64_t slotSize() const = 0;
  // The live pairs, in memory order.
  virtual std::vector<std::pair<KeyValue, int64_t>> entries() const = 0;

  // Snapshots (between operations).
  virtual std::any snapshot() = 0;
  virtual void restore(const std::any& s) = 0;
  // Races: copies what snapshots share, so interleaved operations share one
  // live memory; keeps replaced tables alive for readers still in them
  // (SwissMap::setRetainReplaced).
  virtual void unshare() = 0;
  virtual void setRetainReplaced(bool on) = 0;
};

} // namespace gomap::swiss
