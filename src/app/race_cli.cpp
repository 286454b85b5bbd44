#include "app/race_cli.hpp"

#include <fmt/format.h>

#include <cctype>

#include "concurrency/concurrent_session.hpp"
#include "concurrency/consistency.hpp"
#include "concurrency/cow_scenario.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "concurrency/world.hpp"
#include "trace/source_file.hpp"
#include "trace/state_json.hpp"
#include "trace/swiss_json.hpp"
#include "trace/syncmap_json.hpp"

namespace gomap::app {

using namespace gomap::race;

namespace {

void writeLine(std::string& line, std::FILE* out) {
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), out);
}

// The statement that trace entry t belongs to, as the scenario spells it.
std::string_view statementOf(const World& w, const TraceEntry& t, std::string& buf) {
  if (t.source == TraceEntry::Source::Sync) {
    const char* k = t.sync == TraceEntry::SyncKind::Lock     ? "lock"
                    : t.sync == TraceEntry::SyncKind::Unlock ? "unlock"
                    : t.sync == TraceEntry::SyncKind::RLock  ? "rlock"
                                                             : "runlock";
    if (static_cast<std::size_t>(t.mutex) >= w.scenario().mutexes.size() && t.op > 0) {
      // a step of m.mu.Lock() / Unlock() inside a sync.Map method: its statement
      const OpRecord& r = w.history()[t.op - 1];
      return w.scenario().programs[r.g - 1].code[r.instr].text;
    }
    buf = fmt::format("{} {}", k, w.mutexName(t.mutex));
    return buf;
  }
  if (t.op == 0) return {};
  const OpRecord& r = w.history()[t.op - 1];
  return w.scenario().programs[r.g - 1].code[r.instr].text;
}

void appendWorldState(std::string& line, const World& w);

// --states: after step s of goroutine g, {"step":S,"g":G,"op":STATEMENT, then
// exactly the fields of a `gomaplab dump` line (appendStateFields)}.
void appendStepState(std::string& line, const World& w, int g) {
  uint64_t step = w.steps() - 1;
  std::string buf;
  std::string_view op;
  const auto& tr = w.trace();
  for (std::size_t i = tr.size(); i-- > 0 && tr[i].step == step;)
    if (tr[i].g == g) {
      op = statementOf(w, tr[i], buf);
      break;
    }
  line = fmt::format("{{\"step\":{},\"g\":{},\"op\":", step, g);
  appendJsonBytes(line, op);
  appendWorldState(line, w);
  line.push_back('}');
}

void appendWorldState(std::string& line, const World& w) {
  if (w.isCow()) {
    // The published version and the versions each goroutine holds (its old one and its copy).
    std::vector<cow::HeldBy> held;
    for (int h = 1; h <= w.goroutines(); h++) held.push_back({h, w.cowRun(h)});
    cow::appendCowState(line, w.cowMap(), held);
  } else if (w.isSyncMap()) appendSyncState(line, w.syncMap());
  else if (w.isSharded()) appendShardedState(line, w);
  else if (w.isSwiss()) appendSwissState(line, w.swissMap());
  else appendStateFields(line, w.map(), true);
}

} // namespace

