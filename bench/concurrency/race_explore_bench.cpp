// Benchmark: exhaustive exploration of two goroutines doing two puts each, at
// memory level (the flags read-modify-write split into load and store).
// Prints the number of distinct interleavings, their outcomes and the time.
//
//   build/race_explore_bench [REPEATS]
// Also runs the same exploration without partial-order reduction for one put
// each (every schedule counted), to show what the reduction saves.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "concurrency/explore.hpp"
#include "concurrency/scenario.hpp"

using namespace gomap::race;

namespace {
Scenario parse(const char* text) {
  ScenarioError err;
  auto sc = parseScenario(text, "bench.race", err);
  if (!sc) {
    fmt::print(stderr, "{}\n", err.format());
    std::exit(2);
  }
  return *sc;
}
} // namespace

int main(int argc, char** argv) {
  int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  Scenario twoPuts = parse(R"(gomaplab-race 1
map
  make int64 0
goroutine 1
  put 1 10
  put 2 20
goroutine 2
  put 3 30
  put 4 40
granularity memory
)");
  std::vector<double> times;
  ExploreResult r;
  for (int i = 0; i < repeats; i++) {
    r = explore(twoPuts);
    times.push_back(r.seconds);
  }
  std::sort(times.begin(), times.end());
  fmt::print("two goroutines x two puts, memory level, partial-order reduction (sleep sets):\n");
  fmt::print("  interleavings {} (clean {}, fatal {}, silently corrupted {}), complete: {}\n", r.interleavings, r.clean,
             r.fatal, r.corrupt, r.complete ? "yes" : "NO");
  fmt::print("  engine steps {} per exploration, branches cut by sleep sets {}\n", r.stepsExecuted, r.sleepBlocked);
  fmt::print("  time: min {:.3f} s, median {:.3f} s, max {:.3f} s over {} runs (target < 1 s)\n", times.front(),
             times[times.size() / 2], times.back(), times.size());

  Scenario onePut = parse(R"(gomaplab-race 1
map
  make int64 0
goroutine 1
  put 1 10
goroutine 2
  put 3 30
granularity memory
)");
  ExploreResult red = explore(onePut);
  ExploreOptions all;
  all.reduce = false;
  ExploreResult full = explore(onePut, all);
  fmt::print("one put each, memory level: {} interleavings with reduction ({:.3f} s), {} schedules without "
             "({:.3f} s)\n",
             red.interleavings, red.seconds, full.interleavings, full.seconds);
  return r.complete ? 0 : 1;
}
