#pragma once
#include <string>

namespace gomap::app {
// The assets directory: next to the binary's source tree (set at build time),
// or found relative to the executable.
std::string assetDir();
std::string defaultScenarioPath();
} // namespace gomap::app
