// GUI tests of the Swiss map's workspace (issue 13): a Swiss script opens in
// the Swiss panels, the keys drive its session through ImGui's input, the
// panels show the memory at the cursor (values from `gomaplab dump`, which
// equals the real runtime), a tombstone cell is drawn as one, and stepping
// back restores what was shown. Run under xvfb-run.
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <imgui_internal.h> // FindWindowByName, ImTextCharFromUtf8

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cmath>
#include <string>
#include <vector>

#include "trace/script_runner.hpp"
#include "offscreen_gui.hpp"
#include "ui/app_state.hpp"
#include "ui/file_browser.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/swiss_state.hpp"
#include "ui/theme.hpp"
#include "ui/workspace.hpp"

using namespace gomap;
using namespace gomap::ui;
using gomap::ui::test::initOffscreen;
using gomap::ui::test::keyTap;
using gomap::ui::test::mouseClick;
using namespace gomap::swiss;

namespace {
const std::string kScenarios = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/";
const std::string kLessons = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/";

struct Rgb {
  int r, g, b;
};
Rgb rgbOf(ImU32 c) { return {static_cast<int>(c & 0xff), static_cast<int>((c >> 8) & 0xff), static_cast<int>((c >> 16) & 0xff)}; }

class SwissGui {
public:
  explicit SwissGui(int w = 1600, int h = 900, const std::string& lang = "en", bool projector = false) {
    ok = initOffscreen(rt, err, w, h, lang, projector);
  }
  void frames(int n = 3) {
    for (int i = 0; i < n; i++) rt.frame(0);
    pixels = rt.readPixels(w, h);
  }
  Rgb at(int x, int y) const {
    x = std::clamp(x, 0, w - 1);
    y = std::clamp(y, 0, h - 1);
    const uint8_t* p = &pixels[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4];
    return {p[0], p[1], p[2]};
  }
  int count(ImVec2 a, ImVec2 b, Rgb c, int tol) const {
    int n = 0;
    for (int y = static_cast<int>(a.y) + 1; y < static_cast<int>(b.y) - 1; y++)
      for (int x = static_cast<int>(a.x) + 1; x < static_cast<int>(b.x) - 1; x++) {
        const Rgb p = at(x, y);
        if (std::abs(p.r - c.r) + std::abs(p.g - c.g) + std::abs(p.b - c.b) <= tol) n++;
      }
    return n;
  }
  // A key pressed and released through ImGui's input.
  void press(int key, bool shift = false) {
    keyTap(rt, key, shift);
  }
  // A left click at p through ImGui's input: move there, press, release.
  void clickAt(ImVec2 p) {
    mouseClick(rt, p);
    rt.injectMouse.reset();
  }
  // Clicks the File menu's widget drawn under that name (false: not drawn).
  bool clickFile(const std::string& name) {
    rt.frame(0); // a window that just appeared settles first
    if (!ws().files.hasRect(name)) return false;
    clickAt(ws().files.centre(name));
    return true;
  }
  // File > Lessons..., then the lesson's row in the browser's bundled list.
  bool openLessonFromMenu(const std::string& file) {
    ws().files.rects.clear();
    if (!clickFile("menu.file")) return false;
    rt.frame(0);
    if (!clickFile("menu.lessons")) return false;
    rt.frame(0);
    rt.frame(0);
    if (ws().files.modal() != FileUi::Modal::Browser) return false;
    // On a small screen with a large font the list scrolls: turn the wheel over
    // it until the row is between the tabs and the Open button, as a person would.
    const std::string row = "browser.bundled." + file;
    for (int i = 0; i < 40; i++) {
      rt.frame(0);
      FileUi& fu = ws().files;
      if (!fu.hasRect(row) || !fu.hasRect("browser.ok") || !fu.hasRect("browser.tab.bundled")) return false;
      const float top = fu.rects["browser.tab.bundled"].second.y, bottom = fu.rects["browser.ok"].first.y;
      const ImVec2 c = fu.centre(row);
      const float margin = ImGui::GetFrameHeight();
      if (c.y > top + margin && c.y < bottom - margin) break;
      rt.injectMouse = ImVec2(c.x, (top + bottom) * 0.5f);
      rt.injectWheel = c.y >= bottom - margin ? -1.0f : 1.0f;
      rt.frame(0);
      rt.injectWheel = 0;
    }
    return clickFile(row);
  }
  AppState& app() { return rt.app(); }
  Workspace& ws() { return rt.workspace(); }
  SwissController& sw() { return rt.app().swissController(); }
  GuiRuntime rt;
  bool ok = false;
  std::string err;
  std::vector<uint8_t> pixels;
  int w = 0, h = 0;
};

#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display/GL: " << (g).err

std::string field(const SwissHeaderView& v, const std::string& name) {
  for (const auto& [k, val] : v.fields)
    if (k == name) return val;
  return "<not shown>";
}
const SwissGroupsView::Cell* cellAt(const SwissGroupsView& v, int table, uint64_t group, int slot) {
  for (const auto& c : v.cells)
    if (c.table == table && c.group == group && c.slot == slot) return &c;
  return nullptr;
}
// The last event of session op k.
int64_t endOfOp(const SwissSession& s, std::size_t k) {
  return static_cast<int64_t>(s.op(k).firstEvent + s.op(k).eventCount) - 1;
}
} // namespace

