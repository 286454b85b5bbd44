// A sync.Map op script in the GUI (issue 12): lesson m01 opened through ImGui's
// input (File > Lessons, or dropped on the window), stepped with Right key taps,
// and the sync.Map panel's state checked against values derived by hand from
// the script and sync/map.go (Go 1.19.8); Left and Home come back to the same
// state; the code panel, the event log and the Lesson panel follow the cursor.
//
// m01's steps, derived from sync/map.go (the model records one event per
// atomic load/CAS/store, lookup and locked step; make and gc are steps of their
// own):
//   0       make syncmap string
//   1..13   store k 1000: Store(144) read.Load(145) read.m[k] missing(146)
//           Lock(150) reload(151) relookup(152) dirty[k] missing(159)
//           dirtyLocked: read.Load(375) make(376); read.Store{amended}(166)
//           newEntry(168) Unlock(170) return(171)
//   14..24  range: Range(327) read.Load(332) amended: Lock(338) reload(339)
//           promote read = readOnly{m: dirty}(342) dirty = nil(343)
//           Unlock(346) range read.m(349) e.load(136) f(k, v)(354) return(358)
//   25      gc
//   26..31  delete k: Delete(300) read.Load(277) read.m[k] ok(278)
//           e.delete: LoadPointer(306) CAS p -> nil(310) return(294)
//   32      gc
//   33..37  load k
// Heap (docs/formats.md, "sync.Map heap"; the lesson's narration): Store
// allocates the first readOnly, its escaped parameter cell, the int64 box of
// 1000, the entry and the entry's cell (5); Range's promotion a second
// readOnly; the first gc frees readOnly #1 and the parameter cell; after
// Delete p is nil, so the second gc frees the entry's cell and the box, and
// the entry stays (read.m holds it).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>

#include "trace/asset_paths.hpp"
#include "offscreen_gui.hpp"
#include "ui/app_state.hpp"
#include "ui/file_browser.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/syncmap_state.hpp"

using namespace gomap;
using namespace gomap::ui;
using gomap::ui::test::mouseClick;
namespace fs = std::filesystem;

