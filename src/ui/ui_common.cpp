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
  using K = EventKind;
  switch (e.kind) {
  case K::CellEvacuated: {
    const auto p = payloadOf<K::CellEvacuated>(e);
    out[0] = {p.src, EventMark::Cell, false};
    out[1] = {p.dst(), EventMark::Cell, true};
    return 2;
  }
  case K::GrowWork: {
    const auto p = payloadOf<K::GrowWork>(e);
    out[0] = {Loc{true, static_cast<uint32_t>(p.oldbucket), 0, 0}, EventMark::Bucket, false};
    out[1] = {Loc{false, p.bucket, 0, 0}, EventMark::Bucket, true};
    return 2;
  }
  case K::EvacuateBegin:
    out[0] = {Loc{true, payloadOf<K::EvacuateBegin>(e).oldbucket, 0, 0}, EventMark::Bucket, false};
    return 1;
  case K::OldBucketCleared:
    out[0] = {Loc{true, payloadOf<K::OldBucketCleared>(e).oldbucket, 0, 0}, EventMark::Bucket, false};
    return 1;
  case K::BucketEvacuated:
    out[0] = {Loc{true, payloadOf<K::BucketEvacuated>(e).oldbucket, 0, 0}, EventMark::Bucket, false};
    return 1;
  case K::NevacuateAdvanced:
    out[0] = {Loc{true, static_cast<uint32_t>(payloadOf<K::NevacuateAdvanced>(e).from), 0, 0}, EventMark::Bucket, false};
    return 1;
  default: break;
  }
  // Every other kind that names a cell or a bmap marks it (kKindTable's cell column).
  switch (kindInfo(e.kind).cell) {
  case CellRef::Cell: out[0] = {e.loc(), EventMark::Cell, false}; return 1;
  case CellRef::Bmap: out[0] = {e.loc(), EventMark::Bmap, false}; return 1;
  case CellRef::None: break;
  }
  return 0;
}

} // namespace gomap::ui
