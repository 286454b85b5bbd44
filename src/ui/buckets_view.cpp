#include "ui/buckets_view.hpp"

#include <cfloat>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

namespace {
const char* stateLine(uint8_t th) {
  switch (th) {
  case emptyRest: return "rest";
  case emptyOne: return "one";
  case evacuatedX: return "\xe2\x86\x92X"; // →X
  case evacuatedY: return "\xe2\x86\x92Y";
  case evacuatedEmpty: return "\xe2\x88\x85"; // ∅
  default: return "";
  }
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick) {
  dl->AddLine(a, b, col, thick);
  ImVec2 d(b.x - a.x, b.y - a.y);
  float len = std::sqrt(d.x * d.x + d.y * d.y);
  if (len < 1) return;
  d = ImVec2(d.x / len, d.y / len);
  float s = 5.0f + thick * 2.0f;
  ImVec2 n(-d.y, d.x);
  dl->AddTriangleFilled(b, ImVec2(b.x - d.x * s + n.x * s * 0.5f, b.y - d.y * s + n.y * s * 0.5f),
                        ImVec2(b.x - d.x * s - n.x * s * 0.5f, b.y - d.y * s - n.y * s * 0.5f), col);
}
} // namespace

std::optional<ScreenRect> BucketsView::cellRect(const Loc& l) const {
  if (overviewShown_) {
    if (l.chain != 0) return std::nullopt;
    auto r = const_cast<OverviewView&>(overview_).cellRect(l.old, l.bucket, l.slot);
    if (!r) return std::nullopt;
    return ScreenRect{ImVec2(r->x, r->y), ImVec2(r->z, r->w)};
  }
  auto it = cells_.find(key(l.old, l.bucket, l.chain, l.slot));
  if (it == cells_.end()) return std::nullopt;
  return it->second;
}

std::optional<ScreenRect> BucketsView::bmapRect(bool old, uint32_t bucket, uint16_t chain) const {
  auto it = bmaps_.find(key(old, bucket, chain, 0));
  if (it == bmaps_.end()) return std::nullopt;
  return it->second;
}

void BucketsView::drawLegend(UiContext&) {
  const Palette& pal = palette();
  const float fs = ImGui::GetFontSize();
  static const S names[6] = {S::StateEmptyRest, S::StateEmptyOne, S::StateEvacX,
                             S::StateEvacY,     S::StateEvacEmpty, S::StateLive};
  const float right = ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetWindowHeight() < fs * 14) {
    // A short panel (a large font on a small screen): the named legend took all of
    // it and no bucket was left in view. Swatches only, named on hover.
    for (int c = 0; c < 7; c++) {
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImDrawList* dl = ImGui::GetWindowDrawList();
      if (c < 6) {
        dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), pal.cell[c]);
        dl->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), pal.cellBorder);
      } else {
        dl->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), pal.highlight, 0, 0, 3);
      }
      ImGui::Dummy(ImVec2(fs + 2, fs));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(c < 6 ? names[c] : S::StateCurrent));
      if (c < 6) ImGui::SameLine(0, fs * 0.4f);
    }
    return;
  }
  for (int c = 0; c < 6; c++) {
    if (c && ImGui::GetCursorPosX() + fs * 1.5f + ImGui::CalcTextSize(tr(names[c])).x > right) ImGui::NewLine();
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), pal.cell[c]);
    dl->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), pal.cellBorder);
    ImGui::Dummy(ImVec2(fs + 2, fs));
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(names[c]));
    ImGui::SameLine(0, fs);
  }
  if (ImGui::GetCursorPosX() + fs * 1.5f + ImGui::CalcTextSize(tr(S::StateCurrent)).x > right) ImGui::NewLine();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), pal.highlight, 0, 0, 3);
  ImGui::Dummy(ImVec2(fs + 2, fs));
  ImGui::SameLine();
  ImGui::TextUnformatted(tr(S::StateCurrent));
}

void BucketsView::layoutColumn(const AnyMap& m, Column& c, const Geometry& g) {
  c.y.resize(c.buckets);
  c.chainLen.resize(c.buckets);
  float y = 0;
  for (uint64_t b = 0; b < c.buckets; b++) {
    c.y[b] = y;
    int len = std::max(1, m.chainLength(c.old, b));
    c.chainLen[b] = len;
    y += static_cast<float>(len) * (g.cellH + g.rowGap) + g.bucketGap;
  }
  c.height = y;
}

