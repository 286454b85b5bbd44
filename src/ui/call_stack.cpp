#include "ui/call_stack.hpp"

#include <algorithm>

namespace gomap::ui {

bool CallStack::apply(const Event& e) {
  const std::string_view f = siteInfo(e.site).function;
  if (f.empty()) return false;
  const bool entry = isEntrySite(e.site);
  // Already running f: return to it (or, at its entry site, a new call of it).
  for (std::size_t i = frames.size(); i-- > 0;) {
    if (frames[i] == f) {
      frames.resize(i + 1);
      return entry && i > 0;
    }
  }
  // A caller of f on the stack: f was called from the innermost one.
  for (std::size_t i = frames.size(); i-- > 0;) {
    if (calls(frames[i], f)) {
      frames.resize(i + 1);
      frames.push_back(f);
      return true;
    }
  }
  // f's caller has no event of its own before f's (incrnoverflow runs before
  // newoverflow emits anything): push the implicit caller too.
  for (const CallEdge& c : kCallTable) {
    if (c.callee != f) continue;
    for (std::size_t i = frames.size(); i-- > 0;) {
      if (calls(frames[i], c.caller)) {
        frames.resize(i + 1);
        frames.push_back(c.caller);
        frames.push_back(f);
        return true;
      }
    }
  }
  // A new outermost function (the op's own).
  frames.clear();
  frames.push_back(f);
  return true;
}

const CallStack& CallStackTracker::at(const EventSource& s, int64_t pos) {
  if (pos < 0 || s.eventCount() == 0) {
    stack_ = {};
    valid_ = false;
    return stack_;
  }
  const std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos));
  if (!valid_ || op != op_ || pos < pos_) {
    stack_ = {};
    op_ = op;
    pos_ = static_cast<int64_t>(s.firstEventOfOp(op)) - 1;
    valid_ = true;
  }
  const bool all = s.opsContiguous();
  for (int64_t i = pos_ + 1; i <= pos; i++)
    if (all || s.opOfEvent(static_cast<uint64_t>(i)) == op) stack_.apply(s.event(static_cast<uint64_t>(i)));
  pos_ = pos;
  return stack_;
}

CallStack stackAt(const EventSource& s, int64_t pos) {
  CallStack st;
  if (pos < 0 || static_cast<uint64_t>(pos) >= s.eventCount()) return st;
  const std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos));
  const bool all = s.opsContiguous();
  for (int64_t i = static_cast<int64_t>(s.firstEventOfOp(op)); i <= pos; i++)
    if (all || s.opOfEvent(static_cast<uint64_t>(i)) == op) st.apply(s.event(static_cast<uint64_t>(i)));
  return st;
}

int64_t stepOutTarget(const EventSource& s, int64_t pos) {
  const int64_t n = static_cast<int64_t>(s.eventCount());
  if (n == 0) return pos;
  if (pos < 0) return std::min<int64_t>(n - 1, 0);
  const std::size_t op = s.opOfEvent(static_cast<uint64_t>(pos));
  // The op's last event: the first event of the next op, minus one.
  int64_t last = n - 1;
  for (std::size_t k = op + 1; k < s.opCount(); k++) {
    if (static_cast<int64_t>(s.firstEventOfOp(k)) > pos) {
      last = static_cast<int64_t>(s.firstEventOfOp(k)) - 1;
      break;
    }
  }
  if (pos >= last) return pos;
  CallStack st;
  for (int64_t i = static_cast<int64_t>(s.firstEventOfOp(op)); i <= pos; i++) st.apply(s.event(static_cast<uint64_t>(i)));
  const std::size_t d = st.depth();
  if (d <= 1) return last;
  for (int64_t j = pos + 1; j <= last; j++) {
    bool newCall = st.apply(s.event(static_cast<uint64_t>(j)));
    if (st.depth() < d || (st.depth() == d && newCall)) return j;
  }
  return last;
}

} // namespace gomap::ui
