#include "ui/goroutines_view.hpp"

#include <cerrno>
#include <cfloat>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include <algorithm>

#include "concurrency/report.hpp"
#include "ui/event_text.hpp"
#include "ui/fonts.hpp"
#include "ui/syncmap_state.hpp"

namespace gomap::ui {

using race::ConcurrentSession;
using race::Ending;
using race::GoroutineView;

bool isRaceScenarioPath(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".race") == 0;
}

void goroutineBasics(const race::World& w, int g, GoroutineBasics& m) {
  const race::GoroutineView v = w.view(g);
  m.g = g;
  m.colour = goroutineColour(g);
  m.inOp = v.state == race::GoroutineView::State::InOp || (v.state == race::GoroutineView::State::Died && v.hasEvent);
  m.done = v.state == race::GoroutineView::State::Done;
  m.function = v.function;
  m.file = v.file;
  m.line = v.goLine;
  m.op = v.instr ? v.instr->text : std::string();
}

race::ConsistencyWords consistencyWordsIn(Lang l) {
  // English grammar (a plural's "s", "is" / "s are") keeps its defaults: the
  // Chinese sentences do not use it.
  return race::ConsistencyWords{
      .who = trIn(S::CwWho, l),
      .listSep = trIn(S::CwListSep, l),
      .andMore = trIn(S::CwAndMore, l),
      .oneOf = trIn(S::CwOneOf, l),
      .notFound = trIn(S::CwNotFound, l),
      .countLive = trIn(S::CwCountLive, l),
      .slot = trIn(S::CwSlot, l),
      .cell = trIn(S::CwCell, l),
      .duplicateKey = trIn(S::CwDuplicateKey, l),
      .placeSwiss = trIn(S::CwPlaceSwiss, l),
      .smallGroup = trIn(S::CwSmallGroup, l),
      .tableGroup = trIn(S::CwTableGroup, l),
      .placeClassic = trIn(S::CwPlaceClassic, l),
      .oldArray = trIn(S::CwOldArray, l),
      .newArray = trIn(S::CwNewArray, l),
      .overflow = trIn(S::CwOverflow, l),
      .iterDuplicate = trIn(S::CwIterDuplicate, l),
      .lostInsert = trIn(S::CwLostInsert, l),
      .lostInsertBy = trIn(S::CwLostInsertBy, l),
      .lostDelete = trIn(S::CwLostDelete, l),
      .extraKey = trIn(S::CwExtraKey, l),
      .wrongValue = trIn(S::CwWrongValue, l),
      .wrongNaNs = trIn(S::CwWrongNaNs, l),
      .orderFinal = trIn(S::CwOrderFinal, l),
      .wrongGet = trIn(S::CwWrongGet, l),
      .iterMissing = trIn(S::CwIterMissing, l),
      .iterPhantom = trIn(S::CwIterPhantom, l),
      .orderIter = trIn(S::CwOrderIter, l),
      .orderStrict = trIn(S::CwOrderStrict, l),
      .budgetRelaxed = trIn(S::CwBudgetRelaxed, l),
      .budgetStrict = trIn(S::CwBudgetStrict, l),
      .mapNote = trIn(S::CwMapNote, l),
      .fullSlot = trIn(S::CwFullSlot, l),
      .liveCell = trIn(S::CwLiveCell, l),
      .mapConsistent = trIn(S::CwMapConsistent, l),
      .syncMap = trIn(S::CwSyncMap, l),
      .cowMap = trIn(S::CwCowMap, l),
      .fTwice = trIn(S::CwFTwice, l),
      .cowLost = trIn(S::CwCowLost, l),
      .syncOrder = trIn(S::CwSyncOrder, l),
      .syncBudget = trIn(S::CwSyncBudget, l),
      .syncNote = trIn(S::CwSyncNote, l),
      .syncConsistent = trIn(S::CwSyncConsistent, l),
  };
}

namespace {
// A site's description in Chinese: the classic, Swiss and copy-on-write
// tables' (siteNote), or a sync.Map site's.
std::string_view siteNoteZh(std::string_view what) {
  const std::string_view z = siteNoteIn(what, Lang::Zh);
  if (z != what) return z;
  for (const SyncSiteText& t : syncSiteTexts())
    if (syncmap::siteInfo(t.site).what == what) return trIn(t.text, Lang::Zh);
  return what;
}
} // namespace

race::ReportWords reportWordsIn(Lang l) {
  return race::ReportWords{
      .parkedIn = trIn(S::RwParkedIn, l),
      .notLocked = trIn(S::RwNotLocked, l),
      .rwNotLocked = trIn(S::RwRwNotLocked, l),
      .notReadLocked = trIn(S::RwNotReadLocked, l),
      .retriesCas = trIn(S::RwRetriesCas, l),
      .announcesWriter = trIn(S::RwAnnouncesWriter, l),
      .waitsForReaders = trIn(S::RwWaitsForReaders, l),
      .readerWaitNext = trIn(S::RwReaderWaitNext, l),
      .writerPending = trIn(S::RwWriterPending, l),
      .unlockNext = trIn(S::RwUnlockNext, l),
      .readerWaitDecNext = trIn(S::RwReaderWaitDecNext, l),
      .cowComparePanicked = trIn(S::RwCowComparePanicked, l),
      .inPlaceStore = trIn(S::RwInPlaceStore, l),
      .site = l == Lang::Zh ? &siteNoteZh : nullptr,
  };
}

const race::ReportWords& reportWords() {
  if (language() != Lang::Zh) return race::kReportWordsEn;
  static const race::ReportWords zh = reportWordsIn(Lang::Zh);
  return zh;
}

const race::ConsistencyWords& consistencyWords() {
  if (language() != Lang::Zh) return race::kConsistencyWordsEn;
  static const race::ConsistencyWords zh = consistencyWordsIn(Lang::Zh);
  return zh;
}

