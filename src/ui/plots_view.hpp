// Plots over the session's events: load factor (against 6.5), count,
// noverflow (against 2^min(B,15)) and bytes in bucket arrays and overflow
// buckets, with growth starts and ends marked and the cursor drawn. Values come
// from DerivedSeries (the event stream), so the plots cost nothing to seek.
#pragma once
#include "ui/ui_common.hpp"

namespace gomap::ui {

class PlotsView {
public:
  void draw(UiContext& ui, const Frame& f);
};

} // namespace gomap::ui
