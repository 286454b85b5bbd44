// The Goroutines view (issue 4, "In the GUI"): lesson 1 stepped lane by lane
// through the controller, as a user clicking "Step this goroutine" would, then
// drawn offscreen with the outcome on screen.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ui/go_source.hpp"
#include "ui/goroutines_view.hpp"
#include "ui/gui_runtime.hpp"
#include "offscreen_gui.hpp"

#include <GLFW/glfw3.h>

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
  rc.stepBack();
  EXPECT_EQ(s.position(), 4u);
  EXPECT_EQ(s.ending().kind, race::Ending::Kind::Running);
  EXPECT_TRUE(s.hashWriting());
  rc.restart();
  EXPECT_EQ(s.position(), 0u);
  EXPECT_FALSE(s.hashWriting());
}

namespace {
struct RaceGui : test::OffscreenGui {
  // Scrolls the Goroutines panel with the wheel until the lanes' buttons are
  // inside it (a narrow column), then clicks lane's "Step this goroutine".
  // Returns whether the click took one step.
  ::testing::AssertionResult stepLane(int lane) {
    GoroutinesView& v = rt.workspace().goroutines;
    for (int i = 0; i < 40 && !v.laneButtons.empty() && v.laneButtons[0].w > v.lastPos.y + v.lastSize.y - 10; i++) {
      rt.injectMouse = ImVec2(v.lastPos.x + v.lastSize.x / 2, v.lastPos.y + v.lastSize.y / 2);
      rt.injectWheel = -1;
      frames(1);
      rt.injectWheel = 0;
      frames(1);
    }
    rt.injectMouse.reset();
    if (v.laneButtons.size() < static_cast<std::size_t>(lane)) return ::testing::AssertionFailure() << "no lane " << lane;
    const ImVec4 r = v.laneButtons[static_cast<std::size_t>(lane - 1)];
    if (r.w >= v.lastPos.y + v.lastSize.y) return ::testing::AssertionFailure() << "the button is below the panel";
    const uint64_t before = rt.race.session().position();
    click(ImVec2((r.x + r.z) / 2, (r.y + r.w) / 2));
    frames(1);
    if (rt.race.session().position() != before + 1)
      return ::testing::AssertionFailure() << "the click on G" << lane << "'s button took no step: " << rt.race.error();
    return ::testing::AssertionSuccess();
  }
};
const std::string kLesson5 = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/5-memory-level-corruption.race";
} // namespace

// The race fills the workspace: the Goroutines panel is one tiled panel, and
// the buckets, header and code views draw the race's shared map.
TEST(RaceWorkspace, TheRaceMapFillsTheWorkspace) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(kLesson1)) << g.rt.race.error();
  g.rt.race.runToEnd();
  g.frames(3);
  Workspace& ws = g.rt.workspace();
  ASSERT_TRUE(ws.raceMode());
  EXPECT_EQ(ws.goroutines.lanesDrawn, 2);
  EXPECT_TRUE(ws.goroutines.fatalShown);
  // A tiled panel, not an overlay over the map: it stays in the left column.
  EXPECT_LT(ws.goroutines.lastSize.x, 1600 * 0.35f);
  EXPECT_EQ(&ws.frame().map->header(), &g.rt.race.session().world().map().header());
  // The buckets view draws bucket 0 of the race's map (lesson 1 puts 100 in it).
  EXPECT_TRUE(ws.buckets.cellRect(Loc{false, 0, 0, 0}).has_value());
  EXPECT_EQ(g.rt.race.session().ending().kind, race::Ending::Kind::Fatal);
  // The event log shows the flags loads and stores in a race (off by default
  // for op scripts), and gives the op-script session its own choice back.
  const int flags = static_cast<int>(EventCategory::Flags);
  EXPECT_TRUE(ws.events.show[flags]);
  g.rt.race.active = false;
  g.frames(2);
  EXPECT_FALSE(ws.raceMode());
  EXPECT_FALSE(ws.events.show[flags]);
}

// Lesson 5 (memory level): at the step where both goroutines have stored
// their keys, both are outlined on the same cell, bucket 0 slot 1, and each
// one's code line is marked in the code panel.
TEST(RaceWorkspace, Lesson5ShowsBothGoroutinesOnTheCellTheyShare) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(kLesson5)) << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  // Run until the second key store into slot 1 (the narration: "G2's key overwrites G1's").
  int writes = 0;
  uint64_t step = 0;
  while (!s.atEnd() && writes < 2 && step < 1000) {
    const std::size_t before = s.trace().size();
    ASSERT_TRUE(s.stepScheduled());
    step++;
    for (std::size_t i = before; i < s.trace().size(); i++)
      if (s.trace()[i].source == race::TraceEntry::Source::Engine && s.trace()[i].ev.kind == EventKind::CellWritten)
        writes++;
  }
  ASSERT_EQ(writes, 2) << "both goroutines write a cell";
  g.frames(3);
  Workspace& ws = g.rt.workspace();
  const auto& marks = ws.buckets.lastGoroutineMarks();
  ASSERT_EQ(marks.size(), 2u);
  for (const auto& m : marks) {
    EXPECT_FALSE(m.bmap);
    EXPECT_EQ(m.loc.bucket, 0u);
    EXPECT_EQ(m.loc.slot, 1) << "G" << m.g << " wrote slot 1";
  }
  EXPECT_NE(marks[0].g, marks[1].g);
  // The code panel marks the lines of both goroutines in mapassign.
  EXPECT_EQ(ws.code.shownFunction(), "mapassign");
  EXPECT_EQ(ws.code.goroutineLines().size(), 2u);
}

