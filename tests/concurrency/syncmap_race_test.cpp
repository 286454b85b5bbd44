// Races on Go 1.19's sync.Map: a scenario whose map section says
// `make syncmap KIND` runs its goroutines' sync.Map methods on the model of
// engine/syncmap.hpp, one SyncEvent per step, with m.mu run by gosync's Mutex.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <array>
#include <iterator>
#include <tuple>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "test_util.hpp"
#include "trace/syncmap_json.hpp"

using namespace gomap;
using namespace gomap::race;
using gomap::race::test::scenario;
using gomap::race::test::runOpScript;

namespace {

using gomap::race::test::Ran;
using syncmap::SyncKind;

Ran run(const std::string& body) { return gomap::race::test::runToEnd(scenario(body)); }

std::string state(const World& w) {
  std::string s;
  appendSyncState(s, w.syncMap());
  return s;
}

// The results of a run's methods, in program order of each goroutine.
std::string results(const World& w) {
  std::map<std::pair<int, std::size_t>, std::string> by;
  for (const OpRecord& r : w.history()) {
    std::string s = fmt::format("{}:{}", r.access.found, r.access.value);
    for (std::size_t i = 0; i < r.keys.size(); i++) s += fmt::format(" {}={}", keyText(r.keys[i]), r.vals[i]);
    by[{r.g, r.instr}] = s;
  }
  std::string out;
  for (auto& [k, v] : by) out += fmt::format("G{}#{} {};", k.first, k.second, v);
  return out;
}

// Runs an op script with the direct (sequential) model.
OpTarget runScript(const std::string& script, std::vector<syncmap::SyncResult>* outs = nullptr) {
  return runOpScript(script, [outs](const OpTarget& t, const ScriptOp& op) {
    if (outs && op.kind != ScriptOp::Kind::Make) outs->push_back(t.syncOut);
  });
}

// Whether m.mu's critical sections (Locked .. Unlocked events) of two
// goroutines ever overlap in a recorded trace.
bool sectionsOverlap(const World& w) {
  int holder = 0;
  for (const TraceEntry& t : w.trace()) {
    if (t.source != TraceEntry::Source::SyncMap) continue;
    if (t.yev.kind == SyncKind::Locked) {
      if (holder != 0) return true;
      holder = t.g;
    } else if (t.yev.kind == SyncKind::Unlocked) {
      if (holder != t.g) return true;
      holder = 0;
    }
  }
  return false;
}

int countSync(const World& w, SyncAct act) {
  int n = 0;
  for (const TraceEntry& t : w.trace())
    if (t.source == TraceEntry::Source::Sync && t.mutex == w.syncMapMutex() && t.act == act) n++;
  return n;
}

const char* kPaths = R"(
  store a 1
  store b 2
  load a
  load zz
  delete a
  load a
  store a 11
  delete a
  store c 3
  store a 12
  loadorstore c 33
  store c 34
  loadorstore c 35
  loadorstore d 4
  delete b
  range
  loadanddelete c
  store e 5
  loadanddelete e
  loadanddelete zz
  range 1
  load a
)";

} // namespace

