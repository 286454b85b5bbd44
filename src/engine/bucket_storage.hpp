// Zeroed, fixed-size storage for one bucket array, in one of two forms.
//
// Flat: one block that this storage owns. Every new array is flat, and so is
// every map that no session snapshots, so the runtime's functions pay one
// pointer test for the other form. A new large block gets transparent huge
// pages from its first touch (2 MiB-aligned, advised before the pages are
// faulted): a million-key map is walked with few TLB misses, as in Go 1.19,
// whose sysUsedOS advises heap memory MADV_HUGEPAGE; inserts measured about
// 25% faster than with 4 KiB pages.
//
// Versioned: a later version of another storage (its parent), made when a
// snapshot has shared the array and the live map writes it again. It starts
// as a table of pointers to the parent's chunks of kChunk buckets and copies a
// chunk only when the map first writes into it. So restoring a snapshot and
// replaying a few thousand ops costs the chunks those ops touch, not a copy
// of the whole array (which on a 2^19-bucket map took 10-20 ms per seek), and
// each snapshot keeps only the chunks written since the one before
// (docs/performance.md). The parent stays alive as long as a version borrows
// from it: the keepAlive handle a version is made with owns it.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace gomap {

// Memory for bucket arrays, chunk tables and event chunks. Blocks under
// 64 KiB come from malloc; larger ones come prefaulted from mmap (hugePages,
// from 2 MiB: 2 MiB-aligned and advised for transparent huge pages before the
// first touch); freed ones are kept (up to 512 MiB) for the next block of the
// same size, because on a virtual machine first-touch memory costs several
// times more than reused memory.
void* allocateBlock(std::size_t bytes, bool zeroed, bool hugePages = false);
void freeBlock(void* p, std::size_t bytes) noexcept;
// Blocks mapped fresh so far (each faulted in when mapped, where reused ones
// cost nothing): lets tests and benchmarks check that work ran on reused memory.
std::size_t freshBlocksMapped();
// Maps fresh blocks of this size into the cache until count of them wait
// there (or the cache is full), faulted in now: later allocateBlock calls
// for that size, with the same hugePages, take them without a page fault.
void reserveBlocks(std::size_t bytes, std::size_t count, bool hugePages = false);
// Fresh zeroed, prefaulted anonymous memory; bytes a multiple of 4 KiB.
void* mapPopulated(std::size_t bytes);
void unmapPopulated(void* p, std::size_t bytes) noexcept;