namespace {
// Trace entry i of a race in the UI's language: ConcurrentSession::describe's
// facts (it says them in English), for the shards and copy-on-write panels.
std::string stepText(const ConcurrentSession& s, std::size_t i) {
  if (language() != Lang::Zh) return s.describe(i);
  using Src = race::TraceEntry::Source;
  const race::World& w = s.world();
  const race::TraceEntry& t = w.trace()[i];
  switch (t.source) {
  case Src::Sync: return fmt::format("G{} {}", t.g, mutexStepText(w, t));
  case Src::Swiss:
    return fmt::format("G{}: {}: {}", t.g, swiss::swissSiteInfo(t.sev.site, w.swissMap().kind()).function,
                       swissSiteWhat(t.sev.site, w.swissMap().kind()));
  case Src::Cow: {
    const race::OpRecord& r = w.history()[t.op - 1];
    const bool store = w.scenario().programs[r.g - 1].code[r.instr].syncOp == syncmap::SyncOpCode::Store;
    const race::cow::SiteInfo si = race::cow::siteInfo(t.cev.site, w.cowMap().variant(), store);
    return fmt::format("G{}: {}: {}", t.g, si.function, siteNote(si.what));
  }
  case Src::SyncMap:
    return fmt::format("G{}: sync.(*Map).{}: {}", t.g, syncmap::siteInfo(t.yev.site).function, syncSiteWhat(t.yev.site));
  case Src::Engine: break;
  }
  return fmt::format("G{}: {}", t.g, describeEventUi(t.ev));
}

bool asciiByte(char c) { return static_cast<unsigned char>(c) < 0x80; }
// Whether the last (atEnd) or first character of t is CJK punctuation
// (U+3000..U+303F: 。、「」; U+FF00..U+FF65: ，：（）！？).
bool cjkPunct(std::string_view t, bool atEnd) {
  if (t.empty()) return false;
  std::size_t i = 0;
  if (atEnd) { // back to the lead byte of the last character
    i = t.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80) i--;
  }
  if (t.size() < i + 3) return false;
  const auto b0 = static_cast<unsigned char>(t[i]), b1 = static_cast<unsigned char>(t[i + 1]),
             b2 = static_cast<unsigned char>(t[i + 2]);
  if ((b0 & 0xF0) != 0xE0) return false;
  const unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
  return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF65);
}
// Whether a narration line ends a sentence: ". ! ? 。 ！ ？", closing quotes or
// brackets after it allowed ("...互不等待。\"", "...line 150).").
bool endsSentence(std::string_view l) {
  while (!l.empty() && (l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
  for (bool again = true; again && !l.empty();) {
    again = false;
    for (std::string_view close : {"\"", "'", ")", "\xE2\x80\x9D" /* ” */, "\xEF\xBC\x89" /* ） */, "\xE3\x80\x8D" /* 」 */})
      if (l.size() >= close.size() && l.substr(l.size() - close.size()) == close) {
        l.remove_suffix(close.size());
        again = true;
        break;
      }
  }
  if (l.empty()) return false;
  if (l.back() == '.' || l.back() == '!' || l.back() == '?') return true;
  for (std::string_view stop : {"\xE3\x80\x82" /* 。 */, "\xEF\xBC\x81" /* ！ */, "\xEF\xBC\x9F" /* ？ */})
    if (l.size() >= stop.size() && l.substr(l.size() - stop.size()) == stop) return true;
  return false;
}
} // namespace

std::string raceNarrationParagraphs(std::string_view text) {
  std::string out;
  std::string_view prev;
  bool first = true;
  while (true) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) out.append(line);
    else if (line.empty() || prev.empty() || endsSentence(prev)) {
      if (!line.empty()) out.append(out.empty() || out.back() == '\n' ? "" : "\n").append(line);
    } else {
      // The same paragraph: a space between English words (and between a Chinese
      // character and a Latin word, as the files write them), nothing between
      // Chinese characters nor next to Chinese punctuation.
      const bool a = asciiByte(prev.back()), b = asciiByte(line.front());
      if ((a && b) || (a != b && !cjkPunct(a ? line : prev, !a))) out.push_back(' ');
      out.append(line);
    }
    prev = line;
    first = false;
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// ---- RaceController ------------------------------------------------------------

bool RaceController::open(const std::string& path) {
  race::ScenarioError err;
  auto s = ConcurrentSession::load(path, err);
  if (!s) {
    error_ = err.format();
    return false;
  }
  s_ = std::move(s);
  path_ = path;
  error_.clear();
  goroutines_ = s_->lanes().size();
  status_ = Said::of(S::RaceOpened, path, goroutines_);
  statusLang_ = language();
  noteGlyphs();
  rec_.clear();
  recTimeline_.clear();
  recOps_.clear();
  recValid_ = false;
  recEpoch_++;
  kept_.clear();
  active = true;
  playing_ = false;
  stack_.invalidate();
  return true;
}

void RaceController::noteGlyphs() const {
  needGlyphs(path_);
  if (!s_) return;
  const auto& sc = s_->scenario();
  for (int l = 0; l < 2; l++) {
    needGlyphs(sc.title[l]);
    needGlyphs(sc.narration[l]);
  }
  // The programs and anything else the file says (comments, string keys).
  std::ifstream f(path_, std::ios::binary);
  if (f) {
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    needGlyphs(text);
  }
}

// ---- RaceController as the workspace's Controller ---------------------------------

int64_t RaceController::position() const {
  if (!s_) return -1;
  return static_cast<int64_t>(s_->events().eventCount()) - 1;
}

void RaceController::seekStep(uint64_t n) {
  if (!s_) return;
  const uint64_t tl = s_->timeline().size();
  if (n <= tl) {
    s_->seek(n);
    return;
  }
  s_->seek(tl);
  while (s_->position() < n && s_->stepScheduled()) {
  }
}

void RaceController::seek(int64_t i) {
  if (!s_) return;
  if (i < 0) {
    s_->seek(0);
    return;
  }
  const auto& ev = s_->events();
  if (static_cast<uint64_t>(i) < ev.eventCount()) {
    // The step that emitted event i: the state right after that step.
    seekStep(uint64_t{ev.entry(static_cast<uint64_t>(i)).step} + 1);
    return;
  }
  if (recValid_ && recTimeline_ == s_->timeline() && static_cast<uint64_t>(i) < rec_.eventCount()) {
    // Further along the recorded timeline.
    seekStep(uint64_t{rec_.entry(static_cast<uint64_t>(i)).step} + 1);
    return;
  }
  // Past the events so far: take steps until event i exists or the run ends.
  while (s_->events().eventCount() <= static_cast<uint64_t>(i)) {
    const uint64_t before = s_->position();
    if (before < s_->timeline().size()) s_->stepForward();
    else if (!s_->stepScheduled()) break;
    if (s_->position() == before) break;
  }
}

void RaceController::stepInto() {
  if (!s_ || s_->atEnd()) return;
  if (s_->position() < s_->timeline().size()) s_->stepForward();
  else s_->stepScheduled();
}

void RaceController::stepBack() {
  if (s_ && s_->position() > 0) s_->seek(s_->position() - 1);
}

// The op (World::history() index) of the statement or method the goroutine that
// took the last step shown is in: read from the trace entries of that step, so
// it works for every structure (a classic or Swiss map's events, a sync.Map's,
// a copy-on-write map's, the m.mu steps inside a sync.Map method). nullopt: the
// last step ran no map operation (a lock statement) or there is no step yet.
std::optional<std::size_t> RaceController::lastStepOp() const {
  if (!s_ || s_->position() == 0) return std::nullopt;
  const uint64_t step = s_->position() - 1;
  const auto& tr = s_->trace();
  for (std::size_t i = tr.size(); i-- > 0 && tr[i].step >= step;)
    if (tr[i].step == step && tr[i].op > 0) return std::size_t{tr[i].op - 1};
  return std::nullopt;
}

void RaceController::stepOver() {
  // To the end of the op the last step's goroutine is in; when that op has
  // finished (or the step ran none), one step and then to the end of its op.
  if (!s_ || s_->atEnd()) return;
  std::optional<std::size_t> op = lastStepOp();
  const auto unfinished = [&](std::optional<std::size_t> k) {
    const auto& h = s_->world().history();
    return k && *k < h.size() && !h[*k].finished;
  };
  if (!unfinished(op)) {
    const uint64_t before = s_->position();
    stepInto();
    if (s_->position() == before) return;
    op = lastStepOp();
  }
  for (int guard = 0; guard < 1000000 && !s_->atEnd() && unfinished(op); guard++) {
    const uint64_t before = s_->position();
    stepInto();
    if (s_->position() == before) break;
  }
}

void RaceController::stepBackOver() {
  // To before the op the last step's goroutine is in (or just finished).
  if (!s_ || s_->position() == 0) return;
  const std::optional<std::size_t> op = lastStepOp();
  const auto& h = s_->world().history();
  const uint64_t start = op && *op < h.size() ? h[*op].startStep : s_->position() - 1;
  s_->seek(start < s_->position() ? start : s_->position() - 1);
}

void RaceController::toStart() {
  if (s_) s_->seek(0);
}

void RaceController::toEnd() {
  // The end of the recorded timeline, then on with the scheduler until the program ends.
  if (!s_) return;
  if (s_->position() < s_->timeline().size()) s_->seek(s_->timeline().size());
  if (!s_->atEnd()) s_->runToEnd();
}

void RaceController::togglePlay() {
  if (!s_) return;
  if (playing_) {
    playing_ = false;
    return;
  }
  if (s_->atEnd()) s_->seek(0);
  playing_ = true;
  playAcc_ = 0;
}

void RaceController::tick(double dt) {
  // The status in the language the UI is drawn in now (open() may run before it is set).
  if (s_ && statusLang_ != language()) {
    status_ = Said::of(S::RaceOpened, path_, goroutines_);
    statusLang_ = language();
  }
  if (!playing_ || !s_) return;
  playAcc_ += dt * std::max(0.1, speed_);
  while (playAcc_ >= 1 && playing_) {
    playAcc_ -= 1;
    const uint64_t before = s_->position();
    stepInto();
    if (s_->position() == before || s_->atEnd()) playing_ = false;
  }
}

std::string_view RaceController::opText(std::size_t k) const {
  if (!s_) return {};
  const auto& h = s_->world().history();
  if (k < h.size()) return s_->program(h[k].g).code[h[k].instr].text;
  if (recValid_ && k < recOps_.size()) return s_->program(recOps_[k].first).code[recOps_[k].second].text;
  return {};
}

std::optional<KeyValue> RaceController::opKey(std::size_t k) const {
  if (!s_) return std::nullopt;
  const auto& h = s_->world().history();
  if (k < h.size()) return s_->program(h[k].g).code[h[k].instr].key;
  if (recValid_ && k < recOps_.size()) return s_->program(recOps_[k].first).code[recOps_[k].second].key;
  return std::nullopt;
}

void RecordedEvents::record(const race::TraceEvents& ev) {
  const uint64_t n = ev.eventCount();
  entries_.resize(n);
  for (uint64_t i = 0; i < n; i++) entries_[i] = ev.entry(i);
  first_.resize(ev.opCount());
  for (std::size_t k = 0; k < first_.size(); k++) first_[k] = ev.firstEventOfOp(k);
}

// Keeps rec_ equal to the events of the whole recorded timeline. At the end of
// the timeline the session's stream is that; behind it (after a seek back, or a
// step that replaced the recorded future) the end is replayed once to record it.
void RaceController::updateRecording() {
  const std::vector<uint8_t>& tl = s_->timeline();
  if (recValid_ && recTimeline_ == tl) return;
  const bool extends = recValid_ && tl.size() >= recTimeline_.size() &&
                       std::equal(recTimeline_.begin(), recTimeline_.end(), tl.begin());
  const uint64_t pos = s_->position();
  if (pos != tl.size()) s_->seek(tl.size());
  rec_.record(s_->events());
  const auto& h = s_->world().history();
  recOps_.resize(h.size());
  for (std::size_t k = 0; k < h.size(); k++) recOps_[k] = {h[k].g, h[k].instr};
  recTimeline_ = tl;
  recValid_ = true;
  if (!extends) recEpoch_++; // not an append: caches keyed on the stream start over
  if (s_->position() != pos) s_->seek(pos);
}

void RaceController::fillFrame(Frame& f) {
  f = Frame{};
  f.ctl = this;
  f.race = true;
  if (!s_) return;
  updateRecording();
  const EventSource& ev = rec_;
  const race::World& w = s_->world();
  if (w.isSyncMap()) {
    // The sync.Map panel: the map at the cursor and the last sync.Map event.
    SyncMapFrame& sm = syncMapFrame_;
    sm.map = &w.syncMap();
    sm.current.reset();
    sm.currentG = 0;
    sm.currentOp.clear();
    sm.muStep.clear();
    sm.muSite.reset();
    const auto& tr = w.trace();
    if (!tr.empty() && tr.back().source == race::TraceEntry::Source::Sync &&
        tr.back().mutex == w.syncMapMutex()) {
      sm.muStep = mutexStepText(w, tr.back()); // "Lock m.mu: parked (...)": the G tag is drawn apart
      const race::GoroutineView v = w.view(tr.back().g); // its lane's sync/map.go line: m.mu.Lock() or Unlock()
      for (const syncmap::SyncSiteInfo& r : syncmap::kSyncSiteTable)
        if (r.line == v.goLine && r.function == v.function && (r.kind == syncmap::SyncKind::Locked || r.kind == syncmap::SyncKind::Unlocked)) {
          sm.muSite = r.site;
          break;
        }
      sm.currentG = tr.back().g;
    }
    for (std::size_t i = tr.size(); i-- > 0;) {
      if (tr[i].source != race::TraceEntry::Source::SyncMap) continue;
      sm.current = tr[i].yev;
      if (sm.muStep.empty()) sm.currentG = tr[i].g;
      const auto& h = w.history();
      if (tr[i].op > 0 && tr[i].op - 1 < h.size())
        sm.currentOp = s_->program(h[tr[i].op - 1].g).code[h[tr[i].op - 1].instr].text;
      break;
    }
    sm.stacks.clear();
    for (int g = 1; g <= w.goroutines(); g++)
      if (const syncmap::Held* held = w.syncStack(g)) {
        const race::GoroutineView v = w.view(g);
        sm.stacks.push_back({g, v.instr ? v.instr->text : std::string(), held});
      }
    f.syncMap = &sm;
    f.events = &ev;
    f.sessionId = (recEpoch_ << 32) ^ (uint64_t{1} << 61);
    return;
  }
  if (w.isSharded()) {
    // The shards panel: each shard's map and lock words, the shard of the cursor's step.
    ShardsFrame& sf = shardsFrame_;
    sf.shards = &w.shards();
    sf.cells.clear();
    sf.lockText.clear();
    for (int k = 0; k < w.shards().size(); k++) {
      sf.cells.push_back(race::liveCells(w.shards().map(k)));
      // Who holds the shard's RWMutex (the Goroutines panel has its words and queues).
      const auto& mu = w.mutex(k);
      std::string t;
      // A writer parked on writerSem holds rw.w but not yet the lock: it waits for the readers.
      if (mu.owner && mu.writerSem.empty()) t = fmt::format(fmt::runtime(tr(S::ShLockWriter)), mu.owner);
      if (!mu.readers.empty()) {
        std::string rs;
        for (uint8_t g : mu.readers) rs += fmt::format("{}G{}", rs.empty() ? "" : " ", g);
        t += (t.empty() ? "" : "; ") + fmt::format(fmt::runtime(tr(S::ShLockReaders)), rs);
      }
      if (!mu.writerSem.empty()) t += (t.empty() ? "" : "; ") + std::string(tr(S::ShLockPending));
      sf.lockText.push_back(t.empty() ? std::string(tr(S::ShLockFree)) : t);
    }
    sf.currentShard = -1;
    sf.currentG = 0;
    sf.step.clear();
    const auto& tr = w.trace();
    if (!tr.empty()) {
      sf.step = stepText(*s_, tr.size() - 1);
      sf.currentG = tr.back().g;
      if (tr.back().source == race::TraceEntry::Source::Engine) sf.currentShard = tr.back().shard;
      else if (tr.back().source == race::TraceEntry::Source::Sync && tr.back().mutex < w.shards().size())
        sf.currentShard = tr.back().mutex;
    }
    // Each shard's map for the classic bucket views: the cursor's event in its
    // shard, and each goroutine in an op marked on the cell it last touched.
    const uint64_t shardsSession = (recEpoch_ << 32) ^ (uint64_t{1} << 59);
    sf.frames.assign(static_cast<std::size_t>(w.shards().size()), Frame{});
    for (int k = 0; k < w.shards().size(); k++) {
      Frame& x = sf.frames[static_cast<std::size_t>(k)];
      x.map = &w.shards().map(k);
      x.events = &ev;
      x.race = true;
      x.sessionId = shardsSession ^ (static_cast<uint64_t>(k + 1) << 40);
    }
    // Each shard's latest event is its "current" one (the cursor's, for the step's
    // shard): its place in the stream, so the caption names its goroutine and op.
    std::vector<char> marked(static_cast<std::size_t>(w.goroutines()) + 1, 0);
    int64_t k = static_cast<int64_t>(s_->events().eventCount()); // stream index of the entries scanned
    for (std::size_t i = tr.size(), seen = 0; i-- > 0 && seen < 100000; seen++) {
      const race::TraceEntry& t = tr[i];
      if (t.source != race::TraceEntry::Source::Engine && t.source != race::TraceEntry::Source::Swiss) continue;
      k--;
      if (t.source != race::TraceEntry::Source::Engine || t.shard < 0 || t.shard >= w.shards().size()) continue;
      Frame& x = sf.frames[static_cast<std::size_t>(t.shard)];
      if (!x.current && k >= 0 && static_cast<uint64_t>(k) < ev.eventCount()) {
        x.position = k;
        x.current = &ev.event(static_cast<uint64_t>(k));
        x.currentOp = ev.opOfEvent(static_cast<uint64_t>(k));
      }
      if (t.g < 1 || marked[t.g]) continue;
      const std::optional<Loc> c = cellOf(t.ev);
      if (!c) continue;
      marked[t.g] = 1;
      GoroutineMark m;
      goroutineBasics(w, t.g, m);
      if (!m.inOp) continue;
      m.hasCell = true;
      m.cell = *c;
      m.cellIsBmap = kindInfo(t.ev.kind).cell == CellRef::Bmap;
      sf.frames[static_cast<std::size_t>(t.shard)].goroutines.push_back(std::move(m));
    }
    // A shard no step has touched yet says so (not "Before the first event" once the run has moved).
    if (s_->position() > 0)
      for (int k2 = 0; k2 < w.shards().size(); k2++)
        if (!sf.frames[static_cast<std::size_t>(k2)].current)
          sf.frames[static_cast<std::size_t>(k2)].quietCaption = fmt::format(fmt::runtime(ui::tr(S::ShNoEventYet)), k2);
    f.shards = &sf;
    f.events = &ev;
    f.sessionId = (recEpoch_ << 32) ^ (uint64_t{1} << 59);
    return;
  }
  if (w.isCow()) {
    // The copy-on-write panel: the published version, what each goroutine holds, the last step.
    CowFrame& cf = cowFrame_;
    cf.map = &w.cowMap();
    cf.goroutines.clear();
    for (int g = 1; g <= w.goroutines(); g++) {
      CowFrame::Held h{g, w.cowRun(g), {}};
      if (h.run) {
        const race::GoroutineView v = w.view(g);
        if (v.instr) h.op = v.instr->text;
      }
      cf.goroutines.push_back(std::move(h));
    }
    cf.current.reset();
    cf.step.clear();
    cf.currentG = 0;
    const auto& tr = w.trace();
    if (!tr.empty()) {
      cf.step = stepText(*s_, tr.size() - 1);
      cf.currentG = tr.back().g;
      if (tr.back().source == race::TraceEntry::Source::Cow) cf.current = tr.back().cev;
    }
    f.cow = &cf;
    f.events = &ev;
    f.sessionId = (recEpoch_ << 32) ^ (uint64_t{1} << 60);
    return;
  }
  if (w.isSwiss()) {
    fillSwissFrame(swissFrame_);
    f.swiss = &swissFrame_;
    f.events = &ev;
    f.position = swissFrame_.position;
    f.currentOp = swissFrame_.currentOp;
    f.sessionId = swissFrame_.sessionId;
    return;
  }
  // A new recording that is not an extension of the last: caches keyed on the stream start over.
  if (recEpoch_ != lastStream_ || ev.eventCount() < lastCount_) {
    cuts_++;
    lastStream_ = recEpoch_;
    stack_.invalidate();
  }
  lastCount_ = ev.eventCount();
  f.map = &w.map();
  f.events = &ev;
  f.position = position();
  f.current = f.position >= 0 ? &ev.event(static_cast<uint64_t>(f.position)) : nullptr;
  if (f.current) f.currentOp = ev.opOfEvent(static_cast<uint64_t>(f.position));
  f.sessionId = (recEpoch_ << 32) ^ cuts_ ^ (uint64_t{1} << 63);
  f.stack = &stack_.at(ev, f.position);
  DerivedSeries::Start start;
  start.count = w.startHeader().count;
  start.B = w.startHeader().B;
  start.noverflow = w.startHeader().noverflow;
  start.arrayBytes = w.startMemory().arrayBytes;
  start.heapBytes = w.startMemory().heapOverflowBytes;
  derived_.update(ev, w.map().bucketSize(), f.sessionId, &start);
  f.derived = &derived_;
  f.hash = hashAt(ev, f.position);
  if (cowInPlace()) { // the Copy-on-write panel beside the classic views
    const auto& tr = w.trace();
    fillInPlaceCowFrame(w, cowFrame_, tr.empty() ? std::string() : stepText(*s_, tr.size() - 1), tr.empty() ? 0 : tr.back().g);
    f.cow = &cowFrame_;
  }

  // Each goroutine: its last event, the last cell it touched, its stack.
  const int n = w.goroutines();
  f.goroutines.resize(static_cast<std::size_t>(n));
  int found = 0;
  std::vector<char> cellFound(static_cast<std::size_t>(n), 0);
  std::vector<int64_t> cellEvent(static_cast<std::size_t>(n), -1);
  for (int g = 1; g <= n; g++) goroutineBasics(w, g, f.goroutines[static_cast<std::size_t>(g - 1)]);
  // Scan back (bounded) for each goroutine's last event and last cell.
  const int64_t limit = std::max<int64_t>(-1, f.position - 200000);
  for (int64_t i = f.position; i > limit && found < 2 * n; i--) {
    const int g = ev.goroutineOfEvent(static_cast<uint64_t>(i));
    if (g < 1 || g > n) continue;
    GoroutineMark& m = f.goroutines[static_cast<std::size_t>(g - 1)];
    const Event& e = ev.event(static_cast<uint64_t>(i));
    if (m.lastEvent < 0) {
      m.lastEvent = i;
      found++;
    }
    if (!cellFound[static_cast<std::size_t>(g - 1)]) {
      if (const std::optional<Loc> c = cellOf(e)) {
        cellFound[static_cast<std::size_t>(g - 1)] = 1;
        cellEvent[static_cast<std::size_t>(g - 1)] = i;
        found++;
        m.hasCell = true;
        m.cell = *c;
        m.cellIsBmap = kindInfo(e.kind).cell == CellRef::Bmap;
      }
    }
  }
  // A cell's Loc says "buckets" or "oldbuckets" as of the moment its bucket was
  // chosen (mapassign's bucket_selected, the iterator's iter_bucket): a grow
  // committed since then by another goroutine (hashGrow, map.go:1059) turns
  // that array into oldbuckets, and the end of the grow frees it. Follow the array to the cursor, so the
  // mark sits on the memory the goroutine really touched (lesson 10: the
  // iterator's skipped cell is old bucket 0 slot 5; lesson 6: G1's late store
  // went into a freed array, which is drawn nowhere, so no mark).
  for (int g = 1; g <= n; g++) {
    GoroutineMark& m = f.goroutines[static_cast<std::size_t>(g - 1)];
    const int64_t j = cellEvent[static_cast<std::size_t>(g - 1)];
    if (!m.hasCell || j < 0) continue;
    const Event& ej = ev.event(static_cast<uint64_t>(j));
    int64_t chosen = j;
    if (siteInfo(ej.site).function != "evacuate") {
      const std::size_t op = ev.opOfEvent(static_cast<uint64_t>(j));
      const int64_t stop = std::max<int64_t>({limit, static_cast<int64_t>(ev.firstEventOfOp(op)) - 1});
      for (int64_t i = j; i > stop; i--) {
        if (ev.goroutineOfEvent(static_cast<uint64_t>(i)) != g || ev.opOfEvent(static_cast<uint64_t>(i)) != op) continue;
        const EventKind k = ev.event(static_cast<uint64_t>(i)).kind;
        if (k == EventKind::BucketSelected || k == EventKind::IterBucket) {
          chosen = i;
          break;
        }
      }
    }
    // An overflow bmap cut off (lesson 9): after this goroutine reached the bmap
    // (its first event in this op on that chain position, its own new bmap
    // included), the last link at that chain position or before it (newoverflow,
    // map.go:270) was made by another goroutine, which read the old overflow
    // pointer as nil and replaced what hung there. Its Loc now names the other
    // goroutine's bmap; its own is reachable from nowhere.
    if (m.cell.chain > 0) {
      const std::size_t op = ev.opOfEvent(static_cast<uint64_t>(j));
      const int64_t stop = std::max<int64_t>({limit, static_cast<int64_t>(ev.firstEventOfOp(op)) - 1});
      int64_t arrive = j;
      for (int64_t i = j; i > stop; i--) {
        if (ev.goroutineOfEvent(static_cast<uint64_t>(i)) != g || ev.opOfEvent(static_cast<uint64_t>(i)) != op) continue;
        const std::optional<Loc> l = cellOf(ev.event(static_cast<uint64_t>(i)));
        if (!l) continue;
        if (l->old != m.cell.old || l->bucket != m.cell.bucket || l->chain != m.cell.chain) break;
        arrive = i;
      }
      auto linkHere = [&](int64_t i) {
        const Event& e = ev.event(static_cast<uint64_t>(i));
        if (e.kind != EventKind::OverflowLinked) return false;
        const std::optional<Loc> l = cellOf(e);
        return l && l->old == m.cell.old && l->bucket == m.cell.bucket && l->chain <= m.cell.chain;
      };
      // Its own new bmap (newoverflow) counts from its own link; before that it
      // hangs nowhere yet, and another goroutine's bmap is what sits at that
      // chain position: no mark there.
      int64_t from = arrive;
      if (ev.event(static_cast<uint64_t>(arrive)).kind == EventKind::OverflowAllocated) {
        int64_t own = -1;
        bool other = false;
        for (int64_t i = arrive + 1; i <= f.position && own < 0; i++) {
          if (!linkHere(i)) continue;
          if (ev.goroutineOfEvent(static_cast<uint64_t>(i)) == g) own = i;
          else other = true;
        }
        if (own < 0) {
          if (other) m.hasCell = false;
          continue;
        }
        from = own;
      }
      int64_t lastLink = -1;
      for (int64_t i = from + 1; i <= f.position; i++)
        if (linkHere(i)) lastLink = i;
      if (lastLink >= 0 && ev.goroutineOfEvent(static_cast<uint64_t>(lastLink)) != g) {
        m.hasCell = false;
        m.lostBy = ev.goroutineOfEvent(static_cast<uint64_t>(lastLink));
        m.lostCell = m.cell;
        m.lostEvent = lastLink;
        if (j == f.position) f.currentMoved = Frame::MovedCell{m.cell.old, true};
        continue;
      }
    }
    const bool wasOld = m.cell.old;
    for (int64_t i = chosen + 1; i <= f.position && m.hasCell; i++) {
      const Event& e = ev.event(static_cast<uint64_t>(i));
      const EventKind k = e.kind;
      if (e.site == Site::HashGrowCommit) { // h.oldbuckets = h.buckets; h.buckets = the new array
        if (m.cell.old) m.hasCell = false;
        else m.cell.old = true;
      } else if (k == EventKind::GrowthFinished || k == EventKind::MapCleared) {
        if (m.cell.old || k == EventKind::MapCleared) m.hasCell = false;
      }
    }
    if (j == f.position && (!m.hasCell || m.cell.old != wasOld))
      f.currentMoved = Frame::MovedCell{m.cell.old, !m.hasCell};
  }
  for (GoroutineMark& m : f.goroutines) {
    if (m.inOp && m.lastEvent >= 0) m.stack = stackAt(ev, m.lastEvent);
  }
  // Who set hashWriting last, and who cleared it last.
  for (int64_t i = f.position; i > limit && !(f.writingSetBy && f.writingClearedBy); i--) {
    const Event& e = ev.event(static_cast<uint64_t>(i));
    if (e.kind != EventKind::FlagsChanged) continue;
    const auto p = payloadOf<EventKind::FlagsChanged>(e);
    const bool before = hashWritingSet(p.from), after = hashWritingSet(p.to);
    const int g = ev.goroutineOfEvent(static_cast<uint64_t>(i));
    if (!before && after && !f.writingSetBy) f.writingSetBy = g;
    if (before && !after && !f.writingClearedBy) f.writingClearedBy = g;
  }
}

uint64_t RaceController::stepDrops(int g) const {
  if (!s_) return 0;
  const uint64_t p = s_->position();
  const auto& tl = s_->timeline();
  return p < tl.size() && tl[p] != g ? tl.size() - p : 0;
}

void RaceController::restoreSchedule() {
  if (!s_ || kept_.empty()) return;
  s_->loadSchedule(kept_);
  s_->seek(keptAt_);
  kept_.clear();
  error_.clear();
}

bool RaceController::stepGoroutine(int g) {
  if (!s_) return false;
  std::string why;
  const bool drops = stepDrops(g) > 0 && s_->canStep(g);
  std::vector<uint8_t> before;
  if (drops && kept_.empty()) before = s_->timeline();
  const uint64_t at = s_->position();
  if (!s_->stepGoroutine(g, &why)) {
    error_ = Said::of(S::RaceStepRefused, g, why); // why: the scheduler's own (English) words
    return false;
  }
  if (!before.empty()) {
    kept_ = std::move(before);
    keptAt_ = at;
  }
  error_.clear();
  return true;
}

bool RaceController::stepScheduled() { return s_ && s_->stepScheduled(); }
void RaceController::restart() {
  if (s_) s_->restart();
}
void RaceController::runToEnd() {
  if (s_) s_->runToEnd();
}
bool RaceController::saveSession(const std::string& path) {
  if (!s_) return false;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  const std::string text = s_->scenarioText();
  if (!(f << text) || !f.flush()) {
    error_ = Said::of(S::RaceCannotWrite, path, std::strerror(errno));
    needGlyphs(error_.text());
    return false;
  }
  savedTo_ = path;
  return true;
}

std::string RaceController::defaultSavePath() const {
  std::string stem = path_;
  if (auto slash = stem.find_last_of('/'); slash != std::string::npos) stem = stem.substr(slash + 1);
  if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, ".race") == 0) stem.resize(stem.size() - 5);
  return stem + "-session.race";
}

