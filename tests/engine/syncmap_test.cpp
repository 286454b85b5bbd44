// Go 1.19.8's sync.Map model (issue 12): its site table against the real
// sync/map.go, the resumable form (paused at every event) against the direct
// form, the spec's invariants on random method sequences, the typed payloads
// (SyncPayload<K>), and `gomaplab events` against the stream recorded before the
// payloads were typed. Equality with the real runtime is the differential tests'
// job (syncmap_diff.*, tests/syncmap).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "engine/syncmap.hpp"
#include "trace/syncmap_json.hpp"

using namespace gomap;
using namespace gomap::syncmap;

namespace gomap::syncmap {
// gtest prints a failing event as its `gomaplab events` line.
void PrintTo(const SyncEvent& e, std::ostream* os) {
  std::string s;
  appendSyncEventJson(s, e, 0, 0);
  *os << s;
}
} // namespace gomap::syncmap

TEST(SyncSites, LinesMatchTheRealSources) {
  const std::string path = "/usr/share/go-1.19/src/sync/map.go";
  std::ifstream f(path);
  if (!f) GTEST_SKIP() << "no Go 1.19 sources at " << path;
  std::vector<std::string> lines;
  for (std::string l; std::getline(f, l);) lines.push_back(l);
  for (std::size_t s = 1; s < static_cast<std::size_t>(SyncSite::kCount); s++) {
    const SyncSiteInfo& si = kSyncSiteTable[s];
    if (si.file != "sync/map.go") { // runtime.GC, a goroutine's own statement
      std::ifstream g("/usr/share/go-1.19/src/" + std::string(si.file));
      ASSERT_TRUE(g) << si.file;
      std::vector<std::string> other;
      for (std::string l; std::getline(g, l);) other.push_back(l);
      ASSERT_LE(static_cast<std::size_t>(si.line), other.size());
      EXPECT_NE(other[static_cast<std::size_t>(si.line - 1)].find(std::string(si.needle)), std::string::npos)
          << si.file << ":" << si.line << " is " << other[si.line - 1];
      continue;
    }
    ASSERT_GE(si.line, 1) << "site " << s;
    ASSERT_LE(static_cast<std::size_t>(si.line), lines.size()) << "site " << s;
    ASSERT_FALSE(si.needle.empty()) << "site " << s;
    EXPECT_NE(lines[static_cast<std::size_t>(si.line - 1)].find(std::string(si.needle)), std::string::npos)
        << "site " << s << " (" << si.function << ") map.go:" << si.line << " is " << lines[si.line - 1];
    // The function a site names is the one whose body holds the line.
    std::string fn(si.function);
    const std::string method = fn.rfind("entry.", 0) == 0 ? "func (e *entry) " + fn.substr(6) + "("
                                                           : "func (m *Map) " + fn + "(";
    std::size_t i = static_cast<std::size_t>(si.line - 1);
    while (i > 0 && lines[i].rfind("func ", 0) != 0) i--;
    EXPECT_EQ(lines[i].rfind(method, 0), 0u) << "site " << s << ": line " << si.line << " is not in " << method;
  }
}

namespace {
std::string stateOf(const SyncMap& m) {
  std::string s;
  appendSyncState(s, m);
  return s;
}
std::string heapOf(const SyncMap& m) {
  std::string s;
  appendSyncHeap(s, m);
  return s;
}
std::vector<SyncRequest> randomRequests(uint64_t seed, int n, KeyKind kind) {
  std::mt19937_64 rng(seed);
  std::vector<SyncRequest> out;
  for (int i = 0; i < n; i++) {
    SyncRequest r;
    const int64_t k = i / 50 + static_cast<int64_t>(rng() % 8);
    std::string name(1, 'k'); // (not "k" + ...: GCC 12's -Wrestrict false positive)
    name += std::to_string(k);
    r.key = kind == KeyKind::String ? KeyValue::ofString(name) : KeyValue::ofInt(KeyKind::Int64, k);
    r.value = static_cast<int64_t>(rng() % 1000);
    switch (rng() % 10) {
    case 0: case 1: case 2: r.code = SyncOpCode::Store; break;
    case 3: case 4: r.code = SyncOpCode::Load; break;
    case 5: r.code = SyncOpCode::LoadOrStore; break;
    case 6: r.code = SyncOpCode::LoadAndDelete; break;
    case 7: case 8: r.code = SyncOpCode::Delete; break;
    default: r.code = SyncOpCode::Range, r.limit = static_cast<int64_t>(rng() % 3); break;
    }
    out.push_back(r);
  }
  return out;
}
} // namespace