TEST(SyncMapRace, OneGoroutineEqualsTheSequentialScript) {
  // Spec section 4's trace (promotion by misses and by Range, delete, the
  // lock-free revive, expunge and unexpunge, LoadOrStore's dirty hit), run by
  // one goroutine one event at a time, and by the op script's direct model.
  const std::string body = std::string("map\n  make syncmap string\ngoroutine 1\n") + kPaths + "schedule 1*\n";
  Ran r = run(body);
  ASSERT_TRUE(r.w->isSyncMap());
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_TRUE(r.rep->consistent) << r.rep->kindsText();

  std::vector<syncmap::SyncResult> outs;
  OpTarget t = runScript(std::string("make syncmap string\n") + (kPaths + 1), &outs);
  ASSERT_TRUE(t.syncMap);
  std::string want;
  appendSyncState(want, *t.syncMap);
  EXPECT_EQ(state(*r.w), want);
  EXPECT_EQ(r.w->syncMap().rngState(), t.syncMap->rngState()); // the same draws for Go's map order
  // Every method returned what the direct model returned.
  ASSERT_EQ(r.w->history().size(), outs.size());
  for (std::size_t i = 0; i < outs.size(); i++) {
    const OpRecord& rec = r.w->history()[i];
    EXPECT_EQ(rec.access.found, outs[i].ok) << i;
    EXPECT_EQ(rec.access.value, outs[i].hasValue ? outs[i].value : 0) << i;
    ASSERT_EQ(rec.keys.size(), outs[i].visited.size()) << i;
    for (std::size_t k = 0; k < rec.keys.size(); k++) EXPECT_EQ(rec.vals[k], outs[i].visited[k].second);
  }
  // One step is one event (or a lock step with its Locked event, or an unlock's Unlocked and gosync's Unlock).
  std::map<uint32_t, int> perStep;
  for (const TraceEntry& e : r.w->trace())
    if (e.source == TraceEntry::Source::SyncMap) perStep[e.step]++;
  for (auto& [s, n] : perStep) EXPECT_EQ(n, 1) << "step " << s;
  EXPECT_TRUE(r.w->syncMap().checkInvariants().empty());
}

