// The race workspace as a teacher uses it (issue 12's review): the Outcome says
// what happened and whether the lesson's `expect` line was met, as `gomaplab race`
// does; Shift+Right / Shift+Left step by statement or method on every structure;
// "Step this goroutine" asks before it drops the recorded schedule; narration
// reads as paragraphs; the lesson's title comes first and its text is open.
// Everything is driven through ImGui's input (keys, mouse), in English and Chinese.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/args.h>
#include <fmt/format.h>

#include "concurrency/report.hpp"
#include "ui/event_text.hpp"
#include "ui/strings.hpp"
#include "ui/goroutines_view.hpp"
#include "ui/gui_runtime.hpp"
#include "offscreen_gui.hpp"

#include <GLFW/glfw3.h>

using namespace gomap;
using namespace gomap::ui;

namespace {
std::string lesson(const char* name) { return std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/" + name; }

struct TeacherGui : test::OffscreenGui {
  ~TeacherGui() {
    if (ok) language("en");
  }
  // A click, then one more frame for what it opened to settle.
  void click(ImVec2 p) {
    OffscreenGui::click(p);
    rt.frame(0);
  }
  bool open(const std::string& path) {
    if (!rt.race.open(path)) return false;
    frames(2);
    return true;
  }
  GoroutinesView& view() { return rt.workspace().goroutines; }
  race::ConcurrentSession& session() { return rt.race.session(); }
};

// What `gomaplab race` prints for the run the session holds: the corruption
// kinds and the expectation line (without "-- " and the newline).
std::string cliExpectLine(const race::ConcurrentSession& s) {
  const auto c = race::checkExpectation(s.world(), s.consistency());
  if (!c) return {};
  std::string l = race::expectationLine(*c);
  return l.substr(3, l.size() - 4);
}
} // namespace

// 1. At the End of lesson 12 (Swiss) and 15c (copy-on-write) the Outcome's heading
// says the map is silently corrupted, with the kinds the CLI names, and
// "expected: corrupt ...: met"; not a green "no race detected". Lesson 1 says G2
// died, 16b says deadlock. Both languages.
TEST(RaceTeacher, TheOutcomeSaysWhatHappenedAndWhetherTheLessonExpectedIt) {
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  struct Case {
    const char* file;
    const char* heading;   // part of the English heading
    const char* headingZh; // part of the Chinese heading
    const char* expect;    // the English expectation line
  };
  const Case cases[] = {
      {"12-swiss-write-during-grow.race", "the map is silently corrupted (wrong-value)", "映射已被悄悄破坏（wrong-value）",
       "expected: corrupt wrong-value: met"},
      {"15c-cow-store-loses-keys.race", "the map is silently corrupted (lost-insert,order)",
       "映射已被悄悄破坏（lost-insert,order）", "expected: corrupt lost-insert: met"},
      {"1-entry-check.race", "G2 died: concurrent map writes", "G2 崩溃：concurrent map writes",
       "expected: fatal 2 concurrent map writes: met"},
      {"16b-sharded-rlock-deadlock.race", "deadlock: every goroutine is blocked", "死锁", "expected: deadlock: met"},
      {"14c-syncmap-where-the-cas-is.race", "clean: no race detected", "干净", "expected: clean: met"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    ASSERT_TRUE(g.open(lesson(c.file))) << g.rt.race.error();
    EXPECT_TRUE(g.view().outcomeHeading.empty()) << "running: no heading yet";
    g.press(GLFW_KEY_END);
    g.frames(1);
    ASSERT_TRUE(g.session().atEnd());
    EXPECT_NE(g.view().outcomeHeading.find(c.heading), std::string::npos) << g.view().outcomeHeading;
    EXPECT_EQ(g.view().outcomeHeading.find("no race detected") != std::string::npos,
              std::string(c.heading).find("clean") == 0)
        << "\"no race detected\" only for a clean run: " << g.view().outcomeHeading;
    EXPECT_EQ(g.view().outcomeExpect, c.expect);
    EXPECT_EQ(g.view().outcomeExpect, cliExpectLine(g.session())) << "the CLI's line, without its \"-- \"";
    g.language("zh");
    EXPECT_NE(g.view().outcomeHeading.find(c.headingZh), std::string::npos) << g.view().outcomeHeading;
    EXPECT_EQ(g.view().outcomeExpect.rfind("预期：", 0), 0u) << g.view().outcomeExpect;
    EXPECT_NE(g.view().outcomeExpect.find("：已达成"), std::string::npos) << g.view().outcomeExpect;
    g.language("en");
  }
  // A run that does not meet the expectation says so, with what it got: 15c with
  // G1's Store finished before G2's Load keeps both keys (clean).
  ASSERT_TRUE(g.open(lesson("15c-cow-store-loses-keys.race")));
  race::ConcurrentSession& s = g.session();
  while (!s.atEnd() && s.canStep(1)) ASSERT_TRUE(g.rt.race.stepGoroutine(1));
  while (!s.atEnd()) ASSERT_TRUE(g.rt.race.stepGoroutine(2));
  g.frames(2);
  EXPECT_NE(g.view().outcomeHeading.find("clean"), std::string::npos) << g.view().outcomeHeading;
  EXPECT_EQ(g.view().outcomeExpect, "expected: corrupt lost-insert: NOT met (got clean)");
  EXPECT_EQ(g.view().outcomeExpect, cliExpectLine(s));
  g.language("zh");
  EXPECT_EQ(g.view().outcomeExpect, "预期：corrupt lost-insert：未达成（实际为 clean）");
}

namespace {
// The op (history index) whose step s-1 was: read from the trace (the test's own scan).
std::optional<std::size_t> opOfStep(const race::ConcurrentSession& s, uint64_t step) {
  for (const race::TraceEntry& t : s.trace())
    if (t.step == step && t.op > 0) return t.op - 1;
  return std::nullopt;
}
} // namespace

// 2. Shift+Right on a sync.Map race (14c) goes to the end of a method of the
// goroutine that moved, each press the next one; Shift+Left on a copy-on-write
// race (15c) at its End goes back to before that goroutine's last method.
TEST(RaceTeacher, ShiftArrowsStepByMethodOnSyncMapAndCopyOnWrite) {
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  // 14c: G1's Store a 2 begins at step 0 and, with G2's whole Delete in
  // between, ends at step 13: from Home, Shift+Right runs to its end (step 14,
  // the program's end), not one step. 14a has more methods: a stop at each end.
  for (const char* file : {"14c-syncmap-where-the-cas-is.race", "14a-syncmap-no-shards.race"}) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(g.open(lesson(file))) << g.rt.race.error();
    race::ConcurrentSession& s = g.session();
    g.press(GLFW_KEY_END);
    ASSERT_TRUE(s.atEnd());
    const std::vector<uint8_t> tl = s.timeline();
    const std::vector<race::OpRecord> hist = s.world().history(); // the whole run's methods
    g.press(GLFW_KEY_HOME);
    ASSERT_EQ(s.position(), 0u);
    uint64_t last = 0;
    int stops = 0;
    for (int press = 0; press < 40 && !s.atEnd(); press++) {
      SCOPED_TRACE(press);
      g.press(GLFW_KEY_RIGHT, true);
      const uint64_t p = s.position();
      ASSERT_GT(p, last) << "Shift+Right moved";
      stops++;
      // The step before the cursor ended a method (its endStep), of the goroutine that took it.
      const auto op = opOfStep(s, p - 1);
      ASSERT_TRUE(op.has_value());
      ASSERT_LT(*op, hist.size());
      EXPECT_TRUE(hist[*op].finished);
      EXPECT_EQ(hist[*op].endStep, p - 1) << "lands at the end of the method";
      EXPECT_EQ(hist[*op].g, tl[p - 1]) << "a method of the goroutine that moved";
      // It ran the whole method: no method of that goroutine ended in between.
      for (const race::OpRecord& r : hist)
        if (r.g == hist[*op].g && r.finished && r.endStep >= last && r.endStep + 1 < p)
          ADD_FAILURE() << "skipped over G" << r.g << "'s method ending at step " << r.endStep;
      last = p;
    }
    EXPECT_TRUE(s.atEnd());
    if (std::string(file).find("14c") == 0) {
      EXPECT_EQ(stops, 1) << "one press: G1's Store a 2 ends with the program";
      EXPECT_EQ(last, tl.size());
    } else {
      EXPECT_EQ(stops, 2) << "G1's Store a 1, then G2's Store b 2";
      EXPECT_LT(stops, static_cast<int>(tl.size()) / 2) << "by methods, not by steps";
    }
  }

  ASSERT_TRUE(g.open(lesson("15c-cow-store-loses-keys.race"))) << g.rt.race.error();
  race::ConcurrentSession& c = g.session();
  g.press(GLFW_KEY_END);
  ASSERT_TRUE(c.atEnd());
  const uint64_t end = c.position();
  const auto lastOp = opOfStep(c, end - 1);
  ASSERT_TRUE(lastOp.has_value());
  const race::OpRecord r = c.world().history()[*lastOp];
  ASSERT_GT(r.startStep, 0u) << "15c's last method does not start at step 0";
  g.press(GLFW_KEY_LEFT, true);
  EXPECT_EQ(c.position(), r.startStep) << "before G" << r.g << "'s last method, not step 0";
  // Once more: before the method whose step now precedes the cursor.
  const auto prevOp = opOfStep(c, c.position() - 1);
  ASSERT_TRUE(prevOp.has_value());
  const uint64_t prevStart = c.world().history()[*prevOp].startStep;
  g.press(GLFW_KEY_LEFT, true);
  EXPECT_EQ(c.position(), prevStart);
}

namespace {
// Scrolls the Goroutines panel with the wheel until rect() (screen x0, y0, x1, y1,
// as the last frame drew it) is inside the panel; false if it never gets there.
template <class R> bool reveal(TeacherGui& g, R rect) {
  GoroutinesView& v = g.view();
  for (int i = 0; i < 60; i++) {
    const ImVec4 r = rect();
    if (r.z > r.x && r.y >= v.lastPos.y && r.w <= v.lastPos.y + v.lastSize.y - 4) return true;
    g.rt.injectMouse = ImVec2(v.lastPos.x + v.lastSize.x / 2, v.lastPos.y + v.lastSize.y / 2);
    g.rt.injectWheel = r.w > v.lastPos.y + v.lastSize.y - 4 ? -1.0f : 1.0f;
    g.frames(1);
    g.rt.injectWheel = 0;
    g.frames(1);
  }
  g.rt.injectMouse.reset();
  return false;
}
ImVec2 centre(const ImVec4& r) { return ImVec2((r.x + r.z) / 2, (r.y + r.w) / 2); }
} // namespace

// 3. Lesson 14b at its End, back to step 5, G2's "Step this goroutine": the GUI
// asks before it drops the 26 later steps of the narrated run. Cancel keeps all
// 31; Continue takes G2's step (6/6) and "Back to the schedule before (31 steps)"
// brings the lesson's run back. Both languages.
TEST(RaceTeacher, SteppingAGoroutineAsksBeforeItDropsTheSchedule) {
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.open(lesson("14b-syncmap-expunge-revive.race"))) << g.rt.race.error();
  race::ConcurrentSession& s = g.session();
  g.press(GLFW_KEY_END);
  g.frames(1);
  ASSERT_EQ(s.timeline().size(), 31u);
  const std::vector<uint8_t> lessonRun = s.timeline();
  // Schedule cell 5, through the mouse.
  GoroutinesView& v = g.view();
  ASSERT_TRUE(reveal(g, [&] { return v.stepRects.size() >= 5 ? v.stepRects[4].second : ImVec4(0, 0, 0, 0); }));
  g.click(centre(v.stepRects[4].second));
  ASSERT_EQ(s.position(), 5u);
  ASSERT_NE(lessonRun[5], 2) << "G2's step here is not the recorded one";
  for (const char* lang : {"en", "zh"}) {
    SCOPED_TRACE(lang);
    g.language(lang);
    ASSERT_TRUE(reveal(g, [&] { return v.laneButtons.size() >= 2 ? v.laneButtons[1] : ImVec4(0, 0, 0, 0); }));
    g.click(centre(v.laneButtons[1]));
    g.frames(1);
    ASSERT_TRUE(v.dropAsked) << "no question";
    EXPECT_EQ(s.position(), 5u) << "nothing happens before the answer";
    EXPECT_EQ(s.timeline(), lessonRun);
    EXPECT_EQ(v.dropText, std::string(lang) == "en" ? "G2 taking this step drops the 26 later steps of the schedule."
                                                    : "让 G2 走这一步会丢弃调度中后面的 26 步。");
    // Cancel: the question goes, the run is as it was.
    g.click(centre(v.dropCancel));
    g.frames(1);
    EXPECT_FALSE(v.dropAsked);
    EXPECT_EQ(s.position(), 5u);
    EXPECT_EQ(s.timeline(), lessonRun);
    EXPECT_TRUE(g.rt.race.keptSchedule().empty());
  }
  g.language("en");
  // Continue: G2 takes the step, the later steps are dropped...
  ASSERT_TRUE(reveal(g, [&] { return v.laneButtons[1]; }));
  g.click(centre(v.laneButtons[1]));
  g.frames(1);
  ASSERT_TRUE(v.dropAsked);
  g.click(centre(v.dropContinue));
  g.frames(1);
  EXPECT_FALSE(v.dropAsked);
  EXPECT_EQ(s.position(), 6u);
  EXPECT_EQ(s.timeline().size(), 6u);
  EXPECT_EQ(s.timeline()[5], 2);
  // ...and stay one click away.
  EXPECT_EQ(g.rt.race.keptSchedule(), lessonRun);
  ASSERT_TRUE(reveal(g, [&] { return v.backToSchedule; }));
  g.click(centre(v.backToSchedule));
  g.frames(1);
  EXPECT_EQ(s.timeline(), lessonRun) << "the narrated run is back";
  EXPECT_EQ(s.position(), 5u) << "where it was left";
  EXPECT_TRUE(g.rt.race.keptSchedule().empty());
  // A step that is the recorded one asks nothing.
  ASSERT_TRUE(reveal(g, [&] { return v.laneButtons[static_cast<std::size_t>(lessonRun[5] - 1)]; }));
  g.click(centre(v.laneButtons[static_cast<std::size_t>(lessonRun[5] - 1)]));
  g.frames(1);
  EXPECT_FALSE(v.dropAsked);
  EXPECT_EQ(s.position(), 6u);
  EXPECT_EQ(s.timeline(), lessonRun);
}

