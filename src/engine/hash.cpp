#include "engine/hash.hpp"

#include <cstring>

namespace gomap {

namespace {
inline uint64_t r8(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t r4(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
} // namespace

uint64_t memhashFallback(const void* data, uint64_t seed, uint64_t s, const FallbackKeys& k) {
  using namespace wy;
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t a = 0, b = 0;
  seed ^= k.seedXor;
  if (s == 0) return seed;
  if (s < 4) {
    a = p[0];
    a |= uint64_t{p[s >> 1]} << 8;
    a |= uint64_t{p[s - 1]} << 16;
  } else if (s == 4) {
    a = r4(p);
    b = a;
  } else if (s < 8) {
    a = r4(p);
    b = r4(p + s - 4);
  } else if (s == 8) {
    a = r8(p);
    b = a;
  } else if (s <= 16) {
    a = r8(p);
    b = r8(p + s - 8);
  } else {
    uint64_t l = s;
    if (l > 48) {
      uint64_t seed1 = seed, seed2 = seed;
      for (; l > 48; l -= 48) {
        seed = mix(r8(p) ^ k.lane[0], r8(p + 8) ^ seed);
        seed1 = mix(r8(p + 16) ^ k.lane[1], r8(p + 24) ^ seed1);
        seed2 = mix(r8(p + 32) ^ k.lane[2], r8(p + 40) ^ seed2);
        p += 48;
      }
      seed ^= seed1 ^ seed2;
    }
    for (; l > 16; l -= 16) {
      seed = mix(r8(p) ^ k.lane[0], r8(p + 8) ^ seed);
      p += 16;
    }
    a = r8(p + l - 16);
    b = r8(p + l - 8);
  }
  return mix(m5 ^ s, mix(a ^ k.lane[0], b ^ seed));
}

} // namespace gomap
