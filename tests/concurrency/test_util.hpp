// Helpers shared by the concurrency tests.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "concurrency/scenario.hpp"

namespace gomap::race::test {

// Parses a scenario given inline (the header line is added).
inline Scenario scenario(const std::string& body, const char* name = "test.race") {
  ScenarioError err;
  auto s = parseScenario("gomaplab-race 1\n" + body, name, err);
  if (!s) ADD_FAILURE() << err.format();
  return s ? *s : Scenario{};
}

} // namespace gomap::race::test
