// Headless subcommands of the gomaplab binary.
#pragma once
#include <string>

#include "trace/script_runner.hpp"

namespace gomap::app {

int runDump(const std::string& file, const RunnerOptions& opts);
int runEvents(const std::string& file, const RunnerOptions& opts);
// Prints docs/events.md: every emission site with its runtime function and line.
int printEventCatalogue();

} // namespace gomap::app
