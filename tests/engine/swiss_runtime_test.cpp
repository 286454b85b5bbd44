// The Go runtime's own map tests, transcribed where they state an expectation
// the Swiss model can check (issue 13, section 3). Sources, at go1.27.4:
//   internal/runtime/maps/map_test.go, fuzz_test.go  (package maps_test)
//   runtime/map_test.go                              (package runtime_test)
// Each TEST names the Go file and function it transcribes and the expectation
// it carries over. The expected values are the Go tests' own, never the
// model's output. docs/swiss-runtime-tests.md lists every Go test function of
// those files: transcribed here, or not applicable and why.
//
// Type mapping: the model has the key kinds int64, int32, string and float64,
// and int64 elems. A Go test on map[uint32]uint64 (maps_test's NewTestMap)
// runs here on map[int32]int64: the same 16-byte slot and the same fast32
// rule (Map.PutSlot follows the fast rule, swiss-map-spec 10.1). map[int]T
// runs on map[int64]int64, bool elems as 0/1. The internal tests' Map.Put,
// Map.Get, Map.Delete, Map.Clear and Iter are the model's put, get, del,
// clear and iter.
//
// A `for k, v := range m { ... }` whose body writes to the map runs on the
// resumable form: the iter op is started and paused at each yielded pair
// (SwissKind::IterYielded), and the body's writes run between two pauses, as
// they run between two calls of Iter.Next in Go.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/swiss_model.hpp"

using namespace gomap;
using namespace gomap::swiss;

