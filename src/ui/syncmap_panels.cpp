// The sync.Map op-script session's panels, their registration and where they tile.
#include "ui/syncmap_panels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ui/go_source.hpp"
#include "ui/strings.hpp"
#include "ui/syncmap_state.hpp"
#include "ui/theme.hpp"
#include "ui/workspace.hpp"

namespace gomap::ui {

using namespace gomap::syncmap;

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }

// The site of the cursor's event (None at make and gc steps, before make); in
// a race, the m.mu call of a mutex step.
const SyncSiteInfo* cursorSite(const Frame& f) {
  if (f.syncMap && f.syncMap->muSite) return &siteInfo(*f.syncMap->muSite);
  if (!f.syncMap || !f.syncMap->current) return nullptr;
  const SyncSiteInfo& si = siteInfo(f.syncMap->current->site);
  return si.line > 0 ? &si : nullptr;
}

void markRow() {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(
      p, ImVec2(p.x + std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 40), p.y + ImGui::GetTextLineHeight()),
      palette().codeCurrent);
}
} // namespace

// ---- code ----------------------------------------------------------------------------------
void SyncOpsCodeView::draw(UiContext&, const Frame& f) {
  currentLine.clear();
  shownReal = false;
  const SyncSiteInfo* si = cursorSite(f);
  const GoSource& src = goSyncMapSource();
  if (src.loaded) ImGui::Checkbox(fmt::format("{}##smocode", tr(S::SmoRealSource)).c_str(), &realSource);
  else textWrapped(F(S::SmoNoSource, src.why));
  if (!si) {
    if (f.syncMap) textWrapped(f.syncMap->muStep);
    return;
  }
  // The function and line beside the checkbox when they fit (a projector's
  // panel keeps its rows for the code).
  const std::string where = fmt::format("sync.(*Map).{}  sync/map.go:{}", si->function, si->line);
  if (src.loaded && ImGui::CalcTextSize(where.c_str()).x + ImGui::GetStyle().ItemSpacing.x * 2 <=
                        ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x)
    ImGui::SameLine();
  ImGui::TextUnformatted(where.c_str());
  ImGui::Separator();
  ImGui::BeginChild("##smocodebody", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (src.loaded && realSource && si->line <= static_cast<int>(src.lines.size())) {
    shownReal = true;
    // The function holding the line: from its `func` line to the closing brace at column 0.
    int from = si->line, to = si->line;
    while (from > 1 && src.lines[static_cast<std::size_t>(from - 1)].rfind("func ", 0) != 0) from--;
    while (to < static_cast<int>(src.lines.size()) && src.lines[static_cast<std::size_t>(to - 1)] != "}") to++;
    for (int l = from; l <= to; l++) {
      const std::string t = fmt::format("{:>4}  {}", l, src.lines[static_cast<std::size_t>(l - 1)]);
      if (l == si->line) {
        markRow();
        currentLine = t;
        ImGui::TextUnformatted(t.c_str());
        if (!ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.5f);
      } else {
        ImGui::TextUnformatted(t.c_str());
      }
    }
  } else {
    // The project's own listing: each line of the function the model records, in line order.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    textWrapped(tr(S::SmoPseudoNote));
    ImGui::PopStyleColor();
    std::set<int> seen;
    std::vector<const SyncSiteInfo*> rows;
    for (const SyncSiteInfo& r : kSyncSiteTable)
      if (r.function == si->function && r.line > 0 && seen.insert(r.line).second) rows.push_back(&r);
    std::sort(rows.begin(), rows.end(), [](const SyncSiteInfo* a, const SyncSiteInfo* b) { return a->line < b->line; });
    for (const SyncSiteInfo* r : rows) {
      const std::string t = fmt::format("{:>4}  {}", r->line, r->needle);
      if (r->line == si->line) {
        markRow();
        currentLine = t;
      }
      ImGui::TextUnformatted(t.c_str());
      ImGui::SameLine();
      const std::string_view what = syncSiteWhat(r->site);
      ImGui::TextDisabled("// %.*s", static_cast<int>(what.size()), what.data());
    }
  }
  ImGui::EndChild();
}

// ---- events --------------------------------------------------------------------------------
void SyncOpsEventsView::draw(UiContext&, const Frame& f, SyncMapController& c) {
  currentText.clear();
  if (c.eventCount() == 0) return;
  const SyncMapSession& s = c.session();
  ImGui::Checkbox(fmt::format("{}##smoevents", tr(S::SwFollow)).c_str(), &follow);
  ImGui::BeginChild("##smoeventsbody", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float rowH = ImGui::GetTextLineHeightWithSpacing();
  if (follow && lastPos_ != f.position) {
    lastPos_ = f.position;
    const float y = static_cast<float>(std::max<int64_t>(0, f.position)) * rowH;
    const float top = ImGui::GetScrollY(), h = ImGui::GetWindowHeight();
    if (y < top || y + rowH * 2 > top + h) ImGui::SetScrollY(std::max(0.0f, y - h * 0.5f)); // (the last row sits under the scrollbar)
  }
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(std::min<uint64_t>(s.eventCount(), INT32_MAX)), rowH);
  while (clip.Step()) {
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; i++) {
      const std::size_t k = s.opOfEvent(static_cast<uint64_t>(i));
      const bool first = s.op(k).firstEvent == static_cast<uint64_t>(i);
      const std::string t = fmt::format("{:>5}  {:<18}  {}", i, first ? std::string(c.opText(k)) : std::string(),
                                        syncEventText(s, static_cast<uint64_t>(i)));
      if (i == f.position) {
        markRow();
        currentText = t;
      }
      ImGui::PushID(i);
      if (ImGui::Selectable(t.c_str(), i == f.position)) { // (the cursor's row: chosen already)
        c.pause();
        c.seek(i);
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

// ---- timeline ------------------------------------------------------------------------------
void SyncOpsTimelineView::draw(UiContext&, const Frame& f, SyncMapController& c) {
  if (c.eventCount() == 0) return;
  const int64_t n = static_cast<int64_t>(c.eventCount());
  transportControls(c, f.position < 0, f.position + 1 >= n, "smo", 1000.0f);
  ImGui::SameLine();
  ImGui::TextUnformatted(F(S::SmoEventOf, f.position + 1, n).c_str());
  ImGui::SameLine();
  const std::string counts = F(S::SmoOpsSteps, c.session().opCount(), n);
  if (ImGui::CalcTextSize(counts.c_str()).x <= ImGui::GetContentRegionAvail().x) ImGui::TextDisabled("%s", counts.c_str());
  else ImGui::NewLine();
  int64_t pos = f.position;
  const int64_t lo = -1, hi = n - 1;
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderScalar("##smoscrub", ImGuiDataType_S64, &pos, &lo, &hi,
                          f.currentOp ? F(S::SmoOpAt, *f.currentOp + 1, c.opText(*f.currentOp)).c_str() : "")) {
    c.pause();
    c.seek(pos);
  }
}

// ---- registration and layout ---------------------------------------------------------------
void registerSyncOpsPanels(PanelRegistry& r) {
  using W = PanelDef::When;
  // (The sync.Map panel is the races' one, registered with the classic panels:
  // it fits a sync.Map script too, handed the session's SyncMapFrame.)
  r.add({PanelSmoLesson, S::WinLesson, "smo.lesson", 0, W::SyncOps,
         [](Workspace& w, UiContext& ui, const Frame& f) {
           SyncMapController& c = w.appState().syncController();
           LessonData d;
           d.lesson = c.lesson();
           d.scriptOpOf = [&c](std::size_t k) { return c.scriptOpOf(k); };
           d.typedOps = false;   // the session is its script, op for op
           d.canPredict = false; // predict mode asks for a classic bucket
           w.lesson.draw(ui, f, d);
         },
         [](Workspace& w) { return w.lessonOnScreen() != nullptr; }});
  r.add({PanelSmoCode, S::SmoWinCode, "smo.code", 0, W::SyncOps,
         [](Workspace& w, UiContext& ui, const Frame& f) {
           w.syncOps.code.draw(ui, f); // (also in a sync.Map race: Workspace::wants)
         }});
  r.add({PanelSmoEvents, S::SmoWinEvents, "smo.events", 0, W::SyncOps,
         [](Workspace& w, UiContext& ui, const Frame& f) {
           w.syncOps.events.draw(ui, f, w.appState().syncController());
         }});
  r.add({PanelSmoTimeline, S::SmoWinTimeline, "smo.timeline", ImGuiWindowFlags_NoScrollbar, W::SyncOps,
         [](Workspace& w, UiContext& ui, const Frame& f) {
           w.syncOps.timeline.draw(ui, f, w.appState().syncController());
         }});
}

bool isSyncOpsPanel(Panel p) {
  return p == PanelSmoCode || p == PanelSmoEvents || p == PanelSmoTimeline || p == PanelSmoLesson;
}

bool syncOpsLayoutShows(Panel p, bool cramped) {
  if (!cramped) return true;
  // A projector: the sync.Map panel, the lesson, the code and the timeline; the event log from the View menu.
  return p != PanelSmoEvents;
}

PanelRect syncOpsLayoutOf(Panel p, float w, float h, float menuH, float fs, bool cramped, bool lesson) {
  const float timelineH = std::min(fs * 4.6f + 18, h * 0.25f);
  const float top = menuH, bottom = h - timelineH, mid = bottom - top;
  if (p == PanelSmoTimeline) return {0, bottom, w, timelineH};
  if (cramped) {
    const float L = std::min(fs * 18, w * 0.4f);
    const float l = lesson ? mid * 0.5f : 0;
    switch (p) {
    case PanelSmoLesson: return {0, top, L, l};
    case PanelSmoCode: return {0, top + l, L, mid - l};
    case PanelSyncMap: return {L, top, w - L, mid};
    case PanelSmoEvents: return {w - (w - L) * 0.6f, top + mid * 0.5f, (w - L) * 0.6f, mid * 0.5f};
    default: return {0, 0, w, h};
    }
  }
  float L = std::max(fs * 20, w * 0.26f), R = std::max(fs * 22, w * 0.32f);
  if (const float need = L + R + fs * 22; need > w) {
    L *= w / need;
    R *= w / need;
  }
  const float C = std::max(0.0f, w - L - R);
  const float l = lesson ? mid * 0.55f : 0;
  switch (p) {
  case PanelSmoLesson: return {0, top, L, l};
  case PanelSmoCode: return {0, top + l, L, mid - l};
  case PanelSyncMap: return {L, top, C, mid};
  case PanelSmoEvents: return {L + C, top, R, mid};
  default: return {0, 0, w, h};
  }
}

} // namespace gomap::ui
