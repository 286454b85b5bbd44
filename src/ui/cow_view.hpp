// The copy-on-write panel of a race on a copy-on-write map (issue 12, "a
// copy-on-write panel (the published version, the versions goroutines hold,
// the CAS and its retries)"). Handed a CowFrame (Frame::cow), which the race
// controller fills from its World: the version the atomic word publishes,
// each goroutine's method in flight (the version it loaded, its private copy,
// its retries) and the last step. valuestore's c.mu is drawn by the
// Goroutines panel's mutex section (it is gosync's Mutex).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "concurrency/cow_map.hpp"
#include "concurrency/world.hpp"
#include "ui/frame.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

struct CowFrame {
  const race::cow::CowMap* map = nullptr;
  struct Held {
    int g = 0;
    const race::cow::Run* run = nullptr; // null: no method in flight
    std::string op;                      // the goroutine's statement ("store b 2")
  };
  std::vector<Held> goroutines;
  std::optional<race::cow::CowEvent> current; // the cursor's step, when it was a copy-on-write one
  int currentG = 0;
  std::string currentOp;
  std::string step; // the cursor's step as the trace describes it (c.mu's steps too)
  // inplace (race::cow::isInPlace): the race runs on a classic engine map, which
  // has no versions. The frame owns a CowMap standing for the one map the
  // pointer publishes (#1 with the engine map's live keys, never replaced) and
  // a Run per method in flight holding it (no copy, no retries); map points at it.
  std::optional<race::cow::CowMap> inPlaceMap;
  std::vector<race::cow::Run> inPlaceRuns;
};

// Fills cf for an inplace race from its World at the cursor (step: the cursor's
// step as the trace describes it, currentG its goroutine).
void fillInPlaceCowFrame(const race::World& w, CowFrame& cf, std::string step, int currentG);

class CowView {
public:
  void draw(UiContext& ui, const Frame& f);
  // What the last frame drew (tests): "published #2 {a:1 b:2}", "G1 holds #1 copy #2 retries 0", ...
  std::vector<std::string> lines;
  std::string caption;
  std::string help; // the variant's explanation, in the UI's language
  std::string cowCounts; // "2 versions made so far[, 1 failed CompareAndSwap (a retry)]" as drawn
};

} // namespace gomap::ui
