#include "app/cli.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <iterator>

#include "engine/swiss_events.hpp"
#include "engine/syncmap_events.hpp"
#include "trace/compare.hpp"
#include "trace/source_file.hpp"

namespace gomap::app {

int runDump(const std::string& file, const RunnerOptions& opts) { return runScriptFile(file, opts, stdout, stderr); }

int runEvents(const std::string& file, const RunnerOptions& opts) {
  RunnerOptions o = opts;
  o.events = true;
  return runScriptFile(file, o, stdout, stderr);
}

namespace {
// The Swiss map's events (src/engine/swiss_events.hpp): its own kinds and
// sites, with the function and the line in internal/runtime/maps at go1.26.11
// and go1.27.4 (the lines are checked against the real sources by a test).
void printSwissCatalogue() {
  using namespace swiss;
  std::printf("\n# The Swiss map's events (Go 1.26 / 1.27)\n\n"
              "The Swiss map (src/engine/swiss_events.hpp) has its own vocabulary in the same\n"
              "16-byte record: `SwissKind`, one `SwissPayload<K>` per kind, `SwissSite` with the\n"
              "function of `internal/runtime/maps` and its line in go1.26.11 and go1.27.4\n"
              "(`gomaplab events` prints the line of the script's `version`). The function depends\n"
              "on the map's key kind: the compiler lowers a map op to a runtime function chosen by\n"
              "the key type (cmd/compile/internal/walk mapfast): int64 keys run the fast64 functions\n"
              "(runtime_fast64.go), int32 keys the fast32 ones, string keys the faststr ones, float64\n"
              "keys the generic runtime_mapassign / runtime_mapaccess2 (runtime.go) with map.go's\n"
              "putSlotSmall and getWithKeySmall. A site whose row differs between key kinds has one\n"
              "row per group of key kinds below; `keys` says which. The rows come from\n"
              "scripts/swiss_sites.txt through scripts/gen-swiss-sites.py;\n"
              "`SwissSites.LinesMatchTheRealSources` checks each against the real sources.\n\n"
              "## Swiss sites\n\n"
              "| site | event kind | keys | function | file | 1.26 line | 1.27 line | what happens |\n"
              "|---|---|---|---|---|---|---|---|\n");
  constexpr KeyKind kKinds[] = {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64};
  auto same = [](const SwissSiteInfo& a, const SwissSiteInfo& b) {
    return a.function == b.function && a.file == b.file && a.line126 == b.line126 && a.line127 == b.line127 &&
           a.what == b.what;
  };
  for (std::size_t i = 1; i < static_cast<std::size_t>(SwissSite::kCount); i++) {
    const auto site = static_cast<SwissSite>(i);
    bool printed[std::size(kKinds)] = {};
    for (std::size_t k = 0; k < std::size(kKinds); k++) {
      if (printed[k]) continue;
      const SwissSiteInfo& si = swissSiteInfo(site, kKinds[k]);
      std::string keys;
      std::size_t n = 0;
      for (std::size_t j = k; j < std::size(kKinds); j++)
        if (!printed[j] && same(si, swissSiteInfo(site, kKinds[j]))) {
          printed[j] = true;
          keys += (n++ ? ", " : "") + std::string(keyKindName(kKinds[j]));
        }
      if (n == std::size(kKinds)) keys = "all";
      std::string what(si.what);
      for (std::size_t p = 0; (p = what.find('|', p)) != std::string::npos; p += 2) what.replace(p, 1, "\\|");
      std::printf("| %zu | `%s` | %s | `%s` | %s | %d | %d | `%s` |\n", i, std::string(swissKindInfo(si.kind).name).c_str(),
                  keys.c_str(), std::string(si.function).c_str(), std::string(swissFileName(si.file)).c_str(), si.line126,
                  si.line127, what.c_str());
    }
  }
  std::printf("\n## Swiss kinds\n\n| kind | names a slot | ends the op |\n|---|---|---|\n");
  for (const SwissKindInfo& k : kSwissKindTable)
    std::printf("| `%s` | %s | %s |\n", std::string(k.name).c_str(), k.carriesSlot ? "yes" : "", k.endsOp ? "yes" : "");
}
void printSyncMapCatalogue() {
  using namespace syncmap;
  std::printf("\n# sync.Map's events (Go 1.19.8)\n\n"
              "The sync.Map model (src/engine/syncmap_events.hpp) has its own vocabulary:\n"
              "`SyncKind`; one 32-byte `SyncEvent` record holding its kind's payload struct\n"
              "(`SyncPayload<K>`: built with `SyncEvent::of<Site>`, read with `payloadOf<K>`);\n"
              "and `SyncSite` with the function of `sync/map.go` and its line in Go 1.19.8. Every\n"
              "atomic load, CAS or store of `read` or of an entry's `p`, every lookup and every\n"
              "step done with `mu` held is one event; [A] marks an atomic operation, [I] a read\n"
              "of an immutable published map, [L] a step under the lock (syncmap-spec.md).\n"
              "`SyncSites.LinesMatchTheRealSources` checks each line (and its function)\n"
              "against /usr/share/go-1.19/src/sync/map.go (the `collected` site of a race's `gc`\n"
              "statement: against runtime/mgc.go).\n\n"
              "## sync.Map sites\n\n"
              "| site | event kind | function | map.go line | what happens |\n"
              "|---|---|---|---|---|\n");
  for (std::size_t i = 1; i < static_cast<std::size_t>(SyncSite::kCount); i++) {
    const SyncSiteInfo& si = kSyncSiteTable[i];
    std::string what(si.what);
    for (std::size_t p = 0; (p = what.find('|', p)) != std::string::npos; p += 2) what.replace(p, 1, "\\|");
    const std::string line = si.file == "sync/map.go" ? std::to_string(si.line)
                                                       : fmt::format("{} ({})", si.line, si.file); // runtime.GC
    std::printf("| %zu | `%s` | `%s` | %s | `%s` |\n", i, std::string(kindName(si.kind)).c_str(),
                std::string(si.function).c_str(), line.c_str(), what.c_str());
  }
  std::printf("\n## sync.Map kinds\n\n| kind | what |\n|---|---|\n");
  for (const SyncKindInfo& k : kSyncKindTable)
    std::printf("| `%s` | %s |\n", std::string(k.name).c_str(), std::string(k.what).c_str());
}
} // namespace

int printEventCatalogue() {
  std::printf("# Event catalogue\n\n"
              "Generated by `gomaplab events --catalogue` from the engine's site table\n"
              "(src/engine/events.hpp); a test keeps this file in step with it.\n\n"
              "Every event is a 16-byte record: kind, site, and a payload packed in 14\n"
              "bytes. Each kind has its own payload struct with named fields (`Payload<K>`\n"
              "in events.hpp, with the only code that packs and unpacks it); readers get it\n"
              "with `payloadOf<K>(event)`. The site names the runtime function and the line\n"
              "of `runtime/map.go` in Go 1.19.8 that the step mirrors.\n\n"
              "## Sites\n\n"
              "| site | event kind | runtime function | map.go line | what happens |\n"
              "|---|---|---|---|---|\n");
  for (std::size_t i = 1; i < static_cast<std::size_t>(Site::kCount); i++) {
    const SiteInfo& si = siteInfo(static_cast<Site>(i));
    std::string what(si.what);
    for (std::size_t p = 0; (p = what.find('|', p)) != std::string::npos; p += 2) what.replace(p, 1, "\\|");
    std::printf("| %zu | `%s` | `%s` | %d | `%s` |\n", i, std::string(eventKindName(si.kind)).c_str(),
                std::string(si.function).c_str(), si.line, what.c_str());
  }
  static constexpr const char* kCategory[] = {"ops", "search", "writes", "growth", "overflow", "iteration", "flags",
                                              "errors"};
  static_assert(std::size(kCategory) == static_cast<std::size_t>(EventCategory::kCount));
  static constexpr const char* kCell[] = {"", "cell", "bmap"};
  std::printf("\n## Kinds\n\n"
              "Facts per kind (`kKindTable`): the event log's category, whether the payload\n"
              "names a cell or a whole bmap, whether the operation ends there, and whether\n"
              "the bucket arrays may be other ones afterwards (some sites add to that:\n"
              "makemap's start, hashGrow's commit, mapclear's reset).\n\n"
              "| kind | category | names | ends the op | replaces arrays |\n"
              "|---|---|---|---|---|\n");
  for (const KindInfo& k : kKindTable) {
    std::printf("| `%s` | %s | %s | %s | %s |\n", std::string(k.name).c_str(),
                kCategory[static_cast<std::size_t>(k.category)], kCell[static_cast<std::size_t>(k.cell)],
                k.endsOp ? "yes" : "", k.replacesArrays ? "yes" : "");
  }
  printSwissCatalogue();
  printSyncMapCatalogue();
  return 0;
}

int runCompare(const CompareCliOptions& o, std::FILE* out, std::FILE* err) {
  compare::Options co;
  if (o.version == "go1.26") co.version = swiss::Version::Go126;
  else if (o.version == "go1.27") co.version = swiss::Version::Go127;
  else {
    fmt::print(err, "gomaplab compare: --version: expected go1.26 or go1.27, got '{}'\n", o.version);
    return 2;
  }
  if (o.every < 1) {
    fmt::print(err, "gomaplab compare: --every: expected a number of ops (at least 1), got {}\n", o.every);
    return 2;
  }
  const std::string name = o.file.empty() ? "-" : o.file;
  std::string text, why;
  if (!readSourceFile(name, text, why, "script")) {
    fmt::print(err, "{}: {}\n", name, why);
    return 2;
  }
  if (sourceKindOf(name, text) == SourceKind::Race) {
    fmt::print(err, "{}\n", wrongCommandMessage(name, SourceKind::Race));
    return 2;
  }
  std::optional<SourceError> perr;
  std::vector<ScriptOp> ops = compare::parseCompareScript(text, name, perr);
  if (perr) {
    fmt::print(err, "{}\n", perr->format());
    return 2;
  }
  compare::Comparer c(co);
  KeyKind kind = KeyKind::Int64;
  std::size_t run = 0;
  for (std::size_t i = 0; i < ops.size(); i++) {
    if (ops[i].kind == ScriptOp::Kind::Make || ops[i].kind == ScriptOp::Kind::Nil) kind = ops[i].mapKind;
    const bool lastOp = i + 1 == ops.size();
    const bool print = !o.summary && ((i + 1) % static_cast<uint64_t>(o.every) == 0 || lastOp);
    const compare::Row& r = c.apply(ops[i], false);
    run++;
    if (print || c.stopped()) {
      c.scanClassicCells();
      if (!o.summary) fmt::print(out, "{}\n", compare::formatTable(c.last(), co.version));
    }
    if (c.stopped()) {
      // A panic or fatal error ends a Go program: the rest of the script does not run.
      if (!o.summary)
        fmt::print(out, "stopped at line {}: {}\n", r.line,
                   !r.classicOutcome.empty() ? "classic: " + r.classicOutcome : "swiss: " + r.swissOutcome);
      break;
    }
  }
  if (o.summary) {
    if (run > 0) c.scanClassicCells();
    fmt::print(out, "{}\n", compare::summaryJson(c.last(), co, run, kind));
  }
  return 0;
}

} // namespace gomap::app