void BucketsView::drawColumn(UiContext& ui, const Column& c, const Geometry& g, ImVec2 origin, float clipTop,
                             float clipBottom) {
  const AnyMap& m = *frame_->map;
  const Hmap& h = m.header();
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = g.fs;
  const float cellsX = c.x + g.labelW;
  const std::size_t maxChars =
      static_cast<std::size_t>(std::max(2.0f, (g.cellW - 4) / (std::min(fs, g.cellW / 2.4f) * 0.55f)));
  for (uint64_t b = 0; b < c.buckets; b++) {
    const float top = origin.y + c.y[b];
    const float bottom = top + static_cast<float>(c.chainLen[b]) * (g.cellH + g.rowGap);
    if (bottom < clipTop - g.cellH || top > clipBottom + g.cellH) continue;
    m.chain(c.old, b, chain_);
    // An old bucket is greyed once evacuate has finished with it: evacuated()
    // (its first cell's mark) and no live cell left in the chain.
    bool evacuatedBucket = c.old && !chain_.empty() && evacuated(chain_[0].tophash[0]);
    for (std::size_t ci = 0; evacuatedBucket && ci < chain_.size(); ci++)
      for (int s = 0; s < bucketCnt; s++)
        if (!isEvacuatedMark(chain_[ci].tophash[s])) evacuatedBucket = false;
    for (std::size_t ci = 0; ci < chain_.size(); ci++) {
      const BmapView& v = chain_[ci];
      const float y0 = top + static_cast<float>(ci) * (g.cellH + g.rowGap);
      // Label column: the bucket index on the head, "+n" and where the bmap came from below it.
      if (ci == 0) {
        dl->AddText(ui.fonts.mono, fs * 1.05f, ImVec2(c.x + 2, y0 + 2), pal.bucketLabel,
                    std::to_string(b).c_str());
        if (evacuatedBucket)
          dl->AddText(ImGui::GetFont(), fs * 0.75f, ImVec2(c.x + 2, y0 + fs * 1.2f), pal.dim, tr(S::Evacuated));
      } else {
        // Connector from the previous bmap.
        const float lx = c.x + g.labelW * 0.35f;
        dl->AddLine(ImVec2(lx, y0 - g.rowGap - g.cellH * 0.45f), ImVec2(lx, y0 + g.cellH * 0.5f), pal.bucketFrame, 1.5f);
        arrow(dl, ImVec2(lx, y0 + g.cellH * 0.5f), ImVec2(cellsX - 2, y0 + g.cellH * 0.5f), pal.bucketFrame, 1.5f);
        std::string tag = v.pre >= 0 ? fmt::format("pool {}", v.pre) : std::string("heap");
        dl->AddText(ui.fonts.mono, fs * 0.72f, ImVec2(c.x + g.labelW * 0.40f, y0 + 1), pal.dim,
                    fmt::format("+{}", ci).c_str());
        dl->AddText(ui.fonts.mono, fs * 0.72f, ImVec2(c.x + 1, y0 + g.cellH - fs * 0.8f), pal.poolUsed, tag.c_str());
      }
      bmaps_[key(c.old, static_cast<uint32_t>(b), static_cast<uint16_t>(ci), 0)] =
          ScreenRect{ImVec2(cellsX, y0), ImVec2(cellsX + 8 * g.cellW, y0 + g.cellH)};
      for (int s = 0; s < bucketCnt; s++) {
        const uint8_t th = v.tophash[s];
        const int cls = cellClass(th);
        ImVec2 a(cellsX + static_cast<float>(s) * g.cellW, y0), z(a.x + g.cellW, y0 + g.cellH);
        cells_[key(c.old, static_cast<uint32_t>(b), static_cast<uint16_t>(ci), static_cast<uint8_t>(s))] =
            ScreenRect{a, z};
        ImU32 fill = pal.cell[cls];
        dl->AddRectFilled(a, z, fill);
        if (th == emptyOne) {
          // A tombstone: hatched.
          for (float x = a.x - g.cellH; x < z.x; x += fs * 0.6f)
            dl->AddLine(ImVec2(std::max(a.x, x), std::max(a.y, a.y + (a.x - x))),
                        ImVec2(std::min(z.x, x + g.cellH), std::min(z.y, a.y + (z.x - x))), IM_COL32(0, 0, 0, 50));
        }
        dl->AddRect(a, z, pal.cellBorder, 0, 0, pal.borderThickness);
        const ImU32 tc = pal.cellText[cls];
        // Clip text on the CPU: a clip rectangle per cell would cost a draw
        // call per cell, and draw calls are what a software rasteriser pays for.
        const ImVec4 clip(a.x, a.y, z.x - 1, z.y);
        ImFont* uiFont = ImGui::GetFont();
        const float keySize = std::min(fs, g.cellW / 2.4f);
        dl->AddText(ui.fonts.mono, fs * 0.8f, ImVec2(a.x + 3, a.y + 1), tc, fmt::format("{:02x}", th).c_str(), nullptr, 0,
                    &clip);
        if (th >= minTopHash) {
          dl->AddText(uiFont, keySize, ImVec2(a.x + 3, a.y + fs * 0.85f), tc, shortKey(v.keys[s], maxChars).c_str(), nullptr,
                      0, &clip);
          if (g.threeLines)
            dl->AddText(ui.fonts.mono, fs * 0.8f, ImVec2(a.x + 3, a.y + fs * 1.9f), tc,
                        fmt::format("={}", v.elems[s]).c_str(), nullptr, 0, &clip);
        } else {
          // A key stored ahead of its tophash (race, memory level): show what the cell's key
          // memory holds, so a second writer's key overwriting it can be seen store by store
          // (on the third line, or instead of the state name when the cell has two).
          const bool unpublished =
              th <= emptyOne &&
              unpublishedKeyAt(Loc{c.old, static_cast<uint32_t>(b), static_cast<uint16_t>(ci), static_cast<uint8_t>(s)});
          if (!unpublished || g.threeLines)
            dl->AddText(uiFont, keySize, ImVec2(a.x + 3, a.y + fs * 0.85f), tc, stateLine(th), nullptr, 0, &clip);
          if (unpublished) {
            const std::string k = fmt::format("k={}", shortKey(v.keys[s], maxChars));
            if (g.threeLines)
              dl->AddText(ui.fonts.mono, fs * 0.8f, ImVec2(a.x + 3, a.y + fs * 1.9f), pal.highlight, k.c_str(), nullptr, 0,
                          &clip);
            else
              dl->AddText(ui.fonts.mono, fs * 0.8f, ImVec2(a.x + 3, a.y + fs * 0.95f), pal.highlight, k.c_str(), nullptr, 0,
                          &clip);
            unpublishedDrawn++;
          }
        }
      }
      dl->AddRect(ImVec2(cellsX - 1, y0 - 1), ImVec2(cellsX + 8 * g.cellW + 1, y0 + g.cellH + 1), pal.bucketFrame, 0, 0,
                  pal.borderThickness);
      if (evacuatedBucket)
        dl->AddRectFilled(ImVec2(cellsX, y0), ImVec2(cellsX + 8 * g.cellW, y0 + g.cellH), pal.oldVeil);
    }
  }
  // The evacuation mark: old buckets below it are all evacuated.
  if (c.old && h.nevacuate < c.buckets) {
    const float y = origin.y + c.y[h.nevacuate] - g.bucketGap * 0.5f;
    dl->AddLine(ImVec2(c.x, y), ImVec2(cellsX + 8 * g.cellW + 6, y), pal.nevacuate, 3.0f);
    nevacuate_ = std::make_pair(ImVec2(c.x, y), ImVec2(cellsX + 8 * g.cellW + 6, y));
    dl->AddTriangleFilled(ImVec2(cellsX + 8 * g.cellW + 6, y - 6), ImVec2(cellsX + 8 * g.cellW + 6, y + 6),
                          ImVec2(cellsX + 8 * g.cellW - 4, y), pal.nevacuate);
    std::string t = fmt::format("nevacuate = {}", h.nevacuate);
    ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    // After the column's title when there is room before the arrowhead: at
    // nevacuate = 0 the label sat on "oldbuckets (1, B=0)".
    float lx = std::max(cellsX + 2, oldTitleRight_ + g.fs * 0.6f);
    if (lx + ts.x + 6 > cellsX + 8 * g.cellW - 14) lx = cellsX + 2;
    dl->AddRectFilled(ImVec2(lx, y - ts.y - 1), ImVec2(lx + ts.x + 6, y - 1), pal.panelBg);
    dl->AddText(ImVec2(lx + 3, y - ts.y - 1), pal.nevacuate, t.c_str());
  }
}

