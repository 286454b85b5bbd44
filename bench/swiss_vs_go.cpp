// Benchmarks the Swiss engine (SwissMap<Int64Key>, direct form) against Go
// 1.27's own map in one run, and prints the ratios (issue 13, section 5).
// Phases and keys are those of bench/go-swiss (go-swissbench): N inserts into
// a map made with hint 0 (every small-to-table conversion, grow, split and
// directory doubling included), N lookups of present keys, N deletes;
// k_i = i * 0x9E3779B97F4A7C15. Go runs twice per rep: with its default hash
// (AES on amd64; a different hash function from the engine's) and with
// GODEBUG=cpu.aes=off (the portable fallback hash, the one the engine
// reproduces bit for bit: the like-for-like comparison). The programs take
// turns rep by rep; each rep's time per phase is kept, and the table shows
// the minimum and the median over the reps.
//
// Also measured: the cost of recording every event into a SwissEventSink
// (ns per event), one op at a time and with a lookahead of 16 ops (the
// classic session loader's distance: before each op, SwissMap::prefetchKey
// requests the table header and the first group of the op 16 ops further on,
// see prefetchAhead). That line gives wall time and thread CPU time (the host
// is shared; CPU time leaves out the time other processes held the core).
//
//   gomaplab_swiss_bench [--n N] [--reps R] [--go PATH]
//                        [--recording-only 1]  (only the recording measurement, for A/B runs)
//                        [--engine-only 1]     (only the engine's three phases, for perf and A/B runs)
//                        [--prefetch engine|table]  (the lookahead through SwissMap::prefetchKey, the
//                                                    default, or through the Table object as before)
//                        [--batch B]  (the lookahead's requests B at a time, every B ops; default 1)
//                        [--distance D] (the lookahead's distance in ops; default 16, the loader's)
//                        [--presize 1] (the engine's maps made with hint N instead of 0; not Go's)
//                        [--sink-window W] (clear the sink every W inserts: events stay in the caches)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "engine/swiss_map.hpp"

using namespace gomap;
using namespace gomap::swiss;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kLookahead = 16; // Session::kPrefetchDistance, the classic loader's
std::size_t g_distance = kLookahead;   // --distance D

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The CPU time this thread has run, in seconds. The machine the bench runs on
// is shared: while another process holds the core, wall time goes on and CPU
// time does not, so the recording measurement keeps both.
double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Phases {
  double insert = 0, lookup = 0, del = 0; // ns per op
  double insertCpu = 0;                   // ns of thread CPU time per insert
};

