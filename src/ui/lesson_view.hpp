// The Lesson panel: the open op script's title, the narration of the op at
// the cursor (in the UI language) and that op's expect lines, each with a tick
// or a cross as it holds on the state after the op. Predict mode asks, before a
// put runs (the next op of the script, or a key typed here), which bucket and
// slot its key will land in: the student clicks a cell in the Buckets view (or
// picks bucket and slot here), runs the insert, and the panel says whether the
// guess was right and why (the hash's low B bits, the first empty cell or a new
// overflow bmap, tophash, a grow started first).
//
// Handed its data like every view: the Frame, and a LessonData built by the
// workspace from the op-script controller (the lesson, the script op of a
// session op, the Buckets view's click, a typed insert).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "trace/script_runner.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

struct LessonData {
  const LoadedLesson* lesson = nullptr; // null: the script has no lesson lines
  // The loaded script's op that produced session op k (nullopt: an op typed later).
  std::function<std::optional<std::size_t>(std::size_t)> scriptOpOf;
  std::optional<Loc> clickedCell; // the cell clicked in the Buckets view this frame
  // Appends `put KEY VALUE` to the session (false: bad input, the controller says why).
  std::function<bool(const std::string& key, const std::string& value)> insert;
  // The session may hold ops typed after loading (the op-script session; a
  // Swiss session is its script, op for op).
  bool typedOps = true;
  // Predict mode is offered (it asks for a bucket and slot of the classic map).
  bool canPredict = true;
};

// Where a put's key landed and why, read from the op's events.
struct PutOutcome {
  bool wrote = false; // the op stored its elem (false: it panicked)
  Loc cell{};         // where (ElemWritten)
  bool hashed = false;
  uint64_t hash = 0;
  uint8_t hashB = 0;  // B when the key was hashed
  uint8_t top = 0;
  uint8_t B = 0;      // B the bucket was chosen with (after a grow started by this op)
  bool grew = false, sameSize = false;
  int64_t countAfter = 0; // h.count after the insert (count+1 of the grow check)
  bool hasChoice = false;
  SlotChoice choice = SlotChoice::FirstEmpty;
  std::vector<uint32_t> evacuated; // old buckets this op evacuated
};
PutOutcome putOutcome(const EventSource& s, std::size_t op);
// The explanation's sentences, in the UI language.
std::vector<std::string> explainPut(const PutOutcome& o);
// "bucket 3, slot 5" (or with its overflow bmap), in the UI language.
std::string cellName(const Loc& l);

class LessonView {
public:
  void draw(UiContext& ui, const Frame& f, const LessonData& d);

  bool predict = false;
  struct Guess {
    std::size_t op = 0; // the session op the guess is about
    Loc cell{};
  };
  const std::optional<Guess>& guess() const { return guess_; }
  // What the panel showed in the last frame (tests): the op it asks about, and the verdict.
  std::optional<std::size_t> askedOp() const { return asked_; }
  const std::string& verdict() const { return verdict_; }
  bool verdictRight() const { return verdictRight_; }
  // Screen rectangles of the panel's widgets in the last frame (tests click them); zero when not drawn.
  struct Rect {
    ImVec2 min{0, 0}, max{0, 0};
    bool drawn() const { return max.x > min.x; }
    ImVec2 center() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
  };
  Rect predictToggle, guessButton, runButton, insertButton, keyField, nextButton;
  // What the lesson part showed in the last frame (tests): the title, the
  // script op whose narration it showed, that narration, and the expect lines
  // listed for it (how many, how many hold).
  std::string shownTitle, shownNarration;
  std::optional<std::size_t> shownScriptOp;
  std::size_t shownExpects = 0, shownHolding = 0;
  // Whether the panel was drawn in the ImGui frame just rendered.
  bool drawnThisFrame() const { return drawnFrame_ == ImGui::GetFrameCount(); }

private:
  void drawLesson(const Frame& f, const LessonData& d);
  void drawPredict(UiContext& ui, const Frame& f, const LessonData& d);

  int drawnFrame_ = -1;
  std::optional<std::size_t> scrolledFor_; // the op whose narration the body's scroll belongs to
  uint64_t scrolledSession_ = ~uint64_t{0};
  std::optional<Guess> guess_;
  bool verdictDismissed_ = false; // the student pressed Next question
  std::optional<std::size_t> asked_;
  std::optional<std::size_t> seekToEndOf_; // after a typed insert: show its end once it exists
  std::string verdict_;
  bool verdictRight_ = false;
  int pickBucket_ = 0, pickChain_ = 0, pickSlot_ = 0;
  char key_[128] = "";
  char value_[32] = "1";
};

} // namespace gomap::ui