int runRace(const RaceCliOptions& o, std::FILE* out, std::FILE* err) {
  std::string text, why;
  if (!readSourceFile(o.file, text, why, "scenario")) {
    fmt::print(err, "{}: {}\n", o.file, why);
    return 2;
  }
  // An op script is not a race scenario: name the commands that run it.
  if (sourceKindOf(o.file, text) == SourceKind::OpScript) {
    fmt::print(err, "{}\n", wrongCommandMessage(o.file, SourceKind::OpScript));
    return 2;
  }
  ScenarioError perr;
  auto sc = parseScenario(text, o.file, perr);
  if (!sc) {
    fmt::print(err, "{}\n", perr.format());
    return 2;
  }
  if (!o.granularity.empty()) {
    if (o.granularity == "statement") sc->granularity = Granularity::Statement;
    else if (o.granularity == "memory") sc->granularity = Granularity::Memory;
    else {
      fmt::print(err, "--granularity: expected statement or memory, got {:?}\n", o.granularity);
      return 2;
    }
    if (sc->swiss && sc->granularity == Granularity::Memory) {
      fmt::print(err, "--granularity: {}\n", kSwissMemoryGranularity);
      return 2;
    }
    if (sc->cow && !cow::isInPlace(sc->cowVariant) && sc->granularity == Granularity::Memory) { // (inplace: a classic map)
      fmt::print(err, "--granularity: {}\n", kCowMemoryGranularity);
      return 2;
    }
    if (sc->syncmap && sc->granularity == Granularity::Memory) {
      fmt::print(err, "--granularity: {}\n", kSyncMapMemoryGranularity);
      return 2;
    }
  }
  if (!o.schedule.empty()) {
    int col = 0;
    ScheduleSpec spec;
    if (!parseSchedule(o.schedule, spec, why, col)) {
      fmt::print(err, "--schedule:{}: {}\n", col, why);
      return 2;
    }
    for (auto g : spec.steps)
      if ((g & ~kUntilBlocked) > sc->programs.size()) {
        fmt::print(err, "--schedule: names goroutine {} but {} has {}\n", g & ~kUntilBlocked, sc->file,
                   sc->programs.size());
        return 2;
      }
    sc->schedule = spec;
  }
  if (o.explore && (o.states || o.events)) {
    fmt::print(err, "--explore runs every interleaving: it cannot be combined with --{}\n",
               o.states ? "states" : "events");
    return 2;
  }
  // With --states, standard output holds JSON lines only: the narration and
  // the outcome go to standard error (the exit status still tells the outcome).
  std::FILE* report = o.states ? err : out;
  if (o.narration) {
    int l = o.lang == "zh" ? 1 : 0;
    if (!sc->title[l].empty()) fmt::print(report, "# {}\n", sc->title[l]);
    if (!sc->narration[l].empty()) fmt::print(report, "{}\n\n", sc->narration[l]);
  }
  if (o.explore) {
    ExploreOptions eo;
    eo.maxInterleavings = o.maxInterleavings;
    eo.reduce = !o.noReduction;
    ExploreResult r = explore(*sc, eo);
    fmt::print(out, "{}", exploreText(*sc, r));
    return 0;
  }
  if (sc->schedule.kind == ScheduleSpec::Kind::Manual && sc->schedule.steps.empty()) {
    fmt::print(err, "{}: the schedule is manual: give the steps with --schedule (e.g. --schedule \"1 1 2\") or open "
                    "it in the GUI\n",
               sc->file);
    return 2;
  }
  WorldOptions wo;
  wo.maxSteps = o.maxSteps;
  World w(*sc, wo);
  Scheduler s(sc->schedule);
  std::string line;
  // With --events and --states together, each step's events come before the
  // state they led to.
  std::size_t printed = 0;
  auto printEvents = [&] {
    for (; printed < w.trace().size(); printed++) {
      line.clear();
      appendTraceJson(line, w, printed);
      writeLine(line, out);
    }
  };
  std::function<void(int)> afterStep;
  if (o.states)
    afterStep = [&](int g) {
      if (o.events) printEvents();
      appendStepState(line, w, g);
      writeLine(line, out);
    };
  bool ok = runScheduled(w, s, why, afterStep);
  if (o.events) printEvents();
  std::fflush(out);
  if (!ok) {
    fmt::print(report, "{}", outcomeText(w, nullptr));
    fmt::print(err, "{}: {}\n", sc->file, why);
    return 2;
  }
  std::optional<ConsistencyReport> rep;
  if (w.ending().kind == Ending::Kind::AllDone) rep = checkConsistency(w);
  fmt::print(report, "{}", outcomeText(w, rep ? &*rep : nullptr));
  if (sc->expect) {
    const std::optional<ExpectationCheck> c = checkExpectation(w, rep ? &*rep : nullptr);
    fmt::print(report, "{}", expectationLine(*c));
    return c->met ? 0 : 1;
  }
  return 0;
}

// ---- op scripts of the structures that live in races ----------------------------------------

namespace {
// The script's lines, and the index of its first op line (not blank, not a comment).
std::vector<std::string> linesOf(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string l(text.substr(at, nl - at));
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
    at = nl + 1;
  }
  return lines;
}
std::string opPart(const std::string& l) { // the line without its comment, trimmed
  std::string s = l.substr(0, l.find('#'));
  const std::size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}
} // namespace

