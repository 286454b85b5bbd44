// GUI tests of the Swiss map's workspace (issue 13): a Swiss script opens in
// the Swiss panels, the keys drive its session through ImGui's input, the
// panels show the memory at the cursor (values from `gomaplab dump`, which
// equals the real runtime), a tombstone cell is drawn as one, and stepping
// back restores what was shown. Run under xvfb-run.
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cmath>
#include <string>
#include <vector>

#include "ui/app_state.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/swiss_state.hpp"
#include "ui/theme.hpp"
#include "ui/workspace.hpp"

using namespace gomap;
using namespace gomap::ui;
using namespace gomap::swiss;

namespace {
const std::string kScenarios = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/";

struct Rgb {
  int r, g, b;
};
Rgb rgbOf(ImU32 c) { return {static_cast<int>(c & 0xff), static_cast<int>((c >> 8) & 0xff), static_cast<int>((c >> 16) & 0xff)}; }

class SwissGui {
public:
  explicit SwissGui(int w = 1600, int h = 900, const std::string& lang = "en") {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    o.width = w;
    o.height = h;
    o.prefs.language = lang;
    std::string why;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (!ok) err = why;
    if (ok) rt.workspace().forceLayout = true;
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
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    io.KeyShift = shift;
    rt.frame(0);
    io.KeysDown[key] = false;
    io.KeyShift = false;
    rt.frame(0);
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
  // Only the Swiss panels are listed and drawn.
  int swissPanels = 0;
  for (const PanelDef& d : g.ws().registry().all())
    if (g.ws().panelFits(d)) {
      EXPECT_EQ(d.when, PanelDef::When::Swiss) << d.id;
      swissPanels++;
    }
  EXPECT_EQ(swissPanels, 6);
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
  g.sw().seek(endOfOp(s, s.opOfEvent(static_cast<uint64_t>(tomb))));
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
