// gomaplab: one binary. With no subcommand it opens the GUI on a scenario (or
// the terminal view when there is no display); subcommands run headless.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/cli.hpp"
#include "app/race_cli.hpp"
#include "app/terminal_view.hpp"
#include "trace/asset_paths.hpp"
#include "trace/script_session.hpp"
#include "trace/source_file.hpp"

#ifdef GOMAPLAB_WITH_GUI
#include "ui/gui_app.hpp"
#endif

namespace {

// The terminal view's source for an op script of any structure (classic,
// Swiss, sync.Map); null with err (FILE:LINE:COL: what was expected) if it
// cannot be read or parsed, or is a race scenario (which has its own command).
std::unique_ptr<gomap::app::TerminalSource> loadScenario(const std::string& path, std::string& err) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    err = fmt::format("{}: cannot open scenario: {}", path, std::strerror(errno));
    return nullptr;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  if (gomap::sourceKindOf(path, text) == gomap::SourceKind::Race) {
    err = gomap::wrongCommandMessage(path, gomap::SourceKind::Race);
    return nullptr;
  }
  gomap::ScriptParser parser(path);
  std::optional<gomap::ScriptError> perr;
  auto ops = parser.parseAll(text, perr);
  if (perr) {
    err = perr->format();
    return nullptr;
  }
  if (parser.syncmap()) {
    auto s = gomap::SyncMapSession::fromScript(ops, path, err);
    if (!s) return nullptr;
    std::vector<std::string> texts;
    for (const gomap::ScriptOp& op : ops) texts.push_back(op.text);
    return gomap::app::syncMapSource(std::move(s), std::move(texts));
  }
  if (parser.swiss()) {
    auto s = gomap::SwissSession::fromScript(ops, path, err);
    if (!s) return nullptr;
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
      if (!l.empty() && l.back() == '\r') l.pop_back();
      lines.push_back(std::move(l));
    }
    return gomap::app::swissSource(std::move(s), std::move(lines));
  }
  auto s = gomap::sessionFromScript(ops, path, err);
  if (!s) return nullptr;
  return gomap::app::classicSource(std::move(s->session), std::move(s->opTexts));
}

// argv0: the binary as it was started (the no-display hint repeats it).
// Without the GUI (the fuzz and sanitizer builds) the last three go unused.
int runInteractive(const std::string& script, bool forceTerminal, [[maybe_unused]] const std::string& argv0,
                   [[maybe_unused]] const std::string& compareScript = "",
                   [[maybe_unused]] const std::string& compareVersion = "go1.27") {
  std::string path = script.empty() ? gomap::defaultScenarioPath() : script;
  // A file that cannot be read (a typo, a subcommand that does not exist) is
  // bad input: say so and exit 2 rather than open a window around the error.
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    std::fprintf(stderr, "%s: cannot open: %s (expected an op script, a .race scenario or a subcommand: see --help)\n",
                 path.c_str(), std::strerror(errno));
    return 2;
  }
#ifdef GOMAPLAB_WITH_GUI
  if (!forceTerminal) {
    gomap::ui::GuiOptions go;
    go.scriptPath = path;
    go.comparePath = compareScript;
    go.compareVersion = compareVersion;
    std::string why;
    int rc = gomap::ui::runGui(go, why);
    if (rc != gomap::ui::kNoDisplay) return rc;
    std::fprintf(stderr,
                 "gomaplab: no display (%s); showing the terminal view instead. Run it under a desktop or "
                 "'xvfb-run -a %s' for the window.\n",
                 why.c_str(), argv0.c_str());
  }
#else
  if (!forceTerminal)
    std::fprintf(stderr, "gomaplab: built without the GUI; showing the terminal view.\n");