// Per-rep samples of one program, for min and median.
struct Samples {
  std::vector<double> insert, lookup, del;
  void add(const Phases& p) {
    insert.push_back(p.insert);
    lookup.push_back(p.lookup);
    del.push_back(p.del);
  }
  static double min(const std::vector<double>& v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
  static double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
};

int64_t g_sink = 0;

using Engine = SwissMap<Int64Key>;

// How the lookahead requests an op's memory (--prefetch): through the engine's
// SwissMap::prefetchKey (the table header and the first group, from the dense
// directory arrays), or as this bench did before the engine had one, through
// the public header(), directory() and hashOf: the group pointer and mask read
// from the Table object itself, a demand load that misses at a million keys.
enum class Prefetch { Engine, ViaTable };
Prefetch g_prefetch = Prefetch::Engine;

inline void prefetchViaTable(Engine& m, KeyValue& scratch, int64_t k) {
  const Header& h = m.header();
  if (h.dirLen == 0) return; // a small map's one group is in the caches
  scratch.i = k;
  const uint64_t hash = m.hashOf(scratch);
  const uint64_t idx = h.dirLen == 1 || h.globalShift >= 64 ? 0 : hash >> h.globalShift;
  const Table<Int64Key>* t = m.directory()[idx].get();
  const char* g = reinterpret_cast<const char*>(&t->groups[h1(hash) & t->lengthMask()]);
  __builtin_prefetch(g);
  __builtin_prefetch(g + 64);
  __builtin_prefetch(g + sizeof(Group<Int64Key>) - 1);
}

// Out of line on purpose: SwissMap's member templates (mapassign<true>, ...)
// are instantiated in this file too (extern template does not cover them),
// and with the prefetch inlined into the loop GCC stopped inlining the event
// sink's vector::emplace_back at two sites of mapassign<true> (+0.3 ns per
// event at 100,000 keys, seen with callgrind: 440,000 calls in 50,000
// inserts). A call per op costs less than that.
[[gnu::noinline]] void prefetchKey(Engine& m, KeyValue& scratch, int64_t k) {
  if (g_prefetch == Prefetch::ViaTable) return prefetchViaTable(m, scratch, k);
  scratch.i = k;
  m.prefetchKey(scratch);
}

// --batch B: the lookahead's requests B at a time, every B ops (keys
// i+16 .. i+16+B-1 before op i when B divides i), so that the page walks of
// B groups overlap instead of each one filling the window of a recorded op
// on its own. B = 1 (the default) is the one-per-op lookahead.
std::size_t g_batch = 1;
// --presize 1: make the engine's maps with the number of keys as hint instead
// of 0 (no grow or split during the inserts), to tell the recording's cost
// apart from the grows'.
bool g_presize = false;
// --sink-window W: clear the sink every W inserts (the events counted, not
// kept), so that the events written stay in the caches: tells the cost of
// streaming the event memory apart from the rest. 0 (the default): keep all.
std::size_t g_sinkWindow = 0;
[[gnu::noinline]] void prefetchKeys(Engine& m, KeyValue& scratch, const int64_t* k, std::size_t count) {
  for (std::size_t j = 0; j < count; j++) {
    if (g_prefetch == Prefetch::ViaTable) {
      prefetchViaTable(m, scratch, k[j]);
      continue;
    }
    scratch.i = k[j];
    m.prefetchKey(scratch);
  }
}

// One rep: insert, lookup, delete on a fresh map. sink: record every event of
// the inserts (its memory is reused: cleared, not freed). lookahead: a
// template parameter, so that the plain loops compared with Go's are plain.
template <std::size_t lookahead = 0>
Phases benchEngine(const std::vector<int64_t>& keys, SwissEventSink* sink, uint64_t* eventCount) {
  Phases p;
  const double n = static_cast<double>(keys.size());
  Engine m;
  KeyValue key = KeyValue::ofInt(KeyKind::Int64, 0);
  KeyValue ahead = KeyValue::ofInt(KeyKind::Int64, 0);
  auto prefetchAhead = [&](std::size_t i) {
    if constexpr (lookahead != 0) {
      if (g_batch <= 1) {
        if (i + g_distance < keys.size()) prefetchKey(m, ahead, keys[i + g_distance]);
      } else if (i % g_batch == 0 && i + g_distance < keys.size()) {
        prefetchKeys(m, ahead, &keys[i + g_distance], std::min(g_batch, keys.size() - (i + g_distance)));
      }
    }
  };
  m.setRngState(1);
  m.make(g_presize ? static_cast<int64_t>(keys.size()) : 0);
  if (sink) {
    sink->clear();
    m.setEventBuffer(sink);
  }
  const double c0 = threadCpuSeconds();
  auto t0 = Clock::now();
  uint64_t dropped = 0; // events cleared by --sink-window
  for (std::size_t i = 0; i < keys.size(); i++) {
    prefetchAhead(i);
    key.i = keys[i];
    m.put(key, static_cast<int64_t>(i));
    if (g_sinkWindow != 0 && sink && (i + 1) % g_sinkWindow == 0) {
      dropped += sink->events.size();
      sink->events.clear();
    }
  }
  p.insert = secondsSince(t0) * 1e9 / n;
  p.insertCpu = (threadCpuSeconds() - c0) * 1e9 / n;
  if (sink && eventCount) *eventCount = dropped + sink->events.size();
  m.setEventBuffer(nullptr);

  t0 = Clock::now();
  int64_t sum = 0;
  for (std::size_t i = 0; i < keys.size(); i++) {
    prefetchAhead(i);
    key.i = keys[i];
    bool found = false;
    int64_t v = 0;
    m.get(key, found, v);
    sum += v;
  }
  p.lookup = secondsSince(t0) * 1e9 / n;
  g_sink += sum;
  const double nn = static_cast<double>(keys.size());
  if (static_cast<double>(sum) != nn * (nn - 1) / 2) std::fprintf(stderr, "swiss bench: lookups summed wrong\n");

  t0 = Clock::now();
  for (std::size_t i = 0; i < keys.size(); i++) {
    prefetchAhead(i);
    key.i = keys[i];
    m.del(key);
  }
  p.del = secondsSince(t0) * 1e9 / n;
  if (m.header().used != 0) std::fprintf(stderr, "swiss bench: map not empty after deletes\n");
  return p;
}

bool runGo(const std::string& path, long n, int reps, bool aesOff, Phases& out, bool& aes) {
  std::string cmd = fmt::format("{}{} -n {} -reps {}", aesOff ? "GODEBUG=cpu.aes=off " : "", path, n, reps);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return false;
  char buf[512] = {0};
  bool ok = std::fgets(buf, sizeof buf, p) != nullptr;
  int rc = pclose(p);
  if (!ok || rc != 0) return false;
  auto field = [&](const char* name) {
    const char* q = std::strstr(buf, name);
    return q ? std::strtod(q + std::strlen(name), nullptr) : -1.0;
  };
  out.insert = field("\"insert_ns\":");
  out.lookup = field("\"lookup_ns\":");
  out.del = field("\"delete_ns\":");
  aes = std::strstr(buf, "\"aes\":true") != nullptr;
  return out.insert > 0;
}

} // namespace

