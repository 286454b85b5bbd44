// Benchmarks the engine against Go 1.19's own map in one run, and prints the
// ratios. Phases and keys are those of bench/go (go-mapbench): N inserts into
// a map made with hint 0 (growth included), N lookups of present keys, N
// deletes; k_i = i * 0x9E3779B97F4A7C15. Each phase runs --reps times on fresh
// maps and the minimum is kept, for both programs.
//
// Also measured here: the cost of recording every event (ns per event and
// bytes per stored event), and seeking in a recorded session of --session-ops
// operations (restore a snapshot + replay to the target event).
//
//   gomaplab_bench [--n N] [--reps R] [--session-ops M] [--seeks S] [--go PATH]
//                  [--recording-only 1]   (only the recording measurement, for A/B runs)
//                  [--session-hint H]     (the session's map is made with hint H)
//                  [--session-distinct 1] (the session inserts a new key with every op)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "engine/map.hpp"
#include "trace/session.hpp"

using namespace gomap;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Phases {
  double insert = 1e30, lookup = 1e30, del = 1e30; // ns per op
};

int64_t g_sink = 0;

// lookahead > 0: before each op, Map::prefetchKey for the key `lookahead` ops
// further on, as the session's script loader does (docs/performance.md).
// (A template parameter, so that the plain loops compared with Go's are
// exactly the plain loops.)
template <std::size_t lookahead = 0>
Phases benchEngine(const std::vector<int64_t>& keys, int reps, EventBuffer* events, uint64_t* eventCount) {
  Phases best;
  const double n = static_cast<double>(keys.size());
  auto prefetchAhead = [&](const Map<Int64Key>& m, std::size_t i) {
    if constexpr (lookahead != 0) {
      if (i + lookahead < keys.size()) m.prefetchKey(keys[i + lookahead]);
    }
  };
  for (int r = 0; r < reps; r++) {
    Map<Int64Key> m(1);
    m.make(0);
    if (events) {
      events->clear();
      m.setEventBuffer(events);
    }
    auto t0 = Clock::now();
    for (std::size_t i = 0; i < keys.size(); i++) {
      prefetchAhead(m, i);
      m.put(keys[i], static_cast<int64_t>(i));
    }
    best.insert = std::min(best.insert, secondsSince(t0) * 1e9 / n);
    if (events && eventCount) *eventCount = events->size();
    m.setEventBuffer(nullptr);
    t0 = Clock::now();
    int64_t sum = 0;
    for (std::size_t i = 0; i < keys.size(); i++) {
      prefetchAhead(m, i);
      AccessResult a;
      m.get(keys[i], a);
      sum += a.value;
    }
    best.lookup = std::min(best.lookup, secondsSince(t0) * 1e9 / n);
    g_sink += sum;
    t0 = Clock::now();
    for (std::size_t i = 0; i < keys.size(); i++) {
      prefetchAhead(m, i);
      m.del(keys[i]);
    }
    best.del = std::min(best.del, secondsSince(t0) * 1e9 / n);
    if (m.header().count != 0) std::fprintf(stderr, "bench: map not empty after deletes\n");
  }
  return best;
}

bool runGo(const std::string& path, long n, int reps, bool aesOff, Phases& out) {
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
  return out.insert > 0;
}

} // namespace

