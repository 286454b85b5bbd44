// The `gomaplab race` command line (issue 10): --states prints the shared
// map's state after every step in the `dump` format, a bad race file is
// reported as FILE:LINE:COL with exit status 2, and a file given to the wrong
// command names the command that fits.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using json = nlohmann::json;

namespace {

struct CliRun {
  int status = -1;
  std::vector<std::string> out; // stdout lines
  std::string err;
};

// A file name of this test's own (ctest runs the tests in parallel processes).
std::string ownPath(const std::string& name) {
  return testing::TempDir() + "/race_cli_" + testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
         std::to_string(getpid()) + "_" + name;
}

CliRun run(const std::string& args) {
  std::string errPath = ownPath("stderr.txt");
  std::string cmd = std::string(GOMAPLAB_BINARY) + " " + args + " 2>" + errPath;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::string all;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) all.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::istringstream ss(all);
  for (std::string line; std::getline(ss, line);) r.out.push_back(line);
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

const std::string kLesson5 = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/lessons/5-memory-level-corruption.race";

// The top-level field names of a JSON object line, in the order written
// (nlohmann::json sorts them, so read the order from the text).
std::vector<std::string> fieldOrder(const std::string& line) {
  json j = json::parse(line);
  std::vector<std::pair<std::size_t, std::string>> at;
  for (auto& [k, v] : j.items()) at.emplace_back(line.find("\"" + k + "\":"), k);
  std::sort(at.begin(), at.end());
  std::vector<std::string> names;
  for (auto& [pos, k] : at) names.push_back(k);
  return names;
}

// The field names of a `gomaplab dump` state line after "op" (and "hash"), in order.
std::vector<std::string> dumpStateFields() {
  std::string ops = writeFile("fields.ops", "make int64 0\nput 1 10\n");
  CliRun r = run("dump " + ops);
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> names;
  if (r.out.empty()) return names;
  for (auto& k : fieldOrder(r.out.back()))
    if (k != "op" && k != "hash") names.push_back(k);
  return names;
}

// Live cells (tophash >= minTopHash = 5, map.go) of every bmap in both arrays.
std::vector<std::pair<int64_t, int64_t>> liveCells(const json& state) {
  std::vector<std::pair<int64_t, int64_t>> cells;
  for (const char* arr : {"buckets", "oldbuckets"}) {
    if (state[arr].is_null()) continue;
    for (auto& chain : state[arr])
      for (auto& b : chain)
        for (int s = 0; s < 8; s++)
          if (b["th"][s].get<int>() >= 5) cells.emplace_back(b["k"][s].get<int64_t>(), b["v"][s].get<int64_t>());
  }
  return cells;
}

} // namespace

// Every line of --states is one JSON object: step, goroutine, the statement,
// then exactly the fields of a dump line in the dump's order.
TEST(RaceCli, StatesPrintsOneDumpStateLinePerStep) {
  std::vector<std::string> fields = dumpStateFields();
  ASSERT_FALSE(fields.empty());
  ASSERT_EQ(fields.front(), "count");
  CliRun r = run("race " + kLesson5 + " --states");
  ASSERT_EQ(r.status, 0) << r.err; // lesson 5's expect line is met
  ASSERT_FALSE(r.out.empty());
  for (std::size_t i = 0; i < r.out.size(); i++) {
    json j;
    ASSERT_NO_THROW(j = json::parse(r.out[i])) << "line " << i + 1 << ": " << r.out[i];
    std::vector<std::string> names = fieldOrder(r.out[i]);
    std::vector<std::string> want{"step", "g", "op"};
    want.insert(want.end(), fields.begin(), fields.end());
    EXPECT_EQ(names, want) << "line " << i + 1;
    EXPECT_EQ(j["step"].get<uint64_t>(), i); // one line per step, in order
    int g = j["g"].get<int>();
    EXPECT_TRUE(g == 1 || g == 2);
    EXPECT_EQ(j["op"], g == 1 ? "put 1 10" : "put 2 20");
  }
  // The outcome goes to standard error, so standard output is JSON only.
  EXPECT_NE(r.err.find("expected: corrupt lost-insert count: met"), std::string::npos) << r.err;
}

// Lesson 5's narration: the map holds key 100 before the race; both
// goroutines pick slot 1, G2's key overwrites G1's, count goes up twice. It
// ends with count 3 for two live cells (100 and 2), key 1 lost.
TEST(RaceCli, StatesLastLineOfLesson5ShowsTheLostInsert) {
  CliRun r = run("race " + kLesson5 + " --states");
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  json last = json::parse(r.out.back());
  EXPECT_EQ(last["count"].get<int>(), 3);
  EXPECT_EQ(last["flags"].get<int>(), 0); // both stored 0 on the way out
  auto cells = liveCells(last);
  ASSERT_EQ(cells.size(), 2u) << last.dump();
  std::set<int64_t> keys;
  for (auto& [k, v] : cells) keys.insert(k);
  EXPECT_EQ(keys, (std::set<int64_t>{100, 2}));
  for (auto& [k, v] : cells) {
    if (k == 100) {
      EXPECT_EQ(v, 1000); // the key the map section stored is untouched
    }
  }
  // The first line is before any store: count 1, only key 100.
  json first = json::parse(r.out.front());
  EXPECT_EQ(first["count"].get<int>(), 1);
  EXPECT_EQ(liveCells(first).size(), 1u);
}

