// Lessons in op scripts (issue 11, items 2 and 3): title/narration/expect lines,
// their errors, `gomaplab dump --check`, and every bundled lesson holding.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "trace/opscript.hpp"
#include "trace/script_runner.hpp"

using namespace gomap;

namespace {

std::string parseError(const std::string& text) {
  ScriptParser p("bad.ops");
  std::optional<ScriptError> err;
  p.parseAll(text, err);
  return err ? err->format() : "";
}

struct CliRun {
  int status = -1;
  std::string out;
};
// Runs the gomaplab binary with a shell command line: its stdout and stderr
// together, or its stderr alone.
CliRun gomaplab(const std::string& args, bool stderrOnly = false) {
  CliRun r;
  std::string cmd = std::string(GOMAPLAB_BINARY) + " " + args + (stderrOnly ? " 2>&1 >/dev/null" : " 2>&1");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string writeTemp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("gomaplab-lesson-" + std::to_string(getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path.string();
}

const char* kLesson = R"(# a small lesson
title en Growth at nine keys
title zh 九个键时扩容
hashmode identity
narration en An empty map.
narration zh 一个空 map。
make int64 0
expect B == 0
expect buckets == nil
narration en The first key: # kept, "quotes" too.
put 1 10
expect count == 1
expect key 0.0 == 1
expect tophash 0.0 == 5
expect flagsDuring == 4 0
get 1
expect found == true
expect value == 10
expect cells == 1
expect scanned == 0.0
)";

} // namespace

TEST(LessonLines, TitleNarrationAndExpectsAttachToTheirOps) {
  ScriptParser p("l.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll(kLesson, err);
  ASSERT_FALSE(err) << err->format();
  ASSERT_EQ(ops.size(), 4u); // hashmode, make, put, get
  const Lesson& l = p.lesson();
  EXPECT_EQ(l.title[0], "Growth at nine keys");
  EXPECT_EQ(l.title[1], "九个键时扩容");
  ASSERT_GE(l.ops.size(), 4u);
  // Narration belongs to the op that follows it; expect lines to the op above them.
  EXPECT_EQ(l.ops[1].narration[0], "An empty map.");
  EXPECT_EQ(l.ops[1].narration[1], "一个空 map。");
  EXPECT_EQ(l.ops[2].narration[0], "The first key: # kept, \"quotes\" too.");
  EXPECT_TRUE(l.ops[0].empty());
  ASSERT_EQ(l.ops[1].expects.size(), 2u);
  EXPECT_EQ(l.ops[1].expects[0].text, "expect B == 0");
  EXPECT_EQ(l.ops[1].expects[0].line, 8);
  ASSERT_EQ(l.ops[2].expects.size(), 4u);
  EXPECT_EQ(l.ops[2].expects[3].want, "4 0");
  EXPECT_EQ(l.expectCount(), 10u);

  LessonCheck c = checkLesson(ops, l);
  EXPECT_EQ(c.checked, 10u);
  EXPECT_EQ(c.failed, 0u);
  for (auto& op : c.byOp)
    for (auto& o : op) EXPECT_TRUE(o.holds) << o.line->text << ": got " << o.got;
}

TEST(LessonLines, IsLessonLine) {
  EXPECT_TRUE(isLessonLine("title en A"));
  EXPECT_TRUE(isLessonLine("  narration zh 文"));
  EXPECT_TRUE(isLessonLine("expect B == 1 # two"));
  EXPECT_FALSE(isLessonLine("put 1 1"));
  EXPECT_FALSE(isLessonLine("# title en A"));
  EXPECT_FALSE(isLessonLine("titles"));
}

TEST(LessonLines, FailingExpectsSayWhatWasFound) {
  ScriptParser p("l.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll("make int64 0\nput 1 1\nexpect count == 2\nexpect count != 1\nexpect B == 0\n", err);
  ASSERT_FALSE(err);
  LessonCheck c = checkLesson(ops, p.lesson());
  EXPECT_EQ(c.checked, 3u);
  EXPECT_EQ(c.failed, 2u);
  ASSERT_EQ(c.byOp[1].size(), 3u);
  EXPECT_FALSE(c.byOp[1][0].holds);
  EXPECT_EQ(c.byOp[1][0].got, "1");
  EXPECT_FALSE(c.byOp[1][1].holds);
  EXPECT_TRUE(c.byOp[1][2].holds);
}

TEST(LessonLines, ValuesAreCanonical) {
  ScriptParser p("l.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll("make string 0\nput \"a b\" 1\nexpect key 0.0 == `a b`\nexpect hash0 == 0x0\n"
                        "put c 2\nexpect panic == none\niter\nexpect keys != none\n",
                        err);
  ASSERT_FALSE(err) << err->format();
  EXPECT_EQ(p.lesson().ops[1].expects[0].want, "\"a b\"");
  EXPECT_EQ(p.lesson().ops[1].expects[1].want, "0");
  LessonCheck c = checkLesson(ops, p.lesson());
  EXPECT_EQ(c.failed, 0u);
}

TEST(LessonLines, BadLinesNameFileLineColumnAndWhatWasExpected) {
  EXPECT_EQ(parseError("expect B == 0\n"),
            "bad.ops:1:1: expected an op before 'expect' (an expect line checks the op above it)");
  EXPECT_EQ(parseError("make int64 0\nexpect Bee == 0\n").substr(0, 45), "bad.ops:2:8: expected what to check (B, count");
  EXPECT_EQ(parseError("make int64 0\nexpect B = 0\n"), "bad.ops:2:10: expected '==' or '!='");
  EXPECT_EQ(parseError("make int64 0\nexpect B ==\n"), "bad.ops:2:12: expected a value after the comparison");
  EXPECT_EQ(parseError("make int64 0\nexpect B == two\n"),
            "bad.ops:2:13: expected a number (decimal or 0x hex), got \"two\"");
  EXPECT_EQ(parseError("make int64 0\nexpect B == 1 2\n"),
            "bad.ops:2:15: expected one value (lists are for keys, evacuations, scanned, flagsDuring)");
  EXPECT_EQ(parseError("make int64 0\nexpect growing == yes\n"), "bad.ops:2:19: expected true or false, got \"yes\"");
  EXPECT_EQ(parseError("make int64 0\nexpect tophash 3.8 == 5\n").substr(0, 31), "bad.ops:2:16: expected a cell: ");
  EXPECT_EQ(parseError("make int64 0\nexpect key 0.0 == x\n"),
            "bad.ops:2:19: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"x\"");
  EXPECT_EQ(parseError("make int64 0\nexpect size bucket == 8\n"),
            "bad.ops:2:13: expected an hmap field (count, flags, B, noverflow, hash0), got \"bucket\"");
  EXPECT_EQ(parseError("make int64 0\nexpect panic == boom\n"),
            "bad.ops:2:17: expected a quoted message (\"...\") or none, got \"boom\"");
  EXPECT_EQ(parseError("make int64 0\nexpect scanned == 1\n").substr(0, 30), "bad.ops:2:19: expected a bmap:");
  EXPECT_EQ(parseError("title fr Bonjour\nmake int64 0\n"), "bad.ops:1:7: expected 'title en|zh TEXT'");
  EXPECT_EQ(parseError("title en\nmake int64 0\n"), "bad.ops:1:7: expected 'title en|zh TEXT'");
  EXPECT_EQ(parseError("title en A\ntitle en B\nmake int64 0\n"), "bad.ops:2:1: expected one 'title en' line");
  EXPECT_EQ(parseError("make int64 0\nnarration en dangling\n"),
            "bad.ops:2:1: expected an op after this narration (a narration belongs to the op that follows it)");
}

TEST(LessonLines, DumpOutputIgnoresLessonLines) {
  // The JSON of a lesson is the JSON of the same script without its lesson lines.
  std::string plain;
  std::istringstream in(kLesson);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("title", 0) != 0 && line.rfind("narration", 0) != 0 && line.rfind("expect", 0) != 0)
      plain += line + "\n";
  std::string a = writeTemp("with.ops", kLesson), b = writeTemp("without.ops", plain);
  CliRun ra = gomaplab("dump " + a), rb = gomaplab("dump " + b);
  EXPECT_EQ(ra.status, 0);
  EXPECT_EQ(rb.status, 0);
  EXPECT_EQ(ra.out, rb.out);
  EXPECT_NE(ra.out.find("\"op\":\"get 1\""), std::string::npos);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(LessonLines, DumpCheckExitStatus) {
  std::string ok = writeTemp("ok.ops", kLesson);
  CliRun r = gomaplab("dump --check " + ok, true);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, ok + ": all 10 expect lines hold\n");

  std::string bad = writeTemp("fail.ops", "make int64 0\nput 1 1\nexpect count == 2\nexpect B == 0\n");
  r = gomaplab("dump --check " + bad, true);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, bad + ":3: expect count == 2: got 1\n" + bad + ": 1 of 2 expect lines failed\n");

  std::string broken = writeTemp("broken.ops", "make int64 0\nexpect count = 2\n");
  r = gomaplab("dump --check " + broken, true);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, broken + ":2:14: expected '==' or '!='\n");
  for (auto& f : {ok, bad, broken}) std::remove(f.c_str());
}

