// Preferences remembered between runs: a small key=value file next to
// imgui.ini in $XDG_CONFIG_HOME/gomaplab (or ~/.config/gomaplab). Unknown keys
// and bad values are ignored, so an old or hand-edited file never stops start-up.
#pragma once
#include <string>
#include <vector>

#include "ui/theme.hpp"

namespace gomap::ui {

struct Prefs {
  std::string language = "en"; // en | zh
  ThemeKind theme = ThemeKind::Dark;
  float fontScale = 1.0f;       // 0.75 .. 3
  bool realSource = false;      // code panel shows runtime/map.go instead of pseudo-code
  double speed = 20;            // events per second while playing
  float bucketZoom = 1.0f;
  bool showMoves = true;        // all X/Y moves of evacuated cells, not only the current op's
  bool watchNewOps = true;
  std::string lastScript;
  std::vector<std::string> recent; // File > Open recent, most recent first (one "recent=PATH" line each)
  int panels = -1;              // bit set of visible panels (-1: all)
};

// $VAR/gomaplab, or $HOME/FALLBACK/gomaplab when VAR is unset (the XDG base
// directories), created on demand; empty if there is no HOME either.
std::string xdgDir(const char* var, const char* fallback);
// The configuration directory (XDG_CONFIG_HOME, ~/.config).
std::string configDir();
Prefs loadPrefs(const std::string& file);
bool savePrefs(const Prefs& p, const std::string& file);

} // namespace gomap::ui
