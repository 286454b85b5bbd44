#include "ui/code_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ui/event_text.hpp"
#include "ui/go_source.hpp"
#include "ui/pseudo_code.hpp"

namespace gomap::ui {

void CodeView::draw(UiContext& ui, const Frame& f) {
  const Palette& pal = palette();
  highlighted_ = -1;
  shown_.clear();
  goroutineLines_.clear();
  if (!f.loaded()) return;
  const Event* e = f.current;
  static const CallStack kNone;
  const CallStack* stp = f.stack ? f.stack : &kNone;
  const bool moved = f.position != lastPos_;
  if (moved) selectedFrame_ = -1;
  // Bring the marked line into view after a step, and in the frame after a click on a
  // goroutine chip, a stack frame or the source toggle (this frame still shows the old choice).
  const bool rescroll = moved || rescrollNext_;
  rescrollNext_ = false;
  // In a race: one chip per goroutine; the code shown is the chosen
  // goroutine's (by default the one that took the current step), and every
  // goroutine paused in the function shown gets its line marked in its colour.
  int shownG = 0;
  if (f.race) {
    const int curG = f.current ? f.events->goroutineOfEvent(static_cast<uint64_t>(f.position)) : 0;
    if (moved && followStep_) selectedG_ = 0;
    shownG = selectedG_ ? selectedG_ : curG;
    for (const GoroutineMark& g : f.goroutines) {
      ImGui::PushID(g.g);
      ImGui::PushStyleColor(ImGuiCol_Text, g.colour);
      std::string chip = g.inOp ? fmt::format("G{} {}:{}", g.g, g.function, g.line)
                                : fmt::format("G{} {}", g.g, g.done ? tr(S::RaceDone) : tr(S::RaceNotInOp));
      if (ImGui::Selectable(chip.c_str(), shownG == g.g, 0, ImGui::CalcTextSize(chip.c_str()))) {
        selectedG_ = g.g;
        selectedFrame_ = -1;
        rescrollNext_ = true;
      }
      ImGui::PopStyleColor();
      ImGui::PopID();
      ImGui::SameLine(0, ImGui::GetFontSize());
    }
    ImGui::NewLine();
    if (const GoroutineMark* g = f.goroutine(shownG)) {
      stp = &g->stack;
      e = g->lastEvent >= 0 && g->inOp ? &f.events->event(static_cast<uint64_t>(g->lastEvent)) : nullptr;
    }
  }
  const CallStack& st = *stp;

  // Real map.go toggle.
  const GoSource* src = nullptr;
  if (ImGui::Checkbox(tr(S::RealSource), &ui.prefs.realSource)) rescrollNext_ = true;
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

  // A short panel (a large font, the projector layout): the call stack goes on
  // the toggle's line when it fits, and the "map.go:N what" line is left out (the
  // listing marks that line), so that the listing keeps a few lines.
  const bool shortPanel = ImGui::GetContentRegionAvail().y < ImGui::GetTextLineHeightWithSpacing() * 10;
  const int depth = static_cast<int>(st.depth());
  if (shortPanel) {
    float sw = 0;
    ImGui::PushFont(ui.fonts.mono);
    for (int i = 0; i < depth; i++) sw += ImGui::CalcTextSize(std::string(st.frames[static_cast<std::size_t>(i)]).c_str()).x;
    ImGui::PopFont();
    sw += static_cast<float>(std::max(0, depth - 1)) * (ImGui::CalcTextSize(">").x + 4);
    if (depth == 0) sw = ImGui::CalcTextSize(tr(S::NoFunction)).x;
    ImGui::SameLine(0, ImGui::GetFontSize());
    if (ImGui::GetCursorPosX() + sw > ImGui::GetWindowContentRegionMax().x) ImGui::NewLine();
  }
  // The call stack, outermost first.
  if (st.depth() == 0) {
    ImGui::TextDisabled("%s", tr(S::NoFunction));
  }
  const int sel = selectedFrame_ < 0 || selectedFrame_ >= depth ? depth - 1 : selectedFrame_;
  for (int i = 0; i < depth; i++) {
    if (i) {
      ImGui::SameLine(0, 2);
      ImGui::TextDisabled(">");
      ImGui::SameLine(0, 2);
    }
    ImGui::PushFont(ui.fonts.mono);
    if (ImGui::Selectable(std::string(st.frames[static_cast<std::size_t>(i)]).c_str(), i == sel, 0,
                          ImGui::CalcTextSize(std::string(st.frames[static_cast<std::size_t>(i)]).c_str()))) {
      selectedFrame_ = i;
      rescrollNext_ = true;
    }
    ImGui::PopFont();
  }
  if (e && !shortPanel) {
    ImGui::TextDisabled("map.go:%d  %s", siteInfo(e->site).line, std::string(siteWhat(e->site)).c_str());
  }
  ImGui::Separator();

  // At least a few lines of code even when the call stack above took most of a
  // short panel (175%): the panel scrolls instead.
  const float codeH = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 6);
  ImGui::BeginChild("code", ImVec2(0, codeH), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::PushFont(ui.fonts.mono);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lh = ImGui::GetTextLineHeightWithSpacing();
  const float fs = ImGui::GetFontSize();
  // Race: each goroutine whose line is row i gets a bar at the left edge and a
  // "G1" tag at the right edge of the visible code (inside the scrollbar). Drawn
  // after the row's text, so the tag covers the text under it instead of mixing with it.
  auto goroutineTags = [&](int i, ImVec2 p) {
    float tagX = dl->GetClipRectMax().x + 2; // each tag steps left by its width + 2
    for (const auto& [g, line] : goroutineLines_) {
      if (line != i) continue;
      const std::string tag = fmt::format("G{}", g);
      const float w = ImGui::CalcTextSize(tag.c_str()).x + fs * 0.4f;
      tagX -= w + 2;
      dl->AddRectFilled(ImVec2(tagX, p.y), ImVec2(tagX + w, p.y + lh), goroutineColour(g), 3);
      dl->AddText(ImVec2(tagX + fs * 0.2f, p.y), IM_COL32(0, 0, 0, 255), tag.c_str());
      dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + 4, p.y + lh), goroutineColour(g));
    }
  };
  if (src) {
    // The real file, scrolled to the event's line.
    const int line = e ? siteInfo(e->site).line : 0;
    if (f.race)
      for (const GoroutineMark& g : f.goroutines)
        if (g.inOp && g.line > 0) goroutineLines_.push_back({g.g, g.line - 1});
    if (rescroll && line > 0) ImGui::SetScrollY(std::max(0.0f, static_cast<float>(line - 1) * lh - ImGui::GetWindowHeight() * 0.4f));
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
        goroutineTags(i, p);
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
    if (rescroll && cur >= 0) {
      float y = static_cast<float>(cur) * lh;
      if (y < ImGui::GetScrollY() || y + lh > ImGui::GetScrollY() + ImGui::GetWindowHeight())
        ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.4f));
    }
    // Other goroutines paused in this function: their lines, in their colours.
    if (f.race) {
      for (const GoroutineMark& g : f.goroutines) {
        if (!g.inOp || g.lastEvent < 0 || g.stack.depth() == 0) continue;
        int line = -1;
        for (std::size_t d = 0; d < g.stack.depth(); d++) {
          if (g.stack.frames[d] != fn) continue;
          line = d + 1 == g.stack.depth() ? pseudoLineOf(fn, f.events->event(static_cast<uint64_t>(g.lastEvent)))
                                          : pseudoCallLine(fn, g.stack.frames[d + 1]);
        }
        if (line >= 0) goroutineLines_.push_back({g.g, line});
      }
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
      goroutineTags(i, p);
    }
  }
  ImGui::PopFont();
  ImGui::EndChild();
  lastPos_ = f.position;
}

} // namespace gomap::ui
