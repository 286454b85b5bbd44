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
  // The store and load lines that follow are the op language's sync.Map verbs.
  std::optional<ScriptError> serr;
  const std::string shadow = fmt::format("make syncmap {}", toks[3].text);
  if (!ops.parseLine(shadow, lineNo, serr) || serr) return fail(toks[0].column, serr ? serr->message : "bad make line");
  sc.cow = true;
  sc.cowVariant = *v;
  sc.kind = toks[3].text == "string" ? KeyKind::String : KeyKind::Int64;
  return true;
}

bool parseCowSetupLine(Scenario& sc, ScriptParser& ops, std::string_view line, int lineNo, ScenarioError& err) {
  std::optional<ScriptError> serr;
  auto op = ops.parseLine(line, lineNo, serr);
  if (serr) {
    err = *serr;
    return false;
  }
  if (!op) return true;
  if (op->kind != ScriptOp::Kind::Store) {
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

std::vector<std::pair<KeyValue, int64_t>> cowInitialEntries(const Scenario& sc) {
  std::vector<std::pair<KeyValue, int64_t>> out;
  for (const ScriptOp& op : sc.setup)
    if (op.kind == ScriptOp::Kind::Store) out.emplace_back(op.key, op.value);
  return out;
}

} // namespace gomap::race
