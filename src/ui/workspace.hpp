// The main window's contents: the menu bar, every view in its own window
// (tiled on first use, then wherever the user puts them, remembered in
// imgui.ini), keyboard shortcuts, and the preference switches (language,
// theme, font scale). One call per frame, between ImGui::NewFrame and Render.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ui/buckets_view.hpp"
#include "ui/code_view.hpp"
#include "ui/compare_view.hpp"
#include "ui/controls_view.hpp"
#include "ui/event_log_view.hpp"
#include "ui/file_browser.hpp"
#include "ui/goroutines_view.hpp"
#include "ui/hash_bits_view.hpp"
#include "ui/lesson_view.hpp"
#include "ui/header_view.hpp"
#include "ui/plots_view.hpp"
#include "ui/side_by_side_view.hpp"
#include "ui/swiss_views.hpp"
#include "ui/cow_view.hpp"
#include "ui/shards_view.hpp"
#include "ui/syncmap_view.hpp"
#include "ui/syncmap_panels.hpp"
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
  PanelGoroutines = 1 << 8,
  PanelLesson = 1 << 9,
  // The Swiss map's panels (ui/swiss_views.hpp), shown while a Swiss script is open.
  PanelSwissHeader = 1 << 10,
  PanelSwissGroups = 1 << 11,
  PanelSwissHash = 1 << 12,
  PanelSwissCode = 1 << 13,
  PanelSwissEvents = 1 << 14,
  PanelSwissTimeline = 1 << 15,
  PanelCompare = 1 << 16, // classic vs Swiss (ui/compare_view.hpp), in the side-by-side mode
  PanelSwissLesson = 1 << 17, // the Lesson panel of a Swiss script with lesson lines
  PanelSyncMap = 1 << 18,     // a race on a sync.Map (ui/syncmap_view.hpp)
  PanelCow = 1 << 19,         // a race on a copy-on-write map (ui/cow_view.hpp)
  PanelShards = 1 << 20,      // a race on a sharded map (ui/shards_view.hpp)
  // A sync.Map op script (ui/syncmap_panels.hpp; with PanelSyncMap).
  PanelSmoCode = 1 << 21,
  PanelSmoEvents = 1 << 22,
  PanelSmoTimeline = 1 << 23,
  // The side-by-side mode's panels (ui/side_by_side_view.hpp).
  PanelSbsSteps = 1 << 24,
  PanelSbsClassicHeader = 1 << 25,
  PanelSbsClassicBuckets = 1 << 26,
  PanelSbsSwissHeader = 1 << 27,
  PanelSbsSwissGroups = 1 << 28,
  PanelSmoLesson = 1 << 29, // the Lesson panel of a sync.Map op script with lesson lines
};

class Workspace;

// A panel as the workspace knows it: registered once (as ImHex registers its
// views), then drawn, listed in the View menu and tiled by iterating the
// registry. The workspace keeps no list of its own.
struct PanelDef {
  Panel bit;
  S title;
  const char* id; // ImGui window id (stable: imgui.ini remembers windows by it)
  ImGuiWindowFlags flags = 0;
  enum class When : uint8_t { Always, OpScript, Race, Swiss, SideBySide, SyncOps } when = When::Always;
  std::function<void(Workspace&, UiContext&, const Frame&)> draw;
  // When set, the panel exists only while this says so (the Lesson panel: a script with lesson lines).
  std::function<bool(Workspace&)> available = nullptr;
};
class PanelRegistry {
public:
  void add(PanelDef d) { panels_.push_back(std::move(d)); }
  const std::vector<PanelDef>& all() const { return panels_; }

private:
  std::vector<PanelDef> panels_;
};
// The classic map's panels (buckets, header, hash, code, events, timeline,
// plots), the op-script controls and the race's Goroutines panel.
void registerClassicPanels(PanelRegistry& r);
// The Swiss map's panels (ui/swiss_panels.cpp).
void registerSwissPanels(PanelRegistry& r);
// Where a Swiss panel is tiled (ui/swiss_panels.cpp); cramped: the projector layout;
// lesson: the script has lesson lines (the Lesson panel takes part of the left column).
struct PanelRect;
PanelRect swissLayoutOf(Panel p, float w, float h, float menuH, float fontSize, bool cramped, bool lesson = false);
bool swissLayoutShows(Panel p, bool cramped);
// The side-by-side mode's panels (ui/side_by_side_view.cpp) and where they tile.
void registerSideBySidePanels(PanelRegistry& r);
PanelRect sbsLayoutOf(Panel p, float w, float h, float menuH, float fontSize, bool cramped);
bool sbsLayoutShows(Panel p, bool cramped);
// A sync.Map op script's panels (ui/syncmap_panels.cpp) and where they tile (the sync.Map panel included).
void registerSyncOpsPanels(PanelRegistry& r);
bool isSyncOpsPanel(Panel p);
PanelRect syncOpsLayoutOf(Panel p, float w, float h, float menuH, float fontSize, bool cramped, bool lesson);
bool syncOpsLayoutShows(Panel p, bool cramped);

