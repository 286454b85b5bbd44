#include "ui/event_log_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "ui/event_text.hpp"

namespace gomap::ui {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
} // namespace

bool EventLogView::filtering() const {
  if (text_[0] || goroutine) return true;
  for (bool b : show)
    if (!b) return true;
  return false;
}

uint64_t EventLogView::rows(const Frame& f) const {
  return filtering() ? filtered_.size() : (f.events ? f.events->eventCount() : 0);
}

bool EventLogView::catchingUp(const Frame& f) const {
  return f.loaded() && filtering() && f.position >= 0 && static_cast<uint64_t>(f.position) >= scanned_;
}

void EventLogView::refilter(const Frame& f) {
  std::string key = text_;
  for (bool b : show) key += b ? '1' : '0';
  key += std::to_string(goroutine);
  if (key != filterKey_ || f.sessionId != filterSession_ || scanned_ > f.events->eventCount()) {
    filtered_.clear();
    scanned_ = 0;
    filterKey_ = key;
    filterSession_ = f.sessionId;
  }
  if (!filtering()) return;
  const std::string needle = lower(text_);
  const EventSource& s = *f.events;
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t n = s.eventCount();
  while (scanned_ < n) {
    const Event& e = s.event(scanned_);
    if (show[static_cast<int>(categoryOf(e.kind))] && (!goroutine || s.goroutineOfEvent(scanned_) == goroutine)) {
      bool ok = true;
      if (!needle.empty()) {
        std::string d = lower(describeEventUi(e) + " " + std::string(siteInfo(e.site).function));
        ok = d.find(needle) != std::string::npos;
      }
      if (ok) filtered_.push_back(scanned_);
    }
    scanned_++;
    if ((scanned_ & 4095) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > 0.006)
      break;
  }
}

