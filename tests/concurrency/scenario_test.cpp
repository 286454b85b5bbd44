// The scenario format: what it accepts, the errors it reports (FILE:LINE:COL:
// what was expected), schedules, loops, and writing a scenario back.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "concurrency/scenario.hpp"

using namespace gomap;
using namespace gomap::race;

namespace {

std::string errorOf(const std::string& text) {
  ScenarioError err;
  auto sc = parseScenario(text, "bad.race", err);
  EXPECT_FALSE(sc) << "accepted:\n" << text;
  return err.format();
}

const char* kGood = R"(gomaplab-race 1
title en Two writers
title zh 两个写者
narration en First line.
narration en Second line, with a # and "quotes.
narration zh 第一行。
map
  make int64 0
  hashmode identity
  put 100 1000   # a comment
goroutine 1
  put 1 10
  for i in 0..2: put i+1000 2*i; del i+1000
goroutine 2
  defer recover
  lock mu
  get 1
  unlock mu
  rlock rw
  iter
  runlock rw
granularity memory
schedule 1x3 2 g1 G2 1* then random 42
expect corrupt lost-insert count
)";

} // namespace

TEST(ScenarioFormat, ParsesEveryDirective) {
  ScenarioError err;
  auto sc = parseScenario(kGood, "good.race", err);
  ASSERT_TRUE(sc) << err.format();
  EXPECT_EQ(sc->title[0], "Two writers");
  EXPECT_EQ(sc->title[1], "两个写者");
  EXPECT_EQ(sc->narration[0], "First line.\nSecond line, with a # and \"quotes.");
  EXPECT_EQ(sc->kind, KeyKind::Int64);
  ASSERT_EQ(sc->programs.size(), 2u);
  const auto& g1 = sc->programs[0].code;
  ASSERT_EQ(g1.size(), 7u); // put, then 3 iterations of two statements
  EXPECT_EQ(g1[1].text, "put 1000 0");
  EXPECT_EQ(g1[1].loopVar, "i=0");
  EXPECT_EQ(g1[6].text, "del 1002");
  EXPECT_EQ(g1[6].key.i, 1002);
  EXPECT_EQ(g1[5].value, 4);
  EXPECT_TRUE(sc->programs[1].recoverPanics);
  ASSERT_EQ(sc->mutexes.size(), 2u);
  EXPECT_FALSE(sc->mutexes[0].rw);
  EXPECT_TRUE(sc->mutexes[1].rw);
  EXPECT_EQ(sc->granularity, Granularity::Memory);
  EXPECT_EQ(sc->schedule.kind, ScheduleSpec::Kind::Steps);
  EXPECT_EQ(formatSchedule(sc->schedule), "1x3 2 1 2 1* then random 42");
  ASSERT_TRUE(sc->expect);
  EXPECT_EQ(sc->expect->corruptKinds, (std::vector<std::string>{"lost-insert", "count"}));
}

TEST(ScenarioFormat, WritingBackGivesTheSameScenario) {
  ScenarioError err;
  auto a = parseScenario(kGood, "good.race", err);
  ASSERT_TRUE(a) << err.format();
  std::string text = writeScenario(*a);
  auto b = parseScenario(text, "good.race", err);
  ASSERT_TRUE(b) << err.format() << "\n" << text;
  EXPECT_EQ(writeScenario(*b), text);
  EXPECT_EQ(b->programs[0].code.size(), a->programs[0].code.size());
  EXPECT_EQ(formatSchedule(b->schedule), formatSchedule(a->schedule));
  EXPECT_EQ(b->narration[1], a->narration[1]);
}

TEST(ScenarioFormat, LargeLoopsAndStringKeys) {
  ScenarioError err;
  auto sc = parseScenario(R"(gomaplab-race 1
map
  make string 0
goroutine 1
  for i in 0..999: put k{i} i
goroutine 2
  for i in 0..999: get "k {i}"
)",
                          "s.race", err);
  ASSERT_TRUE(sc) << err.format();
  ASSERT_EQ(sc->programs[0].code.size(), 1000u);
  EXPECT_EQ(sc->programs[0].code[999].key.s, "k999");
  EXPECT_EQ(sc->programs[0].code[999].value, 999);
  EXPECT_EQ(sc->programs[1].code[7].key.s, "k 7");
}

