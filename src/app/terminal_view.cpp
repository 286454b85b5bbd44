#include "app/terminal_view.hpp"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "trace/event_json.hpp"
#include "trace/state_json.hpp"
#include "trace/swiss_json.hpp"
#include "trace/syncmap_text.hpp"

namespace gomap::app {

namespace {
const char* kReset = "\x1b[0m";

const char* cellColour(uint8_t th) {
  switch (th) {
  case emptyRest: return "\x1b[2m";        // dim
  case emptyOne: return "\x1b[33m";        // yellow
  case evacuatedX: return "\x1b[34m";      // blue
  case evacuatedY: return "\x1b[35m";      // magenta
  case evacuatedEmpty: return "\x1b[90m";  // grey
  default: return "\x1b[32m";              // green: live
  }
}

std::string cellText(const BmapView& b, int s) {
  uint8_t th = b.tophash[s];
  switch (th) {
  case emptyRest: return "·rest";
  case emptyOne: return "·one";
  case evacuatedX: return "→X";
  case evacuatedY: return "→Y";
  case evacuatedEmpty: return "→∅";
  default: {
    std::string k = keyText(b.keys[s]);
    if (k.size() > 10) k = k.substr(0, 9) + "…";
    return fmt::format("{:02x}:{}={}", th, k, b.elems[s]);
  }
  }
}

void renderArray(std::string& out, const Session& s, bool old, std::size_t maxBuckets, bool colour,
                 const std::optional<Loc>& hi) {
  const AnyMap& m = s.map();
  const Hmap& h = m.header();
  uint64_t n = old ? m.noldbuckets() : bucketShift(h.B);
  std::vector<BmapView> chain;
  out += fmt::format("{} ({} buckets{})\n", old ? "oldbuckets" : "buckets", n,
                     old ? fmt::format(", nevacuate {}", h.nevacuate) : "");
  for (uint64_t i = 0; i < n && i < maxBuckets; i++) {
    m.chain(old, i, chain);
    bool evacuatedBucket = old && evacuated(chain[0].tophash[0]);
    for (std::size_t c = 0; c < chain.size(); c++) {
      out += c == 0 ? fmt::format("{:>5} ", i) : std::string("   └→ ");
      if (c && chain[c].pre >= 0) out += fmt::format("[pool {}] ", chain[c].pre);
      for (int slot = 0; slot < bucketCnt; slot++) {
        bool mark = hi && hi->old == old && hi->bucket == i && hi->chain == c && hi->slot == slot;
        std::string t = cellText(chain[c], slot);
        if (colour) {
          out += mark ? "\x1b[7m" : "";
          out += evacuatedBucket ? "\x1b[90m" : cellColour(chain[c].tophash[slot]);
          out += fmt::format("{:<16}", t);
          out += kReset;
        } else {
          out += fmt::format("{}{:<15}", mark ? '>' : ' ', t);
        }
      }
      out += '\n';
    }
  }
  if (n > maxBuckets) out += fmt::format("  … {} more buckets\n", n - maxBuckets);
}
} // namespace

std::string renderSessionText(const Session& s, const std::vector<std::string>& opTexts, bool colour,
                              std::size_t maxBuckets) {
  const AnyMap& m = s.map();
  const Hmap& h = m.header();
  std::string out;
  auto mem = m.memory();
  out += fmt::format("gomaplab — {} ({} hash)   event {}/{}\n", m.goType(),
                     m.hashMode() == HashMode::Go ? "Go runtime" : "identity", s.position() + 1, s.eventCount());
  out += fmt::format("hmap  count={} B={} ({} buckets) flags={:04b}[{}{}{}{}] noverflow={} hash0={} nevacuate={}\n",
                     h.count, h.B, bucketShift(h.B), h.flags, (h.flags & sameSizeGrow) ? " sameSizeGrow" : "",
                     hashWritingSet(h.flags) ? " hashWriting" : "", (h.flags & oldIterator) ? " oldIterator" : "",
                     (h.flags & iterator) ? " iterator" : "", h.noverflow, h.hash0, h.nevacuate);
  double lf = h.buckets ? static_cast<double>(h.count) / static_cast<double>(bucketShift(h.B)) : 0.0;
  out += fmt::format("      load factor {:.2f} / 6.5   overflow {} / {}   memory {} B arrays + {} B overflow\n", lf,
                     h.noverflow, 1u << std::min<int>(h.B, 15), mem.arrayBytes, mem.heapOverflowBytes);
  std::optional<Loc> hi;
  if (s.position() >= 0) {
    const Event& e = s.event(static_cast<uint64_t>(s.position()));
    std::size_t k = s.opOfEvent(static_cast<uint64_t>(s.position()));
    const SiteInfo& si = siteInfo(e.site);
    out += fmt::format("op    {}\n", k < opTexts.size() ? opTexts[k] : std::string("?"));
    out += fmt::format("now   {} (map.go:{}): {}\n", si.function, si.line, describeEvent(e));
    hi = cellOf(e);
  }
  if (h.buckets) renderArray(out, s, false, maxBuckets, colour, hi);
  else out += "buckets nil (allocated on the first insert)\n";
  if (m.growing()) renderArray(out, s, true, maxBuckets, colour, hi);
  return out;
}

namespace {
struct RawTerminal {
  termios saved{};
  bool ok = false;
  RawTerminal() {
    if (tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios raw = saved;
      raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      ok = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
  }
  ~RawTerminal() {
    if (ok) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  }
};

int readKey() {
  unsigned char c;
  if (read(STDIN_FILENO, &c, 1) != 1) return -1;
  if (c != 0x1b) return c;
  unsigned char seq[2];
  if (read(STDIN_FILENO, &seq[0], 1) != 1 || read(STDIN_FILENO, &seq[1], 1) != 1) return 0x1b;
  if (seq[0] == '[') {
    switch (seq[1]) {
    case 'C': return 1000; // right
    case 'D': return 1001; // left
    case 'H': return 1002; // home
    case 'F': return 1003; // end
    }
  }
  return 0;
}
} // namespace

int runTerminalView(TerminalSource& s, bool interactive) {
  if (!interactive) {
    s.seek(static_cast<int64_t>(s.eventCount()) - 1);
    std::string text = s.render(false, 64);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  RawTerminal raw;
  s.seek(-1);
  for (;;) {
    std::string text = "\x1b[H\x1b[2J" + s.render(true, 32);
    text += "\n→/space next event   n next op   ←/b back   p previous op   Home/End   q quit\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    int k = readKey();
    int64_t pos = s.position();
    switch (k) {
    case 'q':
    case -1: return 0;
    case ' ':
    case 1000: s.seek(std::min<int64_t>(pos + 1, static_cast<int64_t>(s.eventCount()) - 1)); break;
    case 'b':
    case 1001: s.seek(std::max<int64_t>(pos - 1, -1)); break;
    case 'n': {
      if (pos + 1 < static_cast<int64_t>(s.eventCount())) { // to the next op's last event
        std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos + 1));
        uint64_t next = op + 1 < s.opCount() ? s.firstEventOfOp(op + 1) : s.eventCount();
        s.seek(static_cast<int64_t>(next) - 1);
      }
      break;
    }
    case 'p': {
      if (pos >= 0) {
        std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos));
        s.seek(static_cast<int64_t>(s.firstEventOfOp(op)) - 1);
      }
      break;
    }
    case 1002: s.seek(-1); break;
    case 1003: s.seek(static_cast<int64_t>(s.eventCount()) - 1); break;
    default: break;
    }
  }
}

