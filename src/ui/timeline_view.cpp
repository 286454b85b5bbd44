#include "ui/timeline_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ui/event_text.hpp"

namespace gomap::ui {

float TimelineView::xOfEvent(int64_t i) const {
  if (n_ == 0) return barX0_;
  return barX0_ + (barX1_ - barX0_) * (static_cast<float>(i) + 0.5f) / static_cast<float>(n_);
}

void TimelineView::draw(UiContext& ui, const Frame& f) {
  const Palette& pal = palette();
  const float fs = ImGui::GetFontSize();
  if (!f.loaded()) {
    if (f.ctl && !f.ctl->error().empty()) colouredText(pal.error, f.ctl->error().c_str());
    return;
  }
  Controller& app = *f.ctl;

  // Buttons.
  auto button = [&](const char* label, S tip) {
    bool r = ImGui::Button(label, ImVec2(fs * 2.2f, 0));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(tip));
    ImGui::SameLine();
    return r;
  };
  if (button("|<", S::TipStart)) app.toStart();
  if (button("<<", S::TipBackOp)) app.stepBackOver();
  if (button("<", S::TipBack)) app.stepBack();
  if (button(app.playing() ? "||" : "|>", S::TipPlay)) app.togglePlay();
  if (button(">", S::TipStep)) app.stepInto();
  if (button(">>", S::TipOver)) app.stepOver();
  if (button("^", S::TipOut)) app.stepOut();
  if (button(">|", S::TipEnd)) app.toEnd();
  // The speed is written beside the slider, not in it: ImGui centres a slider's
  // text, and the grab sat on its first digits ("20 events/s").
  ImGui::SetNextItemWidth(fs * 4.5f);
  float sp = static_cast<float>(app.speed());
  if (ImGui::SliderFloat("##speed", &sp, 1.0f, 100000.0f, "", ImGuiSliderFlags_Logarithmic)) app.speed() = sp;
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::Text(tr(S::SpeedFormat), app.speed());
  if (!f.race) ui.prefs.speed = app.speed();
  const int64_t pos = f.position;
  const uint64_t n = f.events->eventCount();
  // What follows the buttons goes on as long as it fits (a large font in a
  // small window): the counts, then the current op (the caption shows it too).
  const float right = ImGui::GetWindowContentRegionMax().x;
  auto fits = [&](float w) {
    ImGui::SameLine();
    return ImGui::GetCursorPosX() + w <= right;
  };
  const std::string counter = fmt::format(fmt::runtime(tr(S::EventOfTotal)), pos, groupDigits(n));
  if (fits(ImGui::CalcTextSize(counter.c_str()).x)) ImGui::TextUnformatted(counter.c_str());
  else ImGui::NewLine();
  // The session's size now (it grows as ops are inserted).
  const std::string sizes =
      fmt::format(fmt::runtime(tr(S::TimelineCounts)), groupDigits(f.events->opCount()), groupDigits(n));
  counts_ = sizes;
  if (fits(ImGui::CalcTextSize(sizes.c_str()).x)) ImGui::TextDisabled("%s", sizes.c_str());
  else ImGui::NewLine();
  if (auto op = f.currentOp) {
    const std::string t = fmt::format("{} {}: {}", tr(S::Op), *op, app.opText(*op));
    if (fits(ImGui::CalcTextSize(t.c_str()).x)) ImGui::TextDisabled("%s", t.c_str());
    else ImGui::NewLine();
  }
  if (f.jobProgress >= 0) {
    ImGui::SameLine();
    ImGui::ProgressBar(f.jobProgress, ImVec2(fs * 8, 0));
  }

