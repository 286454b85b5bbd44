// GPU side of the large-map overview: one RG8UI texel per bucket cell (R: the
// tophash byte, G: the bucket's overflow bmaps), drawn as one textured quad
// through shaders/overview.{vert,frag} from inside ImGui's draw list (an
// ImDrawCallback), so the whole array costs one draw call at any size.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ui/gl_util.hpp"

namespace gomap::ui {

class CellTexture {
public:
  CellTexture() = default;
  CellTexture(const CellTexture&) = delete;
  CellTexture& operator=(const CellTexture&) = delete;
  ~CellTexture() { release(); }

  // Lays out `buckets` buckets, bucketsPerRow per texture row (8 texels each).
  void resize(uint64_t buckets, int bucketsPerRow);
  void setBucket(uint64_t b, const uint8_t tophash[8], uint8_t overflow);
  const uint8_t* texel(uint64_t b, int slot) const { return &cpu_[offset(b, slot)]; }
  // Sends the changed rows to the GPU (creating the texture if needed).
  void upload();
  void release();

  GLuint id() const { return id_; }
  int width() const { return width_; }
  int height() const { return height_; }
  int bucketsPerRow() const { return bpr_; }
  uint64_t buckets() const { return buckets_; }
  uint64_t uploadedBytes() const { return uploaded_; }

private:
  std::size_t offset(uint64_t b, int slot) const {
    uint64_t row = b / static_cast<uint64_t>(bpr_), col = (b % static_cast<uint64_t>(bpr_)) * 8 + static_cast<uint64_t>(slot);
    return static_cast<std::size_t>((row * static_cast<uint64_t>(width_) + col) * 2);
  }
  GLuint id_ = 0;
  int width_ = 0, height_ = 0, bpr_ = 1;
  int gpuWidth_ = 0, gpuHeight_ = 0;
  uint64_t buckets_ = 0;
  std::vector<uint8_t> cpu_;
  std::vector<uint8_t> rowDirty_;
  std::vector<int> dirtyRows_;
  bool allDirty_ = true;
  uint64_t uploaded_ = 0;
};

class OverviewGL {
public:
  // Compiles the program on first use (start-up does not pay for it).
  bool init(std::string& err);
  void shutdown();
  bool ready() const { return prog_ != 0; }
  const std::string& error() const { return error_; }
  // Call once per frame before drawing (drops last frame's draw parameters).
  void beginFrame();
  // Queues the texture at [p0, p1] showing texels texRect (x0, y0, x1, y1).
  void addDraw(ImDrawList* dl, const CellTexture& tex, ImVec2 p0, ImVec2 p1, ImVec4 texRect, float pxPerTexel,
               bool oldArray);

private:
  struct Params {
    OverviewGL* self;
    GLuint tex;
    ImVec4 rect, texRect;
    float pxPerTexel;
    int buckets, bpr;
    float palette[6][4];
    float border[4], overflow[4], background[4];
  };
  static void callback(const ImDrawList* list, const ImDrawCmd* cmd);
  void render(const Params& p, const ImDrawCmd* cmd);

  GLuint prog_ = 0, vao_ = 0;
  bool tried_ = false;
  std::string error_;
  GLint uProj_ = -1, uRect_ = -1, uTexRect_ = -1, uCells_ = -1, uPalette_ = -1, uBorder_ = -1, uOverflow_ = -1,
        uBackground_ = -1, uPx_ = -1, uBuckets_ = -1, uBpr_ = -1;
  std::deque<Params> params_;
};

} // namespace gomap::ui