void BucketsView::drawPool(UiContext& ui, const Column& c, const Geometry& g, ImVec2 at) {
  const AnyMap& m = *frame_->map;
  const uint64_t alloc = m.arrayAllocated(c.old);
  if (alloc <= c.buckets) return;
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const uint64_t spares = alloc - c.buckets;
  // Which spares are linked into chains.
  std::vector<char> used(spares, 0);
  std::vector<uint32_t> owner(spares, 0);
  for (uint64_t b = 0; b < c.buckets; b++) {
    if (c.chainLen[b] <= 1) continue;
    m.chain(c.old, b, chain_);
    for (std::size_t ci = 1; ci < chain_.size(); ci++) {
      if (chain_[ci].pre >= static_cast<int64_t>(c.buckets) && chain_[ci].pre < static_cast<int64_t>(alloc)) {
        used[static_cast<std::size_t>(chain_[ci].pre) - c.buckets] = 1;
        owner[static_cast<std::size_t>(chain_[ci].pre) - c.buckets] = static_cast<uint32_t>(b);
      }
    }
  }
  const int64_t next = c.old ? -1 : m.nextOverflowIndex();
  dl->AddText(ImVec2(c.x, at.y), pal.text,
              fmt::format("{} ({} {})", tr(S::OverflowPool), spares, tr(S::Spares)).c_str());
  const float box = g.fs * 1.7f;
  float x = c.x + g.labelW, y = at.y + g.fs * 1.4f;
  for (uint64_t i = 0; i < spares; i++) {
    if (x + box > c.x + g.colW) {
      x = c.x + g.labelW;
      y += box + g.fs * 1.3f;
    }
    ImVec2 a(x, y), z(x + box * 1.6f, y + box);
    dl->AddRectFilled(a, z, used[i] ? pal.poolUsed : pal.poolFree);
    dl->AddRect(a, z, pal.poolFrame, 0, 0, pal.borderThickness);
    dl->AddText(ui.fonts.mono, g.fs * 0.75f, ImVec2(a.x + 2, a.y + 1), used[i] ? pal.cellText[5] : pal.dim,
                std::to_string(c.buckets + i).c_str());
    if (used[i])
      dl->AddText(ui.fonts.mono, g.fs * 0.7f, ImVec2(a.x + 2, a.y + box * 0.5f), pal.cellText[5],
                  fmt::format("\xe2\x86\x90{}", owner[i]).c_str());
    else if (i + 1 == spares)
      dl->AddText(ui.fonts.mono, g.fs * 0.7f, ImVec2(a.x + 2, a.y + box * 0.5f), pal.dim, "sentinel");
    if (next == static_cast<int64_t>(c.buckets + i)) {
      arrow(dl, ImVec2(a.x + box * 0.8f, z.y + g.fs * 1.1f), ImVec2(a.x + box * 0.8f, z.y + 1), pal.highlight, 2.0f);
      dl->AddText(ui.fonts.mono, g.fs * 0.75f, ImVec2(a.x, z.y + g.fs * 0.9f), pal.highlight, "nextOverflow");
    }
    x += box * 1.6f + 3;
  }
}

