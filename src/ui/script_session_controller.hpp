// What the GUI's controllers of a recorded script session share (the Swiss
// map's SwissController, the sync.Map's SyncMapController; a third structure's
// script controller is one more derived class): the session, its name and
// lesson, the cursor moves (the same keys, buttons and timeline as the
// classic session: Right/Left, Shift for a whole op, Home/End, Space),
// playback, and the error and status lines, which are the op-script
// controller's (one status bar). No ImGui calls in here.
//
// Session is a CheckpointedSession (trace/checkpointed_session.hpp) or has
// its surface: eventCount(), position(), seek(i), opOfEvent(i), op(k) with
// firstEvent and eventCount, opCount(). The derived controller loads the
// script (adopt() takes the new session), says what op k's text and key are,
// and builds its frame.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "ui/frame.hpp"
#include "ui/said.hpp"
#include "ui/ui_common.hpp"

namespace gomap {
struct LoadedLesson; // trace/script_runner.hpp
}

namespace gomap::ui {

template <class Session> class ScriptSessionController : public Controller {
public:
  // The owner moved: its strings are elsewhere now.
  void rebind(Said& error, Said& status) {
    error_ = &error;
    status_ = &status;
  }

  const Session& session() const { return *session_; }
  const std::string& name() const { return name_; }
  // The lesson lines of the loaded script (title, narration, expect lines),
  // for the Lesson panel; null: the script has none. Set after load (a new
  // load drops it).
  void setLesson(std::shared_ptr<const LoadedLesson> l) { lesson_ = std::move(l); }
  const LoadedLesson* lesson() const { return lesson_.get(); }

  void seek(int64_t i) override {
    if (!session_) return;
    i = std::clamp<int64_t>(i, -1, static_cast<int64_t>(eventCount()) - 1);
    if (i != session_->position()) {
      session_->seek(i);
      revision_++;
    }
  }
  void stepInto() override { seek(position() + 1); }
  void stepBack() override { seek(position() - 1); }
  // To the end of the op holding the next event.
  void stepOver() override {
    if (!session_ || position() + 1 >= static_cast<int64_t>(eventCount())) return;
    const auto& o = session_->op(session_->opOfEvent(static_cast<uint64_t>(position() + 1)));
    seek(static_cast<int64_t>(o.firstEvent + o.eventCount) - 1);
  }
  // At an op's end: to the end of the op before it; inside an op: to before
  // it (both: its first event - 1).
  void stepBackOver() override {
    if (!session_ || position() < 0) return;
    const auto& o = session_->op(session_->opOfEvent(static_cast<uint64_t>(position())));
    seek(static_cast<int64_t>(o.firstEvent) - 1);
  }
  void stepOut() override { stepOver(); }
  void toStart() override { seek(-1); }
  void toEnd() override { seek(static_cast<int64_t>(eventCount()) - 1); }
  void togglePlay() override { playing_ = !playing_; }
  void pause() override { playing_ = false; }
  bool playing() const override { return playing_; }
  double& speed() override { return speed_; }
  const std::string& error() const override { return error_->text(); }
  const std::string& status() const override { return status_->text(); }
  void clearError() override { error_->clear(); }

  int64_t position() const { return session_ ? session_->position() : -1; }
  uint64_t eventCount() const { return session_ ? session_->eventCount() : 0; }
  uint64_t revision() const { return revision_; }
  uint64_t sessionId() const { return sessionId_; }
  // The op at the cursor (nullopt before the first event).
  std::optional<std::size_t> currentOp() const {
    if (!session_ || position() < 0) return std::nullopt;
    return session_->opOfEvent(static_cast<uint64_t>(position()));
  }
  // Advances playback by dt seconds; it stops at the last event.
  void tick(double dt) {
    if (!playing_ || !session_) return;
    const int64_t steps = playbackSteps(playAcc_, dt, speed_);
    if (steps <= 0) return;
    const int64_t n = static_cast<int64_t>(eventCount());
    seek(std::min(n - 1, position() + steps));
    if (position() >= n - 1) playing_ = false;
  }

protected:
  // speed: events a second while playing, at first.
  ScriptSessionController(Said& error, Said& status, double speed) : error_(&error), status_(&status), speed_(speed) {}

  // A newly loaded script's session: it has no lesson yet, nothing plays,
  // and a teacher starts from the start (before make).
  void adopt(std::unique_ptr<Session> s, const std::string& name) {
    session_ = std::move(s);
    name_ = name;
    lesson_.reset();
    playing_ = false;
    sessionId_++;
    revision_++;
    session_->seek(-1);
  }

  std::unique_ptr<Session> session_;
  std::shared_ptr<const LoadedLesson> lesson_;
  std::string name_;
  Said* error_;
  Said* status_;
  bool playing_ = false;
  double speed_, playAcc_ = 0;
  uint64_t revision_ = 0, sessionId_ = 0;
};

} // namespace gomap::ui
