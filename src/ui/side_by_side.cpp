#include "ui/side_by_side.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "trace/compare.hpp"
#include "trace/source_file.hpp"
#include "ui/strings.hpp"

namespace gomap::ui {

struct SideBySide::Prepared {
  std::string text, name;
  bool fromFile = false; // name is the file's path (the classic session opens it, for Save and Open recent)
  CompareModel comparison;
  std::unique_ptr<SwissController> swiss;
  std::vector<uint32_t> swissOps;
  Said swissError, swissStatus; // the controller's strings until install rebinds them
};

SideBySide::SideBySide(AppState& app) : app_(&app) {}
SideBySide::~SideBySide() = default;

namespace {

// The Swiss session's script: the classic ops with `make` made `make swiss`
// at version v; pin and the one-word hashkey exist for the classic map only
// (compare leaves them out too). What the recorded Swiss session cannot hold
// (a nil map, a second make) is refused here, naming the line. swissOps gets,
// per classic op k, how many Swiss session ops ops 0..k produce (the rule of
// SwissSession::fromScript: nothing before make but make itself, one per map
// or configuration op after it, none for hash and dump).
bool swissScript(const std::vector<ScriptOp>& ops, swiss::Version v, const std::string& file,
                 std::vector<ScriptOp>& out, std::vector<uint32_t>& swissOps, std::string& err) {
  using K = ScriptOp::Kind;
  out.clear();
  swissOps.clear();
  swissOps.reserve(ops.size());
  ScriptOp version;
  version.kind = K::Version;
  version.version = v;
  version.text = fmt::format("version {}", swiss::versionName(v));
  out.push_back(version);
  bool made = false;
  uint32_t n = 0;
  for (const ScriptOp& op : ops) {
    auto fail = [&](const char* what) {
      err = SourceError{file, op.line, 1, what}.format();
      return false;
    };
    switch (op.kind) {
    case K::Make:
      if (made)
        return fail("expected one 'make' in a script shown side by side (the views draw one map each; "
                    "gomaplab compare SCRIPT runs scripts that make several)");
      made = true;
      out.push_back(op);
      out.back().swiss = true;
      n++;
      break;
    case K::Nil:
      return fail("expected 'make KIND HINT': a nil map has nothing to draw side by side "
                  "(gomaplab compare SCRIPT runs it)");
    case K::Pin: break;
    case K::HashKey:
      if (made) return fail("expected 'hashkey' before 'make'");
      break; // the one-word hashkey is the classic map's
    case K::Hash:
    case K::Dump: out.push_back(op); break;
    case K::Version: return fail("expected a classic op script: side by side chooses the Swiss map's version itself");
    case K::RngSeed:
    case K::HashMode:
      out.push_back(op);
      if (made) n++;
      break;
    case K::Put:
    case K::Del:
    case K::Get:
    case K::Clear:
    case K::Iter:
    case K::Seed:
      if (!made) return fail("expected 'make KIND HINT' before this op");
      out.push_back(op);
      n++;
      break;
    default: return fail("expected an op of a classic map script (make, put, get, del, clear, iter, ...)");
    }
    swissOps.push_back(n);
  }
  if (!made) {
    err = SourceError{file, 0, 0, "the script never makes a map (expected a 'make KIND HINT' line)"}.format();
    return false;
  }
  return true;
}

} // namespace

std::shared_ptr<SideBySide::Prepared> SideBySide::prepareText(std::string_view text, const std::string& name,
                                                              swiss::Version v, std::string& err) const {
  if (sourceKindOf(name, text) == SourceKind::Race) {
    err = SourceError{name, 1, 1, "expected an op script (make KIND HINT, put, ...): this is a race scenario; "
                                  "open it with File > Open"}.format();
    return nullptr;
  }
  std::optional<SourceError> perr;
  std::vector<ScriptOp> ops = compare::parseCompareScript(text, name, perr);
  if (perr) {
    err = perr->format();
    return nullptr;
  }
  if (!CompareModel::fits(ops, name, err)) return nullptr;
  auto p = std::make_shared<Prepared>();
  std::vector<ScriptOp> sw;
  if (!swissScript(ops, v, name, sw, p->swissOps, err)) return nullptr;
  p->swiss = std::make_unique<SwissController>(p->swissError, p->swissStatus);
  if (!p->swiss->load(sw, text, name, err)) return nullptr;
  // The counts must be the session's own (one op each, on the lines given).
  if (p->swissOps.empty() || p->swissOps.back() != p->swiss->session().opCount()) {
    err = fmt::format("{}: the Swiss session has {} ops where side by side counted {} (a bug: please report it)", name,
                      p->swiss->session().opCount(), p->swissOps.empty() ? 0u : p->swissOps.back());
    return nullptr;
  }
  if (!p->comparison.openOps(ops, name, v)) {
    err = p->comparison.error;
    return nullptr;
  }
  p->text = std::string(text);
  p->name = name;
  return p;
}

std::shared_ptr<SideBySide::Prepared> SideBySide::prepare(const std::string& path, swiss::Version v,
                                                          std::string& err) const {
  std::string text, why;
  if (!readSourceFile(path, text, why, "script")) {
    err = SourceError{path, 0, 0, why}.format();
    return nullptr;
  }
  auto p = prepareText(text, path, v, err);
  if (p) p->fromFile = true;
  return p;
}

bool SideBySide::install(const std::shared_ptr<Prepared>& p) {
  if (!p) return false;
  // The classic side is the op-script session: the script opens as any classic
  // script does (its path kept, for Save and the title). If it fails, the old
  // session stays (AppState replaces it only once the new one is built).
  if (p->fromFile) {
    // The file as it was checked (it may have changed while the user answered a question).
    std::string now, why;
    if (!readSourceFile(p->name, now, why, "script") || now != p->text) {
      app_->setError(fmt::format(fmt::runtime(tr(S::SbsCannotOpen)),
                                 SourceError{p->name, 0, 0, why.empty() ? "changed since it was checked: open it again" : why}.format()));
      return false;
    }
    if (!app_->openScript(p->name)) return false;
  } else if (!app_->loadScriptText(p->text, p->name)) {
    return false;
  }
  if (app_->swissMode() || !app_->hasSession()) { // parseCompareScript refused Swiss scripts: never
    app_->setError(fmt::format(fmt::runtime(tr(S::SbsCannotOpen)), p->name + ": expected a classic op script"));
    return false;
  }
  // Per script op: the classic session ops it and the ops before it produced.
  const Session& s = app_->session();
  std::vector<uint32_t> classic(p->swissOps.size(), 0);
  for (std::size_t j = 0; j < s.opCount(); j++)
    if (auto k = app_->scriptOpOf(j); k && *k < classic.size()) classic[*k] = std::max<uint32_t>(classic[*k], static_cast<uint32_t>(j + 1));
  for (std::size_t k = 1; k < classic.size(); k++) classic[k] = std::max(classic[k], classic[k - 1]);
  classicOps_ = std::move(classic);
  swissOps_ = std::move(p->swissOps);
  swiss_ = std::move(p->swiss);
  swiss_->rebind(swissError_, swissStatus_);
  comparison = std::move(p->comparison);
  appSession_ = app_->sessionId();
  shown_ = true;
  playing_ = false;
  synced_ = -2;
  revision_++;
  status_ = Said::of(S::SbsLoaded, p->name, comparison.ops(),
                        compare::versionName(comparison.options.version));
  sync();
  return true;
}

bool SideBySide::openText(std::string_view text, const std::string& name, swiss::Version v) {
  std::string err;
  auto p = prepareText(text, name, v, err);
  if (!p) {
    app_->setError(fmt::format(fmt::runtime(tr(S::SbsCannotOpen)), err));
    return false;
  }
  return install(p);
}

bool SideBySide::open(const std::string& path, swiss::Version v) {
  std::string err;
  auto p = prepare(path, v, err);
  if (!p) {
    app_->setError(fmt::format(fmt::runtime(tr(S::SbsCannotOpen)), err));
    return false;
  }
  return install(p);
}

bool SideBySide::shown() const {
  return shown_ && swiss_ && app_->hasSession() && !app_->swissMode() && app_->sessionId() == appSession_;
}

int64_t SideBySide::classicEventAfter(int64_t k) const {
  if (k < 0 || !app_->hasSession() || classicOps_.empty()) return -1;
  const Session& s = app_->session();
  const std::size_t n = classicOps_[std::min<std::size_t>(static_cast<std::size_t>(k), classicOps_.size() - 1)];
  const uint64_t end = n < s.opCount() ? s.firstEventOfOp(n) : s.eventCount();
  return static_cast<int64_t>(end) - 1;
}

int64_t SideBySide::swissEventAfter(int64_t k) const {
  if (k < 0 || !swiss_ || swissOps_.empty()) return -1;
  const SwissSession& s = swiss_->session();
  const std::size_t n = swissOps_[std::min<std::size_t>(static_cast<std::size_t>(k), swissOps_.size() - 1)];
  const uint64_t end = n < s.opCount() ? s.firstEventOfOp(n) : s.eventCount();
  return static_cast<int64_t>(end) - 1;
}

void SideBySide::sync() {
  if (!shown()) return;
  const int64_t k = comparison.cursor;
  const int64_t c = classicEventAfter(k), w = swissEventAfter(k);
  if (app_->position() != c) app_->seek(c);
  if (swiss_->position() != w) swiss_->seek(w);
  synced_ = k;
}

void SideBySide::seek(int64_t k) {
  if (!loaded()) return;
  comparison.seek(k);
  sync();
}

void SideBySide::togglePlay() {
  if (playing_) {
    playing_ = false;
    return;
  }
  if (op() + 1 >= static_cast<int64_t>(ops())) seek(-1); // from the start again
  playing_ = true;
  playAcc_ = 0;
}

void SideBySide::tick(double dt) {
  if (!playing_ || !shown()) return;
  const int64_t steps = playbackSteps(playAcc_, dt, std::max(0.1, speed_));
  if (steps <= 0) return;
  const int64_t last = static_cast<int64_t>(ops()) - 1;
  seek(std::min(last, op() + steps));
  if (op() >= last) playing_ = false;
}

std::string_view SideBySide::opText(std::size_t k) const {
  return k < comparison.series.rows.size() ? std::string_view(comparison.series.rows[k].text) : std::string_view();
}

std::optional<KeyValue> SideBySide::opKey(std::size_t) const { return std::nullopt; }

void SideBySide::fillFrames(SbsFrames& f) {
  sync();
  app_->fillFrame(f.classic);
  f.swiss = Frame{};
  if (!swiss_) return;
  swiss_->fillFrame(f.swissFrame);
  f.swiss.ctl = swiss_.get();
  f.swiss.swiss = &f.swissFrame;
  f.swiss.position = f.swissFrame.position;
  f.swiss.sessionId = f.swissFrame.sessionId;
}

} // namespace gomap::ui