namespace {

KeyValue i32(int64_t v) { return KeyValue::ofInt(KeyKind::Int32, v); }
KeyValue i64(int64_t v) { return KeyValue::ofInt(KeyKind::Int64, v); }
KeyValue f64(double v) { return KeyValue::ofFloat(v); }
KeyValue str(std::string v) { return KeyValue::ofString(std::move(v)); }
bool isNaN(const KeyValue& k) { return k.kind == KeyKind::Float64 && k.f != k.f; }

// make(map[K]int64, hint): NewMap(hint), the runtime's version and generator.
std::unique_ptr<AnySwiss> newMap(KeyKind k, int64_t hint, Version v = Version::Go127, uint64_t rng = 1) {
  auto m = AnySwiss::create(k);
  m->setVersion(v);
  m->setRngState(rng);
  EXPECT_EQ(m->apply({SwissOpCode::Make, {}, hint, {}}).outcome, Outcome::Ok);
  return m;
}

// Every op below is followed by the invariant checker (spec 8.3, 7.2, used
// counts, growthLeft arithmetic), as issue 13 asks of the tests.
void checked(AnySwiss& m, const SwissRequest& q, const char* what) {
  const OpResult r = m.apply(q);
  EXPECT_EQ(r.outcome, Outcome::Ok) << what << ": " << messageText(r.message);
  const auto bad = m.checkInvariants();
  EXPECT_TRUE(bad.empty()) << "after " << what << ": " << bad.front();
}
void put(AnySwiss& m, const KeyValue& k, int64_t v) { checked(m, {SwissOpCode::Put, k, v, {}}, "put"); }
void del(AnySwiss& m, const KeyValue& k) { checked(m, {SwissOpCode::Del, k, 0, {}}, "del"); }
void clearMap(AnySwiss& m) { checked(m, {SwissOpCode::Clear, {}, 0, {}}, "clear"); }
// v, ok := m[k]
std::optional<int64_t> get(AnySwiss& m, const KeyValue& k) {
  bool found = false;
  int64_t v = 0;
  EXPECT_EQ(m.apply({SwissOpCode::Get, k, 0, {}}, &found, &v).outcome, Outcome::Ok);
  if (!found) return std::nullopt;
  return v;
}
// m[k] (the zero value when absent)
int64_t at(AnySwiss& m, const KeyValue& k) { return get(m, k).value_or(0); }

// One whole `for k, v := range m` with no writes in the body: the iter op,
// offsets drawn from the map's generator as Iter.Init draws them.
IterResult iterate(AnySwiss& m) {
  IterResult it;
  EXPECT_EQ(m.apply({SwissOpCode::Iter, {}, 0, {}}, nullptr, nullptr, &it).outcome, Outcome::Ok);
  return it;
}

// `for k, v := range m { body(k, v) }`, body returning false for `break`; the
// body may write to the map between two Next calls (see the file comment).
void rangeOver(AnySwiss& m, const std::function<bool(const KeyValue&, int64_t)>& body) {
  m.setPauseMask(uint64_t{1} << static_cast<unsigned>(SwissKind::IterYielded));
  auto run = m.start({SwissOpCode::Iter, {}, 0, {}});
  std::size_t seen = 0;
  bool more = true;
  while (more && run->step()) {
    while (more && seen < run->iter.keys.size()) {
      const KeyValue k = run->iter.keys[seen];
      const int64_t v = run->iter.vals[seen];
      seen++;
      m.setPauseMask(0);
      more = body(k, v);
      m.setPauseMask(uint64_t{1} << static_cast<unsigned>(SwissKind::IterYielded));
    }
  }
  m.setPauseMask(0);
  if (more) {
    EXPECT_EQ(run->result().outcome, Outcome::Ok);
  }
}

// `m[k] op= x` compiles to one mapassign and an update of the elem it returns
// (walk/order.go; `/` and `%` become m[k] = m[k] op x, a lookup and an
// assign). For a key not in the map, the elem read is whatever the chosen
// slot holds, which the runtime keeps zeroed (delete and clear zero it: issue
// 25936). The model's put writes the elem itself, so the read half is taken
// from memory: put the key once to see which slot takes it (the one slot
// whose control byte turns full), read that slot's elem as it was before the
// put, then redo the put from a snapshot with the updated value (the same
// slot: where a key goes does not depend on its elem). If the put allocated
// (a group, a table), the slot is in new, zeroed memory.
struct Mem {
  bool small = false;
  std::vector<TableInfo> tabs;
  std::vector<GroupView> groups; // the small group, or every table's groups in order
};
Mem memOf(const AnySwiss& m) {
  Mem out;
  out.small = m.hasSmallGroup();
  if (out.small) {
    out.groups.emplace_back();
    m.smallGroup(out.groups.back());
    return out;
  }
  out.tabs = m.tables();
  for (std::size_t t = 0; t < out.tabs.size(); t++)
    for (uint64_t g = 0; g < out.tabs[t].groups; g++) {
      out.groups.emplace_back();
      m.group(t, g, out.groups.back());
    }
  return out;
}
bool sameShape(const Mem& a, const Mem& b) {
  if (a.small != b.small || a.tabs.size() != b.tabs.size() || a.groups.size() != b.groups.size()) return false;
  for (std::size_t i = 0; i < a.tabs.size(); i++)
    if (a.tabs[i].capacity != b.tabs[i].capacity || a.tabs[i].index != b.tabs[i].index) return false;
  return true;
}
// m[k] = f(m[k]) through one mapassign of a key not in the map (NaN included);
// returns the elem the update read.
int64_t assignNewKey(AnySwiss& m, const KeyValue& k, const std::function<int64_t(int64_t)>& f) {
  const std::any snap = m.snapshot();
  const Mem before = memOf(m);
  const uint64_t used = m.header().used;
  put(m, k, 0);
  EXPECT_EQ(m.header().used, used + 1) << "the key was in the map";
  const Mem after = memOf(m);
  int64_t read = 0; // new memory (growToSmall, growToTable, grow, split) is zeroed
  if (sameShape(before, after)) {
    int turned = 0;
    for (std::size_t g = 0; g < before.groups.size(); g++)
      for (unsigned i = 0; i < MapGroupSlots; i++)
        if ((before.groups[g].ctrlByte(i) & ctrlEmpty) != 0 && (after.groups[g].ctrlByte(i) & ctrlEmpty) == 0) {
          read = before.groups[g].elems[i];
          turned++;
        }
    EXPECT_EQ(turned, 1) << "one slot takes the new key";
  }
  m.restore(snap);
  put(m, k, f(read));
  return read;
}

// Where a key's slot is (the address a Get returns points into it).
struct SlotAddr {
  std::size_t table = 0;
  uint64_t group = 0;
  unsigned slot = 0;
  bool small = false;
};
std::optional<SlotAddr> findSlot(const AnySwiss& m, const KeyValue& k) {
  GroupView g;
  if (m.hasSmallGroup()) {
    m.smallGroup(g);
    for (unsigned i = 0; i < MapGroupSlots; i++)
      if ((g.ctrlByte(i) & ctrlEmpty) == 0 && g.keys[i] == k) return SlotAddr{0, 0, i, true};
    return std::nullopt;
  }
  const auto tabs = m.tables();
  for (std::size_t t = 0; t < tabs.size(); t++)
    for (uint64_t gi = 0; gi < tabs[t].groups; gi++) {
      m.group(t, gi, g);
      for (unsigned i = 0; i < MapGroupSlots; i++)
        if ((g.ctrlByte(i) & ctrlEmpty) == 0 && g.keys[i] == k) return SlotAddr{t, gi, i, false};
    }
  return std::nullopt;
}
int64_t elemAt(const AnySwiss& m, const SlotAddr& a) {
  GroupView g;
  if (a.small) m.smallGroup(g);
  else m.group(a.table, a.group, g);
  return g.elems[a.slot];
}

// maps.Map.TableCount and GroupCount (export_test.go).
uint64_t tableCount(const AnySwiss& m) { return m.header().dirLen; }
uint64_t groupCount(const AnySwiss& m) {
  if (m.header().dirLen == 0) return m.hasSmallGroup() ? 1 : 0;
  uint64_t n = 0;
  for (const TableInfo& t : m.tables()) n += t.groups;
  return n;
}
// maps.Map.KeyFromFullGroup (export_test.go): a key from a group with no
// empty slot, skipping deleted slots; none for a small map.
std::optional<KeyValue> keyFromFullGroup(const AnySwiss& m) {
  if (m.header().dirLen == 0) return std::nullopt;
  const auto tabs = m.tables();
  GroupView g;
  for (std::size_t t = 0; t < tabs.size(); t++)
    for (uint64_t gi = 0; gi < tabs[t].groups; gi++) {
      m.group(t, gi, g);
      if (matchEmpty(g.ctrl) != 0) continue;
      for (unsigned j = 0; j < MapGroupSlots; j++)
        if (g.ctrlByte(j) != ctrlDeleted) return g.keys[j];
    }
  return std::nullopt;
}
// maps.Map.TableFor (export_test.go): the table the key's hash picks.
std::optional<TableInfo> tableFor(AnySwiss& m, const KeyValue& k) {
  const Header& h = m.header();
  if (h.dirLen == 0) return std::nullopt;
  const uint64_t hash = m.hashOf(k);
  const uint64_t idx = h.dirLen == 1 ? 0 : hash >> h.globalShift;
  return m.tables()[m.directoryPositions()[idx]];
}

std::size_t countKind(const SwissEventSink& s, SwissKind k) {
  return static_cast<std::size_t>(
      std::count_if(s.events.begin(), s.events.end(), [k](const SwissEvent& e) { return e.kind == k; }));
}

} // namespace

// ============================ internal/runtime/maps/map_test.go ============================

// map_test.go TestCtrlSize: unsafe.Sizeof(ctrlGroup) == abi.MapGroupSlots (8).
TEST(SwissRuntimeMaps, CtrlSize) {
  static_assert(sizeof(Group<Int64Key>::ctrl) == MapGroupSlots);
  EXPECT_EQ(sizeof(GroupView::ctrl), 8u);
  EXPECT_EQ(MapGroupSlots, 8u);
}

// map_test.go TestMapPut: NewTestMap[uint32, uint64](8); Put keys 1..31 with
// elems 257..287; Used() == 31 and Get(k) finds each with its elem.
TEST(SwissRuntimeMaps, MapPut) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = newMap(KeyKind::Int32, 8, v);
    for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
    EXPECT_EQ(m->header().used, 31u);
    for (int64_t key = 1; key <= 31; key++) EXPECT_EQ(get(*m, i32(key)), std::optional<int64_t>(256 + key)) << key;
  }
}

