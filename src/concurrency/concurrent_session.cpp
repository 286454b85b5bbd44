#include "concurrency/concurrent_session.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "concurrency/report.hpp"
#include "trace/event_json.hpp"

namespace gomap::race {

namespace {
constexpr uint64_t kCheckpointSpacing = 256; // steps between automatic checkpoints (when quiescent)
}

ConcurrentSession::ConcurrentSession(Scenario sc, WorldOptions opts) : sc_(std::move(sc)), opts_(opts) {
  opts_.record = true;
  rebuild();
}

std::unique_ptr<ConcurrentSession> ConcurrentSession::load(const std::string& path, ScenarioError& err) {
  auto sc = loadScenario(path, err);
  if (!sc) return nullptr;
  return std::make_unique<ConcurrentSession>(std::move(*sc));
}

std::unique_ptr<ConcurrentSession> ConcurrentSession::fromText(std::string_view text, const std::string& name,
                                                               ScenarioError& err) {
  auto sc = parseScenario(text, name, err);
  if (!sc) return nullptr;
  return std::make_unique<ConcurrentSession>(std::move(*sc));
}

void TraceEvents::sync(const World& w, uint64_t gen) {
  const auto& tr = w.trace();
  if (gen != gen_ || trace_ != &tr) {
    gen_ = gen;
    trace_ = &tr;
    scanned_ = 0;
    idx_.clear();
    first_.clear();
  }
  if (tr.size() < scanned_) {
    // The run went back: forget what is past the cut (ops' first events too).
    while (!idx_.empty() && idx_.back() >= tr.size()) idx_.pop_back();
    while (!first_.empty() && first_.back() >= idx_.size()) first_.pop_back();
    scanned_ = tr.size();
  }
  for (; scanned_ < tr.size(); scanned_++) {
    const TraceEntry& t = tr[scanned_];
    // The map's events (the classic map's or the Swiss map's: a world has one map).
    if (t.source != TraceEntry::Source::Engine && t.source != TraceEntry::Source::Swiss) continue;
    if (t.op > 0) {
      const std::size_t k = t.op - 1;
      if (first_.size() <= k) first_.resize(k + 1, idx_.size());
    }
    idx_.push_back(static_cast<uint32_t>(scanned_));
  }
}

int64_t TraceEvents::eventAtOrBefore(std::size_t t) const {
  auto it = std::upper_bound(idx_.begin(), idx_.end(), static_cast<uint32_t>(t));
  return static_cast<int64_t>(it - idx_.begin()) - 1;
}

void ConcurrentSession::rebuild() {
  gen_++;
  w_ = std::make_unique<World>(sc_, opts_);
  sched_ = std::make_unique<Scheduler>(sc_.schedule);
  timeline_.clear();
  cks_.clear();
  cks_[0] = w_->checkpoint();
  rep_.reset();
  schedAt_ = 0;
}

void ConcurrentSession::maybeCheckpoint() {
  uint64_t s = w_->steps();
  if (w_->ended() || !w_->quiescent()) return;
  auto it = cks_.upper_bound(s);
  if (it != cks_.begin() && s - std::prev(it)->first < kCheckpointSpacing) return;
  cks_[s] = w_->checkpoint();
}

bool ConcurrentSession::doStep(int g) {
  w_->step(g);
  maybeCheckpoint();
  return true;
}

bool ConcurrentSession::stepGoroutine(int g, std::string* why) {
  if (!w_->runnable(g)) {
    if (why) {
      if (w_->ended()) *why = "the program has ended";
      else if (g < 1 || g > w_->goroutines()) *why = fmt::format("there is no G{}", g);
      else {
        GoroutineView v = w_->view(g);
        *why = v.state == GoroutineView::State::Blocked
                   ? fmt::format("G{} is blocked on {}", g, sc_.mutexes[v.waitingMutex].name)
                   : fmt::format("G{} has finished", g);
      }
    }
    return false;
  }
  uint64_t p = position();
  if (p < timeline_.size() && timeline_[p] == g) return stepForward();
  truncate();
  timeline_.push_back(static_cast<uint8_t>(g));
  return doStep(g);
}

bool ConcurrentSession::stepScheduled() {
  if (w_->ended()) return false;
  if (schedAt_ != position()) syncScheduler(); // after seeks or manual steps
  int g = sched_->next(*w_);
  if (g <= 0) return false;
  bool ok = stepGoroutine(g);
  schedAt_ = position();
  return ok;
}

uint64_t ConcurrentSession::runToEnd(uint64_t maxSteps) {
  uint64_t n = 0;
  while (n < maxSteps && stepScheduled()) n++;
  return n;
}

void ConcurrentSession::syncScheduler() { sched_->resync(std::vector<uint8_t>(timeline_.begin(), timeline_.begin() + static_cast<std::ptrdiff_t>(position()))); }

bool ConcurrentSession::stepForward() {
  uint64_t p = position();
  if (p >= timeline_.size() || w_->ended()) return false;
  return doStep(timeline_[p]);
}

bool ConcurrentSession::stepBack() {
  if (position() == 0) return false;
  seek(position() - 1);
  return true;
}

void ConcurrentSession::replayTo(uint64_t target) {
  while (position() < target && !w_->ended()) doStep(timeline_[position()]);
}

void ConcurrentSession::seek(uint64_t step) {
  if (step > timeline_.size()) step = timeline_.size();
  if (step == position()) return;
  if (step < position() || w_->ended()) {
    auto it = cks_.upper_bound(step);
    --it; // cks_[0] always exists
    w_->restore(*it->second);
  }
  replayTo(step);
}

void ConcurrentSession::truncate() {
  uint64_t p = position();
  if (p < timeline_.size()) timeline_.resize(p);
  cks_.erase(cks_.upper_bound(p), cks_.end());
}

void ConcurrentSession::setGranularity(Granularity g) {
  sc_.granularity = g;
  rebuild();
}

void ConcurrentSession::setSchedule(const ScheduleSpec& s) {
  sc_.schedule = s;
  rebuild();
}

void ConcurrentSession::loadSchedule(const std::vector<uint8_t>& steps) {
  seek(0);
  timeline_.clear();
  for (uint8_t g : steps) {
    if (!w_->runnable(g)) break;
    timeline_.push_back(g);
    doStep(g);
  }
}

std::vector<GoroutineView> ConcurrentSession::lanes() const {
  std::vector<GoroutineView> v;
  for (int g = 1; g <= w_->goroutines(); g++) v.push_back(w_->view(g));
  return v;
}

std::string ConcurrentSession::traceJson(std::size_t i) const {
  std::string s;
  appendTraceJson(s, *w_, i);
  return s;
}

std::string ConcurrentSession::describe(std::size_t i) const {
  const TraceEntry& t = w_->trace()[i];
  if (t.source == TraceEntry::Source::Sync) return describeSyncEntry(*w_, t);
  if (t.source == TraceEntry::Source::Swiss) {
    const swiss::SwissSiteInfo& si = swiss::swissSiteInfo(t.sev.site, w_->swissMap().kind());
    return fmt::format("G{}: {}: {}", t.g, si.function, si.what);
  }
  if (t.source == TraceEntry::Source::Cow) {
    const OpRecord& r = w_->history()[t.op - 1];
    const bool store = w_->scenario().programs[r.g - 1].code[r.instr].syncOp == syncmap::SyncOpCode::Store;
    const cow::SiteInfo si = cow::siteInfo(t.cev.site, w_->cowMap().variant(), store);
    return fmt::format("G{}: {}: {}", t.g, si.function, si.what);
  }
  if (t.source == TraceEntry::Source::SyncMap) {
    const syncmap::SyncSiteInfo& si = syncmap::kSyncSiteTable[static_cast<std::size_t>(t.yev.site)];
    return fmt::format("G{}: sync.(*Map).{}: {}", t.g, si.function, si.what);
  }
  return fmt::format("G{}: {}", t.g, describeEvent(t.ev));
}

std::optional<std::size_t> ConcurrentSession::detectionEntry() const {
  const auto& tr = w_->trace();
  if (w_->ending().kind != Ending::Kind::Fatal && w_->ending().kind != Ending::Kind::Panic) return std::nullopt;
  for (std::size_t i = tr.size(); i-- > 0;)
    if ((tr[i].source == TraceEntry::Source::Engine &&
         (tr[i].ev.kind == EventKind::Fatal || tr[i].ev.kind == EventKind::Panic)) ||
        (tr[i].source == TraceEntry::Source::Swiss &&
         (tr[i].sev.kind == swiss::SwissKind::Fatal || tr[i].sev.kind == swiss::SwissKind::Panic)))
      return i;
  if (!tr.empty()) return tr.size() - 1; // a sync fatal: its entry is the last
  return std::nullopt;
}

std::string ConcurrentSession::deathOutput() const { return goDeathOutput(*w_); }

const ConsistencyReport* ConcurrentSession::consistency() const {
  if (w_->ending().kind != Ending::Kind::AllDone) return nullptr;
  if (!rep_ || repAt_ != position()) {
    rep_ = checkConsistency(*w_);
    repAt_ = position();
  }
  return &*rep_;
}

std::string ConcurrentSession::outcome() const { return outcomeText(*w_, consistency()); }
Verdict ConcurrentSession::verdict() const { return verdictOf(*w_, consistency()); }
std::optional<ExpectationCheck> ConcurrentSession::expectation() const {
  if (!w_->ended()) return std::nullopt;
  return checkExpectation(*w_, consistency());
}

std::string ConcurrentSession::scenarioText() const {
  Scenario s = sc_;
  s.schedule = ScheduleSpec{};
  s.schedule.kind = ScheduleSpec::Kind::Steps;
  s.schedule.steps.assign(timeline_.begin(), timeline_.begin() + static_cast<std::ptrdiff_t>(position()));
  if (s.schedule.steps.empty()) s.schedule.kind = ScheduleSpec::Kind::Manual;
  return writeScenario(s);
}

} // namespace gomap::race