TEST(Swiss, AScriptOpensInTheSwissWorkspaceAndTheKeysStepIt) {
  SwissGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_small.ops")) << g.app().error();
  g.frames(3);
  ASSERT_TRUE(g.ws().swissMode());
  EXPECT_EQ(&g.ws().controller(), static_cast<Controller*>(&g.sw()));
  EXPECT_EQ(g.sw().position(), -1); // before make
  // Only the Swiss panels are listed and drawn (the Lesson panel only for a
  // script with lesson lines: this one has none).
  int swissPanels = 0;
  for (const PanelDef& d : g.ws().registry().all())
    if (g.ws().panelFits(d) && g.ws().available(d)) {
      EXPECT_EQ(d.when, PanelDef::When::Swiss) << d.id;
      swissPanels++;
    }
  EXPECT_EQ(swissPanels, 6);
  EXPECT_FALSE(g.ws().lesson.drawnThisFrame());
  const int64_t n = static_cast<int64_t>(g.sw().eventCount());
  g.press(GLFW_KEY_RIGHT);
  g.press(GLFW_KEY_RIGHT);
  g.press(GLFW_KEY_RIGHT);
  EXPECT_EQ(g.sw().position(), 2);
  g.press(GLFW_KEY_LEFT);
  EXPECT_EQ(g.sw().position(), 1);
  // Shift+Right: to the end of the op (make).
  g.press(GLFW_KEY_RIGHT, true);
  EXPECT_EQ(g.sw().position(), endOfOp(g.sw().session(), 0));
  g.press(GLFW_KEY_RIGHT, true);
  EXPECT_EQ(g.sw().position(), endOfOp(g.sw().session(), 1));
  g.press(GLFW_KEY_END);
  EXPECT_EQ(g.sw().position(), n - 1);
  g.press(GLFW_KEY_HOME);
  EXPECT_EQ(g.sw().position(), -1);
  g.press(GLFW_KEY_SPACE);
  EXPECT_TRUE(g.sw().playing());
  g.press(GLFW_KEY_SPACE);
  EXPECT_FALSE(g.sw().playing());
  // Opening a classic script goes back to the classic workspace.
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.frames(2);
  EXPECT_FALSE(g.ws().swissMode());
  EXPECT_EQ(&g.ws().controller(), static_cast<Controller*>(&g.app()));
}

TEST(Swiss, PanelsShowTheSmallGroupAsTheDumpDoes) {
  SwissGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_small.ops"));
  const SwissSession& s = g.sw().session();
  // Session ops: make, put 1, put 2, put 3, get 2, del 2, put 4 (op 6).
  ASSERT_EQ(g.sw().opText(6), "put 4 400");
  g.sw().seek(endOfOp(s, 6));
  g.frames(3);
  // gomaplab dump after "put 4 400": used 3, seed 7, small ctrl [19,91,91,128...],
  // k [1,4,3,0...], v [100,400,300,0...].
  const SwissHeaderView& hv = g.ws().swiss.header;
  EXPECT_EQ(field(hv, "used"), "3");
  EXPECT_EQ(field(hv, "seed"), "0x0000000000000007");
  EXPECT_EQ(field(hv, "dirLen"), "0");
  const SwissGroupsView& gv = g.ws().swiss.groups;
  const auto* c0 = cellAt(gv, -1, 0, 0);
  const auto* c1 = cellAt(gv, -1, 0, 1);
  const auto* c3 = cellAt(gv, -1, 0, 3);
  ASSERT_TRUE(c0 && c1 && c3);
  EXPECT_EQ(c0->ctrl, "13"); // 19
  EXPECT_EQ(c0->key, "1");
  EXPECT_EQ(c0->elem, "100");
  EXPECT_EQ(c1->ctrl, "5b"); // 91
  EXPECT_EQ(c1->key, "4");
  EXPECT_EQ(c1->elem, "400");
  EXPECT_EQ(c3->ctrl, "E");
  // The caption names the op.
  EXPECT_NE(gv.caption.find("put 4 400"), std::string::npos) << gv.caption;
}

