#include "ui/lesson_view.hpp"

#include <fmt/format.h>
#include <imgui_internal.h> // ImTextCharFromUtf8

#include <algorithm>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

namespace {

int64_t lastEventOf(const EventSource& s, std::size_t k) {
  if (k + 1 < s.opCount()) return static_cast<int64_t>(s.firstEventOfOp(k + 1)) - 1;
  return static_cast<int64_t>(s.eventCount()) - 1;
}

// A tick or a cross, drawn (the UI font need not have the glyphs), then text on the same line.
void mark(bool ok) {
  const float fs = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const Palette& pal = palette();
  const float t = std::max(1.5f, fs * 0.12f);
  if (ok) {
    dl->AddLine(ImVec2(p.x + fs * 0.1f, p.y + fs * 0.55f), ImVec2(p.x + fs * 0.38f, p.y + fs * 0.85f), pal.ok, t);
    dl->AddLine(ImVec2(p.x + fs * 0.38f, p.y + fs * 0.85f), ImVec2(p.x + fs * 0.9f, p.y + fs * 0.15f), pal.ok, t);
  } else {
    dl->AddLine(ImVec2(p.x + fs * 0.15f, p.y + fs * 0.2f), ImVec2(p.x + fs * 0.8f, p.y + fs * 0.85f), pal.error, t);
    dl->AddLine(ImVec2(p.x + fs * 0.8f, p.y + fs * 0.2f), ImVec2(p.x + fs * 0.15f, p.y + fs * 0.85f), pal.error, t);
  }
  ImGui::Dummy(ImVec2(fs, fs));
  ImGui::SameLine();
}

const std::string& inLanguage(const std::string (&text)[2]) {
  const int l = language() == Lang::Zh ? 1 : 0;
  return text[l].empty() ? text[1 - l] : text[l];
}

// Narration lines join with '\n' (as in .race files); shown, they flow as one
// paragraph: a space between English lines, nothing between Chinese ones.
std::string reflow(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); i++) {
    if (text[i] != '\n') {
      out.push_back(text[i]);
      continue;
    }
    const bool asciiBefore = i > 0 && static_cast<unsigned char>(text[i - 1]) < 0x80;
    const bool asciiAfter = i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0x80;
    if (asciiBefore || asciiAfter) out.push_back(' ');
  }
  return out;
}

} // namespace

std::string cellName(const Loc& l) {
  if (l.chain) return fmt::format(fmt::runtime(tr(S::PredictCellOverflow)), l.bucket, l.chain, l.slot);
  return fmt::format(fmt::runtime(tr(S::PredictCell)), l.bucket, l.slot);
}

PutOutcome putOutcome(const EventSource& s, std::size_t op) {
  PutOutcome o;
  if (op >= s.opCount()) return o;
  const uint64_t first = s.firstEventOfOp(op);
  const int64_t last = lastEventOf(s, op);
  for (int64_t i = static_cast<int64_t>(first); i <= last; i++) {
    const Event& e = s.event(static_cast<uint64_t>(i));
    if (s.opOfEvent(static_cast<uint64_t>(i)) != op) continue;
    switch (e.kind) {
    case EventKind::HashComputed:
      if (!o.hashed) {
        auto p = payloadOf<EventKind::HashComputed>(e);
        o.hashed = true;
        o.hash = p.hash;
        o.hashB = o.B = p.B;
        o.top = p.top;
      }
      break;
    case EventKind::GrowthStarted: {
      auto p = payloadOf<EventKind::GrowthStarted>(e);
      o.grew = true;
      o.sameSize = (p.trigger & kGrowSameSize) != 0;
      o.B = p.newB;
      break;
    }
    case EventKind::EvacuateBegin: {
      auto p = payloadOf<EventKind::EvacuateBegin>(e);
      if (!p.already) o.evacuated.push_back(p.oldbucket);
      break;
    }
    case EventKind::SlotChosen: {
      auto p = payloadOf<EventKind::SlotChosen>(e);
      o.hasChoice = true;
      o.choice = p.why;
      break;
    }
    case EventKind::CountChanged: o.countAfter = payloadOf<EventKind::CountChanged>(e).count; break;
    case EventKind::ElemWritten:
      o.wrote = true;
      o.cell = payloadOf<EventKind::ElemWritten>(e).cell;
      break;
    default: break;
    }
  }
  return o;
}

