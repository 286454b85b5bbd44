// GUI tests for op-script lessons (issue 11, item 2): the Lesson panel shows the
// narration and expect lines of the op at the cursor, and predict mode asks
// where an insert lands, takes a click on a Buckets cell, runs the insert and
// says whether the guess was right and why. The widgets are driven through
// ImGui's input (mouse position and button injected into ImGui's IO).
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "trace/script_runner.hpp"
#include "offscreen_gui.hpp"
#include "ui/app_state.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/strings.hpp"

using namespace gomap;
using namespace gomap::ui;
using gomap::ui::test::mouseClick;

namespace {

const std::string kLessons = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/";

struct LessonGui {
  explicit LessonGui(const std::string& lang = "en") {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    o.prefs.language = lang;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (ok) rt.workspace().forceLayout = true;
  }
  void frames(int n = 2) {
    for (int i = 0; i < n; i++) rt.frame(0);
  }
  // A left click at p: move there, press in one frame, release in the next.
  void click(ImVec2 p) {
    mouseClick(rt, p);
    rt.injectMouse.reset();
    rt.frame(0);
  }
  AppState& app() { return rt.app(); }
  LessonView& lesson() { return rt.workspace().lesson; }
  // The session op whose text is `text` (the first one).
  std::size_t opNamed(const std::string& text) {
    for (std::size_t k = 0; k < app().session().opCount(); k++)
      if (app().opText(k) == text) return k;
    ADD_FAILURE() << "no op " << text;
    return 0;
  }
  GuiRuntime rt;
  bool ok = false;
  std::string why;
};

#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display/GL: " << (g).why

} // namespace

