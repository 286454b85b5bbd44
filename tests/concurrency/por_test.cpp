// The reduced search (sleep sets over step footprints) against full
// enumeration: on programs small enough to enumerate every schedule, both must
// reach the same outcomes and the same final memory. A footprint that forgot a
// read or a write would make two conflicting steps look independent, and the
// reduced search would miss the schedules where they run the other way round.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "concurrency/explore.hpp"
#include "test_util.hpp"

using namespace gomap;
using namespace gomap::race;
using gomap::race::test::scenario;

namespace {

// What a finished interleaving looks like from outside: its class and the
// memory it left (digest of the bucket arrays plus the header).
using Leaf = std::tuple<std::string, uint64_t, int64_t, int, int, uint64_t>;

std::set<Leaf> leaves(const Scenario& sc, bool reduce, uint64_t* count = nullptr) {
  std::set<Leaf> out;
  ExploreOptions o;
  o.reduce = reduce;
  ExploreResult r = explore(sc, o, [&](const World& w, const std::string& cls) {
    const Hmap& h = w.map().header();
    out.emplace(cls, w.map().digest(), h.count, h.flags, h.B, h.nevacuate);
  });
  EXPECT_TRUE(r.complete);
  if (count) *count = r.interleavings;
  return out;
}

void expectSameBehaviour(const std::string& body) {
  Scenario sc = scenario(body);
  uint64_t full = 0, reduced = 0;
  auto a = leaves(sc, false, &full);
  auto b = leaves(sc, true, &reduced);
  EXPECT_EQ(a, b) << body;
  EXPECT_LE(reduced, full);
  EXPECT_GT(reduced, 0u);
}

} // namespace

TEST(PartialOrderReduction, TwoPutsStatementLevel) {
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 100 1
goroutine 1
  put 1 10
goroutine 2
  put 2 20
granularity statement
)");
}

TEST(PartialOrderReduction, SameKeyPutsOnEmptyMapStatementLevel) {
  // The first write allocates the bucket: two goroutines may both see nil.
  expectSameBehaviour(R"(
map
  make int64 0
goroutine 1
  put 7 1
goroutine 2
  put 7 2
granularity statement
)");
}

TEST(PartialOrderReduction, PutAndGetMemoryLevel) {
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 100 1
  put 2 5
goroutine 1
  put 1 10
goroutine 2
  get 2
granularity memory
)");
}

TEST(PartialOrderReduction, PutAndGetOfTheSameKeyMemoryLevel) {
  // The reader races with each store of the insert: the key (until the
  // tophash store the cell still reads as emptyRest), the tophash (then the
  // key matches but the elem is still 0), count's load and store, the elem.
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 100 1
goroutine 1
  put 1 10
goroutine 2
  get 1
granularity memory
)");
}

TEST(PartialOrderReduction, DeleteAndPutMemoryLevel) {
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 1 10
  put 2 20
goroutine 1
  del 1
goroutine 2
  put 3 30
granularity memory
)");
}

TEST(PartialOrderReduction, IterationAndDeleteStatementLevel) {
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 1 10
  put 2 20
  put 3 30
goroutine 1
  iter
goroutine 2
  del 2
granularity statement
)");
}

TEST(PartialOrderReduction, ClearAndGetStatementLevel) {
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 1 10
  put 2 20
goroutine 1
  clear
goroutine 2
  get 2
granularity statement
)");
}

TEST(PartialOrderReduction, MutexesMemoryLevel) {
  expectSameBehaviour(R"(
map
  make int64 0
goroutine 1
  lock mu
  put 1 10
  unlock mu
goroutine 2
  lock mu
  put 2 20
  unlock mu
granularity memory
)");
}

// Programs too big to enumerate: check every independence the reduced search
// relies on, by running the two steps in both orders (ExploreOptions::
// verifyIndependence), over the first few thousand interleavings.
namespace {
void expectFootprintsHold(const std::string& body, uint64_t leaves = 5000) {
  Scenario sc = scenario(body);
  ExploreOptions o;
  o.verifyIndependence = true;
  o.maxInterleavings = leaves;
  ExploreResult r = explore(sc, o);
  EXPECT_GT(r.independenceChecks, 0u);
  for (auto& v : r.independenceViolations) ADD_FAILURE() << v;
}
const char* kEightKeys = R"(
map
  make int64 0
  hashmode identity
  put 0 0
  put 1 10
  put 2 20
  put 3 30
  put 4 40
  put 5 50
  put 6 60
  put 7 70
)";
} // namespace

TEST(FootprintSelfCheck, GrowthWithTwoWritersMemoryLevel) {
  expectFootprintsHold(std::string(kEightKeys) + R"(
goroutine 1
  put 8 80
goroutine 2
  put 9 90
granularity memory
)");
}

TEST(FootprintSelfCheck, GrowthWithReaderAndIterator) {
  expectFootprintsHold(std::string(kEightKeys) + R"(
goroutine 1
  put 8 80
  put 10 100
goroutine 2
  get 3
  iter
granularity statement
)");
}

