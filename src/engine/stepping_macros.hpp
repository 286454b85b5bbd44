// The spellings of a step, a call and a return in the two forms of a
// structure's runtime functions (stepping.hpp). A structure's `*_ops.inc` is
// written once with them and compiled twice:
//
//   #define GOMAP_OWNER_TEMPLATE template <class KT>   // or nothing for a plain class
//   #define GOMAP_EVENT(site, ...) Event::of<site>(__VA_ARGS__)  // the structure's record
//   #define GOMAP_RESUMABLE 1
//   #include "engine/stepping_macros.hpp"
//   #include "my_ops.inc"
//   #define GOMAP_RESUMABLE 0  (after #undef)
//   #include "engine/stepping_macros.hpp"
//   #include "my_ops.inc"
//   #include "engine/stepping_macros_end.hpp"
//
// The structure derives from SteppingCore, so the spellings name the core's
// members (observed_, note, Pause, events_, OpScope) unqualified.
//  - resumable (GOMAP_RESUMABLE 1): every function is a coroutine returning
//    Task<T>; GOMAP_EMIT records the event and may suspend the operation there.
//  - direct (GOMAP_RESUMABLE 0): the same functions as plain calls, taking a
//    leading Direct<kRecord> tag; they never suspend. Direct<true> records
//    every event, Direct<false> has no trace of events at all.
//
// No include guard: included once per form; a second inclusion redefines.

#if !defined(GOMAP_RESUMABLE) || !defined(GOMAP_OWNER_TEMPLATE) || !defined(GOMAP_EVENT)
#error "define GOMAP_RESUMABLE, GOMAP_OWNER_TEMPLATE and GOMAP_EVENT before including stepping_macros.hpp"
#endif

#undef GOMAP_TEMPLATE
#undef GOMAP_OP
#undef GOMAP_VIA
#undef GOMAP_VIA_ONLY
#undef GOMAP_CALL
#undef GOMAP_RETURN
#undef GOMAP_EMIT
#undef GOMAP_READ_SCOPE

#if GOMAP_RESUMABLE
// The function's template header and return type.
#define GOMAP_TEMPLATE GOMAP_OWNER_TEMPLATE
#define GOMAP_OP(T) Task<T>
// The parameter that selects the form (none for the resumable one).
#define GOMAP_VIA
#define GOMAP_VIA_ONLY
// Calls a runtime function of the same form and yields its result.
#define GOMAP_CALL(fn, ...) (co_await fn(__VA_ARGS__))
#define GOMAP_RETURN(...) co_return __VA_ARGS__
// A read-only op is counted in flight: it may pause, and while it is paused
// a snapshot, unshare() or the freeing of retired memory must wait for it.
#define GOMAP_READ_SCOPE() OpScope scope(this, false)
// Records one event, GOMAP_EMIT(Site::X, {.field = value, ...}): the
// structure's GOMAP_EVENT builds the record (for the classic map the site fixes
// the kind and so the payload struct the braces initialise). If the driver
// asked to pause at its kind, suspends the operation there. Nobody observing
// (no sink, no pause) costs one predictable branch. A macro because co_await
// cannot hide inside a function.
#define GOMAP_EMIT(site, ...)                                                                                          \
  do {                                                                                                                 \
    if (observed_) [[unlikely]] {                                                                                      \
      if (note(GOMAP_EVENT(site, __VA_ARGS__))) co_await Pause{this};                                                  \
    }                                                                                                                  \
  } while (0)
#else
#define GOMAP_TEMPLATE GOMAP_OWNER_TEMPLATE template <bool kRecord>
#define GOMAP_OP(T) T
#define GOMAP_VIA Direct<kRecord>,
#define GOMAP_VIA_ONLY Direct<kRecord>
#define GOMAP_CALL(fn, ...) fn(Direct<kRecord>{} __VA_OPT__(, ) __VA_ARGS__)
#define GOMAP_RETURN(...) return __VA_ARGS__
// A read-only op that runs to completion needs no count: nothing can see it
// in flight, and it retires nothing, so it never has garbage to free.
#define GOMAP_READ_SCOPE() static_cast<void>(0)
// Records one event when this instantiation records (the sink is then set);
// never pauses. The unrecorded instantiation has no trace of events at all.
#define GOMAP_EMIT(site, ...)                                                                                          \
  do {                                                                                                                 \
    if constexpr (kRecord) events_->push(GOMAP_EVENT(site, __VA_ARGS__));                                              \
  } while (0)
#endif
