#include "app/race_cli.hpp"

#include <fmt/format.h>

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
  if (w.isCow()) {
    // The published version and the versions each goroutine holds (its old one and its copy).
    std::vector<cow::HeldBy> held;
    for (int h = 1; h <= w.goroutines(); h++) held.push_back({h, w.cowRun(h)});
    cow::appendCowState(line, w.cowMap(), held);
  } else if (w.isSyncMap()) appendSyncState(line, w.syncMap());
  else if (w.isSharded()) appendShardedState(line, w);
  else if (w.isSwiss()) appendSwissState(line, w.swissMap());
  else appendStateFields(line, w.map(), true);
  line.push_back('}');
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

} // namespace gomap::app
