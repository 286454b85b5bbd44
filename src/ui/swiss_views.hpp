// The Swiss map's views (issue 13, "What a user sees"): registered panels
// that draw a SwissFrame (ui/swiss_state.hpp), handed to them in the Frame.
//
//   header    the Map header, the directory with its shared entries, and per
//             table capacity / used / growthLeft / tombstones / load
//   groups    the caption (what the current event did), then each table's
//             groups as rows of 8 slots: control byte (E empty, D deleted,
//             the H2 of a full slot, as letters and as colour), key, elem;
//             the current event's slot or group framed, the current op's
//             probe path numbered across groups; for big maps (16384 slots
//             and more) an overview of every slot, one texel each
//   hash      H1, H2, the directory index (top globalDepth bits), the probe start
//   code      the site's function as the project's steps, and the real
//             internal/runtime/maps source when a Go 1.26/1.27 tree is present
//   events    every event, one sentence each (English, Simplified Chinese)
//   timeline  the stepping buttons and a scrubber
#pragma once
#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ui/overview_gl.hpp"
#include "ui/swiss_state.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

// One sentence for an event, in the UI's language.
std::string swissEventText(const swiss::SwissEvent& e, const SwissFrame& f);
// The control byte as a cell shows it: "E", "D", or the H2 in hex.
std::string swissCtrlText(uint8_t ctrl);

class SwissHeaderView {
public:
  void draw(UiContext& ui, const Frame& f);
  // What the last frame showed (tests): field name -> value text.
  std::vector<std::pair<std::string, std::string>> fields;
  float loadRight = 0, panelRight = 0; // the Tables grid's load bars end, the panel's content edge (tests)
  std::string shape; // the sentence under the fields when there is no directory (tests)
};

class SwissGroupsView {
public:
  void draw(UiContext& ui, const Frame& f);
  // What the last frame drew (tests): one entry per visible slot.
  struct Cell {
    int table = -1; // position in SwissFrame::tables; -1: the small group
    uint64_t group = 0;
    int slot = 0;
    std::string ctrl, key, elem;
    ImVec2 min, max;
    bool current = false;
  };
  std::vector<Cell> cells;
  std::string caption;
  bool overview = false; // the last frame drew the overview
  int probeBadges = 0;   // probe numbers drawn
  // A race: the goroutine outlines drawn (g, where, the outline's rectangle),
  // and the goroutines said to be in a replaced table.
  struct GoroutineOutline {
    int g = 0;
    int table = -2;
    uint64_t group = 0;
    int slot = -1;
    ImVec2 min, max;
  };
  std::vector<GoroutineOutline> outlines;
  std::vector<int> replacedShown;
  static constexpr uint64_t kOverviewSlots = 16384;

private:
  void drawOverview(UiContext& ui, const SwissFrame& s, float height);
  // perRow: 8 slots across, or 4 (two rows of four, gap apart: keys too wide for eight).
  void drawGoroutineOutlines(UiContext& ui, const SwissFrame& f, int table, uint64_t group, ImVec2 origin, float cellW,
                             float cellH, int perRow = 8, float gap = 0);
  CellTexture tex_;
  std::vector<uint64_t> ctrl_;
  uint64_t texRevision_ = ~uint64_t{0};
  uint64_t followedRevision_ = ~uint64_t{0};
  uint64_t widestRevision_ = ~uint64_t{0};
  std::size_t widest_ = 0; // the widest key or elem of the groups drawn, in characters
public:
  int perRow = 8; // slots per line of a group in the last frame (tests)
  float listBottom = 0; // the groups list's visible bottom edge, screen y (tests)
  float cellWidth = 0;
};

class SwissHashView {
public:
  void draw(UiContext& ui, const Frame& f);
  std::string shown; // the lines drawn (tests)
};

class SwissCodeView {
public:
  void draw(UiContext& ui, const Frame& f);
  bool realSource = false;
  std::string currentLine; // the highlighted line (tests)
  std::vector<std::pair<int, int>> tagged; // a race: (goroutine, line) tags drawn (tests)
};

class SwissEventsView {
public:
  void draw(UiContext& ui, const Frame& f);
  bool follow = true;

private:
  int64_t lastPos_ = -2;
};

class SwissTimelineView {
public:
  void draw(UiContext& ui, const Frame& f);
};

// The Swiss workspace's views, as the Workspace holds them.
struct SwissViews {
  SwissHeaderView header;
  SwissGroupsView groups;
  SwissHashView hash;
  SwissCodeView code;
  SwissEventsView events;
  SwissTimelineView timeline;
  SwissFrame frame; // filled by the SwissController each frame
};

} // namespace gomap::ui
