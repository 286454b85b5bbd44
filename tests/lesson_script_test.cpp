// Lessons in op scripts (issue 11, items 2 and 3): title/narration/expect lines,
// their errors, `gomaplab dump --check`, and every bundled lesson holding.
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
