// The GUI's controller: owns the recorded Session and everything the user does
// to it. Views draw from it and call its commands; they never change the
// session themselves. No ImGui or GL in here, so tests can drive it directly.
//
// Every map change is made of op-script lines (the same language as the
// scenario files) parsed with ScriptParser and applied with applyScriptOp, so
// what the user did can always be saved as a script and replayed by
// `gomaplab dump` or the Go oracle. Bad input sets error() and changes nothing.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "trace/opscript.hpp"
#include "trace/session.hpp"
#include "ui/said.hpp"
#include "ui/call_stack.hpp"
#include "ui/derived.hpp"
#include "ui/frame.hpp"

namespace gomap {
struct LoadedLesson; // trace/script_runner.hpp
}

namespace gomap::ui {

struct NewMapParams {
  KeyKind kind = KeyKind::Int64;
  int64_t hint = 0;
  uint32_t hash0 = 0;
  HashMode mode = HashMode::Go;
  uint64_t rngSeed = 0;
};

// A background job: many ops appended a slice per frame, so the window stays
// responsive while a big map is built.
struct BulkJob {
  enum class Kind { Sequential, Random, UntilGrow } kind = Kind::Sequential;
  int64_t total = 0;
  int64_t done = 0;
  uint64_t startEvent = 0;
  bool active() const { return total > done; }
};

class AutosaveWriter;
class SwissController; // ui/swiss_state.hpp
class SyncMapController; // ui/syncmap_state.hpp

// Whether path lies under assetDir() (the bundled lessons and scenarios, never overwritten).
bool isBundledPath(const std::string& path);

class AppState final : public Controller {
public:
  AppState();
  ~AppState();
  AppState(AppState&&) noexcept;
  AppState& operator=(AppState&&) noexcept;

  // ---- the session -----------------------------------------------------------
  bool hasSession() const { return session_ != nullptr; }
  Session& session() { return *session_; }
  const Session& session() const { return *session_; }
  const AnyMap& map() const { return session_->map(); }
  KeyKind keyKind() const { return session_ ? session_->config().kind : KeyKind::Int64; }
  // Bumps when the session is replaced or loses ops (derived data is rebuilt).
  uint64_t sessionId() const { return sessionId_; }
  // Bumps whenever the session gains ops or the cursor moves.
  uint64_t revision() const { return revision_; }
  const std::string& scriptName() const { return scriptName_; }
  const std::string& scriptPath() const { return scriptPath_; }
  // Source line of session op k ("put 5 50"), for logs and the header.
  std::string_view opText(std::size_t k) const override;
  std::optional<KeyValue> opKey(std::size_t k) const override {
    if (!session_ || k >= session_->opCount()) return std::nullopt;
    return session_->op(k).key;
  }
  // The session as an op script: every line of the opened file (comments,
  // blank lines and lines that are not ops stay where they were) with the ops
  // added since at the end, minus what "Drop ops after cursor" removed. It
  // replays (openScript, `gomaplab dump`) to the same map.
  std::string scriptText() const;
  // The lesson lines of the script loaded last (null: none), and the script op
  // that produced session op k, for the Lesson panel.
  const LoadedLesson* lesson() const { return lesson_.get(); }
  std::optional<std::size_t> scriptOpOf(std::size_t k) const;

  // ---- the Swiss map (issue 13) ----------------------------------------------------
  // A Swiss-map script (make swiss) opens as a SwissController: the Swiss
  // workspace is on screen while swissMode(); opening a classic script or a
  // new map leaves it. The classic session (if any) is kept meanwhile.
  bool swissMode() const { return swiss_ != nullptr; }
  SwissController& swissController();
  // A sync.Map op script (make syncmap) opens as a SyncMapController, the same way
  // (issue 12): its panels are on screen while syncMode().
  bool syncMode() const { return sync_ != nullptr; }
  SyncMapController& syncController();

  // ---- files and new maps --------------------------------------------------------
  bool openScript(const std::string& path);
  bool loadScriptText(std::string_view text, const std::string& name);
  // Writes scriptText() (temp file + rename). Refuses bundled files (under
  // assetDir()): the caller offers Save As instead.
  bool saveScript(const std::string& path);
  bool newMap(const NewMapParams& p);
  // Ops were added or dropped since the last open, new map or save.
  bool dirty() const { return editGen_ != savedGen_; }
  // "growth.ops", or "untitled" for a session never saved.
  std::string displayName() const;

  // ---- autosave -------------------------------------------------------------------
  // While dirty, the session's script is written to this file (temp + rename)
  // after every batch of ops and every few seconds of a long job; it is
  // deleted once the session is clean again (saved, or replaced after the user
  // said so). Empty: no autosave (the default; tests, screenshots).
  void setAutosavePath(std::string path);
  const std::string& autosavePath() const { return autosavePath_; }
  // Writes or deletes the autosave, as the state asks (a background thread
  // does the writing; flushAutosave waits for it).
  void syncAutosave();
  void flushAutosave();
  // Reads an autosave written by syncAutosave: the session comes back (dirty),
  // with its original file as scriptPath() when it had one.
  bool restoreAutosave(const std::string& file);
  // The original file named in an autosave's header ("" for an untitled session).
  static std::string autosaveOrigin(const std::string& file);

