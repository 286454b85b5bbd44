#include "ui/workspace.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <imgui_internal.h> // RenderTextEllipsis, the active text field's buffer


#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <bit>
#include <cmath>

namespace gomap::ui {

void registerClassicPanels(PanelRegistry& r) {
  using W = PanelDef::When;
  r.add({PanelControls, S::WinControls, "controls", 0, W::OpScript,
         [](Workspace& w, UiContext& ui, const Frame&) { w.controls.draw(ui, w.appState()); }});
  r.add({PanelGoroutines, S::WinGoroutines, "goroutines", 0, W::Race,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.goroutines.draw(ui, f, w.raceController()); }});
  r.add({PanelSyncMap, S::WinSyncMap, "syncmap", 0, W::Race,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.syncMap.draw(ui, f); },
         [](Workspace& w) { return w.syncOpsMode() || w.raceController().syncMap(); }}); // a race's or a sync.Map script's
  r.add({PanelCow, S::WinCow, "cow", 0, W::Race, [](Workspace& w, UiContext& ui, const Frame& f) { w.cow.draw(ui, f); },
         [](Workspace& w) { return w.raceController().cow() || w.raceController().cowInPlace(); }});
  r.add({PanelShards, S::WinShards, "shards", 0, W::Race,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.shards.draw(ui, f); },
         [](Workspace& w) { return w.raceController().sharded(); }});
  r.add({PanelHeader, S::WinHeader, "header", 0, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.header.draw(ui, f); }});
  r.add({PanelBuckets, S::WinBuckets, "buckets", ImGuiWindowFlags_NoScrollbar, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.buckets.draw(ui, f); }});
  r.add({PanelPlots, S::WinPlots, "plots", ImGuiWindowFlags_NoScrollbar, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.plots.draw(ui, f); }});
  r.add({PanelHash, S::WinHash, "hash", 0, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.hash.draw(ui, f); }});
  r.add({PanelCode, S::WinCode, "code", 0, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.code.draw(ui, f); }});
  r.add({PanelEvents, S::WinEvents, "events", 0, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.events.draw(ui, f); }});
  r.add({PanelTimeline, S::WinTimeline, "timeline", ImGuiWindowFlags_NoScrollbar, W::Always,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.timeline.draw(ui, f); }});
  r.add({PanelLesson, S::WinLesson, "lesson", 0, W::OpScript,
         [](Workspace& w, UiContext& ui, const Frame& f) {
           AppState& app = w.appState();
           w.lesson.draw(ui, f,
                         LessonData{app.lesson(), [&app](std::size_t k) { return app.scriptOpOf(k); },
                                    w.buckets.clickedCell(),
                                    [&app](const std::string& k, const std::string& v) { return app.insert(k, v); }});
         },
         [](Workspace& w) { return w.appState().lesson() != nullptr; }});
}

Workspace::Workspace(AppState& app, RaceController& race, Prefs& prefs, FontSet& fonts, OverviewGL* gl)
    : sideBySide(app), app_(app), race_(race), prefs_(prefs), fonts_(fonts), ctx_{prefs, fonts, gl, false} {
  registerClassicPanels(registry_);
  registerSwissPanels(registry_);
  registerSideBySidePanels(registry_);
  registerSyncOpsPanels(registry_);
  panels = prefs.panels;
  app_.speed() = prefs.speed;
  app_.watchNewOps = prefs.watchNewOps;
}

Controller& Workspace::controller() {
  if (raceMode()) return race_;
  if (sideBySideMode()) return sideBySide;
  if (app_.swissMode()) return app_.swissController();
  if (app_.syncMode()) return app_.syncController();
  return app_;
}

const LoadedLesson* Workspace::lessonOnScreen() const {
  if (raceMode()) return nullptr;
  if (app_.swissMode()) return app_.swissController().lesson();
  if (app_.syncMode()) return app_.syncController().lesson();
  return app_.lesson();
}

bool Workspace::panelFits(const PanelDef& d) const {
  using W = PanelDef::When;
  // A race on a Swiss map: the Goroutines panel beside the Swiss views (its
  // narration is in the Goroutines panel: no Lesson panel).
  if (raceMode() && race_.swiss()) return d.when == W::Race || (d.when == W::Swiss && d.bit != PanelSwissLesson);
  // A race on a sync.Map: the Goroutines panel and the sync.Map panel.
  // A race on a sync.Map (a copy-on-write map): the Goroutines panel and the structure's panel.
  // A sync.Map race also gets the sync/map.go code panel (each goroutine's line is in its lane).
  if (raceMode() && race_.syncMap()) return d.when == W::Race || d.bit == PanelSmoCode;
  if (raceMode() && (race_.cow() || race_.sharded())) return d.when == W::Race;
  if (raceMode() && race_.cowInPlace() && d.bit == PanelPlots) return false; // the Copy-on-write panel takes its tile
  if (raceMode()) return d.when == W::Always || d.when == W::Race;
  if (sideBySideMode()) return d.when == W::SideBySide;
  if (app_.swissMode()) return d.when == W::Swiss;
  if (app_.syncMode()) return d.when == W::SyncOps || d.bit == PanelSyncMap;
  return d.when == W::Always || d.when == W::OpScript;
}

