#include "trace/compare.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "engine/runtime_consts.hpp"

namespace gomap::compare {

struct Comparer::Impl {
  EventBuffer classicEvents;
  swiss::SwissEventSink swissEvents;
  OpTarget classic;
  OpTarget swiss;
  Impl() {
    classic.events = &classicEvents;
    swiss.swissEvents = &swissEvents;
  }
};

Comparer::Comparer(Options o) : impl_(std::make_unique<Impl>()), opts_(o) { impl_->swiss.version = o.version; }
Comparer::~Comparer() = default;

const AnyMap* Comparer::classicMap() const { return impl_->classic.map.get(); }
const swiss::AnySwiss* Comparer::swissMap() const { return impl_->swiss.swissMap.get(); }

namespace {

std::string outcomeText(const OpResult& r) {
  if (r.outcome == Outcome::Ok) return "";
  return fmt::format("{}: {}", r.outcome == Outcome::Panic ? "panic" : "fatal error", messageText(r.message));
}

// The classic op's events: growth counters, and a get's search figures.
void readClassicEvents(const EventBuffer& buf, bool isGet, ClassicFigures& f) {
  uint64_t tophash = 0, keys = 0;
  int64_t lastChain = -1;
  for (std::size_t i = 0; i < buf.size(); i++) {
    const Event& e = buf[i];
    switch (e.kind) {
    case EventKind::GrowthStarted: {
      f.grows++;
      if (payloadOf<EventKind::GrowthStarted>(e).trigger & kGrowSameSize) f.sameSizeGrows++;
      break;
    }
    case EventKind::BucketEvacuated: f.evacuations++; break;
    case EventKind::OverflowAllocated: f.overflows++; break;
    case EventKind::TophashCompared: {
      tophash++;
      const Loc l = payloadOf<EventKind::TophashCompared>(e).cell;
      if (static_cast<int64_t>(l.chain) > lastChain) lastChain = l.chain;
      break;
    }
    case EventKind::KeyCompared: keys++; break;
    default: break;
    }
  }
  if (!isGet) return;
  // The bmaps read: the chain head and every overflow bmap the walk reached
  // (the walk goes in chain order, so the deepest one names how many).
  const uint64_t bmaps = static_cast<uint64_t>(lastChain + 1);
  f.bmaps.add(bmaps);
  f.tophashCmp.add(tophash);
  f.keyCmp.add(keys);
  f.lastBmaps = static_cast<int64_t>(bmaps);
  f.lastTophashCmp = static_cast<int64_t>(tophash);
  f.lastKeyCmp = static_cast<int64_t>(keys);
}

void readSwissEvents(const swiss::SwissEventSink& sink, bool isGet, SwissFigures& f) {
  using swiss::SwissKind;
  uint64_t groups = 0, keys = 0;
  bool smallScan = false;
  for (const swiss::SwissEvent& e : sink.events) {
    switch (e.kind) {
    case SwissKind::ConvertStarted: f.conversions++; break;
    case SwissKind::RehashStarted:
      // The caller's `t.rehash(typ, m)` and rehash's own first line both
      // record it: count rehash's.
      if (e.site != swiss::SwissSite::RehashBegin) break;
      if (swiss::swissPayloadOf<SwissKind::RehashStarted>(e).split) f.splits++;
      else f.grows++;
      break;
    case SwissKind::DirDoubled: f.dirDoublings++; break;
    case SwissKind::PruneStarted: f.pruneRuns++; break;
    case SwissKind::PruneEnded:
      if (swiss::swissPayloadOf<SwissKind::PruneEnded>(e).how == swiss::PruneEnd::Pruned) f.prunes++;
      break;
    case SwissKind::SlotMoved: f.slotsMoved++; break;
    case SwissKind::GroupProbed: groups++; break;
    case SwissKind::KeyCompared:
      keys++;
      if (swiss::swissLocOfEvent(e).table == swiss::SwissLoc::kSmall) smallScan = true;
      break;
    default: break;
    }
  }
  if (!isGet) return;
  // The fast paths (int64, int32) scan a small map's one group without hashing
  // and without a GroupProbed record: that group counts as one probe.
  if (groups == 0 && smallScan) groups = 1;
  f.groups.add(groups);
  f.keyCmp.add(keys);
  f.lastGroups = static_cast<int64_t>(groups);
  f.lastKeyCmp = static_cast<int64_t>(keys);
}

void readClassicState(const AnyMap* m, ClassicFigures& f) {
  f.made = m != nullptr;
  f.nil = m && m->isNil();
  if (!m || m->isNil()) {
    f.bytes = f.count = f.slots = 0;
    f.B = 0;
    f.load = 0;
    f.growing = false;
    return;
  }
  const Hmap& h = m->header();
  const AnyMap::Memory mem = m->memory();
  f.bytes = 48 + mem.arrayBytes + mem.heapOverflowBytes;
  f.count = static_cast<uint64_t>(h.count);
  f.B = h.B;
  f.growing = m->growing();
  f.slots = uint64_t{bucketCnt} << h.B;
  f.load = static_cast<double>(f.count) / static_cast<double>(f.slots);
}

void readSwissState(const swiss::AnySwiss* m, SwissFigures& f) {
  f.made = m != nullptr;
  f.nil = m && m->isNil();
  f.tables = f.capacity = f.tableUsed = f.tombstones = f.growthLeft = f.dirLen = 0;
  f.globalDepth = 0;
  f.used = f.bytes = 0;
  f.load = 0;
  f.small = false;
  if (!m || m->isNil()) return;
  const swiss::Header& h = m->header();
  f.bytes = m->liveBytes();
  f.used = h.used;
  f.dirLen = h.dirLen;
  f.globalDepth = h.dirLen ? h.globalDepth : 0;
  if (h.dirLen == 0) {
    f.small = true;
    if (m->hasSmallGroup()) {
      swiss::GroupView g;
      m->smallGroup(g);
      f.capacity = swiss::MapGroupSlots;
      f.tableUsed = h.used;
      for (unsigned i = 0; i < swiss::MapGroupSlots; i++)
        if (g.ctrlByte(i) == swiss::ctrlDeleted) f.tombstones++;
    }
  } else {
    for (const swiss::TableInfo& t : m->tables()) {
      f.tables++;
      f.capacity += t.capacity;
      f.tableUsed += t.used;
      f.growthLeft += t.growthLeft;
      f.tombstones += t.tombstones();
    }
  }
  f.load = f.capacity ? static_cast<double>(f.tableUsed) / static_cast<double>(f.capacity) : 0.0;
}

} // namespace

void Comparer::scanClassicCells() {
  const AnyMap* m = impl_->classic.map.get();
  uint64_t n = 0;
  if (m && !m->isNil()) {
    std::vector<BmapView> chain;
    const uint64_t nb = uint64_t{1} << m->header().B;
    auto scan = [&](bool old, uint64_t buckets) {
      for (uint64_t b = 0; b < buckets; b++) {
        m->chain(old, b, chain);
        for (const BmapView& v : chain)
          for (uint8_t th : v.tophash)
            if (th == emptyOne) n++;
      }
    };
    if (m->header().buckets != nilBucket) scan(false, nb);
    if (m->growing()) scan(true, m->noldbuckets());
  }
  row_.classic.emptyOne = n;
}

const Row& Comparer::apply(const ScriptOp& op, bool scanCells) {
  using K = ScriptOp::Kind;
  Impl& s = *impl_;
  row_.op++;
  row_.line = op.line;
  row_.text = op.text;
  row_.classicOutcome.clear();
  row_.swissOutcome.clear();
  row_.classic.lastBmaps = row_.classic.lastTophashCmp = row_.classic.lastKeyCmp = -1;
  row_.swiss.lastGroups = row_.swiss.lastKeyCmp = -1;
  const bool isGet = op.kind == K::Get;

  // The classic map: the op as written.
  s.classicEvents.clear();
  OpResult cr = applyOp(s.classic, op);
  row_.classicOutcome = outcomeText(cr);
  if (s.classic.map) readClassicEvents(s.classicEvents, isGet && s.classic.map, row_.classic);
  s.classicEvents.clear();

  // The Swiss map: make becomes make swiss; classic-only ops are left out.
  s.swissEvents.clear();
  OpResult sr;
  if (op.kind == K::Make) {
    ScriptOp m = op;
    m.swiss = true;
    sr = applyOp(s.swiss, m);
  } else if (op.kind == K::Nil) {
    uint64_t state = s.swiss.swissMap ? s.swiss.swissMap->rngState() : s.swiss.initialRng;
    if (s.swiss.rngSeed) state = *s.swiss.rngSeed;
    s.swiss.rngSeed.reset();
    s.swiss.swissMap = swiss::AnySwiss::create(op.mapKind, s.swiss.strings);
    s.swiss.swissMap->setRngState(state);
    s.swiss.swissMap->setVersion(s.swiss.version);
    s.swiss.swissMap->setHashKeys(s.swiss.swissHashKeys);
    s.swiss.swissMap->setHashMode(s.swiss.mode);
    s.swiss.swissMap->setEventSink(&s.swissEvents);
    s.swiss.swissMap->makeNil();
  } else if (op.kind == K::Pin || op.kind == K::HashKey) {
    // pin and the one-word hashkey exist for the classic map only.
  } else {
    sr = applyOp(s.swiss, op);
  }
  row_.swissOutcome = outcomeText(sr);
  if (s.swiss.swissMap) readSwissEvents(s.swissEvents, isGet, row_.swiss);
  s.swissEvents.clear();

  readClassicState(s.classic.map.get(), row_.classic);
  readSwissState(s.swiss.swissMap.get(), row_.swiss);
  row_.classic.emptyOne = std::numeric_limits<uint64_t>::max();
  if (scanCells) scanClassicCells();
  if (cr.outcome != Outcome::Ok || sr.outcome != Outcome::Ok) stopped_ = true;
  return row_;
}

std::vector<ScriptOp> parseCompareScript(std::string_view text, const std::string& file,
                                         std::optional<SourceError>& err) {
  ScriptParser parser(file);
  std::vector<ScriptOp> ops = parser.parseAll(text, err);
  if (err) {
    // A Swiss setup line makes the classic make fail: say what compare wants.
    if (err->message.find("set up a Swiss map") != std::string::npos)
      err->message = "expected a classic op script ('make KIND HINT'): compare runs it on both maps; choose the "
                     "Swiss map's version with --version go1.26|go1.27, not with version or a four-word hashkey";
    return ops;
  }
  for (const ScriptOp& op : ops)
    if (op.kind == ScriptOp::Kind::Make && op.swiss) {
      err = SourceError{file, op.line, 1,
                        "expected 'make KIND HINT' (a classic op script): compare makes the Swiss map itself; "
                        "choose its version with --version go1.26|go1.27"};
      return {};
    }
  return ops;
}

Series runSeries(const std::vector<ScriptOp>& ops, const Options& o) {
  constexpr uint64_t kScanEveryOpBuckets = 1024;
  Series s;
  Comparer c(o);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t i = 0; i < ops.size(); i++) {
    // The emptyOne count walks every bmap: after every op while the map has at
    // most kScanEveryOpBuckets buckets, else only after the last op.
    const AnyMap* cm = c.classicMap();
    const bool small = !cm || cm->isNil() || (uint64_t{1} << cm->header().B) <= kScanEveryOpBuckets;
    c.apply(ops[i], small || i + 1 == ops.size());
    if (c.stopped() && c.last().classic.emptyOne == std::numeric_limits<uint64_t>::max()) c.scanClassicCells();
    const Row& r = c.last();
    s.rows.push_back(r);
    s.classicBytes.push_back(static_cast<float>(r.classic.bytes));
    s.swissBytes.push_back(static_cast<float>(r.swiss.bytes));
    s.classicProbes.push_back(r.classic.lastBmaps >= 0 ? static_cast<float>(r.classic.lastBmaps) : nan);
    s.swissProbes.push_back(r.swiss.lastGroups >= 0 ? static_cast<float>(r.swiss.lastGroups) : nan);
    s.classicMeanProbes.push_back(static_cast<float>(r.classic.bmaps.mean()));
    s.swissMeanProbes.push_back(static_cast<float>(r.swiss.groups.mean()));
    if (c.stopped()) break;
  }
  return s;
}

