// `gomaplab compare` (issue 13, section 4): one classic op script on the
// classic map (Go 1.19) and the Swiss map (Go 1.26/1.27). The expected figures
// are derived by hand from the runtimes' rules (map.go for 1.19, the spec
// /work/shared/reference/swiss-map-spec.md for the Swiss map), not copied from
// the program's output; each test says how.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using json = nlohmann::json;

namespace {

struct CliRun {
  int status = -1;
  std::string out, err;
};

std::string ownPath(const std::string& name) {
  return testing::TempDir() + "/compare_cli_" + testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
         std::to_string(getpid()) + "_" + name;
}

CliRun run(const std::string& args) {
  std::string errPath = ownPath("stderr.txt");
  std::string cmd = std::string(GOMAPLAB_BINARY) + " compare " + args + " 2>" + errPath;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(errPath);
  std::stringstream es;
  es << e.rdbuf();
  r.err = es.str();
  return r;
}

std::string writeFile(const std::string& name, const std::string& text) {
  std::string path = ownPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

json summary(const std::string& path, const std::string& extra = "") {
  CliRun r = run(path + " --summary " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return json::parse(r.out);
}

std::string sequentialPuts(int n) {
  std::string s = "make int64 0\n";
  for (int i = 0; i < n; i++) s += "put " + std::to_string(i) + " " + std::to_string(i) + "\n";
  return s;
}

} // namespace

// 1000 distinct int64 keys, no hint.
// Classic (map.go): a put grows when count+1 > 8 and count+1 > 6.5*2^B, i.e.
// at the 9th, 14th, 27th, 53rd, 105th, 209th, 417th and 833rd key: 8 grows,
// B=8, and every old bucket evacuated once: 1+2+...+128 = 255 (the 167 puts
// after the 833rd evacuate at least one old bucket each, so the last grow has
// ended). Bytes: hmap 48 + the array of 2^8 buckets and 2^(8-4) preallocated
// overflow bmaps, 272*144 = 39168 B rounded to pages (8192) = 40960.
// Swiss (spec 13.5, 5.5, 2.6): small up to 8, the 9th converts to 16 slots,
// grows at 15, 29, 57, 113, 225, 449 (6 grows, to 1024), the 897th splits
// into two 1024-slot tables and doubles the directory (1 -> 2). Slots moved:
// 8 + 14 + 28 + 56 + 112 + 224 + 448 + 896 = 1786. growthLeft: 2*896 - 1000.
// Bytes: Map 48 + directory 2*8 = 16 + two tables of 32 B + 128 groups of
// 136 B each (17408, size class 18432): 48 + 16 + 2*(32 + 18432) = 36992.
TEST(CompareCli, ThousandSequentialPuts) {
  std::string path = writeFile("seq.ops", sequentialPuts(1000));
  for (const char* version : {"go1.27", "go1.26"}) {
    SCOPED_TRACE(version);
    json j = summary(path, std::string("--version ") + version);
    EXPECT_EQ(j["ops"], 1001);
    EXPECT_EQ(j["version"], version);
    EXPECT_EQ(j["kind"], "int64");
    EXPECT_TRUE(j["stoppedAt"].is_null());
    const json& c = j["classic"];
    EXPECT_EQ(c["count"], 1000);
    EXPECT_EQ(c["B"], 8);
    EXPECT_EQ(c["growing"], false);
    EXPECT_EQ(c["slots"], 2048);
    EXPECT_DOUBLE_EQ(c["load"].get<double>(), 1000.0 / 2048.0);
    EXPECT_EQ(c["bytes"], 48 + 40960);
    EXPECT_EQ(c["growth"]["grows"], 8);
    EXPECT_EQ(c["growth"]["sameSizeGrows"], 0);
    EXPECT_EQ(c["growth"]["evacuations"], 255);
    EXPECT_EQ(c["emptyOne"], 0);
    const json& s = j["swiss"];
    EXPECT_EQ(s["used"], 1000);
    EXPECT_EQ(s["small"], false);
    EXPECT_EQ(s["tables"], 2);
    EXPECT_EQ(s["dirLen"], 2);
    EXPECT_EQ(s["globalDepth"], 1);
    EXPECT_EQ(s["capacity"], 2048);
    EXPECT_DOUBLE_EQ(s["load"].get<double>(), 1000.0 / 2048.0);
    EXPECT_EQ(s["growthLeft"], 2 * 896 - 1000);
    EXPECT_EQ(s["tombstones"], 0);
    EXPECT_EQ(s["bytes"], 48 + 16 + 2 * (32 + 18432));
    EXPECT_EQ(s["growth"]["conversions"], 1);
    EXPECT_EQ(s["growth"]["grows"], 6);
    EXPECT_EQ(s["growth"]["splits"], 1);
    EXPECT_EQ(s["growth"]["dirDoublings"], 1);
    EXPECT_EQ(s["growth"]["slotsMoved"], 1786);
    EXPECT_EQ(s["growth"]["prunes"], 0); // no deletes: nothing to prune
    EXPECT_EQ(s["probes"]["lookups"], 0);
  }
}

// Before the split: at 896 keys the Swiss map is one 1024-slot table at
// growthLeft 0 (the split comes with the 897th); the classic map is at B=8
// already (833 > 832 = 6.5*128 started the grow to B=8 at the 833rd key).
TEST(CompareCli, JustBeforeTheSplit) {
  json j = summary(writeFile("896.ops", sequentialPuts(896)));
  EXPECT_EQ(j["swiss"]["tables"], 1);
  EXPECT_EQ(j["swiss"]["capacity"], 1024);
  EXPECT_EQ(j["swiss"]["growthLeft"], 0);
  EXPECT_EQ(j["swiss"]["growth"]["splits"], 0);
  EXPECT_EQ(j["swiss"]["bytes"], 48 + 8 + 32 + 18432);
  EXPECT_EQ(j["classic"]["B"], 8);
  EXPECT_EQ(j["classic"]["growth"]["grows"], 8);
}

// Lookups on a small map: keys 1, 2, 3 fill cells/slots 0..2 in order.
// Classic (mapaccess2): get 3 tests tophash of cells 0, 1, 2 (the last
// matches: one key comparison); get 9 tests cells 0..2 and stops at cell 3's
// emptyRest: 4 tophash tests, no key comparison. One bmap each.
// Swiss (fast64's small-map path, spec): no hash; every full slot's key is
// compared in order: get 3 compares 3 keys, get 9 compares 3. One group each.
TEST(CompareCli, SmallMapLookups) {
  json j = summary(writeFile("small.ops", "make int64 0\nput 1 1\nput 2 2\nput 3 3\nget 3\nget 9\n"));
  const json& c = j["classic"];
  EXPECT_EQ(c["probes"]["lookups"], 2);
  EXPECT_EQ(c["probes"]["total"], 2);
  EXPECT_EQ(c["probes"]["max"], 1);
  EXPECT_EQ(c["tophashCompares"]["total"], 3 + 4);
  EXPECT_EQ(c["tophashCompares"]["max"], 4);
  EXPECT_EQ(c["keyCompares"]["total"], 1);
  EXPECT_DOUBLE_EQ(c["keyCompares"]["mean"].get<double>(), 0.5);
  const json& s = j["swiss"];
  EXPECT_EQ(s["small"], true);
  EXPECT_EQ(s["probes"]["total"], 2);
  EXPECT_EQ(s["keyCompares"]["total"], 6);
  EXPECT_EQ(s["keyCompares"]["max"], 3);
  // Both: 48 B header + one 136/144 B group or bucket in the 144 size class.
  EXPECT_EQ(c["bytes"], 48 + 144);
  EXPECT_EQ(s["bytes"], 48 + 144);
}

// Identity hash (hash = the key's bits), hint 9. Classic: B=1 (9 > 6.5),
// bucket = key & 1, every tophash 0+minTopHash = 5: the odd keys 1 3 5 7 sit
// in bucket 1's cells 0..3 and all share one tophash. del 3 leaves cell 1
// emptyOne. get 99: tophash tests on cells 0..4 (cell 4 emptyRest stops),
// key comparisons with 1, 5, 7. Swiss: one 16-slot table (2 groups); H1 =
// key>>7 = 0 so keys 0..7 fill group 0; del 3 leaves a tombstone (the group
// has no empty slot, spec 8). get 99: H2 = 99 matches nothing in group 0,
// which has no empty slot, so the probe goes on to group 1 (empty): 2 groups,
// no key comparison. get 7: group 0, H2 7 matches one slot: 1 key comparison.
// Bytes: classic 48 + 2*144; Swiss 48 + dir 8 + table 32 + 2*136 -> 288.
TEST(CompareCli, TombstoneAgainstEmptyOne) {
  std::string text = "hashmode identity\nmake int64 9\n";
  for (int i = 0; i < 8; i++) text += "put " + std::to_string(i) + " " + std::to_string(i) + "\n";
  text += "del 3\nget 7\nget 99\n";
  json j = summary(writeFile("tomb.ops", text));
  const json& c = j["classic"];
  const json& s = j["swiss"];
  EXPECT_EQ(c["emptyOne"], 1);
  EXPECT_EQ(s["tombstones"], 1);
  EXPECT_EQ(c["B"], 1);
  EXPECT_EQ(c["tophashCompares"]["total"], 4 + 5);
  EXPECT_EQ(c["keyCompares"]["total"], 3 + 3);
  EXPECT_EQ(c["probes"]["max"], 1);
  EXPECT_EQ(s["probes"]["total"], 1 + 2);
  EXPECT_EQ(s["probes"]["max"], 2);
  EXPECT_EQ(s["keyCompares"]["total"], 1);
  EXPECT_EQ(c["bytes"], 48 + 288);
  EXPECT_EQ(s["bytes"], 48 + 8 + 32 + 288);
  EXPECT_EQ(s["tables"], 1);
  EXPECT_EQ(s["capacity"], 16);
  EXPECT_EQ(s["growthLeft"], 14 - 7 - 1); // 16*7/8 - used - tombstones
}

// A panic ends the program on both sides: the rest of the script is not run.
TEST(CompareCli, NilMapPanicStops) {
  std::string path = writeFile("nil.ops", "nil int64\nget 1\nput 1 1\nput 2 2\n");
  json j = summary(path);
  EXPECT_EQ(j["ops"], 3);
  EXPECT_EQ(j["stoppedAt"], 3);
  EXPECT_EQ(j["classic"]["outcome"], "panic: assignment to entry in nil map");
  EXPECT_EQ(j["swiss"]["outcome"], "panic: assignment to entry in nil map");
  EXPECT_EQ(j["classic"]["bytes"], 0);
  EXPECT_EQ(j["swiss"]["bytes"], 0);
  CliRun t = run(path);
  EXPECT_EQ(t.status, 0);
  EXPECT_NE(t.out.find("stopped at line 3"), std::string::npos) << t.out;
}

// The table: one block per N ops and one for the last, both columns.
TEST(CompareCli, TableEveryN) {
  CliRun r = run(writeFile("five.ops", "make int64 0\nput 1 1\nput 2 2\nget 1\nput 3 3\n") + " --every 2 --version go1.26");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("op 2 (line 2): put 1 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("op 4 (line 4): get 1"), std::string::npos);
  EXPECT_NE(r.out.find("op 5 (line 5): put 3 3"), std::string::npos);
  EXPECT_EQ(r.out.find("op 1 ("), std::string::npos);
  EXPECT_EQ(r.out.find("op 3 ("), std::string::npos);
  EXPECT_NE(r.out.find("classic (go1.19)"), std::string::npos);
  EXPECT_NE(r.out.find("swiss (go1.26)"), std::string::npos);
  // The entries line of the last block: 3 on both sides.
  std::size_t last = r.out.rfind("op 5");
  std::size_t e = r.out.find("entries", last);
  ASSERT_NE(e, std::string::npos);
  std::string line = r.out.substr(e, r.out.find('\n', e) - e);
  std::istringstream ls(line);
  std::string word;
  long a = 0, b = 0;
  ls >> word >> a >> b;
  EXPECT_EQ(a, 3);
  EXPECT_EQ(b, 3);
}

TEST(CompareCli, BadInputIsFileLineColumnExit2) {
  std::string bad = writeFile("bad.ops", "make int64 0\nput 1 1\nput x 1\n");
  CliRun r = run(bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(bad + ":3:5: expected an int64 key"), std::string::npos) << r.err;

  std::string sw = writeFile("swiss.ops", "make swiss int64 0\nput 1 1\n");
  r = run(sw);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(sw + ":1:1: expected 'make KIND HINT'"), std::string::npos) << r.err;

  std::string ver = writeFile("version.ops", "version go1.26\nmake int64 0\n");
  r = run(ver);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(ver + ":2:1: expected a classic op script"), std::string::npos) << r.err;

  std::string ok = writeFile("ok.ops", "make int64 0\n");
  r = run(ok + " --version go1.25");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--version: expected go1.26 or go1.27, got 'go1.25'"), std::string::npos) << r.err;
  r = run(ok + " --every 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--every"), std::string::npos) << r.err;
  r = run(ownPath("missing.ops"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cannot open script"), std::string::npos) << r.err;
}