TEST(SyncMapRace, TheSecondNewKeyStoreParksOnTheOneMutex) {
  // Lesson 14a: G1 holds mu; G2's Store of another new key parks on mu's
  // semaphore (sync.Mutex's lockSlow), G1's Unlock wakes it, then it locks.
  ScenarioError err;
  auto sc = loadScenario(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14a-syncmap-no-shards.race", err);
  ASSERT_TRUE(sc) << err.format();
  World w(*sc);
  for (int i = 0; i < 4; i++) w.step(1);
  EXPECT_EQ(w.sync().mutex(w.syncMapMutex()).owner, 1);
  while (w.runnable(2)) w.step(2);
  GoroutineView v = w.view(2);
  EXPECT_EQ(v.state, GoroutineView::State::Blocked);
  EXPECT_EQ(v.waitingMutex, w.syncMapMutex());
  EXPECT_TRUE(v.atMapMutex);
  EXPECT_EQ(v.function, "Store");
  EXPECT_EQ(v.file, "sync/map.go");
  EXPECT_EQ(v.goLine, 150);
  EXPECT_EQ(w.sync().mutex(w.syncMapMutex()).sema, std::vector<uint8_t>{2});
  EXPECT_EQ(w.sync().mutex(w.syncMapMutex()).state, kMutexLocked | (1 << kMutexWaiterShift));
  EXPECT_EQ(w.syncMap().mu().state, kMutexLocked | (1 << kMutexWaiterShift)) << "the dump's mu is gosync's word";
  EXPECT_EQ(goroutineStateWord(w, 2), "semacquire");
  auto frames = stackOf(w, 2);
  ASSERT_GE(frames.size(), 4u);
  EXPECT_EQ(frames[0].function, "sync.runtime_SemacquireMutex");
  EXPECT_EQ(frames[3].function, "sync.(*Map).Store");
  EXPECT_EQ(frames[3].line, 150);
  EXPECT_EQ(w.mutexName(w.syncMapMutex()), "m.mu");
  // G1 runs to its Unlock, which wakes G2.
  while (w.runnable(1) && !w.runnable(2)) w.step(1);
  EXPECT_TRUE(w.runnable(2));
  EXPECT_EQ(countSync(w, SyncAct::ReleasedWoke), 1);
  Scheduler s(ScheduleSpec{});
  std::string why;
  ASSERT_TRUE(runScheduled(w, s, why)) << why;
  EXPECT_EQ(w.ending().kind, Ending::Kind::AllDone);
  EXPECT_EQ(countSync(w, SyncAct::Parked), 1);
  EXPECT_FALSE(sectionsOverlap(w));
  // Only the first Store ran dirtyLocked; both keys are in dirty with amended = true.
  int dirtyMade = 0;
  for (const TraceEntry& t : w.trace())
    if (t.source == TraceEntry::Source::SyncMap && t.yev.kind == SyncKind::DirtyMade) dirtyMade++;
  EXPECT_EQ(dirtyMade, 1);
  ASSERT_TRUE(w.syncMap().dirty());
  EXPECT_EQ(w.syncMap().dirty()->size(), 2u);
  EXPECT_TRUE(w.syncMap().read()->amended);
  // The trace's JSON names the mutex m.mu and the act.
  std::string line;
  for (std::size_t i = 0; i < w.trace().size(); i++)
    if (w.trace()[i].source == TraceEntry::Source::Sync && w.trace()[i].act == SyncAct::Parked) appendTraceJson(line, w, i);
  EXPECT_NE(line.find("\"mutex\":\"m.mu\",\"act\":\"parked\",\"file\":\"mutex.go\",\"line\":171"), std::string::npos)
      << line;
}

TEST(SyncMapRace, MuSectionsNeverOverlapAndANewcomerCanBarge) {
  // Three new-key Stores under random schedules: the Lock..Unlock sections
  // never overlap; some schedule lets a newcomer take mu between the wake-up
  // and the woken goroutine's retry (it parks again, at the head).
  Scenario sc = scenario(R"(
map
  make syncmap int64
goroutine 1
  store 1 1
goroutine 2
  store 2 2
goroutine 3
  store 3 3
)");
  bool sawBarge = false, sawPark = false;
  for (uint64_t seed = 1; seed <= 300; seed++) {
    World w(sc);
    ScheduleSpec spec;
    spec.kind = ScheduleSpec::Kind::Random;
    spec.seed = seed;
    Scheduler s(spec);
    std::string why;
    ASSERT_TRUE(runScheduled(w, s, why)) << why;
    ASSERT_EQ(w.ending().kind, Ending::Kind::AllDone) << seed;
    EXPECT_FALSE(sectionsOverlap(w)) << seed;
    sawPark = sawPark || countSync(w, SyncAct::Parked) > 0;
    sawBarge = sawBarge || countSync(w, SyncAct::ParkedAgain) > 0;
    auto rep = checkConsistency(w);
    EXPECT_TRUE(rep.consistent) << seed << " " << rep.kindsText();
  }
  EXPECT_TRUE(sawPark);
  EXPECT_TRUE(sawBarge);
}

TEST(SyncMapRace, ALoadHitTouchesOnlyReadAndItsEntry) {
  // a is in a published read.m: Load(a) reads m.read and a's p, writes
  // nothing, so it commutes with every step of a Store of a new key while
  // read is already amended (no publication) and conflicts with a step that
  // writes a's entry (Store(a)'s CAS).
  Scenario sc = scenario(R"(
map
  make syncmap string
  store a 1
  range
  store c 3
goroutine 1
  load a
goroutine 2
  store b 2
goroutine 3
  store a 5
)");
  World w(sc);
  std::vector<Footprint> load, storeNew, storeOld;
  while (!w.ended() && w.runnable(1)) {
    w.stepFused(1);
    load.push_back(w.lastFootprint());
  }
  ASSERT_EQ(w.history().size(), 1u);
  EXPECT_TRUE(w.history()[0].access.found);
  EXPECT_EQ(w.history()[0].access.value, 1);
  for (const Footprint& f : load) EXPECT_FALSE(f.w.any()) << "a Load hit writes nothing shared";
  EXPECT_GE(load.size(), 2u); // m.read.Load(), then e.load() (the lookup in read.m is local)
  while (!w.ended() && w.runnable(2)) {
    w.stepFused(2);
    storeNew.push_back(w.lastFootprint());
  }
  while (!w.ended() && w.runnable(3)) {
    w.stepFused(3);
    storeOld.push_back(w.lastFootprint());
  }
  for (const Footprint& l : load)
    for (const Footprint& s : storeNew) EXPECT_TRUE(independent(l, s) || s.ends);
  // Store(a) is lock-free (tryStore): its CAS writes a's entry, which the hit's e.load reads.
  bool conflict = false;
  for (const Footprint& s : storeOld) conflict = conflict || !independent(load.back(), s);
  EXPECT_TRUE(conflict);
  // A publication of read (the first new key after a promotion) is a write of
  // m.read: a Load's m.read.Load() does not commute with it.
  Scenario pub = scenario("map\n  make syncmap string\n  store a 1\n  range\ngoroutine 1\n  load a\ngoroutine 2\n  store b 2\n");
  World pw(pub);
  pw.stepFused(1);
  const Footprint readLoad = pw.lastFootprint();
  bool publishes = false;
  while (!pw.ended() && pw.runnable(2)) {
    pw.stepFused(2);
    publishes = publishes || !independent(readLoad, pw.lastFootprint());
  }
  EXPECT_TRUE(publishes);
  for (const TraceEntry& t : w.trace())
    if (t.g == 3) {
      EXPECT_NE(t.source, TraceEntry::Source::Sync) << "Store of an existing key takes no lock";
    }
}

// The reduced search against full enumeration (as por_test.cpp and
// swiss_race_test.cpp do): the footprints lose no outcome, no final state
// and no method result.
namespace {
std::set<test::Leaf> leaves(const Scenario& sc, bool reduce, uint64_t* count, bool verify = false) {
  return test::exploreLeaves(sc, reduce, count, verify, state, results);
}
} // namespace

TEST(SyncMapRace, ReducedExplorationEqualsFullEnumeration) {
  for (const char* body : {R"(
map
  make syncmap string
  store x 1
  range
  delete x
goroutine 1
  store y 2
goroutine 2
  store x 5
)",
                           R"(
map
  make syncmap string
  store a 1
  store b 2
goroutine 1
  load a
  load a
goroutine 2
  range
)",
                           R"(
map
  make syncmap int64
  store 1 10
  range
goroutine 1
  store 1 11
  load 2
goroutine 2
  loadanddelete 1
  loadorstore 2 20
)"}) {
    Scenario sc = scenario(body);
    uint64_t full = 0, reduced = 0;
    auto a = leaves(sc, false, &full);
    auto b = leaves(sc, true, &reduced, true);
    EXPECT_EQ(a, b) << body;
    EXPECT_LT(reduced, full) << body;
    EXPECT_GT(reduced, 0u);
    for (auto& [cls, st, res] : a) EXPECT_EQ(cls, "clean") << body;
  }
}

