// Colours and ImGui styles. Two themes: the dark default and a light,
// high-contrast "projector" theme (thick borders, saturated cell colours, black
// text on white), chosen in View > Theme and remembered between runs. The
// projector theme takes its colours from the Okabe-Ito palette, which stays
// distinct for colour-blind viewers: X is blue and Y vermillion (and every X or
// Y cell, line and label also carries the letter), the current event is a thick
// black frame over a yellow fill, and goroutines use the remaining hues.
#pragma once
#include <imgui.h>

#include <cstdint>

namespace gomap::ui {

enum class ThemeKind : uint8_t { Dark, Projector };

// Cell classes by tophash value (runtime_consts.hpp): 0 emptyRest, 1 emptyOne,
// 2 evacuatedX, 3 evacuatedY, 4 evacuatedEmpty, 5 live (>= minTopHash).
inline int cellClass(uint8_t tophash) { return tophash >= 5 ? 5 : tophash; }
inline constexpr int kCellClasses = 6;

struct Palette {
  ImU32 cell[kCellClasses];
  ImU32 cellText[kCellClasses];
  ImU32 cellBorder, bucketFrame, bucketLabel, poolFrame, poolFree, poolUsed;
  ImU32 oldVeil;        // drawn over evacuated old buckets
  ImU32 nevacuate;      // the evacuation mark
  ImU32 highlight;      // outline of the current event's cell or bucket
  ImU32 highlightFill;  // translucent fill under it
  ImU32 moveX, moveY;   // evacuation arrows
  ImU32 hatch;          // the tombstone's hatching over its fill
  ImU32 markers[6];     // MarkerKind order: grow start, same-size start, grow end, overflow, panic, fatal
  ImU32 bitZero, bitOne, bitLow, bitTop, bitNewbit, bitTextOnColour;
  ImU32 codeCurrent, codeCaller;
  ImU32 error, ok, dim, text, panelBg;
  ImU32 plotCount, plotLoad, plotNoverflow, plotMemory, plotThreshold, plotCursor;
  ImU32 flagOn, flagOff;
  ImU32 goroutine[8];   // goroutine colours G1..G8 (see goroutineColour)
  float borderThickness;
  float moveThickness;  // evacuation lines
  float highlightThickness;
};

const Palette& palette();
ThemeKind currentTheme();
// Sets ImGui's style and the palette. scale multiplies sizes (not fonts).
void applyTheme(ThemeKind t, float scale);
// RGBA floats of a cell class, for the overview shader's palette.
void cellColourFloats(int cls, bool oldArray, float out[4]);

} // namespace gomap::ui
