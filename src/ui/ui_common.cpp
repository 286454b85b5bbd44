#include "ui/ui_common.hpp"

#include <fmt/format.h>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

std::string bytesText(uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(n) / 1024.0);
  if (n < uint64_t{1} << 30) return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1024.0 * 1024.0));
  return fmt::format("{:.2f} GiB", static_cast<double>(n) / (1024.0 * 1024.0 * 1024.0));
}

std::string groupDigits(uint64_t n) {
  std::string s = std::to_string(n), out;
  int c = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (c && c % 3 == 0) out.push_back(',');
    out.push_back(*it);
    c++;
  }
  return std::string(out.rbegin(), out.rend());
}

const char* cellStateName(uint8_t th) {
  switch (th) {
  case emptyRest: return "emptyRest";
  case emptyOne: return "emptyOne";
  case evacuatedX: return "evacuatedX";
  case evacuatedY: return "evacuatedY";
  case evacuatedEmpty: return "evacuatedEmpty";
  default: return "live";
  }
}

void helpMarker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void colouredText(ImU32 colour, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

std::string shortKey(const KeyValue& k, std::size_t maxChars) {
  std::string s = keyText(k);
  if (s.size() > maxChars && maxChars >= 2) s = s.substr(0, maxChars - 1) + "\xe2\x80\xa6";
  return s;
}

int eventMarks(const Event& e, EventMark out[3]) {
  Loc l = e.loc();
  switch (e.kind) {
  case EventKind::TophashCompared:
  case EventKind::KeyCompared:
  case EventKind::SlotChosen:
  case EventKind::CellWritten:
  case EventKind::KeyStored:
  case EventKind::TophashStored:
  case EventKind::KeyUpdated:
  case EventKind::ElemWritten:
  case EventKind::ElemRead:
  case EventKind::CellDeleted:
  case EventKind::EmptyRestMarked:
  case EventKind::IterYielded:
  case EventKind::IterSkipped: out[0] = {l, EventMark::Cell, false}; return 1;
  case EventKind::BucketSelected:
  case EventKind::IterBucket:
  case EventKind::OverflowAllocated:
  case EventKind::OverflowLinked: out[0] = {l, EventMark::Bmap, false}; return 1;
  case EventKind::CellEvacuated: {
    const uint64_t useY = (e.c >> 3) & 1;
    const uint64_t newbit = uint64_t{1} << ((e.c >> 24) & 0x3f);
    out[0] = {l, EventMark::Cell, false};
    Loc d{false, static_cast<uint32_t>(l.bucket + (useY ? newbit : 0)), static_cast<uint16_t>((e.c >> 4) & 0xfff),
          static_cast<uint8_t>(e.c & 7)};
    out[1] = {d, EventMark::Cell, true};
    return 2;
  }
  case EventKind::GrowWork:
    out[0] = {Loc{true, static_cast<uint32_t>(e.c), 0, 0}, EventMark::Bucket, false};
    out[1] = {Loc{false, e.b, 0, 0}, EventMark::Bucket, true};
    return 2;
  case EventKind::EvacuateBegin:
  case EventKind::OldBucketCleared:
  case EventKind::BucketEvacuated: out[0] = {Loc{true, e.b, 0, 0}, EventMark::Bucket, false}; return 1;
  case EventKind::NevacuateAdvanced: out[0] = {Loc{true, static_cast<uint32_t>(e.c), 0, 0}, EventMark::Bucket, false}; return 1;
  default: return 0;
  }
}

} // namespace gomap::ui