Lang Workspace::effectiveLanguage() const { return prefs_.language == "zh" && fonts_.cjk ? Lang::Zh : Lang::En; }

bool Workspace::crampedLayout(float w, float h, float fs) {
  // The three columns need about 64 font sizes across (controls 20.5, the
  // buckets 20, hash/code/events 22, and some slack) and the middle row about
  // 34 down: below that (175% on 1280x720 is 46 x 26, 150% on 1600x900 is 67
  // x 37) the projector layout.
  return w < fs * 64 || h < fs * 34;
}

bool Workspace::layoutShows(Panel p, float w, float h, float fs) {
  if (p == PanelSyncMap || p == PanelCow || p == PanelShards) return true;
  if (isSyncOpsPanel(p)) return syncOpsLayoutShows(p, crampedLayout(w, h, fs));
  if (p == PanelCompare || p >= PanelSbsSteps) return sbsLayoutShows(p, crampedLayout(w, h, fs));
  if (p >= PanelSwissHeader) return swissLayoutShows(p, crampedLayout(w, h, fs));
  if (!crampedLayout(w, h, fs)) return true;
  // A projector: the buckets with their caption, the controls, the header and
  // the timeline, large and whole. The others open from the View menu, over
  // the buckets.
  switch (p) {
  case PanelHash:
  case PanelCode:
  case PanelEvents:
  case PanelPlots: return false;
  default: return true;
  }
}

PanelRect Workspace::syncMapRaceLayoutOf(Panel p, float w, float h, float menuH, float fs, bool code) {
  const PanelRect g = layoutOf(PanelGoroutines, w, h, menuH, fs, true, false);
  // A sync.Map race's code panel under the sync.Map panel (the lanes keep
  // their whole column): a quarter of the height, at least 8 lines.
  const float codeH = code ? std::max((h - menuH) / 4, fs * 8 * 1.35f) : 0.0f;
  if (p == PanelSmoCode) return {g.w, h - codeH, w - g.w, codeH};
  if (p == PanelSyncMap || p == PanelCow || p == PanelShards) return {g.w, menuH, w - g.w, h - menuH - codeH};
  return {0, menuH, g.w, h - menuH};
}

PanelRect Workspace::swissRaceLayoutOf(Panel p, float w, float h, float menuH, float fs) {
  const bool cramped = crampedLayout(w, h, fs);
  const PanelRect st = swissLayoutOf(PanelSwissTimeline, w, h, menuH, fs, cramped);
  if (p == PanelSwissTimeline) return st;
  PanelRect r{0, 0, w, h};
  switch (p) {
  case PanelSwissHeader: r = layoutOf(PanelHeader, w, h, menuH, fs, true, false); break;
  case PanelSwissHash: r = layoutOf(PanelHash, w, h, menuH, fs, true, false); break;
  case PanelSwissCode: r = layoutOf(PanelCode, w, h, menuH, fs, true, false); break;
  case PanelSwissEvents: r = layoutOf(PanelEvents, w, h, menuH, fs, true, false); break;
  case PanelSwissGroups: // the groups take the plots' room too
    r = layoutOf(PanelBuckets, w, h, menuH, fs, true, false);
    if (!cramped) {
      const PanelRect plots = layoutOf(PanelPlots, w, h, menuH, fs, true, false);
      r.h = plots.y + plots.h - r.y;
    }
    break;
  default: r = layoutOf(p, w, h, menuH, fs, true, false); break; // the Goroutines panel
  }
  // Down to the Swiss timeline's top instead of the classic one's.
  const PanelRect ct = layoutOf(PanelTimeline, w, h, menuH, fs, true, false);
  const float k = (st.y - menuH) / std::max(1.0f, ct.y - menuH);
  const float y1 = menuH + (r.y + r.h - menuH) * k;
  r.y = menuH + (r.y - menuH) * k;
  r.h = y1 - r.y;
  return r;
}

