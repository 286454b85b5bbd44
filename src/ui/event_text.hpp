// One-line descriptions of events in the UI's language: English comes from
// trace/event_json (describeEvent), Simplified Chinese is written here with
// the same facts in the same order.
#pragma once
#include <string>
#include <string_view>

#include "engine/events.hpp"
#include "ui/strings.hpp"

namespace gomap::ui {

std::string describeEventIn(const Event& e, Lang l);
inline std::string describeEventUi(const Event& e) { return describeEventIn(e, language()); }
// Every Chinese description template, filled with sample events (the font
// bakes exactly the glyphs the UI can show).
std::string allEventTextZh();
// A classic map site's description (its `what`) in the UI's language (ui/strings_site_notes.inc).
inline std::string_view siteWhat(Site s) { return siteNote(siteInfo(s).what); }

} // namespace gomap::ui
