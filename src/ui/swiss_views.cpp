#include "ui/swiss_views.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "trace/asset_paths.hpp"

namespace gomap::ui {

using namespace gomap::swiss;

namespace {

std::string F(S s, auto&&... args) { return fmt::format(fmt::runtime(tr(s)), std::forward<decltype(args)>(args)...); }

// "table 2", "the small group", "the new table".
std::string whereTable(uint16_t t, const SwissFrame& f) {
  if (t == SwissLoc::kSmall) return tr(S::SwInTableSmall);
  if (t == SwissLoc::kNew || t == SwissLoc::kNewRight) return tr(S::SwInNewTable);
  const int pos = tablePosOf(f, t);
  return F(S::SwInTable, pos >= 0 ? pos : t);
}

const char* outcomeText(Outcome o) {
  switch (o) {
  case Outcome::Ok: return "ok";
  case Outcome::Panic: return "panic";
  case Outcome::Fatal: return "fatal";
  }
  return "?";
}

const char* opName(SwissOp op) {
  switch (op) {
  case SwissOp::Make: return "make";
  case SwissOp::Put: return "m[k] = v";
  case SwissOp::Get: return "v, ok := m[k]";
  case SwissOp::Del: return "delete(m, k)";
  case SwissOp::Clear: return "clear(m)";
  case SwissOp::Iter: return "for k, v := range m";
  }
  return "?";
}

std::string slotList(uint8_t bits) {
  std::string s;
  for (int i = 0; i < 8; i++)
    if (bits & (1u << i)) fmt::format_to(std::back_inserter(s), "{}{}", s.empty() ? "" : ",", i);
  return s.empty() ? std::string("-") : fmt::format("{{{}}}", s);
}

// Colours by control byte: empty / tombstone / full (the classic palette's
// emptyRest, emptyOne and live classes).
int ctrlClass(uint8_t c) { return c == ctrlEmpty ? 0 : c == ctrlDeleted ? 1 : 5; }

} // namespace

std::string swissCtrlText(uint8_t c) {
  if (c == ctrlEmpty) return "E";
  if (c == ctrlDeleted) return "D";
  return fmt::format("{:02x}", c);
}

std::string swissEventText(const SwissEvent& e, const SwissFrame& f) {
  using K = SwissKind;
  const SwissLoc l = swissLocOfEvent(e);
  switch (e.kind) {
  case K::OpBegin: return F(S::SwEvOpBegin, opName(swissPayloadOf<K::OpBegin>(e).op));
  case K::OpEnd: return F(S::SwEvOpEnd, outcomeText(swissPayloadOf<K::OpEnd>(e).outcome));
  case K::Hashed: {
    auto p = swissPayloadOf<K::Hashed>(e);
    return p.small ? F(S::SwEvHashedSmall, p.hash, p.h2()) : F(S::SwEvHashed, p.hash, p.h1(), p.h2(), p.dirIndex());
  }
  case K::GroupProbed: {
    auto p = swissPayloadOf<K::GroupProbed>(e);
    return F(S::SwEvGroupProbed, p.probe, p.group.group, whereTable(p.group.table, f), slotList(p.match()),
             slotList(p.empty()), slotList(p.deleted()));
  }
  case K::KeyCompared:
    return F(S::SwEvKeyCompared, l.slot, l.group,
             tr(swissPayloadOf<K::KeyCompared>(e).equal ? S::SwEqual : S::SwNotEqual));
  case K::SlotChosen: {
    auto why = swissPayloadOf<K::SlotChosen>(e).why;
    return F(why == SwissChoice::Empty       ? S::SwEvSlotChosenEmpty
             : why == SwissChoice::Tombstone ? S::SwEvSlotChosenTomb
                                             : S::SwEvSlotChosenExisting,
             l.slot, l.group);
  }
  case K::SlotWritten: return F(S::SwEvSlotWritten, l.slot, l.group, swissPayloadOf<K::SlotWritten>(e).h2);
  case K::KeyUpdated: return F(S::SwEvKeyUpdated, l.slot, l.group);
  case K::ElemWritten: return F(S::SwEvElemWritten, swissPayloadOf<K::ElemWritten>(e).value, l.slot, l.group);
  case K::ElemRead: return F(S::SwEvElemRead, l.slot, l.group, swissPayloadOf<K::ElemRead>(e).value);
  case K::UsedChanged: {
    auto p = swissPayloadOf<K::UsedChanged>(e);
    // A small map has no table: its used and growthLeft would read 0.
    if (e.site == SwissSite::SmallUsed || e.site == SwissSite::DeleteSmallUsed) return F(S::SwEvUsedChangedSmall, p.used);
    return F(S::SwEvUsedChanged, p.used, p.tableUsed, p.growthLeft);
  }
  case K::SlotDeleted:
    return F(swissPayloadOf<K::SlotDeleted>(e).tombstone ? S::SwEvSlotDeletedTomb : S::SwEvSlotDeletedEmpty, l.slot,
             l.group);
  case K::GroupAllocated: return F(S::SwEvGroupAllocated, swissPayloadOf<K::GroupAllocated>(e).bytes);
  case K::TableAllocated: {
    auto p = swissPayloadOf<K::TableAllocated>(e);
    return F(S::SwEvTableAllocated, p.capacity, p.localDepth, p.bytes);
  }
  case K::ConvertStarted: return F(S::SwEvConvert, swissPayloadOf<K::ConvertStarted>(e).full);
  case K::RehashStarted: {
    auto p = swissPayloadOf<K::RehashStarted>(e);
    return p.split ? F(S::SwEvRehashSplit, whereTable(p.table, f), p.capacity, p.newCapacity)
                   : F(S::SwEvRehashGrow, whereTable(p.table, f), p.capacity, p.newCapacity);
  }
  case K::SlotMoved: {
    auto p = swissPayloadOf<K::SlotMoved>(e);
    const bool split = e.site != SwissSite::ConvertMove && (p.right || l.table != SwissLoc::kSmall);
    std::string side;
    if (split && p.right) side = tr(S::SwEvRight);
    return F(S::SwEvSlotMoved, p.from.slot, p.from.group, p.toGroup, p.toSlot, side);
  }
  case K::TableInstalled: {
    auto p = swissPayloadOf<K::TableInstalled>(e);
    return F(S::SwEvTableInstalled, p.index, p.localDepth, p.entries);
  }
  case K::DirDoubled: {
    auto p = swissPayloadOf<K::DirDoubled>(e);
    return F(S::SwEvDirDoubled, p.dirLen, p.globalDepth);
  }
  case K::PruneStarted: {
    auto p = swissPayloadOf<K::PruneStarted>(e);
    return F(S::SwEvPruneStarted, p.tombstones, p.capacity);
  }
  case K::PruneGroup: return F(S::SwEvPruneGroup, l.group, swissPayloadOf<K::PruneGroup>(e).freed);
  case K::PruneEnded: {
    auto p = swissPayloadOf<K::PruneEnded>(e);
    if (p.how == PruneEnd::FewTombstones) return tr(S::SwEvPruneEndFew);
    if (p.how == PruneEnd::TooFewFreeable) return F(S::SwEvPruneEndTooFew, p.freeable);
    return F(S::SwEvPruneEndPruned, p.freeable, p.growthLeft);
  }
  case K::WritingChanged: {
    auto p = swissPayloadOf<K::WritingChanged>(e);
    return F(S::SwEvWriting, p.from(), p.to);
  }
  case K::SeedChanged: {
    auto p = swissPayloadOf<K::SeedChanged>(e);
    return F(p.why == SeedWhy::Make ? S::SwEvSeedMake : p.why == SeedWhy::DeleteToEmpty ? S::SwEvSeedDelete : S::SwEvSeedClear,
             p.seed);
  }
  case K::Cleared: {
    auto p = swissPayloadOf<K::Cleared>(e);
    return F(S::SwEvCleared, p.zeroed, p.fullTest ? tr(S::SwEvClearedFull) : "");
  }
  case K::IterStarted: {
    auto p = swissPayloadOf<K::IterStarted>(e);
    return F(S::SwEvIterStarted, p.entryOffset, p.dirOffset);
  }
  case K::IterTable: {
    auto p = swissPayloadOf<K::IterTable>(e);
    // The string says "table {}": the table's number only ("table table 1" otherwise).
    const int pos = tablePosOf(f, p.table);
    return F(S::SwEvIterTable, p.dirIdx, pos >= 0 ? pos : p.table);
  }
  case K::IterYielded: return F(S::SwEvIterYielded, l.slot, l.group, swissPayloadOf<K::IterYielded>(e).value);
  case K::IterFinished: return F(S::SwEvIterFinished, swissPayloadOf<K::IterFinished>(e).yielded);
  case K::Panic: return F(S::SwEvPanic, messageText(swissPayloadOf<K::Panic>(e).message));
  case K::Fatal: return F(S::SwEvFatal, messageText(swissPayloadOf<K::Fatal>(e).message));
  case K::kCount: break;
  }
  return std::string(swissKindInfo(e.kind).name);
}

// ---- header ---------------------------------------------------------------------------------
void SwissHeaderView::draw(UiContext&, const Frame& fr) {
  fields.clear();
  shape.clear();
  loadRight = 0;
  panelRight = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const SwissFrame* f = fr.swiss;
  if (!f || !f->loaded()) return;
  const Palette& pal = palette();
  ImGui::TextDisabled("%s", F(S::SwVersion, f->go127 ? "go1.27" : "go1.26", keyKindName(f->kind)).c_str());
  if (!f->map) {
    textWrapped(tr(S::SwNotMade));
    return;
  }
  const AnySwiss& m = *f->map;
  if (m.isNil()) {
    ImGui::TextUnformatted(tr(S::SwNilMap));
    return;
  }
  const Header& h = m.header();
  auto row = [&](S name, std::string value, bool on = true) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(tr(name));
    ImGui::TableNextColumn();
    std::string shown = value;
    // A 64-bit hex value wider than what is left of the panel (a projector's
    // large font in the narrow left column): its 16 digits on two lines of 8.
    const float room = ImGui::GetWindowContentRegionMax().x - ImGui::GetCursorPosX();
    if (value.size() == 18 && value.compare(0, 2, "0x") == 0 && ImGui::CalcTextSize(value.c_str()).x > room)
      shown = value.substr(0, 10) + "\n  " + value.substr(10);
    if (on) ImGui::TextUnformatted(shown.c_str());
    else colouredText(pal.dim, shown.c_str());
    fields.emplace_back(tr(name), value);
  };
  if (ImGui::BeginTable("##swhdr", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
    row(S::SwFieldUsed, std::to_string(h.used));
    row(S::SwFieldSeed, fmt::format("0x{:016x}", h.seed));
    row(S::SwFieldDirLen, std::to_string(h.dirLen));
    row(S::SwFieldGlobalDepth, std::to_string(h.globalDepth));
    row(S::SwFieldWriting, std::to_string(h.writing), h.writing != 0);
    row(S::SwFieldTombstonePossible, h.tombstonePossible ? "true" : "false", h.tombstonePossible);
    row(S::SwFieldClearSeq, std::to_string(h.clearSeq));
    ImGui::EndTable();
  }
  ImGui::Separator();
  if (m.hasSmallGroup() || h.dirLen == 0) {
    // No group at all before the first insert (make with a small hint, or a clear of such a map).
    shape = tr(m.hasSmallGroup() ? S::SwSmallMap : S::SwNoGroupYet);
    textWrapped(shape);
    return;
  }
  ImGui::TextUnformatted(F(h.dirLen == 1 ? S::SwDirectoryOne : S::SwDirectory, h.dirLen, h.globalDepth).c_str());
  // Entries pointing at one table are consecutive (1 << (globalDepth - localDepth) of them).
  const std::size_t n = f->dir.size();
  int shownRuns = 0;
  for (std::size_t i = 0; i < n && shownRuns < 64;) {
    std::size_t j = i;
    while (j + 1 < n && f->dir[j + 1] == f->dir[i]) j++;
    const TableInfo& t = f->tables[f->dir[i]];
    const std::string s = i == j ? F(S::SwDirEntry, i, f->dir[i], t.localDepth, t.index)
                                 : F(S::SwDirEntries, i, j, f->dir[i], t.localDepth, t.index);
    ImGui::BulletText("%s", s.c_str());
    shownRuns++;
    i = j + 1;
  }
  if (shownRuns >= 64) ImGui::TextDisabled("...");
  ImGui::Separator();
  ImGui::TextUnformatted(tr(S::SwTables));
  ImGui::SameLine();
  helpMarker(tr(S::SwLoadHelp));
  const float fs = ImGui::GetFontSize();
  if (ImGui::BeginTable("##swtables", 6,
                        ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingFixedFit,
                        ImVec2(0, std::max(fs * 6, ImGui::GetContentRegionAvail().y)))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    // Short headers (the full names in their tooltips): the six columns must
    // fit the narrow left panel, load included, in both languages and on a projector.
    const std::pair<S, S> cols[] = {{S::SwColTableShort, S::SwColTable},
                                    {S::SwColCapacityShort, S::SwColCapacity},
                                    {S::SwColUsed, S::SwColUsed},
                                    {S::SwColGrowthLeftShort, S::SwColGrowthLeft},
                                    {S::SwColTombstonesShort, S::SwColTombstones},
                                    {S::SwColLoad, S::SwLoadHelp}};
    for (const auto& [shortName, full] : cols)
      ImGui::TableSetupColumn(tr(shortName), full == S::SwLoadHelp ? ImGuiTableColumnFlags_WidthStretch : 0);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < 6; c++) {
      ImGui::TableSetColumnIndex(c);
      ImGui::TableHeader(tr(cols[c].first));
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(fs * 24);
        ImGui::TextUnformatted(tr(cols[c].second));
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(f->tables.size()));
    while (clip.Step()) {
      for (int r = clip.DisplayStart; r < clip.DisplayEnd; r++) {
        const TableInfo& t = f->tables[static_cast<std::size_t>(r)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d", r);
        ImGui::TableNextColumn();
        ImGui::Text("%u", t.capacity);
        ImGui::TableNextColumn();
        ImGui::Text("%u", t.used);
        ImGui::TableNextColumn();
        ImGui::Text("%u", t.growthLeft);
        ImGui::TableNextColumn();
        ImGui::Text("%u", t.tombstones());
        ImGui::TableNextColumn();
        const float load = t.capacity ? static_cast<float>(t.used) / t.capacity : 0.0f;
        // One decimal: a table at exactly 7/8 reads 87.5%, as the mark does
        // (against the 87.5% mark when there is room, the mark alone if not).
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float w = std::max(fs * 3, ImGui::GetContentRegionAvail().x);
        std::string txt = fmt::format("{:.1f}% / 87.5%", load * 100);
        if (ImGui::CalcTextSize(txt.c_str()).x > w - ImGui::GetStyle().FramePadding.x * 2)
          txt = fmt::format("{:.1f}%", load * 100);
        ImGui::ProgressBar(load, ImVec2(w, 0), txt.c_str());
        // The 7/8 mark.
        ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x + w * 0.875f, p.y), ImVec2(p.x + w * 0.875f, p.y + ImGui::GetFrameHeight()),
                                            pal.plotThreshold, 2.0f);
        if (r == 0 || r + 1 == static_cast<int>(f->tables.size()))
          fields.emplace_back(fmt::format("table {}", r),
                              fmt::format("cap {} used {} growthLeft {} tombstones {}", t.capacity, t.used,
                                          t.growthLeft, t.tombstones()));
        if (r == 0 || r + 1 == static_cast<int>(f->tables.size())) {
          fields.emplace_back(fmt::format("table {} load", r), txt);
          loadRight = std::max(loadRight, p.x + w); // the load column is on screen (tests)
        }
      }
    }
    ImGui::EndTable();
  }
}

