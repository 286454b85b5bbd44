#include "ui/compare_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

#include "trace/source_file.hpp"

namespace gomap::ui {

bool CompareModel::fits(const std::vector<ScriptOp>& ops, const std::string& file, std::string& why) {
  if (ops.size() > kMaxOps) {
    why = fmt::format("{}: {} ops: the comparison panel holds at most {} (gomaplab compare {} --every N prints "
                      "tables for any length)",
                      file, ops.size(), kMaxOps, file);
    return false;
  }
  if (ops.empty()) {
    why = file + ": expected at least one op (make KIND HINT, put, get, ...)";
    return false;
  }
  return true;
}

bool CompareModel::openOps(const std::vector<ScriptOp>& ops, const std::string& file, swiss::Version v) {
  std::string why;
  if (!fits(ops, file, why)) {
    error = why;
    return false;
  }
  compare::Options o;
  o.version = v;
  series = compare::runSeries(ops, o);
  options = o;
  path = file;
  error.clear();
  cursor = static_cast<int64_t>(series.rows.size()) - 1;
  return true;
}

bool CompareModel::openText(const std::string& text, const std::string& file, swiss::Version v) {
  std::optional<SourceError> err;
  std::vector<ScriptOp> ops = compare::parseCompareScript(text, file, err);
  if (err) {
    error = err->format();
    return false;
  }
  return openOps(ops, file, v);
}

bool CompareModel::open(const std::string& file, swiss::Version v) {
  std::string text, why;
  if (!readSourceFile(file, text, why, "script")) {
    error = file + ": " + why;
    return false;
  }
  return openText(text, file, v);
}

void CompareModel::seek(int64_t op) {
  const int64_t n = static_cast<int64_t>(series.rows.size());
  cursor = std::clamp<int64_t>(op, -1, n - 1);
}

namespace {

// The mono font has no CJK glyphs: text with any non-ASCII byte takes the UI font.
bool ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
ImFont* fontFor(UiContext& ui, const std::string& s) { return ascii(s) && ui.fonts.mono ? ui.fonts.mono : ImGui::GetFont(); }

std::string statText(const compare::Stat& s) {
  if (s.n == 0) return "-";
  return fmt::format("{:.2f} / {}", s.mean(), s.max);
}
std::string lastText(int64_t a, int64_t b) {
  if (a < 0) return "-";
  return fmt::format("{}, {}", a, b);
}

// A plot of two series over the ops (classic and Swiss), the cursor marked.
// Returns the op under the mouse when the left button is down in it, else -2.
int64_t twoLinePlot(UiContext& ui, const char* title, const std::string& currentA, const std::string& currentB, ImVec2 size,
                    const std::vector<float>& a, const std::vector<float>& b, ImU32 ca, ImU32 cb, int64_t cursor,
                    ImVec4& rect) {
  const Palette& pal = palette();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float fs = ImGui::GetFontSize();
  ImGui::InvisibleButton(title, size);
  rect = ImVec4(p.x, p.y, size.x, size.y);
  int64_t picked = -2;
  const std::size_t n = std::max(a.size(), b.size());
  const int cols = std::max(2, static_cast<int>(size.x) - 2);
  if (ImGui::IsItemActive() && n > 0) {
    const float fx = (ImGui::GetIO().MousePos.x - p.x - 1) / static_cast<float>(cols);
    picked = std::clamp<int64_t>(static_cast<int64_t>(fx * static_cast<float>(n)), 0, static_cast<int64_t>(n) - 1);
  }
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), pal.bucketFrame);
  dl->PushClipRect(p, ImVec2(p.x + size.x - 2, p.y + size.y), true);
  dl->AddText(ImVec2(p.x + 4, p.y + 2), pal.text, title);
  // The values at the cursor, each in its line's colour: the legend too.
  const std::string la = std::string(tr(S::CmpColClassic)) + " " + currentA;
  const std::string lb = std::string("Swiss ") + currentB;
  dl->AddText(fontFor(ui, la), fs, ImVec2(p.x + 4, p.y + 2 + fs), ca, la.c_str());
  const float wa = fontFor(ui, la)->CalcTextSizeA(fs, FLT_MAX, 0, la.c_str()).x;
  dl->AddText(fontFor(ui, lb), fs, ImVec2(p.x + 4 + wa + fs, p.y + 2 + fs), cb, lb.c_str());
  dl->PopClipRect();
  if (n == 0) return picked;
  double vmax = 0;
  for (const auto* v : {&a, &b})
    for (float x : *v)
      if (std::isfinite(x)) vmax = std::max(vmax, static_cast<double>(x));
  if (vmax <= 0) vmax = 1;
  const float top = p.y + fs * 2.3f, bottom = p.y + size.y - 3;
  auto yOf = [&](double x) { return bottom - static_cast<float>(x / (vmax * 1.05)) * (bottom - top); };
  auto line = [&](const std::vector<float>& v, ImU32 colour, float thick) {
    if (v.empty()) return;
    std::vector<ImVec2> pts;
    pts.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; c++) {
      std::size_t i = static_cast<std::size_t>(static_cast<double>(c + 1) * static_cast<double>(n) / cols);
      i = std::min(i == 0 ? 0 : i - 1, v.size() - 1);
      const float x = v[i];
      if (!std::isfinite(x)) continue;
      // Whole pixels, and a run of equal heights as one segment: the step
      // lines (bytes) become a few dozen segments, which a software
      // rasteriser draws in a fraction of the time of one per column.
      const ImVec2 q(p.x + 1 + static_cast<float>(c), std::round(yOf(x)));
      if (pts.size() >= 2 && pts[pts.size() - 1].y == q.y && pts[pts.size() - 2].y == q.y) pts.back() = q;
      else pts.push_back(q);
    }
    if (pts.size() >= 2) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, 0, thick);
  };
  // The classic line wider, under the Swiss one: where they are equal both show.
  line(a, ca, 3.5f);
  line(b, cb, 1.5f);
  if (cursor >= 0) {
    const float x = p.x + 1 + (static_cast<float>(cursor) + 0.5f) * static_cast<float>(cols) / static_cast<float>(n);
    dl->AddLine(ImVec2(x, top), ImVec2(x, bottom), pal.plotCursor, 1.5f);
  }
  const std::string mx = "max " + (vmax >= 1e6 ? fmt::format("{:.3g}", vmax) : fmt::format("{:g}", std::round(vmax * 100) / 100));
  const ImVec2 ts = ImGui::CalcTextSize(mx.c_str());
  if (ImGui::CalcTextSize(title).x + ts.x + 12 <= size.x)
    dl->AddText(ImVec2(p.x + size.x - ts.x - 4, p.y + 2), pal.dim, mx.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s (%s)", title, tr(S::CmpPlotHelp), mx.c_str());
  return picked;
}

} // namespace

