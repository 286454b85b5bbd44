#include "ui/overview_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }
} // namespace

namespace {
constexpr int64_t kMaxIncrementalEvents = 200000;

// Cells the overview marks: everything located except iteration, which reads
// through its own snapshot of the array.
bool marksCell(EventKind k) { return carriesCell(k) && kindInfo(k).category != EventCategory::Iteration; }
} // namespace

int OverviewView::bucketsPerRow(uint8_t B) {
  // About square in texels (8 per bucket), a bit taller than wide.
  int b = B >= 3 ? (B - 3) / 2 : 0;
  return 1 << b;
}

void OverviewView::rebuild(const AnyMap& m, bool old, CellTexture& t, uint64_t nb, int bpr) {
  t.resize(nb, bpr);
  uint8_t th[8];
  for (uint64_t b = 0; b < nb; b++) {
    for (int s = 0; s < 8; s++) th[s] = m.headTophash(old, b, s);
    int len = m.chainLength(old, b);
    t.setBucket(b, th, static_cast<uint8_t>(std::clamp(len - 1, 0, 255)));
  }
}

void OverviewView::refresh(const AnyMap& m, bool old, uint64_t bucket) {
  CellTexture& t = old ? oldTex_ : newTex_;
  if (bucket >= t.buckets()) return;
  uint8_t th[8];
  for (int s = 0; s < 8; s++) th[s] = m.headTophash(old, bucket, s);
  int len = m.chainLength(old, bucket);
  t.setBucket(bucket, th, static_cast<uint8_t>(std::clamp(len - 1, 0, 255)));
  bucketRefreshes_++;
}

void OverviewView::sync(const Frame& f) {
  if (!f.loaded()) return;
  const EventSource& s = *f.events;
  const AnyMap& m = *f.map;
  const Hmap& h = m.header();
  Key k;
  k.sessionId = f.sessionId;
  k.nil = m.isNil();
  k.B = h.B;
  k.growing = m.growing();
  k.nold = k.growing ? m.noldbuckets() : 0;
  k.buckets = h.buckets;
  k.oldbuckets = h.oldbuckets;
  const int64_t pos = f.position;
  bool full = !(k == key_) || shapeChanged_;
  shapeChanged_ = false;
  if (!full && pos != syncedPos_) {
    const int64_t lo = std::min(pos, syncedPos_), hi = std::max(pos, syncedPos_);
    if (hi - lo > kMaxIncrementalEvents) {
      full = true;
    } else {
      const uint64_t nold = k.nold;
      const bool sameSize = (h.flags & sameSizeGrow) != 0;
      std::unordered_set<uint64_t> done;
      auto touch = [&](bool old, uint64_t b) {
        if (done.insert((uint64_t{old} << 63) | b).second) refresh(m, old, b);
      };
      for (int64_t i = lo + 1; i <= hi && !full; i++) {
        const Event& e = s.event(static_cast<uint64_t>(i));
        if (replacesArrays(e)) {
          full = true;
          break;
        }
        if (marksCell(e.kind)) {
          Loc l = e.loc();
          touch(l.old, l.bucket);
        }
        std::optional<uint64_t> oldb;
        switch (e.kind) {
        case EventKind::CellEvacuated: touch(false, payloadOf<EventKind::CellEvacuated>(e).dstBucket()); break;
        case EventKind::EvacuateBegin: oldb = payloadOf<EventKind::EvacuateBegin>(e).oldbucket; break;
        case EventKind::OldBucketCleared: oldb = payloadOf<EventKind::OldBucketCleared>(e).oldbucket; break;
        case EventKind::BucketEvacuated: oldb = payloadOf<EventKind::BucketEvacuated>(e).oldbucket; break;
        default: break;
        }
        if (oldb) {
          touch(true, *oldb);
          touch(false, *oldb);
          if (!sameSize && nold) touch(false, *oldb + nold);
        }
      }
    }
  }
  if (full) {
    const uint64_t nb = (!k.nil && h.buckets) ? bucketShift(h.B) : 0;
    const int bpr = bpr_ ? bpr_ : bucketsPerRow(h.B);
    rebuild(m, false, newTex_, nb, bpr);
    if (k.growing) rebuild(m, true, oldTex_, k.nold, bpr);
    else oldTex_.resize(0, bpr);
    fullRebuilds_++;
    if (!(k.B == key_.B && k.sessionId == key_.sessionId)) fitted_ = false;
  }
  key_ = k;
  syncedPos_ = pos;
}

