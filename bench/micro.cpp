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
void BM_PutExisting(benchmark::State& st) {
  Map<Int64Key> m(1);
  m.make(0);
  EventBuffer buf;
  if (st.range(0)) m.setEventBuffer(&buf);
  for (int64_t i = 0; i < 4096; i++) m.put(i, i);
  int64_t k = 0;
  for (auto _ : st) {
    m.put(k & 4095, k);
    k++;
    if (buf.size() > (1u << 24)) buf.clear();
  }
}
BENCHMARK(BM_PutExisting)->Arg(0)->Arg(1)->ArgName("record");

void BM_PutExistingResumable(benchmark::State& st) {
  Map<Int64Key> m(1);
  m.make(0);
  EventBuffer buf;
  if (st.range(0)) m.setEventBuffer(&buf);
  for (int64_t i = 0; i < 4096; i++) m.put(i, i);
  int64_t k = 0;
  for (auto _ : st) {
    auto t = m.mapassign(k & 4095, k);
    m.run(t);
    k++;
    if (buf.size() > (1u << 24)) buf.clear();
  }
}
BENCHMARK(BM_PutExistingResumable)->Arg(0)->Arg(1)->ArgName("record");

void BM_GetHit(benchmark::State& st) {
  Map<Int64Key> m(1);
  m.make(0);
  for (int64_t i = 0; i < 4096; i++) m.put(i, i);
  int64_t k = 0, sum = 0;
  for (auto _ : st) {
    AccessResult a;
    m.get(k++ & 4095, a);
    sum += a.value;
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_GetHit);

void BM_GetHitResumable(benchmark::State& st) {
  Map<Int64Key> m(1);
  m.make(0);
  for (int64_t i = 0; i < 4096; i++) m.put(i, i);
  int64_t k = 0, sum = 0;
  for (auto _ : st) {
    auto t = m.mapaccess2(k++ & 4095);
    m.run(t);
    sum += t.result().value;
  }
  benchmark::DoNotOptimize(sum);
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