// ---- groups ---------------------------------------------------------------------------------
namespace {
// Rows of a table being built (SwissFrame::building): below every table
// position, the small group (-1) and nothing (-2).
constexpr int kRowNew = -3, kRowNewRight = -4;
int buildingRow(bool right) { return right ? kRowNewRight : kRowNew; }
bool isBuildingRow(int table) { return table == kRowNew || table == kRowNewRight; }

// The slot or group the current event names, as (table position, group, slot);
// slot -1: the whole group.
struct Mark {
  int table = -2; // -2: nothing; -1: the small group; kRowNew, kRowNewRight
  uint64_t group = 0;
  int slot = -1;
};
// Where a moved slot lands (SlotMoved): in a table being built.
Mark destinationOf(const SwissFrame& f) {
  Mark m;
  if (!f.current || f.current->kind != SwissKind::SlotMoved) return m;
  const auto p = swissPayloadOf<SwissKind::SlotMoved>(*f.current);
  if (!f.building[p.right ? 1 : 0]) return m;
  m.table = buildingRow(p.right);
  m.group = p.toGroup;
  m.slot = p.toSlot;
  return m;
}
Mark markOf(const SwissFrame& f) {
  // The current event's slot, or the op's last located one (fillSwissMark).
  Mark m;
  m.table = f.markTable;
  m.group = f.markGroup;
  m.slot = f.markSlot;
  return m;
}
} // namespace

