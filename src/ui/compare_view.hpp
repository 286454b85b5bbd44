// The comparison panel (issue 13, section 4): one op script run on the
// classic map (Go 1.19) and the Swiss map (Go 1.26/1.27) at once, stepped op
// by op. Two columns of figures at the current op (bytes, entries, shape,
// load, emptyOne cells against tombstones, probes and key comparisons per
// lookup, growth events) and two plots drawn by the panel itself (no ImPlot,
// as ui/plots_view.cpp): bytes held and probes per lookup over the ops, both
// maps in each, the current op marked. Clicking or dragging in a plot goes to
// that op; the buttons step one op.
//
// The figures are the compare module's (trace/compare.hpp); the panel is handed
// them in a CompareModel and fetches nothing itself.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "trace/compare.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

// What the panel shows: one comparison run to its end, and the op on screen.
struct CompareModel {
  std::string path;
  compare::Options options;
  compare::Series series;
  int64_t cursor = -1; // index into series.rows; -1: before the first op
  std::string error;   // the last load's error (FILE:LINE:COL: ...)
  bool loaded() const { return !series.rows.empty(); }
  std::size_t ops() const { return series.rows.size(); }
  // Reads and runs a classic op script; on error keeps what was open and sets error.
  bool open(const std::string& file, swiss::Version v);
  // Runs a script text (tests, the file name only labels errors).
  bool openText(const std::string& text, const std::string& file, swiss::Version v);
  // Runs parsed ops (parseCompareScript's); file labels errors.
  bool openOps(const std::vector<ScriptOp>& ops, const std::string& file, swiss::Version v);
  // Whether ops fit the panel (at most kMaxOps, at least one); else why, naming file.
  static bool fits(const std::vector<ScriptOp>& ops, const std::string& file, std::string& why);
  static constexpr std::size_t kMaxOps = 500000; // about 450 bytes of figures per op
  void seek(int64_t op);
};

class CompareView {
public:
  void draw(UiContext& ui, CompareModel& m);
  // Where the last frame drew them (tests drive the panel through ImGui's input).
  ImVec4 bytesPlot{0, 0, 0, 0}, probesPlot{0, 0, 0, 0}; // x, y, w, h
  ImVec4 nextButton{0, 0, 0, 0}, prevButton{0, 0, 0, 0};
  // The figures' table as drawn (tests): rows of {label, classic, swiss}.
  std::vector<std::array<std::string, 3>> shown;
};

} // namespace gomap::ui
