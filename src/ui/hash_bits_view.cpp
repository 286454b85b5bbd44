#include "ui/hash_bits_view.hpp"

#include <fmt/format.h>

#include <bit>
#include <cfloat>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

void HashBitsView::draw(UiContext& ui, const Frame& f) {
  if (!f.loaded()) return;
  const Palette& pal = palette();
  const auto& hi = f.hash;
  if (!hi) {
    textWrapped(tr(S::HashNone));
    return;
  }
  const AnyMap& m = *f.map;
  uint64_t hash = hi->hash;
  bool full = !hi->evacuation;
  std::string keyLabel;
  const EventSource& s = *f.events;
  if (!hi->evacuation) {
    const std::size_t op = s.opOfEvent(static_cast<uint64_t>(hi->event));
    if (auto key = f.ctl->opKey(op)) keyLabel = keyText(*key);
  } else {
    // The key being evacuated: read it at its destination (it is there from
    // this event on) and rehash it for the full 64 bits.
    const Event& e = s.event(static_cast<uint64_t>(hi->event));
    EventMark mk[3];
    eventMarks(e, mk);
    std::vector<BmapView> chain;
    m.chain(false, mk[1].loc.bucket, chain);
    if (mk[1].loc.chain < chain.size()) {
      const KeyValue& k = chain[mk[1].loc.chain].keys[mk[1].loc.slot];
      keyLabel = keyText(k);
      const bool same = (m.header().flags & sameSizeGrow) != 0;
      uint64_t h = m.peekHash(k);
      if (!same && (h & 0xffffffffu) == hash) {
        hash = h;
        full = true;
      }
    }
  }
  const uint8_t B = hi->B;
  const uint64_t top8 = hash >> 56;
  if (hi->evacuation && (m.header().flags & sameSizeGrow)) {
    // A same-size grow hashes nothing: every key keeps its bucket index.
    ImGui::Text("%s", keyLabel.c_str());
    textWrapped(tr(S::HashSameSize));
    ImGui::Text("tophash 0x%02x %s", hi->top, tr(S::HashKeptTop));
    return;
  }

  ImGui::Text("%s", tr(S::HashOfKey));
  ImGui::SameLine();
  ImGui::PushFont(ui.fonts.mono);
  ImGui::TextUnformatted(keyLabel.c_str());
  ImGui::SameLine();
  ImGui::TextUnformatted(full ? fmt::format("= 0x{:016x}", hash).c_str()
                              : fmt::format("= 0x????????{:08x}", hash & 0xffffffffu).c_str());
  ImGui::PopFont();

  // 64 boxes, bit 63 at the top left.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float availW = ImGui::GetContentRegionAvail().x;
  const float gap = 4.0f;
  // Two rows of 32; four rows of 16 when 32 would leave the digits too small to
  // read (a large font in a narrow panel).
  const int perRow = (availW - 3 * gap) / 32.0f < ImGui::GetFontSize() * 0.75f ? 16 : 32;
  const int rows = 64 / perRow;
  const float box = std::min(ImGui::GetFontSize() * 1.25f,
                             (availW - static_cast<float>(perRow / 8 - 1) * gap) / static_cast<float>(perRow));
  const ImVec2 p = ImGui::GetCursorScreenPos();
  // The bit indices under the rows (63, 56, ...): big enough to read from the
  // back of a room (0.7 of the font was about 7 px high at 100%).
  const float idxSz = ImGui::GetFontSize() * 0.85f;
  const float rowGap = idxSz + 2.0f;
  const uint64_t newbit = hi->evacuation ? hi->newbit : 0;
  for (int row = 0; row < rows; row++) {
    for (int i = 0; i < perRow; i++) {
      const int bit = 63 - (row * perRow + i);
      const float x = p.x + static_cast<float>(i) * box + static_cast<float>(i / 8) * gap;
      const float y = p.y + static_cast<float>(row) * (box + rowGap);
      const bool known = full || bit < 32;
      const bool one = (hash >> bit) & 1;
      ImU32 fill = !known ? pal.flagOff : one ? pal.bitOne : pal.bitZero;
      bool coloured = false;
      if (known && bit >= 56) fill = pal.bitTop, coloured = true;
      if (known && bit < B && !hi->evacuation) fill = pal.bitLow, coloured = true;
      if (hi->evacuation && bit < B - 1) fill = pal.bitLow, coloured = true;
      if (newbit && (uint64_t{1} << bit) == newbit) fill = pal.bitNewbit, coloured = true;
      dl->AddRectFilled(ImVec2(x, y), ImVec2(x + box - 1, y + box - 1), fill);
      if (coloured && !one) dl->AddRectFilled(ImVec2(x + 2, y + 2), ImVec2(x + box - 3, y + box - 3), IM_COL32(0, 0, 0, 90));
      const char* digit = !known ? "?" : one ? "1" : "0";
      const float dsz = std::min(ImGui::GetFontSize(), box * 1.05f);
      ImVec2 ts = ui.fonts.mono->CalcTextSizeA(dsz, FLT_MAX, 0, digit);
      dl->AddText(ui.fonts.mono, dsz, ImVec2(x + (box - ts.x) * 0.5f - 0.5f, y + (box - ts.y) * 0.5f - 0.5f),
                  coloured ? pal.bitTextOnColour : pal.text, digit);
      if (bit % 8 == 0 || i == 0) {
        const std::string idx = std::to_string(bit);
        // Under a byte's last box, ending at its right edge (a row's first starts at its left).
        const float iw = ui.fonts.mono->CalcTextSizeA(idxSz, FLT_MAX, 0, idx.c_str()).x;
        dl->AddText(ui.fonts.mono, idxSz, ImVec2(i == 0 ? x : x + box - 1 - iw, y + box), pal.dim, idx.c_str());
      }
    }
  }
  ImGui::Dummy(ImVec2(static_cast<float>(perRow) * box + static_cast<float>(perRow / 8 - 1) * gap,
                      static_cast<float>(rows) * (box + rowGap)));

  // What the bits mean (the UI font: the only one with Chinese glyphs).
  if (!hi->evacuation) {
    const uint64_t bucket = hash & bucketMask(B);
    std::string low;
    for (int b = B - 1; b >= 0; b--) low += ((hash >> b) & 1) ? '1' : '0';
    ImGui::PushStyleColor(ImGuiCol_Text, pal.bitLow);
    ImGui::TextUnformatted(fmt::format("bucket  = hash & (2^{}-1) = {}{} = {}", B, B ? "0b" : "", B ? low : "0", bucket).c_str());
    ImGui::PopStyleColor();
    ImGui::PushStyleColor(ImGuiCol_Text, pal.bitTop);
    if (top8 < minTopHash)
      ImGui::TextUnformatted(
          fmt::format("tophash = hash >> 56 = {} < minTopHash {}: +5 = {} (0x{:02x})", top8, minTopHash, top8 + 5, top8 + 5).c_str());
    else
      ImGui::TextUnformatted(fmt::format("tophash = hash >> 56 = 0x{:02x} ({})", top8, top8).c_str());
    ImGui::PopStyleColor();
    if (m.growing() && !(m.header().flags & sameSizeGrow) && B > 0) {
      ImGui::TextDisabled("%s", fmt::format(fmt::runtime(tr(S::HashOldBucket)), hash & bucketMask(static_cast<uint8_t>(B - 1))).c_str());
    }
  } else {
    const bool same = (m.header().flags & sameSizeGrow) != 0;
    if (same) {
      textWrapped(tr(S::HashSameSize));
    } else {
      const int nb = std::countr_zero(newbit);
      ImGui::PushStyleColor(ImGuiCol_Text, pal.bitNewbit);
      ImGui::TextUnformatted(fmt::format("hash & newbit (bit {}) = {}  ->  {}", nb, hi->useY ? 1 : 0,
                                         hi->useY ? "Y" : "X")
                                 .c_str());
      ImGui::PopStyleColor();
      ImGui::TextUnformatted(fmt::format("tophash 0x{:02x} {}", hi->top, tr(S::HashKeptTop)).c_str());
    }
  }
}

} // namespace gomap::ui