namespace {

// HOME and the XDG directories in a fresh directory (nothing touches the user's files).
struct TempHome {
  static constexpr const char* kVars[] = {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"};
  TempHome() {
    char tmpl[] = "/tmp/gomaplab-smo-XXXXXX";
    dir = ::mkdtemp(tmpl);
    for (int i = 0; i < 4; i++) {
      const char* v = std::getenv(kVars[i]);
      saved[i] = v ? std::optional<std::string>(v) : std::nullopt;
    }
    ::setenv("HOME", dir.c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (dir + "/config").c_str(), 1);
    ::setenv("XDG_DATA_HOME", (dir + "/data").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (dir + "/state").c_str(), 1);
  }
  ~TempHome() {
    for (int i = 0; i < 4; i++) {
      if (saved[i]) ::setenv(kVars[i], saved[i]->c_str(), 1);
      else ::unsetenv(kVars[i]);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::optional<std::string> saved[4];
  std::string dir;
};

class SmoGui {
public:
  explicit SmoGui(const std::string& lang) {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    o.prefs.language = lang;
    std::string why;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (!ok) err = why;
    if (ok) {
      rt.workspace().forceLayout = true;
      frames(2);
    }
  }
  void frames(int n) {
    for (int i = 0; i < n; i++) rt.frame(0);
  }
  FileUi& files() { return rt.workspace().files; }
  AppState& app() { return rt.app(); }
  void clickAt(ImVec2 p) {
    mouseClick(rt, p);
  }
  bool click(const std::string& name) {
    rt.frame(0);
    if (!files().hasRect(name)) return false;
    clickAt(files().centre(name));
    return true;
  }
  void press(int key, int times = 1) {
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < times; i++) {
      io.KeysDown[key] = true;
      rt.frame(0);
      io.KeysDown[key] = false;
      rt.frame(0);
    }
  }
  const std::vector<std::string>& lines() { return rt.workspace().syncMap.lines; }
  bool has(const std::string& l) { return std::find(lines().begin(), lines().end(), l) != lines().end(); }
  bool hasPrefixSuffix(const std::string& pre, const std::string& suf) {
    return std::any_of(lines().begin(), lines().end(), [&](const std::string& l) {
      return l.size() >= pre.size() + suf.size() && l.rfind(pre, 0) == 0 &&
             l.compare(l.size() - suf.size(), suf.size(), suf) == 0;
    });
  }
  int64_t position() { return app().syncController().position(); }
  GuiRuntime rt;
  bool ok = false;
  std::string err;
};

#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display/GL: " << (g).err

const std::string kM01 = "m01-delete-frees-the-value.ops";

// Opens m01 through ImGui's input: File > Lessons and a click on its row, or (the
// row not on screen) dropped on the window.
void openM01(SmoGui& g, bool viaMenu) {
  if (viaMenu) {
    g.files().rects.erase("menu.lessons");
    ASSERT_TRUE(g.click("menu.file"));
    g.frames(1);
    ASSERT_TRUE(g.click("menu.lessons"));
    ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
    g.frames(2);
    const std::string row = "browser.bundled." + kM01;
    ASSERT_TRUE(g.files().hasRect(row)) << "m01 is not listed in File > Lessons";
    if (g.files().centre(row).y < ImGui::GetIO().DisplaySize.y - 40) {
      ASSERT_TRUE(g.click(row));
      g.frames(2);
      std::printf("m01 opened from File > Lessons\n");
      return;
    }
    std::printf("m01's row in File > Lessons is below the window: dropped instead\n");
    g.press(GLFW_KEY_ESCAPE);
    g.frames(1);
  }
  g.files().dropped.push_back(assetDir() + "/lessons/" + kM01);
  g.frames(3);
}

} // namespace

TEST(SyncMapOpsGuiTest, LessonM01OpensStepsAndSeeksBack) {
  for (const char* lang : {"en", "zh"}) {
    SCOPED_TRACE(lang);
    TempHome home;
    SmoGui g(lang);
    NEED_GUI(g);
    openM01(g, std::string(lang) == "en");
    ASSERT_TRUE(g.app().syncMode()) << g.app().error();
    ASSERT_TRUE(g.rt.workspace().syncOpsMode());
    EXPECT_TRUE(g.app().error().empty()) << g.app().error();
    EXPECT_EQ(g.app().syncController().eventCount(), 38u);
    // Opened before make: no map yet, and the panel says so (it was blank).
    EXPECT_EQ(g.position(), -1);
    EXPECT_TRUE(g.lines().empty());
    EXPECT_EQ(g.rt.workspace().syncMap.caption, tr(S::SmoBeforeMake));

    // make: a zero Map.
    g.press(GLFW_KEY_RIGHT);
    EXPECT_EQ(g.position(), 0);
    EXPECT_TRUE(g.has("read nil")) << ::testing::PrintToString(g.lines());
    EXPECT_TRUE(g.has("dirty nil"));
    EXPECT_TRUE(g.has("heap readonly allocs 0 frees 0 reachable 0"));

    // store k 1000 (13 events): the first readOnly, amended, over a nil m; k in dirty only.
    g.press(GLFW_KEY_RIGHT, 13);
    ASSERT_EQ(g.position(), 13);
    EXPECT_TRUE(g.has("read -> readOnly #1 amended true keys 0")) << ::testing::PrintToString(g.lines());
    EXPECT_TRUE(g.has("dirty keys 1"));
    EXPECT_TRUE(g.hasPrefixSuffix("dirty \"k\" -> entry #1 &cell#", " 1000"));
    EXPECT_TRUE(g.has("misses 0 len(dirty) 1"));
    EXPECT_TRUE(g.has("heap readonly allocs 1 frees 0 reachable 1"));
    EXPECT_TRUE(g.has("heap entry allocs 1 frees 0 reachable 1"));
    EXPECT_TRUE(g.has("heap cell allocs 2 frees 0 reachable 1")); // Store's parameter and the entry's cell
    EXPECT_TRUE(g.has("heap box allocs 1 frees 0 reachable 1"));  // 1000 is outside 0..255

    // range (11 events): dirty promoted at once: readOnly #2 {m: dirty}, dirty nil.
    g.press(GLFW_KEY_RIGHT, 11);
    ASSERT_EQ(g.position(), 24);
    EXPECT_TRUE(g.has("read -> readOnly #2 amended false keys 1")) << ::testing::PrintToString(g.lines());
    EXPECT_TRUE(g.hasPrefixSuffix("read.m \"k\" -> entry #1 &cell#", " 1000"));
    EXPECT_TRUE(g.has("dirty nil"));
    EXPECT_TRUE(g.has("heap readonly allocs 2 frees 0 reachable 1"));

    // gc: readOnly #1 and Store's parameter cell are freed.
    g.press(GLFW_KEY_RIGHT);
    ASSERT_EQ(g.position(), 25);
    EXPECT_TRUE(g.has("heap readonly allocs 2 frees 1 reachable 1")) << ::testing::PrintToString(g.lines());
    EXPECT_TRUE(g.has("heap cell allocs 2 frees 1 reachable 1"));
    EXPECT_TRUE(g.has("heap box allocs 1 frees 0 reachable 1"));
    const std::vector<std::string> afterFirstGc = g.lines();

    // delete k (6 events): p CASed to nil without the lock; the key and its entry stay in read.m.
    g.press(GLFW_KEY_RIGHT, 5);
    ASSERT_EQ(g.position(), 30); // at the CAS
    g.frames(1);
    EXPECT_NE(g.rt.workspace().syncOps.code.currentLine.find("310"), std::string::npos)
        << g.rt.workspace().syncOps.code.currentLine;
    EXPECT_NE(g.rt.workspace().syncOps.code.currentLine.find("CompareAndSwapPointer(&e.p, p, nil)"), std::string::npos)
        << g.rt.workspace().syncOps.code.currentLine;
    EXPECT_NE(g.rt.workspace().syncOps.events.currentText.find("entry.delete:310"), std::string::npos)
        << g.rt.workspace().syncOps.events.currentText;
    g.press(GLFW_KEY_RIGHT);
    ASSERT_EQ(g.position(), 31);
    EXPECT_TRUE(g.has("read.m \"k\" -> entry #1 nil")) << ::testing::PrintToString(g.lines());
    EXPECT_TRUE(g.has("misses 0 len(dirty) 0"));
    EXPECT_TRUE(g.has("heap cell allocs 2 frees 1 reachable 0")); // not freed yet: no gc since
    EXPECT_TRUE(g.has("heap box allocs 1 frees 0 reachable 0"));

    // gc: the value's cell and box are freed now; the entry is not (read.m holds it).
    g.press(GLFW_KEY_RIGHT);
    ASSERT_EQ(g.position(), 32);
    EXPECT_TRUE(g.has("read.m \"k\" -> entry #1 nil")) << ::testing::PrintToString(g.lines());
    EXPECT_TRUE(g.has("heap cell allocs 2 frees 2 reachable 0"));
    EXPECT_TRUE(g.has("heap box allocs 1 frees 1 reachable 0"));
    EXPECT_TRUE(g.has("heap entry allocs 1 frees 0 reachable 1"));
    // The Lesson panel: this gc's narration and its six expect lines, all holding.
    g.frames(1);
    const LessonView& lv = g.rt.workspace().lesson;
    EXPECT_NE(lv.shownNarration.find(std::string(lang) == "en" ? "Watch this GC" : "注意这次 GC"), std::string::npos)
        << lv.shownNarration;
    EXPECT_EQ(lv.shownExpects, 6u);
    EXPECT_EQ(lv.shownHolding, 6u);
    const std::vector<std::string> afterSecondGc = g.lines();

    // Back with Left to the first gc: the same state as when stepping forwards.
    g.press(GLFW_KEY_LEFT, 7);
    ASSERT_EQ(g.position(), 25);
    EXPECT_EQ(g.lines(), afterFirstGc);
    // Home: before make; forwards again to the same states.
    g.press(GLFW_KEY_HOME);
    EXPECT_EQ(g.position(), -1);
    EXPECT_TRUE(g.lines().empty());
    g.press(GLFW_KEY_RIGHT, 26);
    ASSERT_EQ(g.position(), 25);
    EXPECT_EQ(g.lines(), afterFirstGc);
    g.press(GLFW_KEY_RIGHT, 7);
    EXPECT_EQ(g.lines(), afterSecondGc);
    // End: the load of the deleted key (found false, no miss).
    g.press(GLFW_KEY_END);
    EXPECT_EQ(g.position(), 37);
    EXPECT_TRUE(g.has("misses 0 len(dirty) 0"));
  }
}

TEST(SyncMapOpsGuiTest, ABadSyncMapScriptDroppedSaysFileLineColumn) {
  TempHome home;
  SmoGui g("en");
  NEED_GUI(g);
  const std::string bad = home.dir + "/bad.ops";
  {
    std::ofstream f(bad);
    f << "make syncmap string\nstore k 1\nput k 2\n";
  }
  g.files().dropped.push_back(bad);
  g.frames(3);
  EXPECT_FALSE(g.app().syncMode());
  EXPECT_NE(g.app().error().find(bad + ":3:1:"), std::string::npos) << g.app().error();
  EXPECT_NE(g.rt.workspace().statusShown.find("bad.ops:3:1"), std::string::npos) << g.rt.workspace().statusShown;
}

// A sync.Map race has the sync/map.go code panel too, under the sync.Map panel, on the
// line of the step at the cursor. Lesson 14c's schedule runs G1 (store a 2)
// four steps, then G2 (delete a) four: Delete (M:L300), read.Load (277),
// read.m[a] found (278), then e.delete's atomic.LoadPointer(&e.p) at line 306.
TEST(SyncMapOpsGuiTest, ASyncMapRaceShowsSyncMapGoAtTheCursor) {
  TempHome home;
  for (const char* lang : {"en", "zh"}) {
    SmoGui g(lang);
    NEED_GUI(g);
    g.files().dropped.push_back(assetDir() + "/lessons/14c-syncmap-where-the-cas-is.race");
    g.frames(3);
    ASSERT_TRUE(g.rt.workspace().raceMode()) << g.app().error();
    g.press(GLFW_KEY_RIGHT, 8);
    g.frames(1);
    const std::string& line = g.rt.workspace().syncOps.code.currentLine;
    EXPECT_NE(line.find("306"), std::string::npos) << lang << ": " << line;
    EXPECT_NE(line.find("atomic.LoadPointer(&e.p)"), std::string::npos) << lang << ": " << line;
    // One step back: G2's lookup in read.m (line 278).
    g.press(GLFW_KEY_LEFT);
    g.frames(1);
    EXPECT_NE(g.rt.workspace().syncOps.code.currentLine.find("278"), std::string::npos)
        << lang << ": " << g.rt.workspace().syncOps.code.currentLine;
  }
  // A step of m.mu's: lesson 14a runs G1 (store a 1) four steps, Store (144),
  // read.Load (145), read.m[a] missing (146), m.mu.Lock() taken (150); then G2
  // (store b 2) the same three and parks in its Lock: the panel is on line 150,
  // not on G2's last sync.Map event (146).
  SmoGui g("en");
  NEED_GUI(g);
  g.files().dropped.push_back(assetDir() + "/lessons/14a-syncmap-no-shards.race");
  g.frames(3);
  ASSERT_TRUE(g.rt.workspace().raceMode()) << g.app().error();
  g.press(GLFW_KEY_RIGHT, 8);
  g.frames(1);
  const std::string& line = g.rt.workspace().syncOps.code.currentLine;
  EXPECT_NE(line.find("150"), std::string::npos) << line;
  EXPECT_NE(line.find("m.mu.Lock()"), std::string::npos) << line;
}

// ---- sync.Map's event texts in both languages (no display needed) ----------------------------

// The Chinese rows of the sites' sentences: their English is the engine's
// `what`, word for word (one fact, one place: the UI translates, it does not
// restate), each has Chinese of its own, and no site whose sentence is more
// than Go code is left without a row.
TEST(SyncMapText, SiteSentencesAreTheEnginesWordsInBothLanguages) {
  std::set<syncmap::SyncSite> rowed;
  for (const SyncSiteText& t : syncSiteTexts()) {
    EXPECT_TRUE(rowed.insert(t.site).second) << "two rows for one site";
    const std::string_view what = syncmap::siteInfo(t.site).what;
    EXPECT_EQ(std::string_view(trIn(t.text, Lang::En)), what) << static_cast<int>(t.site);
    const std::string zh = trIn(t.text, Lang::Zh);
    EXPECT_NE(zh, what) << zh;
    EXPECT_TRUE(std::any_of(zh.begin(), zh.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) << zh;
  }
  // English words that mark a sentence (Go code alone needs no translation).
  const char* words[] = {" and ", "again", "under ", "then", "not ", "returns", "(no ", "was ", "the ", "when",
                         "promot", "random", "failed", "clean", "found", "frees", "marks", "lock-free", "still",
                         "first", "is nil", "reload", "none"};
  for (const syncmap::SyncSiteInfo& si : syncmap::kSyncSiteTable) {
    if (rowed.count(si.site)) continue;
    for (const char* w : words)
      EXPECT_EQ(si.what.find(w), std::string_view::npos)
          << "site " << static_cast<int>(si.site) << " (" << si.what << ") has English words and no Chinese row";
  }
  setLanguage(Lang::Zh);
  EXPECT_EQ(syncSiteWhat(syncmap::SyncSite::MissCount), std::string_view(trIn(S::SmsMissCount, Lang::Zh)));
  EXPECT_EQ(syncSiteWhat(syncmap::SyncSite::EntryLoad), syncmap::siteInfo(syncmap::SyncSite::EntryLoad).what);
  setLanguage(Lang::En);
  EXPECT_EQ(syncSiteWhat(syncmap::SyncSite::MissCount), syncmap::siteInfo(syncmap::SyncSite::MissCount).what);
}

// Every step of the three sync.Map op-script lessons reads in Chinese with no
// English sentence left in it (the event log, the caption), and in English as
// before: the site's function, its line, the engine's words and the facts.
TEST(SyncMapText, EveryStepOfTheLessonsReadsInChinese) {
  const char* lessons[] = {"m01-delete-frees-the-value.ops", "m02-until-when-the-key-stays.ops",
                           "m03-every-store-allocates.ops"};
  // English that must not be left in the Chinese text (Go's identifiers stay).
  const char* english[] = {"returns", "missing", "swapped", "failed", "absent", "freed", "never stored",
                           "looked up", "reloaded", "not found", "promot", "random order", "lock-free", "clean hit",
                           "the first", "objects", "under the lock"};
  std::size_t checked = 0;
  for (const char* name : lessons) {
    std::ifstream in(assetDir() + "/lessons/" + name);
    ASSERT_TRUE(in) << name;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ScriptParser p(name);
    std::optional<ScriptError> perr;
    auto ops = p.parseAll(text, perr);
    ASSERT_FALSE(perr) << perr->format();
    std::string err;
    auto s = SyncMapSession::fromScript(ops, name, err);
    ASSERT_TRUE(s) << err;
    for (uint64_t i = 0; i < s->eventCount(); i++) {
      setLanguage(Lang::Zh);
      const std::string zh = syncEventText(*s, i);
      setLanguage(Lang::En);
      const std::string en = syncEventText(*s, i);
      for (const char* w : english) EXPECT_EQ(zh.find(w), std::string::npos) << name << " step " << i << ": " << zh;
      // "value 5" (a Store's argument) is words; p's state `value` (as in
      // sync/map.go's comments and the JSON) is a name and stays.
      EXPECT_FALSE(std::regex_search(zh, std::regex("value -?[0-9]"))) << name << " step " << i << ": " << zh;
      if (!s->isStep(i)) {
        const syncmap::SyncSiteInfo& si = syncmap::siteInfo(s->event(i).site);
        EXPECT_EQ(en.rfind(fmt::format("{}:{}  {}", si.function, si.line, si.what), 0), 0u) << en;
      }
      checked++;
    }
  }
  EXPECT_GT(checked, 100u);
}