// 4. A race narration's lines are joined into paragraphs: lesson 14a's "...so
// each" / "Store takes the slow path" is one sentence; a line after one that ends
// a sentence starts a paragraph. In Chinese, no space between Chinese characters,
// and no paragraph that is a lone closing quote.
TEST(RaceTeacher, RaceNarrationReadsAsParagraphs) {
  EXPECT_EQ(raceNarrationParagraphs("A b c so each\nStore takes it.\nWhat the class sees: x\n(y). Then z."),
            "A b c so each Store takes it.\nWhat the class sees: x (y). Then z.");
  EXPECT_EQ(raceNarrationParagraphs("说法：\"不等待。\"\nG1 存入键 a，于是每个 Store 都走慢路径：\nm.mu.Lock()，而整个\nmap 只有一把 mu。"),
            "说法：\"不等待。\"\nG1 存入键 a，于是每个 Store 都走慢路径：m.mu.Lock()，而整个 map 只有一把 mu。");
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.open(lesson("14a-syncmap-no-shards.race"))) << g.rt.race.error();
  const std::string& en = g.view().shownNarration;
  EXPECT_NE(en.find("so each Store takes the slow path"), std::string::npos) << en;
  EXPECT_EQ(en.find("each\n"), std::string::npos);
  EXPECT_NE(en.find("\nWhat the class sees:"), std::string::npos) << "a new sentence at a line start: a paragraph";
  g.language("zh");
  const std::string& zh = g.view().shownNarration;
  ASSERT_FALSE(zh.empty());
  EXPECT_NE(zh.find("于是每个 Store 都走慢路径：m.mu.Lock()"), std::string::npos) << zh;
  std::size_t b = 0;
  while (b <= zh.size()) {
    const std::size_t e = std::min(zh.find('\n', b), zh.size());
    const std::string para = zh.substr(b, e - b);
    EXPECT_GT(para.size(), 3u) << "a paragraph of its own: [" << para << "]";
    b = e + 1;
  }
}

