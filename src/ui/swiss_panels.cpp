// The Swiss map's panels in the workspace's registry, and where they tile.
#include <algorithm>

#include "ui/swiss_state.hpp"
#include "ui/workspace.hpp"

namespace gomap::ui {

void registerSwissPanels(PanelRegistry& r) {
  using W = PanelDef::When;
  r.add({PanelSwissHeader, S::WinSwissHeader, "swiss.header", 0, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.swiss.header.draw(ui, f); }});
  // The Lesson panel (ui/lesson_view.hpp, the classic lessons' view) handed the
  // Swiss script's lesson: its title, the narration and expect lines of the op
  // at the cursor. It exists only for a script with lesson lines.
  r.add({PanelSwissLesson, S::WinLesson, "swiss.lesson", 0, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) {
           SwissController& sw = w.appState().swissController();
           LessonData d;
           d.lesson = sw.lesson();
           d.scriptOpOf = [&sw](std::size_t k) { return sw.scriptOpOf(k); };
           d.typedOps = false;   // a Swiss session is its script: every op has its line
           d.canPredict = false; // predict mode asks for a classic bucket
           w.lesson.draw(ui, f, d);
         },
         [](Workspace& w) { return w.lessonOnScreen() != nullptr; }});
  r.add({PanelSwissGroups, S::WinSwissGroups, "swiss.groups", ImGuiWindowFlags_NoScrollbar, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.swiss.groups.draw(ui, f); }});
  r.add({PanelSwissHash, S::WinSwissHash, "swiss.hash", 0, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.swiss.hash.draw(ui, f); }});
  r.add({PanelSwissCode, S::WinSwissCode, "swiss.code", 0, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.swiss.code.draw(ui, f); }});
  r.add({PanelSwissEvents, S::WinSwissEvents, "swiss.events", 0, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.swiss.events.draw(ui, f); }});
  r.add({PanelSwissTimeline, S::WinSwissTimeline, "swiss.timeline", ImGuiWindowFlags_NoScrollbar, W::Swiss,
         [](Workspace& w, UiContext& ui, const Frame& f) { w.swiss.timeline.draw(ui, f); }});
}

bool swissLayoutShows(Panel p, bool cramped) {
  if (!cramped) return true;
  // A projector: the groups with their caption, the lesson, the header and the timeline.
  return p == PanelSwissHeader || p == PanelSwissGroups || p == PanelSwissTimeline || p == PanelSwissLesson;
}

PanelRect swissLayoutOf(Panel p, float w, float h, float menuH, float fs, bool cramped, bool lesson) {
  // Title bar, the buttons and the scrubber, with the window padding (which
  // does not grow with the font): at fs * 4.6 the scrubber was cut in half.
  const float timelineH = std::min(fs * 4.6f + 18, h * 0.25f);
  const float top = menuH, bottom = h - timelineH, mid = bottom - top;
  if (cramped) {
    const float L = std::min(fs * 17, w * 0.36f);
    const float C = w - L;
    if (lesson) { // in class the narration matters most: the lesson above the header
      const float l = mid * 0.64f;
      if (p == PanelSwissLesson) return {0, top, L, l};
      if (p == PanelSwissHeader) return {0, top + l, L, mid - l};
    }
    switch (p) {
    case PanelSwissHeader: return {0, top, L, mid};
    case PanelSwissGroups: return {L, top, C, mid};
    case PanelSwissTimeline: return {0, bottom, w, timelineH};
    // From the View menu, over the right part of the groups.
    case PanelSwissHash: return {w - C * 0.6f, top, C * 0.6f, mid * 0.3f};
    case PanelSwissCode: return {w - C * 0.6f, top + mid * 0.3f, C * 0.6f, mid * 0.35f};
    case PanelSwissEvents: return {w - C * 0.6f, top + mid * 0.65f, C * 0.6f, mid * 0.35f};
    default: return {0, 0, w, h};
    }
  }
  float L = std::max(fs * 19, w * 0.21f), R = std::max(fs * 22, w * 0.28f);
  if (const float need = L + R + fs * 24; need > w) {
    L *= w / need;
    R *= w / need;
  }
  const float C = std::max(0.0f, w - L - R);
  const float headerH = mid * 0.62f;
  const float codeH = mid * 0.42f;
  if (lesson) { // the left column: the lesson, the header, the hash
    const float l = mid * 0.42f, hd = mid * 0.36f;
    if (p == PanelSwissLesson) return {0, top, L, l};
    if (p == PanelSwissHeader) return {0, top + l, L, hd};
    if (p == PanelSwissHash) return {0, top + l + hd, L, mid - l - hd};
  }
  switch (p) {
  case PanelSwissHeader: return {0, top, L, headerH};
  case PanelSwissHash: return {0, top + headerH, L, mid - headerH};
  case PanelSwissGroups: return {L, top, C, mid};
  case PanelSwissCode: return {L + C, top, R, codeH};
  case PanelSwissEvents: return {L + C, top + codeH, R, mid - codeH};
  case PanelSwissTimeline: return {0, bottom, w, timelineH};
  default: return {0, 0, w, h};
  }
}

} // namespace gomap::ui