void RaceController::advance(uint64_t n) {
  for (uint64_t i = 0; s_ && i < n; i++)
    if (!s_->stepScheduled()) break;
}

// ---- GoroutinesView -----------------------------------------------------------

namespace {
ImU32 laneColour(int g) { return goroutineColour(g); }

S stateName(GoroutineView::State s) {
  switch (s) {
  case GoroutineView::State::Ready: return S::RaceReady;
  case GoroutineView::State::InOp: return S::RaceInOp;
  case GoroutineView::State::Blocked: return S::RaceBlocked;
  case GoroutineView::State::Done: return S::RaceDone;
  case GoroutineView::State::Died: return S::RaceDied;
  }
  return S::RaceReady;
}

// The flags byte, bit by bit (bit 7 first); hashWriting (bit 2) lit when set.
void flagsByte(uint8_t flags) {
  static const char* kNames[8] = {"iterator", "oldIterator", "hashWriting", "sameSizeGrow", "", "", "", ""};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float box = ImGui::GetFontSize() * 1.4f;
  ImGui::Text("h.flags = 0x%02x", flags);
  ImVec2 p = ImGui::GetCursorScreenPos();
  for (int i = 7; i >= 0; i--) {
    const bool on = (flags >> i) & 1;
    const ImVec2 a(p.x + static_cast<float>(7 - i) * (box + 3), p.y);
    const ImVec2 b(a.x + box, a.y + box);
    ImU32 fill = on ? (i == 2 ? IM_COL32(230, 60, 60, 255) : IM_COL32(90, 160, 255, 255)) : IM_COL32(50, 50, 58, 255);
    dl->AddRectFilled(a, b, fill, 3);
    dl->AddRect(a, b, IM_COL32(140, 140, 150, 255), 3);
    char d[2] = {on ? '1' : '0', 0};
    const ImVec2 ts = ImGui::CalcTextSize(d);
    dl->AddText(ImVec2(a.x + (box - ts.x) / 2, a.y + (box - ts.y) / 2), IM_COL32(255, 255, 255, 255), d);
    if (ImGui::IsMouseHoveringRect(a, b) && kNames[i][0]) ImGui::SetTooltip("%s", fmt::format(fmt::runtime(tr(S::RaceFlagBit)), i, 1 << i, kNames[i]).c_str());
  }
  ImGui::Dummy(ImVec2(8 * (box + 3), box));
  ImGui::SameLine();
  // Wrapped beside the bits: the sentence is longer than the left column.
  const bool writing = hashWritingSet(flags);
  ImGui::PushStyleColor(ImGuiCol_Text, writing ? IM_COL32(240, 80, 80, 255) : ImGui::GetColorU32(ImGuiCol_TextDisabled));
  textWrapped(tr(writing ? S::RaceWriting : S::RaceNotWriting));
  ImGui::PopStyleColor();
}

// Wrapped text in a colour (the left column is narrow at projector sizes).
void wrappedColoured(ImU32 colour, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  textWrapped(text);
  ImGui::PopStyleColor();
}

// A queue of goroutines, head first, in their colours.
void goroutineQueue(const char* label, const std::vector<uint8_t>& q, std::vector<std::string>& lines) {
  std::string line = std::string(label) + ":";
  for (uint8_t g : q) line += fmt::format(" G{}", g);
  lines.push_back(line);
  ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::MuQueue)), label).c_str());
  if (q.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(S::MuQueueEmpty));
    return;
  }
  for (uint8_t g : q) {
    ImGui::SameLine();
    colouredText(laneColour(g), fmt::format("G{}", g).c_str());
  }
}