// Keys act on the race through ImGui's input path; a click on a step of the
// schedule strip goes there; the event log names the goroutine of each event.
TEST(RaceWorkspace, KeysAndTheScheduleStripSeekTheRace) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(kLesson5)) << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  g.frames(2);
  g.press(GLFW_KEY_RIGHT);
  EXPECT_EQ(s.position(), 1u);
  g.press(GLFW_KEY_RIGHT);
  g.press(GLFW_KEY_RIGHT);
  EXPECT_EQ(s.position(), 3u);
  g.press(GLFW_KEY_LEFT);
  EXPECT_EQ(s.position(), 2u);
  g.press(GLFW_KEY_END);
  EXPECT_TRUE(s.atEnd());
  const uint64_t total = s.timeline().size();
  ASSERT_GT(total, 10u);
  g.press(GLFW_KEY_HOME);
  EXPECT_EQ(s.position(), 0u);
  g.press(GLFW_KEY_END);
  EXPECT_EQ(s.position(), total) << "End goes back to the end of the recorded timeline";
  // Shift+Left: back to before the current op.
  g.press(GLFW_KEY_LEFT, true);
  EXPECT_LT(s.position(), total);
  // Click step 5 of the strip (scrolled into the panel with the wheel: the
  // Lesson section above it is open).
  g.frames(1);
  const GoroutinesView& v = g.rt.workspace().goroutines;
  const auto& rects = v.stepRects;
  ASSERT_GE(rects.size(), 5u);
  for (int i = 0; i < 40 && rects[4].second.w > v.lastPos.y + v.lastSize.y - 4; i++) {
    g.rt.injectMouse = ImVec2(v.lastPos.x + v.lastSize.x / 2, v.lastPos.y + v.lastSize.y / 2);
    g.rt.injectWheel = -1;
    g.frames(1);
    g.rt.injectWheel = 0;
    g.frames(1);
  }
  g.rt.injectMouse.reset();
  const ImVec4 r = rects[4].second;
  g.click(ImVec2((r.x + r.z) / 2, (r.y + r.w) / 2));
  EXPECT_EQ(s.position(), 5u);
  // Every event in the frame's stream carries its goroutine.
  const Frame& f = g.rt.workspace().frame();
  ASSERT_GT(f.events->eventCount(), 0u);
  for (uint64_t i = 0; i < f.events->eventCount(); i++) {
    const int gr = f.events->goroutineOfEvent(i);
    EXPECT_TRUE(gr == 1 || gr == 2);
  }
  // Space plays the race; Space again pauses.
  g.press(GLFW_KEY_SPACE);
  EXPECT_TRUE(g.rt.race.playing());
  g.press(GLFW_KEY_SPACE);
  EXPECT_FALSE(g.rt.race.playing());
}

// Fast taps: GLFW may deliver several presses (and their releases) between two
// frames; ImGui 1.86 sees none of them, so the workspace queues each one from the
// key callback with its own Shift. Five taps in one frame are five steps.
TEST(RaceWorkspace, KeyTapsBetweenTwoFramesAreAllActedOn) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(kLesson5)) << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  g.frames(2);
  Workspace& ws = g.rt.workspace();
  for (int i = 0; i < 5; i++) ws.keyTap(GLFW_KEY_RIGHT, false);
  g.frames(1);
  EXPECT_EQ(s.position(), 5u);
  ws.keyTap(GLFW_KEY_LEFT, false);
  ws.keyTap(GLFW_KEY_LEFT, false);
  g.frames(1);
  EXPECT_EQ(s.position(), 3u);
  // Shift travels with the tap: Shift+Left goes back to the start of G2's op (step 3),
  // Shift+Left again to the start of G1's (step 0); plain Left would give 2 and 1.
  ws.keyTap(GLFW_KEY_RIGHT, false);
  ws.keyTap(GLFW_KEY_LEFT, true);
  g.frames(1);
  EXPECT_EQ(s.position(), 3u);
  ws.keyTap(GLFW_KEY_LEFT, true);
  g.frames(1);
  EXPECT_EQ(s.position(), 0u);
  // Other keys are not queued (typing elsewhere does not step the race).
  ws.keyTap(GLFW_KEY_A, false);
  g.frames(1);
  EXPECT_EQ(s.position(), 0u);
}

