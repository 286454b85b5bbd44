// The Swiss map's JSON: the state line `gomaplab dump` prints after each op
// (the contract the real-runtime oracle tests/oracle-swiss prints too; field
// names, order and number formats are fixed by docs/formats.md, "Swiss map
// JSON") and the event lines of `gomaplab events`.
#pragma once
#include <string>

#include "engine/swiss_model.hpp"

namespace gomap {

// A key as the Swiss JSON prints it: integers in decimal, strings as the
// classic dump escapes them, float64 as a JSON number in Go's shortest 'g'
// form except "NaN", "+Inf", "-Inf" and "-0", which are strings.
void appendSwissKey(std::string& out, const KeyValue& k);
// Appends ,"used":..,"seed":..,...,"tables":[..] (no braces).
void appendSwissState(std::string& out, const swiss::AnySwiss& m);
// One event: {"i":..,"op":..,"kind":..,"fn":..,"file":..,"line":.., payload fields}; fn, file and line are
// those of the map's key kind (keys) at its version (go127).
void appendSwissEventJson(std::string& out, const swiss::SwissEvent& e, uint64_t index, uint64_t opIndex, KeyKind keys,
                          bool go127);

} // namespace gomap
