// The sync.Map differential test's two halves (tests/syncmap/diff.sh):
//
//   syncmap_diff gen --seed N --ops N [--kind string|int64]   a random script on stdout
//   syncmap_diff compare SIM.jsonl ORACLE.jsonl               0 when they agree
//
// compare: every line must be byte-identical except a `range` line's keys and
// vals, which Go visits in its random map order (docs/formats.md, "sync.Map
// JSON"): there both lines must hold the same number of calls, and each one's
// pairs must be distinct keys whose values are the live values of the state
// printed on the same line (Range runs on one goroutine, so the state after it
// is the state it saw), with every other field equal. The simulator's "allocs"
// and "frees" (docs/formats.md) are cut off its lines first.
//
// gen: keys from a window of 10 that slides every 100 ops (so keys come and go,
// and promotions, expunges and revives keep happening); a mix of every method
// with Range now and then (with and without N) and gc.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>

using nlohmann::json;

namespace {

int usage() {
  std::fprintf(stderr, "usage: syncmap_diff gen --seed N --ops N [--kind string|int64]\n"
                       "       syncmap_diff compare SIM.jsonl ORACLE.jsonl\n");
  return 2;
}

int gen(int argc, char** argv) {
  uint64_t seed = 1;
  long ops = 1000;
  std::string kind = "string";
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--ops")) ops = std::strtol(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--kind")) kind = argv[i + 1];
    else return usage();
  }
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t n) { return rng() % n; };
  std::string out = "# syncmap_diff gen --seed " + std::to_string(seed) + " --ops " + std::to_string(ops) +
                    " --kind " + kind + "\nmake syncmap " + kind + "\n";
  auto keyOf = [&](long k) {
    if (kind == "int64") return std::to_string(k * 7 - 300);
    if (k % 13 == 5) return std::string("\"k ") + std::to_string(k) + "\\x01\""; // a quoted key with a blank and a control byte
    return "k" + std::to_string(k);
  };
  auto key = [&](long i) { return keyOf(i / 100 + static_cast<long>(pick(10))); };
  for (long i = 0; i < ops; i++) {
    // The key that just left the window goes, so the map stays small (it may
    // come back as an expunged entry until the next promotion).
    if (i > 0 && i % 100 == 0) out += "delete " + keyOf(i / 100 - 1) + "\n";
    const uint64_t r = pick(1000);
    const std::string v = std::to_string(static_cast<int64_t>(pick(2000)) - 1000);
    if (r < 280) out += "store " + key(i) + " " + v + "\n";
    else if (r < 560) out += "load " + key(i) + "\n";
    else if (r < 660) out += "loadorstore " + key(i) + " " + v + "\n";
    else if (r < 760) out += "loadanddelete " + key(i) + "\n";
    else if (r < 930) out += "delete " + key(i) + "\n";
    else if (r < 960) out += "range\n";
    else if (r < 990) out += "range " + std::to_string(1 + pick(4)) + "\n";
    else if (r < 995) out += "gc\n";
    else out += "dump\n";
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

// Checks one range line's calls against its own state; returns why not, or "".
std::string rangeCallsValid(const json& j) {
  const json& keys = j.at("keys");
  const json& vals = j.at("vals");
  if (keys.size() != vals.size()) return "keys and vals differ in length";
  // The live pairs: read.m after the op (Range promoted an amended map first).
  std::map<std::string, int64_t> live;
  for (const json& e : j.at("m"))
    if (e.at("p") == "value") live[e.at("k").dump()] = e.at("v").get<int64_t>();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < keys.size(); i++) {
    const std::string k = keys[i].dump();
    if (!seen.insert(k).second) return "key " + k + " visited twice";
    auto it = live.find(k);
    if (it == live.end()) return "key " + k + " is not live";
    if (it->second != vals[i].get<int64_t>()) return "key " + k + " got a value that is not its own";
  }
  return {};
}

int compare(const char* simPath, const char* orPath) {
  std::ifstream a(simPath), b(orPath);
  if (!a || !b) {
    std::fprintf(stderr, "syncmap_diff: cannot open %s\n", !a ? simPath : orPath);
    return 2;
  }
  std::string la, lb;
  long n = 0;
  for (;;) {
    const bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) break;
    n++;
    if (ga != gb) {
      std::fprintf(stderr, "line %ld: %s ends first\n", n, ga ? "the oracle" : "the simulator");
      return 1;
    }
    // The simulator's heap counters ("allocs", "frees", last on its line) have no
    // per-op counterpart on the real runtime: syncmap-check model_allocs checks them.
    if (auto h = la.find(",\"allocs\":{"); h != std::string::npos) la = la.substr(0, h) + "}";
    if (la == lb) continue;
    if (la.rfind("{\"op\":\"range", 0) == 0) {
      json ja = json::parse(la, nullptr, false), jb = json::parse(lb, nullptr, false);
      if (!ja.is_discarded() && !jb.is_discarded() && ja.contains("keys") && jb.contains("keys")) {
        std::string whyA = rangeCallsValid(ja), whyB = rangeCallsValid(jb);
        const bool sameCount = ja["keys"].size() == jb["keys"].size();
        ja.erase("keys"), ja.erase("vals"), jb.erase("keys"), jb.erase("vals");
        if (whyA.empty() && whyB.empty() && sameCount && ja == jb) continue;
        std::fprintf(stderr, "line %ld (%s): %s\n", n, ja.value("op", std::string()).c_str(),
                     !whyA.empty()   ? ("simulator: " + whyA).c_str()
                     : !whyB.empty() ? ("oracle: " + whyB).c_str()
                     : !sameCount    ? "a different number of calls"
                                     : "the state differs");
      }
    }
    std::fprintf(stderr, "line %ld differs:\n  simulator: %s\n  oracle:    %s\n", n, la.c_str(), lb.c_str());
    return 1;
  }
  std::printf("syncmap_diff: %ld lines agree\n", n);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && !std::strcmp(argv[1], "gen")) return gen(argc, argv);
  if (argc == 4 && !std::strcmp(argv[1], "compare")) return compare(argv[2], argv[3]);
  return usage();
}