// Every bundled op-script lesson: a title and narration in both languages, expect
// lines, and all of them holding on the engine (in-process and through the CLI).
TEST(LessonSet, EveryBundledLessonHolds) {
  namespace fs = std::filesystem;
  int lessons = 0;
  for (const auto& ent : fs::directory_iterator(fs::path(GOMAPLAB_SOURCE_DIR) / "assets/lessons")) {
    if (ent.path().extension() != ".ops") continue;
    lessons++;
    SCOPED_TRACE(ent.path().filename().string());
    std::ifstream f(ent.path());
    std::stringstream ss;
    ss << f.rdbuf();
    ScriptParser p(ent.path().string());
    std::optional<ScriptError> err;
    auto ops = p.parseAll(ss.str(), err);
    ASSERT_FALSE(err) << err->format();
    const Lesson& l = p.lesson();
    EXPECT_FALSE(l.title[0].empty());
    EXPECT_FALSE(l.title[1].empty());
    int en = 0, zh = 0;
    for (const LessonNotes& n : l.ops) {
      en += !n.narration[0].empty();
      zh += !n.narration[1].empty();
    }
    EXPECT_GT(en, 0);
    EXPECT_EQ(en, zh) << "every narrated op is narrated in both languages";
    EXPECT_GE(l.expectCount(), 5u);
    LessonCheck c = checkLesson(ops, l);
    for (auto& op : c.byOp)
      for (auto& o : op) EXPECT_TRUE(o.holds) << o.line->line << ": " << o.line->text << ": got " << o.got;
    CliRun r = gomaplab("dump --check " + ent.path().string(), true);
    EXPECT_EQ(r.status, 0) << r.out;
  }
  EXPECT_GE(lessons, 10);
}

