// Races on a sharded map (issue 12, "A sharded map"): a scenario whose map
// section says `make sharded N KIND` runs its goroutines' store / load /
// delete on N shards, each a gosync RWMutex plus a classic engine map
// (concurrency/sharded_map.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "engine/runtime_consts.hpp"
#include "test_util.hpp"
#include "trace/state_json.hpp"

using namespace gomap;
using namespace gomap::race;
using gomap::race::test::Ran;
using gomap::race::test::scenario;

namespace {

Ran run(const std::string& body) { return gomap::race::test::runToEnd(scenario(body)); }

KeyValue str(const char* s) { return KeyValue::ofString(s); }

// Every shard's map as `gomaplab dump` prints it, and its lock words.
std::string state(const World& w) {
  std::string s;
  appendShardedState(s, w);
  return s;
}

std::string results(const World& w) {
  std::map<std::pair<int, std::size_t>, std::string> by;
  for (const OpRecord& r : w.history()) by[{r.g, r.instr}] = fmt::format("{}:{}", r.access.found, r.access.value);
  std::string out;
  for (auto& [k, v] : by) out += fmt::format("G{}#{} {};", k.first, k.second, v);
  return out;
}

bool parks(SyncAct a) {
  return a == SyncAct::Parked || a == SyncAct::ParkedAgain || a == SyncAct::ReaderParked || a == SyncAct::WriterParked;
}

// Replays a schedule with the trace on and counts the steps that parked a goroutine.
int parkedSteps(const Scenario& sc, const std::vector<uint8_t>& schedule) {
  World w(sc);
  for (uint8_t g : schedule) w.step(g);
  int n = 0;
  for (const TraceEntry& t : w.trace())
    if (t.source == TraceEntry::Source::Sync && parks(t.act)) n++;
  return n;
}

} // namespace

TEST(ShardedRace, Fnv1a32AndTheShardOfAKey) {
  // FNV-1a 32 test vectors (the FNV reference's and hash/fnv's): "" is the offset basis.
  EXPECT_EQ(fnv1a32(""), 0x811c9dc5u);
  EXPECT_EQ(fnv1a32("a"), 0xe40c292cu);
  EXPECT_EQ(fnv1a32("foobar"), 0xbf9cf968u);
  // An int64 is hashed over its 8 little-endian bytes.
  EXPECT_EQ(shardKeyBytes(KeyValue::ofInt(KeyKind::Int64, 0x0102)), std::string("\x02\x01\0\0\0\0\0\0", 8));
  EXPECT_EQ(shardKeyBytes(KeyValue::ofInt(KeyKind::Int64, -1)), std::string(8, '\xff'));
  // fnv1a32("a") = 0xe40c292c: shard 0 of 4, shard 44 of 64; "b" = 0xe70c2de5: shard 1 of 4.
  EXPECT_EQ(shardOf(str("a"), 4), 0);
  EXPECT_EQ(shardOf(str("a"), 64), 44);
  EXPECT_EQ(shardOf(str("b"), 4), 1);
  EXPECT_EQ(shardOf(str("a"), 1), 0);
}

TEST(ShardedRace, StoreLoadDeleteUnrollIntoTheShardsLockTheOpAndUnlock) {
  Scenario sc = scenario("map\n  make sharded 4 string\ngoroutine 1\n  store b 7\n  load b\n  delete b\n"
                         "  for i in 1..2: store k{i} i\n  rlock shard(a)\n  runlock shard 0\n");
  ASSERT_EQ(sc.shards, 4);
  ASSERT_EQ(sc.mutexes.size(), 4u);
  EXPECT_EQ(sc.mutexes[1].name, "shard 1");
  EXPECT_TRUE(sc.mutexes[1].rw);
  const auto& c = sc.programs[0].code;
  ASSERT_EQ(c.size(), 3u * 5 + 2);
  using K = Instr::Kind;
  const K kinds[] = {K::Lock, K::Put, K::Unlock, K::RLock, K::Get, K::RUnlock, K::Lock, K::Del, K::Unlock};
  for (std::size_t i = 0; i < 9; i++) {
    EXPECT_EQ(c[i].kind, kinds[i]) << i;
    EXPECT_EQ(c[i].line, static_cast<int>(i / 3) + 5) << i;
    if (c[i].isMapOp()) {
      EXPECT_EQ(c[i].shard, 1);
      EXPECT_EQ(c[i].key, str("b"));
    } else {
      EXPECT_EQ(c[i].mutex, 1);
    }
  }
  EXPECT_EQ(c[0].text, "lock shard 1 (store b 7)");
  EXPECT_EQ(c[1].text, "store b 7 on shard 1");
  EXPECT_EQ(c[1].value, 7);
  // k1 -> 0x983d80c1 (shard 1), k2 -> 0x953d7c08 (shard 0).
  EXPECT_EQ(c[10].shard, 1);
  EXPECT_EQ(c[10].value, 1);
  EXPECT_EQ(c[13].shard, 0);
  EXPECT_EQ(c[13].loopVar, "i=2");
  EXPECT_EQ(c[12].loopVar, "i=2");
  EXPECT_EQ(c[15].kind, K::RLock);
  EXPECT_EQ(c[15].mutex, 0);
  EXPECT_EQ(c[16].kind, K::RUnlock);
  EXPECT_EQ(c[16].mutex, 0);
}

