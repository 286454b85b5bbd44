// The terminal view: the same session as the GUI, drawn as coloured text. Used
// when there is no display. On a terminal it steps by keys; otherwise it plays
// the scenario to the end and prints the final state.
#pragma once
#include <string>

#include "trace/session.hpp"

namespace gomap::app {

// Renders the header, the current event and the buckets as text (ANSI colours
// when colour is true). At most maxBuckets buckets per array are drawn.
std::string renderSessionText(const Session& s, const std::vector<std::string>& opTexts, bool colour,
                              std::size_t maxBuckets = 64);

// Runs the terminal view on a session. Returns the exit status.
int runTerminalView(Session& s, const std::vector<std::string>& opTexts, bool interactive);

} // namespace gomap::app
