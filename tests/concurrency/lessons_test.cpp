// Every lesson in assets/lessons runs to the outcome its narration describes
// (and its `expect` line states), at the place the narration names.
#include <gtest/gtest.h>

#include <filesystem>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"

using namespace gomap;
using namespace gomap::race;

namespace {

std::string lessonPath(const char* name) { return std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/" + name; }

struct Ran {
  Scenario sc;
  std::unique_ptr<World> w;
  std::optional<ConsistencyReport> rep;
};

Ran run(const char* name) {
  Ran r;
  ScenarioError err;
  auto sc = loadScenario(lessonPath(name), err);
  EXPECT_TRUE(sc) << err.format();
  if (!sc) return r;
  r.sc = *sc;
  r.w = std::make_unique<World>(r.sc);
  Scheduler s(r.sc.schedule);
  std::string why;
  EXPECT_TRUE(runScheduled(*r.w, s, why)) << why;
  if (r.w->ending().kind == Ending::Kind::AllDone) r.rep = checkConsistency(*r.w);
  return r;
}

void expectMet(const Ran& r) {
  ASSERT_TRUE(r.sc.expect);
  std::string got;
  EXPECT_TRUE(expectationMet(*r.sc.expect, *r.w, r.rep ? &*r.rep : nullptr, got))
      << r.sc.file << ": expected " << expectationText(*r.sc.expect) << ", got " << got;
  for (int l = 0; l < 2; l++) {
    EXPECT_FALSE(r.sc.title[l].empty()) << r.sc.file << " needs a title in " << (l ? "zh" : "en");
    EXPECT_FALSE(r.sc.narration[l].empty()) << r.sc.file << " needs a narration in " << (l ? "zh" : "en");
  }
}

Site deathSite(const Ran& r) {
  EXPECT_TRUE(r.w->ending().hasEvent);
  return r.w->ending().at.site;
}

} // namespace

TEST(Lessons, EveryLessonFileParsesAndMeetsItsExpectation) {
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons")) {
    if (e.path().extension() != ".race") continue;
    n++;
    Ran r = run(e.path().filename().c_str());
    if (r.w) expectMet(r);
  }
  EXPECT_GE(n, 7);
}

TEST(Lessons, One_SecondWriterDiesAtTheEntryCheck) {
  Ran r = run("1-entry-check.race");
  EXPECT_EQ(r.w->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(r.w->ending().g, 2);
  EXPECT_EQ(r.w->ending().message, "concurrent map writes");
  EXPECT_EQ(deathSite(r), Site::AssignEntryCheck); // map.go:595
  // G1 is inside its write with hashWriting set.
  EXPECT_EQ(r.w->map().header().flags & hashWriting, hashWriting);
  std::string out = goDeathOutput(*r.w);
  EXPECT_EQ(out.rfind("fatal error: concurrent map writes\n\ngoroutine 2 [running]:\n", 0), 0u) << out;
  EXPECT_NE(out.find("goroutine 1 [runnable]:"), std::string::npos) << out;
  EXPECT_NE(out.find("runtime/map.go:595"), std::string::npos) << out;
}

TEST(Lessons, Two_XorCancelsAndTheExitCheckCatchesIt) {
  Ran r = run("2-xor-cancels.race");
  EXPECT_EQ(r.w->ending().g, 1);
  EXPECT_EQ(deathSite(r), Site::AssignExitCheck); // map.go:686
  // Both XORs happened: the bit is clear although two writes are in flight.
  EXPECT_EQ(r.w->map().header().flags & hashWriting, 0);
  EXPECT_EQ(r.w->view(2).state, GoroutineView::State::InOp);
}

TEST(Lessons, Three_ReadDuringWrite) {
  Ran r = run("3-read-during-write.race");
  EXPECT_EQ(r.w->ending().message, "concurrent map read and map write");
  EXPECT_EQ(deathSite(r), Site::AccessEntryCheck); // map.go:476
}

TEST(Lessons, Four_IterationDuringWrite) {
  Ran r = run("4-iteration-during-write.race");
  EXPECT_EQ(r.w->ending().message, "concurrent map iteration and map write");
  EXPECT_EQ(deathSite(r), Site::IterNextEntryCheck); // map.go:873
}

TEST(Lessons, Five_MemoryLevelRaceLosesAnInsertSilently) {
  Ran r = run("5-memory-level-corruption.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_FALSE(r.rep->consistent);
  auto kinds = r.rep->kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "lost-insert"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "count"), kinds.end());
  EXPECT_EQ(r.w->map().header().count, 3);
  // The same schedule at statement level is caught (the XOR is one step there).
  Scenario st = r.sc;
  st.granularity = Granularity::Statement;
  World w(st);
  ScheduleSpec rr;
  rr.kind = ScheduleSpec::Kind::RoundRobin;
  Scheduler s(rr);
  std::string why;
  ASSERT_TRUE(runScheduled(w, s, why));
  EXPECT_EQ(w.ending().kind, Ending::Kind::Fatal);
}

TEST(Lessons, Six_EvacuationCopiesACellBeforeItsValueIsStored) {
  Ran r = run("6-write-during-growth.race");
  ASSERT_TRUE(r.rep);
  EXPECT_EQ(r.rep->kindsText(), "wrong-value");
  EXPECT_EQ(r.w->map().header().B, 1); // G2 grew the map
}

TEST(Lessons, Seven_LocksMakeEveryInterleavingClean) {
  for (const char* name : {"7a-mutex.race", "7b-rwmutex.race"}) {
    Ran r = run(name);
    ASSERT_TRUE(r.w);
    ExploreResult e = explore(r.sc);
    EXPECT_TRUE(e.complete) << name;
    EXPECT_GT(e.interleavings, 1u) << name;
    EXPECT_EQ(e.clean, e.interleavings) << name;
  }
}

TEST(Lessons, SameFileGivesTheSameEventsByteForByte) {
  for (const char* name : {"1-entry-check.race", "5-memory-level-corruption.race", "7b-rwmutex.race"}) {
    std::string a, b;
    for (std::string* out : {&a, &b}) {
      Ran r = run(name);
      for (std::size_t i = 0; i < r.w->trace().size(); i++) {
        appendTraceJson(*out, *r.w, i);
        out->push_back('\n');
      }
      *out += outcomeText(*r.w, r.rep ? &*r.rep : nullptr);
    }
    EXPECT_EQ(a, b) << name;
    EXPECT_GT(a.size(), 500u);
  }
}