  // The scrubber.
  static DerivedSeries kNoSeries;
  DerivedSeries& d = f.derived ? *f.derived : kNoSeries;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = ImGui::GetContentRegionAvail().x;
  const float h = fs * 1.6f;
  ImGui::InvisibleButton("scrubber", ImVec2(w, h));
  barX0_ = p.x + 4;
  barX1_ = p.x + w - 4;
  barY_ = p.y + h * 0.5f;
  n_ = n;
  dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + w, p.y + h), pal.flagOff, 4);
  // Markers: one tick per pixel column per kind (overflow allocations can be many).
  const int cols = std::max(1, static_cast<int>(barX1_ - barX0_));
  std::vector<uint8_t> seen(static_cast<std::size_t>(cols), 0);
  for (const Marker& m : d.markers) {
    int c = n ? static_cast<int>(static_cast<double>(m.event) * cols / static_cast<double>(n)) : 0;
    c = std::clamp(c, 0, cols - 1);
    uint8_t bit = static_cast<uint8_t>(1u << static_cast<int>(m.kind));
    if (seen[static_cast<std::size_t>(c)] & bit) continue;
    seen[static_cast<std::size_t>(c)] |= bit;
    const float x = barX0_ + static_cast<float>(c);
    const ImU32 col = pal.markers[static_cast<int>(m.kind)];
    switch (m.kind) {
    case MarkerKind::Overflow: dl->AddLine(ImVec2(x, p.y + h * 0.55f), ImVec2(x, p.y + h - 1), col, 1.0f); break;
    case MarkerKind::GrowStart:
    case MarkerKind::SameSizeGrowStart:
    case MarkerKind::GrowEnd: dl->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + h), col, 3.0f); break;
    default:
      dl->AddTriangleFilled(ImVec2(x - 5, p.y), ImVec2(x + 5, p.y), ImVec2(x, p.y + h * 0.6f), col);
      break;
    }
  }
  if (n) {
    const float x = xOfEvent(std::max<int64_t>(pos, 0));
    dl->AddRectFilled(ImVec2(barX0_, p.y + h * 0.4f), ImVec2(x, p.y + h * 0.6f), pal.plotCursor & 0x80ffffff);
    dl->AddLine(ImVec2(x, p.y - 2), ImVec2(x, p.y + h + 2), pal.plotCursor, 3.0f);
  }
  if (ImGui::IsItemActive() && n) {
    const float mx = ImGui::GetIO().MousePos.x;
    int64_t i = static_cast<int64_t>((mx - barX0_) / (barX1_ - barX0_) * static_cast<float>(n));
    app.pause();
    app.seek(std::clamp<int64_t>(i, -1, static_cast<int64_t>(n) - 1));
  } else if (ImGui::IsItemHovered() && n) {
    const float mx = ImGui::GetIO().MousePos.x;
    int64_t i = std::clamp<int64_t>(static_cast<int64_t>((mx - barX0_) / (barX1_ - barX0_) * static_cast<float>(n)), 0,
                                    static_cast<int64_t>(n) - 1);
    ImGui::SetTooltip("%s", fmt::format("{} {}: {}", tr(S::Event), i, describeEventUi(f.events->event(static_cast<uint64_t>(i)))).c_str());
  }

  // Legend and messages.
  // The legend: named, or swatches named on hover when the names would not
  // fit on the line. (Errors and status messages are in the workspace's status
  // bar, which stays put.)
  static const S legend[] = {S::MarkGrowStart, S::MarkSameSize, S::MarkGrowEnd, S::MarkOverflow, S::MarkPanic, S::MarkFatal};
  float named = 0;
  for (const S l : legend) named += fs * 0.8f + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(tr(l)).x + fs;
  const bool names = ImGui::GetCursorPosX() + named <= right;
  for (int k = 0; k < 6; k++) {
    ImVec2 q = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.2f), ImVec2(q.x + fs * 0.7f, q.y + fs * 0.9f), pal.markers[k]);
    ImGui::Dummy(ImVec2(fs * 0.8f, fs));
    if (!names && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(legend[k]));
    if (names) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", tr(legend[k]));
    }
    if (k < 5) ImGui::SameLine(0, names ? fs : fs * 0.3f);
  }
}

} // namespace gomap::ui
