// gomaplab's GUI entry points (ui/gui_app.hpp): the interactive window and the
// headless screenshot command.
#include "ui/gui_app.hpp"
#include "ui/swiss_state.hpp"
#include "ui/syncmap_state.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <unistd.h>

#include "trace/asset_paths.hpp"
#include "ui/gui_runtime.hpp"

namespace gomap::ui {

namespace {
using Clock = std::chrono::steady_clock;

// Milliseconds since this process started (from /proc/self/stat, 10 ms resolution), or -1.
double sinceProcessStart() {
  std::FILE* f = std::fopen("/proc/self/stat", "r");
  if (!f) return -1;
  char buf[1024];
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')');
  if (!p) return -1;
  unsigned long long start = 0;
  int field = 2;
  for (const char* q = p + 1; *q && field < 22; q++)
    if (*q == ' ') {
      field++;
      if (field == 22) start = std::strtoull(q + 1, nullptr, 10);
    }
  timespec ts{};
  clock_gettime(CLOCK_BOOTTIME, &ts);
  const double now = static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
  return now - static_cast<double>(start) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool envFlag(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && std::string(v) != "0";
}
// Test hooks for driving the real binary from a script (tests/gui/files_cli.sh):
// GOMAPLAB_TEST_RUN="put 1 2;del 3" runs those lines as if typed in the command
// field; GOMAPLAB_TEST_ANSWER=restore|discard answers the restore question.
// (The answer takes effect in the next frame, so the lines run two frames later.)
void runTestHooks(GuiRuntime& rt, long frame) {
  if (const char* a = std::getenv("GOMAPLAB_TEST_ANSWER"); a && frame == 1) {
    if (rt.workspace().files.modal() == FileUi::Modal::Restore) rt.workspace().files.answerRestore(std::string(a) == "restore");
  }
  if (const char* r = std::getenv("GOMAPLAB_TEST_RUN"); r && frame == 3) {
    std::string all(r);
    for (std::size_t pos = 0; pos <= all.size();) {
      std::size_t semi = all.find(';', pos);
      std::string line = all.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos);
      if (!line.empty() && !rt.app().runLine(line)) std::fprintf(stderr, "gomaplab: %s\n", rt.app().error().c_str());
      if (semi == std::string::npos) break;
      pos = semi + 1;
    }
  }
}
} // namespace

// Opens the side-by-side mode on a classic op script (gomaplab --compare):
// the script on the classic map (the op-script session) and on the Swiss map,
// both drawn, the comparison panel below them.
static bool openComparison(Workspace& ws, const std::string& path, const std::string& version, std::string& err) {
  swiss::Version v = swiss::Version::Go127;
  if (version == "go1.26") v = swiss::Version::Go126;
  else if (version != "go1.27") {
    err = "--compare-version: expected go1.26 or go1.27, got '" + version + "'";
    return false;
  }
  if (!ws.sideBySide.open(path, v)) {
    err = ws.appState().error();
    return false;
  }
  ws.files.addRecent(ws, path);
  return true;
}