PanelRect Workspace::layoutOf(Panel p, float w, float h, float menuH, float fs, bool race, bool lesson) {
  if (p == PanelCompare || p >= PanelSbsSteps) return sbsLayoutOf(p, w, h, menuH, fs, crampedLayout(w, h, fs));
  if (p >= PanelSwissHeader) return swissLayoutOf(p, w, h, menuH, fs, crampedLayout(w, h, fs), lesson);
  if (crampedLayout(w, h, fs)) {
    const float timelineH = std::min(fs * 6.3f, h * 0.3f);
    const float top = menuH, bottom = h - timelineH, mid = bottom - top;
    // The left column as wide as the controls' widest row of buttons.
    const float L = std::min(fs * 20, w * 0.46f);
    const float C = w - L;
    if (lesson && !race) { // the Lesson panel between the controls and the header
      // In class the narration matters most: the lesson gets half the column.
      const float c = mid * 0.26f, l = mid * 0.52f;
      if (p == PanelControls) return {0, top, L, c};
      if (p == PanelLesson) return {0, top + c, L, l};
      if (p == PanelHeader) return {0, top + c + l, L, mid - c - l};
    }
    switch (p) {
    case PanelControls:
    case PanelGoroutines: return {0, top, L, mid * (race ? 0.62f : 0.55f)};
    case PanelLesson:
    case PanelHeader: return {0, top + mid * (race ? 0.62f : 0.55f), L, mid * (race ? 0.38f : 0.45f)};
    case PanelBuckets: return {L, top, C, mid};
    case PanelTimeline: return {0, bottom, w, timelineH};
    // Shown only when asked for, over the right half of the buckets.
    // The event log gets the most height: its filters take a line or two
    // before the first row (at 0.3 it showed no row at all).
    case PanelHash: return {w - C * 0.6f, top, C * 0.6f, mid * 0.22f};
    case PanelCode: return {w - C * 0.6f, top + mid * 0.22f, C * 0.6f, mid * 0.4f};
    case PanelEvents: return {w - C * 0.6f, top + mid * 0.62f, C * 0.6f, mid * 0.38f};
    case PanelPlots: return {L, top + mid * 0.6f, C * 0.4f, mid * 0.4f};
    default: break; // the Swiss panels: swissLayoutOf
    }
    return {0, 0, w, h};
  }
  // On a short screen with a large font the fixed heights took most of it (at 175%
  // on 1280x720 the code panel and the event log were left a title bar each).
  const float timelineH = std::min(fs * 7.6f, h * 0.28f);
  const float top = menuH, bottom = h - timelineH;
  // A race's Goroutines panel (programs side by side) needs a wider left column.
  float L = race ? std::max(fs * 24, w * 0.29f) : std::max(fs * 20.5f, w * 0.205f); // the controls' widest row
  float R = std::max(fs * 22, w * 0.27f);
  // A large font on a small screen (175% at 1280x720): the three columns' minimum
  // widths add up to more than the window, and the right column (code, event log)
  // fell off it. Shrink the side columns so that all three stay on screen.
  if (const float need = L + R + fs * 20; need > w) {
    L *= w / need;
    R *= w / need;
  }
  const float C = std::max(0.0f, w - L - R);
  const float mid = bottom - top;
  const float hashH = std::min(fs * 10.5f, mid * 0.3f);
  const float leftSplit = race ? 0.62f : 0.56f;
  if (lesson && !race) { // the Lesson panel between the controls and the header
    const float c = mid * 0.30f, l = mid * 0.48f;
    if (p == PanelControls) return {0, top, L, c};
    if (p == PanelLesson) return {0, top + c, L, l};
    if (p == PanelHeader) return {0, top + c + l, L, mid - c - l};
  }
  switch (p) {
  case PanelControls:
  case PanelGoroutines: return {0, top, L, mid * leftSplit};
  case PanelHeader:
  case PanelLesson: return {0, top + mid * leftSplit, L, mid * (1 - leftSplit)};
  case PanelBuckets: return {L, top, C, mid * 0.75f};
  case PanelPlots: return {L, top + mid * 0.75f, C, mid * 0.25f};
  case PanelHash: return {L + C, top, R, hashH};
  case PanelCode: return {L + C, top + hashH, R, (mid - hashH) * 0.52f};
  case PanelEvents: return {L + C, top + hashH + (mid - hashH) * 0.52f, R, (mid - hashH) * 0.48f};
  case PanelTimeline: return {0, bottom, w, timelineH};
  default: break; // the Swiss panels: swissLayoutOf
  }
  return {0, 0, w, h};
}

bool Workspace::overlapsOthers(int i) const {
  const PanelRect& a = seen_[i].r;
  for (int j = 0; j < kMaxPanels; j++) {
    if (j == i || !seen_[j].visible) continue;
    const PanelRect& b = seen_[j].r;
    const float w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
    const float h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
    if (w > 1 && h > 1) return true;
  }
  return showKeys_;
}

