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

struct Finding {
  std::string kind;
  std::string text;
};

struct ConsistencyReport {
  bool consistent = true;
  std::vector<Finding> findings; // empty when consistent
  std::vector<std::string> notes; // what was checked, one sentence each
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
