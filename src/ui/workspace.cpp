#include "ui/workspace.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

namespace gomap::ui {

Workspace::Workspace(AppState& app, Prefs& prefs, FontSet& fonts, OverviewGL* gl)
    : app_(app), prefs_(prefs), fonts_(fonts), ctx_{app, prefs, fonts, gl, false} {
  panels = prefs.panels;
  app_.speed = prefs.speed;
  app_.watchNewOps = prefs.watchNewOps;
}

Lang Workspace::effectiveLanguage() const { return prefs_.language == "zh" && fonts_.cjk ? Lang::Zh : Lang::En; }

PanelRect Workspace::layoutOf(Panel p, float w, float h, float menuH, float fs) {
  const float timelineH = fs * 7.6f;
  const float top = menuH, bottom = h - timelineH;
  const float L = std::max(fs * 19, w * 0.205f);
  const float R = std::max(fs * 22, w * 0.27f);
  const float C = std::max(fs * 20, w - L - R);
  const float mid = bottom - top;
  const float hashH = fs * 10.5f;
  switch (p) {
  case PanelControls: return {0, top, L, mid * 0.56f};
  case PanelHeader: return {0, top + mid * 0.56f, L, mid * 0.44f};
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
  for (int j = 0; j < 8; j++) {
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
  PanelRect r = layoutOf(p, io.DisplaySize.x, io.DisplaySize.y, menuH, ImGui::GetFontSize());
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

void Workspace::handleKeys() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto pressed = [](int key) { return ImGui::IsKeyPressed(key, true); };
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_Space))) app_.togglePlay();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) {
    app_.pause();
    io.KeyShift ? app_.stepOver() : app_.stepInto();
  }
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) {
    app_.pause();
    io.KeyShift ? app_.stepBackOver() : app_.stepBack();
  }
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow)) || (io.KeyShift && pressed(GLFW_KEY_F11))) {
    app_.pause();
    app_.stepOut();
  }
  if (!io.KeyShift && pressed(GLFW_KEY_F11)) app_.stepInto();
  if (pressed(GLFW_KEY_F10)) app_.stepOver();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_Home))) app_.toStart();
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_End))) app_.toEnd();
}

void Workspace::menuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr(S::MenuFile))) {
    if (ImGui::MenuItem(tr(S::MenuQuit), "Ctrl+Q")) quitRequested = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(S::MenuView))) {
    struct Item {
      Panel p;
      S name;
    };
    static const Item items[] = {{PanelControls, S::WinControls}, {PanelHeader, S::WinHeader},
                                 {PanelBuckets, S::WinBuckets},   {PanelPlots, S::WinPlots},
                                 {PanelHash, S::WinHash},         {PanelCode, S::WinCode},
                                 {PanelEvents, S::WinEvents},     {PanelTimeline, S::WinTimeline}};
    for (const Item& it : items) {
      bool on = (panels & it.p) != 0;
      if (ImGui::MenuItem(tr(it.name), nullptr, &on)) panels = on ? (panels | it.p) : (panels & ~it.p);
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
        }
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr(S::MenuLanguage))) {
      if (ImGui::MenuItem("English", nullptr, prefs_.language == "en")) {
        prefs_.language = "en";
        fontsDirty = true;
      }
      if (ImGui::MenuItem("简体中文", nullptr, prefs_.language == "zh")) {
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

void Workspace::draw(float dt) {
  setLanguage(effectiveLanguage());
  ctx_.forceLayout = forceLayout;
  app_.tick(dt);
  handleKeys();
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) quitRequested = true;
  menuBar();
  const float menuH = ImGui::GetFrameHeight();

  if (beginPanel(PanelControls, S::WinControls, "controls", menuH)) {
    controls.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelHeader, S::WinHeader, "header", menuH)) {
    header.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelBuckets, S::WinBuckets, "buckets", menuH, ImGuiWindowFlags_NoScrollbar)) {
    buckets.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelPlots, S::WinPlots, "plots", menuH, ImGuiWindowFlags_NoScrollbar)) {
    plots.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelHash, S::WinHash, "hash", menuH)) {
    hash.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelCode, S::WinCode, "code", menuH)) {
    code.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelEvents, S::WinEvents, "events", menuH)) {
    events.draw(ctx_);
    ImGui::End();
  }
  if (beginPanel(PanelTimeline, S::WinTimeline, "timeline", menuH, ImGuiWindowFlags_NoScrollbar)) {
    timeline.draw(ctx_);
    ImGui::End();
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
