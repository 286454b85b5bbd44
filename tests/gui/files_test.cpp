// Files (issue 11, item 1): Save keeps the file and replays to the same state
// after every kind of edit; autosave and restore; bundled files are never
// overwritten; and the File menu, the New map dialog, the browser and the
// "Save changes?" questions driven through ImGui's input (mouse and keys).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <GLFW/glfw3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "trace/asset_paths.hpp"
#include "offscreen_gui.hpp"
#include "ui/app_state.hpp"
#include "ui/file_browser.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/prefs.hpp"
#include "ui/strings.hpp"

using namespace gomap;
using namespace gomap::ui;
using gomap::ui::test::mouseClick;
namespace fs = std::filesystem;

namespace {
const std::string kScenarios = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/";

std::string readFile(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
void writeFile(const std::string& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
}

// A fresh directory, with HOME and the XDG directories inside it, so that
// nothing touches the user's real files.
// The variables are put back afterwards, for the other tests in this binary.
struct TempHome {
  static constexpr const char* kVars[] = {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"};
  TempHome() {
    char tmpl[] = "/tmp/gomaplab-files-XXXXXX";
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
  std::string path(const std::string& name) const { return dir + "/" + name; }
  std::string dir;
};

uint64_t endDigest(AppState& a) {
  a.finishJobs();
  a.toEnd();
  return a.map().digest();
}

// Saves a, reads the file back into a fresh session, and compares.
void expectSaveReplays(AppState& a, const std::string& file, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_TRUE(a.saveScript(file)) << a.error();
  EXPECT_FALSE(a.dirty());
  AppState b;
  ASSERT_TRUE(b.openScript(file)) << b.error() << "\n" << readFile(file);
  const int64_t pos = a.position();
  EXPECT_EQ(b.session().opCount(), a.session().opCount());
  EXPECT_EQ(b.eventCount(), a.eventCount());
  EXPECT_EQ(endDigest(b), endDigest(a));
  EXPECT_EQ(b.map().header().count, a.map().header().count);
  a.seek(pos);
}

std::vector<std::string> commentLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty() && l[0] == '#') out.push_back(l);
  return out;
}
} // namespace

// ---- the controller: no display ----------------------------------------------------------------

TEST(FilesSave, EveryKindOfEditSavesAndReplaysToTheSameState) {
  TempHome home;
  const std::string src = home.path("growth.ops"), out = home.path("out.ops");
  const std::string original = readFile(kScenarios + "growth.ops") + "\n# a closing comment\n";
  writeFile(src, original);
  AppState a;
  ASSERT_TRUE(a.openScript(src)) << a.error();
  EXPECT_FALSE(a.dirty());
  // Untouched, Save writes the file back byte for byte (comments, blank lines).
  ASSERT_TRUE(a.saveScript(out));
  EXPECT_EQ(readFile(out), original);

  a.toEnd();
  const std::size_t ops0 = a.session().opCount();
  ASSERT_TRUE(a.insert("1000", ""));
  EXPECT_TRUE(a.dirty());
  // The status line's counts follow the session (they used to stay at the opened file's).
  EXPECT_EQ(a.status(), fmt::format("out.ops: {} ops, {} events", ops0 + 1, a.eventCount())); // saved as out.ops above
  expectSaveReplays(a, out, "insert");
  ASSERT_TRUE(a.remove("5"));
  expectSaveReplays(a, out, "delete");
  ASSERT_TRUE(a.lookup("7"));
  expectSaveReplays(a, out, "lookup");
  ASSERT_TRUE(a.iterate());
  expectSaveReplays(a, out, "iterate");
  ASSERT_TRUE(a.insertRange("3000..3040"));
  expectSaveReplays(a, out, "range");
  ASSERT_TRUE(a.insertRandom(25));
  expectSaveReplays(a, out, "random");
  ASSERT_TRUE(a.insertColliding(1, 4, false)) << a.error();
  expectSaveReplays(a, out, "collide");
  ASSERT_TRUE(a.insertColliding(0, 3, true)) << a.error();
  expectSaveReplays(a, out, "collide, same hash");
  ASSERT_TRUE(a.insertUntilGrow());
  a.finishJobs();
  expectSaveReplays(a, out, "until-grow");
  ASSERT_TRUE(a.startBulk(700, true));
  a.tick(0.0, 0.0005);
  a.finishJobs();
  expectSaveReplays(a, out, "bulk");
  ASSERT_TRUE(a.runLine("put 77 1")) << a.error();
  ASSERT_TRUE(a.runLine("seed 99")) << a.error();
  ASSERT_TRUE(a.runLine("pin 123456 7")) << a.error();
  ASSERT_TRUE(a.runLine("put 123456 5")) << a.error();
  expectSaveReplays(a, out, "command line");
  ASSERT_TRUE(a.clear());
  ASSERT_TRUE(a.insertRange("1..9"));
  expectSaveReplays(a, out, "clear");
  // Drop the ops after a cursor in the middle.
  a.seek(static_cast<int64_t>(a.eventCount() / 2));
  ASSERT_TRUE(a.dropFuture());
  EXPECT_TRUE(a.dirty());
  expectSaveReplays(a, out, "drop");
  // Reload the saved file and go on editing it.
  ASSERT_TRUE(a.openScript(out));
  ASSERT_TRUE(a.insertRange("500..520"));
  expectSaveReplays(a, out, "reload");
  // Every comment of the original is still there, in order.
  EXPECT_EQ(commentLines(readFile(out)), commentLines(original));
  // A new map.
  NewMapParams p;
  p.kind = KeyKind::String;
  p.hint = 40;
  p.hash0 = 0xbeef;
  p.mode = HashMode::Identity;
  ASSERT_TRUE(a.newMap(p));
  EXPECT_FALSE(a.dirty());
  EXPECT_TRUE(a.scriptPath().empty());
  ASSERT_TRUE(a.insert("hello", "1"));
  ASSERT_TRUE(a.insertRandom(30));
  expectSaveReplays(a, out, "new map");
  EXPECT_EQ(a.map().header().hash0, 0xbeefu);
}

TEST(FilesSave, DroppingAtTheMakeKeepsTheMapAndTheComments) {
  // The report: cursor on make, Drop ops after cursor, Save: the file
  // held one comment line and no make.
  TempHome home;
  const std::string src = home.path("growth.ops");
  writeFile(src, readFile(kScenarios + "growth.ops"));
  for (int at : {-1, 0, 1, 2}) {
    SCOPED_TRACE(at);
    AppState a;
    ASSERT_TRUE(a.openScript(src));
    // -1: before every event; 0..: events of the make op (the cursor's start is its last one).
    if (at >= 0) a.seek(std::min<int64_t>(at, a.lastEventOfOp(0)));
    else a.seek(-1);
    ASSERT_TRUE(a.dropFuture());
    const std::string out = home.path("dropped.ops");
    ASSERT_TRUE(a.saveScript(out));
    const std::string text = readFile(out);
    EXPECT_NE(text.find("make int64 0 12345"), std::string::npos) << text;
    EXPECT_EQ(text.find("put 0 0"), std::string::npos) << text;
    EXPECT_EQ(commentLines(text).size(), 2u) << text;
    AppState b;
    ASSERT_TRUE(b.openScript(out)) << b.error();
    EXPECT_EQ(b.session().opCount(), 2u); // make, seed 12345
    EXPECT_EQ(a.session().opCount(), 2u);
    EXPECT_EQ(endDigest(b), endDigest(a));
  }
}

TEST(FilesSave, ALessonKeepsItsLinesAndStillReadsAfterADrop) {
  // Lesson lines (title, narration, expect) are kept like comments; a drop
  // takes the narration of the dropped ops with them (a narration must be
  // followed by an op).
  TempHome home;
  const std::string lesson = assetDir() + "/lessons/c02-growwork-two-buckets.ops";
  ASSERT_TRUE(fs::exists(lesson));
  const std::string out = home.path("c02.ops");
  for (int cut : {0, 3, 12}) {
    SCOPED_TRACE(cut);
    AppState a;
    ASSERT_TRUE(a.openScript(lesson)) << a.error();
    ASSERT_NE(a.lesson(), nullptr);
    ASSERT_TRUE(a.saveScript(out));
    EXPECT_EQ(readFile(out), readFile(lesson)); // untouched: byte for byte
    a.seek(a.lastEventOfOp(static_cast<std::size_t>(cut)));
    ASSERT_TRUE(a.dropFuture());
    ASSERT_TRUE(a.insert("100", ""));
    expectSaveReplays(a, out, "lesson after a drop");
    const std::string text = readFile(out);
    EXPECT_NE(text.find("title en A write during a grow"), std::string::npos);
    EXPECT_NE(text.find("expect B == 2"), std::string::npos);
    AppState b;
    ASSERT_TRUE(b.openScript(out)) << b.error();
    EXPECT_NE(b.lesson(), nullptr);
  }
}

TEST(FilesSave, BundledFilesAreNeverOverwritten) {
  const std::string bundled = assetDir() + "/scenarios/deletes.ops";
  const std::string before = readFile(bundled);
  AppState a;
  ASSERT_TRUE(a.openScript(bundled));
  a.toEnd();
  ASSERT_TRUE(a.insert("999", ""));
  EXPECT_FALSE(a.saveScript(bundled));
  EXPECT_NE(a.error().find("bundled"), std::string::npos) << a.error();
  EXPECT_EQ(readFile(bundled), before);
  EXPECT_TRUE(a.dirty());
  EXPECT_TRUE(isBundledPath(bundled));
  EXPECT_TRUE(isBundledPath(assetDir() + "/scenarios/../lessons/x.race"));
  EXPECT_FALSE(isBundledPath("/tmp/deletes.ops"));
}

TEST(FilesAutosave, WrittenWhileDirtyRestoredToTheSameStateRemovedWhenClean) {
  TempHome home;
  const std::string src = home.path("g.ops"), as = home.path("state/autosave.ops");
  fs::create_directories(home.path("state"));
  writeFile(src, readFile(kScenarios + "growth.ops"));
  AppState a;
  a.setAutosavePath(as);
  ASSERT_TRUE(a.openScript(src));
  EXPECT_FALSE(fs::exists(as)); // clean: nothing to keep
  a.toEnd();
  ASSERT_TRUE(a.insertRange("100..130"));
  a.flushAutosave(); // (written by a background thread)
  ASSERT_TRUE(fs::exists(as)); // written at the end of the batch
  EXPECT_EQ(AppState::autosaveOrigin(as), src);
  a.seek(100);
  ASSERT_TRUE(a.dropFuture());
  ASSERT_TRUE(a.runLine("put 4242 1"));
  a.flushAutosave();
  // What a crash leaves behind replays to the same state.
  {
    AppState b;
    ASSERT_TRUE(b.restoreAutosave(as)) << b.error();
    EXPECT_TRUE(b.dirty());
    EXPECT_EQ(b.scriptPath(), src);
    EXPECT_EQ(b.session().opCount(), a.session().opCount());
    EXPECT_EQ(endDigest(b), endDigest(a));
    // The header is not part of the script.
    EXPECT_EQ(b.scriptText(), a.scriptText());
  }
  // A long job writes it every few seconds while it runs.
  ASSERT_TRUE(a.startBulk(200000, false));
  a.tick(0.01, 0.002);
  a.flushAutosave();
  const std::string mid = readFile(as);
  a.tick(3.5, 0.002);
  a.flushAutosave();
  EXPECT_NE(readFile(as), mid);
  a.cancelJob();
  ASSERT_TRUE(a.saveScript(home.path("saved.ops")));
  a.flushAutosave();
  EXPECT_FALSE(fs::exists(as)); // saved: clean again
  // An untitled session says so in the header.
  NewMapParams p;
  ASSERT_TRUE(a.newMap(p));
  ASSERT_TRUE(a.insert("1", ""));
  a.flushAutosave();
  EXPECT_EQ(AppState::autosaveOrigin(as), "");
  AppState c;
  ASSERT_TRUE(c.restoreAutosave(as));
  EXPECT_TRUE(c.scriptPath().empty());
  EXPECT_EQ(endDigest(c), endDigest(a));
}

TEST(FilesMessages, CommandErrorsPointAtTheTypedTextAndMessagesAreTranslated) {
  AppState a;
  ASSERT_TRUE(a.newMap(NewMapParams{}));
  EXPECT_FALSE(a.runLine("put x 1"));
  EXPECT_NE(a.error().find("command \"put x 1\": column 5:"), std::string::npos) << a.error();
  EXPECT_NE(a.error().find("\n  put x 1\n      ^"), std::string::npos) << a.error();
  EXPECT_EQ(a.error().find("input:"), std::string::npos) << a.error();
  setLanguage(Lang::Zh);
  EXPECT_FALSE(a.insertRange("9..1"));
  EXPECT_EQ(a.error(), "范围：9..1 为空（止不能小于起）");
  EXPECT_FALSE(a.runLine("put x 1"));
  EXPECT_NE(a.error().find("命令 \"put x 1\"：第 5 列："), std::string::npos) << a.error();
  ASSERT_TRUE(a.newMap(NewMapParams{}));
  EXPECT_EQ(a.status(), "未命名：2 个操作，3 个事件");
  EXPECT_EQ(a.displayName(), "未命名");
  setLanguage(Lang::En);
}

TEST(FilesPrefs, RecentFilesAreRememberedMostRecentFirst) {
  TempHome home;
  Prefs p;
  p.recent = {"/a/one.ops", "/b/two.race"};
  const std::string f = home.path("prefs.ini");
  ASSERT_TRUE(savePrefs(p, f));
  Prefs q = loadPrefs(f);
  EXPECT_EQ(q.recent, p.recent);
  // A hand-edited file with more than ten entries keeps the first ten.
  std::string text;
  for (int i = 0; i < 14; i++) text += "recent=/x/" + std::to_string(i) + ".ops\n";
  writeFile(f, text);
  EXPECT_EQ(loadPrefs(f).recent.size(), 10u);
}

TEST(FilesTitles, TitleLinesThenTheFirstCommentThenTheName) {
  TempHome home;
  writeFile(home.path("a.ops"), "# First comment\nmake int64 0\n");
  writeFile(home.path("b.ops"), "make int64 0\n");
  writeFile(home.path("c.ops"), "# comment\ntitle en Growth\ntitle zh 增长\nmake int64 0\n");
  EXPECT_EQ(fileTitle(home.path("a.ops"), Lang::En), "First comment");
  EXPECT_EQ(fileTitle(home.path("b.ops"), Lang::Zh), "b.ops");
  EXPECT_EQ(fileTitle(home.path("c.ops"), Lang::En), "Growth");
  EXPECT_EQ(fileTitle(home.path("c.ops"), Lang::Zh), "增长");
  EXPECT_EQ(fileTitle(assetDir() + "/lessons/1-entry-check.race", Lang::Zh), "写遇上正在进行的写：入口检查处致命错误");
  EXPECT_EQ(fileTitle(home.path("missing.ops"), Lang::En), "missing.ops");
}

// ---- the real widgets, through ImGui's input ------------------------------------------------------

namespace {
class FilesGui {
public:
  explicit FilesGui(const std::string& lang = "en") {
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
  // Clicks the widget the file UI drew under that name (and fails the test if it did not draw it).
  bool click(const std::string& name) {
    rt.frame(0); // a window that just appeared settles its size and place first
    if (!files().hasRect(name)) {
      ADD_FAILURE() << "not drawn: " << name;
      return false;
    }
    clickAt(files().centre(name));
    return true;
  }
  void doubleClick(const std::string& name) {
    frames(40); // more than ImGui's double-click time after any earlier click

    ASSERT_TRUE(files().hasRect(name)) << name;
    const ImVec2 p = files().centre(name);
    rt.injectMouse = p;
    for (bool down : {false, true, false, true, false}) {
      rt.injectMouseDown = down;
      rt.frame(0);
    }
  }
  // Opens the File menu with a click and clicks one of its items.
  bool menu(const std::string& item) {
    files().rects.erase(item);
    if (!click("menu.file")) return false;
    frames(1);
    return click(item);
  }
  void type(const std::string& text) {
    ImGuiIO& io = ImGui::GetIO();
    for (char c : text) io.AddInputCharacter(static_cast<unsigned>(static_cast<unsigned char>(c)));
    rt.frame(0);
  }
  void press(int key, bool ctrl = false, bool shift = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeysDown[key] = true;
    rt.frame(0);
    io.KeysDown[key] = false;
    rt.frame(0);
    io.KeyCtrl = false;
    io.KeyShift = false;
  }
  void makeDirty() {
    app().toEnd();
    ASSERT_TRUE(app().insert("4242", ""));
    ASSERT_TRUE(app().dirty());
  }
  GuiRuntime rt;
  bool ok = false;
  std::string err;
};

#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display/GL: " << (g).err
} // namespace

TEST(FilesGuiTest, NewMapDialogFromTheMenuAsksThenStartsACleanSession) {
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.makeDirty();
  const std::size_t ops = g.app().session().opCount();
  ASSERT_TRUE(g.menu("menu.new"));
  ASSERT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  g.frames(1);
  ASSERT_TRUE(g.click("newmap.kind.string"));
  ASSERT_TRUE(g.click("newmap.hint"));
  g.type("100");
  ASSERT_TRUE(g.click("newmap.hash0"));
  g.type("0x1234");
  ASSERT_TRUE(g.click("newmap.mode.identity"));
  EXPECT_STREQ(g.files().hint, "100");
  EXPECT_STREQ(g.files().hash0, "0x1234");
  ASSERT_TRUE(g.click("newmap.ok"));
  // Unsaved work: asked first. Cancel keeps everything.
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Ask);
  g.frames(1);
  ASSERT_TRUE(g.click("ask.cancel"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  EXPECT_EQ(g.app().session().opCount(), ops);
  EXPECT_TRUE(g.app().dirty());
  // Again, Don't save: a clean session with just the new map (not a second make appended).
  ASSERT_TRUE(g.menu("menu.new"));
  g.frames(1);
  ASSERT_TRUE(g.click("newmap.ok"));
  g.frames(1);
  ASSERT_TRUE(g.click("ask.dontsave"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  EXPECT_FALSE(g.app().dirty());
  EXPECT_EQ(g.app().session().opCount(), 2u); // make, seed (hashmode before make configures the map)
  EXPECT_EQ(g.app().keyKind(), KeyKind::String);
  ASSERT_TRUE(g.app().insert("k", "1"));
  g.app().toEnd();
  EXPECT_EQ(g.app().map().header().hash0, 0x1234u);
  EXPECT_EQ(g.app().map().header().B, 4); // hint 100: 100 > 6.5 * 8
  EXPECT_NE(g.app().scriptText().find("hashmode identity\nmake string 100 4660\n"), std::string::npos) << g.app().scriptText();
  // Bad input in the dialog: a message, no new session.
  const uint64_t id = g.app().sessionId();
  g.press(GLFW_KEY_N, true); // Ctrl+N
  ASSERT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  ASSERT_TRUE(g.click("newmap.hash0"));
  g.type("zz");
  ASSERT_TRUE(g.click("newmap.ok"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  EXPECT_NE(g.files().newMapError.find("hash0"), std::string::npos);
  ASSERT_TRUE(g.click("newmap.cancel"));
  EXPECT_EQ(g.app().sessionId(), id);
}

TEST(FilesGuiTest, TheControlsPanelsNewMapButtonWorks) {
  // The old "New map" button shared its ID with the section header and never fired.
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().newMap(NewMapParams{}));
  g.frames(2);
  auto& r = g.rt.workspace().controls.rects;
  ASSERT_TRUE(r.count("ctl.new"));
  // The file section is the panel's first: its buttons are there without scrolling.
  g.clickAt(ImVec2((r["ctl.new"].first.x + r["ctl.new"].second.x) / 2, (r["ctl.new"].first.y + r["ctl.new"].second.y) / 2));
  g.frames(1);
  EXPECT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  ASSERT_TRUE(g.click("newmap.ok"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
}

TEST(FilesGuiTest, OpenThroughTheBrowserAndSaveRoundTrips) {
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  fs::create_directories(home.path("work/sub"));
  writeFile(home.path("work/a.ops"), "# mine\nmake int64 0 7\nput 1 10\n");
  writeFile(home.path("work/sub/b.ops"), "make int64 0 9\nput 2 20\nput 3 30\n");
  writeFile(home.path("work/notes.txt"), "not a script\n");
  ASSERT_TRUE(g.app().newMap(NewMapParams{}));
  g.files().dir = home.path("work");
  g.press(GLFW_KEY_O, true); // Ctrl+O
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  g.frames(1);
  EXPECT_TRUE(g.files().hasRect("browser.entry.a.ops"));
  EXPECT_FALSE(g.files().hasRect("browser.entry.notes.txt")); // filtered out
  // Into sub/, open b.ops with a double click.
  g.doubleClick("browser.entry.sub");
  g.frames(1);
  EXPECT_EQ(g.files().dir, home.path("work/sub"));
  g.doubleClick("browser.entry.b.ops");
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  EXPECT_EQ(g.app().scriptPath(), home.path("work/sub/b.ops"));
  EXPECT_EQ(g.app().session().opCount(), 4u);
  // Edit, save with Ctrl+S: written in place, the file replays to the same map.
  g.app().toEnd();
  ASSERT_TRUE(g.app().insertRange("40..60"));
  g.press(GLFW_KEY_S, true);
  EXPECT_FALSE(g.app().dirty());
  AppState b;
  ASSERT_TRUE(b.openScript(home.path("work/sub/b.ops")));
  EXPECT_EQ(endDigest(b), endDigest(g.app()));
  // Open a.ops by typing its path in the path field.
  g.files().rects.clear();
  ASSERT_TRUE(g.menu("menu.open"));
  g.frames(1);
  // The path field has the keyboard as the dialog opens, its text selected:
  // what is typed replaces it, and a relative name is taken in the folder shown.
  g.frames(1);
  EXPECT_TRUE(ImGui::GetIO().WantTextInput);
  g.type("../a.ops");
  ASSERT_TRUE(g.click("browser.ok"));
  EXPECT_EQ(g.app().scriptPath(), home.path("work/a.ops"));
  // The same by a user who clicks in the field first: the first click selects
  // the path the dialog put there, so the typed path replaces it too.
  g.files().rects.clear();
  ASSERT_TRUE(g.menu("menu.open"));
  g.frames(1);
  ASSERT_TRUE(g.click("browser.path"));
  g.type(home.path("work/sub/b.ops"));
  ASSERT_TRUE(g.click("browser.ok"));
  EXPECT_EQ(g.app().scriptPath(), home.path("work/sub/b.ops"));
  g.files().rects.clear();
  ASSERT_TRUE(g.menu("menu.open"));
  g.frames(2);
  g.type(home.path("work/a.ops"));
  ASSERT_TRUE(g.click("browser.ok"));
  EXPECT_EQ(g.app().scriptPath(), home.path("work/a.ops"));
  // It is now first in Open recent, b.ops second.
  ASSERT_GE(g.rt.prefs().recent.size(), 2u);
  EXPECT_EQ(g.rt.prefs().recent[0], home.path("work/a.ops"));
  EXPECT_EQ(g.rt.prefs().recent[1], home.path("work/sub/b.ops"));
  // Save As into a new name.
  g.app().toEnd();
  ASSERT_TRUE(g.app().insert("5", ""));
  g.press(GLFW_KEY_S, true, true); // Ctrl+Shift+S
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  EXPECT_TRUE(g.files().saveMode);
  g.frames(1);
  ASSERT_TRUE(g.click("browser.name"));
  g.type("copy");
  ASSERT_TRUE(g.click("browser.ok"));
  EXPECT_EQ(g.app().scriptPath(), home.path("work/copy.ops"));
  EXPECT_EQ(readFile(home.path("work/copy.ops")), "# mine\nmake int64 0 7\nput 1 10\nput 5 50\n");
  // Save As onto an existing file asks before replacing it.
  g.app().toEnd();
  ASSERT_TRUE(g.app().insert("6", ""));
  ASSERT_TRUE(g.menu("menu.saveas"));
  g.frames(1);
  ASSERT_TRUE(g.click("browser.name"));
  g.type("a.ops");
  ASSERT_TRUE(g.click("browser.ok"));
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Replace);
  g.frames(1);
  ASSERT_TRUE(g.click("replace.cancel"));
  EXPECT_EQ(readFile(home.path("work/a.ops")), "# mine\nmake int64 0 7\nput 1 10\n");
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  g.frames(1);
  ASSERT_TRUE(g.click("browser.ok"));
  g.frames(1);
  ASSERT_TRUE(g.click("replace.replace"));
  EXPECT_EQ(readFile(home.path("work/a.ops")), "# mine\nmake int64 0 7\nput 1 10\nput 5 50\nput 6 60\n");
}

TEST(FilesGuiTest, OpenRecentOpensAFileAndGreysOutAMissingOne) {
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  writeFile(home.path("here.ops"), "make int64 0\nput 1 1\n");
  ASSERT_TRUE(g.app().newMap(NewMapParams{}));
  g.rt.prefs().recent = {home.path("gone.ops"), home.path("here.ops")};
  auto openSub = [&] {
    g.files().rects.erase("menu.recent.0");
    ASSERT_TRUE(g.click("menu.file"));
    g.rt.injectMouse = g.files().centre("menu.recent"); // hovering opens the submenu
    g.frames(3);
    ASSERT_TRUE(g.files().hasRect("menu.recent.0"));
  };
  openSub();
  ASSERT_TRUE(g.click("menu.recent.0")); // greyed: nothing happens
  EXPECT_TRUE(g.app().scriptPath().empty());
  // A greyed item does not close the menu: the next one is still there to click.
  g.files().rects.erase("menu.recent.1");
  g.frames(1);
  ASSERT_TRUE(g.click("menu.recent.1"));
  EXPECT_EQ(g.app().scriptPath(), home.path("here.ops"));
  EXPECT_EQ(g.rt.prefs().recent.front(), home.path("here.ops"));
}

TEST(FilesGuiTest, TypingInAFieldTriggersNoShortcut) {
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().newMap(NewMapParams{}));
  g.frames(1);
  g.press(GLFW_KEY_N); // a plain N is no shortcut
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  g.press(GLFW_KEY_N, true); // Ctrl+N opens New map...
  ASSERT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  ASSERT_TRUE(g.click("newmap.hint"));
  g.type("nos");
  // ...and letters typed in a field of it stay letters: no other dialog opens.
  EXPECT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  EXPECT_STREQ(g.files().hint, "nos");
  ASSERT_TRUE(g.click("newmap.ok"));
  EXPECT_NE(g.files().newMapError.find("\"nos\""), std::string::npos) << g.files().newMapError;
  ASSERT_TRUE(g.click("newmap.cancel"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
}

TEST(FilesGuiTest, SaveOnABundledFileBecomesSaveAsIntoTheUsersDirectory) {
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  const std::string bundled = assetDir() + "/scenarios/deletes.ops";
  const std::string before = readFile(bundled);
  ASSERT_TRUE(g.app().openScript(bundled));
  g.makeDirty();
  ASSERT_TRUE(g.menu("menu.save"));
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  EXPECT_TRUE(g.files().saveMode);
  EXPECT_EQ(g.files().dir, home.path("data/gomaplab"));
  g.frames(1);
  ASSERT_TRUE(g.click("browser.ok"));
  EXPECT_EQ(readFile(bundled), before);
  EXPECT_EQ(g.app().scriptPath(), home.path("data/gomaplab/deletes.ops"));
  EXPECT_FALSE(g.app().dirty());
  AppState b;
  ASSERT_TRUE(b.openScript(home.path("data/gomaplab/deletes.ops")));
  EXPECT_EQ(endDigest(b), endDigest(g.app()));
}

TEST(FilesGuiTest, BundledLessonsAreListedByTitleAndOpen) {
  TempHome home;
  FilesGui g("zh");
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  ASSERT_TRUE(g.menu("menu.lessons"));
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  g.frames(2);
  ASSERT_TRUE(g.files().hasRect("browser.bundled.1-entry-check.race"));
  ASSERT_TRUE(g.files().hasRect("browser.bundled.growth.ops"));
  // Lessons are in number order: 2 above 10.
  EXPECT_LT(g.files().rects["browser.bundled.2-xor-cancels.race"].first.y,
            g.files().rects["browser.bundled.10-iteration-misses-a-key.race"].first.y);
  ASSERT_TRUE(g.click("browser.bundled.1-entry-check.race"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  EXPECT_TRUE(g.rt.race.loaded());
  EXPECT_TRUE(g.rt.workspace().raceMode());
  EXPECT_TRUE(g.app().hasSession()); // the op-script session is still there
}

TEST(FilesGuiTest, QuitAndDroppedFilesAskAndEachAnswerDoesWhatItSays) {
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  const std::string mine = home.path("mine.ops"), other = home.path("other.ops");
  writeFile(mine, "make int64 0\nput 1 1\n");
  writeFile(other, "make int64 0\nput 2 2\nput 3 3\n");
  ASSERT_TRUE(g.app().openScript(mine));
  const std::string as = home.path("state/autosave.ops");
  fs::create_directories(home.path("state"));
  g.app().setAutosavePath(as);
  g.makeDirty();
  g.app().flushAutosave();
  EXPECT_TRUE(fs::exists(as));
  // A dropped file: asked; Cancel keeps the session.
  g.files().dropped.push_back(other);
  g.frames(1);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Ask);
  g.frames(1);
  ASSERT_TRUE(g.click("ask.cancel"));
  EXPECT_EQ(g.app().scriptPath(), mine);
  // Dropped again, Save: mine.ops is written, then other.ops opens.
  g.files().dropped.push_back(other);
  g.frames(2);
  ASSERT_TRUE(g.click("ask.save"));
  EXPECT_EQ(readFile(mine), "make int64 0\nput 1 1\nput 4242 42420\n");
  EXPECT_EQ(g.app().scriptPath(), other);
  g.app().flushAutosave();
  EXPECT_FALSE(fs::exists(as)); // clean
  // The window's close button with unsaved work: asked; Cancel stays.
  g.makeDirty();
  g.files().closeRequested = true;
  g.frames(1);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Ask);
  EXPECT_FALSE(g.rt.shouldClose());
  g.frames(1);
  ASSERT_TRUE(g.click("ask.cancel"));
  EXPECT_FALSE(g.rt.shouldClose());
  // Ctrl+Q, Don't save: quits, other.ops untouched, no autosave left.
  g.press(GLFW_KEY_Q, true);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Ask);
  g.frames(1);
  ASSERT_TRUE(g.click("ask.dontsave"));
  EXPECT_TRUE(g.rt.shouldClose());
  EXPECT_EQ(readFile(other), "make int64 0\nput 2 2\nput 3 3\n");
  EXPECT_FALSE(fs::exists(as));
}

TEST(FilesGuiTest, TheCloseButtonCancelsAnOpenDialogAndAsks) {
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.makeDirty();
  g.press(GLFW_KEY_O, true);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  g.files().closeRequested = true;
  g.frames(2);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Ask);
  ASSERT_TRUE(g.click("ask.cancel"));
  EXPECT_FALSE(g.rt.shouldClose());
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  // The same on the very frame a dialog is asked for (before its popup exists).
  g.files().newMapDialog(g.rt.workspace());
  g.files().closeRequested = true;
  g.frames(2);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Ask);
  ASSERT_TRUE(g.click("ask.cancel"));
  // The browser is gone for good and the workspace takes clicks again.
  ASSERT_TRUE(g.menu("menu.new"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::NewMap);
}

TEST(FilesGuiTest, QuitWithNothingUnsavedDoesNotAsk) {
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  ASSERT_TRUE(g.menu("menu.quit"));
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  EXPECT_TRUE(g.rt.shouldClose());
}

TEST(FilesGuiTest, AnAutosaveIsOfferedBackAndRestoredOrDiscarded) {
  TempHome home;
  const std::string src = home.path("g.ops"), as = home.path("state/autosave.ops");
  fs::create_directories(home.path("state"));
  writeFile(src, readFile(kScenarios + "growth.ops"));
  uint64_t digest = 0;
  std::size_t ops = 0;
  {
    AppState a;
    a.setAutosavePath(as);
    ASSERT_TRUE(a.openScript(src));
    a.toEnd();
    ASSERT_TRUE(a.insertRange("100..140"));
    digest = endDigest(a);
    ops = a.session().opCount();
    // a "crashes": its destructor touches nothing on disk
  }
  ASSERT_TRUE(fs::exists(as));
  for (bool restore : {false, true}) {
    if (!restore) fs::copy_file(as, home.path("keep.ops"));
    else fs::copy_file(home.path("keep.ops"), as, fs::copy_options::overwrite_existing);
    FilesGui g;
    NEED_GUI(g);
    ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
    g.files().offerRestore(as);
    g.frames(2);
    ASSERT_EQ(g.files().modal(), FileUi::Modal::Restore);
    ASSERT_TRUE(g.click(restore ? "restore.restore" : "restore.discard"));
    EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
    if (restore) {
      EXPECT_EQ(g.app().scriptPath(), src);
      EXPECT_TRUE(g.app().dirty());
      EXPECT_EQ(g.app().session().opCount(), ops);
      EXPECT_EQ(endDigest(g.app()), digest);
      g.app().flushAutosave();
      EXPECT_TRUE(fs::exists(as)); // still unsaved: still autosaved
    } else {
      EXPECT_EQ(g.app().scriptPath(), kScenarios + "growth.ops");
      g.app().flushAutosave();
      EXPECT_FALSE(fs::exists(as));
    }
  }
}

// ---- teacher's pass (issue 11): Save after New map, shortcuts between frames, headers ---------------

TEST(FilesGuiTest, SaveAfterNewMapAsksForANameAndLeavesTheOldFileAlone) {
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  writeFile(home.path("mine.ops"), "make int64 0 7\nput 1 10\n");
  ASSERT_TRUE(g.app().openScript(home.path("mine.ops")));
  ASSERT_TRUE(g.menu("menu.new"));
  g.frames(1);
  ASSERT_TRUE(g.click("newmap.ok")); // nothing unsaved: no question
  ASSERT_EQ(g.files().modal(), FileUi::Modal::None);
  EXPECT_TRUE(g.app().scriptPath().empty());
  EXPECT_EQ(g.app().displayName(), "untitled");
  g.app().toEnd();
  ASSERT_TRUE(g.app().insert("99", ""));
  g.press(GLFW_KEY_S, true); // Ctrl+S on an untitled map: Save As, never the file open before
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  EXPECT_TRUE(g.files().saveMode);
  EXPECT_EQ(readFile(home.path("mine.ops")), "make int64 0 7\nput 1 10\n");
  g.frames(1);
  ASSERT_TRUE(g.click("browser.cancel"));
  EXPECT_EQ(readFile(home.path("mine.ops")), "make int64 0 7\nput 1 10\n");
  EXPECT_TRUE(g.app().dirty());
  // The Controls panel's Save does the same.
  ASSERT_TRUE(g.rt.workspace().controls.rects.count("ctl.save"));
  auto r = g.rt.workspace().controls.rects["ctl.save"];
  g.clickAt(ImVec2((r.first.x + r.second.x) / 2, (r.first.y + r.second.y) / 2));
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  EXPECT_TRUE(g.files().saveMode);
  EXPECT_EQ(readFile(home.path("mine.ops")), "make int64 0 7\nput 1 10\n");
}

TEST(FilesGuiTest, ShortcutsPressedAndReleasedBetweenTwoFramesAct) {
  // xdotool key ctrl+q: GLFW reports press and release before the next frame, so
  // io.KeysDown never shows the key down; the workspace's tap queue must carry it.
  TempHome home;
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().newMap(NewMapParams{}));
  g.frames(1);
  Workspace& ws = g.rt.workspace();
  ws.keyTap(GLFW_KEY_N, false, true);
  g.frames(1);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::NewMap);
  ASSERT_TRUE(g.click("newmap.cancel"));
  ws.keyTap(GLFW_KEY_O, false, true);
  g.frames(1);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  EXPECT_FALSE(g.files().saveMode);
  ASSERT_TRUE(g.click("browser.cancel"));
  ws.keyTap(GLFW_KEY_S, true, true); // Ctrl+Shift+S
  g.frames(1);
  ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
  EXPECT_TRUE(g.files().saveMode);
  ASSERT_TRUE(g.click("browser.cancel"));
  ws.keyTap(GLFW_KEY_N, false, false); // a plain N is no shortcut
  g.frames(1);
  EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
  ws.keyTap(GLFW_KEY_Q, false, true); // nothing unsaved: quits at once
  g.frames(1);
  EXPECT_TRUE(g.files().quitNow);
}

TEST(FilesGuiTest, SwitchingTheLanguageKeepsTheControlsSectionsAsTheyWere) {
  FilesGui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().newMap(NewMapParams{}));
  g.frames(2);
  auto& r = g.rt.workspace().controls.rects;
  ASSERT_TRUE(r.count("ctl.secscript") && r.count("ctl.new"));
  // The file section comes first: its buttons are inside the panel without scrolling.
  const ImVec2 avail = ImGui::GetIO().DisplaySize;
  EXPECT_LT(r["ctl.new"].second.y, avail.y);
  // Close the op script section with a click on its header: its buttons go.
  const auto h = r["ctl.secscript"];
  g.clickAt(ImVec2(h.first.x + 40, (h.first.y + h.second.y) / 2));
  r.clear();
  g.frames(2);
  ASSERT_TRUE(r.count("ctl.secscript"));
  EXPECT_FALSE(r.count("ctl.new")) << "the section did not close";
  // Chinese, then English again: still closed (the header's ID does not depend on its label).
  for (const char* lang : {"zh", "en"}) {
    g.rt.prefs().language = lang;
    g.rt.workspace().fontsDirty = true;
    r.clear();
    g.frames(3);
    ASSERT_TRUE(r.count("ctl.secscript")) << lang;
    EXPECT_FALSE(r.count("ctl.new")) << "switching to " << lang << " reopened the section";
  }
  // Open it again: it stays open across a switch too.
  const auto h2 = r["ctl.secscript"];
  g.clickAt(ImVec2(h2.first.x + 40, (h2.first.y + h2.second.y) / 2));
  g.rt.prefs().language = "zh";
  g.rt.workspace().fontsDirty = true;
  r.clear();
  g.frames(3);
  EXPECT_TRUE(r.count("ctl.new")) << "switching to zh closed the section";
  g.rt.prefs().language = "en";
  g.rt.workspace().fontsDirty = true;
  g.frames(2);
}

// A copy-on-write race (issue 12, lesson 15c: Store instead of CompareAndSwap)
// dropped on the window opens in the race workspace with the copy-on-write
// panel, and Right arrow steps it through ImGui's input. Expected by hand from
// the lesson's schedule (1 2 1x3 2x3) and tests/concurrency/cow_go/cow.go: both
// goroutines Load #1 (the constructor's empty map); G1 copies it into #2, inserts
// a and Stores #2; G2 copies #1 into #3 and inserts b: after 7 steps #2 {a: 1} is
// published while G2 still holds #1 and its copy #3 {b: 2}; its Store then
// publishes #3, and a is lost.
TEST(FilesGuiTest, ACopyOnWriteLessonOpensWithItsPanelAndSteps) {
  for (const char* lang : {"en", "zh"}) {
    TempHome home;
    FilesGui g(lang);
    NEED_GUI(g);
    g.files().dropped.push_back(assetDir() + "/lessons/15c-cow-store-loses-keys.race");
    g.frames(3);
    ASSERT_NE(g.rt.race.path().find("15c-cow-store-loses-keys.race"), std::string::npos) << g.rt.race.error();
    ASSERT_TRUE(g.rt.race.cow());
    const CowView& v = g.rt.workspace().cow;
    auto has = [&](const std::string& l) { return std::find(v.lines.begin(), v.lines.end(), l) != v.lines.end(); };
    EXPECT_TRUE(has("published #1 {}")) << ::testing::PrintToString(v.lines);
    for (int i = 0; i < 7; i++) g.press(GLFW_KEY_RIGHT);
    g.frames(2);
    EXPECT_TRUE(has("published #2 {\"a\": 1}")) << ::testing::PrintToString(v.lines);
    EXPECT_TRUE(has("G1 idle"));
    EXPECT_TRUE(has("G2 store b 2 holds #1 {} copy #3 {\"b\": 2} retries 0 stale")) << ::testing::PrintToString(v.lines);
    g.press(GLFW_KEY_RIGHT);
    g.frames(2);
    EXPECT_TRUE(has("published #3 {\"b\": 2}")) << ::testing::PrintToString(v.lines);
    EXPECT_TRUE(has("versions 3 casFailures 0"));
    EXPECT_EQ(g.rt.race.session().ending().kind, race::Ending::Kind::AllDone);
    // The panel's own words are in the UI's language.
    EXPECT_NE(v.help.find(std::string(lang) == "en" ? "Store instead of CompareAndSwap" : "用 Store 代替 CompareAndSwap"),
              std::string::npos)
        << v.help;
  }
}

// A copy-on-write map written in place (issue 12, lesson 15e) opens from File >
// Lessons with clicks, in the classic race workspace (its map is a classic
// engine map: the bucket views get it) with the Copy-on-write panel showing
// variant inplace, and Right arrow steps it to the fatal. Expected by hand
// from the lesson's schedule (1x3 2x2) and map.go: G1's begin, hash and
// h.flags ^= hashWriting (map.go:601): G1 holds the one published map #1,
// still empty, with hashWriting set and G2 idle; G2's begin and its entry
// check (map.go:595): fatal error: concurrent map writes in G2, both methods
// holding #1, no copy, no version made after the constructor's.
TEST(FilesGuiTest, AnInPlaceCopyOnWriteLessonOpensFromLessonsAndStepsToTheFatal) {
  for (const char* lang : {"en", "zh"}) {
    TempHome home;
    FilesGui g(lang);
    NEED_GUI(g);
    ASSERT_TRUE(g.menu("menu.lessons"));
    ASSERT_EQ(g.files().modal(), FileUi::Modal::Browser);
    g.frames(2);
    const std::string item = "browser.bundled.15e-cow-inplace-dies.race";
    ASSERT_TRUE(g.files().hasRect(item));
    // It is listed below the fold: scroll the list with the mouse wheel over it
    // until its row is inside the list (below the tabs, above the Open button).
    const float fs = ImGui::GetFontSize();
    const float listTop = g.files().rects["browser.tab.bundled"].second.y + fs;
    const float listBottom = g.files().rects["browser.ok"].first.y - 2 * fs;
    ASSERT_GT(listBottom, listTop + 4 * fs);
    g.rt.injectMouse = ImVec2(g.files().centre(item).x, (listTop + listBottom) / 2);
    auto shown = [&] {
      const float y = g.files().centre(item).y;
      return y >= listTop && y <= listBottom;
    };
    for (int i = 0; i < 80 && !shown(); i++) {
      g.rt.injectWheel = g.files().centre(item).y > listBottom ? -1.0f : 1.0f;
      g.rt.frame(0);
      g.rt.injectWheel = 0;
      g.rt.frame(0);
    }
    ASSERT_TRUE(shown()) << "the list did not scroll to the lesson: " << g.files().centre(item).y;
    ASSERT_TRUE(g.click(item));
    EXPECT_EQ(g.files().modal(), FileUi::Modal::None);
    g.frames(3);
    ASSERT_NE(g.rt.race.path().find("15e-cow-inplace-dies.race"), std::string::npos) << g.rt.race.error();
    ASSERT_TRUE(g.rt.race.cowInPlace());
    EXPECT_FALSE(g.rt.race.cow()); // not the versions model: the classic map
    EXPECT_TRUE(g.rt.workspace().raceMode());
    EXPECT_TRUE(g.rt.workspace().panels & PanelBuckets);
    EXPECT_TRUE(g.rt.workspace().panels & PanelCow);
    const CowView& v = g.rt.workspace().cow;
    auto has = [&](const std::string& l) { return std::find(v.lines.begin(), v.lines.end(), l) != v.lines.end(); };
    EXPECT_TRUE(has("published #1 {}")) << ::testing::PrintToString(v.lines);
    EXPECT_TRUE(has("G1 idle")) << ::testing::PrintToString(v.lines);
    for (int i = 0; i < 3; i++) g.press(GLFW_KEY_RIGHT);
    g.frames(2);
    const race::World& w = g.rt.race.session().world();
    EXPECT_EQ(w.map().header().flags & hashWriting, hashWriting);
    EXPECT_TRUE(has("G1 store a 1 holds #1 {} copy - retries 0")) << ::testing::PrintToString(v.lines);
    EXPECT_TRUE(has("G2 idle")) << ::testing::PrintToString(v.lines);
    Frame f;
    g.rt.race.fillFrame(f);
    EXPECT_NE(f.map, nullptr); // the bucket views are handed the classic map
    EXPECT_NE(f.cow, nullptr);   // and the Copy-on-write panel its frame
    for (int i = 0; i < 2; i++) g.press(GLFW_KEY_RIGHT);
    g.frames(2);
    const race::Ending& e = g.rt.race.session().ending();
    ASSERT_EQ(e.kind, race::Ending::Kind::Fatal);
    EXPECT_EQ(e.g, 2);
    EXPECT_EQ(e.message, "concurrent map writes");
    EXPECT_EQ(e.line, 595);
    EXPECT_TRUE(has("G2 store b 2 holds #1 {} copy - retries 0")) << ::testing::PrintToString(v.lines);
    EXPECT_TRUE(has("versions 1 casFailures 0"));
    // The step in the UI's language (it was English in the zh UI).
    EXPECT_NE(v.caption.find(std::string(lang) == "en" ? "fatal error: concurrent map writes" : "G2: 致命错误：并发写映射"),
              std::string::npos)
        << v.caption;
    EXPECT_NE(v.help.find(std::string(lang) == "en" ? "no copy and no CAS" : "没有复制，也没有 CAS"), std::string::npos)
        << v.help;
  }
}
