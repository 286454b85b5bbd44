#include "ui/frame.hpp"
#include "ui/theme.hpp"

#include <bit>

namespace gomap::ui {

std::optional<HashInfo> hashAt(const EventSource& s, int64_t pos) {
  if (pos < 0 || static_cast<uint64_t>(pos) >= s.eventCount()) return std::nullopt;
  const std::size_t k = s.opOfEvent(static_cast<uint64_t>(pos));
  const int64_t first = static_cast<int64_t>(s.firstEventOfOp(k));
  const bool all = s.opsContiguous();
  auto mine = [&](int64_t i) { return all || s.opOfEvent(static_cast<uint64_t>(i)) == k; };
  // Inside evacuate, the hash that matters is the one of the cell being moved
  // (X or Y); anywhere else it is the op's own key's.
  const CallStack st = stackAt(s, pos);
  bool inEvacuate = false;
  for (std::string_view f : st.frames) inEvacuate |= f == "evacuate";
  for (int64_t i = pos; i >= first; i--) {
    if (!mine(i)) continue;
    const Event& e = s.event(static_cast<uint64_t>(i));
    if (inEvacuate && e.kind == EventKind::EvacuateBegin) break;
    if (!inEvacuate && e.kind == EventKind::HashComputed) {
      const auto p = payloadOf<EventKind::HashComputed>(e);
      HashInfo h;
      h.hash = p.hash;
      h.B = p.B;
      h.top = p.top;
      h.event = i;
      return h;
    }
    if (inEvacuate && e.kind == EventKind::CellEvacuated) {
      const auto p = payloadOf<EventKind::CellEvacuated>(e);
      HashInfo h;
      h.evacuation = true;
      h.hash = p.hashLow;
      h.top = p.top;
      h.newbit = p.newbit();
      h.useY = p.useY;
      h.B = static_cast<uint8_t>(std::countr_zero(h.newbit) + 1);
      h.event = i;
      return h;
    }
  }
  return std::nullopt;
}

ImU32 goroutineColour(int g) {
  // Distinct in hue and in lightness (readable on the dark and the light theme);
  // views also print "G1", "G2", ... beside every mark, so colour is never the only cue.
  static const ImU32 kColours[] = {IM_COL32(60, 140, 255, 255),  IM_COL32(255, 130, 40, 255),
                                   IM_COL32(60, 190, 90, 255),   IM_COL32(210, 90, 210, 255),
                                   IM_COL32(220, 190, 40, 255),  IM_COL32(40, 200, 200, 255),
                                   IM_COL32(240, 90, 90, 255),   IM_COL32(160, 160, 160, 255)};
  // The theme's colours (Okabe-Ito on the projector theme) once one is applied.
  if (const ImU32 c = palette().goroutine[static_cast<unsigned>(g - 1) % 8]) return c;
  return kColours[static_cast<unsigned>(g - 1) % 8];
}

} // namespace gomap::ui
