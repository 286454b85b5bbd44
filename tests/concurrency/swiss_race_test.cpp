// Races on the Swiss map (Go 1.24+): a scenario whose map section makes a
// Swiss map runs its goroutines' operations on the Swiss model, step by step,
// with the Swiss model's checks, sites and messages.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "test_util.hpp"
#include "trace/swiss_json.hpp"

using namespace gomap;
using namespace gomap::race;
using gomap::race::test::scenario;
using gomap::race::test::runOpScript;

namespace {

using gomap::race::test::Ran;

Ran run(const std::string& body) { return gomap::race::test::runToEnd(scenario(body)); }

std::string state(const World& w) {
  std::string s;
  appendSwissState(s, w.swissMap());
  return s;
}

const char* kSmallSeven = R"(
map
  make swiss int64 0
  put 0 0
  put 1 10
  put 2 20
  put 3 30
  put 4 40
  put 5 50
  put 6 60
)";

// A table of 16 slots with 13 keys: one more insert takes the last free slot
// (growthLeft 1 -> 0), the next one grows the table to 32 slots.
const std::string kThirteenKeys = [] {
  std::string b = "map\n  make swiss int64 0\n";
  for (int i = 0; i < 13; i++) b += "  put " + std::to_string(i) + " " + std::to_string(i * 10) + "\n";
  return b;
}();

} // namespace

TEST(SwissRace, OneGoroutineEqualsTheSequentialScript) {
  // A single goroutine's operations, stepped one event at a time, leave the
  // map exactly as the same operations run directly by an op script would
  // (the sequential model, itself equal to the real runtimes: swiss_diff.*).
  std::string body = "map\n  make swiss int64 0\ngoroutine 1\n";
  std::string script = "make swiss int64 0\n";
  for (int i = 0; i < 40; i++) {
    body += "  put " + std::to_string(i * 7) + " " + std::to_string(i) + "\n";
    script += "put " + std::to_string(i * 7) + " " + std::to_string(i) + "\n";
  }
  for (int i = 0; i < 40; i += 3) {
    body += "  del " + std::to_string(i * 7) + "\n";
    script += "del " + std::to_string(i * 7) + "\n";
  }
  body += "  get 14\nschedule 1*\n";
  Ran r = run(body);
  ASSERT_TRUE(r.w->isSwiss());
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_TRUE(r.rep->consistent) << r.rep->kindsText();

  OpTarget t = runOpScript(script);
  ASSERT_TRUE(t.swissMap);
  std::string want;
  appendSwissState(want, *t.swissMap);
  EXPECT_EQ(state(*r.w), want);
  // The seed differs only if something drew from the generator: nothing here does after make.
  EXPECT_TRUE(r.w->history().back().access.found);
  EXPECT_EQ(r.w->history().back().access.value, 2);
}

TEST(SwissRace, TwoWritersCaughtAtTheExitCheckGo127) {
  Ran r = run(R"(
map
  make swiss int64 0
  put 100 1000
goroutine 1
  put 1 10
goroutine 2
  put 2 20
schedule 1x2 2x3 1*
)");
  const Ending& e = r.w->ending();
  ASSERT_EQ(e.kind, Ending::Kind::Fatal);
  EXPECT_EQ(e.g, 1);
  EXPECT_EQ(e.message, "concurrent map writes");
  ASSERT_TRUE(e.hasEvent);
  // runtime_fast64.go at go1.27.4: `if m.writing == 0 {` before fatal("concurrent map writes"), small-map path.
  EXPECT_EQ(e.function, "runtime_mapassign_fast64");
  EXPECT_EQ(e.file, "internal/runtime/maps/runtime_fast64.go");
  EXPECT_EQ(e.line, 223);
  // G2 stands right after its own m.writing ^= 1 (line 205 at go1.27.4).
  GoroutineView v = r.w->view(2);
  EXPECT_EQ(v.state, GoroutineView::State::InOp);
  EXPECT_EQ(v.goLine, 205);
  EXPECT_EQ(v.swissEvent.kind, swiss::SwissKind::WritingChanged);
  // The traceback's top frame is the one the real runtime prints (runtime/panic.go's maps_fatal at go1.27.4).
  std::string out = goDeathOutput(*r.w);
  EXPECT_NE(out.find("fatal error: concurrent map writes\n"), std::string::npos) << out;
  EXPECT_NE(out.find("internal/runtime/maps.fatal(...)\n\t$GOROOT/src/runtime/panic.go:1197"), std::string::npos) << out;
}