void SwissGroupsView::drawOverview(UiContext& ui, const SwissFrame& s, float height) {
  const AnySwiss& m = *s.map;
  uint64_t groups = 0;
  for (const TableInfo& t : s.tables) groups += t.groups;
  // About twice as wide as tall in texels (8 per group): the panel is wide.
  int bpr = 1;
  while (static_cast<uint64_t>(bpr) * bpr * 4 < groups) bpr *= 2;
  if (texRevision_ != s.revision + (s.sessionId << 40) || tex_.buckets() != groups) {
    texRevision_ = s.revision + (s.sessionId << 40);
    if (tex_.buckets() != groups || tex_.bucketsPerRow() != bpr) tex_.resize(groups, bpr);
    uint8_t th[8];
    m.allCtrlWords(ctrl_);
    {
      for (uint64_t b = 0; b < std::min<uint64_t>(groups, ctrl_.size()); b++) {
        const uint64_t w = ctrl_[b];
        for (unsigned i = 0; i < 8; i++) {
          const uint8_t c = static_cast<uint8_t>(w >> (8 * i));
          th[i] = c == ctrlEmpty ? 0 : c == ctrlDeleted ? 1 : static_cast<uint8_t>(5 + c);
        }
        const uint8_t* old = tex_.texel(b, 0);
        bool same = true;
        for (int i = 0; i < 8 && same; i++) same = old[i * 2] == th[i];
        if (!same) tex_.setBucket(b, th, 0);
      }
    }
    tex_.upload();
  }
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float availW = ImGui::GetContentRegionAvail().x;
  const float px = std::min(availW / static_cast<float>(tex_.width()), height / static_cast<float>(std::max(1, tex_.height())));
  const ImVec2 p1(p0.x + px * static_cast<float>(tex_.width()), p0.y + px * static_cast<float>(tex_.height()));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (ui.gl && tex_.id())
    ui.gl->addDraw(dl, tex_, p0, p1, ImVec4(0, 0, static_cast<float>(tex_.width()), static_cast<float>(tex_.height())), px,
                   false);
  // The current group, framed.
  const Mark mk = markOf(s);
  if (mk.table >= 0) {
    uint64_t b = 0;
    for (int t = 0; t < mk.table; t++) b += s.tables[static_cast<std::size_t>(t)].groups;
    b += mk.group;
    const float x = p0.x + px * static_cast<float>((b % static_cast<uint64_t>(bpr)) * 8);
    const float y = p0.y + px * static_cast<float>(b / static_cast<uint64_t>(bpr));
    const float r = std::max(4.0f, px * 4);
    dl->AddRect(ImVec2(x - r, y - r), ImVec2(x + px * 8 + r, y + px + r), palette().highlight, 0, 0,
                palette().highlightThickness);
  }
  ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
}