// The frame's stream is the whole recorded timeline, not just the events up to
// the cursor: after End and Home the timeline and plots span all 34 events of
// lesson 5 (gomaplab race FILE --events: steps 0..33, one event each), and a seek
// to an event past the cursor goes forward. A step that replaces the recorded
// future shortens the stream to the new timeline.
TEST(RaceWorkspace, TheFrameSpansTheWholeRecordedTimeline) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(kLesson5)) << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  RaceController& rc = g.rt.race;
  Workspace& ws = g.rt.workspace();
  rc.toEnd();
  rc.toStart();
  g.frames(2);
  EXPECT_EQ(s.position(), 0u);
  EXPECT_EQ(ws.frame().position, -1);
  ASSERT_EQ(ws.frame().events->eventCount(), 34u);
  EXPECT_EQ(ws.frame().events->goroutineOfEvent(33), 2);
  EXPECT_EQ(rc.opText(ws.frame().events->opOfEvent(33)), "put 2 20") << "ops past the cursor are named";
  // Forward to event 21 (G1's count store, step 21).
  rc.seek(21);
  g.frames(1);
  EXPECT_EQ(s.position(), 22u);
  EXPECT_EQ(ws.frame().position, 21);
  EXPECT_EQ(ws.frame().events->eventCount(), 34u);
  EXPECT_EQ(ws.frame().current->kind, EventKind::CountChanged);
  // Back to step 5 and let G1 take the next step instead of G2: the future is replaced.
  rc.seekStep(5);
  ASSERT_EQ(s.timeline()[5], 2);
  ASSERT_TRUE(rc.stepGoroutine(1));
  g.frames(1);
  EXPECT_EQ(s.timeline().size(), 6u);
  EXPECT_EQ(ws.frame().events->eventCount(), 6u);
  EXPECT_EQ(ws.frame().position, 5);
  EXPECT_EQ(ws.frame().events->goroutineOfEvent(5), 1);
}

// A goroutine's cell mark follows its array through a grow another goroutine
// started. Lesson 10: G1's iterator chose bucket 0 before G2's grow (step 3),
// so at step 51 the cell it skips as deleted is in oldbuckets: old bucket 0
// slot 5, the cell G2 has just marked evacuatedY (map.go:1221), not new bucket 0
// slot 5 as the event's Loc, computed before the grow, says.
TEST(RaceWorkspace, Lesson10MarksTheSkippedCellInTheOldArray) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/10-iteration-misses-a-key.race"))
      << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  for (int i = 0; i < 52; i++) ASSERT_TRUE(s.stepScheduled());
  g.frames(2);
  const Frame& f = g.rt.workspace().frame();
  ASSERT_NE(f.current, nullptr);
  ASSERT_EQ(f.current->kind, EventKind::IterSkipped);
  EXPECT_FALSE(cellOf(*f.current)->old) << "the Loc as emitted (if this changes, the engine labels it itself)";
  const GoroutineMark* g1 = f.goroutine(1);
  ASSERT_NE(g1, nullptr);
  ASSERT_TRUE(g1->hasCell);
  EXPECT_TRUE(g1->cell.old);
  EXPECT_EQ(g1->cell.bucket, 0u);
  EXPECT_EQ(g1->cell.slot, 5);
  std::vector<BmapView> chain;
  s.world().map().chain(true, 0, chain);
  EXPECT_EQ(chain.at(0).tophash[5], 3) << "evacuatedY";
  ASSERT_TRUE(f.currentMoved.has_value());
  EXPECT_TRUE(f.currentMoved->old);
  const auto& marks = g.rt.workspace().buckets.lastMarks();
  ASSERT_FALSE(marks.empty());
  EXPECT_TRUE(marks[0].loc.old);
  EXPECT_EQ(marks[0].loc.slot, 5);
}

// Lesson 6: G1 chose new bucket 0 before G2's grow committed; while G2 evacuates, G1's
// written cell (slot 7) is in oldbuckets; once the grow has finished that array
// is freed and G1's late store of 70 went into memory drawn nowhere: no mark.
TEST(RaceWorkspace, Lesson6DropsTheMarkOfAFreedArray) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/6-write-during-growth.race"))
      << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  // Step 45 is hashGrow's commit (map.go:1059: oldbuckets = buckets), step 47
  // evacuate's begin (gomaplab race FILE --events).
  for (int i = 0; i < 48; i++) ASSERT_TRUE(s.stepScheduled());
  ASSERT_TRUE(s.world().map().growing());
  g.frames(2);
  const GoroutineMark* g1 = g.rt.workspace().frame().goroutine(1);
  ASSERT_NE(g1, nullptr);
  ASSERT_TRUE(g1->hasCell);
  EXPECT_TRUE(g1->cell.old);
  EXPECT_EQ(g1->cell.slot, 7);
  g.rt.race.runToEnd();
  g.frames(2);
  g1 = g.rt.workspace().frame().goroutine(1);
  ASSERT_NE(g1, nullptr);
  EXPECT_FALSE(g1->hasCell) << "its elem store went into the freed old array";
  for (const auto& m : g.rt.workspace().buckets.lastGoroutineMarks()) EXPECT_NE(m.g, 1);
}