namespace {
// A recorded session of any structure: the cursor moves are the session's
// own; each structure's source adds its render.
template <class Sess> class SessionSource : public TerminalSource {
public:
  // texts: what the structure's render names an op by (its source text).
  SessionSource(std::unique_ptr<Sess> s, std::vector<std::string> texts) : s_(std::move(s)), texts_(std::move(texts)) {}
  uint64_t eventCount() const override { return s_->eventCount(); }
  int64_t position() const override { return s_->position(); }
  void seek(int64_t i) override { s_->seek(i); }
  std::size_t opCount() const override { return s_->opCount(); }
  std::size_t opOfEvent(uint64_t i) const override { return s_->opOfEvent(i); }
  uint64_t firstEventOfOp(std::size_t k) const override { return s_->firstEventOfOp(k); }

protected:
  std::unique_ptr<Sess> s_;
  std::vector<std::string> texts_;
};

class ClassicSource final : public SessionSource<Session> {
public:
  using SessionSource::SessionSource;
  std::string render(bool colour, std::size_t maxRows) const override {
    return renderSessionText(*s_, texts_, colour, maxRows);
  }
};

// A Swiss map's control byte and slot as a cell: empty, tombstone, or
// H2:key=elem for a full slot.
std::string swissCell(const swiss::GroupView& g, unsigned i) {
  const uint8_t c = g.ctrlByte(i);
  if (c == swiss::ctrlEmpty) return "·empty";
  if (c == swiss::ctrlDeleted) return "×tomb";
  std::string k = keyText(g.keys[i]);
  if (k.size() > 8) k = k.substr(0, 7) + "…";
  return fmt::format("{:02x}:{}={}", c, k, g.elems[i]);
}
const char* swissCellColour(uint8_t c) {
  if (c == swiss::ctrlEmpty) return "\x1b[2m";   // dim
  if (c == swiss::ctrlDeleted) return "\x1b[31m"; // red
  return "\x1b[32m";                               // green: full
}

constexpr int kWholeGroup = 8;

// texts_: the script's lines (a Swiss op's text is its line's).
class SwissSource final : public SessionSource<SwissSession> {
public:
  using SessionSource::SessionSource;
  std::string render(bool colour, std::size_t maxRows) const override;

private:
  // mark: the slot the cursor's event is about, kWholeGroup (a probe or a
  // prune: the group), or -1.
  void group(std::string& out, const swiss::GroupView& g, const std::string& label, int mark, bool colour) const {
    out += fmt::format("{:>10}{}", label, mark == kWholeGroup ? '*' : ' ');
    for (unsigned i = 0; i < swiss::MapGroupSlots; i++) {
      const std::string t = swissCell(g, i);
      if (colour) {
        out += static_cast<int>(i) == mark ? "\x1b[7m" : "";
        out += swissCellColour(g.ctrlByte(i));
        out += fmt::format("{:<16}", t);
        out += kReset;
      } else {
        out += fmt::format("{}{:<15}", static_cast<int>(i) == mark ? '>' : ' ', t);
      }
    }
    out += '\n';
  }
};

std::string SwissSource::render(bool colour, std::size_t maxRows) const {
  using namespace swiss;
  std::string out;
  const bool go127 = s_->version() == Version::Go127;
  out += fmt::format("gomaplab — Swiss map ({}), map[{}]int64   event {}/{}\n", go127 ? "Go 1.27" : "Go 1.26",
                     keyKindName(s_->kind()), s_->position() + 1, s_->eventCount());
  if (!s_->made()) {
    out += "the map is not made yet (the cursor is before make)\n";
    return out;
  }
  const AnySwiss& m = s_->map();
  const Header& h = m.header();
  out += fmt::format("Map   used={} seed=0x{:016x} dirLen={} globalDepth={} writing={} tombstonePossible={} clearSeq={}\n",
                     h.used, h.seed, h.dirLen, h.globalDepth, h.writing, h.tombstonePossible, h.clearSeq);
  SwissLoc hi{};
  bool haveHi = false; // hi.slot: a slot, or kWholeGroup
  if (s_->position() >= 0) {
    const uint64_t i = static_cast<uint64_t>(s_->position());
    const SwissEvent& e = s_->event(i);
    const std::size_t k = s_->opOfEvent(i);
    const int line = s_->op(k).line;
    out += fmt::format("op    {}\n", line >= 1 && static_cast<std::size_t>(line) <= texts_.size()
                                            ? texts_[static_cast<std::size_t>(line - 1)] : std::string("?"));
    const SwissSiteInfo& si = swissSiteInfo(e.site, m.kind());
    std::string payload;
    appendSwissEventJson(payload, e, i, k, m.kind(), go127);
    out += fmt::format("now   {} ({}:{}): {}\n      {}\n", si.function, swissFileName(si.file),
                       swissSiteLine(e.site, m.kind(), go127), si.what, payload);
    // The cell the event is about (none for a table being built: it is not in the map yet).
    hi = swissLocOfEvent(e);
    haveHi = swissKindInfo(e.kind).carriesSlot && hi.table != SwissLoc::kNew && hi.table != SwissLoc::kNewRight;
    if (e.kind == SwissKind::GroupProbed || e.kind == SwissKind::PruneGroup) hi.slot = kWholeGroup;
  }
  GroupView g;
  if (m.isNil()) {
    out += "nil map\n";
    return out;
  }
  if (m.hasSmallGroup()) {
    out += "small map: one group, no table\n";
    m.smallGroup(g);
    group(out, g, "group", haveHi && hi.table == SwissLoc::kSmall ? hi.slot : -1, colour);
    return out;
  }
  const std::vector<uint32_t> dir = m.directoryPositions();
  const std::vector<TableInfo> tabs = m.tables();
  if (tabs.empty()) {
    out += "no group yet (allocated on the first insert)\n";
    return out;
  }
  const int hiTable = haveHi && hi.table < dir.size() ? static_cast<int>(dir[hi.table]) : -1;
  // Every table's counters; its groups up to an equal share of maxRows (at
  // least 2 each), and the cursor's group wherever it is.
  const std::size_t share = std::max<std::size_t>(2, maxRows / tabs.size());
  for (std::size_t t = 0; t < tabs.size(); t++) {
    const TableInfo& ti = tabs[t];
    std::string entries;
    for (std::size_t d = 0; d < dir.size(); d++)
      if (dir[d] == t) entries += fmt::format("{}{}", entries.empty() ? "" : ",", d);
    out += fmt::format("table {} (directory {})  localDepth={} capacity={} used={} growthLeft={} tombstones={}\n", t,
                       entries, ti.localDepth, ti.capacity, ti.used, ti.growthLeft, ti.tombstones());
    const bool hiHere = static_cast<int>(t) == hiTable && hi.group < ti.groups;
    for (uint64_t gi = 0; gi < ti.groups && gi < share; gi++) {
      m.group(t, gi, g);
      group(out, g, fmt::format("group {}", gi), hiHere && hi.group == gi ? hi.slot : -1, colour);
    }
    if (ti.groups > share) {
      out += fmt::format("  … {} more groups\n", ti.groups - share);
      if (hiHere && hi.group >= share) {
        m.group(t, hi.group, g);
        group(out, g, fmt::format("group {}", hi.group), hi.slot, colour);
      }
    }
  }
  return out;
}

// texts_: each parsed op's text (a sync.Map session holds every parsed op).
class SyncMapSource final : public SessionSource<SyncMapSession> {
public:
  using SessionSource::SessionSource;
  std::string render(bool colour, std::size_t maxRows) const override;
};

std::string SyncMapSource::render(bool colour, std::size_t) const {
  using namespace syncmap;
  std::string out;
  out += fmt::format("gomaplab — sync.Map (Go 1.19)   step {}/{}\n", s_->position() + 1, s_->eventCount());
  if (s_->position() >= 0) {
    const uint64_t i = static_cast<uint64_t>(s_->position());
    const std::size_t k = s_->opOfEvent(i);
    const SyncMapSession::Op& o = s_->op(k);
    out += fmt::format("op    {}\n", o.scriptOp < texts_.size() ? texts_[o.scriptOp] : std::string("?"));
    if (o.kind == SyncMapSession::Op::Kind::Make) {
      out += "now   var m sync.Map (the zero Map: read never stored, dirty nil)\n";
    } else if (o.kind == SyncMapSession::Op::Kind::Gc) {
      out += fmt::format("now   runtime.GC(): freed {}\n", syncHeapCountsText(o.freed));
    } else {
      const SyncEvent& e = s_->event(i);
      const SyncSiteInfo& si = siteInfo(e.site);
      const std::string p = syncPayloadText(e);
      out += fmt::format("now   {}{} ({}:{}): {}{}{}{}\n", colour ? "\x1b[1m" : "", si.function, si.file, si.line, si.what,
                         p.empty() ? "" : "  —  ", p, colour ? kReset : "");
    }
  }
  const SyncMap* m = s_->map();
  if (!m) {
    out += "no sync.Map yet (the cursor is before make)\n";
    return out;
  }
  out += syncStateText(*m);
  return out;
}
} // namespace

std::unique_ptr<TerminalSource> classicSource(std::unique_ptr<Session> s, std::vector<std::string> opTexts) {
  return std::make_unique<ClassicSource>(std::move(s), std::move(opTexts));
}
std::unique_ptr<TerminalSource> swissSource(std::unique_ptr<SwissSession> s, std::vector<std::string> lines) {
  return std::make_unique<SwissSource>(std::move(s), std::move(lines));
}
std::unique_ptr<TerminalSource> syncMapSource(std::unique_ptr<SyncMapSession> s, std::vector<std::string> texts) {
  return std::make_unique<SyncMapSource>(std::move(s), std::move(texts));
}

} // namespace gomap::app