// The same text compiled twice: the resumable form, parked at every event,
// records the same events, returns the same results and leaves the same state
// as the direct form, recorded or not.
TEST(SyncMapForms, ResumablePausedAtEveryEventEqualsDirect) {
  for (KeyKind kind : {KeyKind::String, KeyKind::Int64}) {
    SyncMap direct(kind, 42), quiet(kind, 42), stepped(kind, 42);
    SyncEventSink dsink, ssink;
    direct.setEventSink(&dsink);
    stepped.setEventSink(&ssink);
    stepped.setPauseMask(~uint64_t{0});
    int op = 0;
    for (const SyncRequest& r : randomRequests(7, 3000, kind)) {
      op++;
      dsink.clear();
      ssink.clear();
      SyncResult dout, qout;
      ASSERT_EQ(direct.apply(r, dout).outcome, Outcome::Ok);
      ASSERT_EQ(quiet.apply(r, qout).outcome, Outcome::Ok);
      auto run = stepped.start(r);
      std::size_t steps = 0;
      while (run->step()) {
        steps++;
        // Parked right after its newest event, with the method in flight.
        ASSERT_EQ(ssink.events.size(), steps) << "op " << op;
        ASSERT_EQ(stepped.inflight(), 1);
      }
      ASSERT_EQ(run->result().outcome, Outcome::Ok);
      ASSERT_EQ(stepped.inflight(), 0);
      ASSERT_EQ(steps, ssink.events.size()) << "op " << op << ": one pause per event, the last resume ends the method";
      ASSERT_EQ(ssink.events, dsink.events) << "op " << op;
      EXPECT_EQ(dsink.events.front().kind, SyncKind::OpBegin);
      EXPECT_EQ(dsink.events.back().kind, SyncKind::OpEnd);
      for (const SyncResult* o : {&qout, &run->out}) {
        ASSERT_EQ(o->ok, dout.ok) << "op " << op;
        ASSERT_EQ(o->value, dout.value) << "op " << op;
        ASSERT_EQ(o->visited, dout.visited) << "op " << op;
      }
      ASSERT_EQ(stateOf(stepped), stateOf(direct)) << "op " << op;
      ASSERT_EQ(stateOf(quiet), stateOf(direct)) << "op " << op;
      for (const SyncMap* o : {&stepped, &quiet}) { // the heap is counted alike in both forms
        ASSERT_EQ(heapOf(*o), heapOf(direct)) << "op " << op;
      }
      if (op % 97 == 0) {
        ASSERT_TRUE(direct.gc() && quiet.gc() && stepped.gc());
        ASSERT_EQ(heapOf(stepped), heapOf(direct)) << "op " << op;
      }
      ASSERT_TRUE(direct.checkInvariants().empty()) << "op " << op << ": " << direct.checkInvariants().front();
    }
    EXPECT_GT(direct.readOnlyCount(), 10u); // promotions happened
  }
}

// Spec section 4's claims, on the model's own state (the oracle proves the
// JSON; these name the mechanisms).
TEST(SyncMapModel, DeleteKeepsEntryAndReviveIsLockFree) {
  SyncMap m(KeyKind::String);
  SyncResult out;
  SyncEventSink sink;
  auto key = [](const char* s) { return KeyValue::ofString(s); };
  m.apply({SyncOpCode::Store, key("a"), 1, 0}, out);
  m.apply({SyncOpCode::Range, {}, 0, 0}, out); // promoted
  ASSERT_EQ(m.dirty(), nullptr);
  const uint32_t read = m.read()->id;
  m.setEventSink(&sink);
  m.apply({SyncOpCode::Delete, key("a"), 0, 0}, out);
  m.apply({SyncOpCode::Store, key("a"), 2, 0}, out);
  for (const SyncEvent& e : sink.events) EXPECT_NE(e.kind, SyncKind::Locked) << "no lock for delete and revive";
  EXPECT_EQ(m.read()->id, read);
  const Entry& e = *m.read()->m->at(key("a"));
  EXPECT_EQ(e.id, 1u);
  EXPECT_EQ(e.p, PState::Value);
  EXPECT_EQ(e.value, 2);
  EXPECT_EQ(e.cell, 2u); // a new cell; the entry is the same
}