// Lesson 9: G1 links its overflow bucket at step 44 and stores key 16 in it;
// G2, which read the overflow pointer as nil before that, links its own at step
// 50 (gomaplab race FILE --events). Before G2's link G1 is outlined on key 16 and
// G2's unlinked bucket nowhere; after it G1's bucket is reachable from nowhere:
// no mark for G1 (its chain position now holds G2's bucket), and a note says so.
TEST(RaceWorkspace, Lesson9SaysWhichOverflowBucketWasCutOff) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/9-lost-overflow-bucket.race"))
      << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  Workspace& ws = g.rt.workspace();
  for (int i = 0; i < 50; i++) ASSERT_TRUE(s.stepScheduled());
  g.frames(2);
  const GoroutineMark* g1 = ws.frame().goroutine(1);
  const GoroutineMark* g2 = ws.frame().goroutine(2);
  ASSERT_TRUE(g1 && g2);
  ASSERT_TRUE(g1->hasCell);
  EXPECT_EQ(g1->cell.chain, 1);
  EXPECT_EQ(g1->cell.slot, 0);
  EXPECT_FALSE(g2->hasCell) << "G2's new bucket is not linked yet";
  EXPECT_EQ(g1->lostBy, 0);
  EXPECT_EQ(ws.buckets.lostShown, 0);
  ASSERT_TRUE(s.stepScheduled()); // step 50: G2's link
  g.frames(2);
  g1 = ws.frame().goroutine(1);
  ASSERT_NE(g1, nullptr);
  EXPECT_FALSE(g1->hasCell);
  EXPECT_EQ(g1->lostBy, 2);
  EXPECT_EQ(g1->lostEvent, 50);
  EXPECT_EQ(ws.buckets.lostShown, 1);
  g.rt.race.runToEnd();
  g.frames(2);
  g1 = ws.frame().goroutine(1);
  g2 = ws.frame().goroutine(2);
  ASSERT_TRUE(g1 && g2);
  EXPECT_EQ(g1->lostBy, 2) << "still cut off after G1's late elem store into it";
  EXPECT_EQ(g2->lostBy, 0);
  EXPECT_TRUE(g2->hasCell);
  EXPECT_EQ(ws.buckets.lostShown, 1);
}

// Lesson 8 (memory level): G1 stores key 1 into slot 1 before its tophash
// (map.go:680 before 681), then G2, still seeing slot 1 empty, stores key 2 over
// it. The bucket view shows the key memory of that not-yet-published cell.
TEST(RaceWorkspace, Lesson8ShowsTheKeyStoredAheadOfItsTophash) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/8-key-overwritten-cell-by-cell.race"))
      << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  Workspace& ws = g.rt.workspace();
  auto slot1 = [&] {
    std::vector<BmapView> chain;
    s.world().map().chain(false, 0, chain);
    return chain.at(0);
  };
  // Steps 0..13: G1's key_stored is step 13 (gomaplab race FILE --events).
  for (int i = 0; i < 14; i++) ASSERT_TRUE(s.stepScheduled());
  g.frames(2);
  EXPECT_EQ(slot1().tophash[1], 0) << "emptyRest: no tophash yet";
  EXPECT_EQ(ws.buckets.unpublishedDrawn, 1);
  // Steps 14..19: G2 searches, finds slot 1 empty, stores key 2 (step 19).
  for (int i = 0; i < 6; i++) ASSERT_TRUE(s.stepScheduled());
  g.frames(2);
  EXPECT_EQ(slot1().tophash[1], 0);
  EXPECT_EQ(ws.buckets.unpublishedDrawn, 1);
  // Step 20: G1 stores tophash 5: the cell is live (key 2) and drawn as such.
  ASSERT_TRUE(s.stepScheduled());
  g.frames(2);
  EXPECT_EQ(slot1().tophash[1], 5);
  EXPECT_EQ(ws.buckets.unpublishedDrawn, 0);
}

// With "real runtime/map.go" on, each goroutine's line is marked on map.go's own
// line numbers (lesson 5 after 5 steps: G1 at 601, G2 at 597).
TEST(RaceWorkspace, RealSourceMarksEachGoroutinesLine) {
  if (!goSource().loaded) GTEST_SKIP() << "no Go 1.19 source: " << goSource().why;
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(kLesson5)) << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  g.rt.prefs().realSource = true;
  for (int i = 0; i < 5; i++) ASSERT_TRUE(s.stepScheduled());
  g.frames(3);
  auto lines = g.rt.workspace().code.goroutineLines();
  std::sort(lines.begin(), lines.end());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], (std::pair<int, int>{1, 600}));
  EXPECT_EQ(lines[1], (std::pair<int, int>{2, 596}));
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

