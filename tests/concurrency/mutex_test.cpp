// sync.Mutex and sync.RWMutex in race scenarios, step by step against Go
// 1.19's sync/mutex.go ("MU:L") and sync/rwmutex.go ("RW:L"): the state word,
// the wait queues, barging, writer preference (issue 12, gosync.hpp).
#include <gtest/gtest.h>

#include <memory>

#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/world.hpp"
#include "test_util.hpp"

using namespace gomap::race;
using gomap::race::test::scenario;

namespace {
constexpr int32_t kLocked = 1, kWoken = 2, kWaiter = 8, kMax = 1 << 30;

struct SyncRun {
  Scenario sc;
  std::unique_ptr<World> w;
  explicit SyncRun(const std::string& body) : sc(scenario(body)), w(std::make_unique<World>(sc)) {}
  const MutexState& m(int i = 0) const { return w->mutex(i); }
  const TraceEntry& last() const { return w->trace().back(); }
  void step(int g) { ASSERT_TRUE(w->runnable(g)) << "G" << g; w->step(g); }
  bool parked(int g) const { return w->view(g).state == GoroutineView::State::Blocked; }
};

std::vector<uint8_t> q(std::initializer_list<int> gs) {
  std::vector<uint8_t> v;
  for (int g : gs) v.push_back(static_cast<uint8_t>(g));
  return v;
}
} // namespace

// Three goroutines on one Mutex: the waiters queue FIFO, each lock on a held
// mutex is a step that adds a waiter to the state word and parks.
TEST(Mutex, WaitersQueueInOrderAndUnlockWakesTheHead) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  lock mu
  unlock mu
goroutine 2
  lock mu
  unlock mu
goroutine 3
  lock mu
  unlock mu
)");
  r.step(1); // CAS 0 -> mutexLocked (MU:L83)
  EXPECT_EQ(r.m().state, kLocked);
  EXPECT_EQ(r.last().act, SyncAct::Acquired);
  EXPECT_EQ(r.last().line, 83);
  r.step(2); // lockSlow's CAS adds a waiter, semacquire parks at the tail (MU:L162, 171)
  r.step(3);
  EXPECT_EQ(r.m().state, kLocked | 2 * kWaiter);
  EXPECT_EQ(r.m().sema, q({2, 3}));
  EXPECT_TRUE(r.parked(2));
  EXPECT_TRUE(r.parked(3));
  EXPECT_EQ(r.w->runnableList(), std::vector<int>{1});
  r.step(1); // Unlock: state-1 = 2 waiters; unlockSlow: waiters-1 | mutexWoken, wake the head
  EXPECT_EQ(r.last().act, SyncAct::ReleasedWoke);
  EXPECT_EQ(r.last().woke, 1u << 1);
  EXPECT_EQ(r.m().state, kWoken | kWaiter);
  EXPECT_EQ(r.m().sema, q({3}));
  EXPECT_FALSE(r.parked(2)); // woken, but it does not own the lock: it retries
  EXPECT_TRUE(r.parked(3));
  r.step(2); // the retry: CAS takes the lock and clears mutexWoken (MU:L155-162)
  EXPECT_EQ(r.last().act, SyncAct::Acquired);
  EXPECT_EQ(r.last().line, 162);
  EXPECT_EQ(r.m().state, kLocked | kWaiter);
  EXPECT_EQ(r.m().owner, 2);
  r.step(2); // unlock wakes G3
  EXPECT_EQ(r.m().state, kWoken);
  r.step(3);
  r.step(3);
  EXPECT_EQ(r.m().state, 0);
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
}

// Normal mode: a woken waiter competes with a newcomer, which can take the
// mutex first (barging); the woken waiter then parks again, at the head.
TEST(Mutex, ANewcomerBargesInAheadOfTheWokenWaiter) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  lock mu
  unlock mu
  lock mu
  unlock mu
goroutine 2
  lock mu
  unlock mu
