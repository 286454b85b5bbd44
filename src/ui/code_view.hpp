// The code panel: the runtime function running at the cursor, as the
// project's annotated pseudo-code with the current line highlighted and the
// call stack above it (click a caller to see the line that made the call).
// A toggle shows the real runtime/map.go at the event's line instead, when a
// Go 1.19 source tree is installed.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "ui/ui_common.hpp"

namespace gomap::ui {

class CodeView {
public:
  void draw(UiContext& ui, const Frame& f);
  // The pseudo-code line highlighted in the last frame (-1: none) and its function.
  int highlightedLine() const { return highlighted_; }
  const std::string& shownFunction() const { return shown_; }

  // Race: the goroutine lines marked in the last frame (goroutine, 0-based row of the code
  // shown: a pseudo-code line, or map.go line - 1 with the real source).
  const std::vector<std::pair<int, int>>& goroutineLines() const { return goroutineLines_; }
  // Race: show the goroutine that takes each step (on) or keep the one picked.
  bool followStep_ = true;

private:
  int selectedFrame_ = -1; // -1: the innermost
  int selectedG_ = 0;      // race: the goroutine whose code is shown (0: the current step's)
  std::vector<std::pair<int, int>> goroutineLines_;
  int64_t lastPos_ = -2;
  bool rescrollNext_ = false;
  int highlighted_ = -1;
  std::string shown_;
};

} // namespace gomap::ui
