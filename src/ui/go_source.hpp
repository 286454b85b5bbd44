// The real runtime/map.go, when a Go 1.19 source tree is on the machine
// ($GOROOT/src, /usr/share/go-1.19/src, /usr/lib/go-1.19/src). Read at run time
// for the code panel's "real source" toggle; never shipped with gomaplab.
#pragma once
#include <string>
#include <vector>

namespace gomap::ui {

struct GoSource {
  bool loaded = false;
  std::string path;    // the map.go that was read
  std::string version; // from $GOROOT/VERSION, e.g. "go1.19.8"
  std::vector<std::string> lines;
  std::string why;     // when not loaded: what was tried
};

// Loads once (on first use) and caches.
const GoSource& goSource();
// The same for sync/map.go (the sync.Map op-script session's code panel).
const GoSource& goSyncMapSource();

} // namespace gomap::ui