goroutine 3
  lock mu
  unlock mu
)");
  r.step(1);
  r.step(2);
  r.step(3);
  EXPECT_EQ(r.m().sema, q({2, 3}));
  r.step(1); // unlock: wakes G2, state = mutexWoken | 1 waiter
  EXPECT_EQ(r.m().state, kWoken | kWaiter);
  r.step(1); // G1's next lock: the mutex is not locked, its CAS takes it (woken stays set)
  EXPECT_EQ(r.last().act, SyncAct::Acquired);
  EXPECT_EQ(r.m().state, kLocked | kWoken | kWaiter);
  r.step(2); // the woken G2 retries: locked, so it adds itself, clears woken, parks at the head
  EXPECT_EQ(r.last().act, SyncAct::ParkedAgain);
  EXPECT_EQ(r.m().state, kLocked | 2 * kWaiter);
  EXPECT_EQ(r.m().sema, q({2, 3}));
  r.step(1); // unlock wakes the head again: G2, ahead of G3 who came after it
  EXPECT_EQ(r.last().woke, 1u << 1);
  r.step(2);
  EXPECT_EQ(r.m().owner, 2);
}

// While a waiter is woken (mutexWoken set), Unlock wakes nobody else (MU:L236).
TEST(Mutex, UnlockWakesNobodyWhileAWaiterIsAlreadyWoken) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  lock mu
  unlock mu
  lock mu
  unlock mu
goroutine 2
  lock mu
  unlock mu
goroutine 3
  lock mu
  unlock mu
)");
  r.step(1);
  r.step(2);
  r.step(3);
  r.step(1); // wakes G2
  r.step(1); // barges
  r.step(1); // unlock: state-1 = woken | 1 waiter: woken is set, nobody is woken
  EXPECT_EQ(r.last().act, SyncAct::Released);
  EXPECT_EQ(r.last().woke, 0);
  EXPECT_EQ(r.m().state, kWoken | kWaiter);
  EXPECT_TRUE(r.parked(3));
}

// Writer preference (RW:L22-27, spec 7.3): G1 RLock, G2 Lock, G1 RLock deadlocks.
TEST(RWMutex, APendingWriterBlocksNewReadersAndARecursiveRLockDeadlocks) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  rlock rw
  rlock rw
  runlock rw
  runlock rw
goroutine 2
  lock rw
  unlock rw
)");
  r.step(1); // readerCount+1 = 1 (RW:L69)
  EXPECT_EQ(r.m().readerCount, 1);
  EXPECT_EQ(r.m().readers, q({1}));
  r.step(2); // rw.w.Lock()
  EXPECT_EQ(r.m().state, kLocked);
  r.step(2); // readerCount -= rwmutexMaxReaders: r = 1 active reader (RW:L149)
  EXPECT_EQ(r.last().act, SyncAct::WriterWaits);
  EXPECT_EQ(r.m().readerCount, 1 - kMax);
  r.step(2); // readerWait += 1 != 0: parks on writerSem (RW:L151-152)
  EXPECT_EQ(r.last().act, SyncAct::WriterParked);
  EXPECT_EQ(r.m().readerWait, 1);
  EXPECT_EQ(r.m().writerSem, q({2}));
  EXPECT_TRUE(r.parked(2));
  r.step(1); // readerCount+1 < 0: a writer is pending, the reader parks (RW:L71)
  EXPECT_EQ(r.last().act, SyncAct::ReaderParked);
  EXPECT_EQ(r.m().readerCount, 2 - kMax);
  EXPECT_EQ(r.m().readerSem, q({1}));
  ASSERT_TRUE(r.w->ended());
  EXPECT_TRUE(r.w->ending().deadlock);
  EXPECT_EQ(r.w->ending().message, "all goroutines are asleep - deadlock!");
  const std::string out = goDeathOutput(*r.w);
  EXPECT_NE(out.find("fatal error: all goroutines are asleep - deadlock!"), std::string::npos) << out;
  EXPECT_NE(out.find("goroutine 1 [semacquire]:\nsync.runtime_SemacquireMutex(...)"), std::string::npos) << out;
  EXPECT_NE(out.find("sync.(*RWMutex).RLock(...)\n\t$GOROOT/src/sync/rwmutex.go:71"), std::string::npos) << out;
  EXPECT_NE(out.find("sync.(*RWMutex).Lock(...)\n\t$GOROOT/src/sync/rwmutex.go:152"), std::string::npos) << out;
}

