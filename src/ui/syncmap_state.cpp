#include "ui/syncmap_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "trace/script_runner.hpp"
#include "trace/syncmap_text.hpp"
#include "ui/strings.hpp"

namespace gomap::ui {

using namespace gomap::syncmap;

namespace {
// The payload's words in the UI's language (the facts are trace's syncPayloadText's).
const SyncWords& words() {
  if (language() != Lang::Zh) return kSyncWordsEn;
  static const SyncWords zh{tr(S::SmwValue),     tr(S::SmwReturns), tr(S::SmwNil),     tr(S::SmwReadNever),
                            tr(S::SmwReadOnly),  tr(S::SmwFound),   tr(S::SmwMissing), tr(S::SmwAbsent),
                            tr(S::SmwSwapped),   tr(S::SmwFailed),  tr(S::SmwRangeCall), tr(S::SmwPublished),
                            tr(S::SmwFreed)};
  return zh;
}

constexpr SyncSiteText kSiteTexts[] = {
    {SyncSite::None, S::SmsNone},
    {SyncSite::LoadLock, S::SmsMissingAmendedLock},
    {SyncSite::LadLock, S::SmsMissingAmendedLock},
    {SyncSite::LoadReread, S::SmsReread},
    {SyncSite::StoreReread, S::SmsReread},
    {SyncSite::LosReread, S::SmsReread},
    {SyncSite::LadReread, S::SmsReread},
    {SyncSite::RangeReread, S::SmsReread},
    {SyncSite::LoadRelookup, S::SmsRelookupPromotion},
    {SyncSite::StoreRelookup, S::SmsRelookup},
    {SyncSite::LosRelookup, S::SmsRelookup},
    {SyncSite::LadRelookup, S::SmsRelookup},
    {SyncSite::LoadDirty, S::SmsLoadDirty},
    {SyncSite::LoadEndMissing, S::SmsNotFound},
    {SyncSite::LadEndMissing, S::SmsNotFound},
    {SyncSite::LoadEnd, S::SmsLoadEnd},
    {SyncSite::TryStoreCas, S::SmsTryStoreCas},
    {SyncSite::StoreEndFast, S::SmsStoredLockFree},
    {SyncSite::StoreDirtyPut, S::SmsWasExpunged},
    {SyncSite::LosDirtyPut, S::SmsWasExpunged},
    {SyncSite::StoreDirtyLookup, S::SmsStoreDirtyLookup},
    {SyncSite::StorePublish, S::SmsFirstNewKey},
    {SyncSite::LosPublish, S::SmsFirstNewKey},
    {SyncSite::StoreEnd, S::SmsStoreEnd},
    {SyncSite::TlosReload, S::SmsTlosReload},
    {SyncSite::LosEndFast, S::SmsCleanHit},
    {SyncSite::LosDirtyLookup, S::SmsLosDirtyLookup},
    {SyncSite::LadDirtyDelete, S::SmsLadDirtyDelete},
    {SyncSite::DeleteCas, S::SmsDeleteCas},
    {SyncSite::RangeLock, S::SmsAmendedLock},
    {SyncSite::RangePublish, S::SmsPromoteNow},
    {SyncSite::RangeNext, S::SmsRandomOrder},
    {SyncSite::DirtyNext, S::SmsRandomOrder},
    {SyncSite::RangeEnd, S::SmsRangeEnd},
    {SyncSite::MissCount, S::SmsMissCount},
    {SyncSite::MissPublish, S::SmsPromotion},
    {SyncSite::DirtyRead, S::SmsDirtyIsNil},
    {SyncSite::ExpungeReload, S::SmsExpungeReload},
    {SyncSite::DirtyCopy, S::SmsNotExpunged},
    {SyncSite::Gc, S::SmsGc},
};
} // namespace

std::span<const SyncSiteText> syncSiteTexts() { return kSiteTexts; }

std::string_view syncSiteWhat(SyncSite s) {
  if (language() == Lang::Zh)
    for (const SyncSiteText& t : kSiteTexts)
      if (t.site == s) return tr(t.text);
  return siteInfo(s).what;
}

std::string syncEventText(const SyncMapSession& s, uint64_t i) {
  const SyncMapSession::Op& o = s.op(s.opOfEvent(i));
  if (o.kind == SyncMapSession::Op::Kind::Make) return tr(S::SmoMadeStep);
  if (o.kind == SyncMapSession::Op::Kind::Gc)
    return fmt::format(fmt::runtime(tr(S::SmoGcStep)), o.freed.total(), syncHeapCountsText(o.freed));
  const SyncEvent& e = s.event(i);
  const SyncSiteInfo& si = siteInfo(e.site);
  const std::string p = syncPayloadText(e, words());
  return fmt::format("{}:{}  {}{}{}", si.function, si.line, syncSiteWhat(e.site), p.empty() ? "" : "  —  ", p);
}

bool SyncMapController::load(const std::vector<ScriptOp>& ops, const std::string& name, std::string& err) {
  auto s = SyncMapSession::fromScript(ops, name, err);
  if (!s) return false;
  texts_.clear();
  for (const ScriptOp& op : ops) texts_.push_back(op.text);
  adopt(std::move(s), name);
  return true;
}

std::optional<std::size_t> SyncMapController::scriptOpOf(std::size_t k) const {
  if (!session_ || !lesson_ || k >= session_->opCount()) return std::nullopt;
  return session_->op(k).scriptOp;
}

std::string_view SyncMapController::opText(std::size_t k) const {
  if (!session_ || k >= session_->opCount()) return {};
  const std::size_t so = session_->op(k).scriptOp;
  return so < texts_.size() ? std::string_view(texts_[so]) : std::string_view();
}

std::optional<KeyValue> SyncMapController::opKey(std::size_t k) const {
  if (!session_ || k >= session_->opCount()) return std::nullopt;
  const auto& o = session_->op(k);
  if (o.kind != SyncMapSession::Op::Kind::Method || o.req.code == SyncOpCode::Range) return std::nullopt;
  return o.req.key;
}

void SyncMapController::fillFrame(SyncMapFrame& sm, Frame& f) {
  f = Frame{};
  f.ctl = this;
  f.sessionId = sessionId_;
  sm = SyncMapFrame{};
  if (!session_) return;
  const SyncMapSession& s = *session_;
  f.position = s.position();
  f.currentOp = currentOp();
  f.syncMap = &sm;
  sm.map = s.map();
  sm.currentG = 1; // a script runs on the main goroutine, G1
  if (f.position < 0) {
    sm.muStep = tr(S::SmoBeforeMake);
    return;
  }
  const uint64_t i = static_cast<uint64_t>(f.position);
  sm.currentOp = std::string(opText(*f.currentOp));
  if (s.isStep(i)) sm.muStep = fmt::format("{}  —  {}", sm.currentOp, syncEventText(s, i)); // make, gc: a step of its own
  else sm.current = s.event(i);
}

} // namespace gomap::ui
