// Engine tests drawn from the runtime's own expectations (runtime/map_test.go,
// export_test.go) and from values printed by the real Go 1.19 runtime through
// the oracle (tests/oracle, GODEBUG=cpu.aes=off, hashkey[0]=0x0123456789abcdef).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "engine/any_map.hpp"
#include "engine/hash.hpp"
#include "engine/map.hpp"
#include "engine/site_footprints.hpp"
#include "trace/event_json.hpp"
#include "trace/state_json.hpp"

using namespace gomap;

namespace {

KeyValue I(int64_t v) { return KeyValue::ofInt(KeyKind::Int64, v); }
KeyValue F(double v) { return KeyValue::ofFloat(v); }
KeyValue S(std::string v) { return KeyValue::ofString(std::move(v)); }
// "k" + std::to_string(n) trips GCC 12's -Wrestrict false positive (PR 105651).
std::string keyName(const char* prefix, int n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

std::unique_ptr<AnyMap> made(KeyKind k, int64_t hint = 0, uint32_t hash0 = 0, uint64_t rng = 1) {
  auto m = AnyMap::create(k, rng);
  EXPECT_EQ(m->apply({OpCode::Make, {}, hint}).outcome, Outcome::Ok);
  m->setHash0(hash0);
  return m;
}

void put(AnyMap& m, const KeyValue& k, int64_t v) {
  auto r = m.apply({OpCode::Put, k, v});
  ASSERT_EQ(r.outcome, Outcome::Ok);
}
AccessResult get(AnyMap& m, const KeyValue& k) {
  AccessResult a;
  EXPECT_EQ(m.apply({OpCode::Get, k, 0}, &a).outcome, Outcome::Ok);
  return a;
}
void del(AnyMap& m, const KeyValue& k) { ASSERT_EQ(m.apply({OpCode::Del, k, 0}).outcome, Outcome::Ok); }
std::vector<KeyValue> iterate(AnyMap& m) {
  std::vector<KeyValue> keys;
  EXPECT_EQ(m.apply({OpCode::Iter, {}, 0}, nullptr, &keys).outcome, Outcome::Ok);
  return keys;
}

void expectInvariants(const AnyMap& m) {
  auto bad = m.checkInvariants();
  for (const InvariantFinding& b : bad) ADD_FAILURE() << "invariant violated: " << b.text;
}

} // namespace

// ---- hashing: values printed by the real runtime ------------------------------

TEST(Hash, Int64MatchesRuntime) {
  // From the real runtime output: put 11 with hash0 12345.
  EXPECT_EQ(memhash64Fallback(11, 12345, kDefaultHashKey), 0x2f407721a3748952ULL);
}

TEST(Hash, StringsOfEveryLengthClassMatchRuntime) {
  // `hash KEY` lines of tests/oracle on a map[string]int64 with hash0 7: one
  // string for each branch of memhashFallback (0, <4, 4, <8, 8, <=16, >16, >48).
  const std::vector<std::pair<std::string, uint64_t>> want = {
      {"", 0xa1555803f116a9c7ULL},
      {"a", 0x8bc874d9fed482b4ULL},
      {"abc", 0x99bbc16ea4e7899eULL},
      {"abcd", 0x67b25ca93dcf5f9fULL},
      {"abcdefg", 0xb29e1d458fe2e4ceULL},
      {"abcdefgh", 0x6c8cbf6ce561f120ULL},
      {"abcdefghijklmnop", 0x670ae2a53de8892cULL},
      {"abcdefghijklmnopq", 0x6b043c079ce81016ULL},
      {"0123456789012345678901234567890123456789012345678", 0x7c009ddb2f32df6cULL},
      {"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
       0xaa1ce60a001802b5ULL},
  };
  for (auto& [s, h] : want) EXPECT_EQ(strhashFallback(s, 7, kDefaultHashKey), h) << '"' << s << '"';
}

TEST(Hash, Float64ZeroSignAndValuesMatchRuntime) {
  auto m = made(KeyKind::Float64, 0, 7);
  EXPECT_EQ(m->peekHash(F(0.0)), 0x05be94346a20a85aULL);
  EXPECT_EQ(m->peekHash(F(-0.0)), 0x05be94346a20a85aULL); // +0 and -0 hash alike
  EXPECT_EQ(m->peekHash(F(1.5)), 0xea50dde6e25a0070ULL);
  EXPECT_EQ(m->peekHash(F(-2.25e300)), 0x7c076c581e0625d5ULL);
  EXPECT_EQ(m->peekHash(F(HUGE_VAL)), 0xea077b5c7a200695ULL);
}

TEST(Hash, Int32MatchesRuntime) {
  auto m = made(KeyKind::Int32, 0, 99);
  EXPECT_EQ(m->peekHash(KeyValue::ofInt(KeyKind::Int32, 5)), 0xa4cc28781de69b8dULL);
  EXPECT_EQ(m->peekHash(KeyValue::ofInt(KeyKind::Int32, INT32_MIN)), 0x43fe0bb8e3fb9bd1ULL);
}

TEST(Hash, NaNDrawsFastrandEveryTime) {
  auto m = made(KeyKind::Float64);
  uint64_t a = m->peekHash(F(std::nan("")));
  put(*m, F(std::nan("")), 1); // consumes the draw peekHash predicted
  uint64_t b = m->peekHash(F(std::nan("")));
  EXPECT_NE(a, b);
}

// ---- the runtime's tables -----------------------------------------------------------

TEST(Runtime, OverLoadFactorTable) {
  // overLoadFactor(count, B) <=> count > 8 && count > 13*(2^B/2) (map.go L1085).
  EXPECT_FALSE(overLoadFactor(8, 0));
  EXPECT_TRUE(overLoadFactor(9, 0));
  EXPECT_FALSE(overLoadFactor(13, 1));
  EXPECT_TRUE(overLoadFactor(14, 1));
  EXPECT_FALSE(overLoadFactor(26, 2));
  EXPECT_TRUE(overLoadFactor(27, 2));
  EXPECT_FALSE(overLoadFactor(52, 3));
  EXPECT_TRUE(overLoadFactor(53, 3));
  EXPECT_FALSE(overLoadFactor(6656, 10)); // 6.5 * 1024
  EXPECT_TRUE(overLoadFactor(6657, 10));
  EXPECT_FALSE(overLoadFactor(-1, 0));
  EXPECT_FALSE(tooManyOverflowBuckets(15, 4));
  EXPECT_TRUE(tooManyOverflowBuckets(16, 4));
  EXPECT_TRUE(tooManyOverflowBuckets(32768, 20)); // capped at 2^15
  EXPECT_FALSE(tooManyOverflowBuckets(32767, 20));
}

TEST(Runtime, RoundupsizeMatchesSizeClasses) {
  // makeBucketArray's spare buckets for 144-byte buckets (go119-map-spec 3.3).
  const std::map<uint8_t, uint64_t> spare = {{4, 2}, {5, 5}, {6, 7}, {7, 14}, {8, 28}, {9, 56}};
  for (auto [b, n] : spare) {
    auto m = made(KeyKind::Int64, static_cast<int64_t>(6.5 * (1 << b)) - 1);
    ASSERT_EQ(m->header().B, b);
    EXPECT_EQ(m->arrayAllocated(false) - (1u << b), n) << "B=" << int(b);
    EXPECT_EQ(m->nextOverflowIndex(), int64_t{1} << b);
  }
}

TEST(Runtime, MakemapHintsFromGosTable) {
  // runtime/map_test.go mapBucketTests and the spec's table: hint -> buckets.
  const std::vector<std::pair<int64_t, uint8_t>> hints = {
      {-(1LL << 30), 0}, {-1, 0}, {0, 0}, {1, 0}, {8, 0}, {9, 1}, {12, 1}, {13, 1}, {14, 2},
      {24, 2}, {26, 2}, {27, 3}, {48, 3}, {52, 3}, {53, 4}, {104, 4}, {105, 5}};
  for (auto [hint, B] : hints) {
    auto m = made(KeyKind::Int64, hint);
    EXPECT_EQ(m->header().B, B) << "hint " << hint;
    EXPECT_EQ(m->header().buckets == nilBucket, B == 0) << "buckets are lazy only at B=0";
  }
}

TEST(Runtime, BogusHintsAreIgnored) {
  // TestIgnoreBogusMapHint: -1 and 1<<62 must not crash; both give B=0.
  for (int64_t hint : {int64_t{-1}, int64_t{1} << 62, INT64_MAX, INT64_MIN}) {
    auto m = made(KeyKind::Int64, hint);
    EXPECT_EQ(m->header().B, 0) << hint;
    put(*m, I(1), 1);
    EXPECT_EQ(get(*m, I(1)).value, 1);
  }
}

TEST(Runtime, HintTooLargeForTheSimulatorIsAFatalOutOfMemory) {
  auto m = AnyMap::create(KeyKind::Int64);
  auto r = m->apply({OpCode::Make, {}, int64_t{1} << 40}); // B = 38: 40 TB of buckets
  EXPECT_EQ(r.outcome, Outcome::Fatal);
  EXPECT_EQ(r.message, Message::OutOfMemory);
}

// ---- the runtime's own behavioural tests, transcribed ---------------------------------

TEST(Runtime, NegativeZeroReplacesPositiveZero) {
  // TestNegativeZero: +0 then -0 leaves one key, stored as -0.
  auto m = made(KeyKind::Float64);
  put(*m, F(+0.0), 1);
  put(*m, F(-0.0), 2);
  EXPECT_EQ(m->header().count, 1);
  auto keys = iterate(*m);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(std::signbit(keys[0].f));
  // and the other way round
  auto m2 = made(KeyKind::Float64);
  put(*m2, F(-0.0), 1);
  put(*m2, F(+0.0), 2);
  keys = iterate(*m2);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_FALSE(std::signbit(keys[0].f));
  EXPECT_EQ(get(*m2, F(-0.0)).value, 2);
}

TEST(Runtime, ThreeNaNPutsGiveThreeEntries) {
  // TestMapAssignmentNan: NaN != NaN, so every put adds an entry and a lookup
  // never finds one.
  auto m = made(KeyKind::Float64);
  for (int i = 0; i < 3; i++) put(*m, F(std::nan("")), i);
  EXPECT_EQ(m->header().count, 3);
  EXPECT_FALSE(get(*m, F(std::nan(""))).found);
  auto keys = iterate(*m);
  EXPECT_EQ(keys.size(), 3u);
  for (auto& k : keys) EXPECT_TRUE(std::isnan(k.f));
  expectInvariants(*m);
}

TEST(Runtime, GrowWithNaNKeepsEveryNaN) {
  // TestGrowWithNaN: NaN keys survive growth (evacuate hashes them afresh).
  auto m = made(KeyKind::Float64);
  for (int i = 0; i < 3; i++) put(*m, F(std::nan("")), 1);
  for (int i = 0; i < 1000; i++) put(*m, F(i + 0.5), i);
  EXPECT_EQ(m->header().count, 1003);
  auto keys = iterate(*m);
  EXPECT_EQ(std::count_if(keys.begin(), keys.end(), [](auto& k) { return std::isnan(k.f); }), 3);
  expectInvariants(*m);
}

TEST(Runtime, MapNanGrowIterator) {
  // TestMapNanGrowIterator: fill 16 buckets' worth of NaN keys, trigger a grow,
  // iterate, and finish the grow (deletes of an absent key run growWork)
  // halfway through: every value is seen exactly once. Evacuation with an
  // iterator sends NaNs by the low bit of their tophash, which the iterator
  // mirrors.
  using M = Map<Float64Key>;
  M m(11);
  ASSERT_EQ(m.make(0).outcome, Outcome::Ok);
  const int nBuckets = 16;
  const int nKeys = static_cast<int>(nBuckets * 6.5);
  for (int i = 0; i < nKeys; i++) m.put(F(std::nan("")), i);
  m.put(F(1.0), 1);
  m.del(F(1.0));
  ASSERT_TRUE(m.growing());
  M::Iter it;
  auto init = m.mapiterinit(it);
  ASSERT_EQ(m.run(init).outcome, Outcome::Ok);
  std::set<int64_t> found;
  bool finished = false;
  while (it.valid) {
    EXPECT_TRUE(found.insert(it.elem).second) << "repeat of value " << it.elem;
    if (!finished && static_cast<int>(found.size()) == nKeys / 2) {
      for (int i = 0; i < nBuckets; i++) m.del(F(1.0));
      finished = true;
      EXPECT_FALSE(m.growing());
    }
    auto next = m.mapiternext(it);
    ASSERT_EQ(m.run(next).outcome, Outcome::Ok);
  }
  m.iterDone(it);
  EXPECT_EQ(static_cast<int>(found.size()), nKeys) << "missing value";
}

TEST(Runtime, MapTombstones) {
  // TestMapTombstones with MapTombstoneCheck's rules, which checkInvariants
  // applies to every chain (emptyRest only as a suffix; the last non-emptyRest
  // cell is never emptyOne).
  auto m = made(KeyKind::Int64);
  const int N = 10000;
  for (int i = 0; i < N; i++) put(*m, I(i), i);
  expectInvariants(*m);
  for (int i = 0; i < N; i += 2) del(*m, I(i));
  expectInvariants(*m);
  for (int i = N; i < 3 * N / 2; i++) put(*m, I(i), i);
  expectInvariants(*m);
  for (int i = 0; i < 3 * N / 2; i++) del(*m, I(i));
  expectInvariants(*m);
  EXPECT_EQ(m->header().count, 0);
  // Everything deleted: every cell of every chain is emptyRest again.
  std::vector<BmapView> chain;
  for (uint64_t b = 0; b < bucketShift(m->header().B); b++) {
    m->chain(false, b, chain);
    for (auto& bm : chain)
      for (int s = 0; s < bucketCnt; s++) ASSERT_EQ(bm.tophash[s], emptyRest);
  }
}

TEST(Runtime, IterGrowAndDelete) {
  // TestIterGrowAndDelete, with the loop body run between mapiternext calls.
  using M = Map<Int64Key>;
  M m(3);
  ASSERT_EQ(m.make(4).outcome, Outcome::Ok);
  for (int i = 0; i < 100; i++) m.put(I(i), i);
  M::Iter it;
  auto init = m.mapiterinit(it);
  ASSERT_EQ(m.run(init).outcome, Outcome::Ok);
  bool growflag = true;
  std::set<int64_t> seen;
  while (it.valid) {
    int64_t k = it.key;
    EXPECT_TRUE(seen.insert(k).second) << "key " << k << " yielded twice";
    if (growflag) {
      for (int i = 100; i < 1000; i++) m.put(I(i), i);
      for (int i = 1; i < 1000; i += 2) m.del(I(i));
      growflag = false;
    } else {
      EXPECT_EQ(k & 1, 0) << "odd key returned after its delete";
    }
    auto next = m.mapiternext(it);
    ASSERT_EQ(m.run(next).outcome, Outcome::Ok);
  }
  m.iterDone(it);
}

TEST(Runtime, IterationSeesEveryKeyOnceDuringGrowth) {
  // An iterator started in the middle of a doubling grow, while further writes
  // (which advance the grow) and deletes happen: every key present for the
  // whole loop is yielded exactly once; no deleted key is yielded after its delete.
  for (uint64_t seed = 1; seed <= 20; seed++) {
    using M = Map<Int64Key>;
    M m(seed);
    ASSERT_EQ(m.make(0).outcome, Outcome::Ok);
    m.setHash0(static_cast<uint32_t>(seed * 7919));
    int n = 0;
    while (!m.growing() || n < 60) m.put(I(n), n), n++; // stop while a grow is in progress
    ASSERT_TRUE(m.growing());
    std::set<int64_t> stable;
    for (int i = 0; i < n; i += 3) stable.insert(i); // never deleted
    M::Iter it;
    auto init = m.mapiterinit(it);
    ASSERT_EQ(m.run(init).outcome, Outcome::Ok);
    std::map<int64_t, int> yields;
    std::set<int64_t> deleted;
    int step = 0;
    while (it.valid) {
      int64_t k = it.key;
      EXPECT_FALSE(deleted.count(k)) << "seed " << seed << ": deleted key " << k << " yielded";
      yields[k]++;
      // Body: insert new keys (advancing the grow) and delete keys not in `stable`.
      m.put(I(1000 + step), step);
      int victim = 3 * step + 1;
      if (victim < n) {
        m.del(I(victim));
        deleted.insert(victim);
      }
      step++;
      auto next = m.mapiternext(it);
      ASSERT_EQ(m.run(next).outcome, Outcome::Ok);
    }
    m.iterDone(it);
    for (int64_t k : stable) EXPECT_EQ(yields[k], 1) << "seed " << seed << ": key " << k;
    for (auto& [k, c] : yields) EXPECT_LE(c, 1) << "seed " << seed << ": key " << k << " yielded twice";
  }
}

TEST(Runtime, IterationVisitsEveryBucketFromARandomStart) {
  auto m = made(KeyKind::Int64, 0, 1);
  for (int i = 0; i < 500; i++) put(*m, I(i), i);
  std::set<std::vector<int64_t>> orders;
  for (int r = 0; r < 5; r++) {
    auto keys = iterate(*m);
    ASSERT_EQ(keys.size(), 500u);
    std::vector<int64_t> v;
    for (auto& k : keys) v.push_back(k.i);
    orders.insert(v);
    std::sort(v.begin(), v.end());
    for (int i = 0; i < 500; i++) ASSERT_EQ(v[i], i);
  }
  EXPECT_GT(orders.size(), 1u) << "fastrand chooses a different start each time";
  EXPECT_EQ(m->header().flags & (iterator | oldIterator), iterator | oldIterator);
}

// ---- nil maps, deletes, clear ---------------------------------------------------------

TEST(NilMap, ReadsGiveZeroWritesPanic) {
  auto m = AnyMap::create(KeyKind::Int64);
  ASSERT_TRUE(m->isNil());
  EXPECT_FALSE(get(*m, I(1)).found);
  del(*m, I(1));
  EXPECT_TRUE(iterate(*m).empty());
  auto r = m->apply({OpCode::Put, I(1), 1});
  EXPECT_EQ(r.outcome, Outcome::Panic);
  EXPECT_EQ(messageText(r.message), "assignment to entry in nil map");
  // A panic is recoverable: the (nil) map is still usable for reads.
  EXPECT_FALSE(get(*m, I(1)).found);
}

TEST(Delete, EmptyingTheMapReseedsHash0) {
  auto m = made(KeyKind::Int64, 0, 42);
  put(*m, I(1), 1);
  put(*m, I(2), 2);
  del(*m, I(1));
  EXPECT_EQ(m->header().hash0, 42u);
  del(*m, I(2));
  EXPECT_NE(m->header().hash0, 42u) << "h.hash0 = fastrand() when count reaches 0 (L799)";
}

TEST(Delete, EmptyRestBackPropagatesAcrossOverflowBuckets) {
  // Pin 12 keys to bucket 0: 8 in the bucket, 4 in an overflow bmap. Deleting
  // the tail backwards turns cells into emptyRest; deleting a middle one first
  // leaves an emptyOne that the later deletes sweep up.
  auto m = made(KeyKind::Int64, 9); // B=1
  for (int i = 0; i < 12; i++) ASSERT_TRUE(m->pinHash(I(i), (uint64_t(0x80 + i) << 56) | 2));
  for (int i = 0; i < 12; i++) put(*m, I(i), i);
  std::vector<BmapView> chain;
  m->chain(false, 0, chain);
  ASSERT_EQ(chain.size(), 2u);
  del(*m, I(5));
  m->chain(false, 0, chain);
  EXPECT_EQ(chain[0].tophash[5], emptyOne);
  for (int i = 11; i >= 6; i--) del(*m, I(i));
  m->chain(false, 0, chain);
  for (int s = 5; s < 8; s++) EXPECT_EQ(chain[0].tophash[s], emptyRest) << s;
  for (int s = 0; s < 8; s++) EXPECT_EQ(chain[1].tophash[s], emptyRest) << s;
  EXPECT_EQ(chain[0].tophash[4], 0x80 + 4);
  expectInvariants(*m);
  // A new key takes the first emptyRest cell: slot 5 of the head bucket.
  ASSERT_TRUE(m->pinHash(I(100), (uint64_t(0xf0) << 56)));
  put(*m, I(100), 100);
  m->chain(false, 0, chain);
  EXPECT_EQ(chain[0].tophash[5], 0xf0);
}

TEST(Clear, KeepsBAndRebuildsThePool) {
  auto m = made(KeyKind::Int64, 100); // B=4 with a pool of 2
  for (int i = 0; i < 90; i++) put(*m, I(i), i);
  uint8_t B = m->header().B;
  ASSERT_EQ(m->apply({OpCode::Clear, {}, 0}).outcome, Outcome::Ok);
  EXPECT_EQ(m->header().count, 0);
  EXPECT_EQ(m->header().B, B);
  EXPECT_EQ(m->header().noverflow, 0);
  EXPECT_EQ(m->nextOverflowIndex(), int64_t{1} << B);
  EXPECT_FALSE(get(*m, I(5)).found);
  expectInvariants(*m);
}

// ---- growth -----------------------------------------------------------------------------

TEST(Growth, DoublingEvacuatesIncrementallyToXAndY) {
  auto m = made(KeyKind::Int64, 0, 12345);
  int n = 0;
  while (!m->growing()) put(*m, I(n), n), n++;
  // hashGrow moves nothing; the write that started it then runs growWork,
  // which evacuates at most two old buckets (its own and nevacuate's).
  EXPECT_LE(m->header().nevacuate, 2u);
  uint8_t B = m->header().B;
  int writes = 0;
  while (m->growing()) {
    put(*m, I(n), n), n++;
    writes++;
    expectInvariants(*m);
  }
  EXPECT_LE(writes, 1 << (B - 1)) << "each write evacuates at least one old bucket";
  for (int i = 0; i < n; i++) ASSERT_EQ(get(*m, I(i)).value, i);
}

TEST(Growth, SameSizeGrowWhenOverflowBucketsPileUp) {
  // Churn at a constant size: deletes leave overflow buckets sparse, noverflow
  // reaches 2^B and a same-size grow packs the chains again.
  auto m = made(KeyKind::Int64, 0, 99);
  for (int i = 0; i < 100; i++) put(*m, I(i), i);
  uint8_t B = m->header().B;
  bool sawSameSize = false;
  for (int i = 100; i < 20000 && !sawSameSize; i++) {
    del(*m, I(i - 100));
    put(*m, I(i), i);
    if (m->growing() && (m->header().flags & sameSizeGrow)) sawSameSize = true;
    expectInvariants(*m);
  }
  EXPECT_TRUE(sawSameSize);
  EXPECT_EQ(m->header().B, B);
}

TEST(Growth, LookupsDuringGrowthReadOldBuckets) {
  auto m = made(KeyKind::String, 0, 5);
  int n = 0;
  while (!m->growing()) put(*m, S(keyName("k", n)), n), n++;
  // Nothing evacuated yet: every key is found through the old bucket.
  for (int i = 0; i < n; i++) ASSERT_EQ(get(*m, S(keyName("k", i))).value, i);
  EXPECT_TRUE(m->growing()) << "reads never advance a grow";
}

// ---- concurrency checks inside one engine -----------------------------------------------

TEST(HashWriting, AWriteDuringAWriteIsFatal) {
  auto m = made(KeyKind::Int64);
  put(*m, I(1), 1);
  m->setPauseMask(~uint64_t{0});
  auto first = m->start({OpCode::Put, I(2), 2});
  // Step the first put until it has set hashWriting.
  while (first->step() && !(m->header().flags & hashWriting)) {
  }
  ASSERT_TRUE(m->header().flags & hashWriting);
  auto second = m->start({OpCode::Put, I(3), 3});
  while (second->step()) {
  }
  EXPECT_EQ(second->result().outcome, Outcome::Fatal);
  EXPECT_EQ(messageText(second->result().message), "concurrent map writes");
  auto reader = m->start({OpCode::Get, I(1), 0});
  while (reader->step()) {
  }
  EXPECT_EQ(messageText(reader->result().message), "concurrent map read and map write");
}

TEST(HashWriting, TheXorLetsASecondWriterThroughAtMemoryLevel) {
  // Both writers load flags (0) before either stores: both pass the entry
  // check and both store 0^4 = 4. The first to finish clears the bit; the
  // second's exit check then finds it clear: fatal at L686.
  auto m = made(KeyKind::Int64);
  put(*m, I(1), 1);
  EventBuffer buf;
  m->setEventBuffer(&buf);
  m->setPauseMask(~uint64_t{0});
  auto a = m->start({OpCode::Put, I(2), 2});
  auto b = m->start({OpCode::Put, I(3), 3});
  auto stepUntil = [&](OpRun& r, EventKind k) {
    while (r.step())
      if (buf[buf.size() - 1].kind == k) return true;
    return false;
  };
  ASSERT_TRUE(stepUntil(*a, EventKind::FlagsLoaded));
  ASSERT_TRUE(stepUntil(*b, EventKind::FlagsLoaded));
  ASSERT_TRUE(stepUntil(*a, EventKind::FlagsChanged));
  ASSERT_TRUE(stepUntil(*b, EventKind::FlagsChanged));
  EXPECT_EQ(m->header().flags, hashWriting);
  while (a->step()) {
  }
  EXPECT_EQ(a->result().outcome, Outcome::Ok);
  while (b->step()) {
  }
  EXPECT_EQ(b->result().outcome, Outcome::Fatal);
  EXPECT_EQ(messageText(b->result().message), "concurrent map writes");
  EXPECT_EQ(siteInfo(buf[buf.size() - 1].site).line, 686);
}

// ---- invariants checker can fail -------------------------------------------------------

TEST(Invariants, CheckerCatchesACountThatDisagreesWithTheCells) {
  auto any = AnyMap::create(KeyKind::Int64, 1);
  any->apply({OpCode::Make, {}, 0});
  for (int i = 0; i < 20; i++) any->apply({OpCode::Put, I(i), i});
  expectInvariants(*any);
  auto snap = std::any_cast<Map<Int64Key>::Snapshot>(any->snapshot());
  snap.h.count += 1;
  any->restore(snap);
  auto bad = any->checkInvariants();
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad.front().kind, InvariantKind::CountMismatch) << bad.front().text;
  EXPECT_FALSE(bad.front().where.has_value()) << "a count concerns the header, no cell";
  EXPECT_EQ(bad.front().text, "count is 21 but 20 cells are live");
}