// The same second RLock with no writer waiting just adds a reader.
TEST(RWMutex, WithoutAWaitingWriterReadersShareTheLock) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  rlock rw
  rlock rw
  runlock rw
  runlock rw
goroutine 2
  rlock rw
  runlock rw
)");
  r.step(1);
  r.step(2);
  r.step(1);
  EXPECT_EQ(r.m().readerCount, 3);
  EXPECT_EQ(r.m().readers, q({1, 2, 1}));
  for (int i = 0; i < 3; i++) r.step(i == 2 ? 2 : 1);
  EXPECT_EQ(r.m().readerCount, 0);
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
}

// A reader that leaves between the writer's announcement and its readerWait
// add: readerWait goes to -1, the writer's add brings it to 0, and the writer
// does not park (RW:L132, 151).
TEST(RWMutex, AReaderDepartingBeforeTheWriterWaitsLeavesReaderWaitNegative) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  rlock rw
  runlock rw
goroutine 2
  lock rw
  unlock rw
)");
  r.step(1);
  r.step(2); // w
  r.step(2); // announce: r = 1
  r.step(1); // readerCount-1 < 0: departing (RW:L117-119)
  EXPECT_EQ(r.last().act, SyncAct::ReaderDeparting);
  EXPECT_EQ(r.m().readerCount, -kMax);
  r.step(1); // readerWait-1 = -1: not the last (RW:L132)
  EXPECT_EQ(r.last().act, SyncAct::ReaderDeparted);
  EXPECT_EQ(r.m().readerWait, -1);
  r.step(2); // readerWait += 1 == 0: Lock returns without parking
  EXPECT_EQ(r.last().act, SyncAct::WriterIn);
  EXPECT_EQ(r.m().readerWait, 0);
  EXPECT_FALSE(r.parked(2));
  r.step(2); // readerCount += max = 0 readers to wake
  EXPECT_EQ(r.last().act, SyncAct::WriterReleased);
  r.step(2); // rw.w.Unlock()
  EXPECT_EQ(r.m(), MutexState{});
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
}

// The last departing reader wakes the writer, whose Lock then returns; the
// writer's Unlock wakes every reader that arrived meanwhile (RW:L132-134, 212-214).
TEST(RWMutex, TheLastReaderWakesTheWriterAndTheWriterWakesTheReaders) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  rlock rw
  runlock rw
goroutine 2
  lock rw
  unlock rw
goroutine 3
  rlock rw
  runlock rw
)");
  r.step(1);
  r.step(2);
  r.step(2);
  r.step(2); // parks on writerSem
  r.step(3); // parks on readerSem
  EXPECT_EQ(r.m().readerSem, q({3}));
  r.step(1);
  r.step(1); // readerWait-1 == 0: Semrelease(writerSem)
  EXPECT_EQ(r.last().act, SyncAct::ReaderWokeWriter);
  EXPECT_EQ(r.last().woke, 1u << 1);
  EXPECT_FALSE(r.parked(2));
  EXPECT_EQ(r.w->view(2).instr->kind, Instr::Kind::Unlock); // its Lock returned
  r.step(2); // readerCount += max = 1: one reader to wake
  EXPECT_EQ(r.last().act, SyncAct::WriterReleased);
  EXPECT_EQ(r.last().woke, 1u << 2);
  EXPECT_EQ(r.m().readerCount, 1);
  EXPECT_EQ(r.m().readers, q({3}));
  EXPECT_EQ(r.w->view(3).instr->kind, Instr::Kind::RUnlock); // its RLock returned
  r.step(2);
  r.step(3);
  EXPECT_EQ(r.m(), MutexState{});
}

