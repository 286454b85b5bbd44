#include "ui/overview_gl.hpp"

#include <algorithm>

#include "ui/theme.hpp"

namespace gomap::ui {

void CellTexture::resize(uint64_t buckets, int bucketsPerRow) {
  bpr_ = std::max(1, bucketsPerRow);
  buckets_ = buckets;
  width_ = bpr_ * 8;
  height_ = static_cast<int>((buckets + static_cast<uint64_t>(bpr_) - 1) / static_cast<uint64_t>(bpr_));
  if (height_ < 1) height_ = 1;
  cpu_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 2, 0);
  rowDirty_.assign(static_cast<std::size_t>(height_), 0);
  dirtyRows_.clear();
  allDirty_ = true;
}

void CellTexture::setBucket(uint64_t b, const uint8_t tophash[8], uint8_t overflow) {
  if (b >= buckets_) return;
  uint8_t* p = &cpu_[offset(b, 0)];
  bool changed = false;
  for (int s = 0; s < 8; s++) {
    if (p[2 * s] != tophash[s] || p[2 * s + 1] != overflow) changed = true;
    p[2 * s] = tophash[s];
    p[2 * s + 1] = overflow;
  }
  if (!changed || allDirty_) return;
  int row = static_cast<int>(b / static_cast<uint64_t>(bpr_));
  if (!rowDirty_[static_cast<std::size_t>(row)]) {
    rowDirty_[static_cast<std::size_t>(row)] = 1;
    dirtyRows_.push_back(row);
  }
}

void CellTexture::upload() {
  if (!id_) {
    glGenTextures(1, &id_);
    allDirty_ = true;
  }
  glBindTexture(GL_TEXTURE_2D, id_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  if (allDirty_ || gpuWidth_ != width_ || gpuHeight_ != height_) {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RG8UI, width_, height_, 0, GL_RG_INTEGER, GL_UNSIGNED_BYTE, cpu_.data());
    gpuWidth_ = width_;
    gpuHeight_ = height_;
    uploaded_ += cpu_.size();
  } else {
    std::sort(dirtyRows_.begin(), dirtyRows_.end());
    // Contiguous runs of dirty rows go up in one call each.
    for (std::size_t i = 0; i < dirtyRows_.size();) {
      std::size_t j = i + 1;
      while (j < dirtyRows_.size() && dirtyRows_[j] == dirtyRows_[j - 1] + 1) j++;
      int r0 = dirtyRows_[i], n = static_cast<int>(j - i);
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, r0, width_, n, GL_RG_INTEGER, GL_UNSIGNED_BYTE,
                      &cpu_[static_cast<std::size_t>(r0) * static_cast<std::size_t>(width_) * 2]);
      uploaded_ += static_cast<uint64_t>(n) * static_cast<uint64_t>(width_) * 2;
      i = j;
    }
  }
  for (int r : dirtyRows_) rowDirty_[static_cast<std::size_t>(r)] = 0;
  dirtyRows_.clear();
  allDirty_ = false;
  glBindTexture(GL_TEXTURE_2D, 0);
}

void CellTexture::release() {
  if (id_) glDeleteTextures(1, &id_);
  id_ = 0;
  gpuWidth_ = gpuHeight_ = 0;
}

bool OverviewGL::init(std::string& err) {
  if (tried_) {
    err = error_;
    return prog_ != 0;
  }
  tried_ = true;
  prog_ = buildProgram("overview.vert", "overview.frag", err);
  error_ = err;
  if (!prog_) return false;
  glGenVertexArrays(1, &vao_);
  uProj_ = glGetUniformLocation(prog_, "uProj");
  uRect_ = glGetUniformLocation(prog_, "uRect");
  uTexRect_ = glGetUniformLocation(prog_, "uTexRect");
  uCells_ = glGetUniformLocation(prog_, "uCells");
  uPalette_ = glGetUniformLocation(prog_, "uPalette");
  uBorder_ = glGetUniformLocation(prog_, "uBorder");
  uOverflow_ = glGetUniformLocation(prog_, "uOverflow");
  uBackground_ = glGetUniformLocation(prog_, "uBackground");
  uPx_ = glGetUniformLocation(prog_, "uPxPerTexel");
  uBuckets_ = glGetUniformLocation(prog_, "uBuckets");
  uBpr_ = glGetUniformLocation(prog_, "uBucketsPerRow");
  return true;
}