// The controller hands the lesson over: its lines, their outcomes, and which
// script op each session op came from.
TEST(LessonState, AppStateKeepsTheLessonOfTheLoadedScript) {
  AppState a;
  ASSERT_TRUE(a.openScript(kLessons + "c08-load-factor-6-5.ops")) << a.error();
  const LoadedLesson* l = a.lesson();
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->lesson.title[0], "What 6.5 means: 13/2 keys per bucket, checked before the insert");
  EXPECT_FALSE(l->lesson.title[1].empty());
  EXPECT_GT(l->check.checked, 10u);
  EXPECT_EQ(l->check.failed, 0u);
  // Script op 0 is hashmode, 1 is make (two session ops: make and its seed).
  std::optional<std::size_t> put9;
  for (std::size_t k = 0; k < a.session().opCount(); k++)
    if (a.opText(k) == "put 9 9") put9 = a.scriptOpOf(k);
  ASSERT_TRUE(put9);
  EXPECT_EQ(l->opTexts[*put9], "put 9 9");
  // Every session op maps back to the script op that produced it.
  for (std::size_t k = 0; k < a.session().opCount(); k++) {
    auto so = a.scriptOpOf(k);
    ASSERT_TRUE(so) << k;
    EXPECT_EQ(l->opTexts[*so], a.opText(k)) << k;
  }
  EXPECT_FALSE(a.scriptOpOf(a.session().opCount()));
  ASSERT_LT(*put9, l->lesson.ops.size());
  EXPECT_NE(l->lesson.ops[*put9].narration[0].find("B = 0 is special"), std::string::npos);
  // A script without lesson lines has none; a new map drops the lesson.
  AppState b;
  ASSERT_TRUE(b.openScript(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/growth.ops")) << b.error();
  EXPECT_EQ(b.lesson(), nullptr);
  ASSERT_TRUE(a.newMap(NewMapParams{}));
  EXPECT_EQ(a.lesson(), nullptr);
}

// The panel exists only with a lesson, and shows the narration of the op at the
// cursor in the UI language with its expect lines.
TEST(LessonPanel, ShownWithALessonAndFollowsTheCursor) {
  LessonGui g;
  NEED_GUI(g);
  g.frames();
  EXPECT_FALSE(g.lesson().drawnThisFrame()) << "no lesson: no Lesson panel";
  ASSERT_TRUE(g.app().openScript(kLessons + "c08-load-factor-6-5.ops")) << g.app().error();
  g.frames(3);
  EXPECT_TRUE(g.lesson().drawnThisFrame());
  // The View menu lists the panel now (registered, available).
  bool listed = false;
  for (const auto& d : g.rt.workspace().registry().all())
    if (d.bit == PanelLesson) listed = g.rt.workspace().available(d);
  EXPECT_TRUE(listed);
  ASSERT_TRUE(g.app().openScript(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/growth.ops"));
  g.frames(3);
  EXPECT_FALSE(g.lesson().drawnThisFrame());
}

// Predict mode, as a student uses it: switch it on with a click, step to just
// before a put, click the cell the key will land in, press Run, read the verdict.
TEST(LessonPanel, PredictAClickedCellThenRunTheInsert) {
  LessonGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kLessons + "c08-load-factor-6-5.ops")) << g.app().error();
  g.frames(3);
  ASSERT_TRUE(g.lesson().predictToggle.drawn());
  g.click(g.lesson().predictToggle.center());
  ASSERT_TRUE(g.lesson().predict) << "the checkbox took the click";

  // Just before `put 13 13`: B = 1, bucket 1 holds 1, 3, 5, 7, 9, 11 in slots 0-5.
  const std::size_t put13 = g.opNamed("put 13 13");
  g.app().seek(g.app().lastEventOfOp(put13 - 1));
  g.frames(2);
  ASSERT_TRUE(g.lesson().askedOp());
  EXPECT_EQ(*g.lesson().askedOp(), put13);
  auto cell = g.rt.workspace().buckets.cellRect(Loc{false, 1, 0, 6});
  ASSERT_TRUE(cell) << "bucket 1 slot 6 is on screen";
  g.click(cell->center());
  ASSERT_TRUE(g.lesson().guess());
  EXPECT_EQ(g.lesson().guess()->op, put13);
  EXPECT_EQ(g.lesson().guess()->cell.bucket, 1u);
  EXPECT_EQ(g.lesson().guess()->cell.slot, 6);
  ASSERT_TRUE(g.lesson().runButton.drawn());
  g.click(g.lesson().runButton.center());
  EXPECT_EQ(g.app().position(), g.app().lastEventOfOp(put13)) << "Run stepped to the end of the insert";
  g.frames(1);
  EXPECT_TRUE(g.lesson().verdictRight()) << g.lesson().verdict();
  EXPECT_EQ(g.lesson().verdict(), "Right: key 13 landed in bucket 1, slot 6.");

  // The next op is `put 5 50`: the verdict stays in sight with the question in
  // one line; Next question opens the form, Guess takes the picked cell (the
  // fields hold the last clicked one, bucket 1 slot 6).
  const std::size_t put5 = g.opNamed("put 5 50");
  ASSERT_EQ(put5, put13 + 1);
  ASSERT_TRUE(g.lesson().nextButton.drawn());
  EXPECT_FALSE(g.lesson().guessButton.drawn());
  g.click(g.lesson().nextButton.center());
  ASSERT_TRUE(g.lesson().guessButton.drawn()) << "verdict: " << g.lesson().verdict() << " asked "
                                              << g.lesson().askedOp().value_or(999) << " pos " << g.app().position()
                                              << " next " << g.lesson().nextButton.drawn();
  EXPECT_TRUE(g.lesson().verdict().empty()) << "the verdict made room for the form";
  g.click(g.lesson().guessButton.center());
  ASSERT_TRUE(g.lesson().guess());
  EXPECT_EQ(g.lesson().guess()->op, put5);
  g.click(g.lesson().runButton.center());
  g.frames(1);
  EXPECT_FALSE(g.lesson().verdictRight());
  EXPECT_EQ(g.lesson().verdict(), "Not this time: you said bucket 1, slot 6; key 5 landed in bucket 1, slot 2.");
  auto why5 = explainPut(putOutcome(g.app().session(), put5));
  ASSERT_FALSE(why5.empty());
  EXPECT_NE(why5.back().find("already in the map"), std::string::npos) << why5.back();

  // `put 14 14` starts a grow first: a guess in the old layout is wrong, and
  // the verdict says where the key went.
  const std::size_t put14 = g.opNamed("put 14 14");
  g.app().seek(g.app().lastEventOfOp(put14 - 1));
  g.frames(2);
  ASSERT_EQ(g.lesson().askedOp(), std::optional<std::size_t>(put14));
  cell = g.rt.workspace().buckets.cellRect(Loc{false, 0, 0, 6});
  ASSERT_TRUE(cell);
  g.click(cell->center());
  g.click(g.lesson().runButton.center());
  g.frames(1);
  EXPECT_FALSE(g.lesson().verdictRight());
  EXPECT_EQ(g.lesson().verdict(), "Not this time: you said bucket 0, slot 6; key 14 landed in bucket 2, slot 3.");
  // The explanation, from the op's own events.
  const PutOutcome o = putOutcome(g.app().session(), put14);
  EXPECT_TRUE(o.grew);
  EXPECT_FALSE(o.sameSize);
  EXPECT_EQ(o.B, 2);
  EXPECT_EQ(o.hashB, 1);
  EXPECT_EQ(o.countAfter, 14);
  EXPECT_EQ(o.hash, 14u);
  EXPECT_EQ(o.cell.bucket, 2u);
  EXPECT_EQ(o.cell.slot, 3);
  auto why = explainPut(o);
  ASSERT_GE(why.size(), 3u);
  EXPECT_NE(why[0].find("count+1 = 14"), std::string::npos) << why[0];
  EXPECT_NE(why.back().find("first empty cell"), std::string::npos) << why.back();
}

// The verdict and the reasons are in the UI language.
TEST(LessonPanel, PredictSpeaksChinese) {
  LessonGui g("zh");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kLessons + "c08-load-factor-6-5.ops")) << g.app().error();
  g.frames(3);
  if (language() != Lang::Zh) GTEST_SKIP() << "no CJK font: the UI falls back to English";
  g.click(g.lesson().predictToggle.center());
  ASSERT_TRUE(g.lesson().predict);
  const std::size_t put13 = g.opNamed("put 13 13");
  g.app().seek(g.app().lastEventOfOp(put13 - 1));
  g.frames(2);
  auto cell = g.rt.workspace().buckets.cellRect(Loc{false, 1, 0, 5});
  ASSERT_TRUE(cell);
  g.click(cell->center());
  g.click(g.lesson().runButton.center());
  g.frames(1);
  EXPECT_EQ(g.lesson().verdict(), "这次没猜对：你猜的是桶 1、格子 5；键 13 落在桶 1、格子 6。");
  auto why = explainPut(putOutcome(g.app().session(), put13));
  ASSERT_FALSE(why.empty());
  EXPECT_NE(why.back().find("第一个空格子"), std::string::npos) << why.back();
}

