// The key kinds gomaplab simulates, with the properties the runtime reads from
// their maptype (type.go L371-385): how a key is stored in a bucket cell, whether
// it equals itself (reflexivekey), whether an equal key must overwrite the stored
// one (needkeyupdate) and whether the bucket type holds pointers.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gomap {

enum class KeyKind : uint8_t { Int64, Int32, String, Float64 };
std::string_view keyKindName(KeyKind k);
bool parseKeyKind(std::string_view s, KeyKind& out);

// A key as the user gives it, independent of the map's kind.
struct KeyValue {
  KeyKind kind = KeyKind::Int64;
  int64_t i = 0;   // Int64, Int32
  double f = 0;    // Float64
  std::string s;   // String

  static KeyValue ofInt(KeyKind k, int64_t v) { return KeyValue{k, v, 0, {}}; }
  static KeyValue ofFloat(double v) { return KeyValue{KeyKind::Float64, 0, v, {}}; }
  static KeyValue ofString(std::string v) { return KeyValue{KeyKind::String, 0, 0, std::move(v)}; }
  bool operator==(const KeyValue&) const = default;
};

// String bytes live outside the buckets, as in Go, where a bucket cell holds a
// string header {ptr, len}. Here ptr is an id into an append-only, interning pool
// (0 is nil), so equal strings share an id and ids stay valid across snapshots.
class StringPool {
public:
  StringPool() { strings_.emplace_back(); }
  uint64_t intern(std::string_view s) {
    auto it = index_.find(std::string(s));
    if (it != index_.end()) return it->second;
    uint64_t id = strings_.size();
    strings_.emplace_back(s);
    index_.emplace(strings_.back(), id);
    return id;
  }
  std::string_view view(uint64_t id) const { return id < strings_.size() ? std::string_view(strings_[id]) : std::string_view(); }
  std::size_t bytes() const {
    std::size_t n = 0;
    for (auto& s : strings_) n += s.size();
    return n;
  }

private:
  std::vector<std::string> strings_;
  std::unordered_map<std::string, uint64_t> index_;
};

// Go's string header as stored in a bucket: 16 bytes.
struct StringHeader {
  uint64_t ptr = 0;
  uint64_t len = 0;
};
inline bool operator==(const StringHeader& a, const StringHeader& b) { return a.ptr == b.ptr && a.len == b.len; }

struct Int64Key {
  using Slot = int64_t;
  static constexpr KeyKind kind = KeyKind::Int64;
  static constexpr bool reflexiveKey = true;
  static constexpr bool needKeyUpdate = false;
  static constexpr bool hasPointers = false;
  static constexpr const char* goType = "map[int64]int64";
};
struct Int32Key {
  using Slot = int32_t;
  static constexpr KeyKind kind = KeyKind::Int32;
  static constexpr bool reflexiveKey = true;
  static constexpr bool needKeyUpdate = false;
  static constexpr bool hasPointers = false;
  static constexpr const char* goType = "map[int32]int64";
};
struct Float64Key {
  using Slot = double;
  static constexpr KeyKind kind = KeyKind::Float64;
  static constexpr bool reflexiveKey = false; // NaN != NaN
  static constexpr bool needKeyUpdate = true;  // -0.0 must replace +0.0
  static constexpr bool hasPointers = false;
  static constexpr const char* goType = "map[float64]int64";
};
struct StringKey {
  using Slot = StringHeader;
  static constexpr KeyKind kind = KeyKind::String;
  static constexpr bool reflexiveKey = true;
  static constexpr bool needKeyUpdate = true; // the stored header is replaced
  static constexpr bool hasPointers = true;   // old buckets are cleared after evacuation
  static constexpr const char* goType = "map[string]int64";
};

// Go's float formatting for keys: strconv.FormatFloat(f, 'g', -1, 64) with
// "NaN", "+Inf", "-Inf" and "-0".
std::string formatFloatKey(double f);

// Go-style text of a key (strings quoted as Go would print them with %q).
std::string keyText(const KeyValue& k);

} // namespace gomap
