// The Swiss map's engine (src/engine/swiss_*): the two forms of one text equal,
// invariants after every op, snapshots, the control-word matching, the site
// table against the real Go 1.26.11/1.27.4 sources, and spec facts derived
// from swiss-map-spec.md (not from the simulator's own output).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>

#include "engine/swiss_map.hpp"
#include "engine/swiss_model.hpp"
#include "trace/swiss_json.hpp"

using namespace gomap;
using namespace gomap::swiss;

namespace {

std::string stateText(const AnySwiss& m) {
  std::string s;
  appendSwissState(s, m);
  return s;
}

// A random op on a map of kind k, with keys from a range that makes maps grow,
// split and empty again.
SwissRequest randomRequest(std::mt19937_64& r, KeyKind k, int range) {
  SwissRequest q;
  const int p = static_cast<int>(r() % 100);
  q.code = p < 50 ? SwissOpCode::Put : p < 80 ? SwissOpCode::Del : p < 97 ? SwissOpCode::Get
           : p < 98                            ? SwissOpCode::Clear
                                               : SwissOpCode::Iter;
  const int64_t v = static_cast<int64_t>(r() % static_cast<uint64_t>(range));
  switch (k) {
  case KeyKind::Int64:
  case KeyKind::Int32: q.key = KeyValue::ofInt(k, v - range / 2); break;
  case KeyKind::Float64: q.key = KeyValue::ofFloat(v % 11 == 0 ? -0.0 : static_cast<double>(v) / 4); break;
  case KeyKind::String: {
    std::string s = std::to_string(v);
    s.append(static_cast<size_t>(v % 20), 'x');
    q.key = KeyValue::ofString(std::move(s));
    break;
  }
  }
  q.value = static_cast<int64_t>(r() % 1000);
  if (q.code == SwissOpCode::Iter) q.offsets = std::make_pair(r(), r());
  return q;
}

std::unique_ptr<AnySwiss> made(KeyKind k, Version v, int64_t hint, uint64_t rng = 7) {
  auto m = AnySwiss::create(k);
  m->setVersion(v);
  m->setRngState(rng);
  EXPECT_EQ(m->apply({SwissOpCode::Make, {}, hint, {}}).outcome, Outcome::Ok);
  return m;
}

} // namespace

TEST(SwissMatch, ControlWordMatchingIsExact) {
  std::mt19937_64 r(1);
  const uint8_t bytes[] = {0x80, 0xfe, 0x00, 0x01, 0x7f, 0x3e, 0x40};
  for (int n = 0; n < 20000; n++) {
    uint64_t ctrl = 0;
    for (int i = 0; i < 8; i++) ctrl |= uint64_t{bytes[r() % 7]} << (8 * i);
    const uint8_t h2v = static_cast<uint8_t>(r() % 128);
    uint64_t wantH2 = 0, wantEmpty = 0, wantED = 0, wantFull = 0;
    for (int i = 0; i < 8; i++) {
      const uint8_t c = static_cast<uint8_t>(ctrl >> (8 * i));
      const uint64_t bit = uint64_t{0x80} << (8 * i);
      if (c == h2v) wantH2 |= bit;
      if (c == ctrlEmpty) wantEmpty |= bit;
      if (c == ctrlEmpty || c == ctrlDeleted) wantED |= bit;
      if ((c & 0x80) == 0) wantFull |= bit;
    }
    ASSERT_EQ(matchH2(ctrl, h2v), wantH2) << std::hex << ctrl << " h2 " << int(h2v);
    ASSERT_EQ(matchEmpty(ctrl), wantEmpty);
    ASSERT_EQ(matchEmptyOrDeleted(ctrl), wantED);
    ASSERT_EQ(matchFull(ctrl), wantFull);
  }
}

TEST(SwissMatch, ProbeSequenceVisitsEveryGroupOnce) {
  for (uint64_t groups : {2u, 4u, 16u, 128u}) {
    std::vector<int> seen(groups);
    probeSeq s = probeSeq::make(0x12345 << 7, groups - 1);
    for (uint64_t i = 0; i < groups; i++, s = s.next()) seen[s.offset]++;
    for (int c : seen) EXPECT_EQ(c, 1);
  }
}

// spec 5.5: the tables a hint allocates.
TEST(SwissSpec, HintTable) {
  struct Row {
    int64_t hint;
    uint64_t tables;
    uint16_t capacity;
  };
  const Row rows[] = {{-5, 0, 0},   {0, 0, 0},     {8, 0, 0},      {9, 1, 16},    {14, 1, 16},  {15, 1, 32},
                      {28, 1, 32},  {29, 1, 64},   {56, 1, 64},    {57, 1, 128},  {112, 1, 128}, {113, 1, 256},
                      {224, 1, 256}, {225, 1, 512}, {448, 1, 512},  {449, 1, 1024}, {896, 1, 1024}, {897, 2, 512},
                      {1793, 4, 512}, {3585, 8, 512}, {7168, 8, 1024}};
  for (const Row& row : rows) {
    auto m = made(KeyKind::Int64, Version::Go127, row.hint);
    const auto tabs = m->tables();
    ASSERT_EQ(tabs.size(), row.tables) << "hint " << row.hint;
    EXPECT_EQ(m->header().dirLen, row.tables) << "hint " << row.hint;
    for (std::size_t i = 0; i < tabs.size(); i++) {
      EXPECT_EQ(tabs[i].capacity, row.capacity) << "hint " << row.hint;
      EXPECT_EQ(tabs[i].index, static_cast<int64_t>(i));
      EXPECT_EQ(tabs[i].growthLeft, row.capacity * 7 / 8);
    }
    EXPECT_FALSE(m->hasSmallGroup());
  }
}

