#include "app/terminal_view.hpp"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>

#include "trace/event_json.hpp"
#include "trace/state_json.hpp"

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

int runTerminalView(Session& s, const std::vector<std::string>& opTexts, bool interactive) {
  if (!interactive) {
    s.seekEnd();
    std::string text = renderSessionText(s, opTexts, false);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  RawTerminal raw;
  s.seek(-1);
  for (;;) {
    std::string text = "\x1b[H\x1b[2J" + renderSessionText(s, opTexts, true, 32);
    text += "\n→/space next event   n next op   ←/b back   p previous op   Home/End   q quit\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    int k = readKey();
    int64_t pos = s.position();
    switch (k) {
    case 'q':
    case -1: return 0;
    case ' ':
    case 1000: s.seek(pos + 1); break;
    case 'b':
    case 1001: s.seek(pos - 1); break;
    case 'n': {
      if (pos + 1 < static_cast<int64_t>(s.eventCount())) {
        std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos + 1));
        s.seek(static_cast<int64_t>(s.firstEventOfOp(op)) + static_cast<int64_t>(0));
        // to the op's last event
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
    case 1003: s.seekEnd(); break;
    default: break;
    }
  }
}

} // namespace gomap::app
