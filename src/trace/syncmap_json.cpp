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

void appendSyncHeap(std::string& out, const SyncMap& m) {
  auto counts = [&](std::string_view name, const HeapCounts& op, const HeapCounts& all) {
    fmt::format_to(std::back_inserter(out), ",\"{}\":{{\"op\":{}", name, op.total());
    for (int k = 0; k < kHeapKinds; k++)
      fmt::format_to(std::back_inserter(out), ",\"{}\":{}", heapKindName(static_cast<HeapKind>(k)), all.n[k]);
    out.push_back('}');
  };
  counts("allocs", m.opAllocs(), m.allocs());
  counts("frees", m.opFrees(), m.frees());
}

void appendSyncEventJson(std::string& out, const SyncEvent& e, uint64_t index, uint64_t opIndex) {
  const SyncSiteInfo& s = siteInfo(e.site);
  fmt::format_to(std::back_inserter(out), "{{\"i\":{},\"op\":{},\"kind\":\"{}\",\"fn\":\"{}\",\"line\":{}", index, opIndex,
                 kindName(e.kind), s.function, s.line);
  auto add = [&](std::string_view name, auto v) { fmt::format_to(std::back_inserter(out), ",\"{}\":{}", name, v); };
  auto state = [&](std::string_view name, PState p) { fmt::format_to(std::back_inserter(out), ",\"{}\":\"{}\"", name, pStateName(p)); };
  using enum SyncKind;
  switch (e.kind) {
  case OpBegin: fmt::format_to(std::back_inserter(out), ",\"method\":\"{}\"", opName(payloadOf<OpBegin>(e).op)); break;
  case OpEnd: {
    const auto p = payloadOf<OpEnd>(e);
    add("ok", p.ok), add("value", p.value);
    break;
  }
  case ReadLoaded: {
    const auto p = payloadOf<ReadLoaded>(e);
    if (p.read) add("read", p.read);
    else out += ",\"read\":null";
    add("amended", p.amended);
    break;
  }
  case ReadLookup: {
    const auto p = payloadOf<ReadLookup>(e);
    add("found", p.found), add("e", p.entry);
    break;
  }
  case DirtyLookup: {
    const auto p = payloadOf<DirtyLookup>(e);
    add("found", p.found), add("e", p.entry);
    break;
  }
  case Locked: add("state", payloadOf<Locked>(e).state); break;
  case Unlocked: add("state", payloadOf<Unlocked>(e).state); break;
  case PLoaded: {
    const auto p = payloadOf<PLoaded>(e);
    add("e", p.entry), state("p", p.p);
    if (p.p == PState::Value) add("c", p.cell);
    break;
  }
  case PCas: {
    const auto p = payloadOf<PCas>(e);
    add("e", p.entry), state("old", p.from), state("new", p.to), add("swapped", p.swapped);
    if (p.to == PState::Value) add("c", p.cell), add("v", p.value);
    break;
  }
  case PStored: {
    const auto p = payloadOf<PStored>(e);
    add("e", p.entry), add("c", p.cell), add("v", p.value);
    break;
  }
  case DirtyWritten: add("e", payloadOf<DirtyWritten>(e).entry); break;
  case RangeNext: add("e", payloadOf<RangeNext>(e).entry); break;
  case DirtyDeleted: {
    const auto p = payloadOf<DirtyDeleted>(e);
    add("found", p.found), add("e", p.entry);
    break;
  }
  case DirtyMade: add("hint", payloadOf<DirtyMade>(e).hint); break;
  case DirtyCleared: break;
  case ReadStored: {
    const auto p = payloadOf<ReadStored>(e);
    add("read", p.read), add("amended", p.amended), add("len", p.len);
    break;
  }
  case EntryCreated: {
    const auto p = payloadOf<EntryCreated>(e);
    add("e", p.entry), add("c", p.cell), add("v", p.value);
    break;
  }
  case MissCounted: {
    const auto p = payloadOf<MissCounted>(e);
    add("misses", p.misses), add("lenDirty", p.lenDirty);
    break;
  }
  case RangeCall: {
    const auto p = payloadOf<RangeCall>(e);
    add("e", p.entry), add("v", p.value), add("more", p.more);
    break;
  }
  case Collected: {
    const auto p = payloadOf<Collected>(e);
    add("readonly", p.readonly), add("entry", p.entry), add("cell", p.cell), add("box", p.box);
    break;
  }
  case kCount: break;
  }
  out.push_back('}');
}

} // namespace gomap