// A race: each goroutine on this group, outlined in its colour around the slot
// it last touched (or the whole group), with a "Gn" tag in the slot's top
// right corner. Goroutines on one slot get nested outlines and tags side by side.
void SwissGroupsView::drawGoroutineOutlines(UiContext& ui, const SwissFrame& f, int table, uint64_t group,
                                            ImVec2 origin, float cellW, float cellH, int perRow, float gap) {
  if (f.goroutines.empty()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  int onSlot[9] = {};
  const int lines = 8 / perRow;
  for (const SwissGoroutineMark& gm : f.goroutines) {
    if (gm.replaced || gm.table < -1 || gm.table != table || gm.group != group) continue;
    const int idx = gm.slot < 0 ? 8 : gm.slot;
    const int nth = onSlot[idx]++;
    // A whole-group outline goes outside every slot's (so that a goroutine
    // on the group never covers one on its first or last slot), and its tag
    // sits at the group's left end, where no slot tag is (a slot's tag is at
    // its right end).
    const float pad = (gm.slot < 0 ? 6.0f : 2.0f) + 3.5f * static_cast<float>(nth);
    const float x0 = origin.x + (gm.slot < 0 ? 0 : static_cast<float>(gm.slot % perRow) * cellW);
    const float x1 = gm.slot < 0 ? origin.x + static_cast<float>(perRow) * cellW - 2 : x0 + cellW - 2;
    const float y0 = origin.y + (gm.slot < 0 ? 0 : static_cast<float>(gm.slot / perRow) * (cellH + gap));
    const float y1 = gm.slot < 0 ? origin.y + static_cast<float>(lines) * (cellH + gap) - gap : y0 + cellH;
    const ImVec2 a(x0 - pad, y0 - pad), z(x1 + pad, y1 + pad);
    dl->AddRect(a, z, gm.colour, 2.0f, 0, 3.0f);
    const std::string tag = F(S::SwRaceTag, gm.g);
    ImFont* font = ui.fonts.mono ? ui.fonts.mono : ImGui::GetFont();
    const float tagFs = fs * 0.8f;
    const ImVec2 ts = font->CalcTextSizeA(tagFs, FLT_MAX, 0, tag.c_str());
    const float tw = ts.x + fs * 0.3f, th = ts.y + 2;
    const ImVec2 t0(gm.slot < 0 ? x0 + tw * static_cast<float>(nth) : x1 - tw * static_cast<float>(nth + 1), y0 + 1);
    dl->AddRectFilled(t0, ImVec2(t0.x + tw, t0.y + th), gm.colour, 3.0f);
    dl->AddText(font, tagFs, ImVec2(t0.x + fs * 0.15f, t0.y + 1), IM_COL32(0, 0, 0, 255), tag.c_str());
    outlines.push_back({gm.g, table, group, gm.slot, a, z});
  }
}

void SwissGroupsView::draw(UiContext& ui, const Frame& fr) {
  cells.clear();
  outlines.clear();
  replacedShown.clear();
  probeBadges = 0;
  overview = false;
  const SwissFrame* fp = fr.swiss;
  if (!fp || !fp->loaded()) return;
  const SwissFrame& f = *fp;
  const Palette& pal = palette();
  const float fs = ImGui::GetFontSize();

  // The caption: the op, then what the current event did.
  if (f.current) {
    caption = F(S::SwOpHeader, f.currentOp ? *f.currentOp : 0, f.opText);
    // In a range loop with a body: which pair, and which body op is running.
    if (f.loopBody && f.loopPair > 0)
      caption += "  —  " + (f.bodyText.empty() ? F(S::SwLoopPair, f.loopPair) : F(S::SwLoopBody, f.loopPair, f.bodyText));
    caption += "  —  " + swissEventText(*f.current, f);
    // make writes the script's SEED over the drawn seed as it returns: the
    // header changes here with no event of the runtime's to say so.
    if (f.position == f.scriptSeedEvent) caption += "  " + F(S::SwScriptSeed, f.scriptSeed);
  } else {
    caption = tr(S::SwBeforeFirst);
  }
  if (f.currentG > 0) { // a race: whose event it is, in its colour
    const std::string tag = F(S::SwRaceTag, f.currentG);
    colouredText(goroutineColour(f.currentG), tag.c_str());
    ImGui::SameLine();
    textWrapped(caption);
    caption = tag + "  " + caption;
  } else {
    textWrapped(caption);
  }
  // The site and the legend wrap too: a projector's large font must not cut
  // the file and line (or the legend) at the panel's edge.
  // On a narrow panel the file loses its directory (internal/runtime/maps/,
  // the same for every site) and the legend moves into a (?) marker, so that
  // the groups keep the height.
  const float room = ImGui::GetContentRegionAvail().x;
  const bool legendFits = ImGui::CalcTextSize(tr(S::SwLegend)).x <= room;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushTextWrapPos(0);
  if (f.current) {
    const auto& si = swissSiteInfo(f.current->site, f.kind);
    const std::string_view file = swissFileName(si.file);
    const int line = swissSiteLine(f.current->site, f.kind, f.go127);
    std::string site = fmt::format("{}  {}:{}", si.function, file, line);
    if (ImGui::CalcTextSize(site.c_str()).x > room - (legendFits ? 0 : fs * 2))
      site = fmt::format("{}  {}:{}", si.function, file.substr(file.rfind('/') + 1), line);
    ImGui::TextUnformatted(site.c_str());
  }
  if (legendFits) ImGui::TextUnformatted(tr(S::SwLegend));
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  if (!legendFits) helpMarker(tr(S::SwLegend)); // on the site's line
  ImGui::Separator();
  if (!f.map) {
    textWrapped(tr(S::SwNotMade));
    return;
  }
  if (f.map->isNil()) {
    ImGui::TextUnformatted(tr(S::SwNilMap));
    return;
  }
  const AnySwiss& m = *f.map;
  const Mark mk = markOf(f);
  const Mark dest = destinationOf(f);
  // A race: goroutines whose table was replaced under them (drawn nowhere).
  for (const SwissGoroutineMark& gm : f.goroutines) {
    if (!gm.replaced) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, gm.colour);
    textWrapped(F(gm.replacedSmall ? S::SwRaceReplacedSmall : S::SwRaceReplaced, gm.g, gm.replacedBy));
    ImGui::PopStyleColor();
    replacedShown.push_back(gm.g);
  }

  // Rows: a title per table, then its groups.
  struct Row {
    int table; // -1 small
    int64_t group; // -1: the title
  };
  std::vector<Row> rows;
  uint64_t focusRow = 0;
  bool haveFocus = false;
  const bool big = f.slots >= kOverviewSlots;
  if (m.hasSmallGroup()) {
    rows.push_back({-1, -1});
    rows.push_back({-1, 0});
    if (mk.table == -1) focusRow = 1, haveFocus = true;
  } else if (f.tables.empty()) {
    textWrapped(tr(S::SwNoGroupYet)); // before the first insert: no group, no table
  } else if (!big) {
    for (std::size_t t = 0; t < f.tables.size(); t++) {
      rows.push_back({static_cast<int>(t), -1});
      for (uint64_t g = 0; g < f.tables[t].groups; g++) {
        if (mk.table == static_cast<int>(t) && mk.group == g) focusRow = rows.size(), haveFocus = true;
        rows.push_back({static_cast<int>(t), static_cast<int64_t>(g)});
      }
    }
  } else {
    overview = true;
    ImGui::TextDisabled("%s", F(S::SwOverviewBecause, groupDigits(f.slots)).c_str());
    drawOverview(ui, f, std::max(fs * 6, ImGui::GetContentRegionAvail().y * 0.6f));
    // The current event's table around its group (or the first table).
    const int t = mk.table >= 0 ? mk.table : 0;
    const uint64_t g0 = mk.table >= 0 ? (mk.group >= 3 ? mk.group - 3 : 0) : 0;
    rows.push_back({t, -1});
    for (uint64_t g = g0; g < std::min<uint64_t>(g0 + 8, f.tables[static_cast<std::size_t>(t)].groups); g++) {
      if (mk.table == t && mk.group == g) focusRow = rows.size(), haveFocus = true;
      rows.push_back({t, static_cast<int64_t>(g)});
    }
  }
  // The tables a rehash is filling, after the map's own: all their groups,
  // or on a big map the ones around the slot just moved in. A move's
  // landing place is where the view follows (its source is marked too).
  for (int right = 0; right < 2; right++) {
    if (!f.building[right]) continue;
    const int t = buildingRow(right != 0);
    const uint64_t groups = f.building[right]->groups;
    uint64_t g0 = 0, g1 = groups;
    if (big) {
      g0 = dest.table == t && dest.group >= 3 ? dest.group - 3 : 0;
      g1 = std::min<uint64_t>(g0 + 8, groups);
    }
    rows.push_back({t, -1});
    for (uint64_t g = g0; g < g1; g++) {
      if (dest.table == t && dest.group == g) focusRow = rows.size(), haveFocus = true;
      rows.push_back({t, static_cast<int64_t>(g)});
    }
  }

  // Probe numbers by (table, group) for the current op.
  std::map<std::pair<int, uint64_t>, std::vector<uint16_t>> probed;
  for (const auto& p : f.probes) {
    int t = p.group.table == SwissLoc::kSmall ? -1 : tablePosOf(f, p.group.table);
    if (t < -1) continue;
    probed[{t, t == -1 ? 0 : p.group.group}].push_back(p.probe);
  }

  // Eight cells across the panel, never narrower than "ffff", as wide as the
  // widest key or elem drawn (7 characters at least, when there is room).
  // Keys that would be cut in eight, or eight cells that do not fit (a
  // projector's large font, a narrow panel): two rows of four wider cells;
  // cut with an ellipsis only if even four do not fit. Room for the probe
  // badges always: the cells must not jump sideways when a step enters or
  // leaves an op that probes.
  const float labelW = fs * 4.4f;
  const float charW = ImGui::CalcTextSize("0").x;
  const float cellPad = fs * 0.4f;
  if (widestRevision_ != f.revision + (f.sessionId << 40) + rows.size()) {
    widestRevision_ = f.revision + (f.sessionId << 40) + rows.size();
    widest_ = 0;
    GroupView wv;
    for (const Row& r : rows) {
      if (r.group < 0) continue;
      if (isBuildingRow(r.table)) m.buildingGroup(r.table == kRowNewRight, static_cast<uint64_t>(r.group), wv);
      else if (r.table < 0) m.smallGroup(wv);
      else m.group(static_cast<std::size_t>(r.table), static_cast<uint64_t>(r.group), wv);
      for (int s = 0; s < 8; s++) {
        if (ctrlClass(wv.ctrlByte(static_cast<unsigned>(s))) != 5) continue;
        widest_ = std::max({widest_, keyText(wv.keys[s]).size(), std::to_string(wv.elems[s]).size()});
      }
    }
    widest_ = std::min<std::size_t>(widest_, 24);
  }
  const float avail = ImGui::GetContentRegionAvail().x - labelW - fs;
  const float needW = charW * static_cast<float>(widest_) + cellPad;
  const float wantW = std::max(charW * 7 + cellPad, needW);
  int perRowNow = 8;
  float cellW = std::max(charW * 4 + cellPad, std::min(wantW, avail / 8));
  // (Cut keys, or eight cells wider than the panel: its last slots scrolled off.)
  if ((cellW + 0.5f < needW || 8 * cellW > avail + 1) && avail / 4 > cellW) {
    perRowNow = 4;
    cellW = std::max(charW * 4 + cellPad, std::min(wantW, avail / 4));
  }
  perRow = perRowNow;
  cellWidth = cellW;
  const int lines = 8 / perRowNow;
  const std::size_t keyChars = static_cast<std::size_t>(std::max(3.0f, (cellW - cellPad) / charW + 0.01f));
  const float lineH = ImGui::GetTextLineHeight();
  const float cellH = lineH * 3 + fs * 0.3f;
  const float gap = lines > 1 ? fs * 0.2f : 0.0f; // between a group's two rows of four
  const float groupH = static_cast<float>(lines) * (cellH + gap) - gap;
  const float rowH = groupH + fs * 0.25f;
  // Every row (a title, a group) takes rowH and the item spacing: the list
  // clipper and the follow below count rows at this pitch.
  const float pitch = rowH + ImGui::GetStyle().ItemSpacing.y;

  ImGui::BeginChild("##swgroups", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  listBottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() -
               (ImGui::GetScrollMaxX() > 0 ? ImGui::GetStyle().ScrollbarSize : 0.0f);
  // Follow the current event's group when the cursor moves.
  if (haveFocus && followedRevision_ != f.revision + (f.sessionId << 40)) {
    followedRevision_ = f.revision + (f.sessionId << 40);
    // The whole group in view: above the horizontal scrollbar, if there is one.
    const float y = static_cast<float>(focusRow) * pitch;
    const float top = ImGui::GetScrollY();
    const float h = ImGui::GetWindowHeight() - (ImGui::GetScrollMaxX() > 0 ? ImGui::GetStyle().ScrollbarSize : 0.0f);
    if (y < top || y + rowH > top + h) ImGui::SetScrollY(std::max(0.0f, std::min(y - h * 0.4f, y + rowH - h + fs * 0.5f)));
  }
  std::vector<std::pair<ImVec2, uint16_t>> badges; // probe path points
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(rows.size()), pitch);
  GroupView gv;
  while (clip.Step()) {
    for (int ri = clip.DisplayStart; ri < clip.DisplayEnd; ri++) {
      const Row& r = rows[static_cast<std::size_t>(ri)];
      const ImVec2 p = ImGui::GetCursorScreenPos();
      if (r.group < 0) {
        // A title line.
        std::string title;
        if (isBuildingRow(r.table)) {
          const TableInfo& t = *f.building[r.table == kRowNewRight ? 1 : 0];
          title = F(f.building[1] ? (r.table == kRowNewRight ? S::SwBuildingRight : S::SwBuildingLeft)
                                  : S::SwBuildingTitle,
                    t.groups, t.used, t.capacity, t.growthLeft);
        } else if (r.table < 0) title = tr(S::SwSmallTitle);
        else {
          const TableInfo& t = f.tables[static_cast<std::size_t>(r.table)];
          title = F(S::SwTableTitle, r.table, t.groups, t.localDepth, t.index, t.used, t.capacity, t.growthLeft,
                    t.tombstones());
        }
        // Wrapped to the groups' width (a projector's font made it run off the
        // panel): at the bottom of its row, up to three lines.
        const float wrapW = std::max(fs * 8, labelW + static_cast<float>(perRowNow) * cellW);
        const float th = std::min(ImGui::CalcTextSize(title.c_str(), nullptr, false, wrapW).y, rowH - fs * 0.2f);
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + rowH - th - fs * 0.2f));
        ImGui::PushTextWrapPos(ImGui::GetCursorPos().x + wrapW);
        ImGui::TextUnformatted(title.c_str());
        ImGui::PopTextWrapPos();
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + pitch));
        continue;
      }
      const uint64_t g = static_cast<uint64_t>(r.group);
      if (isBuildingRow(r.table)) m.buildingGroup(r.table == kRowNewRight, g, gv);
      else if (r.table < 0) m.smallGroup(gv);
      else m.group(static_cast<std::size_t>(r.table), g, gv);
      // The group's label and its probe numbers.
      const std::string label = F(S::SwGroupLabel, g);
      dl->AddText(ImVec2(p.x, p.y + (groupH - lineH) * 0.5f), pal.bucketLabel, label.c_str());
      // With several tables, which one (its title may be scrolled away while
      // the view follows a group deep inside it), above the group's number.
      if (isBuildingRow(r.table))
        dl->AddText(ImVec2(p.x, p.y + 1), pal.dim, tr(r.table == kRowNewRight ? S::SwBuildingShortRight : S::SwBuildingShort));
      else if (r.table >= 0 && f.tables.size() > 1)
        dl->AddText(ImVec2(p.x, p.y + 1), pal.dim, F(S::SwTableShort, r.table).c_str());
      auto it = probed.find({r.table, g});
      if (it != probed.end()) {
        std::string nums;
        for (uint16_t n : it->second) fmt::format_to(std::back_inserter(nums), "{}#{}", nums.empty() ? "" : ",", n);
        const ImVec2 ts = ImGui::CalcTextSize(nums.c_str());
        const ImVec2 b0(p.x + labelW - ts.x - fs * 0.6f, p.y + groupH * 0.5f - ts.y * 0.5f - 2);
        const ImVec2 b1(p.x + labelW - fs * 0.2f, p.y + groupH * 0.5f + ts.y * 0.5f + 2);
        dl->AddRectFilled(b0, b1, pal.highlight, fs * 0.3f);
        dl->AddText(ImVec2(b0.x + fs * 0.2f, b0.y + 2), pal.cellText[0] == pal.highlight ? pal.text : pal.panelBg,
                    nums.c_str());
        for (uint16_t n : it->second) badges.emplace_back(ImVec2(b0.x, (b0.y + b1.y) * 0.5f), n);
        probeBadges += static_cast<int>(it->second.size());
      }
      const bool groupMarked = mk.table == r.table && mk.group == g;
      const bool destMarked = dest.table == r.table && dest.group == g;
      for (int s = 0; s < 8; s++) {
        const uint8_t c = gv.ctrlByte(static_cast<unsigned>(s));
        const int cls = ctrlClass(c);
        const ImVec2 a(p.x + labelW + static_cast<float>(s % perRowNow) * cellW,
                       p.y + static_cast<float>(s / perRowNow) * (cellH + gap));
        const ImVec2 b(a.x + cellW - 2, a.y + cellH);
        dl->AddRectFilled(a, b, pal.cell[cls]);
        if (cls == 1) { // a tombstone: hatched as well as coloured
          for (float x = a.x - cellH; x < b.x; x += fs * 0.6f)
            dl->AddLine(ImVec2(std::max(a.x, x), x < a.x ? a.y + (a.x - x) : a.y),
                        ImVec2(std::min(b.x, x + cellH), x + cellH > b.x ? a.y + (b.x - x) : b.y), pal.hatch, 1.0f);
        }
        dl->AddRect(a, b, pal.cellBorder, 0, 0, pal.borderThickness);
        Cell cell;
        cell.table = r.table;
        cell.group = g;
        cell.slot = s;
        cell.ctrl = swissCtrlText(c);
        if (cls == 5) {
          cell.key = shortKey(gv.keys[s], keyChars);
          cell.elem = std::to_string(gv.elems[s]);
        } else if (!(gv.keys[s] == KeyValue{gv.keys[s].kind, 0, 0, {}}) || gv.elems[s] != 0) {
          // Stale bytes of a freed slot: shown dim.
          cell.key = shortKey(gv.keys[s], keyChars);
          cell.elem = std::to_string(gv.elems[s]);
        }
        const ImU32 tc = pal.cellText[cls];
        dl->AddText(ImVec2(a.x + fs * 0.2f, a.y + 1), tc, cell.ctrl.c_str());
        dl->AddText(ImVec2(a.x + fs * 0.2f, a.y + 1 + lineH), cls == 5 ? tc : pal.dim, cell.key.c_str());
        dl->AddText(ImVec2(a.x + fs * 0.2f, a.y + 1 + lineH * 2), cls == 5 ? tc : pal.dim, cell.elem.c_str());
        cell.min = a;
        cell.max = b;
        cell.current = (groupMarked && (mk.slot < 0 || mk.slot == s)) || (destMarked && dest.slot == s);
        if (ImGui::IsMouseHoveringRect(a, b)) {
          ImGui::SetTooltip("%s", fmt::format("g{} slot {}: ctrl 0x{:02x} ({})\nkey {}\nelem {}", g, s, c, cell.ctrl,
                                              keyText(gv.keys[s]), gv.elems[s])
                                      .c_str());
        }
        cells.push_back(std::move(cell));
      }
      if (groupMarked) {
        const float x0 = p.x + labelW + (mk.slot < 0 ? 0 : static_cast<float>(mk.slot % perRowNow) * cellW);
        const float x1 = mk.slot < 0 ? p.x + labelW + static_cast<float>(perRowNow) * cellW - 2 : x0 + cellW - 2;
        const float y0 = p.y + (mk.slot < 0 ? 0 : static_cast<float>(mk.slot / perRowNow) * (cellH + gap));
        const float y1 = mk.slot < 0 ? p.y + groupH : y0 + cellH;
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), pal.highlightFill);
        dl->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(x1 + 1, y1 + 1), pal.highlight, 0, 0, pal.highlightThickness);
      }
      if (destMarked) { // where the moved slot landed: the same mark as its source
        const float x0 = p.x + labelW + static_cast<float>(dest.slot % perRowNow) * cellW, x1 = x0 + cellW - 2;
        const float y0 = p.y + static_cast<float>(dest.slot / perRowNow) * (cellH + gap), y1 = y0 + cellH;
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), pal.highlightFill);
        dl->AddRect(ImVec2(x0 - 1, y0 - 1), ImVec2(x1 + 1, y1 + 1), pal.highlight, 0, 0, pal.highlightThickness);
      }
      drawGoroutineOutlines(ui, f, r.table, g, ImVec2(p.x + labelW, p.y), cellW, cellH, perRowNow, gap);
      ImGui::Dummy(ImVec2(labelW + static_cast<float>(perRowNow) * cellW, rowH));
    }
  }
  // The probe path: the probed groups joined in probe order on the left.
  std::sort(badges.begin(), badges.end(), [](auto& a, auto& b) { return a.second < b.second; });
  for (std::size_t i = 1; i < badges.size(); i++) {
    const ImVec2 a = badges[i - 1].first, b = badges[i].first;
    const float bend = fs * 1.2f;
    dl->AddBezierCubic(a, ImVec2(a.x - bend, a.y), ImVec2(b.x - bend, b.y), b, pal.highlight, 2.0f);
  }
  ImGui::EndChild();
}