TEST(Invariants, CheckerCatchesAKeyInTheWrongBucketAndDuplicates) {
  // Re-pinning a key's hash after it is stored strands it in the old bucket:
  // the next put of that key lands elsewhere, so the map holds it twice.
  auto m = made(KeyKind::Int64, 9); // B=1
  ASSERT_TRUE(m->pinHash(I(7), uint64_t{0xa0} << 56));     // bucket 0
  put(*m, I(7), 1);
  ASSERT_TRUE(m->pinHash(I(7), (uint64_t{0xa0} << 56) | 1)); // bucket 1
  put(*m, I(7), 2);
  auto bad = m->checkInvariants();
  ASSERT_FALSE(bad.empty());
  const InvariantFinding* wrongBucket = nullptr;
  const InvariantFinding* duplicate = nullptr;
  for (auto& b : bad) {
    if (b.kind == InvariantKind::WrongBucket) wrongBucket = &b;
    if (b.kind == InvariantKind::DuplicateKey) duplicate = &b;
  }
  ASSERT_NE(wrongBucket, nullptr);
  ASSERT_NE(duplicate, nullptr);
  // The first put stored 7 in bucket 0, cell 0; its hash now selects bucket 1,
  // where the second put stored it again, in cell 0.
  ASSERT_TRUE(wrongBucket->where.has_value());
  EXPECT_FALSE(wrongBucket->where->old);
  EXPECT_EQ(wrongBucket->where->bucket, 0u);
  EXPECT_EQ(wrongBucket->where->slot, 0);
  ASSERT_TRUE(duplicate->where.has_value());
  EXPECT_EQ(duplicate->where->bucket, 1u);
  EXPECT_EQ(duplicate->where->slot, 0);
}

