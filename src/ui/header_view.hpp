// The hmap header, every field live at the cursor: count, flags bit by bit, B,
// load factor against 6.5, noverflow against its threshold, hash0, the bucket
// arrays, the evacuation progress, mapextra, and the bytes in use.
#pragma once
#include "ui/ui_common.hpp"

namespace gomap::ui {

class HeaderView {
public:
  void draw(UiContext& ui, const Frame& f);
};

} // namespace gomap::ui