// map_test.go TestSmallMapGrow (new in 1.27): 8 puts leave a small map
// (TableCount() == 0); 8 updates of the same keys leave it small; a 9th key
// makes one table (TableCount() == 1). Go 1.26's test file has no such test:
// there the update of a full small map converts it (spec 6.2).
TEST(SwissRuntimeMaps, SmallMapGrow) {
  auto m = newMap(KeyKind::Int32, 8, Version::Go127);
  for (int64_t key = 1; key <= 8; key++) put(*m, i32(key), 256 + key);
  EXPECT_EQ(tableCount(*m), 0u);
  for (int64_t key = 1; key <= 8; key++) put(*m, i32(key), 266 + key);
  EXPECT_EQ(tableCount(*m), 0u);
  put(*m, i32(9), 275);
  EXPECT_EQ(tableCount(*m), 1u);
}

// map_test.go TestMapSplit: NewTestMap[uint32, uint64](0); Put 2*maxTableCapacity
// (2048) keys, enough to split; Used() == 2048 and every Get finds its elem.
TEST(SwissRuntimeMaps, MapSplit) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = newMap(KeyKind::Int32, 0, v);
    const int64_t n = 2 * maxTableCapacity;
    for (int64_t key = 1; key <= n; key++) put(*m, i32(key), 256 + key);
    EXPECT_EQ(m->header().used, static_cast<uint64_t>(n));
    for (int64_t key = 1; key <= n; key++) ASSERT_EQ(get(*m, i32(key)), std::optional<int64_t>(256 + key)) << key;
    EXPECT_GT(tableCount(*m), 1u) << "2048 keys need more than one 1024-slot table";
  }
}

// map_test.go TestMapDelete: NewTestMap[uint32, uint64](32); Put 31 keys,
// Delete all 31; Used() == 0 and no Get finds any.
TEST(SwissRuntimeMaps, MapDelete) {
  auto m = newMap(KeyKind::Int32, 32);
  for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
  for (int64_t key = 1; key <= 31; key++) del(*m, i32(key));
  EXPECT_EQ(m->header().used, 0u);
  for (int64_t key = 1; key <= 31; key++) EXPECT_FALSE(get(*m, i32(key))) << key;
}

// map_test.go TestTableClear: NewTestMap[uint32, uint64](32); Put 31 keys,
// Clear; Used() == 0 and no Get finds any.
TEST(SwissRuntimeMaps, TableClear) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = newMap(KeyKind::Int32, 32, v);
    for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
    clearMap(*m);
    EXPECT_EQ(m->header().used, 0u);
    for (int64_t key = 1; key <= 31; key++) EXPECT_FALSE(get(*m, i32(key))) << key;
  }
}

// map_test.go TestTableKeyUpdate: NewTestMap[float64, uint64](8); Put(+0, 0)
// then Put(-0, 1): Used() == 1, and the one key an iterator returns has the
// negative sign and elem 1 (+0 and -0 are equal, yet the slot's key is updated).
TEST(SwissRuntimeMaps, TableKeyUpdate) {
  auto m = newMap(KeyKind::Float64, 8);
  put(*m, f64(0.0), 0);
  put(*m, f64(std::copysign(0.0, -1.0)), 1);
  EXPECT_EQ(m->header().used, 1u);
  const IterResult it = iterate(*m);
  ASSERT_FALSE(it.keys.empty()) << "it.Key() got nil want key";
  EXPECT_TRUE(std::signbit(it.keys[0].f)) << "map key has positive sign";
  EXPECT_EQ(it.vals[0], 1);
}

// map_test.go TestTablePutDelete: NewTestMap[uint32, uint32](16); Put keys
// 1, 2, ... until some group has no empty slot (KeyFromFullGroup). Delete that
// group's key (it leaves a tombstone), then Put it again: the Put reuses the
// deleted slot, so the key's table is the same (no grow) and its GrowthLeft()
// is unchanged.
TEST(SwissRuntimeMaps, TablePutDelete) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = newMap(KeyKind::Int32, 16, v);
    std::optional<KeyValue> full;
    for (int64_t key = 1; !full && key < 100000; key++) {
      put(*m, i32(key), 256 + key);
      full = keyFromFullGroup(*m);
    }
    ASSERT_TRUE(full) << "no group ever filled";
    const int64_t elem = 256 + full->i;
    del(*m, *full);
    const auto want = tableFor(*m, *full);
    ASSERT_TRUE(want);
    SwissEventSink sink;
    m->setEventSink(&sink);
    put(*m, *full, elem);
    m->setEventSink(nullptr);
    const auto got = tableFor(*m, *full);
    ASSERT_TRUE(got);
    // tabGot != tabWant: the table object; the model's tables have no address, so
    // "no table was rebuilt" is read from the events, and its fields must agree.
    EXPECT_EQ(countKind(sink, SwissKind::RehashStarted), 0u) << "Put grew the table";
    EXPECT_EQ(got->index, want->index);
    EXPECT_EQ(got->capacity, want->capacity);
    EXPECT_EQ(got->growthLeft, want->growthLeft) << "GrowthLeft changed";
  }
}

// map_test.go TestTableIteration: NewTestMap[uint32, uint64](8); Put 31 keys;
// one iteration returns 31 entries, each key 1..31 with its elem.
TEST(SwissRuntimeMaps, TableIteration) {
  auto m = newMap(KeyKind::Int32, 8);
  for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
  for (int round = 0; round < 50; round++) { // each round draws new offsets
    std::map<int64_t, int64_t> got;
    const IterResult it = iterate(*m);
    for (std::size_t i = 0; i < it.keys.size(); i++) got[it.keys[i].i] = it.vals[i];
    EXPECT_EQ(got.size(), 31u);
    for (int64_t key = 1; key <= 31; key++) {
      ASSERT_TRUE(got.count(key)) << "Iteration missing key " << key;
      EXPECT_EQ(got[key], 256 + key);
    }
  }
}

