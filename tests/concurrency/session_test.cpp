// ConcurrentSession: stepping, stepping back and seeking give exactly the
// states and events of a straight run; manual steps rewrite the future; a
// recorded session saved as a scenario replays byte for byte.
#include <gtest/gtest.h>

#include "concurrency/concurrent_session.hpp"
#include "concurrency/report.hpp"

using namespace gomap;
using namespace gomap::race;

namespace {

std::unique_ptr<ConcurrentSession> open(const char* lesson) {
  ScenarioError err;
  auto s = ConcurrentSession::load(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/" + lesson, err);
  EXPECT_TRUE(s) << err.format();
  return s;
}

// Everything a view shows at the current position (withOutcome: and the
// outcome text, whose tracebacks name source lines).
std::string picture(const ConcurrentSession& s, bool withOutcome = true) {
  std::string p;
  for (std::size_t i = 0; i < s.trace().size(); i++) p += s.traceJson(i) + "\n";
  for (auto& l : s.lanes())
    p += std::to_string(static_cast<int>(l.state)) + " " + std::to_string(l.pc) + " " + std::string(l.function) + " " +
         std::to_string(l.goLine) + " " + std::to_string(l.holdsLoadedFlags) + "\n";
  const Hmap& h = s.world().map().header();
  p += std::to_string(h.count) + " " + std::to_string(h.flags) + " " + std::to_string(s.world().map().digest()) + "\n";
  p += withOutcome ? s.outcome() : outcomeClass(s.world(), s.consistency());
  return p;
}

} // namespace

TEST(ConcurrentSession, SeekingBackAndForthReproducesEveryStep) {
  auto s = open("5-memory-level-corruption.race");
  ASSERT_TRUE(s);
  std::vector<std::string> forward;
  forward.push_back(picture(*s));
  while (s->stepScheduled()) forward.push_back(picture(*s));
  ASSERT_EQ(s->position(), 34u);
  ASSERT_EQ(forward.size(), 35u);
  EXPECT_TRUE(s->atEnd());
  ASSERT_NE(s->consistency(), nullptr);
  EXPECT_FALSE(s->consistency()->consistent);
  // Step back one by one, then seek around.
  for (int64_t i = 33; i >= 0; i--) {
    ASSERT_TRUE(s->stepBack());
    ASSERT_EQ(picture(*s), forward[i]) << "after stepping back to " << i;
  }
  for (uint64_t i : {17u, 3u, 34u, 0u, 12u, 29u, 1u}) {
    s->seek(i);
    ASSERT_EQ(picture(*s), forward[i]) << "after seeking to " << i;
  }
  s->seek(0);
  while (s->stepForward()) {}
  EXPECT_EQ(picture(*s), forward.back());
}

TEST(ConcurrentSession, MemoryLevelLanesShowTheLoadedFlags) {
  auto s = open("5-memory-level-corruption.race");
  ASSERT_TRUE(s);
  s->seek(0);
  for (int i = 0; i < 3; i++) ASSERT_TRUE(s->stepGoroutine(1)); // begin, hash, load flags (0)
  auto lanes = s->lanes();
  EXPECT_TRUE(lanes[0].holdsLoadedFlags);
  EXPECT_EQ(lanes[0].loadedFlags, 0);
  EXPECT_EQ(lanes[0].function, "mapassign");
  EXPECT_EQ(lanes[0].goLine, 601);
  EXPECT_EQ(lanes[1].state, GoroutineView::State::Ready);
  ASSERT_TRUE(s->stepGoroutine(1)); // store: flags = 4
  EXPECT_TRUE(s->hashWriting());
}

TEST(ConcurrentSession, ManualStepsRewriteTheFuture) {
  auto s = open("1-entry-check.race");
  ASSERT_TRUE(s);
  s->runToEnd();
  EXPECT_EQ(s->ending().kind, Ending::Kind::Fatal);
  EXPECT_EQ(s->timeline().size(), 5u);
  s->seek(3);
  EXPECT_FALSE(s->atEnd());
  // Following the timeline keeps it; leaving it drops the rest.
  ASSERT_TRUE(s->stepGoroutine(2));
  EXPECT_EQ(s->timeline().size(), 5u);
  s->seek(3);
  ASSERT_TRUE(s->stepGoroutine(1));
  EXPECT_EQ(s->timeline().size(), 4u);
  while (s->stepGoroutine(1)) {}
  EXPECT_EQ(s->world().view(1).state, GoroutineView::State::Done);
  while (s->stepGoroutine(2)) {}
  EXPECT_EQ(s->ending().kind, Ending::Kind::AllDone);
  ASSERT_NE(s->consistency(), nullptr);
  EXPECT_TRUE(s->consistency()->consistent);
  std::string why;
  EXPECT_FALSE(s->stepGoroutine(1, &why));
  EXPECT_EQ(why, "the program has ended");
}

TEST(ConcurrentSession, BlockedGoroutinesCannotStep) {
  auto s = open("7a-mutex.race");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->stepGoroutine(1)); // lock mu: the CAS takes it
  // G2's lock is a step: the CAS counts it as a waiter and semacquire parks it.
  ASSERT_TRUE(s->stepGoroutine(2));
  EXPECT_EQ(s->world().mutex(0).state, 1 | 1 << 3); // mutexLocked, one waiter
  std::string why;
  EXPECT_FALSE(s->stepGoroutine(2, &why));
  EXPECT_EQ(why, "G2 is blocked on mu");
  EXPECT_EQ(s->lanes()[1].state, GoroutineView::State::Blocked);
  EXPECT_EQ(goroutineStateWord(s->world(), 2), "semacquire");
}

TEST(ConcurrentSession, ARecordedSessionReplaysFromItsScenarioText) {
  auto s = open("2-xor-cancels.race");
  ASSERT_TRUE(s);
  // Record a different run by hand: G2 first, then alternate.
  for (int i = 0; i < 40 && !s->atEnd(); i++) s->stepGoroutine(i % 3 == 0 ? 1 : 2);
  std::string text = s->scenarioText();
  std::string before = picture(*s, false); // the saved file has other line numbers
  ScenarioError err;
  auto r = ConcurrentSession::fromText(text, s->scenario().file, err);
  ASSERT_TRUE(r) << err.format() << "\n" << text;
  r->runToEnd();
  EXPECT_EQ(picture(*r, false), before);
}

TEST(ConcurrentSession, DetectionEntryAndDeathOutput) {
  auto s = open("3-read-during-write.race");
  ASSERT_TRUE(s);
  s->runToEnd();
  auto d = s->detectionEntry();
  ASSERT_TRUE(d);
  EXPECT_EQ(s->trace()[*d].ev.kind, EventKind::Fatal);
  EXPECT_EQ(s->trace()[*d].g, 2);
  EXPECT_EQ(s->describe(*d), "G2: fatal error: concurrent map read and map write");
  EXPECT_EQ(s->deathOutput().rfind("fatal error: concurrent map read and map write\n\ngoroutine 2 [running]:", 0), 0u);
}
