// The Swiss map's event sites per key kind (issue 13, section 2: each event
// names "the function and the source line it mirrors"). The compiler lowers a
// map op to a runtime function chosen by the key type
// (cmd/compile/internal/walk/walk.go mapfast: AMEM64 -> *_fast64, AMEM32 ->
// *_fast32, ASTRING -> *_faststr, anything else, float64 included, -> the
// generic one; builtin.go: delete -> mapdelete_*), so the events of a put, a
// get and a del name a different function per key kind. The expected functions
// and lines below were read in the real sources (build/go-swiss/go1.26 and
// go1.27, .../src/internal/runtime/maps/FILE), not taken from the site table.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "engine/swiss_model.hpp"
#include "trace/opscript.hpp"
#include "trace/script_runner.hpp"
#include "trace/swiss_json.hpp"

using namespace gomap;
using namespace gomap::swiss;

namespace {

struct Want {
  SwissSite site;
  std::string_view function;
  std::string_view file; // under internal/runtime/maps/
  int line126;
  int line127;
};

// The events one op of m emits.
std::vector<SwissEvent> eventsOf(AnySwiss& m, const SwissRequest& q) {
  SwissEventSink sink;
  m.setEventSink(&sink);
  m.apply(q);
  m.setEventSink(nullptr);
  return sink.events;
}

std::unique_ptr<AnySwiss> made(KeyKind k, Version v) {
  auto m = AnySwiss::create(k);
  m->setVersion(v);
  m->setRngState(7);
  EXPECT_EQ(m->apply({SwissOpCode::Make, {}, 0, {}}).outcome, Outcome::Ok);
  return m;
}

// Each wanted site is among the op's events, and the row for the map's key
// kind names the wanted function, file and line at the map's version.
void expectSites(const std::vector<SwissEvent>& evs, KeyKind k, Version v, const std::vector<Want>& want,
                 const char* what) {
  const bool go127 = v == Version::Go127;
  for (const Want& w : want) {
    bool seen = false;
    for (const SwissEvent& e : evs) seen |= e.site == w.site;
    EXPECT_TRUE(seen) << what << ": site " << static_cast<int>(w.site) << " (" << w.function << ") not emitted";
    const SwissSiteInfo& si = swissSiteInfo(w.site, k);
    EXPECT_EQ(si.function, w.function) << what << " " << keyKindName(k);
    EXPECT_EQ(swissFileName(si.file), "internal/runtime/maps/" + std::string(w.file)) << what << " " << si.function;
    EXPECT_EQ(swissSiteLine(w.site, k, go127), go127 ? w.line127 : w.line126)
        << what << " " << si.function << " go" << (go127 ? "1.27" : "1.26");
  }
}

KeyValue keyOf(KeyKind k, int i) {
  switch (k) {
  case KeyKind::Int64:
  case KeyKind::Int32: return KeyValue::ofInt(k, i);
  case KeyKind::String: {
    std::string s(1, 'k'); // not "k" + to_string: GCC 12's -Wrestrict false positive
    s += std::to_string(i);
    return KeyValue::ofString(std::move(s));
  }
  case KeyKind::Float64: return KeyValue::ofFloat(i + 0.5);
  }
  return {};
}

// put (new key), put (same key), get, del on a small map, then a put and a get
// on a table (9 keys), each op's sites checked against `want(step)`.
struct KindCase {
  KeyKind kind;
  std::vector<Want> putNew, putAgain, get, del, tablePut, tableGet;
};

void runCase(const KindCase& c) {
  for (Version v : {Version::Go126, Version::Go127}) {
    SCOPED_TRACE(v == Version::Go127 ? "go1.27" : "go1.26");
    auto m = made(c.kind, v);
    const KeyValue k1 = keyOf(c.kind, 1);
    expectSites(eventsOf(*m, {SwissOpCode::Put, k1, 10, {}}), c.kind, v, c.putNew, "put (new key)");
    expectSites(eventsOf(*m, {SwissOpCode::Put, k1, 11, {}}), c.kind, v, c.putAgain, "put (same key)");
    expectSites(eventsOf(*m, {SwissOpCode::Get, k1, 0, {}}), c.kind, v, c.get, "get");
    expectSites(eventsOf(*m, {SwissOpCode::Del, k1, 0, {}}), c.kind, v, c.del, "del");
    for (int i = 1; i <= 9; i++) m->apply({SwissOpCode::Put, keyOf(c.kind, i), i, {}});
    ASSERT_GT(m->header().dirLen, 0u) << "9 keys make a table";
    expectSites(eventsOf(*m, {SwissOpCode::Put, keyOf(c.kind, 10), 10, {}}), c.kind, v, c.tablePut, "table put");
    expectSites(eventsOf(*m, {SwissOpCode::Get, keyOf(c.kind, 3), 0, {}}), c.kind, v, c.tableGet, "table get");
  }
}

// delete lowers to Map.Delete's steps for every kind (the fast wrappers only
// return early on an empty map, then call m.Delete): map.go.
const std::vector<Want> kDeleteSteps = {
    {SwissSite::DeleteHash, "Delete", "map.go", 659, 680},        // hash := typ.Hasher(key, m.seed)
    {SwissSite::DeleteSmallProbe, "deleteSmall", "map.go", 692, 713}, // match := g.ctrls().matchH2(h2(hash))
};

} // namespace

