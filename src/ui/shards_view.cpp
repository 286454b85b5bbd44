#include "ui/shards_view.hpp"

#include <fmt/format.h>

#include "engine/runtime_consts.hpp"
#include "ui/strings.hpp"
#include "ui/theme.hpp"

namespace gomap::ui {

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }
} // namespace

void ShardsView::draw(UiContext& ui, const Frame& fr) {
  lines.clear();
  caption.clear();
  bucketsShown = -1;
  choiceRects.clear();
  const ShardsFrame* f = fr.shards;
  if (!f || !f->shards) return;
  if (!f->step.empty()) {
    caption = f->step;
    goroutineStepCaption(f->currentG, goroutineColour(f->currentG), caption);
  } else {
    caption = tr(S::ShNoStep);
    textWrapped(caption);
  }
  ImGui::Separator();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  textWrapped(F(S::ShHelp, f->shards->size()));
  ImGui::PopStyleColor();
  const float fs = ImGui::GetFontSize();
  for (int s = 0; s < f->shards->size(); s++) {
    const Hmap& h = f->shards->map(s).header();
    const bool writing = (h.flags & hashWriting) != 0;
    const bool current = s == f->currentShard;
    lines.push_back(fmt::format("shard {} count {} B {} writing {}{}", s, h.count, h.B, writing ? 1 : 0,
                                current ? " current" : ""));
    ImGui::PushID(s);
    const ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    ImGui::Text("%s", F(S::ShShard, s, h.count, h.B).c_str());
    ImGui::SameLine();
    if (writing) colouredText(palette().error, tr(S::ShWriting));
    else ImGui::TextDisabled("%s", tr(S::ShNotWriting));
    if (s < static_cast<int>(f->lockText.size())) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", f->lockText[static_cast<std::size_t>(s)].c_str());
    }
    const auto& cells = f->cells[static_cast<std::size_t>(s)];
    std::string keys;
    for (const race::Cell& c : cells) {
      const std::string kv = fmt::format("{} = {}", keyText(c.key), c.value);
      lines.push_back(fmt::format("shard {} {}", s, kv));
      keys += (keys.empty() ? "" : "   ") + kv;
    }
    ImGui::Indent(fs);
    if (keys.empty()) ImGui::TextDisabled("%s", tr(S::ShEmpty));
    else textWrapped(keys);
    ImGui::Unindent(fs);
    ImGui::EndGroup();
    if (current) { // the cursor's step was in this shard's map: framed in its goroutine's colour
      const ImVec2 a = top, b = ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x, ImGui::GetItemRectMax().y);
      ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - 3, a.y - 2), ImVec2(b.x, b.y + 2), goroutineColour(f->currentG), 3.0f, 0, 2.0f);
    }
    ImGui::PopID();
    ImGui::Spacing();
  }
  // One shard's buckets through the classic map views (the step's shard, or the one chosen).
  const int n = static_cast<int>(f->frames.size());
  if (n == 0) return;
  ImGui::Separator();
  if (ImGui::RadioButton(tr(S::ShFollow), chosen < 0)) chosen = -1;
  choiceRects.push_back({ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
  for (int s = 0; s < n; s++) {
    ImGui::SameLine();
    ImGui::PushID(s);
    if (ImGui::RadioButton(fmt::format("{}", s).c_str(), chosen == s)) chosen = s;
    choiceRects.push_back({ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    ImGui::PopID();
  }
  int s = chosen >= 0 && chosen < n ? chosen : f->currentShard >= 0 ? f->currentShard : 0;
  bucketsShown = s;
  lines.push_back(fmt::format("buckets of shard {}", s));
  textWrapped(F(S::ShBucketsOf, s));
  const float h = std::max(fs * 18, ImGui::GetContentRegionAvail().y);
  ImGui::BeginChild("##shardbuckets", ImVec2(0, h), true);
  buckets_.draw(ui, f->frames[static_cast<std::size_t>(s)]);
  ImGui::EndChild();
}

} // namespace gomap::ui