struct PanelRect {
  float x, y, w, h;
};

class Workspace {
public:
  Workspace(AppState& app, RaceController& race, Prefs& prefs, FontSet& fonts, OverviewGL* gl);
  // Advances playback and jobs by dt, handles keys, draws every window.
  void draw(float dt);

  // Tiled layout for a display of w x h (menu bar height menuH).
  // With lesson, the Lesson panel takes the middle of the left column.
  static PanelRect layoutOf(Panel p, float w, float h, float menuH, float fontSize, bool race = false,
                            bool lesson = false);
  // A race on a Swiss map: the Goroutines panel and the Swiss views where the
  // classic race puts the Goroutines panel and its counterparts, above the
  // Swiss timeline (shorter than the classic one).
  static PanelRect swissRaceLayoutOf(Panel p, float w, float h, float menuH, float fontSize);
  // A race on a sync.Map: the Goroutines panel on the left, the sync.Map panel beside it.
  // code: a sync.Map race, whose sync/map.go panel sits under the sync.Map panel.
  static PanelRect syncMapRaceLayoutOf(Panel p, float w, float h, float menuH, float fontSize, bool code);
  // A large font on a small screen: the projector layout (buckets, caption,
  // controls, lesson, header, timeline; the other panels open from the View menu).
  static bool crampedLayout(float w, float h, float fontSize);
  static bool layoutShows(Panel p, float w, float h, float fontSize);
  // The race is on screen (a .race file is open and shown), else the op-script session.
  bool raceMode() const { return race_.loaded() && race_.active; }
  // The controller the views and keys act on, and the frame drawn last.
  Controller& controller();
  const Frame& frame() const { return frame_; }
  const PanelRegistry& registry() const { return registry_; }
  // Place every window at its tiled position every frame (screenshots, tests).
  bool forceLayout = false;
  // Tile every window again at the next frame (as View > Reset layout).
  void relayout() { resetLayout_ = true; }
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
  GoroutinesView goroutines;
  LessonView lesson;
  SwissViews swiss;
  SyncMapView syncMap;
  SyncOpsViews syncOps; // a sync.Map op script's code, events and timeline
  // A sync.Map op script is on screen (not a race).
  bool syncOpsMode() const { return !raceMode() && app_.syncMode(); }
  CowView cow;
  ShardsView shards;
  // A Swiss-map script is on screen (not a race).
  bool swissMode() const { return !raceMode() && app_.swissMode(); }
  // One classic script on both maps, both drawn (gomaplab --compare SCRIPT, File > Open side by side).
  SideBySide sideBySide;
  SideBySideViews sbs;
  bool sideBySideMode() const { return !raceMode() && sideBySide.shown(); }
  // The lesson of the script on screen (the Swiss script's in the Swiss
  // workspace, else the op-script session's); null: none.
  const LoadedLesson* lessonOnScreen() const;
  // Whether a registered panel belongs to what is on screen (race, Swiss map or op script).
  bool panelFits(const PanelDef& d) const;
  // A panel is registered and, if it says when it exists, exists now.
  bool available(const PanelDef& d) { return !d.available || d.available(*this); }
  FileUi files; // the File menu, its dialogs, and asking before work is lost
  UiContext& context() { return ctx_; }
  AppState& appState() { return app_; }
  RaceController& raceController() { return race_; }
  // The language the UI is drawn in (English when Chinese glyphs are missing).
  Lang effectiveLanguage() const;
  // A key press (or autorepeat) straight from GLFW's callback, with Shift as it was then.
  // ImGui 1.86 only sees whether a key is down when a frame starts, so a tap whose
  // press and release arrive between two frames (fast typing, a blocked wait) would be
  // lost, and Shift released in the same batch would turn Shift+Right into Right.
  // handleKeys() acts on every queued tap, in order.
  // Ctrl+Q goes the same way. Text fields being typed in take the keys (no shortcut fires).
  void keyTap(int glfwKey, bool shift, bool ctrl = false);
  // Shortcuts acted on so far (tests: every tap arrives).
  uint64_t keysActed = 0;

