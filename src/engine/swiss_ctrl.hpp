// A Swiss group's control word (internal/runtime/maps/group.go): the control
// byte values and the matching of a whole word at once, shared by the engine
// (swiss_map.hpp), which probes with them, and the events (swiss_events.hpp),
// whose GroupProbed record keeps the control word and the H2 it was matched
// against and computes what the probe found from them.
#pragma once
#include <bit>
#include <cstdint>

namespace gomap::swiss {

inline constexpr uint8_t ctrlEmpty = 0x80;   // 1000 0000
inline constexpr uint8_t ctrlDeleted = 0xfe; // 1111 1110
inline constexpr uint64_t bitsetLSB = 0x0101010101010101ULL;
inline constexpr uint64_t bitsetMSB = 0x8080808080808080ULL;
inline constexpr uint64_t ctrlGroupEmpty = 0x8080808080808080ULL; // every byte empty

// ---- control-word matching (group.go) ------------------------------------------------
// A bitset has 0x80 in the byte of each slot that matches. amd64's SSE versions
// have no false positives, and neither do these.
constexpr uint64_t matchH2(uint64_t ctrl, uint8_t h2) {
  const uint64_t x = ctrl ^ (bitsetLSB * h2);
  const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
  return ~(((x & low7) + low7) | x | low7); // 0x80 where a byte of x is zero
}
constexpr uint64_t matchEmpty(uint64_t ctrl) { return (ctrl & ~(ctrl << 6)) & bitsetMSB; }
constexpr uint64_t matchEmptyOrDeleted(uint64_t ctrl) { return ctrl & bitsetMSB; }
constexpr uint64_t matchFull(uint64_t ctrl) { return ~ctrl & bitsetMSB; }
constexpr unsigned bitsetFirst(uint64_t b) { return static_cast<unsigned>(std::countr_zero(b)) >> 3; }
constexpr uint64_t bitsetRemoveFirst(uint64_t b) { return b & (b - 1); }
// One bit per slot (bit i = slot i), for events and views.
constexpr uint8_t packBitset(uint64_t b) {
  return static_cast<uint8_t>((((b & bitsetMSB) >> 7) * 0x0102040810204080ULL) >> 56);
}
constexpr uint8_t ctrlAt(uint64_t ctrl, unsigned i) { return static_cast<uint8_t>(ctrl >> (8 * i)); }
constexpr uint64_t ctrlSet(uint64_t ctrl, unsigned i, uint8_t c) {
  return (ctrl & ~(uint64_t{0xff} << (8 * i))) | (uint64_t{c} << (8 * i));
}

} // namespace gomap::swiss
