// ConcurrentSession: a race scenario as the GUI steps through it.
//
// The session owns a World and a timeline: the goroutine that took each step
// so far. The world always shows the state after position() steps of the
// timeline. Stepping back (or seeking anywhere) restores the nearest checkpoint
// at or before the target, taken automatically whenever no map operation is in
// flight, and replays the timeline from there; the engine is deterministic, so
// the replay reproduces the same events. Taking a step other than the one the
// timeline has at the current position drops the rest of the timeline (like
// typing after undo).
//
// Typical GUI loop:
//   auto s = ConcurrentSession::load(path, err);        // bad file: keep the old session, show err.format()
//   for (auto& lane : s->lanes()) ...                   // one lane per goroutine
//   if (clicked lane g && s->canStep(g)) s->stepGoroutine(g);   // manual scheduling
//   s->stepScheduled();   s->stepBack();   s->seek(n);  // toolbar
//   s->flags(), s->world().map() for the map view; s->trace() for the event log;
//   s->ending(), s->deathOutput(), s->consistency() for the outcome panel;
//   s->scenarioText() to save the recorded session as a scenario file.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concurrency/consistency.hpp"
#include "concurrency/report.hpp"
#include "concurrency/scenario.hpp"
#include "concurrency/scheduler.hpp"
#include "concurrency/world.hpp"
#include "trace/event_source.hpp"

namespace gomap::race {

// The engine events of a run's trace (sync entries left out) as an EventSource:
// event i is the i-th engine entry, its op the World's history index, its
// goroutine the one that emitted it. Kept up to date incrementally by
// sync(): a run only appends to its trace, or (after a seek backwards) cuts it
// and replays the same entries again.
// A race's map events (the classic map's, or the Swiss map's: a world has one
// map, so the stream holds one kind), with the goroutine and op of each.
class TraceEvents final : public EventSource, public SwissEventSource {
public:
  // Catches up with w's trace (gen changes when the session builds a new World).
  void sync(const World& w, uint64_t gen);
  uint64_t eventCount() const override { return idx_.size(); }
  const Event& event(uint64_t i) const override { return entry(i).ev; }
  const swiss::SwissEvent& swissEvent(uint64_t i) const override { return entry(i).sev; }
  std::size_t opOfEvent(uint64_t i) const override { return entry(i).op ? entry(i).op - 1 : 0; }
  uint64_t firstEventOfOp(std::size_t k) const override { return k < first_.size() ? first_[k] : 0; }
  std::size_t opCount() const override { return first_.size(); }
  int goroutineOfEvent(uint64_t i) const override { return entry(i).g; }
  bool opsContiguous() const override { return false; }
  // The trace entry of event i, and the event of trace entry t (or -1 for a sync entry).
  const TraceEntry& entry(uint64_t i) const { return (*trace_)[idx_[i]]; }
  std::size_t traceIndex(uint64_t i) const { return idx_[i]; }
  // The last engine event at or before trace entry t (-1: none).
  int64_t eventAtOrBefore(std::size_t t) const;

private:
  const std::vector<TraceEntry>* trace_ = nullptr;
  uint64_t gen_ = ~uint64_t{0};
  std::size_t scanned_ = 0;        // trace entries looked at
  std::vector<uint32_t> idx_;      // trace index of each engine event
  std::vector<uint64_t> first_;    // first event of each op (history index)
};

class ConcurrentSession {
public:
  explicit ConcurrentSession(Scenario sc, WorldOptions opts = {});
  // nullptr with err set for a bad file (FILE:LINE:COL: what was expected).
  static std::unique_ptr<ConcurrentSession> load(const std::string& path, ScenarioError& err);
  static std::unique_ptr<ConcurrentSession> fromText(std::string_view text, const std::string& name,
                                                     ScenarioError& err);

  const Scenario& scenario() const { return sc_; }
  const World& world() const { return *w_; }

  // ---- the timeline --------------------------------------------------------
  const std::vector<uint8_t>& timeline() const { return timeline_; } // goroutine of each recorded step
  uint64_t position() const { return w_->steps(); }                 // steps shown (<= timeline().size())
  bool atEnd() const { return w_->ended(); }                         // the program has ended here
  bool canStep(int g) const { return w_->runnable(g); }
  // Manual scheduling: goroutine g takes the next step. Returns false (with
  // why) if it cannot run now.
  bool stepGoroutine(int g, std::string* why = nullptr);
  // The scenario's scheduler picks the next goroutine (round-robin, random, the
  // recorded list). False when it has nothing to say or the run has ended.
  bool stepScheduled();
  // Runs the scheduler until the program ends or the schedule stops; returns
  // the steps taken.
  uint64_t runToEnd(uint64_t maxSteps = 10'000'000);
  // Moves along the recorded timeline.
  bool stepForward();
  bool stepBack();
  void seek(uint64_t step); // clamped to [0, timeline().size()]
  void restart() { seek(0); }
  // Drops the recorded future after position().
  void truncate();
  // Changing the granularity or the schedule starts over (steps mean other
  // things at another granularity); the timeline is cleared.
  void setGranularity(Granularity g);
  void setSchedule(const ScheduleSpec& s);
  // Explored interleavings and the CLI's --schedule open this way.
  void loadSchedule(const std::vector<uint8_t>& steps);

  // ---- views -----------------------------------------------------------------
  std::vector<GoroutineView> lanes() const;
  const Program& program(int g) const { return sc_.programs[g - 1]; }
  uint8_t flags() const { return w_->map().header().flags; }
  bool hashWriting() const { return hashWritingSet(flags()); }
  const std::vector<TraceEntry>& trace() const { return w_->trace(); }
  // The trace's engine events as an EventSource (views, call stacks, plots).
  const TraceEvents& events() const {
    events_.sync(*w_, gen_);
    return events_;
  }
  // Bumps whenever the run is rebuilt (a new World): cached views start over.
  uint64_t generation() const { return gen_; }
  std::string traceJson(std::size_t i) const;   // one JSON line (no newline)
  std::string describe(std::size_t i) const;    // one sentence for an event log
  // Index of the trace entry of the fatal error / panic, if the run died.
  std::optional<std::size_t> detectionEntry() const;
  const Ending& ending() const { return w_->ending(); }
  std::string deathOutput() const;              // Go-shaped "fatal error: ..." block (empty if alive)
  std::string outcome() const;                  // what `gomaplab race` prints
  // The outcome's heading and the scenario's `expect` line checked, as `gomaplab
  // race` decides them (concurrency/report.hpp; nullopt: no `expect` line).
  Verdict verdict() const;
  std::optional<ExpectationCheck> expectation() const;
  // The consistency report once every goroutine has finished (cached).
  const ConsistencyReport* consistency() const;
  // The scenario with `schedule` set to the timeline up to position(): the
  // recorded session, as a file that replays it byte for byte.
  std::string scenarioText() const;

private:
  void rebuild();
  void replayTo(uint64_t step);
  void maybeCheckpoint();
  void syncScheduler();
  bool doStep(int g);

  Scenario sc_;
  WorldOptions opts_;
  std::unique_ptr<World> w_;
  std::unique_ptr<Scheduler> sched_;
  std::vector<uint8_t> timeline_;
  std::map<uint64_t, std::shared_ptr<const World::Checkpoint>> cks_;
  mutable std::optional<ConsistencyReport> rep_;
  mutable uint64_t repAt_ = ~uint64_t{0};
  uint64_t schedAt_ = 0; // the scheduler's state is that of this position
  uint64_t gen_ = 0;
  mutable TraceEvents events_;
};

} // namespace gomap::race
