#include "ui/ui_common.hpp"

#include <fmt/format.h>
#include <imgui_internal.h> // ImTextCharFromUtf8

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

std::string bytesText(uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(n) / 1024.0);
  if (n < uint64_t{1} << 30) return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1024.0 * 1024.0));
  return fmt::format("{:.2f} GiB", static_cast<double>(n) / (1024.0 * 1024.0 * 1024.0));
}

std::string groupDigits(uint64_t n) {
  std::string s = std::to_string(n), out;
  int c = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (c && c % 3 == 0) out.push_back(',');
    out.push_back(*it);
    c++;
  }
  return std::string(out.rbegin(), out.rend());
}

const char* cellStateName(uint8_t th) {
  switch (th) {
  case emptyRest: return "emptyRest";
  case emptyOne: return "emptyOne";
  case evacuatedX: return "evacuatedX";
  case evacuatedY: return "evacuatedY";
  case evacuatedEmpty: return "evacuatedEmpty";
  default: return tr(S::TipLive);
  }
}

void helpMarker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void colouredText(ImU32 colour, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

std::string shortKey(const KeyValue& k, std::size_t maxChars) {
  std::string s = keyText(k);
  if (s.size() > maxChars && maxChars >= 2) s = s.substr(0, maxChars - 1) + "\xe2\x80\xa6";
  return s;
}

int eventMarks(const Event& e, EventMark out[3]) {
  using K = EventKind;
  switch (e.kind) {
  case K::CellEvacuated: {
    const auto p = payloadOf<K::CellEvacuated>(e);
    out[0] = {p.src, EventMark::Cell, false};
    out[1] = {p.dst(), EventMark::Cell, true};
    return 2;
  }
  case K::GrowWork: {
    const auto p = payloadOf<K::GrowWork>(e);
    out[0] = {Loc{true, static_cast<uint32_t>(p.oldbucket), 0, 0}, EventMark::Bucket, false};
    out[1] = {Loc{false, p.bucket, 0, 0}, EventMark::Bucket, true};
    return 2;
  }
  case K::EvacuateBegin:
    out[0] = {Loc{true, payloadOf<K::EvacuateBegin>(e).oldbucket, 0, 0}, EventMark::Bucket, false};
    return 1;
  case K::OldBucketCleared:
    out[0] = {Loc{true, payloadOf<K::OldBucketCleared>(e).oldbucket, 0, 0}, EventMark::Bucket, false};
    return 1;
  case K::BucketEvacuated:
    out[0] = {Loc{true, payloadOf<K::BucketEvacuated>(e).oldbucket, 0, 0}, EventMark::Bucket, false};
    return 1;
  case K::NevacuateAdvanced:
    out[0] = {Loc{true, static_cast<uint32_t>(payloadOf<K::NevacuateAdvanced>(e).from), 0, 0}, EventMark::Bucket, false};
    return 1;
  default: break;
  }
  // Every other kind that names a cell or a bmap marks it (kKindTable's cell column).
  switch (kindInfo(e.kind).cell) {
  case CellRef::Cell: out[0] = {e.loc(), EventMark::Cell, false}; return 1;
  case CellRef::Bmap: out[0] = {e.loc(), EventMark::Bmap, false}; return 1;
  case CellRef::None: break;
  }
  return 0;
}

// Chinese has no spaces, and ImGui 1.86 wraps only at spaces and after ASCII
// punctuation: a Chinese narration broke wherever a number or a Latin word
// left a space (half-empty lines, "Go 1." / "19"). These lines may break
// between any two CJK characters too, never before closing punctuation
// (，。）：..., nor an ASCII quote right after a CJK character: 等待。" stays whole) nor after
// opening punctuation (（「...).
static bool isCjk(unsigned c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF);
}
static bool closesCjk(unsigned c) {
  for (unsigned p : {0xFF0Cu, 0x3002u, 0xFF09u, 0xFF1Au, 0xFF1Bu, 0x3001u, 0xFF01u, 0xFF1Fu, 0x300Du, 0x300Fu, 0x3011u,
                     0x300Bu, 0x201Du, 0x2019u})
    if (c == p) return true;
  return false;
}
static bool opensCjk(unsigned c) {
  for (unsigned p : {0xFF08u, 0x300Cu, 0x300Eu, 0x3010u, 0x300Au, 0x201Cu, 0x2018u})
    if (c == p) return true;
  return false;
}
void textWrappedCjk(std::string_view text) {
  const float width = std::max(ImGui::GetFontSize() * 4, ImGui::GetContentRegionAvail().x);
  // Units that never split: a run of non-space, non-CJK bytes, or one CJK
  // character with the closing punctuation after it and the opening before it.
  struct Unit {
    std::size_t b, e;
    bool space;
  };
  std::vector<Unit> units;
  const char* s = text.data();
  const char* end = s + text.size();
  bool glueNext = false; // the last unit ends with opening punctuation
  bool prevCjk = false;  // its last character is CJK (a Latin word may start after it)
  for (const char* p = s; p < end;) {
    unsigned c = 0;
    const int n = std::max(1, ImTextCharFromUtf8(&c, p, end));
    const std::size_t at = static_cast<std::size_t>(p - s);
    const bool space = c == ' ';
    const bool cjk = isCjk(c);
    const bool joinPrev = !units.empty() && !units.back().space &&
                          (glueNext || closesCjk(c) || (!cjk && !prevCjk) || (prevCjk && (c == '"' || c == '\'')));
    if (joinPrev && !space) units.back().e = at + static_cast<std::size_t>(n);
    else units.push_back({at, at + static_cast<std::size_t>(n), space});
    glueNext = opensCjk(c);
    prevCjk = cjk;
    p += n;
  }
  std::vector<std::pair<std::size_t, std::size_t>> lines;
  std::size_t lineB = std::string::npos, lineE = 0;
  auto flush = [&] {
    if (lineB != std::string::npos) lines.emplace_back(lineB, lineE);
    lineB = std::string::npos;
  };
  for (const Unit& u : units) {
    if (lineB == std::string::npos) {
      if (u.space) continue; // no line starts with a space
      lineB = u.b;
      lineE = u.e;
      continue;
    }
    if (ImGui::CalcTextSize(s + lineB, s + u.e).x > width && !u.space) {
      flush();
      lineB = u.b;
    }
    lineE = u.e;
  }
  flush();
  // Spaced as one paragraph (as TextWrapped spaces its lines), not as items.
  const ImVec2 sp = ImGui::GetStyle().ItemSpacing;
  for (std::size_t i = 0; i < lines.size(); i++) {
    if (i + 1 < lines.size()) ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(sp.x, 0));
    ImGui::TextUnformatted(s + lines[i].first, s + lines[i].second);
    if (i + 1 < lines.size()) ImGui::PopStyleVar();
  }
}


