#include "trace/script_runner.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "trace/event_json.hpp"
#include "trace/state_json.hpp"

namespace gomap {

ScriptRunner::ScriptRunner(RunnerOptions opts, Sink sink) : opts_(opts), sink_(std::move(sink)) {}

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
  if (op.hasKey() && map_) line_ += ",\"hash\":\"" + hashHex(map_->peekHash(op.key)) + "\"";

  bool withState = index % opts_.every == 0 || isLast || op.kind == K::Dump;
  OpResult res;
  AccessResult access;
  std::vector<KeyValue> keys;
  switch (op.kind) {
  case K::HashKey:
    hashkey_ = op.number;
    withState = false;
    break;
  case K::RngSeed:
    rngSeed_ = op.number;
    if (map_) map_->setRngSeed(op.number);
    withState = false;
    break;
  case K::HashMode:
    mode_ = op.mode;
    if (map_) map_->setHashMode(op.mode);
    withState = false;
    break;
  case K::Make:
  case K::Nil: {
    // The simulated fastrand state carries over from the previous map, as one
    // process's does.
    uint64_t state = rngSeed_ ? *rngSeed_ : map_ ? map_->rngState() : opts_.rngSeed;
    rngSeed_.reset();
    map_ = AnyMap::create(op.mapKind, state, strings_);
    map_->setHashKey(hashkey_);
    map_->setHashMode(mode_);
    if (opts_.events) map_->setEventBuffer(&events_);
    if (op.kind == K::Make) {
      res = map_->apply(OpRequest{OpCode::Make, {}, op.hint});
      if (res.outcome == Outcome::Ok) map_->setHash0(static_cast<uint32_t>(op.number));
    }
    break;
  }
  case K::Seed: map_->setHash0(static_cast<uint32_t>(op.number)); break;
  case K::Pin:
    map_->pinHash(op.key, op.number);
    withState = false;
    break;
  case K::Put: res = map_->apply(OpRequest{OpCode::Put, op.key, op.value}); break;
  case K::Del: res = map_->apply(OpRequest{OpCode::Del, op.key, 0}); break;
  case K::Get: res = map_->apply(OpRequest{OpCode::Get, op.key, 0}, &access); break;
  case K::Hash: withState = false; break;
  case K::Dump: break;
  case K::Clear: res = map_->apply(OpRequest{OpCode::Clear, {}, 0}); break;
  case K::Iter: res = map_->apply(OpRequest{OpCode::Iter, {}, 0}, nullptr, &keys); break;
  }

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
    if (withState && map_) {
      appendStateFields(line_, *map_, !opts_.summary, opts_.digest);
    } else if (opts_.digest && map_ && op.kind != K::HashKey && op.kind != K::Hash && op.kind != K::RngSeed &&
               op.kind != K::HashMode && op.kind != K::Pin) {
      // Between full states, the digest still proves every op's memory.
      line_ += ",\"digest\":\"" + hashHex(stateDigest(*map_)) + "\"";
    }
    line_.push_back('}');
    sink_(line_);
  }
  if (res.outcome == Outcome::Fatal) {
    fatal_ = fmt::format("fatal error: {}", messageText(res.message));
    return false;
  }
  if (opts_.checkInvariants && map_) {
    violations_ = map_->checkInvariants();
    if (!violations_.empty()) return false;
  }
  return true;
}

int runScriptFile(const std::string& path, const RunnerOptions& opts, std::FILE* out, std::FILE* err) {
  std::string text;
  std::string name = path.empty() ? "-" : path;
  if (name == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    text = ss.str();
  } else {
    std::ifstream f(name, std::ios::binary);
    if (!f) {
      fmt::print(err, "{}: cannot open script: {}\n", name, std::strerror(errno));
      return 2;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    text = ss.str();
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