std::vector<std::string> explainPut(const PutOutcome& o) {
  std::vector<std::string> out;
  if (!o.hashed) return out;
  if (o.grew) {
    if (o.sameSize) out.push_back(fmt::format(fmt::runtime(tr(S::WhyGrowSameSize)), o.hashB));
    else out.push_back(fmt::format(fmt::runtime(tr(S::WhyGrow)), o.countAfter, o.hashB, o.B));
  }
  if (!o.evacuated.empty()) {
    std::string list;
    for (uint32_t b : o.evacuated) list += fmt::format("{}{}", list.empty() ? "" : ", ", b);
    out.push_back(fmt::format(fmt::runtime(tr(S::WhyEvacuated)), list));
  }
  const uint64_t bucket = o.hash & bucketMask(o.B);
  out.push_back(fmt::format(fmt::runtime(tr(S::WhyHash)), o.hash, o.B, o.B, bucket, bucket));
  const uint8_t raw = static_cast<uint8_t>(o.hash >> 56);
  if (raw < minTopHash) out.push_back(fmt::format(fmt::runtime(tr(S::WhyTopPlus)), raw, o.top));
  else out.push_back(fmt::format(fmt::runtime(tr(S::WhyTop)), o.top));
  if (o.hasChoice) {
    switch (o.choice) {
    case SlotChoice::FirstEmpty: out.push_back(tr(S::WhyFirstEmpty)); break;
    case SlotChoice::NewOverflow: out.push_back(tr(S::WhyOverflow)); break;
    case SlotChoice::ExistingKey: out.push_back(tr(S::WhyExisting)); break;
    }
  }
  return out;
}

void LessonView::drawLesson(const Frame& f, const LessonData& d) {
  const LoadedLesson& L = *d.lesson;
  // The title, wrapped: on a projector's narrow left column one line cut it
  // after a few words (the claim the lesson makes was not on screen).
  const std::string& title = inLanguage(L.lesson.title);
  shownTitle = title;
  if (!title.empty()) {
    textWrappedCjk(title);
    ImGui::Separator();
  }
  // Everything wraps at the panel's edge (on a projector's narrow column the
  // op's line and the expect lines ran off it).
  ImGui::PushTextWrapPos(0);
  // The script op at the cursor; before the first op, the first one.
  std::optional<std::size_t> so;
  if (!f.currentOp) {
    ImGui::TextDisabled("%s", tr(S::LessonBeforeFirst));
    so = 0;
  } else if (d.scriptOpOf) {
    so = d.scriptOpOf(*f.currentOp);
    // An op typed after loading can take the index a dropped script op had.
    if (so && (*so >= L.opTexts.size() || (d.typedOps && L.opTexts[*so] != f.ctl->opText(*f.currentOp)))) so.reset();
  }
  if (!so) {
    ImGui::TextDisabled("%s", tr(S::LessonTyped));
  } else {
    if (*so < L.opTexts.size())
      ImGui::TextDisabled("%s", fmt::format(fmt::runtime(tr(S::LessonOpAt)), L.opLines[*so], L.opTexts[*so]).c_str());
    const LessonNotes* notes = L.lesson.notesOf(*so);
    const std::string narration = notes ? reflow(inLanguage(notes->narration)) : std::string();
    shownScriptOp = so;
    shownNarration = narration;
    if (narration.empty()) ImGui::TextDisabled("%s", tr(S::LessonNoNarration));
    else textWrappedCjk(narration);
    if (*so < L.check.byOp.size() && !L.check.byOp[*so].empty()) {
      ImGui::Spacing();
      ImGui::TextUnformatted(tr(S::LessonAfterOp));
      for (const ExpectOutcome& o : L.check.byOp[*so]) {
        shownExpects++;
        shownHolding += o.holds ? 1 : 0;
        mark(o.holds);
        ImGui::TextUnformatted(o.line->text.c_str());
        if (!o.holds) {
          ImGui::SameLine();
          colouredText(palette().error, fmt::format(fmt::runtime(tr(S::LessonExpectFails)), o.got).c_str());
        }
      }
    }
  }
  if (L.check.checked > 0) {
    ImGui::Separator();
    const ImU32 c = L.check.failed ? palette().error : palette().ok;
    colouredText(c, fmt::format(fmt::runtime(tr(S::LessonSummary)), L.check.checked - L.check.failed, L.check.checked)
                        .c_str());
  }
  ImGui::PopTextWrapPos();
}

