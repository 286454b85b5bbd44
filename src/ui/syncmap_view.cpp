#include "ui/syncmap_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "concurrency/world.hpp"
#include "ui/strings.hpp"
#include "ui/syncmap_state.hpp"
#include "ui/theme.hpp"

namespace gomap::ui {

using namespace gomap::syncmap;

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }

std::string pText(const syncmap::Entry& e) {
  if (e.p == PState::Value) return fmt::format("&cell#{}", e.cell);
  return std::string(pStateName(e.p));
}

// One map's rows: key, entry (its identity), p, the boxed value.
void entryTable(const char* id, const KeyMap& m, const KeyMap* other, const char* prefix, std::vector<std::string>& lines) {
  if (!ImGui::BeginTable(id, other ? 5 : 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) return;
  ImGui::TableSetupColumn(tr(S::SmColKey));
  ImGui::TableSetupColumn(tr(S::SmColEntry));
  ImGui::TableSetupColumn(tr(S::SmColP));
  ImGui::TableSetupColumn(tr(S::SmColValue));
  if (other) ImGui::TableSetupColumn("");
  ImGui::TableHeadersRow();
  for (const auto& [k, e] : m) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    const std::string key = keyText(k);
    ImGui::TextUnformatted(key.c_str());
    ImGui::TableSetColumnIndex(1);
    ImGui::Text("#%u", e->id);
    ImGui::TableSetColumnIndex(2);
    const std::string p = pText(*e);
    if (e->p == PState::Expunged) colouredText(palette().error, p.c_str());
    else if (e->p == PState::Nil) ImGui::TextDisabled("%s", p.c_str());
    else ImGui::TextUnformatted(p.c_str());
    ImGui::TableSetColumnIndex(3);
    if (e->p == PState::Value) ImGui::Text("%lld", static_cast<long long>(e->value));
    bool shared = false;
    if (other) {
      auto it = other->find(k);
      shared = it != other->end() && it->second == e;
      ImGui::TableSetColumnIndex(4);
      if (shared) ImGui::TextDisabled("%s", tr(S::SmShared));
    }
    lines.push_back(fmt::format("{} {} -> entry #{} {}{}{}", prefix, key, e->id, p,
                                e->p == PState::Value ? fmt::format(" {}", e->value) : "", shared ? " shared" : ""));
  }
  ImGui::EndTable();
}
} // namespace

std::string mutexStateUi(int32_t state) {
  // Go's constant names and the waiter count.
  std::string s = fmt::format("{:#x}", static_cast<uint32_t>(state)), parts;
  auto add = [&](const std::string& p) { parts += parts.empty() ? p : " | " + p; };
  if (state & race::kMutexLocked) add("mutexLocked");
  if (state & race::kMutexWoken) add("mutexWoken");
  if (state & race::kMutexStarving) add("mutexStarving");
  if (const int32_t n = state >> race::kMutexWaiterShift) add(F(S::SmaWaiters, n));
  if (parts.empty()) {
    s += ' ';
    s += tr(S::SmaUnlocked);
  } else {
    s += " = ";
    s += parts;
  }
  return s;
}

std::string mutexStepText(const race::World& w, const race::TraceEntry& t) {
  using A = race::SyncAct;
  static constexpr S acts[] = {S::SmaAcquired,     S::SmaParked,         S::SmaParkedAgain,     S::SmaReleased,
                               S::SmaReleasedWoke, S::SmaReaderIn,       S::SmaReaderParked,    S::SmaReaderOut,
                               S::SmaReaderDeparting, S::SmaReaderDeparted, S::SmaReaderWokeWriter,
                               S::SmaWriterAnnounced, S::SmaWriterWaits, S::SmaWriterIn,        S::SmaWriterParked,
                               S::SmaWriterReleased, S::SmaFatal};
  static_assert(std::size(acts) == static_cast<std::size_t>(A::Fatal) + 1, "one sentence per SyncAct");
  static constexpr const char* kinds[] = {"Lock", "Unlock", "RLock", "RUnlock"}; // the methods' names
  std::string state = mutexStateUi(t.state);
  if (w.mutexIsRw(t.mutex)) state += F(S::SmaRw, t.readerCount, t.readerWait);
  std::string s = F(S::SmaStep, kinds[static_cast<int>(t.sync)], w.mutexName(t.mutex),
                    tr(acts[static_cast<int>(t.act)]), t.rwFile ? "rwmutex.go" : "mutex.go", t.line, state);
  for (int g = 1; g <= 8; g++)
    if (t.woke & (1u << (g - 1))) s += F(S::SmaWakes, g);
  return s;
}