TEST(Swiss, ATombstoneCellIsDrawnAsOneAndTheHeaderMatchesTheDump) {
  SwissGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_split.ops"));
  const SwissSession& s = g.sw().session();
  // The end: gomaplab dump's last line says used 2843, dirLen 4, globalDepth 2.
  g.press(GLFW_KEY_END);
  g.frames(2);
  EXPECT_EQ(field(g.ws().swiss.header, "used"), "2843");
  EXPECT_EQ(field(g.ws().swiss.header, "dirLen"), "4");
  EXPECT_EQ(field(g.ws().swiss.header, "globalDepth"), "2");
  EXPECT_EQ(field(g.ws().swiss.header, "tombstonePossible"), "true");
  // A delete that leaves a tombstone: its op's end (no slot framed then), the group in view.
  int64_t tomb = -1;
  for (uint64_t i = 0; i < s.eventCount(); i++)
    if (s.event(i).kind == SwissKind::SlotDeleted && swissPayloadOf<SwissKind::SlotDeleted>(s.event(i)).tombstone) {
      tomb = static_cast<int64_t>(i);
      break;
    }
  ASSERT_GE(tomb, 0);
  g.sw().seek(tomb); // the groups panel scrolls to the slot
  g.frames(3);
  const SwissLoc loc = swissLocOfEvent(s.event(static_cast<uint64_t>(tomb)));
  const int table = tablePosOf(g.ws().swiss.frame, loc.table);
  ASSERT_GE(table, 0);
  {
    const auto* c = cellAt(g.ws().swiss.groups, table, loc.group, loc.slot);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->ctrl, "D");
    EXPECT_TRUE(c->current);
  }
  // Its op's end (op_end names no slot): the slot the delete touched stays framed.
  g.sw().seek(endOfOp(s, s.opOfEvent(static_cast<uint64_t>(tomb))));
  g.frames(3);
  {
    const auto* c = cellAt(g.ws().swiss.groups, table, loc.group, loc.slot);
    ASSERT_TRUE(c) << "the tombstone's group is not drawn";
    EXPECT_EQ(c->ctrl, "D");
    EXPECT_TRUE(c->current);
  }
  // The next op's first event: nothing of it located yet, no slot framed, the group still in view.
  g.sw().seek(endOfOp(s, s.opOfEvent(static_cast<uint64_t>(tomb))) + 1);
  g.frames(3);
  const auto* c = cellAt(g.ws().swiss.groups, table, loc.group, loc.slot);
  ASSERT_TRUE(c) << "the tombstone's group is not drawn";
  EXPECT_EQ(c->ctrl, "D");
  EXPECT_FALSE(c->current);
  // Its pixels: the tombstone fill (with hatching), not the empty or full fill.
  const Palette& pal = palette();
  const float area = (c->max.x - c->min.x) * (c->max.y - c->min.y);
  const int tombPx = g.count(c->min, c->max, rgbOf(pal.cell[1]), 10);
  const int emptyPx = g.count(c->min, c->max, rgbOf(pal.cell[0]), 10);
  const int fullPx = g.count(c->min, c->max, rgbOf(pal.cell[5]), 10);
  EXPECT_GT(tombPx, area * 0.3f) << "tomb " << tombPx << " empty " << emptyPx << " full " << fullPx;
  EXPECT_GT(tombPx, 3 * std::max(emptyPx, fullPx));
  // A full cell of the same group for contrast.
  for (int sl = 0; sl < 8; sl++) {
    const auto* o = cellAt(g.ws().swiss.groups, table, loc.group, sl);
    if (o && o->ctrl != "D" && o->ctrl != "E") {
      EXPECT_GT(g.count(o->min, o->max, rgbOf(pal.cell[5]), 10), (o->max.x - o->min.x) * (o->max.y - o->min.y) * 0.3f);
      EXPECT_LT(g.count(o->min, o->max, rgbOf(pal.cell[1]), 10), 10);
      break;
    }
  }
}