// ---- expect lines on the Swiss map (issue 13, section 4) ------------------------------------

namespace {

// Runs a Swiss lesson text; every expect line must hold.
LessonCheck swissCheck(const std::string& text, std::vector<ScriptOp>* opsOut = nullptr, Lesson* lessonOut = nullptr) {
  ScriptParser p("swiss.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll(text, err);
  EXPECT_FALSE(err) << err->format();
  LessonCheck c = checkLesson(ops, p.lesson());
  for (auto& op : c.byOp)
    for (auto& o : op) EXPECT_TRUE(o.holds) << o.line->line << ": " << o.line->text << ": got " << o.got;
  if (opsOut) *opsOut = ops;
  if (lessonOut) *lessonOut = p.takeLesson();
  return c;
}

// The got value of the only expect line of a one-expect script.
std::string swissGot(const std::string& text) {
  ScriptParser p("swiss.ops");
  std::optional<ScriptError> err;
  auto ops = p.parseAll(text, err);
  if (err) return "parse error: " + err->format();
  LessonCheck c = checkLesson(ops, p.lesson());
  for (auto& op : c.byOp)
    for (auto& o : op) return o.got;
  return "no expect line";
}

// The 14 keys of swiss-check's prune test (seed 0x1234, default hashkeys): the
// first eight start probing at group 0 of a 16-slot table, the next six at group 1
// (spec 19.2's hash; group = (hash >> 7) & 1).
const char* kPruneSetup = "make swiss int64 9 0x1234\n"
                          "put 1 1\nput 2 1\nput 3 1\nput 4 1\nput 5 1\nput 7 1\nput 8 1\nput 9 1\n"
                          "put 6 2\nput 10 2\nput 11 2\nput 12 2\nput 13 2\nput 18 2\n";

} // namespace

TEST(SwissExpect, HeaderSubjectsBeforeAndAfterTheFirstInsert) {
  // hash(1) with seed 0x1234 is 0xa3b558c037358c37 (the real runtime's, oracle_swiss): H2 = 0x37 = 55.
  LessonCheck c = swissCheck("make swiss int64 0 0x1234\n"
                             "expect used == 0\nexpect small == true\nexpect tables == 0\nexpect dirLen == 0\n"
                             "expect globalDepth == 0\nexpect seed == 0x1234\nexpect writing == 0\n"
                             "expect clearSeq == 0\nexpect tombstonePossible == false\nexpect grew == none\n"
                             "put 1 10\n"
                             "expect used == 1\nexpect key small 0 0 == 1\nexpect elem small 0 0 == 10\n"
                             "expect ctrl small 0 0 == 55\nexpect ctrl small 0 0 == 0x37\nexpect ctrl small 0 1 == empty\n"
                             "expect ctrl small 0 1 == 0x80\nexpect probes == 1\nexpect compared == 0\n"
                             "expect panic == none\nexpect fatal == none\n"
                             "get 1\nexpect found == true\nexpect value == 10\nexpect probes == 0\nexpect compared == 1\n"
                             "get 5\nexpect found == false\nexpect value == 0\n"
                             "seed 7\nexpect seed == 7\n");
  EXPECT_EQ(c.checked, 28u);
  EXPECT_EQ(c.failed, 0u);
}

TEST(SwissExpect, TableSubjectsTombstonesAndPrune) {
  // Spec 11.3: deletes in a group with no empty slot leave tombstones; 12: the fast
  // rule prunes them at growthLeft 0 (the real runtime's memory: oracle_swiss.*.prune).
  LessonCheck c = swissCheck(std::string(kPruneSetup) +
                             "expect tables == 1\nexpect small == false\nexpect dirLen == 1\n"
                             "expect table 0 capacity == 16\nexpect table 0 used == 14\nexpect table 0 growthLeft == 0\n"
                             "expect table 0 localDepth == 0\nexpect table 0 index == 0\nexpect table 0 tombstones == 0\n"
                             "del 3\nexpect ctrl 0 0 2 == deleted\nexpect ctrl 0 0 2 == 254\nexpect key 0 0 2 == 3\n"
                             "expect elem 0 0 2 == 0\nexpect tombstonePossible == true\nexpect table 0 tombstones == 1\n"
                             "del 7\nexpect table 0 tombstones == 2\nexpect table 0 used == 12\n"
                             "put 19 3\nexpect pruned == 2\nexpect grew == none\nexpect ctrl 0 0 2 == empty\n"
                             "expect table 0 growthLeft == 1\nexpect table 0 tombstones == 0\nexpect splits == 0\n"
                             "expect dirDoubled == false\n");
  EXPECT_EQ(c.failed, 0u);
}

TEST(SwissExpect, GrewConvertGrowSplitAndDirDoubled) {
  std::string s = "make swiss int64 0\n";
  for (int i = 1; i <= 8; i++) s += fmt::format("put {} {}\n", i, i);
  s += "expect grew == none\nput 9 9\nexpect grew == convert\nexpect grew != grow\nexpect table 0 capacity == 16\n";
  for (int i = 10; i <= 14; i++) s += fmt::format("put {} {}\n", i, i);
  s += "put 15 15\nexpect grew == grow\nexpect splits == 0\nexpect table 0 capacity == 32\n";
  for (int i = 16; i <= 896; i++) s += fmt::format("put {} {}\n", i, i);
  s += "expect dirLen == 1\nput 897 897\nexpect grew == split\nexpect splits == 1\nexpect dirDoubled == true\n"
       "expect dirLen == 2\nexpect globalDepth == 1\nexpect tables == 2\nexpect table 1 localDepth == 1\n"
       "expect table 1 index == 1\nexpect table 0 used == 443\nexpect table 1 used == 454\n"; // the runtime's split
  LessonCheck c = swissCheck(s);
  EXPECT_EQ(c.failed, 0u);
}

TEST(SwissExpect, IterationKeysAndOffsets) {
  // A small map iterates from slot entryOffset mod 8 (spec 16.3).
  LessonCheck c = swissCheck("make swiss int64 0\nput 1 1\nput 2 2\nput 3 3\nput 4 4\nput 5 5\n"
                             "iter 0 0\nexpect keys == 1 2 3 4 5\nexpect offsets == 0 0\n"
                             "iter 3 9\nexpect keys == 4 5 1 2 3\nexpect offsets == 3 9\n"
                             "iter 11 0\nexpect keys == 4 5 1 2 3\n"
                             "put 6 6\nexpect offsets == none\nexpect keys == none\n");
  EXPECT_EQ(c.failed, 0u);
}

TEST(SwissExpect, WhatIsMissingIsSaid) {
  EXPECT_EQ(swissGot("make swiss int64 9\nexpect table 3 used == 0\n"), "no table 3 (the map has 1)");
  EXPECT_EQ(swissGot("make swiss int64 9\nexpect ctrl 0 2 0 == empty\n"), "no group 2 (table 0 has 2)");
  EXPECT_EQ(swissGot("make swiss int64 9\nexpect key small 0 0 == 1\n"), "no small group (the map has tables)");
  EXPECT_EQ(swissGot("make swiss int64 0\nexpect key small 0 0 == 1\n"), "no small group (no key yet)");
  EXPECT_EQ(swissGot("make swiss int64 0\nput 1 1\nexpect ctrl small 0 7 != empty\n"), "empty");
  EXPECT_EQ(swissGot("make swiss int64 0\nput 1 1\nput 2 2\nexpect grew == grow\n"), "none");
  EXPECT_EQ(swissGot("version go1.26\nexpect used == 0\nmake swiss int64 0\n"), "no Swiss map");
}

TEST(SwissExpect, BadLinesNameFileLineColumnAndWhatWasExpected) {
  EXPECT_EQ(parseError("make swiss int64 0\nexpect B == 0\n").substr(0, 60),
            "bad.ops:2:8: expected what to check on a Swiss map (used, se");
  EXPECT_NE(parseError("make swiss int64 0\nexpect B == 0\n").find("got \"B\", which is a subject of the classic map"),
            std::string::npos);
  EXPECT_NE(parseError("make int64 0\nexpect dirLen == 1\n")
                .find("bad.ops:2:8: expected what to check on the classic map (B, count"),
            std::string::npos);
  EXPECT_NE(parseError("make int64 0\nexpect dirLen == 1\n").find("a subject of the Swiss (make swiss ...) map"),
            std::string::npos);
  EXPECT_EQ(parseError("make swiss int64 0\nexpect bogus == 1\n").substr(0, 39), "bad.ops:2:8: expected what to check (us");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect table small used == 1\n"),
            "bad.ops:2:14: expected a table position (0, 1, ...): the small map's group is not a table");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect table x used == 1\n"),
            "bad.ops:2:14: expected a table: its position in the JSON 'tables' (0, 1, ...) or small (table T FIELD), "
            "got \"x\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect table 0 size == 1\n"),
            "bad.ops:2:16: expected a table field (capacity, used, growthLeft, localDepth, index, tombstones), got "
            "\"size\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect table 0\n"),
            "bad.ops:2:15: expected a table field (capacity, used, growthLeft, localDepth, index, tombstones) after "
            "the table");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect ctrl 0 0 8 == empty\n"), "bad.ops:2:17: expected a slot (0-7), got \"8\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect ctrl 0 0 == empty\n"),
            "bad.ops:2:17: expected 'ctrl T G S': a group and a slot after the table");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect ctrl small 1 0 == empty\n"),
            "bad.ops:2:19: expected group 0: a small map has one group, got \"1\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect ctrl 0 g 0 == empty\n"), "bad.ops:2:15: expected a group number, got \"g\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect ctrl 0 0 0 == 200\n"),
            "bad.ops:2:22: expected a control byte: empty, deleted or an H2 (0-127), got \"200\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect grew == shrink\n"),
            "bad.ops:2:16: expected grow, split, convert or none, got \"shrink\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect used == 1 2\n"),
            "bad.ops:2:18: expected one value (lists are for keys, grew, offsets)");
  EXPECT_EQ(parseError("make swiss float64 0\nexpect key 0 0 0 == x\n"),
            "bad.ops:2:21: expected a float64 key (a decimal number, NaN, -0, +Inf or -Inf), got \"x\"");
  EXPECT_EQ(parseError("make swiss int64 0\nexpect small == 1\n"), "bad.ops:2:17: expected true or false, got \"1\"");
}

TEST(SwissExpect, DumpCheckReportsFailuresAndExitStatus) {
  std::string bad = writeTemp("swiss-fail.ops", std::string(kPruneSetup) + "del 3\nexpect ctrl 0 0 2 == empty\n"
                                                                           "expect table 0 used == 14\n");
  CliRun r = gomaplab("dump --check " + bad, true);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, bad + ":17: expect ctrl 0 0 2 == empty: got deleted\n" + bad +
                       ":18: expect table 0 used == 14: got 13\n" + bad + ": 2 of 2 expect lines failed\n")
      << r.out;
  std::string broken = writeTemp("swiss-broken.ops", "make swiss int64 0\nexpect B == 0\n");
  r = gomaplab("dump --check " + broken, true);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out.rfind(broken + ":2:8: expected what to check on a Swiss map", 0), 0u) << r.out;
  for (auto& f : {bad, broken}) std::remove(f.c_str());
}