// ---- hash -----------------------------------------------------------------------------------
void SwissHashView::draw(UiContext&, const Frame& fr) {
  shown.clear();
  const SwissFrame* f = fr.swiss;
  if (!f || !f->loaded()) return;
  auto line = [&](const std::string& s) { // wrapped: a narrow panel or a projector's font
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopTextWrapPos();
    shown += s + "\n";
  };
  // A slot moved by a rehash: the moved key's hash, which rehash computes
  // again and which picks its group (and a split's side) in the new table.
  std::optional<SwissPayload<SwissKind::Hashed>> moved;
  const TableInfo* into = nullptr; // the new table it goes into
  SwissPayload<SwissKind::SlotMoved> move{};
  if (f->map && f->current && f->current->kind == SwissKind::SlotMoved) {
    move = swissPayloadOf<SwissKind::SlotMoved>(*f->current);
    const int pos = move.from.table == SwissLoc::kSmall ? -1 : tablePosOf(*f, move.from.table);
    GroupView from;
    if (pos == -1 && f->map->hasSmallGroup()) f->map->smallGroup(from);
    else if (pos >= 0) f->map->group(static_cast<std::size_t>(pos), move.from.group, from);
    uint64_t hash = 0;
    if ((pos >= 0 || f->map->hasSmallGroup()) && f->building[move.right ? 1 : 0] &&
        f->map->peekHash(from.keys[move.from.slot], hash)) {
      moved = SwissPayload<SwissKind::Hashed>{hash, f->map->header().globalShift, false};
      into = &*f->building[move.right ? 1 : 0];
      line(F(S::SwMovedKey, keyText(from.keys[move.from.slot])));
    }
  }
  if (!f->hash && !moved) {
    ImGui::TextDisabled("%s", tr(S::SwNoHash));
    return;
  }
  const auto& h = moved ? *moved : *f->hash;
  const Palette& pal = palette();
  const uint8_t depth = f->map ? f->map->header().globalDepth : 0;
  line(F(S::SwHashLine, h.hash));
  // The 64 bits in two rows of 32: top globalDepth (directory), low 7 (H2).
  {
    const float fs = ImGui::GetFontSize();
    const float w = std::min(fs * 0.75f, ImGui::GetContentRegionAvail().x / 34.5f);
    const bool digits = w >= ImGui::CalcTextSize("0").x + 2;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float rowH = digits ? fs * 1.15f : std::max(6.0f, w * 1.6f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < 64; i++) {
      const int bit = 63 - i;
      const bool one = (h.hash >> bit) & 1;
      ImU32 c = one ? pal.bitOne : pal.bitZero;
      if (!h.small && depth > 0 && bit >= 64 - depth) c = pal.bitTop;
      if (bit < 7) c = pal.bitLow;
      const int col = i % 32, row = i / 32;
      const float x = p.x + static_cast<float>(col) * w + static_cast<float>(col / 8) * w * 0.5f;
      const float y = p.y + static_cast<float>(row) * (rowH + 2);
      dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w - 1, y + rowH), c);
      if (digits) dl->AddText(ImVec2(x + (w - ImGui::CalcTextSize("0").x) * 0.5f, y), pal.bitTextOnColour, one ? "1" : "0");
    }
    ImGui::Dummy(ImVec2(32 * w + 2 * w, 2 * rowH + 4));
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", tr(S::SwBitsLegend));
    ImGui::PopTextWrapPos();
  }
  line(F(S::SwH1, h.h1()));
  line(F(S::SwH2, h.h2(), h.h2()));
  if (moved) {
    if (f->building[1]) { // a split: one bit past the old local depth picks the side
      const unsigned bit = 64u - into->localDepth;
      line(F(S::SwSplitBit, bit, (h.hash >> bit) & 1, tr(move.right ? S::SwSplitRight : S::SwSplitLeft)));
    }
    const uint64_t mask = into->groups ? into->groups - 1 : 0;
    line(F(S::SwMovedProbeStart, mask, h.h1() & mask));
    return;
  }
  if (h.small) {
    line(tr(S::SwDirIndexSmall));
    return;
  }
  line(F(S::SwDirIndex, depth, h.dirIndex()));
  if (f->map && h.dirIndex() < f->dir.size()) {
    const TableInfo& t = f->tables[f->dir[h.dirIndex()]];
    const uint64_t mask = t.groups ? t.groups - 1 : 0;
    line(F(S::SwProbeStart, mask, h.h1() & mask));
    std::string seq;
    uint64_t off = h.h1() & mask;
    for (uint64_t i = 0; i < std::min<uint64_t>(t.groups, 8); i++) {
      fmt::format_to(std::back_inserter(seq), "{}{}", seq.empty() ? "" : ", ", off);
      off = (off + i + 1) & mask;
    }
    if (t.groups > 8) seq += ", ...";
    line(F(S::SwProbeSeq, seq));
  }
}