  // The status bar: a fixed strip at the bottom of the main window, one line
  // high, that the tiles never cover and whose message never moves another
  // control. It shows the error of the controller on screen (else the other
  // one's), notes (the CJK font missing), else the controller's status; the
  // full text on hover; Dismiss clears the error (or hides the status until
  // it changes). Height: one frame line.
  float statusBarHeight() const;
  // What the last frame showed there (tests): the text, whether it was an
  // error, the bar's rectangle and the Dismiss button's (x, y, w, h).
  std::string statusShown;
  bool statusIsError = false;
  ImVec4 statusRect{0, 0, 0, 0}, dismissRect{0, 0, 0, 0};

private:
  void menuBar();
  void handleKeys();
  void actOnKey(int glfwKey, bool shift, bool ctrl);
  struct Tap {
    int key;
    bool shift;
    bool ctrl;
  };
  // Glyphs for text that entered since the last frame (ui/fonts.hpp: needGlyphs).
  void noteNewText();
  uint64_t seenSession_ = ~uint64_t{0};
  std::size_t seenOps_ = 0;
  std::string seenRace_;
  uint64_t seenSwiss_ = ~uint64_t{0};
  uint64_t seenSyncOps_ = ~uint64_t{0};
  struct StatusLine {
    std::string text;
    bool error = false;
    const Controller* owner = nullptr;
  };
  StatusLine statusLine() const;
  void statusBar();
  std::string dismissedStatus_;
  std::vector<Tap> taps_;
  bool beginPanel(Panel p, S title, const char* id, float menuH, ImGuiWindowFlags extra = 0);
  static constexpr int kMaxPanels = 30; // bits 0..29 (Panel)

  // Windows sitting exactly on their tiles, overlapping nothing, draw no
  // background (the frame is cleared to the window colour): a full-screen
  // layer less for a software rasteriser, about 5 ms a frame at 1600x900.
  struct Seen {
    bool visible = false, atTile = false;
    PanelRect r{0, 0, 0, 0};
  };
  Seen seen_[kMaxPanels];
  bool overlapsOthers(int i) const;
  // What the frame points into (session, cursor): a change means fill it again.
  std::array<uint64_t, 4> frameStamp() const;

  AppState& app_;
  RaceController& race_;
  PanelRegistry registry_;
  Frame frame_;
  bool wasRace_ = false;
  bool wasSwiss_ = false;
  bool wasSbs_ = false;
  bool wasSyncOps_ = false;
  void fillFrame(); // from the controller on screen
  bool hadLesson_ = false;
  Prefs& prefs_;
  FontSet& fonts_;
  UiContext ctx_;
  bool resetLayout_ = false;
  int placeNext_ = 0; // panels turned on from the View menu: placed at their tile once
  bool relayoutAfterFonts_ = false;
  bool showKeys_ = false;
};

} // namespace gomap::ui
