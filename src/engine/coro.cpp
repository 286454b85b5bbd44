#include "engine/coro.hpp"

namespace gomap::frame_pool {

namespace {
// Frames are recycled through intrusive free lists, one per 64-byte size class
// up to 4 KiB: an operation costs no malloc once the pools are warm. The
// thread_local is plain data (no constructor or destructor), so reaching it
// costs no TLS guard; pooled frames live until the thread ends.
constexpr std::size_t kGranule = 64;
constexpr std::size_t kClasses = 64;
constexpr std::size_t kMaxPooledPerClass = 4096;

struct FreeFrame {
  FreeFrame* next;
};
struct Pools {
  FreeFrame* head[kClasses];
  uint32_t count[kClasses];
};
thread_local Pools tl_pools;

constexpr std::size_t classOf(std::size_t n) { return (n + kGranule - 1) / kGranule; }
} // namespace

void* allocate(std::size_t n) {
  std::size_t c = classOf(n);
  if (c < kClasses) {
    if (FreeFrame* f = tl_pools.head[c]) {
      tl_pools.head[c] = f->next;
      tl_pools.count[c]--;
      return f;
    }
    return ::operator new(c * kGranule);
  }
  return ::operator new(n);
}

void release(void* p, std::size_t n) noexcept {
  std::size_t c = classOf(n);
  if (c < kClasses && tl_pools.count[c] < kMaxPooledPerClass) {
    auto* f = static_cast<FreeFrame*>(p);
    f->next = tl_pools.head[c];
    tl_pools.head[c] = f;
    tl_pools.count[c]++;
    return;
  }
  ::operator delete(p);
}

} // namespace gomap::frame_pool
