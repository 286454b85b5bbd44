// A bit-exact port of Go 1.19's portable hash functions (runtime/hash64.go and
// alg.go), the ones the runtime uses when AES hashing is off (GODEBUG=cpu.aes=off).
// They are wyhash-style: a 64x64->128 multiply folded by xor ("mix").
#pragma once
#include <cstdint>
#include <string_view>

namespace gomap {

// The runtime's per-process hash key. Go randomises it in alginit; gomaplab fixes
// hashkey[0] (the only word the fallback hashes read) so sessions are reproducible.
inline constexpr uint64_t kDefaultHashKey = 0x0123456789abcdefULL;

namespace wy {
inline constexpr uint64_t m1 = 0xa0761d6478bd642fULL;
inline constexpr uint64_t m2 = 0xe7037ed1a0b428dbULL;
inline constexpr uint64_t m3 = 0x8ebc6af09c88c6e3ULL;
inline constexpr uint64_t m4 = 0x589965cc75374cc3ULL;
inline constexpr uint64_t m5 = 0x1d8e4e27c47d124fULL;

// mix: the 128-bit product of a and b, high half xor low half.
inline uint64_t mix(uint64_t a, uint64_t b) {
  unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(p >> 64) ^ static_cast<uint64_t>(p);
}
} // namespace wy

// The words the fallback hash is keyed by. Go 1.19 (hash64.go) xors the seed
// with hashkey[0]^m1 and the lanes with the constants m2, m3, m4; Go 1.23 and
// later (the Swiss map's runtimes, swiss-map-spec 19.2) drop m1 and key the
// lanes with hashkey[1], hashkey[2], hashkey[3]. One implementation serves both.
struct FallbackKeys {
  uint64_t seedXor; // seed ^= seedXor at the start (and in memhash32/64)
  uint64_t lane[3]; // the 48-byte lanes; lane[0] also the 16-byte loop and the final mix
};
constexpr FallbackKeys go119Keys(uint64_t hashkey0) { return {hashkey0 ^ wy::m1, {wy::m2, wy::m3, wy::m4}}; }
constexpr FallbackKeys go123Keys(const uint64_t (&hashkey)[4]) {
  return {hashkey[0], {hashkey[1], hashkey[2], hashkey[3]}};
}

// memhashFallback(p, seed, s): hash of s bytes at p.
uint64_t memhashFallback(const void* p, uint64_t seed, uint64_t s, const FallbackKeys& k);
inline uint64_t memhashFallback(const void* p, uint64_t seed, uint64_t s, uint64_t hashkey0) {
  return memhashFallback(p, seed, s, go119Keys(hashkey0));
}

// memhash64Fallback / memhash32Fallback: the fixed-width forms used for 8- and 4-byte keys.
inline uint64_t memhash64Fallback(uint64_t a, uint64_t seed, const FallbackKeys& k) {
  return wy::mix(wy::m5 ^ 8, wy::mix(a ^ k.lane[0], a ^ seed ^ k.seedXor));
}
inline uint64_t memhash32Fallback(uint32_t v, uint64_t seed, const FallbackKeys& k) {
  uint64_t a = v;
  return wy::mix(wy::m5 ^ 4, wy::mix(a ^ k.lane[0], a ^ seed ^ k.seedXor));
}
inline uint64_t memhash64Fallback(uint64_t a, uint64_t seed, uint64_t hashkey0) {
  return memhash64Fallback(a, seed, go119Keys(hashkey0));
}
inline uint64_t memhash32Fallback(uint32_t v, uint64_t seed, uint64_t hashkey0) {
  return memhash32Fallback(v, seed, go119Keys(hashkey0));
}

// strhashFallback: memhash over the string's bytes.
inline uint64_t strhashFallback(std::string_view s, uint64_t seed, uint64_t hashkey0) {
  return memhashFallback(s.data(), seed, s.size(), hashkey0);
}

// f64hash (alg.go L74): +0 and -0 hash alike; NaN hashes to a fresh random value
// (the caller passes the fastrand() draw), so NaN keys never collide on purpose.
inline constexpr uint64_t c0 = 33054211828000289ULL;
inline constexpr uint64_t c1 = 23344194077549503ULL;
inline uint64_t f64hashZero(uint64_t seed) { return c1 * (c0 ^ seed); }
inline uint64_t f64hashNaN(uint64_t seed, uint32_t rand) { return c1 * (c0 ^ seed ^ rand); }

} // namespace gomap
