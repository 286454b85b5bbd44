// Sessions: every event can be reached, forwards and backwards, and the state
// there is exactly the state the engine had when it emitted that event.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "trace/session.hpp"

using namespace gomap;

namespace {
KeyValue I(int64_t v) { return KeyValue::ofInt(KeyKind::Int64, v); }

// Reference: run the same ops on a fresh map, pausing after every event, and
// record the digest and header after each one.
struct Reference {
  std::vector<uint64_t> digests;
  std::vector<int64_t> counts;
};
Reference reference(const std::vector<OpRequest>& ops) {
  Reference ref;
  auto m = AnyMap::create(KeyKind::Int64, 0);
  EventBuffer buf;
  m->setEventBuffer(&buf);
  for (auto& r : ops) {
    m->setPauseMask(~uint64_t{0});
    auto run = m->start(r);
    // Each step that pauses has just emitted one event; the last step runs
    // from the op's final event (op_end) to its return and changes nothing.
    while (run->step()) {
      ref.digests.push_back(m->digest());
      ref.counts.push_back(m->header().count);
    }
    m->setPauseMask(0);
  }
  EXPECT_EQ(buf.size(), ref.digests.size());
  return ref;
}
// The digest after each event in targets (sorted), from a fresh map.
std::map<int64_t, uint64_t> referenceAt(const std::vector<OpRequest>& ops, const std::vector<int64_t>& targets) {
  std::map<int64_t, uint64_t> out;
  auto m = AnyMap::create(KeyKind::Int64, 0);
  int64_t event = -1;
  auto next = targets.begin();
  for (auto& r : ops) {
    m->setPauseMask(~uint64_t{0});
    auto run = m->start(r);
    while (run->step()) {
      event++;
      while (next != targets.end() && *next == event) {
        out[event] = m->digest();
        ++next;
      }
    }
    m->setPauseMask(0);
  }
  return out;
}
} // namespace

// A map of 2^11 buckets and more: its arrays are versioned after each
// snapshot (BucketStorage), the session's snapshots are spaced by what the
// live map has written, and seeking anywhere must still give the engine's
// state at that event, across growth, deletes and an iteration.
TEST(Session, SeekInABigVersionedMapMatchesTheEngine) {
  std::vector<OpRequest> ops{{OpCode::Make, {}, 0}};
  for (int i = 0; i < 14000; i++) ops.push_back({OpCode::Put, I(i), i});
  std::mt19937_64 rng(7);
  for (int i = 0; i < 9000; i++) {
    const int64_t k = static_cast<int64_t>(rng() % 30000);
    if (rng() % 3 == 0) ops.push_back({OpCode::Del, I(k), 0});
    else ops.push_back({OpCode::Put, I(k), i});
  }
  ops.push_back({OpCode::Iter, {}, 0});
  for (int i = 30000; i < 33000; i++) ops.push_back({OpCode::Put, I(i), i});

  Session s(SessionConfig{});
  for (auto& r : ops) s.append(r);
  ASSERT_GE(s.map().header().B, 12);
  ASSERT_GE(s.checkpointCount(), 4u);
  const int64_t n = static_cast<int64_t>(s.eventCount());
  std::vector<int64_t> jumps;
  for (int j = 0; j < 150; j++) jumps.push_back(static_cast<int64_t>(rng() % static_cast<uint64_t>(n)));
  // Step back from inside a late op across the op before it.
  const int64_t lateOp = static_cast<int64_t>(s.firstEventOfOp(ops.size() - 40)) + 5;
  std::vector<int64_t> targets = jumps;
  for (int64_t i = lateOp; i > lateOp - 60; i--) targets.push_back(i);
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  const auto ref = referenceAt(ops, targets);
  ASSERT_EQ(ref.size(), targets.size());
  for (int64_t i : jumps) {
    s.seek(i);
    ASSERT_EQ(s.map().digest(), ref.at(i)) << "event " << i;
  }
  for (int64_t i = lateOp; i > lateOp - 60; i--) {
    s.seek(i);
    ASSERT_EQ(s.map().digest(), ref.at(i)) << "event " << i;
  }
}

