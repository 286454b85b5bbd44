// sync.Map's JSON: the state line `gomaplab dump` prints after each op (the
// contract the real-runtime oracle tests/oracle-syncmap prints too; fields,
// order and numbers are fixed by docs/formats.md, "sync.Map JSON: the
// oracle's contract") and the event lines of `gomaplab events`.
#pragma once
#include <string>

#include "engine/syncmap.hpp"

namespace gomap {

// Appends ,"mu":{..},"read":..,"amended":..,"m":[..],"dirty":..,"misses":.. (no braces): the state, which
// race exploration also compares (so it leaves the heap counters out).
void appendSyncState(std::string& out, const syncmap::SyncMap& m);
// Appends ,"allocs":{"op":N,"readonly":..,"entry":..,"cell":..,"box":..},"frees":{..}: the op's total and
// the counts per kind since make (the simulator's own fields; the oracle does not print them).
void appendSyncHeap(std::string& out, const syncmap::SyncMap& m);
// One event: {"i":..,"op":..,"kind":..,"fn":..,"line":.., payload fields}.
void appendSyncEventJson(std::string& out, const syncmap::SyncEvent& e, uint64_t index, uint64_t opIndex);

} // namespace gomap
