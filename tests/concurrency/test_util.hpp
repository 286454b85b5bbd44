// Helpers shared by the concurrency tests.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "concurrency/consistency.hpp"
#include "concurrency/scenario.hpp"
#include "concurrency/scheduler.hpp"
#include "concurrency/world.hpp"

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

} // namespace gomap::race::test
