#include "ui/app_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/runtime_consts.hpp"
#include "trace/script_runner.hpp"
#include "trace/script_session.hpp"

namespace gomap::ui {

namespace {
using Clock = std::chrono::steady_clock;

std::string kindToken(KeyKind k) { return std::string(keyKindName(k)); }
} // namespace

AppState::AppState() = default;
AppState::~AppState() = default;
AppState::AppState(AppState&&) noexcept = default;
AppState& AppState::operator=(AppState&&) noexcept = default;

std::string_view AppState::opText(std::size_t k) const {
  return k < opTexts_.size() ? std::string_view(opTexts_[k]) : std::string_view();
}

std::optional<std::size_t> AppState::scriptOpOf(std::size_t k) const {
  // Ranges follow each other; the one holding k is the last non-empty one starting at or before it.
  auto it = std::upper_bound(scriptOps_.begin(), scriptOps_.end(), k,
                             [](std::size_t v, const std::pair<std::size_t, std::size_t>& r) { return v < r.first; });
  while (it != scriptOps_.begin()) {
    --it;
    if (it->first < it->second)
      return k < it->second ? std::optional<std::size_t>(static_cast<std::size_t>(it - scriptOps_.begin()))
                            : std::nullopt;
  }
  return std::nullopt;
}

std::string AppState::scriptText() const {
  std::string out = "# gomaplab op script (saved from the GUI)\n";
  for (const Line& l : lines_) {
    out += l.text;
    out += '\n';
  }
  return out;
}

bool AppState::installSession(std::vector<ScriptOp> ops, const std::string& name, std::string& err) {
  auto ss = sessionFromScript(ops, name, err);
  if (!ss) return false;
  std::vector<Line> lines;
  KeyKind kind = KeyKind::Int64;
  int64_t maxInt = -1;
  std::unordered_set<std::string> strs;
  for (std::size_t i = 0; i < ops.size(); i++) {
    const ScriptOp& op = ops[i];
    if (op.kind == ScriptOp::Kind::Make || op.kind == ScriptOp::Kind::Nil) kind = op.mapKind;
    lines.push_back({op.text, ss->sessionOpsOf[i].first, ss->sessionOpsOf[i].second});
    if (op.kind == ScriptOp::Kind::Put) {
      if (op.key.kind == KeyKind::String) strs.insert(op.key.s);
      else if (op.key.kind == KeyKind::Float64) maxInt = std::max<int64_t>(maxInt, std::isfinite(op.key.f) ? static_cast<int64_t>(std::min(op.key.f, 4e18)) : 0);
      else maxInt = std::max(maxInt, op.key.i);
    }
  }
  session_ = std::move(ss->session);
  scriptOps_ = std::move(ss->sessionOpsOf);
  opTexts_ = std::move(ss->opTexts);
  lines_ = std::move(lines);
  parser_ = ScriptParser("input");
  std::optional<ScriptError> perr;
  parser_.parseLine(fmt::format("make {} 0", kindToken(kind)), 0, perr);
  inputLine_ = 0;
  maxIntKey_ = maxInt;
  stringsUsed_ = std::move(strs);
  stringCounter_ = 0;
  job_ = {};
  playing_ = false;
  stack_.invalidate();
  sessionId_++;
  touched();
  // Show the map right after it was made: the first op's last event.
  int64_t first = -1;
  for (std::size_t i = 0; i < session_->opCount(); i++) {
    if (lastEventOfOp(i) >= static_cast<int64_t>(session_->firstEventOfOp(i))) {
      first = lastEventOfOp(i);
      break;
    }
  }
  session_->seek(first);
  return true;
}

bool AppState::loadScriptText(std::string_view text, const std::string& name) {
  ScriptParser p(name);
  std::optional<ScriptError> perr;
  auto ops = p.parseAll(text, perr);
  if (perr) {
    error_ = perr->format();
    return false;
  }
  std::shared_ptr<const LoadedLesson> lesson;
  if (p.lesson().any()) lesson = std::make_shared<const LoadedLesson>(loadLesson(ops, p.takeLesson()));
  std::string err;
  if (!installSession(std::move(ops), name, err)) {
    error_ = err;
    return false;
  }
  lesson_ = std::move(lesson);
  scriptName_ = name;
  error_.clear();
  status_ = fmt::format("{}: {} ops, {} events", name, session_->opCount(), session_->eventCount());
  return true;
}

bool AppState::openScript(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error_ = fmt::format("{}: cannot open: {}", path, std::strerror(errno));
    return false;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  if (!loadScriptText(ss.str(), path)) return false;
  scriptPath_ = path;
  return true;
}

bool AppState::saveScript(const std::string& path) {
  if (!needSession()) return false;
  if (path.empty()) {
    error_ = "save: no file name given";
    return false;
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) {
      error_ = fmt::format("{}: cannot write: {}", path, std::strerror(errno));
      return false;
    }
    f << scriptText();
    if (!f.flush()) {
      error_ = fmt::format("{}: write failed: {}", path, std::strerror(errno));
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error_ = fmt::format("{}: cannot replace: {}", path, std::strerror(errno));
    std::remove(tmp.c_str());
    return false;
  }
  scriptPath_ = path;
  scriptName_ = path;
  status_ = fmt::format("saved {} lines to {}", lines_.size(), path);
  return true;
}

bool AppState::newMap(const NewMapParams& p) {
  std::string text;
  if (p.rngSeed) text += fmt::format("rngseed {}\n", p.rngSeed);
  if (p.mode == HashMode::Identity) text += "hashmode identity\n";
  text += fmt::format("make {} {} {}\n", kindToken(p.kind), p.hint, p.hash0);
  if (!loadScriptText(text, "untitled")) return false;
  scriptPath_.clear();
  return true;
}

bool AppState::needSession() {
  if (session_) return true;
  error_ = "no map yet: make one first (Map > New map, or open a script)";
  return false;
}

void AppState::noteKey(const KeyValue& k) {
  switch (k.kind) {
  case KeyKind::String: stringsUsed_.insert(k.s); break;
  case KeyKind::Float64:
    if (std::isfinite(k.f) && k.f > static_cast<double>(maxIntKey_) && k.f < 4e18)
      maxIntKey_ = static_cast<int64_t>(std::ceil(k.f));
    break;
  default: maxIntKey_ = std::max(maxIntKey_, k.i); break;
  }
}

std::string AppState::freshKey() {
  switch (keyKind()) {
  case KeyKind::String: {
    std::string s;
    do {
      s = fmt::format("k{}", stringCounter_++);
    } while (stringsUsed_.count(s));
    stringsUsed_.insert(s);
    return fmt::format("\"{}\"", s);
  }
  case KeyKind::Int32:
    if (maxIntKey_ >= INT32_MAX) maxIntKey_ = INT32_MIN;
    [[fallthrough]];
  default: return std::to_string(++maxIntKey_);
  }
}

bool AppState::parseKey(std::string_view tok, KeyValue& out) {
  std::string why;
  // Trim spaces around unquoted input.
  while (!tok.empty() && (tok.front() == ' ' || tok.front() == '\t')) tok.remove_prefix(1);
  while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t')) tok.remove_suffix(1);
  if (tok.empty()) {
    error_ = "key: the field is empty";
    return false;
  }
  if (!parseKeyToken(tok, keyKind(), out, why)) {
    error_ = "key: " + why;
    return false;
  }
  return true;
}

bool AppState::applyLines(const std::vector<std::string>& lines, const char* source) {
  if (!needSession()) return false;
  const std::size_t firstNew = session_->opCount();
  bool ok = true;
  for (const std::string& text : lines) {
    ScriptParser p = parser_;
    std::optional<ScriptError> perr;
    auto op = p.parseLine(text, ++inputLine_, perr);
    if (perr) {
      error_ = fmt::format("{}: {}", source, perr->format());
      ok = false;
      break;
    }
    if (!op) continue;
    if (op->kind == ScriptOp::Kind::Hash) {
      uint64_t h = session_->map().peekHash(op->key);
      status_ = fmt::format("hash({}) = 0x{:016x}: bucket {} at B={}, tophash {}", keyText(op->key), h,
                            h & bucketMask(session_->map().header().B), session_->map().header().B, tophash(h));
      continue;
    }
    const std::size_t before = session_->opCount();
    std::string e = applyScriptOp(*session_, *op);
    if (!e.empty()) {
      error_ = fmt::format("{}: {}: {}", source, op->text, e);
      ok = false;
      break;
    }
    parser_ = p;
    const std::size_t after = session_->opCount();
    lines_.push_back({op->text, before, after});
    for (std::size_t k = before; k < after; k++) opTexts_.push_back(op->text);
    if (op->kind == ScriptOp::Kind::Put) noteKey(op->key);
  }
  if (session_->opCount() > firstNew) afterAppend(firstNew);
  if (ok) error_.clear();
  return ok;
}

void AppState::afterAppend(std::size_t firstNewOp) {
  touched();
  if (!watchNewOps || job_.active()) {
    session_->seekEnd();
    return;
  }
  for (std::size_t k = firstNewOp; k < session_->opCount(); k++) {
    int64_t f = static_cast<int64_t>(session_->firstEventOfOp(k));
    if (lastEventOfOp(k) >= f) {
      session_->seek(f);
      return;
    }
  }
  session_->seekEnd();
}

bool AppState::runLine(std::string_view line) { return applyLines({std::string(line)}, "command"); }

bool AppState::insert(std::string_view key, std::string_view value) {
  if (!needSession()) return false;
  KeyValue k;
  if (!parseKey(key, k)) return false;
  int64_t v = 0;
  std::string vt(value);
  vt.erase(std::remove(vt.begin(), vt.end(), ' '), vt.end());
  if (vt.empty()) {
    v = k.kind == KeyKind::Int64 || k.kind == KeyKind::Int32 ? static_cast<int64_t>(static_cast<uint64_t>(k.i) * 10)
                                                             : static_cast<int64_t>(session_->opCount());
  } else if (!parseInt64Token(vt, v)) {
    error_ = fmt::format("value: expected an int64, got \"{}\"", vt);
    return false;
  }
  return applyLines({fmt::format("put {} {}", keyText(k), v)}, "insert");
}

bool AppState::remove(std::string_view key) {
  KeyValue k;
  if (!needSession() || !parseKey(key, k)) return false;
  return applyLines({fmt::format("del {}", keyText(k))}, "delete");
}

bool AppState::lookup(std::string_view key) {
  KeyValue k;
  if (!needSession() || !parseKey(key, k)) return false;
  return applyLines({fmt::format("get {}", keyText(k))}, "lookup");
}

bool AppState::iterate() { return applyLines({"iter"}, "iterate"); }
bool AppState::clear() { return applyLines({"clear"}, "clear"); }

bool AppState::insertRange(std::string_view range) {
  if (!needSession()) return false;
  std::string r(range);
  r.erase(std::remove(r.begin(), r.end(), ' '), r.end());
  auto dots = r.find("..");
  int64_t a = 0, b = 0;
  if (dots == std::string::npos || !parseInt64Token(r.substr(0, dots), a) || !parseInt64Token(r.substr(dots + 2), b)) {
    error_ = fmt::format("range: expected FIRST..LAST such as 0..99, got \"{}\"", r);
    return false;
  }
  if (b < a) {
    error_ = fmt::format("range: {}..{} is empty (LAST must not be below FIRST)", a, b);
    return false;
  }
  if (static_cast<uint64_t>(b) - static_cast<uint64_t>(a) >= 100000) {
    error_ = "range: at most 100000 keys at once (use Bulk insert for more)";
    return false;
  }
  std::vector<std::string> lines;
  for (int64_t i = a;; i++) {
    KeyValue k;
    std::string why;
    std::string tok = std::to_string(i);
    if (!parseKeyToken(tok, keyKind(), k, why)) {
      error_ = "range: " + why;
      return false;
    }
    int64_t v = static_cast<int64_t>(static_cast<uint64_t>(i) * 10);
    lines.push_back(fmt::format("put {} {}", keyText(k), v));
    if (i == b) break;
  }
  return applyLines(lines, "range");
}

bool AppState::insertRandom(int64_t n) {
  if (!needSession()) return false;
  if (n <= 0 || n > 100000) {
    error_ = "random: the count must be between 1 and 100000 (use Bulk insert for more)";
    return false;
  }
  std::vector<std::string> lines;
  for (int64_t i = 0; i < n; i++) {
    uint64_t r = rng_();
    std::string key;
    switch (keyKind()) {
    case KeyKind::Int64: key = std::to_string(static_cast<int64_t>(r >> 1)); break;
    case KeyKind::Int32: key = std::to_string(static_cast<int32_t>(r >> 32)); break;
    case KeyKind::Float64: key = formatFloatKey(static_cast<double>(r >> 11) / 1024.0); break;
    case KeyKind::String: key = fmt::format("\"r{:x}\"", r >> 24); break;
    }
    lines.push_back(fmt::format("put {} {}", key, i));
  }
  return applyLines(lines, "random");
}

bool AppState::insertColliding(uint64_t bucket, int n, bool sameHash) {
  if (!needSession()) return false;
  if (n <= 0 || n > 1000) {
    error_ = "collide: the count must be between 1 and 1000";
    return false;
  }
  // Keys are chosen for the map as it will be when they are added: at the end.
  const int64_t pos = position();
  session_->seekEnd();
  touched();
  const AnyMap& m = session_->map();
  const uint8_t B = m.header().B;
  const uint64_t mask = bucketMask(B);
  if (bucket > mask) {
    error_ = fmt::format("collide: bucket {} does not exist: B = {}, so buckets are 0..{}", bucket, B, mask);
    session_->seek(pos);
    return false;
  }
  std::vector<std::string> lines;
  if (sameHash) {
    // Every key gets the same 64-bit hash: same bucket at every B (while the
    // new bit is 0), same tophash, so lookups must compare keys.
    const uint64_t h = (uint64_t{0xA7} << 56) | bucket;
    for (int i = 0; i < n; i++) {
      std::string k = freshKey();
      lines.push_back(fmt::format("pin {} {}", k, h));
      lines.push_back(fmt::format("put {} {}", k, i));
    }
    return applyLines(lines, "collide");
  }
  const uint64_t budget = 200'000'000;
  uint64_t tries = 0;
  while (static_cast<int>(lines.size()) < n) {
    std::string tok = freshKey();
    KeyValue k;
    std::string why;
    if (!parseKeyToken(tok, keyKind(), k, why)) {
      error_ = "collide: " + why;
      return false;
    }
    if ((m.peekHash(k) & mask) == bucket) lines.push_back(fmt::format("put {} {}", tok, lines.size()));
    if (++tries > budget) {
      error_ = fmt::format("collide: found only {} keys for bucket {} in {} tries", lines.size(), bucket, tries);
      session_->seek(pos);
      return false;
    }
  }
  return applyLines(lines, "collide");
}

bool AppState::startBulk(int64_t n, bool random) {
  if (!needSession()) return false;
  if (n <= 0 || n > 20'000'000) {
    error_ = "bulk: the count must be between 1 and 20000000";
    return false;
  }
  job_ = BulkJob{random ? BulkJob::Kind::Random : BulkJob::Kind::Sequential, n, 0, session_->eventCount()};
  playing_ = false;
  status_ = fmt::format("inserting {} keys...", n);
  return true;
}

bool AppState::insertUntilGrow() {
  if (!needSession()) return false;
  if (session_->map().isNil()) {
    error_ = "the map is nil: make one first";
    return false;
  }
  job_ = BulkJob{BulkJob::Kind::UntilGrow, 50'000'000, 0, session_->eventCount()};
  playing_ = false;
  status_ = "inserting until the map grows...";
  return true;
}

void AppState::runJobSlice(double budgetSeconds) {
  if (!job_.active() || !session_) return;
  const auto t0 = Clock::now();
  std::optional<std::size_t> grewAt;
  while (job_.active()) {
    std::string line;
    switch (job_.kind) {
    case BulkJob::Kind::Sequential:
    case BulkJob::Kind::UntilGrow: line = fmt::format("put {} {}", freshKey(), job_.done); break;
    case BulkJob::Kind::Random: {
      uint64_t r = rng_();
      switch (keyKind()) {
      case KeyKind::Int64: line = fmt::format("put {} {}", static_cast<int64_t>(r >> 1), job_.done); break;
      case KeyKind::Int32: line = fmt::format("put {} {}", static_cast<int32_t>(r >> 32), job_.done); break;
      case KeyKind::Float64: line = fmt::format("put {} {}", formatFloatKey(static_cast<double>(r >> 11) / 1024.0), job_.done); break;
      case KeyKind::String: line = fmt::format("put \"r{:x}\" {}", r >> 24, job_.done); break;
      }
      break;
    }
    }
    ScriptParser p = parser_;
    std::optional<ScriptError> perr;
    auto op = p.parseLine(line, ++inputLine_, perr);
    if (!op) {
      error_ = perr ? perr->format() : "bulk: internal error";
      job_ = {};
      break;
    }
    const std::size_t before = session_->opCount();
    const uint64_t ev0 = session_->eventCount();
    std::string e = applyScriptOp(*session_, *op);
    if (!e.empty()) {
      error_ = "bulk: " + e;
      job_ = {};
      break;
    }
    lines_.push_back({op->text, before, session_->opCount()});
    for (std::size_t k = before; k < session_->opCount(); k++) opTexts_.push_back(op->text);
    noteKey(op->key);
    job_.done++;
    if (job_.kind == BulkJob::Kind::UntilGrow) {
      for (uint64_t i = ev0; i < session_->eventCount(); i++) {
        if (session_->event(i).kind == EventKind::GrowthStarted) {
          grewAt = before;
          job_.total = job_.done;
          break;
        }
      }
    }
    if ((job_.done & 63) == 0 && std::chrono::duration<double>(Clock::now() - t0).count() > budgetSeconds) break;
  }
  touched();
  if (job_.active()) {
    session_->seekEnd();
    status_ = fmt::format("inserting: {} of {}", job_.done, job_.total);
    return;
  }
  if (grewAt) {
    // Show the op that starts the grow, from its first event.
    session_->seek(static_cast<int64_t>(session_->firstEventOfOp(*grewAt)));
    status_ = fmt::format("the map grows on insert #{}: {}", job_.done, opText(*grewAt));
  } else {
    session_->seekEnd();
    status_ = fmt::format("inserted {} keys ({} ops, {} events)", job_.done, session_->opCount(),
                          session_->eventCount());
  }
  job_ = {};
}

void AppState::finishJobs() {
  while (job_.active()) runJobSlice(1e9);
}

bool AppState::dropFuture() {
  if (!needSession()) return false;
  const std::size_t before = session_->opCount();
  session_->truncateAfterCursor();
  const std::size_t keep = session_->opCount();
  if (keep == before) {
    status_ = "nothing after the cursor";
    return true;
  }
  std::size_t cut = lines_.size();
  for (std::size_t i = 0; i < lines_.size(); i++) {
    if (lines_[i].opEnd > keep) {
      cut = i;
      break;
    }
  }
  lines_.resize(cut);
  opTexts_.resize(keep);
  // The parser must see the map kind of the kept lines only: it does (a
  // session never changes kind).
  sessionId_++;
  stack_.invalidate();
  touched();
  status_ = fmt::format("dropped {} ops after the cursor", before - keep);
  return true;
}

// ---- navigation ------------------------------------------------------------------

int64_t AppState::lastEventOfOp(std::size_t k) const {
  const uint64_t f = session_->firstEventOfOp(k);
  for (std::size_t j = k + 1; j < session_->opCount(); j++) {
    uint64_t g = session_->firstEventOfOp(j);
    if (g > f) return static_cast<int64_t>(g) - 1;
  }
  return static_cast<int64_t>(session_->eventCount()) - 1;
}

std::optional<std::size_t> AppState::currentOp() const {
  if (!session_ || session_->eventCount() == 0 || position() < 0) return std::nullopt;
  return session_->opOfEvent(static_cast<uint64_t>(position()));
}

const Event* AppState::currentEvent() const {
  if (!session_ || position() < 0) return nullptr;
  return &session_->event(static_cast<uint64_t>(position()));
}

void AppState::seek(int64_t i) {
  if (!session_) return;
  const int64_t n = static_cast<int64_t>(session_->eventCount());
  i = std::clamp<int64_t>(i, -1, n - 1);
  const int64_t pos = session_->position();
  if (i == pos) return;
  if (i > pos && pos >= 0 && session_->opInProgress()) {
    // Finish the op in progress in place before going further forward, so
    // the session need not restore a snapshot and replay.
    const int64_t last = lastEventOfOp(*session_->opInProgress());
    if (i > last && last > pos) session_->seek(last);
  }
  session_->seek(i);
  touched();
}

void AppState::stepInto() {
  if (session_ && position() + 1 < static_cast<int64_t>(eventCount())) seek(position() + 1);
}

void AppState::stepBack() {
  if (session_ && position() >= 0) seek(position() - 1);
}

void AppState::stepOver() {
  if (!session_ || eventCount() == 0) return;
  const int64_t pos = position();
  if (pos < 0) {
    seek(lastEventOfOp(session_->opOfEvent(0)));
    return;
  }
  const std::size_t k = session_->opOfEvent(static_cast<uint64_t>(pos));
  const int64_t last = lastEventOfOp(k);
  if (pos < last) {
    seek(last);
    return;
  }
  if (last + 1 < static_cast<int64_t>(eventCount())) seek(lastEventOfOp(session_->opOfEvent(static_cast<uint64_t>(last + 1))));
}

void AppState::stepBackOver() {
  if (!session_ || position() < 0) return;
  const std::size_t k = session_->opOfEvent(static_cast<uint64_t>(position()));
  seek(static_cast<int64_t>(session_->firstEventOfOp(k)) - 1);
}

void AppState::stepOut() {
  if (!session_) return;
  seek(stepOutTarget(*session_, position()));
}

void AppState::play() {
  if (!session_) return;
  if (position() + 1 >= static_cast<int64_t>(eventCount())) seek(-1); // replay from the start
  playing_ = true;
  playAcc_ = 0;
}

void AppState::tick(double dt, double jobBudgetSeconds) {
  if (job_.active()) runJobSlice(jobBudgetSeconds);
  if (!playing_ || !session_) return;
  playAcc_ += dt * std::max(0.1, speed_);
  int64_t steps = static_cast<int64_t>(playAcc_);
  if (steps <= 0) return;
  playAcc_ -= static_cast<double>(steps);
  const int64_t end = static_cast<int64_t>(eventCount()) - 1;
  seek(std::min(end, position() + steps));
  if (position() >= end) playing_ = false;
}

// ---- derived ---------------------------------------------------------------------------

const CallStack& AppState::callStack() {
  static const CallStack empty;
  if (!session_) return empty;
  return stack_.at(*session_, position());
}

DerivedSeries& AppState::derived() {
  if (session_) derived_.update(*session_, session_->map().bucketSize(), sessionId_);
  return derived_;
}

std::optional<HashInfo> AppState::currentHash() const {
  if (!session_) return std::nullopt;
  return hashAt(*session_, position());
}

void AppState::fillFrame(Frame& f) {
  f = Frame{};
  f.ctl = this;
  if (!session_) return;
  f.map = &session_->map();
  f.events = session_.get();
  f.position = position();
  f.current = currentEvent();
  f.currentOp = currentOp();
  f.sessionId = sessionId_;
  f.stack = &callStack();
  f.derived = &derived();
  f.hash = currentHash();
  if (job_.active()) f.jobProgress = static_cast<float>(job_.done) / static_cast<float>(std::max<int64_t>(1, job_.total));
}

} // namespace gomap::ui
