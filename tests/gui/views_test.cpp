// GUI tests for views (issue 11): the caption, projector mode at 175% on a
// small screen, the colour-blind-safe projector theme, the evacuation layout.
// Run under xvfb-run (the Render tests open an offscreen GL context).
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engine/runtime_consts.hpp"
#include "ui/app_state.hpp"
#include "ui/event_text.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/workspace.hpp"

using namespace gomap;
using namespace gomap::ui;

namespace {
const std::string kScenarios = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/";

struct Rgb {
  int r, g, b;
};
Rgb rgbOf(ImU32 c) { return {static_cast<int>(c & 0xff), static_cast<int>((c >> 8) & 0xff), static_cast<int>((c >> 16) & 0xff)}; }
double luminance(Rgb c) {
  auto lin = [](int v) {
    const double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}
double hue(Rgb c) {
  float h, s, v;
  ImGui::ColorConvertRGBtoHSV(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, h, s, v);
  return h * 360.0;
}
bool overlap(const ScreenRect& a, const ScreenRect& b) {
  return a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
}

// An offscreen GUI with a tiled layout.
class Gui {
public:
  explicit Gui(int w = 1600, int h = 900, float fontScale = 1.0f, ThemeKind theme = ThemeKind::Dark,
               const std::string& lang = "en") {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    o.width = w;
    o.height = h;
    o.prefs.language = lang;
    o.prefs.fontScale = fontScale;
    o.prefs.theme = theme;
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
  Rgb at(float x, float y) const {
    const int xi = std::clamp(static_cast<int>(x), 0, w - 1), yi = std::clamp(static_cast<int>(y), 0, h - 1);
    const uint8_t* p = &pixels[(static_cast<std::size_t>(yi) * static_cast<std::size_t>(w) + static_cast<std::size_t>(xi)) * 4];
    return {p[0], p[1], p[2]};
  }
  // How many pixels in a box have about this colour.
  int count(float x0, float y0, float x1, float y1, Rgb c, int tol = 40) const {
    int n = 0;
    for (int y = static_cast<int>(y0); y < static_cast<int>(y1); y++)
      for (int x = static_cast<int>(x0); x < static_cast<int>(x1); x++) {
        const Rgb p = at(static_cast<float>(x), static_cast<float>(y));
        if (std::abs(p.r - c.r) + std::abs(p.g - c.g) + std::abs(p.b - c.b) <= tol) n++;
      }
    return n;
  }
  // How many pixels in a box differ clearly from the box's most common colour
  // (its background): the ink of text drawn on it.
  int ink(float x0, float y0, float x1, float y1) const {
    std::map<std::tuple<int, int, int>, int> n;
    for (int y = static_cast<int>(y0); y < static_cast<int>(y1); y++)
      for (int x = static_cast<int>(x0); x < static_cast<int>(x1); x++) {
        const Rgb c = at(static_cast<float>(x), static_cast<float>(y));
        n[{c.r, c.g, c.b}]++;
      }
    if (n.empty()) return 0;
    auto best = std::max_element(n.begin(), n.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
    return count(x0, y0, x1, y1, Rgb{std::get<0>(best), std::get<1>(best), std::get<2>(best)}, 1000) -
           count(x0, y0, x1, y1, Rgb{std::get<0>(best), std::get<1>(best), std::get<2>(best)}, 80);
  }
  AppState& app() { return rt.app(); }
  Workspace& ws() { return rt.workspace(); }
  GuiRuntime rt;
  bool ok = false;
  std::string err;
  std::vector<uint8_t> pixels;
  int w = 0, h = 0;
};

#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display/GL: " << (g).err

int64_t findEvent(AppState& a, EventKind k, int64_t from = 0) {
  for (int64_t i = from; i < static_cast<int64_t>(a.eventCount()); i++)
    if (a.session().event(static_cast<uint64_t>(i)).kind == k) return i;
  return -1;
}
} // namespace

TEST(Views, CaptionSaysWhatTheCurrentEventDidAndChangesOnAStep) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "incremental_growth.ops"));
  const int64_t ev = findEvent(g.app(), EventKind::CellEvacuated);
  ASSERT_GE(ev, 0);
  g.app().seek(ev);
  g.frames();
  const CaptionView& c = g.ws().buckets.caption();
  const Event& e = g.app().session().event(static_cast<uint64_t>(ev));
  EXPECT_EQ(c.sentence(), describeEventUi(e));
  EXPECT_NE(c.where().find("evacuate"), std::string::npos) << c.where();
  EXPECT_NE(c.where().find(std::to_string(siteInfo(e.site).line)), std::string::npos) << c.where();
  // Its text is drawn: the text colour inside the sentence's rectangle, under the buckets.
  const ImVec2 a = c.sentenceMin(), z = c.sentenceMax();
  ASSERT_GT(z.x - a.x, 50);
  EXPECT_GT(z.y - a.y, ImGui::GetFontSize() * 1.1f); // larger than the UI font
  EXPECT_GT(g.ink(a.x, a.y, z.x, z.y), 60);
  auto bodyRect = g.ws().buckets.cellRect(Loc{false, 0, 0, 0});
  ASSERT_TRUE(bodyRect.has_value());
  EXPECT_GT(a.y, bodyRect->max.y);