bool Workspace::beginPanel(Panel p, S title, const char* id, float menuH, ImGuiWindowFlags extra) {
  const int idx = std::countr_zero(static_cast<unsigned>(p));
  if (!(panels & p)) {
    seen_[idx].visible = false;
    return false;
  }
  const ImGuiIO& io = ImGui::GetIO();
  // The status bar's strip at the bottom is never covered by the tiles.
  const float layoutH = io.DisplaySize.y - statusBarHeight();
  // The projector layout (a large font on a small screen) leaves some panels
  // out when it tiles; tiling the normal layout again brings them back.
  if (forceLayout || resetLayout_) {
    // (an inplace race's Copy-on-write panel takes the plots' tile: in the projector layout, like the plots,
    // it opens from the View menu)
    const bool shows = layoutShows(p, io.DisplaySize.x, layoutH, ImGui::GetFontSize()) &&
                       !(p == PanelCow && raceMode() && race_.cowInPlace() &&
                         crampedLayout(io.DisplaySize.x, layoutH, ImGui::GetFontSize()));
    if (resetLayout_ && !layoutShows(p, 1, 1, 1)) panels = shows ? (panels | p) : (panels & ~p);
    if (!shows) {
      seen_[idx].visible = false;
      return false;
    }
  }
  PanelRect r = syncOpsMode() ? syncOpsLayoutOf(p, io.DisplaySize.x, layoutH, menuH, ImGui::GetFontSize(),
                                                crampedLayout(io.DisplaySize.x, layoutH, ImGui::GetFontSize()),
                                                lessonOnScreen() != nullptr)
                 : raceMode() && race_.swiss()     ? swissRaceLayoutOf(p, io.DisplaySize.x, layoutH, menuH, ImGui::GetFontSize())
                 : raceMode() && (race_.syncMap() || race_.cow() || race_.sharded()) ? syncMapRaceLayoutOf(p, io.DisplaySize.x, layoutH, menuH, ImGui::GetFontSize(), race_.syncMap())
                                                 : layoutOf(p == PanelCow ? PanelPlots : p, io.DisplaySize.x, layoutH, menuH, ImGui::GetFontSize(), raceMode(),
                               lessonOnScreen() != nullptr);
  ImGuiCond cond = (forceLayout || resetLayout_ || (placeNext_ & p)) ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  placeNext_ &= ~p;
  ImGui::SetNextWindowPos(ImVec2(r.x, r.y), cond);
  ImGui::SetNextWindowSize(ImVec2(r.w, r.h), cond);
  if (seen_[idx].atTile && !overlapsOthers(idx)) ImGui::SetNextWindowBgAlpha(0.0f);
  bool open = true;
  std::string label = fmt::format("{}###{}", tr(title), id);
  bool visible = ImGui::Begin(label.c_str(), &open, ImGuiWindowFlags_NoCollapse | extra);
  {
    const ImVec2 wp = ImGui::GetWindowPos(), ws = ImGui::GetWindowSize();
    seen_[idx].visible = true;
    seen_[idx].r = PanelRect{wp.x, wp.y, ws.x, ws.y};
    seen_[idx].atTile = std::fabs(wp.x - r.x) < 1 && std::fabs(wp.y - r.y) < 1 && std::fabs(ws.x - r.w) < 1 &&
                        std::fabs(ws.y - r.h) < 1;
  }
  if (!open) panels &= ~p;
  if (!visible) {
    ImGui::End();
    return false;
  }
  return true;
}

void Workspace::keyTap(int glfwKey, bool shift, bool ctrl) {
  switch (glfwKey) {
  case GLFW_KEY_N:
  case GLFW_KEY_O:
  case GLFW_KEY_S:
    // The File shortcuts: queued too, so that a press and release between two frames acts.
    if (ctrl) files.keyTap(glfwKey, shift);
    break;
  case GLFW_KEY_Q:
    if (!ctrl) break;
    [[fallthrough]];
  case GLFW_KEY_SPACE:
  case GLFW_KEY_RIGHT:
  case GLFW_KEY_LEFT:
  case GLFW_KEY_UP:
  case GLFW_KEY_F10:
  case GLFW_KEY_F11:
  case GLFW_KEY_HOME:
  case GLFW_KEY_END:
    if (taps_.size() < 1024) taps_.push_back(Tap{glfwKey, shift, ctrl});
    break;
  default:
    break;
  }
}

