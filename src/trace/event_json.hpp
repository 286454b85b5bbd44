// Decodes engine events into JSON lines and one-line descriptions for logs.
#pragma once
#include <string>

#include "engine/events.hpp"

namespace gomap {

// {"i":N,"op":K,"kind":"...","fn":"mapassign","line":621,...fields}
void appendEventJson(std::string& out, const Event& e, uint64_t index, uint64_t opIndex);
// A short English sentence for an event log.
std::string describeEvent(const Event& e);

} // namespace gomap
