// The runtime's map functions in both forms (see map_ops.inc), and the
// helpers that exist in one form only. Included by map.hpp.
#pragma once

namespace gomap {

// The stepping core's spellings (stepping_macros.hpp), for Map<KT> and its
// typed events: the site fixes the kind and so the payload struct.
#define GOMAP_OWNER_TEMPLATE template <class KT>
#define GOMAP_EVENT(site, ...) Event::of<site>(__VA_ARGS__)

#define GOMAP_RESUMABLE 1
#include "engine/stepping_macros.hpp"
#include "engine/map_ops.inc"
#undef GOMAP_RESUMABLE

#define GOMAP_RESUMABLE 0
#include "engine/stepping_macros.hpp"
#include "engine/map_ops.inc"
#include "engine/stepping_macros_end.hpp"

template <class KT> bool Map<KT>::mapaccessK(const Slot& key, Slot& outKey, int64_t& outElem) {
  if (isNil_ || h_.count == 0) return false;
  const uint64_t hash = hasher(key, h_.hash0);
  uint64_t m = bucketMask(h_.B);
  bmap* b = &at(offset(h_.buckets, hash & m));
  if (h_.oldbuckets != nilBucket) {
    if (!sameSizeGrowing()) m >>= 1;
    bmap* oldb = &at(offset(h_.oldbuckets, hash & m));
    if (!evacuated(*oldb)) b = oldb;
  }
  const uint8_t top = tophash(hash);
  for (; b != nullptr; b = b->overflow ? &at(b->overflow) : nullptr) {
    for (uint8_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest) return false;
        continue;
      }
      if (keyEqual(key, b->keys[i])) {
        outKey = b->keys[i];
        outElem = b->elems[i];
        return true;
      }
    }
  }
  return false;
}

} // namespace gomap
