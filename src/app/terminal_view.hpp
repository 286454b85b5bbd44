// The terminal view: the same sessions as the GUI, drawn as coloured text.
// Used when there is no display. On a terminal it steps by keys; otherwise it
// plays the scenario to the end and prints the final state. It shows an op
// script of each structure: the classic map, the Swiss map and sync.Map.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "trace/session.hpp"
#include "trace/swiss_session.hpp"
#include "trace/syncmap_session.hpp"

namespace gomap::app {

// What the terminal view steps: a recorded session of one structure, with a
// cursor on its events (-1: before the first), and its state as text.
class TerminalSource {
public:
  virtual ~TerminalSource() = default;
  virtual uint64_t eventCount() const = 0;
  virtual int64_t position() const = 0;
  virtual void seek(int64_t i) = 0;
  virtual std::size_t opCount() const = 0;
  virtual std::size_t opOfEvent(uint64_t i) const = 0;
  virtual uint64_t firstEventOfOp(std::size_t k) const = 0;
  // The header, the event at the cursor and the structure's state (ANSI
  // colours when colour is true; at most maxRows buckets/groups/keys per part).
  virtual std::string render(bool colour, std::size_t maxRows) const = 0;
};

// Renders the header, the current event and the buckets as text (ANSI colours
// when colour is true). At most maxBuckets buckets per array are drawn.
std::string renderSessionText(const Session& s, const std::vector<std::string>& opTexts, bool colour,
                              std::size_t maxBuckets = 64);

// The sources (they own what they are given; opTexts: each session op's text).
std::unique_ptr<TerminalSource> classicSource(std::unique_ptr<Session> s, std::vector<std::string> opTexts);
// lines: the script's lines (a Swiss op's text is its line's).
std::unique_ptr<TerminalSource> swissSource(std::unique_ptr<SwissSession> s, std::vector<std::string> lines);
// texts: each parsed op's text (a sync.Map session holds every parsed op).
std::unique_ptr<TerminalSource> syncMapSource(std::unique_ptr<SyncMapSession> s, std::vector<std::string> texts);

// Runs the terminal view on a source. Returns the exit status.
int runTerminalView(TerminalSource& s, bool interactive);

} // namespace gomap::app