void textWrapped(std::string_view text) {
  // A paragraph at a time; text with no byte of a CJK character (UTF-8 lead
  // bytes 0xE2..0xEF) wraps as ImGui wraps it.
  while (true) {
    const std::size_t nl = text.find('\n');
    const std::string_view para = text.substr(0, nl);
    const bool cjk = std::any_of(para.begin(), para.end(), [](char ch) {
      const auto u = static_cast<unsigned char>(ch);
      return u >= 0xE2 && u <= 0xEF;
    });
    if (cjk) textWrappedCjk(para);
    else {
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(para.data(), para.data() + para.size());
      ImGui::PopTextWrapPos();
    }
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

void goroutineStepCaption(int g, ImU32 colour, std::string_view step) {
  colouredText(colour, fmt::format("G{}", g).c_str());
  ImGui::SameLine();
  for (const std::string& tag : {fmt::format("G{}: ", g), fmt::format("G{} ", g)})
    if (step.substr(0, tag.size()) == tag) {
      step.remove_prefix(tag.size());
      break;
    }
  textWrapped(step);
}

void transportControls(Controller& c, bool atStart, bool atEnd, const char* id, float maxSpeed) {
  const float fs = ImGui::GetFontSize();
  char label[48];
  auto button = [&](const char* glyph, S tip) {
    std::snprintf(label, sizeof label, "%s##%s", glyph, id);
    const bool r = ImGui::Button(label, ImVec2(fs * 2.2f, 0));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(tip));
    ImGui::SameLine();
    return r;
  };
  ImGui::BeginDisabled(atStart);
  if (button("|<", S::TipStart)) c.toStart();
  if (button("<<", S::TipBackOp)) c.stepBackOver();
  if (button("<", S::TipBack)) c.stepBack();
  ImGui::EndDisabled();
  if (button(c.playing() ? "||" : "|>", S::TipPlay)) c.togglePlay();
  ImGui::BeginDisabled(atEnd);
  if (button(">", S::TipStep)) c.stepInto();
  if (button(">>", S::TipOver)) c.stepOver();
  if (button(">|", S::TipEnd)) c.toEnd();
  ImGui::EndDisabled();
  // The speed is written beside the slider, not in it (the grab would sit on its digits).
  ImGui::SetNextItemWidth(fs * 4.5f);
  float sp = static_cast<float>(c.speed());
  std::snprintf(label, sizeof label, "##%sspeed", id);
  if (ImGui::SliderFloat(label, &sp, 1.0f, maxSpeed, "", ImGuiSliderFlags_Logarithmic)) c.speed() = sp;
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::Text(tr(S::SpeedFormat), c.speed());
}

int64_t playbackSteps(double& acc, double dt, double perSecond) {
  acc += dt * perSecond;
  const int64_t steps = static_cast<int64_t>(std::floor(acc));
  if (steps > 0) acc -= static_cast<double>(steps);
  return steps;
}

} // namespace gomap::ui