std::string versionName(swiss::Version v) { return std::string(swiss::versionName(v)); }

namespace {
std::string statText(const Stat& s) {
  if (s.n == 0) return "-";
  return fmt::format("{:.3f} / {}", s.mean(), s.max);
}
std::string lastText(int64_t v) { return v < 0 ? "-" : std::to_string(v); }
} // namespace

std::string formatTable(const Row& r, swiss::Version v) {
  const ClassicFigures& c = r.classic;
  const SwissFigures& w = r.swiss;
  std::string out = fmt::format("op {} (line {}): {}\n", r.op, r.line, r.text);
  auto row = [&](std::string_view what, const std::string& a, const std::string& b) {
    out += fmt::format("  {:<30} {:>22} {:>22}\n", what, a, b);
  };
  row("", "classic (go1.19)", fmt::format("swiss ({})", compare::versionName(v)));
  if (!r.classicOutcome.empty()) out += fmt::format("  classic: {}\n", r.classicOutcome);
  if (!r.swissOutcome.empty()) out += fmt::format("  swiss: {}\n", r.swissOutcome);
  row("bytes", std::to_string(c.bytes), std::to_string(w.bytes));
  row("entries", std::to_string(c.count), std::to_string(w.used));
  row("shape", c.nil ? "nil" : fmt::format("B={} ({} buckets){}", c.B, uint64_t{1} << c.B, c.growing ? " growing" : ""),
      w.nil     ? "nil"
      : w.small ? (w.capacity ? "small (1 group)" : "small (no group)")
                : fmt::format("{} table{}, dirLen {}", w.tables, w.tables == 1 ? "" : "s", w.dirLen));
  row("slots", std::to_string(c.slots), std::to_string(w.capacity));
  row("load", fmt::format("{:.4f}", c.load), fmt::format("{:.4f}", w.load));
  row("emptyOne cells / tombstones", c.emptyOne == std::numeric_limits<uint64_t>::max() ? "-" : std::to_string(c.emptyOne),
      std::to_string(w.tombstones));
  row("lookups (get)", std::to_string(c.bmaps.n), std::to_string(w.groups.n));
  row("probes/lookup mean / max", statText(c.bmaps), statText(w.groups));
  row("key compares mean / max", statText(c.keyCmp), statText(w.keyCmp));
  row("tophash compares mean / max", statText(c.tophashCmp), "-");
  row("this get: probes, key cmp", fmt::format("{}, {}", lastText(c.lastBmaps), lastText(c.lastKeyCmp)),
      fmt::format("{}, {}", lastText(w.lastGroups), lastText(w.lastKeyCmp)));
  row("grows", fmt::format("{} ({} same-size)", c.grows, c.sameSizeGrows),
      fmt::format("{} (+{} small->table)", w.grows, w.conversions));
  row("evacuations / splits", std::to_string(c.evacuations), std::to_string(w.splits));
  row("overflow bmaps / dir doublings", std::to_string(c.overflows), std::to_string(w.dirDoublings));
  row("prunes (of runs)", "-", fmt::format("{} (of {})", w.prunes, w.pruneRuns));
  return out;
}

