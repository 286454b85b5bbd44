#include "concurrency/cow_scenario.hpp"

#include <fmt/format.h>

namespace gomap::race {

std::optional<bool> parseCowMake(Scenario& sc, ScriptParser& ops, const std::vector<Token>& toks, int lineNo,
                                 ScenarioError& err) {
  if (toks.size() < 2 || toks[0].text != "make" || toks[1].text != "cow") return std::nullopt;
  auto fail = [&](int col, std::string msg) {
    err = ScenarioError{ops.file(), lineNo, col, std::move(msg)};
    return false;
  };
  const int endCol = toks.back().endColumn();
  if (toks.size() < 3) return fail(endCol, fmt::format("expected 'make cow VARIANT string|int64' (VARIANT: {})", cow::kVariantList));
  auto v = cow::parseVariant(toks[2].text);
  if (!v) return fail(toks[2].column, fmt::format("expected a copy-on-write variant ({}), got {:?}", cow::kVariantList, toks[2].text));
  if (toks.size() < 4) return fail(endCol, "expected the key kind: 'make cow VARIANT string|int64'");
  if (toks[3].text != "string" && toks[3].text != "int64")
    return fail(toks[3].column, fmt::format("expected the key kind string or int64, got {:?}", toks[3].text));
  if (toks.size() > 4) return fail(toks[4].column, "expected 'make cow VARIANT string|int64' with nothing after the key kind");
  if (ops.made())
    return fail(toks[0].column, "expected the copy-on-write map's 'make' first in the map section (an op came before it)");
  std::optional<ScriptError> serr;
  if (cow::isInPlace(*v)) {
    // Written in place, the published map is an ordinary map: the classic engine's
    // (make KIND 0, hash0 0), which the World runs as a classic race's map.
    auto op = ops.parseLine(fmt::format("make {} 0", toks[3].text), lineNo, serr);
    if (!op || serr) return fail(toks[0].column, serr ? serr->message : "bad make line");
    sc.setup.push_back(std::move(*op));
  } else {
    // The store and load lines that follow are the op language's sync.Map verbs.
    const std::string shadow = fmt::format("make syncmap {}", toks[3].text);
    if (!ops.parseLine(shadow, lineNo, serr) || serr) return fail(toks[0].column, serr ? serr->message : "bad make line");
  }
  sc.cow = true;
  sc.cowVariant = *v;
  sc.kind = toks[3].text == "string" ? KeyKind::String : KeyKind::Int64;
  return true;
}

namespace {
// An inplace map's store / load line as the classic map's put / get (the same
// columns, so errors point at what was written); other verbs as they are.
std::optional<ScriptOp> parseInPlaceTokens(ScriptParser& ops, std::vector<Token> toks, int lineNo,
                                           std::optional<ScriptError>& err) {
  if (toks[0].text == "store") toks[0] = Token{"put", toks[0].column, toks[0].endColumn()};
  else if (toks[0].text == "load") toks[0] = Token{"get", toks[0].column, toks[0].endColumn()};
  auto op = ops.parseTokens(toks, lineNo, err);
  if (op && !err) { // the text as written: "store a 1"
    if (op->kind == ScriptOp::Kind::Put && op->text.rfind("put", 0) == 0) op->text.replace(0, 3, "store");
    if (op->kind == ScriptOp::Kind::Get && op->text.rfind("get", 0) == 0) op->text.replace(0, 3, "load");
  }
  return op;
}
} // namespace

bool parseCowSetupLine(Scenario& sc, ScriptParser& ops, std::string_view line, int lineNo, ScenarioError& err) {
  std::optional<ScriptError> serr;
  std::optional<ScriptOp> op;
  if (cow::isInPlace(sc.cowVariant)) {
    std::vector<Token> toks;
    std::string why;
    int col = 0;
    if (!lexLine(line, toks, why, col)) {
      err = ScenarioError{ops.file(), lineNo, col, why};
      return false;
    }
    if (toks.empty()) return true;
    if (toks[0].text != "store") {
      err = ScenarioError{ops.file(), lineNo, toks[0].column,
                          "expected 'store KEY VALUE' (the copy-on-write map's initial entries) or a goroutine section"};
      return false;
    }
    op = parseInPlaceTokens(ops, toks, lineNo, serr);
  } else {
    op = ops.parseLine(line, lineNo, serr);
  }
  if (serr) {
    err = *serr;
    return false;
  }
  if (!op) return true;
  if (op->kind != ScriptOp::Kind::Store && op->kind != ScriptOp::Kind::Put) {
    std::size_t c = line.find_first_not_of(" \t");
    err = ScenarioError{ops.file(), lineNo, c == std::string_view::npos ? 1 : static_cast<int>(c) + 1,
                        "expected 'store KEY VALUE' (the copy-on-write map's initial entries) or a goroutine section"};
    return false;
  }
  sc.setup.push_back(std::move(*op));
  return true;
}

bool checkCowStatement(const Scenario& sc, const Instr& ins, int lineNo, int column, ScenarioError& err) {
  if (!sc.cow || ins.kind != Instr::Kind::SyncMap) return true;
  if (ins.syncOp == syncmap::SyncOpCode::Store || ins.syncOp == syncmap::SyncOpCode::Load) return true;
  err = ScenarioError{sc.file, lineNo, column,
                      fmt::format("expected a copy-on-write map method (store KEY VALUE or load KEY), got {:?}",
                                  ins.text.substr(0, ins.text.find(' ')))};
  return false;
}

bool parseInPlaceStatement(const Scenario& sc, ScriptParser& ops, const std::vector<Token>& toks,
                           const std::vector<std::string>& texts, int lineNo, Instr& ins, ScenarioError& err) {
  ins.line = lineNo;
  ins.column = toks[0].column;
  if (texts[0] != "store" && texts[0] != "load") {
    err = ScenarioError{sc.file, lineNo, toks[0].column,
                        fmt::format("expected a copy-on-write map method (store KEY VALUE or load KEY), got {:?}", texts[0])};
    return false;
  }
  std::vector<Token> sub;
  for (std::size_t i = 0; i < toks.size(); i++) sub.push_back({texts[i], toks[i].column, toks[i].endColumn()});
  std::optional<SourceError> e;
  auto op = parseInPlaceTokens(ops, sub, lineNo, e);
  if (!op || e) {
    err = e ? *e : ScenarioError{sc.file, lineNo, toks[0].column, "expected 'store KEY VALUE' or 'load KEY'"};
    return false;
  }
  ins.kind = op->kind == ScriptOp::Kind::Put ? Instr::Kind::Put : Instr::Kind::Get;
  ins.key = op->key;
  ins.value = op->value;
  ins.text = std::move(op->text);
  return true;
}

std::vector<std::pair<KeyValue, int64_t>> cowInitialEntries(const Scenario& sc) {
  std::vector<std::pair<KeyValue, int64_t>> out;
  for (const ScriptOp& op : sc.setup)
    if (op.kind == ScriptOp::Kind::Store || op.kind == ScriptOp::Kind::Put) out.emplace_back(op.key, op.value);
  return out;
}

} // namespace gomap::race
