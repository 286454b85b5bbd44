// What every fuzz target shares: a check that stops the fuzzer with the input
// that broke it, and a reader that turns the input's bytes into choices.
#pragma once
#include <cstddef>
#include <cstdint>

// A failed check stops the fuzzer with the input that broke it.
#define fuzz_assert(cond)                                                                                              \
  do {                                                                                                                 \
    if (!(cond)) __builtin_trap();                                                                                     \
  } while (0)

namespace gomap::fuzz {
// The input's bytes, one choice at a time (0 once they run out).
struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t next() {
    if (!n) return 0;
    n--;
    return *p++;
  }
  bool done() const { return n == 0; }
};
} // namespace gomap::fuzz
