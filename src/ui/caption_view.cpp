#include "ui/caption_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ui/event_text.hpp"

namespace gomap::ui {

void CaptionView::prepare(UiContext& ui, const Frame& f, float width) {
  (void)ui;
  sentence_.clear();
  where_.clear();
  error_ = false;
  g_ = 0;
  width_ = width;
  height_ = 0;
  if (!f.loaded()) return;
  const float fs = ImGui::GetFontSize();
  if (const Event* e = f.current) {
    const SiteInfo& si = siteInfo(e->site);
    sentence_ = describeEventUi(*e);
    const EventCategory c = kindInfo(e->kind).category;
    error_ = c == EventCategory::Errors;
    if (f.race && f.events && f.position >= 0) g_ = f.events->goroutineOfEvent(static_cast<uint64_t>(f.position));
    std::string op;
    if (f.currentOp && f.ctl) op = std::string(f.ctl->opText(*f.currentOp));
    if (e->kind == EventKind::OpBegin && !op.empty()) sentence_ += fmt::format(": {}", op);
    where_ = si.line > 0 ? fmt::format(fmt::runtime(tr(S::CaptionWhere)), si.function, si.line)
                         : std::string(si.function);
    if (f.currentOp) {
      // The event and op when they fit on the line; else the op's text only
      // (the timeline shows the event number).
      const std::string full = where_ + fmt::format(fmt::runtime(tr(S::CaptionOfOp)), f.position, *f.currentOp, op);
      if (ImGui::CalcTextSize(full.c_str()).x <= width - fs * 0.6f) where_ = full;
      else where_ += fmt::format("  \xc2\xb7  {}", op);
    }
  } else {
    sentence_ = f.quietCaption.empty() ? std::string(tr(S::CaptionBeforeFirst)) : f.quietCaption;
  }
  tagW_ = g_ ? ImGui::GetFont()->CalcTextSizeA(fs * kScale, FLT_MAX, 0, fmt::format("G{}", g_).c_str()).x + fs * 0.6f
             : 0.0f;
  const ImVec2 ss = ImGui::GetFont()->CalcTextSizeA(fs * kScale, FLT_MAX, std::max(fs * 4, width - fs * 0.6f - tagW_),
                                                    sentence_.c_str());
  sentenceH_ = ss.y;
  const float whereH = where_.empty() ? 0 : ImGui::CalcTextSize(where_.c_str(), nullptr, false, width - fs * 0.6f).y;
  height_ = sentenceH_ + whereH + fs * 0.7f + ImGui::GetStyle().ItemSpacing.y;
  // The caption does not shrink while stepping at one width and font (the
  // buckets above it would jump up and down with each sentence's length); it
  // starts over when the panel, the font or the session changes.
  if (std::fabs(width - keptWidth_) < 0.5f && std::fabs(fs - keptFs_) < 0.01f && f.sessionId == keptSession_ &&
      language() == keptLang_) {
    height_ = std::max(height_, keptHeight_);
    sentenceH_ = std::max(sentenceH_, keptSentenceH_);
  }
  keptWidth_ = width;
  keptFs_ = fs;
  keptSession_ = f.sessionId;
  keptLang_ = language();
  keptHeight_ = height_;
  keptSentenceH_ = sentenceH_;
}

void CaptionView::draw(UiContext& ui, const Frame& f) {
  (void)ui;
  if (height_ <= 0) return;
  const Palette& pal = palette();
  const float fs = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float w = width_;
  // A band with a rule on top, so the caption reads as its own line.
  dl->AddLine(ImVec2(p.x, p.y + 1), ImVec2(p.x + w, p.y + 1), pal.bucketFrame, pal.borderThickness);
  float x = p.x + fs * 0.3f;
  const float y = p.y + fs * 0.35f;
  const float size = fs * kScale;
  ImFont* font = ImGui::GetFont();
  const float wrap = std::max(fs * 4, w - fs * 0.6f - tagW_);
  if (g_) {
    // The goroutine's tag in its colour, then the sentence.
    const std::string tag = fmt::format("G{}", g_);
    const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0, tag.c_str());
    dl->AddRectFilled(ImVec2(x - 2, y), ImVec2(x + ts.x + 4, y + ts.y), goroutineColour(g_), 3.0f);
    dl->AddText(font, size, ImVec2(x + 1, y), IM_COL32(0, 0, 0, 255), tag.c_str());
    x += tagW_;
  }
  const ImU32 col = error_ ? pal.error : pal.text;
  dl->AddText(font, size, ImVec2(x, y), col, sentence_.c_str(), nullptr, wrap);
  min_ = ImVec2(x, y);
  max_ = ImVec2(x + font->CalcTextSizeA(size, FLT_MAX, wrap, sentence_.c_str()).x, y + sentenceH_);
  ImGui::Dummy(ImVec2(w, sentenceH_ + fs * 0.5f));
  if (!where_.empty()) {
    ImGui::SetCursorScreenPos(ImVec2(p.x + fs * 0.3f, ImGui::GetCursorScreenPos().y));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w - fs * 0.6f);
    ImGui::PushStyleColor(ImGuiCol_Text, pal.dim);
    textWrapped(where_);
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
  }
  (void)f;
}

} // namespace gomap::ui