void OverviewGL::shutdown() {
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (prog_) glDeleteProgram(prog_);
  vao_ = prog_ = 0;
  tried_ = false;
}

void OverviewGL::beginFrame() { params_.clear(); }

void OverviewGL::addDraw(ImDrawList* dl, const CellTexture& tex, ImVec2 p0, ImVec2 p1, ImVec4 texRect,
                         float pxPerTexel, bool oldArray) {
  if (!prog_ && !tried_) {
    std::string err;
    init(err);
  }
  if (!prog_ || !tex.id()) return;
  Params p{};
  p.self = this;
  p.tex = tex.id();
  p.rect = ImVec4(p0.x, p0.y, p1.x, p1.y);
  p.texRect = texRect;
  p.pxPerTexel = pxPerTexel;
  p.buckets = static_cast<int>(std::min<uint64_t>(tex.buckets(), 0x7fffffff));
  p.bpr = tex.bucketsPerRow();
  for (int c = 0; c < 6; c++) cellColourFloats(c, oldArray, p.palette[c]);
  const Palette& pal = palette();
  auto f4 = [](ImU32 c, float out[4]) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
    out[0] = v.x, out[1] = v.y, out[2] = v.z, out[3] = v.w;
  };
  f4(pal.cellBorder, p.border);
  f4(pal.poolUsed, p.overflow);
  f4(pal.panelBg, p.background);
  params_.push_back(p);
  dl->AddCallback(&OverviewGL::callback, &params_.back());
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

void OverviewGL::callback(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* p = static_cast<const Params*>(cmd->UserCallbackData);
  p->self->render(*p, cmd);
}

void OverviewGL::render(const Params& p, const ImDrawCmd* cmd) {
  ImDrawData* dd = ImGui::GetDrawData();
  if (!dd) return;
  const float L = dd->DisplayPos.x, R = dd->DisplayPos.x + dd->DisplaySize.x;
  const float T = dd->DisplayPos.y, B = dd->DisplayPos.y + dd->DisplaySize.y;
  const float proj[16] = {2.0f / (R - L), 0, 0, 0, 0, 2.0f / (T - B), 0, 0, 0, 0, -1, 0,
                          (R + L) / (L - R), (T + B) / (B - T), 0, 1};
  const ImVec2 sc = dd->FramebufferScale;
  const int fbH = static_cast<int>(dd->DisplaySize.y * sc.y);
  ImVec4 c = cmd->ClipRect;
  ImVec2 cmin((c.x - L) * sc.x, (c.y - T) * sc.y), cmax((c.z - L) * sc.x, (c.w - T) * sc.y);
  if (cmax.x <= cmin.x || cmax.y <= cmin.y) return;
  glEnable(GL_SCISSOR_TEST);
  glScissor(static_cast<int>(cmin.x), static_cast<int>(static_cast<float>(fbH) - cmax.y),
            static_cast<int>(cmax.x - cmin.x), static_cast<int>(cmax.y - cmin.y));
  glDisable(GL_BLEND);
  glUseProgram(prog_);
  glUniformMatrix4fv(uProj_, 1, GL_FALSE, proj);
  glUniform4f(uRect_, p.rect.x, p.rect.y, p.rect.z, p.rect.w);
  glUniform4f(uTexRect_, p.texRect.x, p.texRect.y, p.texRect.z, p.texRect.w);
  glUniform1i(uCells_, 0);
  glUniform4fv(uPalette_, 6, &p.palette[0][0]);
  glUniform4fv(uBorder_, 1, p.border);
  glUniform4fv(uOverflow_, 1, p.overflow);
  glUniform4fv(uBackground_, 1, p.background);
  glUniform1f(uPx_, p.pxPerTexel);
  glUniform1i(uBuckets_, p.buckets);
  glUniform1i(uBpr_, p.bpr);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, p.tex);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glEnable(GL_BLEND);
}

} // namespace gomap::ui
