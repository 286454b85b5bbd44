// Range loops whose body writes, `iter [E D] do OP; ...` on the Swiss map
// (issue 13): the grammar and its errors, Go's semantics on small cases worked
// out by hand from swiss-map-spec.md (6.1, 6.4, 16.3), the loop stepped event
// by event against the loop run to its end, and the Swiss session recording
// a loop and seeking into the middle of its body's ops. The byte-for-byte
// proof against the real runtimes is the swiss_diff.*.loop_* CTest scripts.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "trace/opscript.hpp"
#include "trace/script_runner.hpp"
#include "trace/swiss_json.hpp"
#include "trace/swiss_session.hpp"

using namespace gomap;
using namespace gomap::swiss;

namespace {

std::vector<ScriptOp> parse(const std::string& text, std::optional<ScriptError>& err) {
  ScriptParser p("t.ops");
  return p.parseAll(text, err);
}
std::vector<ScriptOp> parseOk(const std::string& text) {
  std::optional<ScriptError> err;
  auto ops = parse(text, err);
  EXPECT_FALSE(err) << (err ? err->format() : "");
  return ops;
}
std::string errorOf(const std::string& text) {
  std::optional<ScriptError> err;
  parse(text, err);
  return err ? err->format() : "(no error)";
}
std::string stateText(const AnySwiss& m) {
  std::string s;
  appendSwissState(s, m);
  return s;
}
// `gomaplab dump`'s lines for a script.
std::vector<std::string> dump(const std::string& text) {
  std::vector<std::string> lines;
  ScriptRunner r(RunnerOptions{}, [&](std::string_view l) { lines.emplace_back(l); });
  auto ops = parseOk(text);
  for (std::size_t i = 0; i < ops.size(); i++) EXPECT_TRUE(r.execute(ops[i], static_cast<int64_t>(i + 1), i + 1 == ops.size()));
  return lines;
}
// The part of an iter line from "keys" up to the state.
std::string loopFields(const std::string& line) {
  const auto a = line.find("\"keys\"");
  const auto b = line.find(",\"used\"");
  return a == std::string::npos ? "" : line.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

} // namespace

TEST(SwissLoop, GrammarBodiesKeysAndOffsets) {
  auto ops = parseOk("make swiss int64 0 1\niter do put k+3 1; del k-2 ;get 5 ; clear;seed 0x10\niter 7 9 do del k\n");
  ASSERT_EQ(ops.size(), 3u);
  const ScriptOp& a = ops[1];
  EXPECT_TRUE(a.iterDo);
  EXPECT_FALSE(a.iterOffsets);
  ASSERT_EQ(a.iterBody.size(), 5u);
  EXPECT_EQ(a.iterBody[0].kind, IterBodyOp::Kind::Put);
  EXPECT_TRUE(a.iterBody[0].current);
  EXPECT_EQ(a.iterBody[0].delta, 3);
  EXPECT_EQ(a.iterBody[0].value, 1);
  EXPECT_EQ(a.iterBody[0].text, "put k+3 1");
  EXPECT_EQ(a.iterBody[1].kind, IterBodyOp::Kind::Del);
  EXPECT_EQ(a.iterBody[1].delta, -2);
  EXPECT_EQ(a.iterBody[2].kind, IterBodyOp::Kind::Get);
  EXPECT_FALSE(a.iterBody[2].current);
  EXPECT_EQ(a.iterBody[2].key.i, 5);
  EXPECT_EQ(a.iterBody[3].kind, IterBodyOp::Kind::Clear);
  EXPECT_EQ(a.iterBody[4].kind, IterBodyOp::Kind::Seed);
  EXPECT_EQ(a.iterBody[4].number, 0x10u);
  EXPECT_EQ(a.text, "iter do put k+3 1; del k-2 ;get 5 ; clear;seed 0x10"); // the tokens as written
  ASSERT_TRUE(ops[2].iterOffsets);
  EXPECT_EQ(ops[2].iterOffsets->first, 7u);
  EXPECT_EQ(ops[2].iterOffsets->second, 9u);
  // Plain iter is unchanged.
  auto plain = parseOk("make swiss int64 0 1\niter\niter 1 2\n");
  EXPECT_FALSE(plain[1].iterDo);
  EXPECT_FALSE(plain[2].iterDo);
  // String keys: k is the key yielded, "k" (quoted) the literal; k+1 is a literal string; a ';' after a quote.
  auto s = parseOk("make swiss string 0 1\niter do del \"k\"; put k+1 2; get k\n");
  ASSERT_EQ(s[1].iterBody.size(), 3u);
  EXPECT_FALSE(s[1].iterBody[0].current);
  EXPECT_EQ(s[1].iterBody[0].key.s, "k");
  EXPECT_FALSE(s[1].iterBody[1].current);
  EXPECT_EQ(s[1].iterBody[1].key.s, "k+1");
  EXPECT_TRUE(s[1].iterBody[2].current);
}

TEST(SwissLoop, KeysOfTheBodyWrapAsGoDoes) {
  IterBodyOp b;
  b.current = true;
  b.delta = 1;
  EXPECT_EQ(b.keyFor(KeyValue::ofInt(KeyKind::Int64, INT64_MAX)).i, INT64_MIN);
  EXPECT_EQ(b.keyFor(KeyValue::ofInt(KeyKind::Int32, INT32_MAX)).i, INT32_MIN);
  b.delta = -3;
  EXPECT_EQ(b.keyFor(KeyValue::ofInt(KeyKind::Int32, INT32_MIN + 1)).i, INT32_MAX - 1);
  EXPECT_EQ(b.keyFor(KeyValue::ofInt(KeyKind::Int64, 10)).i, 7);
  b.current = false;
  b.key = KeyValue::ofInt(KeyKind::Int64, 42);
  EXPECT_EQ(b.keyFor(KeyValue::ofInt(KeyKind::Int64, 10)).i, 42);
}

TEST(SwissLoop, BadBodiesNameLineAndColumn) {
  const std::string m = "make swiss int64 0 1\n";
  EXPECT_EQ(errorOf(m + "iter do\n"),
            "t.ops:2:8: expected a body op (put KEY VAL, del KEY, get KEY, clear, seed S) after 'do'");
  EXPECT_EQ(errorOf(m + "iter do put k\n"), "t.ops:2:14: expected 'put KEY VAL' in the loop body, got 1 argument");
  EXPECT_EQ(errorOf(m + "iter do put k 1;\n"),
            "t.ops:2:17: expected a body op (put KEY VAL, del KEY, get KEY, clear, seed S) after ';'");
  EXPECT_EQ(errorOf(m + "iter do del 1 ; ; del 2\n"),
            "t.ops:2:17: expected a body op (put KEY VAL, del KEY, get KEY, clear, seed S) after ';'");
  EXPECT_EQ(errorOf(m + "iter 1 do del k\n"),
            "t.ops:2:8: expected 'iter do OP' or 'iter ENTRYOFFSET DIROFFSET do OP' (the offsets are two numbers)");
  EXPECT_EQ(errorOf(m + "iter do frob 3\n"),
            "t.ops:2:9: expected a body op (put KEY VAL, del KEY, get KEY, clear, seed S), got \"frob\"");
  EXPECT_EQ(errorOf(m + "iter do del k+x\n"), "t.ops:2:15: expected k+N or k-N with N a decimal number, got \"k+x\"");
  EXPECT_EQ(errorOf(m + "iter do put k 1; del abc\n"),
            "t.ops:2:22: expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got \"abc\" (or k, the key just yielded)");
  EXPECT_EQ(errorOf(m + "iter x 2 do del k\n"),
            "t.ops:2:6: expected an entry offset (decimal or 0x hex, at most 18446744073709551615), got \"x\"");
  EXPECT_EQ(errorOf("make swiss float64 0 1\niter do del k+1\n"),
            "t.ops:2:13: expected a float64 key or k: k+N and k-N work on integer keys only, got \"k+1\"");
  EXPECT_EQ(errorOf("make int64 0 1\niter do del k\n"),
            "t.ops:2:1: expected 'iter' without a body: 'iter ... do' (a loop body) runs on the Swiss map only "
            "(make swiss KIND HINT)");
  EXPECT_EQ(errorOf("iter do del k\n"), "t.ops:1:1: expected 'make KIND HINT' (or 'nil KIND') before 'iter'");
}

// Keys 1..6 put into an empty small map fill slots 0..5 in order (spec 6.1:
// the first empty slot). With entryOffset 0 the loop visits slots 0..7.
TEST(SwissLoop, DeletingKeysNotYetSeenSkipsThem) {
  const std::string fill = "make swiss int64 0 1\nput 1 1\nput 2 2\nput 3 3\nput 4 4\nput 5 5\nput 6 6\n";
  // del k+1: yielding 1 deletes 2 (slot 1 empties, never yielded), 3 deletes 4, 5 deletes 6.
  auto l = dump(fill + "iter 0 0 do del k+1\n");
  EXPECT_EQ(loopFields(l.back()), "\"keys\":[1,3,5],\"offsets\":[0,0],\"vals\":[1,3,5]");
  EXPECT_NE(l.back().find("\"used\":3,"), std::string::npos) << l.back();
  // del k: every key is yielded once, and the map ends empty.
  l = dump(fill + "iter 0 0 do del k\n");
  EXPECT_EQ(loopFields(l.back()), "\"keys\":[1,2,3,4,5,6],\"offsets\":[0,0],\"vals\":[1,2,3,4,5,6]");
  EXPECT_NE(l.back().find("\"used\":0,"), std::string::npos) << l.back();
}

TEST(SwissLoop, UpdatesOfKeysNotYetSeenAreYieldedAndNewKeysGrowTheMapMidLoop) {
  const std::string fill = "make swiss int64 0 1\nput 1 1\nput 2 2\nput 3 3\nput 4 4\nput 5 5\nput 6 6\n";
  // put k+1 100: 2..6 are updated before they are seen (their new value is
  // yielded); 7 and 8 are new, in slots 6 and 7, not yet seen, so yielded too;
  // yielding 8 puts 9: the small map is full and becomes a table (spec 6.4),
  // and the loop, at the end of its remembered group, stops.
  for (const char* v : {"", "version go1.26\n"}) {
    auto l = dump(std::string(v) + fill + "iter 0 0 do put k+1 100; get k+1\n");
    EXPECT_EQ(loopFields(l.back()), "\"keys\":[1,2,3,4,5,6,7,8],\"offsets\":[0,0],\"vals\":[1,100,100,100,100,100,100,100],"
                                    "\"gets\":[100,100,100,100,100,100,100,100]")
        << v;
    EXPECT_NE(l.back().find("\"used\":9,"), std::string::npos) << l.back();
    EXPECT_NE(l.back().find("\"small\":null,\"dir\":[0]"), std::string::npos) << l.back();
  }
}

TEST(SwissLoop, GetsOfTheBodySeeTheLoopsWrites) {
  auto l = dump("make swiss int64 0 1\nput 1 1\nput 2 2\niter 0 0 do get 2; del 2; get 2; get k\n");
  // Yielding 1: get 2 finds 2; del 2 empties slot 1; get 2 misses; get k finds 1. Slot 1 is then empty: the end.
  EXPECT_EQ(loopFields(l.back()), "\"keys\":[1],\"offsets\":[0,0],\"vals\":[1],\"gets\":[2,null,1]");
}

TEST(SwissLoop, AnEmptyMapRunsNoBodyAndDrawsNothing) {
  auto l = dump("make swiss int64 0 1\niter do put 1 1\nput 2 2\n");
  EXPECT_EQ(loopFields(l[1]), "\"keys\":[],\"offsets\":[0,0],\"vals\":[]");
}

// The loop stepped one event at a time (the session's way) emits what it
// emits run to its end (dump's and events' way), and ends in the same state.
TEST(SwissLoop, SteppedAndRunToTheEndAgree) {
  std::string text = "make swiss int64 0 5\n";
  for (int i = 1; i <= 896; i++) text += "put " + std::to_string(i) + " " + std::to_string(i) + "\n";
  text += "iter 3 1 do put k+5000 1; del k+1; get k\n";
  auto ops = parseOk(text);
  auto run = [&](bool stepped, std::vector<SwissEvent>& events) {
    OpTarget t;
    for (std::size_t i = 0; i + 1 < ops.size(); i++) applyOp(t, ops[i]);
    SwissEventSink sink;
    t.swissMap->setEventSink(&sink);
    IterResult iter;
    OpResult r;
    if (stepped) {
      t.swissMap->setPauseMask(~uint64_t{0});
      SwissLoopRun loop(*t.swissMap, ops.back().iterOffsets, ops.back().iterBody);
      uint64_t steps = 0;
      while (loop.step()) steps++;
      EXPECT_GT(steps, 1000u);
      iter = loop.iter;
      r = loop.result();
      t.swissMap->setPauseMask(0);
    } else {
      r = runSwissLoop(*t.swissMap, ops.back().iterOffsets, ops.back().iterBody, iter);
    }
    EXPECT_EQ(r.outcome, Outcome::Ok);
    EXPECT_TRUE(t.swissMap->checkInvariants().empty());
    events = sink.events;
    return std::make_pair(iter.keys, stateText(*t.swissMap));
  };
  std::vector<SwissEvent> a, b;
  auto ra = run(false, a), rb = run(true, b);
  EXPECT_EQ(ra, rb);
  ASSERT_EQ(a.size(), b.size());
  bool split = false;
  for (std::size_t i = 0; i < a.size(); i++) {
    ASSERT_TRUE(a[i].kind == b[i].kind && a[i].site == b[i].site && a[i].a == b[i].a && a[i].b == b[i].b) << i;
    split = split || (a[i].kind == SwissKind::RehashStarted && swissPayloadOf<SwissKind::RehashStarted>(a[i]).split);
  }
  EXPECT_TRUE(split) << "the body's inserts should split the 1024-slot table mid-loop";
  EXPECT_GT(ra.first.size(), 400u);
}

// The session records a loop as one op whose events are the iteration's and
// the body ops'; seeking anywhere in it (inside a body op's split too) gives
// the state a fresh stepped run had at that event.
TEST(SwissLoop, SessionRecordsAndSeeksInsideALoop) {
  std::string text = "make swiss int64 0 5\n";
  for (int i = 1; i <= 896; i++) text += "put " + std::to_string(i) + " 1\n";
  text += "iter 11 0 do put k+100000 2; get k\nput 7 7\niter 2 1 do del k\nseed 3\nput 1 1\n";
  auto ops = parseOk(text);
  std::string err;
  auto s = SwissSession::fromScript(ops, "t.ops", err);
  ASSERT_TRUE(s) << err;
  std::size_t loopOp = 0;
  while (!s->op(loopOp).loop) loopOp++;
  const auto& lo = s->op(loopOp);
  // Its events: a split in a body op, and body ops' op_begin between the iteration's yields.
  bool split = false;
  int begins = 0;
  for (uint64_t i = lo.firstEvent; i < lo.firstEvent + lo.eventCount; i++) {
    split = split || s->event(i).kind == SwissKind::RehashStarted;
    begins += s->event(i).kind == SwissKind::OpBegin;
  }
  EXPECT_TRUE(split);
  EXPECT_GT(begins, 800);
  std::set<uint64_t> wanted;
  for (uint64_t i = lo.firstEvent; i < lo.firstEvent + lo.eventCount; i += 97) wanted.insert(i);
  for (uint64_t i = lo.firstEvent; i < lo.firstEvent + 400; i++) wanted.insert(i); // the split, all of it
  wanted.insert(s->eventCount() - 1);
  // The reference: the same ops on a fresh target, the loops stepped event by event.
  OpTarget t;
  SwissEventSink sink;
  t.swissEvents = &sink;
  std::map<uint64_t, std::string> states;
  auto note = [&] {
    if (!sink.events.empty() && wanted.count(sink.events.size() - 1)) states[sink.events.size() - 1] = stateText(*t.swissMap);
  };
  for (const ScriptOp& op : ops) {
    if (op.kind == ScriptOp::Kind::Iter && op.iterDo) {
      t.swissMap->setPauseMask(~uint64_t{0});
      SwissLoopRun loop(*t.swissMap, op.iterOffsets, op.iterBody);
      while (loop.step()) note();
      t.swissMap->setPauseMask(0);
    } else {
      applyOp(t, op);
    }
    note();
  }
  ASSERT_EQ(s->eventCount(), sink.events.size());
  for (uint64_t i = 0; i < s->eventCount(); i++)
    ASSERT_TRUE(s->event(i).kind == sink.events[i].kind && s->event(i).site == sink.events[i].site) << i;
  std::vector<uint64_t> want(wanted.begin(), wanted.end());
  std::mt19937_64 rng(5);
  std::shuffle(want.begin(), want.end(), rng);
  for (uint64_t i : want) {
    ASSERT_TRUE(states.count(i)) << i;
    s->seek(static_cast<int64_t>(i));
    ASSERT_EQ(stateText(s->map()), states[i]) << "event " << i;
    if (s->opInProgress()) {
      EXPECT_EQ(*s->opInProgress(), s->opOfEvent(i));
    }
  }
}
