#include "engine/bucket_storage.hpp"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>

#include <map>
#include <mutex>
#include <vector>

namespace gomap {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Blocks come and go in whole sizes (a grow allocates the next power of two,
// a snapshot's version the same chunk table and arena blocks as the last).
// Fresh memory costs a page fault per page, which on virtual machines can
// cost more than the copy itself, so freed blocks are kept for reuse, in one
// list per size.
struct BlockCache {
  // Blocks are mmap'ed regions (see mapPopulated).
  std::mutex mu;
  std::map<std::size_t, std::vector<void*>> bySize;
  std::size_t cachedBytes = 0;
  std::size_t cachedBlocks = 0;
  static constexpr std::size_t kMaxCachedBytes = std::size_t{512} << 20;
  static constexpr std::size_t kMaxCachedBlocks = 4096; // each is a mapping

  void* take(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = bySize.find(bytes);
    if (it == bySize.end() || it->second.empty()) return nullptr;
    void* p = it->second.back();
    it->second.pop_back();
    cachedBytes -= bytes;
    cachedBlocks--;
    return p;
  }
  std::size_t countOf(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = bySize.find(bytes);
    return it == bySize.end() ? 0 : it->second.size();
  }
  bool give(void* p, std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mu);
    if (cachedBytes + bytes > kMaxCachedBytes || cachedBlocks == kMaxCachedBlocks) return false;
    bySize[bytes].push_back(p);
    cachedBytes += bytes;
    cachedBlocks++;
    return true;
  }
  ~BlockCache() {
    for (auto& [bytes, blocks] : bySize)
      for (void* p : blocks) unmapPopulated(p, bytes);
  }
};
BlockCache& cache() {
  static BlockCache c;
  return c;
}

// Below this, blocks come from malloc. From here on they are mapped here and
// cached, never left to glibc, whose handling of large chunks depends on what
// the process freed before (its mmap threshold moves, its heap grows and is
// trimmed): the same build ran 100k inserts at 44 or at 117 ns each,
// depending on which way glibc went, most of the difference page faults.
constexpr std::size_t kMappedFrom = std::size_t{64} << 10;
constexpr std::size_t kPage = 4096;

std::size_t rounded(std::size_t bytes) {
  const std::size_t unit = bytes >= kHugePage ? kHugePage : kPage;
  return (bytes + unit - 1) & ~(unit - 1);
}
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

namespace {
std::atomic<std::size_t> freshBlocks{0};
} // namespace

// Fresh anonymous pages are already zero.
static void* mapFresh(std::size_t size, bool hugePages) {
  freshBlocks.fetch_add(1, std::memory_order_relaxed);
  return hugePages && size >= kHugePage ? mapHugePages(size) : mapPopulated(size);
}

void* allocateBlock(std::size_t bytes, bool zeroed, bool hugePages) {
  if (bytes == 0) return nullptr;
  if (bytes < kMappedFrom) {
    void* p = zeroed ? std::calloc(1, bytes) : std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  const std::size_t size = rounded(bytes);
  if (void* p = cache().take(size)) {
    if (zeroed) std::memset(p, 0, bytes);
    return p;
  }
  return mapFresh(size, hugePages);
}

std::size_t freshBlocksMapped() { return freshBlocks.load(std::memory_order_relaxed); }

void reserveBlocks(std::size_t bytes, std::size_t count, bool hugePages) {
  if (bytes < kMappedFrom) return; // malloc's business
  const std::size_t size = rounded(bytes);
  while (cache().countOf(size) < count) {
    void* p = mapFresh(size, hugePages);
    if (!cache().give(p, size)) {
      unmapPopulated(p, size); // the cache is full: best effort
      return;
    }
  }
}

void freeBlock(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  if (bytes >= kMappedFrom) {
    try {
      if (cache().give(p, rounded(bytes))) return;
    } catch (...) {
    }
    unmapPopulated(p, rounded(bytes));
    return;
  }
  std::free(p);
}

} // namespace gomap
