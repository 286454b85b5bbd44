#include "ui/app_state.hpp"
#include "ui/swiss_state.hpp"
#include "ui/syncmap_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <utility>
#include <fstream>
#include <sstream>

#include "engine/runtime_consts.hpp"
#include "trace/script_runner.hpp"
#include "trace/asset_paths.hpp"
#include "trace/script_session.hpp"
#include "ui/strings.hpp"

namespace gomap::ui {

namespace {
using Clock = std::chrono::steady_clock;

std::string kindToken(KeyKind k) { return std::string(keyKindName(k)); }
} // namespace

AppState::AppState() = default;
AppState::~AppState() = default;
AppState::AppState(AppState&&) noexcept = default;
AppState& AppState::operator=(AppState&&) noexcept = default;
SwissController& AppState::swissController() {
  swiss_->rebind(error_, status_); // this object's strings, wherever it has been moved
  return *swiss_;
}
SyncMapController& AppState::syncController() {
  sync_->rebind(error_, status_);
  return *sync_;
}

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
  std::string out;
  std::size_t n = 0;
  for (const Line& l : lines_) n += l.text.size() + 1;
  out.reserve(n);
  for (const Line& l : lines_) {
    out += l.text;
    out += '\n';
  }
  return out;
}

std::string AppState::displayName() const {
  if (scriptPath_.empty()) return tr(S::FileUntitledName);
  return std::filesystem::path(scriptPath_).filename().string();
}

AppState::Line AppState::lineOf(const ScriptOp& op, std::size_t begin, std::size_t end) {
  Line l{op.text, begin, end, true, op.kind == ScriptOp::Kind::Make, op.hint, static_cast<uint32_t>(op.number)};
  return l;
}

bool AppState::installSession(std::vector<ScriptOp> ops, std::string_view text, const std::string& name, std::string& err) {
  auto ss = sessionFromScript(ops, name, err);
  if (!ss) return false;
  // Every line of the text, the ops' lines with the session ops they produced.
  std::vector<std::string_view> raw;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      if (pos < text.size()) raw.push_back(text.substr(pos));
      break;
    }
    raw.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::vector<Line> lines;
  lines.reserve(raw.size() + 1);
  KeyKind kind = KeyKind::Int64;
  int64_t maxInt = -1;
  std::unordered_set<std::string> strs;
  std::size_t nextOp = 0, opsSoFar = 0;
  auto addOp = [&](std::size_t i, std::string_view rawText) {
    const ScriptOp& op = ops[i];
    if (op.kind == ScriptOp::Kind::Make || op.kind == ScriptOp::Kind::Nil) kind = op.mapKind;
    Line l = lineOf(op, ss->sessionOpsOf[i].first, ss->sessionOpsOf[i].second);
    if (l.opEnd == l.opBegin) l.opBegin = l.opEnd = opsSoFar; // hashkey, rngseed, ...: no session op
    opsSoFar = l.opEnd;
    if (!rawText.empty()) l.text = std::string(rawText);
    lines.push_back(std::move(l));
    if (op.kind == ScriptOp::Kind::Put) {
      if (op.key.kind == KeyKind::String) strs.insert(op.key.s);
      else if (op.key.kind == KeyKind::Float64) maxInt = std::max<int64_t>(maxInt, std::isfinite(op.key.f) ? static_cast<int64_t>(std::min(op.key.f, 4e18)) : 0);
      else maxInt = std::max(maxInt, op.key.i);
    }
  };
  for (std::size_t ln = 0; ln < raw.size(); ln++) {
    std::string_view r = raw[ln];
    if (!r.empty() && r.back() == '\r') r.remove_suffix(1);
    bool used = false;
    while (nextOp < ops.size() && ops[nextOp].line <= static_cast<int>(ln + 1)) {
      // The op's own line keeps its text as written (a trailing comment too).
      const bool mine = !used && ops[nextOp].line == static_cast<int>(ln + 1);
      addOp(nextOp, mine ? r : std::string_view());
      used |= mine;
      nextOp++;
    }
    if (!used) lines.push_back(Line{std::string(r), opsSoFar, opsSoFar});
  }
  while (nextOp < ops.size()) addOp(nextOp++, {});
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
  // A teacher starts a script from its start: the cursor before the first
  // event (-1), where Home puts it too (a race starts at step 0, no event yet).
  session_->seek(-1);
  return true;
}

