// `gomaplab race SCENARIO [--schedule S] [--explore] [--events] [--states]`:
// runs a race scenario headless. Exit status: 0 when the run went as the
// scenario's `expect` line says (or it has none), 1 when it did not, 2 for a
// bad scenario file (or an op script given where a scenario belongs), a bad
// option, or a schedule that names a goroutine that cannot run.
//
// The command line only: scenarios, worlds, schedulers, exploration and the
// consistency check are the concurrency library's.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace gomap::app {

struct RaceCliOptions {
  std::string file;
  std::string schedule;    // overrides the scenario's schedule line
  std::string granularity; // "statement" / "memory": overrides the scenario's
  bool explore = false;
  bool noReduction = false; // --explore without partial-order reduction
  bool events = false;     // print the trace as JSON lines before the outcome
  bool states = false;     // print the map's state after every step (the dump format)
  bool narration = false;  // print the title and narration first
  std::string lang = "en";
  uint64_t maxSteps = 50'000'000;
  uint64_t maxInterleavings = 20'000'000;
};

int runRace(const RaceCliOptions& o, std::FILE* out, std::FILE* err);

// An op script whose map is one that lives in races (`make sharded N KIND`,
// `make cow VARIANT KIND`): its first op line is such a make.
bool isRaceStructureScript(std::string_view text);
// `gomaplab dump` of such a script: one goroutine runs its ops (the race's
// grammar and World, statement granularity); one JSON line per op, {"op":OP,
// then the state fields of `gomaplab race --states` (docs/formats.md)}. Exit
// 2 with FILE:LINE:COL for a bad script, 1 when the goroutine dies (the
// runtime's message on err).
int dumpRaceStructureScript(const std::string& file, std::string_view text, std::FILE* out, std::FILE* err);

} // namespace gomap::app
