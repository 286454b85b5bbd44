// Headless subcommands of the gomaplab binary.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

#include "trace/script_runner.hpp"

namespace gomap::app {

int runDump(const std::string& file, const RunnerOptions& opts);
int runEvents(const std::string& file, const RunnerOptions& opts);
// Prints docs/events.md: every emission site with its runtime function and line.
int printEventCatalogue();

// gomaplab compare: one classic op script on the classic map and the Swiss map
// at once (src/trace/compare.hpp). every: a table after every Nth op (and the
// last); summary: one JSON object instead (docs/formats.md, "compare --summary").
struct CompareCliOptions {
  std::string file = "-";
  std::string version = "go1.27";
  int64_t every = 1;
  bool summary = false;
};
int runCompare(const CompareCliOptions& o, std::FILE* out, std::FILE* err);

} // namespace gomap::app