bool OverviewView::verify(const AnyMap& m, std::string& why) const {
  const Hmap& h = m.header();
  const uint64_t nb = (!m.isNil() && h.buckets) ? bucketShift(h.B) : 0;
  if (newTex_.buckets() != nb) {
    why = fmt::format("new texture holds {} buckets, the map {}", newTex_.buckets(), nb);
    return false;
  }
  auto check = [&](bool old, const CellTexture& t, uint64_t n) {
    for (uint64_t b = 0; b < n; b++) {
      int len = m.chainLength(old, b);
      for (int s = 0; s < 8; s++) {
        const uint8_t* px = t.texel(b, s);
        uint8_t th = m.headTophash(old, b, s);
        uint8_t ovf = static_cast<uint8_t>(std::clamp(len - 1, 0, 255));
        if (px[0] != th || px[1] != ovf) {
          why = fmt::format("{} bucket {} slot {}: texel ({}, {}), map ({}, {})", old ? "old" : "new", b, s, px[0],
                            px[1], th, ovf);
          return false;
        }
      }
    }
    return true;
  };
  if (!check(false, newTex_, nb)) return false;
  if (m.growing()) {
    if (oldTex_.buckets() != m.noldbuckets()) {
      why = "old texture has the wrong size";
      return false;
    }
    if (!check(true, oldTex_, m.noldbuckets())) return false;
  }
  return true;
}

std::optional<ImVec4> OverviewView::cellRect(bool old, uint64_t bucket, int slot) const {
  const int p = old ? 0 : 1;
  const CellTexture& t = old ? oldTex_ : newTex_;
  if (!panelShown_[p] || bucket >= t.buckets()) return std::nullopt;
  const uint64_t bpr = static_cast<uint64_t>(t.bucketsPerRow());
  const float col = static_cast<float>((bucket % bpr) * 8 + static_cast<uint64_t>(slot));
  const float row = static_cast<float>(bucket / bpr);
  const float x0 = panelPos_[p].x + panelSize_.x * 0.5f + (col - cx_) * zoom_;
  const float y0 = panelPos_[p].y + panelSize_.y * 0.5f + (row - cy_) * zoom_;
  return ImVec4(x0, y0, x0 + zoom_, y0 + zoom_);
}

