// Op-script parsing and the dump/events runner: the CLI contract other tools rely on.
#include <gtest/gtest.h>

#include <cmath>

#include "trace/opscript.hpp"
#include "trace/script_runner.hpp"
#include "trace/script_session.hpp"
#include "trace/state_json.hpp"

using namespace gomap;

namespace {
std::vector<std::string> runLines(const std::string& text, RunnerOptions opts = {}) {
  std::vector<std::string> lines;
  ScriptRunner runner(opts, [&](std::string_view l) { lines.emplace_back(l); });
  ScriptParser p("t.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll(text, err);
  EXPECT_FALSE(err) << (err ? err->format() : "");
  for (std::size_t i = 0; i < ops.size(); i++)
    if (!runner.execute(ops[i], static_cast<int64_t>(i + 1), i + 1 == ops.size())) break;
  return lines;
}

std::string parseError(const std::string& text) {
  ScriptParser p("bad.ops");
  std::optional<ScriptError> err;
  p.parseAll(text, err);
  return err ? err->format() : "";
}
} // namespace

TEST(Script, KeysOfEveryKind) {
  KeyValue k;
  std::string why;
  ASSERT_TRUE(parseKeyToken("-9223372036854775808", KeyKind::Int64, k, why));
  EXPECT_EQ(k.i, INT64_MIN);
  EXPECT_FALSE(parseKeyToken("9223372036854775808", KeyKind::Int64, k, why));
  EXPECT_FALSE(parseKeyToken("2147483648", KeyKind::Int32, k, why));
  ASSERT_TRUE(parseKeyToken("NaN", KeyKind::Float64, k, why));
  EXPECT_TRUE(std::isnan(k.f));
  ASSERT_TRUE(parseKeyToken("-0", KeyKind::Float64, k, why));
  EXPECT_TRUE(std::signbit(k.f) && k.f == 0);
  ASSERT_TRUE(parseKeyToken("+Inf", KeyKind::Float64, k, why));
  EXPECT_TRUE(std::isinf(k.f) && k.f > 0);
  ASSERT_TRUE(parseKeyToken("1.5e3", KeyKind::Float64, k, why));
  EXPECT_EQ(k.f, 1500.0);
  EXPECT_FALSE(parseKeyToken("1.5x", KeyKind::Float64, k, why));
  ASSERT_TRUE(parseKeyToken(R"("a\x20b")", KeyKind::String, k, why));
  EXPECT_EQ(k.s, "a b");
  ASSERT_TRUE(parseKeyToken(R"("")", KeyKind::String, k, why));
  EXPECT_EQ(k.s, "");
  ASSERT_TRUE(parseKeyToken(R"("\u4e2d\t\101")", KeyKind::String, k, why));
  EXPECT_EQ(k.s, "\xe4\xb8\xad\tA");
  ASSERT_TRUE(parseKeyToken("`raw\\n`", KeyKind::String, k, why));
  EXPECT_EQ(k.s, "raw\\n");
  EXPECT_FALSE(parseKeyToken(R"("\q")", KeyKind::String, k, why));
  EXPECT_FALSE(parseKeyToken(R"("\x4")", KeyKind::String, k, why));
}

TEST(Script, ErrorsNameFileLineColumnAndWhatWasExpected) {
  // The column is just after the last argument (where the missing one belongs).
  EXPECT_EQ(parseError("make int64 0\nput 1\n"), "bad.ops:2:6: expected 'put KEY VAL', got 1 argument");
  EXPECT_EQ(parseError("put 1 2\n"), "bad.ops:1:1: expected 'make KIND HINT' (or 'nil KIND') before 'put'");
  EXPECT_EQ(parseError("make int8 0\n"),
            "bad.ops:1:6: expected a key kind (int64, int32, string or float64), got \"int8\"");
  EXPECT_EQ(parseError("make int64 0\nput x 1\n"),
            "bad.ops:2:5: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"x\"");
  EXPECT_EQ(parseError("make string 0\nput \"abc 1\n"), "bad.ops:2:5: expected a closing \" for the string that starts here");
  EXPECT_EQ(parseError("make int64 0\nfrobnicate\n").substr(0, 25), "bad.ops:2:1: expected an ");
  EXPECT_EQ(parseError("make int64 0\nhashkey 5\n"),
            "bad.ops:2:1: expected 'hashkey' before the first 'make' (the runtime sets hashkey at start-up)");
  EXPECT_EQ(parseError("make int64 0 4294967296\n"),
            "bad.ops:1:14: expected a hash0 seed (decimal or 0x hex, at most 4294967295), got \"4294967296\"");
}

TEST(Script, CommentsAndBlankLinesAndQuotedHashes) {
  auto lines = runLines("# comment\n\nmake string 0 1   # trailing\nput \"#not a comment\" 1\nget \"#not a comment\"\n");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[2].find("\"found\":true,\"val\":1"), std::string::npos) << lines[2];
  EXPECT_EQ(lines[1].rfind("{\"op\":\"put \\\"#not a comment\\\" 1\"", 0), 0u) << lines[1];
}

TEST(Script, ExampleLineFromTheRealRuntime) {
  // The issue's example: real output of Go 1.19 for these ops.
  std::string text = "make int64 0\nseed 12345\n";
  for (int k = 0; k < 12; k++) text += "put " + std::to_string(k) + " " + std::to_string(10 * k) + "\n";
  auto lines = runLines(text);
  EXPECT_EQ(lines.back(),
            R"({"op":"put 11 110","hash":"0x2f407721a3748952","count":12,"flags":0,"B":1,"noverflow":1,"hash0":12345,"nevacuate":1,"old":false,"nextov":-1,"buckets":[[{"th":[65,85,182,62,124,171,107,65],"k":[0,1,2,4,5,8,9,10],"v":[0,10,20,40,50,80,90,100]},{"th":[47,0,0,0,0,0,0,0],"k":[11,null,null,null,null,null,null,null],"v":[110,null,null,null,null,null,null,null],"pre":-1}],[{"th":[36,109,180,0,0,0,0,0],"k":[3,6,7,null,null,null,null,null],"v":[30,60,70,null,null,null,null,null]}]],"oldbuckets":null})");
}

