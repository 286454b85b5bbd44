#include "engine/swiss_map.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <new>
#include <vector>

#include "engine/bucket_storage.hpp"

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

namespace group_pool {
namespace {
// One 2 MiB slab of arrays of one size: carved by a bump pointer, freed
// arrays on a free list (a freed array's first word links to the next).
struct Slab {
  char* base = nullptr;
  std::size_t bytes = 0;    // the size class: bytes per array
  uint32_t capacity = 0;    // arrays the slab holds
  uint32_t carved = 0;      // arrays carved so far (the bump pointer)
  uint32_t live = 0;        // arrays handed out and not freed
  void* free = nullptr;     // freed arrays
  bool hasRoom() const { return free || carved < capacity; }
};
struct Pool {
  std::mutex mu;
  std::map<uintptr_t, Slab> slabs;                     // by base address
  std::map<std::size_t, std::vector<Slab*>> withRoom;  // per size class: slabs with an array to give
  std::size_t arrays = 0;
};
Pool& pool() {
  static Pool* p = new Pool; // never destroyed: tables may be freed during static destruction
  return *p;
}
void forget(std::vector<Slab*>& v, Slab* s) {
  for (std::size_t i = 0; i < v.size(); i++)
    if (v[i] == s) {
      v[i] = v.back();
      v.pop_back();
      return;
    }
}
} // namespace

void* allocate(std::size_t bytes) {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  std::vector<Slab*>& room = p.withRoom[bytes];
  if (room.empty()) {
    // From the block cache: 2 MiB-aligned and advised for huge pages when
    // mapped fresh, prefaulted; a cached block is reused as it is.
    char* base = static_cast<char*>(allocateBlock(kSlab, false, true));
    Slab& s = p.slabs[reinterpret_cast<uintptr_t>(base)];
    s = Slab{base, bytes, static_cast<uint32_t>(kSlab / bytes), 0, 0, nullptr};
    room.push_back(&s);
  }
  Slab* s = room.back();
  void* a;
  if (s->free) {
    a = s->free;
    std::memcpy(&s->free, a, sizeof s->free);
  } else {
    a = s->base + std::size_t{s->carved++} * bytes;
  }
  s->live++;
  p.arrays++;
  if (!s->hasRoom()) room.pop_back();
  return a;
}

void deallocate(void* a, std::size_t bytes) noexcept {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  auto it = p.slabs.upper_bound(reinterpret_cast<uintptr_t>(a));
  --it; // the slab whose base is the last one at or below a
  Slab& s = it->second;
  const bool hadRoom = s.hasRoom();
  p.arrays--;
  std::vector<Slab*>& room = p.withRoom[bytes];
  if (--s.live == 0) {
    // Every array of the slab is free: give the slab back.
    if (hadRoom) forget(room, &s);
    freeBlock(s.base, kSlab);
    p.slabs.erase(it);
    return;
  }
  std::memcpy(a, &s.free, sizeof s.free);
  s.free = a;
  if (!hadRoom) room.push_back(&s);
}

std::size_t arraysInUse() {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  return p.arrays;
}

std::size_t slabsInUse() {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  return p.slabs.size();
}

bool inSlab(const void* a) {
  Pool& p = pool();
  std::lock_guard lock(p.mu);
  auto it = p.slabs.upper_bound(reinterpret_cast<uintptr_t>(a));
  if (it == p.slabs.begin()) return false;
  --it;
  const uintptr_t base = it->first;
  return reinterpret_cast<uintptr_t>(a) < base + kSlab;
}
} // namespace group_pool

template class SwissMap<Int64Key>;
template class SwissMap<Int32Key>;
template class SwissMap<StringKey>;
template class SwissMap<Float64Key>;

} // namespace gomap::swiss
