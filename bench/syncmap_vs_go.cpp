// Issue 12's speed figure: the sequential sync.Map model (Go 1.19.8's
// sync/map.go, direct form, its event sink off) against the real Go 1.19
// sync.Map (bench/go-syncmap), on the same workload in the same run: K string
// keys stored once and promoted into read, then N mixed ops drawn from one
// xorshift64 stream (90% Load hits, 10% Store to an existing key). The target is
// at most 2x. Prints ns/op (min and median over reps) and the ratio.
//
//   gomaplab_syncmap_bench [--n N] [--keys K] [--reps R] [--go PATH]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/syncmap.hpp"

namespace {

using namespace gomap;
using namespace gomap::syncmap;
using Clock = std::chrono::steady_clock;

volatile int64_t g_sink = 0;

double runModel(SyncMap& m, const std::vector<SyncRequest>& loads, const std::vector<SyncRequest>& stores, long n,
                long keys, long& nLoads, long& nStores) {
  uint64_t x = 0x9E3779B97F4A7C15ull;
  nLoads = nStores = 0;
  SyncResult out;
  SyncRequest store;
  int64_t sum = 0;
  const auto t0 = Clock::now();
  for (long i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const std::size_t k = static_cast<std::size_t>(x % static_cast<uint64_t>(keys));
    if ((x >> 32) % 10 == 0) {
      store = stores[k];
      store.value = i;
      m.apply(store, out);
      nStores++;
    } else {
      m.apply(loads[k], out);
      sum += out.value;
      nLoads++;
    }
  }
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / static_cast<double>(n);
  g_sink = sum;
  return ns;
}

bool runGo(const std::string& path, long n, long keys, int reps, double& ns, long& loads, long& stores) {
  const std::string cmd = fmt::format("{} -n {} -keys {} -reps {}", path, n, keys, reps);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return false;
  char buf[512] = {0};
  const bool ok = std::fgets(buf, sizeof buf, p) != nullptr;
  if (pclose(p) != 0 || !ok) return false;
  auto field = [&](const char* name) {
    const char* q = std::strstr(buf, name);
    return q ? std::strtod(q + std::strlen(name), nullptr) : -1.0;
  };
  ns = field("\"ns\":");
  loads = static_cast<long>(field("\"loads\":"));
  stores = static_cast<long>(field("\"stores\":"));
  return ns > 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  long n = 1000000, keys = 1000;
  int reps = 5;
  std::string goPath = GOMAPLAB_GO_SYNCMAP_BENCH;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i];
    if (f == "--n") n = std::atol(argv[i + 1]);
    else if (f == "--keys") keys = std::atol(argv[i + 1]);
    else if (f == "--reps") reps = std::atoi(argv[i + 1]);
    else if (f == "--go") goPath = argv[i + 1];
    else {
      std::fprintf(stderr, "gomaplab_syncmap_bench: unknown flag %s (flags: --n --keys --reps --go)\n", f.c_str());
      return 2;
    }
  }
  if (n < 1 || keys < 1 || reps < 1) {
    std::fprintf(stderr, "gomaplab_syncmap_bench: --n, --keys and --reps must be >= 1\n");
    return 2;
  }
  // The model's map, set up as the Go program's: every key stored, then a Range promotes dirty into read.
  SyncMap m(KeyKind::String, 1);
  std::vector<SyncRequest> loads(static_cast<std::size_t>(keys)), stores(static_cast<std::size_t>(keys));
  SyncResult out;
  for (long k = 0; k < keys; k++) {
    const KeyValue key = KeyValue::ofString(fmt::format("k{}", k));
    stores[static_cast<std::size_t>(k)] = SyncRequest{SyncOpCode::Store, key, k, 0};
    loads[static_cast<std::size_t>(k)] = SyncRequest{SyncOpCode::Load, key, 0, 0};
    m.apply(stores[static_cast<std::size_t>(k)], out);
  }
  m.apply(SyncRequest{SyncOpCode::Range, {}, 0, 0}, out);
  if (m.dirty() != nullptr || !m.read() || m.read()->amended) {
    std::fprintf(stderr, "gomaplab_syncmap_bench: Range did not promote dirty into read\n");
    return 1;
  }
  // Reps of the model and of Go interleaved, so that both see the same machine.
  std::vector<double> model, go;
  long mLoads = 0, mStores = 0, gLoads = 0, gStores = 0;
  for (int r = 0; r < reps; r++) {
    model.push_back(runModel(m, loads, stores, n, keys, mLoads, mStores));
    double ns = 0;
    if (!runGo(goPath, n, keys, 1, ns, gLoads, gStores)) {
      std::fprintf(stderr, "gomaplab_syncmap_bench: could not run %s (build the go_syncmapbench target)\n", goPath.c_str());
      return 1;
    }
    go.push_back(ns);
  }
  if (mLoads != gLoads || mStores != gStores) {
    std::fprintf(stderr, "gomaplab_syncmap_bench: the op streams differ (model %ld loads %ld stores, Go %ld, %ld)\n",
                 mLoads, mStores, gLoads, gStores);
    return 1;
  }
  const double mMin = *std::min_element(model.begin(), model.end()), gMin = *std::min_element(go.begin(), go.end());
  const double mMed = median(model), gMed = median(go);
  fmt::print("sync.Map, {} ops on {} string keys ({} Load hits, {} Stores to existing keys), {} reps (ns/op: min / median)\n",
             n, keys, mLoads, mStores, reps);
  fmt::print("model: syncmap::SyncMap, direct form, sink off; Go 1.19: {}\n", goPath);
  fmt::print("{:<10} {:>16} {:>16} {:>18}\n", "workload", "model", "Go 1.19", "model/Go");
  fmt::print("{:<10} {:>7.1f} / {:<6.1f} {:>7.1f} / {:<6.1f} {:>8.2f}x / {:.2f}x\n", "90/10", mMin, mMed, gMin, gMed,
             mMin / gMin, mMed / gMed);
  fmt::print("(ratios: min/min and median/median; the target is <= 2.0x)\n");
  return 0;
}
