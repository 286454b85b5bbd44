#include "trace/syncmap_text.hpp"

#include <fmt/format.h>


namespace gomap {

using namespace syncmap;

namespace {
std::string pName(PState p, uint32_t cell) {
  if (p == PState::Value) return fmt::format("&cell#{}", cell);
  return std::string(pStateName(p));
}
template <class... A> std::string W(std::string_view f, A&&... a) { return fmt::format(fmt::runtime(f), a...); }
} // namespace

std::string syncPayloadText(const SyncEvent& e, const SyncWords& w) {
  switch (e.kind) {
  case SyncKind::OpBegin: {
    const auto p = payloadOf<SyncKind::OpBegin>(e);
    if (p.op == SyncOp::Store || p.op == SyncOp::LoadOrStore) return W(w.value, p.value);
    return {};
  }
  case SyncKind::OpEnd: {
    // Store and Range return nothing (their OpEnd carries no results to show).
    if (e.site == SyncSite::StoreEnd || e.site == SyncSite::StoreEndFast || e.site == SyncSite::RangeEnd) return {};
    const auto p = payloadOf<SyncKind::OpEnd>(e);
    return W(w.returns, p.ok ? fmt::format("{}", p.value) : std::string(w.nil), p.ok);
  }
  case SyncKind::ReadLoaded: {
    const auto p = payloadOf<SyncKind::ReadLoaded>(e);
    if (p.read == 0) return W(w.readNever);
    return W(w.readOnly, p.read, p.amended);
  }
  case SyncKind::ReadLookup: {
    const auto p = payloadOf<SyncKind::ReadLookup>(e);
    return p.found ? W(w.found, p.entry) : std::string(w.missing);
  }
  case SyncKind::DirtyLookup: {
    const auto p = payloadOf<SyncKind::DirtyLookup>(e);
    return p.found ? W(w.found, p.entry) : std::string(w.missing);
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
                       p.swapped ? w.swapped : w.failed);
  }
  case SyncKind::PStored: {
    const auto p = payloadOf<SyncKind::PStored>(e);
    return fmt::format("entry #{}: p {} -> &cell#{} ({})", p.entry, pStateName(p.from), p.cell, p.value);
  }
  case SyncKind::DirtyWritten: return fmt::format("entry #{}", payloadOf<SyncKind::DirtyWritten>(e).entry);
  case SyncKind::DirtyDeleted: {
    const auto p = payloadOf<SyncKind::DirtyDeleted>(e);
    return p.found ? fmt::format("entry #{}", p.entry) : std::string(w.absent);
  }
  case SyncKind::DirtyMade: return fmt::format("len(read.m) {}", payloadOf<SyncKind::DirtyMade>(e).hint);
  case SyncKind::DirtyCleared: return {};
  case SyncKind::ReadStored: {
    const auto p = payloadOf<SyncKind::ReadStored>(e);
    return W(w.published, p.read, p.amended, p.len);
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
    return W(w.rangeCall, p.entry, p.value, p.more);
  }
  case SyncKind::Collected: {
    const auto p = payloadOf<SyncKind::Collected>(e);
    return W(w.freed, p.readonly, p.entry, p.cell, p.box);
  }
  case SyncKind::kCount: break;
  }
  return {};
}

std::string syncHeapCountsText(const HeapCounts& c) {
  std::string s;
  for (int k = 0; k < kHeapKinds; k++) {
    if (!c.n[k]) continue;
    if (!s.empty()) s += ", ";
    s += fmt::format("{} {}", heapKindName(static_cast<HeapKind>(k)), c.n[k]);
  }
  return s.empty() ? std::string("-") : s;
}

namespace {
void appendEntries(std::string& out, const KeyMap& m, const char* indent) {
  for (const auto& [k, e] : m) { // sorted: strings by bytes, int64 numerically
    std::string key = keyText(k);
    if (key.size() > 24) key = key.substr(0, 23) + "…";
    out += fmt::format("{}{:<24} -> entry #{:<4} p = {}", indent, key, e->id, pName(e->p, e->cell));
    if (e->p == PState::Value) out += fmt::format(" ({})", e->value);
    out += '\n';
  }
}
} // namespace

std::string syncStateText(const SyncMap& m) {
  std::string out;
  const int32_t st = m.mu().state;
  out += fmt::format("mu    state {}{}   sema {}\n", st, (st & 1) ? " (locked)" : " (unlocked)", m.mu().sema);
  const ReadOnly* r = m.read();
  if (!r) {
    out += "read  nil (never stored: a Load sees readOnly{})\n";
  } else {
    out += fmt::format("read  -> readOnly #{}  amended {}  len(read.m) {}\n", r->id, r->amended, r->m ? r->m->size() : 0);
    if (r->m) appendEntries(out, *r->m, "        ");
  }
  if (const KeyMap* d = m.dirty()) {
    out += fmt::format("dirty len {}\n", d->size());
    appendEntries(out, *d, "        ");
  } else {
    out += "dirty nil\n";
  }
  if (m.dirty()) out += fmt::format("misses {} (promotion when misses >= len(dirty) = {})\n", m.misses(), m.dirty()->size());
  else out += fmt::format("misses {}\n", m.misses());
  out += fmt::format("heap  allocated {}; freed {}; live {}; reachable {}\n", syncHeapCountsText(m.allocs()),
                     syncHeapCountsText(m.frees()), syncHeapCountsText(m.live()), syncHeapCountsText(m.reachable()));
  return out;
}

} // namespace gomap