// 5. Opened with an absolute path (File > Lessons), the Goroutines panel shows the
// lesson's title first, then the file's short name, and the Lesson section is open.
TEST(RaceTeacher, TheLessonTitleComesFirstAndItsTextIsOpen) {
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  const std::string path = lesson("14c-syncmap-where-the-cas-is.race");
  ASSERT_EQ(path[0], '/');
  ASSERT_TRUE(g.open(path)) << g.rt.race.error();
  GoroutinesView& v = g.view();
  EXPECT_EQ(v.shownTitle, g.session().scenario().title[0]);
  EXPECT_EQ(v.shownFileName, "14c-syncmap-where-the-cas-is.race");
  EXPECT_LT(v.titleY, v.fileNameY) << "the title above the file name";
  EXPECT_FALSE(v.shownNarration.empty()) << "the Lesson section is open from the start";
  g.language("zh");
  EXPECT_EQ(v.shownTitle, g.session().scenario().title[1]);
  EXPECT_FALSE(v.shownNarration.empty());
}

// 6. The Shards panel's bucket caption describes the shown shard's latest event,
// or says that shard has had none: never "Before the first event" once the run
// has moved (16b ends in a deadlock after 5 steps with no map event at all; in
// 16a shard 1 is chosen by the mouse after Shift+Right).
TEST(RaceTeacher, TheShardCaptionDescribesTheShownShard) {
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ShardsView& sv = g.rt.workspace().shards;
  ASSERT_TRUE(g.open(lesson("16b-sharded-rlock-deadlock.race"))) << g.rt.race.error();
  g.frames(1);
  EXPECT_EQ(sv.buckets().caption().sentence(), tr(S::CaptionBeforeFirst)) << "at step 0 it is the first event";
  g.press(GLFW_KEY_END);
  g.frames(1);
  ASSERT_TRUE(g.session().atEnd());
  EXPECT_EQ(sv.bucketsShown, 0);
  EXPECT_EQ(sv.buckets().caption().sentence(), "No event in shard 0 yet: no step so far has touched its map.");
  g.language("zh");
  EXPECT_EQ(sv.buckets().caption().sentence(), "分片 0 还没有事件：到目前为止没有哪一步碰过它的映射。");
  g.language("en");

  ASSERT_TRUE(g.open(lesson("16a-sharded-shards-never-block.race"))) << g.rt.race.error();
  race::ConcurrentSession& s = g.session();
  g.press(GLFW_KEY_RIGHT, true);
  g.press(GLFW_KEY_RIGHT, true);
  for (int shard = 0; shard < 4; shard++) {
    SCOPED_TRACE(shard);
    ASSERT_GT(sv.choiceRects.size(), static_cast<std::size_t>(shard + 1));
    const ScreenRect r = sv.choiceRects[static_cast<std::size_t>(shard + 1)];
    g.click(ImVec2((r.min.x + r.max.x) / 2, (r.min.y + r.max.y) / 2));
    ASSERT_EQ(sv.bucketsShown, shard);
    // The shard's latest map event, from the trace.
    const race::TraceEntry* last = nullptr;
    for (const race::TraceEntry& t : s.trace())
      if (t.source == race::TraceEntry::Source::Engine && t.shard == shard) last = &t;
    const std::string& sentence = sv.buckets().caption().sentence();
    EXPECT_NE(sentence, tr(S::CaptionBeforeFirst));
    if (!last) EXPECT_EQ(sentence, fmt::format("No event in shard {} yet: no step so far has touched its map.", shard));
    else EXPECT_EQ(sentence.rfind(describeEventUi(last->ev), 0), 0u) << sentence << " vs " << describeEventUi(last->ev);
  }
}