int runGui(const GuiOptions& opts, std::string& why) {
  const auto t0 = Clock::now();
  const std::string dir = configDir();
  const std::string prefsFile = dir.empty() ? std::string() : dir + "/prefs.ini";
  RuntimeOptions ro;
  ro.prefs = prefsFile.empty() ? Prefs{} : loadPrefs(prefsFile);
  ro.iniPath = dir.empty() ? std::string() : dir + "/imgui.ini";
  ro.vsync = !envFlag("GOMAPLAB_NO_VSYNC");
  GuiRuntime rt;
  bool noDisplay = false;
  if (!rt.init(ro, why, noDisplay)) {
    if (noDisplay) return kNoDisplay;
    std::fprintf(stderr, "gomaplab: cannot start the GUI: %s\n", why.c_str());
    return 1;
  }
  AppState& app = rt.app();
  const auto tScript = Clock::now();
  if (isRaceScenarioPath(opts.scriptPath)) {
    // A race scenario: the Goroutines window over an empty map workspace.
    app.newMap(NewMapParams{});
    if (!rt.race.open(opts.scriptPath)) app.setError(rt.race.error());
    else rt.workspace().files.addRecent(rt.workspace(), opts.scriptPath);
  } else if (app.openScript(opts.scriptPath)) {
    if (opts.scriptPath != defaultScenarioPath()) rt.workspace().files.addRecent(rt.workspace(), opts.scriptPath);
  } else {
    // Keep the message on screen and give the user an empty map to work with.
    std::string err = app.error();
    app.newMap(NewMapParams{});
    app.setError(err);
  }
  if (!opts.comparePath.empty()) {
    std::string err;
    if (!openComparison(rt.workspace(), opts.comparePath, opts.compareVersion, err)) std::fprintf(stderr, "%s\n", err.c_str());
  }
  // Unsaved work of a run that crashed or was killed: offer it back before
  // anything is autosaved over it (ui/file_browser.hpp).
  // One autosave file: a second window while the first runs neither offers
  // the first one's work nor writes over it (autosave.pid names the owner).
  const std::string autosave = autosaveFile();
  bool ownAutosave = false;
  if (!autosave.empty()) {
    if (autosaveOwnedByAnother(autosave)) {
      app.setError(tr(S::FileAutosaveOther));
    } else {
      ownAutosave = claimAutosave(autosave);
      std::error_code ec;
      if (std::filesystem::exists(autosave, ec)) rt.workspace().files.offerRestore(autosave);
      else app.setAutosavePath(autosave);
    }
  }
  // GOMAPLAB_QUIT_AFTER_FRAMES=N: draw N frames, print the time to the first one, exit (tests, timing).
  long quitAfter = -1;
  if (const char* q = std::getenv("GOMAPLAB_QUIT_AFTER_FRAMES")) quitAfter = std::strtol(q, nullptr, 10);
  long frames = 0;
  auto last = Clock::now();
  auto tFirst = last;
  while (!rt.shouldClose()) {
    // Sleep while nothing moves; stay at the display's rate while playing or working.
    if (!app.playing() && !app.job().active() && quitAfter < 0) glfwWaitEventsTimeout(0.2);
    const auto now = Clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    if (frames == 0) tFirst = now;
    rt.frame(dt);
    frames++;
    if (frames == 1 && envFlag("GOMAPLAB_TIMING")) {
      for (auto& [name, ms] : rt.startup) std::fprintf(stderr, "gomaplab: start-up: %-18s %6.1f ms\n", name.c_str(), ms);
      std::fprintf(stderr, "gomaplab: start-up: %-18s %6.1f ms\n", "open script",
                   std::chrono::duration<double, std::milli>(tFirst - tScript).count());
      std::fprintf(stderr, "gomaplab: start-up: %-18s %6.1f ms\n", "first frame",
                   std::chrono::duration<double, std::milli>(Clock::now() - tFirst).count());
    }
    if (frames == 1 && (quitAfter >= 0 || envFlag("GOMAPLAB_TIMING")))
      std::fprintf(stderr, "gomaplab: first frame %.1f ms after the GUI started, %.0f ms after the process started\n",
                   std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), sinceProcessStart());
    if (frames <= 3) runTestHooks(rt, frames);
    if (quitAfter >= 0 && frames >= quitAfter) break;
  }
  if (envFlag("GOMAPLAB_TIMING")) // what the keys did (tests drive the window with xdotool)
    std::fprintf(stderr, "gomaplab: %llu shortcut keys acted on; cursor at event %lld\n",
                 static_cast<unsigned long long>(rt.workspace().keysActed), static_cast<long long>(app.position()));
  app.flushAutosave();
  if (ownAutosave) releaseAutosave(autosave);
  rt.prefs().lastScript = app.scriptPath();
  if (!prefsFile.empty()) savePrefs(rt.prefs(), prefsFile);
  return 0;
}