// ---- stepping and snapshots ------------------------------------------------------------

// Each runtime function is one text (map_ops.inc) compiled in two forms: the
// direct one runs operations to completion (recorded or not), the resumable
// one is stepped event by event. Driven with the same operations, they must
// agree on every outcome, every result, every event and every field of state.
class BothForms : public ::testing::TestWithParam<KeyKind> {};

// Header, both bucket arrays cell by cell, their digest, and the random state.
std::string fullState(const AnyMap& m) {
  std::string out;
  appendStateFields(out, m, true, true);
  out += " rng=" + std::to_string(m.rngState());
  return out;
}

KeyValue keyOf(KeyKind kind, int n) {
  switch (kind) {
  case KeyKind::String: return S(keyName("k", n));
  case KeyKind::Float64:
    if (n % 97 == 5) return F(std::nan("")); // a new key on every put
    if (n == 0) return F(-0.0);
    return F(n * 0.5);
  default: return KeyValue::ofInt(kind, n);
  }
}

TEST_P(BothForms, DirectAndResumableAgreeOnEveryEventAndState) {
  const KeyKind kind = GetParam();
  auto direct = AnyMap::create(kind, 7);   // direct form, unrecorded
  auto recorded = AnyMap::create(kind, 7); // direct form, every event recorded
  auto stepped = AnyMap::create(kind, 7);  // resumable form, paused at every event
  EventBuffer recordedEvents, steppedEvents;
  recorded->setEventBuffer(&recordedEvents);
  stepped->setEventBuffer(&steppedEvents);
  // Twelve keys share one hash: a long overflow chain, and same-size grows
  // when deletes and inserts churn it.
  for (AnyMap* m : {direct.get(), recorded.get(), stepped.get()})
    for (int n = 1000; n < 1012; n++) m->pinHash(keyOf(kind, n), 0x5a5a5a5a00000003ull);

  std::mt19937_64 rng(static_cast<uint64_t>(kind) + 11);
  std::size_t steps = 0;
  auto apply = [&](const OpRequest& r) {
    AccessResult a0, a1;
    std::vector<KeyValue> k0, k1;
    // Drivers may call prefetchKey before ops (the script loader does, ahead
    // of time); it must leave no trace, NaN keys (which would draw fastrand)
    // included, so only one of the three maps gets it.
    if (r.code == OpCode::Put || r.code == OpCode::Get || r.code == OpCode::Del) recorded->prefetchKey(r.key);
    recorded->prefetchKey(keyOf(kind, static_cast<int>(rng() % 700)));
    const OpResult r0 = direct->apply(r, &a0, &k0);
    const OpResult r1 = recorded->apply(r, &a1, &k1);
    stepped->setPauseMask(~uint64_t{0});
    auto run = stepped->start(r);
    while (run->step()) steps++;
    stepped->setPauseMask(0);
    const OpResult r2 = run->result();
    ASSERT_EQ(r0.outcome, r1.outcome);
    ASSERT_EQ(r0.outcome, r2.outcome);
    ASSERT_EQ(r0.message, r2.message);
    if (r.code == OpCode::Get && r0.outcome == Outcome::Ok) {
      ASSERT_EQ(a0.found, a1.found);
      ASSERT_EQ(a0.found, run->access.found);
      ASSERT_EQ(a0.value, run->access.value);
    }
    if (r.code == OpCode::Iter) {
      ASSERT_EQ(k0.size(), run->keys.size());
      for (std::size_t i = 0; i < k0.size(); i++) {
        ASSERT_EQ(keyText(k0[i]), keyText(k1[i]));
        ASSERT_EQ(keyText(k0[i]), keyText(run->keys[i]));
      }
    }
    const std::string d = fullState(*direct);
    ASSERT_EQ(d, fullState(*recorded));
    ASSERT_EQ(d, fullState(*stepped));
  };

  apply({OpCode::Put, keyOf(kind, 1), 1}); // nil map: panic in both forms
  apply({OpCode::Make, {}, 0});
  for (int i = 0; i < 4000 && !HasFatalFailure(); i++) {
    const int n = static_cast<int>(rng() % 600);
    const KeyValue k = rng() % 10 == 0 ? keyOf(kind, 1000 + n % 12) : keyOf(kind, n);
    switch (rng() % 10) {
    case 0: case 1: case 2: apply({OpCode::Del, k, 0}); break;
    case 3: apply({OpCode::Get, k, 0}); break;
    default: apply({OpCode::Put, k, i}); break;
    }
    if (i % 500 == 250) apply({OpCode::Iter, {}, 0});
    if (i == 3000) apply({OpCode::Clear, {}, 0});
  }
  EXPECT_GE(direct->header().B, 6) << "the script should grow the map several times";
  EXPECT_EQ(steps, steppedEvents.size()) << "the resumable form pauses at every event it records";
  ASSERT_EQ(recordedEvents.size(), steppedEvents.size());
  EXPECT_GT(recordedEvents.size(), 40000u);
  for (std::size_t i = 0; i < recordedEvents.size(); i++) {
    const Event& x = recordedEvents[i];
    const Event& y = steppedEvents[i];
    ASSERT_TRUE(x.kind == y.kind && x.site == y.site && x.a == y.a && x.b == y.b && x.c == y.c)
        << "event " << i << ": " << eventKindName(x.kind) << " vs " << eventKindName(y.kind);
  }
  expectInvariants(*direct);
}