// Starts loading the cache line at p (a hint: never faults, changes nothing).
// GCC 12 drops a __builtin_prefetch whose address comes from a guarded load
// and that nothing else uses, so on x86 the instruction is spelled out.
inline void prefetchForRead(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

// A fixed-size array of plain values in allocateBlock memory. A version's
// chunk table is one: at 2^21 buckets it takes 4.7 MB and a seek makes two,
// and blocks from allocateBlock come prefaulted and are reused.
template <class P> class BlockArray {
  static_assert(std::is_trivially_copyable_v<P>);

public:
  BlockArray() = default;
  explicit BlockArray(std::size_t n) : n_(n), p_(static_cast<P*>(allocateBlock(n * sizeof(P), false, hugePages(n)))) {}
  // Puts count blocks for arrays of n values in the cache (reserveBlocks).
  static void reserve(std::size_t n, std::size_t count) { reserveBlocks(n * sizeof(P), count, hugePages(n)); }
  BlockArray(const BlockArray& o) : BlockArray(o.n_) {
    if (n_) std::memcpy(static_cast<void*>(p_), o.p_, n_ * sizeof(P));
  }
  BlockArray& operator=(const BlockArray& o) {
    BlockArray copy(o);
    swap(copy);
    return *this;
  }
  BlockArray(BlockArray&& o) noexcept { swap(o); }
  BlockArray& operator=(BlockArray&& o) noexcept {
    swap(o);
    return *this;
  }
  ~BlockArray() { freeBlock(p_, n_ * sizeof(P)); }
  void swap(BlockArray& o) noexcept {
    std::swap(n_, o.n_);
    std::swap(p_, o.p_);
  }
  std::size_t size() const { return n_; }
  P& operator[](std::size_t i) { return p_[i]; }
  const P& operator[](std::size_t i) const { return p_[i]; }

private:
  static bool hugePages(std::size_t n) { return n * sizeof(P) >= (std::size_t{2} << 20); }
  std::size_t n_ = 0;
  P* p_ = nullptr;
};

template <class T> class BucketStorage {
  static_assert(std::is_trivially_copyable_v<T>, "bmaps are plain memory");

public:
  // Buckets per chunk, the unit a version copies. Small chunks keep what a
  // snapshot pins close to what the ops between snapshots wrote (an insert
  // writes one bucket; an evacuation one old bucket and its X and Y); the
  // table costs one pointer per chunk per version.
  static constexpr std::size_t kChunkShift = 2;
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkShift;
  // Below this size a new version simply copies the whole array.
  static constexpr std::size_t kMinVersionedBytes = std::size_t{256} << 10;
  // Copied chunks live in blocks of this size (the first block of a version is smaller).
  static constexpr std::size_t kArenaBlockBytes = std::size_t{2} << 20;

  // Whether a new version of an n-bucket array borrows chunks (else it is a flat copy).
  static bool versioned(std::size_t n) { return n * sizeof(T) >= kMinVersionedBytes; }
  // Puts in the block cache what `tables` versions of an n-bucket array
  // take for their chunk tables (nothing for arrays copied flat).
  static void reserveTables(std::size_t n, std::size_t tables) {
    if (versioned(n)) BlockArray<T*>::reserve((n + kChunk - 1) >> kChunkShift, tables);
  }
  // Puts in the block cache `count` blocks for copied chunks.
  static void reserveArenaBlocks(std::size_t count) { reserveBlocks(kArenaBlockBytes, count, true); }

  BucketStorage() = default;
  explicit BucketStorage(std::size_t n) : n_(n), flat_(static_cast<T*>(allocateBlock(n * sizeof(T), true, true))) {}
  // A deep, flat copy.
  BucketStorage(const BucketStorage& o) : n_(o.n_), flat_(static_cast<T*>(allocateBlock(o.n_ * sizeof(T), false))) {
    copyAllInto(o, flat_);
  }
  // A new version of parent: shares parent's chunks until they are written
  // (small arrays: a flat copy). keepAlive must own parent.
  BucketStorage(const BucketStorage& parent, std::shared_ptr<const void> keepAlive) : n_(parent.n_) {
    if (!versioned(n_)) {
      flat_ = static_cast<T*>(allocateBlock(n_ * sizeof(T), false));
      copyAllInto(parent, flat_);
      return;
    }
    const std::size_t nchunks = (n_ + kChunk - 1) >> kChunkShift;
    if (parent.flat_) {
      chunks_ = BlockArray<T*>(nchunks);
      for (std::size_t c = 0; c < nchunks; c++) chunks_[c] = parent.flat_ + (c << kChunkShift);
    } else {
      chunks_ = parent.chunks_;
    }
    owned_.assign((nchunks + 63) / 64, 0);
    parent_ = std::move(keepAlive);
  }
  // n zeroed buckets as a version of nothing: every chunk reads as a shared
  // chunk of zeros until it is first written. A snapshotted map's new arrays
  // start so: a seek whose replay crosses a hashGrow then pays for the chunks
  // the replay writes instead of zeroing (and faulting in) the whole array.
  static BucketStorage lazilyZeroed(std::size_t n) {
    BucketStorage s;
    s.n_ = n;
    if (!versioned(n)) {
      s.flat_ = static_cast<T*>(allocateBlock(n * sizeof(T), true));
      return s;
    }
    const std::size_t nchunks = (n + kChunk - 1) >> kChunkShift;
    s.chunks_ = BlockArray<T*>(nchunks);
    for (std::size_t c = 0; c < nchunks; c++) s.chunks_[c] = const_cast<T*>(reinterpret_cast<const T*>(kZeroChunk));
    s.owned_.assign((nchunks + 63) / 64, 0);
    return s;
  }
  BucketStorage& operator=(const BucketStorage&) = delete;
  BucketStorage(BucketStorage&& o) noexcept { swap(o); }
  BucketStorage& operator=(BucketStorage&& o) noexcept {
    if (this != &o) {
      BucketStorage dropped(std::move(*this));
      swap(o);
    }
    return *this;
  }
  ~BucketStorage() {
    freeBlock(flat_, n_ * sizeof(T));
    for (auto& b : arena_) freeBlock(b.p, b.bytes);
  }

  std::size_t size() const { return n_; }
  // The flat block, or nullptr for a version.
  T* flatData() const { return flat_; }
  // Reading never copies.
  const T& operator[](std::size_t i) const {
    if (flat_) return flat_[i];
    return chunks_[i >> kChunkShift][i & (kChunk - 1)];
  }
  // Where a version keeps the pointer to bucket i's chunk, and the chunk.
  const void* chunkEntry(std::size_t i) const { return &chunks_[i >> kChunkShift]; }
  const T* chunkOf(std::size_t i) const { return chunks_[i >> kChunkShift]; }
  static constexpr std::size_t kChunkBytes = kChunk * sizeof(T);
  // Bucket i, ready to be written: a version copies its chunk first.
  T& writable(std::size_t i) {
    if (flat_) return flat_[i];
    const std::size_t c = i >> kChunkShift;
    if (!((owned_[c / 64] >> (c % 64)) & 1)) [[unlikely]]
      copyChunk(c);
    return chunks_[c][i & (kChunk - 1)];
  }
  // Bytes this storage holds that no other storage shares: a flat block, or
  // the chunks a version has copied.
  std::size_t privateBytes() const { return flat_ ? n_ * sizeof(T) : copiedChunks_ * kChunk * sizeof(T); }
  void zero() {
    if (!flat_) {
      BucketStorage fresh(n_);
      swap(fresh);
      return;
    }
    if (n_) std::memset(static_cast<void*>(flat_), 0, n_ * sizeof(T));
  }

private:
  void swap(BucketStorage& o) noexcept {
    std::swap(n_, o.n_);
    std::swap(flat_, o.flat_);
    chunks_.swap(o.chunks_);
    owned_.swap(o.owned_);
    parent_.swap(o.parent_);
    arena_.swap(o.arena_);
    std::swap(arenaFree_, o.arenaFree_);
    std::swap(arenaLeft_, o.arenaLeft_);
    std::swap(copiedChunks_, o.copiedChunks_);
  }
  static void copyAllInto(const BucketStorage& from, T* to) {
    if (from.n_ == 0) return;
    if (from.flat_) {
      std::memcpy(static_cast<void*>(to), from.flat_, from.n_ * sizeof(T));
      return;
    }
    for (std::size_t c = 0; c < from.chunks_.size(); c++)
      std::memcpy(static_cast<void*>(to + (c << kChunkShift)), from.chunks_[c], from.chunkLength(c) * sizeof(T));
  }
  std::size_t chunkLength(std::size_t c) const { return std::min(kChunk, n_ - (c << kChunkShift)); }
  [[gnu::noinline]] void copyChunk(std::size_t c) {
    if (arenaLeft_ == 0) {
      // A version that copies a few chunks (a short seek) takes a small
      // block; one that goes on takes 2 MiB blocks, which come prefaulted
      // and are reused (allocateBlock): first-touch page faults had made a
      // copy cost about 1 us on a virtual machine.
      const std::size_t bytes = arena_.empty() ? 64 * kChunk * sizeof(T) : kArenaBlockBytes;
      arena_.push_back({allocateBlock(bytes, false, bytes >= kArenaBlockBytes), bytes});
      arenaFree_ = static_cast<T*>(arena_.back().p);
      arenaLeft_ = bytes / (kChunk * sizeof(T));
    }
    T* copy = arenaFree_;
    arenaFree_ += kChunk;
    arenaLeft_--;
    // Ask for every line first: a plain copy of a cold chunk (rep movs) took
    // its cache misses one after another, about 1.9 us per chunk on a
    // virtual machine, against about 0.2 us with the lines requested at once.
    const std::size_t bytes = chunkLength(c) * sizeof(T);
    const char* from = reinterpret_cast<const char*>(chunks_[c]);
    for (std::size_t off = 0; off < bytes; off += 64) prefetchForRead(from + off);
    prefetchForRead(from + bytes - 1);
    std::memcpy(static_cast<void*>(copy), from, bytes);
    chunks_[c] = copy;
    owned_[c / 64] |= uint64_t{1} << (c % 64);
    copiedChunks_++;
  }

  // What a lazily zeroed version borrows; never written (unowned chunks are
  // copied before a write).
  alignas(T) static constexpr unsigned char kZeroChunk[kChunk * sizeof(T)] = {};

  std::size_t n_ = 0;
  T* flat_ = nullptr;                // the flat form's block
  BlockArray<T*> chunks_;            // a version's chunk c: its own copy or its parent's
  std::vector<uint64_t> owned_;      // bit c: chunk c is this version's own copy
  std::shared_ptr<const void> parent_; // keeps the borrowed chunks alive
  struct Block {
    void* p;
    std::size_t bytes;
  };
  std::vector<Block> arena_; // blocks holding the copied chunks
  T* arenaFree_ = nullptr;
  std::size_t arenaLeft_ = 0; // chunks left in the last arena block
  std::size_t copiedChunks_ = 0;
};

// The overflow buckets newoverflow took from the heap while an array was
// h.buckets: an append-only sequence, shared between versions chunk by chunk
// as BucketStorage is (a million-key map has thousands of them, and copying
// them whole took a tenth of every seek).
template <class T> class OverflowHeap {
  static_assert(std::is_trivially_copyable_v<T>, "bmaps are plain memory");

public:
  static constexpr std::size_t kChunk = 8;

  OverflowHeap() = default;
  // A deep copy: every chunk its own.
  OverflowHeap(const OverflowHeap& o) : n_(o.n_) {
    for (std::size_t c = 0; c < o.chunks_.size(); c++) {
      T* copy = newChunk();
      std::memcpy(static_cast<void*>(copy), o.chunks_[c], kChunk * sizeof(T));
      chunks_.push_back(copy);
      owned_.push_back(true);
    }
  }
  // A new version of parent, sharing its chunks until they are written.
  // keepAlive must own parent.
  OverflowHeap(const OverflowHeap& parent, std::shared_ptr<const void> keepAlive)
      : n_(parent.n_), chunks_(parent.chunks_), owned_(parent.chunks_.size(), false), parent_(std::move(keepAlive)) {}
  OverflowHeap& operator=(const OverflowHeap&) = delete;
  OverflowHeap(OverflowHeap&& o) noexcept { swap(o); }
  OverflowHeap& operator=(OverflowHeap&& o) noexcept {
    if (this != &o) {
      OverflowHeap dropped(std::move(*this));
      swap(o);
    }
    return *this;
  }
  ~OverflowHeap() {
    for (void* p : mine_) std::free(p);
  }

  std::size_t size() const { return n_; }
  const T& operator[](std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  // Bucket i when this version owns its chunk (always, for a map nobody
  // snapshotted), else nullptr.
  T* ownBucket(std::size_t i) {
    if (i >= n_ || !owned_[i / kChunk]) return nullptr;
    return &chunks_[i / kChunk][i % kChunk];
  }
  T& writable(std::size_t i) {
    const std::size_t c = i / kChunk;
    if (!owned_[c]) [[unlikely]] {
      T* copy = newChunk();
      std::memcpy(static_cast<void*>(copy), chunks_[c], kChunk * sizeof(T));
      chunks_[c] = copy;
      owned_[c] = true;
    }
    return chunks_[c][i % kChunk];
  }
  // Appends a zeroed bucket.
  void emplace_back() {
    if (n_ % kChunk == 0) {
      chunks_.push_back(newChunk());
      owned_.push_back(true);
    }
    n_++;
  }
  void clear() {
    OverflowHeap empty;
    swap(empty);
  }
  std::size_t privateBytes() const {
    return static_cast<std::size_t>(std::count(owned_.begin(), owned_.end(), true)) * kChunk * sizeof(T);
  }

private:
  // Zeroed chunks carved from blocks of growing size: one malloc per chunk
  // had made glibc grow and trim its heap over and over (156 brk calls
  // against 21 in the insert benchmark), each time faulting pages back in.
  T* newChunk() {
    if (blockLeft_ == 0) {
      // At most 32 chunks (37 KB for int64 keys): glibc keeps such blocks in
      // its heap (see allocateBlock about larger ones).
      const std::size_t chunks = std::size_t{4} << std::min<std::size_t>(mine_.size(), 3);
      void* p = std::calloc(chunks * kChunk, sizeof(T));
      if (!p) throw std::bad_alloc();
      mine_.push_back(p);
      blockFree_ = static_cast<T*>(p);
      blockLeft_ = chunks;
    }
    T* chunk = blockFree_;
    blockFree_ += kChunk;
    blockLeft_--;
    return chunk;
  }
  void swap(OverflowHeap& o) noexcept {
    std::swap(n_, o.n_);
    chunks_.swap(o.chunks_);
    owned_.swap(o.owned_);
    parent_.swap(o.parent_);
    mine_.swap(o.mine_);
    std::swap(blockFree_, o.blockFree_);
    std::swap(blockLeft_, o.blockLeft_);
  }

  std::size_t n_ = 0;
  std::vector<T*> chunks_;
  std::vector<bool> owned_;
  std::shared_ptr<const void> parent_;
  std::vector<void*> mine_; // the blocks this version allocated its chunks from
  T* blockFree_ = nullptr;
  std::size_t blockLeft_ = 0; // chunks left in the last block
};

} // namespace gomap
