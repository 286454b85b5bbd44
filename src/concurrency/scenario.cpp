#include "concurrency/scenario.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "concurrency/consistency.hpp"
#include "concurrency/sharded_map.hpp"
#include "concurrency/cow_scenario.hpp"
#include "engine/events.hpp"

namespace gomap::race {

std::string_view granularityName(Granularity g) { return g == Granularity::Memory ? "memory" : "statement"; }

uint64_t pauseMaskFor(Granularity g) {
  uint64_t all = (uint64_t{1} << static_cast<unsigned>(EventKind::kCount)) - 1;
  if (g == Granularity::Memory) return all;
  // Statement level takes each of these together with the store that completes
  // the update (flags, key+tophash, count, overflow link, nevacuate, a cell's copy).
  uint64_t memoryOnly = 0;
  for (EventKind k : {EventKind::FlagsLoaded, EventKind::KeyStored, EventKind::TophashStored, EventKind::CountLoaded,
                      EventKind::OverflowAllocated, EventKind::NevacuateLoaded})
    memoryOnly |= uint64_t{1} << static_cast<unsigned>(k);
  return all & ~memoryOnly;
}

std::string_view instrKindName(Instr::Kind k) {
  switch (k) {
  case Instr::Kind::Put: return "put";
  case Instr::Kind::Del: return "del";
  case Instr::Kind::Get: return "get";
  case Instr::Kind::Iter: return "iter";
  case Instr::Kind::Clear: return "clear";
  case Instr::Kind::Lock: return "lock";
  case Instr::Kind::Unlock: return "unlock";
  case Instr::Kind::RLock: return "rlock";
  case Instr::Kind::RUnlock: return "runlock";
  case Instr::Kind::SyncMap: return "syncmap";
  case Instr::Kind::Gc: return "gc";
  }
  return "?";
}

namespace {
// A map statement's op kind in the op language, and back.
constexpr std::pair<Instr::Kind, ScriptOp::Kind> kMapStatements[] = {
    {Instr::Kind::Put, ScriptOp::Kind::Put},   {Instr::Kind::Del, ScriptOp::Kind::Del},
    {Instr::Kind::Get, ScriptOp::Kind::Get},   {Instr::Kind::Iter, ScriptOp::Kind::Iter},
    {Instr::Kind::Clear, ScriptOp::Kind::Clear},
};
} // namespace

OpRequest requestOf(const Instr& in) {
  for (auto [ik, ok] : kMapStatements)
    if (ik == in.kind) return *gomap::requestOf(ok, in.key, in.value);
  throw std::logic_error("not a map operation");
}

syncmap::SyncRequest syncRequestOf(const Instr& in) {
  if (in.kind != Instr::Kind::SyncMap) throw std::logic_error("not a sync.Map method");
  return syncmap::SyncRequest{in.syncOp, in.key, in.value, in.limit};
}

namespace {

// The text after the first `n` tokens of a line (for free-text directives).
std::string_view restAfter(std::string_view line, const Token& tok) {
  std::size_t pos = static_cast<std::size_t>(tok.column - 1) + tok.text.size();
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) pos++;
  std::string_view r = line.substr(std::min(pos, line.size()));
  while (!r.empty() && (r.back() == '\r' || r.back() == ' ' || r.back() == '\t')) r.remove_suffix(1);
  return r;
}

bool parseU64(std::string_view t, uint64_t& out) {
  if (t.empty()) return false;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out, 10);
  return ec == std::errc() && p == t.data() + t.size();
}

// A tiny integer expression over one loop variable: terms joined by + and -,
// factors joined by *, each factor an integer or the variable. "i", "i+1000",
// "2*i+1", "-i".
bool evalExpr(std::string_view s, std::string_view var, int64_t v, int64_t& out) {
  std::size_t i = 0;
  auto factor = [&](int64_t& f) -> bool {
    bool neg = false;
    while (i < s.size() && (s[i] == '-' || s[i] == '+')) {
      if (s[i] == '-') neg = !neg;
      i++;
    }
    if (i < s.size() && s.substr(i, var.size()) == var &&
        (i + var.size() == s.size() || !std::isalnum(static_cast<unsigned char>(s[i + var.size()])))) {
      f = v;
      i += var.size();
    } else {
      std::size_t st = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) i++;
      if (st == i) return false;
      auto [p, ec] = std::from_chars(s.data() + st, s.data() + i, f, 10);
      if (ec != std::errc()) return false;
      (void)p;
    }
    if (neg) f = -f;
    return true;
  };
  auto term = [&](int64_t& t) -> bool {
    if (!factor(t)) return false;
    while (i < s.size() && s[i] == '*') {
      i++;
      int64_t f;
      if (!factor(f)) return false;
      t *= f;
    }
    return true;
  };
  int64_t acc;
  if (!term(acc)) return false;
  while (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    bool minus = s[i] == '-';
    i++;
    int64_t t;
    if (!term(t)) return false;
    acc = minus ? acc - t : acc + t;
  }
  if (i != s.size()) return false;
  out = acc;
  return true;
}

