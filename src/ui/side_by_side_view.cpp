// The side-by-side mode's panels in the workspace's registry, where they tile,
// and its step control.
#include "ui/side_by_side_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ui/workspace.hpp"

namespace gomap::ui {

namespace {
// The projector layout is on (as Workspace::beginPanel decides it).
bool cramped(const Workspace& w) {
  const ImGuiIO& io = ImGui::GetIO();
  return Workspace::crampedLayout(io.DisplaySize.x, io.DisplaySize.y - w.statusBarHeight(), ImGui::GetFontSize());
}
bool mapsOn(Workspace& w) { return !cramped(w) || !w.sbs.figures; }
bool figuresOn(Workspace& w) { return !cramped(w) || w.sbs.figures; }
} // namespace

void registerSideBySidePanels(PanelRegistry& r) {
  using W = PanelDef::When;
  r.add({PanelSbsClassicHeader, S::WinSbsClassicHeader, "sbs.classic.header", 0, W::SideBySide,
         [](Workspace& w, UiContext& ui, const Frame&) { w.sbs.header.draw(ui, w.sbs.frames.classic); }, mapsOn});
  r.add({PanelSbsClassicBuckets, S::WinSbsClassicBuckets, "sbs.classic.buckets", ImGuiWindowFlags_NoScrollbar,
         W::SideBySide, [](Workspace& w, UiContext& ui, const Frame&) { w.sbs.buckets.draw(ui, w.sbs.frames.classic); },
         mapsOn});
  r.add({PanelSbsSwissHeader, S::WinSbsSwissHeader, "sbs.swiss.header", 0, W::SideBySide,
         [](Workspace& w, UiContext& ui, const Frame&) { w.sbs.swissHeader.draw(ui, w.sbs.frames.swiss); }, mapsOn});
  r.add({PanelSbsSwissGroups, S::WinSbsSwissGroups, "sbs.swiss.groups", ImGuiWindowFlags_NoScrollbar, W::SideBySide,
         [](Workspace& w, UiContext& ui, const Frame&) { w.sbs.swissGroups.draw(ui, w.sbs.frames.swiss); }, mapsOn});
  r.add({PanelCompare, S::WinCompare, "compare", 0, W::SideBySide,
         [](Workspace& w, UiContext& ui, const Frame&) { w.sbs.compare.draw(ui, w.sideBySide.comparison); },
         figuresOn});
  r.add({PanelSbsSteps, S::WinSbsSteps, "sbs.steps", ImGuiWindowFlags_NoScrollbar, W::SideBySide,
         [](Workspace& w, UiContext& ui, const Frame&) {
           const bool was = w.sbs.figures;
           w.sbs.steps.draw(ui, w.sideBySide, w.sideBySide, w.sbs.frames, cramped(w), w.sbs.figures);
           if (w.sbs.figures != was) w.relayout(); // the other tab's panels to their tiles
           if (w.sbs.steps.leaveClicked) w.sideBySide.leave();
         }});
}

bool sbsLayoutShows(Panel p, bool cramped) {
  if (!cramped) return true;
  // A projector: the two maps, the figures and the steps; the headers open
  // from the View menu (over the maps).
  return p != PanelSbsClassicHeader && p != PanelSbsSwissHeader;
}

PanelRect sbsLayoutOf(Panel p, float w, float h, float menuH, float fs, bool cramped) {
  // Bottom: the steps (two rows); above them the comparison; above that the
  // maps, classic left, Swiss right. On a projector the maps and the
  // comparison take turns in all the space above the steps (the steps' tabs).
  const float stepsH = std::min(fs * 5.2f, h * 0.22f);
  const float top = menuH, bottom = h - stepsH, mid = bottom - top;
  const float compareH = cramped ? mid : mid * 0.36f;
  const float mapsH = cramped ? mid : mid - compareH;
  const float half = std::floor(w / 2);
  // Each map's header beside its map, as narrow as its fields allow.
  const float H = cramped ? 0 : std::min(fs * 16.5f, half * 0.36f);
  switch (p) {
  case PanelSbsClassicHeader:
    if (cramped) return {half - half * 0.55f, top, half * 0.55f, mapsH}; // from the View menu, over the buckets
    return {0, top, H, mapsH};
  case PanelSbsClassicBuckets: return {H, top, half - H, mapsH};
  case PanelSbsSwissHeader:
    if (cramped) return {w - half * 0.55f, top, half * 0.55f, mapsH};
    return {half, top, H, mapsH};
  case PanelSbsSwissGroups: return {half + H, top, w - half - H, mapsH};
  case PanelCompare: return {0, bottom - compareH, w, compareH};
  case PanelSbsSteps: return {0, bottom, w, stepsH};
  default: return {0, 0, w, h};
  }
}

void SbsStepsView::draw(UiContext&, Controller& c, const SideBySide& sbs, const SbsFrames& f, bool tabs,
                        bool& figures) {
  leaveClicked = false;
  mapsTab = figuresTab = ImVec4(0, 0, 0, 0);
  shown.clear();
  if (!sbs.loaded()) return;
  const float fs = ImGui::GetFontSize();
  const int64_t n = static_cast<int64_t>(sbs.ops());
  const int64_t k = sbs.op();
  auto button = [&](const char* label, S tip, ImVec4* rect) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const bool hit = ImGui::Button(label, ImVec2(fs * 2.2f, 0));
    if (rect) *rect = ImVec4(at.x, at.y, ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(tip));
    ImGui::SameLine();
    return hit;
  };
  ImGui::BeginDisabled(k < 0);
  if (button("|<##sbs", S::SbsTipFirst, nullptr)) {
    c.pause();
    c.toStart();
  }
  if (button("<##sbs", S::SbsTipPrev, &prevButton)) {
    c.pause();
    c.stepBack();
  }
  ImGui::EndDisabled();
  if (button(c.playing() ? "||##sbs" : "|>##sbs", S::SbsTipPlay, nullptr)) c.togglePlay();
  ImGui::BeginDisabled(k + 1 >= n);
  if (button(">##sbs", S::SbsTipNext, &nextButton)) {
    c.pause();
    c.stepInto();
  }
  if (button(">|##sbs", S::SbsTipLast, nullptr)) {
    c.pause();
    c.toEnd();
  }
  ImGui::EndDisabled();
  ImGui::SetNextItemWidth(fs * 4.5f);
  float sp = static_cast<float>(c.speed());
  if (ImGui::SliderFloat("##sbsspeed", &sp, 0.5f, 2000.0f, "", ImGuiSliderFlags_Logarithmic)) c.speed() = sp;
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::Text(tr(S::SbsSpeed), c.speed());
  ImGui::SameLine();
  // The op on screen, as the comparison panel names it.
  if (k < 0) {
    shown = fmt::format(fmt::runtime(tr(S::CmpBefore)), n);
  } else {
    const compare::Row& r = sbs.comparison.series.rows[static_cast<std::size_t>(k)];
    shown = fmt::format(fmt::runtime(tr(S::CmpOpOf)), k + 1, n, r.line, r.text);
  }
  // The tabs (projector layout) and Leave: at the right end of the first row.
  const ImGuiStyle& st = ImGui::GetStyle();
  const char* leave = tr(S::SbsLeave);
  const char* mapsLabel = tr(S::SbsTabMaps);
  const char* figuresLabel = tr(S::SbsTabFigures);
  float rw = ImGui::CalcTextSize(leave).x + st.FramePadding.x * 2;
  if (tabs)
    rw += ImGui::CalcTextSize(mapsLabel).x + ImGui::CalcTextSize(figuresLabel).x + st.FramePadding.x * 4 +
          st.ItemSpacing.x * 3;
  // The op's text in what is left of the row, never under the buttons: a
  // projector's font gets the short form, then the end of its text (the op).
  const float room = ImGui::GetWindowContentRegionMax().x - rw - st.ItemSpacing.x - ImGui::GetCursorPosX();
  needGlyphs(shown);
  std::string text = shown;
  if (k >= 0 && ImGui::CalcTextSize(text.c_str()).x > room) {
    const compare::Row& r = sbs.comparison.series.rows[static_cast<std::size_t>(k)];
    text = fmt::format(fmt::runtime(tr(S::SbsOpShort)), k + 1, n, r.text);
    needGlyphs(text);
  }
  while (text.size() > 1 && ImGui::CalcTextSize(text.c_str()).x > room) {
    // Drop a UTF-8 character after the prefix "…" (keeps the op at the end).
    std::size_t cut = text.compare(0, 3, "…") == 0 ? 3 : 0;
    std::size_t len = 1;
    while (cut + len < text.size() && (static_cast<unsigned char>(text[cut + len]) & 0xC0) == 0x80) len++;
    text = "…" + text.substr(cut + len);
  }
  ImGui::TextUnformatted(text.c_str());
  if (text != shown && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", shown.c_str());
  shownRight = ImGui::GetItemRectMax().x;
  ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - rw));
  if (tabs) {
    auto tab = [&](const char* label, const char* id, bool on, ImVec4& rect) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      const bool hit = ImGui::Button(fmt::format("{}##{}", label, id).c_str());
      if (on) ImGui::PopStyleColor();
      rect = ImVec4(at.x, at.y, ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y);
      ImGui::SameLine();
      return hit;
    };
    if (tab(mapsLabel, "sbsmaps", !figures, mapsTab)) figures = false;
    if (tab(figuresLabel, "sbsfigures", figures, figuresTab)) figures = true;
    ImGui::SameLine(0, st.ItemSpacing.x * 2);
  }
  {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (ImGui::Button(fmt::format("{}##sbsleave", leave).c_str())) leaveClicked = true;
    leaveButton = ImVec4(at.x, at.y, ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::SbsTipLeave));
  }
  // Second row: the scrubber over the ops, both sessions' event positions on it.
  const std::string events =
      fmt::format(fmt::runtime(tr(S::SbsEvents)), f.classic.position,
                  groupDigits(f.classic.events ? f.classic.events->eventCount() : 0), f.swissFrame.position,
                  groupDigits(f.swissFrame.events ? f.swissFrame.events->eventCount() : 0));
  ImGui::TextDisabled("%s", events.c_str());
  ImGui::SameLine();
  int64_t pos = k + 1;
  const int64_t lo = 0, hi = n;
  ImGui::SetNextItemWidth(-1);
  std::string label;
  for (char ch : fmt::format(fmt::runtime(tr(S::SbsScrub)), k + 1, n)) {
    label += ch;
    if (ch == '%') label += '%'; // the slider's text is a printf format
  }
  if (ImGui::SliderScalar("##sbsscrub", ImGuiDataType_S64, &pos, &lo, &hi, label.c_str())) {
    c.pause();
    c.seek(pos - 1);
  }
}

} // namespace gomap::ui