// A race on the Swiss map (lesson 11) in the race workspace: the Goroutines
// panel beside the Swiss views, driven by clicks on the lanes' buttons through
// ImGui's input. Each goroutine is outlined in its colour on the slot (or the
// group) it last touched; m.writing is what the Goroutines panel shows; the
// run ends in the exit check's fatal error, and the arrow keys step back.
TEST(RaceWorkspace, ASwissRaceIsDrawnOnTheSwissViewsLaneByLane) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  const std::string path = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/11-swiss-writers-xor.race";
  ASSERT_TRUE(g.rt.race.open(path)) << g.rt.race.error();
  g.frames(3);
  Workspace& ws = g.rt.workspace();
  ASSERT_TRUE(ws.raceMode());
  GoroutinesView& v = ws.goroutines;
  SwissGroupsView& groups = ws.swiss.groups;
  race::ConcurrentSession& s = g.rt.race.session();
  // The small group with the setup's key 100 in slot 0.
  ASSERT_EQ(groups.cells.size(), 8u);
  EXPECT_EQ(groups.cells[0].key, "100");
  EXPECT_EQ(groups.cells[0].elem, "1000");
  EXPECT_EQ(groups.cells[1].ctrl, "E");
  EXPECT_TRUE(groups.outlines.empty());
  auto stepLane = [&](int lane) { ASSERT_TRUE(g.stepLane(lane)); };
  auto outlineOf = [&](int gr) -> const SwissGroupsView::GoroutineOutline* {
    for (const auto& o : groups.outlines)
      if (o.g == gr) return &o;
    return nullptr;
  };
  // G1: begin, hash; G2: begin, hash, m.writing 0 -> 1 (lesson 11's schedule, clicked).
  stepLane(1);
  stepLane(1);
  stepLane(2);
  stepLane(2);
  stepLane(2);
  EXPECT_EQ(s.world().swissMap().header().writing, 1);
  EXPECT_NE(groups.caption.find("G2"), std::string::npos) << groups.caption;
  // G1 now flips it back (the XOR cancels), probes the group and chooses a slot.
  stepLane(1);
  EXPECT_EQ(s.world().swissMap().header().writing, 0);
  while (!outlineOf(1) || outlineOf(1)->slot < 0) {
    ASSERT_LT(s.position(), 40u) << "G1 never chose a slot";
    stepLane(1);
  }
  const auto* o1 = outlineOf(1);
  EXPECT_EQ(o1->table, -1); // the small group
  EXPECT_EQ(o1->slot, 1);   // slot 0 holds 100
  // The outline is around that slot's cell.
  const auto& c1 = groups.cells[1];
  EXPECT_LE(o1->min.x, c1.min.x);
  EXPECT_GE(o1->max.x, c1.max.x);
  EXPECT_LE(o1->min.y, c1.min.y);
  // G2 probes the same group: outlined around the whole group, G1's outline
  // stays, inside G2's with room between them (not drawn over by it).
  stepLane(2);
  ASSERT_NE(outlineOf(2), nullptr);
  EXPECT_EQ(outlineOf(2)->table, -1);
  EXPECT_EQ(outlineOf(2)->slot, -1);
  ASSERT_NE(outlineOf(1), nullptr);
  EXPECT_LT(outlineOf(2)->min.x, outlineOf(1)->min.x - 2);
  EXPECT_LT(outlineOf(2)->min.y, outlineOf(1)->min.y - 2);
  EXPECT_GT(outlineOf(2)->max.y, outlineOf(1)->max.y + 2);
  // On to the end: G1's exit check dies, as lesson 11 expects.
  while (!s.atEnd()) {
    ASSERT_LT(s.position(), 60u);
    stepLane(1);
  }
  g.frames(2);
  EXPECT_TRUE(v.fatalShown);
  EXPECT_EQ(s.deathOutput().rfind("fatal error: concurrent map writes\n", 0), 0u) << s.deathOutput();
  EXPECT_NE(groups.caption.find("G1"), std::string::npos) << groups.caption;
  // The left arrow key steps back through ImGui's input: the fatal is undone.
  const uint64_t end = s.position();
  g.press(GLFW_KEY_LEFT);
  g.frames(1);
  EXPECT_EQ(s.position(), end - 1);
  EXPECT_FALSE(v.fatalShown);
  // Chinese (as the View menu sets it): the caption is in Chinese.
  g.language("zh");
  EXPECT_NE(groups.caption.find("操作"), std::string::npos) << groups.caption;
  g.language("en");
}

// The Swiss race layout tiles without overlaps, the desk's and the
// projector's, and the Swiss timeline (shorter than the classic one) is at the
// bottom with the other panels reaching down to it.
TEST(RaceWorkspace, TheSwissRaceLayoutTilesWithoutOverlaps) {
  struct Case {
    float w, h, fs;
    std::vector<Panel> shown;
  };
  const std::vector<Case> cases = {
      {1600, 870, 16,
       {PanelGoroutines, PanelSwissHeader, PanelSwissGroups, PanelSwissHash, PanelSwissCode, PanelSwissEvents,
        PanelSwissTimeline}},
      {1280, 690, 28, {PanelGoroutines, PanelSwissHeader, PanelSwissGroups, PanelSwissTimeline}},
  };
  for (const Case& c : cases) {
    const float menuH = c.fs + 6;
    std::vector<PanelRect> rs;
    for (Panel p : c.shown) rs.push_back(Workspace::swissRaceLayoutOf(p, c.w, c.h, menuH, c.fs));
    float area = 0;
    for (std::size_t i = 0; i < rs.size(); i++) {
      const PanelRect& a = rs[i];
      EXPECT_GE(a.x, 0);
      EXPECT_GE(a.y, menuH - 0.5f);
      EXPECT_LE(a.x + a.w, c.w + 0.5f);
      EXPECT_LE(a.y + a.h, c.h + 0.5f);
      area += a.w * a.h;
      for (std::size_t j = i + 1; j < rs.size(); j++) {
        const PanelRect& b = rs[j];
        const float ow = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
        const float oh = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
        EXPECT_FALSE(ow > 1 && oh > 1) << c.w << "x" << c.h << ": panels " << i << " and " << j << " overlap";
      }
    }
    // Tiled: the shown panels cover the screen below the menu bar.
    EXPECT_NEAR(area, c.w * (c.h - menuH), c.w * c.h * 0.01f) << c.w << "x" << c.h;
    const PanelRect t = Workspace::swissRaceLayoutOf(PanelSwissTimeline, c.w, c.h, menuH, c.fs);
    EXPECT_NEAR(t.y + t.h, c.h, 0.5f);
    const PanelRect gr = Workspace::swissRaceLayoutOf(PanelSwissGroups, c.w, c.h, menuH, c.fs);
    EXPECT_NEAR(gr.y + gr.h, t.y, 0.5f);
  }
}