// One mutex: the state word bit by bit (waiter count, starving, woken,
// locked), who holds it and the wait queue; for an RWMutex also readerCount,
// readerWait, the readers and readerSem / writerSem.
void mutexPanel(const race::MutexDecl& d, const race::MutexState& m, std::vector<std::string>& lines) {
  ImGui::PushID(d.name.c_str());
  ImGui::Text("%s  sync.%s", d.name.c_str(), d.rw ? "RWMutex" : "Mutex");
  ImGui::SameLine();
  if (m.owner)
    colouredText(laneColour(m.owner),
                 (std::string(d.rw ? "w: " : "") + fmt::format(fmt::runtime(tr(S::MuHeldBy)), m.owner)).c_str());
  else if (m.readers.empty()) ImGui::TextDisabled("%s", tr(S::MuFree));
  ImGui::Indent();
  const char* word = d.rw ? "rw.w.state" : "state";
  // The English words are `gomaplab race`'s ("1 waiter"), the Chinese the Mutex steps' own.
  lines.push_back(fmt::format("{} = {}", word, language() == Lang::Zh ? mutexStateUi(m.state) : race::mutexStateText(m.state)));
  textWrapped(lines.back());
  // The low three bits as boxes, then the waiter count (bits 3..).
  static const char* kBits[3] = {"mutexLocked", "mutexWoken", "mutexStarving"};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float box = ImGui::GetFontSize() * 1.4f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const std::string waiters = fmt::format(fmt::runtime(tr(S::MuWaiterCount)), m.waiters());
  const float ww = ImGui::CalcTextSize(waiters.c_str()).x + 12;
  const ImVec2 wa(p.x, p.y), wb(p.x + ww, p.y + box);
  dl->AddRectFilled(wa, wb, m.waiters() ? IM_COL32(200, 140, 40, 255) : IM_COL32(50, 50, 58, 255), 3);
  dl->AddRect(wa, wb, IM_COL32(140, 140, 150, 255), 3);
  dl->AddText(ImVec2(wa.x + 6, wa.y + (box - ImGui::GetFontSize()) / 2), IM_COL32(255, 255, 255, 255), waiters.c_str());
  for (int i = 2; i >= 0; i--) {
    const bool on = (m.state >> i) & 1;
    const ImVec2 a(wb.x + 3 + static_cast<float>(2 - i) * (box + 3), p.y);
    const ImVec2 b(a.x + box, a.y + box);
    const ImU32 fill = !on ? IM_COL32(50, 50, 58, 255) : i == 0 ? IM_COL32(230, 60, 60, 255) : IM_COL32(90, 160, 255, 255);
    dl->AddRectFilled(a, b, fill, 3);
    dl->AddRect(a, b, IM_COL32(140, 140, 150, 255), 3);
    const char txt[2] = {on ? '1' : '0', 0};
    const ImVec2 ts = ImGui::CalcTextSize(txt);
    dl->AddText(ImVec2(a.x + (box - ts.x) / 2, a.y + (box - ts.y) / 2), IM_COL32(255, 255, 255, 255), txt);
    if (ImGui::IsMouseHoveringRect(a, b)) ImGui::SetTooltip("%s", fmt::format(fmt::runtime(tr(S::MuBitTip)), i, kBits[i]).c_str());
  }
  ImGui::Dummy(ImVec2(ww + 3 * (box + 3), box));
  goroutineQueue(d.rw ? "rw.w.sema" : "sema", m.sema, lines);
  if (d.rw) {
    const std::string counted = fmt::format(fmt::runtime(tr(S::MuActiveReaders)), m.readerTotal());
    if (m.writerPending())
      ImGui::TextWrapped("readerCount = %d = %d - rwmutexMaxReaders  (%s)", m.readerCount, m.readerTotal(), counted.c_str());
    else
      ImGui::TextWrapped("readerCount = %d  (%s)", m.readerCount, counted.c_str());
    ImGui::Text("readerWait = %d", m.readerWait);
    if (m.writerPending()) wrappedColoured(IM_COL32(240, 150, 60, 255), tr(S::MuWriterPending));
    ImGui::TextUnformatted(tr(S::MuReadersHold));
    if (m.readers.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("-");
    }
    for (uint8_t g : m.readers) {
      ImGui::SameLine();
      colouredText(laneColour(g), fmt::format("G{}", g).c_str());
    }
    lines.push_back(fmt::format("readerCount = {}", m.readerCount));
    lines.push_back(fmt::format("readerWait = {}", m.readerWait));
    goroutineQueue("readerSem", m.readerSem, lines);
    goroutineQueue("writerSem", m.writerSem, lines);
  }
  ImGui::Unindent();
  ImGui::PopID();
}

