#include "ui/code_view.hpp"

#include <fmt/format.h>

#include "ui/go_source.hpp"
#include "ui/pseudo_code.hpp"

namespace gomap::ui {

void CodeView::draw(UiContext& ui) {
  AppState& app = ui.app;
  const Palette& pal = palette();
  highlighted_ = -1;
  shown_.clear();
  if (!app.hasSession()) return;
  const Event* e = app.currentEvent();
  const CallStack& st = app.callStack();
  const bool moved = app.position() != lastPos_;
  if (moved) selectedFrame_ = -1;

  // Real map.go toggle.
  const GoSource* src = nullptr;
  ImGui::Checkbox(tr(S::RealSource), &ui.prefs.realSource);
  if (ui.prefs.realSource) src = &goSource();
  if (src && !src->loaded) {
    ImGui::SameLine();
    colouredText(pal.error, tr(S::RealSourceMissing));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", src->why.c_str());
    src = nullptr;
  } else if (src) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s %s", src->path.c_str(), src->version.c_str());
  }

  // The call stack, outermost first.
  if (st.depth() == 0) {
    ImGui::TextDisabled("%s", tr(S::NoFunction));
  }
  const int depth = static_cast<int>(st.depth());
  const int sel = selectedFrame_ < 0 || selectedFrame_ >= depth ? depth - 1 : selectedFrame_;
  for (int i = 0; i < depth; i++) {
    if (i) {
      ImGui::SameLine(0, 2);
      ImGui::TextDisabled(">");
      ImGui::SameLine(0, 2);
    }
    ImGui::PushFont(ui.fonts.mono);
    if (ImGui::Selectable(std::string(st.frames[static_cast<std::size_t>(i)]).c_str(), i == sel, 0,
                          ImGui::CalcTextSize(std::string(st.frames[static_cast<std::size_t>(i)]).c_str())))
      selectedFrame_ = i;
    ImGui::PopFont();
  }
  if (e) {
    const SiteInfo& si = siteInfo(e->site);
    ImGui::TextDisabled("map.go:%d  %s", si.line, std::string(si.what).c_str());
  }
  ImGui::Separator();

  ImGui::BeginChild("code", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushFont(ui.fonts.mono);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lh = ImGui::GetTextLineHeightWithSpacing();
  if (src) {
    // The real file, scrolled to the event's line.
    const int line = e ? siteInfo(e->site).line : 0;
    if (moved && line > 0) ImGui::SetScrollY(std::max(0.0f, static_cast<float>(line - 1) * lh - ImGui::GetWindowHeight() * 0.4f));
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(src->lines.size()), lh);
    while (clip.Step()) {
      for (int i = clip.DisplayStart; i < clip.DisplayEnd; i++) {
        ImVec2 p = ImGui::GetCursorScreenPos();
        if (i + 1 == line) {
          dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + ImGui::GetWindowWidth() + ImGui::GetScrollX(), p.y + lh),
                            pal.codeCurrent);
        }
        ImGui::TextDisabled("%5d", i + 1);
        ImGui::SameLine();
        ImGui::TextUnformatted(src->lines[static_cast<std::size_t>(i)].c_str());
      }
    }
    shown_ = "map.go";
    highlighted_ = line;
  } else if (depth > 0) {
    const std::string_view fn = st.frames[static_cast<std::size_t>(sel)];
    shown_ = std::string(fn);
    auto code = pseudoCode(fn);
    int cur;
    bool caller = sel != depth - 1;
    if (caller) cur = pseudoCallLine(fn, st.frames[static_cast<std::size_t>(sel + 1)]);
    else cur = e ? pseudoLineOf(fn, *e) : -1;
    highlighted_ = cur;
    if (moved && cur >= 0) {
      float y = static_cast<float>(cur) * lh;
      if (y < ImGui::GetScrollY() || y + lh > ImGui::GetScrollY() + ImGui::GetWindowHeight())
        ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.4f));
    }
    for (int i = 0; i < static_cast<int>(code.size()); i++) {
      ImVec2 p = ImGui::GetCursorScreenPos();
      if (i == cur) {
        dl->AddRectFilled(p, ImVec2(p.x + std::max(ImGui::GetWindowWidth(), 2000.0f), p.y + lh),
                          caller ? pal.codeCaller : pal.codeCurrent);
        dl->AddRectFilled(p, ImVec2(p.x + 4, p.y + lh), caller ? pal.moveX : pal.highlight);
      }
      const CodeLine& l = code[static_cast<std::size_t>(i)];
      if (l.goLine) ImGui::TextDisabled("%5d", l.goLine);
      else ImGui::TextDisabled("     ");
      ImGui::SameLine();
      ImGui::TextUnformatted(l.text.data(), l.text.data() + l.text.size());
    }
  }
  ImGui::PopFont();
  ImGui::EndChild();
  lastPos_ = app.position();
}

} // namespace gomap::ui