bool AppState::loadScriptText(std::string_view text, const std::string& name) {
  ScriptParser p(name);
  std::optional<ScriptError> perr;
  auto ops = p.parseAll(text, perr);
  if (perr) {
    error_ = Said::of(S::MsgScriptError, perr->format());
    return false;
  }
  if (p.syncmap()) {
    // A sync.Map script: its own session and panels (the op-script session stays as it is).
    auto sc = std::make_unique<SyncMapController>(error_, status_);
    std::string err;
    if (!sc->load(ops, name, err)) {
      error_ = Said::of(S::MsgScriptError, err);
      return false;
    }
    if (p.lesson().any()) sc->setLesson(std::make_shared<const LoadedLesson>(loadLesson(ops, p.takeLesson())));
    sync_ = std::move(sc);
    swiss_.reset();
    error_.clear();
    status_ = Said::of(S::SmoLoaded, name, sync_->session().opCount(), sync_->session().eventCount());
    sessionId_++;
    touched();
    return true;
  }
  if (p.swiss()) {
    // A Swiss-map script: the Swiss workspace (the op-script session stays as it is).
    auto sw = std::make_unique<SwissController>(error_, status_);
    std::string err;
    if (!sw->load(ops, text, name, err)) {
      error_ = Said::of(S::MsgScriptError, err);
      return false;
    }
    // Its lesson lines (the Swiss workspace's Lesson panel).
    if (p.lesson().any()) sw->setLesson(std::make_shared<const LoadedLesson>(loadLesson(ops, p.takeLesson())));
    swiss_ = std::move(sw);
    sync_.reset();
    // scriptName_/scriptPath_ stay the op-script session's: Save writes that
    // session to its own file, never over the Swiss script.
    error_.clear();
    status_ = Said::of(S::SwLoaded, name, swiss_->session().opCount(), swiss_->session().eventCount());
    sessionId_++;
    touched();
    return true;
  }
  std::shared_ptr<const LoadedLesson> lesson;
  if (p.lesson().any()) lesson = std::make_shared<const LoadedLesson>(loadLesson(ops, p.takeLesson()));
  std::string err;
  if (!installSession(std::move(ops), text, name, err)) {
    error_ = Said::of(S::MsgScriptError, err);
    return false;
  }
  swiss_.reset(); // back to the classic workspace
  sync_.reset();
  lesson_ = std::move(lesson);
  scriptName_ = name;
  scriptPath_.clear();
  error_.clear();
  edited();
  savedGen_ = editGen_;
  status_ = Said::of(S::MsgLoaded, name, session_->opCount(), session_->eventCount());
  syncAutosave();
  return true;
}

bool AppState::openScript(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error_ = Said::of(S::MsgCannotOpen, path, std::strerror(errno));
    return false;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  if (!loadScriptText(ss.str(), path)) return false;
  if (!swissMode() && !syncMode()) scriptPath_ = path;
  return true;
}

bool isBundledPath(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path a = fs::weakly_canonical(fs::path(assetDir()), ec);
  if (ec || a.empty()) return false;
  fs::path p = fs::weakly_canonical(fs::absolute(fs::path(path), ec), ec);
  if (ec) return false;
  auto [ai, pi] = std::mismatch(a.begin(), a.end(), p.begin(), p.end());
  return ai == a.end();
}

namespace {
// Writes text to path through a temp file and a rename, so a crash leaves the
// old file or the new one, never half of one. Returns "" or what went wrong.
std::string writeAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return fmt::format(fmt::runtime(tr(S::MsgCannotWrite)), path, std::strerror(errno));
    f << text;
    if (!f.flush()) {
      std::string e = fmt::format(fmt::runtime(tr(S::MsgWriteFailed)), path, std::strerror(errno));
      std::remove(tmp.c_str());
      return e;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string e = fmt::format(fmt::runtime(tr(S::MsgCannotReplace)), path, std::strerror(errno));
    std::remove(tmp.c_str());
    return e;
  }
  return {};
}
constexpr std::string_view kAutosaveHeader = "# gomaplab autosave of: ";
} // namespace

