// Constants of Go 1.19's classic map, as declared in runtime/map.go (L66-107).
// Names follow the runtime so a reader can cross-reference map.go directly.
#pragma once
#include <cstdint>

namespace gomap {

// Maximum number of key/elem pairs a bucket can hold.
inline constexpr int bucketCntBits = 3;
inline constexpr int bucketCnt = 1 << bucketCntBits;

// Maximum average load of a bucket that triggers growth is 6.5,
// represented as loadFactorNum/loadFactorDen to allow integer math.
inline constexpr uint64_t loadFactorNum = 13;
inline constexpr uint64_t loadFactorDen = 2;

// Offset of the keys inside a bmap: right after tophash[bucketCnt].
inline constexpr int dataOffset = 8;

// Possible tophash values. Values below minTopHash are markers, not hashes:
// a real tophash that falls below minTopHash is bumped up by minTopHash.
inline constexpr uint8_t emptyRest = 0;      // this cell is empty, and so is every later cell and overflow bucket
inline constexpr uint8_t emptyOne = 1;       // this cell is empty
inline constexpr uint8_t evacuatedX = 2;     // key/elem valid; entry moved to the first half of the larger table
inline constexpr uint8_t evacuatedY = 3;     // same as above, but moved to the second half
inline constexpr uint8_t evacuatedEmpty = 4; // cell was empty when its bucket was evacuated
inline constexpr uint8_t minTopHash = 5;     // minimum tophash of a normal filled cell

// hmap.flags bits.
inline constexpr uint8_t iterator = 1;     // there may be an iterator using buckets
inline constexpr uint8_t oldIterator = 2;  // there may be an iterator using oldbuckets
inline constexpr uint8_t hashWriting = 4;  // a goroutine is writing to the map
inline constexpr uint8_t sameSizeGrow = 8; // the current map growth is to a new map of the same size

// Sentinel bucket id for an iterator's checkBucket.
inline constexpr uint64_t noCheck = ~uint64_t{0};

// maxAlloc on linux/amd64 (malloc.go): the largest allocation makemap accepts a hint for.
inline constexpr uint64_t maxAlloc = uint64_t{1} << 48;

// isEmpty reports whether the given tophash marks an empty cell (L111).
constexpr bool isEmpty(uint8_t x) { return x <= emptyOne; }

// Whether tophash x is an evacuation mark (evacuatedX, evacuatedY or
// evacuatedEmpty): evacuate has copied the cell, or found it empty.
constexpr bool isEvacuatedMark(uint8_t x) { return x > emptyOne && x < minTopHash; }

// evacuated reports whether a bucket, by its first tophash, has been evacuated
// (L203). The one definition: Map, the checker and the views call it.
constexpr bool evacuated(uint8_t tophash0) { return isEvacuatedMark(tophash0); }

// Whether a goroutine is writing to the map: the hashWriting test of the
// entry and exit checks (L595, L686, ...).
constexpr bool hashWritingSet(uint8_t flags) { return (flags & hashWriting) != 0; }

// bucketShift returns 1<<b, optimized for code generation (L184).
constexpr uint64_t bucketShift(uint8_t b) { return uint64_t{1} << (b & 63); }

// bucketMask returns 1<<b - 1 (L190).
constexpr uint64_t bucketMask(uint8_t b) { return bucketShift(b) - 1; }

// tophash calculates the tophash value for hash (L195).
constexpr uint8_t tophash(uint64_t hash) {
  uint8_t top = static_cast<uint8_t>(hash >> 56);
  if (top < minTopHash) top += minTopHash;
  return top;
}

// overLoadFactor reports whether count items placed in 1<<B buckets is over loadFactor (L1085).
constexpr bool overLoadFactor(int64_t count, uint8_t B) {
  return count > bucketCnt && static_cast<uint64_t>(count) > loadFactorNum * (bucketShift(B) / loadFactorDen);
}

// tooManyOverflowBuckets reports whether noverflow buckets is too many for a map
// with 1<<B buckets (L1092): "too many" means as many overflow buckets as regular ones.
constexpr bool tooManyOverflowBuckets(uint16_t noverflow, uint8_t B) {
  if (B > 15) B = 15;
  return noverflow >= static_cast<uint16_t>(uint16_t{1} << (B & 15));
}

// makemap's choice of B (L305-321): a hint whose bucket memory
// (hint * bucketsize, hint taken as uintptr, so negative hints overflow)
// exceeds maxAlloc counts as 0; then the smallest B that holds hint elements
// without going over the load factor.
constexpr uint8_t makemapB(int64_t hint, uint64_t bucketsize) {
  const unsigned __int128 mem = static_cast<unsigned __int128>(static_cast<uint64_t>(hint)) * bucketsize;
  if (mem > maxAlloc) hint = 0;
  uint8_t B = 0;
  while (overLoadFactor(hint, B)) B++;
  return B;
}

// roundupsize mirrors msize.go: the size the Go allocator really hands out for a
// request of `size` bytes (its size classes below 32 KiB, whole 8 KiB pages above).
uint64_t roundupsize(uint64_t size);

} // namespace gomap
