#include "trace/swiss_json.hpp"

#include <fmt/format.h>

#include "trace/state_json.hpp"

namespace gomap {

using namespace swiss;

void appendSwissKey(std::string& out, const KeyValue& k) {
  if (k.kind != KeyKind::Float64) {
    appendJsonKey(out, k);
    return;
  }
  const std::string t = formatFloatKey(k.f);
  if (t == "NaN" || t == "+Inf" || t == "-Inf" || t == "-0") appendJsonBytes(out, t);
  else out += t;
}

namespace {
void appendGroup(std::string& out, const GroupView& g) {
  auto o = std::back_inserter(out);
  out += "{\"ctrl\":[";
  for (unsigned i = 0; i < MapGroupSlots; i++) fmt::format_to(o, "{}{}", i ? "," : "", g.ctrlByte(i));
  out += "],\"k\":[";
  for (unsigned i = 0; i < MapGroupSlots; i++) {
    if (i) out.push_back(',');
    appendSwissKey(out, g.keys[i]);
  }
  out += "],\"v\":[";
  for (unsigned i = 0; i < MapGroupSlots; i++) fmt::format_to(o, "{}{}", i ? "," : "", g.elems[i]);
  out += "]}";
}
} // namespace

void appendSwissState(std::string& out, const AnySwiss& m) {
  const Header& h = m.header();
  auto o = std::back_inserter(out);
  fmt::format_to(o,
                 ",\"used\":{},\"seed\":\"0x{:016x}\",\"writing\":{},\"tombstonePossible\":{},\"clearSeq\":{},"
                 "\"dirLen\":{},\"globalDepth\":{},\"small\":",
                 h.used, h.seed, h.writing, h.tombstonePossible, h.clearSeq, h.dirLen, h.globalDepth);
  GroupView g;
  if (m.hasSmallGroup()) {
    m.smallGroup(g);
    appendGroup(out, g);
  } else {
    out += "null";
  }
  out += ",\"dir\":[";
  const std::vector<uint32_t> pos = m.directoryPositions();
  for (std::size_t i = 0; i < pos.size(); i++) fmt::format_to(o, "{}{}", i ? "," : "", pos[i]);
  out += "],\"tables\":[";
  const std::vector<TableInfo> tabs = m.tables();
  for (std::size_t t = 0; t < tabs.size(); t++) {
    const TableInfo& ti = tabs[t];
    fmt::format_to(o, "{}{{\"index\":{},\"localDepth\":{},\"capacity\":{},\"used\":{},\"growthLeft\":{},\"groups\":[",
                   t ? "," : "", ti.index, ti.localDepth, ti.capacity, ti.used, ti.growthLeft);
    for (uint64_t gi = 0; gi < ti.groups; gi++) {
      if (gi) out.push_back(',');
      m.group(t, gi, g);
      appendGroup(out, g);
    }
    out += "]}";
  }
  out.push_back(']');
}

namespace {
const char* loc(uint16_t table) {
  return table == SwissLoc::kSmall ? "small" : table == SwissLoc::kNew ? "new" : table == SwissLoc::kNewRight ? "right" : nullptr;
}
void appendLoc(std::string& out, const char* name, const SwissLoc& l) {
  auto o = std::back_inserter(out);
  if (const char* s = loc(l.table)) fmt::format_to(o, ",\"{}\":{{\"table\":\"{}\",\"group\":{},\"slot\":{}}}", name, s, l.group, l.slot);
  else fmt::format_to(o, ",\"{}\":{{\"table\":{},\"group\":{},\"slot\":{}}}", name, l.table, l.group, l.slot);
}
void appendTable(std::string& out, const char* name, uint16_t t) {
  if (const char* s = loc(t)) fmt::format_to(std::back_inserter(out), ",\"{}\":\"{}\"", name, s);
  else fmt::format_to(std::back_inserter(out), ",\"{}\":{}", name, t);
}
const char* opName(SwissOp op) {
  switch (op) {
  case SwissOp::Make: return "make";
  case SwissOp::Put: return "put";
  case SwissOp::Get: return "get";
  case SwissOp::Del: return "del";
  case SwissOp::Clear: return "clear";
  case SwissOp::Iter: return "iter";
  }
  return "?";
}
} // namespace

void appendSwissEventJson(std::string& out, const SwissEvent& e, uint64_t index, uint64_t opIndex, KeyKind keys,
                          bool go127) {
  using K = SwissKind;
  auto o = std::back_inserter(out);
  const SwissSiteInfo& si = swissSiteInfo(e.site, keys);
  fmt::format_to(o, "{{\"i\":{},\"op\":{},\"kind\":\"{}\",\"fn\":\"{}\",\"file\":\"{}\",\"line\":{}", index, opIndex,
                 swissKindInfo(e.kind).name, si.function, swissFileName(si.file), go127 ? si.line127 : si.line126);
  switch (e.kind) {
  case K::OpBegin: {
    const auto p = swissPayloadOf<K::OpBegin>(e);
    fmt::format_to(o, ",\"opcode\":\"{}\"", opName(p.op));
    if (p.op == SwissOp::Make) fmt::format_to(o, ",\"hint\":{}", p.hint);
    break;
  }
  case K::OpEnd: {
    const Outcome oc = swissPayloadOf<K::OpEnd>(e).outcome;
    fmt::format_to(o, ",\"outcome\":\"{}\"", oc == Outcome::Ok ? "ok" : oc == Outcome::Panic ? "panic" : "fatal");
    break;
  }
  case K::Hashed: {
    const auto p = swissPayloadOf<K::Hashed>(e);
    fmt::format_to(o, ",\"hash\":\"0x{:016x}\",\"h1\":\"0x{:014x}\",\"h2\":{},\"dirIndex\":{},\"small\":{}", p.hash,
                   p.h1(), p.h2(), p.dirIndex(), p.small);
    break;
  }
  case K::GroupProbed: {
    const auto p = swissPayloadOf<K::GroupProbed>(e);
    appendLoc(out, "group", p.group);
    fmt::format_to(o, ",\"probe\":{},\"match\":{},\"empty\":{},\"deleted\":{}", p.probe, p.match(), p.empty(), p.deleted());
    break;
  }
  case K::KeyCompared: {
    const auto p = swissPayloadOf<K::KeyCompared>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"equal\":{}", p.equal);
    break;
  }
  case K::SlotChosen: {
    const auto p = swissPayloadOf<K::SlotChosen>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"why\":\"{}\"",
                   p.why == SwissChoice::Empty ? "empty" : p.why == SwissChoice::Tombstone ? "tombstone" : "existing");
    break;
  }
  case K::SlotWritten: {
    const auto p = swissPayloadOf<K::SlotWritten>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"h2\":{}", p.h2);
    break;
  }
  case K::KeyUpdated: appendLoc(out, "slot", swissPayloadOf<K::KeyUpdated>(e).slot); break;
  case K::ElemWritten: {
    const auto p = swissPayloadOf<K::ElemWritten>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"value\":{}", p.value);
    break;
  }
  case K::ElemRead: {
    const auto p = swissPayloadOf<K::ElemRead>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"value\":{}", p.value);
    break;
  }
  case K::UsedChanged: {
    const auto p = swissPayloadOf<K::UsedChanged>(e);
    fmt::format_to(o, ",\"used\":{},\"tableUsed\":{},\"growthLeft\":{}", p.used, p.tableUsed, p.growthLeft);
    break;
  }
  case K::SlotDeleted: {
    const auto p = swissPayloadOf<K::SlotDeleted>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"tombstone\":{}", p.tombstone);
    break;
  }
  case K::GroupAllocated: fmt::format_to(o, ",\"bytes\":{}", swissPayloadOf<K::GroupAllocated>(e).bytes); break;
  case K::TableAllocated: {
    const auto p = swissPayloadOf<K::TableAllocated>(e);
    fmt::format_to(o, ",\"capacity\":{},\"index\":{},\"localDepth\":{},\"bytes\":{}", p.capacity, p.index, p.localDepth,
                   p.bytes);
    break;
  }
  case K::ConvertStarted: fmt::format_to(o, ",\"full\":{}", swissPayloadOf<K::ConvertStarted>(e).full); break;
  case K::RehashStarted: {
    const auto p = swissPayloadOf<K::RehashStarted>(e);
    appendTable(out, "table", p.table);
    fmt::format_to(o, ",\"capacity\":{},\"newCapacity\":{},\"split\":{}", p.capacity, p.newCapacity, p.split);
    break;
  }
  case K::SlotMoved: {
    const auto p = swissPayloadOf<K::SlotMoved>(e);
    appendLoc(out, "from", p.from);
    fmt::format_to(o, ",\"toGroup\":{},\"toSlot\":{},\"side\":\"{}\"", p.toGroup, p.toSlot, p.right ? "right" : "left");
    break;
  }
  case K::TableInstalled: {
    const auto p = swissPayloadOf<K::TableInstalled>(e);
    fmt::format_to(o, ",\"index\":{},\"localDepth\":{},\"entries\":{}", p.index, p.localDepth, p.entries);
    break;
  }
  case K::DirDoubled: {
    const auto p = swissPayloadOf<K::DirDoubled>(e);
    fmt::format_to(o, ",\"dirLen\":{},\"globalDepth\":{}", p.dirLen, p.globalDepth);
    break;
  }
  case K::PruneStarted: {
    const auto p = swissPayloadOf<K::PruneStarted>(e);
    appendTable(out, "table", p.table);
    fmt::format_to(o, ",\"tombstones\":{},\"capacity\":{}", p.tombstones, p.capacity);
    break;
  }
  case K::PruneGroup: {
    const auto p = swissPayloadOf<K::PruneGroup>(e);
    appendLoc(out, "group", p.group);
    fmt::format_to(o, ",\"freed\":{}", p.freed);
    break;
  }
  case K::PruneEnded: {
    const auto p = swissPayloadOf<K::PruneEnded>(e);
    fmt::format_to(o, ",\"how\":\"{}\",\"freeable\":{},\"growthLeft\":{}",
                   p.how == PruneEnd::FewTombstones ? "few_tombstones"
                   : p.how == PruneEnd::TooFewFreeable ? "too_few_freeable"
                                                       : "pruned",
                   p.freeable, p.growthLeft);
    break;
  }
  case K::WritingChanged: {
    const auto p = swissPayloadOf<K::WritingChanged>(e);
    fmt::format_to(o, ",\"from\":{},\"to\":{}", p.from(), p.to);
    break;
  }
  case K::SeedChanged: {
    const auto p = swissPayloadOf<K::SeedChanged>(e);
    fmt::format_to(o, ",\"seed\":\"0x{:016x}\",\"why\":\"{}\"", p.seed,
                   p.why == SeedWhy::Make ? "make" : p.why == SeedWhy::DeleteToEmpty ? "delete_to_empty" : "clear");
    break;
  }
  case K::Cleared: {
    const auto p = swissPayloadOf<K::Cleared>(e);
    appendTable(out, "table", p.table);
    fmt::format_to(o, ",\"zeroed\":{},\"fullTest\":{}", p.zeroed, p.fullTest);
    break;
  }
  case K::IterStarted: {
    const auto p = swissPayloadOf<K::IterStarted>(e);
    fmt::format_to(o, ",\"entryOffset\":{},\"dirOffset32\":{}", p.entryOffset, p.dirOffset);
    break;
  }
  case K::IterTable: {
    const auto p = swissPayloadOf<K::IterTable>(e);
    appendTable(out, "table", p.table);
    fmt::format_to(o, ",\"dirIdx\":{}", p.dirIdx);
    break;
  }
  case K::IterYielded: {
    const auto p = swissPayloadOf<K::IterYielded>(e);
    appendLoc(out, "slot", p.slot);
    fmt::format_to(o, ",\"value\":{}", p.value);
    break;
  }
  case K::IterFinished: fmt::format_to(o, ",\"yielded\":{}", swissPayloadOf<K::IterFinished>(e).yielded); break;
  case K::Panic: {
    out += ",\"message\":";
    appendJsonBytes(out, messageText(swissPayloadOf<K::Panic>(e).message));
    break;
  }
  case K::Fatal: {
    out += ",\"message\":";
    appendJsonBytes(out, messageText(swissPayloadOf<K::Fatal>(e).message));
    break;
  }
  case K::kCount: break;
  }
  out.push_back('}');
}

} // namespace gomap