TEST(SyncMapRace, ExpungeReviveRaceEndsWithTheValueInEveryInterleaving) {
  // Lesson 14b over every interleaving: x = 5 in read.m and in dirty.
  ScenarioError err;
  auto sc = loadScenario(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14b-syncmap-expunge-revive.race", err);
  ASSERT_TRUE(sc) << err.format();
  int leavesSeen = 0;
  ExploreOptions o;
  o.reduce = false;
  ExploreResult r = explore(*sc, o, [&](const World& w, const std::string& cls) {
    leavesSeen++;
    EXPECT_EQ(cls, "clean");
    const syncmap::SyncMap& m = w.syncMap();
    const KeyValue x = KeyValue::ofString("x");
    ASSERT_TRUE(m.read() && m.read()->m);
    auto it = m.read()->m->find(x);
    ASSERT_NE(it, m.read()->m->end());
    EXPECT_EQ(it->second->p, syncmap::PState::Value);
    EXPECT_EQ(it->second->value, 5);
    ASSERT_TRUE(m.dirty());
    auto d = m.dirty()->find(x);
    ASSERT_NE(d, m.dirty()->end());
    EXPECT_EQ(d->second, it->second) << "one entry, shared by read.m and dirty";
  });
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(static_cast<uint64_t>(leavesSeen), r.interleavings);
  // The lesson's own schedule takes the unexpunge path: G2's CAS fails, it locks, unexpunges.
  Ran lr = gomap::race::test::runToEnd(*sc);
  bool failedCas = false, unexpunged = false;
  for (const TraceEntry& t : lr.w->trace()) {
    if (t.source != TraceEntry::Source::SyncMap || t.g != 2) continue;
    if (t.yev.site == syncmap::SyncSite::TryStoreCas && !syncmap::payloadOf<SyncKind::PCas>(t.yev).swapped) failedCas = true;
    if (t.yev.site == syncmap::SyncSite::Unexpunge && syncmap::payloadOf<SyncKind::PCas>(t.yev).swapped) unexpunged = true;
  }
  EXPECT_TRUE(failedCas);
  EXPECT_TRUE(unexpunged);
  EXPECT_EQ(countSync(*lr.w, SyncAct::Parked), 1);
}

TEST(SyncMapRace, StoreOfAnExistingKeyRetriesItsCasWithoutTheLock) {
  // Lesson 14c: G2's Delete CAS wins between G1's load of p and its CAS; G1's
  // CAS fails, it reloads p (nil) and its second CAS revives the key; no step
  // of either goroutine locks mu, in any interleaving.
  ScenarioError err;
  auto sc = loadScenario(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14c-syncmap-where-the-cas-is.race", err);
  ASSERT_TRUE(sc) << err.format();
  Ran r = gomap::race::test::runToEnd(*sc);
  std::vector<bool> g1Cas;
  for (const TraceEntry& t : r.w->trace()) {
    EXPECT_NE(t.source, TraceEntry::Source::Sync);
    if (t.source == TraceEntry::Source::SyncMap && t.g == 1 && t.yev.site == syncmap::SyncSite::TryStoreCas)
      g1Cas.push_back(syncmap::payloadOf<SyncKind::PCas>(t.yev).swapped);
  }
  EXPECT_EQ(g1Cas, (std::vector<bool>{false, true}));
  EXPECT_EQ(state(*r.w).find("\"dirty\":null") != std::string::npos, true);
  ExploreOptions o;
  o.reduce = false;
  explore(*sc, o, [&](const World& w, const std::string&) {
    EXPECT_EQ(w.sync().mutex(w.syncMapMutex()).state, 0);
    EXPECT_EQ(w.syncMap().readOnlyCount(), 2u) << "no publication: the map never took the slow path";
  });
}

TEST(SyncMapRace, CheckpointAndRestoreReplayTheSameRun) {
  Scenario sc = scenario(std::string("map\n  make syncmap string\n  store q 1\ngoroutine 1\n") + kPaths +
                         "goroutine 2\n  store z 9\n  load a\n  range\nschedule roundrobin\n");
  World w(sc);
  for (int i = 0; i < 30; i++) w.step(w.runnable(1) ? 1 : 2);
  while (!w.quiescent()) w.step(w.runnable(1) ? 1 : 2);
  auto ck = w.checkpoint();
  const uint64_t at = w.steps();
  while (!w.ended()) w.step(w.runnable(2) ? 2 : 1);
  const std::string first = state(w), firstResults = results(w);
  w.restore(*ck);
  EXPECT_EQ(w.steps(), at);
  while (!w.ended()) w.step(w.runnable(2) ? 2 : 1);
  EXPECT_EQ(state(w), first);
  EXPECT_EQ(results(w), firstResults);
  w.reset();
  EXPECT_EQ(w.steps(), 0u);
  EXPECT_EQ(w.sync().mutex(w.syncMapMutex()).state, 0);
}

TEST(SyncMapRace, DeadlockIsDetected) {
  // A goroutine that keeps the scenario's own mutex: the other parks forever.
  Ran r = run(R"(
map
  make syncmap string
goroutine 1
  lock A
  store a 1
goroutine 2
  load a
  lock A
schedule roundrobin
)");
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::Fatal);
  EXPECT_TRUE(r.w->ending().deadlock);
  EXPECT_EQ(r.w->ending().message, "all goroutines are asleep - deadlock!");
}

TEST(SyncMapRace, ScenarioErrorsNameTheLineAndWhatWasExpected) {
  auto errorOf = [](const std::string& text) {
    ScenarioError err;
    auto s = parseScenario(text, "bad.race", err);
    EXPECT_FALSE(s);
    return err.format();
  };
  // A classic verb on a sync.Map: the statements a goroutine may use (not the
  // op script's gc and dump); a sync.Map verb on a classic map: the op language's message.
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make syncmap string\ngoroutine 1\n  put a 1\n"),
            "bad.race:5:3: expected a statement of sync.Map (store, load, loadorstore, loadanddelete, delete, range, "
            "gc, lock, unlock, rlock, runlock or for), got \"put\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  store 1 2\n"),
            "bad.race:5:3: expected an op of the classic map this script made: 'store' is a sync.Map op");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make syncmap int64\ngoroutine 1\n  jump 1\n"),
            "bad.race:5:3: expected a statement (store, load, loadorstore, loadanddelete, delete, range, gc, lock, "
            "unlock, rlock, runlock or for), got \"jump\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make syncmap int64\ngoroutine 1\n  store 1\n"),
            "bad.race:5:10: expected 'store KEY VALUE', got 1 argument");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make syncmap int64\ngoroutine 1\n  load x\n"),
            "bad.race:5:8: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"x\"");
  // gc is a goroutine's statement on a sync.Map (runtime.GC()), and only there.
  EXPECT_EQ(scenario("map\n  make syncmap int64\ngoroutine 1\n  gc\n").programs[0].code[0].kind, Instr::Kind::Gc);
  EXPECT_NE(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  gc\n").find("bad.race:5:3: expected an op of "
                                                                                    "the classic map"),
            std::string::npos);
  const std::string mem = errorOf("gomaplab-race 1\nmap\n  make syncmap int64\ngoroutine 1\n  load 1\ngranularity memory\n");
  EXPECT_EQ(mem.rfind("bad.race:6:13: expected 'granularity statement' for a sync.Map", 0), 0u) << mem;
  // Loops expand sync.Map statements like map statements.
  Scenario sc = scenario("map\n  make syncmap int64\ngoroutine 1\n  for i in 1..3: store i 10*i; load i\n");
  ASSERT_EQ(sc.programs[0].code.size(), 6u);
  EXPECT_EQ(sc.programs[0].code[4].text, "store 3 30");
  EXPECT_EQ(sc.programs[0].code[4].syncOp, syncmap::SyncOpCode::Store);
}