// ---- code -----------------------------------------------------------------------------------
namespace {
struct SourceFile {
  bool loaded = false;
  std::string path, tried;
  std::vector<std::string> lines;
};
const SourceFile& loadRealSource(bool go127, SwissFile file) {
  static std::mutex mu;
  static std::map<std::pair<bool, SwissFile>, SourceFile> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto [it, fresh] = cache.try_emplace({go127, file});
  SourceFile& sf = it->second;
  if (!fresh) return sf;
  namespace fs = std::filesystem;
  const std::string v = go127 ? "1.27" : "1.26";
  const std::string rel = std::string(swissFileName(file));
  std::vector<std::string> roots;
  if (const char* r = std::getenv("GOMAPLAB_GO_SWISS_ROOT")) roots.push_back(r);
  const fs::path src = fs::path(assetDir()).parent_path();
  roots.push_back((src / "build" / "go-swiss" / ("go" + v) / "usr" / "share" / ("go-" + v) / "src").string());
  roots.push_back((fs::current_path() / "build" / "go-swiss" / ("go" + v) / "usr" / "share" / ("go-" + v) / "src").string());
  roots.push_back("/usr/lib/go-" + v + "/src");
  roots.push_back("/usr/share/go-" + v + "/src");
  for (const std::string& r : roots) {
    const fs::path p = fs::path(r) / rel;
    std::ifstream in(p);
    if (!in) {
      fmt::format_to(std::back_inserter(sf.tried), "{}{}", sf.tried.empty() ? "" : ", ", p.string());
      continue;
    }
    std::string l;
    while (std::getline(in, l)) sf.lines.push_back(l);
    sf.loaded = true;
    sf.path = p.string();
    break;
  }
  return sf;
}
} // namespace