// map_test.go TestTableIterationDelete: NewTestMap[uint32, uint64](8); Put 31
// keys; while iterating, after the first key, Delete key 1 (or 2 if 1 was the
// first): the iteration returns 30 entries, never the deleted key.
TEST(SwissRuntimeMaps, TableIterationDelete) {
  for (uint64_t rng = 1; rng <= 20; rng++) { // several offset pairs
    auto m = newMap(KeyKind::Int32, 8, Version::Go127, rng);
    for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
    std::map<int64_t, int64_t> got;
    bool first = true;
    int64_t deletedKey = 1;
    rangeOver(*m, [&](const KeyValue& k, int64_t v) {
      got[k.i] = v;
      if (first) {
        first = false;
        if (k.i == deletedKey) deletedKey++;
        del(*m, i32(deletedKey));
      }
      return true;
    });
    EXPECT_EQ(got.size(), 30u);
    for (int64_t key = 1; key <= 31; key++) {
      EXPECT_EQ(got.count(key) == 1, key != deletedKey) << "key " << key;
      if (got.count(key)) {
        EXPECT_EQ(got[key], 256 + key);
      }
    }
  }
}

// map_test.go TestTableIterationGrowDelete: as TableIterationDelete, but after
// the first key Put 31 more keys (33..63, forcing a grow) and then Delete key 1
// (or 2) from the grown map. Of the original 31 keys, the iteration returns
// every one but the deleted one, each with its elem.
TEST(SwissRuntimeMaps, TableIterationGrowDelete) {
  // Once a finding (docs/swiss-runtime-tests.md): Iter.Next looks the keys of a
  // replaced table up in the live map (spec 16.3/16.4), and skips deleted ones.
  for (uint64_t rng = 1; rng <= 20; rng++) {
    auto m = newMap(KeyKind::Int32, 8, Version::Go127, rng);
    for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
    std::map<int64_t, int64_t> got;
    bool first = true;
    int64_t deletedKey = 1;
    rangeOver(*m, [&](const KeyValue& k, int64_t v) {
      got[k.i] = v;
      if (first) {
        first = false;
        if (k.i == deletedKey) deletedKey++;
        for (int64_t key = 33; key <= 63; key++) put(*m, i32(key), 256 + key);
        del(*m, i32(deletedKey));
      }
      return true;
    });
    for (int64_t key = 1; key <= 31; key++) {
      EXPECT_EQ(got.count(key) == 1, key != deletedKey) << "rng " << rng << " key " << key;
      if (got.count(key)) {
        EXPECT_EQ(got[key], 256 + key);
      }
    }
  }
}

// map_test.go TestTableIterationGrowDuplicate (subtests "grow": 32 puts, and
// "split": 2*maxTableCapacity puts, both after the 17th key returned): no key
// is returned twice, and every elem returned is 256+key.
TEST(SwissRuntimeMaps, TableIterationGrowDuplicate) {
  for (int grow : {32, 2 * static_cast<int>(maxTableCapacity)})
    for (uint64_t rng = 1; rng <= 10; rng++) {
      auto m = newMap(KeyKind::Int32, 8, Version::Go127, rng);
      for (int64_t key = 1; key <= 31; key++) put(*m, i32(key), 256 + key);
      std::set<int64_t> got;
      int i = 0;
      rangeOver(*m, [&](const KeyValue& k, int64_t v) {
        EXPECT_EQ(v, 256 + k.i) << "iteration got key " << k.i << " elem " << v;
        EXPECT_TRUE(got.insert(k.i).second) << "grow " << grow << ": iteration got key " << k.i << " more than once";
        if (i++ == 16)
          for (int64_t key = 33; key < 33 + grow; key++) put(*m, i32(key), 256 + key);
        return true;
      });
    }
}

// map_test.go TestMapDeleteClear (go.dev/issue/25936): NewTestMap[int64, int64](8);
// Put(0, 128); Get returns a pointer to elem 128; after Delete(0) the memory at
// that pointer reads 0.
TEST(SwissRuntimeMaps, MapDeleteClear) {
  auto m = newMap(KeyKind::Int64, 8);
  put(*m, i64(0), 128);
  EXPECT_EQ(get(*m, i64(0)), std::optional<int64_t>(128));
  const auto where = findSlot(*m, i64(0)); // the address Get returned
  ASSERT_TRUE(where);
  EXPECT_EQ(elemAt(*m, *where), 128);
  del(*m, i64(0));
  EXPECT_EQ(elemAt(*m, *where), 0) << "Delete failed to clear element";
}

// map_test.go TestTableGroupCount: map[int]int with n elements; TableCount()
// and GroupCount() right after make (a literal or make without hint:
// initialLit; make(map, n) and make(map, int64(n)): initialHint) and after
// inserting keys 0..n-1 (after). The expected counts are the Go test's table.
TEST(SwissRuntimeMaps, TableGroupCount) {
  struct Count {
    uint64_t tables, groups;
  };
  struct Case {
    int64_t n;
    Count initialLit, initialHint, after;
  };
  constexpr int64_t belowMax = MapGroupSlots * 3 / 2;                               // 12
  constexpr int64_t atMax = (2 * MapGroupSlots * maxAvgGroupLoad) / MapGroupSlots; // 14
  const Case cases[] = {
      {-(int64_t{1} << 30), {0, 0}, {0, 0}, {0, 0}},
      {-1, {0, 0}, {0, 0}, {0, 0}},
      {0, {0, 0}, {0, 0}, {0, 0}},
      {1, {0, 0}, {0, 0}, {0, 1}},
      {MapGroupSlots, {0, 0}, {0, 0}, {0, 1}},
      {MapGroupSlots + 1, {0, 0}, {1, 2}, {1, 2}},
      {belowMax, {0, 0}, {1, 2}, {1, 2}},
      {atMax, {0, 0}, {1, 2}, {1, 2}},
      {atMax + 1, {0, 0}, {1, 4}, {1, 4}},
      {2 * belowMax, {0, 0}, {1, 4}, {1, 4}},
      {2 * atMax + 1, {0, 0}, {1, 8}, {1, 8}},
  };
  for (const Case& c : cases)
    for (bool hinted : {false, true}) // mapliteral / nohint, then makemap / makemap64
      for (Version v : {Version::Go126, Version::Go127}) {
        auto m = newMap(KeyKind::Int64, hinted ? c.n : 0, v);
        const Count initial = hinted ? c.initialHint : c.initialLit;
        EXPECT_EQ(tableCount(*m), initial.tables) << "n=" << c.n << " hinted " << hinted;
        EXPECT_EQ(groupCount(*m), initial.groups) << "n=" << c.n << " hinted " << hinted;
        for (int64_t i = 0; i < c.n; i++) put(*m, i64(i), i);
        EXPECT_EQ(tableCount(*m), c.after.tables) << "after, n=" << c.n << " hinted " << hinted;
        EXPECT_EQ(groupCount(*m), c.after.groups) << "after, n=" << c.n << " hinted " << hinted;
      }
}

