// Exhaustive exploration counts, derived by hand.
//
// What is counted. A step resumes one goroutine until its next pause (an
// engine event; at statement level every event kind except the memory-only
// ones (FlagsLoaded, KeyStored, TophashStored, CountLoaded, OverflowAllocated,
// NevacuateLoaded), so `h.flags ^= hashWriting` is one step and so is
// storing a key with its tophash; at memory level every kind). Exploring,
// a step that touches no shared object (starting an op, SlotChosen, returning
// from mapassign) is fused with the same goroutine's next step. Without
// reduction, an interleaving is a maximal sequence of goroutine choices; the
// run ends when every goroutine is done, at a fatal error, or at a deadlock.
// With reduction, sequences that differ only by swapping adjacent steps of
// different goroutines that touch no common object (or only read it) count once.
//
// The maps use `hashmode identity`: every small key hashes to itself, lands in
// bucket 0 and has tophash 0+5 = 5, so every occupied cell is a tophash match
// and is followed by a key comparison.
#include <gtest/gtest.h>

#include "concurrency/explore.hpp"
#include "test_util.hpp"

using namespace gomap::race;
using gomap::race::test::scenario;

namespace {
ExploreResult run(const std::string& body, bool reduce) {
  ExploreOptions o;
  o.reduce = reduce;
  ExploreResult r = explore(scenario(body), o);
  EXPECT_TRUE(r.complete);
  return r;
}
} // namespace

// Two readers. Bucket 0 holds 100, 1, 2 in slots 0, 1, 2.
//   get 1: [begin + entry check + hash] [select bucket 0] [slot 0 tophash: match]
//          [slot 0 key: differs] [slot 1 tophash: match] [slot 1 key: equal]
//          [read the value] [return]                                 = 8 steps
//   get 2: the same plus slot 2's tophash and key                    = 10 steps
// Reads never write, so no check can fire and every order is a complete run:
// choose which 8 of the 18 steps are G1's, C(18, 8) = 43758. Every step only
// reads, so all of them commute: with reduction, exactly 1.
TEST(ExhaustiveCounts, TwoReaders) {
  const char* body = R"(
map
  make int64 0
  hashmode identity
  put 100 1000
  put 1 10
  put 2 20
goroutine 1
  get 1
goroutine 2
  get 2
granularity statement
)";
  ExploreResult full = run(body, false);
  EXPECT_EQ(full.interleavings, 43758u);
  EXPECT_EQ(full.clean, 43758u);
  ExploreResult reduced = run(body, true);
  EXPECT_EQ(reduced.interleavings, 1u);
  EXPECT_EQ(reduced.clean, 1u);
}

// A writer and a reader, statement level. Bucket 0 holds 100 in slot 0.
//   G1 put 1 10: a1 [begin + entry check + hash] a2 [flags ^= hashWriting: set]
//     a3 [select bucket] a4 [slot 0 tophash: match] a5 [slot 0 key: differs]
//     a6 [slot 1 tophash: emptyRest] a7 [slot chosen + store key and tophash]
//     a8 [count++] a9 [exit check + flags &^= hashWriting: clear]
//     a10 [store the value] a11 [return]                       n = 11 steps
//   G2 get 100: b1 [begin + entry check + hash] b2 [select] b3 [tophash]
//     b4 [key: equal] b5 [read value] b6 [return]              m = 6 steps
// hashWriting is set after a2 and clear again after a9. Only b1 checks it.
// Let k be the number of G1 steps before b1.
//  - 2 <= k <= 8: b1 sees the bit and G2 dies ("concurrent map read and map
//    write"); the run ends there, one schedule per k: 7 fatal runs.
//  - k in {0, 1, 9, 10, 11}: b1 passes; nothing else checks anything the other
//    goroutine changes, so the remaining 11-k steps of G1 and 5 of G2 go in any
//    order: C(16-k, 5) each. C(16,5) + C(15,5) + C(7,5) + C(6,5) + C(5,5)
//    = 4368 + 3003 + 21 + 6 + 1 = 7399 clean runs (the read finds 100 either way).
// Total 7406.
TEST(ExhaustiveCounts, WriterAndReader) {
  ExploreResult r = run(R"(
map
  make int64 0
  hashmode identity
  put 100 1000
goroutine 1
  put 1 10
goroutine 2
  get 100
granularity statement
)",
                        false);
  EXPECT_EQ(r.interleavings, 7406u);
  EXPECT_EQ(r.clean, 7399u);
  EXPECT_EQ(r.fatal, 7u);
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[1].cls, "fatal G2: concurrent map read and map write (mapaccess2 L476)");
}