// Lesson 12: G1 chooses its slot, G2's insert grows the 16-slot table into a
// 32-slot one, then G1 stores its elem. Before the store G1 is outlined in the
// table it chose; once G2's grow has replaced that table, G1 is said to be in
// memory the map no longer has (not outlined on the new table, whose slot of
// the same number is another slot), and the new table holds key 13 with elem 0.
// Lesson 13b (Go 1.27's small map): G2's insert converts the small map into
// a table while G1 is inside the small group. G1 is left in memory the map no
// longer has from the step that installs the table (growToTable's
// m.dirPtr = &directory[0]), not from the step that starts the conversion:
// until then the small group is still the map's, as the picture shows.
TEST(RaceWorkspace, ASwissGoroutineInTheSmallGroupIsReplacedWhenTheTableIsInstalled) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/13b-swiss-small-map-go127.race"))
      << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  SwissGroupsView& groups = g.rt.workspace().swiss.groups;
  g.rt.race.runToEnd();
  const uint64_t n = s.position();
  bool hadSmall = true, seen = false;
  for (uint64_t k = 0; k <= n && !seen; k++) {
    g.rt.race.seekStep(k);
    g.frames(2);
    const bool small = s.world().swissMap().hasSmallGroup();
    if (!groups.replacedShown.empty()) {
      seen = true;
      EXPECT_EQ(groups.replacedShown, std::vector<int>{1}) << "step " << k;
      EXPECT_FALSE(small) << "step " << k << ": marked as replaced while the small group is still the map's";
      EXPECT_TRUE(hadSmall) << "step " << k << ": the table was installed at an earlier step";
    }
    hadSmall = small;
  }
  EXPECT_TRUE(seen) << "G1 never shown as left in the replaced small group";
}

TEST(RaceWorkspace, ASwissGoroutineLeftInAReplacedTableIsSaidSo) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/12-swiss-write-during-grow.race"))
      << g.rt.race.error();
  race::ConcurrentSession& s = g.rt.race.session();
  SwissGroupsView& groups = g.rt.workspace().swiss.groups;
  auto outlineOf = [&](int gr) -> const SwissGroupsView::GoroutineOutline* {
    for (const auto& o : groups.outlines)
      if (o.g == gr) return &o;
    return nullptr;
  };
  // The schedule's first 8 steps are G1's: it has chosen its slot and is paused before the store.
  g.rt.race.seekStep(8);
  g.frames(2);
  ASSERT_NE(outlineOf(1), nullptr);
  EXPECT_EQ(outlineOf(1)->table, 0);
  EXPECT_TRUE(groups.replacedShown.empty());
  // The code panel tags G1 at the line it is paused at (runtime_fast64.go at
  // Go 1.27.4, as the Goroutines panel names it).
  {
    const race::GoroutineView v1 = s.world().view(1);
    ASSERT_TRUE(v1.hasEvent);
    const auto& tagged = g.rt.workspace().swiss.code.tagged;
    EXPECT_NE(std::find(tagged.begin(), tagged.end(), std::pair<int, int>{1, v1.goLine}), tagged.end())
        << "G1 at line " << v1.goLine;
  }
  const uint64_t before = s.world().swissMap().tables()[0].capacity;
  EXPECT_EQ(before, 16u);
  // G2 runs to its end (the grow), G1 is still inside its op.
  g.rt.race.seekStep(8 + 31);
  g.frames(2);
  EXPECT_EQ(s.world().swissMap().tables()[0].capacity, 32u);
  EXPECT_EQ(outlineOf(1), nullptr);
  ASSERT_EQ(groups.replacedShown, std::vector<int>{1});
  // The end: G1's store went to the old table; the map has key 13 with elem 0.
  g.rt.race.runToEnd();
  g.frames(2);
  EXPECT_EQ(groups.replacedShown, std::vector<int>{1});
  bool sawKey13 = false;
  for (const auto& c : groups.cells)
    if (c.ctrl != "E" && c.ctrl != "D" && c.key == "13") {
      sawKey13 = true;
      EXPECT_EQ(c.elem, "0");
    }
  EXPECT_TRUE(sawKey13);
  // The cursor at G1's store: no slot of the new table is framed as the current one.
  const auto& ev = s.events();
  int64_t store = -1;
  for (uint64_t i = 0; i < ev.eventCount(); i++)
    if (ev.goroutineOfEvent(i) == 1 && ev.swissEvent(i).kind == swiss::SwissKind::ElemWritten) store = static_cast<int64_t>(i);
  ASSERT_GE(store, 0);
  g.rt.race.seek(store);
  g.frames(2);
  for (const auto& c : groups.cells) EXPECT_FALSE(c.current) << "slot " << c.slot << " of group " << c.group;
  EXPECT_NE(groups.caption.find("130"), std::string::npos) << groups.caption;
  g.language("zh");
  EXPECT_EQ(groups.replacedShown, std::vector<int>{1});
  EXPECT_NE(groups.caption.find("操作"), std::string::npos) << groups.caption;
  g.language("en");
}

