// Files in the GUI (issue 11): the File menu (New map, Open, Open recent,
// Save, Save As, Lessons, Quit), its dialogs (New map, an in-app file browser
// with the bundled lessons and scenarios listed by title, "Save changes?",
// "Replace?", restoring an autosave), files dropped on the window, and the
// rule that no work is discarded without a question: everything that would
// replace the op-script session goes through ask().
//
// The dialogs are ImGui modals drawn once a frame by draw(), after the menu
// bar. The session itself is AppState's: this class only decides what to ask
// and calls its commands.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ui/app_state.hpp"
#include "ui/strings.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

class Workspace;

// Where the user's own files go: $XDG_DATA_HOME/gomaplab (default
// ~/.local/share/gomaplab), created on demand; the current directory if there
// is no HOME or it cannot be created.
std::string userDataDir();
// Where the autosave lives: $XDG_STATE_HOME/gomaplab (default ~/.local/state/gomaplab); "" if none.
std::string userStateDir();
// The autosave file in userStateDir() ("" if there is none).
std::string autosaveFile();
// The autosave has one owner at a time, named by AUTOSAVE.pid: whether a live
// gomaplab other than this process owns it; taking it (false if the pid file
// cannot be written); and letting it go at a normal exit.
bool autosaveOwnedByAnother(const std::string& autosave);
bool claimAutosave(const std::string& autosave);
void releaseAutosave(const std::string& autosave);
// A lesson's or scenario's title in the language: its `title en|zh TEXT`
// line, else its first comment line, else its file name. A tolerant scan of
// the first lines: never an error.
std::string fileTitle(const std::string& path, Lang lang);

class FileUi {
public:
  // Once a frame, after every panel (so that nothing replaces the session the
  // panels were handed this frame): the shortcuts (Ctrl+N/O/S/Shift+S/Q),
  // the controls' requests, dropped files, quit requests and the dialogs.
  void draw(Workspace& ws);
  // A Ctrl+N/O/S (Shift+S) press from GLFW (Workspace::keyTap): acted on at the
  // next draw even when the key was released before that frame.
  void keyTap(int glfwKey, bool shift);
  // The File menu's items (between BeginMenu and EndMenu of File).
  void menu(Workspace& ws);

  // ---- actions (each asks before it discards unsaved work) ----------------------
  void newMapDialog(Workspace& ws);
  void openDialog(Workspace& ws, bool bundled);
  void openPath(Workspace& ws, const std::string& path);
  // A classic op script on both maps, side by side (ui/side_by_side.hpp): checked
  // first (an error names FILE:LINE:COL), then asked about like any open.
  void openSideBySide(Workspace& ws, const std::string& path);
  bool sideBySide = false; // the browser is picking a script for the side-by-side mode
  void newMap(Workspace& ws, const NewMapParams& p);
  void save(Workspace& ws);
  void saveAs(Workspace& ws);
  void requestQuit(Workspace& ws);
  // Puts path first in File > Open recent (the prefs keep ten).
  void addRecent(Workspace& ws, const std::string& path);
  // At start-up: an autosave was found; ask to restore or discard it before
  // autosaving anew into file.
  void offerRestore(const std::string& file);
  // Answers that question as its buttons would, next frame (GOMAPLAB_TEST_ANSWER in gui_app.cpp).
  void answerRestore(bool restore);

  bool quitNow = false;               // the runtime closes the window
  bool closeRequested = false;        // the window's close button (GLFW callback)
  std::vector<std::string> dropped;   // files dropped on the window (GLFW callback)

  // ---- for tests: what is open and where widgets were drawn last frame ---------------
  enum class Modal { None, NewMap, Browser, Ask, Restore, Replace };
  Modal modal() const { return modal_; }
  // Screen rectangle (min, max) of a widget by name ("menu.file", "newmap.ok", ...; see file_browser.cpp).
  std::map<std::string, std::pair<ImVec2, ImVec2>> rects;
  bool hasRect(const std::string& name) const { return rects.count(name) != 0; }
  ImVec2 centre(const std::string& name) const;

  // New map dialog fields.
  int kind = 0, hashMode = 0;
  char hint[32] = "0";
  char hash0[32] = "0";
  std::string newMapError;
  // Browser fields.
  char pathField[1024] = "";
  char nameField[256] = "";
  int filter = 0; // 0: .ops and .race, 1: .ops, 2: .race, 3: all files
  std::string dir;
  bool saveMode = false;

private:
  struct ShortcutTap {
    int key;
    bool shift;
  };
  std::vector<ShortcutTap> shortcutTaps_;
  void ask(Workspace& ws, std::function<void(Workspace&)> then);
  void saveThen(Workspace& ws, std::function<void(Workspace&)> then);
  void saveAsThen(Workspace& ws, std::function<void(Workspace&)> then);
  void openNow(Workspace& ws, const std::string& path);
  void saveTo(Workspace& ws, const std::string& path);
  void doRestore(Workspace& ws, bool restore);
  void setDir(const std::string& d);
  void rect(const std::string& name);
  void drawNewMap(Workspace& ws);
  void drawBrowser(Workspace& ws);
  void drawAsk(Workspace& ws);
  void drawRestore(Workspace& ws);
  void drawReplace(Workspace& ws);
  void show(Modal m);
  void close();

  struct Entry {
    std::string name, path;
    bool isDir = false;
  };
  struct Bundled {
    std::string path, file, title[2];
    bool lesson = false;
  };
  void scan();
  void scanBundled();

  Modal modal_ = Modal::None;
  bool openPending_ = false;
  std::function<void(Workspace&)> then_;      // after the "Save changes?" answer
  std::function<void(Workspace&)> afterSave_; // after Save As wrote the file
  std::vector<Entry> entries_;
  std::string scanError_, selected_, replacePath_, browserError_, saveNote_;
  bool scanned_ = false, bundledTab_ = false, selectBundled_ = false;
  // The dialog has just opened on the Files tab: the first field a user types
  // into (the path to open, the name to save as) takes the keyboard.
  bool focusField_ = false;
  bool pathUntouched_ = true, nameUntouched_ = true; // selectAllOnFirstClick
  std::string typedPath() const;
  std::vector<Bundled> bundled_;
  bool bundledScanned_ = false;
  std::string restoreFile_, restoreOrigin_;
  int autoAnswer_ = 0; // 1: restore, 2: discard
  std::string deferredOpen_; // picked in the menu, opened in draw()
};

} // namespace gomap::ui