  // A step through ImGui's key input (the Right arrow): the caption follows.
  const std::string before = c.sentence();
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[GLFW_KEY_RIGHT] = true;
  g.frames(1);
  io.KeysDown[GLFW_KEY_RIGHT] = false;
  g.frames(2);
  ASSERT_EQ(g.app().position(), ev + 1);
  const Event& e2 = g.app().session().event(static_cast<uint64_t>(ev + 1));
  EXPECT_EQ(c.sentence(), describeEventUi(e2));
  EXPECT_NE(c.sentence(), before);
}

TEST(Views, CaptionShowsThePanicInFullInChineseToo) {
  Gui g(1600, 900, 1.0f, ThemeKind::Dark, "zh");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "nil_map.ops"));
  const int64_t ev = findEvent(g.app(), EventKind::Panic);
  ASSERT_GE(ev, 0);
  g.app().seek(ev);
  g.frames();
  const CaptionView& c = g.ws().buckets.caption();
  EXPECT_TRUE(c.isError());
  if (g.ws().effectiveLanguage() == Lang::Zh) {
    EXPECT_NE(c.sentence().find("assignment to entry in nil map"), std::string::npos) << c.sentence();
  }
  EXPECT_NE(c.sentence().find("nil"), std::string::npos) << c.sentence();
  EXPECT_GT(g.ink(c.sentenceMin().x, c.sentenceMin().y, c.sentenceMax().x, c.sentenceMax().y), 60);
}

