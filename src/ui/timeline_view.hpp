// The timeline: playback buttons (start, back an op, back, play/pause,
// forward, forward an op, step out, end), the speed, and a scrubber over all
// events with markers for growth start and end, overflow allocations, panics
// and fatal errors. Click or drag on it to seek.
#pragma once
#include <string>

#include "ui/ui_common.hpp"

namespace gomap::ui {

class TimelineView {
public:
  void draw(UiContext& ui, const Frame& f);
  // Screen x of event i on the scrubber in the last frame (tests).
  float xOfEvent(int64_t i) const;
  float barY() const { return barY_; }
  // The "N ops, M events" label drawn in the last frame (the session as it is now).
  const std::string& countsText() const { return counts_; }

private:
  std::string counts_;
  float barX0_ = 0, barX1_ = 1, barY_ = 0;
  uint64_t n_ = 0;
};

} // namespace gomap::ui
