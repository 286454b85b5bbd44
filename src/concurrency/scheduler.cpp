#include "concurrency/scheduler.hpp"

#include <fmt/format.h>

namespace gomap::race {

namespace {
// splitmix64: fixed arithmetic, so a seed gives the same choices on every machine.
uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
} // namespace

void Scheduler::reset() {
  index_ = 0;
  current_ = 0;
  used_ = 0;
  rng_ = spec_.kind == ScheduleSpec::Kind::Random ? spec_.seed : spec_.thenSeed;
  error_.clear();
}

void Scheduler::resync(const std::vector<uint8_t>& taken) {
  reset();
  // Match the taken steps against the list (an N* entry takes every
  // consecutive step of GN).
  std::size_t listed = 0;
  if (spec_.kind == ScheduleSpec::Kind::Steps) {
    while (listed < taken.size() && index_ < spec_.steps.size()) {
      uint8_t st = spec_.steps[index_];
      if (st & kUntilBlocked) {
        if (taken[listed] == (st & ~kUntilBlocked)) listed++;
        else index_++;
      } else {
        listed++;
        index_++;
      }
    }
  }
  std::size_t k = taken.size() - listed; // decisions made by the policy
  if (k == 0) return;
  ScheduleSpec::Kind pk = spec_.kind == ScheduleSpec::Kind::Steps ? spec_.then : spec_.kind;
  uint64_t q = spec_.kind == ScheduleSpec::Kind::Steps ? spec_.thenQuantum : spec_.quantum;
  if (pk == ScheduleSpec::Kind::Random) {
    for (std::size_t i = 0; i < k; i++) splitmix(rng_);
  } else if (pk == ScheduleSpec::Kind::RoundRobin) {
    current_ = taken.back();
    std::size_t run = 0;
    for (std::size_t i = taken.size(); i > listed && taken[i - 1] == current_; i--) run++;
    used_ = (run - 1) % q + 1;
  }
}

int Scheduler::policy(const World& w, ScheduleSpec::Kind k, uint64_t quantum) {
  auto r = w.runnableList();
  if (r.empty()) return 0;
  if (k == ScheduleSpec::Kind::Random) {
    int g = r[splitmix(rng_) % r.size()];
    return g;
  }
  if (k == ScheduleSpec::Kind::RoundRobin) {
    if (current_ && used_ < quantum && w.runnable(current_)) {
      used_++;
      return current_;
    }
    // The next runnable goroutine after the current one, cyclically.
    int n = w.goroutines();
    for (int d = 1; d <= n; d++) {
      int g = (current_ + d - 1) % n + 1;
      if (w.runnable(g)) {
        current_ = g;
        used_ = 1;
        return g;
      }
    }
  }
  return 0;
}

int Scheduler::next(const World& w) {
  if (w.ended()) return 0;
  switch (spec_.kind) {
  case ScheduleSpec::Kind::Manual: return 0;
  case ScheduleSpec::Kind::RoundRobin:
  case ScheduleSpec::Kind::Random: return policy(w, spec_.kind, spec_.quantum);
  case ScheduleSpec::Kind::Steps:
    while (index_ < spec_.steps.size() && (spec_.steps[index_] & kUntilBlocked)) {
      int g = spec_.steps[index_] & ~kUntilBlocked;
      if (w.runnable(g)) return g;
      index_++;
    }
    if (index_ < spec_.steps.size()) {
      int g = spec_.steps[index_];
      if (!w.runnable(g)) {
        GoroutineView v = w.view(g);
        const char* why = v.state == GoroutineView::State::Done      ? "it has finished"
                          : v.state == GoroutineView::State::Blocked ? "it is blocked on a mutex"
                                                                     : "it cannot run";
        error_ = fmt::format("schedule step {} names G{}, but {} (N* runs GN only while it can)", index_ + 1, g, why);
        return -1;
      }
      index_++;
      return g;
    }
    if (spec_.then == ScheduleSpec::Kind::Manual) return 0;
    return policy(w, spec_.then, spec_.thenQuantum);
  }
  return 0;
}

bool runScheduled(World& w, Scheduler& s, std::string& err, const std::function<void(int g)>& afterStep) {
  while (!w.ended()) {
    int g = s.next(w);
    if (g < 0) {
      err = s.error();
      return false;
    }
    if (g == 0) {
      w.endSchedule();
      break;
    }
    w.step(g);
    if (afterStep) afterStep(g);
  }
  return true;
}

} // namespace gomap::race
