// Where the GUI finds its assets (scenarios): next to the executable, or the
// source tree's assets/ (set at build time).
#pragma once
#include <string>

namespace gomap::ui {
std::string assetDir();
} // namespace gomap::ui