TEST(Views, ProjectorAt175PercentOn1280x720FitsEveryPanel) {
  Gui g(1280, 720, 1.75f, ThemeKind::Projector);
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().seek(200);
  g.frames(4);
  ASSERT_EQ(g.w, 1280);
  // The panels of the projector layout are on screen, and none needs a
  // horizontal scrollbar; those that should not scroll at all do not.
  struct P {
    const char* id;
    bool mayScrollY;
  };
  int seen = 0;
  for (const P p : {P{"###controls", true}, P{"###header", true}, P{"###buckets", false}, P{"###timeline", false}}) {
    ImGuiWindow* w = ImGui::FindWindowByName(p.id);
    ASSERT_NE(w, nullptr) << p.id;
    EXPECT_TRUE(w->Active || w->WasActive) << p.id;
    // (Widgets that span the window, like collapsing headers, reach into the padding.)
    EXPECT_LE(w->ContentSize.x, w->InnerRect.GetWidth() + 0.5f) << p.id << ": content " << w->ContentSize.x << " wide";
    if (!p.mayScrollY) {
      EXPECT_LE(w->ContentSize.y, w->InnerRect.GetHeight() + 0.5f) << p.id << ": content " << w->ContentSize.y << " high";
    }
    EXPECT_GE(w->Pos.x, -0.5f);
    EXPECT_LE(w->Pos.x + w->Size.x, 1280.5f) << p.id;
    EXPECT_LE(w->Pos.y + w->Size.y, 720.5f) << p.id;
    seen++;
  }
  EXPECT_EQ(seen, 4);
  // The buckets panel's body: a legend, the switches, several buckets and the caption.
  ImGuiWindow* body = ImGui::FindWindowByName("###buckets");
  ASSERT_NE(body, nullptr);
  int buckets = 0;
  for (uint32_t b = 0; b < 16; b++)
    if (auto r = g.ws().buckets.cellRect(Loc{false, b, 0, 0}); r && r->max.y < body->Pos.y + body->Size.y) buckets++;
  EXPECT_GE(buckets, 2);
  const CaptionView& c = g.ws().buckets.caption();
  EXPECT_LE(c.sentenceMax().x, body->Pos.x + body->Size.x);
  EXPECT_LE(c.sentenceMax().y, body->Pos.y + body->Size.y);
  // Cell text grew with the font: a tophash byte is at least 20 px high.
  auto r = g.ws().buckets.cellRect(Loc{false, 0, 0, 0});
  ASSERT_TRUE(r.has_value());
  EXPECT_GE(r->max.y - r->min.y, 16 * 1.75f * 1.9f);
  EXPECT_TRUE(Workspace::crampedLayout(1280, 720, ImGui::GetFontSize()));
  EXPECT_FALSE(Workspace::crampedLayout(1600, 900, 16));
}

TEST(Views, ProjectorThemeKeepsXAndYApartAndLettered) {
  Gui g(1600, 900, 1.0f, ThemeKind::Projector);
  NEED_GUI(g);
  const Palette& pal = palette();
  const Rgb x = rgbOf(pal.cell[evacuatedX]), y = rgbOf(pal.cell[evacuatedY]);
  double dh = std::fabs(hue(x) - hue(y));
  dh = std::min(dh, 360 - dh);
  EXPECT_GT(dh, 90.0) << "X and Y cells differ in hue";
  const Rgb mx = rgbOf(pal.moveX), my = rgbOf(pal.moveY);
  double dm = std::fabs(hue(mx) - hue(my));
  dm = std::min(dm, 360 - dm);
  EXPECT_GT(dm, 90.0) << "X and Y lines differ in hue";
  // The Y line is visible on white: contrast ratio at least 3.
  EXPECT_GE((1.05) / (luminance(my) + 0.05), 3.0);
  EXPECT_GE(pal.moveThickness, 2.0f);
  // The highlight differs from X, Y and every goroutine colour.
  for (ImU32 c : {pal.moveX, pal.moveY, pal.goroutine[0], pal.goroutine[1], pal.goroutine[2]})
    EXPECT_NE(c & 0xffffff, pal.highlight & 0xffffff);
  EXPECT_NE(pal.goroutine[0], pal.goroutine[1]);
  EXPECT_EQ(goroutineColour(1), pal.goroutine[0]);

  // Evacuated cells carry their letter: "→X" / "→Y" drawn in the cell's text colour.
  ASSERT_TRUE(g.app().openScript(kScenarios + "incremental_growth.ops"));
  g.app().seek(1100);
  g.frames();
  int lettered = 0;
  for (int s = 0; s < 8; s++) {
    const uint8_t th = g.app().map().headTophash(true, 0, s);
    if (th != evacuatedX && th != evacuatedY) continue;
    auto r = g.ws().buckets.cellRect(Loc{true, 0, 0, static_cast<uint8_t>(s)});
    ASSERT_TRUE(r.has_value());
    const float h = r->max.y - r->min.y;
    EXPECT_GT(g.ink(r->min.x + 3, r->min.y + h * 0.5f, r->max.x - 3, r->max.y - 3), 6) << "slot " << s;
    lettered++;
  }
  EXPECT_GT(lettered, 0);
}