// Substitutes the loop variable into one token: "{i}" anywhere is replaced by
// the decimal value; for integer tokens a whole-token expression is evaluated.
std::string substitute(std::string_view tok, std::string_view var, int64_t v, bool numeric) {
  if (var.empty()) return std::string(tok);
  std::string brace = fmt::format("{{{}}}", var);
  std::string s(tok);
  std::size_t p;
  bool replaced = false;
  while ((p = s.find(brace)) != std::string::npos) {
    s.replace(p, brace.size(), std::to_string(v));
    replaced = true;
  }
  if (replaced || !numeric) return s;
  int64_t r;
  if (s.find(var) != std::string::npos && evalExpr(s, var, v, r)) return std::to_string(r);
  return s;
}

struct Ctx {
  std::string file;
  ScenarioError* err;
  ScriptParser* ops; // the map-statement grammar, after the map section's make
  bool fail(int line, int col, std::string msg) {
    *err = ScenarioError{file, line, col, std::move(msg)};
    return false;
  }
};

constexpr std::string_view kStatements = "put, del, get, iter, clear, lock, unlock, rlock, runlock or for";
// The same on a sync.Map (make syncmap): its methods instead of the map's operations.
constexpr std::string_view kSyncStatementsText =
    "store, load, loadorstore, loadanddelete, delete, range, gc, lock, unlock, rlock, runlock or for";

// sync.Map's methods as goroutine statements (the op language's verbs and ops).
constexpr std::pair<ScriptOp::Kind, syncmap::SyncOpCode> kSyncStatements[] = {
    {ScriptOp::Kind::Store, syncmap::SyncOpCode::Store},
    {ScriptOp::Kind::Load, syncmap::SyncOpCode::Load},
    {ScriptOp::Kind::LoadOrStore, syncmap::SyncOpCode::LoadOrStore},
    {ScriptOp::Kind::LoadAndDelete, syncmap::SyncOpCode::LoadAndDelete},
    {ScriptOp::Kind::Delete, syncmap::SyncOpCode::Delete},
    {ScriptOp::Kind::Range, syncmap::SyncOpCode::Range},
};
bool isSyncVerb(std::string_view v) {
  return v == "store" || v == "load" || v == "loadorstore" || v == "loadanddelete" || v == "delete" || v == "range";
}

// Parses one statement (tokens already substituted) into an Instr. Map
// operations are op lines: the op language's grammar parses them.
bool parseStatement(Ctx& cx, Scenario& sc, const std::vector<Token>& toks, const std::vector<std::string>& texts,
                    int lineNo, Instr& ins) {
  std::string_view verb = texts[0];
  auto want = [&](std::size_t n, std::string_view usage) {
    if (toks.size() != n) {
      int col = toks.size() > n ? toks[n].column : toks.back().column + static_cast<int>(toks.back().text.size());
      return cx.fail(lineNo, col, fmt::format("expected '{}'", usage));
    }
    return true;
  };
  ins.line = lineNo;
  ins.column = toks[0].column;
  if (verb == "put" || verb == "del" || verb == "get" || verb == "iter" || verb == "clear" || isSyncVerb(verb) ||
      verb == "gc") {
    // The op language's grammar knows which verbs fit the map the section made
    // (a classic verb on a sync.Map and a sync.Map verb on a classic map are
    // its errors, with the expected verbs).
    // A classic verb on a sync.Map: the statements a goroutine may use (the op
    // language's own message lists gc and dump, which are op-script lines).
    if (sc.syncmap && !isSyncVerb(verb) && verb != "gc")
      return cx.fail(lineNo, toks[0].column,
                     fmt::format("expected a statement of sync.Map ({}), got {:?}", kSyncStatementsText, verb));
    std::vector<Token> sub;
    for (std::size_t i = 0; i < toks.size(); i++) sub.push_back({texts[i], toks[i].column, toks[i].endColumn()});
    std::optional<SourceError> e;
    auto op = cx.ops->parseTokens(sub, lineNo, e);
    if (!op) {
      *cx.err = std::move(*e);
      return false;
    }
    if (op->iterDo) // a loop body belongs to op scripts; a goroutine's writes are its own lines
      return cx.fail(lineNo, toks[0].column, "expected 'iter' without a body in a goroutine: write the loop's "
                                             "writes as the goroutine's own ops");
    if (op->kind == ScriptOp::Kind::Gc) { // runtime.GC(): one step of its own (World::gcStep)
      ins.kind = Instr::Kind::Gc;
      ins.text = std::move(op->text);
      return true;
    }
    bool known = false;
    for (auto [ik, ok] : kMapStatements)
      if (ok == op->kind) ins.kind = ik, known = true;
    for (auto [ok, code] : kSyncStatements)
      if (ok == op->kind) ins.kind = Instr::Kind::SyncMap, ins.syncOp = code, known = true;
    if (!known) throw std::logic_error("a map statement the race grammar does not know");
    ins.key = op->key;
    ins.value = op->value;
    ins.limit = op->limit;
    ins.text = std::move(op->text);
    if (!checkCowStatement(sc, ins, lineNo, toks[0].column, *cx.err)) return false;
    return true;
  } else if (verb == "lock" || verb == "unlock" || verb == "rlock" || verb == "runlock") {
    if (!want(2, fmt::format("{} MUTEX", verb))) return false;
    ins.kind = verb == "lock" ? Instr::Kind::Lock
               : verb == "unlock" ? Instr::Kind::Unlock
               : verb == "rlock" ? Instr::Kind::RLock
                                 : Instr::Kind::RUnlock;
    const std::string& name = texts[1];
    bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
    for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok) return cx.fail(lineNo, toks[1].column, fmt::format("expected a mutex name (a Go identifier), got {:?}", name));
    int idx = -1;
    for (std::size_t m = 0; m < sc.mutexes.size(); m++)
      if (sc.mutexes[m].name == name) idx = static_cast<int>(m);
    if (idx < 0) {
      idx = static_cast<int>(sc.mutexes.size());
      sc.mutexes.push_back({name, false});
    }
    if (ins.kind == Instr::Kind::RLock || ins.kind == Instr::Kind::RUnlock) sc.mutexes[idx].rw = true;
    ins.mutex = idx;
  } else {
    return cx.fail(lineNo, toks[0].column,
                   fmt::format("expected a statement ({}), got {:?}",
                               sc.cow ? kCowStatementsText : sc.syncmap ? kSyncStatementsText : kStatements, verb));
  }
  ins.text.clear();
  for (std::size_t i = 0; i < texts.size(); i++) {
    if (i) ins.text.push_back(' ');
    ins.text += texts[i];
  }
  return true;
}

