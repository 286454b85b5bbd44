// The Goroutines view (issue 4, "In the GUI"): lesson 1 stepped lane by lane
// through the controller, as a user clicking "Step this goroutine" would, then
// drawn offscreen with the outcome on screen.
#include <gtest/gtest.h>

#include <string>

#include "ui/goroutines_view.hpp"
#include "ui/gui_runtime.hpp"

using namespace gomap;
using namespace gomap::ui;

namespace {
const std::string kLesson1 = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/1-entry-check.race";
}

TEST(GoroutinesView, Lesson1LaneByLaneDiesAtTheEntryCheck) {
  RaceController rc;
  ASSERT_TRUE(rc.open(kLesson1)) << rc.error();
  auto& s = rc.session();
  ASSERT_EQ(s.lanes().size(), 2u);
  EXPECT_FALSE(s.hashWriting());
  // The lesson's schedule: 1x3 2x2.
  for (int i = 0; i < 3; i++) ASSERT_TRUE(rc.stepGoroutine(1)) << rc.error();
  auto lanes = s.lanes();
  EXPECT_TRUE(s.hashWriting()) << "G1's third step sets hashWriting (map.go:601)";
  ASSERT_TRUE(lanes[0].hasEvent);
  EXPECT_EQ(lanes[0].function, "mapassign");
  EXPECT_EQ(lanes[0].goLine, 601);
  ASSERT_NE(lanes[0].instr, nullptr);
  EXPECT_EQ(lanes[0].instr->text, "put 1 10");
  EXPECT_EQ(s.ending().kind, race::Ending::Kind::Running);
  for (int i = 0; i < 2; i++) ASSERT_TRUE(rc.stepGoroutine(2)) << rc.error();
  EXPECT_EQ(s.timeline(), (std::vector<uint8_t>{1, 1, 1, 2, 2}));
  EXPECT_EQ(s.ending().kind, race::Ending::Kind::Fatal);
  EXPECT_EQ(s.ending().g, 2);
  EXPECT_EQ(s.deathOutput().rfind("fatal error: concurrent map writes\n", 0), 0u) << s.deathOutput();
  EXPECT_NE(s.deathOutput().find("map.go:595"), std::string::npos);
  EXPECT_FALSE(rc.stepGoroutine(1)) << "the program is dead";
  // Step back: alive again, G2 not yet at the entry check.
  ASSERT_TRUE(rc.stepBack());
  EXPECT_EQ(s.position(), 4u);
  EXPECT_EQ(s.ending().kind, race::Ending::Kind::Running);
  EXPECT_TRUE(s.hashWriting());
  rc.restart();
  EXPECT_EQ(s.position(), 0u);
  EXPECT_FALSE(s.hashWriting());
}

TEST(GoroutinesView, DrawsTheWindowOffscreen) {
  GuiRuntime rt;
  RuntimeOptions o;
  o.offscreen = true;
  o.vsync = false;
  std::string why;
  bool noDisplay = false;
  ASSERT_TRUE(rt.init(o, why, noDisplay)) << why;
  rt.workspace().forceLayout = true;
  ASSERT_TRUE(rt.race.open(kLesson1)) << rt.race.error();
  rt.race.runToEnd();
  for (int i = 0; i < 3; i++) rt.frame(0);
  EXPECT_EQ(rt.goroutines.lanesDrawn, 2);
  EXPECT_TRUE(rt.goroutines.fatalShown);
  EXPECT_GT(rt.goroutines.lastSize.x, 800);
  EXPECT_GT(rt.goroutines.lastSize.y, 500);
  EXPECT_EQ(rt.race.session().ending().kind, race::Ending::Kind::Fatal);
}

TEST(GoroutinesView, ASavedSessionReplaysToTheSameOutcome) {
  // "The GUI records a session into one and replays it": step lane by lane,
  // save, reopen the saved file and let its recorded schedule run.
  RaceController rc;
  ASSERT_TRUE(rc.open(kLesson1)) << rc.error();
  for (int i = 0; i < 3; i++) ASSERT_TRUE(rc.stepGoroutine(1)) << rc.error();
  for (int i = 0; i < 2; i++) ASSERT_TRUE(rc.stepGoroutine(2)) << rc.error();
  // The traceback names the scenario file and its lines, which differ in the
  // saved copy; the death itself must be the same.
  auto summary = [](const std::string& out) { return out.substr(out.find("\n-- ")); };
  const std::string expected = summary(rc.session().outcome());
  const std::string saved = ::testing::TempDir() + "gomaplab-saved-session.race";
  ASSERT_TRUE(rc.saveSession(saved)) << rc.error();
  EXPECT_EQ(rc.savedTo(), saved);
  RaceController replay;
  ASSERT_TRUE(replay.open(saved)) << replay.error();
  replay.runToEnd();
  EXPECT_EQ(replay.session().timeline(), (std::vector<uint8_t>{1, 1, 1, 2, 2}));
  EXPECT_EQ(replay.session().ending().kind, race::Ending::Kind::Fatal);
  EXPECT_EQ(replay.session().ending().g, 2);
  EXPECT_EQ(summary(replay.session().outcome()), expected);
  EXPECT_FALSE(rc.saveSession("/nonexistent-dir/x.race"));
  EXPECT_NE(rc.error().find("cannot write the session"), std::string::npos) << rc.error();
}
