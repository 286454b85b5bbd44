#include "engine/bucket_storage.hpp"

#include <sys/mman.h>

#include <cstdint>

#include <mutex>
#include <vector>

namespace gomap {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Large arrays come and go in whole sizes (a grow allocates the next power of
// two; a snapshot's first write clones an array of the same size). Fresh
// memory costs a page fault per page, which on virtual machines can cost more
// than the copy itself, so a few freed large blocks are kept for reuse.
struct BlockCache {
  struct Block {
    void* p;
    std::size_t bytes;
  };
  // Blocks are mmap'ed regions (see mapPopulated).
  std::mutex mu;
  std::vector<Block> blocks;
  std::size_t cachedBytes = 0;
  static constexpr std::size_t kMaxCachedBytes = std::size_t{512} << 20;

  void* take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mu);
    for (std::size_t i = 0; i < blocks.size(); i++) {
      if (blocks[i].bytes == bytes) {
        void* p = blocks[i].p;
        cachedBytes -= bytes;
        blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(i));
        return p;
      }
    }
    return nullptr;
  }
  bool give(void* p, std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mu);
    if (cachedBytes + bytes > kMaxCachedBytes) return false;
    blocks.push_back({p, bytes});
    cachedBytes += bytes;
    return true;
  }
  ~BlockCache() {
    for (auto& b : blocks) unmapPopulated(b.p, b.bytes);
  }
};
BlockCache& cache() {
  static BlockCache c;
  return c;
}

std::size_t roundedLarge(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }
} // namespace

void* mapPopulated(std::size_t bytes) {
  // MAP_POPULATE faults every page in one call: on virtual machines, where a
  // page fault costs a trap to the hypervisor, that is several times cheaper
  // than touching the pages one by one.
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE); // lets khugepaged collapse the pages later
#endif
  return p;
}

// For event chunks and new bucket arrays. Event chunks: on this project's VM
// a fresh process records into such memory at about 2 ns per 16-byte event,
// against 14 ns with MAP_POPULATE. New bucket arrays: a million-key map walks
// 2 MiB pages, as Go's heap does. Snapshot clones keep MAP_POPULATE: they are
// made and dropped often, and there huge-page faults (zeroing, compaction)
// measured slower.
static void* mapHugePages(std::size_t bytes) {
  // A transparent huge page needs a 2 MiB-aligned range that is advised
  // before its first touch: map 2 MiB more than asked, trim to an aligned
  // range, advise it, then touch one byte per 4 KiB page so the faults are
  // taken now, in order. With huge pages (THP "madvise" or "always") the
  // first touch of each 2 MiB brings the whole huge page; without them each
  // page faults on its own.
  const std::size_t span = bytes + kHugePage;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  char* const rawBegin = static_cast<char*>(raw);
  char* const rawEnd = rawBegin + span;
  char* const p = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(rawBegin) + kHugePage - 1) &
                                          ~std::uintptr_t{kHugePage - 1});
  if (p > rawBegin) munmap(rawBegin, static_cast<std::size_t>(p - rawBegin));
  if (rawEnd > p + bytes) munmap(p + bytes, static_cast<std::size_t>(rawEnd - (p + bytes)));
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
  volatile char* touch = p;
  for (std::size_t i = 0; i < bytes; i += 4096) touch[i] = 0;
  return p;
}

void unmapPopulated(void* p, std::size_t bytes) noexcept {
  if (p) munmap(p, bytes);
}

void* allocateBlock(std::size_t bytes, bool zeroed, bool hugePages) {
  if (bytes == 0) return nullptr;
  if (bytes < kHugePage) {
    void* p = zeroed ? std::calloc(1, bytes) : std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  std::size_t rounded = roundedLarge(bytes);
  if (void* p = cache().take(rounded)) {
    if (zeroed) std::memset(p, 0, bytes);
    return p;
  }
  // Fresh anonymous pages are already zero.
  return hugePages ? mapHugePages(rounded) : mapPopulated(rounded);

}

void freeBlock(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  if (bytes >= kHugePage) {
    try {
      if (cache().give(p, roundedLarge(bytes))) return;
    } catch (...) {
    }
    unmapPopulated(p, roundedLarge(bytes));
    return;
  }
  std::free(p);
}

} // namespace gomap
