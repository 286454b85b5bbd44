// The runtime's fastrand (runtime/stubs.go L127), wyrand on a 64-bit state.
// In Go the state is per-M and shared with the scheduler, so draws cannot be
// reproduced from outside; gomaplab keeps one seeded state per session and draws
// from it in the runtime's order (hash0, NaN hashes, iterator start, incrnoverflow).
#pragma once
#include <cstdint>

namespace gomap {

class FastRand {
public:
  explicit FastRand(uint64_t seed = 0) : state_(seed) {}

  uint32_t fastrand() { return static_cast<uint32_t>(next()); }
  uint64_t fastrand64() { return next(); }

  uint64_t state() const { return state_; }
  void reseed(uint64_t seed) { state_ = seed; }

private:
  uint64_t next() {
    state_ += 0xa0761d6478bd642fULL;
    unsigned __int128 p = static_cast<unsigned __int128>(state_) * (state_ ^ 0xe7037ed1a0b428dbULL);
    return static_cast<uint64_t>(p >> 64) ^ static_cast<uint64_t>(p);
  }
  uint64_t state_;
};

} // namespace gomap