TEST(SyncMapRace, TheCliRunsExploresAndRefusesWrongVerbs) {
  auto sh = [](const std::string& cmd, int& status) {
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    std::string out;
    char buf[512];
    while (p && std::fgets(buf, sizeof buf, p)) out += buf;
    status = p ? WEXITSTATUS(pclose(p)) : -1;
    return out;
  };
  const std::string bin = GOMAPLAB_BINARY;
  const std::string lesson = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14a-syncmap-no-shards.race";
  int st = 0;
  std::string out = sh(bin + " race " + lesson, st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("-- expected: clean: met"), std::string::npos) << out;
  out = sh(bin + " race " + lesson + " --explore", st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("clean"), std::string::npos) << out;
  out = sh(bin + " race " + lesson + " --schedule \"1x4 2x4\"", st);
  EXPECT_NE(out.find("G2: blocked at 'store b 2' in Store (sync/map.go:150: m.mu.Lock())"), std::string::npos) << out;
  out = sh(bin + " race " + lesson + " --granularity memory", st);
  EXPECT_EQ(st, 2);
  const std::string bad = ::testing::TempDir() + "/syncmap_bad.race";
  std::ofstream(bad) << "gomaplab-race 1\nmap\n  make syncmap string\ngoroutine 1\n  get a\n";
  out = sh(bin + " race " + bad, st);
  EXPECT_EQ(st, 2);
  EXPECT_EQ(out.rfind(bad + ":5:3: expected a statement of sync.Map (store, load,", 0), 0u) << out;
}

