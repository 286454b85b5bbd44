#include "ui/derived.hpp"

#include <algorithm>

#include "engine/runtime_consts.hpp"

namespace gomap::ui {

void DerivedSeries::reset(uint64_t bucketSize) {
  count.clear();
  B.clear();
  noverflow.clear();
  memory.clear();
  markers.clear();
  scanned_ = 0;
  bucketSize_ = bucketSize;
  count_ = B_ = noverflow_ = pendingB_ = hint_ = 0;
  curArray_ = curHeap_ = oldArray_ = oldHeap_ = pendingArray_ = 0;
}

void DerivedSeries::push(std::vector<StepPoint>& v, uint64_t ev, int64_t x) {
  if (!v.empty() && v.back().value == x) return;
  if (!v.empty() && v.back().event == ev) {
    v.back().value = x;
    return;
  }
  v.push_back({ev, x});
}

int64_t DerivedSeries::valueAt(const std::vector<StepPoint>& series, int64_t ev) {
  if (ev < 0 || series.empty()) return 0;
  auto it = std::upper_bound(series.begin(), series.end(), static_cast<uint64_t>(ev),
                             [](uint64_t e, const StepPoint& p) { return e < p.event; });
  if (it == series.begin()) return 0;
  return std::prev(it)->value;
}

void DerivedSeries::step(const Event& e, uint64_t i) {
  const uint64_t heapBucket = roundupsize(bucketSize_);
  bool mem = false;
  switch (e.site) {
  case Site::MakemapBegin: hint_ = payloadOf<EventKind::OpBegin>(e).hint; break;
  case Site::MakemapHash0: // h = Hmap{}: everything is new
    count_ = B_ = noverflow_ = 0;
    curArray_ = curHeap_ = oldArray_ = oldHeap_ = 0;
    mem = true;
    break;
  case Site::MakemapArray: {
    const auto p = payloadOf<EventKind::BucketsAllocated>(e);
    B_ = p.B;
    curArray_ = roundupsize(uint64_t{p.nbuckets} * bucketSize_);
    mem = true;
    break;
  }
  case Site::AssignNewobject:
    curArray_ = roundupsize(bucketSize_);
    mem = true;
    break;
  case Site::AssignCount:
  case Site::DeleteCount: count_ = payloadOf<EventKind::CountChanged>(e).count; break;
  case Site::NewOverflow:
  case Site::EvacuateNewOverflow: {
    const auto p = payloadOf<EventKind::OverflowAllocated>(e);
    noverflow_ = p.noverflow;
    if (!p.fromPool) {
      curHeap_ += heapBucket;
      mem = true;
    }
    markers.push_back({i, MarkerKind::Overflow});
    break;
  }
  case Site::IncrNoverflow: noverflow_ = payloadOf<EventKind::NoverflowIncr>(e).noverflow; break;
  case Site::HashGrowBegin: {
    const auto p = payloadOf<EventKind::GrowthStarted>(e);
    pendingB_ = p.newB;
    markers.push_back({i, (p.trigger & kGrowSameSize) ? MarkerKind::SameSizeGrowStart : MarkerKind::GrowStart});
    break;
  }
  case Site::HashGrowArray:
    pendingArray_ = roundupsize(uint64_t{payloadOf<EventKind::BucketsAllocated>(e).nbuckets} * bucketSize_);
    break;
  case Site::HashGrowCommit:
    B_ = pendingB_;
    noverflow_ = 0;
    oldArray_ = curArray_;
    oldHeap_ = curHeap_;
    curArray_ = pendingArray_;
    curHeap_ = 0;
    mem = true;
    break;
  case Site::AdvanceMarkDone:
    oldArray_ = oldHeap_ = 0;
    mem = true;
    markers.push_back({i, MarkerKind::GrowEnd});
    break;
  case Site::ClearReset:
    count_ = 0;
    noverflow_ = 0;
    oldArray_ = oldHeap_ = 0;
    mem = true;
    break;
  case Site::ClearArray:
    curHeap_ = 0;
    mem = true;
    break;
  default: break;
  }
  if (e.kind == EventKind::Panic) markers.push_back({i, MarkerKind::Panic});
  if (e.kind == EventKind::Fatal) markers.push_back({i, MarkerKind::Fatal});
  if (e.site == Site::MakemapEnd) {
    B_ = makemapB(hint_, bucketSize_); // the engine's rule, from the hint makemap saw
  }
  push(count, i, count_);
  push(B, i, B_);
  push(noverflow, i, noverflow_);
  if (mem || memory.empty()) push(memory, i, static_cast<int64_t>(curArray_ + curHeap_ + oldArray_ + oldHeap_));
}

void DerivedSeries::update(const EventSource& s, uint64_t bucketSize, uint64_t sessionId, const Start* start) {
  if (sessionId != sessionId_ || s.eventCount() < scanned_) {
    reset(bucketSize);
    sessionId_ = sessionId;
    if (start) {
      // A stream that begins on a map already built (a race's map section).
      count_ = start->count;
      B_ = pendingB_ = start->B;
      noverflow_ = start->noverflow;
      curArray_ = start->arrayBytes;
      curHeap_ = start->heapBytes;
    }
  }
  const uint64_t n = s.eventCount();
  for (uint64_t i = scanned_; i < n; i++) step(s.event(i), i);
  scanned_ = n;
}

} // namespace gomap::ui