namespace {
std::string num(double d) {
  if (!std::isfinite(d)) return "null";
  return fmt::format("{}", d);
}
std::string statJson(const Stat& s) {
  return fmt::format("{{\"lookups\":{},\"total\":{},\"mean\":{},\"max\":{}}}", s.n, s.total, num(s.mean()), s.max);
}
std::string jsonString(std::string_view s) {
  std::string o = "\"";
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      o += '\\';
      o += ch;
    } else if (u < 0x20) {
      o += fmt::format("\\u{:04x}", u);
    } else {
      o += ch;
    }
  }
  return o + "\"";
}
} // namespace

std::string summaryJson(const Row& r, const Options& o, std::size_t ops, KeyKind kind) {
  const ClassicFigures& c = r.classic;
  const SwissFigures& w = r.swiss;
  std::string out = fmt::format("{{\"ops\":{},\"kind\":{},\"version\":{},\"stoppedAt\":", ops,
                                jsonString(keyKindName(kind)), jsonString(compare::versionName(o.version)));
  out += (r.classicOutcome.empty() && r.swissOutcome.empty()) ? "null" : std::to_string(r.line);
  out += fmt::format(",\"classic\":{{\"outcome\":{},\"bytes\":{},\"count\":{},\"B\":{},\"growing\":{},\"slots\":{},"
                     "\"load\":{},\"emptyOne\":{},\"probes\":{},\"tophashCompares\":{},\"keyCompares\":{},"
                     "\"growth\":{{\"grows\":{},\"sameSizeGrows\":{},\"evacuations\":{},\"overflowBmaps\":{}}}}}",
                     r.classicOutcome.empty() ? "null" : jsonString(r.classicOutcome), c.bytes, c.count, c.B,
                     c.growing, c.slots, num(c.load),
                     c.emptyOne == std::numeric_limits<uint64_t>::max() ? std::string("null") : std::to_string(c.emptyOne),
                     statJson(c.bmaps), statJson(c.tophashCmp), statJson(c.keyCmp), c.grows, c.sameSizeGrows,
                     c.evacuations, c.overflows);
  out += fmt::format(",\"swiss\":{{\"outcome\":{},\"bytes\":{},\"used\":{},\"small\":{},\"tables\":{},\"dirLen\":{},"
                     "\"globalDepth\":{},\"capacity\":{},\"load\":{},\"tombstones\":{},\"growthLeft\":{},\"probes\":{},"
                     "\"keyCompares\":{},\"growth\":{{\"conversions\":{},\"grows\":{},\"splits\":{},"
                     "\"dirDoublings\":{},\"prunes\":{},\"pruneRuns\":{},\"slotsMoved\":{}}}}}}}",
                     r.swissOutcome.empty() ? "null" : jsonString(r.swissOutcome), w.bytes, w.used, w.small, w.tables,
                     w.dirLen, w.globalDepth, w.capacity, num(w.load), w.tombstones, w.growthLeft, statJson(w.groups),
                     statJson(w.keyCmp), w.conversions, w.grows, w.splits, w.dirDoublings, w.prunes, w.pruneRuns, w.slotsMoved);
  return out;
}

} // namespace gomap::compare
