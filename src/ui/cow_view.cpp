#include "ui/cow_view.hpp"

#include <fmt/format.h>

#include "concurrency/consistency.hpp"
#include "ui/strings.hpp"
#include "ui/theme.hpp"

namespace gomap::ui {

using namespace gomap::race::cow;

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }

// A version as the class reads it: #id {k: v, ...}.
std::string versionText(const Version* v) {
  if (!v) return "nil";
  std::string s = fmt::format("#{} {{", v->id);
  bool first = true;
  for (const auto& [k, val] : v->m) {
    s += fmt::format("{}{}: {}", first ? "" : ", ", keyText(k), val);
    first = false;
  }
  return s + "}";
}
} // namespace

void fillInPlaceCowFrame(const race::World& w, CowFrame& cf, std::string step, int currentG) {
  const race::Scenario& sc = w.scenario();
  cf.inPlaceMap.emplace(Variant::InPlace, sc.kind);
  std::vector<std::pair<KeyValue, int64_t>> live;
  for (const race::Cell& c : race::liveCells(w.map())) live.emplace_back(c.key, c.value);
  cf.inPlaceMap->init(live); // #1: the map the pointer has published since the constructor
  cf.map = &*cf.inPlaceMap;
  cf.inPlaceRuns.clear();
  cf.inPlaceRuns.reserve(static_cast<std::size_t>(w.goroutines())); // Held points into it
  cf.goroutines.clear();
  for (int g = 1; g <= w.goroutines(); g++) {
    const race::GoroutineView v = w.view(g);
    CowFrame::Held h{g, nullptr, {}};
    if ((v.state == race::GoroutineView::State::InOp || v.state == race::GoroutineView::State::Died) && v.instr &&
        v.instr->isMapOp()) {
      Run r = cf.map->start(v.instr->kind == race::Instr::Kind::Put, v.instr->key, v.instr->value);
      r.held = cf.map->published(); // p := c.p.Load(): the published map itself
      r.heldLoaded = true;
      cf.inPlaceRuns.push_back(std::move(r));
      h.run = &cf.inPlaceRuns.back();
      h.op = v.instr->text;
    }
    cf.goroutines.push_back(std::move(h));
  }
  cf.current.reset();
  cf.step = std::move(step);
  cf.currentG = currentG;
}

void CowView::draw(UiContext&, const Frame& fr) {
  lines.clear();
  caption.clear();
  help.clear();
  const CowFrame* f = fr.cow;
  if (!f || !f->map) return;
  const CowMap& m = *f->map;
  // The cursor's step: by whom, and what it did.
  if (!f->step.empty()) {
    caption = f->step;
    goroutineStepCaption(f->currentG, goroutineColour(f->currentG), caption);
  } else {
    caption = tr(S::CowNoStep);
    textWrapped(caption);
  }
  ImGui::Separator();
  // The atomic word and the version it publishes.
  const Version* pub = m.published().get();
  const bool value = m.variant() == Variant::ValueStore || m.variant() == Variant::ValueCas;
  textWrapped(F(S::CowVariant, variantName(m.variant()),
                tr(value ? S::CowWordValue : S::CowWordPointer)));
  if (pub) {
    lines.push_back("published " + versionText(pub));
    textWrapped(F(S::CowPublished, versionText(pub)));
  } else {
    lines.push_back("published nil");
    textWrapped(tr(value ? S::CowEmptyValue : S::CowNilPointer));
  }
  lines.push_back(fmt::format("versions {} casFailures {}", m.versionsMade(), m.casFailures()));
  {
    // "1 version", and no CompareAndSwap count for the variants that have none (ptrstore, valuestore).
    std::string counts = F(m.versionsMade() == 1 ? S::CowVersionsOne : S::CowVersions, m.versionsMade());
    if (m.variant() == race::cow::Variant::PtrCas || m.variant() == race::cow::Variant::ValueCas)
      counts += F(m.casFailures() == 1 ? S::CowCasFailuresOne : S::CowCasFailures, m.casFailures());
    cowCounts = counts;
    textWrapped(counts);
  }
  ImGui::Spacing();
  // Each goroutine's method in flight: what it loaded, its copy, its retries.
  if (ImGui::BeginTable("##cowheld", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr(S::CowColG), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(tr(S::CowColOp));
    ImGui::TableSetupColumn(tr(S::CowColHeld));
    ImGui::TableSetupColumn(tr(S::CowColCopy));
    ImGui::TableSetupColumn(tr(S::CowColRetries), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const CowFrame::Held& h : f->goroutines) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      colouredText(goroutineColour(h.g), fmt::format("G{}", h.g).c_str());
      ImGui::TableSetColumnIndex(1);
      textWrapped(h.run ? h.op : std::string(tr(S::CowNoMethod)));
      if (!h.run) {
        lines.push_back(fmt::format("G{} idle", h.g));
        continue;
      }
      const Run& r = *h.run;
      const Version* held = r.heldLoaded ? r.held.get() : nullptr;
      ImGui::TableSetColumnIndex(2);
      std::string heldText = r.heldLoaded ? versionText(held) : std::string("-");
      // A version no longer published: its CAS will fail (ptrcas, valuecas), its Store will drop what others published (ptrstore).
      const bool stale = r.heldLoaded && held != pub;
      if (stale) colouredText(palette().error, (heldText + "  " + tr(S::CowStale)).c_str());
      else textWrapped(heldText);
      ImGui::TableSetColumnIndex(3);
      const std::string copyText = r.copy ? versionText(r.copy.get()) : std::string("-");
      textWrapped(copyText);
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%u", r.retries);
      lines.push_back(fmt::format("G{} {} holds {} copy {} retries {}{}", h.g, h.op, heldText, copyText, r.retries,
                                  stale ? " stale" : ""));
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  help = tr(m.variant() == Variant::InPlace      ? S::CowHelpInPlace
            : m.variant() == Variant::PtrStore   ? S::CowHelpStore
            : m.variant() == Variant::ValueCas   ? S::CowHelpValueCas
            : m.variant() == Variant::ValueStore ? S::CowHelpValueStore
                                                 : S::CowHelpCas);
  textWrapped(help);
  ImGui::PopStyleColor();
}

} // namespace gomap::ui
