// sync.Map events and state as text, for people (the GUI's event log and
// captions, the terminal view). The words are a table (SyncWords) so that the
// GUI can hand in its Chinese ones: the facts are picked and formatted here,
// once.
#pragma once
#include <string>
#include <string_view>

#include "engine/syncmap.hpp"

namespace gomap {

// The format strings a payload's text uses (fmt syntax; Go's own notation,
// read.m, misses, &cell#3, stays as it is in every language).
struct SyncWords {
  std::string_view value = "value {}";                       // Store/LoadOrStore begins: the value
  std::string_view returns = "returns ({}, {})";             // the method's results
  std::string_view nil = "nil";                              // returns (nil, false)
  std::string_view readNever = "read never stored: readOnly{{}}";
  std::string_view readOnly = "readOnly #{}, amended {}";
  std::string_view found = "ok, entry #{}";                  // a lookup that found the key
  std::string_view missing = "missing";                      // a lookup that did not
  std::string_view absent = "absent";                        // delete(m.dirty, key) of a missing key
  std::string_view swapped = "swapped", failed = "failed";   // a CAS
  std::string_view rangeCall = "entry #{}, v {}, f returns {}";
  std::string_view published = "readOnly #{}, amended {}, len(m) {}";
  std::string_view freed = "freed readonly {}, entry {}, cell {}, box {}";
};
inline constexpr SyncWords kSyncWordsEn{};

// The facts of event e's payload ("entry #3: p nil -> &cell#7 (5): swapped").
std::string syncPayloadText(const syncmap::SyncEvent& e, const SyncWords& w = kSyncWordsEn);

// "-" or "readonly 1, cell 2": the non-zero counts of c.
std::string syncHeapCountsText(const syncmap::HeapCounts& c);

// The map's state as lines of text: mu, read with read.m's entries, dirty,
// misses, the heap's counters (the terminal view; English).
std::string syncStateText(const syncmap::SyncMap& m);

} // namespace gomap
