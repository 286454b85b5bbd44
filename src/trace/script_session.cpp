#include "trace/script_session.hpp"

#include <fmt/format.h>

namespace gomap {

std::string applyScriptOp(Session& s, const ScriptOp& op) {
  using K = ScriptOp::Kind;
  switch (op.kind) {
  case K::Make:
    if (op.mapKind != s.config().kind)
      return fmt::format("this session holds a {} map; start a new session for {} keys", keyKindName(s.config().kind),
                         keyKindName(op.mapKind));
    s.append(*requestOf(op));
    s.appendSeed(static_cast<uint32_t>(op.number));
    return {};
  case K::Seed: s.appendSeed(static_cast<uint32_t>(op.number)); return {};
  case K::Pin: s.appendPin(op.key, op.number); return {};
  case K::HashMode: s.appendHashMode(op.mode); return {};
  case K::Put:
  case K::Del:
  case K::Get:
  case K::Clear:
  case K::Iter: s.append(*requestOf(op)); return {}; // the engine request, as applyOp makes it
  case K::Nil:
  case K::HashKey:
  case K::Version:
  case K::RngSeed: return "this op only works at the start of a script";
  case K::Hash:
  case K::Dump: return {};
  case K::Store:
  case K::Load:
  case K::LoadOrStore:
  case K::LoadAndDelete:
  case K::Delete:
  case K::Range:
  case K::Gc: return "this is a sync.Map op; a classic-map session cannot run it";
  }
  return {};
}

std::optional<ScriptSession> sessionFromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                               std::string& err) {
  using K = ScriptOp::Kind;
  constexpr std::size_t kPrefetchDistance = Session::kPrefetchDistance;
  SessionConfig cfg;
  std::optional<ScriptSession> out;
  std::vector<std::pair<std::size_t, std::size_t>> ranges; // session ops of each script op
  ranges.reserve(ops.size());
  for (std::size_t i = 0; i < ops.size(); i++) {
    const ScriptOp& op = ops[i];
    ranges.emplace_back(0, 0); // ops before the session exists produce no session op
    if (out && i + kPrefetchDistance < ops.size()) {
      const ScriptOp& ahead = ops[i + kPrefetchDistance];
      if (ahead.kind == K::Put || ahead.kind == K::Del || ahead.kind == K::Get) out->session->prefetchKey(ahead.key);
    }
    if (op.swiss || op.kind == K::Version || (op.kind == K::HashKey && op.hashkeyWords == 4)) {
      err = fmt::format("{}:{}: a Swiss-map script (issue 13) does not open as a classic op-script session: "
                        "use gomaplab dump/events/compare, or the Swiss view",
                        file, op.line);
      return std::nullopt;
    }
    if (op.syncmap) {
      // The GUI opens it as a SyncMapSession (trace/syncmap_session.hpp); the terminal view has none.
      err = fmt::format("{}:{}: a sync.Map script does not open as a classic op-script session: "
                        "open it in the GUI's window, or run gomaplab dump --check {} / gomaplab events {}",
                        file, op.line, file, file);
      return std::nullopt;
    }
    if (!out) {
      if (op.kind == K::HashKey) {
        cfg.hashkey = op.number;
        continue;
      }
      if (op.kind == K::RngSeed) {
        cfg.rngSeed = op.number;
        continue;
      }
      if (op.kind == K::HashMode) {
        cfg.mode = op.mode;
        continue;
      }
      if (op.kind == K::Make || op.kind == K::Nil) {
        cfg.kind = op.mapKind;
        out.emplace();
        out->session = std::make_unique<Session>(cfg);
        if (op.kind == K::Nil) continue;
      }
    }
    if (!out) {
      err = fmt::format("{}:{}: expected 'make KIND HINT' before '{}'", file, op.line, op.text);
      return std::nullopt;
    }
    std::size_t before = out->session->opCount();
    std::string e = applyScriptOp(*out->session, op);
    if (!e.empty()) {
      err = fmt::format("{}:{}: {}", file, op.line, e);
      return std::nullopt;
    }
    for (std::size_t k = before; k < out->session->opCount(); k++) out->opTexts.push_back(op.text);
    ranges.back() = {before, out->session->opCount()};
  }
  if (!out) {
    err = fmt::format("{}: the script never makes a map (expected a 'make KIND HINT' line)", file);
    return std::nullopt;
  }
  out->sessionOpsOf = std::move(ranges);
  out->session->seekEnd();
  return out;
}

} // namespace gomap
