#include "trace/script_runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "trace/event_json.hpp"
#include "trace/source_file.hpp"
#include "trace/state_json.hpp"
#include "trace/swiss_json.hpp"
#include "trace/syncmap_json.hpp"

namespace gomap {

ScriptRunner::ScriptRunner(RunnerOptions opts, Sink sink) : opts_(opts), sink_(std::move(sink)) {
  target_.initialRng = opts_.rngSeed;
  if (opts_.events) {
    target_.events = &events_;
    target_.swissEvents = &swissEvents_;
  }
}

void ScriptRunner::flushEvents(int64_t index, const ScriptOp& op) {
  for (std::size_t i = 0; i < events_.size(); i++) {
    line_.clear();
    appendEventJson(line_, events_[i], eventCount_++, static_cast<uint64_t>(index));
    if (events_[i].kind == EventKind::OpBegin) {
      line_.pop_back();
      line_ += ",\"src\":";
      appendJsonBytes(line_, op.text);
      line_.push_back('}');
    }
    sink_(line_);
  }
  events_.clear();
}

void ScriptRunner::flushSwissEvents(int64_t index, const ScriptOp& op) {
  const bool go127 = target_.swissMap && target_.swissMap->version() == swiss::Version::Go127;
  const KeyKind keys = target_.swissMap ? target_.swissMap->kind() : KeyKind::Int64;
  std::size_t bodyOps = 0; // iter ... do: the nth op_begin is the nth body op started
  for (const swiss::SwissEvent& e : swissEvents_.events) {
    line_.clear();
    appendSwissEventJson(line_, e, eventCount_++, static_cast<uint64_t>(index), keys, go127);
    if (e.kind == swiss::SwissKind::OpBegin) {
      line_.pop_back();
      line_ += ",\"src\":";
      if (op.iterDo && bodyOps < target_.swissStarted.size())
        appendJsonBytes(line_, op.iterBody[target_.swissStarted[bodyOps++]].text);
      else
        appendJsonBytes(line_, op.text);
      line_.push_back('}');
    }
    sink_(line_);
  }
  swissEvents_.clear();
}

// The line of an op that ended in a panic or a fatal error: the op and the message only.
void ScriptRunner::sinkOutcomeLine(const ScriptOp& op, const OpResult& res) {
  line_.assign("{\"op\":");
  appendJsonBytes(line_, op.text);
  line_ += res.outcome == Outcome::Panic ? ",\"panic\":" : ",\"fatal\":";
  appendJsonBytes(line_, messageText(res.message));
  line_.push_back('}');
  sink_(line_);
}

bool ScriptRunner::executeSwiss(const ScriptOp& op, int64_t index, bool isLast) {
  using K = ScriptOp::Kind;
  line_.assign("{\"op\":");
  appendJsonBytes(line_, op.text);
  // The key's hash before the op (a NaN draws, as the runtime's hasher does).
  if (op.hasKey() && target_.swissMap) line_ += ",\"hash\":\"" + hashHex(target_.swissMap->hashOf(op.key)) + "\"";
  const bool config = op.kind == K::Version || op.kind == K::HashKey || op.kind == K::RngSeed || op.kind == K::HashMode;
  const bool withState =
      !config && (index % opts_.every == 0 || isLast || op.kind == K::Dump || op.kind == K::Make || op.kind == K::Nil);
  AccessResult access;
  std::vector<KeyValue> keys;
  OpResult res = applyOp(target_, op, &access, &keys);
  swiss::AnySwiss* m = target_.swissMap.get();
  if (opts_.events) {
    flushSwissEvents(index, op);
  } else if (res.outcome != Outcome::Ok) {
    sinkOutcomeLine(op, res);
  } else {
    if (op.kind == K::Get) line_ += fmt::format(",\"found\":{},\"val\":{}", access.found, access.value);
    if (op.kind == K::Iter) {
      line_ += ",\"keys\":[";
      for (std::size_t i = 0; i < keys.size(); i++) {
        if (i) line_.push_back(',');
        appendSwissKey(line_, keys[i]);
      }
      line_ += fmt::format("],\"offsets\":[{},{}]", target_.swissIter.entryOffset, target_.swissIter.dirOffset);
      if (op.iterDo) { // a loop with a body: the values yielded, and the body's gets (docs/formats.md)
        line_ += ",\"vals\":[";
        for (std::size_t i = 0; i < target_.swissIter.vals.size(); i++)
          line_ += fmt::format("{}{}", i ? "," : "", target_.swissIter.vals[i]);
        line_.push_back(']');
        const bool anyGet = std::any_of(op.iterBody.begin(), op.iterBody.end(),
                                        [](const IterBodyOp& b) { return b.kind == IterBodyOp::Kind::Get; });
        if (anyGet) {
          line_ += ",\"gets\":[";
          for (std::size_t i = 0; i < target_.swissGets.size(); i++) {
            if (i) line_.push_back(',');
            line_ += target_.swissGets[i] ? fmt::format("{}", *target_.swissGets[i]) : std::string("null");
          }
          line_.push_back(']');
        }
      }
    }
    if (withState && m) appendSwissState(line_, *m);
    line_.push_back('}');
    sink_(line_);
  }
  if (res.outcome == Outcome::Fatal) {
    fatal_ = fmt::format("fatal error: {}", messageText(res.message));
    return false;
  }
  if (opts_.checkInvariants && m) {
    violations_ = m->checkInvariants();
    if (!violations_.empty()) return false;
  }
  return true;
}

// The oracle's contract (docs/formats.md, "sync.Map JSON"): every op prints
// its result fields and the whole state; --every does not thin it out.
bool ScriptRunner::executeSync(const ScriptOp& op, int64_t index, bool /*isLast*/) {
  using K = ScriptOp::Kind;
  if (opts_.events) target_.syncEvents = &syncEvents_;
  OpResult res = applyOp(target_, op);
  const syncmap::SyncResult& r = target_.syncOut;
  line_.assign("{\"op\":");
  appendJsonBytes(line_, op.text);
  if (opts_.events) {
    for (const syncmap::SyncEvent& e : syncEvents_.events) {
      line_.clear();
      appendSyncEventJson(line_, e, eventCount_++, static_cast<uint64_t>(index));
      sink_(line_);
    }
    syncEvents_.clear();
  } else if (res.outcome != Outcome::Ok) {
    line_ += res.outcome == Outcome::Panic ? ",\"panic\":" : ",\"fatal\":";
    appendJsonBytes(line_, messageText(res.message));
    line_.push_back('}');
    sink_(line_);
  } else if (op.kind == K::RngSeed) {
    return true; // configuration: no line
  } else {
    auto val = [&] { return r.hasValue ? fmt::format("{}", r.value) : std::string("null"); };
    if (op.kind == K::Load) line_ += fmt::format(",\"found\":{},\"val\":{}", r.ok, val());
    if (op.kind == K::LoadOrStore || op.kind == K::LoadAndDelete)
      line_ += fmt::format(",\"val\":{},\"loaded\":{}", val(), r.ok);
    if (op.kind == K::Range) {
      line_ += ",\"keys\":[";
      for (std::size_t i = 0; i < r.visited.size(); i++) {
        if (i) line_.push_back(',');
        appendJsonKey(line_, r.visited[i].first);
      }
      line_ += "],\"vals\":[";
      for (std::size_t i = 0; i < r.visited.size(); i++) {
        if (i) line_.push_back(',');
        line_ += fmt::format("{}", r.visited[i].second);
      }
      line_.push_back(']');
    }
    if (target_.syncMap) {
      appendSyncState(line_, *target_.syncMap);
      appendSyncHeap(line_, *target_.syncMap); // the simulator's own fields, last (syncmap_diff strips them)
    }
    line_.push_back('}');
    sink_(line_);
  }
  if (res.outcome == Outcome::Fatal) {
    fatal_ = fmt::format("fatal error: {}", messageText(res.message));
    return false;
  }
  if (opts_.checkInvariants && target_.syncMap) {
    violations_ = target_.syncMap->checkInvariants();
    if (!violations_.empty()) return false;
  }
  return true;
}

bool ScriptRunner::execute(const ScriptOp& op, int64_t index, bool isLast) {
  using K = ScriptOp::Kind;
  if (target_.syncMap || (op.kind == K::Make && op.syncmap)) return executeSync(op, index, isLast);
  if (target_.swissMap || ((op.kind == K::Make || op.kind == K::Nil) && op.swiss) || op.kind == K::Version ||
      (op.kind == K::HashKey && op.hashkeyWords == 4))
    return executeSwiss(op, index, isLast);
  line_.assign("{\"op\":");
  appendJsonBytes(line_, op.text);
  AnyMap* map = target_.map.get();
  if (op.hasKey() && map) line_ += ",\"hash\":\"" + hashHex(map->peekHash(op.key)) + "\"";

  // Ops that configure rather than change the map print no state.
  bool withState = (index % opts_.every == 0 || isLast || op.kind == K::Dump) &&
                   !(op.kind == K::HashKey || op.kind == K::RngSeed || op.kind == K::HashMode || op.kind == K::Pin ||
                     op.kind == K::Hash);
  AccessResult access;
  std::vector<KeyValue> keys;
  OpResult res = applyOp(target_, op, &access, &keys);
  map = target_.map.get();

  if (opts_.events) {
    flushEvents(index, op);
  } else if (res.outcome != Outcome::Ok) {
    sinkOutcomeLine(op, res);
  } else {
    if (op.kind == K::Get) line_ += fmt::format(",\"found\":{},\"val\":{}", access.found, access.value);
    if (op.kind == K::Iter) {
      line_ += ",\"keys\":[";
      for (std::size_t i = 0; i < keys.size(); i++) {
        if (i) line_.push_back(',');
        appendJsonKey(line_, keys[i]);
      }
      line_.push_back(']');
    }
    if (withState && map) {
      appendStateFields(line_, *map, !opts_.summary, opts_.digest);
    } else if (opts_.digest && map && op.kind != K::HashKey && op.kind != K::Hash && op.kind != K::RngSeed &&
               op.kind != K::HashMode && op.kind != K::Pin) {
      // Between full states, the digest still proves every op's memory.
      line_ += ",\"digest\":\"" + hashHex(stateDigest(*map)) + "\"";
    }
    line_.push_back('}');
    sink_(line_);
  }
  if (res.outcome == Outcome::Fatal) {
    fatal_ = fmt::format("fatal error: {}", messageText(res.message));
    return false;
  }
  if (opts_.checkInvariants && map) {
    violations_.clear();
    for (auto& f : map->checkInvariants()) violations_.push_back(std::move(f.text));
    if (!violations_.empty()) return false;
  }
  return true;
}

int runScriptFile(const std::string& path, const RunnerOptions& opts, std::FILE* out, std::FILE* err) {
  std::string text;
  std::string name = path.empty() ? "-" : path;
  std::string why;
  if (!readSourceFile(name, text, why, "script")) {
    fmt::print(err, "{}: {}\n", name, why);
    return 2;
  }
  // A race scenario is not an op script: name the command that runs it.
  if (sourceKindOf(name, text) == SourceKind::Race) {
    fmt::print(err, "{}\n", wrongCommandMessage(name, SourceKind::Race));
    return 2;
  }
  ScriptRunner runner(opts, [&](std::string_view line) {
    std::fwrite(line.data(), 1, line.size(), out);
    std::fputc('\n', out);
  });
  ScriptParser parser(name);
  // --check also checks the script's expect lines, after the run (on stderr).
  std::vector<ScriptOp> all;
  auto lessonFailed = [&]() -> std::size_t {
    if (!opts.checkInvariants) return 0;
    std::fflush(out);
    return reportLesson(name, all, parser.lesson(), opts.rngSeed, err);
  };
  // Parse one op ahead, so the runner knows which op is the last one run.
  ScriptOp pending;
  bool hasPending = false;
  std::optional<ScriptError> perr;
  int64_t index = 0;
  int lineNo = 0;
  std::size_t pos = 0;
  auto runPending = [&](bool isLast) -> int {
    if (!hasPending) return 0;
    ++index;
    bool alive = runner.execute(pending, index, isLast);
    hasPending = false;
    if (!alive) {
      std::fflush(out);
      if (runner.fatal()) {
        fmt::print(err, "{}\n", *runner.fatal());
        lessonFailed();
        return 2;
      }
      for (auto& v : runner.violations()) fmt::print(err, "{}:{}: invariant violated: {}\n", name, lineNo, v);
      return 3;
    }
    return 0;
  };
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++lineNo;
    auto op = parser.parseLine(line, lineNo, perr);
    if (perr) {
      if (int rc = runPending(true)) return rc;
      std::fflush(out);
      fmt::print(err, "{}\n", perr->format());
      return 2;
    }
    if (!op) continue;
    if (int rc = runPending(false)) return rc;
    if (opts.checkInvariants) all.push_back(*op);
    pending = std::move(*op);
    hasPending = true;
  }
  if (auto ferr = parser.finish()) { // a narration with no op after it
    if (int rc = runPending(true)) return rc;
    std::fflush(out);
    fmt::print(err, "{}\n", ferr->format());
    return 2;
  }
  if (int rc = runPending(true)) return rc;
  std::fflush(out);
  return lessonFailed() ? 1 : 0;
}

} // namespace gomap

