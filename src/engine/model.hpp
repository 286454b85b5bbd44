// The model interface: what the layers above the engine (scripts, sessions,
// the race world, views) need from any simulated structure, whatever its
// memory looks like. The classic map's own vocabulary (hmap header, bmap
// chains, tophash) stays on its model, AnyMap (any_map.hpp), which derives
// from this.
//
// A structure's operations run two ways through the stepping core
// (stepping.hpp): apply() runs one to completion in the direct form; start()
// begins one in the resumable form and hands back an OpRun to step pause by
// pause. Events go to the sink set with setEventBuffer as 16-byte records
// (events.hpp); the pause mask picks the kinds to pause at. eventTables()
// describes the model's kinds and sites (function, source file and line,
// description) so that a view can explain an event without knowing the model.
#pragma once
#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/events.hpp"
#include "engine/keys.hpp"
#include "engine/stepping.hpp"

namespace gomap {

// What a user asks the structure to do.
struct OpRequest {
  OpCode code = OpCode::Get;
  KeyValue key;
  int64_t value = 0; // put: the value; make: the hint
};

// Result of a lookup.
struct AccessResult {
  bool found = false;
  int64_t value = 0;
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

// What is wrong, as the invariant checker finds it. Consumers match on the
// kind, never on the sentence.
enum class InvariantKind : uint8_t {
  WritingBetweenOps,        // hashWriting set with no operation in flight
  SameSizeGrowNotGrowing,   // sameSizeGrow set while not growing
  CountWithoutBuckets,      // a non-zero count and no bucket array
  NevacuatePastEnd,         // nevacuate reached the old array's end but oldbuckets is set
  ChainDoesNotEnd,          // an overflow chain loops
  NotEvacuated,             // an old bucket below nevacuate (or marked) holds a cell not marked evacuated
  StrayEvacuationMark,      // a cell carries an evacuation mark in a bucket that is not evacuated
  AfterEmptyRest,           // a cell after an emptyRest cell is not emptyRest
  EmptyOneBeforeEmptyRest,  // an emptyOne cell right before an emptyRest one
  ChainEndsEmptyOne,        // a chain's last cell is emptyOne
  TophashMismatch,          // a cell's tophash is not its key's
  WrongBucket,              // a key lies in a bucket its hash does not select
  DuplicateKey,             // a key is stored twice
  FilledBeforeEvacuation,   // a new bucket holds cells before its old bucket is evacuated
  CountMismatch,            // count disagrees with the live cells
  kCount
};
std::string_view invariantKindName(InvariantKind k);

// One violation: its kind, the cell (or bucket, slot 0) it concerns if any,
// and a sentence for people.
struct InvariantFinding {
  InvariantKind kind;
  std::optional<Loc> where;
  std::string text;
};

// A live key/value pair.
struct Entry {
  KeyValue key;
  int64_t value = 0;
};

// The model's event vocabulary. Records carry EventKind and Site (events.hpp);
// each model says which of them it emits and what they mean.
struct ModelKindRow {
  EventKind kind;
  std::string_view name;
  EventCategory category;
  CellRef cell; // which cell (or bmap) an event of this kind marks
  bool endsOp;
};
struct ModelSiteRow {
  Site site;
  EventKind kind;
  std::string_view function;   // e.g. "mapassign"
  std::string_view sourceFile; // e.g. "runtime/map.go"
  int line;                    // in sourceFile (0: not a source line)
  std::string_view description;
};
struct ModelEventTables {
  std::vector<ModelKindRow> kinds;
  std::vector<ModelSiteRow> sites;
};

class Model {
public:
  virtual ~Model() = default;

  // What is simulated: a short name of the model ("classic map, Go 1.19") and
  // the Go type of the structure ("map[int64]int64").
  virtual std::string_view modelName() const = 0;
  virtual std::string goType() const = 0;

  // Operations run to completion.
  virtual OpResult apply(const OpRequest& r, AccessResult* access = nullptr, std::vector<KeyValue>* keys = nullptr) = 0;
  // The same operations, started for stepping (the pause mask chooses where to stop).
  virtual std::unique_ptr<OpRun> start(const OpRequest& r) = 0;

  // Recording and stepping: the stepping core's sink and pause mask.
  virtual void setEventBuffer(EventBuffer* b) = 0;
  virtual void setPauseMask(uint64_t m) = 0;

  // Snapshots (between operations only).
  virtual std::any snapshot() const = 0;
  virtual void restore(const std::any& s) = 0;
  // Copies now whatever is shared with snapshots: needed before several
  // operations run interleaved on the structure.
  virtual void unshare() = 0;

  // A digest of the structure's canonical content (docs/formats.md).
  virtual uint64_t digest() const = 0;
  // Invariants of a well-formed structure; each violation typed.
  virtual std::vector<InvariantFinding> checkInvariants() const = 0;
  // The live key/value pairs, in memory order; changes nothing.
  virtual std::vector<Entry> entries() const = 0;

  // The model's kinds and sites.
  virtual const ModelEventTables& eventTables() const = 0;
};

// The classic map's tables (kKindTable, kSiteTable; source file runtime/map.go).
const ModelEventTables& classicMapEventTables();

} // namespace gomap