TEST(FootprintSelfCheck, StringKeysGrowthClearsOldBuckets) {
  expectFootprintsHold(R"(
map
  make string 0
  put a 1
  put b 2
  put c 3
  put d 4
  put e 5
  put f 6
  put g 7
  put h 8
goroutine 1
  put i 9
  del a
goroutine 2
  put j 10
  get b
granularity memory
)");
}

TEST(FootprintSelfCheck, DeletesBuildEmptyRestRuns) {
  expectFootprintsHold(R"(
map
  make int64 0
  hashmode identity
  put 1 1
  put 2 2
  put 3 3
  put 4 4
goroutine 1
  del 4
  del 3
goroutine 2
  del 2
  put 5 5
granularity memory
)");
}

TEST(FootprintSelfCheck, ClearRacingWithWrites) {
  expectFootprintsHold(R"(
map
  make int64 20
  put 1 1
  put 2 2
goroutine 1
  clear
  put 3 3
goroutine 2
  put 4 4
  del 1
granularity memory
)");
}

TEST(FootprintSelfCheck, ThreeGoroutines) {
  expectFootprintsHold(R"(
map
  make int64 0
  put 1 1
goroutine 1
  put 2 2
goroutine 2
  get 1
goroutine 3
  del 1
granularity memory
)");
}

TEST(FootprintSelfCheck, OverflowBucketFromThePool) {
  // B = 4, bucket 0 full: inserts take overflow buckets from the preallocated pool.
  expectFootprintsHold(R"(
map
  make int64 100
  pin 1 0x0000000000000000
  pin 2 0x0100000000000000
  pin 3 0x0200000000000000
  pin 4 0x0300000000000000
  pin 5 0x0400000000000000
  pin 6 0x0500000000000000
  pin 7 0x0600000000000000
  pin 8 0x0700000000000000
  put 1 1
  put 2 2
  put 3 3
  put 4 4
  put 5 5
  put 6 6
  put 7 7
  put 8 8
goroutine 1
  put 9 9
  get 8
goroutine 2
  del 3
  put 10 10
granularity memory
)");
}


TEST(FootprintSelfCheck, TwoOverflowLinksMemoryLevel) {
  // Lesson 9's program: both writers take an overflow bucket for the full
  // bucket 0 and link it (overflow_alloc, then overflow_linked), then store.
  expectFootprintsHold(R"(
map
  make int64 9
  hashmode identity
  put 0 0
  put 2 20
  put 4 40
  put 6 60
  put 8 80
  put 10 100
  put 12 120
  put 14 140
goroutine 1
  put 16 160
goroutine 2
  put 18 180
  get 16
granularity memory
)");
}

TEST(FootprintSelfCheck, PutAndGetOfTheSameKeyMemoryLevel) {
  // Every independence of the program above, pair by pair in both orders.
  expectFootprintsHold(R"(
map
  make int64 0
  hashmode identity
  put 100 1
goroutine 1
  put 1 10
goroutine 2
  get 1
granularity memory
)");
}

TEST(FootprintSelfCheck, LookupDuringEvacuationMemoryLevel) {
  // The lookup may select the new bucket as soon as the old one's first cell
  // is marked, and then reads the copies field by field.
  expectFootprintsHold(std::string(kEightKeys) + R"(
goroutine 1
  put 8 80
goroutine 2
  get 5
  get 7
granularity memory
)", 20000);
}

TEST(FootprintSelfCheck, IterationDuringEvacuationMemoryLevel) {
  // Lesson 10's program: each cell's evacuation is a mark and three copies,
  // and the nevacuate store follows its load; the iterator reads old cells
  // and looks marked ones up in the new table.
  expectFootprintsHold(std::string(kEightKeys) + R"(
goroutine 1
  iter
goroutine 2
  put 8 80
  put 9 90
granularity memory
)");
}

TEST(FootprintSelfCheck, FloatKeysWithNaN) {
  // Hashing NaN draws fastrand: the random state is shared by every goroutine.
  expectFootprintsHold(R"(
map
  make float64 0
  put 1.5 1
  put NaN 2
goroutine 1
  put NaN 3
  get 1.5
goroutine 2
  put -0 4
  iter
granularity memory
)");
}

TEST(PartialOrderReduction, ClearOfAMapWithAnOverflowPool) {
  // After this clear every step counts as conflicting (pool buckets are handed
  // out again while a goroutine may still hold one).
  expectSameBehaviour(R"(
map
  make int64 100
  put 1 1
  put 2 2
goroutine 1
  clear
goroutine 2
  put 4 4
granularity statement
)");
}

// An RWMutex with a reader, a writer and a second reader (issue 12): parks,
// wake-ups from readerSem and writerSem, writer preference. The reduced search
// reaches the same outcomes and final maps as full enumeration.
TEST(PartialOrderReduction, RWMutexReadersAndAWriter) {
  expectSameBehaviour(R"(
map
  make int64 0
  hashmode identity
  put 1 10
goroutine 1
  rlock rw
  runlock rw
goroutine 2
  lock rw
  put 1 11
  unlock rw
goroutine 3
  rlock rw
  rlock rw
  runlock rw
  runlock rw
granularity statement
)");
}
