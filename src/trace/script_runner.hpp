// Runs op scripts on the engine and writes what the `dump` and `events`
// commands print. Shared by the CLI, the tests and the fuzzer.
#pragma once
#include <functional>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "engine/any_map.hpp"
#include "trace/opscript.hpp"

namespace gomap {

struct RunnerOptions {
  bool summary = false;   // leave the bucket arrays out of state lines
  bool digest = false;    // add "digest" to state lines
  int64_t every = 1;      // print state for every Nth op (plus dump ops and the last op)
  bool events = false;    // print events instead of state lines
  bool checkInvariants = false;
  uint64_t rngSeed = 0;   // initial fastrand state of each new map
};

class ScriptRunner {
public:
  using Sink = std::function<void(std::string_view line)>; // receives lines without '\n'
  ScriptRunner(RunnerOptions opts, Sink sink);

  // Runs one op (index is 1-based). Returns false when the program has died
  // (a fatal error); the reason is in fatal().
  bool execute(const ScriptOp& op, int64_t index, bool isLast);
  const std::optional<std::string>& fatal() const { return fatal_; }
  // Invariant violations found after the last op (with checkInvariants).
  const std::vector<std::string>& violations() const { return violations_; }

  AnyMap* map() { return target_.map.get(); }
  swiss::AnySwiss* swissMap() { return target_.swissMap.get(); }
  syncmap::SyncMap* syncMap() { return target_.syncMap.get(); }

private:
  void flushEvents(int64_t index, const ScriptOp& op);
  // The Swiss map's ops (make swiss and every op after it; version and 4-word hashkey lines).
  bool executeSwiss(const ScriptOp& op, int64_t index, bool isLast);
  void flushSwissEvents(int64_t index, const ScriptOp& op);
  void sinkOutcomeLine(const ScriptOp& op, const OpResult& res);
  // sync.Map's ops (make syncmap and every op after it).
  bool executeSync(const ScriptOp& op, int64_t index, bool isLast);

  RunnerOptions opts_;
  Sink sink_;
  OpTarget target_; // the map and what the ops before make set up
  EventBuffer events_;
  swiss::SwissEventSink swissEvents_;
  syncmap::SyncEventSink syncEvents_;
  uint64_t eventCount_ = 0;
  std::optional<std::string> fatal_;
  std::vector<std::string> violations_;
  std::string line_;
};

// ---- lessons: checking expect lines -------------------------------------------------
struct ExpectOutcome {
  const ExpectLine* line = nullptr;
  bool holds = false;
  std::string got; // the actual value (or why there is none: the program died before)
};
struct LessonCheck {
  std::vector<std::vector<ExpectOutcome>> byOp; // by script op, as Lesson::ops
  std::size_t checked = 0, failed = 0;
  std::optional<std::string> died; // "fatal error: ..." when a fatal error ended the program
};
// Runs the script's ops as `gomaplab dump` does and checks every expect line on
// the state right after its op (and on what that op did).
LessonCheck checkLesson(const std::vector<ScriptOp>& ops, const Lesson& lesson, uint64_t rngSeed = 0);

// A loaded lesson as the GUI shows it: the lines, their outcomes, and the op
// texts, to tell the script's ops from ones typed after loading.
struct LoadedLesson {
  Lesson lesson;
  LessonCheck check;
  std::vector<std::string> opTexts; // of each script op
  std::vector<int> opLines;         // and its source line
};
LoadedLesson loadLesson(const std::vector<ScriptOp>& ops, Lesson lesson);

// Checks the expect lines and prints each failing one (FILE:LINE: expect ...:
// got ...) and a summary line to out; returns how many failed. Prints nothing
// for a script without expect lines.
std::size_t reportLesson(const std::string& name, const std::vector<ScriptOp>& ops, const Lesson& lesson,
                         uint64_t rngSeed, std::FILE* out);

// Reads a whole script (FILE or "-" for stdin) and runs it, printing to out.
// Returns the process exit status: 0, 2 for a script error or a fatal error
// (with the message on err), 3 for an invariant violation. With
// checkInvariants (`dump --check`) the expect lines are checked too, after the
// run: failures on err, exit status 1.
int runScriptFile(const std::string& path, const RunnerOptions& opts, std::FILE* out, std::FILE* err);

} // namespace gomap