// spec 13.5: the lifecycle of a map filled with distinct int64 keys, no hint.
TEST(SwissSpec, Lifecycle) {
  auto m = made(KeyKind::Int64, Version::Go127, 0);
  // The insert that changes the shape, and the capacity after it.
  const std::pair<int, uint16_t> grows[] = {{9, 16},  {15, 32},  {29, 64},   {57, 128},
                                            {113, 256}, {225, 512}, {449, 1024}};
  uint16_t cap = 0;
  std::size_t gi = 0;
  for (int k = 1; k <= 896; k++) {
    ASSERT_EQ(m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, k), k, {}}).outcome, Outcome::Ok);
    if (k <= 8) {
      ASSERT_TRUE(m->hasSmallGroup()) << k;
      continue;
    }
    const auto tabs = m->tables();
    ASSERT_EQ(tabs.size(), 1u) << k;
    if (gi < std::size(grows) && k == grows[gi].first) cap = grows[gi++].second;
    ASSERT_EQ(tabs[0].capacity, cap) << "after key " << k;
  }
  ASSERT_EQ(m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 897), 897, {}}).outcome, Outcome::Ok);
  const auto tabs = m->tables();
  ASSERT_EQ(tabs.size(), 2u);
  EXPECT_EQ(m->header().globalDepth, 1);
  for (const auto& t : tabs) {
    EXPECT_EQ(t.capacity, 1024);
    EXPECT_EQ(t.localDepth, 1);
  }
  EXPECT_EQ(tabs[0].used + tabs[1].used, 897);
}

// spec 6.2: an update of a full small map converts it in 1.26, not in 1.27.
TEST(SwissSpec, FullSmallMapUpdate) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = made(KeyKind::Int64, v, 0);
    for (int k = 1; k <= 8; k++) m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, k), k, {}});
    ASSERT_TRUE(m->hasSmallGroup());
    m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 3), 33, {}});
    if (v == Version::Go126) {
      ASSERT_EQ(m->tables().size(), 1u);
      EXPECT_EQ(m->tables()[0].capacity, 16);
      EXPECT_EQ(m->tables()[0].growthLeft, 6); // 14 - 8
    } else {
      EXPECT_TRUE(m->hasSmallGroup());
    }
  }
}

// spec 11.3 / 8.2: delete in a full group leaves a tombstone; in a group with an
// empty slot, empties the slot.
TEST(SwissSpec, TombstoneOnlyInFullGroups) {
  auto m = made(KeyKind::Int64, Version::Go127, 14); // one 16-slot table, 2 groups
  for (int k = 0; k < 14; k++) m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, k), k, {}});
  GroupView g;
  std::vector<std::pair<uint64_t, int>> fullSlots;
  for (uint64_t gi = 0; gi < 2; gi++) {
    m->group(0, gi, g);
    int full = 0;
    for (unsigned i = 0; i < 8; i++) full += (g.ctrlByte(i) & 0x80) == 0;
    fullSlots.emplace_back(gi, full);
  }
  // 14 keys in 2 groups: one group is full (8) or both have an empty slot.
  for (auto [gi, full] : fullSlots) {
    m->group(0, gi, g);
    unsigned slot = 0;
    while (slot < 8 && (g.ctrlByte(slot) & 0x80)) slot++;
    const KeyValue key = g.keys[slot];
    const uint16_t gl = m->tables()[0].growthLeft;
    m->apply({SwissOpCode::Del, key, 0, {}});
    m->group(0, gi, g);
    if (full == 8) {
      EXPECT_EQ(g.ctrlByte(slot), ctrlDeleted);
      EXPECT_EQ(m->tables()[0].growthLeft, gl);
      EXPECT_TRUE(m->header().tombstonePossible);
      EXPECT_EQ(g.keys[slot], key) << "an int64 key keeps its stale bytes";
    } else {
      EXPECT_EQ(g.ctrlByte(slot), ctrlEmpty);
      EXPECT_EQ(m->tables()[0].growthLeft, gl + 1);
    }
    EXPECT_EQ(g.elems[slot], 0) << "the elem is zeroed";
  }
}

// Every op keeps the invariants (spec 8.3, 7.2, used counts), for every kind and version.
TEST(SwissInvariants, RandomScripts) {
  for (KeyKind k : {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64})
    for (Version v : {Version::Go126, Version::Go127}) {
      std::mt19937_64 r(static_cast<uint64_t>(k) * 10 + static_cast<uint64_t>(v));
      auto m = made(k, v, 0);
      for (int i = 0; i < 12000; i++) {
        const SwissRequest q = randomRequest(r, k, i < 6000 ? 3000 : 400);
        ASSERT_EQ(m->apply(q).outcome, Outcome::Ok);
        const auto bad = m->checkInvariants();
        ASSERT_TRUE(bad.empty()) << keyKindName(k) << " op " << i << ": " << bad.front();
      }
    }
}

// The resumable form, paused at every event, does what the direct form does:
// the same outcome, the same events, the same memory.
TEST(SwissBothForms, SameEventsAndState) {
  for (KeyKind k : {KeyKind::Int64, KeyKind::String, KeyKind::Float64})
    for (Version v : {Version::Go126, Version::Go127}) {
      std::mt19937_64 r(42 + static_cast<uint64_t>(k));
      auto a = made(k, v, 0);
      auto b = made(k, v, 0);
      SwissEventSink ea, eb;
      a->setEventSink(&ea);
      b->setEventSink(&eb);
      b->setPauseMask(~uint64_t{0});
      for (int i = 0; i < 3000; i++) {
        const SwissRequest q = randomRequest(r, k, 1500);
        ea.clear();
        eb.clear();
        bool fa = false;
        int64_t va = 0;
        IterResult ia;
        const OpResult ra = a->apply(q, &fa, &va, &ia);
        auto run = b->start(q);
        std::size_t pauses = 0;
        while (run->step()) pauses++;
        const OpResult rb = run->result();
        ASSERT_EQ(ra.outcome, rb.outcome);
        ASSERT_EQ(ea.events.size(), eb.events.size()) << "op " << i;
        ASSERT_EQ(pauses, eb.events.size()) << "op " << i << ": one pause per event";
        for (std::size_t e = 0; e < ea.events.size(); e++)
          ASSERT_EQ(std::memcmp(&ea.events[e], &eb.events[e], sizeof(SwissEvent)), 0) << "op " << i << " event " << e;
        ASSERT_EQ(fa, run->found);
        ASSERT_EQ(va, run->value);
        ASSERT_EQ(ia.keys, run->iter.keys);
        ASSERT_EQ(stateText(*a), stateText(*b)) << "op " << i;
      }
    }
}

