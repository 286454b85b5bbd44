// GUI tests for text (issue 11, items 7 and 8): every glyph of loaded text is
// in the font atlas (and drawn as itself, not the fallback), the Language menu
// names both languages in their own scripts, the status bar that holds errors
// moves no control, and key taps arrive through the real GLFW callback path,
// except while a text field is being typed in. Run under xvfb-run (CTest does).
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <imgui_internal.h>

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "offscreen_gui.hpp"
#include "ui/app_state.hpp"
#include "ui/event_text.hpp"
#include "ui/fonts.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/strings.hpp"

using namespace gomap;
using namespace gomap::ui;
using gomap::ui::test::mouseClick;

namespace {
const std::string kSrc = GOMAPLAB_SOURCE_DIR;
const std::string kScenarios = kSrc + "/assets/scenarios/";
const std::string kLessons = kSrc + "/assets/lessons/";
const bool kHaveCjk = std::filesystem::exists("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");

// An offscreen GUI, 1600x900, tiled layout, no files written.
struct TextGui {
  explicit TextGui(const std::string& lang = "en") {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    o.prefs.language = lang;
    std::string why;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (ok) rt.workspace().forceLayout = true;
  }
  void frames(int n = 2) {
    for (int i = 0; i < n; i++) rt.frame(0);
  }
  std::vector<uint8_t> pixels(int& w, int& h) { return rt.readPixels(w, h); }
  // GLFW's own key and character callbacks as installed on the window
  // (ImGui's backend, which chains to the workspace's tap queue): calling them
  // is what glfwPollEvents does for a real key event.
  void key(int k, int mods = 0) {
    GLFWwindow* win = rt.window();
    GLFWkeyfun cb = glfwSetKeyCallback(win, nullptr);
    glfwSetKeyCallback(win, cb);
    ASSERT_NE(cb, nullptr);
    cb(win, k, 0, GLFW_PRESS, mods);
    cb(win, k, 0, GLFW_RELEASE, mods);
  }
  void typeChar(unsigned c) {
    GLFWwindow* win = rt.window();
    GLFWcharfun cb = glfwSetCharCallback(win, nullptr);
    glfwSetCharCallback(win, cb);
    ASSERT_NE(cb, nullptr);
    cb(win, c);
  }
  void click(float x, float y) {
    mouseClick(rt, ImVec2(x, y));
  }
  AppState& app() { return rt.app(); }
  GuiRuntime rt;
  bool ok = false;
};
#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display for an OpenGL context (run under xvfb-run)"

std::vector<unsigned> codePoints(const std::string& s) {
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

// Every code point of text has a glyph of its own in font (not the fallback).
void expectAllGlyphs(const ImFont* font, const std::string& text, const char* what) {
  ASSERT_NE(font, nullptr);
  std::set<unsigned> missing;
  for (unsigned c : codePoints(text))
    if (c < 0x10000 && !font->FindGlyphNoFallback(static_cast<ImWchar>(c))) missing.insert(c);
  std::string list;
  for (unsigned c : missing) list += fmt::format(" U+{:04X}", c);
  EXPECT_TRUE(missing.empty()) << what << ": no glyph for" << list;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// The status bar's pixels (the rows of its rectangle: x, y, width, height).
std::vector<uint8_t> statusPixels(TextGui& g) {
  int w = 0, h = 0;
  auto px = g.pixels(w, h);
  const ImVec4 r = g.rt.workspace().statusRect;
  std::vector<uint8_t> out;
  for (int y = static_cast<int>(r.y); y < std::min(h, static_cast<int>(r.y + r.w)); y++)
    out.insert(out.end(), px.begin() + static_cast<long>(y) * w * 4, px.begin() + static_cast<long>(y + 1) * w * 4);
  return out;
}
} // namespace

// A race lesson's Chinese title and narration, in both UI languages: the
// atlas holds a glyph for every code point once the file is open.
TEST(Glyphs, RaceLessonTextInBothLanguages) {
  if (!kHaveCjk) GTEST_SKIP() << "fonts-noto-cjk not installed";
  for (const char* lang : {"en", "zh"}) {
    TextGui g(lang);
    NEED_GUI(g);
    ASSERT_TRUE(g.rt.race.open(kLessons + "1-entry-check.race")) << g.rt.race.error();
    g.app().newMap(NewMapParams{});
    g.frames(3); // the frame that notes the text, the one that rebuilds the atlas
    const auto& sc = g.rt.race.session().scenario();
    ASSERT_FALSE(sc.title[1].empty());
    expectAllGlyphs(g.rt.fonts().ui, sc.title[1], lang);
    expectAllGlyphs(g.rt.fonts().ui, sc.narration[1], lang);
    expectAllGlyphs(g.rt.fonts().ui, slurp(kLessons + "1-entry-check.race"), lang);
  }
}

// An op script with Chinese in its comments and string keys (复制 was "??"):
// every code point of the file has a glyph, in the UI font and (for keys the
// views draw in it) the mono font, in English mode too.
TEST(Glyphs, LoadedScriptTextInEnglishMode) {
  if (!kHaveCjk) GTEST_SKIP() << "fonts-noto-cjk not installed";
  const std::string path = testing::TempDir() + "gomaplab_glyphs.ops";
  const std::string text = "# 复制：键与值的复制 (copy), Ελληνικά, кириллица\n"
                           "make string 0 7\nput 复制 1\nput 迁移中 2\nput αβγ 3\n";
  std::ofstream(path) << text;
  TextGui g("en");
  NEED_GUI(g);
  const int builds = fontBuilds();
  ASSERT_TRUE(g.app().openScript(path)) << g.app().error();
  g.frames(3);
  EXPECT_GT(fontBuilds(), builds) << "the atlas was not rebuilt for the new text";
  expectAllGlyphs(g.rt.fonts().ui, text, "ui font");
  expectAllGlyphs(g.rt.fonts().mono, "复制迁移中αβγ", "mono font");
  // Nothing new: no further rebuild.
  const int after = fontBuilds();
  g.frames(3);
  EXPECT_EQ(fontBuilds(), after);
  EXPECT_FALSE(needGlyphs(text));
}

// The Language menu names each language in its own script in both modes
// (the English UI read "????" for the Chinese one).
TEST(Glyphs, LanguageMenuNamesInBothModes) {
  if (!kHaveCjk) GTEST_SKIP() << "fonts-noto-cjk not installed";
  EXPECT_STREQ(languageName(Lang::Zh), "简体中文");
  EXPECT_STREQ(languageName(Lang::En), "English");
  for (const char* lang : {"en", "zh"}) {
    TextGui g(lang);
    NEED_GUI(g);
    g.frames(1);
    EXPECT_TRUE(g.rt.fonts().cjk) << lang;
    expectAllGlyphs(g.rt.fonts().ui, std::string(languageName(Lang::Zh)) + languageName(Lang::En), lang);
  }
  // The Chinese UI: every string and event text too.
  TextGui z("zh");
  NEED_GUI(z);
  z.frames(1);
  expectAllGlyphs(z.rt.fonts().ui, allStringsOf(Lang::Zh), "zh strings");
  expectAllGlyphs(z.rt.fonts().ui, allEventTextZh(), "zh event text");
}

// Drawn as itself: the status bar showing "复制迁移" differs from the same bar
// showing what a missing glyph draws (the fallback '?'), and has ink.
TEST(Glyphs, RenderedChineseIsNotTheFallback) {
  if (!kHaveCjk) GTEST_SKIP() << "fonts-noto-cjk not installed";
  TextGui g("en");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().setError("复制迁移");
  g.frames(3);
  ASSERT_EQ(g.rt.workspace().statusShown, "复制迁移");
  const auto withHan = statusPixels(g);
  g.app().setError("????");
  g.frames(2);
  const auto withFallback = statusPixels(g);
  g.app().setError("");
  g.frames(2);
  const auto empty = statusPixels(g);
  ASSERT_EQ(withHan.size(), withFallback.size());
  ASSERT_FALSE(withHan.empty());
  std::size_t differ = 0, ink = 0;
  for (std::size_t i = 0; i < withHan.size(); i += 4) {
    if (withHan[i] != withFallback[i] || withHan[i + 1] != withFallback[i + 1]) differ++;
    if (withHan[i] != empty[i] || withHan[i + 1] != empty[i + 1]) ink++;
  }
  EXPECT_GT(differ, 40u) << "the Chinese text is drawn like question marks";
  EXPECT_GT(ink, 80u) << "the Chinese text drew nothing";
  // The fallback glyph is not what the font returns for these code points.
  for (unsigned c : codePoints("复制迁移"))
    EXPECT_NE(g.rt.fonts().ui->FindGlyph(static_cast<ImWchar>(c)), g.rt.fonts().ui->FallbackGlyph);
}

// Typed text: a character typed into a field (through GLFW's char callback)
// gets its glyph before the next frame's text is drawn.
TEST(Glyphs, TypedCharacterGetsItsGlyph) {
  if (!kHaveCjk) GTEST_SKIP() << "fonts-noto-cjk not installed";
  TextGui g("en");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.frames(2);
  const ImWchar c = 0x946B; // 鑫: in no UI string and no bundled file
  if (g.rt.fonts().ui->FindGlyphNoFallback(c)) GTEST_SKIP() << "already baked by an earlier test";
  g.typeChar(c);
  g.frames(2);
  EXPECT_NE(g.rt.fonts().ui->FindGlyphNoFallback(c), nullptr);
}

// Errors go to the fixed status bar: an error appearing moves no control
// (the controls and buckets panels draw the same pixels before and after),
// the bar shows it, and its Dismiss button (clicked through ImGui's input)
// clears it.
TEST(StatusBar, AnErrorMovesNothingAndDismisses) {
  TextGui g("en");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().seek(40);
  g.frames(3);
  int w = 0, h = 0;
  const auto before = g.pixels(w, h);
  const PanelRect ctl = Workspace::layoutOf(PanelControls, static_cast<float>(w),
                                            static_cast<float>(h) - g.rt.workspace().statusBarHeight(),
                                            ImGui::GetFrameHeight(), ImGui::GetFontSize());
  // A bad op typed as a command: the real error path.
  EXPECT_FALSE(g.app().runLine("put"));
  ASSERT_FALSE(g.app().error().empty());
  g.frames(2);
  const auto after = g.pixels(w, h);
  EXPECT_TRUE(g.rt.workspace().statusIsError);
  EXPECT_EQ(g.rt.workspace().statusShown, g.app().error());
  std::size_t moved = 0;
  for (int y = static_cast<int>(ctl.y) + 2; y < static_cast<int>(ctl.y + ctl.h) - 2; y++)
    for (int x = static_cast<int>(ctl.x) + 2; x < static_cast<int>(ctl.x + ctl.w) - 2; x++) {
      const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4;
      if (before[i] != after[i] || before[i + 1] != after[i + 1] || before[i + 2] != after[i + 2]) moved++;
    }
  EXPECT_EQ(moved, 0u) << "the Operations panel changed when the error appeared";
  // The status bar sits below every panel.
  const ImVec4 sr = g.rt.workspace().statusRect;
  EXPECT_NEAR(sr.y + sr.w, static_cast<float>(h), 1.0f);
  EXPECT_GE(sr.y, ctl.y + ctl.h - 1);
  // Dismiss, clicked.
  const ImVec4 d = g.rt.workspace().dismissRect;
  ASSERT_GT(d.z, 0);
  EXPECT_GE(d.y, sr.y);
  g.click(d.x + d.z / 2, d.y + d.w / 2);
  g.rt.injectMouse.reset();
  EXPECT_TRUE(g.app().error().empty());
  g.frames(1);
  EXPECT_FALSE(g.rt.workspace().statusIsError && !g.rt.workspace().statusShown.empty());
}

// A race's errors (a goroutine that cannot step) go to the status bar too,
// and the Goroutines panel's toolbar stays where it was.
TEST(StatusBar, RaceErrorMovesNothing) {
  TextGui g("en");
  NEED_GUI(g);
  ASSERT_TRUE(g.rt.race.open(kLessons + "1-entry-check.race")) << g.rt.race.error();
  g.app().newMap(NewMapParams{});
  g.frames(3);
  int w = 0, h = 0;
  const auto before = g.pixels(w, h);
  const ImVec2 pos = g.rt.workspace().goroutines.lastPos;
  EXPECT_FALSE(g.rt.race.stepGoroutine(99));
  ASSERT_FALSE(g.rt.race.error().empty());
  g.frames(2);
  const auto after = g.pixels(w, h);
  EXPECT_EQ(g.rt.workspace().statusShown, g.rt.race.error());
  // The panel's top rows (path, title, toolbar) are unchanged.
  const float fs = ImGui::GetFontSize();
  std::size_t moved = 0;
  for (int y = static_cast<int>(pos.y + fs * 2); y < static_cast<int>(pos.y + fs * 6); y++)
    for (int x = static_cast<int>(pos.x) + 2; x < static_cast<int>(pos.x + fs * 15); x++) {
      const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4;
      if (before[i] != after[i] || before[i + 1] != after[i + 1]) moved++;
    }
  EXPECT_EQ(moved, 0u);
}

// 20 fast taps through GLFW's key callback, all between two frames (a
// presenter's clicker): every one is acted on, in order.
TEST(Keys, TwentyFastTapsAllArrive) {
  TextGui g("en");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().seek(10);
  g.frames(2);
  for (int i = 0; i < 20; i++) g.key(GLFW_KEY_RIGHT);
  g.frames(1);
  EXPECT_EQ(g.app().position(), 30);
  for (int i = 0; i < 20; i++) g.key(GLFW_KEY_LEFT);
  g.frames(1);
  EXPECT_EQ(g.app().position(), 10);
  // Shift as it was at each tap, Home and End, and Ctrl+Q through the same queue.
  g.key(GLFW_KEY_HOME);
  g.key(GLFW_KEY_RIGHT);
  g.key(GLFW_KEY_RIGHT);
  g.frames(1);
  EXPECT_EQ(g.app().position(), 1);
  g.key(GLFW_KEY_END);
  g.frames(1);
  EXPECT_EQ(g.app().position(), static_cast<int64_t>(g.app().eventCount()) - 1);
  EXPECT_FALSE(g.rt.workspace().quitRequested);
  g.key(GLFW_KEY_Q); // no Ctrl: nothing
  g.frames(1);
  EXPECT_FALSE(g.rt.workspace().quitRequested);
  g.key(GLFW_KEY_Q, GLFW_MOD_CONTROL);
  g.frames(1);
  // The File menu's code takes the request (nothing unsaved: no question) and quits.
  EXPECT_TRUE(g.rt.shouldClose());
}

// Keys typed into a text field edit the text; no shortcut fires.
TEST(Keys, TextFieldsTakeTheirKeys) {
  TextGui g("en");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().seek(20);
  g.frames(2);
  // Find the Operations section's key field by hovering down the panel (ImGui
  // says which item is under the mouse), then click it.
  const float fs = ImGui::GetFontSize();
  const PanelRect ctl = Workspace::layoutOf(PanelControls, 1600, 900 - g.rt.workspace().statusBarHeight(),
                                            ImGui::GetFrameHeight(), fs);
  ImGuiWindow* win = ImGui::FindWindowByName("###controls");
  ASSERT_NE(win, nullptr);
  const ImGuiID keyField = ImHashStr(tr(S::Key), 0, win->ID);
  float fy = -1;
  for (float y = ctl.y + fs; y < ctl.y + fs * 24 && fy < 0; y += 2) { // below the Op script section
    g.rt.injectMouse = ImVec2(ctl.x + fs * 2, y);
    g.rt.frame(0);
    if (ImGui::GetCurrentContext()->HoveredId == keyField) fy = y;
  }
  ASSERT_GE(fy, 0) << "found no key field";
  g.click(ctl.x + fs * 2, fy);
  ASSERT_TRUE(ImGui::GetIO().WantTextInput);
  for (int i = 0; i < 5; i++) g.key(GLFW_KEY_RIGHT);
  g.key(GLFW_KEY_SPACE);
  g.key(GLFW_KEY_HOME);
  g.frames(2);
  EXPECT_EQ(g.app().position(), 20);
  EXPECT_FALSE(g.app().playing());
  // Click away (an empty part of the buckets panel): the keys are shortcuts again.
  const PanelRect b = Workspace::layoutOf(PanelBuckets, 1600, 900 - g.rt.workspace().statusBarHeight(),
                                          ImGui::GetFrameHeight(), fs);
  g.click(b.x + b.w - fs * 2, b.y + b.h - fs * 2);
  g.rt.injectMouse.reset();
  g.frames(1);
  ASSERT_FALSE(ImGui::GetIO().WantTextInput);
  g.key(GLFW_KEY_RIGHT);
  g.frames(1);
  EXPECT_EQ(g.app().position(), 21);
}

// The makemap line of the event log says what the header shows: the random
// hash0 makemap draws, then the script's HASH0 (make int64 0 12345).
TEST(EventText, MakemapHash0IsHonest) {
  AppState a;
  ASSERT_TRUE(a.openScript(kScenarios + "growth.ops"));
  bool seen = false;
  for (uint64_t i = 0; i < a.eventCount() && !seen; i++) {
    const Event& e = a.session().event(i);
    if (e.kind != EventKind::Hash0Reseeded || e.site != Site::MakemapHash0) continue;
    seen = true;
    const std::string en = describeEventIn(e, Lang::En), zh = describeEventIn(e, Lang::Zh);
    EXPECT_NE(en.find("random"), std::string::npos) << en;
    EXPECT_NE(en.find("overwrites"), std::string::npos) << en;
    EXPECT_NE(zh.find("随机"), std::string::npos) << zh;
    // In hex, as the header shows hash0 (teacher's pass item 12), in both languages.
    const std::string hex = fmt::format("0x{:08x}", payloadOf<EventKind::Hash0Reseeded>(e).hash0);
    EXPECT_NE(en.find(hex), std::string::npos) << en;
    EXPECT_NE(zh.find(hex), std::string::npos) << zh;
    EXPECT_EQ(en.find(std::to_string(payloadOf<EventKind::Hash0Reseeded>(e).hash0)), std::string::npos) << en;
  }
  EXPECT_TRUE(seen);
  a.toEnd();
  EXPECT_EQ(a.map().header().hash0, 12345u); // what the header shows after the make
}

// Without the CJK font the Chinese UI stays English and the status bar says
// why (the note used to sit in the menu bar, half in glyphs it could not draw).
TEST(StatusBar, MissingCjkFontIsExplained) {
  ::setenv("GOMAPLAB_CJK_FONT", "/nonexistent/font.ttc", 1);
  {
    TextGui g("zh");
    NEED_GUI(g);
    ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
    g.app().clearError();
    g.frames(2);
    EXPECT_FALSE(g.rt.fonts().cjk);
    EXPECT_EQ(g.rt.workspace().effectiveLanguage(), Lang::En);
    EXPECT_TRUE(g.rt.workspace().statusIsError);
    EXPECT_NE(g.rt.workspace().statusShown.find("fonts-noto-cjk"), std::string::npos) << g.rt.workspace().statusShown;
    EXPECT_NE(g.rt.workspace().statusShown.find("/nonexistent/font.ttc"), std::string::npos);
  }
  ::unsetenv("GOMAPLAB_CJK_FONT");
}

// The status bar follows a language switch at once: the line is formatted again
// in the new language (it used to stay in the old one until the next action),
// for a status, an error with a typed command's caret, and a race's status.
TEST(StatusBar, FollowsALanguageSwitch) {
  TextGui g("en");
  NEED_GUI(g);
  if (!kHaveCjk) GTEST_SKIP() << "no CJK font";
  auto switchTo = [&](const char* lang) {
    g.rt.prefs().language = lang;
    g.rt.workspace().fontsDirty = true;
    g.frames(3);
  };
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.frames(2);
  const std::string ops = std::to_string(g.app().session().opCount());
  const std::string events = std::to_string(g.app().session().eventCount());
  EXPECT_EQ(g.rt.workspace().statusShown, kScenarios + "growth.ops: " + ops + " ops, " + events + " events");
  switchTo("zh");
  EXPECT_EQ(g.rt.workspace().statusShown, kScenarios + "growth.ops：" + ops + " 个操作，" + events + " 个事件");
  switchTo("en");
  EXPECT_EQ(g.rt.workspace().statusShown, kScenarios + "growth.ops: " + ops + " ops, " + events + " events");
  // An error of a typed command keeps its caret line in both languages.
  EXPECT_FALSE(g.app().runLine("put"));
  g.frames(2);
  const std::string en = g.rt.workspace().statusShown;
  ASSERT_TRUE(g.rt.workspace().statusIsError);
  switchTo("zh");
  const std::string zh = g.rt.workspace().statusShown;
  EXPECT_NE(zh, en);
  const std::size_t at = en.find("\n  put\n  ");
  ASSERT_NE(at, std::string::npos) << en;
  const std::string caret = en.substr(at); // the typed text and the caret under its column
  EXPECT_EQ(caret.back(), '^');
  ASSERT_GE(zh.size(), caret.size());
  EXPECT_EQ(zh.substr(zh.size() - caret.size()), caret) << zh;
  g.app().clearError();
  switchTo("en");
  // A race's status.
  ASSERT_TRUE(g.rt.race.open(kLessons + "1-entry-check.race"));
  g.frames(2);
  EXPECT_NE(g.rt.race.status().find(" goroutines"), std::string::npos) << g.rt.race.status();
  switchTo("zh");
  EXPECT_NE(g.rt.race.status().find(" 个协程"), std::string::npos) << g.rt.race.status();
}

// A sharded map's race (make sharded, issue 12, lesson 16a) opens with the
// Shards panel and steps with Right through ImGui's input. Expected by hand:
// the schedule is round robin and Go 1.19's RWMutex.Lock is rw.w.Lock() then
// the writer's announcement (rwmutex.go:149), so after 5 steps G1 and G2 hold
// shards 0 and 1 (a and b; banana is in shard 0 too: FNV-1a 32, checked against
// Go's hash/fnv by concurrency.real_go_1_19.shard_index), G3 is parked on
// shard 0's rw.w, and the cursor's step is G2's announcement on shard 1. At the
// end shard 0 holds a and banana, shard 1 holds b, and no shard is writing; the
// last step is G3's Unlock of shard 0.
TEST(RaceShards, AShardedLessonOpensWithItsPanelAndSteps) {
  for (const char* lang : {"en", "zh"}) {
    TextGui g(lang);
    NEED_GUI(g);
    ASSERT_TRUE(g.rt.race.open(kLessons + "16a-sharded-shards-never-block.race")) << g.rt.race.error();
    ASSERT_TRUE(g.rt.race.sharded());
    g.frames(3);
    const ShardsView& v = g.rt.workspace().shards;
    auto has = [&](const std::string& l) { return std::find(v.lines.begin(), v.lines.end(), l) != v.lines.end(); };
    EXPECT_TRUE(has("shard 0 count 0 B 0 writing 0")) << ::testing::PrintToString(v.lines);
    for (int i = 0; i < 5; i++) g.key(GLFW_KEY_RIGHT), g.frames(1);
    g.frames(1);
    EXPECT_TRUE(has("shard 1 count 0 B 0 writing 0 current")) << ::testing::PrintToString(v.lines) << v.caption;
    // The step in the UI's language (it was the CLI's English in the zh UI).
    EXPECT_EQ(v.caption.rfind(std::string(lang) == "en" ? "G2 lock shard 1: writer_announced" : "G2 Lock shard 1：写者已声明", 0), 0u)
        << v.caption;
    g.rt.race.runToEnd();
    g.frames(2);
    // The last step is G3's Unlock of shard 0 (it waited for G1): shard 0 is framed.
    EXPECT_TRUE(has("shard 0 count 2 B 0 writing 0 current")) << ::testing::PrintToString(v.lines);
    EXPECT_TRUE(has("shard 0 \"a\" = 1"));
    EXPECT_TRUE(has("shard 0 \"banana\" = 3"));
    EXPECT_TRUE(has("shard 1 \"b\" = 2"));
    EXPECT_TRUE(has("shard 1 count 1 B 0 writing 0"));
    EXPECT_TRUE(has("shard 2 count 0 B 0 writing 0"));
    EXPECT_TRUE(has("shard 3 count 0 B 0 writing 0"));
    EXPECT_TRUE(g.rt.race.error().empty()) << g.rt.race.error();
    // The step's shard (0) is drawn by the classic bucket views: its one bucket
    // holds "a" and "banana" in slots 0 and 1 (a shard's map is B = 0).
    EXPECT_TRUE(has("buckets of shard 0")) << ::testing::PrintToString(v.lines);
    EXPECT_EQ(v.bucketsShown, 0);
    ShardsView& sv = g.rt.workspace().shards;
    EXPECT_TRUE(sv.buckets().cellRect(Loc{.old = false, .bucket = 0, .chain = 0, .slot = 1}).has_value());
    // A click on shard 1's choice draws shard 1's buckets ("b" in slot 0, slot 1 empty).
    ASSERT_EQ(v.choiceRects.size(), 5u);
    const ScreenRect r = v.choiceRects[2];
    g.click(r.center().x, r.center().y);
    g.frames(2);
    EXPECT_EQ(v.bucketsShown, 1);
    EXPECT_TRUE(has("buckets of shard 1")) << ::testing::PrintToString(v.lines);
    g.click(v.choiceRects[0].center().x, v.choiceRects[0].center().y); // back to following the step
    g.frames(2);
    EXPECT_EQ(v.bucketsShown, 0);
  }
}
