// The GUI's Swiss-map session (issue 13): a Swiss op script opened in the GUI
// is recorded once into a SwissSession; this controller moves its cursor (the
// same keys, buttons and timeline as the classic session) and builds the
// SwissFrame the Swiss views draw from. No ImGui in here.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/swiss_events.hpp"
#include "trace/swiss_session.hpp"
#include "ui/frame.hpp"
#include "ui/said.hpp"
#include "ui/script_session_controller.hpp"

namespace gomap::ui {

// A Swiss site's step note (its `what`) in the UI's language (ui/strings_site_notes.inc):
// what the code panel, the events and the race lanes say of the site.
inline std::string_view swissSiteWhat(swiss::SwissSite site, KeyKind keys) {
  return siteNote(swiss::swissSiteInfo(site, keys).what);
}

// One goroutine of a race on a Swiss map, as the Swiss views mark it: the
// slot (or group) its op last touched, where that memory is now.
struct SwissGoroutineMark : GoroutineBasics {
  // The slot its op last touched: table position in SwissFrame::tables (-1:
  // the small group), group, slot (-1: the whole group). table -2: none.
  int table = -2;
  uint64_t group = 0;
  int slot = -1;
  // That memory is no longer the map's: another goroutine's grow, split or
  // growToTable replaced the table (or the small group) after it was touched.
  // The old memory lives on for this goroutine (the GC keeps it), drawn nowhere.
  bool replaced = false;
  bool replacedSmall = false; // what was replaced was the small map's group (growToTable)
  int replacedBy = 0;
};

// What the Swiss views draw: the map at the cursor, the cursor's event and op,
// and what the current op has done so far (its hash, the groups it probed).
// The events are a recorded Swiss session's, or a race's (several goroutines'
// interleaved: then goroutines is not empty).
struct SwissFrame {
  Controller* ctl = nullptr;
  const SwissEventSource* events = nullptr; // null: nothing loaded
  KeyKind kind = KeyKind::Int64;
  const swiss::AnySwiss* map = nullptr; // null before make (position -1)
  int64_t position = -1;
  const swiss::SwissEvent* current = nullptr;
  std::optional<std::size_t> currentOp;
  std::string_view opText;
  // iter ... do (a range loop with a body): the body's ops, and where the cursor
  // is in the loop: the pair yielded last (1-based; 0 before the first) and the
  // body op in progress (empty between body ops).
  const std::vector<IterBodyOp>* loopBody = nullptr;
  int loopPair = 0;
  std::string_view bodyText;
  bool go127 = true;
  uint64_t revision = 0; // changes whenever the cursor or the session changes
  uint64_t sessionId = 0;
  // The current op's Hashed event up to the cursor, and its GroupProbed events (in order).
  std::optional<swiss::SwissPayload<swiss::SwissKind::Hashed>> hash;
  std::vector<swiss::SwissPayload<swiss::SwissKind::GroupProbed>> probes;
  // The map's tables (distinct, in directory order) and directory, computed once per revision.
  std::vector<swiss::TableInfo> tables;
  std::vector<uint32_t> dir;
  uint64_t slots = 0; // all slots of the map (8 for a small map)
  // The tables a grow, split or growToTable is filling, before they are in
  // the directory (SwissLoc::kNew, and kNewRight: a split's right table).
  std::optional<swiss::TableInfo> building[2];
  // A race: each goroutine's mark, and the goroutine of the current event.
  std::vector<SwissGoroutineMark> goroutines;
  int currentG = 0;
  bool currentReplaced = false; // a race: the current event's slot is in memory the map no longer has
  bool atEnd = true; // nothing after the cursor (a race: the run has ended too)
  // The slot (or group) the views frame: the current event's, or on an
  // event that names none (op_end, used_changed, ...) the op's latest event
  // that does (its goroutine's in a race), followed to where that memory is
  // now. markTable: -2 none, -1 the small group, else a position in tables;
  // markSlot -1: the whole group. markEvent: the event it comes from.
  int markTable = -2;
  uint64_t markGroup = 0;
  int markSlot = -1;
  int64_t markEvent = -1;
  // Make's last event, where the header first shows the script's seed
  // (make's SEED argument, written over the seed NewMap drew); -1: none.
  int64_t scriptSeedEvent = -1;
  uint64_t scriptSeed = 0;
  bool loaded() const { return events != nullptr; }
};

// The current op's hash and probe path up to the cursor (its events only: in a
// race other goroutines' events are interleaved with them).
void fillSwissOpProgress(SwissFrame& f);
// The map's tables, directory positions and slot count.
void fillSwissShape(SwissFrame& f);
// The slot or group the views frame (markTable ...), after the shape and, in a
// race, currentReplaced are filled.
void fillSwissMark(SwissFrame& f);

// The table a SwissLoc names, as a position in SwissFrame::tables (the loc's
// table is the first directory index the table occupies); -1 for the small
// group or a table being built.
int tablePosOf(const SwissFrame& f, uint16_t locTable);

// The cursor moves, playback, lesson and status lines are the shared script
// controller's (ui/script_session_controller.hpp).
class SwissController final : public ScriptSessionController<SwissSession> {
public:
  SwissController(Said& error, Said& status) : ScriptSessionController(error, status, 20) {}

  // Records the script's session. Fails with err naming the line.
  bool load(const std::vector<ScriptOp>& ops, std::string_view text, const std::string& name, std::string& err);
  // The script op (an index into the parser's ops, as Lesson::ops) that
  // produced session op k: every session op comes from one script line (a
  // Swiss session takes no typed ops). Nullopt without a lesson.
  std::optional<std::size_t> scriptOpOf(std::size_t k) const;

  std::string_view opText(std::size_t k) const override;
  std::optional<KeyValue> opKey(std::size_t k) const override;
  void fillFrame(SwissFrame& f);

private:
  std::vector<std::string> lines_; // the script's lines, for opText
  uint64_t filledRevision_ = ~uint64_t{0};
};

} // namespace gomap::ui
