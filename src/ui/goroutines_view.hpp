// The goroutine view for race scenarios (issue 4, "In the GUI"): one lane per
// goroutine with its program, current op and runtime function, a button to
// step that goroutine (manual scheduling), the flags byte with hashWriting
// lit, the schedule so far, step back, and the outcome when the run ends.
//
// RaceController owns the ConcurrentSession (no ImGui in it, so tests drive it
// directly); GoroutinesView draws from a controller it does not own.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "concurrency/concurrent_session.hpp"
#include "ui/said.hpp"
#include "ui/swiss_state.hpp"
#include "ui/cow_view.hpp"
#include "ui/shards_view.hpp"
#include "ui/syncmap_view.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

// True for paths ending in ".race" (the concurrency mode).
bool isRaceScenarioPath(const std::string& path);
// The consistency report's words (ui/strings_race.inc) in a language, and in
// the UI's: the Outcome says the report's sentences in them.
race::ConsistencyWords consistencyWordsIn(Lang l);
const race::ConsistencyWords& consistencyWords();
// The death output's notes (ui/strings_race.inc, and the site notes) in a language, and in the UI's.
race::ReportWords reportWordsIn(Lang l);
const race::ReportWords& reportWords();
// A race scenario's narration (its lines joined by '\n', as the file has them) as
// paragraphs: a line that goes on a sentence the line before did not finish joins
// it (a space between English words, nothing between Chinese characters); a line
// after one that ends a sentence (. ! ? 。 ！ ？, closing quotes allowed) or an
// empty line starts a new paragraph. Paragraphs are separated by '\n'.
std::string raceNarrationParagraphs(std::string_view text);
// What the map views know of goroutine g of w (its colour, state, current function and op).
void goroutineBasics(const race::World& w, int g, GoroutineBasics& m);

// The merged event stream of a race's whole recorded timeline, kept while the
// cursor is moved back along it (the session's own stream ends at the cursor).
class RecordedEvents final : public EventSource, public SwissEventSource {
public:
  void record(const race::TraceEvents& ev);
  void clear() {
    entries_.clear();
    first_.clear();
  }
  uint64_t eventCount() const override { return entries_.size(); }
  const Event& event(uint64_t i) const override { return entries_[i].ev; }
  const swiss::SwissEvent& swissEvent(uint64_t i) const override { return entries_[i].sev; }
  std::size_t opOfEvent(uint64_t i) const override { return entries_[i].op ? entries_[i].op - 1 : 0; }
  uint64_t firstEventOfOp(std::size_t k) const override { return k < first_.size() ? first_[k] : 0; }
  std::size_t opCount() const override { return first_.size(); }
  int goroutineOfEvent(uint64_t i) const override { return entries_[i].g; }
  bool opsContiguous() const override { return false; }
  const race::TraceEntry& entry(uint64_t i) const { return entries_[i]; }

private:
  std::vector<race::TraceEntry> entries_;
  std::vector<uint64_t> first_;
};

// A race as the workspace shows it: the shared map and the merged event
// stream of all goroutines in the same views as an op-script session. The
// cursor is an event of the stream; a seek goes to the scheduling step that
// emitted it (steps are what the World can stop between).
class RaceController final : public Controller {
public:
  // Opens a scenario; on a bad file the old session stays and error() says why.
  bool open(const std::string& path);
  // Asks the font for every glyph of the open scenario (title, narration,
  // programs, path): ui/fonts.hpp needGlyphs.
  void noteGlyphs() const;
  bool loaded() const { return s_ != nullptr; }
  race::ConcurrentSession& session() { return *s_; }
  const race::ConcurrentSession& session() const { return *s_; }
  const std::string& path() const { return path_; }
  // Commands (errors land in error()).
  // Goroutine g takes the next step. When it is not the step the recorded
  // timeline has next, the later steps are dropped (the view asks first:
  // stepDrops), and the timeline as it was is kept for restoreSchedule.
  bool stepGoroutine(int g);
  // How many recorded steps a step of g now would drop (0: none).
  uint64_t stepDrops(int g) const;
  // The timeline as it was before the first step that dropped part of it
  // (empty: nothing dropped since the file was opened or restored).
  const std::vector<uint8_t>& keptSchedule() const { return kept_; }
  // Goes back to that timeline, at the step where it was left.
  void restoreSchedule();
  bool stepScheduled();
  void restart();
  void runToEnd();
  // Runs the scheduler for n steps (screenshots: --event).
  void advance(uint64_t n);
  // Goes to the state right after scheduling step n (0: before the first).
  void seekStep(uint64_t n);
  // The workspace shows the race (true after open(); false once the user goes
  // back to the op-script session).
  bool active = false;