// map_test.go TestTombstoneGrow: make(map[int]int, tableSize*7/8) for table
// sizes 16..256, filled to a low, mid or high load; then 100,000 rounds of
// "delete the first key a range loop returns, insert a new key": len(m) stays
// constant, and the map allocates at most 4 + 2 objects (one growth; two if it
// started full), a growth being 2 allocations (table, groups): tombstones are
// pruned, not grown away. The model counts growths by table rebuilds
// (RehashStarted: grow or split), each one 2 of the runtime's allocations.
TEST(SwissRuntimeMaps, TombstoneGrow) {
  for (int tableSize : {16, 32, 64, 128, 256})
    for (int load = 0; load < 3; load++) {
      const int capacity = tableSize * 7 / 8;
      const int initialElems = load == 0 ? capacity / 8 : load == 1 ? capacity / 2 : capacity;
      auto m = newMap(KeyKind::Int64, capacity, Version::Go127, static_cast<uint64_t>(tableSize * 3 + load));
      for (int i = 0; i < initialElems; i++) put(*m, i64(i), i);
      SwissEventSink sink;
      m->setEventSink(&sink);
      std::size_t growths = 0;
      int64_t nextKey = initialElems;
      for (int round = 0; round < 100000; round++) {
        rangeOver(*m, [&](const KeyValue& k, int64_t) {
          del(*m, k);
          return false; // break
        });
        m->apply({SwissOpCode::Put, i64(nextKey), nextKey, {}});
        nextKey++;
        growths += countKind(sink, SwissKind::RehashStarted);
        sink.clear();
        ASSERT_EQ(m->header().used, static_cast<uint64_t>(initialElems)) << "len(m) should remain constant";
      }
      m->setEventSink(nullptr);
      EXPECT_TRUE(m->checkInvariants().empty());
      const double allocs = 4 + 2.0 * static_cast<double>(growths);
      double allowed = 4 + 1 * 2;
      if (initialElems == capacity) allowed += 2;
      EXPECT_LE(allocs, allowed) << "tableSize=" << tableSize << " elems=" << initialElems << ": " << growths
                                 << " growths";
    }
}

// ============================ internal/runtime/maps/fuzz_test.go ============================

// fuzz_test.go FuzzTable: from an empty NewTestMap[uint16, uint32](8), a
// sequence of Get/Put/Delete commands; every Get agrees with a reference map
// (ok and elem). Run here on the Go test's two seed inputs, then on random
// command sequences over the same key range (uint16), keys as int32.
TEST(SwissRuntimeFuzz, TableAgreesWithReference) {
  enum Op { Get, Put, Delete };
  struct Cmd {
    Op op;
    uint16_t key;
    uint32_t elem;
  };
  auto runCmds = [](const std::vector<Cmd>& cmds, Version v) {
    auto m = newMap(KeyKind::Int32, 8, v);
    std::map<uint16_t, uint32_t> ref;
    for (const Cmd& c : cmds) {
      switch (c.op) {
      case Get: {
        const auto got = get(*m, i32(c.key));
        const auto r = ref.find(c.key);
        ASSERT_EQ(got.has_value(), r != ref.end()) << "Get(" << c.key << ")";
        if (got) {
          ASSERT_EQ(*got, static_cast<int64_t>(r->second)) << "Get(" << c.key << ")";
        }
        break;
      }
      case Put:
        put(*m, i32(c.key), c.elem);
        ref[c.key] = c.elem;
        break;
      case Delete:
        del(*m, i32(c.key));
        ref.erase(c.key);
        break;
      }
    }
    EXPECT_EQ(m->header().used, ref.size());
  };
  const std::vector<Cmd> seed1 = {{Put, 123, 456}, {Delete, 123, 0}, {Get, 123, 0}};
  const std::vector<Cmd> seed2 = {{Put, 1, 101}, {Put, 2, 102}, {Put, 3, 103}, {Put, 4, 104},
                                  {Put, 5, 105}, {Put, 6, 106}, {Put, 7, 107}, {Put, 8, 108},
                                  {Get, 1, 0},   {Delete, 2, 0}, {Put, 2, 42}, {Get, 2, 0}};
  for (Version v : {Version::Go126, Version::Go127}) {
    runCmds(seed1, v);
    runCmds(seed2, v);
    std::mt19937_64 r(2024 + static_cast<uint64_t>(v));
    for (int n = 0; n < 40; n++) {
      std::vector<Cmd> cmds;
      const uint16_t range = n % 2 ? 300 : 65535;
      for (int i = 0; i < 3000; i++)
        cmds.push_back({static_cast<Op>(r() % 3), static_cast<uint16_t>(r() % range), static_cast<uint32_t>(r())});
      runCmds(cmds, v);
    }
  }
}

// ================================== runtime/map_test.go ==================================

// map_test.go TestNegativeZero: map[float64]bool; m[+0]=true, m[-0]=true: len 1
// and the key iterated has the negative sign; then m[-0], m[+0]: the key is +0.
TEST(SwissRuntimeMap, NegativeZero) {
  const double negZero = std::copysign(0.0, -1.0);
  auto m = newMap(KeyKind::Float64, 0);
  put(*m, f64(+0.0), 1);
  put(*m, f64(negZero), 1);
  EXPECT_EQ(m->header().used, 1u) << "length wrong";
  for (const KeyValue& k : iterate(*m).keys) EXPECT_TRUE(std::signbit(k.f)) << "wrong sign";

  m = newMap(KeyKind::Float64, 0);
  put(*m, f64(negZero), 1);
  put(*m, f64(+0.0), 1);
  EXPECT_EQ(m->header().used, 1u) << "length wrong";
  for (const KeyValue& k : iterate(*m).keys) EXPECT_FALSE(std::signbit(k.f)) << "wrong sign";
}