// A snapshot shares tables; writes after it copy them, so restoring gives back
// the memory at the snapshot, and running on from there gives what it gave before.
TEST(SwissSnapshot, RestoreGivesBackMemory) {
  std::mt19937_64 r(5);
  auto m = made(KeyKind::Int64, Version::Go127, 0);
  std::vector<SwissRequest> ops;
  for (int i = 0; i < 4000; i++) ops.push_back(randomRequest(r, KeyKind::Int64, 2500));
  std::vector<std::any> snaps;
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < ops.size(); i++) {
    if (i % 500 == 0) {
      snaps.push_back(m->snapshot());
      texts.push_back(stateText(*m));
    }
    m->apply(ops[i]);
  }
  const std::string end = stateText(*m);
  for (std::size_t s = snaps.size(); s-- > 0;) {
    m->restore(snaps[s]);
    ASSERT_EQ(stateText(*m), texts[s]) << "snapshot " << s;
  }
  m->restore(snaps[0]);
  for (const auto& q : ops) m->apply(q);
  EXPECT_EQ(stateText(*m), end);
}

// The site table's lines: on each row's line, in the real sources of both
// releases, stands the row's needle (skipped when the sources were not fetched).
TEST(SwissSites, LinesMatchTheRealSources) {
  const std::string root = GOMAPLAB_GO_SWISS_DIR;
  for (int v = 0; v < 2; v++) {
    const std::string ver = v ? "1.27" : "1.26";
    const std::string dir = root + "/go" + ver + "/usr/share/go-" + ver + "/src/";
    if (!std::ifstream(dir + "internal/runtime/maps/map.go")) GTEST_SKIP() << "no Go " << ver << " sources in " << root;
    for (std::size_t s = 1; s < static_cast<std::size_t>(SwissSite::kCount); s++) {
      const SwissSiteInfo& si = kSwissSiteTable[s];
      std::ifstream f(dir + std::string(swissFileName(si.file)));
      ASSERT_TRUE(f) << swissFileName(si.file);
      std::string line;
      const int want = v ? si.line127 : si.line126;
      for (int n = 1; n <= want && std::getline(f, line); n++) {
      }
      EXPECT_NE(line.find(std::string(si.needle)), std::string::npos)
          << "site " << s << " (" << si.function << ") go" << ver << " " << swissFileName(si.file) << ":" << want
          << " is " << line;
    }
  }
}

namespace {
// Steps run until its next event is of kind k (or it ends); true if it stopped there.
bool stepTo(SwissRun& run, SwissEventSink& sink, SwissKind k) {
  for (;;) {
    const std::size_t before = sink.events.size();
    if (!run.step()) return false;
    for (std::size_t i = before; i < sink.events.size(); i++)
      if (sink.events[i].kind == k) return true;
  }
}
std::unique_ptr<AnySwiss> recorded(Version v, SwissEventSink& sink) {
  auto m = made(KeyKind::Int64, v, 0);
  m->setEventSink(&sink);
  m->setPauseMask(~uint64_t{0});
  return m;
}
} // namespace

// spec 14.1: a second writer that starts while the first has writing set dies
// at the entry check with "concurrent map writes".
TEST(SwissRace, SecondWriterSeesWriting) {
  SwissEventSink sink;
  auto m = recorded(Version::Go127, sink);
  auto g1 = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 1), 1, {}});
  ASSERT_TRUE(stepTo(*g1, sink, SwissKind::WritingChanged)); // G1: writing ^= 1
  EXPECT_EQ(m->header().writing, 1);
  auto g2 = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 2), 2, {}});
  while (g2->step()) {
  }
  const OpResult r = g2->result();
  EXPECT_EQ(r.outcome, Outcome::Fatal);
  EXPECT_EQ(messageText(r.message), "concurrent map writes");
  EXPECT_EQ(sink.events.back().site, SwissSite::AssignEntryCheck);
  // A reader meanwhile: "concurrent map read and map write" (map not empty: add a key first).
}

// spec 14.1: two writers that both pass the entry check before either toggles
// cancel each other's XOR; the exit check of the first one then fires.
TEST(SwissRace, XorCancelsThenExitCheckFires) {
  SwissEventSink sink;
  auto m = recorded(Version::Go127, sink);
  auto g1 = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 1), 1, {}});
  auto g2 = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 2), 2, {}});
  ASSERT_TRUE(stepTo(*g1, sink, SwissKind::Hashed)); // past G1's entry check
  ASSERT_TRUE(stepTo(*g2, sink, SwissKind::Hashed)); // past G2's entry check
  ASSERT_TRUE(stepTo(*g1, sink, SwissKind::WritingChanged));
  ASSERT_TRUE(stepTo(*g2, sink, SwissKind::WritingChanged));
  EXPECT_EQ(m->header().writing, 0) << "1 ^ 1: the two toggles cancel";
  while (g1->step()) {
  }
  const OpResult r = g1->result();
  EXPECT_EQ(r.outcome, Outcome::Fatal);
  EXPECT_EQ(sink.events.back().site, SwissSite::SmallExitCheck);
}

