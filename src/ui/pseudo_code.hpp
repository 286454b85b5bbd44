// The code panel's text: the project's own annotated pseudo-code for each
// runtime function that emits events, one line per step, each tagged with the
// line of runtime/map.go (Go 1.19.8) it stands for. It is written from
// map.go's logic, not copied from it; the real file is shown only when it is
// installed on the machine (go_source.hpp).
#pragma once
#include <span>
#include <string_view>

#include "engine/events.hpp"

namespace gomap::ui {

struct CodeLine {
  int goLine;            // map.go line; 0 for a comment line
  std::string_view text; // leading spaces give the indentation
};

// The pseudo-code of a runtime function ("mapassign", "evacuate", ...); empty
// for an unknown name.
std::span<const CodeLine> pseudoCode(std::string_view function);
// The line to highlight for an event: an index into pseudoCode(function), or -1.
int pseudoLineOf(std::string_view function, const Event& e);
// In a caller's frame: the index of the line that calls callee, or -1.
int pseudoCallLine(std::string_view caller, std::string_view callee);
// The map.go line an event points at (the site table's line).
int goLineOf(const Event& e);

} // namespace gomap::ui
