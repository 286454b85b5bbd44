// What a race did to the map when the runtime did not notice: the consistency
// report of a run that ended without a fatal error.
//
// The map's memory is compared with a sequential model. The model runs the
// same map operations one at a time in some order that respects each
// goroutine's program order and real time (an operation that finished before
// another started comes first): the run is consistent if one such order
// explains the final contents, every get's result and every iteration (Go's
// rules for iteration: a key present throughout is produced exactly once; a key
// added or removed during the loop may or may not be). The search merges
// orders that reach the same model state, so loops of thousands of operations
// on different keys stay cheap.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/any_map.hpp"
#include "engine/swiss_model.hpp"

namespace gomap::race {

class World;

// A live cell of the map (tophash >= minTopHash in the current buckets, or in
// old buckets that have not been evacuated).
struct Cell {
  KeyValue key;
  int64_t value = 0;
  bool old = false;
  uint64_t bucket = 0;
  int chain = 0;
  int slot = 0;
  bool swiss = false; // a Swiss map's slot: bucket is the table (-1: the small group), chain the group
};
std::vector<Cell> liveCells(const AnyMap& m);
std::vector<Cell> liveCells(const swiss::AnySwiss& m);

// Kinds of silent corruption, as written in reports and in `expect corrupt`:
//   lost-insert     a key some put stored is missing (another write overwrote its cell)
//   lost-delete     a key that every order deletes is still there
//   extra-key       a key no operation explains is there
//   wrong-value     a key holds a value no order gives it
//   duplicate-key   the same key is stored in two cells
//   count           h.count differs from the number of live cells
//   wrong-get       a get returned what no order explains
//   iter-duplicate  a range loop produced the same key twice
//   iter-missing    a range loop missed a key present throughout the loop
//   iter-phantom    a range loop produced a key (or value) the map never held meanwhile
//   invariant       another structural invariant of the map is broken
//   order           each result alone is possible, but no single order explains them all
bool isCorruptionKind(std::string_view k);
std::string corruptionKindList();

// The report's sentences as format strings (fmt syntax), so that the GUI can
// hand in its Chinese ones: the facts are found and kept here, the words chosen
// when a sentence is read (Sentence::in). Go's names (h.count, m.used, f), the
// kinds (lost-insert) and the scenario's statements stay as they are.
struct ConsistencyWords {
  std::string_view who = "G{}'s '{}' ({}:{})";    // an operation: goroutine, statement, file, line
  std::string_view listSep = ", ";                 // between the items of a list
  std::string_view andMore = "{} and {} more";     // a list cut short: its first items, how many more
  std::string_view oneOf = "one of {}";            // several possible values
  std::string_view notFound = "not found";         // a get's result
  std::string_view plural = "s";                   // "key{}": more than one
  std::string_view countLive = "{} is {} but {} {}{} live"; // h.count, its value, live cells, slot/cell, is/s are
  std::string_view slot = "slot", cell = "cell", isOne = " is", areMany = "s are";
  std::string_view duplicateKey = "key {} is stored {} times: {}";
  std::string_view placeSwiss = "{} slot {} (value {})";          // a group (smallGroup / tableGroup), slot, value
  std::string_view smallGroup = "small group", tableGroup = "table {} group {}";
  std::string_view placeClassic = "{} bucket {}{} slot {} (value {})"; // old/new, bucket, overflow, slot, value
  std::string_view oldArray = "old", newArray = "new", overflow = " overflow {}";
  std::string_view iterDuplicate = "{} produced key {} {} times";
  std::string_view lostInsert = "key {} is missing";
  std::string_view lostInsertBy = "key {} is missing although {} stored it";
  std::string_view lostDelete = "key {} is still there although {} removed it";
  std::string_view extraKey = "key {} is there but no operation stored it";
  std::string_view wrongValue = "key {} holds {}, but every order leaves {}";
  std::string_view wrongNaNs = "the map holds {} NaN keys; the operations leave {}";
  std::string_view orderFinal = "the final contents mix effects that no single order of the operations gives together";
  std::string_view wrongGet = "{} returned {}, but every order gives {}";
  std::string_view iterMissing = "{} never produced key{} {}, present for the whole loop"; // who, plural, keys
  std::string_view iterPhantom = "{} produced {}, which the map never held during the loop";
  std::string_view orderIter = "{} produced keys that no single order of the other operations explains";
  std::string_view orderStrict = "every result is possible on its own, but no single order of the operations explains them all";
  std::string_view budgetRelaxed = "the search of sequential orders stopped after {} states: only part of the model was checked";
  std::string_view budgetStrict = "the joint search of orders hit its budget";
  // map: h.count 3, 2 live cells, 2 distinct keys (field, count, cells, unit, plural, keys, plural)
  std::string_view mapNote = "map: {} {}, {} {}{}, {} distinct key{}";
  std::string_view fullSlot = "full slot", liveCell = "live cell";
  std::string_view mapConsistent =
      "a sequential order of the {} map operations ({}) gives exactly these contents, get results and iterations";
  // sync.Map and copy-on-write map runs
  std::string_view syncMap = "sync.Map", cowMap = "copy-on-write map";
  std::string_view fTwice = "{} called f twice for key {}";
  std::string_view cowLost = "{} returned, but key {} is not in the published version #{}";
  std::string_view syncOrder =
      "no sequential order of the {} methods (program order and real time kept) gives these results and these final contents";
  std::string_view syncBudget = "the search of orders hit its budget";
  std::string_view syncNote = "{}: {} key{} with a value"; // the map, keys, plural
  std::string_view syncConsistent = "a sequential order of the {} {} methods (Range aside) gives exactly these results and contents";
};
inline constexpr ConsistencyWords kConsistencyWordsEn{};

// A sentence of a report: its text in kConsistencyWordsEn, and the same facts
// in other words (an invariant's text comes from the engine: English only).
struct Sentence {
  std::string text;
  std::function<std::string(const ConsistencyWords&)> say;
  std::string in(const ConsistencyWords& w) const { return say ? say(w) : text; }
};
struct Finding : Sentence {
  std::string kind;
};

struct ConsistencyReport {
  bool consistent = true;
  std::vector<Finding> findings; // empty when consistent
  std::vector<Sentence> notes;   // what was checked, one sentence each
  bool partial = false;           // the order search hit its budget
  uint64_t ordersExplored = 0;    // model states visited
  // Distinct kinds of the findings, sorted ("count,lost-insert").
  std::vector<std::string> kinds() const;
  std::string kindsText() const;
};

// Checks the map of a run that ended with every goroutine done (or with
// recovered panics). nodeBudget bounds the search of orders.
ConsistencyReport checkConsistency(const World& w, uint64_t nodeBudget = 2'000'000);

} // namespace gomap::race