  // ---- Controller -------------------------------------------------------------
  void seek(int64_t i) override;
  void stepInto() override;
  void stepBack() override;
  void stepOver() override;
  void stepBackOver() override;
  void stepOut() override { stepOver(); }
  void toStart() override;
  void toEnd() override;
  void togglePlay() override;
  void pause() override { playing_ = false; }
  bool playing() const override { return playing_; }
  double& speed() override { return speed_; }
  std::string_view opText(std::size_t k) const override;
  std::optional<KeyValue> opKey(std::size_t k) const override;
  const std::string& error() const override { return error_.text(); }
  const std::string& status() const override { return status_.text(); }
  void clearError() override { error_.clear(); }
  // Playback: steps per second.
  void tick(double dt);
  // What the views draw. The stream is the whole recorded timeline (so the
  // timeline, plots and event log reach past the cursor, and a click there seeks
  // forward); positions are events of it, and its first position()+1 events are
  // those of session().events(). A race on a Swiss map hands the Swiss views a
  // SwissFrame (Frame::swiss; Frame::map is null then).
  void fillFrame(Frame& f);
  // The race's map is a Swiss one (the Swiss views draw it).
  bool swiss() const { return s_ && s_->world().isSwiss(); }
  // The race's map is a sync.Map (the sync.Map panel draws it).
  bool syncMap() const { return s_ && s_->world().isSyncMap(); }
  bool cow() const { return s_ && s_->world().isCow(); }
  // A copy-on-write map written in place (make cow inplace): a classic race whose
  // map the Copy-on-write panel also shows (ui/cow_view.hpp).
  bool cowInPlace() const { return s_ && s_->world().scenario().cow && race::cow::isInPlace(s_->world().scenario().cowVariant); }
  bool sharded() const { return s_ && s_->world().isSharded(); }
  // Records the session so far as a scenario file that replays it (its
  // schedule included). Returns false with error() set if it cannot write.
  bool saveSession(const std::string& path);
  // Where "Save session" writes by default: <lesson name>-session.race in the
  // working directory.
  std::string defaultSavePath() const;
  const std::string& savedTo() const { return savedTo_; }

private:
  int64_t position() const;
  std::optional<std::size_t> lastStepOp() const;
  void fillSwissFrame(SwissFrame& f); // ui/swiss_race.cpp
  SwissFrame swissFrame_;
  SyncMapFrame syncMapFrame_;
  CowFrame cowFrame_;
  ShardsFrame shardsFrame_;
  std::unique_ptr<race::ConcurrentSession> s_;
  std::string path_, savedTo_;
  std::vector<uint8_t> kept_;
  uint64_t keptAt_ = 0;
  Said error_, status_; // in the UI's language, whenever it is read
  std::size_t goroutines_ = 0;
  Lang statusLang_ = Lang::En;
  bool playing_ = false;
  double speed_ = 4, playAcc_ = 0;
  CallStackTracker stack_;
  DerivedSeries derived_;
  uint64_t cuts_ = 0, lastCount_ = 0, lastStream_ = ~uint64_t{0};
  // The recorded timeline's events (valid while the session's timeline is recTimeline_).
  void updateRecording();
  RecordedEvents rec_;
  std::vector<uint8_t> recTimeline_;
  std::vector<std::pair<int, std::size_t>> recOps_; // each recorded op: goroutine, instruction
  bool recValid_ = false;
  uint64_t recEpoch_ = 0;
};

class GoroutinesView {
public:
  // The contents of the Goroutines panel (inside a window the workspace began).
  void draw(UiContext& ui, const Frame& f, RaceController& rc);
  // Screen rectangles of the schedule strip's steps in the last frame (tests).
  std::vector<std::pair<uint64_t, ImVec4>> stepRects;

  // What the last frame drew (tests): the window's rectangle, the lanes and
  // whether the fatal output was on screen.
  ImVec2 lastPos{0, 0}, lastSize{0, 0};
  int lanesDrawn = 0;
  bool fatalShown = false;
  // The Outcome's heading (died / deadlock / corrupted / clean ...) and its
  // "expected: ...: met" line as drawn (empty: none).
  std::string outcomeHeading, outcomeExpect;
  std::string shownTitle;     // the title as drawn (first, above the file name)
  std::string shownFileName;  // the file's short name as drawn (the whole path in its tooltip)
  float titleY = -1, fileNameY = -1; // where they were drawn (screen y)
  std::string shownNarration; // the Lesson section's text as drawn (empty: collapsed or none)
  int mutexesDrawn = 0;  // mutex panels drawn (state word, queues)
  std::vector<std::string> mutexLines; // their text lines as drawn ("writerSem: G2", ...)
  std::vector<ImVec4> laneButtons;     // each lane's "Step this goroutine" button (x0, y0, x1, y1)
  std::vector<std::string> laneHeaders; // "G1 [done] 10 steps" as drawn
  std::vector<std::string> laneLabels;  // each lane's button label as drawn ("Step this goroutine" or "Step")
  // The "drop the later steps?" question: shown, its text, its buttons (x0, y0, x1, y1).
  bool dropAsked = false;
  std::string dropText;
  ImVec4 dropContinue{0, 0, 0, 0}, dropCancel{0, 0, 0, 0}, backToSchedule{0, 0, 0, 0};

private:
  void dropQuestion(RaceController& rc, int askFor);
  int dropG_ = 0; // the goroutine whose step waits for the answer
};

} // namespace gomap::ui