TEST(SwissSitesPerKind, Int32KeysNameTheFast32Functions) {
  // runtime_fast32.go
  KindCase c{KeyKind::Int32, {}, {}, {}, {}, {}, {}};
  c.putNew = {
      {SwissSite::AssignBegin, "runtime_mapassign_fast32", "runtime_fast32.go", 195, 187},   // func runtime_mapassign_fast32(
      {SwissSite::SmallProbe, "putSlotSmallFast32", "runtime_fast32.go", 159, 120},          // match := g.ctrls().matchH2(h2(hash))
      {SwissSite::SmallSlotChosen, "putSlotSmallFast32", "runtime_fast32.go", 181, 143},     // i := match.first() (the empty slot)
  };
  c.putAgain = {
      {SwissSite::SmallKeyCompare, "putSlotSmallFast32", "runtime_fast32.go", 166, 127},     // if key == *(*uint32)(slotKey) {
  };
  c.get = {
      {SwissSite::AccessBegin, "runtime_mapaccess2_fast32", "runtime_fast32.go", 85, 22},    // func runtime_mapaccess2_fast32(
      {SwissSite::AccessSmallKeyCompare, "runtime_mapaccess2_fast32", "runtime_fast32.go", 109, 52}, // ... && full.lowestSet()
  };
  c.del = kDeleteSteps;
  c.del.push_back({SwissSite::DeleteBegin, "runtime_mapdelete_fast32", "runtime_fast32.go", 465, 479}); // func runtime_mapdelete_fast32(
  c.tablePut = {
      {SwissSite::AssignProbe, "runtime_mapassign_fast32", "runtime_fast32.go", 253, 254},   // match := g.ctrls().matchH2(h2Hash)
  };
  c.tableGet = {
      {SwissSite::AccessProbe, "runtime_mapaccess2_fast32", "runtime_fast32.go", 132, 90},   // match := g.ctrls().matchH2(h2Hash)
      {SwissSite::AccessKeyCompare, "runtime_mapaccess2_fast32", "runtime_fast32.go", 138, 96}, // if key == *(*uint32)(slotKey) {
  };
  runCase(c);
}