void OverviewView::panel(UiContext& ui, const Frame& f, bool old, const CellTexture& t, ImVec2 p0, ImVec2 p1) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& pal = palette();
  const ImVec2 size(p1.x - p0.x, p1.y - p0.y);
  const ImVec4 texRect(cx_ - size.x * 0.5f / zoom_, cy_ - size.y * 0.5f / zoom_, cx_ + size.x * 0.5f / zoom_,
                       cy_ + size.y * 0.5f / zoom_);
  dl->PushClipRect(p0, p1, true);
  // Only the part of the panel the texture covers: zoomed out, that is a
  // fraction of the panel, and every fragment costs on a software rasteriser.
  {
    const float tx0 = std::max(texRect.x, 0.0f), ty0 = std::max(texRect.y, 0.0f);
    const float tx1 = std::min(texRect.z, static_cast<float>(t.width()));
    const float ty1 = std::min(texRect.w, static_cast<float>(t.height()));
    if (ui.gl && t.id() && tx1 > tx0 && ty1 > ty0) {
      const ImVec2 q0(p0.x + (tx0 - texRect.x) * zoom_, p0.y + (ty0 - texRect.y) * zoom_);
      const ImVec2 q1(p0.x + (tx1 - texRect.x) * zoom_, p0.y + (ty1 - texRect.y) * zoom_);
      ui.gl->addDraw(dl, t, q0, q1, ImVec4(tx0, ty0, tx1, ty1), zoom_, old);
    }
  }

  const AnyMap& m = *f.map;
  const uint64_t bpr = static_cast<uint64_t>(t.bucketsPerRow());
  auto rectOf = [&](uint64_t b, int slot) {
    const float col = static_cast<float>((b % bpr) * 8 + static_cast<uint64_t>(slot));
    const float row = static_cast<float>(b / bpr);
    ImVec2 a(p0.x + size.x * 0.5f + (col - cx_) * zoom_, p0.y + size.y * 0.5f + (row - cy_) * zoom_);
    return std::pair<ImVec2, ImVec2>(a, ImVec2(a.x + zoom_, a.y + zoom_));
  };

  // Text on the cells when zoomed in enough to read it.
  const float fs = ImGui::GetFontSize();
  if (zoom_ >= fs * 1.6f) {
    const int c0 = std::max(0, static_cast<int>(std::floor(texRect.x)));
    const int c1 = std::min(t.width() - 1, static_cast<int>(std::floor(texRect.z)));
    const int r0 = std::max(0, static_cast<int>(std::floor(texRect.y)));
    const int r1 = std::min(t.height() - 1, static_cast<int>(std::floor(texRect.w)));
    const bool keys = zoom_ >= fs * 3.2f;
    for (int r = r0; r <= r1; r++) {
      for (int bc = c0 / 8; bc <= c1 / 8; bc++) {
        const uint64_t b = static_cast<uint64_t>(r) * bpr + static_cast<uint64_t>(bc);
        if (b >= t.buckets()) continue;
        if (keys) m.chain(old, b, chain_);
        for (int s = 0; s < 8; s++) {
          const uint8_t th = t.texel(b, s)[0];
          auto [a, z] = rectOf(b, s);
          const ImU32 tc = pal.cellText[cellClass(th)];
          dl->AddText(ImVec2(a.x + 3, a.y + 2), tc, fmt::format("{:02x}", th).c_str());
          if (keys && th >= minTopHash && !chain_.empty()) {
            std::string k = shortKey(chain_[0].keys[s], static_cast<std::size_t>(zoom_ / (fs * 0.6f)));
            dl->AddText(ImVec2(a.x + 3, a.y + 2 + fs), tc, k.c_str());
          }
        }
        if (zoom_ >= fs * 2.5f) {
          auto [a, z] = rectOf(b, 0);
          dl->AddText(ui.fonts.mono, fs * 0.8f, ImVec2(a.x + 2, z.y - fs * 0.85f), pal.dim,
                      fmt::format("#{}", b).c_str());
        }
      }
    }
  }

  // The nevacuate mark on the old array.
  const Hmap& h = m.header();
  if (old && h.nevacuate < t.buckets()) {
    auto [a, z0] = rectOf(h.nevacuate, 0);
    auto [a7, z] = rectOf(h.nevacuate, 7);
    float pad = std::max(2.0f, zoom_ * 0.15f);
    dl->AddRect(ImVec2(a.x - pad, a.y - pad), ImVec2(z.x + pad, z.y + pad), pal.nevacuate, 0, 0, 2.5f);
    const std::string label = F(S::OvNevacuateBox, h.nevacuate);
    dl->AddText(ImVec2(p0.x + 4, p1.y - fs - 4), pal.nevacuate, label.c_str());
  }

  // The current event.
  if (const Event* e = f.current) {
    EventMark marks[3];
    int n = eventMarks(*e, marks);
    for (int i = 0; i < n; i++) {
      if (marks[i].loc.old != old) continue;
      const uint64_t b = marks[i].loc.bucket;
      if (b >= t.buckets()) continue;
      auto [a, z] = marks[i].kind == EventMark::Cell ? rectOf(b, marks[i].loc.slot) : rectOf(b, 0);
      if (marks[i].kind != EventMark::Cell) z = rectOf(b, 7).second;
      float pad = std::max(3.0f, zoom_ * 0.1f);
      ImVec2 A(a.x - pad, a.y - pad), Z(z.x + pad, z.y + pad);
      // Always visible, however far out: at least a small square.
      if (Z.x - A.x < 10) {
        ImVec2 c((A.x + Z.x) * 0.5f, (A.y + Z.y) * 0.5f);
        A = ImVec2(c.x - 5, c.y - 5);
        Z = ImVec2(c.x + 5, c.y + 5);
      }
      dl->AddRect(A, Z, marks[i].secondary ? pal.moveX : pal.highlight, 0, 0, pal.highlightThickness);
    }
  }
  // A race: each goroutine's last cell (its whole head bmap row for a bucket-level
  // event) in its colour, with a "Gn" tag, at least a small square however far out.
  for (const GoroutineMark& gm : f.goroutines) {
    if (!gm.hasCell || gm.cell.old != old || gm.cell.bucket >= t.buckets()) continue;
    auto [a, z] = rectOf(gm.cell.bucket, gm.cellIsBmap ? 0 : gm.cell.slot);
    if (gm.cellIsBmap) z = rectOf(gm.cell.bucket, 7).second;
    const float pad = std::max(4.0f, zoom_ * 0.15f) + 2.0f * static_cast<float>(gm.g - 1);
    ImVec2 A(a.x - pad, a.y - pad), Z(z.x + pad, z.y + pad);
    if (Z.x - A.x < 12) {
      const ImVec2 c((A.x + Z.x) * 0.5f, (A.y + Z.y) * 0.5f);
      A = ImVec2(c.x - 6, c.y - 6);
      Z = ImVec2(c.x + 6, c.y + 6);
    }
    dl->AddRect(A, Z, gm.colour, 0, 0, 3.0f);
    const std::string tag = fmt::format("G{}", gm.g);
    const ImVec2 ts = ImGui::CalcTextSize(tag.c_str());
    const ImVec2 t0(A.x + static_cast<float>(gm.g - 1) * (ts.x + 6), A.y - ts.y - 2);
    dl->AddRectFilled(t0, ImVec2(t0.x + ts.x + 4, t0.y + ts.y + 1), gm.colour, 2);
    dl->AddText(ImVec2(t0.x + 2, t0.y), IM_COL32(0, 0, 0, 255), tag.c_str());
  }
  dl->PopClipRect();
  dl->AddRect(p0, p1, pal.bucketFrame);
  dl->AddText(ImVec2(p0.x + 4, p0.y + 2), pal.text,
              old ? fmt::format("oldbuckets: {}", groupDigits(t.buckets())).c_str()
                  : fmt::format("buckets: {}", groupDigits(t.buckets())).c_str());
}

