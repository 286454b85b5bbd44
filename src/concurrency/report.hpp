// Text and JSON that describe a run: Go-shaped fatal output, the outcome
// summary printed by `gomaplab race`, and the trace as JSON lines.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "concurrency/consistency.hpp"
#include "concurrency/world.hpp"

namespace gomap::race {

// One frame of a simulated goroutine's stack, innermost first.
struct Frame {
  std::string function; // "runtime.mapassign", "main.G2", "sync.(*Mutex).Lock"
  std::string file;     // "$GOROOT/src/runtime/map.go", or the scenario file
  int line = 0;
  std::string note;     // what that line does (site description, or the statement)
};
// The words of the frames' notes that are not Go's (fmt format strings), so
// that the GUI can hand in its Chinese ones; English by default. A note that is
// a runtime site's description goes through site() (nullptr: as it is).
struct ReportWords {
  std::string_view parkedIn = "parked in {}'s queue ({})"; // the mutex, its semaphore
  std::string_view notLocked = "{} was not locked";
  std::string_view rwNotLocked = "readerCount + rwmutexMaxReaders >= rwmutexMaxReaders: {} is not locked";
  std::string_view notReadLocked = "{} is not read-locked";
  std::string_view retriesCas = "retries the CAS after a wake-up";
  std::string_view announcesWriter = "announces the writer next: readerCount -= rwmutexMaxReaders";
  std::string_view waitsForReaders = "waits until the active readers have left (writerSem)";
  std::string_view readerWaitNext = "readerWait += r next";
  std::string_view writerPending = "a writer is pending or active: waits on readerSem";
  std::string_view unlockNext = "rw.w.Unlock() next";
  std::string_view readerWaitDecNext = "readerWait -= 1 next";
  std::string_view cowComparePanicked = "value.go:185 compared two maps: runtime.efaceeq (alg.go:249) panicked";
  std::string_view inPlaceStore = "(*p)[k] = v (the published map itself)";
  std::string_view (*site)(std::string_view what) = nullptr;
  std::string siteNote(std::string_view what) const { return std::string(site ? site(what) : what); }
};
inline constexpr ReportWords kReportWordsEn{};

// The stack of goroutine g as a Go traceback would show it (runtime frames
// included, as with GOTRACEBACK=system).
std::vector<Frame> stackOf(const World& w, int g, const ReportWords& words = kReportWordsEn);
// Go's goroutine state word: running, runnable, semacquire.
std::string goroutineStateWord(const World& w, int g);

// What a Go 1.19 program prints when it dies this way: "fatal error: MSG",
// a blank line, then every live goroutine (the dying one first) with its
// stack; for an unrecovered panic, "panic: MSG" and the panicking goroutine
// only (GOTRACEBACK=single). Empty if the run did not die.
std::string goDeathOutput(const World& w, const ReportWords& words = kReportWordsEn);

// The outcome as `gomaplab race` prints it: the death output, or
// "no race detected" with the consistency report; then the schedule.
std::string outcomeText(const World& w, const ConsistencyReport* rep);

// One-line outcome class, stable across runs (used to group interleavings):
// "clean", "fatal G2: concurrent map writes (mapassign L595)",
// "corrupt: count,lost-insert", "panic G1: ...", "deadlock", "step limit".
std::string outcomeClass(const World& w, const ConsistencyReport* rep);

// A sync step in words: "G2 lock mu: parked (mutex.go:171, state=0x9 ...)".
std::string describeSyncEntry(const World& w, const TraceEntry& t);
// The method of a sync statement: "lock", "unlock", "rlock", "runlock".
const char* syncKindName(TraceEntry::SyncKind k);
// A mutex's state word decoded: "0x9 = mutexLocked | 1 waiter".
std::string mutexStateText(int32_t state);

// Trace entry i as a JSON line: {"step":S,"g":G, ...appendEventJson fields...}
// or {"step":S,"g":G,"i":I,"kind":"lock","mutex":"mu","act":"parked",
// "file":"mutex.go","line":171,"state":9[,"readerCount":R,"readerWait":W][,"woke":[2]]}
// for sync steps (readerCount and readerWait for an RWMutex only).
void appendTraceJson(std::string& out, const World& w, std::size_t i);

} // namespace gomap::race

namespace gomap::race {
// Whether a finished run matches a scenario's `expect` line; `got` describes
// what happened in the same words ("fatal 2 concurrent map writes").
bool expectationMet(const Expectation& e, const World& w, const ConsistencyReport* rep, std::string& got);
std::string expectationText(const Expectation& e);

// What a run came to, as one heading (the CLI and the GUI's Outcome say the same):
// a goroutine died (fatal error or panic), every goroutine blocked, all finished
// with the map silently corrupted or consistent, the step limit, or unfinished.
enum class Verdict : uint8_t { Running, Died, Deadlock, Corrupt, Clean, StepLimit, Unfinished };
Verdict verdictOf(const World& w, const ConsistencyReport* rep);

// A scenario's `expect` line checked against a run: what it
// expects ("corrupt lost-insert"), whether it was met, and what happened.
struct ExpectationCheck {
  std::string expected, got;
  bool met = false;
};
// nullopt when the scenario has no `expect` line (a run not ended got "unfinished").
std::optional<ExpectationCheck> checkExpectation(const World& w, const ConsistencyReport* rep);
// "-- expected: corrupt lost-insert: met" or "... NOT met (got clean)", as `gomaplab race` prints it.
std::string expectationLine(const ExpectationCheck& c);
} // namespace gomap::race
