// The op language: one lexer, one error type and one map-statement grammar,
// shared by op scripts (.ops) and race scenarios (.race, whose grammar in
// concurrency/scenario.cpp extends this one and calls it for op lines), and
// one function that applies a parsed op to a map.
//
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

#include "engine/any_map.hpp"
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

// An error in a source file, op script or race scenario alike.
struct SourceError {
  std::string file;
  int line = 0;   // 1-based, 0 if the error is not on a line (cannot open the file)
  int column = 0; // 1-based, 0 if unknown
  std::string message;
  std::string format() const; // FILE:LINE:COL: message (FILE:LINE: / FILE: without them)
};
using ScriptError = SourceError;

// ---- the lexer ----------------------------------------------------------------
struct Token {
  std::string_view text;
  int column;  // 1-based
  int end = 0; // the column just after the token as written, when text is not
               // what was written (a loop variable substituted); 0: column + size
  int endColumn() const { return end > 0 ? end : column + static_cast<int>(text.size()); }
};
// Splits a line on blanks. A quoted part ("..." with Go escapes, or `...`)
// may hold blanks and '#' and belongs to the token around it ("k{i} x" or
// "a b"). With stopAtHash, '#' outside quotes starts a comment. Returns false
// on an unterminated quote, with why and the quote's column.
bool lexLine(std::string_view line, std::vector<Token>& out, std::string& why, int& column, bool stopAtHash = true);
// The tokens joined by single spaces (an op's canonical text).
std::string joinTokens(const std::vector<Token>& toks);
// The first word of an op line: make, nil, seed, hashkey, rngseed, hashmode,
// pin, put, del, get, hash, dump, clear, iter.
bool isOpVerb(std::string_view word);

// ---- the map-statement grammar ------------------------------------------------------
// Parses line by line, keeping what earlier lines established (the map's key
// kind, whether make has happened), so each line is checked as it comes.
class ScriptParser {
public:
  explicit ScriptParser(std::string file = "-") : file_(std::move(file)) {}
  // Parses one source line. Returns nullopt for blank/comment lines; sets err
  // (and returns nullopt) for a bad one.
  std::optional<ScriptOp> parseLine(std::string_view line, int lineNo, std::optional<ScriptError>& err);
  // The grammar on a lexed line (toks not empty; the race grammar calls it
  // with tokens whose loop variables it has substituted).
  std::optional<ScriptOp> parseTokens(const std::vector<Token>& toks, int lineNo, std::optional<ScriptError>& err);
  // Parses a whole text; stops at the first error.
  std::vector<ScriptOp> parseAll(std::string_view text, std::optional<ScriptError>& err);
  const std::string& file() const { return file_; }
  bool made() const { return made_; }
  KeyKind kind() const { return kind_; }

private:
  std::string file_;
  bool made_ = false;
  KeyKind kind_ = KeyKind::Int64;
};

// ---- applying an op -------------------------------------------------------------------
// The engine request of an op that runs on the map (make, put, del, get,
// clear, iter); nullopt for the others (configuration, hash, dump).
std::optional<OpRequest> requestOf(const ScriptOp& op);
// The same from an op's parts (arg: make's HINT, put's VAL), for grammars that
// keep ops in a smaller form (the race grammar's instructions).
std::optional<OpRequest> requestOf(ScriptOp::Kind kind, const KeyValue& key, int64_t arg);

// The map an op script works on and what the ops before make set up.
struct OpTarget {
  std::unique_ptr<AnyMap> map;
  std::shared_ptr<StringPool> strings = std::make_shared<StringPool>();
  uint64_t hashkey = kDefaultHashKey;
  HashMode mode = HashMode::Go;
  std::optional<uint64_t> rngSeed; // from an rngseed line, for the next make
  uint64_t initialRng = 0;         // the fastrand state of the first map otherwise
  EventBuffer* events = nullptr;   // given to every map made
};
// Applies one op, as `gomaplab dump` runs it: hashkey, rngseed and hashmode
// before make configure the next map; make (and nil) creates it, the fastrand
// state carrying over from a previous map as one process's does, and sets
// hash0 to its HASH0 argument; the rest act on the map, which must exist (the
// parser makes sure). access receives a get's result, keys an iteration's.
OpResult applyOp(OpTarget& t, const ScriptOp& op, AccessResult* access = nullptr, std::vector<KeyValue>* keys = nullptr);

// Token helpers shared with the GUI's input fields.
bool parseKeyToken(std::string_view tok, KeyKind kind, KeyValue& out, std::string& why);
bool parseInt64Token(std::string_view tok, int64_t& out);
bool parseUint64Token(std::string_view tok, uint64_t& out); // decimal or 0x hex
// Unquotes a Go double-quoted or backquoted string literal.
bool goUnquote(std::string_view lit, std::string& out, std::string& why);

} // namespace gomap