constexpr std::size_t kMaxInstructions = 1'000'000;

// A goroutine program line: a statement, 'for VAR in A..B: STMT; STMT', or
// 'defer recover'.
bool parseProgramLine(Ctx& cx, Scenario& sc, Program& prog, std::string_view line, const std::vector<Token>& toks,
                      int lineNo) {
  if (toks[0].text == "defer") {
    if (toks.size() != 2 || toks[1].text != "recover")
      return cx.fail(lineNo, toks.size() > 1 ? toks[1].column : toks[0].column + 5, "expected 'defer recover'");
    if (!prog.code.empty())
      return cx.fail(lineNo, toks[0].column, "expected 'defer recover' as the goroutine's first statement");
    prog.recoverPanics = true;
    return true;
  }
  auto numericKeys = [&] { return sc.kind != KeyKind::String; };
  // One statement into its instructions (a sharded map's store/load/delete unroll into three).
  auto statement = [&](const std::vector<Token>& ts, const std::vector<std::string>& texts, std::vector<Instr>& out) {
    if (sc.shards > 0) {
      const ShardParse r = parseShardedStatement(*cx.ops, sc, ts, texts, lineNo, out, *cx.err);
      if (r != ShardParse::NotMine) return r == ShardParse::Handled;
    }
    Instr ins;
    const std::string_view v0 = texts.empty() ? std::string_view() : std::string_view(texts[0]);
    if (sc.cow && cow::isInPlace(sc.cowVariant) &&
        (isSyncVerb(v0) || v0 == "put" || v0 == "del" || v0 == "get" || v0 == "iter" || v0 == "clear" || v0 == "gc")) {
      if (!parseInPlaceStatement(sc, *cx.ops, ts, texts, lineNo, ins, *cx.err)) return false; // cow_scenario.hpp
      out.push_back(std::move(ins));
      return true;
    }
    if (!parseStatement(cx, sc, ts, texts, lineNo, ins)) return false;
    out.push_back(std::move(ins));
    return true;
  };
  if (toks[0].text != "for") {
    std::vector<std::string> texts;
    for (auto& t : toks) texts.emplace_back(t.text);
    return statement(toks, texts, prog.code);
  }
  // for VAR in A..B: body
  if (toks.size() < 4 || toks[2].text != "in")
    return cx.fail(lineNo, toks.size() > 2 ? toks[2].column : toks[0].column, "expected 'for VAR in A..B: STATEMENT'");
  std::string_view var = toks[1].text;
  bool okVar = !var.empty() && std::isalpha(static_cast<unsigned char>(var[0]));
  for (char c : var) okVar = okVar && std::isalnum(static_cast<unsigned char>(c));
  if (!okVar) return cx.fail(lineNo, toks[1].column, fmt::format("expected a loop variable name, got {:?}", var));
  // The range token may carry the ':' ("0..999:") or be followed by it.
  std::string_view range = toks[3].text;
  bool colonAttached = !range.empty() && range.back() == ':';
  if (colonAttached) range.remove_suffix(1);
  std::size_t dots = range.find("..");
  int64_t lo = 0, hi = 0;
  if (dots == std::string_view::npos || !parseInt64Token(range.substr(0, dots), lo) ||
      !parseInt64Token(range.substr(dots + 2), hi))
    return cx.fail(lineNo, toks[3].column, fmt::format("expected a range A..B (both ends included), got {:?}", range));
  if (hi < lo) return cx.fail(lineNo, toks[3].column, fmt::format("expected A <= B in the range {:?}", range));
  std::size_t bodyTok = 4;
  if (!colonAttached) {
    if (toks.size() < 5 || toks[4].text.empty() || toks[4].text[0] != ':')
      return cx.fail(lineNo, toks.size() > 4 ? toks[4].column : toks[3].column + static_cast<int>(toks[3].text.size()),
                     "expected ':' after the range");
    bodyTok = 5;
    if (toks[4].text.size() > 1) return cx.fail(lineNo, toks[4].column + 1, "expected a space after ':'");
  }
  if (bodyTok >= toks.size()) return cx.fail(lineNo, static_cast<int>(line.size()) + 1, "expected a statement after ':'");
  // Split the body on ';' tokens (or tokens ending in ';').
  std::vector<std::vector<Token>> stmts(1);
  for (std::size_t i = bodyTok; i < toks.size(); i++) {
    Token t = toks[i];
    bool ends = !t.text.empty() && t.text.back() == ';' && t.text.front() != '"' && t.text.front() != '`';
    if (ends) t.text.remove_suffix(1);
    if (!t.text.empty()) stmts.back().push_back(t);
    if (ends) stmts.emplace_back();
  }
  if (stmts.back().empty()) stmts.pop_back();
  for (auto& s : stmts)
    if (s.empty()) return cx.fail(lineNo, toks[bodyTok].column, "expected a statement between ';'");
  uint64_t n = static_cast<uint64_t>(hi - lo) + 1;
  if (n * stmts.size() + prog.code.size() > kMaxInstructions)
    return cx.fail(lineNo, toks[3].column,
                   fmt::format("expected at most {} statements per goroutine once loops are unrolled", kMaxInstructions));
  // Check every statement once with the first value (errors point at the source).
  for (int64_t v = lo;; v++) {
    for (auto& s : stmts) {
      std::vector<std::string> texts;
      for (std::size_t i = 0; i < s.size(); i++)
        texts.push_back(substitute(s[i].text, var, v, i == 2 || (i == 1 && numericKeys())));
      const std::size_t first = prog.code.size();
      if (!statement(s, texts, prog.code)) {
        if (v != lo) cx.err->message += fmt::format(" (with {}={})", var, v);
        return false;
      }
      for (std::size_t j = first; j < prog.code.size(); j++) prog.code[j].loopVar = fmt::format("{}={}", var, v);
    }
    if (v == hi) break;
  }
  return true;
}

