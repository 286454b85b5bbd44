// The runtime's call stack at an event, rebuilt from the event stream: each
// event names its Site, and siteInfo(site).function is the runtime function
// that emitted it. With the runtime's (tiny) call graph (kCallTable and
// kFunctionTable in engine/events.hpp), a walk over the events
// of the current op gives the stack of functions the runtime would have, e.g.
// mapassign > growWork > evacuate > newoverflow. "Step out" uses it to find the
// first later event outside the current function.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "trace/event_source.hpp"

namespace gomap::ui {

struct CallStack {
  std::vector<std::string_view> frames; // outermost first
  std::size_t depth() const { return frames.size(); }
  std::string_view top() const { return frames.empty() ? std::string_view() : frames.back(); }
  // Applies one event. Returns true if the event starts a new invocation of a
  // function (its entry site), which step-out treats as leaving the previous one.
  bool apply(const Event& e);
};

// Tracks the stack at the session's cursor; cheap when the cursor moves forward
// within one op, and rebuilt from the op's first event otherwise.
class CallStackTracker {
public:
  // In a race the stream interleaves goroutines: only the events of the op
  // holding pos count.
  const CallStack& at(const EventSource& s, int64_t pos);
  void invalidate() { valid_ = false; }

private:
  bool valid_ = false;
  std::size_t op_ = 0;
  int64_t pos_ = -1;
  CallStack stack_;
};

// The event "step out" lands on from pos: the first later event of the same op
// that is outside the function running at pos (back in a caller, or the entry
// of the caller's next call). From the op's outermost function it is the op's
// last event. Returns pos itself when there is nothing later.
int64_t stepOutTarget(const EventSource& s, int64_t pos);
// The stack of the op holding event pos, right after it.
CallStack stackAt(const EventSource& s, int64_t pos);

} // namespace gomap::ui