INSTANTIATE_TEST_SUITE_P(AllKeyKinds, BothForms,
                         ::testing::Values(KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64),
                         [](const auto& info) { return std::string(keyKindName(info.param)); });

// Arrays of 256 KiB and more are versioned after a snapshot: the live map
// copies a chunk of buckets when it first writes it and borrows the rest. Every
// snapshot of a chain must keep its state while later versions diverge,
// including across growth, and a restore followed by the same ops must give
// the same states again.
TEST(Snapshot, VersionedArraysKeepEverySnapshotIntact) {
  auto m = made(KeyKind::Int64, 0, 5);
  for (int i = 0; i < 12000; i++) put(*m, I(i * 7919), i); // B=11: 2^11 + 2^7 buckets, 313 KB
  std::mt19937_64 rng(99);
  std::vector<std::pair<OpCode, int64_t>> rounds[6];
  for (auto& round : rounds)
    for (int j = 0; j < 3000; j++)
      round.emplace_back(rng() % 3 == 0 ? OpCode::Del : OpCode::Put, static_cast<int64_t>(rng() % 40000) * 7919);
  auto play = [&](const std::vector<std::pair<OpCode, int64_t>>& round) {
    for (auto& [code, k] : round) {
      if (code == OpCode::Del) del(*m, I(k));
      else put(*m, I(k), k + 1);
    }
  };
  std::vector<std::any> snaps;
  std::vector<uint64_t> digests;
  for (auto& round : rounds) {
    snaps.push_back(m->snapshot());
    digests.push_back(stateDigest(*m));
    play(round);
    expectInvariants(*m);
  }
  digests.push_back(stateDigest(*m));
  ASSERT_GT(m->header().B, 11) << "the rounds should grow the map while it is versioned";
  // Restore in a scattered order; each restore, then the round that followed,
  // reaches the next recorded state.
  for (int i : {3, 0, 5, 1, 4, 2, 5, 0}) {
    m->restore(snaps[static_cast<std::size_t>(i)]);
    ASSERT_EQ(stateDigest(*m), digests[static_cast<std::size_t>(i)]) << "snapshot " << i;
    play(rounds[i]);
    ASSERT_EQ(stateDigest(*m), digests[static_cast<std::size_t>(i) + 1]) << "after round " << i;
    expectInvariants(*m);
  }
  // One put after a restore copies a chunk or two, not the array.
  m->restore(snaps[5]);
  put(*m, I(1), 1);
  const auto mem = m->memory();
  EXPECT_GT(mem.unsharedBytes, 0u);
  EXPECT_LT(mem.unsharedBytes, mem.arrayBytes / 16);
  // unshare() leaves nothing borrowed: every array a flat copy of its own.
  m->unshare();
  EXPECT_GE(m->memory().unsharedBytes, m->memory().arrayBytes * 9 / 10);
  const uint64_t unshared = stateDigest(*m);
  m->restore(snaps[5]);
  put(*m, I(1), 1);
  EXPECT_EQ(stateDigest(*m), unshared);
}