void BucketsView::drawMoves(UiContext& ui, const Column& oldc, const Column& newc, const Geometry& g, ImVec2 origin,
                            float clipTop, float clipBottom) {
  const AnyMap& m = *frame_->map;
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const uint64_t newbit = m.noldbuckets();
  const bool sameSize = (m.header().flags & sameSizeGrow) != 0;
  const float fromX = oldc.x + g.labelW + 8 * g.cellW + 2;
  const float toX = newc.x + 2;
  if (ui.prefs.showMoves) {
    // Every evacuated cell: a line from its row to its destination bucket.
    for (uint64_t b = 0; b < oldc.buckets; b++) {
      const float top = origin.y + oldc.y[b];
      if (top > clipBottom + 400 || top + g.cellH < clipTop - 400) continue;
      m.chain(true, b, chain_);
      for (std::size_t ci = 0; ci < chain_.size(); ci++) {
        int nx = 0, ny = 0;
        for (int s = 0; s < bucketCnt; s++) {
          nx += chain_[ci].tophash[s] == evacuatedX;
          ny += chain_[ci].tophash[s] == evacuatedY;
        }
        const float y = top + static_cast<float>(ci) * (g.cellH + g.rowGap) + g.cellH * 0.5f;
        for (int xy = 0; xy < 2; xy++) {
          int n = xy ? ny : nx;
          if (!n) continue;
          uint64_t dst = b + (xy && !sameSize ? newbit : 0);
          if (dst >= newc.buckets) continue;
          const float ty = origin.y + newc.y[dst] + g.cellH * 0.5f;
          ImU32 col = ((xy ? pal.moveY : pal.moveX) & 0x00ffffffu) | 0x90000000u;
          ImVec2 a(fromX, y + (xy ? 3.0f : -3.0f)), z(toX, ty);
          dl->AddBezierCubic(a, ImVec2(a.x + (z.x - a.x) * 0.5f, a.y), ImVec2(a.x + (z.x - a.x) * 0.5f, z.y), z, col,
                             1.0f + 0.4f * static_cast<float>(n));
          dl->AddText(ui.fonts.mono, g.fs * 0.75f, ImVec2(a.x + 3, a.y - g.fs * 0.8f), col,
                      fmt::format("{}\xc3\x97{}", n, xy ? "Y" : "X").c_str());
        }
      }
    }
  }
  // The current op's moves so far: cell to cell, the latest one thickest.
  const EventSource& s = *frame_->events;
  const int64_t pos = frame_->position;
  if (pos < 0) return;
  const std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos));
  const int64_t first = static_cast<int64_t>(s.firstEventOfOp(op));
  int drawn = 0;
  for (int64_t i = pos; i >= first && drawn < 64 && pos - i < 5000; i--) {
    if (!s.opsContiguous() && s.opOfEvent(static_cast<uint64_t>(i)) != op) continue;
    const Event& e = s.event(static_cast<uint64_t>(i));
    if (e.kind != EventKind::CellEvacuated) continue;
    EventMark mk[3];
    eventMarks(e, mk);
    auto src = cellRect(mk[0].loc), dst = cellRect(mk[1].loc);
    if (!src || !dst) continue;
    const bool y = payloadOf<EventKind::CellEvacuated>(e).useY;
    arrow(dl, ImVec2(src->max.x - 3, src->center().y), ImVec2(dst->min.x + 3, dst->center().y),
          y ? pal.moveY : pal.moveX, i == pos ? 4.0f : 2.0f);
    drawn++;
  }
}

