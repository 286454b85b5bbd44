// The window, the GL context and the Dear ImGui context around a Workspace:
// used by the interactive GUI, by `gomaplab screenshot`, by the GUI tests and
// by the frame-time benchmark. Offscreen mode renders into a framebuffer
// object of exactly the requested size (a hidden window only provides the
// context), so screenshots do not depend on the screen.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ui/app_state.hpp"
#include "ui/fonts.hpp"
#include "ui/goroutines_view.hpp"
#include "ui/overview_gl.hpp"
#include "ui/prefs.hpp"
#include "ui/workspace.hpp"

struct GLFWwindow;

namespace gomap::ui {

struct RuntimeOptions {
  int width = 1600, height = 900;
  bool offscreen = false; // hidden window + FBO
  bool vsync = true;
  std::string iniPath;    // imgui.ini; empty: none (tests, screenshots)
  Prefs prefs;
  std::string title = "gomaplab: Go 1.19 map runtime, step by step";
};

class GuiRuntime {
public:
  ~GuiRuntime();
  // Returns false with why set (no display, no GL 3.3, ...). noDisplay tells
  // whether the failure is the missing window system (the caller's fallback).
  bool init(const RuntimeOptions& o, std::string& why, bool& noDisplay);

  // One frame: events, ImGui, views, GL. Swaps unless offscreen.
  void frame(double dt);
  // The user quit (File > Quit, Ctrl+Q or the window's close button) and
  // answered "Save changes?" if there was unsaved work.
  bool shouldClose() const;

  // The frame's pixels (RGBA, top row first); offscreen mode only (a visible
  // window's back buffer is undefined after the swap).
  std::vector<uint8_t> readPixels(int& w, int& h);
  bool writePng(const std::string& path, std::string& err);

  AppState& app() { return app_; }
  Workspace& workspace() { return *ws_; }
  Prefs& prefs() { return prefs_; }
  const FontSet& fonts() const { return fonts_; }
  GLFWwindow* window() { return win_; }
  // Milliseconds spent in the last frame: CPU (ImGui + views + GL calls
  // issued) and total (after glFinish, i.e. the GPU done too).
  double lastCpuMs = 0, lastTotalMs = 0;
  // Input injected by tests: the mouse (screen position, left button) for the next frame.
  std::optional<ImVec2> injectMouse;
  bool injectMouseDown = false;
  float injectWheel = 0;
  bool finishEachFrame = false; // glFinish before measuring the total time
  // Start-up phases (name, milliseconds) measured by init.
  std::vector<std::pair<std::string, double>> startup;
  // A race scenario (.race): the workspace shows it while race.active.
  RaceController race;

private:
  void rebuildFonts();
  AppState app_;
  Prefs prefs_;
  FontSet fonts_;
  OverviewGL gl_;
  std::unique_ptr<Workspace> ws_;
  GLFWwindow* win_ = nullptr;
  bool offscreen_ = false;
  int w_ = 0, h_ = 0;
  unsigned fbo_ = 0, rbo_ = 0;
  std::string ini_;
  bool imgui_ = false;
};

} // namespace gomap::ui
