#include "concurrency/explore.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "concurrency/consistency.hpp"
#include "concurrency/report.hpp"

namespace gomap::race {

ExploreResult explore(const Scenario& sc, const ExploreOptions& opts,
                      const std::function<void(const World&, const std::string& cls)>& onLeaf) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  ExploreResult res;
  res.reduced = opts.reduce;
  WorldOptions wo;
  wo.record = false;
  wo.maxSteps = opts.maxStepsPerRun;
  World w(sc, wo);

  // A transition is "the next step of goroutine g"; its footprint is what that
  // step touched when it was taken from the frame's state.
  struct Trans {
    int g;
    Footprint fp;
  };
  struct Frame {
    std::vector<int> todo;     // choices to explore from this state (runnable, not asleep)
    std::size_t next;
    uint64_t schedLen;         // engine steps before this state
    std::vector<Trans> sleep;  // asleep on arrival
    std::vector<Trans> done;   // explored from here
  };
  struct Ck {
    uint64_t schedLen;
    std::shared_ptr<const World::Checkpoint> c;
  };
  std::vector<Frame> frames;
  std::vector<Ck> cks{{0, w.checkpoint()}};
  std::unordered_map<std::string, std::size_t> index;
  std::vector<uint8_t> prefix;
  std::vector<Trans> sleep; // sleep set of the current state

  // Takes transition g from the top frame's state and computes the sleep set
  // of the state it leads to.
  auto take = [&](Frame& f, int g) {
    uint64_t before = w.steps();
    w.stepFused(g);
    res.stepsExecuted += w.steps() - before;
    const Footprint fp = w.lastFootprint();
    sleep.clear();
    if (opts.reduce) {
      for (const Trans& u : f.sleep)
        if (independent(u.fp, fp)) sleep.push_back(u);
      for (const Trans& u : f.done)
        if (independent(u.fp, fp)) sleep.push_back(u);
      f.done.push_back({g, fp});
    }
    if (!w.ended() && w.quiescent() && cks.back().schedLen < w.steps()) cks.push_back({w.steps(), w.checkpoint()});
  };

  for (;;) {
    bool blocked = false;
    while (!w.ended()) {
      Frame f;
      f.schedLen = w.steps();
      f.next = 1;
      for (int g : w.runnableList()) {
        bool asleep = false;
        for (const Trans& u : sleep) asleep = asleep || u.g == g;
        if (!asleep) f.todo.push_back(g);
      }
      if (f.todo.empty()) {
        blocked = true; // every enabled step is asleep: an equivalent schedule was explored
        break;
      }
      f.sleep = sleep;
      frames.push_back(std::move(f));
      take(frames.back(), frames.back().todo[0]);
    }
    if (blocked) {
      res.sleepBlocked++;
    } else {
      // A leaf.
      std::string cls;
      OutcomeGroup::Category cat;
      const Ending& e = w.ending();
      if (e.kind == Ending::Kind::AllDone) {
        ConsistencyReport rep;
        if (opts.checkConsistency) rep = checkConsistency(w, opts.consistencyBudget);
        cls = outcomeClass(w, opts.checkConsistency ? &rep : nullptr);
        cat = rep.consistent ? OutcomeGroup::Category::Clean : OutcomeGroup::Category::Corrupt;
      } else {
        cls = outcomeClass(w, nullptr);
        cat = e.kind == Ending::Kind::Fatal
                  ? (e.deadlock ? OutcomeGroup::Category::Deadlock : OutcomeGroup::Category::Fatal)
              : e.kind == Ending::Kind::Panic ? OutcomeGroup::Category::Panic
                                              : OutcomeGroup::Category::Other;
      }
      res.interleavings++;
      res.longest = std::max<uint64_t>(res.longest, w.steps());
      switch (cat) {
      case OutcomeGroup::Category::Clean: res.clean++; break;
      case OutcomeGroup::Category::Fatal: res.fatal++; break;
      case OutcomeGroup::Category::Corrupt: res.corrupt++; break;
      case OutcomeGroup::Category::Panic: res.panic++; break;
      case OutcomeGroup::Category::Deadlock: res.deadlock++; break;
      case OutcomeGroup::Category::Other: res.other++; break;
      }
      auto [it, fresh] = index.emplace(cls, res.groups.size());
      if (fresh) res.groups.push_back({cls, cat, 0, w.schedule()});
      res.groups[it->second].count++;
      if (onLeaf) onLeaf(w, cls);
      if (res.interleavings >= opts.maxInterleavings ||
          (opts.timeLimitSeconds > 0 &&
           std::chrono::duration<double>(Clock::now() - t0).count() > opts.timeLimitSeconds)) {
        res.complete = false;
        break;
      }
    }
    // Backtrack to the deepest frame with an untried choice.
    while (!frames.empty() && frames.back().next >= frames.back().todo.size()) frames.pop_back();
    if (frames.empty()) break;
    Frame& f = frames.back();
    int g = f.todo[f.next++];
    prefix.assign(w.schedule().begin(), w.schedule().begin() + static_cast<std::ptrdiff_t>(f.schedLen));
    while (cks.back().schedLen > f.schedLen) cks.pop_back();
    w.restore(*cks.back().c);
    for (uint64_t i = cks.back().schedLen; i < f.schedLen; i++) {
      w.step(prefix[i]);
      res.stepsExecuted++;
    }
    take(f, g);
  }
  std::stable_sort(res.groups.begin(), res.groups.end(), [](const OutcomeGroup& a, const OutcomeGroup& b) {
    if (a.category != b.category) return a.category < b.category;
    return a.count > b.count;
  });
  res.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return res;
}

std::string exploreText(const Scenario& sc, const ExploreResult& r) {
  std::string o;
  o += fmt::format("explored {} goroutines at {} level: {} {}interleavings{} in {:.3f} s ({} engine steps, longest run {} "
                   "steps)\n",
                   sc.programs.size(), granularityName(sc.granularity), r.interleavings,
                   r.reduced ? "distinct " : "", r.complete ? "" : " (INCOMPLETE: limit reached)", r.seconds,
                   r.stepsExecuted, r.longest);
  if (r.reduced)
    o += fmt::format("  (schedules that only reorder independent steps count once; {} redundant branches were cut; "
                     "--no-reduction counts every schedule)\n",
                     r.sleepBlocked);
  auto line = [&](const char* name, uint64_t n) {
    if (n) o += fmt::format("  {:<22} {:>10}\n", name, n);
  };
  line("clean", r.clean);
  line("fatal error", r.fatal);
  line("silently corrupted", r.corrupt);
  line("panic", r.panic);
  line("deadlock", r.deadlock);
  line("other (step limit)", r.other);
  o += "by outcome (replay one with --schedule):\n";
  for (auto& g : r.groups)
    o += fmt::format("  {:>10}  {}\n              e.g. --schedule \"{}\"\n", g.count, g.cls, formatSteps(g.example));
  return o;
}

} // namespace gomap::race