// Writes the autosave off the UI thread: a 300,000-op session is a 9 MB
// script, 20-40 ms to write, which would stall a frame after every edit. The
// UI thread hands over only the lines added since the last request (or the
// whole text after a drop or a new session); the writer keeps the full text.
// Requests not yet taken merge; the destructor finishes the last one.
class AutosaveWriter {
public:
  AutosaveWriter() : thread_([this] { run(); }) {}
  ~AutosaveWriter() {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // reset: text is the whole file; else it is appended to what was written.
  void request(std::string path, std::string text, bool reset) {
    {
      std::lock_guard<std::mutex> lk(m_);
      if (reset || job_.remove) {
        job_.text = std::move(text);
        job_.reset = true;
      } else {
        job_.text += text;
      }
      job_.path = std::move(path);
      job_.remove = false;
      pending_ = true;
    }
    cv_.notify_all();
  }
  void remove(std::string path) {
    {
      std::lock_guard<std::mutex> lk(m_);
      job_ = Job{std::move(path), {}, true, true};
      pending_ = true;
    }
    cv_.notify_all();
  }
  void flush() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [this] { return !pending_ && !busy_; });
  }
  std::string takeError() {
    std::lock_guard<std::mutex> lk(m_);
    return std::exchange(error_, std::string());
  }

