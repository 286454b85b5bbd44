// A race on a Swiss map as the Swiss views draw it (issue 13, "Races on a
// Swiss map"): the race world's AnySwiss at the cursor, the merged event
// stream of its goroutines, and each goroutine's mark on the slot it last
// touched, followed to where that memory is now.
#include <algorithm>

#include "ui/goroutines_view.hpp"

namespace gomap::ui {

using namespace gomap::swiss;

namespace {

// Where goroutine g's last slot-carrying event at or before pos left it, as
// the map is at pos. The event's SwissLoc names its table by the first
// directory index the table occupied then; since then another step may have
// doubled the directory (the index doubles: installTableSplit copies entry i
// to 2i and 2i+1), or installed a new table over that index (a grow or a
// split: the old table is no longer the map's), or turned the small group
// into a table (growToTable).
void markGoroutine(const SwissFrame& f, const SwissEventSource& ev, int64_t j, SwissGoroutineMark& m) {
  const SwissEvent& e = ev.swissEvent(static_cast<uint64_t>(j));
  const SwissLoc l = swissLocOfEvent(e);
  if (l.table == SwissLoc::kNew || l.table == SwissLoc::kNewRight) return; // a table being built: not in the map yet
  bool small = l.table == SwissLoc::kSmall;
  uint64_t dirIndex = l.table;
  // When it reached that table in this op: its loc is as of then (a store
  // through the elem pointer names the slot it chose before another
  // goroutine's grow). Back over its own events of the op while they stay in
  // that table, up to a change of the map's shape it made itself.
  int64_t arrived = j;
  const std::size_t op = ev.opOfEvent(static_cast<uint64_t>(j));
  for (int64_t i = j - 1; i >= 0 && j - i < 200000; i--) {
    if (ev.goroutineOfEvent(static_cast<uint64_t>(i)) != m.g) continue;
    if (ev.opOfEvent(static_cast<uint64_t>(i)) != op) break;
    const SwissEvent& x = ev.swissEvent(static_cast<uint64_t>(i));
    if (x.kind == SwissKind::TableInstalled || x.kind == SwissKind::ConvertStarted ||
        x.kind == SwissKind::RehashStarted || x.kind == SwissKind::DirDoubled || x.kind == SwissKind::OpBegin)
      break;
    if (!swissKindInfo(x.kind).carriesSlot) continue;
    if (swissLocOfEvent(x).table != l.table) break;
    arrived = i;
  }
  for (int64_t i = arrived + 1; i <= f.position; i++) {
    const SwissEvent& x = ev.swissEvent(static_cast<uint64_t>(i));
    int by = 0;
    // The small group stays the map's until growToTable installs its table
    // (the directory), not when the conversion starts.
    if (small && x.kind == SwissKind::TableInstalled) {
      by = ev.goroutineOfEvent(static_cast<uint64_t>(i));
    } else if (!small && x.kind == SwissKind::DirDoubled) {
      dirIndex *= 2;
    } else if (!small && x.kind == SwissKind::TableInstalled) {
      const auto p = swissPayloadOf<SwissKind::TableInstalled>(x);
      if (dirIndex >= p.index && dirIndex < uint64_t{p.index} + p.entries) by = ev.goroutineOfEvent(static_cast<uint64_t>(i));
    }
    if (by == 0) continue;
    // Its own grow moved on from that memory (its later events are elsewhere):
    // no mark. Another goroutine's: it is left in memory the map no longer has.
    if (by == m.g) return;
    // Another goroutine's: this one is left in memory the map no longer has
    // if it went on touching it (the lost store) or is still in that op; if
    // it had finished there first, nothing of it is left to show.
    const bool stillInOp = m.inOp && m.lastEvent >= 0 && ev.opOfEvent(static_cast<uint64_t>(m.lastEvent)) == op;
    if (i < j || stillInOp) {
      m.replaced = true;
      m.replacedSmall = small;
      m.replacedBy = by;
    }
    return;
  }
  if (small) {
    if (!f.map || !f.map->hasSmallGroup()) return;
    m.table = -1;
    m.group = 0;
  } else {
    if (dirIndex >= f.dir.size()) return;
    m.table = static_cast<int>(f.dir[dirIndex]);
    m.group = l.group;
    if (m.group >= f.tables[static_cast<std::size_t>(m.table)].groups) {
      m.table = -2;
      return;
    }
  }
  m.slot = (e.kind == SwissKind::GroupProbed || e.kind == SwissKind::PruneGroup) ? -1 : l.slot;
}

} // namespace

void RaceController::fillSwissFrame(SwissFrame& f) {
  const race::World& w = s_->world();
  const AnySwiss& map = w.swissMap();
  const SwissEventSource& ev = rec_;
  f.ctl = this;
  f.events = &ev;
  f.kind = map.kind();
  f.map = &map;
  f.go127 = map.version() == Version::Go127;
  f.position = position();
  f.current = f.position >= 0 ? &ev.swissEvent(static_cast<uint64_t>(f.position)) : nullptr;
  f.currentOp.reset();
  f.opText = {};
  f.currentG = 0;
  if (f.current) {
    f.currentOp = ev.opOfEvent(static_cast<uint64_t>(f.position));
    f.opText = opText(*f.currentOp);
    f.currentG = ev.goroutineOfEvent(static_cast<uint64_t>(f.position));
  }
  // The cursor and the recording (a new one restarts the views' caches).
  f.sessionId = (recEpoch_ << 32) ^ (uint64_t{1} << 62);
  f.revision = static_cast<uint64_t>(f.position + 1) + (ev.eventCount() << 24);
  f.atEnd = s_->atEnd() && f.position + 1 >= static_cast<int64_t>(ev.eventCount());
  fillSwissOpProgress(f);
  fillSwissShape(f);

  const int n = w.goroutines();
  f.goroutines.assign(static_cast<std::size_t>(n), SwissGoroutineMark{});
  std::vector<int64_t> slotEvent(static_cast<std::size_t>(n), -1);
  for (int g = 1; g <= n; g++) goroutineBasics(w, g, f.goroutines[static_cast<std::size_t>(g - 1)]);
  // Each goroutine's last event and its last event that names a slot (bounded scan back).
  int found = 0;
  const int64_t limit = std::max<int64_t>(-1, f.position - 200000);
  for (int64_t i = f.position; i > limit && found < 2 * n; i--) {
    const int g = ev.goroutineOfEvent(static_cast<uint64_t>(i));
    if (g < 1 || g > n) continue;
    SwissGoroutineMark& m = f.goroutines[static_cast<std::size_t>(g - 1)];
    if (m.lastEvent < 0) {
      m.lastEvent = i;
      found++;
    }
    int64_t& se = slotEvent[static_cast<std::size_t>(g - 1)];
    if (se < 0 && swissKindInfo(ev.swissEvent(static_cast<uint64_t>(i)).kind).carriesSlot) {
      se = i;
      found++;
    }
  }
  f.currentReplaced = false;
  for (int g = 1; g <= n; g++) {
    const int64_t j = slotEvent[static_cast<std::size_t>(g - 1)];
    if (j < 0) continue;
    SwissGoroutineMark& m = f.goroutines[static_cast<std::size_t>(g - 1)];
    markGoroutine(f, ev, j, m);
    // The cursor's own slot is in a table that is no longer the map's: the
    // views must not frame the slot of the same number in the live table.
    if (j == f.position && (m.replaced || m.table < -1)) f.currentReplaced = true;
    // Its op's probe path was drawn in that table too.
    if (g == f.currentG && m.replaced) f.probes.clear();
  }
  fillSwissMark(f);
}

} // namespace gomap::ui