TEST(ScenarioFormat, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(errorOf("map\n"), "bad.race:1:1: expected 'gomaplab-race 1' as the first line of a race scenario, got \"map\"");
  EXPECT_EQ(errorOf("gomaplab-race 2\n"),
            "bad.race:1:15: expected format version 1 (this gomaplab reads version 1), got 2");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\n  put x 1\n"),
            "bad.race:4:7: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"x\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  put 1 ten\n"),
            "bad.race:5:9: expected an int64 value, got \"ten\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  jump 3\n"),
            "bad.race:5:3: expected a statement (put, del, get, iter, clear, lock, unlock, rlock, runlock or for), "
            "got \"jump\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 2\n"),
            "bad.race:4:11: expected 'goroutine 1' (goroutines are numbered 1, 2, ... in order)");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  for i in 5..1: put i i\n"),
            "bad.race:5:12: expected A <= B in the range \"5..1\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  get 1\nschedule 1 2x3\n"),
            "bad.race:6:12: expected goroutine numbers up to 1 (the scenario has 1 goroutine), got \"2x3\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  get 1\nexpect fatal 3 concurrent map writes\n"),
            "bad.race:6:14: expected a goroutine number up to 1, got 3");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  get 1\nschedule 1 zz\n"),
            "bad.race:6:12: expected a step: a goroutine number 1..8, NxK (G N, K times) or N* (G N until it finishes "
            "or blocks), got \"zz\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make string 0\ngoroutine 1\n  put \"abc 1\n"),
            "bad.race:5:7: expected a closing \" for the string that starts here");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  get 1\nexpect corrupt lost\n"),
            "bad.race:6:16: expected a corruption kind (lost-insert, lost-delete, extra-key, wrong-value, "
            "duplicate-key, count, wrong-get, iter-duplicate, iter-missing, iter-phantom, invariant, order), got "
            "\"lost\"");
  EXPECT_EQ(errorOf("gomaplab-race 1\ngoroutine 1\n  get 1\n"),
            "bad.race:2:1: expected a 'map' section with 'make KIND HINT' (or 'nil KIND') before the goroutines");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\n  make int64 0\n"),
            "bad.race:4:3: expected one 'make' (or 'nil') in the map section: goroutines share one map");
  EXPECT_EQ(errorOf("gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  get 1\ngranularity atomic\n"),
            "bad.race:6:13: expected 'granularity statement' or 'granularity memory'");
  EXPECT_EQ(errorOf("gomaplab-race 1\nput 1 1\n"),
            "bad.race:2:1: expected a directive (title, narration, map, goroutine, granularity, schedule, expect), "
            "got \"put\" (map operations belong in the 'map' section)");
}

TEST(ScenarioFormat, Schedules) {
  ScheduleSpec s;
  std::string why;
  int col = 0;
  ASSERT_TRUE(parseSchedule("roundrobin 3", s, why, col)) << why;
  EXPECT_EQ(s.kind, ScheduleSpec::Kind::RoundRobin);
  EXPECT_EQ(s.quantum, 3u);
  ASSERT_TRUE(parseSchedule("random:7", s, why, col)) << why;
  EXPECT_EQ(s.kind, ScheduleSpec::Kind::Random);
  EXPECT_EQ(s.seed, 7u);
  ASSERT_TRUE(parseSchedule("1 1 1 2x2 G3 1*", s, why, col)) << why;
  EXPECT_EQ(formatSteps(s.steps), "1x3 2x2 3 1*");
  EXPECT_FALSE(parseSchedule("1 2 then manual", s, why, col));
  EXPECT_EQ(col, 10);
  EXPECT_FALSE(parseSchedule("9", s, why, col));
}

// The command line: a bad file is reported as FILE:LINE:COL and exits with 2.
TEST(ScenarioFormat, CommandLineRejectsBadFilesWithStatus2) {
  std::string path = testing::TempDir() + "/bad_cli.race";
  {
    std::ofstream f(path);
    f << "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  put 1\n";
  }
  std::string cmd = std::string(GOMAPLAB_BINARY) + " race " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_TRUE(p);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_EQ(out, path + ":5:8: expected 'put KEY VAL', got 1 argument\n");
}