void Workspace::actOnKey(int key, bool shift, bool ctrl) {
  Controller& app_ = controller(); // the keys act on whatever is on screen
  keysActed++;
  switch (key) {
  case GLFW_KEY_Q:
    if (ctrl) quitRequested = true;
    break;
  case GLFW_KEY_SPACE:
    app_.togglePlay();
    break;
  case GLFW_KEY_RIGHT:
    app_.pause();
    shift ? app_.stepOver() : app_.stepInto();
    break;
  case GLFW_KEY_LEFT:
    app_.pause();
    shift ? app_.stepBackOver() : app_.stepBack();
    break;
  case GLFW_KEY_UP:
    app_.pause();
    app_.stepOut();
    break;
  case GLFW_KEY_F11:
    if (shift) {
      app_.pause();
      app_.stepOut();
    } else {
      app_.stepInto();
    }
    break;
  case GLFW_KEY_F10:
    app_.stepOver();
    break;
  case GLFW_KEY_HOME:
    app_.toStart();
    break;
  case GLFW_KEY_END:
    app_.toEnd();
    break;
  default:
    keysActed--;
    break;
  }
}

void Workspace::handleKeys() {
  const ImGuiIO& io = ImGui::GetIO();
  std::vector<Tap> taps;
  taps.swap(taps_);
  // Typing in a text field: the keys are for it (Space, arrows, Home, End
  // edit the text), except Ctrl+Q.
  const bool typing = io.WantTextInput;
  if (!taps.empty()) {
    // Real key events from GLFW: act on each, in order, with its own Shift (see keyTap).
    for (const Tap& t : taps)
      if (!typing || (t.ctrl && t.key == GLFW_KEY_Q)) actOnKey(t.key, t.shift, t.ctrl);
    return;
  }
  // No GLFW events this frame (tests and other embedders feed io.KeysDown directly).
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) actOnKey(GLFW_KEY_Q, io.KeyShift, true);
  if (typing) return;
  for (int key : {GLFW_KEY_SPACE, GLFW_KEY_RIGHT, GLFW_KEY_LEFT, GLFW_KEY_UP, GLFW_KEY_F11, GLFW_KEY_F10, GLFW_KEY_HOME,
                  GLFW_KEY_END})
    if (ImGui::IsKeyPressed(key, false)) actOnKey(key, io.KeyShift, io.KeyCtrl);
}

void Workspace::menuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  {
    // The File menu (ui/file_browser.hpp); its header's place is kept for tests.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const bool open = ImGui::BeginMenu(tr(S::MenuFile));
    const ImVec2 size(ImGui::CalcTextSize(tr(S::MenuFile)).x + ImGui::GetStyle().ItemSpacing.x, ImGui::GetFrameHeight());
    files.rects["menu.file"] = {at, ImVec2(at.x + size.x, at.y + size.y)};
    if (open) {
      files.menu(*this);
      ImGui::EndMenu();
    }
  }
  if (ImGui::BeginMenu(tr(S::MenuView))) {
    for (const PanelDef& d : registry_.all()) {
      if (!panelFits(d) || !available(d)) continue;
      bool on = (panels & d.bit) != 0;
      if (ImGui::MenuItem(tr(d.title), nullptr, &on)) {
        panels = on ? (panels | d.bit) : (panels & ~d.bit);
        if (on) placeNext_ |= d.bit; // at its tile of the current layout, not where it was last
      }
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr(S::MenuResetLayout))) {
      resetLayout_ = true;
      panels = -1;
    }
    ImGui::Separator();
    if (ImGui::BeginMenu(tr(S::MenuTheme))) {
      if (ImGui::MenuItem(tr(S::ThemeDark), nullptr, prefs_.theme == ThemeKind::Dark)) {
        prefs_.theme = ThemeKind::Dark;
        fontsDirty = true;
      }
      if (ImGui::MenuItem(tr(S::ThemeProjector), nullptr, prefs_.theme == ThemeKind::Projector)) {
        prefs_.theme = ThemeKind::Projector;
        fontsDirty = true;
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr(S::MenuFontScale))) {
      for (float s : {0.85f, 1.0f, 1.25f, 1.5f, 1.75f, 2.0f}) {
        if (ImGui::MenuItem(fmt::format("{:.0f}%", s * 100).c_str(), nullptr, std::abs(prefs_.fontScale - s) < 0.01f)) {
          prefs_.fontScale = s;
          fontsDirty = true;
          resetLayout_ = true;
          relayoutAfterFonts_ = true;
        }
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr(S::MenuLanguage))) {
      // Each language is named in its own script, in both modes (the CJK face
      // is merged for these glyphs even in English); only without the CJK font
      // is Chinese named in Latin letters, or the item would read "????".
      if (ImGui::MenuItem(languageName(Lang::En), nullptr, prefs_.language == "en")) {
        prefs_.language = "en";
        fontsDirty = true;
      }
      if (ImGui::MenuItem(fonts_.cjk ? languageName(Lang::Zh) : tr(S::LangZhMissing), nullptr,
                          prefs_.language == "zh")) {
        prefs_.language = "zh";
        fontsDirty = true;
      }
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(S::MenuHelp))) {
    if (ImGui::MenuItem(tr(S::MenuKeys))) showKeys_ = true;
    ImGui::EndMenu();
  }
  const std::string title = sideBySideMode()
                                ? fmt::format(fmt::runtime(tr(S::SbsTitle)), compare::versionName(sideBySide.version()))
                            : swissMode() ? fmt::format(fmt::runtime(tr(S::SwMenuTitle)),
                                                       app_.swissController().session().version() == swiss::Version::Go127
                                                           ? "Go 1.27"
                                                           : "Go 1.26")
                            : raceMode() && race_.swiss()
                                ? fmt::format(fmt::runtime(tr(S::SwRaceTitle)),
                                              race_.session().world().swissMap().version() == swiss::Version::Go127
                                                  ? "1.27"
                                                  : "1.26")
                            : syncOpsMode()                 ? std::string(tr(S::SmoMenuTitle))
                            : raceMode() && race_.syncMap() ? std::string(tr(S::SmRaceTitle))
                            : raceMode() && race_.cow()     ? std::string(tr(S::CowRaceTitle))
                            : raceMode() && race_.sharded() ? std::string(tr(S::ShRaceTitle))
                                                            : std::string("gomaplab · Go 1.19 map");
  ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(title.c_str()).x - 20);
  ImGui::TextDisabled("%s", title.c_str());
  ImGui::EndMainMenuBar();
}

