#include "trace/script_runner.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "trace/event_json.hpp"
#include "trace/source_file.hpp"
#include "trace/state_json.hpp"

namespace gomap {

ScriptRunner::ScriptRunner(RunnerOptions opts, Sink sink) : opts_(opts), sink_(std::move(sink)) {
  target_.initialRng = opts_.rngSeed;
  if (opts_.events) target_.events = &events_;
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

bool ScriptRunner::execute(const ScriptOp& op, int64_t index, bool isLast) {
  using K = ScriptOp::Kind;
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
    line_.assign("{\"op\":");
    appendJsonBytes(line_, op.text);
    line_ += res.outcome == Outcome::Panic ? ",\"panic\":" : ",\"fatal\":";
    appendJsonBytes(line_, messageText(res.message));
    line_.push_back('}');
    sink_(line_);
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
    pending = std::move(*op);
    hasPending = true;
  }
  if (int rc = runPending(true)) return rc;
  std::fflush(out);
  return 0;
}

} // namespace gomap
