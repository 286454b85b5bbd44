// The offscreen GUI the race tests drive (1600x900, tiled layout, no files
// written): frames, key taps and clicks through ImGui's own input path (as
// GLFW's callbacks feed it), and the language switch the View menu makes.
#pragma once
#include <imgui.h>

#include <string>

#include "ui/gui_runtime.hpp"

namespace gomap::ui::test {

// A key pressed in one frame and released in the next, through ImGui's input.
inline void keyTap(GuiRuntime& rt, int key, bool shift = false) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[key] = true;
  io.KeyShift = shift;
  rt.frame(0);
  io.KeysDown[key] = false;
  io.KeyShift = false;
  rt.frame(0);
}
// The mouse moves to p, presses, releases (a frame each), and stays there.
inline void mouseClick(GuiRuntime& rt, ImVec2 p) {
  rt.injectMouse = p;
  rt.injectMouseDown = false;
  rt.frame(0);
  rt.injectMouseDown = true;
  rt.frame(0);
  rt.injectMouseDown = false;
  rt.frame(0);
}

// An offscreen window of w x h in the language lang, optionally in the
// projector theme at 175%, its layout forced as a fresh start lays it out.
// False (with why) when there is no display or GL.
inline bool initOffscreen(GuiRuntime& rt, std::string& why, int w = 1600, int h = 900, const std::string& lang = "en",
                          bool projector = false) {
  RuntimeOptions o;
  o.offscreen = true;
  o.vsync = false;
  o.width = w;
  o.height = h;
  o.prefs.language = lang;
  if (projector) {
    o.prefs.theme = ThemeKind::Projector;
    o.prefs.fontScale = 1.75f;
  }
  bool noDisplay = false;
  if (!rt.init(o, why, noDisplay)) return false;
  rt.workspace().forceLayout = true;
  return true;
}

struct OffscreenGui {
  OffscreenGui() {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (ok) rt.workspace().forceLayout = true;
  }
  void frames(int n) {
    for (int i = 0; i < n; i++) rt.frame(0);
  }
  // A key press and release.
  void press(int key, bool shift = false) { keyTap(rt, key, shift); }
  // The mouse moves to p, presses and releases, and leaves the window's input.
  void click(ImVec2 p) {
    mouseClick(rt, p);
    rt.injectMouse.reset();
  }
  // Switches the UI language as the View menu does (the fonts are rebuilt).
  void language(const char* lang) {
    rt.prefs().language = lang;
    rt.workspace().fontsDirty = true;
    frames(3);
  }
  GuiRuntime rt;
  bool ok = false;
  std::string why;
};

} // namespace gomap::ui::test