private:
  struct Job {
    std::string path, text;
    bool remove = false, reset = false;
  };
  void run() {
    std::unique_lock<std::mutex> lk(m_);
    for (;;) {
      cv_.wait(lk, [this] { return pending_ || stop_; });
      if (!pending_ && stop_) return;
      Job j = std::move(job_);
      job_ = Job{};
      pending_ = false;
      busy_ = true;
      lk.unlock();
      std::string e;
      if (j.reset) full_ = std::move(j.text);
      else full_ += j.text;
      if (j.remove) std::remove(j.path.c_str());
      else e = writeAtomically(j.path, full_);
      lk.lock();
      busy_ = false;
      if (!e.empty()) error_ = e;
      cv_.notify_all();
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  Job job_;
  bool pending_ = false, busy_ = false, stop_ = false;
  std::string error_;
  std::string full_; // the worker's copy of the file
  std::thread thread_;
};


bool AppState::saveScript(const std::string& path) {
  if (!needSession()) return false;
  if (path.empty()) {
    error_ = Said::of(S::MsgSaveNoName);
    return false;
  }
  if (isBundledPath(path)) {
    error_ = Said::of(S::MsgBundledReadOnly, path);
    return false;
  }
  if (std::string e = writeAtomically(path, scriptText()); !e.empty()) {
    error_ = e;
    return false;
  }
  scriptPath_ = path;
  scriptName_ = path;
  savedGen_ = editGen_;
  error_.clear();
  status_ = Said::of(S::MsgSaved, lines_.size(), path);
  syncAutosave();
  return true;
}

bool AppState::newMap(const NewMapParams& p) {
  std::string text = "# gomaplab op script (made in the GUI)\n";
  if (p.rngSeed) text += fmt::format("rngseed {}\n", p.rngSeed);
  if (p.mode == HashMode::Identity) text += "hashmode identity\n";
  text += fmt::format("make {} {} {}\n", kindToken(p.kind), p.hint, p.hash0);
  if (!loadScriptText(text, "untitled")) return false;
  scriptPath_.clear();
  status_ = Said::of(S::MsgLoaded, displayName(), session_->opCount(), session_->eventCount());
  return true;
}

void AppState::setAutosavePath(std::string path) {
  if (writer_) writer_->flush();
  autosavePath_ = std::move(path);
  autosaveLines_ = 0;
  autosaveSession_ = ~uint64_t{0};
  autosavedGen_ = ~uint64_t{0};
  syncAutosave();
}

void AppState::syncAutosave() {
  sinceAutosave_ = 0;
  if (autosavePath_.empty()) return;
  if (!writer_) writer_ = std::make_unique<AutosaveWriter>();
  if (std::string e = writer_->takeError(); !e.empty()) error_ = Said::of(S::MsgAutosaveFailed, e);
  if (!session_ || !dirty()) {
    if (autosavedGen_ != editGen_ || autosaveLines_) writer_->remove(autosavePath_);
    autosaveLines_ = 0;
    autosaveSession_ = ~uint64_t{0};
    autosavedGen_ = editGen_;
    return;
  }
  if (autosavedGen_ == editGen_) return;
  // Only the lines added since the last write go to the writer; a drop, a new
  // session or a new file name sends the whole text again.
  std::string piece;
  bool reset = false;
  if (autosaveSession_ != sessionId_ || autosaveLines_ > lines_.size() || autosaveOrigin_ != scriptPath_) {
    piece = fmt::format("{}{}\n", kAutosaveHeader, scriptPath_);
    autosaveLines_ = 0;
    autosaveSession_ = sessionId_;
    autosaveOrigin_ = scriptPath_;
    reset = true;
  }
  for (; autosaveLines_ < lines_.size(); autosaveLines_++) {
    piece += lines_[autosaveLines_].text;
    piece += '\n';
  }
  writer_->request(autosavePath_, std::move(piece), reset);
  autosavedGen_ = editGen_;
}

void AppState::flushAutosave() {
  if (!writer_) return;
  writer_->flush();
  if (std::string e = writer_->takeError(); !e.empty()) error_ = Said::of(S::MsgAutosaveFailed, e);
}

std::string AppState::autosaveOrigin(const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  std::string first;
  if (!f || !std::getline(f, first)) return {};
  if (first.compare(0, kAutosaveHeader.size(), kAutosaveHeader) != 0) return {};
  return first.substr(kAutosaveHeader.size());
}

bool AppState::restoreAutosave(const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  if (!f) {
    error_ = Said::of(S::MsgCannotOpen, file, std::strerror(errno));
    return false;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  std::string origin;
  if (text.compare(0, kAutosaveHeader.size(), kAutosaveHeader) == 0) {
    std::size_t nl = text.find('\n');
    origin = text.substr(kAutosaveHeader.size(), nl == std::string::npos ? std::string::npos : nl - kAutosaveHeader.size());
    text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
  }
  if (!loadScriptText(text, origin.empty() ? std::string("untitled") : origin)) return false;
  scriptPath_ = origin;
  edited(); // not saved anywhere yet
  status_ = Said::of(S::MsgRestored, origin.empty() ? std::string(tr(S::FileUntitled)) : origin,
                        session_->opCount());
  syncAutosave();
  return true;
}

void AppState::afterBatch() { syncAutosave(); }

bool AppState::needSession() {
  if (session_) return true;
  error_ = Said::of(S::MsgNoMap);
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
    error_ = Said::of(S::MsgKeyEmpty);
    return false;
  }
  if (!parseKeyToken(tok, keyKind(), out, why)) {
    error_ = Said::of(S::MsgKeyBad, why);
    return false;
  }
  return true;
}

bool AppState::applyLines(const std::vector<std::string>& lines, const char* source, bool typed) {
  if (!needSession()) return false;
  const std::size_t firstNew = session_->opCount();
  bool ok = true;
  for (const std::string& text : lines) {
    ScriptParser p = parser_;
    std::optional<ScriptError> perr;
    auto op = p.parseLine(text, ++inputLine_, perr);
    if (perr) {
      if (typed) {
        // Point at what was typed, not at a file: the text, and a caret under the column.
        const int col = std::max(1, perr->column);
        error_ = Said::of(S::MsgCommandError, text, col, perr->message);
        error_ += fmt::format("\n  {}\n  {}^", text, std::string(static_cast<std::size_t>(col - 1), ' '));
      } else {
        error_ = fmt::format("{}: {}", source, perr->message);
      }
      ok = false;
      break;
    }
    if (!op) continue;
    if (op->kind == ScriptOp::Kind::Hash) {
      uint64_t h = session_->map().peekHash(op->key);
      status_ = Said::of(S::MsgHash, keyText(op->key), h,
                            h & bucketMask(session_->map().header().B), session_->map().header().B, tophash(h));
      continue;
    }
    const std::size_t before = session_->opCount();
    std::string e = applyScriptOp(*session_, *op);
    if (!e.empty()) {
      error_ = Said::of(S::MsgOpError, source, op->text, e);
      ok = false;
      break;
    }
    parser_ = p;
    const std::size_t after = session_->opCount();
    lines_.push_back(lineOf(*op, before, after));
    for (std::size_t k = before; k < after; k++) opTexts_.push_back(op->text);
    if (op->kind == ScriptOp::Kind::Put) noteKey(op->key);
  }
  if (session_->opCount() > firstNew) {
    edited();
    afterAppend(firstNew);
    // The counts the status line shows follow the session (a hash line's answer stays).
    if (lines.size() != 1 || lines[0].rfind("hash", 0) != 0)
      status_ = Said::of(S::MsgLoaded, displayName(), session_->opCount(), session_->eventCount());
  }
  if (ok) error_.clear();
  afterBatch();
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

bool AppState::runLine(std::string_view line) { return applyLines({std::string(line)}, tr(S::Run), true); }

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
    error_ = Said::of(S::MsgValueBad, vt);
    return false;
  }
  return applyLines({fmt::format("put {} {}", keyText(k), v)}, tr(S::Insert), false);
}