const char* queueName(race::SyncQueue q, bool rw) {
  switch (q) {
  case race::SyncQueue::Sema: return rw ? "w.sema" : "sema";
  case race::SyncQueue::ReaderSem: return "readerSem";
  case race::SyncQueue::WriterSem: return "writerSem";
  default: return "";
  }
}

// The schedule so far: one coloured cell per step, labelled with the goroutine;
// clicking a step goes to the state right after it.
void scheduleStrip(const ConcurrentSession& s, RaceController& rc, std::vector<std::pair<uint64_t, ImVec4>>& rects) {
  const auto& tl = s.timeline();
  const uint64_t pos = s.position();
  ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::LabelValue)), tr(S::RaceSchedule), fmt::format("{} / {}", pos, tl.size())).c_str());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cw = ImGui::GetFontSize() * 2.0f, chh = ImGui::GetFontSize() * 1.5f;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float avail = std::max(cw, ImGui::GetContentRegionAvail().x);
  const std::size_t perRow = std::max<std::size_t>(1, static_cast<std::size_t>(avail / (cw + 2)));
  const std::size_t n = std::max<std::size_t>(tl.size(), 1);
  const std::size_t rows = (n + perRow - 1) / perRow;
  for (std::size_t i = 0; i < tl.size(); i++) {
    const ImVec2 a(p.x + static_cast<float>(i % perRow) * (cw + 2), p.y + static_cast<float>(i / perRow) * (chh + 2));
    const ImVec2 b(a.x + cw, a.y + chh);
    const bool done = i < pos;
    ImU32 c = laneColour(tl[i]);
    if (!done) c = (c & 0x00ffffff) | 0x50000000;
    dl->AddRectFilled(a, b, c, 2);
    if (i + 1 == pos) dl->AddRect(a, b, IM_COL32(255, 255, 255, 255), 2, 0, 2);
    const std::string lbl = fmt::format("G{}", tl[i]);
    const ImVec2 ts = ImGui::CalcTextSize(lbl.c_str());
    dl->AddText(ImVec2(a.x + (cw - ts.x) / 2, a.y + (chh - ts.y) / 2), IM_COL32(0, 0, 0, 255), lbl.c_str());
    rects.emplace_back(i + 1, ImVec4(a.x, a.y, b.x, b.y));
    if (ImGui::IsMouseHoveringRect(a, b)) ImGui::SetTooltip(tr(S::RaceStepTip), static_cast<int>(i + 1), tl[i]);
  }
  // One invisible button over the strip: a click seeks to the step under the mouse.
  ImGui::InvisibleButton("strip", ImVec2(avail, std::max(1.0f, static_cast<float>(rows) * (chh + 2))));
  if (ImGui::IsItemClicked()) {
    const ImVec2 mp = ImGui::GetIO().MousePos;
    for (const auto& [step, r] : rects)
      if (mp.x >= r.x && mp.x < r.z + 2 && mp.y >= r.y && mp.y < r.w + 2) {
        rc.pause();
        rc.seekStep(step);
        break;
      }
  }
}
} // namespace

