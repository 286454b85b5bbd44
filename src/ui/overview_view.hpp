// The overview of a large map: every cell of every head bmap as one texel
// (up to B = 20: 8 million cells), old and new arrays side by side during a
// grow, with zoom (mouse wheel) and pan (drag). The textures follow the
// session incrementally: moving the cursor re-reads only the buckets that the
// events between the old and the new position touched; anything that replaces
// whole arrays (make, grow start and end, clear) or a long jump re-reads all.
// Zoomed in far enough, the tophash bytes and keys of the visible buckets are
// drawn on top.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ui/overview_gl.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

class OverviewView {
public:
  // Draws into the current window, using the region [pos, pos + size].
  void draw(UiContext& ui, const Frame& f, ImVec2 size);
  // Brings the textures up to the frame's cursor (called by draw).
  void sync(const Frame& f);
  // Checks the CPU copies of the textures against a full read of the map.
  bool verify(const AnyMap& m, std::string& why) const;
  // Screen rectangle of a cell in the last frame (nullopt if off screen).
  std::optional<ImVec4> cellRect(bool old, uint64_t bucket, int slot) const;

  uint64_t fullRebuilds() const { return fullRebuilds_; }
  uint64_t bucketRefreshes() const { return bucketRefreshes_; }
  float zoom() const { return zoom_; }
  void setView(float centerX, float centerY, float zoom) {
    cx_ = centerX, cy_ = centerY, zoom_ = zoom, fitted_ = true;
  }
  void resetView() { fitted_ = false; }
  bool follow = true;

private:
  struct Key {
    uint64_t sessionId = ~uint64_t{0};
    bool nil = true;
    uint8_t B = 0;
    bool growing = false;
    uint64_t nold = 0;
    uint64_t buckets = 0, oldbuckets = 0;
    bool operator==(const Key&) const = default;
  };
  static int bucketsPerRow(uint8_t B);
  void rebuild(const AnyMap& m, bool old, CellTexture& t, uint64_t nb, int bpr);
  void refresh(const AnyMap& m, bool old, uint64_t bucket);
  void panel(UiContext& ui, const Frame& f, bool old, const CellTexture& t, ImVec2 p0, ImVec2 p1);

  CellTexture newTex_, oldTex_;
  Key key_;
  int64_t syncedPos_ = -2;
  uint64_t fullRebuilds_ = 0, bucketRefreshes_ = 0;
  std::vector<BmapView> chain_;

  // View: texel coordinates at the panel centre, and screen pixels per texel.
  float cx_ = 0, cy_ = 0, zoom_ = 1;
  bool fitted_ = false;
  int bpr_ = 0;               // buckets per texture row chosen for the panel's shape (0: by B only)
  bool shapeChanged_ = false; // bpr_ changed: rebuild the textures at the next sync
  int64_t followedPos_ = -2;
  ImVec2 panelPos_[2]{}, panelSize_{};
  bool panelShown_[2]{};
};

} // namespace gomap::ui
