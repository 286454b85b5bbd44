// The sync.Map panel of a race on a sync.Map (issue 12, "Scripts, CLI and
// views"): read -> readOnly #n with its m and amended, dirty, misses against
// len(dirty), and the entries shared between read.m and dirty with their p
// (a value cell, nil or expunged). Handed a SyncMapFrame (Frame::syncMap),
// which the race controller fills from its World. m.mu is drawn by the
// Goroutines panel's mutex section (it is gosync's Mutex).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/syncmap.hpp"
#include "ui/frame.hpp"
#include "ui/ui_common.hpp"

namespace gomap::race {
class World;
struct TraceEntry;
} // namespace gomap::race

namespace gomap::ui {

// A mutex's state word in the UI's language: "0x9 = mutexLocked | 1 个等待者".
std::string mutexStateUi(int32_t state);
// One of m.mu's steps in the UI's language: "Lock m.mu: parked: ... (mutex.go:171;
// state 0x9 = mutexLocked | 1 waiter)" (the trace's facts; the CLI's sentence
// is concurrency/report's describeSyncEntry, English).
std::string mutexStepText(const race::World& w, const race::TraceEntry& t);

struct SyncMapFrame {
  const syncmap::SyncMap* map = nullptr;
  std::optional<syncmap::SyncEvent> current; // the last sync.Map event at the cursor
  int currentG = 0;                          // its goroutine
  std::string currentOp;                     // that goroutine's statement ("store k1 1")
  // The cursor's step was one of m.mu's (gosync's Lock or Unlock): what it did,
  // and the sync/map.go site of that m.mu.Lock()/Unlock() call (the code panel's line).
  std::string muStep;
  std::optional<syncmap::SyncSite> muSite;
  // The stack of each goroutine in a method (gc's roots besides read and
  // dirty), as the model keeps them (syncmap::Held).
  struct Stack {
    int g = 0;
    std::string op; // its statement
    const syncmap::Held* held = nullptr;
  };
  std::vector<Stack> stacks;
};

class SyncMapView {
public:
  void draw(UiContext& ui, const Frame& f);
  // What the last frame drew (tests): one line per fact ("read -> readOnly #2 ...",
  // "read.m k1 -> entry #1 value 10", "dirty k2 -> entry #2 nil", ...).
  std::vector<std::string> lines;
  std::string caption;
};

} // namespace gomap::ui
