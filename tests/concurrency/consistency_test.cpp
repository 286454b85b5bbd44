// Outcomes other than the lessons': recovered and unrecovered panics, the
// consistency report's sentences, races that need a memory-level schedule.
#include <gtest/gtest.h>

#include "concurrency/consistency.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "test_util.hpp"

using namespace gomap;
using namespace gomap::race;
using gomap::race::test::scenario;

namespace {
std::unique_ptr<World> runIt(const Scenario& sc) {
  auto w = std::make_unique<World>(sc);
  Scheduler s(sc.schedule);
  std::string why;
  EXPECT_TRUE(runScheduled(*w, s, why)) << why;
  return w;
}
} // namespace

TEST(Outcomes, ANilMapPanicCanBeRecoveredAFatalErrorCannot) {
  const char* prog = R"(
map
  nil int64
goroutine 1
%s  put 1 10
  put 2 20
goroutine 2
  get 1
)";
  char buf[256];
  std::snprintf(buf, sizeof buf, prog, "  defer recover\n");
  auto w = runIt(scenario(buf));
  EXPECT_EQ(w->ending().kind, Ending::Kind::AllDone); // G1 returned after the first put
  ASSERT_EQ(w->history().size(), 2u);
  EXPECT_EQ(w->history()[0].result.outcome, Outcome::Panic);

  std::snprintf(buf, sizeof buf, prog, "");
  w = runIt(scenario(buf));
  EXPECT_EQ(w->ending().kind, Ending::Kind::Panic);
  std::string out = goDeathOutput(*w);
  EXPECT_EQ(out.rfind("panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\n", 0), 0u) << out;
  EXPECT_EQ(out.find("goroutine 2"), std::string::npos) << "only the panicking goroutine is shown";

  // defer recover does not help against a fatal error.
  w = runIt(scenario(R"(
map
  make int64 0
goroutine 1
  defer recover
  put 1 10
goroutine 2
  defer recover
  put 2 20
schedule 1x3 2x2
)"));
  EXPECT_EQ(w->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(w->ending().g, 2);
}

TEST(Outcomes, UnlockingAnUnlockedMutexIsFatal) {
  auto w = runIt(scenario(R"(
map
  make int64 0
goroutine 1
  unlock mu
)"));
  EXPECT_EQ(w->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(w->ending().message, "sync: unlock of unlocked mutex");
  EXPECT_NE(goDeathOutput(*w).find("sync.(*Mutex).Unlock(...)"), std::string::npos);
}

TEST(Outcomes, ReportNamesTheCorruption) {
  // Lesson 5b's program and schedule: the same key in two cells.
  auto w = runIt(scenario(R"(
map
  make int64 0
  hashmode identity
  put 5 50
  put 6 60
goroutine 1
  del 5
  put 1 10
goroutine 2
  put 1 20
granularity memory
schedule 1x3 2x3 1x4 2x3 1x15 2 1x5 2x9 1x3 2x3
)"));
  ASSERT_EQ(w->ending().kind, Ending::Kind::AllDone);
  ConsistencyReport rep = checkConsistency(*w);
  EXPECT_FALSE(rep.consistent);
  ASSERT_EQ(rep.findings.size(), 1u);
  EXPECT_EQ(rep.findings[0].kind, "duplicate-key");
  EXPECT_EQ(rep.findings[0].text,
            "key 1 is stored 2 times: new bucket 0 slot 0 (value 10), new bucket 0 slot 2 (value 20)");
  EXPECT_EQ(outcomeClass(*w, &rep), "corrupt: duplicate-key");
}

TEST(Outcomes, SequentialRunsAreConsistentWhateverTheOrder) {
  // Puts, deletes, gets and a range loop with no overlap: always consistent,
  // and a get's result must match the order the run took.
  Scenario sc = scenario(R"(
map
  make int64 0
  put 1 1
goroutine 1
  for i in 2..40: put i i; del i-1
  get 40
goroutine 2
  get 7
  iter
granularity statement
schedule 1* 2*
)");
  auto w = runIt(sc);
  ConsistencyReport rep = checkConsistency(*w);
  EXPECT_TRUE(rep.consistent) << rep.kindsText();
  EXPECT_FALSE(w->history().back().keys.empty());
}

TEST(Outcomes, AStaleGetIsExplainedOnlyByTheOrderItHappenedIn) {
  // G2 reads key 1 after G1 has finished overwriting it: the only order
  // consistent with real time has the put first, so the read must see 2.
  auto w = runIt(scenario(R"(
map
  make int64 0
  put 1 1
goroutine 1
  put 1 2
goroutine 2
  get 1
schedule 1* 2*
)"));
  ConsistencyReport rep = checkConsistency(*w);
  EXPECT_TRUE(rep.consistent);
  EXPECT_EQ(w->history()[1].access.value, 2);
}
