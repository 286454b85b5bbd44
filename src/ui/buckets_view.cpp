#include "ui/buckets_view.hpp"

#include <cfloat>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }
} // namespace

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
      ImGui::SameLine(0, fs * 0.4f);
    }
    ImGui::SameLine(0, fs * 0.6f); // the switches follow on the same line
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

void BucketsView::layoutRows(const AnyMap& m, std::vector<Column*> cols, const Geometry& g) {
  // Row i of every column starts at the same y: the tallest chain of the row
  // sets its height, so old bucket i and its destinations line up.
  uint64_t rows = 0;
  for (Column* c : cols) {
    rows = std::max(rows, c->buckets);
    c->y.assign(c->buckets, 0);
    c->chainLen.assign(c->buckets, 1);
    for (uint64_t i = 0; i < c->buckets; i++) c->chainLen[i] = std::max(1, m.chainLength(c->old, c->first + i));
  }
  float y = 0;
  for (uint64_t i = 0; i < rows; i++) {
    int len = 1;
    for (Column* c : cols) {
      if (i >= c->buckets) continue;
      c->y[i] = y;
      len = std::max(len, c->chainLen[i]);
    }
    y += static_cast<float>(len) * (g.cellH + g.rowGap) + g.bucketGap;
  }
  for (Column* c : cols) c->height = y;
}