void CompareView::draw(UiContext& ui, CompareModel& m) {
  shown.clear();
  if (!m.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().error);
    textWrapped(fmt::format(fmt::runtime(tr(S::CmpLoadError)), m.error));
    ImGui::PopStyleColor();
  }
  if (!m.loaded()) {
    textWrapped(tr(S::CmpNone));
    return;
  }
  const Palette& pal = palette();
  const ImU32 classicColour = pal.plotMemory, swissColour = pal.plotLoad;
  const int64_t n = static_cast<int64_t>(m.ops());
  const std::string version = compare::versionName(m.options.version).substr(2); // "1.27"

  // Stepping: first, previous, next, last; the op on screen.
  auto button = [&](const char* label, S tip, ImVec4* rect) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const bool hit = ImGui::Button(label);
    const ImVec2 sz = ImGui::GetItemRectSize();
    if (rect) *rect = ImVec4(at.x, at.y, sz.x, sz.y);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(tip));
    ImGui::SameLine();
    return hit;
  };
  if (button("|<##cmpfirst", S::CmpFirst, nullptr)) m.seek(0);
  if (button("<##cmpprev", S::CmpPrev, &prevButton)) m.seek(m.cursor - 1);
  if (button(">##cmpnext", S::CmpNext, &nextButton)) m.seek(m.cursor + 1);
  if (button(">|##cmplast", S::CmpLast, nullptr)) m.seek(n - 1);
  if (m.cursor < 0) {
    ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::CmpBefore)), n).c_str());
  } else {
    const compare::Row& r = m.series.rows[static_cast<std::size_t>(m.cursor)];
    ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::CmpOpOf)), m.cursor + 1, n, r.line, r.text).c_str());
    if (!r.classicOutcome.empty() || !r.swissOutcome.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, pal.error);
      ImGui::TextUnformatted(
          fmt::format(fmt::runtime(tr(S::CmpStopped)), r.classicOutcome.empty() ? r.swissOutcome : r.classicOutcome).c_str());
      ImGui::PopStyleColor();
    }
  }

  // The figures at the current op (before the first op: an empty row).
  static const compare::Row kEmpty{};
  const compare::Row& r = m.cursor >= 0 ? m.series.rows[static_cast<std::size_t>(m.cursor)] : kEmpty;
  const compare::ClassicFigures& c = r.classic;
  const compare::SwissFigures& w = r.swiss;
  auto shapeClassic = [&]() -> std::string {
    if (!c.made) return tr(S::CmpNotMade);
    if (c.nil) return tr(S::CmpShapeNil);
    return fmt::format(fmt::runtime(tr(S::CmpShapeBuckets)), c.B, uint64_t{1} << c.B) + (c.growing ? tr(S::CmpGrowing) : "");
  };
  auto shapeSwiss = [&]() -> std::string {
    if (!w.made) return tr(S::CmpNotMade);
    if (w.nil) return tr(S::CmpShapeNil);
    if (w.small) return tr(w.capacity ? S::CmpShapeSmall : S::CmpShapeSmallEmpty);
    return fmt::format(fmt::runtime(tr(S::CmpShapeTables)), w.tables, w.dirLen);
  };
  const std::string none = "-";
  shown = {
      {tr(S::CmpBytes), groupDigits(c.bytes), groupDigits(w.bytes)},
      {tr(S::CmpEntries), groupDigits(c.count), groupDigits(w.used)},
      {tr(S::CmpShape), shapeClassic(), shapeSwiss()},
      {tr(S::CmpSlots), groupDigits(c.slots), groupDigits(w.capacity)},
      {tr(S::CmpLoad), fmt::format("{:.3f}", c.load), fmt::format("{:.3f}", w.load)},
      {tr(S::CmpEmpty), c.emptyOne == std::numeric_limits<uint64_t>::max() ? none : groupDigits(c.emptyOne),
       groupDigits(w.tombstones)},
      {tr(S::CmpLookups), groupDigits(c.bmaps.n), groupDigits(w.groups.n)},
      {tr(S::CmpProbes), statText(c.bmaps), statText(w.groups)},
      {tr(S::CmpKeyCmp), statText(c.keyCmp), statText(w.keyCmp)},
      {tr(S::CmpTophash), statText(c.tophashCmp), none},
      {tr(S::CmpThisGet), lastText(c.lastBmaps, c.lastKeyCmp), lastText(w.lastGroups, w.lastKeyCmp)},
      {tr(S::CmpGrows), fmt::format(fmt::runtime(tr(S::CmpSameSize)), c.grows, c.sameSizeGrows), std::to_string(w.grows)},
      {tr(S::CmpEvacuations), groupDigits(c.evacuations), none},
      {tr(S::CmpOverflow), groupDigits(c.overflows), none},
      {tr(S::CmpConversions), none, std::to_string(w.conversions)},
      {tr(S::CmpSplits), none, std::to_string(w.splits)},
      {tr(S::CmpDirDoublings), none, std::to_string(w.dirDoublings)},
      {tr(S::CmpPrunes), none, fmt::format("{} / {}", w.prunes, w.pruneRuns)},
  };
  const float fs = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Table and plots side by side when the panel is wide, else the plots below.
  const bool wide = avail.x >= fs * 52;
  const float tableW = wide ? std::min(avail.x * 0.5f, fs * 34) : avail.x;
  const float rowH = ImGui::GetTextLineHeightWithSpacing();
  const float tableH = wide ? avail.y : std::min(avail.y * 0.55f, rowH * (static_cast<float>(shown.size()) + 2.5f));
  if (ImGui::BeginChild("##cmptable", ImVec2(tableW, tableH), false)) {
    if (ImGui::BeginTable("##cmpfigures", 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn(tr(S::CmpColFigure), ImGuiTableColumnFlags_WidthStretch, 1.6f);
      ImGui::TableSetupColumn(tr(S::CmpColClassic), ImGuiTableColumnFlags_WidthStretch, 1.0f);
      const std::string swissHead = fmt::format(fmt::runtime(tr(S::CmpColSwiss)), version);
      ImGui::TableSetupColumn(swissHead.c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableHeadersRow();
      for (const auto& row : shown) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(row[0].c_str());
        for (int col = 1; col <= 2; col++) {
          const std::string& text = row[static_cast<std::size_t>(col)];
          ImGui::TableSetColumnIndex(col);
          ImGui::PushFont(fontFor(ui, text));
          ImGui::PushStyleColor(ImGuiCol_Text, col == 1 ? classicColour : swissColour);
          ImGui::TextUnformatted(text.c_str());
          ImGui::PopStyleColor();
          ImGui::PopFont();
        }
      }
      ImGui::EndTable();
    }
  }
  ImGui::EndChild();
  if (wide) ImGui::SameLine();
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.y;
  const ImVec2 plotSize(rest.x, std::max(fs * 4, (rest.y - gap) / 2.0f - 1));
  ImGui::BeginGroup();
  int64_t pick = twoLinePlot(ui, tr(S::CmpPlotBytes), bytesText(c.bytes), bytesText(w.bytes), plotSize, m.series.classicBytes, m.series.swissBytes,
                             classicColour, swissColour, m.cursor, bytesPlot);
  if (pick >= -1) m.seek(pick);
  pick = twoLinePlot(ui, tr(S::CmpPlotProbes), fmt::format("{:.2f}", c.bmaps.mean()),
                     fmt::format("{:.2f}", w.groups.mean()), plotSize, m.series.classicMeanProbes,
                     m.series.swissMeanProbes, classicColour, swissColour, m.cursor, probesPlot);
  if (pick >= -1) m.seek(pick);
  ImGui::EndGroup();
}

} // namespace gomap::ui