int main(int argc, char** argv) {
  long n = 1000000;
  int reps = 5;
  std::string goPath = GOMAPLAB_GO_SWISS_BENCH;
  bool recordingOnly = false;
  bool engineOnly = false;
  for (int i = 1; i < argc; i += 2) {
    std::string f = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "gomaplab_swiss_bench: %s needs a value\n", f.c_str());
      return 2;
    }
    if (f == "--n") n = std::atol(argv[i + 1]);
    else if (f == "--reps") reps = std::atoi(argv[i + 1]);
    else if (f == "--go") goPath = argv[i + 1];
    else if (f == "--recording-only") recordingOnly = std::atoi(argv[i + 1]) != 0;
    else if (f == "--engine-only") engineOnly = std::atoi(argv[i + 1]) != 0;
    else if (f == "--sink-window") g_sinkWindow = static_cast<std::size_t>(std::atol(argv[i + 1]));
    else if (f == "--presize") g_presize = std::atoi(argv[i + 1]) != 0;
    else if (f == "--distance") g_distance = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
    else if (f == "--batch") g_batch = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
    else if (f == "--prefetch" && std::strcmp(argv[i + 1], "engine") == 0) g_prefetch = Prefetch::Engine;
    else if (f == "--prefetch" && std::strcmp(argv[i + 1], "table") == 0) g_prefetch = Prefetch::ViaTable;
    else {
      std::fprintf(stderr, "gomaplab_swiss_bench: unknown flag %s\n", f.c_str());
      return 2;
    }
  }
  if (n < 10 || reps < 1) {
    std::fprintf(stderr, "gomaplab_swiss_bench: --n must be >= 10 and --reps >= 1\n");
    return 2;
  }
  std::vector<int64_t> keys(static_cast<std::size_t>(n));
  for (long i = 0; i < n; i++) keys[i] = static_cast<int64_t>(static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ULL);

  // Interleave the programs rep by rep, so that drifting machine noise hits
  // all of them alike. Go runs two reps per process (the second on a warm heap)
  // and reports its better one.
  Samples goAes, goFallback, engine;
  if (engineOnly) {
    for (int r = 0; r < reps; r++) engine.add(benchEngine(keys, nullptr, nullptr));
    fmt::print("engine only, {} keys, {} reps (ns/op, min / median): insert {:.1f} / {:.1f}, lookup {:.1f} / {:.1f}, "
               "delete {:.1f} / {:.1f}\n",
               n, reps, Samples::min(engine.insert), Samples::median(engine.insert), Samples::min(engine.lookup),
               Samples::median(engine.lookup), Samples::min(engine.del), Samples::median(engine.del));
    return g_sink == 42 ? 1 : 0;
  }
  bool haveGo = true, aesSeen = false, fallbackSeen = true;
  for (int r = 0; r < reps && !recordingOnly; r++) {
    Phases p;
    bool aes = false;
    if (haveGo && runGo(goPath, n, 2, false, p, aes)) {
      goAes.add(p);
      aesSeen = aes;
    } else {
      haveGo = false;
    }
    engine.add(benchEngine(keys, nullptr, nullptr));
    if (haveGo && runGo(goPath, n, 2, true, p, aes)) {
      goFallback.add(p);
      fallbackSeen = fallbackSeen && !aes;
    } else {
      haveGo = false;
    }
  }

  if (!recordingOnly) {
    fmt::print("Swiss map[int64]int64, {} keys, {} reps each (ns/op: min / median)\n", n, reps);
    fmt::print("engine: SwissMap<Int64Key>, direct form, sink off, fallback hash (Go's portable memhash64)\n");
    fmt::print("Go 1.27: {} (default hash{}), and with GODEBUG=cpu.aes=off (fallback hash{})\n", goPath,
               aesSeen ? ": AES" : ": NOT AES on this machine", fallbackSeen ? "" : ": NOT the fallback hash?");
    fmt::print("{:<8} {:>15} {:>15} {:>15} {:>19} {:>19}\n", "phase", "engine", "Go AES", "Go fallback",
               "engine/Go fallback", "engine/Go AES");
    auto row = [&](const char* name, const std::vector<double>& e, const std::vector<double>& ga,
                   const std::vector<double>& gf) {
      const double emin = Samples::min(e), emed = Samples::median(e);
      auto cell = [](double a, double b) { return fmt::format("{:.1f} / {:.1f}", a, b); };
      if (haveGo) {
        const double amin = Samples::min(ga), amed = Samples::median(ga);
        const double fmin = Samples::min(gf), fmed = Samples::median(gf);
        fmt::print("{:<8} {:>15} {:>15} {:>15} {:>19} {:>19}\n", name, cell(emin, emed), cell(amin, amed),
                   cell(fmin, fmed), fmt::format("{:.2f}x / {:.2f}x", emin / fmin, emed / fmed),
                   fmt::format("{:.2f}x / {:.2f}x", emin / amin, emed / amed));
      } else {
        fmt::print("{:<8} {:>15} {:>15} {:>15}\n", name, cell(emin, emed), "n/a", "n/a");
      }
    };
    row("insert", engine.insert, goAes.insert, goFallback.insert);
    row("lookup", engine.lookup, goAes.lookup, goFallback.lookup);
    row("delete", engine.del, goAes.del, goFallback.del);
    if (!haveGo)
      fmt::print("(Go 1.27 benchmark not found or failed at {}: build the target go_swissbench, or pass --go)\n",
                 goPath);
    else
      fmt::print("(ratios: min/min and median/median; the target is <= 1.0x against the same hash, the fallback)\n");
  }

  // Recording: the same inserts with every event pushed into a SwissEventSink
  // (its vector's memory reused), interleaved rep by rep with unrecorded ones,
  // at this size and at a tenth of it (a map that stays in the caches).
  // Twice: one op at a time, and with the lookahead of 16 ops.
  SwissEventSink sink;
  fmt::print("\nrecording every event into a SwissEventSink (insert phase, sink memory reused; min over {} reps):\n",
             reps);
  for (std::size_t lookahead : {std::size_t{0}, kLookahead}) {
    for (long size : {n / 10, n}) {
      std::vector<int64_t> sub(keys.begin(), keys.begin() + size);
      std::vector<double> off, rec, offCpu, recCpu;
      uint64_t count = 0;
      auto run = [&](SwissEventSink* s, uint64_t* c) {
        return lookahead == 0 ? benchEngine<0>(sub, s, c) : benchEngine<kLookahead>(sub, s, c);
      };
      run(&sink, &count); // size the sink once, so that no rep pays its regrowth
      for (int r = 0; r < reps; r++) {
        const Phases o = run(nullptr, nullptr);
        const Phases e = run(&sink, &count);
        off.push_back(o.insert);
        rec.push_back(e.insert);
        offCpu.push_back(o.insertCpu);
        recCpu.push_back(e.insertCpu);
      }
      const double eventsPerOp = static_cast<double>(count) / static_cast<double>(size);
      const double bestOff = Samples::min(off), bestRec = Samples::min(rec);
      const double cpuOff = Samples::min(offCpu), cpuRec = Samples::min(recCpu);
      fmt::print("  {:<14} {:>8} keys: {:.1f} ns/op recorded vs {:.1f} off; {:.1f} events/op; {:.2f} ns per event; "
                 "CPU time {:.1f} vs {:.1f}: {:.2f} ns per event; {} bytes per event\n",
                 lookahead == 0 ? std::string("one at a time,") : fmt::format("lookahead {},", g_distance), size, bestRec, bestOff, eventsPerOp,
                 (bestRec - bestOff) / eventsPerOp, cpuRec, cpuOff, (cpuRec - cpuOff) / eventsPerOp, sizeof(SwissEvent));
    }
  }
  return g_sink == 42 ? 1 : 0;
}
