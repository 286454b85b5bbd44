// Time series and timeline markers derived from the event stream alone (no
// seeking): count, B, noverflow and the bytes held by bucket arrays and heap
// overflow buckets after every event, as step functions, plus the events a
// timeline marks (growth start and end, overflow allocations, panics, fatal
// errors). Built incrementally as the session grows; the GUI tests check the
// values against the engine's header and memory() after seeking.
#pragma once
#include <cstdint>
#include <vector>

#include "trace/event_source.hpp"

namespace gomap::ui {

struct StepPoint {
  uint64_t event; // the value holds from this event on
  int64_t value;
};

enum class MarkerKind : uint8_t { GrowStart, SameSizeGrowStart, GrowEnd, Overflow, Panic, Fatal, kCount };

struct Marker {
  uint64_t event;
  MarkerKind kind;
};

class DerivedSeries {
public:
  // Processes the events the session gained since the last call. Rebuilds from
  // scratch if the session changed identity or lost events (truncation).
  // The state before the stream's first event, for a stream that starts on a
  // map already built (a race's map section); a session starts from nothing.
  struct Start {
    int64_t count = 0, B = 0, noverflow = 0;
    uint64_t arrayBytes = 0, heapBytes = 0;
  };
  void update(const EventSource& s, uint64_t bucketSize, uint64_t sessionId, const Start* start = nullptr);

  std::vector<StepPoint> count, B, noverflow, memory;
  std::vector<Marker> markers;

  // Value after event ev (ev = -1: before any event).
  static int64_t valueAt(const std::vector<StepPoint>& series, int64_t ev);
  uint64_t scanned() const { return scanned_; }

private:
  void reset(uint64_t bucketSize);
  void push(std::vector<StepPoint>& v, uint64_t ev, int64_t x);
  void step(const Event& e, uint64_t i);

  uint64_t sessionId_ = ~uint64_t{0};
  uint64_t scanned_ = 0;
  uint64_t bucketSize_ = 144;
  // Running state.
  int64_t count_ = 0, B_ = 0, noverflow_ = 0, pendingB_ = 0, hint_ = 0;
  uint64_t curArray_ = 0, curHeap_ = 0, oldArray_ = 0, oldHeap_ = 0, pendingArray_ = 0;
};

} // namespace gomap::ui