// The same writer and reader at memory level. Each store of the insert is now
// its own step: the flags read-modify-writes are a load and a store, the key
// is stored before its tophash, and count++ is a load and a store.
//   G1 put 1 10: a1 [begin + entry check + hash] a2 [flags load: 0]
//     a3 [flags store: 4] a4 [select bucket] a5 [slot 0 tophash: match]
//     a6 [slot 0 key: differs] a7 [slot 1 tophash: emptyRest]
//     a8 [slot chosen + key store] a9 [tophash store] a10 [count load]
//     a11 [count store] a12 [exit check + flags load: 4] a13 [flags store: 0]
//     a14 [store the value] a15 [return]                         n = 15 steps
//     (statement level's 11 plus the two flag loads, the key store and the
//     count load)
//   G2 get 100: b1 .. b6 as above                                m = 6 steps
// hashWriting is set after a3 and clear again after a13; only b1 checks it.
// Without reduction, with k G1 steps before b1:
//  - 3 <= k <= 12: G2 dies at b1, one schedule per k: 10 fatal runs.
//  - k in {0, 1, 2, 13, 14, 15}: b1 passes and the other 15-k + 5 steps go in
//    any order, C(20-k, 5): C(20,5) + C(19,5) + C(18,5) + C(7,5) + C(6,5) + C(5,5)
//    = 15504 + 11628 + 8568 + 21 + 6 + 1 = 35728 clean runs.
// Total 35738 (statement level: 7406).
// With reduction, a run is told apart from another only by the order of
// conflicting steps. G2 only reads: b1 the flags and count, b2 the flags (and
// the header), b3-b5 slot 0, b6 count (and bucket 0's overflow pointer). G1's
// writes: a3 and a13 the flags, a11 count, a8/a9/a14 slot 1. So:
//  - fatal runs end the program, and conflict with every step: 10, as above;
//  - b1 after a13: every later order is equivalent: 1 run;
//  - b1 before a3: b2 before a3, between a3 and a13, or after a13; b6 before
//    or after a11 (b6 comes after b2, so after a13 leaves only "after"):
//    2 + 2 + 1 = 5 runs.
// 16 = 6 clean + 10 fatal.
TEST(ExhaustiveCounts, WriterAndReaderMemoryLevel) {
  const char* body = R"(
map
  make int64 0
  hashmode identity
  put 100 1000
goroutine 1
  put 1 10
goroutine 2
  get 100
granularity memory
)";
  ExploreResult full = run(body, false);
  EXPECT_EQ(full.interleavings, 35738u);
  EXPECT_EQ(full.clean, 35728u);
  EXPECT_EQ(full.fatal, 10u);
  ExploreResult reduced = run(body, true);
  EXPECT_EQ(reduced.interleavings, 16u);
  EXPECT_EQ(reduced.clean, 6u);
  EXPECT_EQ(reduced.fatal, 10u);
}

// Critical sections on a Go 1.19 sync.Mutex (gosync.hpp). A lock statement
// is one step when the CAS takes the mutex; on a held mutex the same step
// counts the goroutine as a waiter and parks it (it is then not a choice).
// Unlock wakes the parked waiter, which does not own the mutex: its next step
// retries, and the unlocker's next lock may take the mutex first (barging),
// which parks the woken one again. Only steps on mu matter for the count (put
// steps commute with parks and retries; with reduction they never split a
// trace), so a trace is a word over the mu steps, and that word is the whole
// schedule when the critical sections are empty.
//
// One section each (by hand): G1 takes mu, then G2 either arrives after the
// unlock (1 1 2 2) or parks first and is woken by the unlock (1 2 1 2 2); and
// the mirror images: 4.
//
// Larger counts come from this recurrence over the mutex.go rules, written
// independently of the simulator (each goroutine: idle, parked, woken, holds;
// an unlock wakes the other if it is parked):
namespace {
uint64_t mutexWords(int a, int b, int sa, int sb) { // s: 0 idle, 1 parked, 2 woken, 3 holds
  const int left[2] = {a, b}, st[2] = {sa, sb};
  const bool locked = sa == 3 || sb == 3;
  uint64_t total = 0;
  bool any = false;
  for (int g = 0; g < 2; g++) {
    if (left[g] == 0 || st[g] == 1) continue;
    any = true;
    int l[2] = {a, b}, n[2] = {sa, sb};
    if (st[g] == 3) {
      l[g]--;
      n[g] = 0;
      if (st[1 - g] == 1) n[1 - g] = 2; // unlockSlow wakes the waiter
    } else {
      n[g] = locked ? 1 : 3; // acquire, or park (again)
    }
    total += mutexWords(l[0], l[1], n[0], n[1]);
  }
  return any ? total : 1;
}
} // namespace

