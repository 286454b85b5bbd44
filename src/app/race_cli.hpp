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

} // namespace gomap::app