namespace {
// map_test.go testMapNan: len 3, every key NaN, every value a power of two, their OR 7.
void testMapNan(AnySwiss& m) {
  EXPECT_EQ(m.header().used, 3u) << "length wrong";
  int64_t s = 0;
  const IterResult it = iterate(m);
  for (std::size_t i = 0; i < it.keys.size(); i++) {
    EXPECT_TRUE(isNaN(it.keys[i])) << "nan disappeared";
    const int64_t v = it.vals[i];
    EXPECT_EQ(v & (v - 1), 0) << "value wrong";
    s |= v;
  }
  EXPECT_EQ(s, 7) << "values wrong";
}
} // namespace

// map_test.go TestMapAssignmentNan: m[nan] = 1, 2, 4: three entries (NaN != NaN).
TEST(SwissRuntimeMap, MapAssignmentNan) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = newMap(KeyKind::Float64, 0, v);
    const double nan = std::nan("");
    put(*m, f64(nan), 1);
    put(*m, f64(nan), 2);
    put(*m, f64(nan), 4);
    testMapNan(*m);
  }
}

// map_test.go TestMapOperatorAssignmentNan: m[nan] += 1, 2, 4: three entries,
// each starting from a zero elem.
TEST(SwissRuntimeMap, MapOperatorAssignmentNan) {
  auto m = newMap(KeyKind::Float64, 0);
  const double nan = std::nan("");
  for (int64_t x : {1, 2, 4}) EXPECT_EQ(assignNewKey(*m, f64(nan), [x](int64_t e) { return e + x; }), 0);
  testMapNan(*m);
}

// map_test.go TestMapOperatorAssignment: m[0] = 12345; += 67890; /= 123; %= 456
// gives (12345+67890)/123%456.
TEST(SwissRuntimeMap, MapOperatorAssignment) {
  auto m = newMap(KeyKind::Int64, 0);
  put(*m, i64(0), 12345);
  put(*m, i64(0), at(*m, i64(0)) + 67890);
  put(*m, i64(0), at(*m, i64(0)) / 123);
  put(*m, i64(0), at(*m, i64(0)) % 456);
  EXPECT_EQ(at(*m, i64(0)), (12345 + 67890) / 123 % 456);
}

// map_test.go TestGrowWithNaN: make(map[float64]int, 4); m[nan] = 1, m[nan] = 2,
// m[nan] += 4; while iterating, on the first key, m[float64(i)] = i for i < 50
// and m[float64(i)] += i for 50 <= i < 100 (the map grows); the iteration
// still returns the 3 NaN keys with values OR-ing to 7.
TEST(SwissRuntimeMap, GrowWithNaN) {
  for (uint64_t rng = 1; rng <= 10; rng++) {
    auto m = newMap(KeyKind::Float64, 4, Version::Go127, rng);
    const double nan = std::nan("");
    put(*m, f64(nan), 1);
    put(*m, f64(nan), 2);
    assignNewKey(*m, f64(nan), [](int64_t e) { return e + 4; });
    int cnt = 0;
    int64_t s = 0;
    bool growflag = true;
    rangeOver(*m, [&](const KeyValue& k, int64_t v) {
      if (growflag) {
        for (int i = 0; i < 50; i++) put(*m, f64(i), i);
        for (int i = 50; i < 100; i++) put(*m, f64(i), at(*m, f64(i)) + i);
        growflag = false;
      }
      if (isNaN(k)) {
        cnt++;
        s |= v;
      }
      return true;
    });
    EXPECT_EQ(cnt, 3) << "NaN keys lost during grow";
    EXPECT_EQ(s, 7) << "NaN values lost during grow";
  }
}

// map_test.go TestIterGrowAndDelete: make(map[int]int, 4) with keys 0..99;
// while iterating, on the first key, insert 100..999 (grow and split) and
// delete every odd key 1..999; no later key returned is odd.
TEST(SwissRuntimeMap, IterGrowAndDelete) {
  // Once a finding (docs/swiss-runtime-tests.md): Iter.Next looks the keys of a
  // replaced table up in the live map (spec 16.3/16.4), and skips deleted ones.
  for (uint64_t rng = 1; rng <= 10; rng++) {
    auto m = newMap(KeyKind::Int64, 4, Version::Go127, rng);
    for (int64_t i = 0; i < 100; i++) put(*m, i64(i), i);
    bool growflag = true;
    int odd = 0;
    rangeOver(*m, [&](const KeyValue& k, int64_t) {
      if (growflag) {
        for (int64_t i = 100; i < 1000; i++) put(*m, i64(i), i);
        for (int64_t i = 1; i < 1000; i += 2) del(*m, i64(i));
        growflag = false;
      } else if (k.i & 1) {
        odd++;
      }
      return true;
    });
    EXPECT_EQ(odd, 0) << "rng " << rng << ": odd value returned";
  }
}

// map_test.go TestIterGrowWithGC: make(map[int]int, 4); m[i] = i for i < 8,
// m[i] += i for 8 <= i < 16; while iterating, on the first key, insert
// 100..999 (the map grows and splits; Go then runs a GC, which must not free
// the tables the iterator still reads); every key 0..15 is returned.
TEST(SwissRuntimeMap, IterGrowWithGC) {
  for (uint64_t rng = 1; rng <= 10; rng++) {
    auto m = newMap(KeyKind::Int64, 4, Version::Go127, rng);
    for (int64_t i = 0; i < 8; i++) put(*m, i64(i), i);
    for (int64_t i = 8; i < 16; i++) put(*m, i64(i), at(*m, i64(i)) + i);
    bool growflag = true;
    int bitmask = 0;
    rangeOver(*m, [&](const KeyValue& k, int64_t) {
      if (k.i < 16) bitmask |= 1 << k.i;
      if (growflag) {
        for (int64_t i = 100; i < 1000; i++) put(*m, i64(i), i);
        growflag = false;
      }
      return true;
    });
    EXPECT_EQ(bitmask, (1 << 16) - 1) << "missing key";
  }
}

