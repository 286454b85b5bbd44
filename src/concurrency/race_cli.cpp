#include "concurrency/race_cli.hpp"

#include <fmt/format.h>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scheduler.hpp"
#include "concurrency/world.hpp"

namespace gomap::race {

int runRace(const RaceCliOptions& o, std::FILE* out, std::FILE* err) {
  ScenarioError perr;
  auto sc = loadScenario(o.file, perr);
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
  }
  if (!o.schedule.empty()) {
    std::string why;
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
  if (o.narration) {
    int l = o.lang == "zh" ? 1 : 0;
    if (!sc->title[l].empty()) fmt::print(out, "# {}\n", sc->title[l]);
    if (!sc->narration[l].empty()) fmt::print(out, "{}\n\n", sc->narration[l]);
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
  std::string why;
  bool ok = runScheduled(w, s, why);
  std::string line;
  if (o.events) {
    for (std::size_t i = 0; i < w.trace().size(); i++) {
      line.clear();
      appendTraceJson(line, w, i);
      line.push_back('\n');
      std::fwrite(line.data(), 1, line.size(), out);
    }
  }
  if (!ok) {
    fmt::print(out, "{}", outcomeText(w, nullptr));
    fmt::print(err, "{}: {}\n", sc->file, why);
    return 2;
  }
  std::optional<ConsistencyReport> rep;
  if (w.ending().kind == Ending::Kind::AllDone) rep = checkConsistency(w);
  fmt::print(out, "{}", outcomeText(w, rep ? &*rep : nullptr));
  if (sc->expect) {
    std::string got;
    bool met = expectationMet(*sc->expect, w, rep ? &*rep : nullptr, got);
    fmt::print(out, "-- expected: {}: {}\n", expectationText(*sc->expect), met ? "met" : "NOT met (got " + got + ")");
    return met ? 0 : 1;
  }
  return 0;
}

} // namespace gomap::race
