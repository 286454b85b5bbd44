// Generates random op scripts for the Swiss map's differential tests
// (tests/oracle-swiss/diff.sh: gomaplab dump against the real Go 1.26/1.27
// runtime). A script walks the map through phases: each phase picks a target
// size (empty, small, one table, or tens of thousands of keys, so tables grow,
// split several times and the directory doubles) and moves the live set
// towards it with puts of new keys or deletes of live ones, mixed with updates,
// lookups of present and absent keys, deletes of absent keys, `hash`, rare
// `clear`s and `iter E D` with random explicit offsets, a quarter of them on
// maps under 1,500 keys loops whose body writes (`iter E D do ...`). Deletes at high load
// leave tombstones; churn at a constant size makes the fast rule prune them.
//
// The generator keeps the live set itself, so it knows when a `del` empties
// the map; after such a delete and after every `clear` it writes `seed S`:
// those ops draw from the runtime's random generator, which the simulator
// cannot reproduce, and re-seeding makes the rest of the run comparable.
// Plain `iter` (random offsets) and NaN keys are never generated. Output is
// deterministic per seed (own splitmix64, no <random> distributions).
//
//   gen_swiss_script --seed S --ops N [--kind int64|int32|string|float64]
//                    [--keys R] [--version go1.26|go1.27] [--hint H]
// R (default 30000) bounds the live set; H (default: random per segment,
// mostly 0) is every make's hint.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
  bool chance(uint64_t perMillion) { return below(1000000) < perMillion; }
};