TEST(SwissSitesPerKind, StringKeysNameTheFaststrFunctions) {
  // runtime_faststr.go
  KindCase c{KeyKind::String, {}, {}, {}, {}, {}, {}};
  c.putNew = {
      {SwissSite::AssignBegin, "runtime_mapassign_faststr", "runtime_faststr.go", 263, 261},
      {SwissSite::SmallProbe, "putSlotSmallFastStr", "runtime_faststr.go", 225, 192},        // match := g.ctrls().matchH2(h2(hash))
      {SwissSite::SmallSlotChosen, "putSlotSmallFastStr", "runtime_faststr.go", 249, 217},   // i := match.first() (the empty slot)
  };
  c.putAgain = {
      {SwissSite::SmallKeyCompare, "putSlotSmallFastStr", "runtime_faststr.go", 232, 199},   // if key == *(*string)(slotKey) {
      {SwissSite::SmallKeyUpdate, "putSlotSmallFastStr", "runtime_faststr.go", 234, 201},    // *(*string)(slotKey) = key
  };
  c.get = {
      {SwissSite::AccessBegin, "runtime_mapaccess2_faststr", "runtime_faststr.go", 161, 120},
      // getWithoutKeySmallFastStr's dohash path (keys of at most 64 bytes):
      {SwissSite::AccessSmallHash, "getWithoutKeySmallFastStr", "runtime_faststr.go", 57, 70},      // hash := ... m.seed
      {SwissSite::AccessSmallProbe, "getWithoutKeySmallFastStr", "runtime_faststr.go", 58, 74},     // h2 := uint8(h2(hash))
      {SwissSite::AccessSmallKeyCompare, "getWithoutKeySmallFastStr", "runtime_faststr.go", 63, 79}, // if uint8(ctrls) == h2 && key == ...
  };
  c.del = kDeleteSteps;
  c.del.push_back({SwissSite::DeleteBegin, "runtime_mapdelete_faststr", "runtime_faststr.go", 402, 409});
  c.tablePut = {
      {SwissSite::AssignProbe, "runtime_mapassign_faststr", "runtime_faststr.go", 321, 328},  // match := g.ctrls().matchH2(h2Hash)
  };
  c.tableGet = {
      {SwissSite::AccessHash, "runtime_mapaccess2_faststr", "runtime_faststr.go", 186, 147},  // hash := ... m.seed (1.27: the AES line)
      {SwissSite::AccessProbe, "runtime_mapaccess2_faststr", "runtime_faststr.go", 198, 162},
      {SwissSite::AccessKeyCompare, "runtime_mapaccess2_faststr", "runtime_faststr.go", 204, 168}, // if key == *(*string)(slotKey) {
  };
  runCase(c);
}

TEST(SwissSitesPerKind, Float64KeysNameTheGenericFunctions) {
  // runtime.go (runtime_mapassign, runtime_mapaccess2) and map.go (putSlotSmall, getWithKeySmall)
  KindCase c{KeyKind::Float64, {}, {}, {}, {}, {}, {}};
  c.putNew = {
      {SwissSite::AssignBegin, "runtime_mapassign", "runtime.go", 206, 143},                // func runtime_mapassign(
      {SwissSite::AssignHash, "runtime_mapassign", "runtime.go", 226, 163},                 // hash := typ.Hasher(key, m.seed)
      {SwissSite::SmallProbe, "putSlotSmall", "map.go", 541, 561},                          // match := g.ctrls().matchH2(h2(hash))
      {SwissSite::SmallSlotChosen, "putSlotSmall", "map.go", 575, 595},                     // i := match.first() (the empty slot)
  };
  c.putAgain = {
      {SwissSite::SmallKeyCompare, "putSlotSmall", "map.go", 551, 571},                     // if typ.Key.Equal(key, slotKey) {
      {SwissSite::SmallKeyUpdate, "putSlotSmall", "map.go", 553, 573},                      // typedmemmove(typ.Key, slotKey, key)
  };
  c.get = {
      {SwissSite::AccessBegin, "runtime_mapaccess2", "runtime.go", 131, 63},                // func runtime_mapaccess2(
      {SwissSite::AccessSmallHash, "runtime_mapaccess2", "runtime.go", 156, 88},            // hash := typ.Hasher(key, m.seed)
      {SwissSite::AccessSmallProbe, "getWithKeySmall", "map.go", 451, 470},                 // match := g.ctrls().matchH2(h2(hash))
      {SwissSite::AccessSmallKeyCompare, "getWithKeySmall", "map.go", 461, 480},            // if typ.Key.Equal(key, slotKey) {
  };
  // runtime.mapdelete (runtime/map.go) calls m.Delete directly.
  c.del = kDeleteSteps;
  c.del.push_back({SwissSite::DeleteBegin, "Delete", "map.go", 647, 668});                  // func (m *Map) Delete(
  c.tablePut = {
      {SwissSite::AssignProbe, "runtime_mapassign", "runtime.go", 270, 211},                // match := g.ctrls().matchH2(h2Hash)
  };
  c.tableGet = {
      {SwissSite::AccessHash, "runtime_mapaccess2", "runtime.go", 156, 88},
      {SwissSite::AccessProbe, "runtime_mapaccess2", "runtime.go", 176, 108},
      {SwissSite::AccessKeyCompare, "runtime_mapaccess2", "runtime.go", 186, 118},          // if typ.Key.Equal(key, slotKey) {
  };
  runCase(c);
}