std::optional<std::pair<const BucketsView::Column*, uint64_t>> BucketsView::locate(bool old, uint64_t bucket) const {
  for (const Column* c : cols_)
    if (c->old == old && bucket >= c->first && bucket < c->first + c->buckets) return std::make_pair(c, bucket - c->first);
  return std::nullopt;
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
  for (uint64_t li = 0; li < c.buckets; li++) {
    const uint64_t b = c.first + li;
    const float top = origin.y + c.y[li];
    const float bottom = top + static_cast<float>(c.chainLen[li]) * (g.cellH + g.rowGap);
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
        if (stacked_ && m.growing() && !evacuatedBucket) {
          // Stacked rows: which array and which destination the row is.
          const bool y = !c.old && c.first > 0;
          dl->AddText(ImGui::GetFont(), fs * 0.8f, ImVec2(c.x + 2, y0 + fs * 1.15f),
                      c.old ? pal.dim : (y ? pal.moveY : pal.moveX),
                      c.old ? tr(S::BkOld) : (m.header().flags & sameSizeGrow) ? tr(S::BkNew) : (y ? "Y" : "X"));
        }
        if (evacuatedBucket)
          dl->AddText(ImGui::GetFont(), fs * 0.75f, ImVec2(c.x + 2, y0 + fs * 1.2f), pal.dim, tr(S::Evacuated));
      } else {
        // Connector from the previous bmap.
        const float lx = c.x + g.labelW * 0.35f;
        dl->AddLine(ImVec2(lx, y0 - g.rowGap - g.cellH * 0.45f), ImVec2(lx, y0 + g.cellH * 0.5f), pal.bucketFrame, 1.5f);
        arrow(dl, ImVec2(lx, y0 + g.cellH * 0.5f), ImVec2(cellsX - 2, y0 + g.cellH * 0.5f), pal.bucketFrame, 1.5f);
        std::string tag = v.pre >= 0 ? F(S::BkPoolTag, v.pre) : std::string(tr(S::BkHeapTag));
        dl->AddText(ui.fonts.mono, fs * 0.72f, ImVec2(c.x + g.labelW * 0.40f, y0 + 1), pal.dim,
                    fmt::format("+{}", ci).c_str());
        // The tag in Chinese needs the UI font (the mono font has no Chinese of the UI's own).
        dl->AddText(language() == Lang::Zh ? ui.fonts.ui : ui.fonts.mono, fs * 0.72f,
                    ImVec2(c.x + 1, y0 + g.cellH - fs * 0.8f), pal.poolUsed, tag.c_str());
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
                        ImVec2(std::min(z.x, x + g.cellH), std::min(z.y, a.y + (z.x - x))), pal.hatch);
        }
        dl->AddRect(a, z, pal.cellBorder, 0, 0, pal.borderThickness);
        const ImU32 tc = pal.cellText[cls];
        // Clip text on the CPU: a clip rectangle per cell would cost a draw
        // call per cell, and draw calls are what a software rasteriser pays for.
        const ImVec4 clip(a.x, a.y, z.x - 1, z.y);
        ImFont* uiFont = ImGui::GetFont();
        const float keySize = std::min(fs * g.textScale, g.cellW / 2.4f);
        const float line = g.cellH / (g.threeLines ? 3.0f : 2.0f);
        dl->AddText(ui.fonts.mono, g.thSize, ImVec2(a.x + 3, a.y + 1), tc, fmt::format("{:02x}", th).c_str(), nullptr, 0,
                    &clip);
        if (th >= minTopHash) {
          dl->AddText(uiFont, keySize, ImVec2(a.x + 3, a.y + line * 0.97f), tc, shortKey(v.keys[s], maxChars).c_str(), nullptr,
                      0, &clip);
          if (g.threeLines)
            dl->AddText(ui.fonts.mono, g.thSize, ImVec2(a.x + 3, a.y + line * 1.97f), tc,
                        fmt::format("={}", v.elems[s]).c_str(), nullptr, 0, &clip);
        } else {
          // A key stored ahead of its tophash (race, memory level): show what the cell's key
          // memory holds, so a second writer's key overwriting it can be seen store by store
          // (on the third line, or instead of the state name when the cell has two).
          const bool unpublished =
              th <= emptyOne &&
              unpublishedKeyAt(Loc{c.old, static_cast<uint32_t>(b), static_cast<uint16_t>(ci), static_cast<uint8_t>(s)});
          if (!unpublished || g.threeLines)
            dl->AddText(uiFont, keySize, ImVec2(a.x + 3, a.y + line * 0.97f), tc, stateLine(th), nullptr, 0, &clip);
          if (unpublished) {
            const std::string k = fmt::format("k={}", shortKey(v.keys[s], maxChars));
            if (g.threeLines)
              dl->AddText(ui.fonts.mono, g.thSize, ImVec2(a.x + 3, a.y + line * 1.97f), pal.highlight, k.c_str(), nullptr, 0,
                          &clip);
            else
              dl->AddText(ui.fonts.mono, g.thSize, ImVec2(a.x + 3, a.y + line * 0.97f), pal.highlight, k.c_str(), nullptr, 0,
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
  // The evacuation mark: old buckets below it are all evacuated. Its label is
  // on the column's second title line (drawn by draw()), clear of the heading.
  if (c.old && h.nevacuate >= c.first && h.nevacuate < c.first + c.buckets) {
    const uint64_t ni = h.nevacuate - c.first;
    const float y = origin.y + (stacked_ && ni < groupTop_.size() ? groupTop_[ni] : c.y[ni]) - g.bucketGap * 0.5f;
    dl->AddLine(ImVec2(c.x, y), ImVec2(cellsX + 8 * g.cellW + 6, y), pal.nevacuate, 3.0f);
    nevacuate_ = std::make_pair(ImVec2(c.x, y), ImVec2(cellsX + 8 * g.cellW + 6, y));
    dl->AddTriangleFilled(ImVec2(cellsX + 8 * g.cellW + 6, y - 6), ImVec2(cellsX + 8 * g.cellW + 6, y + 6),
                          ImVec2(cellsX + 8 * g.cellW - 4, y), pal.nevacuate);
  }
}

void BucketsView::drawPool(UiContext& ui, bool old, const Geometry& g, ImVec2 at) {
  const AnyMap& m = *frame_->map;
  struct {
    bool old;
    uint64_t buckets;
    float x;
  } c{old, old ? m.noldbuckets() : bucketShift(m.header().B), at.x};
  const uint64_t alloc = m.arrayAllocated(c.old);
  if (alloc <= c.buckets) return;
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const uint64_t spares = alloc - c.buckets;
  // Which spares are linked into chains.
  std::vector<char> used(spares, 0);
  std::vector<uint32_t> owner(spares, 0);
  for (uint64_t b = 0; b < c.buckets; b++) {
    if (m.chainLength(c.old, b) <= 1) continue;
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
      dl->AddText(language() == Lang::Zh ? ui.fonts.ui : ui.fonts.mono, g.fs * 0.7f, ImVec2(a.x + 2, a.y + box * 0.5f),
                  pal.dim, tr(S::BkSentinel));
    if (next == static_cast<int64_t>(c.buckets + i)) {
      arrow(dl, ImVec2(a.x + box * 0.8f, z.y + g.fs * 1.1f), ImVec2(a.x + box * 0.8f, z.y + 1), pal.highlight, 2.0f);
      dl->AddText(ui.fonts.mono, g.fs * 0.75f, ImVec2(a.x, z.y + g.fs * 0.9f), pal.highlight, "nextOverflow");
    }
    x += box * 1.6f + 3;
  }
}

// Where an evacuated cell's line leaves the old column and enters its
// destination's column: the facing edges of the two columns, so a line runs in
// the gap between them and crosses no cell. (Doubling: X is left of old, Y
// right of it; same size: new is right of old.)
BucketsView::Edge BucketsView::moveEdges(bool useY, const Geometry& g) const {
  const Column* oldc = nullptr;
  const Column* dst = nullptr;
  for (const Column* c : cols_) {
    if (c->old) oldc = c;
    else if (!dst || (useY && c->first > 0)) dst = c;
  }
  Edge e{};
  if (!oldc || !dst) return e;
  const float oldLeft = oldc->x, oldRight = oldc->x + g.labelW + 8 * g.cellW + 2;
  const float dstLeft = dst->x, dstRight = dst->x + g.labelW + 8 * g.cellW + 2;
  if (dst->x < oldc->x) {
    e.from = oldLeft - 2;
    e.to = dstRight + 2;
  } else {
    e.from = oldRight + 2;
    e.to = dstLeft - 2;
  }
  e.ok = true;
  return e;
}

void BucketsView::bracket(ImDrawList* dl, float right, float fromY, float toY, bool useY, ImU32 col, float thick,
                          const Geometry& g) {
  // X's bracket nearer the cells, Y's outside it: two never share a stretch.
  const float off = right + g.fs * (useY ? 1.35f : 0.7f);
  dl->AddLine(ImVec2(right + 2, fromY), ImVec2(off, fromY), col, thick);
  dl->AddLine(ImVec2(off, fromY), ImVec2(off, toY), col, thick);
  arrow(dl, ImVec2(off, toY), ImVec2(right + 2, toY), col, thick);
}

void BucketsView::layoutGroups(const AnyMap& m, std::vector<Column*> cols, const Geometry& g) {
  // Stacked: group i holds row i of every column, one under the other.
  uint64_t groups = 0;
  for (Column* c : cols) {
    groups = std::max(groups, c->buckets);
    c->y.assign(c->buckets, 0);
    c->chainLen.assign(c->buckets, 1);
    for (uint64_t i = 0; i < c->buckets; i++) c->chainLen[i] = std::max(1, m.chainLength(c->old, c->first + i));
  }
  groupTop_.assign(groups, 0);
  float y = 0;
  for (uint64_t i = 0; i < groups; i++) {
    groupTop_[i] = y;
    for (Column* c : cols) {
      if (i >= c->buckets) continue;
      c->y[i] = y;
      y += static_cast<float>(c->chainLen[i]) * (g.cellH + g.rowGap) + g.fs * 0.2f;
    }
    y += g.bucketGap * 1.6f;
  }
  for (Column* c : cols) c->height = y;
}

void BucketsView::drawMoves(UiContext& ui, const Column& oldc, const Geometry& g, ImVec2 origin, float clipTop,
                            float clipBottom) {
  const AnyMap& m = *frame_->map;
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const uint64_t newbit = m.noldbuckets();
  const bool sameSize = (m.header().flags & sameSizeGrow) != 0;
  const float lineW = pal.moveThickness; // thicker on the projector theme and at large font scales
  const float rowH = g.cellH + g.rowGap;
  moveLabels_.clear();
  if (ui.prefs.showMoves) {
    // Every old bmap that has evacuated cells: a line per destination, from the
    // old column's edge to the destination column's edge, with "n×X" above it in
    // the gap (one label per line, so none overlaps another).
    for (uint64_t li = 0; li < oldc.buckets; li++) {
      const uint64_t b = oldc.first + li;
      const float top = origin.y + oldc.y[li];
      if (top > clipBottom + g.cellH || top + static_cast<float>(oldc.chainLen[li]) * rowH < clipTop - g.cellH) continue;
      m.chain(true, b, chain_);
      for (std::size_t ci = 0; ci < chain_.size(); ci++) {
        int nx = 0, ny = 0;
        for (int s = 0; s < bucketCnt; s++) {
          nx += chain_[ci].tophash[s] == evacuatedX;
          ny += chain_[ci].tophash[s] == evacuatedY;
        }
        const float y = top + static_cast<float>(ci) * rowH + g.cellH * 0.5f;
        for (int xy = 0; xy < 2; xy++) {
          const int n = xy ? ny : nx;
          if (!n) continue;
          const uint64_t dst = b + (xy && !sameSize ? newbit : 0);
          auto at = locate(false, dst);
          if (!at) continue;
          const float ty = origin.y + at->first->y[at->second] + g.cellH * 0.5f;
          const ImU32 col = xy ? pal.moveY : pal.moveX;
          const std::string t = fmt::format("{}\xc3\x97{}", n, xy ? "Y" : "X");
          const ImVec2 ts = ui.fonts.mono->CalcTextSizeA(g.fs * 0.8f, FLT_MAX, 0, t.c_str());
          if (stacked_) {
            // A bracket on the right from the old row to its destination's row,
            // the label beside its vertical stretch.
            const float right = oldc.x + g.labelW + 8 * g.cellW + 2;
            bracket(dl, right, y, ty, xy != 0, col, lineW * (1.0f + 0.3f * static_cast<float>(n)), g);
            const ImVec2 l0(right + g.fs * 1.75f, (y + ty) * 0.5f - ts.y * 0.5f);
            dl->AddText(ui.fonts.mono, g.fs * 0.8f, l0, col, t.c_str());
            moveLabels_.push_back(ScreenRect{l0, ImVec2(l0.x + ts.x, l0.y + ts.y)});
            continue;
          }
          const Edge e = moveEdges(xy && !sameSize, g);
          if (!e.ok) continue;
          // Same-size grows and the X/Y split of a doubling one both keep the
          // row, so the line is level; at most it drops to the chain row.
          const ImVec2 a(e.from, y), z(e.to, ty);
          arrow(dl, a, z, currentTheme() == ThemeKind::Projector ? col : ((col & 0x00ffffffu) | 0xa0000000u),
                lineW * (1.0f + 0.3f * static_cast<float>(n)));
          const float lx = std::min(a.x, z.x) + (std::fabs(z.x - a.x) - ts.x) * 0.5f;
          const ImVec2 l0(lx, y - ts.y - 2);
          dl->AddText(ui.fonts.mono, g.fs * 0.8f, l0, col, t.c_str());
          moveLabels_.push_back(ScreenRect{l0, ImVec2(l0.x + ts.x, l0.y + ts.y)});
        }
      }
    }
  }
  // The current op's moves so far: the source and destination cells outlined
  // in X's or Y's colour (the latest thickest), joined by a line in the gap
  // between the columns, lettered X or Y.
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
    const ImU32 col = y ? pal.moveY : pal.moveX;
    const float th = (i == pos ? 2.0f : 1.0f) * lineW + 1.0f;
    dl->AddRect(ImVec2(src->min.x + 1, src->min.y + 1), ImVec2(src->max.x - 1, src->max.y - 1), col, 0, 0, th);
    dl->AddRect(ImVec2(dst->min.x + 1, dst->min.y + 1), ImVec2(dst->max.x - 1, dst->max.y - 1), col, 0, 0, th);
    if (stacked_) {
      bracket(dl, oldc.x + g.labelW + 8 * g.cellW + 2, src->center().y, dst->center().y, y, col, th + 1.0f, g);
      drawn++;
      continue;
    }
    const Edge ed = moveEdges(y && !sameSize, g);
    if (ed.ok) {
      const ImVec2 a(ed.from, src->center().y), z(ed.to, dst->center().y);
      arrow(dl, a, z, col, th + 1.0f);
      if (i == pos)
        dl->AddText(ui.fonts.mono, g.fs, ImVec2((a.x + z.x) * 0.5f - g.fs * 0.3f, std::max(a.y, z.y) + 2), col,
                    y ? "Y" : "X");
    }
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
  // The caption goes under the buckets, at the panel's full width: the rest of
  // the panel is the body (legend, switches, cells or the overview).
  caption_.prepare(ui, f, ImGui::GetContentRegionAvail().x);
  const float ch = caption_.height();
  if (ch <= 0) {
    drawBody(ui, f);
    return;
  }
  ImGui::BeginChild("body", ImVec2(0, -ch), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  drawBody(ui, f);
  ImGui::EndChild();
  caption_.draw(ui, f);
}

void BucketsView::drawBody(UiContext& ui, const Frame& f) {
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
    textWrapped(fmt::format(fmt::runtime(tr(S::RaceBmapLost)), gm.g, gm.lostCell.bucket, gm.lostCell.chain,
                                         gm.lostBy, gm.lostEvent)
                                 );
    ImGui::PopStyleColor();
    lostShown++;
  }

  // Mode switch. Each switch goes on the next line when it would not fit (a
  // large font in a narrow panel), so none is cut off.
  const float right = ImGui::GetWindowContentRegionMax().x;
  const float box = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
  auto fits = [&](float w, float gap = -1) {
    ImGui::SameLine(0, gap);
    if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
  };
  int mode = static_cast<int>(this->mode);
  const float fs0 = ImGui::GetFontSize();
  if (ImGui::GetWindowHeight() < fs0 * 14) {
    // A short panel (the projector layout): one line of switches, so the rows
    // go to buckets. The mode is a combo, the moves a bare checkbox, the zoom
    // a slider that says what it is; each named on hover.
    const char* modes[3] = {tr(S::ViewAuto), tr(S::ViewDetail), tr(S::ViewOverview)};
    float comboW = 0;
    for (const char* n : modes) comboW = std::max(comboW, ImGui::CalcTextSize(n).x);
    comboW += ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2;
    fits(comboW);
    ImGui::SetNextItemWidth(comboW);
    ImGui::Combo("##viewmode", &mode, modes, 3);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::View));
    fits(ImGui::GetFrameHeight());
    ImGui::Checkbox("##moves", &ui.prefs.showMoves);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::ShowMoves));
    const std::string zf = std::string(tr(S::Zoom)) + " %.1f";
    const float zw = ImGui::CalcTextSize((std::string(tr(S::Zoom)) + " 0.0").c_str()).x + fs0 * 1.5f;
    fits(zw);
    ImGui::SetNextItemWidth(zw);
    ImGui::SliderFloat("##zoom", &ui.prefs.bucketZoom, 0.6f, 2.5f, zf.c_str());
    this->mode = static_cast<Mode>(mode);
  } else {
    if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(tr(S::View)).x > right) ImGui::NewLine();
    ImGui::TextUnformatted(tr(S::View));
    fits(box + ImGui::CalcTextSize(tr(S::ViewAuto)).x);
    ImGui::RadioButton(tr(S::ViewAuto), &mode, 0);
    fits(box + ImGui::CalcTextSize(tr(S::ViewDetail)).x);
    ImGui::RadioButton(tr(S::ViewDetail), &mode, 1);
    fits(box + ImGui::CalcTextSize(tr(S::ViewOverview)).x);
    ImGui::RadioButton(tr(S::ViewOverview), &mode, 2);
    this->mode = static_cast<Mode>(mode);
    fits(box + ImGui::CalcTextSize(tr(S::ShowMoves)).x, ImGui::GetFontSize() * 1.5f);
    ImGui::Checkbox(tr(S::ShowMoves), &ui.prefs.showMoves);
    fits(ImGui::GetFontSize() * 6 + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr(S::Zoom)).x);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::SliderFloat(tr(S::Zoom), &ui.prefs.bucketZoom, 0.6f, 2.5f, "%.1f");
  }

  if (m.isNil()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
    textWrapped(tr(S::NilMap)); // wraps at a large font
    ImGui::PopStyleColor();
    return;
  }
  if (!h.buckets) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
    textWrapped(tr(S::NoBuckets)); // wraps at a large font
    ImGui::PopStyleColor();
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
  const bool sameSize = growing && (h.flags & sameSizeGrow) != 0;
  // Columns: one array; old | new for a same-size grow (old i -> new i); for a
  // doubling grow new[i] (X) | old[i] | new[i+2^(B-1)] (Y), so every old bucket
  // sits between its two destinations on the same row.
  // When the columns do not fit side by side (a large font, a narrow panel),
  // they are stacked: for each old bucket i a group of rows, new[i] (X), then
  // old[i], then new[i+2^(B-1)] (Y), with the moves drawn as brackets on the right.
  const int wantCols = !growing ? 1 : sameSize ? 2 : 3;
  const float availW = ImGui::GetContentRegionAvail().x;
  const bool stacked = wantCols > 1 && (availW - fs * 3.0f * static_cast<float>(wantCols - 1)) /
                                                   static_cast<float>(wantCols) <
                                               fs * (2.2f + 8 * 1.45f) + 4;
  const int ncols = stacked ? 1 : wantCols;
  Geometry g{};
  g.fs = fs;
  g.labelW = fs * (ncols == 3 ? 2.2f : 2.6f);
  g.colGap = ncols > 1 ? fs * 3.0f : 0;
  g.colW = (availW - g.colGap * static_cast<float>(ncols - 1)) / static_cast<float>(ncols);
  if (stacked) g.colW -= fs * 3.6f; // room on the right for the move brackets and their labels
  const float zoom = ui.prefs.bucketZoom;
  // Zoom makes cells taller and their text larger; it widens them only while
  // the columns still fit the panel, so zooming in shows bigger buckets, not
  // one bucket and a scrollbar.
  const float fitW = (g.colW - g.labelW - 4) / 8.0f;
  g.cellW = std::clamp(fitW, fs * (ncols == 3 ? 1.45f : 1.7f), fs * 6.0f);
  g.cellW = zoom <= 1 ? g.cellW * zoom : std::max(g.cellW, std::min(g.cellW * zoom, fitW));
  g.colW = g.labelW + 8 * g.cellW + 4;
  g.rowGap = fs * 0.25f;
  g.bucketGap = fs * 0.9f;
  g.textScale = std::clamp(zoom, 0.7f, 2.0f);
  g.thSize = std::min(fs * 0.95f * g.textScale, g.cellW / 2.2f);
  // Few buckets: taller cells with the value as a third line, up to filling the panel.
  {
    uint64_t rows = 0;
    const uint64_t nrows = growing && !sameSize ? m.noldbuckets() : bucketShift(h.B);
    for (uint64_t b = 0; b < nrows; b++) {
      int len = std::max(1, m.chainLength(false, b));
      if (growing) len = std::max(len, m.chainLength(true, b));
      if (growing && !sameSize) len = std::max(len, m.chainLength(false, b + nrows));
      rows += static_cast<uint64_t>(len);
    }
    const float availH = ImGui::GetContentRegionAvail().y - fs * 8.0f;
    const float perRow = availH / static_cast<float>(std::max<uint64_t>(rows, 1)) - g.rowGap - g.bucketGap;
    g.threeLines = zoom >= 1.25f || perRow >= fs * 2.9f;
    g.cellH = std::max(fs * (g.threeLines ? 2.9f : 1.95f) * g.textScale,
                       g.thSize + std::min(fs * g.textScale, g.cellW / 2.4f) + 4);
  }

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const uint64_t nold = growing ? m.noldbuckets() : 0;
  Column newc{false, bucketShift(h.B), origin.x, {}, {}, 0, 0};
  Column newy{false, 0, origin.x, {}, {}, 0, 0};
  Column oldc{true, nold, origin.x, {}, {}, 0, 0};
  cols_.clear();
  stacked_ = stacked;
  if (!growing) {
    cols_ = {&newc};
  } else if (stacked) {
    if (!sameSize) {
      newc.buckets = nold;
      newy = Column{false, nold, origin.x, {}, {}, 0, nold};
      cols_ = {&newc, &oldc, &newy};
    } else {
      cols_ = {&oldc, &newc};
    }
  } else if (sameSize) {
    newc.x = origin.x + g.colW + g.colGap;
    cols_ = {&oldc, &newc};
  } else {
    newc.buckets = nold;
    oldc.x = origin.x + g.colW + g.colGap;
    newy = Column{false, nold, oldc.x + g.colW + g.colGap, {}, {}, 0, nold};
    cols_ = {&newc, &oldc, &newy};
  }
  if (stacked) layoutGroups(m, std::vector<Column*>(cols_.begin(), cols_.end()), g);
  else layoutRows(m, std::vector<Column*>(cols_.begin(), cols_.end()), g);

  // Column titles: what the column is, and on a second line during a grow the
  // destination rule or, over the old array, nevacuate.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& pal = palette();
  const float lineH = ImGui::GetTextLineHeight();
  const std::string newTitle =
      fmt::format(fmt::runtime(tr(S::EvacNewTitle)), groupDigits(bucketShift(h.B)), static_cast<int>(h.B));
  const std::string oldTitle =
      growing ? fmt::format(fmt::runtime(tr(S::EvacOldTitle)), groupDigits(nold), sameSize ? h.B : h.B - 1) : "";
  // Stacked: "old → new" on one line when it fits, else a line each.
  const std::string bothTitles = oldTitle + " \xe2\x86\x92 " + newTitle;
  const bool titlesSplit = stacked && ImGui::CalcTextSize(bothTitles.c_str()).x > availW;
  const float titleH = growing ? lineH * (titlesSplit ? 3.0f : 2.0f) + fs * 0.5f : fs * 2.0f;
  titles_.clear();
  auto title = [&](const Column& c, int line, ImU32 col, const std::string& t) {
    const ImVec2 at(c.x, origin.y + static_cast<float>(line) * lineH);
    dl->AddText(at, col, t.c_str());
    const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    titles_.push_back(ScreenRect{at, ImVec2(at.x + ts.x, at.y + ts.y)});
  };
  if (stacked) {
    // One column: "oldbuckets (..) → buckets (..)", then nevacuate.
    if (titlesSplit) {
      title(newc, 0, pal.text, oldTitle);
      title(newc, 1, pal.text, "\xe2\x86\x92 " + newTitle);
    } else {
      title(newc, 0, pal.text, bothTitles);
    }
    title(newc, titlesSplit ? 2 : 1, pal.nevacuate, fmt::format("nevacuate = {}", h.nevacuate));
  } else {
    title(newc, 0, pal.text, newTitle);
  }
  if (growing && !stacked) {
    title(oldc, 0, pal.text, oldTitle);
    title(oldc, 1, pal.nevacuate, fmt::format("nevacuate = {}", h.nevacuate));
    if (sameSize) {
      title(newc, 1, pal.moveX, tr(S::EvacSameTitle));
    } else {
      title(newc, 1, pal.moveX, tr(S::EvacXTitle));
      title(newy, 0, pal.text, newTitle);
      title(newy, 1, pal.moveY, fmt::format(fmt::runtime(tr(S::EvacYTitle)), groupDigits(nold)));
    }
  }
  const ImVec2 content(origin.x, origin.y + titleH);
  const float poolH = fs * 6.0f;
  const float colsH = newc.height;
  const float contentH = colsH + titleH + poolH;
  const float contentW = static_cast<float>(ncols) * g.colW + static_cast<float>(ncols - 1) * g.colGap +
                        (stacked ? fs * 3.5f : 0.0f);

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
    if (auto at = locate(mk[0].loc.old, mk[0].loc.bucket)) {
      const Column& c = *at->first;
      // The row and, during a grow, the columns of its bucket: all three of an
      // evacuation's buckets are on that row.
      float y = titleH + c.y[at->second] + static_cast<float>(mk[0].loc.chain) * (g.cellH + g.rowGap);
      float sy = ImGui::GetScrollY(), wh = ImGui::GetWindowHeight();
      if (y < sy || y + g.cellH > sy + wh) ImGui::SetScrollY(std::max(0.0f, y - wh * 0.35f));
      const float x0 = c.x - origin.x, x1 = x0 + g.colW; // in content coordinates
      const float sx = ImGui::GetScrollX(), ww = ImGui::GetWindowWidth();
      if (x0 < sx || x1 > sx + ww) ImGui::SetScrollX(std::max(0.0f, x0 - (ww - g.colW) * 0.5f));
    }
  }

  const float clipTop = ImGui::GetWindowPos().y, clipBottom = clipTop + ImGui::GetWindowHeight();
  for (Column* c : cols_) drawColumn(ui, *c, g, content, clipTop, clipBottom);
  if (growing) drawMoves(ui, oldc, g, content, clipTop, clipBottom);
  const float poolY = content.y + colsH + fs * 0.3f;
  drawPool(ui, false, g, ImVec2(newc.x, poolY));
  if (growing) drawPool(ui, true, g, ImVec2(oldc.x, poolY));

  // The current event, outlined where it happens.
  for (int i = 0; i < nmk; i++) {
    std::optional<ScreenRect> r;
    if (mk[i].kind == EventMark::Cell) r = cellRect(mk[i].loc);
    else if (mk[i].kind == EventMark::Bmap) r = bmapRect(mk[i].loc.old, mk[i].loc.bucket, mk[i].loc.chain);
    else {
      auto a = bmapRect(mk[i].loc.old, mk[i].loc.bucket, 0);
      if (a) {
        auto at = locate(mk[i].loc.old, mk[i].loc.bucket);
        int len = at ? at->first->chainLen[at->second] : 1;
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
      ImGui::TextUnformatted(F(old ? S::TipCellOld : S::TipCellNew, b, ci ? F(S::TipOverflowPart, ci) : std::string(), s).c_str());
      ImGui::Text("tophash 0x%02x: %s", v.tophash[s], cellStateName(v.tophash[s]));
      if (v.tophash[s] >= minTopHash || (v.tophash[s] >= evacuatedX && v.tophash[s] <= evacuatedY))
        ImGui::TextUnformatted(F(S::TipKeyValue, keyText(v.keys[s]), v.elems[s],
                                 v.tophash[s] < minTopHash ? tr(S::TipStaleCopy) : "").c_str());
      else if (v.tophash[s] <= emptyOne && unpublishedKeyAt(Loc{old, b, ci, static_cast<uint8_t>(s)}))
        ImGui::TextUnformatted(F(S::TipKeyNoTophash, keyText(v.keys[s])).c_str());
      if (ci) ImGui::TextUnformatted(v.pre >= 0 ? F(S::TipPoolBucket, v.pre).c_str() : tr(S::TipHeapOverflow));
      ImGui::EndTooltip();
      break;
    }
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(contentW, contentH));
  ImGui::EndChild();
  cols_.clear();
}

} // namespace gomap::ui