// map_test.go TestConcurrentReadsAfterGrowth: after each insert (numGrowStep of
// them, numLoop maps), numReader goroutines range over the map and numReader
// goroutines look up every key inserted before, all at once. Readers never
// trip the writing check, and (the test's implicit expectation) nothing
// fails. Here the goroutines are resumable ops stepped round-robin one event
// at a time; testing.Short()'s sizes (numLoop 2, numGrowStep 100), numReader 16.
TEST(SwissRuntimeMap, ConcurrentReadsAfterGrowth) {
  const int numLoop = 2, numGrowStep = 100, numReader = 16;
  for (int loop = 0; loop < numLoop; loop++) {
    auto m = newMap(KeyKind::Int64, 0, Version::Go127, static_cast<uint64_t>(loop + 1));
    for (int64_t gs = 0; gs < numGrowStep; gs++) {
      put(*m, i64(gs), gs);
      // Each goroutine: its list of ops, its current run.
      struct G {
        std::vector<SwissRequest> ops;
        std::size_t next = 0;
        std::unique_ptr<SwissRun> run;
      };
      std::vector<G> gs_;
      for (int nr = 0; nr < numReader; nr++) {
        G it;
        it.ops.push_back({SwissOpCode::Iter, {}, 0, {}});
        gs_.push_back(std::move(it));
        G rd;
        for (int64_t key = 0; key < gs; key++) rd.ops.push_back({SwissOpCode::Get, i64(key), 0, {}});
        gs_.push_back(std::move(rd));
      }
      m->setPauseMask(~uint64_t{0});
      for (bool any = true; any;) {
        any = false;
        for (G& g : gs_) {
          if (!g.run) {
            if (g.next == g.ops.size()) continue;
            g.run = m->start(g.ops[g.next]);
          }
          any = true;
          if (!g.run->step()) {
            const OpResult r = g.run->result();
            ASSERT_EQ(r.outcome, Outcome::Ok) << messageText(r.message);
            if (g.ops[g.next].code == SwissOpCode::Get) {
              EXPECT_TRUE(g.run->found) << "m[" << g.ops[g.next].key.i << "]";
              EXPECT_EQ(g.run->value, g.ops[g.next].key.i);
            } else {
              EXPECT_EQ(g.run->iter.keys.size(), static_cast<std::size_t>(gs + 1));
            }
            g.run.reset();
            g.next++;
          }
        }
      }
      m->setPauseMask(0);
    }
  }
}

// map_test.go TestSingleBucketMapStringKeys_DupLen / _NoDupLen: a map literal
// of 7 string keys (some of one length, two of 128 bytes: the faststr
// long-key path) in one group; m[k] returns each key's own value. The Go maps
// are map[string]string; the values here are distinct int64s.
TEST(SwissRuntimeMap, SingleBucketMapStringKeys) {
  const std::vector<std::vector<std::string>> literals = {
      {"x", "xx", "foo", "bar", "xxxx", std::string(128, 'x'), std::string(128, 'y')}, // _DupLen
      {"x", "xx", "foo", "xxxx", "xxxxx", "xxxxxx", std::string(128, 'x')},           // _NoDupLen
  };
  for (const auto& keys : literals)
    for (Version v : {Version::Go126, Version::Go127}) {
      auto m = newMap(KeyKind::String, static_cast<int64_t>(keys.size()), v);
      for (std::size_t i = 0; i < keys.size(); i++) put(*m, str(keys[i]), static_cast<int64_t>(i) + 1);
      EXPECT_TRUE(m->hasSmallGroup());
      const IterResult it = iterate(*m);
      EXPECT_EQ(it.keys.size(), keys.size());
      for (std::size_t i = 0; i < it.keys.size(); i++) EXPECT_EQ(at(*m, it.keys[i]), it.vals[i]) << it.keys[i].s;
      for (std::size_t i = 0; i < keys.size(); i++) EXPECT_EQ(at(*m, str(keys[i])), static_cast<int64_t>(i) + 1);
    }
}

// map_test.go TestMapNanGrowIterator: map[float64]int; 16*HashLoad (14) NaN
// keys, m[1.0] = 1 and delete(m, 1.0); while iterating, once half the values
// have been seen, delete(m, 1.0) 16 times; every value is returned, none twice.
TEST(SwissRuntimeMap, MapNanGrowIterator) {
  const int nBuckets = 16;
  const int nKeys = static_cast<int>(nBuckets * (7.0f / 8.0f)); // runtime.HashLoad = 7/8
  for (uint64_t rng = 1; rng <= 10; rng++) {
    auto m = newMap(KeyKind::Float64, 0, Version::Go127, rng);
    const double nan = std::nan("");
    for (int i = 0; i < nKeys; i++) put(*m, f64(nan), i);
    put(*m, f64(1.0), 1);
    del(*m, f64(1.0));
    std::set<int64_t> found;
    rangeOver(*m, [&](const KeyValue&, int64_t v) {
      if (v != -1) {
        EXPECT_TRUE(found.insert(v).second) << "repeat of value " << v;
      }
      if (static_cast<int>(found.size()) == nKeys / 2)
        for (int i = 0; i < nBuckets; i++) del(*m, f64(1.0));
      return true;
    });
    EXPECT_EQ(static_cast<int>(found.size()), nKeys) << "missing value";
  }
}

// map_test.go TestMapSparseIterOrder (issue 8410): keys 0..999, delete
// 20..999; within 800 more iterations the order differs from the first one
// (10 rounds).
TEST(SwissRuntimeMap, MapSparseIterOrder) {
  for (int round = 0; round < 10; round++) {
    auto m = newMap(KeyKind::Int64, 0, Version::Go127, static_cast<uint64_t>(round + 1));
    for (int64_t i = 0; i < 1000; i++) put(*m, i64(i), 1);
    for (int64_t i = 20; i < 1000; i++) del(*m, i64(i));
    const std::vector<KeyValue> first = iterate(*m).keys;
    bool changed = false;
    for (int n = 0; n < 800 && !changed; n++) changed = iterate(*m).keys != first;
    EXPECT_TRUE(changed) << "constant iteration order on round " << round;
  }
}

// map_test.go TestMapIterDuplicate: keys 0..999, delete 20..999; the keys an
// iteration returns, sorted, are exactly 0..19 (1000 rounds).
TEST(SwissRuntimeMap, MapIterDuplicate) {
  std::vector<int64_t> want;
  for (int64_t i = 0; i < 20; i++) want.push_back(i);
  for (int round = 0; round < 1000; round++) {
    auto m = newMap(KeyKind::Int64, 0, Version::Go127, static_cast<uint64_t>(round + 1));
    for (int64_t i = 0; i < 1000; i++) m->apply({SwissOpCode::Put, i64(i), 1, {}});
    for (int64_t i = 20; i < 1000; i++) m->apply({SwissOpCode::Del, i64(i), 0, {}});
    std::vector<int64_t> got;
    for (const KeyValue& k : iterate(*m).keys) got.push_back(k.i);
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, want) << "round " << round;
  }
}

