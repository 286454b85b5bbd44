// The GUI's sync.Map op-script session (issue 12): a sync.Map op script
// (make syncmap ...) opened in the GUI is recorded once into a SyncMapSession;
// this controller moves its cursor (the same keys as the other sessions:
// Right/Left, Shift for a whole op, Home/End, Space) and builds the
// SyncMapFrame the sync.Map panel draws (the panel races use) and what the
// code, event and timeline panels of ui/syncmap_panels.hpp draw. No ImGui in here.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trace/syncmap_session.hpp"
#include "ui/frame.hpp"
#include "ui/said.hpp"
#include "ui/strings.hpp"
#include "ui/syncmap_view.hpp"

namespace gomap {
struct LoadedLesson; // trace/script_runner.hpp
}

namespace gomap::ui {

// One sentence for event i of a sync.Map session: the site's function, its
// sync/map.go line and what it does (the site table's words, as the race's
// event text), then the payload's facts in Go's notation; make and gc steps in
// the UI's language.
std::string syncEventText(const SyncMapSession& s, uint64_t i);
// A site's `what` (engine/syncmap_events.hpp) in the UI's language: the
// engine's English, or its Chinese row in ui/strings_sync.inc where the
// sentence is more than Go code.
std::string_view syncSiteWhat(syncmap::SyncSite s);
// The sites that have a Chinese row, and the row (for the test that the
// English rows are the engine's words).
struct SyncSiteText {
  syncmap::SyncSite site;
  S text;
};
std::span<const SyncSiteText> syncSiteTexts();

class SyncMapController final : public Controller {
public:
  // Errors and status lines are the op-script controller's (one status bar).
  SyncMapController(Said& error, Said& status) : error_(&error), status_(&status) {}
  void rebind(Said& error, Said& status) {
    error_ = &error;
    status_ = &status;
  }

  // Records the script's session. Fails with err naming the line.
  bool load(const std::vector<ScriptOp>& ops, const std::string& name, std::string& err);
  const SyncMapSession& session() const { return *session_; }
  const std::string& name() const { return name_; }
  // The lesson lines (title, narration, expect lines checked as `dump --check`
  // does), for the Lesson panel; null: none.
  void setLesson(std::shared_ptr<const LoadedLesson> l) { lesson_ = std::move(l); }
  const LoadedLesson* lesson() const { return lesson_.get(); }
  // The script op of session op k: the session holds every parsed op, in order.
  std::optional<std::size_t> scriptOpOf(std::size_t k) const;

  void seek(int64_t i) override;
  void stepInto() override { seek(position() + 1); }
  void stepBack() override { seek(position() - 1); }
  void stepOver() override;
  void stepBackOver() override;
  void stepOut() override { stepOver(); }
  void toStart() override { seek(-1); }
  void toEnd() override { seek(static_cast<int64_t>(eventCount()) - 1); }
  void togglePlay() override { playing_ = !playing_; }
  void pause() override { playing_ = false; }
  bool playing() const override { return playing_; }
  double& speed() override { return speed_; }
  std::string_view opText(std::size_t k) const override;
  std::optional<KeyValue> opKey(std::size_t k) const override;
  const std::string& error() const override { return error_->text(); }
  const std::string& status() const override { return status_->text(); }
  void clearError() override { error_->clear(); }

  int64_t position() const { return session_ ? session_->position() : -1; }
  uint64_t eventCount() const { return session_ ? session_->eventCount() : 0; }
  uint64_t revision() const { return revision_; }
  uint64_t sessionId() const { return sessionId_; }
  // The op at the cursor (nullopt before the first step).
  std::optional<std::size_t> currentOp() const;
  void tick(double dt);
  // The sync.Map panel's frame at the cursor, and the Frame the workspace hands out.
  void fillFrame(SyncMapFrame& sm, Frame& f);

private:
  std::unique_ptr<SyncMapSession> session_;
  std::shared_ptr<const LoadedLesson> lesson_;
  std::vector<std::string> texts_; // each parsed op's text
  std::string name_;
  Said* error_;
  Said* status_;
  bool playing_ = false;
  double speed_ = 8, playAcc_ = 0;
  uint64_t revision_ = 0, sessionId_ = 0;
};

} // namespace gomap::ui