// At the end of the session the panel takes a typed key: guess, then Insert.
TEST(LessonPanel, PredictATypedInsert) {
  LessonGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kLessons + "c03-lookup-no-probing.ops")) << g.app().error();
  g.app().toEnd();
  g.frames(3);
  g.click(g.lesson().predictToggle.center());
  ASSERT_TRUE(g.lesson().predict);
  g.frames(1);
  const std::size_t before = g.app().session().opCount();
  ASSERT_EQ(g.lesson().askedOp(), std::optional<std::size_t>(before));
  // Key 3 (identity hash, B = 2): bucket 3, which is empty: slot 0.
  auto cell = g.rt.workspace().buckets.cellRect(Loc{false, 3, 0, 0});
  ASSERT_TRUE(cell);
  g.click(cell->center());
  ASSERT_TRUE(g.lesson().guess());
  // Type the key into the panel's field through ImGui's character queue, then Insert.
  ASSERT_TRUE(g.lesson().keyField.drawn());
  g.click(g.lesson().keyField.center());
  ImGui::GetIO().AddInputCharacter('3');
  g.frames(2);
  ASSERT_TRUE(g.lesson().insertButton.drawn());
  g.click(g.lesson().insertButton.center());
  g.frames(2);
  ASSERT_EQ(g.app().session().opCount(), before + 1) << g.app().error();
  EXPECT_EQ(g.app().opText(before), "put 3 1");
  EXPECT_EQ(g.app().position(), g.app().lastEventOfOp(before)) << "the panel shows the insert's end";
  g.frames(1);
  EXPECT_TRUE(g.lesson().verdictRight()) << g.lesson().verdict();
  EXPECT_EQ(g.lesson().verdict(), "Right: key 3 landed in bucket 3, slot 0.");
}

// The ticks the panel shows are computed by replaying the script (checkLesson);
// the GUI's own session must be in the same state after each op: every expect
// line about the state reads the same on the session, seeked to the op's end.
TEST(LessonState, TicksAgreeWithTheSessionsOwnState) {
  namespace fs = std::filesystem;
  int checked = 0;
  for (const auto& ent : fs::directory_iterator(kLessons)) {
    if (ent.path().extension() != ".ops") continue;
    SCOPED_TRACE(ent.path().filename().string());
    { // A Swiss lesson (make swiss) is not a classic session: lesson.swiss.* and oracle_swiss.lesson_* check it;
      // nor is a sync.Map lesson (make syncmap): lesson.syncmap.* and Lessons.EveryLessonFile... check it.
      std::ifstream f(ent.path());
      std::stringstream text;
      text << f.rdbuf();
      ScriptParser p(ent.path().string());
      std::optional<ScriptError> err;
      p.parseAll(text.str(), err);
      if (p.swiss() || p.syncmap()) continue;
    }
    AppState a;
    ASSERT_TRUE(a.openScript(ent.path().string())) << a.error();
    const LoadedLesson* l = a.lesson();
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->check.failed, 0u);
    // The last session op with events of each script op (make's seed op has none).
    const Session& ss = a.session();
    std::vector<std::optional<std::size_t>> lastOf(l->opTexts.size());
    for (std::size_t k = 0; k < ss.opCount(); k++) {
      const uint64_t end = k + 1 < ss.opCount() ? ss.firstEventOfOp(k + 1) : ss.eventCount();
      if (end == ss.firstEventOfOp(k)) continue;
      if (auto so = a.scriptOpOf(k)) lastOf[*so] = k;
    }
    for (std::size_t i = 0; i < l->check.byOp.size(); i++) {
      if (l->check.byOp[i].empty() || !lastOf[i]) continue;
      a.seek(a.lastEventOfOp(*lastOf[i]));
      for (const ExpectOutcome& o : l->check.byOp[i]) {
        using W = ExpectWhat;
        const W w = o.line->what;
        const bool aboutState = w <= W::Offset; // the enum lists the state questions first
        if (!aboutState) continue;
        EXPECT_EQ(actualOf(*o.line, &a.map(), OpDid{}), o.got) << o.line->line << ": " << o.line->text;
        checked++;
      }
    }
  }
  EXPECT_GT(checked, 80);
}
