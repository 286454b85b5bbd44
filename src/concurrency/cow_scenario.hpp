// The race grammar's copy-on-write map (cow_map.hpp): `make cow VARIANT KIND`
// in the map section, `store KEY VALUE` lines after it (the constructor's
// initial entries), and `store K V` / `load K` as goroutine statements. The
// op language's sync.Map grammar parses the store and load lines (they are
// the same verbs); these helpers add what a copy-on-write map refuses.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "concurrency/scenario.hpp"

namespace gomap::race {

// A map-section line that says `make cow ...`: parses it into sc (nullopt when
// the line is not one; false with err set when it is a bad one).
std::optional<bool> parseCowMake(Scenario& sc, ScriptParser& ops, const std::vector<Token>& toks, int lineNo,
                                 ScenarioError& err);
// Another map-section line of a copy-on-write scenario: `store KEY VALUE` only.
bool parseCowSetupLine(Scenario& sc, ScriptParser& ops, std::string_view line, int lineNo, ScenarioError& err);
// A goroutine statement on a copy-on-write map: store or load only.
bool checkCowStatement(const Scenario& sc, const Instr& ins, int lineNo, int column, ScenarioError& err);
// A goroutine statement on an inplace map (cow::isInPlace): store K V is the
// classic map's put (Go's (*p)[k] = v, mapassign), load K its get (mapaccess2),
// both on the one engine map; the instruction's text stays "store K V".
bool parseInPlaceStatement(const Scenario& sc, ScriptParser& ops, const std::vector<Token>& toks,
                           const std::vector<std::string>& texts, int lineNo, Instr& ins, ScenarioError& err);
// A copy-on-write map's race runs at statement granularity only (but inplace's
// map is a classic map: statement or memory, as classic races).
inline constexpr std::string_view kCowMemoryGranularity =
    "expected 'granularity statement' for a copy-on-write map: each atomic load, CAS or store, the copy and the "
    "insert are already one step each (memory granularity splits only the classic map's flags update)";
inline constexpr std::string_view kCowStatementsText = "store, load, lock, unlock, rlock, runlock or for";
// The initial entries of the map section's store lines.
std::vector<std::pair<KeyValue, int64_t>> cowInitialEntries(const Scenario& sc);

} // namespace gomap::race