// A race with one goroutine ends in the state `dump` prints for the same ops
// run one after another: the state fields are the dump's, byte for byte.
TEST(RaceCli, StatesMatchDumpByteForByte) {
  std::string race = writeFile("one.race", "gomaplab-race 1\nmap\n  make int64 0\n  hashmode identity\n"
                                           "  put 100 1000\ngoroutine 1\n  put 1 10\n  put 9 90\n  del 100\n"
                                           "schedule roundrobin\n");
  std::string ops = writeFile("one.ops", "make int64 0\nhashmode identity\nput 100 1000\nput 1 10\nput 9 90\ndel 100\n");
  CliRun rr = run("race " + race + " --states");
  CliRun rd = run("dump " + ops);
  ASSERT_EQ(rr.status, 0) << rr.err;
  ASSERT_EQ(rd.status, 0) << rd.err;
  ASSERT_FALSE(rr.out.empty());
  ASSERT_FALSE(rd.out.empty());
  auto stateOf = [](const std::string& line) { return line.substr(line.find(",\"count\":")); };
  EXPECT_EQ(stateOf(rr.out.back()), stateOf(rd.out.back()));
}

// --states with --events: each step's events come before the state they led to.
TEST(RaceCli, StatesAndEventsInterleaveByStep) {
  CliRun r = run("race " + kLesson5 + " --states --events");
  ASSERT_EQ(r.status, 0) << r.err;
  int64_t lastStateStep = -1;
  for (auto& line : r.out) {
    json j = json::parse(line);
    int64_t step = j["step"].get<int64_t>();
    if (j.contains("buckets")) { // a state line (count_changed events carry "count" too)
      EXPECT_EQ(step, lastStateStep + 1);
      lastStateStep = step;
    } else {
      EXPECT_EQ(step, lastStateStep + 1) << "an event of step " << step << " after the state of step " << lastStateStep;
    }
  }
  EXPECT_GT(lastStateStep, 0);
}

TEST(RaceCli, OpScriptGivenToRaceNamesDumpAndExits2) {
  std::string ops = writeFile("script.ops", "make int64 0\nput 1 10\n");
  for (const char* flags : {"", " --states"}) {
    CliRun r = run("race " + ops + flags);
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err, ops + " is an op script, not a race scenario: run it with 'gomaplab dump " + ops +
                         "' or 'gomaplab events " + ops + "', or open it with 'gomaplab " + ops + "'\n");
  }
  // Judged by its content when the name says nothing.
  std::string plain = writeFile("script-noext", "# comment\n\nhashmode identity\nmake int64 0\n");
  CliRun r = run("race " + plain + " --states");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("is an op script, not a race scenario: run it with 'gomaplab dump"), std::string::npos) << r.err;
}

TEST(RaceCli, RaceFileGivenToDumpOrEventsNamesRaceAndExits2) {
  std::string named = writeFile("copy-of-lesson.txt", "# a race under another name\ngomaplab-race 1\nmap\n  make int64 0\n");
  for (const std::string& file : {kLesson5, named})
    for (const char* cmd : {"dump ", "events "}) {
      CliRun r = run(cmd + file);
      EXPECT_EQ(r.status, 2) << cmd << file;
      EXPECT_TRUE(r.out.empty());
      EXPECT_EQ(r.err, file + " is a race scenario, not an op script: run it with 'gomaplab race " + file + "'\n");
    }
  CliRun r = run("dump - < " + kLesson5);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("is a race scenario, not an op script"), std::string::npos) << r.err;
}

// Errors in a race file: FILE:LINE:COL: what was expected, exit status 2.
TEST(RaceCli, BadRaceFilesGiveFileLineColumnAndExit2) {
  struct Case {
    const char* name;
    const char* text;
    const char* message;
  } cases[] = {
      {"unknown_statement.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  jump 3\n",
       ":5:3: expected a statement (put, del, get, iter, clear, lock, unlock, rlock, runlock or for), got \"jump\""},
      {"unknown_directive.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  get 1\nrepeat 3\n",
       ":6:1: expected a statement (put, del, get, iter, clear, lock, unlock, rlock, runlock or for), got \"repeat\""},
      {"goroutine_number.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 2\n  put 1 1\n",
       ":4:11: expected 'goroutine 1' (goroutines are numbered 1, 2, ... in order)"},
      {"goroutine_word.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine one\n",
       ":4:11: expected 'goroutine N'"},
      {"schedule_step.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  put 1 1\nschedule 1 1x\n",
       ":6:12: expected a step: a goroutine number 1..8, NxK (G N, K times) or N* (G N until it finishes or blocks), "
       "got \"1x\""},
      {"schedule_goroutine.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  put 1 1\nschedule 1 3\n",
       ":6:12: expected goroutine numbers up to 1 (the scenario has 1 goroutine), got \"3\""},
      {"missing_key.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  del\n",
       ":5:6: expected 'del KEY', got 0 arguments"},
      {"missing_key_in_loop.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  for i in 1..3: get\n",
       ":5:21: expected 'get KEY', got 0 arguments"},
      {"missing_value_in_loop.race", "gomaplab-race 1\nmap\n  make int64 0\ngoroutine 1\n  for i in 1..3: put i+1000\n",
       ":5:28: expected 'put KEY VAL', got 1 argument"}, // just after "i+1000" as written, not "1001"
      {"map_op_missing_key.race", "gomaplab-race 1\nmap\n  make int64 0\n  put 5\n",
       ":4:8: expected 'put KEY VAL', got 1 argument"},
  };
  for (const Case& c : cases) {
    std::string path = writeFile(c.name, c.text);
    for (const char* flags : {"", " --states"}) {
      CliRun r = run("race " + path + flags);
      EXPECT_EQ(r.status, 2) << c.name;
      EXPECT_TRUE(r.out.empty()) << c.name;
      EXPECT_EQ(r.err, path + c.message + "\n") << c.name << flags;
    }
  }
}