// Seeks run on memory the session faulted in while it recorded: the blocks
// their copy-on-write versions take (chunk tables, arena blocks for copied
// chunks) are reserved after each snapshot (Map::reserveVersionMemory). On a
// virtual machine fresh memory costs about 5 ms per 2 MiB, and the slowest
// seeks had been exactly those that mapped some. (The reserve covers the
// arrays' sizes at each snapshot: here B stays 14 throughout.)
TEST(Session, SeeksRunOnMemoryReservedWhileRecording) {
  std::vector<OpRequest> ops{{OpCode::Make, {}, 100000}}; // B = 14 from the start
  std::mt19937_64 rng(11);
  for (int i = 0; i < 60000; i++) {
    const int64_t k = static_cast<int64_t>(rng() % 50000);
    ops.push_back({rng() % 4 == 0 ? OpCode::Del : OpCode::Put, I(k), i});
  }
  Session s(SessionConfig{});
  for (auto& r : ops) s.append(r);
  ASSERT_EQ(s.map().header().B, 14);
  ASSERT_FALSE(s.map().header().oldbuckets);

  const std::size_t before = freshBlocksMapped();
  uint64_t mostCopied = 0;
  for (int j = 0; j < 100; j++) {
    s.seek(static_cast<int64_t>(rng() % s.eventCount()));
    mostCopied = std::max(mostCopied, s.map().memory().unsharedBytes);
  }
  for (int64_t i = static_cast<int64_t>(s.eventCount()) / 2, j = 0; j < 30; j++) s.seek(i - j);
  EXPECT_EQ(freshBlocksMapped(), before);
  // Not vacuous: some seek copied more than its version's first (malloc'ed)
  // arena block holds, so it took 2 MiB blocks from the cache.
  EXPECT_GT(mostCopied, uint64_t{1} << 20);
}

TEST(Session, SeekReachesEveryEventForwardsAndBackwards) {
  std::vector<OpRequest> ops{{OpCode::Make, {}, 0}};
  for (int i = 0; i < 120; i++) ops.push_back({OpCode::Put, I(i), i});
  for (int i = 0; i < 120; i += 3) ops.push_back({OpCode::Del, I(i), 0});
  ops.push_back({OpCode::Iter, {}, 0});
  ops.push_back({OpCode::Clear, {}, 0});
  Reference ref = reference(ops);

  Session s(SessionConfig{});
  for (auto& r : ops) s.append(r);
  ASSERT_EQ(s.eventCount(), ref.digests.size());
  // Backwards, one event at a time (the GUI's step back).
  for (int64_t i = static_cast<int64_t>(s.eventCount()) - 1; i >= 0; i--) {
    s.seek(i);
    ASSERT_EQ(s.map().digest(), ref.digests[i]) << "event " << i;
    ASSERT_EQ(s.map().header().count, ref.counts[i]) << "event " << i;
  }
  // Random jumps.
  uint64_t x = 12345;
  for (int j = 0; j < 300; j++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    int64_t i = static_cast<int64_t>((x >> 33) % s.eventCount());
    s.seek(i);
    ASSERT_EQ(s.map().digest(), ref.digests[i]) << "event " << i;
  }
}

TEST(Session, OpOfEventAndFirstEventAgree) {
  Session s(SessionConfig{});
  s.append({OpCode::Make, {}, 0});
  s.appendSeed(7);
  for (int i = 0; i < 20; i++) s.append({OpCode::Put, I(i), i});
  for (std::size_t k = 0; k < s.opCount(); k++) {
    if (k == 1) continue; // the seed op has no events
    uint64_t first = s.firstEventOfOp(k);
    EXPECT_EQ(s.opOfEvent(first), k);
    EXPECT_EQ(s.event(first).kind, EventKind::OpBegin);
  }
}

TEST(Session, AppendingAfterSeekingBackKeepsTheFutureUnlessTruncated) {
  Session s(SessionConfig{});
  s.append({OpCode::Make, {}, 0});
  for (int i = 0; i < 50; i++) s.append({OpCode::Put, I(i), i});
  uint64_t n = s.eventCount();
  s.seek(static_cast<int64_t>(s.firstEventOfOp(10)));
  s.truncateAfterCursor();
  EXPECT_EQ(s.opCount(), 10u);
  EXPECT_LT(s.eventCount(), n);
  s.append({OpCode::Put, I(1000), 1});
  EXPECT_EQ(s.map().header().count, 10); // puts 0..8 plus 1000
}
