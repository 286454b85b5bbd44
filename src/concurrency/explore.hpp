// Exhaustive exploration: every distinct interleaving of a scenario's
// goroutines, depth-first.
//
// An interleaving is a maximal schedule: a sequence of goroutine choices that
// runs until the program ends (every goroutine done, a fatal error, an
// unrecovered panic, or a deadlock). Blocked goroutines (waiting for a mutex)
// are not choices. The step that starts a map operation (up to its OpBegin
// event) touches no shared state, so it is always fused with the operation's
// first real step: a goroutine is never scheduled "just to begin" an operation.
//
// Without reduction (reduce = false) every such schedule is a separate
// interleaving. With reduction (the default), schedules that differ only in the
// order of adjacent independent steps (steps of different goroutines whose
// footprints do not conflict, see Footprint) are one interleaving: the search
// uses sleep sets (Godefroid), which explore exactly one schedule per
// equivalence class (Mazurkiewicz trace) and never cut one off. Outcomes,
// final states and detection points are the same either way; only the counts
// differ. Every leaf is classified (clean, which fatal error in which goroutine
// at which check, or which silent corruption) and its schedule can be replayed
// with `gomaplab race SCENARIO --schedule S`.
//
// Backtracking restores the nearest checkpoint (taken whenever no map
// operation is in flight) and replays the schedule from there: coroutine
// frames cannot be copied, but the engine is deterministic.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "concurrency/scenario.hpp"
#include "concurrency/world.hpp"

namespace gomap::race {

struct ExploreOptions {
  uint64_t maxInterleavings = 20'000'000; // stop (incomplete) after this many leaves
  uint64_t maxStepsPerRun = 200'000;
  bool checkConsistency = true;           // classify clean runs by the consistency check
  uint64_t consistencyBudget = 200'000;
  double timeLimitSeconds = 0;            // 0: no limit
  bool reduce = true;                     // partial-order reduction (sleep sets)
  // Self-check of the reduction (slow; for tests): every time two steps are
  // taken as independent, run them in both orders from that state and check
  // that each produces the same events and the map ends the same.
  bool verifyIndependence = false;
};

struct OutcomeGroup {
  enum class Category : uint8_t { Clean, Fatal, Corrupt, Panic, Deadlock, Other };
  std::string cls;               // outcomeClass() of its runs
  Category category = Category::Other;
  uint64_t count = 0;
  std::vector<uint8_t> example;  // the first schedule found (engine steps)
};

struct ExploreResult {
  uint64_t interleavings = 0;
  uint64_t clean = 0, fatal = 0, corrupt = 0, panic = 0, deadlock = 0, other = 0;
  std::vector<OutcomeGroup> groups; // by category, then by count (descending)
  bool complete = true;
  double seconds = 0;
  uint64_t stepsExecuted = 0; // engine steps, replays included
  uint64_t longest = 0;       // steps of the longest interleaving
  uint64_t sleepBlocked = 0;  // reduced search: branches cut because every choice was asleep
  uint64_t independenceChecks = 0;
  std::vector<std::string> independenceViolations; // verifyIndependence: what did not commute
  bool reduced = true;
};

// Calls onLeaf (if set) with the world at the end of every interleaving.
ExploreResult explore(const Scenario& sc, const ExploreOptions& opts = {},
                      const std::function<void(const World&, const std::string& cls)>& onLeaf = nullptr);

// The report `gomaplab race --explore` prints.
std::string exploreText(const Scenario& sc, const ExploreResult& r);

} // namespace gomap::race