void LessonView::drawPredict(UiContext&, const Frame& f, const LessonData& d) {
  asked_.reset();
  verdict_.clear();
  auto rectOf = [](Rect& r) { r = Rect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()}; };
  predictToggle = guessButton = runButton = insertButton = keyField = nextButton = Rect{};
  ImGui::Checkbox(fmt::format("{}##predict", tr(S::PredictMode)).c_str(), &predict);
  rectOf(predictToggle);
  ImGui::SameLine();
  helpMarker(tr(S::PredictHelp));
  if (!predict || !f.loaded() || !f.events) return;
  const EventSource& s = *f.events;
  const int64_t pos = f.position;
  if (seekToEndOf_ && *seekToEndOf_ < s.opCount()) {
    f.ctl->seek(lastEventOf(s, *seekToEndOf_));
    seekToEndOf_.reset();
    return; // the frame is stale until the next one
  }
  auto isPut = [&](std::size_t k) { return f.ctl->opText(k).substr(0, 4) == "put "; };
  // The op that runs next: the one after the op whose last event is the cursor,
  // or the op whose first event (OpBegin) is the cursor.
  std::size_t next = 0;
  if (pos >= 0) {
    const std::size_t k = s.opOfEvent(static_cast<uint64_t>(pos));
    if (s.event(static_cast<uint64_t>(pos)).kind == EventKind::OpBegin) next = k;
    else next = pos == lastEventOf(s, k) ? k + 1 : s.opCount() + 1; // inside an op: nothing to ask
  }
  // Ops without events (make's seed, hashmode, pin) run nothing a student could watch: skip them.
  while (next < s.opCount() && lastEventOf(s, next) < static_cast<int64_t>(s.firstEventOfOp(next))) next++;
  const bool scriptTarget = next < s.opCount() && isPut(next);
  const bool typedTarget = next == s.opCount(); // at the end: a key typed below runs next
  const bool target = scriptTarget || typedTarget;
  if (target) {
    asked_ = next;
    if (d.clickedCell) { // a click in the Buckets view answers the question
      guess_ = Guess{next, *d.clickedCell};
      verdictDismissed_ = false;
      pickBucket_ = static_cast<int>(d.clickedCell->bucket);
      pickChain_ = d.clickedCell->chain;
      pickSlot_ = d.clickedCell->slot;
    }
  }
  const bool guessed = target && guess_ && guess_->op == next;
  // The verdict on the last guess, once its op has run, until the student moves on.
  const bool verdictShown =
      guess_ && !guessed && !verdictDismissed_ && guess_->op < s.opCount() && pos >= lastEventOf(s, guess_->op);
  ImGui::PushTextWrapPos(0);
  auto ask = [&] {
    const std::optional<KeyValue> key = f.ctl->opKey(next);
    ImGui::TextUnformatted(
        fmt::format(fmt::runtime(tr(S::PredictAsk)), f.ctl->opText(next), key ? keyText(*key) : "?").c_str());
  };
  if (verdictShown && target) {
    // The next question first, in one line (a click on a cell answers it; the
    // button opens the full form), so that it stays in sight above the verdict.
    if (scriptTarget) ask();
    const bool more = ImGui::Button(fmt::format("{}##nextq", tr(S::PredictNext)).c_str());
    rectOf(nextButton);
    if (more) verdictDismissed_ = true;
    ImGui::Separator();
  }
  if (verdictShown) {
    const PutOutcome o = putOutcome(s, guess_->op);
    const std::optional<KeyValue> key = f.ctl->opKey(guess_->op);
    const std::string kt = key ? keyText(*key) : "?";
    if (o.wrote) {
      const Loc g = guess_->cell;
      verdictRight_ = !g.old && g.bucket == o.cell.bucket && g.chain == o.cell.chain && g.slot == o.cell.slot;
      verdict_ = verdictRight_
                     ? fmt::format(fmt::runtime(tr(S::PredictRight)), kt, cellName(o.cell))
                     : fmt::format(fmt::runtime(tr(S::PredictWrong)), cellName(g), kt, cellName(o.cell));
      colouredText(verdictRight_ ? palette().ok : palette().error, verdict_.c_str());
      if (!verdictRight_ && !g.old && g.bucket == o.cell.bucket) ImGui::TextUnformatted(tr(S::PredictRightBucket));
      ImGui::TextUnformatted(tr(S::WhyTitle));
      for (const std::string& line : explainPut(o)) {
        ImGui::Bullet();
        ImGui::SameLine();
        textWrapped(line);
      }
    }
    ImGui::PopTextWrapPos();
    return;
  }
  if (!target) {
    if (pos >= 0 && f.currentOp && isPut(*f.currentOp) && (!guess_ || guess_->op != *f.currentOp))
      ImGui::TextDisabled("%s", tr(S::PredictSkipped));
    else ImGui::TextDisabled("%s", tr(S::PredictNoTarget));
    ImGui::PopTextWrapPos();
    return;
  }
  // The question, with the keyboard-friendly fallback: bucket, slot and overflow bmap as numbers.
  if (scriptTarget) {
    ask();
  } else {
    ImGui::TextUnformatted(tr(S::PredictTyped));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::InputText(fmt::format("{}##lessonkey", tr(S::Key)).c_str(), key_, sizeof key_);
    rectOf(keyField);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
    ImGui::InputText(fmt::format("{}##lessonvalue", tr(S::Value)).c_str(), value_, sizeof value_);
  }
  ImGui::TextUnformatted(tr(S::PredictPick));
  const float w = ImGui::GetFontSize() * 2.6f;
  auto field = [&](S label, const char* id, int& v) {
    ImGui::SetNextItemWidth(w);
    ImGui::InputInt(fmt::format("{}##{}", tr(label), id).c_str(), &v, 0, 0);
  };
  field(S::PredictBucket, "pickb", pickBucket_);
  ImGui::SameLine();
  field(S::PredictSlot, "picks", pickSlot_);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  ImGui::InputInt("##pickc", &pickChain_, 0, 0);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::PredictOverflow));
  pickBucket_ = std::max(0, pickBucket_);
  pickSlot_ = std::clamp(pickSlot_, 0, bucketCnt - 1);
  pickChain_ = std::clamp(pickChain_, 0, static_cast<int>(kMaxChain));
  const bool pick = ImGui::Button(fmt::format("{}##guess", tr(S::PredictGuess)).c_str());
  rectOf(guessButton);
  if (pick) {
    guess_ = Guess{next, Loc{false, static_cast<uint32_t>(pickBucket_), static_cast<uint16_t>(pickChain_),
                             static_cast<uint8_t>(pickSlot_)}};
    verdictDismissed_ = false;
  }
  if (guessed) {
    ImGui::SameLine();
    colouredText(palette().highlight, fmt::format(fmt::runtime(tr(S::PredictYourGuess)), cellName(guess_->cell)).c_str());
    if (scriptTarget) {
      const bool run = ImGui::Button(fmt::format("{}##runput", tr(S::PredictRun)).c_str());
      rectOf(runButton);
      if (run) {
        f.ctl->pause();
        f.ctl->seek(lastEventOf(s, next));
      }
    } else {
      const bool ins = ImGui::Button(fmt::format("{}##insertput", tr(S::PredictInsert)).c_str());
      rectOf(insertButton);
      if (ins && d.insert && d.insert(key_, value_)) seekToEndOf_ = next;
    }
  }
  ImGui::PopTextWrapPos();
}