// A race on a sync.Map (lesson 14a) in the race workspace: the Goroutines
// panel with m.mu (gosync's Mutex) in its mutex section, and the sync.Map
// panel. G1's Store of a new key takes m.mu; G2's Store of another new key,
// clicked on, parks on m.mu's semaphore (no shards); at the end both keys are
// in dirty, read is still the empty readOnly with amended set.
TEST(RaceWorkspace, ASyncMapRaceIsDrawnWithItsMutexAndMaps) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14a-syncmap-no-shards.race"))
      << g.rt.race.error();
  g.frames(3);
  Workspace& ws = g.rt.workspace();
  ASSERT_TRUE(ws.raceMode());
  GoroutinesView& v = ws.goroutines;
  SyncMapView& sm = ws.syncMap;
  race::ConcurrentSession& s = g.rt.race.session();
  auto has = [](const std::vector<std::string>& ls, const std::string& l) {
    return std::find(ls.begin(), ls.end(), l) != ls.end();
  };
  EXPECT_TRUE(has(sm.lines, "read nil")) << ::testing::PrintToString(sm.lines);
  EXPECT_TRUE(has(sm.lines, "dirty nil"));
  EXPECT_EQ(v.mutexesDrawn, 1);
  // G1 up to holding m.mu.
  for (int i = 0; i < 4; i++) ASSERT_TRUE(g.stepLane(1));
  EXPECT_EQ(s.world().mutex(s.world().syncMapMutex()).state & race::kMutexLocked, race::kMutexLocked);
  EXPECT_EQ(sm.caption.rfind("G1", 0), 0u) << sm.caption;
  // G2 runs until it parks on m.mu: its button then takes no step.
  int steps = 0;
  while (s.lanes()[1].state != race::GoroutineView::State::Blocked) {
    ASSERT_LT(++steps, 30) << "G2 never parked on m.mu";
    ASSERT_TRUE(g.stepLane(2));
  }
  g.frames(1);
  EXPECT_TRUE(has(v.mutexLines, "sema: G2")) << ::testing::PrintToString(v.mutexLines);
  EXPECT_EQ(sm.caption.rfind("Lock m.mu: parked", 0), 0u) << sm.caption;
  g.language("zh"); // the same step's sentence in Chinese (it was English in the zh UI)
  EXPECT_EQ(sm.caption.rfind("Lock m.mu：休眠（semacquire：排在等待队列队尾）", 0), 0u) << sm.caption;
  EXPECT_NE(sm.caption.find("mutexLocked | 1 个等待者"), std::string::npos) << sm.caption;
  g.language("en");
  EXPECT_FALSE(g.stepLane(2));
  // To the end: both keys in dirty, each its own entry with its value.
  g.rt.race.runToEnd();
  g.frames(2);
  EXPECT_EQ(s.ending().kind, race::Ending::Kind::AllDone);
  EXPECT_TRUE(has(sm.lines, "dirty keys 2")) << ::testing::PrintToString(sm.lines);
  bool a = false, b = false;
  for (const std::string& l : sm.lines) {
    a |= l.rfind("dirty \"a\" -> entry #", 0) == 0 && l.find(" 1") != std::string::npos;
    b |= l.rfind("dirty \"b\" -> entry #", 0) == 0 && l.find(" 2") != std::string::npos;
  }
  EXPECT_TRUE(a && b) << ::testing::PrintToString(sm.lines);
  // The heap, counted by hand from sync/map.go (spec section 5): each new-key
  // Store moves its value parameter to the heap and newEntry copies it (2 cells)
  // and allocates the entry; only the first publishes a readOnly (amended).
  // Values 1 and 2 need no box. read and dirty reach the readOnly, both entries
  // and the two cells the entries point at; nothing is freed (no gc).
  EXPECT_TRUE(has(sm.lines, "heap readonly allocs 1 frees 0 reachable 1")) << ::testing::PrintToString(sm.lines);
  EXPECT_TRUE(has(sm.lines, "heap entry allocs 2 frees 0 reachable 2"));
  EXPECT_TRUE(has(sm.lines, "heap cell allocs 4 frees 0 reachable 2"));
  EXPECT_TRUE(has(sm.lines, "heap box allocs 0 frees 0 reachable 0"));
  // Chinese: the panel's title line is Chinese.
  g.language("zh");
  EXPECT_TRUE(has(sm.lines, "dirty keys 2"));
  g.language("en");
}