// "This drops the N later steps of the schedule. Continue / Cancel": a modal
// opened when a lane's step would replace the recorded future (askFor: that
// lane, this frame); the step is taken only on Continue.
void GoroutinesView::dropQuestion(RaceController& rc, int askFor) {
  static constexpr const char* kId = "###racedropschedule";
  if (askFor) {
    dropG_ = askFor;
    ImGui::OpenPopup(kId);
  }
  const std::string title = fmt::format("{}{}", tr(S::RaceDropTitle), kId);
  // In the middle of the screen, wide enough for its title and a few lines of text.
  const float fs = ImGui::GetFontSize();
  const float w = std::max(fs * 22, ImGui::CalcTextSize(tr(S::RaceDropTitle)).x + fs * 3);
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSizeConstraints(ImVec2(w, 0), ImVec2(w, FLT_MAX));
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  dropAsked = true;
  const uint64_t n = rc.stepDrops(dropG_);
  dropText = n == 1 ? fmt::format(fmt::runtime(tr(S::RaceDropText1)), dropG_)
                    : fmt::format(fmt::runtime(tr(S::RaceDropText)), dropG_, n);
  textWrapped(dropText);
  auto rect = [] { return ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y); };
  if (ImGui::Button(tr(S::RaceDropContinue))) {
    rc.stepGoroutine(dropG_);
    dropG_ = 0;
    ImGui::CloseCurrentPopup();
  }
  dropContinue = rect();
  ImGui::SameLine();
  if (ImGui::Button(tr(S::Cancel)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    dropG_ = 0;
    ImGui::CloseCurrentPopup();
  }
  dropCancel = rect();
  ImGui::EndPopup();
}