// The same race on float64 and string keys dies in the function the compiler
// calls for that map type: the generic runtime_mapassign (runtime.go) and
// runtime_mapassign_faststr (runtime_faststr.go), not the fast64 one.
TEST(SwissRace, TwoWritersNameTheKeyKindsFunction) {
  struct Case {
    const char* make;
    const char* k1;
    const char* k2;
    const char* function;
    const char* file;
    int exitCheck; // `if m.writing == 0 {` of the small-map path, go1.27.4
    int xorLine;   // `m.writing ^= 1 // toggle` after hashing, go1.27.4
  };
  for (const Case& c : {Case{"make swiss float64 0\n  put 100.5 1000", "1.5", "2.5", "runtime_mapassign",
                             "internal/runtime/maps/runtime.go", 185, 167},
                        Case{"make swiss string 0\n  put \"x\" 1000", "\"a\"", "\"b\"", "runtime_mapassign_faststr",
                             "internal/runtime/maps/runtime_faststr.go", 302, 284}}) {
    SCOPED_TRACE(c.function);
    Ran r = run(std::string("map\n  ") + c.make + "\ngoroutine 1\n  put " + c.k1 + " 10\ngoroutine 2\n  put " + c.k2 +
                " 20\nschedule 1x2 2x3 1*\n");
    const Ending& e = r.w->ending();
    ASSERT_EQ(e.kind, Ending::Kind::Fatal);
    EXPECT_EQ(e.g, 1);
    EXPECT_EQ(e.message, "concurrent map writes");
    EXPECT_EQ(e.function, c.function);
    EXPECT_EQ(e.file, c.file);
    EXPECT_EQ(e.line, c.exitCheck);
    GoroutineView v = r.w->view(2);
    EXPECT_EQ(v.function, c.function);
    EXPECT_EQ(v.goLine, c.xorLine);
  }
}

TEST(SwissRace, SecondWriterCaughtAtTheEntryCheck) {
  Ran r = run(R"(
map
  make swiss int64 0
  put 100 1000
goroutine 1
  put 1 10
goroutine 2
  put 2 20
schedule 1x3 2*
)");
  const Ending& e = r.w->ending();
  ASSERT_EQ(e.kind, Ending::Kind::Fatal);
  EXPECT_EQ(e.g, 2);
  EXPECT_EQ(e.message, "concurrent map writes");
  EXPECT_EQ(e.line, 192); // fatal("concurrent map writes") at the entry of runtime_mapassign_fast64, go1.27.4
}

TEST(SwissRace, ReaderCaughtWhileAWriterIsIn) {
  Ran r = run(std::string(kSmallSeven) + R"(
goroutine 1
  put 7 70
goroutine 2
  get 3
schedule 1x3 2*
)");
  const Ending& e = r.w->ending();
  ASSERT_EQ(e.kind, Ending::Kind::Fatal);
  EXPECT_EQ(e.g, 2);
  EXPECT_EQ(e.message, "concurrent map read and map write");
  EXPECT_EQ(e.function, "runtime_mapaccess2_fast64");
}