namespace gomap {

LessonCheck checkLesson(const std::vector<ScriptOp>& ops, const Lesson& lesson, uint64_t rngSeed) {
  LessonCheck out;
  out.byOp.resize(lesson.ops.size());
  OpTarget target;
  target.initialRng = rngSeed;
  EventBuffer events;
  target.events = &events;
  swiss::SwissEventSink swissEvents;
  target.swissEvents = &swissEvents;
  OpDid did;
  for (std::size_t i = 0; i < ops.size() && i < lesson.ops.size(); i++) {
    events.clear();
    swissEvents.clear();
    did = OpDid{};
    if (!out.died) {
      did.result = applyOp(target, ops[i], &did.access, &did.keys);
      // applyOp hands a new map the buffer; a map made earlier already has it.
      did.events.reserve(events.size());
      for (std::size_t k = 0; k < events.size(); k++) did.events.push_back(events[k]);
      did.swissEvents = std::move(swissEvents.events);
      swissEvents.events.clear();
      did.syncMap = target.syncMap.get();
      did.syncOut = target.syncOut;
    }
    for (const ExpectLine& e : lesson.ops[i].expects) {
      ExpectOutcome o{&e, false, {}};
      if (out.died) o.got = fmt::format("nothing: the program died earlier ({})", *out.died);
      else o.holds = expectHolds(e, target.map.get(), target.swissMap.get(), did, o.got);
      out.checked++;
      out.failed += !o.holds;
      out.byOp[i].push_back(std::move(o));
    }
    if (!out.died && did.result.outcome == Outcome::Fatal)
      out.died = fmt::format("fatal error: {}", messageText(did.result.message));
  }
  return out;
}

LoadedLesson loadLesson(const std::vector<ScriptOp>& ops, Lesson lesson) {
  LoadedLesson l;
  l.check = checkLesson(ops, lesson);
  l.lesson = std::move(lesson);
  // The outcomes point at the lines: point them at the moved copy.
  for (std::size_t i = 0; i < l.check.byOp.size(); i++)
    for (std::size_t j = 0; j < l.check.byOp[i].size(); j++) l.check.byOp[i][j].line = &l.lesson.ops[i].expects[j];
  l.opTexts.reserve(ops.size());
  for (const ScriptOp& op : ops) {
    l.opTexts.push_back(op.text);
    l.opLines.push_back(op.line);
  }
  return l;
}

std::size_t reportLesson(const std::string& name, const std::vector<ScriptOp>& ops, const Lesson& lesson,
                         uint64_t rngSeed, std::FILE* out) {
  if (lesson.expectCount() == 0) return 0;
  LessonCheck c = checkLesson(ops, lesson, rngSeed);
  for (const auto& op : c.byOp)
    for (const ExpectOutcome& o : op)
      if (!o.holds) fmt::print(out, "{}:{}: {}: got {}\n", name, o.line->line, o.line->text, o.got);
  if (c.failed == 0) fmt::print(out, "{}: all {} expect lines hold\n", name, c.checked);
  else fmt::print(out, "{}: {} of {} expect lines failed\n", name, c.failed, c.checked);
  return c.failed;
}

} // namespace gomap