  // ---- map operations (typed fields) ------------------------------------------------
  bool runLine(std::string_view line); // any op-script line
  bool insert(std::string_view key, std::string_view value);
  bool remove(std::string_view key);
  bool lookup(std::string_view key);
  bool iterate();
  bool clear();
  bool insertRange(std::string_view range); // "0..99" (inclusive)
  bool insertRandom(int64_t n);
  bool insertUntilGrow();                    // a job: stops at the op that starts a grow
  bool insertColliding(uint64_t bucket, int n, bool sameHash);
  bool startBulk(int64_t n, bool random);    // a job
  bool dropFuture();                         // forget the ops after the cursor
  const BulkJob& job() const { return job_; }
  void cancelJob() { job_ = {}; }
  // Runs pending jobs to the end (tests, screenshots, benchmarks).
  void finishJobs();

  // ---- navigation ----------------------------------------------------------------------
  void stepInto() override;
  void stepBack() override;
  void stepOver() override;
  void stepBackOver() override;
  void stepOut() override;
  void toStart() override { seek(-1); }
  void toEnd() override { seek(static_cast<int64_t>(eventCount()) - 1); }
  void seek(int64_t i) override;
  int64_t position() const { return session_ ? session_->position() : -1; }
  uint64_t eventCount() const { return session_ ? session_->eventCount() : 0; }
  const Event* currentEvent() const;
  // The op holding the cursor's event (or the last op before the cursor).
  std::optional<std::size_t> currentOp() const;
  int64_t lastEventOfOp(std::size_t k) const;

  // ---- playback -------------------------------------------------------------------------
  void play();
  void pause() override { playing_ = false; }
  void togglePlay() override { playing_ ? pause() : play(); }
  bool playing() const override { return playing_; }
  double& speed() override { return speed_; } // events per second while playing
  bool watchNewOps = true;    // after an op is added, put the cursor at its first event
  // Advances playback by dt seconds and runs a slice of the pending job.
  void tick(double dt, double jobBudgetSeconds = 0.012);

  // ---- derived views ---------------------------------------------------------------------
  const CallStack& callStack();
  DerivedSeries& derived();
  // The hash of the key the current op works on, as the last HashComputed
  // event up to the cursor shows it (nullopt outside hashing ops).
  std::optional<HashInfo> currentHash() const;
  // What the views draw this frame (ui/frame.hpp).
  void fillFrame(Frame& f);

  // ---- messages --------------------------------------------------------------------------
  const std::string& error() const override { return error_.text(); }
  const std::string& status() const override { return status_.text(); }
  void clearError() override { error_.clear(); }
  void setError(std::string e) { error_ = std::move(e); }

private:
  struct Line {
    std::string text;                   // as written in the file, or the canonical op text
    std::size_t opBegin = 0, opEnd = 0; // session ops it produced
    bool isOp = false;
    // make lines (the only ones producing two session ops: make, seed) are
    // rebuilt when a drop cuts them.
    bool isMake = false;
    int64_t hint = 0;
    uint32_t hash0 = 0;
  };
  static Line lineOf(const ScriptOp& op, std::size_t begin, std::size_t end);
  void edited() { editGen_++; }
  void afterBatch();
  bool installSession(std::vector<ScriptOp> ops, std::string_view text, const std::string& name, std::string& err);
  bool applyLines(const std::vector<std::string>& lines, const char* source, bool typed);
  // Applies generated or typed lines at the end of the session. On the first
  // bad line nothing after it is applied and error() says why (typed: the line
  // came from the command field, and the message shows it with a caret).
  bool parseKey(std::string_view tok, KeyValue& out);
  std::string freshKey();
  void noteKey(const KeyValue& k);
  void afterAppend(std::size_t firstNewOp);
  void touched() { revision_++; }
  bool needSession();
  void runJobSlice(double budgetSeconds);

  std::unique_ptr<Session> session_;
  std::unique_ptr<SwissController> swiss_;
  std::unique_ptr<SyncMapController> sync_;
  ScriptParser parser_;
  std::vector<Line> lines_;
  std::shared_ptr<const LoadedLesson> lesson_;
  std::vector<std::pair<std::size_t, std::size_t>> scriptOps_; // session ops of each loaded script op
  std::vector<std::string> opTexts_;
  std::string scriptName_ = "untitled", scriptPath_;
  uint64_t sessionId_ = 0, revision_ = 0;
  int inputLine_ = 0;

  bool playing_ = false;
  double speed_ = 20;
  double playAcc_ = 0;
  BulkJob job_;

  // Fresh keys for generated inserts.
  int64_t maxIntKey_ = -1;
  uint64_t stringCounter_ = 0;
  std::unordered_set<std::string> stringsUsed_;
  std::mt19937_64 rng_{20240601};

  CallStackTracker stack_;
  DerivedSeries derived_;
  Said error_, status_; // in the UI's language, whenever it is read
  uint64_t editGen_ = 0, savedGen_ = 0, autosavedGen_ = ~uint64_t{0};
  std::string autosavePath_;
  double sinceAutosave_ = 0;
  std::size_t autosaveLines_ = 0;              // lines_ handed to the writer
  uint64_t autosaveSession_ = ~uint64_t{0};    // sessionId_ and scriptPath_ when it got the whole text
  std::string autosaveOrigin_;
  std::unique_ptr<AutosaveWriter> writer_;
};

} // namespace gomap::ui
