// The main window's contents: the menu bar, every view in its own window
// (tiled on first use, then wherever the user puts them, remembered in
// imgui.ini), keyboard shortcuts, and the preference switches (language,
// theme, font scale). One call per frame, between ImGui::NewFrame and Render.
#pragma once
#include <cstdint>

#include "ui/buckets_view.hpp"
#include "ui/code_view.hpp"
#include "ui/controls_view.hpp"
#include "ui/event_log_view.hpp"
#include "ui/hash_bits_view.hpp"
#include "ui/header_view.hpp"
#include "ui/plots_view.hpp"
#include "ui/timeline_view.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

enum Panel : int {
  PanelControls = 1 << 0,
  PanelHeader = 1 << 1,
  PanelBuckets = 1 << 2,
  PanelPlots = 1 << 3,
  PanelHash = 1 << 4,
  PanelCode = 1 << 5,
  PanelEvents = 1 << 6,
  PanelTimeline = 1 << 7,
};

struct PanelRect {
  float x, y, w, h;
};

class Workspace {
public:
  Workspace(AppState& app, Prefs& prefs, FontSet& fonts, OverviewGL* gl);
  // Advances playback and jobs by dt, handles keys, draws every window.
  void draw(float dt);

  // Tiled layout for a display of w x h (menu bar height menuH).
  static PanelRect layoutOf(Panel p, float w, float h, float menuH, float fontSize);
  // Place every window at its tiled position every frame (screenshots, tests).
  bool forceLayout = false;
  bool quitRequested = false;
  // Set when the language, font scale or theme changed: the runtime rebuilds fonts.
  bool fontsDirty = false;
  int panels = -1;

  BucketsView buckets;
  HeaderView header;
  HashBitsView hash;
  CodeView code;
  EventLogView events;
  TimelineView timeline;
  PlotsView plots;
  ControlsView controls;
  UiContext& context() { return ctx_; }
  // The language the UI is drawn in (English when Chinese glyphs are missing).
  Lang effectiveLanguage() const;

private:
  void menuBar();
  void handleKeys();
  bool beginPanel(Panel p, S title, const char* id, float menuH, ImGuiWindowFlags extra = 0);

  // Windows sitting exactly on their tiles, overlapping nothing, draw no
  // background (the frame is cleared to the window colour): a full-screen
  // layer less for a software rasteriser, about 5 ms a frame at 1600x900.
  struct Seen {
    bool visible = false, atTile = false;
    PanelRect r{0, 0, 0, 0};
  };
  Seen seen_[8];
  bool overlapsOthers(int i) const;

  AppState& app_;
  Prefs& prefs_;
  FontSet& fonts_;
  UiContext ctx_;
  bool resetLayout_ = false;
  bool showKeys_ = false;
};

} // namespace gomap::ui