bool parseExpect(Ctx& cx, const std::vector<Token>& toks, std::string_view line, int lineNo, Expectation& e) {
  e.line = lineNo;
  if (toks.size() < 2) return cx.fail(lineNo, toks[0].column + 6, "expected 'expect clean|fatal|panic|corrupt|deadlock ...'");
  std::string_view k = toks[1].text;
  auto gAndMessage = [&](Expectation::Kind kind) {
    e.kind = kind;
    uint64_t g = 0;
    std::string_view gt = toks.size() > 2 ? toks[2].text : std::string_view();
    if (!gt.empty() && (gt[0] == 'G' || gt[0] == 'g')) gt.remove_prefix(1);
    if (toks.size() < 4 || !parseU64(gt, g) || g == 0 || g > kMaxGoroutines)
      return cx.fail(lineNo, toks.size() > 2 ? toks[2].column : static_cast<int>(line.size()) + 1,
                     fmt::format("expected 'expect {} G MESSAGE' with G a goroutine number", k));
    e.goroutine = static_cast<int>(g);
    e.column = toks[2].column;
    e.message = std::string(restAfter(line, toks[2]));
    auto hash = e.message.find(" #");
    if (hash != std::string::npos) e.message.resize(hash);
    return true;
  };
  if (k == "clean" || k == "deadlock") {
    if (toks.size() != 2) return cx.fail(lineNo, toks[2].column, fmt::format("expected nothing after 'expect {}'", k));
    e.kind = k == "clean" ? Expectation::Kind::Clean : Expectation::Kind::Deadlock;
    return true;
  }
  if (k == "fatal") return gAndMessage(Expectation::Kind::Fatal);
  if (k == "panic") return gAndMessage(Expectation::Kind::Panic);
  if (k == "corrupt") {
    e.kind = Expectation::Kind::Corrupt;
    for (std::size_t i = 2; i < toks.size(); i++) {
      std::string kind(toks[i].text);
      if (!isCorruptionKind(kind))
        return cx.fail(lineNo, toks[i].column,
                       fmt::format("expected a corruption kind ({}), got {:?}", corruptionKindList(), kind));
      e.corruptKinds.push_back(kind);
    }
    return true;
  }
  return cx.fail(lineNo, toks[1].column,
                 fmt::format("expected clean, fatal, panic, corrupt or deadlock after 'expect', got {:?}", k));
}

} // namespace

