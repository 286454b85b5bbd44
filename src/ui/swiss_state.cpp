#include "ui/swiss_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "trace/script_runner.hpp"
#include "ui/strings.hpp"

namespace gomap::ui {

using namespace gomap::swiss;

int tablePosOf(const SwissFrame& f, uint16_t locTable) {
  if (locTable >= SwissLoc::kNewRight || locTable >= f.dir.size()) return -1;
  return static_cast<int>(f.dir[locTable]);
}

bool SwissController::load(const std::vector<ScriptOp>& ops, std::string_view text, const std::string& name,
                           std::string& err) {
  auto s = SwissSession::fromScript(ops, name, err);
  if (!s) return false;
  lines_.clear();
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    if (auto hash = l.find('#'); hash != std::string_view::npos && l.find('"') == std::string_view::npos &&
                                 l.find('`') == std::string_view::npos) {
      l = l.substr(0, hash);
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
    }
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    lines_.emplace_back(l);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  adopt(std::move(s), name);
  return true;
}

std::string_view SwissController::opText(std::size_t k) const {
  if (!session_ || k >= session_->opCount()) return {};
  const int line = session_->op(k).line;
  if (line < 1 || static_cast<std::size_t>(line) > lines_.size()) return {};
  return lines_[static_cast<std::size_t>(line - 1)];
}

std::optional<std::size_t> SwissController::scriptOpOf(std::size_t k) const {
  if (!session_ || !lesson_ || k >= session_->opCount()) return std::nullopt;
  // The script's ops are in line order, one per line: find the op's line.
  const std::vector<int>& lines = lesson_->opLines;
  const int line = session_->op(k).line;
  const auto it = std::lower_bound(lines.begin(), lines.end(), line);
  if (it == lines.end() || *it != line) return std::nullopt;
  return static_cast<std::size_t>(it - lines.begin());
}

std::optional<KeyValue> SwissController::opKey(std::size_t k) const {
  if (!session_ || k >= session_->opCount()) return std::nullopt;
  const auto& o = session_->op(k);
  const auto c = o.req.code;
  if (o.kind != SwissSession::Op::Kind::Map || !(c == SwissOpCode::Put || c == SwissOpCode::Get || c == SwissOpCode::Del))
    return std::nullopt;
  return o.req.key;
}

void SwissController::fillFrame(SwissFrame& f) {
  f.ctl = this;
  f.events = session_.get();
  if (!session_) {
    f.map = nullptr;
    return;
  }
  const SwissSession& s = *session_;
  f.kind = s.kind();
  f.position = s.position();
  f.map = s.made() ? &s.map() : nullptr;
  f.go127 = s.version() == Version::Go127;
  f.sessionId = sessionId_;
  f.revision = revision_;
  f.atEnd = f.position + 1 >= static_cast<int64_t>(s.eventCount());
  if (filledRevision_ == revision_ + (sessionId_ << 40)) return;
  filledRevision_ = revision_ + (sessionId_ << 40);
  f.current = f.position >= 0 ? &s.event(static_cast<uint64_t>(f.position)) : nullptr;
  f.currentOp.reset();
  f.opText = {};
  f.loopBody = nullptr;
  if (f.position >= 0) {
    f.currentOp = s.opOfEvent(static_cast<uint64_t>(f.position));
    f.opText = opText(*f.currentOp);
    if (s.op(*f.currentOp).loop) f.loopBody = &s.op(*f.currentOp).body;
  }
  fillSwissOpProgress(f);
  fillSwissShape(f);
  fillSwissMark(f);
  // make writes its SEED argument over the drawn seed when it returns (no
  // event says so: the events are the runtime's): at make's last event.
  f.scriptSeedEvent = -1;
  if (s.opCount() > 0 && s.op(0).kind == SwissSession::Op::Kind::Map && s.op(0).req.code == SwissOpCode::Make &&
      s.op(0).result.outcome == Outcome::Ok && s.op(0).eventCount > 0) {
    f.scriptSeedEvent = static_cast<int64_t>(s.op(0).firstEvent + s.op(0).eventCount) - 1;
    f.scriptSeed = s.op(0).number;
  }
}

void fillSwissOpProgress(SwissFrame& f) {
  f.hash.reset();
  f.probes.clear();
  f.loopPair = 0;
  f.bodyText = {};
  if (f.position < 0 || !f.currentOp || !f.events) return;
  // A loop's body ops start in order after each yielded key (SwissLoopRun:
  // seed ops emit no op_begin); the one in progress is the last begun.
  std::size_t nextBody = 0;
  auto bodyOpBegun = [&] {
    const auto& body = *f.loopBody;
    while (nextBody < body.size() && body[nextBody].kind == IterBodyOp::Kind::Seed) nextBody++;
    if (nextBody < body.size()) f.bodyText = body[nextBody++].text;
  };
  const SwissEventSource& s = *f.events;
  const std::size_t k = *f.currentOp;
  // The current op's hash and probes so far (a big grow has thousands of
  // events, but they are neither; the scan stops at the cursor).
  const uint64_t first = s.firstEventOfOp(k);
  uint64_t from = first;
  // Only the last rehash's part matters for probes: a probe sequence starts
  // again after a grow; keep the scan short on huge ops.
  for (uint64_t i = first; i <= static_cast<uint64_t>(f.position); i++) {
    if (!s.opsContiguous() && s.opOfEvent(i) != k) continue; // another goroutine's (a race)
    const SwissEvent& e = s.swissEvent(i);
    if (e.kind == SwissKind::Hashed) {
      f.hash = swissPayloadOf<SwissKind::Hashed>(e);
      from = i;
      f.probes.clear();
    } else if (e.kind == SwissKind::GroupProbed) {
      auto p = swissPayloadOf<SwissKind::GroupProbed>(e);
      if (p.probe == 0) f.probes.clear(); // a new probe sequence (after a grow, in the new table)
      f.probes.push_back(p);
    } else if (e.kind == SwissKind::RehashStarted || e.kind == SwissKind::ConvertStarted) {
      f.probes.clear();
    } else if (f.loopBody && e.kind == SwissKind::OpBegin) { // a body op: its own hash and probes
      f.hash.reset();
      f.probes.clear();
      bodyOpBegun();
    } else if (f.loopBody && (e.kind == SwissKind::IterYielded || e.kind == SwissKind::IterFinished)) {
      f.hash.reset();
      f.probes.clear();
      f.bodyText = {};
      nextBody = 0;
      if (e.kind == SwissKind::IterYielded) f.loopPair++;
    }
    if (i - from > 200000) break; // a pathological op: enough
  }
}

void fillSwissShape(SwissFrame& f) {
  f.tables.clear();
  f.dir.clear();
  f.slots = 0;
  f.building[0].reset();
  f.building[1].reset();
  if (!f.map) return;
  for (int right = 0; right < 2; right++) {
    TableInfo t;
    if (f.map->buildingTable(right != 0, t)) f.building[right] = t;
  }
  f.tables = f.map->tables();
  f.dir = f.map->directoryPositions();
  for (const TableInfo& t : f.tables) f.slots += t.capacity;
  if (f.map->hasSmallGroup()) f.slots = MapGroupSlots;
}

void fillSwissMark(SwissFrame& f) {
  f.markTable = -2;
  f.markGroup = 0;
  f.markSlot = -1;
  f.markEvent = -1;
  if (!f.current || !f.currentOp || !f.events || !f.map || f.currentReplaced) return;
  const SwissEventSource& s = *f.events;
  const std::size_t k = *f.currentOp;
  const int64_t first = static_cast<int64_t>(s.firstEventOfOp(k));
  // The op's latest event at or before the cursor that names a slot or group
  // (in a race: the op's own events, its goroutine's).
  int64_t j = -1;
  for (int64_t i = f.position; i >= first && f.position - i < 200000; i--) {
    if (!s.opsContiguous() && s.opOfEvent(static_cast<uint64_t>(i)) != k) continue;
    if (swissKindInfo(s.swissEvent(static_cast<uint64_t>(i)).kind).carriesSlot) {
      j = i;
      break;
    }
  }
  if (j < 0) return;
  const SwissEvent& e = s.swissEvent(static_cast<uint64_t>(j));
  const SwissLoc l = swissLocOfEvent(e);
  if (l.table == SwissLoc::kNew || l.table == SwissLoc::kNewRight) return; // a table being built: not in the map yet
  const bool small = l.table == SwissLoc::kSmall;
  // Its loc names the table by the first directory index it had then: follow
  // it to now (a split doubles the directory: entry i becomes 2i and 2i+1); a
  // table installed over it (or over the small group) leaves nothing to frame.
  uint64_t dirIndex = l.table;
  for (int64_t i = j + 1; i <= f.position; i++) {
    const SwissEvent& x = s.swissEvent(static_cast<uint64_t>(i));
    if (x.kind == SwissKind::DirDoubled && !small) {
      dirIndex *= 2;
    } else if (x.kind == SwissKind::TableInstalled) {
      if (small) return;
      const auto p = swissPayloadOf<SwissKind::TableInstalled>(x);
      if (dirIndex >= p.index && dirIndex < uint64_t{p.index} + p.entries) return;
    }
  }
  if (small) {
    if (!f.map->hasSmallGroup()) return;
    f.markTable = -1;
    f.markGroup = 0; // a small map's group is the map's only group: group 0
  } else {
    if (dirIndex >= f.dir.size()) return;
    const int t = static_cast<int>(f.dir[dirIndex]);
    if (l.group >= f.tables[static_cast<std::size_t>(t)].groups) return;
    f.markTable = t;
    f.markGroup = l.group;
  }
  f.markSlot = (e.kind == SwissKind::GroupProbed || e.kind == SwissKind::PruneGroup) ? -1 : l.slot;
  f.markEvent = j;
}

} // namespace gomap::ui