TEST(SwissSitesPerKind, Int64KeysKeepTheFast64Functions) {
  // runtime_fast64.go (the rows other tests and the lessons quote)
  KindCase c{KeyKind::Int64, {}, {}, {}, {}, {}, {}};
  c.putNew = {
      {SwissSite::AssignBegin, "runtime_mapassign_fast64", "runtime_fast64.go", 196, 182},
      {SwissSite::SmallSlotChosen, "putSlotSmallFast64", "runtime_fast64.go", 182, 138},    // i := match.first() (the empty slot)
  };
  c.putAgain = {{SwissSite::SmallKeyCompare, "putSlotSmallFast64", "runtime_fast64.go", 167, 122}};
  c.get = {{SwissSite::AccessSmallKeyCompare, "runtime_mapaccess2_fast64", "runtime_fast64.go", 109, 52}};
  c.del = kDeleteSteps;
  c.del.push_back({SwissSite::DeleteBegin, "runtime_mapdelete_fast64", "runtime_fast64.go", 505, 544});
  c.tablePut = {{SwissSite::AssignProbe, "runtime_mapassign_fast64", "runtime_fast64.go", 254, 249}};
  c.tableGet = {{SwissSite::AccessProbe, "runtime_mapaccess2_fast64", "runtime_fast64.go", 133, 85}};
  runCase(c);
}

// Every key kind's rows, checked against the real sources at both versions:
// the needle stands on the line, and the line lies inside the named function.
TEST(SwissSitesPerKind, EveryKindsRowsMatchTheRealSources) {
  const std::string root = GOMAPLAB_GO_SWISS_DIR;
  for (int v = 0; v < 2; v++) {
    const std::string ver = v ? "1.27" : "1.26";
    const std::string dir = root + "/go" + ver + "/usr/share/go-" + ver + "/src/";
    if (!std::ifstream(dir + "internal/runtime/maps/map.go")) GTEST_SKIP() << "no Go " << ver << " sources in " << root;
    for (KeyKind k : {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64}) {
      for (std::size_t s = 1; s < static_cast<std::size_t>(SwissSite::kCount); s++) {
        const SwissSiteInfo& si = swissSiteInfo(static_cast<SwissSite>(s), k);
        std::ifstream f(dir + std::string(swissFileName(si.file)));
        ASSERT_TRUE(f) << swissFileName(si.file);
        std::vector<std::string> lines;
        for (std::string l; std::getline(f, l);) lines.push_back(l);
        const int want = v ? si.line127 : si.line126;
        ASSERT_GE(want, 1);
        ASSERT_LE(want, static_cast<int>(lines.size()));
        EXPECT_NE(lines[static_cast<std::size_t>(want - 1)].find(std::string(si.needle)), std::string::npos)
            << keyKindName(k) << " site " << s << " go" << ver << " " << swissFileName(si.file) << ":" << want;
        // The nearest top-level func line above is the named function's.
        int fl = want;
        while (fl > 1 && lines[static_cast<std::size_t>(fl - 1)].rfind("func ", 0) != 0) fl--;
        const std::string& fline = lines[static_cast<std::size_t>(fl - 1)];
        const std::string name(si.function);
        const bool named = fline.find(" " + name + "(") != std::string::npos || fline.find(")" + name + "(") != std::string::npos;
        EXPECT_TRUE(named) << keyKindName(k) << " site " << s << " (" << name << ") go" << ver << " line " << want
                           << " is inside: " << fline;
      }
    }
  }
}