#endif
  // A race scenario: its narration and the run with its own schedule, as
  // `gomaplab race --narration` prints them (the terminal cannot step lanes).
  {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    if (gomap::sourceKindOf(path, ss.str()) == gomap::SourceKind::Race) {
      std::fprintf(stderr,
                   "gomaplab: %s is a race scenario: here its narration and one run with its schedule "
                   "('gomaplab race %s --explore' runs every interleaving).\n",
                   path.c_str(), path.c_str());
      gomap::app::RaceCliOptions o;
      o.file = path;
      o.narration = true;
      return gomap::app::runRace(o, stdout, stderr);
    }
  }
  std::string err;
  auto s = loadScenario(path, err);
  if (!s) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  return gomap::app::runTerminalView(*s, interactive);
}

} // namespace

int main(int argc, char** argv) {
  const std::string argv0 = argc > 0 && argv[0] && *argv[0] ? argv[0] : "gomaplab";
  CLI::App app{"gomaplab: a faithful, steppable simulator of Go 1.19's map runtime"};
  app.set_version_flag("--version", "gomaplab 0.1.0 (Go 1.19 map semantics)");
  std::string script;
  bool terminal = false;
  app.add_option("scenario", script, "op script to open (default: the growth scenario)");
  app.add_flag("--tui", terminal, "use the terminal view even when a display is available");
  std::string compareScript, compareVersion = "go1.27";
  app.add_option("--compare", compareScript,
                 "open the GUI's comparison panel: SCRIPT on the classic map and the Swiss map side by side");
  app.add_option("--compare-version", compareVersion, "the Swiss map's Go version for --compare: go1.26 or go1.27");

  gomap::RunnerOptions ropts;
  std::string dumpFile = "-";
  auto* dump = app.add_subcommand("dump", "run an op script and print one JSON line per op");
  dump->add_option("file", dumpFile, "op script (- for standard input)");
  dump->add_flag("--summary", ropts.summary, "leave the bucket arrays out");
  dump->add_flag("--digest", ropts.digest, "add a digest of the bucket arrays to each state");
  dump->add_option("--every", ropts.every, "print the state for every Nth op (and dump ops, and the last)")
      ->check(CLI::Range(int64_t{1}, INT64_MAX));
  dump->add_flag("--check", ropts.checkInvariants,
                 "check the map's invariants after every op (exit 3 if broken) and the script's expect lines "
                 "(failures on stderr, exit 1)");
  dump->add_option("--rng-seed", ropts.rngSeed, "initial state of the simulated fastrand");

  std::string eventsFile = "-";
  gomap::RunnerOptions eopts;
  auto* events = app.add_subcommand("events", "run an op script and print its event stream as JSON lines");
  events->add_option("file", eventsFile, "op script (- for standard input)");
  events->add_option("--rng-seed", eopts.rngSeed, "initial state of the simulated fastrand");
  bool catalogue = false;
  events->add_flag("--catalogue", catalogue, "print the event catalogue (docs/events.md) instead");

  gomap::app::CompareCliOptions cmpOpts;
  auto* cmp = app.add_subcommand("compare", "run one op script on the classic map and the Swiss map side by side");
  cmp->add_option("script", cmpOpts.file, "classic op script (- for standard input)")->required();
  cmp->add_option("--version", cmpOpts.version, "the Swiss map's Go version: go1.26 or go1.27 (default go1.27)");
  cmp->add_option("--every", cmpOpts.every, "print the table after every Nth op (and the last; default 1)");
  cmp->add_flag("--summary", cmpOpts.summary, "print the figures after the last op as one JSON object");

  std::string tuiFile;
  auto* tui = app.add_subcommand("tui", "step through a scenario in the terminal");
  tui->add_option("scenario", tuiFile, "op script");

#ifdef GOMAPLAB_WITH_GUI
  gomap::ui::ScreenshotOptions shot;
  std::string shotSize;
  auto* screenshot = app.add_subcommand("screenshot", "render the GUI after event N of a script into a PNG");
  screenshot->add_option("script", shot.scriptPath, "op script")->required();
  screenshot->add_option("--out", shot.outPath, "PNG file to write")->required();
  screenshot->add_option("--event", shot.event, "event index, 0 = the first (the timeline counts from 1; default: the last)");
  screenshot->add_option("--size", shotSize, "window size WxH (default 1600x900)");
  screenshot->add_option("--lang", shot.language, "UI language: en or zh");
  screenshot->add_option("--compare", shot.comparePath, "also open the comparison panel on this op script");
  screenshot->add_option("--compare-version", shot.compareVersion, "its Swiss map's version: go1.26 or go1.27");
  screenshot->add_option("--compare-op", shot.compareOp, "the op the comparison panel shows (1-based; default the last)");
#endif

  // ---- race: goroutines on one map (src/app/race_cli.cpp, src/concurrency) ----
  gomap::app::RaceCliOptions raceOpts;
  auto* race = app.add_subcommand("race", "run a race scenario (goroutines on one map) headless");
  race->add_option("scenario", raceOpts.file, "race scenario file (- for standard input)")->required();
  race->add_option("--schedule", raceOpts.schedule,
                   "schedule: steps such as \"1 1 2x3\" [then roundrobin|random SEED], roundrobin[:Q], random:SEED");
  race->add_option("--granularity", raceOpts.granularity, "statement or memory (overrides the scenario)");
  race->add_flag("--explore", raceOpts.explore, "enumerate every distinct interleaving and count the outcomes");
  race->add_flag("--no-reduction", raceOpts.noReduction, "with --explore: count every schedule (no partial-order reduction)");
  race->add_flag("--events", raceOpts.events, "print the event stream as JSON lines (with the goroutine id)");
  race->add_flag("--states", raceOpts.states,
                 "print the map's state after every step as a JSON line (the fields of a 'dump' line)");
  race->add_flag("--narration", raceOpts.narration, "print the scenario's title and narration first");
  race->add_option("--lang", raceOpts.lang, "narration language: en or zh");
  race->add_option("--max-steps", raceOpts.maxSteps, "stop a run after this many steps");
  race->add_option("--max-interleavings", raceOpts.maxInterleavings, "stop exploring after this many interleavings");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (*dump) {
    // A sharded or copy-on-write map lives in the race world: its op script runs there, on one goroutine.
    std::string text, why;
    if (dumpFile != "-" && gomap::readSourceFile(dumpFile, text, why, "script") &&
        gomap::app::isRaceStructureScript(text))
      return gomap::app::dumpRaceStructureScript(dumpFile, text, stdout, stderr);
    return gomap::app::runDump(dumpFile, ropts);
  }
  if (*events && catalogue) return gomap::app::printEventCatalogue();
  if (*events) return gomap::app::runEvents(eventsFile, eopts);
  if (*cmp) return gomap::app::runCompare(cmpOpts, stdout, stderr);
  if (*tui) return runInteractive(tuiFile, true, argv0);
  if (*race) return gomap::app::runRace(raceOpts, stdout, stderr);
#ifdef GOMAPLAB_WITH_GUI
  if (*screenshot) {
    if (!shotSize.empty() && std::sscanf(shotSize.c_str(), "%dx%d", &shot.width, &shot.height) != 2) {
      std::fprintf(stderr, "gomaplab screenshot: --size: expected WxH such as 1600x900, got '%s'\n", shotSize.c_str());
      return 2;
    }
    return gomap::ui::runScreenshot(shot);
  }
#endif
  if (!compareScript.empty()) {
    // The comparison's script is the session's too, unless another one is given.
    if (compareVersion != "go1.26" && compareVersion != "go1.27") {
      std::fprintf(stderr, "gomaplab: --compare-version: expected go1.26 or go1.27, got '%s'\n", compareVersion.c_str());
      return 2;
    }
    return runInteractive(script.empty() ? compareScript : script, terminal, argv0, compareScript, compareVersion);
  }
  return runInteractive(script, terminal, argv0);
}
