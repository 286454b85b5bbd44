// The JSON line the `dump` command prints after each op: the hmap header and
// every bmap of buckets/oldbuckets, exactly as the Go oracle prints the real
// runtime's memory (tests/oracle). Field names and order are a contract.
#pragma once
#include <string>
#include <vector>

#include "engine/any_map.hpp"

namespace gomap {

// JSON string of raw bytes: printable ASCII as is (\" and \\ escaped), every
// other byte as \u00XX, so the text maps back to the exact bytes.
void appendJsonBytes(std::string& out, std::string_view bytes);
void appendJsonKey(std::string& out, const KeyValue& k);
std::string hashHex(uint64_t h);

// Appends ,"count":..,...,"oldbuckets":.. (no braces) to out. With arrays=false
// the bucket arrays are left out (summary mode).
// With digest, "digest" (stateDigest) follows "nextov".
void appendStateFields(std::string& out, const AnyMap& m, bool arrays, bool digest = false);

// FNV-1a over the canonical content of both bucket arrays (see docs/formats.md);
// the oracle computes the same digest from the real runtime's memory.
uint64_t stateDigest(const Model& m); // any model: Model::digest

} // namespace gomap