void EventLogView::draw(UiContext& ui, const Frame& f) {
  (void)ui;
  // A race is about the flags byte's loads and stores: show them while a race
  // is on screen, and give the op-script session its own choice back after.
  if (f.race != inRace_) {
    inRace_ = f.race;
    bool& flags = show[static_cast<int>(EventCategory::Flags)];
    if (inRace_) {
      scriptShowsFlags_ = flags;
      flags = true;
    } else {
      flags = scriptShowsFlags_;
    }
  }
  if (!f.loaded()) return;
  static const S names[] = {S::CatOps, S::CatSearch, S::CatWrites, S::CatGrowth,
                            S::CatOverflow, S::CatIteration, S::CatFlags, S::CatErrors};
  const float right = ImGui::GetWindowContentRegionMax().x;
  // The category checkboxes take as many lines as the panel's width needs; on a
  // short panel (a large font, or the projector layout) they would leave no
  // room for a single row of the log, so they go into a drop-down there.
  constexpr int ncat = static_cast<int>(EventCategory::kCount);
  int lines = 1;
  {
    float x = ImGui::GetCursorPosX();
    for (int i = 0; i < ncat; i++) {
      const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(names[i])).x;
      if (i && x + ImGui::GetStyle().ItemSpacing.x + w > right) {
        lines++;
        x = ImGui::GetCursorPosX();
      } else if (i) {
        x += ImGui::GetStyle().ItemSpacing.x;
      }
      x += w;
    }
  }
  const float lineH = ImGui::GetFrameHeightWithSpacing();
  const bool compact = lines > 1 && ImGui::GetContentRegionAvail().y < lineH * (lines + 1) + ImGui::GetTextLineHeightWithSpacing() * 6;
  if (compact) {
    int on = 0;
    for (int i = 0; i < ncat; i++) on += show[i] ? 1 : 0;
    const std::string preview = fmt::format("{} {}/{}", tr(S::LogCategories), on, ncat);
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::CalcTextSize(preview.c_str()).x + ImGui::GetFrameHeight() * 2));
    if (ImGui::BeginCombo("##categories", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
      for (int i = 0; i < ncat; i++) ImGui::Checkbox(tr(names[i]), &show[i]);
      ImGui::EndCombo();
    }
    ImGui::SameLine();
  } else {
    for (int i = 0; i < ncat; i++) {
      const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(names[i])).x;
      if (i) {
        ImGui::SameLine();
        if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
      }
      ImGui::Checkbox(tr(names[i]), &show[i]);
    }
  }
  {
    const float followW = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(S::FollowCursor)).x;
    float fw = ImGui::GetFontSize() * 12;
    // The filter field shrinks (down to 5 font sizes) to keep "follow" beside it.
    const float room = right - ImGui::GetCursorPosX() - ImGui::GetStyle().ItemSpacing.x - followW;
    if (room < fw) fw = std::max(ImGui::GetFontSize() * 5, room);
    ImGui::SetNextItemWidth(fw);
  }
  ImGui::InputTextWithHint("##filter", tr(S::FilterHint), text_, sizeof text_);
  ImGui::SameLine();
  if (ImGui::GetCursorPosX() + ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
          ImGui::CalcTextSize(tr(S::FollowCursor)).x > right)
    ImGui::NewLine();
  ImGui::Checkbox(tr(S::FollowCursor), &follow);
  if (f.race) {
    // One goroutine's events, or all.
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    const std::string cur = goroutine ? fmt::format("G{}", goroutine) : std::string(tr(S::AllGoroutines));
    if (ImGui::BeginCombo("##goroutine", cur.c_str())) {
      if (ImGui::Selectable(tr(S::AllGoroutines), goroutine == 0)) goroutine = 0;
      for (const GoroutineMark& g : f.goroutines) {
        ImGui::PushStyleColor(ImGuiCol_Text, g.colour);
        if (ImGui::Selectable(fmt::format("G{}", g.g).c_str(), goroutine == g.g)) goroutine = g.g;
        ImGui::PopStyleColor();
      }
      ImGui::EndCombo();
    }
  } else {
    goroutine = 0;
  }
  refilter(f);
  const bool filt = filtering();
  const uint64_t total = f.events->eventCount();
  const uint64_t nrows = filt ? filtered_.size() : total;
  ImGui::SameLine();
  if (filt && scanned_ < total)
    ImGui::TextDisabled("%s", fmt::format("{} / {} ({}%)", groupDigits(nrows), groupDigits(total), scanned_ * 100 / std::max<uint64_t>(1, total)).c_str());
  else
    ImGui::TextDisabled("%s", fmt::format("{} / {}", groupDigits(nrows), groupDigits(total)).c_str());

  const EventSource& s = *f.events;
  const int64_t pos = f.position;
  const Palette& pal = palette();
  const int ncols = f.race ? 5 : 4;
  // A header and a few rows at least, even when the checkboxes and the filter
  // took most of a short panel (175%): the panel scrolls instead.
  const float tableH = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeightWithSpacing() * 6);
  if (ImGui::BeginTable(f.race ? "race-events" : "events", ncols,
                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                            ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit,
                        ImVec2(0, tableH))) {
    const float fs = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, fs * 4.5f);
    if (f.race) ImGui::TableSetupColumn(tr(S::ColG), ImGuiTableColumnFlags_WidthFixed, fs * 2.2f);
    ImGui::TableSetupColumn(tr(S::Op), ImGuiTableColumnFlags_WidthFixed, fs * 3.0f);
    ImGui::TableSetupColumn(tr(S::Function), ImGuiTableColumnFlags_WidthFixed, fs * 7.5f);
    ImGui::TableSetupColumn(tr(S::WhatHappened), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    // Scroll to the cursor's row when the cursor moves; with a filter, once
    // the scan (a slice per frame) has reached it.
    const float rowH = ImGui::GetTextLineHeightWithSpacing() + 2;
    const bool rowKnown = !filt || (pos >= 0 && static_cast<uint64_t>(pos) < scanned_);
    if (follow && pos != lastPos_ && pos >= 0 && rowKnown) {
      uint64_t r;
      if (filt) r = static_cast<uint64_t>(std::lower_bound(filtered_.begin(), filtered_.end(), static_cast<uint64_t>(pos)) - filtered_.begin());
      else r = static_cast<uint64_t>(pos);
      const float y = static_cast<float>(r) * rowH;
      const float sy = ImGui::GetScrollY(), wh = ImGui::GetWindowHeight() - rowH * 2;
      if (y < sy || y > sy + wh) ImGui::SetScrollY(std::max(0.0f, y - wh * 0.5f));
      lastPos_ = pos;
    }
    if (!follow) lastPos_ = pos;
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(std::min<uint64_t>(nrows, 0x7fffffff)), rowH);
    while (clip.Step()) {
      for (int r = clip.DisplayStart; r < clip.DisplayEnd; r++) {
        const uint64_t i = filt ? filtered_[static_cast<std::size_t>(r)] : static_cast<uint64_t>(r);
        const Event& e = s.event(i);
        ImGui::TableNextRow(0, rowH);
        ImGui::TableSetColumnIndex(0);
        const bool cur = static_cast<int64_t>(i) == pos;
        if (cur) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, pal.codeCurrent);
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(std::to_string(i).c_str(), cur, ImGuiSelectableFlags_SpanAllColumns)) f.ctl->seek(static_cast<int64_t>(i));
        ImGui::PopID();
        int col = 1;
        if (f.race) {
          ImGui::TableSetColumnIndex(col++);
          const int g = s.goroutineOfEvent(i);
          colouredText(goroutineColour(g), fmt::format("G{}", g).c_str());
        }
        ImGui::TableSetColumnIndex(col++);
        ImGui::TextDisabled("%zu", s.opOfEvent(i));
        ImGui::TableSetColumnIndex(col++);
        ImGui::TextUnformatted(std::string(siteInfo(e.site).function).c_str());
        ImGui::TableSetColumnIndex(col);
        const EventCategory c = categoryOf(e.kind);
        const std::string text = e.kind == EventKind::OpBegin
                                     ? fmt::format("{}: {}", describeEventUi(e), f.ctl->opText(s.opOfEvent(i)))
                                     : describeEventUi(e);
        if (c == EventCategory::Errors) colouredText(pal.error, text.c_str());
        else if (c == EventCategory::Ops) colouredText(pal.ok, text.c_str());
        else ImGui::TextUnformatted(text.c_str());
        // The column is narrow: the whole sentence, with where it happened, on hover.
        if (ImGui::IsItemHovered()) {
          ImGui::BeginTooltip();
          ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
          ImGui::TextUnformatted(text.c_str());
          ImGui::TextDisabled("%s", fmt::format(fmt::runtime(tr(S::CaptionWhere)), siteInfo(e.site).function,
                                                siteInfo(e.site).line).c_str());
          ImGui::PopTextWrapPos();
          ImGui::EndTooltip();
        }
      }
    }
    ImGui::EndTable();
  }
}

} // namespace gomap::ui
