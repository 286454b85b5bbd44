// The event log: every event of the session, one line each (index, op,
// runtime function, what happened), filterable by category and by text;
// clicking a line seeks there. In a race a column names the goroutine of
// each event (in its colour) and a filter keeps one goroutine's events. Millions of events stay cheap: rows are
// clipped, and a filter is applied a slice per frame.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ui/ui_common.hpp"

namespace gomap::ui {

// The filter groups are the engine's event categories (kKindTable).
using gomap::EventCategory;
inline EventCategory categoryOf(EventKind k) { return kindInfo(k).category; }

class EventLogView {
public:
  void draw(UiContext& ui, const Frame& f);
  bool show[static_cast<int>(EventCategory::kCount)] = {true, true, true, true, true, true, false, true};
  bool follow = true;
  // Rows the filter has kept so far (all events when nothing is filtered).
  uint64_t rows(const Frame& f) const;
  // The filter is still scanning (a slice per frame) up to the cursor, so the
  // log cannot show the cursor's row yet (a screenshot waits for it).
  bool catchingUp(const Frame& f) const;
  // Race: show only this goroutine's events (0: all).
  int goroutine = 0;

private:
  bool filtering() const;
  void refilter(const Frame& f);
  char text_[128] = "";
  std::vector<uint64_t> filtered_;
  uint64_t scanned_ = 0;
  uint64_t filterSession_ = ~uint64_t{0};
  std::string filterKey_;
  int64_t lastPos_ = -2;
  bool inRace_ = false, scriptShowsFlags_ = false;
};

} // namespace gomap::ui
