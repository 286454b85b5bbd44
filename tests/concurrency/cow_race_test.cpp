// Races on copy-on-write maps (issue 12, lesson L9): `make cow VARIANT KIND`
// runs its goroutines' store and load step by step on the model of
// concurrency/cow_map.hpp: each atomic op, the copy and the insert of the Go
// patterns in tests/concurrency/cow_go/cow.go.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "concurrency/consistency.hpp"
#include "concurrency/cow_scenario.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "test_util.hpp"

using namespace gomap;
using namespace gomap::race;
using gomap::race::test::scenario;

namespace {

using gomap::race::test::Ran;

Ran run(const std::string& body) { return gomap::race::test::runToEnd(scenario(body)); }

std::string lesson(const char* name) { return std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/" + name; }

Ran runLesson(const char* name) {
  ScenarioError err;
  auto sc = loadScenario(lesson(name), err);
  EXPECT_TRUE(sc) << err.format();
  return gomap::race::test::runToEnd(sc ? *sc : Scenario{});
}

std::string published(const World& w) {
  std::string s;
  cow::appendVersionJson(s, w.cowMap().published().get());
  return s;
}

std::string two(const char* variant, const char* extra = "") {
  return fmt::format("map\n  make cow {} string\n{}goroutine 1\n  store a 1\ngoroutine 2\n  store b 2\n", variant, extra);
}

// The results of a run's methods (load's found and value), in history order per goroutine.
std::string results(const World& w) {
  std::string s;
  for (int g = 1; g <= w.goroutines(); g++)
    for (const OpRecord& r : w.history())
      if (r.g == g) s += fmt::format("G{}:{}:{}:{}:{};", g, r.instr, static_cast<int>(r.result.outcome), r.access.found, r.access.value);
  return s;
}

std::set<test::Leaf> leaves(const Scenario& sc, bool reduce, uint64_t* count, bool verify = false) {
  return test::exploreLeaves(sc, reduce, count, verify, published, results);
}

} // namespace

TEST(CowRace, OneGoroutineBuildsAVersionPerStore) {
  Ran r = run("map\n  make cow ptrcas int64\n  store 1 10\ngoroutine 1\n  store 2 20\n  store 1 11\n  load 1\n  load 3\n");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_TRUE(r.rep->consistent) << r.rep->kindsText();
  // #1 is the constructor's version, each Store's copy the next one.
  EXPECT_EQ(published(*r.w), R"({"id":3,"m":{"1":11,"2":20}})");
  EXPECT_EQ(r.w->cowMap().versionsMade(), 3u);
  const auto& h = r.w->history();
  ASSERT_EQ(h.size(), 4u);
  EXPECT_TRUE(h[2].access.found);
  EXPECT_EQ(h[2].access.value, 11);
  EXPECT_FALSE(h[3].access.found);
  // Store: Load, copy, insert, CAS; Load: Load, lookup. One trace entry per step.
  std::vector<cow::Site> sites;
  for (const TraceEntry& t : r.w->trace()) {
    ASSERT_EQ(t.source, TraceEntry::Source::Cow);
    sites.push_back(t.cev.site);
  }
  using S = cow::Site;
  const std::vector<S> want{S::PtrLoad, S::Copy,   S::Insert,  S::PtrCas, S::PtrLoad, S::Copy,
                            S::Insert,  S::PtrCas, S::PtrLoad, S::Lookup, S::PtrLoad, S::Lookup};
  EXPECT_EQ(sites, want);
  EXPECT_EQ(r.w->steps(), want.size());
}

TEST(CowRace, ValueCasPanicsWithGosTextAndRecoverStopsIt) {
  Ran r = runLesson("15a-cow-value-cas-panics.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::Panic);
  EXPECT_EQ(r.w->ending().g, 2);
  EXPECT_EQ(r.w->ending().message, "runtime error: comparing uncomparable type map[string]int");
  EXPECT_EQ(r.w->ending().file, "sync/atomic/value.go");
  EXPECT_EQ(r.w->ending().line, 185);
  // G1's CompareAndSwap on the empty Value swapped with no comparison.
  bool g1Swapped = false;
  for (const TraceEntry& t : r.w->trace())
    if (t.g == 1 && t.cev.site == cow::Site::ValueCas) g1Swapped = t.cev.swapped && !t.cev.panics;
  EXPECT_TRUE(g1Swapped);
  const std::string out = goDeathOutput(*r.w);
  EXPECT_EQ(out.rfind("panic: runtime error: comparing uncomparable type map[string]int\n\ngoroutine 2 [running]:\n"
                      "sync/atomic.(*Value).CompareAndSwap(...)\n\t$GOROOT/src/sync/atomic/value.go:185",
                      0),
            0u)
      << out;
  EXPECT_NE(out.find("main.(*ValueCas[...]).Store()\n\tcow.go:100"), std::string::npos)
      << out;
  // int64 keys: map[int64]int. With defer recover the program goes on.
  Ran k = run("map\n  make cow valuecas int64\n  store 7 70\ngoroutine 1\n  defer recover\n  store 1 10\n  load 7\n"
              "goroutine 2\n  load 7\nschedule roundrobin\n");
  EXPECT_EQ(k.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(k.rep);
  EXPECT_TRUE(k.rep->consistent) << k.rep->kindsText(); // the panicking Store did not complete
  EXPECT_EQ(k.w->history()[0].result.outcome, Outcome::Panic);
  Ran u = run("map\n  make cow valuecas int64\n  store 7 70\ngoroutine 1\n  store 1 10\n");
  EXPECT_EQ(u.w->ending().message, "runtime error: comparing uncomparable type map[int64]int");
  // The Value holds a map and old is nil: different dynamic types, no panic, the CAS fails and the loop retries.
  Ran n = run(two("valuecas") + "schedule 1 2 1x3 2*\n");
  EXPECT_EQ(n.w->ending().kind, Ending::Kind::Panic);
  int g2Retries = 0;
  for (const TraceEntry& t : n.w->trace())
    if (t.g == 2 && t.cev.site == cow::Site::ValueCas && t.cev.retry) g2Retries++;
  EXPECT_EQ(g2Retries, 1);
  EXPECT_EQ(n.w->ending().g, 2);
}

TEST(CowRace, TheCasLoopRetriesAndKeepsEveryKeyInEveryInterleaving) {
  Ran r = runLesson("15b-cow-cas-loop-keeps-every-key.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  EXPECT_EQ(published(*r.w), R"({"id":4,"m":{"a":1,"b":2}})");
  EXPECT_EQ(r.w->cowMap().casFailures(), 1u);
  int failed = 0;
  for (const TraceEntry& t : r.w->trace())
    if (t.cev.site == cow::Site::PtrCas && !t.cev.swapped) {
      failed++;
      EXPECT_EQ(t.g, 2);
      EXPECT_TRUE(t.cev.retry);
    }
  EXPECT_EQ(failed, 1);
  for (bool reduce : {false, true}) {
    ExploreOptions o;
    o.reduce = reduce;
    uint64_t leavesSeen = 0;
    ExploreResult e = explore(r.sc, o, [&](const World& w, const std::string& cls) {
      leavesSeen++;
      EXPECT_EQ(cls, "clean");
      ASSERT_TRUE(w.cowMap().published());
      EXPECT_EQ(w.cowMap().published()->m.size(), 2u);
    });
    EXPECT_TRUE(e.complete);
    EXPECT_EQ(e.clean, e.interleavings);
    EXPECT_GT(leavesSeen, 1u);
  }
}

// Store instead of CAS: a key is lost in exactly the interleavings in which
// both Loads come before both Stores. By hand: a Store is Load, copy, and
// insert+Store (exploration fuses the insert, which touches only the private
// copy, with the next step): 3 steps each, C(6,3) = 20 interleavings; only
// the 2 in which one Store ends before the other's Load keep both keys.
TEST(CowRace, StoreInsteadOfCasLosesAKeyExactlyWhenBothLoadsPrecedeBothStores) {
  Ran r = runLesson("15c-cow-store-loses-keys.race");
  ASSERT_TRUE(r.rep);
  EXPECT_EQ(r.rep->kindsText(), "lost-insert,order");
  EXPECT_EQ(published(*r.w), R"({"id":3,"m":{"b":2}})");
  ExploreOptions o;
  o.reduce = false;
  uint64_t lost = 0, kept = 0;
  ExploreResult e = explore(r.sc, o, [&](const World& w, const std::string& cls) {
    // Each goroutine's first step is its Load, its last its Store.
    int load[3] = {-1, -1, -1}, store[3] = {-1, -1, -1};
    const auto& s = w.schedule();
    for (int i = 0; i < static_cast<int>(s.size()); i++) {
      if (load[s[i]] < 0) load[s[i]] = i;
      store[s[i]] = i;
    }
    const bool bothLoadsFirst = std::max(load[1], load[2]) < std::min(store[1], store[2]);
    const bool keyLost = w.cowMap().published()->m.size() == 1;
    EXPECT_EQ(keyLost, bothLoadsFirst) << formatSteps(s);
    EXPECT_EQ(cls, keyLost ? "corrupt: lost-insert,order" : "clean") << formatSteps(s);
    (keyLost ? lost : kept)++;
  });
  EXPECT_TRUE(e.complete);
  EXPECT_EQ(e.interleavings, 20u);
  EXPECT_EQ(lost, 18u);
  EXPECT_EQ(kept, 2u);
  // The reduced search finds both outcomes too.
  ExploreResult red = explore(r.sc);
  EXPECT_GT(red.corrupt, 0u);
  EXPECT_GT(red.clean, 0u);
}

TEST(CowRace, ValueStoreWritersQueueOnCMuAndReadersTakeNoLock) {
  // G1 takes c.mu and loads; G2's Lock parks; G3's Load reads the Value without the lock.
  Ran r = run("map\n  make cow valuestore string\n  store a 1\ngoroutine 1\n  store b 2\ngoroutine 2\n  store c 3\n"
              "goroutine 3\n  load a\nschedule 1x2 2 3x2\n");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::ScheduleEnded);
  GoroutineView v2 = r.w->view(2);
  EXPECT_EQ(v2.state, GoroutineView::State::Blocked);
  EXPECT_EQ(r.w->mutexName(v2.waitingMutex), "c.mu");
  EXPECT_EQ(r.w->view(3).state, GoroutineView::State::Done);
  EXPECT_TRUE(r.w->history()[2].access.found);
  EXPECT_EQ(r.w->history()[2].access.value, 1);
  for (const TraceEntry& t : r.w->trace()) {
    if (t.g == 3) {
      EXPECT_EQ(t.source, TraceEntry::Source::Cow) << "a reader takes no lock";
    }
  }
  // Run to the end: G1's Unlock wakes G2, both keys are published.
  Ran all = run("map\n  make cow valuestore string\n  store a 1\ngoroutine 1\n  store b 2\ngoroutine 2\n  store c 3\n"
                "goroutine 3\n  load a\nschedule 1x2 2 3x2 then roundrobin\n");
  ASSERT_EQ(all.w->ending().kind, Ending::Kind::AllDone);
  EXPECT_EQ(published(*all.w), R"({"id":3,"m":{"a":1,"b":2,"c":3}})");
  ASSERT_TRUE(all.rep);
  EXPECT_TRUE(all.rep->consistent);
}

// The reduced search against full enumeration (as syncmap_race_test.cpp does):
// the footprints lose no outcome, no final version and no result.
TEST(CowRace, ReducedExplorationEqualsFullEnumeration) {
  for (const char* body : {R"(
map
  make cow ptrcas string
  store x 1
goroutine 1
  store y 2
  load x
goroutine 2
  load y
  store x 5
)",
                           R"(
map
  make cow valuestore int64
goroutine 1
  store 1 10
goroutine 2
  load 1
  store 2 20
)",
                           R"(
map
  make cow ptrstore string
goroutine 1
  store a 1
goroutine 2
  store b 2
  load a
)"}) {
    Scenario sc = scenario(body);
    uint64_t full = 0, reduced = 0;
    auto a = leaves(sc, false, &full);
    auto b = leaves(sc, true, &reduced, true);
    EXPECT_EQ(a, b) << body;
    EXPECT_LT(reduced, full) << body;
    EXPECT_GT(reduced, 0u);
  }
}

TEST(CowRace, CheckpointAndRestoreReplayTheSameRun) {
  Scenario sc = scenario(two("ptrcas") + "schedule 1x2 2x2 1x2 2*\n");
  World w(sc);
  w.step(1), w.step(1), w.step(1), w.step(1); // G1's whole Store: quiescent
  auto ck = w.checkpoint();
  for (int i = 0; i < 4; i++) w.step(2);
  const std::string after = published(w);
  w.restore(*ck);
  EXPECT_EQ(published(w), R"({"id":2,"m":{"a":1}})");
  for (int i = 0; i < 4; i++) w.step(2);
  EXPECT_EQ(published(w), after);
  EXPECT_EQ(after, R"({"id":3,"m":{"a":1,"b":2}})");
}

TEST(CowRace, ScenarioErrorsNameTheLineAndWhatWasExpected) {
  auto err = [](const std::string& body) {
    ScenarioError e;
    EXPECT_FALSE(parseScenario("gomaplab-race 1\n" + body, "c.race", e));
    return e.format();
  };
  EXPECT_EQ(err("map\n  make cow foo string\ngoroutine 1\n  load a\n"),
            "c.race:3:12: expected a copy-on-write variant (ptrcas, valuestore, valuecas, ptrstore or inplace), got \"foo\"");
  EXPECT_EQ(err("map\n  make cow ptrcas float64\ngoroutine 1\n  load a\n"),
            "c.race:3:19: expected the key kind string or int64, got \"float64\"");
  EXPECT_EQ(err("map\n  make cow ptrcas\ngoroutine 1\n  load a\n"),
            "c.race:3:18: expected the key kind: 'make cow VARIANT string|int64'");
  EXPECT_EQ(err("map\n  make cow ptrcas string\n  load a\ngoroutine 1\n  load a\n"),
            "c.race:4:3: expected 'store KEY VALUE' (the copy-on-write map's initial entries) or a goroutine section");
  EXPECT_EQ(err("map\n  make cow ptrcas string\ngoroutine 1\n  delete a\n"),
            "c.race:5:3: expected a copy-on-write map method (store KEY VALUE or load KEY), got \"delete\"");
  EXPECT_EQ(err("map\n  make cow ptrcas string\ngoroutine 1\n  put a 1\n").rfind("c.race:5:3: expected", 0), 0u);
  EXPECT_EQ(err("map\n  make cow ptrcas string\n  make cow ptrcas string\ngoroutine 1\n  load a\n"),
            "c.race:4:3: expected one 'make' (or 'nil') in the map section: goroutines share one map");
  EXPECT_EQ(err("map\n  make cow ptrcas string\ngoroutine 1\n  load a\ngranularity memory\n").rfind(
                "c.race:6:13: expected 'granularity statement' for a copy-on-write map", 0),
            0u);
  // A scenario written back keeps its map section verbatim.
  Scenario sc = scenario(two("valuestore", "  store z 26\n"));
  ScenarioError e;
  auto again = parseScenario(writeScenario(sc), "w.race", e);
  ASSERT_TRUE(again) << e.format();
  EXPECT_TRUE(again->cow);
  EXPECT_EQ(again->cowVariant, cow::Variant::ValueStore);
  EXPECT_EQ(cowInitialEntries(*again).size(), 1u);
}

// Every cow.go line the model names says what the site is (the file is the
// one the real-runtime test builds), and so do Go 1.19's sync/atomic lines.
TEST(CowRace, SiteLinesNameTheRealSource) {
  auto lines = [](const std::string& path) {
    std::vector<std::string> out{""};
    std::ifstream f(path);
    for (std::string l; std::getline(f, l);) out.push_back(l);
    return out;
  };
  const auto cowGo = lines(std::string(GOMAPLAB_SOURCE_DIR) + "/tests/concurrency/cow_go/cow.go");
  ASSERT_GT(cowGo.size(), 100u);
  auto has = [&](int line, const char* text) {
    ASSERT_LT(static_cast<std::size_t>(line), cowGo.size());
    EXPECT_NE(cowGo[static_cast<std::size_t>(line)].find(text), std::string::npos) << "cow.go:" << line << ": " << text;
  };
  using S = cow::Site;
  using V = cow::Variant;
  has(cow::callerLine(S::PtrLoad, V::PtrCas, true), "old := c.p.Load()");
  has(cow::callerLine(S::PtrLoad, V::PtrCas, false), "m := c.p.Load()");
  has(cow::callerLine(S::PtrCas, V::PtrCas, true), "c.p.CompareAndSwap(old, &m)");
  has(cow::callerLine(S::PtrLoad, V::PtrStore, true), "old := c.p.Load()");
  has(cow::callerLine(S::PtrStore, V::PtrStore, true), "c.p.Store(&m)");
  has(cow::callerLine(S::ValueLoad, V::ValueStore, true), "c.clean.Load()");
  has(cow::callerLine(S::ValueLoad, V::ValueStore, false), "c.clean.Load()");
  has(cow::callerLine(S::ValueStore, V::ValueStore, true), "c.clean.Store(m)");
  has(cow::callerLine(S::ValueLoad, V::ValueCas, true), "old := c.v.Load()");
  has(cow::callerLine(S::ValueCas, V::ValueCas, true), "c.v.CompareAndSwap(old, m)");
  has(cow::siteInfo(S::Copy, V::PtrCas, true).line, "m := make(map[K]int, len(old)+1)");
  has(cow::siteInfo(S::Insert, V::PtrCas, true).line, "m[k] = v");
  has(cow::siteInfo(S::MuLock, V::ValueStore, true).line, "c.mu.Lock()");
  has(cow::siteInfo(S::MuUnlock, V::ValueStore, true).line, "c.mu.Unlock()");
  for (V v : {V::PtrCas, V::PtrStore, V::ValueStore, V::ValueCas}) has(cow::siteInfo(S::Lookup, v, false).line, "v, ok := ");
  has(cow::kInPlaceStoreLoadLine, "p := c.p.Load()");
  has(cow::kInPlaceStoreWriteLine, "(*p)[k] = v");
  has(cow::kInPlaceLoadLoadLine, "p := c.p.Load()");
  has(cow::kInPlaceLoadReadLine, "v, ok := (*p)[k]");
  has(cow::kInPlaceStoreWriteLine - 2, "func (c *InPlace[K]) Store(k K, v int) {");
  const std::string go = "/usr/share/go-1.19/src/sync/atomic/";
  if (!std::filesystem::exists(go + "type.go")) GTEST_SKIP() << "no Go 1.19 source in /usr/share/go-1.19";
  const auto type = lines(go + "type.go"), value = lines(go + "value.go");
  EXPECT_NE(type[50].find("func (x *Pointer[T]) Load() *T"), std::string::npos);
  EXPECT_NE(type[53].find("func (x *Pointer[T]) Store(val *T)"), std::string::npos);
  EXPECT_NE(type[60].find("return CompareAndSwapPointer(&x.v, unsafe.Pointer(old), unsafe.Pointer(new))"), std::string::npos);
  EXPECT_NE(value[35].find("data := LoadPointer(&vp.data)"), std::string::npos);
  EXPECT_NE(value[80].find("StorePointer(&vp.data, vlp.data)"), std::string::npos);
  EXPECT_NE(value[185].find("if i != old {"), std::string::npos);
}

TEST(CowRace, TheCliRunsStatesAndExplore) {
  auto sh = [](const std::string& cmd, int& status) {
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    std::string out;
    char buf[512];
    while (p && std::fgets(buf, sizeof buf, p)) out += buf;
    status = p ? WEXITSTATUS(pclose(p)) : -1;
    return out;
  };
  const std::string bin = GOMAPLAB_BINARY;
  int st = 0;
  std::string out = sh(bin + " race " + lesson("15c-cow-store-loses-keys.race"), st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("-- expected: corrupt lost-insert: met"), std::string::npos) << out;
  out = sh(bin + " race " + lesson("15c-cow-store-loses-keys.race") + " --explore --no-reduction", st);
  EXPECT_NE(out.find("explored 2 goroutines at statement level: 20 interleavings"), std::string::npos) << out;
  EXPECT_NE(out.find("        18  corrupt: lost-insert,order"), std::string::npos) << out;
  // --states: the published version and the versions each goroutine holds.
  out = sh(bin + " race " + lesson("15b-cow-cas-loop-keeps-every-key.race") + " --states --schedule \"1x2 2x2\"", st);
  EXPECT_NE(out.find(R"({"step":3,"g":2,"op":"store b 2","cow":{"variant":"ptrcas","published":{"id":1,"m":{}},)"
                     R"("versionsMade":3,"casFailures":0,"held":[{"g":1,"old":{"id":1,"m":{}},"copy":{"id":2,"m":{}},)"
                     R"("retries":0},{"g":2,"old":{"id":1,"m":{}},"copy":{"id":3,"m":{}},"retries":0}]}})"),
            std::string::npos)
      << out;
  out = sh(bin + " race " + lesson("15a-cow-value-cas-panics.race"), st);
  EXPECT_EQ(st, 0) << out;
  out = sh(bin + " race " + lesson("15a-cow-value-cas-panics.race") + " --granularity memory", st);
  EXPECT_EQ(st, 2);
  EXPECT_NE(out.find("--granularity: expected 'granularity statement' for a copy-on-write map"), std::string::npos) << out;
}

TEST(CowRace, DeepCopyMapReadersNeverWaitInAnyInterleaving) {
  Ran r = runLesson("15d-cow-deepcopymap-readers-never-wait.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  EXPECT_EQ(published(*r.w), R"({"id":3,"m":{"a":1,"b":2,"c":3}})");
  // In the lesson's schedule G2 parked on c.mu and G1's Unlock woke it.
  bool parked = false, woke = false;
  for (const TraceEntry& t : r.w->trace()) {
    if (t.source != TraceEntry::Source::Sync) continue;
    EXPECT_NE(t.g, 3) << "the reader takes no lock";
    EXPECT_EQ(r.w->mutexName(t.mutex), "c.mu");
    parked = parked || (t.g == 2 && t.act == SyncAct::Parked);
    woke = woke || (t.g == 1 && (t.woke & 2));
  }
  EXPECT_TRUE(parked);
  EXPECT_TRUE(woke);
  uint64_t n = 0;
  ExploreOptions o;
  o.reduce = false;
  ExploreResult e = explore(r.sc, o, [&](const World& w, const std::string& cls) {
    n++;
    EXPECT_EQ(cls, "clean");
    for (const OpRecord& h : w.history())
      if (h.g == 3) {
        EXPECT_TRUE(h.access.found);
        EXPECT_EQ(h.access.value, 1);
      }
    EXPECT_EQ(w.cowMap().published()->m.size(), 3u);
  });
  EXPECT_TRUE(e.complete);
  EXPECT_EQ(n, e.interleavings);
  EXPECT_EQ(e.clean, e.interleavings);
}

// ---- inplace: the loaded map written in place, with no copy and no CAS ----

namespace {
// The live keys of a run's classic map, "a=1 b=2".
std::string contents(const World& w) {
  std::map<std::string, int64_t> m;
  for (const Cell& c : liveCells(w.map())) m[c.key.s] = c.value;
  std::string s;
  for (auto& [k, v] : m) s += fmt::format("{}{}={}", s.empty() ? "" : " ", k, v);
  return s;
}
} // namespace

// The published map is a real classic engine map: G2's mapassign sees G1's
// hashWriting at its entry check and the program dies with the engine's own
// fatal error, at the same place, in the same words, as the classic race
// with put on `make string 0` under the same schedule (lesson 1's race).
TEST(CowRace, InPlaceRunsOnTheClassicEngineAndDiesWithItsOwnFatal) {
  Ran r = runLesson("15e-cow-inplace-dies.race");
  ASSERT_TRUE(r.sc.cow);
  EXPECT_EQ(r.sc.cowVariant, cow::Variant::InPlace);
  EXPECT_FALSE(r.w->isCow()); // no version model: the classic map
  const Ending& e = r.w->ending();
  ASSERT_EQ(e.kind, Ending::Kind::Fatal);
  EXPECT_EQ(e.g, 2);
  EXPECT_EQ(e.message, "concurrent map writes");
  ASSERT_TRUE(e.hasEvent);
  EXPECT_EQ(e.at.kind, EventKind::Fatal);
  EXPECT_EQ(e.at.site, Site::AssignEntryCheck);
  EXPECT_EQ(e.file, "runtime/map.go");
  EXPECT_EQ(e.line, 595);
  // G1 is inside its write: hashWriting set, nothing stored yet.
  EXPECT_EQ(r.w->map().header().flags & hashWriting, hashWriting);
  EXPECT_EQ(r.w->map().header().count, 0);
  // The statements keep the text written; they are the classic map's put.
  EXPECT_EQ(r.sc.programs[1].code[0].text, "store b 2");
  EXPECT_EQ(r.sc.programs[1].code[0].kind, Instr::Kind::Put);
  const std::string out = goDeathOutput(*r.w);
  EXPECT_EQ(out.rfind("fatal error: concurrent map writes\n\ngoroutine 2 [running]:\nruntime.fatal(...)\n", 0), 0u) << out;
  EXPECT_NE(out.find("runtime/map.go:595"), std::string::npos) << out;
  EXPECT_NE(out.find("main.(*InPlace[...]).Store()\n\tcow.go:126"), std::string::npos) << out;
  // The classic race of the same writes and schedule ends identically.
  Ran c = run("map\n  make string 0\ngoroutine 1\n  put a 1\ngoroutine 2\n  put b 2\ngranularity statement\nschedule 1x3 2x2\n");
  EXPECT_EQ(c.w->ending().kind, e.kind);
  EXPECT_EQ(c.w->ending().g, e.g);
  EXPECT_EQ(c.w->ending().message, e.message);
  EXPECT_EQ(c.w->ending().at.site, e.at.site);
  EXPECT_EQ(c.w->ending().line, e.line);
  EXPECT_EQ(c.w->schedule(), r.w->schedule());
}

TEST(CowRace, InPlaceReaderDuringAWriteDiesLikeTheClassicRead) {
  // Initial entry a=1 (the constructor's map); G1 sets hashWriting; G2's Load enters mapaccess2.
  Ran r = run("map\n  make cow inplace string\n  store a 1\ngoroutine 1\n  store b 2\ngoroutine 2\n  load a\n"
              "schedule 1x3 2x2\n");
  const Ending& e = r.w->ending();
  ASSERT_EQ(e.kind, Ending::Kind::Fatal);
  EXPECT_EQ(e.g, 2);
  EXPECT_EQ(e.message, "concurrent map read and map write");
  EXPECT_EQ(e.at.site, Site::AccessEntryCheck); // map.go:476
  EXPECT_NE(goDeathOutput(*r.w).find("main.(*InPlace[...]).Load()\n\tcow.go:131"), std::string::npos);
  // Alone, the Load finds the constructor's entry and the Store lands in the same map.
  Ran ok = run("map\n  make cow inplace string\n  store a 1\ngoroutine 1\n  store b 2\n  load a\n");
  ASSERT_EQ(ok.w->ending().kind, Ending::Kind::AllDone);
  EXPECT_EQ(contents(*ok.w), "a=1 b=2");
  ASSERT_EQ(ok.w->history().size(), 2u);
  EXPECT_TRUE(ok.w->history()[1].access.found);
  EXPECT_EQ(ok.w->history()[1].access.value, 1);
  ASSERT_TRUE(ok.rep);
  EXPECT_TRUE(ok.rep->consistent) << ok.rep->kindsText();
}

// Every interleaving of two in-place Stores either dies with the engine's
// fatal at one of mapassign's checks (entry map.go:595, exit map.go:686) or
// finishes with both keys. By hand, the entry-check deaths: exploring, G1's
// Store is the fused steps [begin+hash] [flags ^= hashWriting] [buckets
// alloc] [bucket selected] [tophash compared] [slot chosen+key and tophash
// stored] [count++] [flags ^= hashWriting] [elem] ([return] fused): the bit is
// set from its 2nd step to its 8th. G2 dies at its entry check exactly when
// its first step comes while the bit is set and before any other step of its
// own: after G1's 2nd, 3rd, 4th, 5th, 6th or 7th step: 6 schedules (the run
// ends there), and as many for G1 the other way round.
TEST(CowRace, InPlaceEveryLeafDiesAtACheckOrKeepsBothKeys) {
  const Scenario sc = scenario(two("inplace"));
  for (bool reduce : {false, true}) {
    ExploreOptions o;
    o.reduce = reduce;
    uint64_t fatal = 0, clean = 0, entry[3] = {0, 0, 0};
    ExploreResult r = explore(sc, o, [&](const World& w, const std::string& cls) {
      const Ending& e = w.ending();
      const std::string s = formatSteps(w.schedule());
      if (e.kind == Ending::Kind::Fatal) {
        fatal++;
        EXPECT_EQ(e.message, "concurrent map writes") << s;
        ASSERT_TRUE(e.hasEvent) << s;
        EXPECT_EQ(e.at.kind, EventKind::Fatal) << s;
        EXPECT_TRUE(e.at.site == Site::AssignEntryCheck || e.at.site == Site::AssignExitCheck) << s;
        // The dying goroutine's last step is the detecting one: the run ends with its fatal.
        EXPECT_EQ(w.schedule().back(), e.g) << s;
        if (e.at.site == Site::AssignEntryCheck) {
          entry[e.g]++;
          // It died at its very first step.
          int own = 0;
          for (uint8_t g : w.schedule()) own += g == e.g;
          EXPECT_LE(own, 2) << s; // (begin, then the check: one step exploring, two here)
        }
      } else {
        clean++;
        EXPECT_EQ(e.kind, Ending::Kind::AllDone) << s;
        EXPECT_EQ(cls, "clean") << s;
        EXPECT_EQ(contents(w), "a=1 b=2") << s;
      }
    });
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.interleavings, fatal + clean);
    EXPECT_GT(fatal, 0u);
    EXPECT_GT(clean, 0u);
    if (!reduce) {
      EXPECT_EQ(entry[1], 6u);
      EXPECT_EQ(entry[2], 6u);
    }
  }
}

// inplace's map is a classic map: memory granularity splits its flags
// update as in classic races (and may lose an insert silently, lesson 5).
TEST(CowRace, InPlaceParsesAsTheClassicMapAndTakesMemoryGranularity) {
  Scenario sc = scenario(two("inplace", "  store z 26\n") + "granularity memory\n");
  EXPECT_EQ(sc.granularity, Granularity::Memory);
  ASSERT_EQ(sc.setup.size(), 2u);
  EXPECT_EQ(sc.setup[0].kind, ScriptOp::Kind::Make);
  EXPECT_EQ(sc.setup[1].kind, ScriptOp::Kind::Put);
  EXPECT_EQ(cowInitialEntries(sc).size(), 1u);
  ExploreResult r = explore(sc);
  EXPECT_GT(r.fatal, 0u);
  EXPECT_GT(r.corrupt, 0u);
  ScenarioError e;
  auto again = parseScenario(writeScenario(sc), "w.race", e);
  ASSERT_TRUE(again) << e.format();
  EXPECT_EQ(again->cowVariant, cow::Variant::InPlace);
  auto err = [](const std::string& body) {
    ScenarioError x;
    EXPECT_FALSE(parseScenario("gomaplab-race 1\n" + body, "c.race", x));
    return x.format();
  };
  EXPECT_EQ(err("map\n  make cow inplace string\ngoroutine 1\n  delete a\n"),
            "c.race:5:3: expected a copy-on-write map method (store KEY VALUE or load KEY), got \"delete\"");
  EXPECT_EQ(err("map\n  make cow inplace string\n  load a\ngoroutine 1\n  load a\n"),
            "c.race:4:3: expected 'store KEY VALUE' (the copy-on-write map's initial entries) or a goroutine section");
  EXPECT_EQ(err("map\n  make cow inplace int64\ngoroutine 1\n  store x 1\n").rfind("c.race:5:9: expected", 0), 0u)
      << err("map\n  make cow inplace int64\ngoroutine 1\n  store x 1\n");
}
