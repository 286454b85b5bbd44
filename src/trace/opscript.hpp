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
// The Swiss map of Go 1.26/1.27 (issue 13; docs/formats.md, "Swiss map JSON")
// extends the grammar; its ops are the same verbs:
//   version go1.26|go1.27      the runtime to simulate (before make; default go1.27)
//   hashkey K0 K1 K2 K3        the four hash keys (before make)
//   make swiss KIND HINT [SEED] | nil swiss KIND
//   seed S                     overwrite the 64-bit seed
//   iter [ENTRYOFFSET DIROFFSET]   the offsets replace Iter.Init's two rand() draws
//   iter [E D] do OP [; OP]...     a range loop whose body runs the OPs after each key
//                              yielded, before the next Iter.Next: put KEY VAL, del KEY,
//                              get KEY, clear, seed S; KEY is a literal, k (the key just
//                              yielded) or, on integer keys, k+N / k-N (Go's wrapping
//                              arithmetic). Swiss maps only (docs/formats.md).
//
// Go 1.19's sync.Map (issue 12; docs/formats.md, "sync.Map JSON") has its own
// verbs, the grammar of the oracle tests/oracle-syncmap:
//   make syncmap string|int64  a new sync.Map (a second make starts a new one)
//   store K V | load K | loadorstore K V | loadanddelete K | delete K
//   range [N]                  f returns false after its Nth call
//   gc | dump                  runtime.GC() (the printed state does not change) | print the state
//
// Keys: integers in decimal; floats also NaN, -0, +Inf, -Inf; strings as bare
// tokens or Go-quoted ("a\x20b", "", `raw`).
//
// Lesson lines (docs/formats.md, "Lessons in op scripts"): they produce no op
// and no JSON; `gomaplab dump --check` and the GUI's Lesson panel read them.
//
//   title en|zh TEXT       once per language (the .race syntax, same code)
//   narration en|zh TEXT   belongs to the op that FOLLOWS it; lines join with '\n'
//   expect WHAT [ARG] ==|!= VALUE...   checked on the state right after the op
//                          ABOVE it (and on what that op did)
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/any_map.hpp"
#include "engine/events.hpp"
#include "engine/keys.hpp"
#include "engine/map.hpp"
#include "engine/swiss_model.hpp"
#include "engine/syncmap.hpp"

