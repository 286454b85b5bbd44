#include "trace/syncmap_json.hpp"

#include <fmt/format.h>

#include "trace/state_json.hpp"

namespace gomap {

using namespace syncmap;

namespace {
void appendEntries(std::string& out, const KeyMap& m) {
  out.push_back('[');
  bool first = true;
  for (const auto& [k, e] : m) { // sorted: strings by bytes, int64 numerically
    if (!first) out.push_back(',');
    first = false;
    out += "{\"k\":";
    appendJsonKey(out, k);
    fmt::format_to(std::back_inserter(out), ",\"e\":{},\"p\":\"{}\"", e->id, pStateName(e->p));
    if (e->p == PState::Value) fmt::format_to(std::back_inserter(out), ",\"c\":{},\"v\":{}", e->cell, e->value);
    out.push_back('}');
  }
  out.push_back(']');
}
} // namespace

void appendSyncState(std::string& out, const SyncMap& m) {
  fmt::format_to(std::back_inserter(out), ",\"mu\":{{\"state\":{},\"sema\":{}}}", m.mu().state, m.mu().sema);
  const ReadOnly* r = m.read();
  if (r) fmt::format_to(std::back_inserter(out), ",\"read\":{},\"amended\":{},\"m\":", r->id, r->amended);
  else out += ",\"read\":null,\"amended\":false,\"m\":";
  if (r && r->m) appendEntries(out, *r->m);
  else out += "[]";
  out += ",\"dirty\":";
  if (m.dirty()) appendEntries(out, *m.dirty());
  else out += "null";
  fmt::format_to(std::back_inserter(out), ",\"misses\":{}", m.misses());
}

void appendSyncEventJson(std::string& out, const SyncEvent& e, uint64_t index, uint64_t opIndex) {
  const SyncSiteInfo& s = siteInfo(e.site);
  fmt::format_to(std::back_inserter(out), "{{\"i\":{},\"op\":{},\"kind\":\"{}\",\"fn\":\"{}\",\"line\":{}", index, opIndex,
                 kindName(e.kind), s.function, s.line);
  auto add = [&](std::string_view name, auto v) { fmt::format_to(std::back_inserter(out), ",\"{}\":{}", name, v); };
  auto state = [&](std::string_view name, PState p) { fmt::format_to(std::back_inserter(out), ",\"{}\":\"{}\"", name, pStateName(p)); };
  switch (e.kind) {
  case SyncKind::OpBegin: fmt::format_to(std::back_inserter(out), ",\"method\":\"{}\"", opName(e.op)); break;
  case SyncKind::OpEnd: add("ok", e.flag), add("value", e.value); break;
  case SyncKind::ReadLoaded:
    if (e.ro) add("read", e.ro);
    else out += ",\"read\":null";
    add("amended", e.flag);
    break;
  case SyncKind::ReadLookup:
  case SyncKind::DirtyLookup: add("found", e.flag), add("e", e.entry); break;
  case SyncKind::Locked:
  case SyncKind::Unlocked: add("state", e.n); break;
  case SyncKind::PLoaded:
    add("e", e.entry), state("p", e.from);
    if (e.from == PState::Value) add("c", e.cell);
    break;
  case SyncKind::PCas:
    add("e", e.entry), state("old", e.from), state("new", e.to), add("swapped", e.flag);
    if (e.to == PState::Value) add("c", e.cell), add("v", e.value);
    break;
  case SyncKind::PStored: add("e", e.entry), add("c", e.cell), add("v", e.value); break;
  case SyncKind::DirtyWritten:
  case SyncKind::RangeNext: add("e", e.entry); break;
  case SyncKind::DirtyDeleted: add("found", e.flag), add("e", e.entry); break;
  case SyncKind::DirtyMade: add("hint", e.n); break;
  case SyncKind::DirtyCleared: break;
  case SyncKind::ReadStored: add("read", e.ro), add("amended", e.flag), add("len", e.n); break;
  case SyncKind::EntryCreated: add("e", e.entry), add("c", e.cell), add("v", e.value); break;
  case SyncKind::MissCounted: add("misses", e.n), add("lenDirty", e.n2); break;
  case SyncKind::RangeCall: add("e", e.entry), add("v", e.value), add("more", e.flag); break;
  case SyncKind::kCount: break;
  }
  out.push_back('}');
}

} // namespace gomap