TEST(Swiss, SteppingBackRestoresWhatWasShown) {
  SwissGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_split.ops"));
  const SwissSession& s = g.sw().session();
  // Inside a split: the first SlotMoved of a split rehash, then 40 events on.
  int64_t at = -1;
  for (uint64_t i = 0; i < s.eventCount(); i++)
    if (s.event(i).kind == SwissKind::RehashStarted && swissPayloadOf<SwissKind::RehashStarted>(s.event(i)).split) {
      at = static_cast<int64_t>(i) + 40;
      break;
    }
  ASSERT_GT(at, 0);
  g.sw().seek(at);
  g.frames(3);
  auto shown = [&] {
    std::string t;
    for (const auto& [k, v] : g.ws().swiss.header.fields) t += k + "=" + v + ";";
    for (const auto& c : g.ws().swiss.groups.cells)
      t += std::to_string(c.table) + "/" + std::to_string(c.group) + "/" + std::to_string(c.slot) + ":" + c.ctrl + "," +
           c.key + "," + c.elem + ";";
    return t + g.ws().swiss.groups.caption;
  };
  const std::string before = shown();
  ASSERT_FALSE(g.ws().swiss.groups.cells.empty());
  // Forwards past the split's end (Shift+Right twice), then back to the same event.
  g.press(GLFW_KEY_RIGHT, true);
  g.press(GLFW_KEY_RIGHT, true);
  g.frames(2);
  EXPECT_GT(g.sw().position(), at);
  EXPECT_NE(shown(), before); // the split finished: the directory doubled
  const int64_t back = g.sw().position() - at;
  g.sw().seek(at + 3);
  for (int i = 0; i < 3; i++) g.press(GLFW_KEY_LEFT);
  g.frames(2);
  ASSERT_EQ(g.sw().position(), at) << back;
  EXPECT_EQ(shown(), before);
}

TEST(Swiss, TheProbePathIsNumberedAndTheHashPanelShowsH2) {
  SwissGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_split.ops"));
  const SwissSession& s = g.sw().session();
  // An insert whose probe visits 4 groups (probes 0..3).
  int64_t at = -1;
  for (uint64_t i = 0; i < s.eventCount(); i++)
    if (s.event(i).kind == SwissKind::GroupProbed && swissPayloadOf<SwissKind::GroupProbed>(s.event(i)).probe == 3) {
      at = static_cast<int64_t>(i);
      break;
    }
  ASSERT_GT(at, 0);
  g.sw().seek(at);
  g.frames(3);
  EXPECT_EQ(g.ws().swiss.frame.probes.size(), 4u);
  EXPECT_EQ(g.ws().swiss.groups.probeBadges, 4);
  // The hash panel shows H2 of the key's hash.
  ASSERT_TRUE(g.ws().swiss.frame.hash);
  EXPECT_NE(g.ws().swiss.hash.shown.find(fmt::format("H2 = hash & 0x7f = 0x{:02x}", g.ws().swiss.frame.hash->h2())),
            std::string::npos)
      << g.ws().swiss.hash.shown;
}

TEST(Swiss, SavingNeverWritesOverTheSwissScript) {
  SwissGui g;
  NEED_GUI(g);
  // A classic session with a file of its own, then a Swiss script opened over it.
  const std::string dir = ::testing::TempDir() + "/swiss_save";
  std::filesystem::create_directories(dir);
  const std::string classic = dir + "/classic.ops", sw = dir + "/sw.ops";
  std::filesystem::copy_file(kScenarios + "growth.ops", classic, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(kScenarios + "swiss/swiss_small.ops", sw, std::filesystem::copy_options::overwrite_existing);
  ASSERT_TRUE(g.app().openScript(classic));
  ASSERT_TRUE(g.app().openScript(sw));
  ASSERT_TRUE(g.app().swissMode());
  EXPECT_EQ(g.app().scriptPath(), classic); // Save goes to the op-script session's own file
  ASSERT_TRUE(g.app().saveScript(g.app().scriptPath()));
  std::ifstream in(sw);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("make swiss int64 0 7"), std::string::npos);
}