bool BucketsView::unpublishedKeyAt(const Loc& l) const {
  if (!frame_ || !frame_->race || !frame_->events) return false;
  for (const GoroutineMark& gm : frame_->goroutines) {
    if (!gm.inOp || !gm.hasCell || gm.cellIsBmap || gm.lastEvent < 0) continue;
    if (gm.cell.old != l.old || gm.cell.bucket != l.bucket || gm.cell.chain != l.chain || gm.cell.slot != l.slot) continue;
    if (frame_->events->event(static_cast<uint64_t>(gm.lastEvent)).kind == EventKind::KeyStored) return true;
  }
  return false;
}

// Each goroutine's last cell (or bmap), outlined in its colour with a "Gn" tag
// on top. Goroutines on the same cell get nested outlines; a bmap's outline
// goes around the outlines of marked cells inside it (cells are drawn first);
// a tag that would cover an earlier tag slides right past it. So two writers
// picking one slot, or one writer's cell inside the bmap another has just
// allocated or linked, are all visible.
void BucketsView::drawGoroutineMarks(UiContext& ui, const Frame& f, const Column& oldc, const Column& newc,
                                     const Geometry& g) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = g.fs;
  std::unordered_map<uint64_t, int> onCell; // marks already drawn on a cell
  std::unordered_map<uint64_t, int> onBmap; // marks already drawn on a bmap or its cells
  std::vector<ScreenRect> tags;
  for (const bool bmaps : {false, true}) {
    for (const GoroutineMark& gm : f.goroutines) {
      if (!gm.hasCell || gm.cellIsBmap != bmaps) continue;
      std::optional<ScreenRect> r =
          gm.cellIsBmap ? bmapRect(gm.cell.old, gm.cell.bucket, gm.cell.chain) : cellRect(gm.cell);
      if (!r) continue;
      const int inBmap = onBmap[key(gm.cell.old, gm.cell.bucket, gm.cell.chain, 0)]++;
      const int nth = gm.cellIsBmap ? inBmap : onCell[key(gm.cell.old, gm.cell.bucket, gm.cell.chain, gm.cell.slot)]++;
      const float pad = 3.0f + 3.5f * static_cast<float>(nth);
      const ImVec2 a(r->min.x - pad, r->min.y - pad), z(r->max.x + pad, r->max.y + pad);
      dl->AddRect(a, z, gm.colour, 2.0f, 0, 3.0f);
      const std::string tag = fmt::format("G{}", gm.g);
      const float tagFs = fs * 0.85f;
      const ImVec2 ts = ui.fonts.mono->CalcTextSizeA(tagFs, FLT_MAX, 0, tag.c_str());
      const float tw = ts.x + fs * 0.4f, th = ts.y + 2;
      ImVec2 t0(r->min.x, a.y - th);
      for (bool moved = true; moved;) {
        moved = false;
        for (const ScreenRect& o : tags) {
          if (t0.x < o.max.x + 2 && t0.x + tw > o.min.x - 2 && t0.y < o.max.y && t0.y + th > o.min.y) {
            t0.x = o.max.x + 2;
            moved = true;
          }
        }
      }
      tags.push_back(ScreenRect{t0, ImVec2(t0.x + tw, t0.y + th)});
      dl->AddRectFilled(t0, ImVec2(t0.x + tw, t0.y + th), gm.colour, 3.0f);
      dl->AddText(ui.fonts.mono, tagFs, ImVec2(t0.x + fs * 0.2f, t0.y + 1), IM_COL32(0, 0, 0, 255), tag.c_str());
      gmarks_.push_back({gm.g, gm.cell, gm.cellIsBmap, ScreenRect{a, z}});
    }
  }
  (void)oldc;
  (void)newc;
}