TEST(ExhaustiveCounts, MutexWordsByHand) {
  EXPECT_EQ(mutexWords(1, 1, 0, 0), 4u);
  const char* body = R"(
map
  make int64 0
goroutine 1
  for i in 1..K: lock mu; unlock mu
goroutine 2
  for i in 1..K: lock mu; unlock mu
granularity statement
)";
  for (int k : {1, 2, 3}) {
    std::string b = body;
    for (std::size_t p; (p = b.find('K')) != std::string::npos;) b.replace(p, 1, std::to_string(k));
    // Every step is on mu: nothing commutes, the reduced search counts every schedule.
    for (bool reduce : {false, true}) {
      ExploreResult r = run(b, reduce);
      EXPECT_EQ(r.interleavings, mutexWords(k, k, 0, 0)) << k << reduce;
      EXPECT_EQ(r.clean, r.interleavings);
    }
  }
  EXPECT_EQ(mutexWords(2, 2, 0, 0), 40u);
  EXPECT_EQ(mutexWords(3, 3, 0, 0), 496u);
}

// The same with a put in each section: the puts commute with the other
// goroutine's parks and retries, so the reduced search finds the same 496
// traces (without reduction: 3,287,328 schedules, about a minute; not run).
// The old model (a lock on a held mutex was no step at all) had C(6,3) = 20.
TEST(ExhaustiveCounts, MutexSerializesCriticalSections) {
  const char* body = R"(
map
  make int64 0
goroutine 1
  for i in 1..3: lock mu; put i i; unlock mu
goroutine 2
  for i in 11..13: lock mu; put i i; unlock mu
granularity statement
)";
  ExploreResult r = run(body, true);
  EXPECT_EQ(r.interleavings, 496u);
  EXPECT_EQ(r.clean, 496u);
}

// Lock order inversion, no map at all. G1: lock a, lock b, unlock b, unlock a.
// G2: lock b, lock a, unlock a, unlock b. A lock on a held mutex is a step
// that parks; the unlock wakes the waiter, whose retry is a step.
//  G1 first (La):
//   - La Lb' (G2 takes b): each then parks on what the other holds, in
//     either order: 2 deadlocks.
//   - La Lb (G1 holds both). Then either
//     G1 Ub first: G1 Ua and G2 alone (1); or G2 Lb' takes b, then G1 Ua and
//       G2 alone (1), or G2 parks on a, G1 Ua wakes it, it retries (1): 3;
//     or G2 parks on b first: G1 Ub wakes it; then G1 Ua and G2 alone (1),
//       or G2 retries and takes b, then as above: 2 more: 3.          6 clean
//  G2 first: the mirror image. Without reduction: 16 runs, 12 clean, 4 deadlocks.
// With reduction, steps on different mutexes commute, so a trace is fixed by
// the order of the steps on a and on b. The four deadlock schedules all have
// La before G2's park on a and Lb' before G1's park on b: 1 trace. A clean
// run lets one goroutine through both mutexes first (the other order would be
// a cycle); the second goroutine either parks on b or not and either parks on
// a or not: 4 traces per first goroutine, 8 clean; 9 in all.
TEST(ExhaustiveCounts, LockOrderInversion) {
  const char* body = R"(
map
  make int64 0
goroutine 1
  lock a
  lock b
  unlock b
  unlock a
goroutine 2
  lock b
  lock a
  unlock a
  unlock b
granularity statement
)";
  ExploreResult full = run(body, false);
  EXPECT_EQ(full.interleavings, 16u);
  EXPECT_EQ(full.clean, 12u);
  EXPECT_EQ(full.deadlock, 4u);
  ExploreResult reduced = run(body, true);
  EXPECT_EQ(reduced.interleavings, 9u);
  EXPECT_EQ(reduced.clean, 8u);
  EXPECT_EQ(reduced.deadlock, 1u);
}
