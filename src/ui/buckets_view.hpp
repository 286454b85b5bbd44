// The buckets: every bmap as 8 cells (tophash byte, key, value) coloured by
// cell state, overflow chains as linked bmaps below their bucket, the
// preallocated overflow pool, and during a grow the old and new arrays side by
// side with each evacuated cell's move to X or Y. The current event is
// outlined where it happens; in a race, each goroutine's last cell is
// outlined in its colour and labelled G1, G2, ... Large maps (B above detailMaxB) go to the
// OverviewView (one texel per cell) instead.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ui/caption_view.hpp"
#include "ui/overview_view.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

struct ScreenRect {
  ImVec2 min, max;
  ImVec2 center() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
  bool contains(ImVec2 p) const { return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y; }
};

class BucketsView {
public:
  void draw(UiContext& ui, const Frame& f);

  // Screen rectangles from the last frame, for tests and tooltips. A cell or
  // bmap that was not drawn (scrolled away, or the overview is showing) has none.
  std::optional<ScreenRect> cellRect(const Loc& l) const;
  std::optional<ScreenRect> bmapRect(bool old, uint32_t bucket, uint16_t chain) const;
  // The marks drawn for the current event in the last frame.
  const std::vector<EventMark>& lastMarks() const { return marks_; }
  // Race: cells drawn in the last frame with a key stored ahead of its tophash ("k=1").
  int unpublishedDrawn = 0;
  // Race: notes drawn in the last frame about overflow bmaps cut off by another goroutine's link.
  int lostShown = 0;
  // Race: the goroutine marks drawn in the last frame (goroutine, where its label sits).
  struct DrawnGoroutine {
    int g;
    Loc loc;
    bool bmap;
    ScreenRect rect;
  };
  const std::vector<DrawnGoroutine>& lastGoroutineMarks() const { return gmarks_; }
  bool overviewShown() const { return overviewShown_; }
  // The cell clicked in this frame's draw, if any (the Lesson panel's predict mode).
  std::optional<Loc> clickedCell() const { return clicked_; }
  // The nevacuate line drawn on the old array in the last frame (left and right ends).
  std::optional<std::pair<ImVec2, ImVec2>> nevacuateMark() const { return nevacuate_; }
  OverviewView& overview() { return overview_; }
  // A grow drawn stacked (old bucket i between its destinations' rows) in the last frame.
  bool stackedLast() const { return stacked_; }
  // The caption under the buckets (what the current event did).
  const CaptionView& caption() const { return caption_; }
  // Where the column titles and the "n×X" labels went in the last frame (tests check that none overlaps another).
  const std::vector<ScreenRect>& lastTitles() const { return titles_; }
  const std::vector<ScreenRect>& lastMoveLabels() const { return moveLabels_; }
  // Detail drawing up to this B; the overview above it (or when forced).
  int detailMaxB = 6;
  enum class Mode { Auto, Detail, Overview } mode = Mode::Auto;

private:
  struct Geometry {
    float fs, cellW, cellH, labelW, rowGap, bucketGap, colW, colGap;
    float textScale; // cell text grows with the zoom
    float thSize;    // tophash text size
    bool threeLines;
  };
  // A column of buckets: buckets first .. first+buckets-1 of one array. During a
  // doubling grow the new array is two columns (X: 0..n-1, Y: n..2n-1) either side of the old one.
  struct Column {
    bool old;
    uint64_t buckets;
    float x;                 // left edge (screen) of the label column
    std::vector<float> y;    // top of each bucket (relative to the content origin), by index in the column
    std::vector<int> chainLen;
    float height = 0;
    uint64_t first = 0;
  };
  struct Edge {
    float from = 0, to = 0;
    bool ok = false;
  };
  void drawBody(UiContext& ui, const Frame& f);
  void layoutRows(const AnyMap& m, std::vector<Column*> cols, const Geometry& g);
  void layoutGroups(const AnyMap& m, std::vector<Column*> cols, const Geometry& g);
  static void bracket(ImDrawList* dl, float right, float fromY, float toY, bool useY, ImU32 col, float thick,
                      const Geometry& g);
  std::optional<std::pair<const Column*, uint64_t>> locate(bool old, uint64_t bucket) const;
  Edge moveEdges(bool useY, const Geometry& g) const;
  void drawColumn(UiContext& ui, const Column& c, const Geometry& g, ImVec2 origin, float clipTop, float clipBottom);
  void drawPool(UiContext& ui, bool old, const Geometry& g, ImVec2 at);
  void drawMoves(UiContext& ui, const Column& oldc, const Geometry& g, ImVec2 origin, float clipTop, float clipBottom);
  void drawLegend(UiContext& ui);
  void drawGoroutineMarks(UiContext& ui, const Frame& f, const Column& oldc, const Column& newc, const Geometry& g);
  // Race: a goroutine's last step stored a key into this cell while its tophash
  // still reads empty (memory level, map.go:680 before 681): the key is in memory
  // but no lookup can see it yet.
  bool unpublishedKeyAt(const Loc& l) const;
  static uint64_t key(bool old, uint32_t bucket, uint16_t chain, uint8_t slot) {
    return (uint64_t{old} << 63) | (uint64_t{bucket} << 16) | (uint64_t{chain} << 3) | slot;
  }

  OverviewView overview_;
  CaptionView caption_;
  std::vector<Column*> cols_; // during draw
  bool stacked_ = false;       // the columns of a grow stacked in groups (a narrow panel)
  std::vector<float> groupTop_;
  std::vector<ScreenRect> titles_, moveLabels_;
  std::unordered_map<uint64_t, ScreenRect> cells_;
  std::unordered_map<uint64_t, ScreenRect> bmaps_;
  std::vector<EventMark> marks_;
  std::vector<DrawnGoroutine> gmarks_;
  const Frame* frame_ = nullptr; // during draw
  std::vector<BmapView> chain_;
  bool overviewShown_ = false;
  std::optional<Loc> clicked_;
  int64_t lastFollowed_ = -2;
  std::optional<std::pair<ImVec2, ImVec2>> nevacuate_;
};

} // namespace gomap::ui