// ---- Swiss lessons (issue 13, section 4): the Lesson panel in the Swiss workspace ----------------

namespace {
const char* const kSwissLessons[] = {"s01-grow-rebuilds-one-table.ops", "s02-small-update-go126.ops",
                                     "s03-small-update-go127.ops",      "s04-tombstones-prune-int64.ops",
                                     "s05-tombstones-grow-float64.ops", "s06-iteration-offsets.ops"};

// The script op (index into the lesson's ops) written as `text`.
std::size_t scriptOpNamed(const LoadedLesson& l, const std::string& text) {
  for (std::size_t i = 0; i < l.opTexts.size(); i++)
    if (l.opTexts[i] == text) return i;
  ADD_FAILURE() << "no script op " << text;
  return 0;
}

// The Swiss lesson panel's window as ImGui placed it this frame (null: not drawn).
const ImGuiWindow* lessonWindow() {
  const ImGuiWindow* w = ImGui::FindWindowByName("###swiss.lesson");
  return w && w->WasActive ? w : nullptr;
}

std::vector<unsigned> codePointsOf(const std::string& s) {
  std::vector<unsigned> out;
  const char* p = s.c_str();
  const char* end = p + s.size();
  while (p < end) {
    unsigned c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    p += n > 0 ? n : 1;
    if (c >= 0x20) out.push_back(c);
  }
  return out;
}
} // namespace