void LessonView::draw(UiContext& ui, const Frame& f, const LessonData& d) {
  drawnFrame_ = ImGui::GetFrameCount();
  shownTitle.clear();
  shownNarration.clear();
  shownScriptOp.reset();
  shownExpects = shownHolding = 0;
  // Predict mode first, so its question and buttons never scroll out of sight;
  // the lesson's text below scrolls on its own.
  if (d.canPredict) {
    drawPredict(ui, f, d);
    ImGui::Separator();
  } else {
    asked_.reset();
    verdict_.clear();
    predictToggle = guessButton = runButton = insertButton = keyField = nextButton = Rect{};
  }
  ImGui::BeginChild("##lessonbody", ImVec2(0, 0), false);
  if (!d.lesson) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", tr(S::LessonNone));
    ImGui::PopTextWrapPos();
  } else if (f.loaded() || ((f.swiss || f.syncMap) && f.ctl)) { // a classic, Swiss or sync.Map session
    drawLesson(f, d);
    // Another op (or another lesson): its narration from the top, even if the
    // teacher had scrolled down to the last one's expect lines.
    if (shownScriptOp != scrolledFor_ || f.sessionId != scrolledSession_) ImGui::SetScrollY(0);
    scrolledFor_ = shownScriptOp;
    scrolledSession_ = f.sessionId;
  }
  ImGui::EndChild();
}

} // namespace gomap::ui
