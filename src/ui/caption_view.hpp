// The caption: one large line under the buckets saying what the current event
// did, in the UI's language (ui/event_text), with the runtime function and the
// map.go line it happened at, and a smaller line with the op it belongs to. A
// panic or a fatal error is shown in full, in the error colour. In a race the
// sentence starts with the goroutine's tag in its colour. The terminal view's
// "now ..." line, for a GUI on a projector.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <string>

#include "ui/ui_common.hpp"

namespace gomap::ui {

class CaptionView {
public:
  // Lays out the caption for a panel of this width: call before height().
  void prepare(UiContext& ui, const Frame& f, float width);
  // Height the caption takes (0 when nothing is loaded).
  float height() const { return height_; }
  // Draws it at the cursor, width as given to prepare().
  void draw(UiContext& ui, const Frame& f);

  // What the last prepare() chose, for tests.
  const std::string& sentence() const { return sentence_; }
  const std::string& where() const { return where_; }
  bool isError() const { return error_; }
  int goroutine() const { return g_; }
  // Screen rectangle of the sentence in the last draw().
  ImVec2 sentenceMin() const { return min_; }
  ImVec2 sentenceMax() const { return max_; }
  // The sentence's font size (a multiple of the UI font's).
  static constexpr float kScale = 1.3f;

private:
  std::string sentence_, where_;
  bool error_ = false;
  int g_ = 0;
  float width_ = 0, height_ = 0, sentenceH_ = 0, tagW_ = 0;
  ImVec2 min_{0, 0}, max_{0, 0};
  float keptWidth_ = -1, keptFs_ = 0, keptHeight_ = 0, keptSentenceH_ = 0;
  uint64_t keptSession_ = 0;
  Lang keptLang_ = Lang::En;
};

} // namespace gomap::ui