std::array<uint64_t, 4> Workspace::frameStamp() const {
  if (raceMode()) {
    const race::ConcurrentSession& s = race_.session();
    return {reinterpret_cast<uintptr_t>(&s), s.position(), s.timeline().size(), s.trace().size()};
  }
  if (sideBySideMode())
    return {app_.sessionId(), app_.revision(), 3u + (sideBySide.revision() << 2),
            static_cast<uint64_t>(sideBySide.op() + 1)};
  if (app_.swissMode()) {
    SwissController& sw = app_.swissController();
    return {app_.sessionId(), sw.revision(), 2u, sw.sessionId()};
  }
  if (app_.syncMode()) {
    SyncMapController& sc = app_.syncController();
    return {app_.sessionId(), sc.revision(), 4u, sc.sessionId()};
  }
  return {app_.sessionId(), app_.revision(), app_.hasSession() ? 1u : 0u, 0};
}

void Workspace::fillFrame() {
  if (raceMode()) {
    race_.fillFrame(frame_);
  } else if (sideBySideMode()) {
    // Both maps at the cursor's op; the keys and the status bar act on the side-by-side controller.
    sideBySide.fillFrames(sbs.frames);
    frame_ = sbs.frames.classic;
    frame_.ctl = &sideBySide;
  } else if (app_.swissMode()) {
    frame_ = Frame{};
    SwissController& sw = app_.swissController();
    sw.fillFrame(swiss.frame);
    frame_.ctl = &sw;
    frame_.swiss = &swiss.frame;
    frame_.position = swiss.frame.position;
    frame_.currentOp = swiss.frame.currentOp; // the Lesson panel's op
    frame_.sessionId = sw.sessionId();
  } else if (app_.syncMode()) {
    // A sync.Map op script: the sync.Map panel's frame at the cursor (ui/syncmap_state.hpp).
    app_.syncController().fillFrame(syncOps.frame, frame_);
  } else {
    app_.fillFrame(frame_);
  }
}