int main(int argc, char** argv) {
  long n = 1000000;
  int reps = 5;
  long sessionOps = 1000000;
  long sessionHint = 0;
  long sessionDistinct = 0;
  int seeks = 200;
  std::string goPath = GOMAPLAB_GO_BENCH;
  bool recordingOnly = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string f = argv[i];
    if (f == "--n") n = std::atol(argv[i + 1]);
    else if (f == "--reps") reps = std::atoi(argv[i + 1]);
    else if (f == "--session-ops") sessionOps = std::atol(argv[i + 1]);
    else if (f == "--session-hint") sessionHint = std::atol(argv[i + 1]);
    else if (f == "--session-distinct") sessionDistinct = std::atol(argv[i + 1]);
    else if (f == "--seeks") seeks = std::atoi(argv[i + 1]);
    else if (f == "--go") goPath = argv[i + 1];
    else if (f == "--recording-only") recordingOnly = std::atoi(argv[i + 1]) != 0;
    else {
      std::fprintf(stderr, "gomaplab_bench: unknown flag %s\n", f.c_str());
      return 2;
    }
  }
  std::vector<int64_t> keys(static_cast<std::size_t>(n));
  for (long i = 0; i < n; i++) keys[i] = static_cast<int64_t>(static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ULL);

  // Interleave the programs rep by rep, so that drifting machine noise hits
  // all of them alike; each keeps its best time per phase.
  Phases goAes, goFallback, off;
  bool haveGo = true;
  auto keepBest = [](Phases& best, const Phases& p) {
    best.insert = std::min(best.insert, p.insert);
    best.lookup = std::min(best.lookup, p.lookup);
    best.del = std::min(best.del, p.del);
  };
  for (int r = 0; r < reps && !recordingOnly; r++) {
    Phases p;
    if (haveGo && runGo(goPath, n, 2, false, p)) keepBest(goAes, p);
    else haveGo = false;
    keepBest(off, benchEngine(keys, 1, nullptr, nullptr));
    if (haveGo && runGo(goPath, n, 2, true, p)) keepBest(goFallback, p);
    else haveGo = false;
  }

  if (!recordingOnly) {
    fmt::print("map[int64]int64, {} keys, min of {} runs (ns/op)\n", n, reps);
    fmt::print("{:<10} {:>10} {:>12} {:>12} {:>14} {:>14}\n", "phase", "engine", "Go (AES)", "Go (fallback)",
               "engine/Go AES", "engine/Go fb");
    auto row = [&](const char* name, double e, double ga, double gf) {
      if (haveGo)
        fmt::print("{:<10} {:>10.1f} {:>12.1f} {:>12.1f} {:>13.2f}x {:>13.2f}x\n", name, e, ga, gf, e / ga, e / gf);
      else
        fmt::print("{:<10} {:>10.1f} {:>12} {:>12}\n", name, e, "n/a", "n/a");
    };
    row("insert", off.insert, goAes.insert, goFallback.insert);
    row("lookup", off.lookup, goAes.lookup, goFallback.lookup);
    row("delete", off.del, goAes.del, goFallback.del);
    if (!haveGo) fmt::print("(Go benchmark not found at {}: build it with the project, or pass --go)\n", goPath);
  }

  // Recording: the same inserts with every event stored, interleaved rep by
  // rep with unrecorded ones, at this size and at a tenth of it (a map that
  // stays in the caches: there the cost is the recording itself). Twice: one
  // op at a time as above, and with the session loader's lookahead (prefetch
  // the bucket 16 ops ahead). At a million keys the one-at-a-time loop waits
  // for a cache miss per insert, and the recording's extra instructions let
  // the CPU overlap fewer of them; the lookahead takes the misses out of both.
  EventBuffer events;
  fmt::print("\nrecording every event (insert phase, buffer memory reused):\n");
  for (std::size_t lookahead : {std::size_t{0}, Session::kPrefetchDistance}) {
    for (long size : {n / 10, n}) {
      std::vector<int64_t> sub(keys.begin(), keys.begin() + size);
      Phases bestOff, bestRec;
      uint64_t count = 0;
      auto run = [&](EventBuffer* b, uint64_t* c) {
        return lookahead == 0 ? benchEngine<0>(sub, 1, b, c) : benchEngine<Session::kPrefetchDistance>(sub, 1, b, c);
      };
      for (int r = 0; r < reps; r++) {
        keepBest(bestOff, run(nullptr, nullptr));
        keepBest(bestRec, run(&events, &count));
      }
      const double perEvent =
          (bestRec.insert - bestOff.insert) * static_cast<double>(size) / static_cast<double>(count);
      fmt::print("  {:<14} {:>8} keys: {:.1f} ns/op recorded vs {:.1f} off; {:.1f} events/op; {:.2f} ns per event, "
                 "{:.2f} bytes per stored event\n",
                 lookahead == 0 ? "one at a time," : "lookahead 16,", size, bestRec.insert, bestOff.insert,
                 static_cast<double>(count) / static_cast<double>(size), perEvent,
                 static_cast<double>(events.bytesInUse()) / static_cast<double>(count));
    }
  }
  events.clear();
  if (recordingOnly) return g_sink == 42 ? 1 : 0;

  // Seeking in a recorded session: sessionOps puts and deletes over a key
  // space that keeps the map large. The same ops first run on a bare map,
  // unrecorded and recorded, so that the session's own costs (snapshots with
  // their copy-on-write clones, the op log) show apart from the events'.
  std::vector<OpRequest> sessionScript;
  std::mt19937_64 rng(42);
  for (long i = 1; i < sessionOps; i++) {
    int64_t k = static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<long>(1, sessionOps / 2)));
    OpCode c = rng() % 4 == 0 ? OpCode::Del : OpCode::Put;
    if (sessionDistinct) { // a map built from scratch: every op inserts a new key
      k = i;
      c = OpCode::Put;
    }
    sessionScript.push_back(OpRequest{c, KeyValue::ofInt(KeyKind::Int64, k), i});
  }
  constexpr std::size_t kLookahead = Session::kPrefetchDistance; // as the session's script loader
  auto bareRun = [&](EventBuffer* buffer) {
    Map<Int64Key> m(0);
    m.make(sessionHint);
    m.setEventBuffer(buffer);
    auto t = Clock::now();
    for (std::size_t i = 0; i < sessionScript.size(); i++) {
      if (i + kLookahead < sessionScript.size()) m.prefetchKey(sessionScript[i + kLookahead].key.i);
      const OpRequest& r = sessionScript[i];
      if (r.code == OpCode::Del) m.del(r.key.i);
      else m.put(r.key.i, r.value);
    }
    return secondsSince(t);
  };
  double bareOff = 1e30, bareRec = 1e30;
  for (int r = 0; r < 3; r++) {
    bareOff = std::min(bareOff, bareRun(nullptr));
    events.clear();
    bareRec = std::min(bareRec, bareRun(&events));
  }
  const uint64_t bareEvents = events.size();
  events.release();
  Session s(SessionConfig{});
  auto t0 = Clock::now();
  s.append(OpRequest{OpCode::Make, {}, sessionHint});
  for (std::size_t i = 0; i < sessionScript.size(); i++) {
    if (i + kLookahead < sessionScript.size()) s.prefetchKey(sessionScript[i + kLookahead].key);
    s.append(sessionScript[i]);
  }
  double recordSecs = secondsSince(t0);
  fmt::print("\nsession: {} ops, {} events recorded in {:.2f} s, {} snapshots, final B={} count={}\n", sessionOps,
             s.eventCount(), recordSecs, s.checkpointCount(), s.map().header().B, s.map().header().count);
  fmt::print("  the same ops on a bare map: {:.3f} s unrecorded, {:.3f} s recording all {} events ({:.2f} ns per "
             "event); the rest is the session's snapshots and op log\n",
             bareOff, bareRec, bareEvents, (bareRec - bareOff) * 1e9 / static_cast<double>(std::max<uint64_t>(1, bareEvents)));
  std::vector<double> times;
  std::vector<std::pair<double, int64_t>> timed; // (ms, target)
  const std::size_t freshBefore = freshBlocksMapped();
  for (int j = 0; j < seeks; j++) {
    int64_t target = static_cast<int64_t>(rng() % s.eventCount());
    auto t1 = Clock::now();
    s.seek(target);
    times.push_back(secondsSince(t1) * 1e3);
    timed.emplace_back(times.back(), target);
  }
  // The slowest seeks once more, each from the end of the session: a time
  // that does not repeat came from the host, not from the seek's work.
  std::sort(timed.rbegin(), timed.rend());
  std::string again;
  for (std::size_t j = 0; j < std::min<std::size_t>(3, timed.size()); j++) {
    s.seekEnd();
    auto t1 = Clock::now();
    s.seek(timed[j].second);
    again += fmt::format("{}{:.2f} -> {:.2f} ms", j ? ", " : "", timed[j].first, secondsSince(t1) * 1e3);
  }
  // Step back one event at a time from the end, as the GUI does.
  std::vector<double> back;
  s.seekEnd();
  for (int j = 0; j < 50; j++) {
    auto t1 = Clock::now();
    s.seek(s.position() - 1);
    back.push_back(secondsSince(t1) * 1e3);
  }
  std::sort(times.begin(), times.end());
  std::sort(back.begin(), back.end());
  fmt::print("  seek to a random event ({} seeks): median {:.2f} ms, p95 {:.2f} ms, max {:.2f} ms\n", seeks,
             times[times.size() / 2], times[times.size() * 95 / 100], times.back());
  fmt::print("  the three slowest seeks again (from the session's end): {}\n", again);
  fmt::print("  blocks of fresh memory mapped by the seeks: {} (recording reserves what seeks take)\n",
             freshBlocksMapped() - freshBefore);
  fmt::print("  step back one event from the end: median {:.3f} ms, max {:.3f} ms\n", back[back.size() / 2],
             back.back());
  return g_sink == 42 ? 1 : 0;
}