// spec 14.1 [1.26]: two inserts into a small map holding 7 keys that both pass
// `used < 8` (their toggles cancelling): the second finds no empty slot and
// dies with Go 1.26's "small map with no empty slot (concurrent map writes?)";
// Go 1.27 grows instead.
TEST(SwissRace, SmallMapWithNoEmptySlotOnlyIn126) {
  for (Version v : {Version::Go126, Version::Go127}) {
    SwissEventSink sink;
    auto m = recorded(v, sink);
    m->setPauseMask(0);
    for (int k = 1; k <= 7; k++) m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, k), k, {}});
    m->setPauseMask(~uint64_t{0});
    auto g1 = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 100), 1, {}});
    auto g2 = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 200), 2, {}});
    ASSERT_TRUE(stepTo(*g1, sink, SwissKind::Hashed));
    ASSERT_TRUE(stepTo(*g2, sink, SwissKind::Hashed));
    ASSERT_TRUE(stepTo(*g1, sink, SwissKind::WritingChanged));
    ASSERT_TRUE(stepTo(*g2, sink, SwissKind::WritingChanged));
    ASSERT_TRUE(stepTo(*g2, sink, SwissKind::GroupProbed)); // G2 inside putSlotSmall: used was 7
    ASSERT_TRUE(stepTo(*g1, sink, SwissKind::UsedChanged)); // G1 takes the last slot: used 8
    while (g2->step()) {
    }
    const OpResult r = g2->result();
    if (v == Version::Go126) {
      EXPECT_EQ(r.outcome, Outcome::Fatal);
      EXPECT_EQ(messageText(r.message), "small map with no empty slot (concurrent map writes?)");
    } else {
      EXPECT_NE(messageText(r.message), "small map with no empty slot (concurrent map writes?)");
      EXPECT_FALSE(m->hasSmallGroup()) << "1.27 converts the full small map to a table";
    }
  }
}

// spec 14.2 and 5.6: a nil map reads as empty and panics on assignment.
TEST(SwissSpec, NilMap) {
  auto m = AnySwiss::create(KeyKind::Int64);
  m->makeNil();
  bool found = true;
  int64_t v = 5;
  EXPECT_EQ(m->apply({SwissOpCode::Get, KeyValue::ofInt(KeyKind::Int64, 1), 0, {}}, &found, &v).outcome, Outcome::Ok);
  EXPECT_FALSE(found);
  EXPECT_EQ(m->apply({SwissOpCode::Del, KeyValue::ofInt(KeyKind::Int64, 1), 0, {}}).outcome, Outcome::Ok);
  const OpResult r = m->apply({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, 1), 1, {}});
  EXPECT_EQ(r.outcome, Outcome::Panic);
  EXPECT_EQ(messageText(r.message), "assignment to entry in nil map");
}

// spec 6.1, 13.4, 19: NaN never equals itself (two inserts, two entries, never
// found, never deleted, survives growth); -0 and +0 are one key whose stored
// bits the later put rewrites (NeedKeyUpdate).
TEST(SwissSpec, NaNAndSignedZero) {
  auto m = made(KeyKind::Float64, Version::Go127, 0);
  const double nan = std::nan("");
  m->apply({SwissOpCode::Put, KeyValue::ofFloat(nan), 1, {}});
  m->apply({SwissOpCode::Put, KeyValue::ofFloat(nan), 2, {}});
  EXPECT_EQ(m->header().used, 2u);
  bool found = true;
  int64_t v = 0;
  m->apply({SwissOpCode::Get, KeyValue::ofFloat(nan), 0, {}}, &found, &v);
  EXPECT_FALSE(found);
  m->apply({SwissOpCode::Del, KeyValue::ofFloat(nan), 0, {}});
  EXPECT_EQ(m->header().used, 2u);
  for (int k = 1; k <= 40; k++) m->apply({SwissOpCode::Put, KeyValue::ofFloat(k), k, {}}); // grows twice
  EXPECT_EQ(m->header().used, 42u);
  EXPECT_TRUE(m->checkInvariants().empty());
  int nans = 0;
  for (const auto& [k, val] : m->entries()) nans += k.f != k.f;
  EXPECT_EQ(nans, 2);

  auto z = made(KeyKind::Float64, Version::Go127, 0);
  z->apply({SwissOpCode::Put, KeyValue::ofFloat(-0.0), 1, {}});
  z->apply({SwissOpCode::Put, KeyValue::ofFloat(0.0), 2, {}});
  EXPECT_EQ(z->header().used, 1u);
  const auto e = z->entries();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_FALSE(std::signbit(e[0].first.f)) << "the key's bits are +0 now";
  EXPECT_EQ(e[0].second, 2);
}