void GoroutinesView::draw(UiContext& ui, const Frame& f, RaceController& rc) {
  (void)f;
  lanesDrawn = 0;
  fatalShown = false;
  outcomeHeading.clear();
  outcomeExpect.clear();
  shownNarration.clear();
  shownTitle.clear();
  shownFileName.clear();
  titleY = fileNameY = -1;
  dropAsked = false;
  backToSchedule = ImVec4(0, 0, 0, 0);
  laneHeaders.clear();
  laneLabels.clear();
  laneButtons.clear();
  stepRects.clear();
  lastPos = ImGui::GetWindowPos();
  lastSize = ImGui::GetWindowSize();
  // Errors are in the workspace's status bar (they moved these controls down).
  if (!rc.loaded()) {
    ImGui::TextUnformatted(tr(S::RaceNone));
    return;
  }
  ConcurrentSession& s = rc.session();
  const auto& sc = s.scenario();
  const int li = ui.prefs.language == "zh" && !sc.title[1].empty() ? 1 : 0;
  // The title first (wrapped), then the file's short name; the whole path (an
  // absolute one when opened from File > Lessons) in its tooltip.
  const std::string& path = rc.path();
  const std::string shortName = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  shownTitle = sc.title[li];
  if (!shownTitle.empty()) {
    titleY = ImGui::GetCursorScreenPos().y;
    textWrapped(shownTitle);
  }
  fileNameY = ImGui::GetCursorScreenPos().y;
  shownFileName = shortName;
  ImGui::TextDisabled("%s", shortName.c_str());
  if (ImGui::IsItemHovered() && shortName != path) ImGui::SetTooltip("%s", path.c_str());
  // The Lesson section is open at first: in class the narration is what is read.
  if (!sc.narration[li].empty() && ImGui::CollapsingHeader(fmt::format("{}###racenarration", tr(S::RaceNarration)).c_str(),
                                                           ImGuiTreeNodeFlags_DefaultOpen)) {
    shownNarration = raceNarrationParagraphs(sc.narration[li]);
    // Each paragraph broken at spaces (and between Chinese characters) only:
    // ImGui's own wrap breaks after '.', leaving the closing quote of
    // 'is enough."' alone on a line.
    for (std::string_view rest = shownNarration;;) {
      const std::size_t nl = rest.find('\n');
      textWrappedCjk(rest.substr(0, nl));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }

  // Toolbar.
  ImGui::BeginDisabled(s.position() == 0);
  // The toolbar wraps instead of running out of the panel (a narrow left column,
  // a large font, Chinese labels): "Save session" was cut off at 1600x900.
  auto nextButton = [](S label) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float w = ImGui::CalcTextSize(tr(label)).x + st.FramePadding.x * 2;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + w <= right) ImGui::SameLine();
  };
  if (ImGui::Button(tr(S::RaceRestart))) rc.restart();
  nextButton(S::RaceStepBack);
  if (ImGui::Button(tr(S::RaceStepBack))) rc.stepBack();
  ImGui::EndDisabled();
  nextButton(S::RaceStepSched);
  ImGui::BeginDisabled(s.atEnd());
  if (ImGui::Button(tr(S::RaceStepSched))) rc.stepScheduled();
  nextButton(S::RaceRunToEnd);
  if (ImGui::Button(tr(S::RaceRunToEnd))) rc.runToEnd();
  ImGui::EndDisabled();
  nextButton(S::RaceStepForward);
  ImGui::BeginDisabled(s.position() >= s.timeline().size());
  if (ImGui::Button(tr(S::RaceStepForward))) s.stepForward();
  ImGui::EndDisabled();
  nextButton(S::RaceSaveSession);
  if (ImGui::Button(tr(S::RaceSaveSession))) rc.saveSession(rc.defaultSavePath());
  if (!rc.savedTo().empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled(tr(S::RaceSaved), rc.savedTo().c_str());
  }

  ImGui::Separator();
  if (s.world().isSyncMap() || s.world().isCow() || s.world().isSharded()) {
    // No map flags: m.mu / c.mu (gosync's Mutex) is in the mutex section below.
  } else if (s.world().isSwiss()) {
    // The Swiss map's one check: m.writing, flipped by each writer (XOR).
    const swiss::Header& h = s.world().swissMap().header();
    const std::string wline = fmt::format(fmt::runtime(tr(S::SwRaceWriting)), int{h.writing});
    wrappedColoured(h.writing ? IM_COL32(240, 80, 80, 255) : ImGui::GetColorU32(ImGuiCol_TextDisabled), wline);
    textWrapped(fmt::format(fmt::runtime(tr(S::SwRaceHeader)), h.used, h.dirLen, int{h.globalDepth}, h.seed));
  } else {
    flagsByte(s.flags());
    const Hmap& h = s.world().map().header();
    ImGui::TextWrapped("count = %lld   B = %u   noverflow = %u   hash0 = 0x%08x   oldbuckets %s",
                       static_cast<long long>(h.count), h.B, h.noverflow, h.hash0,
                       h.oldbuckets == nilBucket ? "= nil" : "!= nil");
  }
  mutexesDrawn = 0;
  mutexLines.clear();
  // A sync.Map's m.mu (a copy-on-write map's c.mu) is one more mutex, after the scenario's.
  const bool smap = s.world().isSyncMap() || (s.world().isCow() && race::cow::usesMutex(s.world().cowMap().variant()));
  if ((!sc.mutexes.empty() || smap) &&
      ImGui::CollapsingHeader(fmt::format("{}###racemutexes", tr(S::MuTitle)).c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    textWrapped(tr(S::MuNotModelled));
    ImGui::PopStyleColor();
    for (std::size_t i = 0; i < sc.mutexes.size(); i++) {
      mutexPanel(sc.mutexes[i], s.world().mutex(static_cast<int>(i)), mutexLines);
      mutexesDrawn++;
    }
    if (smap) {
      const race::MutexDecl mu{s.world().isCow() ? std::string("c.mu") : std::string(tr(S::SmMu)), false};
      mutexPanel(mu, s.world().mutex(s.world().syncMapMutex()), mutexLines);
      mutexesDrawn++;
    }
  }
  ImGui::Separator();
  scheduleStrip(s, rc, stepRects);
  ImGui::Separator();

  // Lanes.
  int askFor = 0; // a lane whose step would drop recorded steps
  const auto lanes = s.lanes();
  const int n = static_cast<int>(lanes.size());
  if (n > 0 && ImGui::BeginTable("lanes", n, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    for (const GoroutineView& l : lanes) {
      ImGui::TableNextColumn();
      ImGui::PushID(l.g);
      lanesDrawn++;
      ImGui::PushStyleColor(ImGuiCol_Text, laneColour(l.g));
      ImGui::Text("G%d", l.g);
      ImGui::PopStyleColor();
      // "[done]" and "10 steps" each kept whole: the second goes to the next line
      // when the column is narrow (it wrapped as "steps / 4").
      ImGui::SameLine();
      ImGui::TextWrapped("[%s]", tr(stateName(l.state))); // "[in a map operation]" wraps in a narrow lane
      const std::string count = fmt::format(fmt::runtime(tr(l.steps == 1 ? S::RaceStepCountOne : S::RaceStepCount)), l.steps);
      const float right = ImGui::GetContentRegionMax().x + ImGui::GetWindowPos().x;
      if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x * 2 + ImGui::CalcTextSize(count.c_str()).x <= right)
        ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 2);
      ImGui::TextDisabled("%s", count.c_str());
      laneHeaders.push_back(fmt::format("G{} [{}] {}", l.g, tr(stateName(l.state)), count));
      ImGui::BeginDisabled(!s.canStep(l.g) || s.atEnd());
      // The full label when it fits the column, else "Step" with the full one in a tooltip.
      const char* full = tr(S::RaceStepLane);
      const bool fits = ImGui::CalcTextSize(full).x + ImGui::GetStyle().FramePadding.x * 2 <= ImGui::GetContentRegionAvail().x;
      const std::string label = fmt::format("{}###steplane", fits ? full : tr(S::RaceStepLaneShort));
      laneLabels.push_back(fits ? full : tr(S::RaceStepLaneShort));
      const bool pressed = ImGui::Button(label.c_str(), ImVec2(-1, 0));
      if (!fits && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", full);
      if (pressed) {
        // A step off the recorded timeline drops its later steps: ask first.
        if (rc.stepDrops(l.g) > 0) askFor = l.g;
        else rc.stepGoroutine(l.g);
      }
      laneButtons.emplace_back(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x,
                               ImGui::GetItemRectMax().y);
      ImGui::EndDisabled();
      // The program, the current instruction marked.
      const auto& prog = s.program(l.g);
      for (std::size_t i = 0; i < prog.code.size(); i++) {
        const bool cur = i == l.pc && l.state != GoroutineView::State::Done;
        const std::string line = fmt::format("{} {:>3}  {}", cur ? ">" : " ", prog.code[i].line, prog.code[i].text);
        if (cur) colouredText(laneColour(l.g), line.c_str());
        else if (i < l.pc) ImGui::TextDisabled("%s", line.c_str());
        else ImGui::TextUnformatted(line.c_str());
      }
      ImGui::Spacing();
      if (l.instr) textWrapped(fmt::format(fmt::runtime(tr(S::LabelValue)), tr(S::RaceCurrentOp), l.instr->text));
      if (l.hasEvent) {
        // runtime.mapassign (map.go) or maps.runtime_mapassign_fast64 (internal/runtime/maps/...).
        // A copy-on-write step names its function whole (main.copyWith, sync/atomic.(*Value).Load).
        const std::string_view pkg = s.world().isSwiss()     ? "maps."
                                     : s.world().isSyncMap() ? "sync.(*Map)."
                                     : s.world().isCow()     ? ""
                                                             : "runtime.";
        textWrapped(fmt::format(fmt::runtime(tr(S::LabelValue)), tr(S::Function), fmt::format("{}{}", pkg, l.function)));
        // sync/map.go and sync/atomic/value.go whole (a bare map.go reads as the runtime's).
        const bool whole = s.world().isSyncMap() || s.world().isCow();
        const std::string_view file = whole ? l.file : l.file.substr(l.file.rfind('/') + 1);
        ImGui::Text("%.*s:%d", static_cast<int>(file.size()), file.data(), l.goLine);
        // The site's sentence in the UI's language (the engine's words are English).
        std::string_view what = l.what;
        if (s.world().isSyncMap() && what == syncmap::siteInfo(l.syncMapEvent.site).what)
          what = syncSiteWhat(l.syncMapEvent.site);
        else if (!s.world().isSyncMap())
          what = siteNote(what);
        if (!what.empty()) ImGui::TextWrapped("%.*s", static_cast<int>(what.size()), what.data());
      } else if (l.state != GoroutineView::State::Done) {
        ImGui::TextDisabled("%s", tr(S::RaceNotInOp));
      }
      if (l.waitingMutex >= 0) {
        // The scenario's mutexes, or a sync.Map's m.mu (after them).
        const std::string_view name = s.world().mutexName(l.waitingMutex);
        wrappedColoured(IM_COL32(240, 150, 60, 255),
                        fmt::format(fmt::runtime(tr(S::MuParkedIn)), name,
                                    queueName(l.sync.queue, s.world().mutexIsRw(l.waitingMutex))));
      }
      if (l.holdsLoadedFlags) ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::RaceLoadedFlags)), l.loadedFlags).c_str());
      ImGui::PopID();
    }
    ImGui::EndTable();
  }

  dropQuestion(rc, askFor);
  if (!rc.keptSchedule().empty()) {
    // The schedule a step replaced (a lesson's narrated run) stays one click away.
    const std::string back = fmt::format(fmt::runtime(tr(S::RaceBackToSchedule)), rc.keptSchedule().size());
    if (ImGui::Button(back.c_str())) rc.restoreSchedule();
    backToSchedule = ImVec4(ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x,
                            ImGui::GetItemRectMax().y);
  }

  // Outcome.
  ImGui::Separator();
  const Ending& e = s.ending();
  ImGui::TextUnformatted(tr(S::RaceOutcome));
  if (e.kind == Ending::Kind::Running) {
    ImGui::TextDisabled("%s", tr(S::RaceRunning));
    return;
  }
  // The heading of what happened and the lesson's `expect` line, decided as
  // `gomaplab race` decides them (concurrency/report.hpp).
  const race::ConsistencyReport* rep = s.consistency();
  switch (s.verdict()) {
  case race::Verdict::Died:
    outcomeHeading = fmt::format(fmt::runtime(tr(S::RaceVerdictDied)), e.g, e.message);
    break;
  case race::Verdict::Deadlock: outcomeHeading = tr(S::RaceVerdictDeadlock); break;
  case race::Verdict::Corrupt:
    outcomeHeading = fmt::format(fmt::runtime(tr(S::RaceVerdictCorrupt)), rep ? rep->kindsText() : std::string());
    break;
  case race::Verdict::Clean: outcomeHeading = tr(S::RaceVerdictClean); break;
  case race::Verdict::StepLimit: outcomeHeading = tr(S::RaceVerdictStepLimit); break;
  case race::Verdict::Unfinished:
  case race::Verdict::Running: outcomeHeading = tr(S::RaceVerdictUnfinished); break;
  }
  const bool good = s.verdict() == race::Verdict::Clean;
  wrappedColoured(good ? IM_COL32(120, 210, 120, 255) : IM_COL32(250, 110, 110, 255), outcomeHeading);
  if (const auto c = s.expectation()) {
    outcomeExpect = c->met ? fmt::format(fmt::runtime(tr(S::RaceExpectMet)), c->expected)
                           : fmt::format(fmt::runtime(tr(S::RaceExpectNotMet)), c->expected, c->got);
    wrappedColoured(c->met ? IM_COL32(120, 210, 120, 255) : IM_COL32(240, 150, 60, 255), outcomeExpect);
  }
  const std::string death = race::goDeathOutput(s.world(), reportWords()); // s.deathOutput() in the UI's words
  if (!death.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(250, 110, 110, 255));
    ImGui::PushFont(ui.fonts.mono ? ui.fonts.mono : nullptr);
    if (language() != Lang::Zh) {
      ImGui::TextUnformatted(death.c_str());
    } else {
      // Go's lines in the mono font, the notes after them (" // ...", in
      // Chinese) in the UI font: the UI's own Chinese stays out of the mono font.
      for (std::size_t b = 0; b < death.size();) {
        const std::size_t e = std::min(death.find('\n', b), death.size());
        const std::string_view line(death.data() + b, e - b);
        const std::size_t note = line.find("  // ");
        ImGui::TextUnformatted(line.data(), line.data() + std::min(note, line.size()));
        if (note != std::string_view::npos) {
          ImGui::SameLine(0, 0);
          ImGui::PushFont(ui.fonts.ui);
          ImGui::TextUnformatted(line.data() + note, line.data() + line.size());
          ImGui::PopFont();
        }
        b = e + 1;
      }
    }
    fatalShown = true;
    ImGui::PopFont();
    ImGui::PopStyleColor();
    return;
  }
  if (rep) {
    // The report's sentences in the UI's language (the kinds are `expect corrupt` words).
    const race::ConsistencyWords& words = consistencyWords();
    for (const auto& f : rep->findings) textWrapped(fmt::format("{}: {}", f.kind, f.in(words)));
    // The notes wrap (a long one, "a sequential order ... gives", ran off the panel).
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    for (const auto& note : rep->notes) textWrapped(note.in(words));
    ImGui::PopStyleColor();
  } else {
    textWrapped(s.outcome());
  }
}

} // namespace gomap::ui
