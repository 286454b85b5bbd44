// Google Benchmark micro-benchmarks of single engine operations (steady state,
// no growth, a map that stays in the caches): what one put or get costs in the
// direct form (how operations run to completion) with the event sink off and
// on, the same op in the resumable (coroutine) form, and what stepping an op
// one event at a time costs.
#include <benchmark/benchmark.h>

#include "engine/any_map.hpp"
#include "engine/map.hpp"

using namespace gomap;

namespace {
constexpr int64_t kKeys = 4096;

// A map[int64]int64 holding keys 0..kKeys-1.
void fill(Map<Int64Key>& m) {
  m.make(0);
  for (int64_t i = 0; i < kKeys; i++) m.put(i, i);
}

// Overwrites existing keys; run(m, key, value) performs one m[key] = value.
template <class Assign> void putExisting(benchmark::State& st, Assign run) {
  Map<Int64Key> m(1);
  fill(m);
  EventBuffer buf;
  if (st.range(0)) m.setEventBuffer(&buf);
  int64_t k = 0;
  for (auto _ : st) {
    run(m, k & (kKeys - 1), k);
    k++;
    if (buf.size() > (1u << 24)) buf.clear();
  }
}
void BM_PutExisting(benchmark::State& st) {
  putExisting(st, [](Map<Int64Key>& m, int64_t k, int64_t v) { m.put(k, v); });
}
BENCHMARK(BM_PutExisting)->Arg(0)->Arg(1)->ArgName("record");
void BM_PutExistingResumable(benchmark::State& st) {
  putExisting(st, [](Map<Int64Key>& m, int64_t k, int64_t v) {
    auto t = m.mapassign(k, v);
    m.run(t);
  });
}
BENCHMARK(BM_PutExistingResumable)->Arg(0)->Arg(1)->ArgName("record");

// Looks up present keys; lookup(m, key) returns m[key].
template <class Lookup> void getHit(benchmark::State& st, Lookup lookup) {
  Map<Int64Key> m(1);
  fill(m);
  int64_t k = 0, sum = 0;
  for (auto _ : st) sum += lookup(m, k++ & (kKeys - 1));
  benchmark::DoNotOptimize(sum);
}
void BM_GetHit(benchmark::State& st) {
  getHit(st, [](Map<Int64Key>& m, int64_t k) {
    AccessResult a;
    m.get(k, a);
    return a.value;
  });
}
BENCHMARK(BM_GetHit);
void BM_GetHitResumable(benchmark::State& st) {
  getHit(st, [](Map<Int64Key>& m, int64_t k) {
    auto t = m.mapaccess2(k);
    m.run(t);
    return t.result().value;
  });
}
BENCHMARK(BM_GetHitResumable);

void BM_StepPutEventByEvent(benchmark::State& st) {
  auto m = AnyMap::create(KeyKind::Int64, 1);
  m->apply({OpCode::Make, {}, 0});
  for (int64_t i = 0; i < 4096; i++) m->apply({OpCode::Put, KeyValue::ofInt(KeyKind::Int64, i), i});
  int64_t k = 0, steps = 0;
  for (auto _ : st) {
    m->setPauseMask(~uint64_t{0});
    auto run = m->start({OpCode::Put, KeyValue::ofInt(KeyKind::Int64, k++ & 4095), 1});
    while (run->step()) steps++;
    m->setPauseMask(0);
  }
  st.counters["events/op"] = benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_StepPutEventByEvent);
} // namespace
