// Every lesson in assets/lessons runs to the outcome its narration describes
// (and its `expect` line states), at the place the narration names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "test_util.hpp"
#include "trace/script_runner.hpp"

using namespace gomap;
using namespace gomap::race;

namespace {

std::string lessonPath(const char* name) { return std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/" + name; }

using gomap::race::test::Ran;

Ran run(const char* name) {
  ScenarioError err;
  auto sc = loadScenario(lessonPath(name), err);
  EXPECT_TRUE(sc) << err.format();
  if (!sc) return Ran{};
  return gomap::race::test::runToEnd(*sc);
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
    const std::string file = e.path().filename().string();
    if (e.path().extension() == ".ops" && file[0] == 'm') { // sync.Map op-script lessons (issue 12): every expect holds
      n++;
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      ScriptParser parser(e.path().string());
      std::optional<ScriptError> err;
      const std::vector<ScriptOp> ops = parser.parseAll(text.str(), err);
      ASSERT_FALSE(err) << err->format();
      const Lesson& lesson = parser.lesson();
      const LessonCheck c = checkLesson(ops, lesson);
      EXPECT_GE(c.checked, 10u) << file;
      EXPECT_EQ(c.failed, 0u) << file;
      for (const auto& op : c.byOp)
        for (const ExpectOutcome& o : op) EXPECT_TRUE(o.holds) << file << ":" << o.line->line << ": " << o.line->text << ": got " << o.got;
      for (int l = 0; l < 2; l++) EXPECT_FALSE(lesson.title[l].empty()) << file << " needs a title in " << (l ? "zh" : "en");
      continue;
    }
    if (e.path().extension() != ".race") continue;
    n++;
    Ran r = run(e.path().filename().c_str());
    if (r.w) expectMet(r);
  }
  EXPECT_GE(n, 12);
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

TEST(Lessons, Eight_TwoInsertsShareACellStoreByStore) {
  Ran r = run("8-key-overwritten-cell-by-cell.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  // Only the lost key betrays the race: the interleaved count++ lost an
  // increment too, so count agrees with the live cells.
  EXPECT_EQ(r.rep->kindsText(), "lost-insert");
  EXPECT_EQ(r.w->map().header().count, 2);
  // G2 chose slot 1 after G1 had stored its key there but not its tophash.
  int g1Key = -1, g2Scan = -1, g1Top = -1;
  const auto& t = r.w->trace();
  for (std::size_t i = 0; i < t.size(); i++) {
    const Event& e = t[i].ev;
    if (t[i].g == 1 && e.site == Site::AssignKeyStore) g1Key = static_cast<int>(i);
    if (t[i].g == 1 && e.site == Site::AssignStore) g1Top = static_cast<int>(i);
    if (t[i].g == 2 && e.site == Site::AssignTophash && e.loc().slot == 1) {
      g2Scan = static_cast<int>(i);
      EXPECT_EQ(e.c & 0xff, emptyRest); // the old tophash
    }
  }
  EXPECT_LT(g1Key, g2Scan);
  EXPECT_LT(g2Scan, g1Top);
  EXPECT_EQ(r.w->map().header().flags & hashWriting, 0);
}

TEST(Lessons, Nine_TwoOverflowLinksLoseABucketAndItsKey) {
  Ran r = run("9-lost-overflow-bucket.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  auto kinds = r.rep->kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "lost-insert"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "count"), kinds.end());
  EXPECT_EQ(r.w->map().header().count, 10);
  EXPECT_EQ(r.w->map().header().noverflow, 2);
  // Both goroutines linked a bmap after bucket 0, G2 last.
  std::vector<int> linkers;
  for (const TraceEntry& t : r.w->trace())
    if (t.ev.site == Site::NewOverflowLink) linkers.push_back(t.g);
  EXPECT_EQ(linkers, (std::vector<int>{1, 2}));
  // Key 16 had been stored in G1's overflow bucket before G2's link replaced it.
  bool storedBeforeLink = false;
  for (const TraceEntry& t : r.w->trace()) {
    if (t.ev.site == Site::NewOverflowLink && t.g == 2) break;
    if (t.ev.site == Site::AssignStore && t.g == 1) storedBeforeLink = true;
  }
  EXPECT_TRUE(storedBeforeLink);
}

TEST(Lessons, Ten_IterationMissesAKeyOnlyAtMemoryLevel) {
  Ran r = run("10-iteration-misses-a-key.race");
  ASSERT_EQ(r.w->ending().kind, Ending::Kind::AllDone);
  ASSERT_TRUE(r.rep);
  EXPECT_EQ(r.rep->kindsText(), "iter-missing");
  EXPECT_EQ(r.w->map().header().B, 1); // G2 grew the map
  // The iterator skipped key 5's cell as deleted while G2 was between the
  // evacuatedY mark and the copy.
  bool skipped = false;
  for (const TraceEntry& t : r.w->trace())
    if (t.g == 1 && t.ev.kind == EventKind::IterSkipped && t.ev.c == static_cast<uint64_t>(IterSkip::Deleted))
      skipped = t.ev.loc().slot == 5;
  EXPECT_TRUE(skipped);
  // Every interleaving, both granularities: the miss exists at memory level
  // only (at statement level a cell's mark and copy are one step).
  auto missing = [](const ExploreResult& e) {
    uint64_t n = 0;
    for (const auto& g : e.groups)
      if (g.cls.find("iter-missing") != std::string::npos) n += g.count;
    return n;
  };
  ExploreResult mem = explore(r.sc);
  EXPECT_TRUE(mem.complete);
  EXPECT_GT(missing(mem), 0u);
  Scenario st = r.sc;
  st.granularity = Granularity::Statement;
  ExploreResult stmt = explore(st);
  EXPECT_TRUE(stmt.complete);
  EXPECT_EQ(missing(stmt), 0u);
  EXPECT_GT(stmt.interleavings, 1u);
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
