// Building the map and the teaching actions: a new map (key kind, size hint,
// hash0, hash mode), typed inserts, deletes and lookups, ranges and random
// keys, iterate and clear, "insert until the map grows", "insert colliding
// keys into bucket N", bulk inserts for big maps, and op scripts (the file
// buttons, the bundled scenarios, any script line typed by hand). Every button
// calls the controller (file buttons go through the File menu's code, which
// asks before discarding work); bad input shows a message and changes nothing.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ui/app_state.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

class ControlsView {
public:
  void draw(UiContext& ui, AppState& app);
  // Field contents (tests fill them and call the same hooks as the buttons).
  char key[128] = "5";
  char value[64] = "";
  char range[64] = "0..15";
  char command[256] = "";
  int randomN = 10;
  int collideBucket = 0;
  int collideN = 8;
  bool collideSameHash = false;
  int bigB = 16;
  int bulkN = 100000;
  bool bulkRandom = true;

  // What a file button asked for: the File menu's code (ui/file_browser.hpp)
  // carries it out next frame, asking first when it would discard unsaved work.
  struct FileRequest {
    enum class Kind { None, NewMapDialog, NewMap, OpenDialog, OpenPath, Save, SaveAs } kind = Kind::None;
    NewMapParams params;
    std::string path;
  };
  FileRequest request;
  // Screen rectangles of the file buttons drawn last frame ("ctl.new", "ctl.open", "ctl.save", "ctl.saveas"), for tests.
  std::map<std::string, std::pair<ImVec2, ImVec2>> rects;

private:
  std::vector<std::string> scenarios_;
  bool scanned_ = false;
};

} // namespace gomap::ui
