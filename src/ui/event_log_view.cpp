#include "ui/event_log_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "ui/event_text.hpp"

namespace gomap::ui {

EventCategory categoryOf(EventKind k) {
  switch (k) {
  case EventKind::OpBegin:
  case EventKind::OpEnd: return EventCategory::Ops;
  case EventKind::HashComputed:
  case EventKind::BucketSelected:
  case EventKind::TophashCompared:
  case EventKind::KeyCompared:
  case EventKind::SlotChosen: return EventCategory::Search;
  case EventKind::CellWritten:
  case EventKind::KeyStored:
  case EventKind::CountLoaded:
  case EventKind::KeyUpdated:
  case EventKind::ElemWritten:
  case EventKind::ElemRead:
  case EventKind::CountChanged:
  case EventKind::CellDeleted:
  case EventKind::EmptyRestMarked:
  case EventKind::Hash0Reseeded:
  case EventKind::MapCleared: return EventCategory::Writes;
  case EventKind::GrowthStarted:
  case EventKind::GrowWork:
  case EventKind::EvacuateBegin:
  case EventKind::CellEvacuated:
  case EventKind::TophashStored:
  case EventKind::NevacuateLoaded:
  case EventKind::OldBucketCleared:
  case EventKind::BucketEvacuated:
  case EventKind::NevacuateAdvanced:
  case EventKind::GrowthFinished:
  case EventKind::BucketsAllocated: return EventCategory::Growth;
  case EventKind::OverflowAllocated:
  case EventKind::OverflowLinked:
  case EventKind::NoverflowIncr: return EventCategory::Overflow;
  case EventKind::IterStarted:
  case EventKind::IterBucket:
  case EventKind::IterYielded:
  case EventKind::IterSkipped:
  case EventKind::IterFinished: return EventCategory::Iteration;
  case EventKind::FlagsLoaded:
  case EventKind::FlagsChanged: return EventCategory::Flags;
  case EventKind::Panic:
  case EventKind::Fatal: return EventCategory::Errors;
  default: return EventCategory::Ops;
  }
}

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
} // namespace

bool EventLogView::filtering() const {
  if (text_[0]) return true;
  for (bool b : show)
    if (!b) return true;
  return false;
}

uint64_t EventLogView::rows(const AppState& app) const { return filtering() ? filtered_.size() : app.eventCount(); }

bool EventLogView::catchingUp(const AppState& app) const {
  return app.hasSession() && filtering() && app.position() >= 0 && static_cast<uint64_t>(app.position()) >= scanned_;
}

void EventLogView::refilter(UiContext& ui) {
  const AppState& app = ui.app;
  std::string key = text_;
  for (bool b : show) key += b ? '1' : '0';
  if (key != filterKey_ || app.sessionId() != filterSession_ || scanned_ > app.eventCount()) {
    filtered_.clear();
    scanned_ = 0;
    filterKey_ = key;
    filterSession_ = app.sessionId();
  }
  if (!filtering()) return;
  const std::string needle = lower(text_);
  const Session& s = app.session();
  const auto t0 = std::chrono::steady_clock::now();
  const uint64_t n = s.eventCount();
  while (scanned_ < n) {
    const Event& e = s.event(scanned_);
    if (show[static_cast<int>(categoryOf(e.kind))]) {
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

void EventLogView::draw(UiContext& ui) {
  AppState& app = ui.app;
  if (!app.hasSession()) return;
  static const S names[] = {S::CatOps, S::CatSearch, S::CatWrites, S::CatGrowth,
                            S::CatOverflow, S::CatIteration, S::CatFlags, S::CatErrors};
  const float right = ImGui::GetWindowContentRegionMax().x;
  for (int i = 0; i < static_cast<int>(EventCategory::kCount); i++) {
    const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(names[i])).x;
    if (i) {
      ImGui::SameLine();
      if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
    }
    ImGui::Checkbox(tr(names[i]), &show[i]);
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  ImGui::InputTextWithHint("##filter", tr(S::FilterHint), text_, sizeof text_);
  ImGui::SameLine();
  ImGui::Checkbox(tr(S::FollowCursor), &follow);
  refilter(ui);
  const bool f = filtering();
  const uint64_t total = app.eventCount();
  const uint64_t nrows = f ? filtered_.size() : total;
  ImGui::SameLine();
  if (f && scanned_ < total)
    ImGui::TextDisabled("%s", fmt::format("{} / {} ({}%)", groupDigits(nrows), groupDigits(total), scanned_ * 100 / std::max<uint64_t>(1, total)).c_str());
  else
    ImGui::TextDisabled("%s", fmt::format("{} / {}", groupDigits(nrows), groupDigits(total)).c_str());

  const Session& s = app.session();
  const int64_t pos = app.position();
  const Palette& pal = palette();
  if (ImGui::BeginTable("events", 4,
                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                            ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit)) {
    const float fs = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, fs * 4.5f);
    ImGui::TableSetupColumn(tr(S::Op), ImGuiTableColumnFlags_WidthFixed, fs * 3.0f);
    ImGui::TableSetupColumn(tr(S::Function), ImGuiTableColumnFlags_WidthFixed, fs * 7.5f);
    ImGui::TableSetupColumn(tr(S::WhatHappened), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    // Scroll to the cursor's row when the cursor moves; with a filter, once
    // the scan (a slice per frame) has reached it.
    const float rowH = ImGui::GetTextLineHeightWithSpacing() + 2;
    const bool rowKnown = !f || (pos >= 0 && static_cast<uint64_t>(pos) < scanned_);
    if (follow && pos != lastPos_ && pos >= 0 && rowKnown) {
      uint64_t r;
      if (f) r = static_cast<uint64_t>(std::lower_bound(filtered_.begin(), filtered_.end(), static_cast<uint64_t>(pos)) - filtered_.begin());
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
        const uint64_t i = f ? filtered_[static_cast<std::size_t>(r)] : static_cast<uint64_t>(r);
        const Event& e = s.event(i);
        ImGui::TableNextRow(0, rowH);
        ImGui::TableSetColumnIndex(0);
        const bool cur = static_cast<int64_t>(i) == pos;
        if (cur) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, pal.codeCurrent);
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(std::to_string(i).c_str(), cur, ImGuiSelectableFlags_SpanAllColumns)) app.seek(static_cast<int64_t>(i));
        ImGui::PopID();
        ImGui::TableSetColumnIndex(1);
        ImGui::TextDisabled("%zu", s.opOfEvent(i));
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(std::string(siteInfo(e.site).function).c_str());
        ImGui::TableSetColumnIndex(3);
        const EventCategory c = categoryOf(e.kind);
        if (c == EventCategory::Errors) colouredText(pal.error, describeEventUi(e).c_str());
        else if (e.kind == EventKind::OpBegin)
          colouredText(pal.ok, fmt::format("{}: {}", describeEventUi(e), app.opText(s.opOfEvent(i))).c_str());
        else if (c == EventCategory::Ops) colouredText(pal.ok, describeEventUi(e).c_str());
        else ImGui::TextUnformatted(describeEventUi(e).c_str());
      }
    }
    ImGui::EndTable();
  }
}

} // namespace gomap::ui
