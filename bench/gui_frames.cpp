// GUI frame-time benchmark (issue 3): CPU and total (GPU finished) frame
// times of the real workspace in a 1600x900 window, at B = 4, 10, 16 and 20,
// while stepping forward, stepping back and running, plus the time to the
// first frame. Not a unit test: run it by hand under Xvfb, e.g.
//
//   xvfb-run -a -s '-screen 0 1600x900x24' build/gomaplab_gui_bench
//
// Options: --frames N (per measurement, default 120), --only B, --fill N (keys
// inserted at B >= 16, default 300000), --panels MASK (only these windows, see
// ui/workspace.hpp Panel; to find which panel costs what), --sbs-keys N (case
// 22, side by side: puts after `make int64 917504`, default 100000).
#include <GLFW/glfw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ui/gui_runtime.hpp"
#include "ui/swiss_state.hpp"
#include "ui/syncmap_state.hpp"
#include "ui/workspace.hpp"
#include "trace/asset_paths.hpp"

using namespace gomap;
using namespace gomap::ui;
using Clock = std::chrono::steady_clock;

namespace {
double ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

struct Stats {
  double mean = 0, p50 = 0, p95 = 0, max = 0;
};
Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  s.p50 = v[v.size() / 2];
  s.p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
  s.max = v.back();
  return s;
}

struct Row {
  int B;
  std::string what;
  Stats cpu, total;
  double fps;
};

void printRow(const Row& r) {
  std::printf("| %2d | %-22s | %6.2f | %6.2f | %6.2f | %6.2f | %6.2f | %6.2f | %6.1f |\n", r.B, r.what.c_str(), r.cpu.mean,
              r.cpu.p95, r.total.mean, r.total.p50, r.total.p95, r.total.max, r.fps);
  std::fflush(stdout);
}
} // namespace

