// Helpers shared by the concurrency tests.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <string>

#include "concurrency/consistency.hpp"
#include "concurrency/explore.hpp"
#include "concurrency/scenario.hpp"
#include "concurrency/scheduler.hpp"
#include "concurrency/world.hpp"
#include "trace/opscript.hpp"

namespace gomap::race::test {

// Parses a scenario given inline (the header line is added).
inline Scenario scenario(const std::string& body, const char* name = "test.race") {
  ScenarioError err;
  auto s = parseScenario("gomaplab-race 1\n" + body, name, err);
  if (!s) ADD_FAILURE() << err.format();
  return s ? *s : Scenario{};
}

// A scenario run to its end with its own schedule, and the consistency report
// of a run that finished.
struct Ran {
  Scenario sc;
  std::unique_ptr<World> w;
  std::optional<ConsistencyReport> rep;
};
inline Ran runToEnd(Scenario sc) {
  Ran r;
  r.sc = std::move(sc);
  r.w = std::make_unique<World>(r.sc);
  Scheduler s(r.sc.schedule);
  std::string why;
  EXPECT_TRUE(runScheduled(*r.w, s, why)) << why;
  if (r.w->ending().kind == Ending::Kind::AllDone) r.rep = checkConsistency(*r.w);
  return r;
}

// Runs an op script on the direct (sequential) model, line by line; each op
// applied is handed to after (its result is in the target then).
template <class After = void (*)(const OpTarget&, const ScriptOp&)>
OpTarget runOpScript(const std::string& script, After after = [](const OpTarget&, const ScriptOp&) {}) {
  OpTarget t;
  std::optional<SourceError> err;
  ScriptParser p;
  std::size_t pos = 0;
  int line = 0;
  while (pos < script.size()) {
    const std::size_t nl = script.find('\n', pos);
    auto op = p.parseLine(std::string_view(script).substr(pos, nl - pos), ++line, err);
    EXPECT_FALSE(err) << err->format();
    if (err) break;
    if (op) {
      applyOp(t, *op);
      after(t, *op);
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return t;
}

// The leaves of an exploration, to compare the reduced search with full
// enumeration (the footprints must lose no outcome, no final state and no
// result): each interleaving's outcome class, state(w) and results(w). With
// verify, the explorer checks the independence it relies on as it goes.
using Leaf = std::tuple<std::string, std::string, std::string>;
template <class State, class Results>
std::set<Leaf> exploreLeaves(const Scenario& sc, bool reduce, uint64_t* count, bool verify, State state, Results results) {
  std::set<Leaf> out;
  ExploreOptions o;
  o.reduce = reduce;
  o.verifyIndependence = verify;
  ExploreResult r = explore(sc, o, [&](const World& w, const std::string& cls) {
    out.emplace(cls, state(w), results(w));
  });
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.independenceViolations.empty()) << r.independenceViolations.front();
  if (verify) {
    EXPECT_GT(r.independenceChecks, 0u);
  }
  if (count) *count = r.interleavings;
  return out;
}

} // namespace gomap::race::test