// Lesson 14e, lane by lane (mouse clicks on the lanes' buttons): G1's Range
// loads read (#2) and stays; G2 deletes a, stores b, loads b (a promotion) and
// runs gc. The sync.Map panel lists G1's stack with the old read.m in G1's
// colour, and the heap rows count it: the frees derived by hand in the
// lesson's narration and SyncMapRace.GcMarksFromEveryGoroutinesStack.
TEST(RaceWorkspace, ASyncMapGcKeepsWhatAGoroutinesStackHolds) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/14e-syncmap-gc-roots.race"))
      << g.rt.race.error();
  g.frames(3);
  SyncMapView& sm = g.rt.workspace().syncMap;
  race::ConcurrentSession& s = g.rt.race.session();
  auto has = [&](const std::string& l) { return std::find(sm.lines.begin(), sm.lines.end(), l) != sm.lines.end(); };
  ASSERT_TRUE(g.stepLane(1)); // Range begins
  ASSERT_TRUE(g.stepLane(1)); // read := m.read.Load(): readOnly #2
  EXPECT_TRUE(has("stack G1: read #2")) << ::testing::PrintToString(sm.lines);
  int steps = 0;
  while (s.lanes()[1].state != race::GoroutineView::State::Done) {
    ASSERT_LT(++steps, 60) << "G2 never finished";
    ASSERT_TRUE(g.stepLane(2));
  }
  g.frames(1);
  EXPECT_NE(sm.caption.find("runtime.GC()"), std::string::npos) << sm.caption;
  EXPECT_NE(sm.caption.find("freed 3 readOnly, 0 entry, 3 cell, 0 box"), std::string::npos) << sm.caption;
  EXPECT_TRUE(has("stack G1: read #2 stale")) << ::testing::PrintToString(sm.lines);
  EXPECT_TRUE(has("heap readonly allocs 4 frees 3 reachable 1"));
  EXPECT_TRUE(has("heap entry allocs 2 frees 0 reachable 2")) << "a's entry: only G1's stack reaches it";
  EXPECT_TRUE(has("heap cell allocs 4 frees 3 reachable 1"));
  g.language("zh");
  EXPECT_NE(sm.caption.find("释放 readOnly 3 个"), std::string::npos) << sm.caption;
  EXPECT_TRUE(has("stack G1: read #2 stale"));
  g.language("en");
  // G1 finishes its Range: no stack holds anything; a's entry is garbage (the next gc would free it).
  while (s.lanes()[0].state != race::GoroutineView::State::Done) ASSERT_TRUE(g.stepLane(1));
  g.frames(1);
  EXPECT_EQ(s.ending().kind, race::Ending::Kind::AllDone);
  for (const std::string& l : sm.lines) EXPECT_NE(l.rfind("stack ", 0), 0u) << l;
  EXPECT_TRUE(has("heap entry allocs 2 frees 0 reachable 1"));
}

// Lesson 7c through the lanes' "Step this goroutine" buttons (mouse clicks
// through ImGui's input): G1 read-locks, G2's Lock announces itself and
// parks, G1's second RLock parks behind it. The mutex panel shows the words
// and queues at each point, and the run ends in Go's deadlock.
TEST(RaceWorkspace, Lesson7cWriterPreferenceClickedLaneByLane) {
  RaceGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.rt.race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/7c-rwmutex-writer-preference.race"))
      << g.rt.race.error();
  g.frames(3);
  GoroutinesView& v = g.rt.workspace().goroutines;
  race::ConcurrentSession& s = g.rt.race.session();
  ASSERT_EQ(v.mutexesDrawn, 1);
  auto has = [&](const std::string& line) {
    return std::find(v.mutexLines.begin(), v.mutexLines.end(), line) != v.mutexLines.end();
  };
  auto stepLane = [&](int lane) { ASSERT_TRUE(g.stepLane(lane)); };
  EXPECT_TRUE(has("rw.w.state = 0x0 (unlocked)"));
  EXPECT_TRUE(has("readerCount = 0"));
  stepLane(1); // rlock rw
  stepLane(1); // get 1 begins
  EXPECT_TRUE(has("readerCount = 1"));
  stepLane(2); // rw.w.Lock()
  stepLane(2); // readerCount -= rwmutexMaxReaders
  stepLane(2); // readerWait += 1: parks on writerSem
  EXPECT_TRUE(has("rw.w.state = 0x1 = mutexLocked"));
  EXPECT_TRUE(has("readerCount = -1073741823"));
  EXPECT_TRUE(has("readerWait = 1"));
  EXPECT_TRUE(has("writerSem: G2"));
  EXPECT_EQ(s.lanes()[1].state, race::GoroutineView::State::Blocked);
  // G2 is parked: its button takes no step.
  {
    const ImVec4 r = v.laneButtons[1];
    const uint64_t before = s.position();
    g.click(ImVec2((r.x + r.z) / 2, (r.y + r.w) / 2));
    EXPECT_EQ(s.position(), before);
  }
  while (!s.atEnd() && s.position() < 40) stepLane(1);
  EXPECT_TRUE(s.ending().deadlock);
  g.frames(2);
  EXPECT_TRUE(has("readerSem: G1"));
  EXPECT_TRUE(has("readerCount = -1073741822"));
  EXPECT_TRUE(v.fatalShown);
  EXPECT_EQ(s.deathOutput().rfind("fatal error: all goroutines are asleep - deadlock!\n", 0), 0u);
}