TEST(RWMutex, MisuseIsFatalWithGosMessages) {
  struct Case {
    const char* prog;
    const char* msg;
    const char* frame;
  } cases[] = {
      {"runlock rw\n  rlock rw", "sync: RUnlock of unlocked RWMutex", "sync.(*RWMutex).rUnlockSlow(...)\n\t$GOROOT/src/sync/rwmutex.go:129"},
      {"unlock rw\n  rlock rw", "sync: Unlock of unlocked RWMutex", "sync.(*RWMutex).Unlock(...)\n\t$GOROOT/src/sync/rwmutex.go:209"},
      {"lock rw\n  runlock rw", "sync: RUnlock of unlocked RWMutex", "rwmutex.go:129"},
      {"unlock mu", "sync: unlock of unlocked mutex", "sync.(*Mutex).unlockSlow(...)\n\t$GOROOT/src/sync/mutex.go:229"},
  };
  for (const Case& c : cases) {
    SyncRun r(std::string("map\n  make int64 0\ngoroutine 1\n  ") + c.prog + "\n");
    while (!r.w->ended()) r.step(1);
    EXPECT_EQ(r.w->ending().kind, Ending::Kind::Fatal) << c.prog;
    EXPECT_EQ(r.w->ending().message, c.msg) << c.prog;
    const std::string out = goDeathOutput(*r.w);
    EXPECT_NE(out.find(c.frame), std::string::npos) << out;
    EXPECT_NE(out.find("sync.fatal(...)"), std::string::npos) << out;
  }
}

// The trace's JSON names each step's act, line and words.
TEST(RWMutex, TraceJsonCarriesTheWords) {
  SyncRun r(R"(
map
  make int64 0
goroutine 1
  rlock rw
goroutine 2
  lock rw
)");
  r.step(1);
  r.step(2);
  r.step(2);
  std::string j;
  appendTraceJson(j, *r.w, r.w->trace().size() - 1);
  EXPECT_EQ(j, "{\"step\":2,\"g\":2,\"i\":2,\"kind\":\"lock\",\"mutex\":\"rw\",\"act\":\"writer_waits\",\"file\":"
               "\"rwmutex.go\",\"line\":149,\"state\":1,\"readerCount\":-1073741823,\"readerWait\":0}");
}

// Lesson 7c: its schedule deadlocks; exploring it finds the deadlock in some
// interleavings and clean runs in the others.
TEST(RWMutex, LessonSevenCDeadlocksOnlyWhenTheWriterComesBetween) {
  ScenarioError err;
  auto sc = loadScenario(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/7c-rwmutex-writer-preference.race", err);
  ASSERT_TRUE(sc) << err.format();
  ExploreResult e = explore(*sc);
  EXPECT_TRUE(e.complete);
  EXPECT_GT(e.deadlock, 0u);
  EXPECT_GT(e.clean, 0u);
  EXPECT_EQ(e.clean + e.deadlock, e.interleavings);
  EXPECT_LT(e.seconds, 1.0);
}

// Partial-order reduction stays sound with parks and wakes: every
// independence the reduced search uses holds when the two steps are swapped.
TEST(RWMutex, FootprintsHoldWithReadersAndAWriter) {
  Scenario sc = scenario(R"(
map
  make int64 0
  put 1 10
goroutine 1
  rlock rw
  get 1
  runlock rw
goroutine 2
  lock rw
  put 1 11
  unlock rw
goroutine 3
  rlock rw
  get 1
  runlock rw
)");
  ExploreOptions o;
  o.verifyIndependence = true;
  ExploreResult r = explore(sc, o);
  EXPECT_TRUE(r.complete);
  EXPECT_GT(r.independenceChecks, 0u);
  for (auto& v : r.independenceViolations) ADD_FAILURE() << v;
  EXPECT_EQ(r.clean, r.interleavings);
}