int runScreenshot(const ScreenshotOptions& opts) {
  if (opts.language != "en" && opts.language != "zh") {
    std::fprintf(stderr, "gomaplab screenshot: --lang: expected en or zh, got '%s'\n", opts.language.c_str());
    return 2;
  }
  if (opts.width < 320 || opts.height < 240 || opts.width > 8192 || opts.height > 8192) {
    std::fprintf(stderr, "gomaplab screenshot: --size %dx%d: expected 320x240 to 8192x8192\n", opts.width, opts.height);
    return 2;
  }
  RuntimeOptions ro;
  ro.offscreen = true;
  ro.vsync = false;
  ro.width = opts.width;
  ro.height = opts.height;
  ro.prefs.language = opts.language;
  // Optional look for slides: GOMAPLAB_THEME=projector, GOMAPLAB_FONT_SCALE=1.5,
  // GOMAPLAB_REAL_SOURCE=1 (the code panel shows runtime/map.go).
  if (const char* t = std::getenv("GOMAPLAB_THEME"); t && std::string(t) == "projector") ro.prefs.theme = ThemeKind::Projector;
  if (envFlag("GOMAPLAB_REAL_SOURCE")) ro.prefs.realSource = true;
  if (const char* f = std::getenv("GOMAPLAB_FONT_SCALE")) {
    float v = std::strtof(f, nullptr);
    if (v >= 0.75f && v <= 3.0f) ro.prefs.fontScale = v;
  }
  GuiRuntime rt;
  std::string why;
  bool noDisplay = false;
  if (!rt.init(ro, why, noDisplay)) {
    std::fprintf(stderr, "gomaplab screenshot: %s%s\n", why.c_str(),
                 noDisplay ? " (a screenshot needs an X display for its GL context: run it under xvfb-run -a)" : "");
    return 3;
  }
  AppState& app = rt.app();
  if (isRaceScenarioPath(opts.scriptPath)) {
    // A race scenario: --event N takes N scheduled steps (default: to the end).
    if (!rt.race.open(opts.scriptPath)) {
      std::fprintf(stderr, "%s\n", rt.race.error().c_str());
      return 2;
    }
    app.newMap(NewMapParams{});
    if (opts.event < 0) rt.race.runToEnd();
    else rt.race.advance(static_cast<uint64_t>(opts.event));
    rt.workspace().forceLayout = true;
    for (int i = 0; i < 3; i++) rt.frame(0);
    std::string err;
    if (!rt.writePng(opts.outPath, err)) {
      std::fprintf(stderr, "gomaplab screenshot: %s\n", err.c_str());
      return 1;
    }
    std::printf("wrote %s (%dx%d): %s after step %llu\n", opts.outPath.c_str(), opts.width, opts.height,
                opts.scriptPath.c_str(), static_cast<unsigned long long>(rt.race.session().position()));
    return 0;
  }
  if (!app.openScript(opts.scriptPath)) {
    std::fprintf(stderr, "%s\n", app.error().c_str());
    return 2;
  }
  // A Swiss-map script (issue 13): its own session and cursor.
  const bool swissScript = app.swissMode();
  const bool syncScript = app.syncMode(); // a sync.Map script (issue 12): its own session too
  const long long n = static_cast<long long>(swissScript  ? app.swissController().eventCount()
                                             : syncScript ? app.syncController().eventCount()
                                                          : app.eventCount());
  if (opts.event < -1 || opts.event >= n) {
    std::fprintf(stderr, "gomaplab screenshot: --event %lld is out of range: %s has %lld events (0..%lld)\n", opts.event,
                 opts.scriptPath.c_str(), n, n - 1);
    return 2;
  }
  if (opts.language == "zh" && !rt.fonts().cjk)
    std::fprintf(stderr, "gomaplab screenshot: %s; the picture is in English\n", rt.fonts().note.c_str());
  rt.workspace().forceLayout = true;
  if (swissScript) app.swissController().seek(opts.event < 0 ? n - 1 : opts.event);
  else if (syncScript) app.syncController().seek(opts.event < 0 ? n - 1 : opts.event);
  else app.seek(opts.event < 0 ? n - 1 : opts.event);
  if (!opts.comparePath.empty()) {
    std::string err;
    if (!openComparison(rt.workspace(), opts.comparePath, opts.compareVersion, err)) {
      std::fprintf(stderr, "%s\n", err.c_str());
      return 2;
    }
    SideBySide& sbs = rt.workspace().sideBySide;
    const long long ops = static_cast<long long>(sbs.ops());
    if (opts.compareOp < -1 || opts.compareOp == 0 || opts.compareOp > ops) {
      std::fprintf(stderr, "gomaplab screenshot: --compare-op %lld is out of range: %s has %lld ops (1..%lld)\n",
                   opts.compareOp, opts.comparePath.c_str(), ops, ops);
      return 2;
    }
    sbs.seek(opts.compareOp < 0 ? ops - 1 : opts.compareOp - 1);
  }
  // A few frames: tables and windows settle their sizes over the first ones;
  // then more while the event log's filter scans up to the cursor (a slice of
  // a few milliseconds per frame; bounded, for sessions of many millions).
  for (int i = 0; i < 3; i++) rt.frame(0);
  // (The side-by-side mode has no event log: nothing to wait for.)
  for (int i = 0; i < 2000 && !rt.workspace().sideBySideMode() && rt.workspace().events.catchingUp(rt.workspace().frame());
       i++)
    rt.frame(0);
  rt.frame(0);
  std::string err;
  if (!rt.writePng(opts.outPath, err)) {
    std::fprintf(stderr, "gomaplab screenshot: %s\n", err.c_str());
    return 1;
  }
  if (rt.workspace().sideBySideMode()) {
    const SideBySide& sbs = rt.workspace().sideBySide;
    std::printf("wrote %s (%dx%d): %s side by side after op %lld of %zu\n", opts.outPath.c_str(), opts.width,
                opts.height, opts.comparePath.c_str(), static_cast<long long>(sbs.op() + 1), sbs.ops());
    return 0;
  }
  // --event is an index (0 = the first event); the GUI's timeline counts from 1.
  const long long at = static_cast<long long>(swissScript  ? app.swissController().position()
                                              : syncScript ? app.syncController().position()
                                                           : app.position());
  std::printf("wrote %s (%dx%d): %s after event index %lld (the timeline's %lld of %lld)\n", opts.outPath.c_str(),
              opts.width, opts.height, opts.scriptPath.c_str(), at, at + 1, n);
  return 0;
}

} // namespace gomap::ui
