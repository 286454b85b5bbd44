#include "engine/bucket_storage.hpp"

#include <sys/mman.h>

namespace gomap {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

void* allocateZeroedBuckets(std::size_t bytes) {
  if (bytes == 0) return nullptr;
  if (bytes < kHugePage) {
    void* p = std::calloc(1, bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  std::size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);
#endif
  std::memset(p, 0, bytes);
  return p;
}

void freeBuckets(void* p) noexcept { std::free(p); }

} // namespace gomap
