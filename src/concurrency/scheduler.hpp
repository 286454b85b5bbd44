// Schedulers: who takes the next step. Round-robin, seeded random, or a
// recorded list of steps (optionally followed by one of the others). Manual
// scheduling is the caller choosing World::step(g) itself (the GUI's lanes).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "concurrency/scenario.hpp"
#include "concurrency/world.hpp"

namespace gomap::race {

class Scheduler {
public:
  explicit Scheduler(ScheduleSpec spec) : spec_(std::move(spec)) { reset(); }
  void reset();
  // Puts the scheduler in the state it would be in had it chosen `taken`
  // itself (after seeking, or after manual steps): the list position, the
  // round-robin turn, the random generator's draws.
  void resync(const std::vector<uint8_t>& taken);
  // The goroutine to step next, or 0 when the schedule has nothing more to
  // say (manual, or a list that ran out with no 'then'). Sets error() and
  // returns -1 when a listed step names a goroutine that cannot run.
  int next(const World& w);
  const std::string& error() const { return error_; }
  // Index of the next listed step (for replays that continue by hand).
  std::size_t position() const { return index_; }
  const ScheduleSpec& spec() const { return spec_; }

private:
  int policy(const World& w, ScheduleSpec::Kind k, uint64_t quantum);
  ScheduleSpec spec_;
  std::size_t index_ = 0;
  int current_ = 0;
  uint64_t used_ = 0;
  uint64_t rng_ = 0;
  std::string error_;
};

// Steps w with s until the run ends or the schedule stops (then the run is
// marked ScheduleEnded). Returns false with err set if the schedule names a
// goroutine that cannot run.
// afterStep, when given, is called after every step with the goroutine that
// took it (for `gomaplab race --states`).
bool runScheduled(World& w, Scheduler& s, std::string& err, const std::function<void(int g)>& afterStep = {});

} // namespace gomap::race
