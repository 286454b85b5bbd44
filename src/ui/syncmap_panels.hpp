// The panels of a sync.Map op script opened in the GUI (issue 12), beside the
// sync.Map panel (ui/syncmap_view.hpp, shared with races) and the Lesson panel
// (ui/lesson_view.hpp): registered in the workspace's PanelRegistry, each
// handed the Frame (Frame::syncMap, Frame::ctl: the SyncMapController).
//
//   code      the sync/map.go function of the cursor's step: the lines the
//             model records in it (the site table: line, statement, what it
//             does), the cursor's line marked; or, when a Go 1.19 tree is
//             installed, the real source with that line marked
//   events    every step, one line each (syncEventText), the cursor's marked;
//             a click seeks there
//   timeline  the stepping buttons (as the Swiss timeline's) and a scrubber
#pragma once
#include <string>

#include "ui/syncmap_state.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

class SyncOpsCodeView {
public:
  // The cursor's sync/map.go line, from f.syncMap (a sync.Map script's or race's step).
  void draw(UiContext& ui, const Frame& f);
  bool realSource = true; // when installed
  bool shownReal = false; // the last frame drew the real file (tests)
  std::string currentLine; // the marked line as drawn (tests)
};

class SyncOpsEventsView {
public:
  void draw(UiContext& ui, const Frame& f, SyncMapController& c);
  bool follow = true;
  std::string currentText; // the marked row's text (tests)

private:
  int64_t lastPos_ = -2;
};

class SyncOpsTimelineView {
public:
  void draw(UiContext& ui, const Frame& f, SyncMapController& c);
};

struct SyncOpsViews {
  SyncOpsCodeView code;
  SyncOpsEventsView events;
  SyncOpsTimelineView timeline;
  SyncMapFrame frame; // filled by the SyncMapController each frame
};

} // namespace gomap::ui