TEST(Snapshot, RestoreBringsBackBucketsHeaderAndRandomState) {
  auto m = made(KeyKind::String, 0, 77);
  for (int i = 0; i < 300; i++) put(*m, S(keyName("s", i)), i);
  auto snap = m->snapshot();
  uint64_t digest = stateDigest(*m);
  Hmap h = m->header();
  for (int i = 0; i < 300; i += 2) del(*m, S(keyName("s", i)));
  for (int i = 300; i < 900; i++) put(*m, S(keyName("s", i)), i);
  ASSERT_NE(stateDigest(*m), digest);
  m->restore(snap);
  EXPECT_EQ(stateDigest(*m), digest);
  EXPECT_EQ(m->header().count, h.count);
  EXPECT_EQ(m->header().B, h.B);
  expectInvariants(*m);
  // The same ops after the restore give the same map again (fastrand restored too).
  auto twin = made(KeyKind::String, 0, 77);
  for (int i = 0; i < 300; i++) put(*twin, S(keyName("s", i)), i);
  for (int i = 0; i < 300; i += 2) {
    del(*m, S(keyName("s", i)));
    del(*twin, S(keyName("s", i)));
  }
  EXPECT_EQ(stateDigest(*m), stateDigest(*twin));
}

// ---- typed events ----------------------------------------------------------------

