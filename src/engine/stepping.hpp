// The stepping core: what lets one algorithm text run two ways, shared by
// every simulated structure.
//
// A structure writes each of its runtime functions once, in an `*_ops.inc`
// file, with the spellings of stepping_macros.hpp (GOMAP_OP, GOMAP_CALL,
// GOMAP_RETURN, GOMAP_EMIT, GOMAP_READ_SCOPE, GOMAP_VIA), and includes that
// text twice: once as C++20 coroutines (Task<T>, coro.hpp) that can park at
// any event, once as plain calls taking a Direct<kRecord> tag that never park.
// SteppingCore holds the state both forms need and the drivers around them:
//  - the event sink (any class with push(const Record&)), the pause mask (bit k
//    pauses at kind k), the observed flag (sink set or pauses asked: the
//    resumable form's one branch per event), the cursor a paused op parks in;
//  - note(e), which records e and says whether to pause there, and Pause, the
//    awaiter that parks the innermost coroutine in the cursor;
//  - OpScope and the in-flight count (ops begun and not ended, and of those the
//    writing ones), on every exit path including a thrown fatal error;
//  - run (to completion, no pauses), step (to the next pause), finish and
//    runDirect (the direct form, recorded or not), turning the runtime's panics
//    and fatal errors into an OpResult.
// The core is a non-template-dependent base of the structure (its parameters
// are the record and sink types, not the structure's own template
// parameters), so the macros name its members unqualified. A structure that
// needs more at the start or end of an op (the classic map's copy-on-write and
// deferred frees) declares its own beginOp/endOp, which call countBegin/
// countEnd here; OpScope calls whichever the structure has.
//
// Nothing here costs anything in the direct form with the sink off: the tag
// compiles events away, and OpScope inlines to the counter updates.
#pragma once
#include <cstdint>

#include "engine/coro.hpp"
#include "engine/events.hpp"

namespace gomap {

// Selects the direct form of a runtime function: a plain call that never
// pauses; Direct<true> records every event in the sink, Direct<false> records
// none. Without a tag, the function is the resumable coroutine.
template <bool kRecord> struct Direct {};

// A runtime panic (recoverable in Go) or fatal error / throw (not recoverable).
struct GoPanic {
  Message message;
};
struct GoFatal {
  Message message;
};

// How an operation ended.
struct OpResult {
  Outcome outcome = Outcome::Ok;
  Message message = Message::None;
};

// Record: the structure's 16-byte (or any) event record, with a `kind` member
// whose value is a bit index of the pause mask. Sink: where records go.
template <class Record, class Sink> class SteppingCore {
public:
  using EventRecord = Record;
  using EventSink = Sink;

  // Recording and stepping. pauseMask has bit k set to pause at kind k.
  void setEventBuffer(Sink* b) {
    events_ = b;
    observed_ = events_ || pauseMask_;
  }
  Sink* eventBuffer() const { return events_; }
  void setPauseMask(uint64_t m) {
    pauseMask_ = m;
    observed_ = events_ || pauseMask_;
  }
  uint64_t pauseMask() const { return pauseMask_; }
  void setCursor(Cursor* c) { cursor_ = c; }
  // Operations begun and not ended (paused ones included), and of those the writing ones.
  int inflight() const { return inflight_; }
  int writersInFlight() const { return writers_; }

  // Runs a started operation to its end with no pauses. Returns its outcome;
  // fatal errors and panics do not throw past this point.
  template <class T> OpResult run(Task<T>& task) {
    uint64_t savedMask = pauseMask_;
    setPauseMask(0);
    Cursor c{task.handle()};
    Cursor* savedCursor = cursor_;
    cursor_ = &c;
    c.leaf.resume();
    cursor_ = savedCursor;
    setPauseMask(savedMask);
    return finish(task);
  }
  // Resumes a started operation until its next pause or its end.
  template <class T> bool step(Task<T>& task, Cursor& c) {
    Cursor* saved = cursor_;
    cursor_ = &c;
    c.leaf.resume();
    cursor_ = saved;
    return !task.done();
  }
  template <class T> static OpResult finish(Task<T>& task) {
    return catchRuntimeErrors([&] { task.result(); });
  }
  // Calls f, turning the runtime's panics and fatal errors into an OpResult.
  template <class F> static OpResult catchRuntimeErrors(F&& f) {
    try {
      f();
      return {};
    } catch (const GoPanic& p) {
      return {Outcome::Panic, p.message};
    } catch (const GoFatal& e) {
      return {Outcome::Fatal, e.message};
    }
  }
  // Calls op(Direct<true>{}) when events are recorded, op(Direct<false>{}) otherwise.
  template <class F> OpResult runDirect(F&& op) {
    if (events_) return catchRuntimeErrors([&] { op(Direct<true>{}); });
    return catchRuntimeErrors([&] { op(Direct<false>{}); });
  }

protected:
  SteppingCore() = default;
  ~SteppingCore() = default;
  SteppingCore(const SteppingCore&) = delete;
  SteppingCore& operator=(const SteppingCore&) = delete;

  // GOMAP_EMIT (resumable form): records e and says whether to pause at it.
  bool note(const Record& e) {
    if (events_) events_->push(e);
    return ((pauseMask_ >> static_cast<unsigned>(e.kind)) & 1) != 0;
  }
  // Parks the innermost coroutine in the cursor the driver passed.
  struct Pause {
    SteppingCore* core;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const noexcept { core->cursor_->leaf = h; }
    void await_resume() const noexcept {}
  };

  // The in-flight count. A structure's own beginOp/endOp call these.
  [[gnu::always_inline]] void countBegin(bool writes) {
    ++inflight_;
    if (writes) ++writers_;
  }
  // Returns whether no op is in flight any more.
  [[gnu::always_inline]] bool countEnd(bool writes) {
    if (writes) --writers_;
    return --inflight_ == 0;
  }
  [[gnu::always_inline]] void beginOp(bool writes) { countBegin(writes); }
  [[gnu::always_inline]] void endOp(bool writes) { countEnd(writes); }

  // Begins an op on construction and ends it on every exit path, including
  // fatal errors thrown through it: `OpScope scope(this, writes);` in an op's
  // body, where the structure declares `using OpScope = Core::OpScope<Self>;`
  // (clang cannot deduce a member class template's arguments from `this`).
  // Owner is the structure, whose beginOp/endOp it
  // calls (the core's unless the structure has its own; a structure with
  // private ones befriends this core).
  template <class Owner> struct OpScope {
    Owner* m;
    bool writes;
    [[gnu::always_inline]] OpScope(Owner* mm, bool w) : m(mm), writes(w) { m->beginOp(writes); }
    [[gnu::always_inline]] ~OpScope() { m->endOp(writes); }
    OpScope(const OpScope&) = delete;
    OpScope& operator=(const OpScope&) = delete;
  };

  Sink* events_ = nullptr;
  bool observed_ = false; // events recorded or pauses requested: emit is live
  uint64_t pauseMask_ = 0;
  Cursor* cursor_ = nullptr;
  int inflight_ = 0;
  int writers_ = 0; // writing ops in flight
};

} // namespace gomap