TEST(SyncMapModel, MissesPromoteAtLenDirtyWithoutRetry) {
  SyncMap m(KeyKind::Int64);
  SyncResult out;
  for (int64_t k = 0; k < 3; k++) m.apply({SyncOpCode::Store, KeyValue::ofInt(KeyKind::Int64, k), k, 0}, out);
  const auto miss = [&] { m.apply({SyncOpCode::Load, KeyValue::ofInt(KeyKind::Int64, 99), 0, 0}, out); };
  miss();
  miss();
  EXPECT_EQ(m.misses(), 2);
  EXPECT_NE(m.dirty(), nullptr);
  miss(); // 3 >= len(dirty) 3
  EXPECT_EQ(m.misses(), 0);
  EXPECT_EQ(m.dirty(), nullptr);
  EXPECT_FALSE(m.read()->amended);
  EXPECT_EQ(m.read()->m->size(), 3u);
}

// The typed payloads: each site builds its kind's payload, which reads back
// field for field; the record compares by payload fields, not by bytes.
TEST(SyncPayloads, OfAndPayloadOfRoundTrip) {
  const auto cas = SyncEvent::of<SyncSite::TryStoreCas>(
      {.entry = 7, .from = PState::Nil, .to = PState::Value, .swapped = true, .cell = 9, .value = -123456789012});
  EXPECT_EQ(cas.kind, SyncKind::PCas);
  EXPECT_EQ(cas.site, SyncSite::TryStoreCas);
  const auto p = payloadOf<SyncKind::PCas>(cas);
  EXPECT_EQ(p.entry, 7u);
  EXPECT_EQ(p.from, PState::Nil);
  EXPECT_EQ(p.to, PState::Value);
  EXPECT_TRUE(p.swapped);
  EXPECT_EQ(p.cell, 9u);
  EXPECT_EQ(p.value, -123456789012);

  // Every kind through visitPayload: the lambda gets the kind's own struct.
  const SyncEvent evs[] = {
      SyncEvent::of<SyncSite::StoreBegin>({.op = SyncOp::Store, .value = 5}),
      SyncEvent::of<SyncSite::LoadEnd>({.ok = true, .value = 42}),
      SyncEvent::of<SyncSite::LoadRead>({.read = 3, .amended = true}),
      SyncEvent::of<SyncSite::LoadLookup>({.found = true, .entry = 2}),
      SyncEvent::of<SyncSite::LoadDirty>({.found = false, .entry = 0}),
      SyncEvent::of<SyncSite::RangeLock>({.state = 1}),
      SyncEvent::of<SyncSite::RangeUnlock>({.state = 0}),
      SyncEvent::of<SyncSite::EntryLoad>({.entry = 4, .p = PState::Value, .cell = 6, .value = 8}),
      cas,
      SyncEvent::of<SyncSite::StoreLocked>({.entry = 1, .from = PState::Nil, .cell = 2, .value = 3}),
      SyncEvent::of<SyncSite::DirtyCopy>({.entry = 11}),
      SyncEvent::of<SyncSite::LadDirtyDelete>({.found = true, .entry = 12}),
      SyncEvent::of<SyncSite::DirtyMake>({.hint = 13}),
      SyncEvent::of<SyncSite::MissDirtyNil>(),
      SyncEvent::of<SyncSite::MissPublish>({.read = 14, .amended = false, .len = 15}),
      SyncEvent::of<SyncSite::StoreNewEntry>({.entry = 16, .cell = 17, .value = 18}),
      SyncEvent::of<SyncSite::MissCount>({.misses = 19, .lenDirty = 20}),
      SyncEvent::of<SyncSite::RangeNext>({.entry = 21}),
      SyncEvent::of<SyncSite::RangeCall>({.entry = 22, .value = 23, .more = false}),
      SyncEvent::of<SyncSite::Gc>({.readonly = 24, .entry = 25, .cell = 26, .box = 27}),
  };
  ASSERT_EQ(std::size(evs), static_cast<std::size_t>(SyncKind::kCount)) << "one event per kind";
  for (std::size_t i = 0; i < std::size(evs); i++) {
    EXPECT_EQ(static_cast<std::size_t>(evs[i].kind), i);
    EXPECT_EQ(evs[i].kind, siteInfo(evs[i].site).kind);
    const bool typed = visitPayload(evs[i], [&](const auto& pl) {
      return visitKind(evs[i].kind, [&](auto k) {
        return std::is_same_v<std::remove_cvref_t<decltype(pl)>, SyncPayload<decltype(k)::value>>;
      });
    });
    EXPECT_TRUE(typed) << "visitPayload passes SyncPayload<kind>, kind " << i;
    EXPECT_EQ(evs[i], evs[i]);
    if (i > 0) {
      EXPECT_NE(evs[i], evs[i - 1]);
    }
  }
  EXPECT_EQ(payloadOf<SyncKind::MissCounted>(evs[16]).lenDirty, 20u);
  EXPECT_EQ(payloadOf<SyncKind::ReadLoaded>(evs[2]).read, 3u);
  EXPECT_EQ(payloadOf<SyncKind::OpBegin>(evs[0]).op, SyncOp::Store);
  EXPECT_FALSE(payloadOf<SyncKind::RangeCall>(evs[18]).more);

  // Same kind and payload at another site: a different event.
  EXPECT_NE(SyncEvent::of<SyncSite::LoadLock>({.state = 1}), SyncEvent::of<SyncSite::StoreLock>({.state = 1}));
  // A changed field: a different event; a changed padding byte (PCas has
  // padding after `swapped`): the same event.
  SyncEvent other = cas;
  other.payload[offsetof(SyncPayload<SyncKind::PCas>, swapped) + 1] ^= std::byte{0xff};
  EXPECT_EQ(other, cas);
  other.payload[offsetof(SyncPayload<SyncKind::PCas>, value)] ^= std::byte{1};
  EXPECT_NE(other, cas);
  EXPECT_EQ(payloadOf<SyncKind::PCas>(other).value, -123456789012 ^ 1);
}