// map_test.go TestMapStringBytesLookup: a literal of two 49-byte string keys;
// looking them up by a string built from a byte buffer finds 1 and 2. (Its
// AllocsPerRun half is the compiler's; see the doc.)
TEST(SwissRuntimeMap, MapStringBytesLookup) {
  auto m = newMap(KeyKind::String, 2);
  put(*m, str("1000000000000000000000000000000000000000000000000"), 1);
  put(*m, str("2000000000000000000000000000000000000000000000000"), 2);
  std::string buf = "1000000000000000000000000000000000000000000000000";
  EXPECT_EQ(at(*m, str(buf)), 1);
  buf[0] = '2';
  EXPECT_EQ(at(*m, str(buf)), 2);
  const auto ok = get(*m, str(buf));
  ASSERT_TRUE(ok) << "!ok";
  EXPECT_EQ(*ok, 2);
}

// map_test.go TestIgnoreBogusMapHint (issue 19926): make(map[int]int, hint)
// with hint -1 and 1<<62 does not panic (the map is usable).
TEST(SwissRuntimeMap, IgnoreBogusMapHint) {
  for (int64_t hint : {int64_t{-1}, int64_t{1} << 62}) {
    auto m = newMap(KeyKind::Int64, hint);
    EXPECT_EQ(m->header().used, 0u);
    put(*m, i64(1), 1);
    EXPECT_EQ(at(*m, i64(1)), 1) << "hint " << hint;
  }
}

// map_test.go TestIncrementAfterDeleteValueInt / ValueInt32 / ValueInt64
// (issue 25936): m[12] = 99; delete(m, 12); m[13]++ gives m[13] == 1 (the slot
// key 13 reuses had its elem cleared). The elem is int64 in the model, so the
// three Go tests (elem int, int32, int64) are one here.
TEST(SwissRuntimeMap, IncrementAfterDeleteValueInt) {
  for (Version v : {Version::Go126, Version::Go127}) {
    auto m = newMap(KeyKind::Int64, 0, v);
    put(*m, i64(12), 99);
    del(*m, i64(12));
    assignNewKey(*m, i64(13), [](int64_t e) { return e + 1; });
    EXPECT_EQ(at(*m, i64(13)), 1) << "incremented 0 to " << at(*m, i64(13));
  }
}

// map_test.go TestIncrementAfterDeleteKeyStringValueInt: map[string]int;
// m[""] = 99; delete(m, ""); m["x"] += 1 gives m["x"] == 1.
TEST(SwissRuntimeMap, IncrementAfterDeleteKeyStringValueInt) {
  auto m = newMap(KeyKind::String, 0);
  put(*m, str(""), 99);
  del(*m, str(""));
  assignNewKey(*m, str("x"), [](int64_t e) { return e + 1; });
  EXPECT_EQ(at(*m, str("x")), 1);
}

// map_test.go TestIncrementAfterBulkClearKeyStringValueInt: map[string]int;
// m[""] = 99; `for k := range m { delete(m, k) }` (compiled to a map clear:
// spec 15, walk/range.go); m["x"]++ gives m["x"] == 1.
TEST(SwissRuntimeMap, IncrementAfterBulkClearKeyStringValueInt) {
  auto m = newMap(KeyKind::String, 0);
  put(*m, str(""), 99);
  clearMap(*m);
  assignNewKey(*m, str("x"), [](int64_t e) { return e + 1; });
  EXPECT_EQ(at(*m, str("x")), 1);
}

// map_test.go TestMapIterDeleteReplace: maps of i keys (0..i-1, value false);
// `for k := range m { delete(m, k); m[k] = true }`; then every value is true.
// i from 0 to 10000 by testing.Short()'s step of 100 (the full run steps by 1).
TEST(SwissRuntimeMap, MapIterDeleteReplace) {
  for (int64_t i = 0; i < 10000; i += 100) {
    auto m = newMap(KeyKind::Int64, 0, Version::Go127, static_cast<uint64_t>(i + 1));
    for (int64_t j = 0; j < i; j++) m->apply({SwissOpCode::Put, i64(j), 0, {}});
    rangeOver(*m, [&](const KeyValue& k, int64_t) {
      m->apply({SwissOpCode::Del, k, 0, {}});
      m->apply({SwissOpCode::Put, k, 1, {}});
      return true;
    });
    EXPECT_TRUE(m->checkInvariants().empty());
    EXPECT_EQ(m->header().used, static_cast<uint64_t>(i));
    for (const auto& [k, v] : m->entries()) ASSERT_EQ(v, 1) << "i=" << i << ": m[" << k.i << "] got false want true";
  }
}

// map_test.go TestHmapSize: sizeof(maps.Map) == 2*8 + 4*PtrSize == 48 on
// 64-bit. The model's Header holds the same fields; what it claims as the
// header's size is in liveBytes: an empty map (hint <= 8, no group) is the
// 48-byte header alone.
TEST(SwissRuntimeMap, HmapSize) {
  auto m = newMap(KeyKind::Int64, 0);
  EXPECT_EQ(m->liveBytes(), 2 * 8 + 4 * 8u);
}

// map_test.go TestMapIterOrder: maps {0..n-1} for n = 3, 7, 9, 15 (1000 maps
// each); within 100 more iterations each map shows a second order.
TEST(SwissRuntimeMap, MapIterOrder) {
  for (int n : {3, 7, 9, 15})
    for (int i = 0; i < 1000; i++) {
      auto m = newMap(KeyKind::Int64, 0, Version::Go127, static_cast<uint64_t>(n * 1000 + i + 1));
      for (int64_t k = 0; k < n; k++) m->apply({SwissOpCode::Put, i64(k), 1, {}});
      const std::vector<KeyValue> first = iterate(*m).keys;
      bool ok = false;
      for (int t = 0; t < 100 && !ok; t++) ok = iterate(*m).keys != first;
      ASSERT_TRUE(ok) << "Map with n=" << n << " elements had consistent iteration order";
    }
}