TEST(Views, DoublingGrowAtB4PutsOldBucketBetweenItsDestinations) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "incremental_growth.ops"));
  g.app().seek(1100);
  g.frames();
  const AnyMap& m = g.app().map();
  ASSERT_TRUE(m.growing());
  ASSERT_EQ(m.header().B, 4);
  ASSERT_EQ(m.header().flags & sameSizeGrow, 0);
  const BucketsView& bv = g.ws().buckets;
  ImGuiWindow* win = ImGui::FindWindowByName("###buckets");
  ASSERT_NE(win, nullptr);
  const float right = win->Pos.x + win->Size.x;
  int rows = 0;
  for (uint32_t i = 0; i < 8; i++) {
    auto x = bv.bmapRect(false, i, 0), o = bv.bmapRect(true, i, 0), y = bv.bmapRect(false, i + 8, 0);
    if (!x || !o || !y) continue; // scrolled out of view
    rows++;
    // One row: same top; X left of old, Y right of it; all three on screen.
    EXPECT_FLOAT_EQ(x->min.y, o->min.y) << "row " << i;
    EXPECT_FLOAT_EQ(y->min.y, o->min.y) << "row " << i;
    EXPECT_LT(x->max.x, o->min.x);
    EXPECT_LT(o->max.x, y->min.x);
    EXPECT_LE(y->max.x, right) << "row " << i << ": Y destination off screen";
    EXPECT_GE(x->min.x, win->Pos.x);
  }
  EXPECT_GE(rows, 4);
  // The move labels and the column titles ("oldbuckets", "nevacuate = N", ...) overlap nothing.
  const auto& labels = bv.lastMoveLabels();
  const auto& titles = bv.lastTitles();
  EXPECT_GE(labels.size(), 3u);
  EXPECT_EQ(titles.size(), 6u);
  for (std::size_t a = 0; a < labels.size(); a++)
    for (std::size_t b = a + 1; b < labels.size(); b++) EXPECT_FALSE(overlap(labels[a], labels[b])) << a << " " << b;
  for (std::size_t a = 0; a < titles.size(); a++)
    for (std::size_t b = a + 1; b < titles.size(); b++) EXPECT_FALSE(overlap(titles[a], titles[b])) << a << " " << b;
  // A label sits in the gap between two columns, over no cell.
  for (const ScreenRect& l : labels)
    for (uint32_t i = 0; i < 16; i++)
      for (bool old : {false, true})
        for (uint16_t ch = 0; ch < 2; ch++)
          if (auto r = bv.bmapRect(old, i, ch)) {
            EXPECT_FALSE(overlap(l, *r)) << "label over bucket " << i;
          }
  // The nevacuate line is drawn under the titles.
  auto nev = bv.nevacuateMark();
  ASSERT_TRUE(nev.has_value());
  for (const ScreenRect& t : titles) EXPECT_GT(nev->first.y, t.max.y);
}