TEST(SwissRace, SmallMapWithNoEmptySlotOnGo126AndGrowOnGo127) {
  const std::string prog = R"(
goroutine 1
  put 7 70
goroutine 2
  put 8 80
schedule 1x2 2x2 1 2x2 1x4 2*
)";
  std::string m126 = kSmallSeven, m127 = kSmallSeven;
  m126.replace(m126.find("  make"), 0, "  version go1.26\n");
  Ran a = run(m126 + prog);
  ASSERT_EQ(a.w->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(a.w->ending().g, 2);
  EXPECT_EQ(a.w->ending().message, "small map with no empty slot (concurrent map writes?)");
  EXPECT_EQ(a.w->ending().function, "putSlotSmallFast64");
  EXPECT_EQ(a.w->ending().line, 177); // go1.26.11 runtime_fast64.go: match = g.ctrls().matchEmptyOrDeleted()
  EXPECT_NE(goDeathOutput(*a.w).find("$GOROOT/src/runtime/panic.go:1181"), std::string::npos); // maps_fatal at go1.26.11

  Ran b = run(m127 + prog);
  ASSERT_EQ(b.w->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(b.w->ending().g, 2);
  EXPECT_EQ(b.w->ending().message, "concurrent map writes");
  // Go 1.27 grew the small map into a table on the way (growToTable).
  EXPECT_EQ(b.w->swissMap().header().dirLen, 1u);
}

TEST(SwissRace, ReaderInAReplacedTableReadsTheOldTable) {
  // G2's lookup passes its entry check and hashes; G1's insert then grows the
  // table (16 -> 32 slots) and finishes; G2 goes on probing the table it
  // started in, which the runtime keeps alive for it: it still finds key 3.
  std::string body = kThirteenKeys + R"(
goroutine 1
  put 13 130
  put 14 140
goroutine 2
  get 3
schedule 2x2 1* 2*
)";
  Ran r = run(body);
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  const OpRecord& get = r.w->history()[0]; // G2's get started first
  ASSERT_EQ(get.g, 2);
  ASSERT_GT(get.endStep, r.w->history()[2].endStep); // and ended after G1's insert that grew the table
  EXPECT_TRUE(get.access.found);
  EXPECT_EQ(get.access.value, 30);
  ASSERT_EQ(r.w->swissMap().tables().size(), 1u);
  EXPECT_EQ(r.w->swissMap().tables()[0].capacity, 32u);
  ASSERT_TRUE(r.rep);
  EXPECT_TRUE(r.rep->consistent) << r.rep->kindsText();
}

TEST(SwissRace, StoreAfterTheGrowIsLost) {
  std::string body = kThirteenKeys + R"(
goroutine 1
  put 13 130
goroutine 2
  put 14 140
schedule 1x8 2* 1*
)";
  Ran r = run(body);
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_FALSE(r.rep->consistent);
  EXPECT_EQ(r.rep->kindsText(), "wrong-value");
}

TEST(SwissRace, CheckpointAndRestoreReplayTheSameRun) {
  std::string body = std::string(kSmallSeven) + R"(
goroutine 1
  put 7 70
  put 8 80
  del 2
goroutine 2
  get 1
  put 9 90
schedule 1* 2*
)";
  Scenario sc = scenario(body);
  World w(sc);
  for (int i = 0; i < 200 && !w.ended() && !w.quiescent(); i++) w.step(1);
  while (!w.ended() && !w.quiescent()) w.step(1);
  ASSERT_TRUE(w.quiescent());
  auto ck = w.checkpoint();
  Scheduler s1(sc.schedule);
  std::string why;
  while (!w.ended()) w.step(w.runnable(1) ? 1 : 2);
  const std::string first = state(w);
  w.restore(*ck);
  while (!w.ended()) w.step(w.runnable(1) ? 1 : 2);
  EXPECT_EQ(state(w), first);
}

// The reduced search against full enumeration (as por_test.cpp does for the
// classic map): the Swiss footprints (swissStepTouch) must lose no outcome.
namespace {
using Leaf = std::tuple<std::string, std::string>;
std::set<Leaf> leaves(const Scenario& sc, bool reduce, uint64_t* count) {
  std::set<Leaf> out;
  ExploreOptions o;
  o.reduce = reduce;
  ExploreResult r = explore(sc, o, [&](const World& w, const std::string& cls) { out.emplace(cls, state(w)); });
  EXPECT_TRUE(r.complete);
  *count = r.interleavings;
  return out;
}
} // namespace

TEST(SwissRace, ReducedExplorationFindsEveryOutcome) {
  for (const char* progs : {R"(
goroutine 1
  put 1 10
goroutine 2
  put 2 20
)",
                            R"(
goroutine 1
  put 7 70
goroutine 2
  get 3
  lock mu
  unlock mu
)"}) {
    Scenario sc = scenario(std::string(R"(
map
  make swiss int64 0
  put 3 30
)") + progs);
    uint64_t full = 0, reduced = 0;
    auto a = leaves(sc, false, &full);
    auto b = leaves(sc, true, &reduced);
    EXPECT_EQ(a, b) << progs;
    EXPECT_LE(reduced, full);
    EXPECT_GT(reduced, 0u);
    bool sawFatal = false, sawClean = false;
    for (auto& [cls, st] : a) {
      sawFatal = sawFatal || cls.rfind("fatal", 0) == 0;
      sawClean = sawClean || cls == "clean";
    }
    EXPECT_TRUE(sawFatal && sawClean) << progs;
  }
}

