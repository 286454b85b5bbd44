#include "ui/header_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/runtime_consts.hpp"
#include "ui/event_text.hpp"

namespace gomap::ui {

namespace {
template <class... A> std::string F(S id, A&&... a) { return fmt::format(fmt::runtime(tr(id)), std::forward<A>(a)...); }
} // namespace

namespace {
void row(const char* field, const std::string& value, const char* note = nullptr) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextUnformatted(field);
  ImGui::TableSetColumnIndex(1);
  // The cell's right edge: a note that does not fit after the value goes under
  // it, wrapped (a large font in a narrow panel cut it off).
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  ImGui::TextUnformatted(value.c_str());
  if (note) {
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + ImGui::CalcTextSize(note).x > right) ImGui::NewLine();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", note);
    ImGui::PopTextWrapPos();
  }
}

void bar(float fraction, ImU32 colour, const std::string& overlay) {
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, colour);
  ImGui::ProgressBar(std::clamp(fraction, 0.0f, 1.0f), ImVec2(-1, 0), overlay.c_str());
  ImGui::PopStyleColor();
}
} // namespace

void HeaderView::draw(UiContext& ui, const Frame& f) {
  if (!f.loaded()) {
    ImGui::TextUnformatted(tr(S::NoMap));
    return;
  }
  const AnyMap& m = *f.map;
  const Hmap& h = m.header();
  const Palette& pal = palette();
  ImGui::PushFont(ui.fonts.mono);
  ImGui::TextWrapped("%s  (bmap %zu B)", m.goType().c_str(), m.bucketSize());
  ImGui::PopFont();
  if (m.isNil()) {
    ImGui::PushStyleColor(ImGuiCol_Text, pal.dim);
    textWrapped(tr(S::NilMap)); // wraps at a large font
    ImGui::PopStyleColor();
    return;
  }
  const uint64_t nb = bucketShift(h.B);
  const bool growing = m.growing();
  if (ImGui::BeginTable("hmap", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6.5f);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    row("count", groupDigits(static_cast<uint64_t>(h.count)), tr(S::NoteCount));

    // flags, bit by bit.
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted("flags");
    ImGui::TableSetColumnIndex(1);
    {
      static const char* names[4] = {"iterator", "oldIterator", "hashWriting", "sameSizeGrow"};
      const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x; // the cell's
      ImGui::Text("%d%d%d%d = %d", (h.flags >> 3) & 1, (h.flags >> 2) & 1, (h.flags >> 1) & 1, h.flags & 1, h.flags);
      for (int bit = 3; bit >= 0; bit--) {
        ImGui::SameLine();
        ImGui::SetWindowFontScale(0.85f);
        const float w = ImGui::CalcTextSize(names[bit]).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SetWindowFontScale(1.0f);
        if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        const bool on = (h.flags >> bit) & 1;
        // A coloured label, not a button: the bit shows state, a click on it
        // would do nothing.
        ImGui::SetWindowFontScale(0.85f);
        const ImVec2 ts = ImGui::CalcTextSize(names[bit]);
        const ImVec2 pad(ImGui::GetStyle().FramePadding.x, std::max(1.0f, ImGui::GetStyle().FramePadding.y * 0.5f));
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        const ImVec2 p1(p0.x + ts.x + pad.x * 2, p0.y + ts.y + pad.y * 2);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p0, p1, on ? pal.flagOn : pal.flagOff, ImGui::GetStyle().FrameRounding);
        dl->AddText(ImVec2(p0.x + pad.x, p0.y + pad.y), on ? IM_COL32(0, 0, 0, 255) : pal.dim, names[bit]);
        ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
        ImGui::SetWindowFontScale(1.0f);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", F(S::HdrBitTip, bit, 1 << bit).c_str());
      }
      // A race: which goroutine set hashWriting, and which cleared it last.
      if (f.race && (f.writingSetBy || f.writingClearedBy)) {
        const bool on = hashWritingSet(h.flags);
        const int g = on ? f.writingSetBy : f.writingClearedBy;
        if (g) {
          ImGui::PushStyleColor(ImGuiCol_Text, goroutineColour(g));
          ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(on ? S::RaceWritingSetBy : S::RaceWritingClearedBy)), g).c_str());
          ImGui::PopStyleColor();
        }
      }
    }
    row("B", fmt::format("{}", h.B), fmt::format("2^B = {} {}", groupDigits(nb), tr(S::BucketsWord)).c_str());

    // Load factor.
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(tr(S::LoadFactor));
    ImGui::TableSetColumnIndex(1);
    {
      const double lf = static_cast<double>(h.count) / static_cast<double>(nb);
      const int64_t limit = h.B == 0 ? 8 : static_cast<int64_t>(loadFactorNum * (nb / loadFactorDen));
      bar(static_cast<float>(lf / 6.5), lf >= 6.5 ? pal.error : pal.plotLoad,
          fmt::format("{:.2f} / 6.5", lf));
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", fmt::format(fmt::runtime(tr(S::NoteGrowAt)), limit + 1).c_str());
      ImGui::PopTextWrapPos();
    }

    // noverflow against its threshold.
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted("noverflow");
    ImGui::TableSetColumnIndex(1);
    {
      const uint64_t thr = uint64_t{1} << std::min<int>(h.B, 15);
      bar(static_cast<float>(h.noverflow) / static_cast<float>(thr), pal.plotNoverflow,
          fmt::format("{} / {}", h.noverflow, thr));
      if (h.B >= 16) ImGui::TextDisabled("%s", tr(S::NoteNoverflowApprox));
    }
    row("hash0", fmt::format("0x{:08x}", h.hash0), m.hashMode() == HashMode::Identity ? tr(S::NoteIdentity) : nullptr);
    row("buckets",
        h.buckets ? fmt::format("{} + {} {}", groupDigits(nb), m.arrayAllocated(false) - std::min<uint64_t>(nb, m.arrayAllocated(false)), tr(S::Spares)) : "nil");
    row("oldbuckets", growing ? fmt::format("{} {}", groupDigits(m.noldbuckets()), tr(S::BucketsWord)) : "nil");

    // Growth and evacuation progress.
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted("nevacuate");
    ImGui::TableSetColumnIndex(1);
    if (growing) {
      const uint64_t nold = m.noldbuckets();
      bar(static_cast<float>(h.nevacuate) / static_cast<float>(nold), pal.moveX,
          fmt::format("{} / {}", groupDigits(h.nevacuate), groupDigits(nold)));
      ImGui::TextUnformatted((h.flags & sameSizeGrow) ? tr(S::GrowSameSize)
                                                      : fmt::format(fmt::runtime(tr(S::GrowDoubling)), h.B - 1, h.B).c_str());
    } else {
      ImGui::Text("%llu", static_cast<unsigned long long>(h.nevacuate));
      ImGui::SameLine();
      ImGui::TextDisabled("%s", tr(S::NotGrowing));
    }
    row("extra", !h.extra ? std::string("nil")
                          : fmt::format("overflow {}{}  oldoverflow {}{}", h.hasOverflow ? "" : "nil ",
                                        h.hasOverflow ? std::to_string(h.overflowLen) : "",
                                        h.hasOldOverflow ? "" : "nil ",
                                        h.hasOldOverflow ? std::to_string(h.oldOverflowLen) : ""));
    {
      int64_t next = m.nextOverflowIndex();
      row("nextOverflow", next >= 0 ? F(S::HdrPoolBucket, next) : std::string("nil"));
    }
    auto mem = m.memory();
    row(tr(S::Memory), bytesText(mem.arrayBytes + mem.heapOverflowBytes),
        fmt::format("{} {} + {} {} ({})", tr(S::MemArrays), bytesText(mem.arrayBytes), tr(S::MemHeap),
                    bytesText(mem.heapOverflowBytes), mem.heapOverflowBuckets)
            .c_str());
    ImGui::EndTable();
  }

  // Where the cursor is.
  ImGui::Separator();
  if (f.currentOp) {
    const int g = f.race && f.current ? f.events->goroutineOfEvent(static_cast<uint64_t>(f.position)) : 0;
    if (g) {
      colouredText(goroutineColour(g), fmt::format("G{}", g).c_str());
      ImGui::SameLine();
    }
    ImGui::Text("%s %zu:", tr(S::Op), *f.currentOp);
    ImGui::SameLine();
    ImGui::PushFont(ui.fonts.mono);
    ImGui::TextUnformatted(std::string(f.ctl->opText(*f.currentOp)).c_str());
    ImGui::PopFont();
  }
  if (const Event* e = f.current) {
    const SiteInfo& si = siteInfo(e->site);
    ImGui::PushTextWrapPos(0);
    ImGui::Text("%s %lld: %s", tr(S::Event), static_cast<long long>(f.position), describeEventUi(*e).c_str());
    ImGui::TextDisabled("%s (map.go:%d)", std::string(si.function).c_str(), si.line);
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextDisabled("%s", tr(S::BeforeFirstEvent));
  }
}

} // namespace gomap::ui
