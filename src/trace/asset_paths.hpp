#pragma once
#include <string>

namespace gomap {
// The assets directory (scenarios, lessons): found next to the executable, or
// the source tree's assets/ (set at build time). Shared by the app and the GUI.
std::string assetDir();
std::string defaultScenarioPath();
} // namespace gomap