// ---- the lookahead's prefetch and the table-header pool (docs/performance.md) ----
namespace {

// Everything a map holds, byte for byte: the header, the generator, the small
// group and every table's fields and groups, and the string pool's size.
template <class KT> std::string rawState(const SwissMap<KT>& m) {
  std::string s;
  auto put = [&](const void* p, std::size_t n) { s.append(static_cast<const char*>(p), n); };
  const Header& h = m.header();
  put(&h.used, 8), put(&h.seed, 8), put(&h.dirLen, 8), put(&h.globalDepth, 1), put(&h.globalShift, 1);
  put(&h.writing, 1), put(&h.tombstonePossible, 1), put(&h.clearSeq, 8);
  const uint64_t rng = m.rngState();
  put(&rng, 8);
  if (const auto* g = m.smallGroup()) put(g, sizeof *g);
  for (const auto* t : m.tables()) {
    put(&t->used, 2), put(&t->capacity, 2), put(&t->growthLeft, 2), put(&t->localDepth, 1), put(&t->index, 8);
    put(t->groups.data(), t->groups.size() * sizeof(t->groups[0]));
  }
  s += '|';
  s += std::to_string(m.strings().bytes());
  return s;
}

template <class KT> KeyValue randomKey(std::mt19937_64& r, int range) {
  const int64_t v = static_cast<int64_t>(r() % static_cast<uint64_t>(range)) - range / 2;
  if constexpr (KT::kind == KeyKind::Int64) // spread over the top bits, for the identity hash too
    return KeyValue::ofInt(KT::kind, static_cast<int64_t>(static_cast<uint64_t>(v) * 0x9E3779B97F4A7C15ULL));
  if constexpr (KT::kind == KeyKind::Float64) {
    if (v % 37 == 0) return KeyValue::ofFloat(std::nan(""));
    return KeyValue::ofFloat(v % 11 == 0 ? -0.0 : static_cast<double>(v) / 4);
  } else if constexpr (KT::kind == KeyKind::String) {
    std::string s = "k";
    s += std::to_string(v);
    s.append(static_cast<size_t>(v & 15), 'x');
    return KeyValue::ofString(std::move(s));
  } else {
    return KeyValue::ofInt(KT::kind, v);
  }
}

// Two maps run the same ops; one is asked to prefetch keys (present, absent,
// never interned, NaN) before every op. Events and memory stay the same.
template <class KT> void prefetchChangesNothing(HashMode mode) {
  std::mt19937_64 r(11 + static_cast<uint64_t>(KT::kind));
  SwissMap<KT> a, b;
  for (auto* m : {&a, &b}) {
    m->setHashMode(mode);
    m->setRngState(3);
    m->make(0);
  }
  SwissEventSink ea, eb;
  a.setEventBuffer(&ea);
  b.setEventBuffer(&eb);
  uint64_t maxDir = 0;
  for (int i = 0; i < 16000; i++) {
    for (int range : {3000, 3000, 100000}) b.prefetchKey(randomKey<KT>(r, range));
    const KeyValue k = randomKey<KT>(r, 3000);
    const int p = static_cast<int>(r() % 1000);
    if (i == 12000) a.clear(), b.clear();
    else if (p < 600) a.put(k, i), b.put(k, i);
    else if (p < 800) a.del(k), b.del(k);
    else {
      bool fa = false, fb = false;
      int64_t va = 0, vb = 0;
      a.get(k, fa, va), b.get(k, fb, vb);
      ASSERT_EQ(fa, fb);
      ASSERT_EQ(va, vb);
    }
    ASSERT_EQ(ea.events.size(), eb.events.size()) << "op " << i;
    ASSERT_EQ(0, std::memcmp(ea.events.data(), eb.events.data(), ea.events.size() * sizeof(SwissEvent))) << "op " << i;
    if (i % 16 == 0 || i > 15900) {
      ASSERT_EQ(rawState(a), rawState(b)) << keyKindName(KT::kind) << " op " << i;
    }
    ea.clear(), eb.clear();
    maxDir = std::max(maxDir, a.header().dirLen);
  }
  EXPECT_GT(maxDir, 1u) << "the script should reach a directory of several tables";
}

} // namespace

TEST(SwissPrefetch, ChangesNoEventNoByteNoDraw) {
  prefetchChangesNothing<Int64Key>(HashMode::Go);
  prefetchChangesNothing<Int32Key>(HashMode::Go);
  prefetchChangesNothing<StringKey>(HashMode::Go);
  prefetchChangesNothing<Float64Key>(HashMode::Go);
  // The identity hash puts small keys' top bits alike (a directory cannot
  // split them apart); the int64 keys above are spread, so it is used there.
  prefetchChangesNothing<Int64Key>(HashMode::Identity);
}

// peekHash is the hash the op will compute (else the prefetch requests the
// wrong group): equal to hashOf for every key kind and both hash modes, with
// a seed; false for NaN only.
TEST(SwissPrefetch, PeekHashIsTheOpsHash) {
  auto check = [](auto& m) {
    using M = std::remove_reference_t<decltype(m)>;
    std::mt19937_64 r(99);
    for (HashMode mode : {HashMode::Go, HashMode::Identity}) {
      m.setHashMode(mode);
      m.setSeed(0x9e3779b97f4a7c15ULL);
      for (int i = 0; i < 2000; i++) {
        KeyValue k;
        if constexpr (std::is_same_v<M, SwissMap<Int64Key>>) k = KeyValue::ofInt(KeyKind::Int64, static_cast<int64_t>(r()));
        else if constexpr (std::is_same_v<M, SwissMap<Int32Key>>) k = KeyValue::ofInt(KeyKind::Int32, static_cast<int32_t>(r()));
        else if constexpr (std::is_same_v<M, SwissMap<Float64Key>>) {
          const double fs[] = {0.0, -0.0, 1.5, -1e300, 5e-324, std::numeric_limits<double>::infinity()};
          k = KeyValue::ofFloat(i < 6 ? fs[i] : std::ldexp(static_cast<double>(r() >> 11), static_cast<int>(r() % 200) - 100));
        } else {
          std::string s(static_cast<size_t>(r() % 70), static_cast<char>('a' + i % 26));
          s += std::to_string(r());
          k = KeyValue::ofString(i == 0 ? std::string() : std::move(s));
        }
        uint64_t h = 0;
        ASSERT_TRUE(m.peekHash(k, h));
        ASSERT_EQ(h, m.hashOf(k)) << keyKindName(k.kind) << " key " << i;
      }
    }
  };
  SwissMap<Int64Key> a;
  SwissMap<Int32Key> b;
  SwissMap<StringKey> c;
  SwissMap<Float64Key> d;
  check(a), check(b), check(c), check(d);
  uint64_t h = 0;
  const uint64_t rng = d.rngState();
  EXPECT_FALSE(d.peekHash(KeyValue::ofFloat(std::nan("")), h));
  EXPECT_EQ(d.rngState(), rng) << "a NaN's hash is a draw: peekHash must not make it";
}

