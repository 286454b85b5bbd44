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
#include "ui/script_session_controller.hpp"
#include "ui/strings.hpp"
#include "ui/syncmap_view.hpp"

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

// The cursor moves, playback, lesson and status lines are the shared script
// controller's (ui/script_session_controller.hpp).
class SyncMapController final : public ScriptSessionController<SyncMapSession> {
public:
  SyncMapController(Said& error, Said& status) : ScriptSessionController(error, status, 8) {}

  // Records the script's session. Fails with err naming the line.
  bool load(const std::vector<ScriptOp>& ops, const std::string& name, std::string& err);
  // The script op of session op k: the session holds every parsed op, in order.
  std::optional<std::size_t> scriptOpOf(std::size_t k) const;

  std::string_view opText(std::size_t k) const override;
  std::optional<KeyValue> opKey(std::size_t k) const override;
  // The sync.Map panel's frame at the cursor, and the Frame the workspace hands out.
  void fillFrame(SyncMapFrame& sm, Frame& f);

private:
  std::vector<std::string> texts_; // each parsed op's text
};

} // namespace gomap::ui
