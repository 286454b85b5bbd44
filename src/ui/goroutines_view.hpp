// The goroutine view for race scenarios (issue 4, "In the GUI"): one lane per
// goroutine with its program, current op and runtime function, a button to
// step that goroutine (manual scheduling), the flags byte with hashWriting
// lit, the schedule so far, step back, and the outcome when the run ends.
//
// RaceController owns the ConcurrentSession (no ImGui in it, so tests drive it
// directly); GoroutinesView draws from a controller it does not own.
#pragma once
#include <memory>
#include <string>

#include "concurrency/concurrent_session.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

// True for paths ending in ".race" (the concurrency mode).
bool isRaceScenarioPath(const std::string& path);

class RaceController {
public:
  // Opens a scenario; on a bad file the old session stays and error() says why.
  bool open(const std::string& path);
  bool loaded() const { return s_ != nullptr; }
  race::ConcurrentSession& session() { return *s_; }
  const race::ConcurrentSession& session() const { return *s_; }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }
  void clearError() { error_.clear(); }
  // Commands (errors land in error()).
  bool stepGoroutine(int g);
  bool stepScheduled();
  bool stepBack();
  void restart();
  void runToEnd();
  // Runs the scheduler for n steps (screenshots: --event).
  void advance(uint64_t n);
  // Records the session so far as a scenario file that replays it (its
  // schedule included). Returns false with error() set if it cannot write.
  bool saveSession(const std::string& path);
  // Where "Save session" writes by default: <lesson name>-session.race in the
  // working directory.
  std::string defaultSavePath() const;
  const std::string& savedTo() const { return savedTo_; }

private:
  std::unique_ptr<race::ConcurrentSession> s_;
  std::string path_, error_, savedTo_;
};

class GoroutinesView {
public:
  // The whole "Goroutines" window (placed over the main area on first use).
  void drawWindow(UiContext& ui, RaceController& rc);
  // Just the contents (inside a window the caller began).
  void draw(UiContext& ui, RaceController& rc);

  // What the last frame drew (tests): the window's rectangle, the lanes and
  // whether the fatal output was on screen.
  ImVec2 lastPos{0, 0}, lastSize{0, 0};
  int lanesDrawn = 0;
  bool fatalShown = false;
};

} // namespace gomap::ui
