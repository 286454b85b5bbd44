// Go 1.19.8's sync.Map model (issue 12): its site table against the real
// sync/map.go, the resumable form (paused at every event) against the direct
// form, and the spec's invariants on random method sequences. Equality with the
// real runtime is the differential tests' job (syncmap_diff.*, tests/syncmap).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <string>

#include "engine/syncmap.hpp"
#include "trace/syncmap_json.hpp"

using namespace gomap;
using namespace gomap::syncmap;

TEST(SyncSites, LinesMatchTheRealSources) {
  const std::string path = "/usr/share/go-1.19/src/sync/map.go";
  std::ifstream f(path);
  if (!f) GTEST_SKIP() << "no Go 1.19 sources at " << path;
  std::vector<std::string> lines;
  for (std::string l; std::getline(f, l);) lines.push_back(l);
  for (std::size_t s = 1; s < static_cast<std::size_t>(SyncSite::kCount); s++) {
    const SyncSiteInfo& si = kSyncSiteTable[s];
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
