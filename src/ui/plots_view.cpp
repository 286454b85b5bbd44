#include "ui/plots_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

namespace {
// One plot: sampled at each pixel column from a value function of the event index.
void plot(UiContext& ui, const char* title, const std::string& current, ImVec2 size, uint64_t n,
          const std::function<double(int64_t)>& value, ImU32 colour, const std::function<double(int64_t)>* threshold,
          const DerivedSeries& d, int64_t cursor) {
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float fs = ImGui::GetFontSize();
  ImGui::Dummy(size);
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), pal.bucketFrame);
  // A title wider than the plot ends in an ellipsis (the tooltip has it whole).
  std::string shown = title;
  if (const float room = size.x - 8; ImGui::CalcTextSize(title).x > room) {
    const float ell = ImGui::CalcTextSize("\xe2\x80\xa6").x;
    // Cut after the last whole UTF-8 character that fits (at least one).
    std::size_t n = 0;
    while (n < shown.size()) {
      std::size_t k = n + 1;
      while (k < shown.size() && (static_cast<unsigned char>(shown[k]) & 0xC0) == 0x80) k++;
      if (ImGui::CalcTextSize(title, title + k).x + ell > room && n > 0) break;
      n = k;
    }
    shown = shown.substr(0, n) + "\xe2\x80\xa6";
  }
  dl->PushClipRect(p, ImVec2(p.x + size.x - 2, p.y + size.y), true);
  dl->AddText(ImVec2(p.x + 4, p.y + 2), pal.text, shown.c_str());
  dl->PopClipRect();
  dl->AddText(ui.fonts.mono, fs, ImVec2(p.x + 4, p.y + 2 + fs), colour, current.c_str());
  if (n == 0) return;
  const int cols = std::max(2, static_cast<int>(size.x) - 2);
  std::vector<double> v(static_cast<std::size_t>(cols)), t;
  double vmax = 0;
  for (int c = 0; c < cols; c++) {
    int64_t ev = static_cast<int64_t>(static_cast<double>(c + 1) * static_cast<double>(n) / cols) - 1;
    v[static_cast<std::size_t>(c)] = value(ev);
    vmax = std::max(vmax, v[static_cast<std::size_t>(c)]);
  }
  if (threshold) {
    t.resize(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; c++) {
      int64_t ev = static_cast<int64_t>(static_cast<double>(c + 1) * static_cast<double>(n) / cols) - 1;
      t[static_cast<std::size_t>(c)] = (*threshold)(ev);
      vmax = std::max(vmax, t[static_cast<std::size_t>(c)]);
    }
  }
  if (vmax <= 0) vmax = 1;
  const float top = p.y + fs * 2.2f, bottom = p.y + size.y - 3;
  auto yOf = [&](double x) { return bottom - static_cast<float>(x / (vmax * 1.05)) * (bottom - top); };
  // Growth markers.
  for (const Marker& m : d.markers) {
    if (m.kind != MarkerKind::GrowStart && m.kind != MarkerKind::SameSizeGrowStart && m.kind != MarkerKind::GrowEnd) continue;
    const float x = p.x + 1 + static_cast<float>(m.event) * static_cast<float>(cols) / static_cast<float>(n);
    dl->AddLine(ImVec2(x, top), ImVec2(x, bottom), pal.markers[static_cast<int>(m.kind)] & 0x90ffffff, 1.0f);
  }
  if (threshold) {
    for (int c = 1; c < cols; c++)
      dl->AddLine(ImVec2(p.x + static_cast<float>(c), yOf(t[static_cast<std::size_t>(c - 1)])),
                  ImVec2(p.x + 1 + static_cast<float>(c), yOf(t[static_cast<std::size_t>(c)])), pal.plotThreshold, 1.0f);
  }
  std::vector<ImVec2> pts(static_cast<std::size_t>(cols));
  for (int c = 0; c < cols; c++) pts[static_cast<std::size_t>(c)] = ImVec2(p.x + 1 + static_cast<float>(c), yOf(v[static_cast<std::size_t>(c)]));
  dl->AddPolyline(pts.data(), cols, colour, 0, 2.0f);
  if (cursor >= 0) {
    const float x = p.x + 1 + (static_cast<float>(cursor) + 0.5f) * static_cast<float>(cols) / static_cast<float>(n);
    dl->AddLine(ImVec2(x, top), ImVec2(x, bottom), pal.plotCursor, 1.5f);
  }
  std::string mx = "max " + (vmax >= 1e6 ? fmt::format("{:.3g}", vmax) : fmt::format("{:g}", std::round(vmax * 100) / 100));
  ImVec2 ts = ImGui::CalcTextSize(mx.c_str());
  // The maximum after the current value when both fit (a large font in a
  // narrow plot wrote one over the other); else on hover.
  const float curW = ui.fonts.mono->CalcTextSizeA(fs, FLT_MAX, 0, current.c_str()).x;
  if (4 + curW + fs * 0.5f + ts.x + 4 <= size.x) dl->AddText(ImVec2(p.x + size.x - ts.x - 4, p.y + 2 + fs), pal.dim, mx.c_str());
  else if (ImGui::IsMouseHoveringRect(p, ImVec2(p.x + size.x, p.y + size.y)))
    ImGui::SetTooltip("%s: %s, %s", title, current.c_str(), mx.c_str());
}
} // namespace