void SyncMapView::draw(UiContext&, const Frame& fr) {
  lines.clear();
  caption.clear();
  const SyncMapFrame* f = fr.syncMap;
  if (f && !f->map) { // a sync.Map script before its make (a race always has its map)
    caption = f->muStep; // the controller's "before the script's first op"
    textWrapped(caption);
  }
  if (!f || !f->map) return;
  const SyncMap& m = *f->map;
  // What the current step did, by whom, at which line of sync/map.go.
  if (!f->muStep.empty()) {
    caption = f->muStep;
    colouredText(goroutineColour(f->currentG), fmt::format("G{}", f->currentG).c_str());
    ImGui::SameLine();
    textWrapped(caption);
  } else if (f->current && f->current->kind == SyncKind::Collected) {
    const SyncSiteInfo& si = siteInfo(f->current->site);
    const auto p = payloadOf<SyncKind::Collected>(*f->current);
    caption = F(S::SmGcCaption, f->currentG, si.line, p.readonly, p.entry, p.cell, p.box);
    colouredText(goroutineColour(f->currentG), fmt::format("G{}", f->currentG).c_str());
    ImGui::SameLine();
    textWrapped(caption.c_str() + caption.find("  ") + 2);
  } else if (f->current) {
    const SyncSiteInfo& si = kSyncSiteTable[static_cast<std::size_t>(f->current->site)];
    caption = fmt::format("G{}  {}  —  sync.(*Map).{}  sync/map.go:{}  {}", f->currentG, f->currentOp, si.function,
                          si.line, syncSiteWhat(f->current->site));
    colouredText(goroutineColour(f->currentG), fmt::format("G{}", f->currentG).c_str());
    ImGui::SameLine();
    textWrapped(caption.c_str() + caption.find("  ") + 2);
  } else {
    caption = tr(S::SmNoEvent);
    ImGui::TextUnformatted(caption.c_str());
  }
  ImGui::Separator();
  // read
  const ReadOnly* r = m.read();
  if (!r) {
    lines.push_back("read nil");
    textWrapped(tr(S::SmReadNil));
  } else {
    const std::size_t n = r->m ? r->m->size() : 0;
    const std::string t = F(n == 1 ? S::SmReadOne : S::SmRead, r->id, r->amended, n);
    lines.push_back(fmt::format("read -> readOnly #{} amended {} keys {}", r->id, r->amended, n));
    textWrapped(t);
    if (r->m && !r->m->empty()) entryTable("##smread", *r->m, m.dirty(), "read.m", lines);
  }
  ImGui::Spacing();
  // dirty
  if (const KeyMap* d = m.dirty()) {
    lines.push_back(fmt::format("dirty keys {}", d->size()));
    ImGui::TextUnformatted(F(d->size() == 1 ? S::SmDirtyOne : S::SmDirty, d->size()).c_str());
    if (!d->empty()) entryTable("##smdirty", *d, r && r->m ? r->m.get() : nullptr, "dirty", lines);
  } else {
    lines.push_back("dirty nil");
    ImGui::TextUnformatted(tr(S::SmDirtyNil));
  }
  ImGui::Spacing();
  // misses against len(dirty): the promotion gauge
  const int64_t dl = m.dirty() ? static_cast<int64_t>(m.dirty()->size()) : 0;
  lines.push_back(fmt::format("misses {} len(dirty) {}", m.misses(), dl));
  ImGui::TextUnformatted(F(S::SmMisses, m.misses(), dl).c_str());
  const float frac = dl > 0 ? std::min(1.0f, static_cast<float>(m.misses()) / static_cast<float>(dl)) : 0.0f;
  ImGui::ProgressBar(frac, ImVec2(-1, 0), fmt::format("{} / {}", m.misses(), dl).c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  textWrapped(tr(S::SmPromoteHelp));
  ImGui::PopStyleColor();
  // The heap: per kind, allocated and freed so far (as the dump's allocs and
  // frees, checked against the real runtime), and what the roots reach now.
  ImGui::Spacing();
  textWrapped(tr(S::SmHeap));
  const syncmap::HeapCounts& al = m.allocs();
  const syncmap::HeapCounts& freed = m.frees();
  std::vector<const Held*> roots;
  for (const auto& s : f->stacks) roots.push_back(s.held);
  const syncmap::HeapCounts rc = m.reachable(roots);
  for (int k = 0; k < syncmap::kHeapKinds; k++) {
    const auto kind = static_cast<syncmap::HeapKind>(k);
    lines.push_back(fmt::format("heap {} allocs {} frees {} reachable {}", syncmap::heapKindName(kind), al[kind], freed[kind],
                                rc[kind]));
    ImGui::BulletText("%s", F(S::SmHeapRow, syncmap::heapKindName(kind), al[kind], freed[kind], rc[kind]).c_str());
  }
  if (f->stacks.empty()) return;
  // What each goroutine in a method holds: an older read.m keeps its entries
  // alive (lesson 14e), a Store's &value its cell and box.
  ImGui::Spacing();
  textWrapped(tr(S::SmStacks));
  for (const auto& s : f->stacks) {
    const Held& h = *s.held;
    std::vector<std::string> parts, plain;
    bool stale = false;
    if (h.read && *h.read) {
      const ReadOnly& ro = **h.read;
      stale = &ro != m.read();
      parts.push_back(F(S::SmStackRead, ro.id) + (stale ? " " + std::string(tr(S::SmStackStale)) : ""));
      plain.push_back(fmt::format("read #{}{}", ro.id, stale ? " stale" : ""));
    }
    for (const auto* e : {h.e, h.d})
      if (e && *e) {
        parts.push_back(F(S::SmStackEntry, (*e)->id));
        plain.push_back(fmt::format("entry #{}", (*e)->id));
      }
    auto cell = [&](const HeldCell& c, const char* what) {
      if (!c.present) return;
      // (a Store's &value is allocated at once and numbered when a cell of the map takes it)
      const std::string id = c.id ? fmt::format("#{}", c.id) : std::string(tr(S::SmsCellNotNumbered));
      parts.push_back(F(S::SmStackCell, what, id) + (c.box ? " + box" : ""));
      plain.push_back(fmt::format("{} cell {}{}", what, id, c.box ? " box" : ""));
    };
    cell(h.own, "&value");
    cell(h.copy, "ic");
    cell(h.loaded, "p");
    std::string text;
    for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
    if (text.empty()) text = tr(S::SmStackNothing);
    std::string line = fmt::format("stack G{}:", s.g);
    for (const auto& p : plain) line += " " + p;
    lines.push_back(line);
    const std::string row = F(S::SmStackRow, s.g, s.op, text);
    ImGui::Bullet();
    ImGui::SameLine();
    if (stale) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(goroutineColour(s.g)));
    textWrapped(row);
    if (stale) ImGui::PopStyleColor();
  }
}

} // namespace gomap::ui