int main(int argc, char** argv) {
  const auto t0 = Clock::now();
  int frames = 120, only = -1, panels = -1;
  int64_t fill = 300000, swissKeys = 900000, sbsKeys = 100000;
  bool projector = false, dark = false;
  float fontScale = 0;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--frames" && i + 1 < argc) frames = std::atoi(argv[++i]);
    else if (a == "--only" && i + 1 < argc) only = std::atoi(argv[++i]);
    else if (a == "--fill" && i + 1 < argc) fill = std::atoll(argv[++i]);
    else if (a == "--swiss-keys" && i + 1 < argc) swissKeys = std::atoll(argv[++i]);
    else if (a == "--panels" && i + 1 < argc) panels = std::atoi(argv[++i]);
    else if (a == "--sbs-keys" && i + 1 < argc) sbsKeys = std::atoll(argv[++i]);
    else if (a == "--projector") projector = true; // projector theme, font 175%, 1280x720 (the projector layout)
    else if (a == "--font-scale" && i + 1 < argc) fontScale = static_cast<float>(std::atof(argv[++i]));
    else if (a == "--dark") dark = true; // with --projector: its size and font, the dark theme
    else {
      std::fprintf(stderr, "usage: gomaplab_gui_bench [--frames N] [--only B (0: race mode only)] [--fill N] [--swiss-keys N (--only 21: Swiss only)] [--sbs-keys N (--only 22: side by side only)] [--panels MASK] [--projector [--dark]] [--font-scale F]\n");
      return 2;
    }
  }

  RuntimeOptions o;
  o.vsync = false;
  o.width = 1600;
  o.height = 900;
  if (projector) {
    o.width = 1280;
    o.height = 720;
    o.prefs.theme = dark ? ThemeKind::Dark : ThemeKind::Projector;
    o.prefs.fontScale = 1.75f;
  }
  if (fontScale > 0) o.prefs.fontScale = fontScale;
  GuiRuntime rt;
  std::string why;
  bool noDisplay = false;
  if (!rt.init(o, why, noDisplay)) {
    std::fprintf(stderr, "gomaplab_gui_bench: %s (run it under xvfb-run -a -s '-screen 0 1600x900x24')\n", why.c_str());
    return 3;
  }
  rt.finishEachFrame = true;
  rt.workspace().panels = panels;
  AppState& app = rt.app();
  if (!app.openScript(assetDir() + "/scenarios/growth.ops")) {
    std::fprintf(stderr, "%s\n", app.error().c_str());
    return 2;
  }
  rt.frame(0);
  const double firstFrame = ms(t0, Clock::now());
  const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  std::printf("gomaplab GUI frame times, %dx%d window%s, vsync off, GL renderer: %s\n", o.width, o.height,
              projector ? " (projector theme, font 175%)" : "", renderer ? renderer : "?");
  std::printf("time to first frame (main() to the first frame finished, growth.ops): %.1f ms\n\n", firstFrame);
  std::printf("| B  | activity               | cpu ms | cpu p95| tot ms | tot p50| tot p95| tot max|  fps   |\n");
  std::printf("|----|------------------------|--------|--------|--------|--------|--------|--------|--------|\n");

  for (int B : {4, 10, 16, 20}) {
    if (only >= 0 && B != only) continue;
    NewMapParams p;
    p.hint = int64_t{13} << (B - 1); // the largest hint that gives this B
    const auto tb = Clock::now();
    if (!app.newMap(p)) {
      std::fprintf(stderr, "%s\n", app.error().c_str());
      return 1;
    }
    // Fill: to about 3/4 of the load limit when that is small, else `fill` keys.
    const int64_t limit = int64_t{13} << (B - 1);
    const int64_t n = std::min<int64_t>(limit * 3 / 4, fill);
    app.startBulk(n, true);
    app.finishJobs();
    const double buildMs = ms(tb, Clock::now());
    for (int i = 0; i < 5; i++) rt.frame(1.0 / 60);
    std::printf("|    | (B=%d: %s keys, %s events, built in %.0f ms; %s view) |\n", B,
                fmt::format("{}", app.map().header().count).c_str(), fmt::format("{}", app.eventCount()).c_str(),
                buildMs, rt.workspace().buckets.overviewShown() ? "overview" : "detail");

    // Stepping forward from the middle: one event per frame, the step inside the timing.
    auto measure = [&](const char* what, auto&& action, double dt) {
      std::vector<double> cpu, total;
      const auto s0 = Clock::now();
      for (int f = 0; f < frames; f++) {
        const auto a = Clock::now();
        action();
        const double stepMs = ms(a, Clock::now());
        rt.frame(dt);
        cpu.push_back(stepMs + rt.lastCpuMs);
        total.push_back(stepMs + rt.lastTotalMs);
      }
      const double wall = ms(s0, Clock::now());
      printRow(Row{B, what, stats(cpu), stats(total), 1000.0 * frames / wall});
    };
    app.seek(static_cast<int64_t>(app.eventCount()) / 2);
    for (int i = 0; i < 3; i++) rt.frame(0);
    measure("idle (redraw only)", [] {}, 0.0);
    {
      int cmds = 0;
      std::string per;
      if (ImDrawData* dd = ImGui::GetDrawData())
        for (int l = 0; l < dd->CmdListsCount; l++) {
          cmds += dd->CmdLists[l]->CmdBuffer.Size;
          per += fmt::format(" {}", dd->CmdLists[l]->CmdBuffer.Size);
        }
      std::printf("|    | (%d vertices, %d indices, %d windows, %d draw commands:%s) |\n", ImGui::GetIO().MetricsRenderVertices,
                  ImGui::GetIO().MetricsRenderIndices, ImGui::GetIO().MetricsRenderWindows, cmds, per.c_str());
    }
    measure("step into (Right)", [&] { app.stepInto(); }, 0.0);
    measure("step over (op)", [&] { app.stepOver(); }, 0.0);
    measure("step back (Left)", [&] { app.stepBack(); }, 0.0);
    // Running: play at 2000 events/s with 60 Hz frames (about 33 events a frame).
    app.seek(static_cast<int64_t>(app.eventCount()) / 4);
    app.speed() = 2000;
    app.play();
    measure("running 2000 ev/s", [] {}, 1.0 / 60);
    app.pause();
  }

  // The Swiss map (issue 13): a script of --swiss-keys random int64 inserts
  // (900,000 by default: about 1,200 tables of 1024 slots, over 2^20 slots),
  // the overview drawn, stepped like the classic map. --only 21 measures just this.
  if (only < 0 || only == 21) {
    std::string text = "make swiss int64 0 1\n";
    text.reserve(static_cast<std::size_t>(swissKeys) * 24);
    uint64_t x = 88172645463325252ull;
    for (int64_t i = 0; i < swissKeys; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      fmt::format_to(std::back_inserter(text), "put {} {}\n", static_cast<int64_t>(x >> 2), i);
    }
    const auto tb = Clock::now();
    if (!app.loadScriptText(text, "swiss-bench.ops") || !app.swissMode()) {
      std::fprintf(stderr, "%s\n", app.error().c_str());
      return 3;
    }
    const double buildMs = ms(tb, Clock::now());
    SwissController& sw = app.swissController();
    sw.toEnd();
    for (int i = 0; i < 5; i++) rt.frame(1.0 / 60);
    std::printf("|    | (Swiss: %lld keys, %s slots in %zu tables, %s events, recorded in %.0f ms; %s) |\n",
                static_cast<long long>(swissKeys), fmt::format("{}", rt.workspace().swiss.frame.slots).c_str(),
                rt.workspace().swiss.frame.tables.size(), fmt::format("{}", sw.eventCount()).c_str(), buildMs,
                rt.workspace().swiss.groups.overview ? "overview" : "detail");
    auto measureSwiss = [&](const char* what, auto&& action, double dt) {
      std::vector<double> cpu, total;
      const auto s0 = Clock::now();
      for (int f = 0; f < frames; f++) {
        const auto a = Clock::now();
        action();
        const double stepMs = ms(a, Clock::now());
        rt.frame(dt);
        cpu.push_back(stepMs + rt.lastCpuMs);
        total.push_back(stepMs + rt.lastTotalMs);
      }
      printRow(Row{21, what, stats(cpu), stats(total), 1000.0 * frames / ms(s0, Clock::now())});
    };
    sw.seek(static_cast<int64_t>(sw.eventCount()) / 2);
    for (int i = 0; i < 3; i++) rt.frame(0);
    measureSwiss("swiss: idle", [] {}, 0.0);
    measureSwiss("swiss: step into", [&] { sw.stepInto(); }, 0.0);
    measureSwiss("swiss: step over (op)", [&] { sw.stepOver(); }, 0.0);
    measureSwiss("swiss: step back", [&] { sw.stepBack(); }, 0.0);
    sw.speed() = 2000;
    sw.togglePlay();
    measureSwiss("swiss: running 2000/s", [] {}, 1.0 / 60);
    sw.pause();
    if (!app.newMap(NewMapParams{})) return 3; // back to the classic map
  }

  // A sync.Map op script (issue 12): 4,000 ops over 600 keys (stores, loads,
  // deletes, a range every 50 ops, a gc every 100), its panels drawn, stepped.
  // --only 23 measures just this.
  if (only < 0 || only == 23) {
    std::string text = "make syncmap string\n";
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 4000; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const uint64_t k = x % 600;
      if (i % 100 == 99) text += "gc\n";
      else if (i % 50 == 49) text += "range\n";
      else if (x % 10 < 3) fmt::format_to(std::back_inserter(text), "store k{} {}\n", k, i);
      else if (x % 10 < 9) fmt::format_to(std::back_inserter(text), "load k{}\n", k);
      else fmt::format_to(std::back_inserter(text), "delete k{}\n", k);
    }
    if (!app.loadScriptText(text, "syncmap-bench.ops") || !app.syncMode()) {
      std::fprintf(stderr, "%s\n", app.error().c_str());
      return 3;
    }
    SyncMapController& sc = app.syncController();
    sc.seek(static_cast<int64_t>(sc.eventCount()) / 2);
    for (int i = 0; i < 3; i++) rt.frame(0);
    std::printf("|    | (sync.Map: 4000 ops, %s steps) |\n", fmt::format("{}", sc.eventCount()).c_str());
    auto measureSync = [&](const char* what, auto&& action, double dt) {
      std::vector<double> cpu, total;
      const auto s0 = Clock::now();
      for (int f = 0; f < frames; f++) {
        const auto a = Clock::now();
        action();
        const double stepMs = ms(a, Clock::now());
        rt.frame(dt);
        cpu.push_back(stepMs + rt.lastCpuMs);
        total.push_back(stepMs + rt.lastTotalMs);
      }
      printRow(Row{23, what, stats(cpu), stats(total), 1000.0 * frames / ms(s0, Clock::now())});
    };
    measureSync("sync.Map: step into", [&] { sc.stepInto(); }, 0.0);
    measureSync("sync.Map: step over (op)", [&] { sc.stepOver(); }, 0.0);
    measureSync("sync.Map: step back", [&] { sc.stepBack(); }, 0.0);
    measureSync("sync.Map: step back over (op)", [&] { sc.stepBackOver(); }, 0.0);
    if (!app.newMap(NewMapParams{})) return 3; // back to the classic map
  }

  // Side by side (issue 13): one classic script on both maps, both drawn, the
  // comparison below. `make int64 917504` makes the Swiss map's directory of
  // 1024 tables of 1024 slots (2^20 slots: 917504 = 2^20 * 7/8) and the
  // classic map's 2^17 buckets (2^20 cells); then --sbs-keys random puts
  // (100,000 by default) and a get every tenth op. Both views draw their
  // overviews (one texel per slot / cell). Stepped op by op, both maps moving.
  // --only 22 measures just this.
  if (only < 0 || only == 22) {
    std::string text = "make int64 917504 1\n";
    text.reserve(static_cast<std::size_t>(sbsKeys) * 26);
    uint64_t x = 88172645463325252ull;
    for (int64_t i = 0; i < sbsKeys; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      fmt::format_to(std::back_inserter(text), "put {} {}\n", static_cast<int64_t>(x >> 2), i);
      if (i % 10 == 9) fmt::format_to(std::back_inserter(text), "get {}\n", static_cast<int64_t>(x >> 3));
    }
    Workspace& ws = rt.workspace();
    const auto tb = Clock::now();
    if (!ws.sideBySide.openText(text, "sbs-bench.ops", swiss::Version::Go127) || !ws.sideBySideMode()) {
      std::fprintf(stderr, "%s\n", app.error().c_str());
      return 3;
    }
    const double buildMs = ms(tb, Clock::now());
    SideBySide& sbs = ws.sideBySide;
    sbs.seek(static_cast<int64_t>(sbs.ops()) / 2);
    for (int i = 0; i < 5; i++) rt.frame(1.0 / 60);
    std::printf("|    | (side by side: %s ops; Swiss %s slots in %zu tables (%s), classic B=%d (%s cells, %s); "
                "opened in %.0f ms) |\n",
                fmt::format("{}", sbs.ops()).c_str(), fmt::format("{}", ws.sbs.frames.swissFrame.slots).c_str(),
                ws.sbs.frames.swissFrame.tables.size(), ws.sbs.swissGroups.overview ? "overview" : "detail",
                app.map().header().B, fmt::format("{}", uint64_t{8} << app.map().header().B).c_str(),
                ws.sbs.buckets.overviewShown() ? "overview" : "detail", buildMs);
    auto measureSbs = [&](const char* what, auto&& action, double dt) {
      std::vector<double> cpu, total;
      const auto s0 = Clock::now();
      for (int f = 0; f < frames; f++) {
        const auto a = Clock::now();
        action();
        const double stepMs = ms(a, Clock::now());
        rt.frame(dt);
        cpu.push_back(stepMs + rt.lastCpuMs);
        total.push_back(stepMs + rt.lastTotalMs);
      }
      printRow(Row{22, what, stats(cpu), stats(total), 1000.0 * frames / ms(s0, Clock::now())});
    };
    measureSbs("sbs: idle", [] {}, 0.0);
    measureSbs("sbs: next op (Right)", [&] { sbs.stepInto(); }, 0.0);
    measureSbs("sbs: previous op (Left)", [&] { sbs.stepBack(); }, 0.0);
    sbs.speed() = 60;
    sbs.togglePlay();
    measureSbs("sbs: playing 60 ops/s", [] {}, 1.0 / 60);
    sbs.pause();
    sbs.leave();
    rt.frame(0);
  }

  // Race mode: each lesson in the workspace (Goroutines panel, goroutine marks,
  // per-goroutine code lines, the merged event log), stepped forwards and back.
  // --only 0 measures just these.
  if (only <= 0) {
    RaceController& rc = rt.race;
    for (const char* lesson : {"5-memory-level-corruption.race", "6-write-during-growth.race", "12-swiss-write-during-grow.race",
                               "14d-syncmap-misses-promote.race", "15c-cow-store-loses-keys.race",
                               "16a-sharded-shards-never-block.race"}) {
      if (!rc.open(assetDir() + "/lessons/" + lesson)) {
        std::fprintf(stderr, "%s\n", rc.error().c_str());
        return 2;
      }
      rc.toEnd();
      const uint64_t steps = rc.session().position();
      rc.toStart();
      for (int i = 0; i < 3; i++) rt.frame(0);
      std::printf("|    | (race %s: %llu steps) |\n", lesson, static_cast<unsigned long long>(steps));
      auto measureRace = [&](const char* what, auto&& action) {
        std::vector<double> cpu, total;
        const auto s0 = Clock::now();
        for (int f = 0; f < frames; f++) {
          const auto a = Clock::now();
          action(f);
          const double stepMs = ms(a, Clock::now());
          rt.frame(0);
          cpu.push_back(stepMs + rt.lastCpuMs);
          total.push_back(stepMs + rt.lastTotalMs);
        }
        printRow(Row{-1, what, stats(cpu), stats(total), 1000.0 * frames / ms(s0, Clock::now())});
      };
      measureRace("race: step (Right)", [&](int f) {
        if (f % static_cast<int>(steps ? steps : 1) == 0) rc.toStart();
        rc.stepInto();
      });
      measureRace("race: step back (Left)", [&](int f) {
        if (f % static_cast<int>(steps ? steps : 1) == 0) rc.toEnd();
        rc.stepBack();
      });
    }
    rc.active = false;
  }
  return 0;
}