void PlotsView::draw(UiContext& ui, const Frame& f) {
  if (!f.loaded() || !f.derived) return;
  DerivedSeries& d = *f.derived;
  const uint64_t n = f.events->eventCount();
  const int64_t cur = f.position;
  const Palette& pal = palette();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // Four in a row; two by two when a row would make them too narrow for their
  // titles and the panel is tall enough.
  const float fs = ImGui::GetFontSize();
  const bool grid = (avail.x - 3 * gap) / 4.0f < fs * 11 && avail.y >= fs * 7;
  const ImVec2 size = grid ? ImVec2((avail.x - gap) / 2.0f, (avail.y - ImGui::GetStyle().ItemSpacing.y) / 2.0f - 2)
                           : ImVec2((avail.x - 3 * gap) / 4.0f, avail.y - 2);
  auto at = [&](const std::vector<StepPoint>& s) { return [&s](int64_t ev) { return static_cast<double>(DerivedSeries::valueAt(s, ev)); }; };
  std::function<double(int64_t)> load = [&d](int64_t ev) {
    return static_cast<double>(DerivedSeries::valueAt(d.count, ev)) /
           static_cast<double>(bucketShift(static_cast<uint8_t>(DerivedSeries::valueAt(d.B, ev))));
  };
  std::function<double(int64_t)> lf = [](int64_t) { return 6.5; };
  std::function<double(int64_t)> novThr = [&d](int64_t ev) {
    return static_cast<double>(uint64_t{1} << std::min<int64_t>(DerivedSeries::valueAt(d.B, ev), 15));
  };
  plot(ui, tr(S::PlotLoad), fmt::format("{:.2f}", cur >= 0 ? load(cur) : 0.0), size, n, load, pal.plotLoad, &lf, d, cur);
  ImGui::SameLine();
  plot(ui, tr(S::PlotCount), groupDigits(static_cast<uint64_t>(DerivedSeries::valueAt(d.count, cur))), size, n,
       at(d.count), pal.plotCount, nullptr, d, cur);
  if (!grid) ImGui::SameLine();
  plot(ui, tr(S::PlotNoverflow), std::to_string(DerivedSeries::valueAt(d.noverflow, cur)), size, n, at(d.noverflow),
       pal.plotNoverflow, &novThr, d, cur);
  ImGui::SameLine();
  plot(ui, tr(S::PlotMemory), bytesText(static_cast<uint64_t>(DerivedSeries::valueAt(d.memory, cur))), size, n,
       at(d.memory), pal.plotMemory, nullptr, d, cur);
}

} // namespace gomap::ui