bool AppState::remove(std::string_view key) {
  KeyValue k;
  if (!needSession() || !parseKey(key, k)) return false;
  return applyLines({fmt::format("del {}", keyText(k))}, tr(S::Delete), false);
}

bool AppState::lookup(std::string_view key) {
  KeyValue k;
  if (!needSession() || !parseKey(key, k)) return false;
  return applyLines({fmt::format("get {}", keyText(k))}, tr(S::Lookup), false);
}

bool AppState::iterate() { return applyLines({"iter"}, tr(S::Iterate), false); }
bool AppState::clear() { return applyLines({"clear"}, tr(S::Clear), false); }

bool AppState::insertRange(std::string_view range) {
  if (!needSession()) return false;
  std::string r(range);
  r.erase(std::remove(r.begin(), r.end(), ' '), r.end());
  auto dots = r.find("..");
  int64_t a = 0, b = 0;
  if (dots == std::string::npos || !parseInt64Token(r.substr(0, dots), a) || !parseInt64Token(r.substr(dots + 2), b)) {
    error_ = Said::of(S::MsgRangeBad, r);
    return false;
  }
  if (b < a) {
    error_ = Said::of(S::MsgRangeEmpty, a, b);
    return false;
  }
  if (static_cast<uint64_t>(b) - static_cast<uint64_t>(a) >= 100000) {
    error_ = Said::of(S::MsgRangeTooBig);
    return false;
  }
  std::vector<std::string> lines;
  for (int64_t i = a;; i++) {
    KeyValue k;
    std::string why;
    std::string tok = std::to_string(i);
    if (!parseKeyToken(tok, keyKind(), k, why)) {
      error_ = Said::of(S::MsgRangeKey, why);
      return false;
    }
    int64_t v = static_cast<int64_t>(static_cast<uint64_t>(i) * 10);
    lines.push_back(fmt::format("put {} {}", keyText(k), v));
    if (i == b) break;
  }
  return applyLines(lines, tr(S::InsertRange), false);
}