// The key with index k (k >= 0). Injective per kind, so the live set can be
// kept as indices. Indices >= R are never put: lookups and deletes of them
// miss.
std::string keyText(const std::string& kind, int64_t k, int64_t R) {
  char buf[160];
  if (kind == "int64") {
    // Even indices: small keys around 0; odd: |key| >= 2^62 (k*C mod 2^62 is
    // a bijection for odd C), both signs.
    if (k % 2 == 0) return std::to_string(k / 2 - R / 4);
    uint64_t x = (static_cast<uint64_t>(k) * 0x9e3779b97f4a7c15ULL) & ((1ULL << 62) - 1);
    int64_t v = static_cast<int64_t>((1ULL << 62) + x);
    return std::to_string(k % 4 == 1 ? v : -v);
  }
  if (kind == "int32") {
    if (k % 2 == 0) return std::to_string(k / 2 - R / 4);
    uint32_t x = static_cast<uint32_t>(static_cast<uint64_t>(k) * 0x9e3779b1ULL) & ((1U << 30) - 1);
    int32_t v = static_cast<int32_t>((1U << 30) + x);
    return std::to_string(k % 4 == 1 ? v : -v);
  }
  if (kind == "float64") {
    // Three disjoint ranges: quarters around 0, huge, tiny (subnormal too).
    switch (k % 3) {
    case 0: std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(k / 3) * 0.25 - 1000.0); break;
    case 1: std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(k) * 1e15); break;
    default: std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(k) * 1e-310); break;
    }
    return buf;
  }
  // string: lengths 0 (index 0 only), short, 8/16-byte boundaries, over 64
  // bytes (faststr's long-key lookup path), quoted with escapes. Each class
  // has its own first character, so the texts never collide.
  if (k == 0) return "\"\"";
  switch (k % 6) {
  case 0: std::snprintf(buf, sizeof buf, "k%" PRId64, k); break;
  case 1: std::snprintf(buf, sizeof buf, "m%07" PRId64, k % 10000000); break; // 8 bytes (k < 10^7)
  case 2: std::snprintf(buf, sizeof buf, "n%015" PRId64, k); break;           // 16 bytes
  case 3: std::snprintf(buf, sizeof buf, "p%016" PRId64, k); break;           // 17 bytes
  case 4:
    std::snprintf(buf, sizeof buf, "q-long-key-beyond-sixty-four-bytes-so-faststr-checks-len-and-ends-%" PRId64, k);
    break;
  default: std::snprintf(buf, sizeof buf, "\"r \\\"quoted\\\" \\\\ tab\\t%" PRId64 "\"", k); break;
  }
  return buf;
}
} // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1;
  long ops = 1000;
  std::string kind = "int64", version;
  int64_t R = 30000;
  long fixedHint = -1;
  for (int i = 1; i < argc; i += 2) {
    std::string f = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "gen_swiss_script: %s needs a value\n", f.c_str());
      return 2;
    }
    const char* v = argv[i + 1];
    if (f == "--seed") seed = std::strtoull(v, nullptr, 10);
    else if (f == "--ops") ops = std::atol(v);
    else if (f == "--kind") kind = v;
    else if (f == "--keys") R = std::atoll(v);
    else if (f == "--version") version = v;
    else if (f == "--hint") fixedHint = std::atol(v);
    else {
      std::fprintf(stderr,
                   "gen_swiss_script: unknown flag %s\nusage: gen_swiss_script --seed S --ops N "
                   "[--kind int64|int32|string|float64] [--keys R] [--version go1.26|go1.27] [--hint H]\n",
                   f.c_str());
      return 2;
    }
  }
  if (kind != "int64" && kind != "int32" && kind != "string" && kind != "float64") {
    std::fprintf(stderr, "gen_swiss_script: --kind must be int64, int32, string or float64, got %s\n", kind.c_str());
    return 2;
  }
  if (R < 16 || R > 5000000) {
    std::fprintf(stderr, "gen_swiss_script: --keys must be between 16 and 5000000\n");
    return 2;
  }
  if (!version.empty() && version != "go1.26" && version != "go1.27") {
    std::fprintf(stderr, "gen_swiss_script: --version must be go1.26 or go1.27\n");
    return 2;
  }
  Rng rng{seed};
  auto seed31 = [&] { return static_cast<unsigned long long>(rng.below(1ULL << 31)); };
  std::printf("# generated: gen_swiss_script --seed %" PRIu64 " --ops %ld --kind %s --keys %" PRId64 "\n", seed, ops,
              kind.c_str(), R);
  if (!version.empty()) std::printf("version %s\n", version.c_str());

  // The live set: indices, with positions for O(1) removal.
  std::vector<int64_t> live;
  std::vector<int64_t> pos(static_cast<size_t>(R), -1);
  auto isLive = [&](int64_t k) { return pos[static_cast<size_t>(k)] >= 0; };
  auto add = [&](int64_t k) {
    pos[static_cast<size_t>(k)] = static_cast<int64_t>(live.size());
    live.push_back(k);
  };
  auto remove = [&](int64_t k) {
    int64_t p = pos[static_cast<size_t>(k)];
    int64_t last = live.back();
    live[static_cast<size_t>(p)] = last;
    pos[static_cast<size_t>(last)] = p;
    live.pop_back();
    pos[static_cast<size_t>(k)] = -1;
  };
  auto key = [&](int64_t k) { return keyText(kind, k, R); };
  auto val = [&] { return static_cast<long long>(rng.below(2000000)) - 1000000; };

  // The script is a run of segments, each on a fresh map (`make`): small
  // ones (at most 16 keys), one-table ones (up to the first split and a bit
  // beyond) and big ones (up to R keys). Tables and the directory never
  // shrink, so `dump` lines (full state) are written only in the first two
  // kinds, where they are short; --every covers the big ones.
  int64_t M = 0;      // the segment's largest live set
  long segLeft = 0;   // ops left in the segment
  long dumpEvery = 0; // one dump per this many ops on average (0: none)
  int64_t target = 0;
  auto newTarget = [&] {
    uint64_t r = rng.below(100);
    if (r < 12) target = 0;                                                          // shrink to empty
    else if (r < 30) target = 1 + static_cast<int64_t>(rng.below(12));              // small map, 8/9 boundary
    else if (r < 65) target = 9 + static_cast<int64_t>(rng.below(1200));             // one table, first split
    else target = 1200 + static_cast<int64_t>(rng.below(static_cast<uint64_t>(R))); // splits, doubling
    if (target > M) target = r < 65 ? M : static_cast<int64_t>(rng.below(static_cast<uint64_t>(M + 1)));
  };
  long churn = 0;    // ops left to hold the size (put new / del live alternately)
  bool flip = false; // churn's alternation
  for (long i = 0; i < ops; i++) {
    if (segLeft == 0) {
      uint64_t c = rng.below(10);
      if (c < 3) M = 16, segLeft = 1000 + static_cast<long>(rng.below(3000)), dumpEvery = 8;
      else if (c < 7) M = 1300, segLeft = 5000 + static_cast<long>(rng.below(20000)), dumpEvery = 400;
      else M = R, segLeft = 40000 + static_cast<long>(rng.below(80000)), dumpEvery = 0;
      uint64_t h = rng.below(10);
      long hint = h < 5 ? 0 : h < 7 ? static_cast<long>(rng.below(9)) : static_cast<long>(rng.below(static_cast<uint64_t>(M + M / 2)));
      if (fixedHint >= 0) hint = fixedHint;
      std::printf("make swiss %s %ld %llu\n", kind.c_str(), hint, seed31());
      for (int64_t k : live) pos[static_cast<size_t>(k)] = -1;
      live.clear();
      churn = 0;
      newTarget();
      continue;
    }
    segLeft--;
    const int64_t n = static_cast<int64_t>(live.size());
    if (churn == 0 && n == target) {
      // Reached: sometimes hold the size for a while (tombstones, prunes).
      if (rng.below(3) == 0) churn = 200 + static_cast<long>(rng.below(3000));
      newTarget();
    }
    if (churn > 0) churn--;
    uint64_t r = rng.below(1000);
    if (r < 1 && rng.below(30) == 0) {
      std::printf("clear\nseed %llu\n", seed31()); // clear may draw a new seed: re-seed (used is 0)
      for (int64_t k : live) pos[static_cast<size_t>(k)] = -1;
      live.clear();
      continue;
    }
    if (r < 3 && rng.below(n < 2000 ? 3 : 40) == 0) {
      // iter with explicit offsets: small ones, random 64-bit ones, wrapping.
      uint64_t e = rng.below(2) ? rng.next() : rng.below(64);
      uint64_t d = rng.below(2) ? rng.next() : rng.below(64);
      if (n > 0 && n < 1500 && rng.below(4) == 0) {
        // A range loop whose body writes (iter E D do ...). Only bodies whose
        // effect on the live set is known: updates of the key just yielded,
        // deleting and putting it back (never emptying the map: n >= 2), a
        // live key deleted and new keys put (the first pass does it, the
        // later ones update), lookups.
        std::string body;
        const uint64_t b = rng.below(5);
        auto fresh = [&] {
          int64_t k;
          do k = static_cast<int64_t>(rng.below(static_cast<uint64_t>(R)));
          while (isLive(k));
          return k;
        };
        if (b == 0) body = "put k " + std::to_string(val());
        else if (b == 1) body = "get k; put k " + std::to_string(val());
        else if (b == 2 && n >= 2) body = "del k; put k " + std::to_string(val()) + "; get k";
        else if (b == 3 && n >= 2 && n + 1 < R) {
          int64_t gone = live[rng.below(static_cast<uint64_t>(n))];
          body = "del " + key(gone) + "; get k";
          remove(gone);
          int64_t k = fresh();
          body += "; put " + key(k) + " " + std::to_string(val());
          add(k);
        } else {
          const int m = 1 + static_cast<int>(rng.below(6));
          for (int j = 0; j < m && static_cast<int64_t>(live.size()) < R; j++) {
            int64_t k = fresh();
            body += (body.empty() ? "put " : "; put ") + key(k) + " " + std::to_string(val());
            add(k);
          }
          if (body.empty()) body = "get k";
        }
        std::printf("iter %llu %llu do %s\n", static_cast<unsigned long long>(e), static_cast<unsigned long long>(d),
                    body.c_str());
        continue;
      }
      std::printf("iter %llu %llu\n", static_cast<unsigned long long>(e), static_cast<unsigned long long>(d));
      continue;
    }
    if (dumpEvery > 0 && rng.below(static_cast<uint64_t>(dumpEvery)) == 0) {
      std::printf("dump\n"); // the state of small maps, compared often (--every covers big ones)
      continue;
    }
    if (r < 8) {
      std::printf("hash %s\n", key(static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * R)))).c_str());
      continue;
    }
    if (r < 130) { // get: present or absent
      int64_t k = (n > 0 && rng.below(2)) ? live[rng.below(static_cast<uint64_t>(n))]
                                          : static_cast<int64_t>(rng.below(static_cast<uint64_t>(2 * R)));
      std::printf("get %s\n", key(k).c_str());
      continue;
    }
    if (r < 150) { // del of an absent key (index >= R never lives)
      std::printf("del %s\n", key(R + static_cast<int64_t>(rng.below(static_cast<uint64_t>(R)))).c_str());
      continue;
    }
    if (r < 250 && n > 0) { // update a live key
      std::printf("put %s %lld\n", key(live[rng.below(static_cast<uint64_t>(n))]).c_str(), val());
      continue;
    }
    bool grow = churn > 0 ? (flip = !flip) : n < target;
    if (!grow && n == 0) grow = true;
    if (grow && n >= R) grow = false;
    if (grow) {
      int64_t k;
      do k = static_cast<int64_t>(rng.below(static_cast<uint64_t>(R)));
      while (isLive(k));
      std::printf("put %s %lld\n", key(k).c_str(), val());
      add(k);
    } else {
      int64_t k = live[rng.below(static_cast<uint64_t>(n))];
      std::printf("del %s\n", key(k).c_str());
      remove(k);
      if (live.empty()) std::printf("seed %llu\n", seed31()); // the runtime drew a new seed (spec 11.4)
    }
  }
  return 0;
}
