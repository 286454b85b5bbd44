// Op scripts: one map operation per line, '#' comments, blank lines ignored.
//
//   hashkey K            set runtime hashkey[0] (before the first make)
//   rngseed N            seed the simulated fastrand state (gomaplab extension)
//   hashmode go|identity choose the hash (identity: hash = the key's bits)
//   make KIND HINT [HASH0]   KIND: int64 int32 string float64
//   nil KIND             a nil map of that kind (var m map[K]int64)
//   seed HASH0           overwrite h.hash0
//   pin KEY HASH         force KEY to hash to HASH (teaching collisions)
//   put KEY VAL | del KEY | get KEY | hash KEY | dump | clear | iter
//
// Keys: integers in decimal; floats also NaN, -0, +Inf, -Inf; strings as bare
// tokens or Go-quoted ("a\x20b", "", `raw`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/keys.hpp"
#include "engine/map.hpp"

namespace gomap {

struct ScriptOp {
  enum class Kind { HashKey, RngSeed, HashMode, Make, Nil, Seed, Pin, Put, Del, Get, Hash, Dump, Clear, Iter };
  Kind kind = Kind::Dump;
  int line = 0;
  std::string text; // the op as written: tokens joined by single spaces, no comment
  KeyKind mapKind = KeyKind::Int64;
  int64_t hint = 0;
  uint64_t number = 0; // hashkey, rngseed, seed, make's HASH0, pin's HASH
  KeyValue key;
  int64_t value = 0;
  HashMode mode = HashMode::Go;
  bool hasKey() const { return kind == Kind::Put || kind == Kind::Del || kind == Kind::Get || kind == Kind::Hash; }
};

struct ScriptError {
  std::string file;
  int line = 0;
  int column = 0; // 1-based, 0 if unknown
  std::string message;
  std::string format() const; // FILE:LINE[:COL]: message
};

// Parses line by line, keeping what earlier lines established (the map's key
// kind, whether make has happened), so each line is checked as it comes.
class ScriptParser {
public:
  explicit ScriptParser(std::string file = "-") : file_(std::move(file)) {}
  // Parses one source line. Returns nullopt for blank/comment lines; sets err
  // (and returns nullopt) for a bad one.
  std::optional<ScriptOp> parseLine(std::string_view line, int lineNo, std::optional<ScriptError>& err);
  // Parses a whole text; stops at the first error.
  std::vector<ScriptOp> parseAll(std::string_view text, std::optional<ScriptError>& err);
  const std::string& file() const { return file_; }

private:
  std::string file_;
  bool made_ = false;
  KeyKind kind_ = KeyKind::Int64;
};

// Token helpers shared with the GUI's input fields.
bool parseKeyToken(std::string_view tok, KeyKind kind, KeyValue& out, std::string& why);
bool parseInt64Token(std::string_view tok, int64_t& out);
bool parseUint64Token(std::string_view tok, uint64_t& out); // decimal or 0x hex
// Unquotes a Go double-quoted or backquoted string literal.
bool goUnquote(std::string_view lit, std::string& out, std::string& why);

} // namespace gomap
