// Which language a source file is written in (an op script or a race
// scenario), so that a command given the other kind can say which command
// fits, and reading a source file (or standard input) into memory.
#pragma once
#include <string>
#include <string_view>

namespace gomap {

enum class SourceKind { Unknown, OpScript, Race };

// Judged by the content first: a race scenario's first directive is
// 'gomaplab-race'; an op script's first line is an op (make, put, hashkey...).
// Without either (an empty file, an error on the first line), by the name:
// *.race or *.ops.
SourceKind sourceKindOf(std::string_view path, std::string_view text);
// By the name only (*.race, *.ops), for a file not read yet.
SourceKind sourceKindOfPath(std::string_view path);

// One line naming the command that reads a file of kind `is` (which is not
// the kind the command given expects), e.g. "x.race is a race scenario, not
// an op script: run it with 'gomaplab race x.race'".
std::string wrongCommandMessage(std::string_view path, SourceKind is);

// Reads a whole file ("-": standard input). On failure sets why to
// "cannot open WHAT: REASON" and returns false.
bool readSourceFile(const std::string& path, std::string& text, std::string& why, std::string_view what);

} // namespace gomap
