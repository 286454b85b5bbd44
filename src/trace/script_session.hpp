// Turns an op script into a recorded Session (for the GUI and the terminal view).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trace/opscript.hpp"
#include "trace/session.hpp"

namespace gomap {

struct ScriptSession {
  std::unique_ptr<Session> session;
  std::vector<std::string> opTexts; // source text of each session op
  // For each script op given, the session ops [first, second) it produced
  // (none for hashkey, rngseed, nil, hash, dump; two for make: make, seed).
  std::vector<std::pair<std::size_t, std::size_t>> sessionOpsOf;
};

// Builds a session from parsed ops. Fails (with err naming the line) if the
// script makes maps of two different kinds or has no make.
std::optional<ScriptSession> sessionFromScript(const std::vector<ScriptOp>& ops, const std::string& file,
                                               std::string& err);
// Applies one more parsed op to an existing session (GUI input). Returns an
// error message or an empty string.
std::string applyScriptOp(Session& s, const ScriptOp& op);

} // namespace gomap