void OverviewView::draw(UiContext& ui, const Frame& f, ImVec2 size) {
  sync(f);
  newTex_.upload();
  if (oldTex_.buckets()) oldTex_.upload();

  const AnyMap& m = *f.map;
  const bool growing = m.growing() && oldTex_.buckets() > 0;
  ImGui::TextUnformatted(fmt::format("{} {} = {}  ·  {} {}", tr(S::OverviewCells), groupDigits(newTex_.buckets() * 8),
                                     fmt::format("{} x 8", groupDigits(newTex_.buckets())),
                                     tr(S::OverviewZoom), zoom_ >= 1 ? fmt::format("{:.1f} px", zoom_)
                                                                     : fmt::format("1/{:.1f} px", 1.0f / zoom_))
                             .c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton(tr(S::OverviewFit))) fitted_ = false;
  ImGui::SameLine();
  ImGui::Checkbox(tr(S::OverviewFollow), &follow);
  helpMarker(tr(S::OverviewHelp));

  ImVec2 pos = ImGui::GetCursorScreenPos();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  (void)size;
  if (avail.x < 50 || avail.y < 50) return;
  const float gap = growing ? 10.0f : 0.0f;
  const ImVec2 psize(growing ? (avail.x - gap) * 0.5f : avail.x, avail.y);
  panelSize_ = psize;
  panelPos_[0] = pos;
  panelPos_[1] = growing ? ImVec2(pos.x + psize.x + gap, pos.y) : pos;
  panelShown_[0] = growing;
  panelShown_[1] = true;

  // The texture's shape follows the panel's: as many buckets per row as make
  // its aspect closest to the panel's, so a fitted overview fills the panel's
  // width (a square texture in a wide panel filled a quarter of it). Takes
  // effect at the next sync.
  if (const uint64_t nb = newTex_.buckets(); nb > 0) {
    const double want = std::sqrt(static_cast<double>(nb) * psize.x / std::max(1.0f, psize.y) / 8.0);
    int bpr = 1;
    while (bpr * 2 <= static_cast<int>(std::min<uint64_t>(nb, 1u << 20)) && bpr * 2 <= want * 1.41) bpr *= 2;
    // How far (in log aspect) a shape is from the panel's. Reshaping rebuilds
    // the textures (millions of cells at B=20): only when the new shape is
    // clearly better, so a panel that changes a little (a caption line more or
    // less) does not flip it back and forth.
    auto off = [&](int b) { return std::fabs(std::log(static_cast<double>(b) / want)); };
    if (bpr != newTex_.bucketsPerRow() && off(newTex_.bucketsPerRow()) > off(bpr) + std::log(1.5)) {
      bpr_ = bpr;
      shapeChanged_ = true;
      fitted_ = false;
    }
  }
  const float tw = static_cast<float>(newTex_.width()), th = static_cast<float>(newTex_.height());
  const float fitZoom = (tw > 0 && th > 0) ? std::min(psize.x / tw, psize.y / th) : 1.0f;
  if (!fitted_ && tw > 0 && th > 0) {
    zoom_ = fitZoom;
    cx_ = tw * 0.5f;
    cy_ = th * 0.5f;
    fitted_ = true;
  }
  // Keep the data in view: no zooming out past the fit, no panning off the
  // texture (a blank panel helps nobody).
  auto clampView = [&] {
    if (tw <= 0 || th <= 0) return;
    zoom_ = std::max(zoom_, fitZoom);
    const float hx = psize.x * 0.5f / zoom_, hy = psize.y * 0.5f / zoom_;
    cx_ = tw <= 2 * hx ? tw * 0.5f : std::clamp(cx_, hx, tw - hx);
    cy_ = th <= 2 * hy ? th * 0.5f : std::clamp(cy_, hy, th - hy);
  };

  ImGui::InvisibleButton("##overviewCanvas", avail); // not "overview": the mode radio button has that label
  const ImGuiIO& io = ImGui::GetIO();
  int hoverPanel = -1;
  for (int p = 0; p < 2; p++) {
    if (!panelShown_[p]) continue;
    ImVec2 a = panelPos_[p], z(a.x + psize.x, a.y + psize.y);
    if (io.MousePos.x >= a.x && io.MousePos.x < z.x && io.MousePos.y >= a.y && io.MousePos.y < z.y) hoverPanel = p;
  }
  if (ImGui::IsItemHovered() && hoverPanel >= 0) {
    const ImVec2 centre(panelPos_[hoverPanel].x + psize.x * 0.5f, panelPos_[hoverPanel].y + psize.y * 0.5f);
    const float mtx = cx_ + (io.MousePos.x - centre.x) / zoom_, mty = cy_ + (io.MousePos.y - centre.y) / zoom_;
    if (io.MouseWheel != 0) {
      zoom_ = std::clamp(zoom_ * std::pow(1.25f, io.MouseWheel), 0.02f, 400.0f);
      cx_ = mtx - (io.MousePos.x - centre.x) / zoom_;
      cy_ = mty - (io.MousePos.y - centre.y) / zoom_;
    }
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      zoom_ = std::min(400.0f, zoom_ * 4);
      cx_ = mtx;
      cy_ = mty;
    }
    // Tooltip: the cell under the mouse.
    const CellTexture& t = hoverPanel == 0 ? oldTex_ : newTex_;
    if (mtx >= 0 && mty >= 0 && mtx < static_cast<float>(t.width()) && mty < static_cast<float>(t.height())) {
      const uint64_t col = static_cast<uint64_t>(mtx), row = static_cast<uint64_t>(mty);
      const uint64_t b = row * static_cast<uint64_t>(t.bucketsPerRow()) + col / 8;
      const int slot = static_cast<int>(col % 8);
      if (b < t.buckets()) {
        m.chain(hoverPanel == 0, b, chain_);
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(F(hoverPanel == 0 ? S::TipCellOld : S::TipCellNew, b, "", slot).c_str());
        if (!chain_.empty()) {
          const uint8_t th8 = chain_[0].tophash[slot];
          ImGui::Text("tophash 0x%02x (%s)", th8, cellStateName(th8));
          if (th8 >= minTopHash)
            ImGui::TextUnformatted(F(S::TipKeyIs, keyText(chain_[0].keys[slot]), chain_[0].elems[slot]).c_str());
          ImGui::TextUnformatted(F(S::TipBmaps, tr(S::Chain), chain_.size()).c_str());
        }
        ImGui::EndTooltip();
      }
    }
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 1.0f)) {
    cx_ -= io.MouseDelta.x / zoom_;
    cy_ -= io.MouseDelta.y / zoom_;
  }
  clampView();

  // Follow the current event: bring its bucket into view when it moves.
  if (follow && f.position != followedPos_) {
    followedPos_ = f.position;
    if (const Event* e = f.current) {
      EventMark marks[3];
      if (eventMarks(*e, marks) > 0) {
        const uint64_t bpr = static_cast<uint64_t>(newTex_.bucketsPerRow());
        const float col = static_cast<float>((marks[0].loc.bucket % bpr) * 8 + 4);
        const float row = static_cast<float>(marks[0].loc.bucket / bpr) + 0.5f;
        if (std::fabs(col - cx_) * zoom_ > psize.x * 0.45f || std::fabs(row - cy_) * zoom_ > psize.y * 0.45f) {
          cx_ = col;
          cy_ = row;
          clampView();
        }
      }
    }
  }

  if (ui.gl && !ui.gl->error().empty()) colouredText(palette().error, ("overview shader: " + ui.gl->error()).c_str());
  if (growing) panel(ui, f, true, oldTex_, panelPos_[0], ImVec2(panelPos_[0].x + psize.x, panelPos_[0].y + psize.y));
  panel(ui, f, false, newTex_, panelPos_[1], ImVec2(panelPos_[1].x + psize.x, panelPos_[1].y + psize.y));
}

} // namespace gomap::ui