namespace gomap {

// One op of an `iter ... do` body (a range loop's body, run after each key
// the iterator yields).
struct IterBodyOp {
  enum class Kind : uint8_t { Put, Del, Get, Clear, Seed };
  Kind kind = Kind::Get;
  bool current = false; // the key is k (the key just yielded) plus delta
  int64_t delta = 0;    // k+N / k-N (integer keys)
  KeyValue key;         // a literal key
  int64_t value = 0;    // put's VAL
  uint64_t number = 0;  // seed's S
  std::string text;     // the op's tokens joined by single spaces
  bool hasKey() const { return kind == Kind::Put || kind == Kind::Del || kind == Kind::Get; }
  // The key this op acts on when the loop has just yielded k.
  KeyValue keyFor(const KeyValue& k) const;
};

struct ScriptOp {
  enum class Kind {
    HashKey, RngSeed, HashMode, Make, Nil, Seed, Pin, Put, Del, Get, Hash, Dump, Clear, Iter, Version,
    // sync.Map's methods (make syncmap ...)
    Store, Load, LoadOrStore, LoadAndDelete, Delete, Range, Gc
  };
  Kind kind = Kind::Dump;
  int line = 0;
  std::string text; // the op as written: tokens joined by single spaces, no comment
  KeyKind mapKind = KeyKind::Int64;
  int64_t hint = 0;
  uint64_t number = 0; // hashkey, rngseed, seed, make's HASH0, pin's HASH
  KeyValue key;
  int64_t value = 0;
  HashMode mode = HashMode::Go;
  // The Swiss map's parts of the grammar.
  bool swiss = false;                  // make swiss ...; every later op of the script acts on it
  swiss::Version version = swiss::Version::Go127; // version
  uint64_t hashkeys[4] = {};           // hashkey K0 K1 K2 K3 (swiss: words == 4)
  int hashkeyWords = 1;
  std::optional<std::pair<uint64_t, uint64_t>> iterOffsets; // iter E D
  bool iterDo = false;                  // iter [E D] do ...: a range loop with a body
  std::vector<IterBodyOp> iterBody;     // its ops, in order
  // sync.Map's parts: make syncmap KIND; range's N (0: all keys).
  bool syncmap = false;
  int64_t limit = 0;
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

// ---- free-text directives (op scripts and race scenarios) ------------------------
// `title en|zh TEXT` and `narration en|zh TEXT`: only the first two words are
// tokens; the rest of the line, quotes and '#' included, is the text.
struct TextDirective {
  bool title = false; // else narration
  int lang = 0;       // 0 English, 1 Simplified Chinese
  std::string_view text;
  int column = 0; // of the directive's first word
};
// False when the line is not a title/narration line. True with err set when it
// is one but malformed (FILE:LINE:COL: what was expected).
bool parseTextDirective(std::string_view line, int lineNo, const std::string& file, TextDirective& out,
                        std::optional<SourceError>& err);
// Whether a line of an op script is a lesson line (title, narration, expect):
// it runs nothing, and a tool that rewrites a script keeps it as it keeps comments.
bool isLessonLine(std::string_view line);

// ---- lesson lines -----------------------------------------------------------------
// What an `expect` line checks. State after the op: B, count, noverflow,
// nevacuate, flags, hash0, growing, oldB, sameSizeGrow, nil, buckets,
// extra.overflow, extra.oldoverflow, live, chain BUCKET, evacuated OLDBUCKET,
// tophash CELL, key CELL, elem CELL, size FIELD, offset FIELD. What the op did:
// found, value, panic, fatal, keys, startBucket, offset, grew, evacuations,
// scanned, cells, flagsDuring. On a Swiss map (after `make swiss`) the subjects
// are the Swiss ones (kSwissSubjects in opscript.cpp); the other structure's
// subjects are an error.
enum class ExpectWhat : uint8_t {
  B, Count, Noverflow, Nevacuate, Flags, Hash0, Growing, OldB, SameSizeGrow, Nil, Buckets, ExtraOverflow,
  ExtraOldOverflow, Live, Chain, Evacuated, Tophash, Key, Elem, Size, Offset,
  Found, Value, Panic, Fatal, Keys, StartBucket, IterOffset, Grew, Evacuations, Scanned, Cells, FlagsDuring,
  // The Swiss map's (after `make swiss`; docs/formats.md, "Swiss expect subjects"). State after the op: the
  // Map header's fields, small, tables, table T FIELD, ctrl/key/elem T G S. What the op did (its SwissEvents):
  // probes, compared, grew (SwGrew), pruned, splits, dirDoubled, offsets. found, value, keys, panic, fatal are shared.
  Used, Seed, DirLen, GlobalDepth, Writing, TombstonePossible, ClearSeq, Small, Tables, Table, Ctrl, SwKey, SwElem,
  Probes, Compared, SwGrew, Pruned, Splits, DirDoubled, Offsets,
  // sync.Map's (after `make syncmap`; docs/formats.md, "sync.Map expect subjects"): the op's allocations and
  // a gc's frees (all kinds or one: readonly, entry, cell, box), the heap's live objects, read's identity,
  // amended, misses, and a key's entry in read.m / dirty (value, nil, expunged or absent). found and value
  // are shared (found: Load's ok, LoadOrStore's and LoadAndDelete's loaded).
  SmAllocs, SmFrees, SmHeap, SmRead, SmAmended, SmMisses, SmReadM, SmDirty
};
struct ExpectLine {
  int line = 0, column = 0; // of the word 'expect'
  int valueColumn = 0;      // of the first value token
  std::string text;         // the line as written, trimmed, without a trailing comment
  ExpectWhat what = ExpectWhat::B;
  Loc cell{};               // tophash/key/elem; chain/evacuated use cell.bucket (and cell.old)
  std::string field;        // size/offset: count, flags, B, noverflow, hash0; Swiss `table T FIELD`: the field
  // Swiss `table T FIELD` and `ctrl|key|elem T G S`: T is the table's position in the JSON `tables`, or
  // kSmallTable for the small map's group (`small`).
  static constexpr int kSmallTable = -1;
  int table = 0;
  uint64_t group = 0;
  uint8_t slot = 0;
  KeyValue key;             // sync.Map's `read.m KEY` / `dirty KEY`
  bool negate = false;      // != rather than ==
  std::string want;         // the expected value, canonical (as actualOf prints it)
};
struct LessonNotes {
  std::string narration[2];
  std::vector<ExpectLine> expects;
  bool empty() const { return narration[0].empty() && narration[1].empty() && expects.empty(); }
};
// The lesson lines of an op script. ops[i] belongs to the i-th op the parser
// returned (ops may be shorter than the script: the rest have none).
struct Lesson {
  std::string title[2];
  std::vector<LessonNotes> ops;
  bool any() const; // a title, a narration or an expect line
  const LessonNotes* notesOf(std::size_t op) const { return op < ops.size() ? &ops[op] : nullptr; }
  std::size_t expectCount() const;
};

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
  // Parses a whole text; stops at the first error (finish() included).
  std::vector<ScriptOp> parseAll(std::string_view text, std::optional<ScriptError>& err);
  // At the end of the text: narration lines must be followed by an op.
  std::optional<ScriptError> finish() const;
  const std::string& file() const { return file_; }
  bool made() const { return made_; }
  bool swiss() const { return swiss_; }
  bool syncmap() const { return syncmap_; }
  KeyKind kind() const { return kind_; }
  // Lesson lines seen so far (title, narration, expect), by op.
  const Lesson& lesson() const { return lesson_; }
  Lesson takeLesson() { return std::move(lesson_); }

private:
  // A title/narration/expect line: true when the line was one (err set if bad).
  bool lessonLine(std::string_view line, int lineNo, std::optional<ScriptError>& err);
  LessonNotes& notesFor(std::size_t op);