// `gomaplab events` prints the key kind's function and line.
TEST(SwissSitesPerKind, EventsJsonNamesTheKindsFunction) {
  auto run = [](const std::string& text) {
    std::vector<std::string> lines;
    RunnerOptions opts;
    opts.events = true;
    ScriptRunner runner(opts, [&](std::string_view l) { lines.emplace_back(l); });
    ScriptParser p("t.ops");
    std::optional<ScriptError> err;
    auto ops = p.parseAll(text, err);
    EXPECT_FALSE(err) << (err ? err->format() : "");
    for (std::size_t i = 0; i < ops.size(); i++) runner.execute(ops[i], static_cast<int64_t>(i + 1), i + 1 == ops.size());
    return lines;
  };
  auto has = [](const std::vector<std::string>& lines, const std::string& needle) {
    for (const auto& l : lines)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  };
  // float64 at go1.27: runtime.go:143 func runtime_mapassign(; map.go:561 putSlotSmall's matchH2.
  const auto f = run("make swiss float64 0\nput 1.5 1\n");
  EXPECT_TRUE(has(f, R"("kind":"op_begin","fn":"runtime_mapassign","file":"internal/runtime/maps/runtime.go","line":143)"));
  EXPECT_TRUE(has(f, R"("kind":"group_probed","fn":"putSlotSmall","file":"internal/runtime/maps/map.go","line":561)"));
  EXPECT_FALSE(has(f, "fast64"));
  // string at go1.26: runtime_faststr.go:263 func runtime_mapassign_faststr(.
  const auto s = run("version go1.26\nmake swiss string 0\nput \"a\" 1\n");
  EXPECT_TRUE(has(s, R"("fn":"runtime_mapassign_faststr","file":"internal/runtime/maps/runtime_faststr.go","line":263)"));
  EXPECT_FALSE(has(s, "fast64"));
  // int32 at go1.27: runtime_fast32.go:22 func runtime_mapaccess2_fast32(.
  const auto i = run("make swiss int32 0\nput 1 1\nget 1\n");
  EXPECT_TRUE(has(i, R"("fn":"runtime_mapaccess2_fast32","file":"internal/runtime/maps/runtime_fast32.go","line":22)"));
  EXPECT_FALSE(has(i, "fast64"));
}

// A site's event kind is the same for every key kind (the record is typed by
// the site), and the int64 rows stay the ones kSwissSiteTable exposes.
TEST(SwissSitesPerKind, EventKindDoesNotDependOnTheKeyKind) {
  for (std::size_t s = 0; s < static_cast<std::size_t>(SwissSite::kCount); s++) {
    const auto site = static_cast<SwissSite>(s);
    for (KeyKind k : {KeyKind::Int32, KeyKind::String, KeyKind::Float64})
      EXPECT_EQ(swissSiteInfo(site, k).kind, swissSiteInfo(site).kind) << s;
    EXPECT_EQ(&swissSiteInfo(site, KeyKind::Int64), &kSwissSiteTable[s]);
  }
}
