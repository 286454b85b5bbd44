// What every view gets besides its Frame (ui/frame.hpp): fonts, preferences,
// and small drawing helpers shared by the views.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

#include "engine/events.hpp"
#include "ui/frame.hpp"
#include "ui/fonts.hpp"
#include "ui/prefs.hpp"
#include "ui/strings.hpp"
#include "ui/theme.hpp"


namespace gomap::ui {

class OverviewGL;

struct UiContext {
  Prefs& prefs;
  FontSet& fonts;
  OverviewGL* gl = nullptr; // null when there is no GL (never in practice)
  // Set by the workspace when the layout is forced (screenshots, tests, reset).
  bool forceLayout = false;
};

// "12.5 KiB", "3.0 MiB".
std::string bytesText(uint64_t n);
// 1234567 -> "1,234,567".
std::string groupDigits(uint64_t n);
// Name of a cell state by tophash ("emptyRest", ..., "live").
const char* cellStateName(uint8_t tophash);
// A "(?)" marker with a tooltip.
void helpMarker(const char* text);
// Text in a colour, without formatting.
void colouredText(ImU32 colour, const char* text);
// Text wrapped at the window's edge. Chinese has no spaces and ImGui 1.86
// wraps only at spaces: a paragraph with CJK characters may also break between
// any two of them (never before closing punctuation nor after opening
// punctuation); '\n' starts a new paragraph.
void textWrapped(std::string_view text);
void textWrappedCjk(std::string_view text);
// A race step's caption as the trace describes it ("G2: ..." or "G2 lock
// c.mu: ..."): the goroutine's tag drawn apart in its colour, the rest wrapped.
void goroutineStepCaption(int g, ImU32 colour, std::string_view step);
// Playback: adds dt seconds at `perSecond` steps a second to the accumulator
// and takes the whole steps out of it (0 until a whole one has built up).
int64_t playbackSteps(double& acc, double dt, double perSecond);
// A script session's transport, on one line: |< << < (disabled at the start,
// before the first event), play/pause, > >> >| (disabled at the end), each
// with its tooltip, then the speed slider (1 to maxSpeed events a second,
// logarithmic) with the speed written beside it. id makes the ImGui ids the
// panel's own ("sw": "|<##sw", ..., "##swspeed"). The line goes on after it.
void transportControls(Controller& c, bool atStart, bool atEnd, const char* id, float maxSpeed);
// A key as a cell shows it: short, quoted strings, "…" when cut.
std::string shortKey(const KeyValue& k, std::size_t maxChars);
// The bucket-level highlight of an event: which cells or bmaps it touches.
struct EventMark {
  Loc loc;
  enum Kind : uint8_t { Cell, Bmap, Bucket } kind = Cell;
  bool secondary = false; // e.g. the destination of an evacuated cell
};
// Marks for an event (noldbuckets of the map at that event for X/Y buckets).
int eventMarks(const Event& e, EventMark out[3]);

} // namespace gomap::ui
