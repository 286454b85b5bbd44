#include "app/cli.hpp"

#include <cstdio>

namespace gomap::app {

int runDump(const std::string& file, const RunnerOptions& opts) { return runScriptFile(file, opts, stdout, stderr); }

int runEvents(const std::string& file, const RunnerOptions& opts) {
  RunnerOptions o = opts;
  o.events = true;
  return runScriptFile(file, o, stdout, stderr);
}

} // namespace gomap::app