void BucketsView::draw(UiContext& ui, const Frame& f) {
  unpublishedDrawn = 0;
  clicked_.reset();
  lostShown = 0;
  cells_.clear();
  bmaps_.clear();
  marks_.clear();
  gmarks_.clear();
  nevacuate_.reset();
  overviewShown_ = false;
  frame_ = &f;
  if (!f.loaded()) {
    ImGui::TextUnformatted(tr(S::NoMap));
    return;
  }
  const AnyMap& m = *f.map;
  const Hmap& h = m.header();
  drawLegend(ui);
  // A race: overflow bmaps cut off by another goroutine's link are drawn nowhere
  // (no chain reaches them); say so where the map is.
  for (const GoroutineMark& gm : f.goroutines) {
    if (!gm.lostBy) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, gm.colour);
    ImGui::TextWrapped("%s", fmt::format(fmt::runtime(tr(S::RaceBmapLost)), gm.g, gm.lostCell.bucket, gm.lostCell.chain,
                                         gm.lostBy, gm.lostEvent)
                                 .c_str());
    ImGui::PopStyleColor();
    lostShown++;
  }

  // Mode switch.
  int mode = static_cast<int>(this->mode);
  ImGui::TextUnformatted(tr(S::View));
  ImGui::SameLine();
  ImGui::RadioButton(tr(S::ViewAuto), &mode, 0);
  ImGui::SameLine();
  ImGui::RadioButton(tr(S::ViewDetail), &mode, 1);
  ImGui::SameLine();
  ImGui::RadioButton(tr(S::ViewOverview), &mode, 2);
  this->mode = static_cast<Mode>(mode);
  ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
  ImGui::Checkbox(tr(S::ShowMoves), &ui.prefs.showMoves);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::SliderFloat(tr(S::Zoom), &ui.prefs.bucketZoom, 0.6f, 2.5f, "%.1f");

  if (m.isNil()) {
    colouredText(palette().dim, tr(S::NilMap));
    return;
  }
  if (!h.buckets) {
    colouredText(palette().dim, tr(S::NoBuckets));
    return;
  }
  const bool big = h.B > detailMaxB;
  if (this->mode == Mode::Overview || (this->mode == Mode::Auto && big)) {
    overviewShown_ = true;
    if (this->mode == Mode::Auto) colouredText(palette().dim, tr(S::OverviewBecause));
    overview_.draw(ui, f, ImGui::GetContentRegionAvail());
    return;
  }
  if (h.B > 10) {
    colouredText(palette().error, tr(S::DetailTooBig));
    return;
  }

  ImGui::BeginChild("cells", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float fs = ImGui::GetFontSize();
  const bool growing = m.growing();
  const float availW = ImGui::GetContentRegionAvail().x;
  Geometry g{};
  g.fs = fs;
  g.labelW = fs * 3.0f;
  g.colGap = growing ? fs * 3.6f : 0;
  g.colW = growing ? (availW - g.colGap) * 0.5f : availW;
  const float zoom = ui.prefs.bucketZoom;
  g.cellW = std::clamp((g.colW - g.labelW - 4) / 8.0f, fs * 1.7f, fs * 6.0f) * zoom;
  g.colW = g.labelW + 8 * g.cellW + 4;
  g.rowGap = fs * 0.25f;
  g.bucketGap = fs * 0.9f;
  // Few buckets: taller cells with the value as a third line, up to filling the panel.
  {
    uint64_t rows = 0;
    for (uint64_t b = 0; b < bucketShift(h.B); b++) rows += static_cast<uint64_t>(std::max(1, m.chainLength(false, b)));
    const float availH = ImGui::GetContentRegionAvail().y - fs * 8.0f;
    const float perRow = availH / static_cast<float>(std::max<uint64_t>(rows, 1)) - g.rowGap - g.bucketGap;
    g.threeLines = zoom >= 1.25f || perRow >= fs * 2.9f;
    g.cellH = fs * (g.threeLines ? 2.9f : 1.95f) * std::max(1.0f, zoom * 0.9f);
  }

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  Column newc{false, bucketShift(h.B), origin.x, {}, {}, 0};
  Column oldc{true, growing ? m.noldbuckets() : 0, origin.x, {}, {}, 0};
  if (growing) newc.x = origin.x + g.colW + g.colGap;
  layoutColumn(m, newc, g);
  if (growing) layoutColumn(m, oldc, g);

  // Column titles.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& pal = palette();
  const float titleH = fs * 2.0f;
  oldTitleRight_ = 0;
  if (growing) {
    const std::string title = fmt::format("oldbuckets ({}, B={})", groupDigits(oldc.buckets),
                                          (h.flags & sameSizeGrow) ? h.B : h.B - 1);
    dl->AddText(ImVec2(oldc.x, origin.y), pal.text, title.c_str());
    oldTitleRight_ = oldc.x + ImGui::CalcTextSize(title.c_str()).x;
  }
  dl->AddText(ImVec2(newc.x, origin.y), pal.text,
              fmt::format("buckets ({}, B={})", groupDigits(newc.buckets), h.B).c_str());
  const ImVec2 content(origin.x, origin.y + titleH);
  const float poolH = fs * 6.0f;
  const float contentH = std::max(newc.height, oldc.height) + titleH + poolH;
  const float contentW = growing ? 2 * g.colW + g.colGap : g.colW;

  // Follow the current event: scroll its first mark into view when it moves.
  const int64_t pos = f.position;
  EventMark mk[3];
  int nmk = 0;
  if (const Event* e = f.current) nmk = eventMarks(*e, mk);
  if (f.currentMoved && f.current) {
    // A race: the event's array has since become oldbuckets, or was freed (see Frame).
    const std::optional<Loc> at = cellOf(*f.current);
    int kept = 0;
    for (int i = 0; i < nmk; i++) {
      EventMark m = mk[i];
      if (at && !m.secondary && m.loc.old == at->old && m.loc.bucket == at->bucket && m.loc.chain == at->chain) {
        if (f.currentMoved->gone) continue;
        m.loc.old = f.currentMoved->old;
      }
      mk[kept++] = m;
    }
    nmk = kept;
  }
  for (int i = 0; i < nmk; i++) marks_.push_back(mk[i]);
  if (pos != lastFollowed_ && nmk > 0) {
    lastFollowed_ = pos;
    const Column& c = mk[0].loc.old ? oldc : newc;
    if (mk[0].loc.bucket < c.buckets) {
      float y = titleH + c.y[mk[0].loc.bucket] + static_cast<float>(mk[0].loc.chain) * (g.cellH + g.rowGap);
      float sy = ImGui::GetScrollY(), wh = ImGui::GetWindowHeight();
      if (y < sy || y + g.cellH > sy + wh) ImGui::SetScrollY(std::max(0.0f, y - wh * 0.35f));
    }
  }

  const float clipTop = ImGui::GetWindowPos().y, clipBottom = clipTop + ImGui::GetWindowHeight();
  drawColumn(ui, newc, g, content, clipTop, clipBottom);
  if (growing) {
    drawColumn(ui, oldc, g, content, clipTop, clipBottom);
    drawMoves(ui, oldc, newc, g, content, clipTop, clipBottom);
  }
  const float poolY = content.y + std::max(newc.height, oldc.height) + fs * 0.3f;
  drawPool(ui, newc, g, ImVec2(newc.x, poolY));
  if (growing) drawPool(ui, oldc, g, ImVec2(oldc.x, poolY));

  // The current event, outlined where it happens.
  for (int i = 0; i < nmk; i++) {
    std::optional<ScreenRect> r;
    if (mk[i].kind == EventMark::Cell) r = cellRect(mk[i].loc);
    else if (mk[i].kind == EventMark::Bmap) r = bmapRect(mk[i].loc.old, mk[i].loc.bucket, mk[i].loc.chain);
    else {
      auto a = bmapRect(mk[i].loc.old, mk[i].loc.bucket, 0);
      if (a) {
        const Column& c = mk[i].loc.old ? oldc : newc;
        int len = mk[i].loc.bucket < c.buckets ? c.chainLen[mk[i].loc.bucket] : 1;
        r = ScreenRect{a->min, ImVec2(a->max.x, a->max.y + static_cast<float>(len - 1) * (g.cellH + g.rowGap))};
      }
    }
    if (!r) continue;
    const float pad = mk[i].kind == EventMark::Cell ? 2.0f : 4.0f;
    ImVec2 a(r->min.x - pad, r->min.y - pad), z(r->max.x + pad, r->max.y + pad);
    if (!mk[i].secondary) dl->AddRectFilled(a, z, pal.highlightFill);
    dl->AddRect(a, z, mk[i].secondary ? pal.moveX : pal.highlight, 0, 0, pal.highlightThickness);
  }
  if (f.race) drawGoroutineMarks(ui, f, oldc, newc, g);

  // Tooltip for the cell under the mouse.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered()) {
    for (const auto& [k, r] : cells_) {
      if (!r.contains(mouse)) continue;
      const bool old = (k >> 63) != 0;
      const uint32_t b = static_cast<uint32_t>((k >> 16) & 0xffffffffu);
      const uint16_t ci = static_cast<uint16_t>((k >> 3) & 0x1fff);
      const int s = static_cast<int>(k & 7);
      if (ImGui::IsMouseClicked(0)) clicked_ = Loc{old, b, ci, static_cast<uint8_t>(s)};
      m.chain(old, b, chain_);
      if (ci >= chain_.size()) break;
      const BmapView& v = chain_[ci];
      ImGui::BeginTooltip();
      ImGui::Text("%s %u%s, slot %d", old ? "old bucket" : "bucket", b,
                  ci ? fmt::format(" (overflow {})", ci).c_str() : "", s);
      ImGui::Text("tophash 0x%02x: %s", v.tophash[s], cellStateName(v.tophash[s]));
      if (v.tophash[s] >= minTopHash || (v.tophash[s] >= evacuatedX && v.tophash[s] <= evacuatedY))
        ImGui::Text("key %s, value %lld%s", keyText(v.keys[s]).c_str(), static_cast<long long>(v.elems[s]),
                    v.tophash[s] < minTopHash ? " (stale copy)" : "");
      else if (v.tophash[s] <= emptyOne && unpublishedKeyAt(Loc{old, b, ci, static_cast<uint8_t>(s)}))
        ImGui::Text("key %s stored, tophash not yet: no lookup sees it", keyText(v.keys[s]).c_str());
      if (ci) ImGui::Text("%s", v.pre >= 0 ? fmt::format("preallocated pool bucket {}", v.pre).c_str() : "heap overflow bucket");
      ImGui::EndTooltip();
      break;
    }
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(contentW, contentH));
  ImGui::EndChild();
}

} // namespace gomap::ui
