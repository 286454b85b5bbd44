#include "ui/go_source.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace gomap::ui {

namespace {
GoSource load(const char* rel) {
  namespace fs = std::filesystem;
  GoSource g;
  std::vector<fs::path> roots;
  if (const char* r = std::getenv("GOROOT"); r && *r) roots.emplace_back(r);
  roots.emplace_back("/usr/share/go-1.19");
  roots.emplace_back("/usr/lib/go-1.19");
  std::string tried;
  for (const fs::path& root : roots) {
    fs::path p = root / "src" / rel;
    std::ifstream f(p);
    if (!f) {
      tried += (tried.empty() ? "" : ", ") + p.string();
      continue;
    }
    std::string line;
    while (std::getline(f, line)) {
      // Tabs as 4 spaces: ImGui draws a tab as a single blank.
      std::string out;
      for (char c : line) {
        if (c == '\t') out += "    ";
        else out += c;
      }
      g.lines.push_back(std::move(out));
    }
    g.path = p.string();
    for (const fs::path& vf : {root / "VERSION", fs::path("/usr/lib/go-1.19/VERSION")}) {
      std::ifstream v(vf);
      if (v && std::getline(v, g.version) && !g.version.empty()) break;
    }
    g.loaded = !g.lines.empty();
    if (g.loaded) return g;
  }
  g.why = "no Go 1.19 source tree found (tried " + tried + "); install golang-1.19-src or set GOROOT";
  return g;
}
} // namespace

const GoSource& goSource() {
  static const GoSource g = load("runtime/map.go");
  return g;
}

const GoSource& goSyncMapSource() {
  static const GoSource g = load("sync/map.go");
  return g;
}

} // namespace gomap::ui
