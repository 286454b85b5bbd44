// A recorded stream of engine events with the operations that emitted them:
// what views, derived series and call stacks read. A single-threaded session
// (Session) is one; a race run is another (its ops are the goroutines' ops,
// interleaved, so the events of one op need not be contiguous, and each event
// carries the goroutine that emitted it).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "engine/events.hpp"
#include "engine/swiss_events.hpp"

namespace gomap {

// In a session's op log (ops in order, each with firstEvent and eventCount),
// the op whose events hold event i: ops without events (make, config lines,
// gc) step back to the op before them. The single-goroutine sessions share it.
template <class Ops> std::size_t opHoldingEvent(const Ops& ops, uint64_t i) {
  auto it = std::upper_bound(ops.begin(), ops.end(), i, [](uint64_t e, const auto& o) { return e < o.firstEvent; });
  std::size_t k = static_cast<std::size_t>(it - ops.begin());
  k = k == 0 ? 0 : k - 1;
  while (k > 0 && ops[k].eventCount == 0) k--;
  return k;
}

class EventSource {
public:
  virtual ~EventSource() = default;
  virtual uint64_t eventCount() const = 0;
  virtual const Event& event(uint64_t i) const = 0;
  // The op that emitted event i (an index the source's op list understands).
  virtual std::size_t opOfEvent(uint64_t i) const = 0;
  // The first event of op k.
  virtual uint64_t firstEventOfOp(std::size_t k) const = 0;
  virtual std::size_t opCount() const = 0;
  // The goroutine that emitted event i (1-based), or 0 in a single-threaded session.
  virtual int goroutineOfEvent(uint64_t) const { return 0; }
  // True when the events of one op are contiguous (no interleaving).
  virtual bool opsContiguous() const { return true; }
};

// The same for the Swiss map's events (issue 13): a recorded Swiss session
// (SwissSession) or a race on a Swiss map (its goroutines' events merged).
// The Swiss views list and scan events through this, whichever it is.
class SwissEventSource {
public:
  virtual ~SwissEventSource() = default;
  virtual uint64_t eventCount() const = 0;
  virtual const swiss::SwissEvent& swissEvent(uint64_t i) const = 0;
  virtual std::size_t opOfEvent(uint64_t i) const = 0;
  virtual uint64_t firstEventOfOp(std::size_t k) const = 0;
  virtual std::size_t opCount() const = 0;
  virtual int goroutineOfEvent(uint64_t) const { return 0; }
  virtual bool opsContiguous() const { return true; }
};

} // namespace gomap
