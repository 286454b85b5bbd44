// The model interface (engine/model.hpp) as the classic map implements it:
// live entries, typed invariant findings, the event tables, all through a
// Model& that knows nothing of buckets.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "engine/any_map.hpp"
#include "engine/model.hpp"

namespace gomap {
namespace {

std::map<int64_t, int64_t> entryMap(const Model& m) {
  std::map<int64_t, int64_t> out;
  for (const Entry& e : m.entries()) {
    EXPECT_TRUE(out.emplace(e.key.i, e.value).second) << "entry " << e.key.i << " listed twice";
  }
  return out;
}

// entries() lists each live pair once, also while a grow is half done (keys
// in old buckets not yet evacuated, others in the new array), and draws no
// randomness (the digest and the rng state stay).
TEST(Model, ClassicEntriesMatchAReferenceMapThroughGrowsAndDeletes) {
  auto any = AnyMap::create(KeyKind::Int64, 3);
  Model& m = *any;
  ASSERT_EQ(m.apply({OpCode::Make, {}, 0}).outcome, Outcome::Ok);
  std::map<int64_t, int64_t> ref;
  std::mt19937_64 rng(1);
  bool sawGrowing = false;
  for (int i = 0; i < 3000; i++) {
    const int64_t k = static_cast<int64_t>(rng() % 900);
    if (rng() % 4 == 0) {
      ASSERT_EQ(m.apply({OpCode::Del, KeyValue::ofInt(KeyKind::Int64, k), 0}).outcome, Outcome::Ok);
      ref.erase(k);
    } else {
      ASSERT_EQ(m.apply({OpCode::Put, KeyValue::ofInt(KeyKind::Int64, k), i}).outcome, Outcome::Ok);
      ref[k] = i;
    }
    if (i % 37 == 0 || any->growing()) {
      sawGrowing |= any->growing();
      const uint64_t digest = m.digest(), rngState = any->rngState();
      ASSERT_EQ(entryMap(m), ref) << "after op " << i;
      ASSERT_EQ(m.digest(), digest);
      ASSERT_EQ(any->rngState(), rngState);
    }
  }
  EXPECT_TRUE(sawGrowing) << "the ops should have caught the map mid-grow";
  EXPECT_EQ(static_cast<int64_t>(m.entries().size()), any->header().count);
}

// The classic tables are kKindTable and kSiteTable, with runtime/map.go as
// the source file: mapassign's entry check is map.go:595 (fatal("concurrent
// map writes") in Go 1.19's mapassign).
TEST(Model, ClassicEventTablesAreTheKindAndSiteTables) {
  auto any = AnyMap::create(KeyKind::String, 1);
  const Model& m = *any;
  EXPECT_EQ(m.goType(), "map[string]int64");
  EXPECT_FALSE(m.modelName().empty());
  const ModelEventTables& t = m.eventTables();
  ASSERT_EQ(t.kinds.size(), kKindTable.size());
  ASSERT_EQ(t.sites.size(), kSiteTable.size());
  for (std::size_t i = 0; i < t.kinds.size(); i++) {
    EXPECT_EQ(static_cast<std::size_t>(t.kinds[i].kind), i);
    EXPECT_EQ(t.kinds[i].name, kKindTable[i].name);
    EXPECT_EQ(t.kinds[i].endsOp, kKindTable[i].endsOp);
  }
  for (std::size_t i = 0; i < t.sites.size(); i++) {
    EXPECT_EQ(static_cast<std::size_t>(t.sites[i].site), i);
    EXPECT_EQ(t.sites[i].kind, kSiteTable[i].kind);
    EXPECT_EQ(t.sites[i].line, kSiteTable[i].line);
    EXPECT_EQ(t.sites[i].sourceFile, kSiteTable[i].line ? "runtime/map.go" : "");
  }
  const ModelSiteRow& check = t.sites[static_cast<std::size_t>(Site::AssignEntryCheck)];
  EXPECT_EQ(check.function, "mapassign");
  EXPECT_EQ(check.sourceFile, "runtime/map.go");
  EXPECT_EQ(check.line, 595);
  EXPECT_EQ(check.kind, EventKind::Fatal);
}

// A map with hashWriting left set between ops (a snapshot edited as a racing
// writer would leave it) is reported by kind, with no cell.
TEST(Model, InvariantFindingsAreTyped) {
  auto any = AnyMap::create(KeyKind::Int64, 1);
  any->apply({OpCode::Make, {}, 0});
  for (int i = 0; i < 5; i++) any->apply({OpCode::Put, KeyValue::ofInt(KeyKind::Int64, i), i});
  EXPECT_TRUE(any->checkInvariants().empty());
  auto snap = std::any_cast<Map<Int64Key>::Snapshot>(any->snapshot());
  snap.h.flags |= hashWriting;
  any->restore(snap);
  const Model& m = *any;
  auto bad = m.checkInvariants();
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].kind, InvariantKind::WritingBetweenOps);
  EXPECT_EQ(invariantKindName(bad[0].kind), "writing-between-ops");
  EXPECT_FALSE(bad[0].where.has_value());
}

} // namespace
} // namespace gomap