void Workspace::draw(float dt) {
  setLanguage(effectiveLanguage());
  ctx_.forceLayout = forceLayout;
  // The layout depends on the font size, which changes only when the runtime has
  // rebuilt the fonts (the frame after the menu click): tile again then.
  if (relayoutAfterFonts_ && !fontsDirty) {
    relayoutAfterFonts_ = false;
    resetLayout_ = true;
  }
  app_.tick(dt);
  race_.tick(dt);
  if (app_.swissMode()) app_.swissController().tick(dt);
  if (app_.syncMode()) app_.syncController().tick(dt);
  sideBySide.tick(dt);
  // Opening or leaving the side-by-side mode re-tiles the windows (its own panels).
  if (sideBySideMode() != wasSbs_) {
    wasSbs_ = sideBySideMode();
    resetLayout_ = true;
  }
  // Opening or leaving a Swiss script re-tiles the windows (other panels).
  if (swissMode() != wasSwiss_) {
    wasSwiss_ = swissMode();
    resetLayout_ = true;
  }
  // So does opening or leaving a sync.Map script.
  if (syncOpsMode() != wasSyncOps_) {
    wasSyncOps_ = syncOpsMode();
    resetLayout_ = true;
  }
  // Switching between the race and the op-script session re-tiles the windows.
  if (raceMode() != wasRace_) {
    wasRace_ = raceMode();
    resetLayout_ = true;
  }
  // So does opening or leaving a lesson (its panel comes and goes).
  if ((lessonOnScreen() != nullptr) != hadLesson_) {
    hadLesson_ = lessonOnScreen() != nullptr;
    resetLayout_ = true;
  }
  handleKeys();
  noteNewText();
  fillFrame();
  {
    const auto before = frameStamp();
    menuBar();
    // A menu may open a file or switch between the race and the script (see below).
    if (frameStamp() != before) fillFrame();
  }
  const float menuH = ImGui::GetFrameHeight();

  for (const PanelDef& d : registry_.all()) {
    if (!panelFits(d) || !available(d)) {
      seen_[std::countr_zero(static_cast<unsigned>(d.bit))].visible = false;
      continue;
    }
    if (beginPanel(d.bit, d.title, d.id, menuH, d.flags)) {
      const auto before = frameStamp();
      d.draw(*this, ctx_, frame_);
      ImGui::End();
      // A panel's button may have replaced the session (Open, New map, a scenario) or
      // moved the cursor: the panels after it must not draw from the old one (freed).
      if (frameStamp() != before) fillFrame();
    }
  }
  if (showKeys_) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0), ImGuiCond_Always);
    if (ImGui::Begin(fmt::format("{}###keys", tr(S::MenuKeys)).c_str(), &showKeys_, ImGuiWindowFlags_NoCollapse)) {
      ImGui::TextUnformatted(tr(S::KeysText));
    }
    ImGui::End();
  }
  statusBar();
  files.draw(*this); // the File menu's dialogs, shortcuts and questions
  resetLayout_ = false;
  prefs_.panels = panels;
}

namespace {
bool readWhole(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) return false;
  const std::streamoff n = f.tellg();
  if (n < 0 || n > (std::streamoff{1} << 30)) return false;
  out.resize(static_cast<std::size_t>(n));
  f.seekg(0);
  return static_cast<bool>(f.read(out.data(), n));
}
} // namespace

void Workspace::noteNewText() {
  // Typed text (and pasted: the active field's whole buffer, a few hundred
  // characters at most) before the fields draw it.
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.InputQueueCharacters.empty()) {
    std::string typed;
    for (ImWchar c : io.InputQueueCharacters) {
      char buf[8];
      ImTextStrToUtf8(buf, sizeof buf, &c, &c + 1);
      typed += buf;
    }
    needGlyphs(typed);
  }
  if (const ImGuiContext* g = ImGui::GetCurrentContext(); g && g->InputTextState.ID != 0 && g->ActiveId == g->InputTextState.ID) {
    const ImVector<ImWchar>& w = g->InputTextState.TextW;
    if (!w.empty()) {
      std::string text(static_cast<std::size_t>(w.Size) * 3 + 1, '\0');
      const int n = ImTextStrToUtf8(text.data(), static_cast<int>(text.size()), w.Data, w.Data + w.Size);
      text.resize(static_cast<std::size_t>(n));
      needGlyphs(text);
    }
  }
  // A loaded or replaced op-script session: its script (with the comments it
  // keeps) and its name; ops added since: their lines.
  if (app_.sessionId() != seenSession_) {
    seenSession_ = app_.sessionId();
    seenOps_ = app_.hasSession() ? app_.session().opCount() : 0; // their lines are in the script
    needGlyphs(app_.scriptPath());
    needGlyphs(app_.scriptName());
    // The file as written (its comments, titles and narration are not ops);
    // else the session's script. (Building scriptText() for a 300,000-op
    // session took 40 ms of the first frame; reading the file takes 5.)
    std::string text;
    if (!app_.scriptPath().empty() && readWhole(app_.scriptPath(), text)) needGlyphs(text);
    else needGlyphs(app_.scriptText());
  }
  if (app_.hasSession()) {
    const std::size_t n = app_.session().opCount();
    if (n < seenOps_) seenOps_ = 0;
    for (; seenOps_ < n; seenOps_++) needGlyphs(app_.opText(seenOps_));
  }
  // A Swiss script's lesson (title, narration, expect lines) once per open.
  // (AppState's session id changes with every script opened, a Swiss one too.)
  if (app_.swissMode() && app_.sessionId() != seenSwiss_) {
    SwissController& sw = app_.swissController();
    seenSwiss_ = app_.sessionId();
    needGlyphs(sw.name());
    if (const LoadedLesson* l = sw.lesson()) {
      for (const std::string& t : l->lesson.title) needGlyphs(t);
      for (const LessonNotes& n : l->lesson.ops) {
        for (const std::string& t : n.narration) needGlyphs(t);
        for (const ExpectLine& e : n.expects) needGlyphs(e.text);
      }
    }
  }
  // A sync.Map script's name and lesson, once per open.
  if (app_.syncMode() && app_.sessionId() != seenSyncOps_) {
    SyncMapController& sc = app_.syncController();
    seenSyncOps_ = app_.sessionId();
    needGlyphs(sc.name());
    if (const LoadedLesson* l = sc.lesson()) {
      for (const std::string& t : l->lesson.title) needGlyphs(t);
      for (const LessonNotes& n : l->lesson.ops) {
        for (const std::string& t : n.narration) needGlyphs(t);
        for (const ExpectLine& e : n.expects) needGlyphs(e.text);
      }
    }
  }
  // A race scenario: its file (title, narration, programs) once per open.
  if (race_.loaded() && race_.path() != seenRace_) {
    seenRace_ = race_.path();
    race_.noteGlyphs();
  }
}