bool parseSteps(std::string_view text, std::vector<uint8_t>& out, std::string& why, int& column) {
  out.clear();
  std::vector<Token> toks;
  if (!lexLine(text, toks, why, column, false)) return false;
  for (auto& t : toks) {
    std::string_view s = t.text;
    if (!s.empty() && (s[0] == 'g' || s[0] == 'G')) s.remove_prefix(1);
    uint64_t g = 0, times = 1;
    bool star = !s.empty() && s.back() == '*';
    if (star) s.remove_suffix(1);
    std::size_t x = s.find('x');
    bool ok = parseU64(s.substr(0, x), g);
    if (ok && x != std::string_view::npos) ok = !star && parseU64(s.substr(x + 1), times) && times >= 1 && times <= 10'000'000;
    if (!ok || g < 1 || g > kMaxGoroutines) {
      why = fmt::format("expected a step: a goroutine number 1..{}, NxK (G N, K times) or N* (G N until it finishes or "
                        "blocks), got {:?}",
                        kMaxGoroutines, t.text);
      column = t.column;
      return false;
    }
    if (star) {
      out.push_back(static_cast<uint8_t>(g | kUntilBlocked));
      continue;
    }
    if (out.size() + times > 50'000'000) {
      why = "expected at most 50,000,000 steps";
      column = t.column;
      return false;
    }
    out.insert(out.end(), times, static_cast<uint8_t>(g));
  }
  return true;
}

std::string formatSteps(const std::vector<uint8_t>& steps) {
  std::string s;
  for (std::size_t i = 0; i < steps.size();) {
    std::size_t j = i;
    while (j < steps.size() && steps[j] == steps[i]) j++;
    if (!s.empty()) s.push_back(' ');
    if (steps[i] & kUntilBlocked) {
      s += fmt::format("{}*", steps[i] & ~kUntilBlocked);
      i++;
      continue;
    }
    if (j - i == 1) s += std::to_string(steps[i]);
    else s += fmt::format("{}x{}", steps[i], j - i);
    i = j;
  }
  return s;
}

std::string formatSchedule(const ScheduleSpec& s) {
  auto policy = [](ScheduleSpec::Kind k, uint64_t q, uint64_t seed) -> std::string {
    switch (k) {
    case ScheduleSpec::Kind::RoundRobin: return q == 1 ? "roundrobin" : fmt::format("roundrobin {}", q);
    case ScheduleSpec::Kind::Random: return fmt::format("random {}", seed);
    case ScheduleSpec::Kind::Manual: return "manual";
    case ScheduleSpec::Kind::Steps: return "";
    }
    return "";
  };
  if (s.kind != ScheduleSpec::Kind::Steps) return policy(s.kind, s.quantum, s.seed);
  std::string out = formatSteps(s.steps);
  if (s.then != ScheduleSpec::Kind::Manual) out += " then " + policy(s.then, s.thenQuantum, s.thenSeed);
  return out;
}

