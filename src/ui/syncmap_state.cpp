#include "ui/syncmap_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "trace/script_runner.hpp"
#include "ui/strings.hpp"

namespace gomap::ui {

using namespace gomap::syncmap;

namespace {
std::string pName(PState p, uint32_t cell) {
  if (p == PState::Value) return fmt::format("&cell#{}", cell);
  return std::string(pStateName(p));
}

// The payload's facts, in Go's notation (language-neutral).
std::string payloadText(const SyncEvent& e) {
  switch (e.kind) {
  case SyncKind::OpBegin: {
    const auto p = payloadOf<SyncKind::OpBegin>(e);
    if (p.op == SyncOp::Store || p.op == SyncOp::LoadOrStore) return fmt::format("value {}", p.value);
    return {};
  }
  case SyncKind::OpEnd: {
    const auto p = payloadOf<SyncKind::OpEnd>(e);
    return fmt::format("returns ({}, {})", p.ok ? fmt::format("{}", p.value) : std::string("nil"), p.ok);
  }
  case SyncKind::ReadLoaded: {
    const auto p = payloadOf<SyncKind::ReadLoaded>(e);
    if (p.read == 0) return "read never stored: readOnly{}";
    return fmt::format("readOnly #{}, amended {}", p.read, p.amended);
  }
  case SyncKind::ReadLookup: {
    const auto p = payloadOf<SyncKind::ReadLookup>(e);
    return p.found ? fmt::format("ok, entry #{}", p.entry) : std::string("missing");
  }
  case SyncKind::DirtyLookup: {
    const auto p = payloadOf<SyncKind::DirtyLookup>(e);
    return p.found ? fmt::format("ok, entry #{}", p.entry) : std::string("missing");
  }
  case SyncKind::Locked: return fmt::format("mu.state {}", payloadOf<SyncKind::Locked>(e).state);
  case SyncKind::Unlocked: return fmt::format("mu.state {}", payloadOf<SyncKind::Unlocked>(e).state);
  case SyncKind::PLoaded: {
    const auto p = payloadOf<SyncKind::PLoaded>(e);
    return fmt::format("entry #{}: p = {}{}", p.entry, pName(p.p, p.cell),
                       p.p == PState::Value ? fmt::format(" ({})", p.value) : std::string());
  }
  case SyncKind::PCas: {
    const auto p = payloadOf<SyncKind::PCas>(e);
    return fmt::format("entry #{}: p {} -> {}: {}", p.entry, pStateName(p.from),
                       p.to == PState::Value ? fmt::format("&cell#{} ({})", p.cell, p.value) : std::string(pStateName(p.to)),
                       p.swapped ? "swapped" : "failed");
  }
  case SyncKind::PStored: {
    const auto p = payloadOf<SyncKind::PStored>(e);
    return fmt::format("entry #{}: p {} -> &cell#{} ({})", p.entry, pStateName(p.from), p.cell, p.value);
  }
  case SyncKind::DirtyWritten: return fmt::format("entry #{}", payloadOf<SyncKind::DirtyWritten>(e).entry);
  case SyncKind::DirtyDeleted: {
    const auto p = payloadOf<SyncKind::DirtyDeleted>(e);
    return p.found ? fmt::format("entry #{}", p.entry) : std::string("absent");
  }
  case SyncKind::DirtyMade: return fmt::format("len(read.m) {}", payloadOf<SyncKind::DirtyMade>(e).hint);
  case SyncKind::DirtyCleared: return {};
  case SyncKind::ReadStored: {
    const auto p = payloadOf<SyncKind::ReadStored>(e);
    return fmt::format("readOnly #{}, amended {}, len(m) {}", p.read, p.amended, p.len);
  }
  case SyncKind::EntryCreated: {
    const auto p = payloadOf<SyncKind::EntryCreated>(e);
    return fmt::format("entry #{}, p = &cell#{} ({})", p.entry, p.cell, p.value);
  }
  case SyncKind::MissCounted: {
    const auto p = payloadOf<SyncKind::MissCounted>(e);
    return fmt::format("misses {}, len(dirty) {}", p.misses, p.lenDirty);
  }
  case SyncKind::RangeNext: return fmt::format("entry #{}", payloadOf<SyncKind::RangeNext>(e).entry);
  case SyncKind::RangeCall: {
    const auto p = payloadOf<SyncKind::RangeCall>(e);
    return fmt::format("entry #{}, v {}, f returns {}", p.entry, p.value, p.more);
  }
  case SyncKind::Collected: {
    const auto p = payloadOf<SyncKind::Collected>(e);
    return fmt::format("freed readonly {}, entry {}, cell {}, box {}", p.readonly, p.entry, p.cell, p.box);
  }
  case SyncKind::kCount: break;
  }
  return {};
}

std::string heapKinds(const HeapCounts& c) {
  std::string s;
  for (int k = 0; k < kHeapKinds; k++) {
    if (!c.n[k]) continue;
    if (!s.empty()) s += ", ";
    s += fmt::format("{} {}", heapKindName(static_cast<HeapKind>(k)), c.n[k]);
  }
  return s.empty() ? std::string("-") : s;
}
} // namespace

std::string syncEventText(const SyncMapSession& s, uint64_t i) {
  const SyncMapSession::Op& o = s.op(s.opOfEvent(i));
  if (o.kind == SyncMapSession::Op::Kind::Make) return tr(S::SmoMadeStep);
  if (o.kind == SyncMapSession::Op::Kind::Gc)
    return fmt::format(fmt::runtime(tr(S::SmoGcStep)), o.freed.total(), heapKinds(o.freed));
  const SyncEvent& e = s.event(i);
  const SyncSiteInfo& si = siteInfo(e.site);
  const std::string p = payloadText(e);
  return fmt::format("{}:{}  {}{}{}", si.function, si.line, si.what, p.empty() ? "" : "  —  ", p);
}

bool SyncMapController::load(const std::vector<ScriptOp>& ops, const std::string& name, std::string& err) {
  auto s = SyncMapSession::fromScript(ops, name, err);
  if (!s) return false;
  texts_.clear();
  for (const ScriptOp& op : ops) texts_.push_back(op.text);
  adopt(std::move(s), name);
  return true;
}

std::optional<std::size_t> SyncMapController::scriptOpOf(std::size_t k) const {
  if (!session_ || !lesson_ || k >= session_->opCount()) return std::nullopt;
  return session_->op(k).scriptOp;
}

std::string_view SyncMapController::opText(std::size_t k) const {
  if (!session_ || k >= session_->opCount()) return {};
  const std::size_t so = session_->op(k).scriptOp;
  return so < texts_.size() ? std::string_view(texts_[so]) : std::string_view();
}

std::optional<KeyValue> SyncMapController::opKey(std::size_t k) const {
  if (!session_ || k >= session_->opCount()) return std::nullopt;
  const auto& o = session_->op(k);
  if (o.kind != SyncMapSession::Op::Kind::Method || o.req.code == SyncOpCode::Range) return std::nullopt;
  return o.req.key;
}

void SyncMapController::fillFrame(SyncMapFrame& sm, Frame& f) {
  f = Frame{};
  f.ctl = this;
  f.sessionId = sessionId_;
  sm = SyncMapFrame{};
  if (!session_) return;
  const SyncMapSession& s = *session_;
  f.position = s.position();
  f.currentOp = currentOp();
  f.syncMap = &sm;
  sm.map = s.map();
  sm.currentG = 1; // a script runs on the main goroutine, G1
  if (f.position < 0) {
    sm.muStep = tr(S::SmoBeforeMake);
    return;
  }
  const uint64_t i = static_cast<uint64_t>(f.position);
  sm.currentOp = std::string(opText(*f.currentOp));
  if (s.isStep(i)) sm.muStep = fmt::format("{}  —  {}", sm.currentOp, syncEventText(s, i)); // make, gc: a step of its own
  else sm.current = s.event(i);
}

} // namespace gomap::ui