namespace {
// A race: the tags of the goroutines paused in this function at this line,
// in their colours, before the line's text.
void goroutineTags(const SwissFrame& f, std::string_view function, int line, std::vector<std::pair<int, int>>& out) {
  for (const SwissGoroutineMark& gm : f.goroutines) {
    if (!gm.inOp || gm.line != line || gm.function != function) continue;
    out.emplace_back(gm.g, line);
    colouredText(gm.colour, F(S::SwRaceTag, gm.g).c_str());
    ImGui::SameLine();
  }
}
} // namespace

void SwissCodeView::draw(UiContext&, const Frame& fr) {
  currentLine.clear();
  tagged.clear();
  const SwissFrame* f = fr.swiss;
  if (!f || !f->loaded() || !f->current) {
    if (f && f->loaded()) ImGui::TextDisabled("%s", tr(S::SwBeforeFirst));
    return;
  }
  const Palette& pal = palette();
  const SwissSite site = f->current->site;
  const KeyKind keys = f->kind;
  const SwissSiteInfo& si = swissSiteInfo(site, keys);
  const int line = swissSiteLine(site, keys, f->go127);
  ImGui::TextUnformatted(
      F(S::SwCodeSite, si.function, swissFileName(si.file), line, f->go127 ? "go1.27.4" : "go1.26.11").c_str());
  ImGui::Checkbox(tr(S::SwRealSource), &realSource);
  ImGui::Separator();
  ImGui::BeginChild("##swcode", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (realSource) {
    const SourceFile& sf = loadRealSource(f->go127, si.file);
    if (!sf.loaded) {
      textWrapped(F(S::SwRealMissing, f->go127 ? "1.27" : "1.26", sf.tried));
    } else {
      ImGui::TextDisabled("%s", sf.path.c_str());
      const int from = std::max(1, line - 12), to = std::min(static_cast<int>(sf.lines.size()), line + 12);
      for (int i = from; i <= to; i++) {
        const std::string t = fmt::format("{:5} {}", i, sf.lines[static_cast<std::size_t>(i - 1)]);
        goroutineTags(*f, si.function, i, tagged);
        if (i == line) {
          const ImVec2 p = ImGui::GetCursorScreenPos();
          ImGui::GetWindowDrawList()->AddRectFilled(
              p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight()), pal.codeCurrent);
          currentLine = sf.lines[static_cast<std::size_t>(i - 1)];
          ImGui::TextUnformatted(t.c_str());
          ImGui::SetScrollHereY(0.5f);
        } else {
          ImGui::TextUnformatted(t.c_str());
        }
      }
    }
  } else {
    // The project's pseudo-code: the steps of the site's function, in order.
    ImGui::TextDisabled("%s", F(S::SwCodeSteps, si.function).c_str());
    std::string_view lastWhat;
    for (std::size_t s = 1; s < static_cast<std::size_t>(SwissSite::kCount); s++) {
      const SwissSiteInfo& o = swissSiteInfo(static_cast<SwissSite>(s), keys);
      if (o.function != si.function) continue;
      if (o.what == lastWhat && static_cast<SwissSite>(s) != site) continue;
      lastWhat = o.what;
      const int ln = swissSiteLine(static_cast<SwissSite>(s), keys, f->go127);
      const std::string_view what = swissSiteWhat(static_cast<SwissSite>(s), keys);
      const std::string t = fmt::format("{:5}  {}", ln, what);
      goroutineTags(*f, si.function, ln, tagged);
      if (static_cast<SwissSite>(s) == site) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(
            p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight()), pal.codeCurrent);
        currentLine = std::string(what);
        ImGui::TextUnformatted(("> " + t).c_str());
        // Keep the current step in view (a long function's list scrolls).
        if (!ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.5f);
      } else {
        ImGui::TextUnformatted(("  " + t).c_str());
      }
    }
  }
  ImGui::EndChild();
}

