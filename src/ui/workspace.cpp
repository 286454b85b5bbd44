#include "ui/workspace.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace gomap::ui {

void registerClassicPanels(PanelRegistry& r) {
  using W = PanelDef::When;
  r.add({PanelControls, S::WinControls, "controls", 0, W::OpScript,
         [](Workspace& w, UiContext& ui, const Frame&) { w.controls.draw(ui, w.appState()); }});
  r.add({PanelGoroutines, S::WinGoroutines, "goroutines", 0, W::Race,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.goroutines.draw(ui, f, w.raceController()); }});
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
}

Workspace::Workspace(AppState& app, RaceController& race, Prefs& prefs, FontSet& fonts, OverviewGL* gl)
    : app_(app), race_(race), prefs_(prefs), fonts_(fonts), ctx_{prefs, fonts, gl, false} {
  registerClassicPanels(registry_);
  panels = prefs.panels;
  app_.speed() = prefs.speed;
  app_.watchNewOps = prefs.watchNewOps;
}

Controller& Workspace::controller() {
  if (raceMode()) return race_;
  return app_;
}

Lang Workspace::effectiveLanguage() const { return prefs_.language == "zh" && fonts_.cjk ? Lang::Zh : Lang::En; }

PanelRect Workspace::layoutOf(Panel p, float w, float h, float menuH, float fs, bool race) {
  // On a short screen with a large font the fixed heights took most of it (at 175%
  // on 1280x720 the code panel and the event log were left a title bar each).
  const float timelineH = std::min(fs * 7.6f, h * 0.28f);
  const float top = menuH, bottom = h - timelineH;
  // A race's Goroutines panel (programs side by side) needs a wider left column.
  float L = race ? std::max(fs * 24, w * 0.29f) : std::max(fs * 19, w * 0.205f);
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
  switch (p) {
  case PanelControls:
  case PanelGoroutines: return {0, top, L, mid * leftSplit};
  case PanelHeader: return {0, top + mid * leftSplit, L, mid * (1 - leftSplit)};
  case PanelBuckets: return {L, top, C, mid * 0.75f};
  case PanelPlots: return {L, top + mid * 0.75f, C, mid * 0.25f};
  case PanelHash: return {L + C, top, R, hashH};
  case PanelCode: return {L + C, top + hashH, R, (mid - hashH) * 0.52f};
  case PanelEvents: return {L + C, top + hashH + (mid - hashH) * 0.52f, R, (mid - hashH) * 0.48f};
  case PanelTimeline: return {0, bottom, w, timelineH};
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
  PanelRect r = layoutOf(p, io.DisplaySize.x, io.DisplaySize.y, menuH, ImGui::GetFontSize(), raceMode());
  ImGuiCond cond = (forceLayout || resetLayout_) ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
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

void Workspace::keyTap(int glfwKey, bool shift) {
  switch (glfwKey) {
  case GLFW_KEY_SPACE:
  case GLFW_KEY_RIGHT:
  case GLFW_KEY_LEFT:
  case GLFW_KEY_UP:
  case GLFW_KEY_F10:
  case GLFW_KEY_F11:
  case GLFW_KEY_HOME:
  case GLFW_KEY_END:
    if (taps_.size() < 256) taps_.push_back(Tap{glfwKey, shift});
    break;
  default:
    break;
  }
}

void Workspace::actOnKey(int key, bool shift) {
  Controller& app_ = controller(); // the keys act on whatever is on screen
  switch (key) {
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
    break;
  }
}

void Workspace::handleKeys() {
  const ImGuiIO& io = ImGui::GetIO();
  std::vector<Tap> taps;
  taps.swap(taps_);
  if (io.WantTextInput) return; // typing in a text field: the taps were for it
  if (!taps.empty()) {
    // Real key events from GLFW: act on each, with its own Shift (see keyTap).
    for (const Tap& t : taps) actOnKey(t.key, t.shift);
    return;
  }
  // No GLFW events this frame (tests and other embedders feed io.KeysDown directly).
  for (int key : {GLFW_KEY_SPACE, GLFW_KEY_RIGHT, GLFW_KEY_LEFT, GLFW_KEY_UP, GLFW_KEY_F11, GLFW_KEY_F10, GLFW_KEY_HOME,
                  GLFW_KEY_END})
    if (ImGui::IsKeyPressed(key, false)) actOnKey(key, io.KeyShift);
}

void Workspace::menuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr(S::MenuFile))) {
    // With a race loaded: switch between it and the op-script session.
    if (race_.loaded()) {
      if (ImGui::MenuItem(tr(S::MenuShowRace), nullptr, race_.active)) race_.active = true;
      if (ImGui::MenuItem(tr(S::MenuShowScript), nullptr, !race_.active)) race_.active = false;
      ImGui::Separator();
    }
    if (ImGui::MenuItem(tr(S::MenuQuit), "Ctrl+Q")) quitRequested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(S::MenuView))) {
    const bool race = raceMode();
    for (const PanelDef& d : registry_.all()) {
      if (d.when == PanelDef::When::OpScript && race) continue;
      if (d.when == PanelDef::When::Race && !race) continue;
      bool on = (panels & d.bit) != 0;
      if (ImGui::MenuItem(tr(d.title), nullptr, &on)) panels = on ? (panels | d.bit) : (panels & ~d.bit);
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
      if (ImGui::MenuItem("English", nullptr, prefs_.language == "en")) {
        prefs_.language = "en";
        fontsDirty = true;
      }
      // The English UI loads no CJK glyphs (the font is 19 MB): name the language in
      // Latin letters there, or the item reads "????".
      if (ImGui::MenuItem(fonts_.cjk ? "简体中文" : "Simplified Chinese", nullptr,
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
  if (prefs_.language == "zh" && !fonts_.cjk) {
    ImGui::SameLine(0, 30);
    colouredText(palette().error, fmt::format("中文界面需要 fonts-noto-cjk: {} — showing English", fonts_.note).c_str());
  }
  ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize("gomaplab · Go 1.19 map").x - 20);
  ImGui::TextDisabled("gomaplab · Go 1.19 map");
  ImGui::EndMainMenuBar();
}

std::array<uint64_t, 4> Workspace::frameStamp() const {
  if (raceMode()) {
    const race::ConcurrentSession& s = race_.session();
    return {reinterpret_cast<uintptr_t>(&s), s.position(), s.timeline().size(), s.trace().size()};
  }
  return {app_.sessionId(), app_.revision(), app_.hasSession() ? 1u : 0u, 0};
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
  // Switching between the race and the op-script session re-tiles the windows.
  if (raceMode() != wasRace_) {
    wasRace_ = raceMode();
    resetLayout_ = true;
  }
  handleKeys();
  if (raceMode()) race_.fillFrame(frame_);
  else app_.fillFrame(frame_);
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) quitRequested = true;
  menuBar();
  const float menuH = ImGui::GetFrameHeight();

  const bool race = raceMode();
  for (const PanelDef& d : registry_.all()) {
    if ((d.when == PanelDef::When::OpScript && race) || (d.when == PanelDef::When::Race && !race)) {
      seen_[std::countr_zero(static_cast<unsigned>(d.bit))].visible = false;
      continue;
    }
    if (beginPanel(d.bit, d.title, d.id, menuH, d.flags)) {
      const auto before = frameStamp();
      d.draw(*this, ctx_, frame_);
      ImGui::End();
      // A panel's button may have replaced the session (Open, New map, a scenario) or
      // moved the cursor: the panels after it must not draw from the old one (freed).
      if (frameStamp() != before) raceMode() ? race_.fillFrame(frame_) : app_.fillFrame(frame_);
    }
  }
  if (showKeys_) {
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0), ImGuiCond_Always);
    if (ImGui::Begin(fmt::format("{}###keys", tr(S::MenuKeys)).c_str(), &showKeys_, ImGuiWindowFlags_NoCollapse)) {
      ImGui::TextUnformatted(tr(S::KeysText));
    }
    ImGui::End();
  }
  resetLayout_ = false;
  prefs_.panels = panels;
}

} // namespace gomap::ui