float Workspace::statusBarHeight() const {
  const ImGuiStyle& st = ImGui::GetStyle();
  return ImGui::GetFontSize() + st.FramePadding.y * 2 + 2 * std::round(ImGui::GetFontSize() * 0.25f);
}

Workspace::StatusLine Workspace::statusLine() const {
  // The controller on screen first, then the other one's error (a race file
  // that failed to open while the op-script session is shown), then notes.
  const Controller& on = const_cast<Workspace*>(this)->controller();
  const Controller& off = raceMode() ? static_cast<const Controller&>(app_) : static_cast<const Controller&>(race_);
  if (!on.error().empty()) return {on.error(), true, &on};
  if (!off.error().empty()) return {off.error(), true, &off};
  if (prefs_.language == "zh" && !fonts_.cjk)
    return {fmt::format(fmt::runtime(tr(S::CjkFontMissing)), fonts_.note), true, nullptr};
  if (!on.status().empty()) return {on.status(), false, nullptr};
  return {};
}

void Workspace::statusBar() {
  const ImGuiIO& io = ImGui::GetIO();
  const float h = statusBarHeight();
  const float pad = std::round(ImGui::GetFontSize() * 0.25f);
  ImGui::SetNextWindowPos(ImVec2(0, io.DisplaySize.y - h), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, h), ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad * 2, pad));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoScrollWithMouse;
  const bool open = ImGui::Begin("##statusbar", nullptr, flags);
  ImGui::PopStyleVar(2);
  statusRect = ImVec4(0, io.DisplaySize.y - h, io.DisplaySize.x, h);
  statusShown.clear();
  if (!open) {
    ImGui::End();
    return;
  }
  const StatusLine line = statusLine();
  std::string text = line.text;
  // A status the user dismissed stays hidden until it changes.
  if (!line.error && text == dismissedStatus_) text.clear();
  if (text.empty()) {
    ImGui::End();
    return;
  }
  needGlyphs(text);
  statusShown = text;
  statusIsError = line.error;
  // One line: newlines shown as " / ", cut with an ellipsis before the
  // Dismiss button, which sits at the right end; the full text on hover.
  std::string one = text;
  for (char& c : one)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  const ImGuiStyle& st = ImGui::GetStyle();
  const char* dismiss = tr(S::Dismiss);
  const float bw = ImGui::CalcTextSize(dismiss).x + st.FramePadding.x * 2;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - pad * 2;
  const float textRight = right - bw - st.ItemSpacing.x;
  const ImVec2 textMin(p0.x, p0.y + st.FramePadding.y);
  const ImVec2 textMax(textRight, p0.y + st.FramePadding.y + ImGui::GetFontSize());
  ImGui::PushStyleColor(ImGuiCol_Text, line.error ? palette().error : palette().ok);
  ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), textMin, textMax, textRight, textRight, one.c_str(),
                            one.c_str() + one.size(), nullptr);
  ImGui::PopStyleColor();
  if (ImGui::IsMouseHoveringRect(ImVec2(p0.x, ImGui::GetWindowPos().y), ImVec2(textRight, ImGui::GetWindowPos().y + h))) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(std::min(io.DisplaySize.x * 0.8f, ImGui::GetFontSize() * 45));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImGui::SetCursorScreenPos(ImVec2(right - bw, p0.y));
  if (ImGui::Button(fmt::format("{}##status", dismiss).c_str())) {
    if (line.error && line.owner) const_cast<Controller*>(line.owner)->clearError();
    else dismissedStatus_ = line.text;
  }
  dismissRect = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectSize().x,
                       ImGui::GetItemRectSize().y);
  ImGui::End();
}

} // namespace gomap::ui