TEST(Views, OverviewFillsThePanelWidthAndKeepsTheDataInView) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "large_b16.ops"));
  g.app().toEnd();
  g.frames(4);
  BucketsView& bv = g.ws().buckets;
  ASSERT_TRUE(bv.overviewShown());
  ImGuiWindow* win = ImGui::FindWindowByName("###buckets");
  ASSERT_NE(win, nullptr);
  auto first = bv.overview().cellRect(false, 0, 0), last = bv.overview().cellRect(false, 65535, 7);
  ASSERT_TRUE(first && last);
  const float used = last->z - first->x;
  EXPECT_GT(used, win->Size.x * 0.6f) << "the overview uses " << used << " of " << win->Size.x << " px";
  // After End the caption shows the last event without a step.
  EXPECT_EQ(bv.caption().sentence(), describeEventUi(g.app().session().event(g.app().eventCount() - 1)));
  // Wheel out far away from the data: the texture stays in view.
  const float mx = win->Pos.x + win->Size.x - 12, my = win->Pos.y + win->Size.y * 0.6f;
  for (int i = 0; i < 6; i++) {
    g.rt.injectMouse = ImVec2(mx, my);
    g.rt.injectWheel = -3;
    g.frames(1);
  }
  auto f2 = bv.overview().cellRect(false, 0, 0), l2 = bv.overview().cellRect(false, 65535, 7);
  ASSERT_TRUE(f2 && l2);
  EXPECT_GT(l2->z - f2->x, win->Size.x * 0.6f);
  EXPECT_GE(f2->x, win->Pos.x - 1);
}

TEST(Views, NarrowPanelStacksOldBucketBetweenItsDestinationRows) {
  // 175% on 1280x720: three columns do not fit the buckets panel, so each old
  // bucket's group is new[i] (X), old[i], new[i+8] (Y), one under the other.
  Gui g(1280, 720, 1.75f, ThemeKind::Projector);
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "incremental_growth.ops"));
  g.app().seek(1100);
  g.frames();
  const BucketsView& bv = g.ws().buckets;
  ASSERT_TRUE(g.app().map().growing());
  ASSERT_TRUE(bv.stackedLast());
  ImGuiWindow* win = ImGui::FindWindowByName("###buckets");
  ASSERT_NE(win, nullptr);
  int groups = 0;
  for (uint32_t i = 0; i < 8; i++) {
    auto x = bv.bmapRect(false, i, 0), o = bv.bmapRect(true, i, 0), y = bv.bmapRect(false, i + 8, 0);
    if (!x || !o || !y) continue;
    groups++;
    EXPECT_FLOAT_EQ(x->min.x, o->min.x);
    EXPECT_FLOAT_EQ(y->min.x, o->min.x);
    EXPECT_LT(x->max.y, o->min.y) << "group " << i;
    EXPECT_LT(o->max.y, y->min.y) << "group " << i;
    EXPECT_LE(o->max.x, win->Pos.x + win->Size.x);
    // Nothing of another group between them.
    for (uint32_t j = 0; j < 16; j++) {
      if (j == i || j == i + 8) continue;
      if (auto r = bv.bmapRect(false, j, 0)) {
        EXPECT_FALSE(r->min.y > x->min.y && r->min.y < y->min.y) << i << " " << j;
      }
    }
  }
  EXPECT_GE(groups, 1);
  const auto& labels = bv.lastMoveLabels();
  for (std::size_t a = 0; a < labels.size(); a++) {
    for (std::size_t b = a + 1; b < labels.size(); b++) EXPECT_FALSE(overlap(labels[a], labels[b])) << a << " " << b;
    EXPECT_LE(labels[a].max.x, win->Pos.x + win->Size.x);
  }
}

TEST(Views, TimelineCountsFollowInserts) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.frames();
  const std::size_t ops = g.app().session().opCount();
  const uint64_t events = g.app().eventCount();
  EXPECT_EQ(g.ws().timeline.countsText(), fmt::format("{} ops, {} events", ops, groupDigits(events)));
  ASSERT_TRUE(g.app().insert("1000", "1"));
  g.app().finishJobs();
  g.frames();
  ASSERT_EQ(g.app().session().opCount(), ops + 1);
  EXPECT_EQ(g.ws().timeline.countsText(),
            fmt::format("{} ops, {} events", ops + 1, groupDigits(g.app().eventCount())));
  EXPECT_GT(g.app().eventCount(), events);
}

