// The shards panel of a race on a sharded map (issue 12, "a sharded-map panel
// (shards with their lock states, each shard's buckets)"): each shard's
// classic map (its count, B, whether hashWriting is set) and its live cells,
// the shard of the cursor's step framed in its goroutine's colour. The shards'
// RWMutexes ("shard 0", ...) are drawn by the Goroutines panel's mutex
// section: they are the scenario's first mutexes, gosync's RWMutex.
// Handed a ShardsFrame (Frame::shards), which the race controller fills.
#pragma once
#include <string>
#include <vector>

#include "concurrency/consistency.hpp"
#include "concurrency/sharded_map.hpp"
#include "ui/buckets_view.hpp"
#include "ui/frame.hpp"
#include "ui/ui_common.hpp"

namespace gomap::ui {

struct ShardsFrame {
  const race::ShardSet* shards = nullptr;
  std::vector<std::vector<race::Cell>> cells; // each shard's live cells
  std::vector<std::string> lockText;          // each shard's RWMutex words, as the trace prints them
  int currentShard = -1;                      // the shard of the cursor's step (-1: none)
  int currentG = 0;
  std::string step; // the cursor's step as the trace describes it
  // Each shard's map as the classic map views take it: the map, the cursor's
  // event when it happened in that shard, the goroutines whose last cell is there.
  std::vector<Frame> frames;
};

class ShardsView {
public:
  void draw(UiContext& ui, const Frame& f);
  // What the last frame drew (tests): "shard 0 count 1 B 0 writing 0 current", "shard 0 \"a\" = 1", ...
  std::vector<std::string> lines;
  std::string caption;
  // The shard whose buckets are drawn (-1: the shard of the cursor's step), and
  // the one drawn in the last frame.
  int chosen = -1;
  int bucketsShown = -1;
  // Where the choices were drawn in the last frame (tests click them): [0] the
  // step's shard, [1 + s] shard s.
  std::vector<ScreenRect> choiceRects;
  BucketsView& buckets() { return buckets_; }

private:
  BucketsView buckets_;
};

} // namespace gomap::ui
