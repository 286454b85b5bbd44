// The side-by-side mode's panels (ui/side_by_side.hpp): registered in the
// workspace's PanelRegistry with PanelDef::When::SideBySide, the only panels
// drawn in that mode. Left the classic map as the classic workspace draws it
// (its hmap header and buckets: HeaderView, BucketsView), right the Swiss map
// (SwissHeaderView, SwissGroupsView), the comparison panel (CompareView) below
// them, and one step control for both at the bottom. Each view is handed its
// frame (SbsFrames) or model; the view classes are the other workspaces'.
#pragma once
#include <imgui.h>

#include "ui/buckets_view.hpp"
#include "ui/compare_view.hpp"
#include "ui/header_view.hpp"
#include "ui/side_by_side.hpp"
#include "ui/swiss_views.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

// The one step control: first / previous / play / next / last op, the op
// shown, both sessions' event positions, and a scrubber over the ops.
class SbsStepsView {
public:
  // tabs: the projector layout, where the maps and the figures take turns (figures: which is shown).
  void draw(UiContext& ui, Controller& ctl, const SideBySide& sbs, const SbsFrames& f, bool tabs, bool& figures);
  // Where the last frame drew them (tests): x, y, w, h.
  ImVec4 nextButton{0, 0, 0, 0}, prevButton{0, 0, 0, 0}, leaveButton{0, 0, 0, 0};
  ImVec4 mapsTab{0, 0, 0, 0}, figuresTab{0, 0, 0, 0}; // zero size when not drawn
  std::string shown; // the op line drawn
  float shownRight = 0; // where the op line's text ends (tests: left of the tabs and Leave)
  bool leaveClicked = false; // the Leave button was pressed this frame (the workspace acts)
};

// The side-by-side mode's own view instances (the classic and Swiss
// workspaces keep theirs: zoom, overview textures and scroll stay apart).
struct SideBySideViews {
  HeaderView header;
  BucketsView buckets;
  SwissHeaderView swissHeader;
  SwissGroupsView swissGroups;
  CompareView compare;
  SbsStepsView steps;
  SbsFrames frames; // filled by the SideBySide controller each frame
  // In the projector layout (a large font on a small screen) the maps and the
  // comparison take turns in the space above the steps: the figures' tab is on.
  bool figures = false;
};

} // namespace gomap::ui