// `gomaplab events` on the fixed scripts (every path of the model) and on two
// generated ones prints what it printed before the payloads were typed: the
// .jsonl files in tests/syncmap/events were recorded by the binary of commit
// c74dfe4 (flat SyncEvent), and are the events' JSON contract.
TEST(SyncEventsJson, SameStreamAsRecorded) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(GOMAPLAB_SOURCE_DIR) / "tests/syncmap/events";
  std::vector<std::pair<fs::path, fs::path>> cases; // script, recorded stream
  for (const auto& ent : fs::directory_iterator(fs::path(GOMAPLAB_SOURCE_DIR) / "tests/syncmap/scripts"))
    if (ent.path().extension() == ".ops") cases.emplace_back(ent.path(), dir / (ent.path().stem().string() + ".jsonl"));
  cases.emplace_back(fs::path(GOMAPLAB_SOURCE_DIR) / "tests/oracle-syncmap/testdata/trace4.ops", dir / "trace4.jsonl");
  for (const char* g : {"gen_string", "gen_int64"})
    cases.emplace_back(dir / (std::string(g) + ".ops"), dir / (std::string(g) + ".jsonl"));
  ASSERT_GE(cases.size(), 10u);
  for (const auto& [script, recorded] : cases) {
    std::ifstream f(recorded);
    ASSERT_TRUE(f) << "no recorded stream " << recorded;
    std::stringstream want;
    want << f.rdbuf();
    const std::string cmd = std::string(GOMAPLAB_BINARY) + " events '" + script.string() + "' 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string got;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) got.append(buf, n);
    const int st = pclose(p);
    ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << cmd << "\n" << got.substr(0, 400);
    if (got == want.str()) continue;
    // The first line that differs, not 100 KB of text.
    std::istringstream a(got), b(want.str());
    std::string la, lb;
    for (int line = 1;; line++) {
      const bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
      if (!ha && !hb) break;
      if (la != lb || ha != hb) {
        ADD_FAILURE() << script.filename() << " line " << line << "\n got:  " << (ha ? la : "(end)")
                      << "\n want: " << (hb ? lb : "(end)");
        break;
      }
    }
  }
}

