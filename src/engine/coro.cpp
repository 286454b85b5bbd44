#include "engine/coro.hpp"

#include <array>
#include <vector>

namespace gomap::frame_pool {

namespace {
constexpr std::size_t kGranule = 64;
constexpr std::size_t kClasses = 32; // frames up to 2 KiB are pooled

struct FreeLists {
  std::array<std::vector<void*>, kClasses> lists;
  ~FreeLists() {
    for (auto& l : lists)
      for (void* p : l) ::operator delete(p);
  }
};
thread_local FreeLists tl_pool;

constexpr std::size_t classOf(std::size_t n) { return (n + kGranule - 1) / kGranule; }
} // namespace

void* allocate(std::size_t n) {
  std::size_t c = classOf(n);
  if (c < kClasses) {
    auto& l = tl_pool.lists[c];
    if (!l.empty()) {
      void* p = l.back();
      l.pop_back();
      return p;
    }
    return ::operator new(c * kGranule);
  }
  return ::operator new(n);
}

void release(void* p, std::size_t n) noexcept {
  std::size_t c = classOf(n);
  if (c < kClasses) {
    auto& l = tl_pool.lists[c];
    if (l.size() < 4096) {
      try {
        l.push_back(p);
        return;
      } catch (...) {
      }
    }
  }
  ::operator delete(p);
}

} // namespace gomap::frame_pool
