#include "ui/prefs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace gomap::ui {

std::string xdgDir(const char* var, const char* fallback) {
  namespace fs = std::filesystem;
  fs::path base;
  if (const char* x = std::getenv(var); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = fs::path(h) / fallback;
  else return {};
  fs::path dir = base / "gomaplab";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return {};
  return dir.string();
}

std::string configDir() { return xdgDir("XDG_CONFIG_HOME", ".config"); }

Prefs loadPrefs(const std::string& file) {
  Prefs p;
  std::ifstream f(file);
  std::string line;
  while (std::getline(f, line)) {
    auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    try {
      if (k == "language" && (v == "en" || v == "zh")) p.language = v;
      else if (k == "theme") p.theme = v == "projector" ? ThemeKind::Projector : ThemeKind::Dark;
      else if (k == "fontScale") p.fontScale = std::clamp(std::stof(v), 0.75f, 3.0f);
      else if (k == "realSource") p.realSource = v == "1";
      else if (k == "speed") p.speed = std::clamp(std::stod(v), 0.5, 1e6);
      else if (k == "bucketZoom") p.bucketZoom = std::clamp(std::stof(v), 0.5f, 3.0f);
      else if (k == "showMoves") p.showMoves = v == "1";
      else if (k == "watchNewOps") p.watchNewOps = v == "1";
      else if (k == "lastScript") p.lastScript = v;
      else if (k == "recent" && !v.empty() && p.recent.size() < 10) p.recent.push_back(v);
      else if (k == "panels") p.panels = std::stoi(v);
    } catch (...) {
      // a bad number: keep the default
    }
  }
  return p;
}

bool savePrefs(const Prefs& p, const std::string& file) {
  if (file.empty()) return false;
  std::string tmp = file + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    if (!f) return false;
    f << "# gomaplab preferences\n";
    f << "language=" << p.language << "\n";
    f << "theme=" << (p.theme == ThemeKind::Projector ? "projector" : "dark") << "\n";
    f << "fontScale=" << p.fontScale << "\n";
    f << "realSource=" << (p.realSource ? 1 : 0) << "\n";
    f << "speed=" << p.speed << "\n";
    f << "bucketZoom=" << p.bucketZoom << "\n";
    f << "showMoves=" << (p.showMoves ? 1 : 0) << "\n";
    f << "watchNewOps=" << (p.watchNewOps ? 1 : 0) << "\n";
    f << "lastScript=" << p.lastScript << "\n";
    for (const std::string& r : p.recent)
      if (r.find('\n') == std::string::npos) f << "recent=" << r << "\n";
    f << "panels=" << p.panels << "\n";
    if (!f.flush()) return false;
  }
  return std::rename(tmp.c_str(), file.c_str()) == 0;
}

} // namespace gomap::ui