  std::string file_;
  bool made_ = false;
  bool swiss_ = false;      // the map made is a Swiss map
  bool syncmap_ = false;    // the map made is a sync.Map
  int swissSetupLine_ = 0;  // a version or 4-word hashkey line: make must be `make swiss`
  KeyKind kind_ = KeyKind::Int64;
  std::size_t opsParsed_ = 0;
  Lesson lesson_;
  int narrationLine_ = 0; // a narration line waiting for its op
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
  // A Swiss map (make swiss): the script's structure instead of `map`.
  std::unique_ptr<swiss::AnySwiss> swissMap;
  swiss::Version version = swiss::Version::Go127;
  uint64_t swissHashKeys[4] = {swiss::kDefaultHashKeys[0], swiss::kDefaultHashKeys[1], swiss::kDefaultHashKeys[2],
                               swiss::kDefaultHashKeys[3]};
  swiss::SwissEventSink* swissEvents = nullptr; // given to every Swiss map made
  // A Swiss op's outputs.
  swiss::IterResult swissIter;
  std::vector<std::optional<int64_t>> swissGets; // iter ... do: the body's gets
  std::vector<std::size_t> swissStarted;         // iter ... do: the body ops started (SwissLoopRun::started)
  // A sync.Map (make syncmap): the script's structure; its events and a method's results.
  std::unique_ptr<syncmap::SyncMap> syncMap;
  syncmap::SyncEventSink* syncEvents = nullptr;
  syncmap::SyncResult syncOut;
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
// `iter [E D] do OP [; OP]...` on a Swiss map: Go's range loop with a body,
// stepped as one operation. The iteration runs in the resumable form with a
// pause at every key it yields (SwissKind::IterYielded); there the body's ops
// run, each started and stepped in its turn (a `seed` op just sets the seed),
// before the iteration's next Iter.Next. The driver's pause mask (the map's,
// read at every step) applies to the iteration and to the body's ops alike, so
// a viewer can stop at any event of either; events go to the map's sink in the
// order they happen. The map is unshared first (AnySwiss::unshare), so that the
// iterator and the body write and read one memory, as in Go. A body op that
// panics or dies ends the loop with its outcome.
class SwissLoopRun final : public swiss::SwissRun {
public:
  SwissLoopRun(swiss::AnySwiss& m, std::optional<std::pair<uint64_t, uint64_t>> offsets,
               std::vector<IterBodyOp> body);
  ~SwissLoopRun() override;
  bool step() override;
  bool done() const override { return done_; }
  OpResult result() override { return result_; }
  // What ran, once done (iter, from SwissRun: keys, vals, offsets): each body
  // get's result in order (the value, or nullopt when not found), and the
  // index in the body of every body op started, in order (seed ops excluded:
  // they emit no events).
  std::vector<std::optional<int64_t>> gets;
  std::vector<std::size_t> started;

private:
  void finishBodyOp();
  swiss::AnySwiss& m_;
  std::vector<IterBodyOp> body_;
  std::unique_ptr<swiss::SwissRun> iter_;
  std::unique_ptr<swiss::SwissRun> op_; // the body op in progress (destroyed before iter_)
  std::size_t yielded_ = 0;             // keys the body has been started for
  std::size_t next_ = 0;                // the next body op to start
  bool inBody_ = false;
  bool done_ = false;
  OpResult result_;
};
// Runs a loop to its end (direct use: dump, events, lessons).
OpResult runSwissLoop(swiss::AnySwiss& m, std::optional<std::pair<uint64_t, uint64_t>> offsets,
                      const std::vector<IterBodyOp>& body, swiss::IterResult& iter,
                      std::vector<std::optional<int64_t>>* gets = nullptr, std::vector<std::size_t>* started = nullptr);

// A sync.Map script's op (applyOp calls it once make syncmap has run): the
// results go to t.syncOut.
OpResult applySyncOp(OpTarget& t, const ScriptOp& op);

// ---- checking expect lines -------------------------------------------------------------
// What one op did, as the expect lines about the op read it.
struct OpDid {
  OpResult result;
  AccessResult access;
  std::vector<KeyValue> keys; // an iteration's
  std::vector<Event> events;  // the op's events (OpBegin .. OpEnd); none for ops that run nothing
  std::vector<swiss::SwissEvent> swissEvents; // the same on a Swiss map (OpTarget::swissEvents)
  // A sync.Map script's: the map after the op (its subjects are read from it) and the method's results.
  const syncmap::SyncMap* syncMap = nullptr;
  syncmap::SyncResult syncOut;
};
// The value an expect line's subject has (canonical text: decimal numbers,
// true/false, none, nil, keys as keyText prints them, lists space-separated).
std::string actualOf(const ExpectLine& e, const AnyMap* map, const OpDid& did);
// The same for a script whose map may be a Swiss map (swissMap: OpTarget::swissMap).
std::string actualOf(const ExpectLine& e, const AnyMap* map, const swiss::AnySwiss* swissMap, const OpDid& did);
// Whether it holds; got receives the actual value.
bool expectHolds(const ExpectLine& e, const AnyMap* map, const OpDid& did, std::string& got);
bool expectHolds(const ExpectLine& e, const AnyMap* map, const swiss::AnySwiss* swissMap, const OpDid& did,
                 std::string& got);

// Token helpers shared with the GUI's input fields.
bool parseKeyToken(std::string_view tok, KeyKind kind, KeyValue& out, std::string& why);
bool parseInt64Token(std::string_view tok, int64_t& out);
bool parseUint64Token(std::string_view tok, uint64_t& out); // decimal or 0x hex
// Unquotes a Go double-quoted or backquoted string literal.
bool goUnquote(std::string_view lit, std::string& out, std::string& why);

} // namespace gomap