namespace {
template <class F, std::size_t... I> void forEachKind(F&& f, std::index_sequence<I...>) {
  (f(std::integral_constant<EventKind, static_cast<EventKind>(I)>{}), ...);
}
template <class F> void forEachKind(F&& f) {
  forEachKind(std::forward<F>(f), std::make_index_sequence<static_cast<std::size_t>(EventKind::kCount)>{});
}
} // namespace

// decode is a left inverse of encode on everything encode produces: decoding
// any record, encoding that payload and decoding again gives the same payload
// (compared through its encoding), for every site and a spread of raw words.
TEST(TypedEvents, EveryPayloadSurvivesEncodeAndDecode) {
  const std::vector<Event> samples = sampleEvents();
  int checked = 0;
  forEachKind([&](auto kc) {
    constexpr EventKind K = decltype(kc)::value;
    for (const Event& e : samples) {
      if (e.kind != K) continue;
      const Payload<K> p = payloadOf<K>(e);
      const Event again = Event::of<K>(e.site, p);
      EXPECT_EQ(again.kind, K);
      EXPECT_EQ(again.site, e.site);
      EXPECT_EQ(payloadOf<K>(again).encode(), p.encode()) << eventKindName(K);
      checked++;
    }
  });
  EXPECT_EQ(checked, static_cast<int>(samples.size()));
}

TEST(TypedEvents, NamedFieldsComeBackAsWritten) {
  // A cell in an old overflow bmap, and an evacuation to Y.
  const Loc src{true, 0x12345678u, 17, 6};
  const Event ev = Event::of<Site::EvacuateCell>({.src = src,
                                                  .dstSlot = 5,
                                                  .useY = true,
                                                  .dstChain = 3,
                                                  .top = 0xab,
                                                  .log2Newbit = 9,
                                                  .hashLow = 0xdeadbeefu});
  EXPECT_EQ(ev.kind, EventKind::CellEvacuated);
  const auto p = payloadOf<EventKind::CellEvacuated>(ev);
  EXPECT_TRUE(p.src.old);
  EXPECT_EQ(p.src.bucket, 0x12345678u);
  EXPECT_EQ(p.src.chain, 17u);
  EXPECT_EQ(p.src.slot, 6u);
  EXPECT_EQ(p.dstSlot, 5u);
  EXPECT_TRUE(p.useY);
  EXPECT_EQ(p.dstChain, 3u);
  EXPECT_EQ(p.top, 0xabu);
  EXPECT_EQ(p.newbit(), 512u);
  EXPECT_EQ(p.dstBucket(), 0x12345678u + 512u);
  EXPECT_EQ(p.hashLow, 0xdeadbeefu);
  ASSERT_TRUE(cellOf(ev).has_value());
  EXPECT_EQ(cellOf(ev)->bucket, src.bucket);

  // Chains longer than the record holds are recorded as kMaxChain.
  const auto longChain =
      payloadOf<EventKind::CellEvacuated>(Event::of<Site::EvacuateCell>({.src = Loc{true, 1, 9000, 1}, .dstChain = 9000}));
  EXPECT_EQ(longChain.src.chain, kMaxChain);
  EXPECT_EQ(longChain.dstChain, kMaxChain);

  const auto h = payloadOf<EventKind::HashComputed>(
      Event::of<Site::AssignHash>({.B = 10, .top = 200, .hash = 0xfedcba9876543210u}));
  EXPECT_EQ(h.B, 10u);
  EXPECT_EQ(h.top, 200u);
  EXPECT_EQ(h.hash, 0xfedcba9876543210u);

  const auto o = payloadOf<EventKind::OverflowAllocated>(
      Event::of<Site::NewOverflow>({.bmap = Loc{false, 3, 2, 0}, .pre = 40, .noverflow = 65535, .fromPool = true}));
  EXPECT_EQ(o.bmap.chain, 2u);
  EXPECT_EQ(o.pre, 40u);
  EXPECT_EQ(o.noverflow, 65535u);
  EXPECT_TRUE(o.fromPool);

  const auto c = payloadOf<EventKind::CountChanged>(Event::of<Site::DeleteCount>({.count = -1}));
  EXPECT_EQ(c.count, -1);
  const auto v = payloadOf<EventKind::ElemRead>(Event::of<Site::AccessResult>({.cell = Loc{}, .value = INT64_MIN}));
  EXPECT_EQ(v.value, INT64_MIN);
}

