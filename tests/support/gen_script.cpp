// Generates random op scripts for the differential tests against the real Go
// runtime. The scripts grow and shrink the map in phases so that they reach
// doubling grows, same-size grows (many deletes and re-inserts), emptyRest runs
// and the preallocated overflow pool; they re-seed hash0 whenever an op would
// leave it to fastrand (a delete that empties the map, clear).
//
//   gen_script --seed S --ops N [--kind int64|int32|string|float64]
//              [--profile mixed|grow|samesize|emptyrest] [--keys R] [--hint H]
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {
struct Args {
  uint64_t seed = 1;
  long ops = 1000;
  std::string kind = "int64";
  std::string profile = "mixed";
  long keys = 4000;
  long hint = -1; // -1: random
};

std::string keyText(const Args& a, long k) {
  if (a.kind == "string") {
    std::string s("k"); // not "k" + to_string: GCC 12 -Wrestrict false positive (PR 105651)
    s += std::to_string(k);
    return s;
  }
  if (a.kind == "float64") return std::to_string(k) + ".5";
  if (a.kind == "int32") return std::to_string(k * 7919 - 1000000);
  return std::to_string(static_cast<int64_t>(k) * 1000003 - 77);
}
} // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string f = argv[i];
    const char* v = argv[i + 1];
    if (f == "--seed") a.seed = std::strtoull(v, nullptr, 10);
    else if (f == "--ops") a.ops = std::atol(v);
    else if (f == "--kind") a.kind = v;
    else if (f == "--profile") a.profile = v;
    else if (f == "--keys") a.keys = std::atol(v);
    else if (f == "--hint") a.hint = std::atol(v);
    else {
      std::fprintf(stderr, "gen_script: unknown flag %s\n", f.c_str());
      return 2;
    }
  }
  std::mt19937_64 rng(a.seed);
  auto r = [&](uint64_t n) { return n ? rng() % n : 0; };
  long hint = a.hint >= 0 ? a.hint : static_cast<long>(r(3) == 0 ? r(200) : 0);
  std::printf("# generated: seed %llu, %ld ops, %s keys, profile %s\n", static_cast<unsigned long long>(a.seed), a.ops,
              a.kind.c_str(), a.profile.c_str());
  std::printf("make %s %ld %llu\n", a.kind.c_str(), hint, static_cast<unsigned long long>(r(1u << 31)));
  std::set<long> live;
  std::vector<long> liveVec; // rebuilt lazily
  long target = a.keys;       // phase target size
  long nextFresh = 0;         // samesize: keys never used before
  bool growing = true;
  for (long i = 0; i < a.ops; i++) {
    if (i % 5000 == 0 && a.profile == "mixed") {
      target = 1 + static_cast<long>(r(static_cast<uint64_t>(a.keys)));
      growing = static_cast<long>(live.size()) < target;
    }
    uint64_t roll = r(1000);
    long k;
    std::string op;
    if (a.profile == "samesize") {
      // Fill to `keys` entries, then hold the size: delete the oldest, insert a
      // fresh key. Overflow buckets pile up until a same-size grow sheds them.
      if (static_cast<long>(live.size()) < a.keys) {
        k = nextFresh++;
        op = "put";
      } else {
        k = *live.begin();
        op = "del";
      }
    } else if (a.profile == "emptyrest") {
      // Small key range, deletes often empty whole chains.
      k = static_cast<long>(r(static_cast<uint64_t>(a.keys)));
      op = roll < 450 ? "put" : roll < 900 ? "del" : "get";
    } else if (a.profile == "grow") {
      k = static_cast<long>(r(static_cast<uint64_t>(a.keys)));
      op = roll < 900 ? "put" : roll < 950 ? "get" : "del";
    } else {
      if (growing && static_cast<long>(live.size()) >= target) growing = false;
      if (!growing && static_cast<long>(live.size()) <= target / 4) growing = true;
      k = static_cast<long>(r(static_cast<uint64_t>(a.keys)));
      if (roll < 3) op = "dump";
      else if (roll < 4) op = "iter";
      else if (roll < 5 && a.kind != "float64") op = "clear";
      else if (roll < 150) op = "get";
      else op = (growing ? roll < 800 : roll < 350) ? "put" : "del";
      if (op == "del" && !live.empty() && r(2) == 0) {
        // delete something that exists, to build emptyRest runs
        auto it = live.lower_bound(k);
        if (it == live.end()) it = live.begin();
        k = *it;
      }
    }
    if (op == "dump" || op == "iter") {
      std::printf("%s\n", op.c_str());
    } else if (op == "clear") {
      std::printf("clear\nseed %llu\n", static_cast<unsigned long long>(r(1u << 31)));
      live.clear();
    } else if (op == "put") {
      std::printf("put %s %llu\n", keyText(a, k).c_str(), static_cast<unsigned long long>(r(1000000)));
      live.insert(k);
    } else if (op == "get") {
      std::printf("get %s\n", keyText(a, k).c_str());
    } else {
      std::printf("del %s\n", keyText(a, k).c_str());
      bool had = live.erase(k) > 0;
      if (had && live.empty()) std::printf("seed %llu\n", static_cast<unsigned long long>(r(1u << 31)));
    }
  }
  return 0;
}