TEST(SyncMapRace, ALoadThatMissesTakesOneOfThreePathsAndNeverLoops) {
  // Lesson 14d: a in dirty only; G1 Range ‖ G2 Load(a). Every schedule
  // returns (1, true), by a lock-free hit after Range's promotion, a hit on
  // the second look under mu (no miss), or a miss that promotes (1 >= len 1);
  // all three occur; misses++ happens only with mu held by the goroutine.
  ScenarioError err;
  auto sc = loadScenario(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14d-syncmap-misses-promote.race", err);
  ASSERT_TRUE(sc) << err.format();
  std::set<std::string> paths;
  auto classify = [&](const World& w) {
    int holder = 0, lookups = 0;
    bool relookHit = false, missed = false, locked = false;
    for (const TraceEntry& t : w.trace()) {
      if (t.source != TraceEntry::Source::SyncMap) continue;
      if (t.yev.kind == SyncKind::Locked) holder = t.g;
      if (t.yev.kind == SyncKind::Unlocked) holder = 0;
      if (t.g != 2) continue;
      if (t.yev.kind == SyncKind::Locked) locked = true;
      if (t.yev.kind == SyncKind::ReadLookup) lookups++;
      if (t.yev.site == syncmap::SyncSite::LoadRelookup && syncmap::payloadOf<SyncKind::ReadLookup>(t.yev).found)
        relookHit = true;
      if (t.yev.kind == SyncKind::MissCounted) {
        missed = true;
        EXPECT_EQ(holder, 2) << "misses++ with mu held";
        EXPECT_EQ(syncmap::payloadOf<SyncKind::MissCounted>(t.yev).misses, 1u);
      }
    }
    EXPECT_LE(lookups, 2) << "no retry loop";
    return !locked ? "lock-free hit" : relookHit ? "hit on the second look" : missed ? "miss that promotes" : "?";
  };
  Ran lesson = gomap::race::test::runToEnd(*sc); // the lesson's schedule, then random ones
  EXPECT_EQ(classify(*lesson.w), std::string("miss that promotes"));
  for (uint64_t seed = 1; seed <= 200; seed++) {
    World w(*sc);
    ScheduleSpec spec;
    spec.kind = ScheduleSpec::Kind::Random;
    spec.seed = seed;
    Scheduler s(spec);
    std::string why;
    ASSERT_TRUE(runScheduled(w, s, why)) << why;
    ASSERT_EQ(w.ending().kind, Ending::Kind::AllDone);
    const OpRecord* load = nullptr;
    for (const OpRecord& r : w.history())
      if (r.g == 2) load = &r;
    ASSERT_TRUE(load);
    EXPECT_TRUE(load->access.found);
    EXPECT_EQ(load->access.value, 1);
    paths.insert(classify(w));
    EXPECT_FALSE(w.syncMap().read()->amended) << "promoted, by Range or by the miss";
  }
  EXPECT_EQ(paths, (std::set<std::string>{"lock-free hit", "hit on the second look", "miss that promotes"}));
}

// runtime.GC() in a goroutine (lesson 14e): it marks from read, dirty and every
// goroutine's stack (syncmap::Held). The frees below are derived by hand from
// sync/map.go (lesson 14e's narration walks through the first two).
namespace {
syncmap::SyncPayload<SyncKind::Collected> collectedOf(const World& w) {
  for (const TraceEntry& t : w.trace())
    if (t.source == TraceEntry::Source::SyncMap && t.yev.kind == SyncKind::Collected)
      return syncmap::payloadOf<SyncKind::Collected>(t.yev);
  ADD_FAILURE() << "no gc step in the trace";
  return {};
}
using Freed = std::array<uint32_t, 4>; // readonly, entry, cell, box
Freed freed(const World& w) {
  const auto p = collectedOf(w);
  return {p.readonly, p.entry, p.cell, p.box};
}
std::string withHeap(const World& w) {
  std::string s = state(w);
  appendSyncHeap(s, w.syncMap());
  return s;
}
} // namespace

TEST(SyncMapRace, GcMarksFromEveryGoroutinesStack) {
  // Lesson 14e: before the goroutines, store a 1 + load a leave read #2 {a: e1}
  // (2 readOnly boxes, 1 entry, 2 cells: Store's &value and newEntry's). G2's
  // delete a, store b 2 (2 cells, 1 entry, read #3), load b (read #4 {b})
  // make 4 readOnly, 2 entries, 4 cells; only read #4, e2 and its cell are in
  // read or dirty when G2's gc runs.
  const std::string lesson = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14e-syncmap-gc-roots.race";
  std::ifstream f(lesson);
  ASSERT_TRUE(f) << lesson;
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ScenarioError err;
  auto sc = parseScenario(text, "14e.race", err);
  ASSERT_TRUE(sc) << err.format();
  {
    // G1 holds read #2's m (its stack's copy of {m, amended}): a's entry stays.
    Ran r = gomap::race::test::runToEnd(*sc);
    EXPECT_EQ(freed(*r.w), (Freed{3, 0, 3, 0}));
    EXPECT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  }
  for (const char* order : {"2* 1*", "1* 2*"}) {
    // G1 not started, or its Range over: nothing holds a's entry.
    Scenario s2 = *sc;
    s2.schedule = parseScenario(text.substr(0, text.find("schedule")) + "schedule " + order + "\nexpect clean\n",
                                "14e.race", err)->schedule;
    Ran r = gomap::race::test::runToEnd(s2);
    EXPECT_EQ(freed(*r.w), (Freed{3, 1, 3, 0})) << order;
  }
  // A Store in flight holds its &value (and the box of a value >= 256) after
  // another Store replaced it in the entry: G1's tryStore CAS put cell 3
  // (1000, boxed) into e1, G2's store a 7 replaced it with cell 4, and the gc
  // runs while G1 has not returned.
  const std::string body = "map\n  make syncmap string\n  store a 1\n  load a\ngoroutine 1\n  store a 1000\n"
                           "goroutine 2\n  store a 7\n  gc\n";
  auto cellHeld = scenario(body + "schedule 1x5 2* 1*\n");
  Ran held = gomap::race::test::runToEnd(cellHeld);
  // readOnly #1 is garbage; the cell of `store a 1`'s &value and newEntry's
  // cell 1 (replaced by cell 3) are; cell 3 and its box are G1's.
  EXPECT_EQ(freed(*held.w), (Freed{1, 0, 2, 0}));
  auto done = scenario(body + "schedule 1* 2*\n");
  Ran after = gomap::race::test::runToEnd(done);
  EXPECT_EQ(freed(*after.w), (Freed{1, 0, 3, 1})) << "G1 returned: its cell and box are garbage";
  // Reduction (each goroutine's steps write its own stack, which gc reads)
  // loses no outcome, no final heap count and no result.
  for (const std::string& b : {body, std::string("map\n  make syncmap string\n  store a 1\n  load a\ngoroutine 1\n  range\n"
                                                 "goroutine 2\n  delete a\n  store b 2\n  gc\n")}) {
    Scenario s = scenario(b);
    uint64_t full = 0, reduced = 0;
    auto a = test::exploreLeaves(s, false, &full, false, withHeap, results);
    auto c = test::exploreLeaves(s, true, &reduced, true, withHeap, results);
    EXPECT_EQ(a, c) << b;
    EXPECT_LT(reduced, full) << b;
    std::set<std::string> heaps;
    for (auto& [cls, st, res] : a) heaps.insert(st.substr(st.find("\"frees\"")));
    EXPECT_GT(heaps.size(), 1u) << "the gc frees depend on where the other goroutine stands: " << b;
  }
}