// The heap (issue 12): gc frees exactly what read and dirty do not reach, so
// right after a gc every live object is reachable; between gcs garbage only
// accumulates; a gc refuses while a method is in flight (its goroutine's
// locals are roots the model does not scan); snapshot/restore keeps the counts.
TEST(SyncMapHeap, GcLeavesOnlyWhatTheRootsReach) {
  SyncMap m(KeyKind::String, 9);
  SyncResult out;
  auto same = [](const HeapCounts& a, const HeapCounts& b) {
    for (int k = 0; k < kHeapKinds; k++)
      if (a.n[k] != b.n[k]) return false;
    return true;
  };
  uint64_t freed = 0;
  int op = 0;
  for (const SyncRequest& r : randomRequests(11, 4000, KeyKind::String)) {
    op++;
    m.apply(r, out);
    const HeapCounts live = m.live(), reach = m.reachable();
    for (int k = 0; k < kHeapKinds; k++) ASSERT_GE(live.n[k], reach.n[k]) << "op " << op << " kind " << k;
    EXPECT_EQ(m.opFrees().total(), 0u);
    if (op % 50 == 0) {
      ASSERT_TRUE(m.gc());
      ASSERT_TRUE(same(m.live(), m.reachable())) << "op " << op;
      EXPECT_EQ(m.opAllocs().total(), 0u);
      freed += m.opFrees().total();
      ASSERT_TRUE(m.gc()); // a second gc frees nothing
      EXPECT_EQ(m.opFrees().total(), 0u);
    }
  }
  EXPECT_EQ(m.frees().total(), freed);
  EXPECT_GT(freed, 1000u);
  // Reachable, counted by hand: one readOnly, each entry of read.m or dirty once, a cell per live entry.
  std::set<const Entry*> entries;
  uint64_t cells = 0, boxes = 0;
  for (const KeyMap* km : std::initializer_list<const KeyMap*>{m.read() ? m.read()->m.get() : nullptr, m.dirty()})
    if (km)
      for (const auto& [k, e] : *km)
        if (entries.insert(e.get()).second && e->p == PState::Value) cells++, boxes += e->value >= 256;
  const HeapCounts r = m.reachable();
  EXPECT_EQ(r[HeapKind::ReadOnly], 1u);
  EXPECT_EQ(r[HeapKind::Entry], entries.size());
  EXPECT_EQ(r[HeapKind::Cell], cells);
  EXPECT_EQ(r[HeapKind::Box], boxes);

  auto snap = m.snapshot();
  const std::string before = heapOf(m);
  m.apply({SyncOpCode::Store, KeyValue::ofString("zz"), 5000, 0}, out);
  ASSERT_NE(heapOf(m), before);
  m.restore(*snap);
  EXPECT_EQ(heapOf(m), before);

  auto run = m.start({SyncOpCode::Store, KeyValue::ofString("zz"), 1, 0});
  m.setPauseMask(~uint64_t{0});
  ASSERT_TRUE(run->step());
  EXPECT_FALSE(m.gc()) << "a method in flight: gc refuses";
  while (run->step()) {
  }
  EXPECT_TRUE(m.gc());
}

// Spec 5 and 10.3, path by path, on the model's counters (the real runtime's
// counts are syncmap-check model_allocs'): a Store to an existing key makes its
// escaped cell (and a box for a value >= 256); the deleted value's cell goes
// at the next gc, the entry only after an expunge and a promotion.
TEST(SyncMapHeap, DeleteFreesTheValueAtTheNextGcAndTheEntryLater) {
  SyncMap m(KeyKind::String);
  SyncResult out;
  auto k = KeyValue::ofString("k");
  m.apply({SyncOpCode::Store, k, 1000, 0}, out);
  EXPECT_EQ(m.opAllocs()[HeapKind::Box], 1u);
  EXPECT_EQ(m.opAllocs().total(), 5u); // box, Store's cell, newEntry's cell, the entry, readOnly #1
  m.apply({SyncOpCode::Range, {}, 0, 0}, out);
  EXPECT_EQ(m.opAllocs().total(), 1u); // readOnly #2
  m.apply({SyncOpCode::Store, k, 7, 0}, out);
  EXPECT_EQ(m.opAllocs().total(), 1u);
  ASSERT_TRUE(m.gc()); // readOnly #1, the new-key Store's unused cell, the overwritten cell and its box
  EXPECT_EQ(m.opFrees()[HeapKind::ReadOnly], 1u);
  EXPECT_EQ(m.opFrees()[HeapKind::Cell], 2u);
  EXPECT_EQ(m.opFrees()[HeapKind::Box], 1u);
  m.apply({SyncOpCode::Delete, k, 0, 0}, out);
  EXPECT_EQ(m.opAllocs().total(), 0u);
  ASSERT_TRUE(m.gc());
  EXPECT_EQ(m.opFrees()[HeapKind::Cell], 1u);
  EXPECT_EQ(m.opFrees()[HeapKind::Entry], 0u);
  m.apply({SyncOpCode::Store, KeyValue::ofString("n"), 1, 0}, out); // expunges k
  ASSERT_TRUE(m.gc());
  EXPECT_EQ(m.opFrees()[HeapKind::Entry], 0u);
  m.apply({SyncOpCode::Load, KeyValue::ofString("absent"), 0, 0}, out); // promotes: k is dropped
  EXPECT_EQ(m.opAllocs().total(), 1u);
  ASSERT_TRUE(m.gc());
  EXPECT_EQ(m.opFrees()[HeapKind::Entry], 1u);
  EXPECT_EQ(m.live()[HeapKind::Entry], 1u);
}