TEST(TypedEvents, FatalNamesACellOnlyWhenEvacuateThrows) {
  const Event grow = Event::of<Site::HashGrowThrow>({.message = Message::OldoverflowNotNil});
  EXPECT_EQ(grow.kind, EventKind::Fatal);
  EXPECT_EQ(payloadOf<EventKind::Fatal>(grow).message, Message::OldoverflowNotNil);
  EXPECT_FALSE(cellOf(grow).has_value());

  const Event evac =
      Event::of<Site::EvacuateThrow>({.message = Message::BadMapState, .hasCell = true, .cell = Loc{true, 7, 2, 5}});
  const auto p = payloadOf<EventKind::Fatal>(evac);
  EXPECT_EQ(p.message, Message::BadMapState);
  ASSERT_TRUE(cellOf(evac).has_value());
  EXPECT_TRUE(cellOf(evac)->old);
  EXPECT_EQ(cellOf(evac)->bucket, 7u);
  EXPECT_EQ(cellOf(evac)->chain, 2u);
  EXPECT_EQ(cellOf(evac)->slot, 5u);
  // A cell whose position packs to zero words is still named (the payload has a flag for it).
  const Event zero = Event::of<Site::EvacuateThrow>({.message = Message::BadMapState, .hasCell = true, .cell = Loc{}});
  ASSERT_TRUE(cellOf(zero).has_value());
  EXPECT_EQ(payloadOf<EventKind::Fatal>(zero).message, Message::BadMapState);

  EXPECT_TRUE(thrownByRuntime(Message::BadMapState));
  EXPECT_TRUE(thrownByRuntime(Message::OldoverflowNotNil));
  EXPECT_FALSE(thrownByRuntime(Message::ConcurrentMapWrites));
}

// The two throws in map.go are two sites, each naming its own function and
// line (checked against the runtime's source when it is installed).
TEST(TypedEvents, EachThrowNamesItsOwnLineOfMapGo) {
  EXPECT_EQ(siteInfo(Site::HashGrowThrow).function, "hashGrow");
  EXPECT_EQ(siteInfo(Site::HashGrowThrow).line, 1068);
  EXPECT_EQ(siteInfo(Site::EvacuateThrow).function, "evacuate");
  EXPECT_EQ(siteInfo(Site::EvacuateThrow).line, 1185);
  std::ifstream in("/usr/share/go-1.19/src/runtime/map.go");
  if (!in) GTEST_SKIP() << "Go 1.19 source not installed";
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_GT(lines.size(), 1185u);
  EXPECT_NE(lines[1068 - 1].find("throw(\"oldoverflow is not nil\")"), std::string::npos) << lines[1068 - 1];
  EXPECT_NE(lines[1185 - 1].find("throw(\"bad map state\")"), std::string::npos) << lines[1185 - 1];
}

TEST(TypedEvents, KindTableFacts) {
  for (std::size_t i = 0; i < kKindTable.size(); i++) EXPECT_EQ(static_cast<std::size_t>(kKindTable[i].kind), i);
  // Names are unique (they are the JSON "kind").
  std::set<std::string_view> names;
  for (const KindInfo& k : kKindTable) EXPECT_TRUE(names.insert(k.name).second) << k.name;
  EXPECT_EQ(eventKindName(EventKind::OverflowAllocated), "overflow_alloc");
  EXPECT_EQ(eventKindName(EventKind::Fatal), "fatal");
  // The op ends at its return, at the end of iteration, and at a panic or fatal error.
  for (const KindInfo& k : kKindTable) {
    const bool ends = k.kind == EventKind::OpEnd || k.kind == EventKind::IterFinished || k.kind == EventKind::Panic ||
                      k.kind == EventKind::Fatal;
    EXPECT_EQ(k.endsOp, ends) << k.name;
  }
  // Every site whose event names a cell or bmap is emitted with one: the
  // recorded events of a growing, overflowing, iterated map have their Loc in
  // range of the arrays.
  Map<Int64Key> m(1);
  EventBuffer buf;
  m.setEventBuffer(&buf);
  m.make(0);
  for (int64_t i = 0; i < 300; i++) m.put(I(i * 7919), i);
  std::vector<KeyValue> keys;
  m.iterate(&keys);
  EXPECT_EQ(keys.size(), 300u);
  std::size_t located = 0;
  for (std::size_t i = 0; i < buf.size(); i++) {
    const Event& e = buf[i];
    if (!carriesCell(e.kind)) continue;
    located++;
    const Loc l = e.loc();
    EXPECT_LT(l.bucket, bucketShift(m.header().B)) << describeEvent(e);
    if (kindInfo(e.kind).cell == CellRef::Bmap) {
      EXPECT_EQ(l.slot, 0u) << describeEvent(e);
    }
  }
  EXPECT_GT(located, 300u);
}

// ---- facts declared once in the engine (call structure, footprints, helpers) ----

namespace {
std::vector<std::string> mapGoLines() {
  std::vector<std::string> lines;
  std::ifstream in("/usr/share/go-1.19/src/runtime/map.go");
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}
std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
} // namespace

// Every call of kCallTable is that call on that line of map.go, inside the
// caller's function; every function of kFunctionTable is declared there.
TEST(CallStructure, EveryCallLineIsThatCallInMapGo) {
  const auto lines = mapGoLines();
  if (lines.empty()) GTEST_SKIP() << "Go 1.19 source not installed";
  for (const CallEdge& c : kCallTable) {
    ASSERT_LT(static_cast<std::size_t>(c.line), lines.size());
    const std::string line = lines[static_cast<std::size_t>(c.line) - 1];
    EXPECT_EQ(trimmed(line), c.text) << c.caller << " -> " << c.callee << " at " << c.line;
    std::string callee(c.callee);
    callee += '(';
    EXPECT_NE(line.find(callee), std::string::npos) << line;
    // The enclosing function: the nearest "func" line above.
    std::string enclosing;
    for (int i = c.line - 1; i >= 0 && enclosing.empty(); i--)
      if (lines[static_cast<std::size_t>(i)].rfind("func ", 0) == 0) enclosing = lines[static_cast<std::size_t>(i)];
    std::string call(c.caller);
    call += '(';
    const std::size_t at = enclosing.find(call);
    EXPECT_TRUE(at != std::string::npos && at > 0 && enclosing[at - 1] == ' ')
        << c.caller << " -> " << c.callee << ": line " << c.line << " is in " << enclosing;
  }
  for (const FunctionInfo& f : kFunctionTable) {
    bool declared = false;
    for (const auto& l : lines)
      declared = declared || (l.rfind("func ", 0) == 0 && l.find(std::string(f.name).append("(")) != std::string::npos);
    EXPECT_TRUE(declared) << f.name;
  }
}