// 7. Nothing cut off or ungrammatical in the Goroutines panel: with three lanes
// (15d) each lane's step button label fits its button (the short "Step" with a
// tooltip when the full one does not); lane headers say "1 step" / "N steps";
// the copy-on-write panel says "1 version" and gives no CompareAndSwap count for
// ptrstore (15c), which has none.
TEST(RaceTeacher, LaneLabelsFitAndCountsAreSingularWhenOne) {
  TeacherGui g;
  if (!g.ok) GTEST_SKIP() << g.why;
  ASSERT_TRUE(g.open(lesson("15d-cow-deepcopymap-readers-never-wait.race"))) << g.rt.race.error();
  GoroutinesView& v = g.view();
  for (const char* lang : {"en", "zh"}) {
    SCOPED_TRACE(lang);
    g.language(lang);
    ASSERT_EQ(v.laneButtons.size(), 3u);
    ASSERT_EQ(v.laneLabels.size(), 3u);
    for (std::size_t i = 0; i < 3; i++) {
      const ImVec4 r = v.laneButtons[i];
      EXPECT_LE(ImGui::CalcTextSize(v.laneLabels[i].c_str()).x, r.z - r.x) << v.laneLabels[i] << " cut off";
    }
  }
  g.language("en");
  for (const std::string& h : v.laneHeaders) EXPECT_NE(h.find("0 steps"), std::string::npos) << h;
  ASSERT_TRUE(g.rt.race.stepGoroutine(1));
  g.frames(1);
  EXPECT_NE(v.laneHeaders[0].find("1 step"), std::string::npos) << v.laneHeaders[0];
  EXPECT_EQ(v.laneHeaders[0].find("1 steps"), std::string::npos) << v.laneHeaders[0];

  ASSERT_TRUE(g.open(lesson("15c-cow-store-loses-keys.race"))) << g.rt.race.error();
  CowView& cv = g.rt.workspace().cow;
  race::ConcurrentSession& s = g.session();
  while (s.world().cowMap().versionsMade() != 1 && !s.atEnd()) g.press(GLFW_KEY_RIGHT);
  g.frames(1);
  EXPECT_EQ(cv.cowCounts, "1 version made so far") << "ptrstore has no CompareAndSwap to count";
  g.press(GLFW_KEY_END);
  g.frames(1);
  EXPECT_EQ(cv.cowCounts, fmt::format("{} versions made so far", s.world().cowMap().versionsMade()));
  ASSERT_TRUE(g.open(lesson("15b-cow-cas-loop-keeps-every-key.race"))) << g.rt.race.error();
  g.press(GLFW_KEY_END);
  g.frames(1);
  EXPECT_NE(cv.cowCounts.find("CompareAndSwap"), std::string::npos) << "ptrcas counts its failed CASes: " << cv.cowCounts;
}