// ---- events ---------------------------------------------------------------------------------
void SwissEventsView::draw(UiContext&, const Frame& fr) {
  const SwissFrame* f = fr.swiss;
  if (!f || !f->loaded()) return;
  const SwissEventSource& s = *f->events;
  const Palette& pal = palette();
  ImGui::Checkbox(tr(S::SwFollow), &follow);
  ImGui::BeginChild("##swevents", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float rowH = ImGui::GetTextLineHeightWithSpacing();
  if (follow && lastPos_ != f->position) {
    lastPos_ = f->position;
    const float y = static_cast<float>(std::max<int64_t>(0, f->position)) * rowH;
    const float top = ImGui::GetScrollY(), h = ImGui::GetWindowHeight();
    if (y < top || y + rowH > top + h) ImGui::SetScrollY(std::max(0.0f, y - h * 0.5f));
  }
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(std::min<uint64_t>(s.eventCount(), INT32_MAX)), rowH);
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; i++) {
      const SwissEvent& e = s.swissEvent(static_cast<uint64_t>(i));
      const std::string t = fmt::format("{:>7}  {}", i, swissEventText(e, *f));
      const bool cur = i == f->position;
      if (cur) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(
            p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight()), pal.codeCurrent);
      }
      ImGui::PushID(i);
      if (const int g = s.goroutineOfEvent(static_cast<uint64_t>(i)); g > 0) { // a race: whose event
        colouredText(goroutineColour(g), F(S::SwRaceTag, g).c_str());
        ImGui::SameLine();
      }
      if (ImGui::Selectable(t.c_str(), false)) f->ctl->seek(i);
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

// ---- timeline -------------------------------------------------------------------------------
void SwissTimelineView::draw(UiContext&, const Frame& fr) {
  const SwissFrame* f = fr.swiss;
  if (!f || !f->loaded()) return;
  Controller& c = *f->ctl;
  // Buttons that cannot move the cursor from where it is are shown disabled
  // (at the start, before make, nothing is behind it; at the last event nothing is ahead).
  transportControls(c, f->position < 0, f->atEnd, "sw", 100000.0f);
  const uint64_t n = f->events->eventCount();
  ImGui::SameLine();
  const std::string counts = F(S::SwOpsEvents, groupDigits(f->events->opCount()), groupDigits(n));
  ImGui::TextUnformatted(F(S::SwEventOf, f->position, groupDigits(n)).c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", counts.c_str());
  // The op and event counts when they fit (a projector's font leaves no room:
  // the event count is on the line already, the rest in the tooltip).
  ImGui::SameLine();
  if (ImGui::CalcTextSize(counts.c_str()).x <= ImGui::GetContentRegionAvail().x) ImGui::TextDisabled("%s", counts.c_str());
  else ImGui::NewLine();
  // The scrubber.
  int64_t pos = f->position;
  const int64_t lo = -1, hi = static_cast<int64_t>(n) - 1;
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderScalar("##swscrub", ImGuiDataType_S64, &pos, &lo, &hi,
                          f->currentOp ? F(S::SwOpHeader, *f->currentOp, f->opText).c_str() : "")) {
    c.pause();
    c.seek(pos);
  }
}

} // namespace gomap::ui