TEST(SwissRace, ScenarioErrorsNameTheLine) {
  ScenarioError err;
  auto s = parseScenario("gomaplab-race 1\nmap\n  make swiss int64 0\ngoroutine 1\n  put 1 1\ngranularity memory\n", "t.race", err);
  EXPECT_FALSE(s);
  EXPECT_EQ(err.line, 6);
  EXPECT_EQ(err.column, 13);

  // A sync.Map runs in race scenarios (syncmap_race_test.cpp): a classic verb on it is the wrong verb.
  s = parseScenario("gomaplab-race 1\nmap\n  make syncmap string\ngoroutine 1\n  put a 1\n", "t.race", err);
  EXPECT_FALSE(s);
  EXPECT_EQ(err.line, 5);
  EXPECT_EQ(err.column, 3);
  EXPECT_NE(err.message.find("sync.Map"), std::string::npos) << err.message;
}

TEST(SwissRace, RangingGoroutineCaughtAtItsNextCall) {
  // Go 1.24+'s Iter.Next checks m.writing at every call (table.go:882 at go1.27.4).
  Ran r = run(R"(
map
  make swiss int64 0
  put 1 10
  put 2 20
  put 3 30
goroutine 1
  put 9 90
goroutine 2
  iter
schedule 2x2 1x3 2*
)");
  const Ending& e = r.w->ending();
  ASSERT_EQ(e.kind, Ending::Kind::Fatal);
  EXPECT_EQ(e.g, 2);
  EXPECT_EQ(e.message, "concurrent map iteration and map write");
  EXPECT_EQ(e.function, "Next");
  EXPECT_EQ(e.file, "internal/runtime/maps/table.go");
  EXPECT_EQ(e.line, 882);
}

TEST(SwissRace, RangeOverAGrownTableSeesTheLiveMap) {
  // G2's range draws its offsets and picks table 0 (two steps); then G1 puts
  // key 13 (into that table's last free slot), grows the table (16 -> 32
  // slots) with key 14, overwrites key 3 and deletes key 5, all before G2's
  // first Next goes on. Iter.Next keeps scanning the table it picked, now
  // replaced (index -1), and looks every key up again in the live map
  // (grownKeyElem, table.go): key 5 is not produced, key 3 comes with its new
  // value, key 13 (in the old table) with its value, key 14 (only in the new
  // table) not at all, every other key exactly once.
  Ran r = run(kThirteenKeys + R"(
goroutine 1
  put 13 130
  put 14 140
  put 3 333
  del 5
goroutine 2
  iter
schedule 2x2 1* 2*
)");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  const OpRecord* it = nullptr;
  for (auto& h : r.w->history())
    if (h.g == 2) it = &h;
  ASSERT_TRUE(it);
  EXPECT_EQ(r.w->swissMap().tables().at(0).capacity, 32u);
  std::map<int64_t, int> seen;
  for (std::size_t i = 0; i < it->keys.size(); i++) {
    const int64_t k = it->keys[i].i, v = it->vals[i];
    seen[k]++;
    EXPECT_EQ(v, k == 3 ? 333 : k * 10) << "key " << k;
  }
  EXPECT_EQ(seen[5], 0);
  EXPECT_EQ(seen[14], 0);
  for (int64_t k = 0; k <= 13; k++) {
    if (k != 5) {
      EXPECT_EQ(seen[k], 1) << "key " << k;
    }
  }
  // No single point of G1's program explains that range (key 13 there, key 14
  // not, yet key 3 already 333, which G1 stored after key 14): the consistency
  // check reports the race the runtime's checks missed.
  ASSERT_TRUE(r.rep);
  EXPECT_EQ(r.rep->kindsText(), "order");
}