// Table headers come from the dense pool: each one lies in one cache line of
// a 64-byte block, the blocks are given back when the last map or snapshot
// holding a table lets it go, and a snapshot's copies come from the pool too.
TEST(SwissTablePool, HeadersAreDenseAndGivenBack) {
  const std::size_t before = table_pool::blocksInUse();
  {
    SwissMap<Int64Key> m;
    m.setRngState(1);
    m.make(0);
    for (int64_t i = 0; i < 20000; i++) m.put(KeyValue::ofInt(KeyKind::Int64, i * 7919), i);
    const auto tables = m.tables();
    ASSERT_GT(tables.size(), 16u);
    EXPECT_EQ(table_pool::blocksInUse() - before, tables.size());
    std::set<uintptr_t> pages;
    for (const auto* t : tables) {
      const auto p = reinterpret_cast<uintptr_t>(t);
      EXPECT_EQ(p / 64, (p + sizeof(*t) - 1) / 64) << "a header crosses a cache line";
      pages.insert(p / 4096);
    }
    // Dense: many headers to a page (from the heap, each full table's header
    // would sit next to its own 17 KiB of groups, one to a page).
    EXPECT_LT(pages.size() * 2, tables.size()) << pages.size() << " pages for " << tables.size() << " headers";

    auto snap = m.snapshot();
    for (int64_t i = 0; i < 20000; i += 97) m.del(KeyValue::ofInt(KeyKind::Int64, i * 7919)); // copies tables
    EXPECT_GT(table_pool::blocksInUse() - before, tables.size()) << "copy-on-write tables come from the pool";
    m.restore(snap);
    EXPECT_TRUE(m.checkInvariants().empty());
    EXPECT_EQ(m.header().used, 20000u);
  }
  EXPECT_EQ(table_pool::blocksInUse(), before);
}

TEST(SwissGroupPool, LargeGroupArraysComeFromSlabsAndAreGivenBack) {
  const std::size_t arrays0 = group_pool::arraysInUse(), slabs0 = group_pool::slabsInUse();
  {
    SwissMap<Int64Key> m;
    m.setRngState(1);
    m.make(0);
    for (int64_t i = 0; i < 20000; i++) m.put(KeyValue::ofInt(KeyKind::Int64, i * 7919), i);
    const auto tables = m.tables();
    ASSERT_GT(tables.size(), 16u);
    std::size_t pooled = 0;
    for (const auto* t : tables) {
      const std::size_t bytes = t->groups.size() * sizeof(Group<Int64Key>);
      EXPECT_EQ(group_pool::inSlab(t->groups.data()), group_pool::pooled(bytes)) << bytes << " bytes";
      if (group_pool::pooled(bytes)) {
        pooled++;
        EXPECT_EQ(reinterpret_cast<uintptr_t>(t->groups.data()) % 64, 0u);
      }
    }
    ASSERT_GT(pooled, 16u) << "full tables (128 groups, 17 KiB) are pooled";
    EXPECT_EQ(group_pool::arraysInUse() - arrays0, pooled);
    // 120 full tables' groups to a 2 MiB slab.
    EXPECT_LE(group_pool::slabsInUse() - slabs0, pooled / 100 + 2);

    // Copy-on-write: a snapshot shares the tables; writes copy them (into the pool).
    auto snap = m.snapshot();
    for (int64_t i = 0; i < 20000; i += 97) m.del(KeyValue::ofInt(KeyKind::Int64, i * 7919));
    EXPECT_GT(group_pool::arraysInUse() - arrays0, pooled);
    bool found = false;
    int64_t v = 0;
    m.get(KeyValue::ofInt(KeyKind::Int64, 0), found, v);
    EXPECT_FALSE(found);
    m.restore(snap);
    EXPECT_TRUE(m.checkInvariants().empty());
    EXPECT_EQ(m.header().used, 20000u);
    for (int64_t i = 0; i < 20000; i += 997) {
      m.get(KeyValue::ofInt(KeyKind::Int64, i * 7919), found, v);
      EXPECT_TRUE(found);
      EXPECT_EQ(v, i);
    }
  }
  EXPECT_EQ(group_pool::arraysInUse(), arrays0);
  EXPECT_EQ(group_pool::slabsInUse(), slabs0) << "every slab given back";
}

TEST(SwissGroupPool, ArraysAreReusedAndSlabsFreedWhenEmpty) {
  const std::size_t slabs0 = group_pool::slabsInUse();
  constexpr std::size_t kBytes = 17408; // 128 groups of int64 keys
  const std::size_t perSlab = group_pool::kSlab / kBytes;
  std::vector<char*> a;
  for (std::size_t i = 0; i < 3 * perSlab; i++) {
    a.push_back(static_cast<char*>(group_pool::allocate(kBytes)));
    std::memset(a.back(), static_cast<int>(i), kBytes); // every byte is the caller's
  }
  EXPECT_EQ(group_pool::slabsInUse() - slabs0, 3u);
  std::set<char*> distinct(a.begin(), a.end());
  EXPECT_EQ(distinct.size(), a.size());
  for (std::size_t i = 1; i < a.size(); i++) // no two arrays overlap
    EXPECT_GE(static_cast<std::size_t>(std::abs(a[i] - a[i - 1])), kBytes);
  // A freed array is handed out again.
  char* freed = a[5];
  group_pool::deallocate(freed, kBytes);
  a[5] = static_cast<char*>(group_pool::allocate(kBytes));
  EXPECT_EQ(a[5], freed);
  EXPECT_EQ(group_pool::slabsInUse() - slabs0, 3u);
  // Freed in a scrambled order: the slabs go back as they empty.
  std::mt19937 rng(5);
  std::shuffle(a.begin(), a.end(), rng);
  for (std::size_t i = 0; i < a.size(); i++) {
    EXPECT_TRUE(group_pool::inSlab(a[i]));
    group_pool::deallocate(a[i], kBytes);
  }
  EXPECT_EQ(group_pool::slabsInUse(), slabs0);
  EXPECT_FALSE(group_pool::pooled(4095));
  EXPECT_TRUE(group_pool::pooled(4096));
}