bool parseSchedule(std::string_view text, ScheduleSpec& out, std::string& why, int& column) {
  out = ScheduleSpec{};
  std::vector<Token> toks;
  if (!lexLine(text, toks, why, column, false)) return false;
  if (toks.empty()) {
    why = "expected roundrobin [QUANTUM], random SEED, manual, or a list of steps such as '1 1 2x3'";
    column = static_cast<int>(text.size()) + 1;
    return false;
  }
  // Accept "roundrobin:2" and "random:7" too (handy on a command line).
  std::vector<Token> split;
  for (auto& t : toks) {
    auto c = t.text.find(':');
    if (c != std::string_view::npos && c + 1 < t.text.size()) {
      split.push_back({t.text.substr(0, c), t.column});
      split.push_back({t.text.substr(c + 1), t.column + static_cast<int>(c) + 1});
    } else {
      split.push_back(t);
    }
  }
  toks = std::move(split);
  auto policy = [&](std::size_t i, ScheduleSpec::Kind& k, uint64_t& q, uint64_t& seed, bool allowManual) -> bool {
    std::string_view p = toks[i].text;
    if (p == "roundrobin" || p == "rr") {
      k = ScheduleSpec::Kind::RoundRobin;
      q = 1;
      if (i + 1 < toks.size()) {
        if (!parseU64(toks[i + 1].text, q) || q == 0 || i + 2 != toks.size()) {
          why = "expected 'roundrobin [QUANTUM]' with QUANTUM >= 1 steps per turn";
          column = toks[i + 1].column;
          return false;
        }
      }
      return true;
    }
    if (p == "random") {
      k = ScheduleSpec::Kind::Random;
      if (i + 2 != toks.size() || !parseUint64Token(toks[i + 1].text, seed)) {
        why = "expected 'random SEED' with SEED a 64-bit number";
        column = i + 1 < toks.size() ? toks[i + 1].column : toks[i].column + static_cast<int>(p.size()) + 1;
        return false;
      }
      return true;
    }
    if (p == "manual" && allowManual) {
      k = ScheduleSpec::Kind::Manual;
      if (i + 1 != toks.size()) {
        why = "expected nothing after 'manual'";
        column = toks[i + 1].column;
        return false;
      }
      return true;
    }
    why = fmt::format("expected {}a list of steps such as '1 1 2x3', got {:?}",
                      allowManual ? "roundrobin [QUANTUM], random SEED, manual, or " : "roundrobin [QUANTUM] or random SEED after 'then', not ",
                      p);
    column = toks[i].column;
    return false;
  };
  std::string_view first = toks[0].text;
  bool isStep = !first.empty() && (std::isdigit(static_cast<unsigned char>(first[0])) || first[0] == 'g' || first[0] == 'G');
  if (!isStep) return policy(0, out.kind, out.quantum, out.seed, true);
  out.kind = ScheduleSpec::Kind::Steps;
  std::size_t thenAt = toks.size();
  for (std::size_t i = 0; i < toks.size(); i++)
    if (toks[i].text == "then") thenAt = i;
  std::size_t endCol = thenAt < toks.size() ? static_cast<std::size_t>(toks[thenAt].column - 1) : text.size();
  if (!parseSteps(text.substr(0, endCol), out.steps, why, column)) return false;
  if (thenAt < toks.size()) {
    if (thenAt + 1 >= toks.size()) {
      why = "expected roundrobin [QUANTUM] or random SEED after 'then'";
      column = toks[thenAt].column + 4;
      return false;
    }
    if (!policy(thenAt + 1, out.then, out.thenQuantum, out.thenSeed, false)) return false;
  }
  return true;
}