TEST(CallStructure, EntrySitesAndCallers) {
  std::set<Site> entries;
  for (std::size_t i = 0; i < kSiteTable.size(); i++)
    if (isEntrySite(static_cast<Site>(i))) entries.insert(static_cast<Site>(i));
  const std::set<Site> want = {Site::MakemapBegin,  Site::AssignBegin,   Site::AccessBegin,   Site::DeleteBegin,
                               Site::ClearBegin,    Site::IterInitBegin, Site::HashGrowBegin, Site::GrowWorkBegin,
                               Site::EvacuateBegin, Site::AdvanceMarkLoad};
  EXPECT_EQ(entries, want);
  // growWork calls evacuate twice; the first call comes first.
  ASSERT_NE(callEdge("growWork", "evacuate"), nullptr);
  EXPECT_EQ(callEdge("growWork", "evacuate")->line, 1131);
  EXPECT_EQ(callerEdge("growWork", "mapdelete")->line, 726);
  EXPECT_EQ(callerEdge("growWork", "mapassign")->line, 610);
  EXPECT_EQ(callerEdge("newoverflow", "evacuate")->line, 1225);
  EXPECT_EQ(callerEdge("newoverflow")->line, 664);
  EXPECT_FALSE(calls("mapaccess2", "growWork")); // lookups never help growing
  EXPECT_EQ(callerEdge("mapassign"), nullptr);
}

// evacuated() (L203), the hashWriting test and makemap's B (L305-321), each
// defined once in runtime_consts.hpp and used by the engine itself.
TEST(RuntimeHelpers, EvacuatedHashWritingAndMakemapB) {
  for (int x = 0; x < 256; x++) {
    const auto t = static_cast<uint8_t>(x);
    EXPECT_EQ(evacuated(t), t == evacuatedX || t == evacuatedY || t == evacuatedEmpty) << x;
    EXPECT_EQ(hashWritingSet(t), ((x >> 2) & 1) == 1) << x;
  }
  // B holds hint elements at 6.5 per bucket (8 fit in B = 0).
  const uint64_t bs = Map<Int64Key>::bucketsize;
  EXPECT_EQ(makemapB(0, bs), 0);
  EXPECT_EQ(makemapB(8, bs), 0);
  EXPECT_EQ(makemapB(9, bs), 1);
  EXPECT_EQ(makemapB(13, bs), 1);
  EXPECT_EQ(makemapB(14, bs), 2);
  EXPECT_EQ(makemapB(int64_t{13} << 9, bs), 10);
  EXPECT_EQ(makemapB((int64_t{13} << 9) + 1, bs), 11);
  EXPECT_EQ(makemapB(-1, bs), 0);                     // uintptr(-1) * size overflows: hint = 0
  EXPECT_EQ(makemapB(int64_t{1} << 62, bs), 0);       // over maxAlloc
  for (int64_t hint : {int64_t{0}, int64_t{9}, int64_t{100}, int64_t{6657}, int64_t{-5}}) {
    Map<Int64Key> m(1);
    ASSERT_EQ(m.make(hint).outcome, Outcome::Ok);
    EXPECT_EQ(m.header().B, makemapB(hint, bs)) << hint;
  }
}

// The footprint rows agree with what each site's event says happened: a store
// declares a write, a load a read (makemap's own sites excepted: the map is
// not shared before make returns). The reduction's soundness is checked
// against full enumeration in tests/concurrency (FootprintSelfCheck).
TEST(SiteFootprints, StoresWriteAndLoadsRead) {
  using K = EventKind;
  const std::set<K> stores = {K::CellWritten, K::KeyStored,     K::TophashStored,    K::CellDeleted,
                              K::EmptyRestMarked, K::KeyUpdated, K::ElemWritten,     K::CellEvacuated,
                              K::OverflowLinked, K::FlagsChanged, K::CountChanged,   K::Hash0Reseeded,
                              K::NevacuateAdvanced, K::GrowthFinished, K::OldBucketCleared, K::MapCleared};
  const std::set<K> loads = {K::FlagsLoaded, K::CountLoaded, K::NevacuateLoaded, K::TophashCompared,
                             K::KeyCompared, K::ElemRead};
  for (std::size_t i = 0; i < kSiteFootprints.size(); i++) {
    const Site s = static_cast<Site>(i);
    const SiteInfo& si = siteInfo(s);
    if (si.function == "makemap") {
      EXPECT_EQ(siteFootprint(s).reads | siteFootprint(s).writes, 0u) << si.what;
      continue;
    }
    if (stores.count(si.kind)) {
      EXPECT_NE(siteFootprint(s).writes, 0u) << si.function << ":" << si.line << " " << si.what;
    }
    if (loads.count(si.kind)) {
      EXPECT_NE(siteFootprint(s).reads, 0u) << si.function << ":" << si.line << " " << si.what;
    }
    // Ends of the program touch nothing of their own (the step conflicts with all).
    if (si.kind == K::Fatal || si.kind == K::Panic) {
      EXPECT_EQ(siteFootprint(s).reads | siteFootprint(s).writes, 0u);
    }
  }
  // Conditions resolve from the payload and the key type.
  const Event viaLookup = Event::of<Site::IterNextYield>({.cell = Loc{false, 1, 0, 2}, .viaMapaccessK = true});
  const Event direct = Event::of<Site::IterNextYield>({.cell = Loc{false, 1, 0, 2}, .viaMapaccessK = false});
  EXPECT_TRUE(resolveFootprint(viaLookup, false).reads & touch::AllChains);
  EXPECT_FALSE(resolveFootprint(direct, false).reads & touch::AllChains);
  const Event hash = Event::of<Site::AssignHash>({});
  EXPECT_FALSE(resolveFootprint(hash, false).writes & touch::Rng);
  EXPECT_TRUE(resolveFootprint(hash, true).writes & touch::Rng);
  // The subject of an event naming an old bucket by index is that bucket's head.
  const Loc sub = footprintSubject(Event::of<Site::EvacuateBegin>({.oldbucket = 3}));
  EXPECT_TRUE(sub.old);
  EXPECT_EQ(sub.bucket, 3u);
  EXPECT_EQ(sub.slot, 0);
}