TEST(ShardedRace, EachKeyLivesInItsShardsClassicMap) {
  Ran r = run("map\n  make sharded 4 int64\ngoroutine 1\n  for i in 1..40: store i 10*i\n  for i in 1..40: load i\n"
              "  for i in 1..20: delete 2*i\n  load 4\n  load 5\n");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_TRUE(r.rep->consistent) << r.rep->kindsText();
  const ShardSet& set = r.w->shards();
  int64_t total = 0;
  for (int s = 0; s < 4; s++) {
    total += set.map(s).header().count;
    for (const Cell& c : liveCells(set.map(s))) {
      EXPECT_EQ(shardOf(c.key, 4), s) << keyText(c.key);
      EXPECT_EQ(c.key.i % 2, 1);
      EXPECT_EQ(c.value, 10 * c.key.i);
    }
    EXPECT_TRUE(set.map(s).checkInvariants().empty());
  }
  EXPECT_EQ(total, 20);
  // Every load found its value; after the deletes 4 is gone and 5 is there.
  const auto& h = r.w->history();
  for (std::size_t i = 40; i < 80; i++) {
    EXPECT_TRUE(h[i].access.found);
    EXPECT_EQ(h[i].access.value, 10 * static_cast<int64_t>(i - 39));
  }
  EXPECT_FALSE(h[100].access.found);
  EXPECT_TRUE(h[101].access.found);
  EXPECT_EQ(h[101].access.value, 50);
  // Each shard's lock is free at the end: every Lock had its Unlock.
  for (int s = 0; s < 4; s++) EXPECT_EQ(r.w->mutex(s), MutexState{});
}

TEST(ShardedRace, AStoreHoldsItsShardsLockAndItsMapsHashWritingBitWhileItWrites) {
  Scenario sc = scenario("map\n  make sharded 2 string\ngoroutine 1\n  store a 1\n");
  World w(sc);
  const int s = shardOf(str("a"), 2);
  bool sawWriting = false;
  while (!w.ended()) {
    w.step(1);
    const bool writing = w.shards().map(s).header().flags & hashWriting;
    sawWriting = sawWriting || writing;
    if (writing) {
      EXPECT_TRUE(w.mutex(s).locked()) << "h.flags has hashWriting only inside shard.Lock()";
      EXPECT_TRUE(w.mutex(s).writerPending());
    }
    EXPECT_EQ(w.shards().map(1 - s).header().flags, 0);
  }
  EXPECT_TRUE(sawWriting);
  std::string out;
  appendTraceJson(out, w, 3);
  EXPECT_NE(out.find(fmt::format("\"shard\":{}", s)), std::string::npos) << out;
}

TEST(ShardedRace, WritersOnDifferentShardsNeverParkOnTheSameShardOneDoes) {
  // a -> shard 0, b -> shard 1, banana -> shard 0 (of 4). Parking is a
  // property of a class of equivalent schedules (the steps on one mutex keep
  // their order), so the reduced search's schedules cover every interleaving.
  auto parkedRuns = [](const std::string& body, uint64_t& total) {
    Scenario sc = scenario(body);
    std::vector<std::vector<uint8_t>> leaves;
    ExploreOptions o;
    ExploreResult r = explore(sc, o, [&](const World& w, const std::string& cls) {
      EXPECT_EQ(cls, "clean");
      leaves.push_back(w.schedule());
    });
    EXPECT_TRUE(r.complete);
    total = leaves.size();
    int n = 0;
    for (auto& l : leaves) n += parkedSteps(sc, l) > 0;
    return n;
  };
  uint64_t total = 0;
  EXPECT_EQ(parkedRuns("map\n  make sharded 4 string\ngoroutine 1\n  store a 1\ngoroutine 2\n  store b 2\n", total), 0);
  EXPECT_EQ(total, 1u) << "every step of one commutes with every step of the other";
  const int same = parkedRuns("map\n  make sharded 4 string\ngoroutine 1\n  store a 1\ngoroutine 2\n  store banana 2\n", total);
  EXPECT_GT(same, 0);
  EXPECT_LT(same, static_cast<int>(total)) << "in some interleavings one store finishes before the other starts";
}