std::optional<Scenario> parseScenario(std::string_view text, const std::string& file, ScenarioError& err) {
  ScriptParser ops(file);
  Ctx cx{file, &err, &ops};
  Scenario sc;
  sc.file = file;
  enum class Section { None, Map, Goroutine } section = Section::None;
  bool sawVersion = false, sawMap = false, sawMake = false, sawGranularity = false, sawSchedule = false;
  int schedLine = 0, granLine = 0, granColumn = 0;
  std::string schedText; // the whole schedule line (columns stay those of the file)
  int lineNo = 0;
  std::size_t pos = 0;
  auto fail = [&](int line, int col, std::string msg) -> std::optional<Scenario> {
    cx.fail(line, col, std::move(msg));
    return std::nullopt;
  };
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
      static_cast<unsigned char>(text[2]) == 0xBF)
    pos = 3; // UTF-8 byte order mark
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    lineNo++;
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    std::vector<Token> toks;
    std::string why;
    int col = 0;
    // Free-text directives (title, narration): the op language's, shared with op scripts.
    if (sawVersion) {
      TextDirective td;
      std::optional<SourceError> terr;
      if (parseTextDirective(line, lineNo, file, td, terr)) {
        if (terr) return fail(terr->line, terr->column, terr->message);
        std::string& dst = td.title ? sc.title[td.lang] : sc.narration[td.lang];
        if (td.title && !dst.empty())
          return fail(lineNo, td.column, fmt::format("expected one 'title {}' line", td.lang ? "zh" : "en"));
        if (!dst.empty()) dst.push_back('\n');
        dst.append(td.text);
        section = Section::None;
        continue;
      }
    }
    if (!lexLine(line, toks, why, col)) return fail(lineNo, col, why);
    if (toks.empty()) continue;
    std::string_view d = toks[0].text;
    if (!sawVersion) {
      if (d != "gomaplab-race")
        return fail(lineNo, toks[0].column,
                    fmt::format("expected 'gomaplab-race {}' as the first line of a race scenario, got {:?}",
                                kScenarioVersion, d));
      uint64_t v = 0;
      if (toks.size() != 2 || !parseU64(toks[1].text, v))
        return fail(lineNo, toks.size() > 1 ? toks[1].column : toks[0].column + 14,
                    fmt::format("expected a format version number: 'gomaplab-race {}'", kScenarioVersion));
      if (v != kScenarioVersion)
        return fail(lineNo, toks[1].column,
                    fmt::format("expected format version {} (this gomaplab reads version {}), got {}", kScenarioVersion,
                                kScenarioVersion, v));
      sc.version = static_cast<int>(v);
      sawVersion = true;
      continue;
    }
    // Directives that open sections or stand alone.
    if (d == "map") {
      if (toks.size() != 1) return fail(lineNo, toks[1].column, "expected 'map' alone on its line");
      if (sawMap) return fail(lineNo, toks[0].column, "expected one 'map' section");
      if (!sc.programs.empty()) return fail(lineNo, toks[0].column, "expected the 'map' section before the goroutines");
      sawMap = true;
      section = Section::Map;
      continue;
    }
    if (d == "goroutine") {
      uint64_t n = 0;
      if (toks.size() != 2 || !parseU64(toks[1].text, n))
        return fail(lineNo, toks.size() > 1 ? toks[1].column : toks[0].column + 10, "expected 'goroutine N'");
      if (!sawMake) return fail(lineNo, toks[0].column, "expected a 'map' section with 'make KIND HINT' (or 'nil KIND') before the goroutines");
      if (n != sc.programs.size() + 1)
        return fail(lineNo, toks[1].column,
                    fmt::format("expected 'goroutine {}' (goroutines are numbered 1, 2, ... in order)", sc.programs.size() + 1));
      if (n > kMaxGoroutines) return fail(lineNo, toks[1].column, fmt::format("expected at most {} goroutines", kMaxGoroutines));
      sc.programs.emplace_back();
      sc.programs.back().line = lineNo;
      sc.programLines.emplace_back();
      section = Section::Goroutine;
      continue;
    }
    if (d == "granularity") {
      if (sawGranularity) return fail(lineNo, toks[0].column, "expected one 'granularity' line");
      if (toks.size() != 2 || (toks[1].text != "statement" && toks[1].text != "memory"))
        return fail(lineNo, toks.size() > 1 ? toks[1].column : toks[0].column + 12,
                    "expected 'granularity statement' or 'granularity memory'");
      sc.granularity = toks[1].text == "memory" ? Granularity::Memory : Granularity::Statement;
      granLine = lineNo;
      granColumn = toks[1].column;
      sawGranularity = true;
      section = Section::None;
      continue;
    }
    if (d == "schedule") {
      if (sawSchedule) return fail(lineNo, toks[0].column, "expected one 'schedule' line");
      std::size_t start = static_cast<std::size_t>(toks[0].column - 1) + d.size();
      std::string_view arg = line.substr(start);
      auto hash = arg.find('#');
      if (hash != std::string_view::npos) arg = arg.substr(0, hash);
      if (!parseSchedule(arg, sc.schedule, why, col)) return fail(lineNo, static_cast<int>(start) + col, why);
      sawSchedule = true;
      schedLine = lineNo;
      schedText = std::string(line);
      section = Section::None;
      continue;
    }
    if (d == "expect") {
      if (sc.expect) return fail(lineNo, toks[0].column, "expected one 'expect' line");
      Expectation e;
      if (!parseExpect(cx, toks, line, lineNo, e)) return std::nullopt;
      sc.expect = e;
      section = Section::None;
      continue;
    }
    // Lines inside a section.
    if (section == Section::Map && toks.size() >= 2 && toks[0].text == "make" && toks[1].text == "cow") {
      if (sawMake) return fail(lineNo, toks[0].column, "expected one 'make' (or 'nil') in the map section: goroutines share one map");
      if (!*parseCowMake(sc, ops, toks, lineNo, err)) return std::nullopt;
      sawMake = true;
      sc.mapLines.emplace_back(line);
      continue;
    }
    if (section == Section::Map && sc.cow) {
      if (!parseCowSetupLine(sc, ops, line, lineNo, err)) return std::nullopt;
      sc.mapLines.emplace_back(line);
      continue;
    }
    if (section == Section::Map) {
      if (sc.shards > 0) // the shards' maps start empty: goroutines store into them
        return fail(lineNo, toks[0].column, "expected nothing after 'make sharded N KIND' in the map section (each "
                                            "shard's map starts empty; settings such as hashmode go before make)");
      std::string shardedMake;
      if (sawMake && d == "make" && toks.size() > 1 && toks[1].text == "sharded")
        return fail(lineNo, toks[0].column, "expected one 'make' (or 'nil') in the map section: goroutines share one map");
      if (!parseShardedMake(toks, lineNo, file, sc, shardedMake, err)) return std::nullopt;
      if (!shardedMake.empty()) { // each shard's map is made by the op grammar's make
        std::optional<ScriptError> serr;
        auto op = ops.parseLine(shardedMake, lineNo, serr);
        if (serr) return fail(serr->line, serr->column, serr->message);
        if (!op) throw std::logic_error("make sharded's shard make did not parse");
        sawMake = true;
        sc.setup.push_back(std::move(*op));
        sc.mapLines.emplace_back(line);
        continue;
      }
      std::optional<ScriptError> serr;
      auto op = ops.parseLine(line, lineNo, serr);
      if (serr) return fail(serr->line, serr->column, serr->message);
      if (!op) continue;
      if (op->kind == ScriptOp::Kind::Make || op->kind == ScriptOp::Kind::Nil) {
        if (sawMake) return fail(lineNo, toks[0].column, "expected one 'make' (or 'nil') in the map section: goroutines share one map");
        sawMake = true;
        sc.syncmap = op->syncmap;
        sc.kind = op->mapKind;
        sc.nilMap = op->kind == ScriptOp::Kind::Nil;
        sc.swiss = op->swiss;
      }
      sc.setup.push_back(std::move(*op));
      sc.mapLines.emplace_back(line);
      continue;
    }
    if (section == Section::Goroutine) {
      if (!parseProgramLine(cx, sc, sc.programs.back(), line, toks, lineNo)) return std::nullopt;
      sc.programLines.back().emplace_back(line);
      continue;
    }
    return fail(lineNo, toks[0].column,
                fmt::format("expected a directive (title, narration, map, goroutine, granularity, schedule, expect), "
                            "got {:?}{}",
                            d, sawMap ? "" : " (map operations belong in the 'map' section)"));
  }
  if (!sawVersion) return fail(1, 1, fmt::format("expected 'gomaplab-race {}' as the first line", kScenarioVersion));
  if (!sawMake) return fail(lineNo, 1, "expected a 'map' section with 'make KIND HINT' (or 'nil KIND')");
  if (sc.programs.empty()) return fail(lineNo, 1, "expected at least one 'goroutine N' section");
  if (sc.swiss && sc.granularity == Granularity::Memory)
    return fail(granLine, granColumn, std::string(kSwissMemoryGranularity));
  if (sc.syncmap && sc.granularity == Granularity::Memory)
    return fail(granLine, granColumn, std::string(kSyncMapMemoryGranularity));
  if (sc.cow && !cow::isInPlace(sc.cowVariant) && sc.granularity == Granularity::Memory)
    return fail(granLine, granColumn, std::string(kCowMemoryGranularity));
  if (sawSchedule) {
    // Steps are checked once every goroutine is known; the error points at the step.
    std::vector<Token> st;
    std::string why2;
    int c2 = 0;
    lexLine(schedText, st, why2, c2, true);
    for (auto& t : st) {
      std::vector<uint8_t> one;
      if (t.text == "then") break;
      if (!parseSteps(t.text, one, why2, c2)) continue;
      for (auto g : one)
        if ((g & ~kUntilBlocked) > sc.programs.size())
          return fail(schedLine, t.column,
                      fmt::format("expected goroutine numbers up to {} (the scenario has {} goroutine{}), got {:?}",
                                  sc.programs.size(), sc.programs.size(), sc.programs.size() == 1 ? "" : "s", t.text));
    }
  }
  if (sc.expect && sc.expect->goroutine > static_cast<int>(sc.programs.size()))
    return fail(sc.expect->line, sc.expect->column,
                fmt::format("expected a goroutine number up to {}, got {}", sc.programs.size(), sc.expect->goroutine));
  return sc;
}