bool AppState::insertRandom(int64_t n) {
  if (!needSession()) return false;
  if (n <= 0 || n > 100000) {
    error_ = Said::of(S::MsgRandomCount);
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
  return applyLines(lines, tr(S::InsertRandom), false);
}

bool AppState::insertColliding(uint64_t bucket, int n, bool sameHash) {
  if (!needSession()) return false;
  if (n <= 0 || n > 1000) {
    error_ = Said::of(S::MsgCollideCount);
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
    error_ = Said::of(S::MsgCollideNoBucket, bucket, B, mask);
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
    return applyLines(lines, tr(S::Collide), false);
  }
  const uint64_t budget = 200'000'000;
  uint64_t tries = 0;
  while (static_cast<int>(lines.size()) < n) {
    std::string tok = freshKey();
    KeyValue k;
    std::string why;
    if (!parseKeyToken(tok, keyKind(), k, why)) {
      error_ = Said::of(S::MsgCollideKey, why);
      return false;
    }
    if ((m.peekHash(k) & mask) == bucket) lines.push_back(fmt::format("put {} {}", tok, lines.size()));
    if (++tries > budget) {
      error_ = Said::of(S::MsgCollideTries, lines.size(), bucket, tries);
      session_->seek(pos);
      return false;
    }
  }
  return applyLines(lines, tr(S::Collide), false);
}

bool AppState::startBulk(int64_t n, bool random) {
  if (!needSession()) return false;
  if (n <= 0 || n > 20'000'000) {
    error_ = Said::of(S::MsgBulkCount);
    return false;
  }
  job_ = BulkJob{random ? BulkJob::Kind::Random : BulkJob::Kind::Sequential, n, 0, session_->eventCount()};
  playing_ = false;
  status_ = Said::of(S::MsgInsertingN, n);
  return true;
}

bool AppState::insertUntilGrow() {
  if (!needSession()) return false;
  if (session_->map().isNil()) {
    error_ = Said::of(S::MsgNilMap);
    return false;
  }
  job_ = BulkJob{BulkJob::Kind::UntilGrow, 50'000'000, 0, session_->eventCount()};
  playing_ = false;
  status_ = Said::of(S::MsgUntilGrowRunning);
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
      error_ = Said::of(S::MsgBulkError, perr ? perr->format() : std::string("internal error"));
      job_ = {};
      break;
    }
    const std::size_t before = session_->opCount();
    const uint64_t ev0 = session_->eventCount();
    std::string e = applyScriptOp(*session_, *op);
    if (!e.empty()) {
      error_ = Said::of(S::MsgBulkError, e);
      job_ = {};
      break;
    }
    lines_.push_back(lineOf(*op, before, session_->opCount()));
    edited();
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
    status_ = Said::of(S::MsgInsertingProgress, job_.done, job_.total);
    return;
  }
  afterBatch();
  if (grewAt) {
    // Show the op that starts the grow, from its first event.
    session_->seek(static_cast<int64_t>(session_->firstEventOfOp(*grewAt)));
    status_ = Said::of(S::MsgGrewAt, job_.done, opText(*grewAt));
  } else {
    session_->seekEnd();
    status_ = Said::of(S::MsgInsertedN, job_.done, session_->opCount(),
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
  std::size_t keep = session_->opCount();
  if (keep == before) {
    status_ = Said::of(S::MsgNothingAfter);
    return true;
  }
  // The first line that lost a session op. A make line produces two (make,
  // seed) and the cursor can sit between them, or inside the make itself: the
  // map must stay made, so such a line is kept whole and its ops appended again.
  std::size_t cut = lines_.size();
  for (std::size_t i = 0; i < lines_.size(); i++) {
    if (lines_[i].opEnd > keep) {
      cut = i;
      break;
    }
  }
  opTexts_.resize(keep);
  if (cut < lines_.size() && lines_[cut].isMake) {
    bool firstMake = true;
    for (std::size_t i = 0; i < cut; i++) firstMake = firstMake && !lines_[i].isMake;
    const Line& l = lines_[cut];
    if (l.opBegin < keep || firstMake) {
      if (l.opBegin >= keep) session_->append(*requestOf(ScriptOp::Kind::Make, KeyValue{}, l.hint));
      session_->appendSeed(l.hash0);
      keep = session_->opCount();
      while (opTexts_.size() < keep) opTexts_.push_back(l.text);
      // The lines after the make that belong to it (an expect, comments) stay.
      while (cut < lines_.size() && lines_[cut].opEnd <= keep) cut++;
    }
  }
  lines_.resize(cut);
  // Narration lines narrate the op that follows them: after the last kept op
  // they would narrate nothing (an error when the file is read again).
  {
    std::size_t lastOp = lines_.size();
    while (lastOp > 0 && !lines_[lastOp - 1].isOp) lastOp--;
    auto dangling = [](const Line& l) {
      std::string_view t = l.text;
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      return !l.isOp && t.rfind("narration", 0) == 0 && t.size() > 9 && (t[9] == ' ' || t[9] == '\t');
    };
    lines_.erase(std::remove_if(lines_.begin() + static_cast<std::ptrdiff_t>(lastOp), lines_.end(), dangling), lines_.end());
  }
  // The loaded script's ops past the cut produced nothing now (the Lesson
  // panel must not give their narration to ops typed later at those indices).
  for (auto& r : scriptOps_) {
    r.first = std::min(r.first, keep);
    r.second = std::min(r.second, keep);
  }
  // The parser must see the map kind of the kept lines only: it does (a
  // session never changes kind).
  edited();
  sessionId_++;
  stack_.invalidate();
  touched();
  status_ = Said::of(S::MsgDropped, before - keep, session_->opCount(), session_->eventCount());
  afterBatch();
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
  // A long job writes the autosave every few seconds (batches write it at their end).
  sinceAutosave_ += dt;
  if (sinceAutosave_ > 3 && dirty() && autosavedGen_ != editGen_) syncAutosave();
  if (!playing_ || !session_) return;
  const int64_t steps = playbackSteps(playAcc_, dt, std::max(0.1, speed_));
  if (steps <= 0) return;
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