// The sink's own store (SwissEventLog): what push wrote is what every reader
// reads, across refills, copies, moves, clear, reserve and shrink_to_fit, and
// a recorded op gives the same records as the classic vector would (the words
// of SwissEvent::of, field by field).
TEST(SwissEventLog, ReadsWhatWasPushedAcrossRefillsCopiesAndShrinks) {
  auto rec = [](uint64_t i) {
    return SwissEvent{static_cast<SwissKind>(i % static_cast<uint64_t>(SwissKind::kCount)),
                      static_cast<SwissSite>(i % static_cast<uint64_t>(SwissSite::kCount)),
                      static_cast<uint16_t>(i * 7), static_cast<uint32_t>(i * 0x9E3779B1u), i * 0x9E3779B97F4A7C15ULL};
  };
  auto same = [](const SwissEvent& a, const SwissEvent& b) {
    return a.kind == b.kind && a.site == b.site && a.a == b.a && a.b == b.b && a.c == b.c;
  };
  SwissEventSink sink;
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(sink.events.begin(), sink.events.end());
  constexpr uint64_t kN = 3 * 4096 + 17; // three refills past the first block
  for (uint64_t i = 0; i < kN; i++) {
    sink.push(rec(i));
    ASSERT_EQ(sink.events.size(), i + 1);
    ASSERT_TRUE(same(sink.events.back(), rec(i))) << i; // read right after its push
  }
  EXPECT_GE(sink.events.capacity(), kN);
  for (uint64_t i = 0; i < kN; i++) ASSERT_TRUE(same(sink.events[i], rec(i))) << i;
  EXPECT_TRUE(same(sink.events.front(), rec(0)));
  EXPECT_EQ(sink.events.end() - sink.events.begin(), static_cast<std::ptrdiff_t>(kN));

  const SwissEventLog copy = sink.events;
  const std::vector<SwissEvent> asVector = sink.events;
  ASSERT_EQ(copy.size(), kN);
  ASSERT_EQ(asVector.size(), kN);
  EXPECT_EQ(0, std::memcmp(copy.data(), sink.events.data(), kN * sizeof(SwissEvent)));
  EXPECT_EQ(0, std::memcmp(asVector.data(), sink.events.data(), kN * sizeof(SwissEvent)));

  sink.events.shrink_to_fit();
  EXPECT_EQ(sink.events.capacity(), kN);
  for (uint64_t i = 0; i < kN; i++) ASSERT_TRUE(same(sink.events[i], rec(i))) << i;
  sink.push(rec(kN)); // full after the shrink: one refill
  EXPECT_EQ(sink.events.size(), kN + 1);
  EXPECT_TRUE(same(sink.events.back(), rec(kN)));
  EXPECT_TRUE(same(sink.events[kN - 1], rec(kN - 1)));

  SwissEventLog moved = std::move(sink.events);
  EXPECT_EQ(moved.size(), kN + 1);
  EXPECT_TRUE(sink.events.empty());
  sink.push(rec(5)); // a moved-from sink records again
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(same(sink.events[0], rec(5)));

  const std::size_t cap = moved.capacity();
  moved.clear(); // keeps the memory
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(moved.capacity(), cap);
  moved = copy; // copy-assign into an existing block
  ASSERT_EQ(moved.size(), kN);
  EXPECT_EQ(0, std::memcmp(moved.data(), copy.data(), kN * sizeof(SwissEvent)));
  moved.reserve(4 * kN);
  EXPECT_GE(moved.capacity(), 4 * kN);
  EXPECT_EQ(0, std::memcmp(moved.data(), copy.data(), kN * sizeof(SwissEvent)));
  moved.clear();
  moved.shrink_to_fit(); // gives the memory back
  EXPECT_EQ(moved.capacity(), 0u);
  EXPECT_EQ(moved.data(), nullptr);

  // A recorded insert: the records are SwissEvent::of's, field by field.
  SwissMap<Int64Key> m;
  SwissEventSink s2;
  m.setEventBuffer(&s2);
  m.make(0);
  const std::size_t before = s2.events.size();
  m.put(KeyValue::ofInt(KeyKind::Int64, 42), 7);
  ASSERT_GT(s2.events.size(), before);
  EXPECT_EQ(s2.events[before].kind, SwissKind::OpBegin);
  EXPECT_EQ(s2.events[before].site, SwissSite::AssignBegin);
  EXPECT_EQ(s2.events.back().kind, SwissKind::OpEnd);
  const auto w = swissPayloadOf<SwissKind::ElemWritten>(*std::find_if(
      s2.events.begin(), s2.events.end(), [](const SwissEvent& e) { return e.kind == SwissKind::ElemWritten; }));
  EXPECT_EQ(w.value, 7);
  m.setEventBuffer(nullptr);
}

