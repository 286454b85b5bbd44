// Entry points of the Dear ImGui front end (called from src/app/main.cpp).
#pragma once
#include <string>

namespace gomap::ui {

// runGui returns this when no window can be opened (no DISPLAY, no GL); the
// caller then falls back to the terminal view.
inline constexpr int kNoDisplay = -100;

struct GuiOptions {
  std::string scriptPath; // scenario to open
  // gomaplab --compare SCRIPT: the comparison panel (classic vs Swiss) on that
  // script, the Swiss map at compareVersion (go1.26 or go1.27).
  std::string comparePath;
  std::string compareVersion = "go1.27";
};
// Opens the window and runs until it is closed. On kNoDisplay, why says what
// is missing (e.g. "X11: The DISPLAY environment variable is missing").
int runGui(const GuiOptions& opts, std::string& why);

struct ScreenshotOptions {
  std::string scriptPath;
  std::string outPath;
  long long event = -1; // -1: the last event
  int width = 1600;
  int height = 900;
  std::string language = "en";
  // --compare SCRIPT: the comparison panel on it, at op compareOp (1-based; -1: the last).
  std::string comparePath;
  std::string compareVersion = "go1.27";
  long long compareOp = -1;
};
// Renders the GUI as it stands after event N of the script and writes a PNG.
int runScreenshot(const ScreenshotOptions& opts);

} // namespace gomap::ui
