// The hash of the key the current op works on, in binary: the low B bits
// (the bucket index) and the top 8 bits (the tophash, with the +5 adjustment
// when they fall below minTopHash) highlighted, and during evacuation the
// "newbit" that sends a key to X or Y.
#pragma once
#include "ui/ui_common.hpp"

namespace gomap::ui {

class HashBitsView {
public:
  void draw(UiContext& ui, const Frame& f);
};

} // namespace gomap::ui