TEST(Script, HashOpPrintsOnlyOpAndHash) {
  auto lines = runLines("make int64 0 12345\nhash 11\n");
  EXPECT_EQ(lines[1], R"({"op":"hash 11","hash":"0x2f407721a3748952"})");
}

TEST(Script, NilMapPanicIsPrintedAndTheScriptGoesOn) {
  auto lines = runLines("nil int64\nget 1\nput 1 2\nget 1\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[1].find("\"found\":false,\"val\":0"), std::string::npos);
  EXPECT_EQ(lines[2], R"({"op":"put 1 2","panic":"assignment to entry in nil map"})");
}

TEST(Script, FloatKeysPrintAsGoFormatsThem) {
  auto lines = runLines("make float64 0\nput -0 1\nput 1e21 2\nput 0.000001 3\nput 1234567 4\niter\n");
  std::string last = lines.back();
  for (const char* k : {"\"-0\"", "\"1e+21\"", "\"1e-06\"", "\"1.234567e+06\""})
    EXPECT_NE(last.find(k), std::string::npos) << k << " in " << last;
}

TEST(Script, EveryAndSummaryAndDigest) {
  RunnerOptions o;
  o.every = 2;
  o.summary = true;
  o.digest = true;
  auto lines = runLines("make int64 0\nput 1 1\nput 2 2\nput 3 3\nput 4 4\n", o);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].find("\"count\""), std::string::npos); // op 1: not a multiple of 2
  EXPECT_NE(lines[1].find("\"count\":1"), std::string::npos);
  EXPECT_EQ(lines[1].find("\"buckets\""), std::string::npos);
  for (auto& l : lines) EXPECT_NE(l.find("\"digest\":\"0x"), std::string::npos) << l;
}

TEST(Script, EventsCarryFunctionAndLine) {
  RunnerOptions o;
  o.events = true;
  auto lines = runLines("make int64 0\nput 1 1\n", o);
  bool sawHash = false, sawXor = false;
  for (auto& l : lines) {
    sawHash |= l.find(R"("kind":"hash_computed","fn":"mapassign","line":597)") != std::string::npos;
    sawXor |= l.find(R"("kind":"flags_changed","fn":"mapassign","line":601,"from":0,"to":4)") != std::string::npos;
  }
  EXPECT_TRUE(sawHash);
  EXPECT_TRUE(sawXor);
}

// The GUI's line log maps each script line to the session ops it produced;
// sessionFromScript says so itself, from the same applyScriptOp that made them.
TEST(Script, SessionOpsOfEachScriptLine) {
  ScriptParser p("t.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll("hashmode identity\nmake int64 0 7\nput 1 10\nhash 1\ndump\nhashmode go\nget 1\n", err);
  ASSERT_FALSE(err) << err->format();
  std::string why;
  auto ss = sessionFromScript(ops, "t.ops", why);
  ASSERT_TRUE(ss) << why;
  using R = std::pair<std::size_t, std::size_t>;
  EXPECT_EQ(ss->sessionOpsOf, (std::vector<R>{{0, 0}, {0, 2}, {2, 3}, {3, 3}, {3, 3}, {3, 4}, {4, 5}}));
  EXPECT_EQ(ss->session->opCount(), 5u);
  ASSERT_EQ(ss->opTexts.size(), 5u);
  EXPECT_EQ(ss->opTexts[1], "make int64 0 7"); // make, then its hash0
  EXPECT_EQ(ss->opTexts[4], "get 1");
  EXPECT_EQ(ss->session->map().header().hash0, 7u);
}

// requestOf and applyOp: the one place a parsed op becomes engine work.
TEST(Script, ApplyOpRunsOpsAsDumpDoes) {
  ScriptParser p("t.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll("hashkey 5\nrngseed 9\nhashmode identity\nmake int64 0 3\nput 1 10\nput 2 20\ndel 1\nget 2\n", err);
  ASSERT_FALSE(err) << err->format();
  EXPECT_FALSE(requestOf(ops[0]));            // hashkey configures, runs nothing
  ASSERT_TRUE(requestOf(ops[4]));
  EXPECT_EQ(requestOf(ops[4])->code, OpCode::Put);
  EXPECT_EQ(requestOf(ops[4])->value, 10);
  OpTarget t;
  AccessResult got;
  for (auto& op : ops) EXPECT_EQ(applyOp(t, op, &got).outcome, Outcome::Ok) << op.text;
  ASSERT_TRUE(t.map);
  EXPECT_EQ(t.map->header().count, 1);
  EXPECT_EQ(t.map->header().hash0, 3u);
  EXPECT_TRUE(got.found);
  EXPECT_EQ(got.value, 20);
  // The same ops through the dump runner leave the same memory.
  RunnerOptions ro;
  ro.digest = true;
  std::vector<std::string> lines = runLines("hashkey 5\nrngseed 9\nhashmode identity\nmake int64 0 3\nput 1 10\nput 2 20\ndel 1\nget 2\n", ro);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find("\"digest\":\"" + hashHex(stateDigest(*t.map)) + "\""), std::string::npos) << lines.back();
}