// The consistency report's words (ui/strings_race.inc): every row formats with
// as many arguments as its English has; for every lesson's report, the English
// rows say each finding and note exactly as the report does (`gomaplab race`
// prints that text), and the Chinese rows say something else, in Chinese.
TEST(ConsistencyWords, RowsSayTheReportInBothLanguages) {
  for (auto i = static_cast<std::size_t>(S::CwWho); i <= static_cast<std::size_t>(S::CwSyncConsistent); i++) {
    const std::string_view en = trIn(static_cast<S>(i), Lang::En);
    std::size_t args = 0;
    for (std::size_t p = en.find('{'); p != std::string_view::npos; p = en.find('{', p + 1)) args++;
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (std::size_t a = 0; a < args; a++) store.push_back(a);
    for (Lang l : {Lang::En, Lang::Zh})
      EXPECT_NO_THROW((void)fmt::vformat(trIn(static_cast<S>(i), l), store)) << i << ": " << trIn(static_cast<S>(i), l);
  }
  const race::ConsistencyWords en = consistencyWordsIn(Lang::En), zh = consistencyWordsIn(Lang::Zh);
  std::set<std::string> kinds;
  int sentences = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons")) {
    if (entry.path().extension() != ".race") continue;
    race::ScenarioError err;
    auto s = race::ConcurrentSession::load(entry.path().string(), err);
    ASSERT_TRUE(s) << entry.path();
    s->runToEnd();
    const race::ConsistencyReport* rep = s->consistency();
    if (!rep) continue;
    std::vector<const race::Sentence*> all;
    for (const auto& f : rep->findings) {
      all.push_back(&f);
      kinds.insert(f.kind);
    }
    for (const auto& n : rep->notes) all.push_back(&n);
    for (const race::Sentence* x : all) {
      sentences++;
      EXPECT_EQ(x->in(en), x->text) << entry.path();
      const std::string z = x->in(zh);
      EXPECT_NE(z, x->text) << entry.path();
      EXPECT_NE(z.find_first_of("\xE4\xE5\xE6\xE7\xE8\xE9"), std::string::npos) << entry.path() << ": " << z;
    }
  }
  EXPECT_GE(sentences, 20);
  for (const char* k : {"count", "lost-insert", "duplicate-key", "iter-missing", "iter-phantom", "order"})
    EXPECT_TRUE(kinds.count(k)) << "no lesson shows a " << k << " finding";
}

