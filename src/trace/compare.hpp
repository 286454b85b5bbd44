// One op script run on the classic map (Go 1.19) and on the Swiss map (Go
// 1.26/1.27) at once, with the figures that compare them (issue 13, section 4:
// "side by side"). Every figure comes from what the engines expose: the
// classic map's header(), memory() and event records, the Swiss map's
// header(), tables(), liveBytes() and SwissEvent records. docs/user-guide.md
// ("Classic and Swiss side by side") says how each one is computed and
// docs/formats.md ("compare --summary") names the JSON fields.
//
// The script is an ordinary classic op script (`make KIND HINT [HASH0]`, put,
// get, del, clear, iter, ...). The Swiss side runs the same ops with
// `make swiss KIND HINT [HASH0]` at the chosen version; what exists only for
// the classic map (pin, a one-word hashkey) is left out on the Swiss side.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trace/opscript.hpp"

namespace gomap::compare {

// Running count, total and maximum of a per-lookup figure.
struct Stat {
  uint64_t n = 0, total = 0, max = 0;
  void add(uint64_t v) {
    n++;
    total += v;
    if (v > max) max = v;
  }
  double mean() const { return n ? static_cast<double>(total) / static_cast<double>(n) : 0.0; }
};

// The classic map after an op, and what its ops did so far.
struct ClassicFigures {
  bool made = false, nil = false;
  uint64_t bytes = 0;     // hmap 48 + bucket arrays (new and old) + heap overflow bmaps
  uint64_t count = 0;     // h.count
  uint8_t B = 0;
  bool growing = false;
  uint64_t slots = 0;     // 8 * 2^B
  double load = 0;        // count / (8 * 2^B)
  uint64_t emptyOne = -1; // cells whose tophash is emptyOne (both arrays); UINT64_MAX when not scanned
  // Per lookup (get):
  Stat bmaps;       // bmaps whose tophash array the lookup read
  Stat tophashCmp;  // b.tophash[i] != top tests
  Stat keyCmp;      // t.key.equal calls
  // Growth:
  uint64_t grows = 0;        // hashGrow (GrowthStarted)
  uint64_t sameSizeGrows = 0;
  uint64_t evacuations = 0;  // old buckets evacuated (BucketEvacuated)
  uint64_t overflows = 0;    // overflow bmaps linked in (OverflowAllocated)
  // The last op, when it was a get: its figures (else -1).
  int64_t lastBmaps = -1, lastTophashCmp = -1, lastKeyCmp = -1;
};

// The Swiss map after an op, and what its ops did so far.
struct SwissFigures {
  bool made = false, nil = false;
  uint64_t bytes = 0;      // AnySwiss::liveBytes(): Map 48 + small group or directory + tables + groups
  uint64_t used = 0;       // m.used
  bool small = false;      // no table yet (one group, or nothing before the first insert)
  uint64_t dirLen = 0;
  uint8_t globalDepth = 0;
  uint64_t tables = 0;     // distinct tables
  uint64_t capacity = 0;   // slots: the small group's 8, or the tables' capacities summed
  uint64_t tableUsed = 0;  // used summed over the tables (the small map: m.used)
  double load = 0;         // tableUsed / capacity
  uint64_t tombstones = 0; // summed over the tables (TableInfo::tombstones)
  uint64_t growthLeft = 0; // summed over the tables
  // Per lookup (get):
  Stat groups; // groups probed (GroupProbed; the fast small-map scan counts its one group)
  Stat keyCmp; // typ.Key.Equal calls (KeyCompared)
  // Growth:
  uint64_t conversions = 0;  // small map -> table (ConvertStarted)
  uint64_t grows = 0;        // rehash that doubled a table (RehashStarted, not split)
  uint64_t splits = 0;       // rehash that split a 1024-slot table (RehashStarted, split)
  uint64_t dirDoublings = 0; // DirDoubled
  uint64_t pruneRuns = 0;    // pruneTombstones runs (PruneStarted: a table at growthLeft 0, fast rule)
  uint64_t prunes = 0;       // runs that freed tombstones instead of growing (PruneEnded, Pruned)
  uint64_t slotsMoved = 0;   // SlotMoved
  int64_t lastGroups = -1, lastKeyCmp = -1;
};

struct Row {
  std::size_t op = 0; // 1-based index of the op in the script
  int line = 0;
  std::string text;
  std::string classicOutcome, swissOutcome; // "" (ok), or the panic / fatal message
  ClassicFigures classic;
  SwissFigures swiss;
};

struct Options {
  swiss::Version version = swiss::Version::Go127;
};

// Runs a parsed op script on both maps, one op at a time.
class Comparer {
public:
  explicit Comparer(Options o = {});
  ~Comparer();
  Comparer(const Comparer&) = delete;
  Comparer& operator=(const Comparer&) = delete;

  // Applies op (the classic grammar's op) to both maps and returns the
  // figures after it. scanCells: count the classic map's emptyOne cells (a
  // walk over every bmap; the Swiss tombstones are always counted, from the
  // tables' headers).
  const Row& apply(const ScriptOp& op, bool scanCells = true);
  const Row& last() const { return row_; }
  // Counts the classic map's emptyOne cells now into last().
  void scanClassicCells();
  // Whether a side stopped (a panic or a fatal error ends the program there).
  bool stopped() const { return stopped_; }
  const Options& options() const { return opts_; }

  // The maps (for views that draw them).
  const AnyMap* classicMap() const;
  const swiss::AnySwiss* swissMap() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Options opts_;
  Row row_;
  bool stopped_ = false;
};

// Parses text as a classic op script for compare. A Swiss script (make swiss,
// version, a four-word hashkey) is refused: the version is compare's option.
std::vector<ScriptOp> parseCompareScript(std::string_view text, const std::string& file, std::optional<SourceError>& err);

// Time series for the plots: one point per op.
struct Series {
  std::vector<float> classicBytes, swissBytes;
  // Per op: the get's probes (bmaps / groups), NaN for an op that was no get.
  std::vector<float> classicProbes, swissProbes;
  // Running mean of probes per lookup after each op.
  std::vector<float> classicMeanProbes, swissMeanProbes;
  std::vector<Row> rows; // every op's row
};
// Runs a whole script; stops at the first panic/fatal (that op's row included).
// The classic emptyOne cells are counted after every op while the map has at
// most 1024 buckets, else only after the last op (UINT64_MAX in the others).
Series runSeries(const std::vector<ScriptOp>& ops, const Options& o);

// Text and JSON forms (the CLI's).
std::string versionName(swiss::Version v);
std::string formatTable(const Row& r, swiss::Version v);
std::string summaryJson(const Row& r, const Options& o, std::size_t ops, KeyKind kind);

} // namespace gomap::compare
