// Building the map and the teaching actions: a new map (key kind, size hint,
// hash0, hash mode), typed inserts, deletes and lookups, ranges and random
// keys, iterate and clear, "insert until the map grows", "insert colliding
// keys into bucket N", bulk inserts for big maps, and op scripts (open, save,
// the bundled scenarios, any script line typed by hand). Every button calls
// the controller; bad input shows a message and changes nothing.
#pragma once
#include <string>
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
  char path[512] = "";
  int kind = 0; // int64, int32, string, float64
  int hashMode = 0;
  char hint[32] = "0";
  char hash0[32] = "0";
  int randomN = 10;
  int collideBucket = 0;
  int collideN = 8;
  bool collideSameHash = false;
  int bigB = 16;
  int bulkN = 100000;
  bool bulkRandom = true;

private:
  std::vector<std::string> scenarios_;
  bool scanned_ = false;
};

} // namespace gomap::ui