// A teacher opens a Swiss lesson from File > Lessons (listed with its title),
// it opens in the Swiss workspace with its Lesson panel, and the panel follows
// the cursor as the keys step: the narration and expect lines of the op at it.
TEST(SwissLesson, OpenedFromTheLessonsMenuItsPanelFollowsTheSteps) {
  SwissGui g;
  NEED_GUI(g);
  g.frames(2);
  // The browser lists every Swiss lesson under its title.
  g.ws().files.rects.clear();
  ASSERT_TRUE(g.clickFile("menu.file"));
  g.frames(1);
  ASSERT_TRUE(g.clickFile("menu.lessons"));
  g.frames(2);
  ASSERT_EQ(g.ws().files.modal(), FileUi::Modal::Browser);
  for (const char* f : kSwissLessons) {
    EXPECT_TRUE(g.ws().files.hasRect(std::string("browser.bundled.") + f)) << f;
    EXPECT_FALSE(fileTitle(kLessons + f, Lang::En).empty()) << f;
    EXPECT_FALSE(fileTitle(kLessons + f, Lang::Zh).empty()) << f;
  }
  ASSERT_TRUE(g.clickFile("browser.bundled.s01-grow-rebuilds-one-table.ops"));
  g.frames(3);
  EXPECT_EQ(g.ws().files.modal(), FileUi::Modal::None);
  ASSERT_TRUE(g.ws().swissMode()) << g.app().error();
  const LoadedLesson* l = g.sw().lesson();
  ASSERT_NE(l, nullptr) << "the Swiss script's lesson lines were kept";
  EXPECT_EQ(l->check.failed, 0u);
  EXPECT_EQ(l->check.checked, 49u); // as `gomaplab dump --check` counts them

  // The panel is registered for the Swiss workspace, listed, and on screen.
  bool listed = false;
  for (const PanelDef& d : g.ws().registry().all())
    if (d.bit == PanelSwissLesson) listed = g.ws().panelFits(d) && g.ws().available(d);
  EXPECT_TRUE(listed);
  EXPECT_TRUE(g.ws().lesson.drawnThisFrame());
  const ImGuiWindow* win = lessonWindow();
  ASSERT_NE(win, nullptr);
  EXPECT_GE(win->Pos.x, 0);
  EXPECT_LE(win->Pos.x + win->Size.x, 1600.5f);
  EXPECT_GT(win->Size.y, ImGui::GetFontSize() * 8) << "room for the narration";
  EXPECT_EQ(g.ws().lesson.shownTitle, "What changed from Go 1.19: a grow rebuilds one table at once");
  EXPECT_FALSE(g.ws().lesson.predictToggle.drawn()) << "predict mode asks for classic buckets";

  // Before make: the first op's narration.
  EXPECT_EQ(g.sw().position(), -1);
  const std::size_t make = scriptOpNamed(*l, "make swiss int64 0");
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(make));
  EXPECT_NE(g.ws().lesson.shownNarration.find("made without a hint"), std::string::npos)
      << g.ws().lesson.shownNarration;
  EXPECT_EQ(g.ws().lesson.shownExpects, 4u); // used, small, tables, dirLen
  EXPECT_EQ(g.ws().lesson.shownHolding, 4u);

  // Shift+Right: to the end of make, then to the end of `put 1 1`: its narration (two lines, one paragraph).
  g.press(GLFW_KEY_RIGHT, true);
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(make));
  g.press(GLFW_KEY_RIGHT, true);
  const std::size_t put1 = scriptOpNamed(*l, "put 1 1");
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(put1));
  EXPECT_NE(g.ws().lesson.shownNarration.find("slot by slot. There is no hash-based placement"), std::string::npos)
      << g.ws().lesson.shownNarration;
  // Seven more: `put 8 8`, no narration of its own, five expect lines, all holding.
  for (int i = 0; i < 7; i++) g.press(GLFW_KEY_RIGHT, true);
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(scriptOpNamed(*l, "put 8 8")));
  EXPECT_TRUE(g.ws().lesson.shownNarration.empty());
  EXPECT_EQ(g.ws().lesson.shownExpects, 5u);
  EXPECT_EQ(g.ws().lesson.shownHolding, 5u);
  // Right: one event into `put 9 9`, the grow to a table; the panel follows.
  g.press(GLFW_KEY_RIGHT);
  const std::size_t put9 = scriptOpNamed(*l, "put 9 9");
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(put9));
  EXPECT_NE(g.ws().lesson.shownNarration.find("growToTable builds one table of 16 slots"), std::string::npos);
  EXPECT_EQ(g.ws().lesson.shownExpects, 7u);
  EXPECT_EQ(g.ws().lesson.shownHolding, 7u);
  // Left: back into `put 8 8`; Home: before make again.
  g.press(GLFW_KEY_LEFT);
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(scriptOpNamed(*l, "put 8 8")));
  g.press(GLFW_KEY_HOME);
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(make));
  // End: the last op, `get 1`.
  g.press(GLFW_KEY_END);
  EXPECT_EQ(g.ws().lesson.shownScriptOp, std::optional<std::size_t>(l->opTexts.size() - 1));

  // A Swiss script without lesson lines: no Lesson panel; a classic lesson: the classic one.
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_small.ops"));
  g.frames(3);
  EXPECT_FALSE(g.ws().lesson.drawnThisFrame());
  EXPECT_EQ(lessonWindow(), nullptr);
  ASSERT_TRUE(g.openLessonFromMenu("c08-load-factor-6-5.ops"));
  g.frames(3);
  EXPECT_FALSE(g.ws().swissMode());
  EXPECT_TRUE(g.ws().lesson.drawnThisFrame());
  EXPECT_TRUE(g.ws().lesson.predictToggle.drawn());
  EXPECT_EQ(lessonWindow(), nullptr);
}

