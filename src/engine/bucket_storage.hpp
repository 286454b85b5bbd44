// Zeroed, fixed-size storage for one bucket array. A new large array gets
// transparent huge pages from its first touch (2 MiB-aligned, advised before
// the pages are faulted): a million-key map is walked with few TLB misses, as
// in Go 1.19, whose sysUsedOS advises heap memory MADV_HUGEPAGE; inserts
// measured about 25% faster than with 4 KiB pages. Copying makes a deep copy (snapshots clone arrays on
// the first write after a snapshot); clones keep prefaulted 4 KiB pages,
// which measured faster for them (docs/performance.md).
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

namespace gomap {

// Memory for bucket arrays and event chunks. Blocks of 2 MiB and more come
// prefaulted from mmap (hugePages: 2 MiB-aligned and advised for transparent
// huge pages before the first touch); freed ones are kept (up to 512 MiB) for
// the next block of the same size, because on a virtual machine first-touch
// memory costs several times more than reused memory.
void* allocateBlock(std::size_t bytes, bool zeroed, bool hugePages = false);
void freeBlock(void* p, std::size_t bytes) noexcept;
// Fresh zeroed, prefaulted anonymous memory; bytes a multiple of 2 MiB.
void* mapPopulated(std::size_t bytes);
void unmapPopulated(void* p, std::size_t bytes) noexcept;

template <class T> class BucketStorage {
  static_assert(std::is_trivially_copyable_v<T>, "bmaps are plain memory");

public:
  BucketStorage() = default;
  explicit BucketStorage(std::size_t n) : n_(n), p_(static_cast<T*>(allocateBlock(n * sizeof(T), true, true))) {}
  BucketStorage(const BucketStorage& o) : n_(o.n_), p_(static_cast<T*>(allocateBlock(o.n_ * sizeof(T), false))) {
    if (n_) std::memcpy(static_cast<void*>(p_), o.p_, n_ * sizeof(T));
  }
  BucketStorage& operator=(const BucketStorage&) = delete;
  BucketStorage(BucketStorage&& o) noexcept : n_(o.n_), p_(o.p_) {
    o.n_ = 0;
    o.p_ = nullptr;
  }
  BucketStorage& operator=(BucketStorage&& o) noexcept {
    if (this != &o) {
      freeBlock(p_, n_ * sizeof(T));
      n_ = o.n_;
      p_ = o.p_;
      o.n_ = 0;
      o.p_ = nullptr;
    }
    return *this;
  }
  ~BucketStorage() { freeBlock(p_, n_ * sizeof(T)); }

  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }
  std::size_t size() const { return n_; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  void zero() {
    if (n_) std::memset(static_cast<void*>(p_), 0, n_ * sizeof(T));
  }

private:
  std::size_t n_ = 0;
  T* p_ = nullptr;
};

} // namespace gomap