// The reduced search against full enumeration (as por_test.cpp,
// swiss_race_test.cpp and syncmap_race_test.cpp do): the footprints lose no
// outcome, no final state and no result.
namespace {
std::set<test::Leaf> leaves(const Scenario& sc, bool reduce, uint64_t* count, bool verify = false) {
  return test::exploreLeaves(sc, reduce, count, verify, state, results);
}
} // namespace

TEST(ShardedRace, ReducedExplorationEqualsFullEnumeration) {
  for (const char* body : {"map\n  make sharded 4 string\ngoroutine 1\n  store a 1\ngoroutine 2\n  load b\n",
                           "map\n  make sharded 4 string\ngoroutine 1\n  store a 1\ngoroutine 2\n  load banana\n  delete a\n",
                           "map\n  make sharded 2 int64\ngoroutine 1\n  load 1\n  load 4\ngoroutine 2\n  rlock shard(1)\n"
                           "  runlock shard(1)\n  store 4 40\n"}) {
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

TEST(ShardedRace, ARecursiveRLockOnAShardDeadlocksBehindAWaitingWriter) {
  const char* body = "map\n  make sharded 4 string\ngoroutine 1\n  rlock shard(a)\n  load a\n  runlock shard(a)\n"
                     "goroutine 2\n  store banana 2\n";
  Ran r = run(std::string(body) + "schedule 1 2 2 2 1*\n");
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::Fatal);
  EXPECT_TRUE(r.w->ending().deadlock);
  EXPECT_EQ(r.w->ending().message, "all goroutines are asleep - deadlock!");
  const MutexState& m = r.w->mutex(0);
  EXPECT_EQ(m.readerSem, std::vector<uint8_t>{1});
  EXPECT_EQ(m.writerSem, std::vector<uint8_t>{2});
  EXPECT_EQ(m.readerCount, 2 - kRWMutexMaxReaders); // G1's first RLock, its parked second one, and the writer's bias
  for (int s = 1; s < 4; s++) EXPECT_EQ(r.w->mutex(s), MutexState{});
  // G2's store on another shard (b, shard 1): never a deadlock; on shard 0, in some interleavings.
  ExploreOptions o;
  bool dead = false;
  explore(scenario(std::string(body) + "schedule roundrobin\n"), o,
          [&](const World& w, const std::string&) { dead = dead || w.ending().deadlock; });
  EXPECT_TRUE(dead);
  dead = false;
  explore(scenario("map\n  make sharded 4 string\ngoroutine 1\n  rlock shard(a)\n  load a\n  runlock shard(a)\n"
                   "goroutine 2\n  store b 2\n"),
          o, [&](const World& w, const std::string&) { dead = dead || w.ending().deadlock; });
  EXPECT_FALSE(dead);
}

TEST(ShardedRace, CheckpointAndRestoreReplayTheSameRun) {
  Scenario sc = scenario("map\n  make sharded 4 int64\ngoroutine 1\n  for i in 1..30: store i i\n"
                         "goroutine 2\n  for i in 1..30: load i; delete i+1\n");
  World w(sc);
  for (int i = 0; i < 200; i++) w.step(w.runnable(1) ? 1 : 2);
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
  for (int s = 0; s < 4; s++) EXPECT_EQ(w.shards().map(s).header().count, 0);
}

TEST(ShardedRace, ScenarioErrorsNameTheLineAndWhatWasExpected) {
  auto errorOf = [](const std::string& text) {
    ScenarioError err;
    auto s = parseScenario("gomaplab-race 1\n" + text, "bad.race", err);
    EXPECT_FALSE(s);
    return err.format();
  };
  EXPECT_EQ(errorOf("map\n  make sharded 3 string\n"),
            "bad.race:3:16: expected a shard count N, a power of two 1..64, got \"3\"");
  EXPECT_EQ(errorOf("map\n  make sharded 128 string\n"),
            "bad.race:3:16: expected a shard count N, a power of two 1..64, got \"128\"");
  EXPECT_EQ(errorOf("map\n  make sharded 4 float64\n"),
            "bad.race:3:18: expected the key kind string or int64 of a sharded map, got \"float64\"");
  EXPECT_EQ(errorOf("map\n  make sharded 4\n").rfind("bad.race:3:18: expected 'make sharded N KIND [HINT]'", 0), 0u);
  EXPECT_EQ(errorOf("map\n  make sharded 4 int64\n  put 1 1\n").rfind("bad.race:4:3: expected nothing after 'make "
                                                                       "sharded N KIND'",
                                                                       0),
            0u);
  const std::string g = "map\n  make sharded 4 int64\ngoroutine 1\n";
  EXPECT_EQ(errorOf(g + "  put 1 1\n").rfind("bad.race:5:3: expected a statement (store, load, delete, lock", 0), 0u);
  EXPECT_EQ(errorOf(g + "  store 1\n"), "bad.race:5:10: expected 'store KEY VAL' on a sharded map");
  EXPECT_EQ(errorOf(g + "  load x\n"),
            "bad.race:5:8: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"x\"");
  EXPECT_EQ(errorOf(g + "  store 1 v\n"), "bad.race:5:11: expected an int64 value, got \"v\"");
  EXPECT_EQ(errorOf(g + "  rlock shard 4\n"),
            "bad.race:5:15: expected 'rlock shard N' with N a shard number 0..3, or 'rlock shard(KEY)'");
  EXPECT_EQ(errorOf(g + "  lock shard(x)\n"),
            "bad.race:5:14: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"x\"");
  EXPECT_EQ(errorOf(g + "  for i in 1..3: store i 1; load k\n"),
            "bad.race:5:34: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"k\"");
  // A scenario's own mutexes still work beside the shards.
  Scenario sc = scenario(g + "  lock mu\n  store 1 1\n  unlock mu\n");
  ASSERT_EQ(sc.mutexes.size(), 5u);
  EXPECT_EQ(sc.mutexes[4].name, "mu");
  EXPECT_EQ(sc.programs[0].code[0].mutex, 4);
}

TEST(ShardedRace, TheCliRunsTheLessonsAndPrintsEachShard) {
  auto sh = [](const std::string& cmd, int& status) {
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    std::string out;
    char buf[4096];
    while (p && std::fgets(buf, sizeof buf, p)) out += buf;
    status = p ? WEXITSTATUS(pclose(p)) : -1;
    return out;
  };
  const std::string bin = GOMAPLAB_BINARY;
  const std::string dir = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/";
  int st = 0;
  std::string out = sh(bin + " race " + dir + "16a-sharded-shards-never-block.race", st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_NE(out.find("-- expected: clean: met"), std::string::npos) << out;
  out = sh(bin + " race " + dir + "16b-sharded-rlock-deadlock.race", st);
  EXPECT_EQ(st, 0) << out;
  EXPECT_EQ(out.rfind("fatal error: all goroutines are asleep - deadlock!\n", 0), 0u) << out;
  EXPECT_NE(out.find("parked in shard 0's queue (rw.readerSem)"), std::string::npos) << out;
  out = sh(bin + " race " + dir + "16b-sharded-rlock-deadlock.race --states", st);
  const std::string last = out.substr(out.rfind("{\"step\""));
  EXPECT_NE(last.find("\"shards\":[{\"shard\":0,\"mutex\":{\"state\":1,\"readerCount\":-1073741822,\"readerWait\":1}"),
            std::string::npos)
      << last;
  out = sh(bin + " race " + dir + "16a-sharded-shards-never-block.race --explore", st);
  EXPECT_EQ(st, 0) << out;
}

TEST(ShardedRace, AShardsMapKeepsItsHashWritingCheck) {
  // G2 unlocks shard 0 while G1's store holds it (Go allows unlocking a lock
  // another goroutine holds), then stores a key of the same shard: the two
  // writes overlap in shard 0's map and the engine's entry check catches it.
  Ran r = run("map\n  make sharded 4 string\ngoroutine 1\n  store a 1\ngoroutine 2\n  unlock shard(a)\n  store banana 2\n"
              "schedule 1x8 2* then roundrobin\n");
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(r.w->ending().g, 2);
  EXPECT_EQ(r.w->ending().message, "concurrent map writes");
  EXPECT_EQ(r.w->ending().line, 595); // map.go's entry check in mapassign
  EXPECT_EQ(r.w->shards().map(0).header().flags & hashWriting, hashWriting);
  const std::string out = goDeathOutput(*r.w);
  EXPECT_EQ(out.rfind("fatal error: concurrent map writes\n\ngoroutine 2 [running]:\n", 0), 0u) << out;
  EXPECT_NE(out.find("store banana 2 on shard 0"), std::string::npos) << out;
}