// In class: Chinese, the projector theme at 175% on 1280x720. Every Swiss
// lesson opens from the menu with its Lesson panel in the projector layout
// (beside the groups, above the header, overlapping neither), its Chinese
// title and narration drawn with every glyph, and follows Shift+Right.
TEST(SwissLesson, EverySwissLessonInChineseOnAProjector) {
  SwissGui g(1280, 720, "zh", true);
  NEED_GUI(g);
  g.frames(2);
  if (!g.rt.fonts().cjk) GTEST_SKIP() << "no CJK font";
  for (const char* file : kSwissLessons) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(g.openLessonFromMenu(file));
    g.frames(4); // the atlas is rebuilt for the lesson's text, then the layout settles
    ASSERT_TRUE(g.ws().swissMode()) << g.app().error();
    const LoadedLesson* l = g.sw().lesson();
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->check.failed, 0u);
    ASSERT_TRUE(g.ws().lesson.drawnThisFrame());
    EXPECT_EQ(g.ws().lesson.shownTitle, l->lesson.title[1]);
    const ImGuiWindow* win = lessonWindow();
    ASSERT_NE(win, nullptr);
    const ImGuiWindow* groups = ImGui::FindWindowByName("###swiss.groups");
    const ImGuiWindow* header = ImGui::FindWindowByName("###swiss.header");
    ASSERT_TRUE(groups && groups->WasActive && header && header->WasActive);
    EXPECT_LE(win->Pos.x + win->Size.x, groups->Pos.x + 1) << "beside the groups";
    EXPECT_LE(win->Pos.y + win->Size.y, header->Pos.y + 1) << "above the header";
    EXPECT_GT(win->Size.y, 720 * 0.3f);
    // Every glyph of the title and of every narration is in the UI font.
    std::string text = l->lesson.title[1];
    for (const LessonNotes& n : l->lesson.ops) text += n.narration[1];
    std::string missing;
    for (unsigned c : codePointsOf(text))
      if (c < 0x10000 && !g.rt.fonts().ui->FindGlyphNoFallback(static_cast<ImWchar>(c)))
        missing += fmt::format(" U+{:04X}", c);
    EXPECT_TRUE(missing.empty()) << "no glyph for" << missing;
    // Step op by op: the panel shows the op's Chinese narration whenever it has one.
    int narrated = 0;
    for (int i = 0; i < 12; i++) {
      g.press(GLFW_KEY_RIGHT, true);
      const auto so = g.ws().lesson.shownScriptOp;
      ASSERT_TRUE(so);
      const LessonNotes* n = l->lesson.notesOf(*so);
      if (n && !n->narration[1].empty()) {
        narrated++;
        EXPECT_FALSE(g.ws().lesson.shownNarration.empty());
        const std::string& shown = g.ws().lesson.shownNarration;
        EXPECT_TRUE(std::any_of(shown.begin(), shown.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
            << "Chinese, not English: " << shown;
      }
    }
    EXPECT_GT(narrated, 0);
  }
}