// The records that keep what the runtime read instead of what it derived
// from it: GroupProbed keeps the control word and H2 and computes the match,
// empty and tombstone bitsets when read; Hashed keeps globalShift and
// computes the directory index; WritingChanged keeps the new value. Checked
// here against the control bytes' meaning byte by byte (0x80 empty, 0xfe
// tombstone, 0-0x7f a full slot's H2) and against shifts done by hand, for
// the largest group, probe and H2 values a table can have.
TEST(SwissEvents, RecordsThatKeepWhatWasReadDecodeToWhatTheRuntimeDerives) {
  std::mt19937_64 rng(11);
  const uint8_t bytes[] = {0x80, 0xfe, 0x00, 0x01, 0x3c, 0x7e, 0x7f};
  for (int n = 0; n < 20000; n++) {
    uint64_t ctrl = 0;
    for (int i = 0; i < 8; i++) ctrl |= uint64_t{bytes[rng() % std::size(bytes)]} << (8 * i);
    const uint8_t h2v = static_cast<uint8_t>(rng() % 128);
    const SwissLoc group{static_cast<uint16_t>(rng() % 2 ? SwissLoc::kSmall : rng() % 4096),
                         static_cast<uint32_t>(rng() % (maxTableCapacity / MapGroupSlots)), 0};
    const uint16_t probe = static_cast<uint16_t>(rng() % (maxTableCapacity / MapGroupSlots));
    const SwissEvent e =
        SwissEvent::of<SwissSite::AssignProbe>({.group = group, .probe = probe, .ctrl = ctrl, .h2 = h2v});
    const auto p = swissPayloadOf<SwissKind::GroupProbed>(e);
    uint8_t match = 0, empty = 0, deleted = 0;
    for (int i = 0; i < 8; i++) {
      const uint8_t b = static_cast<uint8_t>(ctrl >> (8 * i));
      if (b == h2v) match |= static_cast<uint8_t>(1u << i);
      if (b == 0x80) empty |= static_cast<uint8_t>(1u << i);
      if (b == 0xfe) deleted |= static_cast<uint8_t>(1u << i);
    }
    ASSERT_EQ(p.match(), match) << std::hex << ctrl << " h2 " << int{h2v};
    ASSERT_EQ(p.empty(), empty) << std::hex << ctrl;
    ASSERT_EQ(p.deleted(), deleted) << std::hex << ctrl;
    ASSERT_EQ(p.group, group);
    ASSERT_EQ(swissLocOfEvent(e), group);
    ASSERT_EQ(p.probe, probe);
    ASSERT_EQ(p.ctrl, ctrl);
    ASSERT_EQ(p.h2, h2v);
  }
  for (uint8_t to : {0, 1}) {
    const auto p = swissPayloadOf<SwissKind::WritingChanged>(SwissEvent::of<SwissSite::AssignWritingSet>({.to = to}));
    EXPECT_EQ(p.to, to);
    EXPECT_EQ(p.from(), to ^ 1);
  }
  const uint64_t hash = 0xead7abcd671672e7ULL;
  for (unsigned depth = 0; depth <= 12; depth++) {
    const uint8_t shift = static_cast<uint8_t>(64 - depth);
    const auto p = swissPayloadOf<SwissKind::Hashed>(
        SwissEvent::of<SwissSite::AssignHash>({.hash = hash, .globalShift = shift, .small = false}));
    EXPECT_EQ(p.dirIndex(), depth == 0 ? 0u : static_cast<uint32_t>(hash >> (64 - depth))) << depth;
    EXPECT_EQ(p.hash, hash);
  }
  // A small map's globalShift is 0 (NewMap leaves it): no directory index.
  EXPECT_EQ(swissPayloadOf<SwissKind::Hashed>(
                SwissEvent::of<SwissSite::AssignHash>({.hash = hash, .globalShift = 0, .small = true}))
                .dirIndex(),
            0u);
}

// The tables a rehash fills are visible while it fills them (the views draw
// them): at every SlotMoved pause, the new table (the right one of a split
// for a move to the right) holds the moved key and elem at the event's
// destination, with the old slot's H2 in its control byte, and has exactly
// the slots moved into it so far; the directory still has the old table (its
// tables' used counts still add up to the map's). Once the op has ended there
// is none. Covers growToTable (small to 16 slots), grows and the splits of
// 1024-slot tables.
TEST(SwissBuildingTables, EveryMovedSlotIsInTheTableBeingBuilt) {
  auto m = made(KeyKind::Int64, Version::Go127, 0);
  SwissEventSink sink;
  m->setEventSink(&sink);
  m->setPauseMask(uint64_t{1} << static_cast<unsigned>(SwissKind::SlotMoved));
  TableInfo none;
  EXPECT_FALSE(m->buildingTable(false, none));
  std::size_t moves = 0, toRight = 0, fromSmall = 0;
  for (int64_t k = 0; k < 3000; k++) {
    auto run = m->start({SwissOpCode::Put, KeyValue::ofInt(KeyKind::Int64, k * 7919), k, {}});
    uint16_t into[2] = {0, 0}; // slots moved into each new table by this op
    while (run->step()) {
      const SwissEvent& e = sink.events.back();
      ASSERT_EQ(e.kind, SwissKind::SlotMoved);
      const auto p = swissPayloadOf<SwissKind::SlotMoved>(e);
      GroupView from;
      uint64_t usedInDir = 0;
      if (p.from.table == SwissLoc::kSmall) {
        m->smallGroup(from);
        fromSmall++;
        usedInDir = m->header().used;
      } else {
        const auto pos = m->directoryPositions();
        ASSERT_LT(p.from.table, pos.size());
        m->group(pos[p.from.table], p.from.group, from);
        for (const TableInfo& d : m->tables()) usedInDir += d.used;
      }
      EXPECT_EQ(usedInDir, m->header().used) << "key " << k << ": the directory still has the old table";
      TableInfo t;
      ASSERT_TRUE(m->buildingTable(p.right, t)) << "key " << k;
      EXPECT_EQ(t.used, ++into[p.right ? 1 : 0]) << "key " << k;
      ASSERT_LT(p.toGroup, t.groups);
      GroupView to;
      m->buildingGroup(p.right, p.toGroup, to);
      EXPECT_EQ(to.keys[p.toSlot], from.keys[p.from.slot]) << "key " << k;
      EXPECT_EQ(to.elems[p.toSlot], from.elems[p.from.slot]) << "key " << k;
      EXPECT_EQ(to.ctrlByte(p.toSlot), from.ctrlByte(p.from.slot)) << "key " << k << ": the same H2";
      moves++;
      toRight += p.right;
      sink.clear();
    }
    ASSERT_EQ(run->result().outcome, Outcome::Ok);
    sink.clear();
    EXPECT_FALSE(m->buildingTable(false, none)) << "key " << k;
    EXPECT_FALSE(m->buildingTable(true, none)) << "key " << k;
  }
  EXPECT_EQ(fromSmall, 8u) << "growToTable moves the small group's 8 keys";
  EXPECT_GT(toRight, 0u) << "3000 keys split tables";
  EXPECT_GT(moves, 3000u);
}