TEST(Views, SameSizeGrowPutsOldBucketBesideNewBucketOnItsRow) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "samesize_growth.ops"));
  const int64_t start = findEvent(g.app(), EventKind::CellEvacuated);
  ASSERT_GE(start, 0);
  g.app().seek(start);
  g.frames();
  const AnyMap& m = g.app().map();
  ASSERT_TRUE(m.growing());
  ASSERT_NE(m.header().flags & sameSizeGrow, 0);
  const BucketsView& bv = g.ws().buckets;
  int rows = 0;
  for (uint32_t i = 0; i < bucketShift(m.header().B); i++) {
    auto o = bv.bmapRect(true, i, 0), n = bv.bmapRect(false, i, 0);
    if (!o || !n) continue;
    rows++;
    EXPECT_FLOAT_EQ(o->min.y, n->min.y) << "row " << i;
    EXPECT_LT(o->max.x, n->min.x);
  }
  EXPECT_EQ(rows, static_cast<int>(bucketShift(m.header().B)));
  EXPECT_EQ(bv.lastTitles().size(), 4u);
}

TEST(Views, CaptionInARaceCarriesTheGoroutinesTagAndItsFatalError) {
  Gui g;
  NEED_GUI(g);
  RaceController& race = g.rt.workspace().raceController();
  ASSERT_TRUE(race.open(std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/1-entry-check.race")) << race.error();
  race.active = true;
  race.runToEnd();
  g.frames();
  ASSERT_TRUE(g.ws().raceMode());
  const Frame& f = g.ws().frame();
  ASSERT_TRUE(f.race);
  ASSERT_NE(f.current, nullptr);
  const CaptionView& c = g.ws().buckets.caption();
  EXPECT_EQ(c.sentence(), describeEventUi(*f.current));
  EXPECT_EQ(c.goroutine(), f.events->goroutineOfEvent(static_cast<uint64_t>(f.position)));
  EXPECT_GT(c.goroutine(), 0);
  // The tag is drawn in the goroutine's colour left of the sentence.
  const ImVec2 a = c.sentenceMin();
  const Rgb want = rgbOf(goroutineColour(c.goroutine()));
  EXPECT_GT(g.count(a.x - ImGui::GetFontSize() * 2.5f, a.y, a.x, a.y + ImGui::GetFontSize(), want, 30), 20);
  // The lesson ends in a fatal error: shown in full, in the error colour.
  ASSERT_EQ(f.current->kind, EventKind::Fatal);
  EXPECT_TRUE(c.isError());
  EXPECT_NE(c.sentence().find("concurrent map writes"), std::string::npos) << c.sentence();
}

// Teacher's pass item 6: a menu is opaque. The View menu, opened with a click,
// hides the panel text under it: its area is one flat colour (the popup's
// background) except for the menu's own labels, in both themes.
TEST(Views, MenusAndPopupsAreOpaqueInEveryTheme) {
  for (ThemeKind t : {ThemeKind::Dark, ThemeKind::Projector}) {
    Gui g(1600, 900, 1.0f, t);
    NEED_GUI(g);
    ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
    g.frames(3);
    EXPECT_EQ(ImGui::GetStyle().Colors[ImGuiCol_PopupBg].w, 1.0f);
    // Click "View" in the menu bar (its second item).
    ImGuiWindow* bar = ImGui::FindWindowByName("##MainMenuBar");
    ASSERT_NE(bar, nullptr);
    const float fs = ImGui::GetFontSize();
    const ImVec2 view(bar->Pos.x + ImGui::CalcTextSize(tr(S::MenuFile)).x + ImGui::GetStyle().ItemSpacing.x * 2 + fs,
                      bar->Pos.y + bar->Size.y * 0.5f);
    g.rt.injectMouse = view;
    g.rt.injectMouseDown = false;
    g.frames(2);
    const std::vector<uint8_t> before = g.pixels; // the panels, with the mouse over "View"
    g.rt.injectMouseDown = true;
    g.frames(1);
    g.rt.injectMouseDown = false;
    g.frames(2);
    ImGuiWindow* menu = nullptr;
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
      if (w->Active && (w->Flags & ImGuiWindowFlags_Popup) && std::string(w->Name).rfind("##Menu_", 0) == 0) menu = w;
    ASSERT_NE(menu, nullptr) << "the View menu did not open";
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_PopupBg];
    const Rgb want{static_cast<uint8_t>(bg.x * 255 + 0.5f), static_cast<uint8_t>(bg.y * 255 + 0.5f),
                   static_cast<uint8_t>(bg.z * 255 + 0.5f)};
    // Where the panels under the menu had ink far from the menu's colour (their
    // text, buttons, lines), the menu shows its own colour exactly or its own
    // labels: with the stock 94% / 98% alpha the ink shows through (by 0.06 or
    // 0.02 of the difference, well over a tolerance of 3).
    int under = 0, through = 0;
    for (int y = static_cast<int>(menu->Pos.y) + 3; y < static_cast<int>(menu->Pos.y + menu->Size.y) - 3; y++)
      for (int x = static_cast<int>(menu->Pos.x) + 3; x < static_cast<int>(menu->Pos.x + menu->Size.x) - 3; x++) {
        const uint8_t* b = &before[(static_cast<std::size_t>(y) * static_cast<std::size_t>(g.w) + static_cast<std::size_t>(x)) * 4];
        if (std::abs(b[0] - want.r) + std::abs(b[1] - want.g) + std::abs(b[2] - want.b) < 150) continue;
        under++;
        const Rgb a = g.at(static_cast<float>(x), static_cast<float>(y));
        const int d = std::abs(a.r - want.r) + std::abs(a.g - want.g) + std::abs(a.b - want.b);
        if (d > 3 && d < 40) through++; // a faint trace of what is under
      }
    EXPECT_GT(under, 200) << "theme " << static_cast<int>(t) << ": the menu covers no panel ink";
    EXPECT_LT(through, under / 20) << "theme " << static_cast<int>(t) << ": panel ink shows through the menu";
  }
}

// Teacher's pass item 8: in the projector layout (175% on 1600x900) the event log
// and the runtime code, opened from the View menu, show rows, not only their
// filters and headers; the flags of hmap are labels, not buttons (no click target).
TEST(Views, ProjectorLayoutEventLogAndCodeShowRowsWhenOpened) {
  for (const char* lang : {"en", "zh"}) {
    Gui g(1600, 900, 1.75f, ThemeKind::Projector, lang);
    NEED_GUI(g);
    ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
    g.app().seek(200);
    g.frames(3);
    ASSERT_TRUE(Workspace::crampedLayout(1600, 900 - g.ws().statusBarHeight(), ImGui::GetFontSize()));
    // Open them as the View menu does (the layout no longer forces them shut).
    g.ws().forceLayout = false;
    g.ws().panels |= PanelEvents | PanelCode | PanelHash | PanelPlots;
    g.frames(4);
    const float line = ImGui::GetTextLineHeightWithSpacing();
    for (const char* id : {"###events", "###code"}) {
      ImGuiWindow* w = ImGui::FindWindowByName(id);
      ASSERT_NE(w, nullptr) << id;
      ASSERT_TRUE(w->Active) << id;
      EXPECT_LE(w->Pos.x + w->Size.x, 1600.5f) << id;
      // Its scrolling child (the log's table, the code listing) starts high
      // enough in the panel for three lines to be seen without scrolling.
      ImGuiWindow* child = nullptr;
      for (ImGuiWindow* c : ImGui::GetCurrentContext()->Windows)
        if (c->Active && c->ParentWindow == w && (c->Flags & ImGuiWindowFlags_ChildWindow)) child = c;
      ASSERT_NE(child, nullptr) << id;
      EXPECT_GE(w->InnerRect.Max.y - child->Pos.y, line * 3) << id << " (" << lang << "): rows hidden below the panel";
    }
  }
}