// A range loop whose body writes (iter ... do), stepped in the Swiss workspace
// through ImGui's keys: the caption names the pair and the body op running, and
// at the loop's end the groups view shows what `gomaplab dump` prints for the
// same script (the dump equals the real Go 1.26/1.27 map after a loop: the
// swiss_diff loop_* tests).
TEST(SwissLoop, ABodyThatWritesIsSteppedAndEndsAsTheDumpSays) {
  SwissGui g;
  NEED_GUI(g);
#ifndef GOMAPLAB_BINARY
  GTEST_SKIP() << "GOMAPLAB_BINARY not defined";
#else
  char tmpl[] = "/tmp/gomaplab-loop-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl, path = dir + "/loop.ops";
  {
    std::ofstream f(path);
    f << "make swiss int64 0 7\nput 1 10\nput 2 20\nput 3 30\niter 0 0 do put k+100 1; del k\n";
  }
  ASSERT_EQ(std::system((std::string(GOMAPLAB_BINARY) + " dump " + path + " > " + dir + "/dump.jsonl").c_str()), 0);
  std::string last, line;
  {
    std::ifstream in(dir + "/dump.jsonl");
    while (std::getline(in, line)) last = line;
  }
  // The small group's ctrl bytes and keys after the loop.
  auto array = [&](const std::string& field) {
    std::vector<int64_t> v;
    const std::size_t at = last.find("\"" + field + "\":[");
    if (at == std::string::npos) return v;
    std::istringstream ss(last.substr(at + field.size() + 4, last.find(']', at) - at - field.size() - 4));
    std::string item;
    while (std::getline(ss, item, ',')) v.push_back(std::stoll(item));
    return v;
  };
  const std::vector<int64_t> ctrl = array("ctrl"), keys = array("k");
  ASSERT_EQ(ctrl.size(), 8u) << last;
  ASSERT_EQ(keys.size(), 8u) << last;

  const bool opened = g.app().openScript(path);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(opened) << g.app().error();
  g.frames(2);
  const SwissSession& s = g.sw().session();
  ASSERT_EQ(s.opCount(), 5u);
  // Shift+Right four times: the end of put 3 30; then Right steps into the loop.
  for (int i = 0; i < 4; i++) g.press(GLFW_KEY_RIGHT, true);
  ASSERT_EQ(g.sw().position(), endOfOp(s, 3));
  std::vector<std::string> captions;
  while (g.sw().position() < endOfOp(s, 4)) {
    g.press(GLFW_KEY_RIGHT);
    g.frames(1);
    captions.push_back(g.ws().swiss.groups.caption);
  }
  auto seen = [&](const std::string& text) {
    for (const auto& c : captions)
      if (c.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(seen("pair 1  —  ")) << captions.front();
  EXPECT_TRUE(seen("pair 1, body: put k+100 1  —  "));
  EXPECT_TRUE(seen("pair 1, body: del k  —  "));
  EXPECT_TRUE(seen("pair 4, body: del k  —  ")); // the dump's keys: 1, 2, 3 and the inserted 101
  EXPECT_FALSE(seen("pair 5"));
  // At the end: every slot as the dump has it (stale keys of emptied slots included).
  const SwissGroupsView& gv = g.ws().swiss.groups;
  for (int slot = 0; slot < 8; slot++) {
    const auto* c = cellAt(gv, -1, 0, slot);
    ASSERT_TRUE(c) << slot;
    if (ctrl[slot] == 128) EXPECT_EQ(c->ctrl, "E") << slot;
    else {
      EXPECT_EQ(c->ctrl, fmt::format("{:x}", ctrl[slot])) << slot;
      EXPECT_EQ(c->key, std::to_string(keys[slot])) << slot;
    }
  }
  EXPECT_EQ(field(g.ws().swiss.header, "used"), "3");
  // Stepping back into the loop shows the body op again (Left arrow).
  g.press(GLFW_KEY_LEFT);
  g.press(GLFW_KEY_LEFT);
  g.frames(1);
  EXPECT_NE(g.ws().swiss.groups.caption.find("pair 4, body: del k"), std::string::npos) << g.ws().swiss.groups.caption;
#endif
}

// A rehash's new tables are drawn while they fill: stepping (Right, through
// ImGui's input) onto a slot moved by a split shows the right table being
// built, with the moved key in the event's destination cell, marked; the
// hash panel shows the moved key's hash and the bit that sent it right. Once
// the tables are installed, no row of a table being built is left.
TEST(Swiss, ASplitsNewTablesFillOnScreen) {
  SwissGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "swiss/swiss_split.ops"));
  const SwissSession& s = g.sw().session();
  int64_t at = -1, installed = -1;
  for (uint64_t i = 0; i < s.eventCount() && installed < 0; i++) {
    if (at < 0 && s.event(i).kind == SwissKind::SlotMoved && swissPayloadOf<SwissKind::SlotMoved>(s.event(i)).right)
      at = static_cast<int64_t>(i);
    if (at >= 0 && s.event(i).kind == SwissKind::OpEnd) installed = static_cast<int64_t>(i);
  }
  ASSERT_GT(at, 0);
  g.sw().seek(at - 1);
  g.frames(2);
  g.press(GLFW_KEY_RIGHT);
  g.frames(3);
  ASSERT_EQ(g.sw().position(), at);
  const auto p = swissPayloadOf<SwissKind::SlotMoved>(s.event(static_cast<uint64_t>(at)));
  const SwissFrame& f = g.ws().swiss.frame;
  ASSERT_TRUE(f.building[1]) << "the split's right table is being built";
  // The source slot's key, read from the map the frame shows.
  GroupView from;
  f.map->group(f.dir[p.from.table], p.from.group, from);
  const KeyValue key = from.keys[p.from.slot];
  const auto* c = cellAt(g.ws().swiss.groups, -4, p.toGroup, p.toSlot);
  ASSERT_NE(c, nullptr) << "the destination cell is drawn (the view follows it)";
  EXPECT_TRUE(c->current);
  EXPECT_EQ(c->key, shortKey(key, c->key.size() + 8));
  EXPECT_EQ(c->ctrl, swissCtrlText(from.ctrlByte(p.from.slot)));
  const std::string& shown = g.ws().swiss.hash.shown;
  EXPECT_NE(shown.find("the moved key " + keyText(key)), std::string::npos) << shown;
  EXPECT_NE(shown.find("= 1: the right table"), std::string::npos) << shown;
  // At the end of the op both tables are in the directory: no row is left.
  g.sw().seek(installed);
  g.frames(3);
  EXPECT_FALSE(f.building[0] || f.building[1]);
  for (const auto& cell : g.ws().swiss.groups.cells) EXPECT_GE(cell.table, -1);
}