bool isRaceStructureScript(std::string_view text) {
  for (const std::string& l : linesOf(text)) {
    const std::string op = opPart(l);
    if (op.empty()) continue;
    return op.rfind("make sharded ", 0) == 0 || op.rfind("make cow ", 0) == 0 || op == "make sharded" || op == "make cow";
  }
  return false;
}

int dumpRaceStructureScript(const std::string& file, std::string_view text, std::FILE* out, std::FILE* err) {
  // The script as a race scenario whose one goroutine runs its ops: the make in
  // the map section (scenario line 3), the ops in goroutine 1 (line 5 on); the
  // scenario grammar checks them, and its errors are moved back to the
  // script's lines and columns.
  const std::vector<std::string> lines = linesOf(text);
  std::size_t m = 0;
  while (m < lines.size() && opPart(lines[m]).empty()) m++;
  std::string sc = "gomaplab-race 1\nmap\n  " + lines[m] + "\ngoroutine 1\n";
  std::vector<std::size_t> opLines; // the script's 0-based line of each op, in order
  for (std::size_t i = m + 1; i < lines.size(); i++) {
    sc += "  " + lines[i] + "\n";
    if (!opPart(lines[i]).empty()) opLines.push_back(i);
  }
  sc += "granularity statement\nschedule roundrobin\n";
  ScenarioError e;
  auto s = ConcurrentSession::fromText(sc, file, e);
  if (!s) {
    if (e.line == 3 || e.line >= 5) {
      e.line = e.line == 3 ? static_cast<int>(m) + 1 : e.line - 4 + static_cast<int>(m) + 1;
      if (e.column > 2) e.column -= 2;
    }
    fmt::print(err, "{}\n", e.format());
    return 2;
  }
  // G1 runs to the end; after the last step of each op's statements (a
  // sharded map's store is three: lock, the map op, unlock), one line:
  // {"op":OP, then the state fields of `race --states`}.
  const World& w = s->world();
  const Program& p = s->program(1);
  std::size_t printed = 0;
  auto printUpTo = [&](int lastLine) { // every op whose script line is <= lastLine (scenario numbering)
    while (printed < opLines.size() && static_cast<int>(opLines[printed] - m) + 4 <= lastLine) {
      std::string line = "{\"op\":";
      appendJsonBytes(line, opPart(lines[opLines[printed]]));
      appendWorldState(line, w);
      line.push_back('}');
      writeLine(line, out);
      printed++;
    }
  };
  while (s->stepScheduled()) {
    const GoroutineView v = w.view(1);
    if (v.state == GoroutineView::State::InOp || v.state == GoroutineView::State::Blocked) continue;
    // The statement before pc is done; print it unless the next statement is on the same line.
    const int doneLine = v.pc > 0 && v.pc - 1 < p.code.size() ? p.code[v.pc - 1].line : 0;
    const int nextLine = v.pc < p.code.size() ? p.code[v.pc].line : 0;
    if (doneLine > 0 && doneLine != nextLine) printUpTo(doneLine);
  }
  const Ending& end = w.ending();
  if (end.kind != Ending::Kind::AllDone) {
    // The traceback names the scenario's lines: back to the script's (the
    // goroutine's `created by` line is the make's).
    const std::string death = s->deathOutput().empty() ? s->outcome() : s->deathOutput();
    std::string text;
    const std::string tag = file + ":";
    std::size_t at = 0;
    for (std::size_t hit; (hit = death.find(tag, at)) != std::string::npos;) {
      std::size_t d = hit + tag.size(), e2 = d;
      while (e2 < death.size() && std::isdigit(static_cast<unsigned char>(death[e2]))) e2++;
      text += death.substr(at, d - at);
      if (e2 > d) {
        const int sl = std::stoi(death.substr(d, e2 - d));
        text += std::to_string(sl >= 5 ? sl - 4 + static_cast<int>(m) + 1 : static_cast<int>(m) + 1);
      }
      at = e2;
    }
    text += death.substr(at);
    fmt::print(err, "{}\n", text);
    return 1;
  }
  printUpTo(1 << 30);
  return 0;
}

} // namespace gomap::app
