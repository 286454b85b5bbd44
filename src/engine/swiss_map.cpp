#include "engine/swiss_map.hpp"

#include <mutex>
#include <new>

namespace gomap::swiss {

std::string_view versionName(Version v) { return v == Version::Go126 ? "go1.26" : "go1.27"; }

// Go's size classes (internal/runtime/gc/sizeclasses.go) up to 32 KiB; larger
// allocations are rounded to whole 8 KiB pages.
uint64_t roundupsize(uint64_t bytes) {
  static constexpr uint32_t kClasses[] = {
      0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,   160,   176,   192,
      208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,   512,   576,   640,   704,
      768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,  2688,  3072,  3200,  3456,  4096,
      4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384,
      18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
  if (bytes <= 32768)
    for (uint32_t c : kClasses)
      if (c >= bytes) return c;
  return (bytes + 8191) / 8192 * 8192;
}

namespace table_pool {
namespace {
struct Pool {
  std::mutex mu;
  void* free = nullptr; // a block's first word links to the next free block
  std::size_t inUse = 0;
  static constexpr std::size_t kSlab = 16384;
};
Pool& pool() {
  static Pool* p = new Pool; // never destroyed: tables may be freed during static destruction
  return *p;
}
} // namespace

void* allocate() {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  if (!p.free) {
    char* slab = static_cast<char*>(::operator new(Pool::kSlab, std::align_val_t{kBlock}));
    for (std::size_t off = Pool::kSlab; off != 0; off -= kBlock) {
      void* b = slab + off - kBlock;
      std::memcpy(b, &p.free, sizeof p.free);
      p.free = b;
    }
  }
  void* b = p.free;
  std::memcpy(&p.free, b, sizeof p.free);
  p.inUse++;
  return b;
}

void deallocate(void* b) noexcept {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  std::memcpy(b, &p.free, sizeof p.free);
  p.free = b;
  p.inUse--;
}

std::size_t blocksInUse() {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  return p.inUse;
}
} // namespace table_pool

template class SwissMap<Int64Key>;
template class SwissMap<Int32Key>;
template class SwissMap<StringKey>;
template class SwissMap<Float64Key>;

} // namespace gomap::swiss