// The death output's notes (ReportWords, ui/strings_race.inc Rw* rows, and the
// site notes): for every lesson that dies, the English words give exactly what
// `gomaplab race` prints, and the Chinese output has none of the English notes
// that have a Chinese row.
TEST(ReportWords, DeathNotesInBothLanguages) {
  const race::ReportWords en = reportWordsIn(Lang::En), zh = reportWordsIn(Lang::Zh);
  std::vector<std::string> english; // English notes that must not show in the Chinese output
  for (auto i = static_cast<std::size_t>(S::RwParkedIn); i <= static_cast<std::size_t>(S::RwInPlaceStore); i++) {
    std::string_view t = trIn(static_cast<S>(i), Lang::En);
    t = t.substr(0, t.find('{'));
    if (t.size() >= 8) english.emplace_back(t);
  }
  for (const SiteNoteRow& r : siteNoteRows())
    if (r.zh && !r.en.starts_with("fatal: ")) english.emplace_back(r.en);
  int died = 0, notes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons")) {
    if (entry.path().extension() != ".race") continue;
    race::ScenarioError err;
    auto s = race::ConcurrentSession::load(entry.path().string(), err);
    ASSERT_TRUE(s) << entry.path();
    s->runToEnd();
    if (s->deathOutput().empty()) continue;
    died++;
    EXPECT_EQ(race::goDeathOutput(s->world(), en), s->deathOutput()) << entry.path();
    const std::string z = race::goDeathOutput(s->world(), zh);
    for (const std::string& t : english) EXPECT_EQ(z.find(t), std::string::npos) << entry.path() << ": " << t << "\n" << z;
    for (std::size_t p = z.find("  // "); p != std::string::npos; p = z.find("  // ", p + 1)) notes++;
  }
  EXPECT_GE(died, 10);
  EXPECT_GE(notes, 30);
}