std::optional<Scenario> loadScenario(const std::string& path, ScenarioError& err) {
  std::string text;
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      err = ScenarioError{path, 0, 0, fmt::format("cannot open scenario: {}", std::strerror(errno))};
      return std::nullopt;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  return parseScenario(text, path, err);
}

std::string writeScenario(const Scenario& s) {
  std::string o = fmt::format("gomaplab-race {}\n", s.version);
  const char* lang[2] = {"en", "zh"};
  for (int l = 0; l < 2; l++)
    if (!s.title[l].empty()) o += fmt::format("title {} {}\n", lang[l], s.title[l]);
  for (int l = 0; l < 2; l++) {
    std::string_view n = s.narration[l];
    while (!n.empty()) {
      auto nl = n.find('\n');
      o += fmt::format("narration {} {}\n", lang[l], n.substr(0, nl));
      if (nl == std::string_view::npos) break;
      n.remove_prefix(nl + 1);
    }
  }
  o += "\nmap\n";
  for (auto& l : s.mapLines) o += l + "\n";
  for (std::size_t g = 0; g < s.programLines.size(); g++) {
    o += fmt::format("\ngoroutine {}\n", g + 1);
    for (auto& l : s.programLines[g]) o += l + "\n";
  }
  o += fmt::format("\ngranularity {}\n", granularityName(s.granularity));
  o += fmt::format("schedule {}\n", formatSchedule(s.schedule));
  if (s.expect) {
    const Expectation& e = *s.expect;
    switch (e.kind) {
    case Expectation::Kind::Clean: o += "expect clean\n"; break;
    case Expectation::Kind::Deadlock: o += "expect deadlock\n"; break;
    case Expectation::Kind::Fatal: o += fmt::format("expect fatal {} {}\n", e.goroutine, e.message); break;
    case Expectation::Kind::Panic: o += fmt::format("expect panic {} {}\n", e.goroutine, e.message); break;
    case Expectation::Kind::Corrupt: {
      o += "expect corrupt";
      for (auto& k : e.corruptKinds) o += " " + k;
      o += "\n";
      break;
    }
    }
  }
  return o;
}

} // namespace gomap::race
