#include "concurrency/report.hpp"

#include <fmt/format.h>

#include "trace/event_json.hpp"
#include "trace/state_json.hpp"
#include "trace/swiss_json.hpp"
#include "trace/syncmap_json.hpp"

#include <algorithm>

namespace gomap::race {

namespace {

constexpr const char* kMapGo = "$GOROOT/src/runtime/map.go";

std::string opFunction(const Instr& in, std::string_view current) {
  switch (in.kind) {
  case Instr::Kind::Put: return "mapassign";
  case Instr::Kind::Get: return "mapaccess2";
  case Instr::Kind::Del: return "mapdelete";
  case Instr::Kind::Clear: return "mapclear";
  case Instr::Kind::Iter: return current == "mapiterinit" ? "mapiterinit" : "mapiternext";
  default: return "";
  }
}

std::string statementNote(const Instr& in) {
  return in.loopVar.empty() ? in.text : fmt::format("{}   [{}]", in.text, in.loopVar);
}

constexpr const char* kMutexGo = "$GOROOT/src/sync/mutex.go";
constexpr const char* kRWMutexGo = "$GOROOT/src/sync/rwmutex.go";

// The frames of a goroutine inside a lock/unlock statement: parked in a wait
// queue (as Go's traceback shows it, runtime_SemacquireMutex innermost), dying
// of a sync fatal error, or between two steps of the method.
void syncFrames(std::vector<Frame>& fs, const Scenario& sc, const Instr& in, const GoroutineView& v,
                const std::string& fatal, const ReportWords& words) {
  auto say = [](std::string_view f, const auto&... a) { return fmt::format(fmt::runtime(f), a...); };
  const MutexDecl& m = sc.mutexes[in.mutex];
  const std::string& name = m.name;
  auto rw = [&](const char* method, int line, std::string note) {
    fs.push_back({fmt::format("sync.(*RWMutex).{}", method), kRWMutexGo, line, std::move(note)});
  };
  auto mu = [&](const char* method, int line, std::string note) {
    fs.push_back({fmt::format("sync.(*Mutex).{}", method), kMutexGo, line, std::move(note)});
  };
  const char* wLock = m.rw ? "rw.w.Lock()" : "Lock()";
  if (!fatal.empty()) {
    fs.push_back({"runtime.fatal", "$GOROOT/src/runtime/panic.go", 1066, fmt::format("{{\"{}\"}}", fatal)});
    fs.push_back({"sync.fatal", "$GOROOT/src/runtime/panic.go", 1031, "fatal(s)"});
    switch (in.kind) {
    case Instr::Kind::Unlock:
      if (m.rw) rw("Unlock", 209, say(words.rwNotLocked, name));
      else {
        mu("unlockSlow", 229, say(words.notLocked, name));
        mu("Unlock", 223, "m.unlockSlow(new)");
      }
      break;
    case Instr::Kind::RUnlock:
      rw("rUnlockSlow", 129, say(words.notReadLocked, name));
      rw("RUnlock", 119, "rw.rUnlockSlow(r)");
      break;
    default: break;
    }
    return;
  }
  if (v.sync.queue != SyncQueue::None) {
    const char* sema = v.sync.queue == SyncQueue::Sema ? (m.rw ? "rw.w.sema" : "m.sema")
                       : v.sync.queue == SyncQueue::ReaderSem ? "rw.readerSem" : "rw.writerSem";
    fs.push_back({"sync.runtime_SemacquireMutex", "$GOROOT/src/runtime/sema.go", 77, say(words.parkedIn, name, sema)});
  }
  switch (in.kind) {
  case Instr::Kind::Lock:
    if (v.sync.phase == 0) {
      mu("lockSlow", 171, v.sync.queue != SyncQueue::None ? "runtime_SemacquireMutex(&m.sema, queueLifo, 1)"
                                                          : std::string(words.retriesCas));
      mu("Lock", 90, "m.lockSlow()");
      if (m.rw) rw("Lock", 147, wLock);
    } else if (v.sync.phase == 1) {
      rw("Lock", 149, std::string(words.announcesWriter));
    } else {
      rw("Lock", v.sync.queue != SyncQueue::None ? 152 : 151,
         std::string(v.sync.queue != SyncQueue::None ? words.waitsForReaders : words.readerWaitNext));
    }
    break;
  case Instr::Kind::RLock: rw("RLock", 71, std::string(words.writerPending)); break;
  case Instr::Kind::Unlock: rw("Unlock", 216, std::string(words.unlockNext)); break;
  case Instr::Kind::RUnlock:
    rw("rUnlockSlow", 132, std::string(words.readerWaitDecNext));
    rw("RUnlock", 119, "rw.rUnlockSlow(r)");
    break;
  default: break;
  }
}

// A sync/map.go function as Go's traceback names it: "Load" ->
// "sync.(*Map).Load", "entry.tryStore" -> "sync.(*entry).tryStore".
std::string syncMapFunction(std::string_view fn) {
  if (fn.rfind("entry.", 0) == 0) return fmt::format("sync.(*entry).{}", fn.substr(6));
  return fmt::format("sync.(*Map).{}", fn);
}

// The m.mu.Lock() line of each sync.Map method (sync/map.go, Go 1.19.8).
std::pair<const char*, int> syncMapLockLine(syncmap::SyncOpCode c) {
  switch (c) {
  case syncmap::SyncOpCode::Load: return {"Load", 114};
  case syncmap::SyncOpCode::Store: return {"Store", 150};
  case syncmap::SyncOpCode::LoadOrStore: return {"LoadOrStore", 217};
  case syncmap::SyncOpCode::LoadAndDelete:
  case syncmap::SyncOpCode::Delete: return {"LoadAndDelete", 280};
  case syncmap::SyncOpCode::Range: return {"Range", 338};
  }
  return {"?", 0};
}

} // namespace

const char* syncKindName(TraceEntry::SyncKind k) {
  switch (k) {
  case TraceEntry::SyncKind::Lock: return "lock";
  case TraceEntry::SyncKind::Unlock: return "unlock";
  case TraceEntry::SyncKind::RLock: return "rlock";
  case TraceEntry::SyncKind::RUnlock: return "runlock";
  }
  return "?";
}

std::string mutexStateText(int32_t state) {
  std::string s = fmt::format("{:#x}", static_cast<uint32_t>(state));
  std::string parts;
  auto add = [&](const std::string& p) { parts += parts.empty() ? p : " | " + p; };
  if (state & kMutexLocked) add("mutexLocked");
  if (state & kMutexWoken) add("mutexWoken");
  if (state & kMutexStarving) add("mutexStarving");
  const int32_t w = state >> kMutexWaiterShift;
  if (w) add(fmt::format("{} waiter{}", w, w == 1 ? "" : "s"));
  return parts.empty() ? s + " (unlocked)" : s + " = " + parts;
}

std::string describeSyncEntry(const World& w, const TraceEntry& t) {
  std::string s = fmt::format("G{} {} {}: {} ({}:{}; state {}", t.g, syncKindName(t.sync), w.mutexName(t.mutex),
                              syncActName(t.act), t.rwFile ? "rwmutex.go" : "mutex.go", t.line, mutexStateText(t.state));
  if (w.mutexIsRw(t.mutex)) s += fmt::format(", readerCount {}, readerWait {}", t.readerCount, t.readerWait);
  s += ")";
  for (int g = 1; g <= 8; g++)
    if (t.woke & (1u << (g - 1))) s += fmt::format("; wakes G{}", g);
  return s;
}

std::vector<Frame> stackOf(const World& w, int g, const ReportWords& words) {
  std::vector<Frame> fs;
  GoroutineView v = w.view(g);
  const Scenario& sc = w.scenario();
  if (v.state == GoroutineView::State::Done || !v.instr) return fs;
  const Instr& in = *v.instr;
  const Ending& e = w.ending();
  const bool dying = v.state == GoroutineView::State::Died;
  if (w.isCow() && in.kind == Instr::Kind::SyncMap && (v.hasEvent || (dying && e.kind == Ending::Kind::Panic))) {
    // A copy-on-write map: the sync/atomic call (or c.mu's Lock) and the user
    // program's method in tests/concurrency/cow_go/cow.go.
    const cow::Variant var = w.cowMap().variant();
    const bool store = in.syncOp == syncmap::SyncOpCode::Store;
    // (a copy-on-write map's goroutine dies only of valuecas's comparison)
    const cow::Site site = dying ? cow::Site::ValueCas : v.cowEvent.site;
    const cow::SiteInfo si = cow::siteInfo(site, var, store);
    const std::string method = fmt::format("main.(*{}[...]).{}",
                                           var == cow::Variant::PtrCas      ? "PtrCas"
                                           : var == cow::Variant::PtrStore  ? "PtrStore"
                                           : var == cow::Variant::ValueCas  ? "ValueCas"
                                                                            : "ValueStore",
                                           store ? "Store" : "Load");
    // A dying goroutine's stack as Go 1.19 prints it (checked on the real runtime, tests/concurrency/cow_go):
    // CompareAndSwap at value.go:185, then the method's call of it; the runtime's frames (efaceeq) are not shown.
    if (v.atMapMutex) {
      if (v.sync.queue != SyncQueue::None)
        fs.push_back({"sync.runtime_SemacquireMutex", "$GOROOT/src/runtime/sema.go", 77,
                      fmt::format(fmt::runtime(words.parkedIn), "c.mu", "c.mu.sema")});
      fs.push_back({"sync.(*Mutex).Lock", kMutexGo, 90, "m.lockSlow()"});
    }
    if (si.file == "cow.go") {
      fs.push_back({si.function.rfind("main.(*...)", 0) == 0 ? method : std::string(si.function), "cow.go", si.line,
                    words.siteNote(si.what)});
    } else {
      fs.push_back({std::string(si.function), fmt::format("$GOROOT/src/{}", si.file), si.line, words.siteNote(si.what)});
      fs.push_back({method, "cow.go", cow::callerLine(site, var, store),
                    dying ? std::string(words.cowComparePanicked) : std::string()});
    }
    if (si.function == "main.copyWith") fs.push_back({method, "cow.go", store && var == cow::Variant::PtrStore ? 58
                                                                    : var == cow::Variant::PtrCas ? 34
                                                                    : var == cow::Variant::ValueStore ? 79 : 99, "copyWith(old, k, v)"});
  } else if (w.isSyncMap() && in.kind == Instr::Kind::SyncMap && v.atMapMutex) {
    // Inside m.mu.Lock(): parked on its semaphore, or woken and about to retry the CAS.
    const auto [method, line] = syncMapLockLine(in.syncOp);
    if (v.sync.queue != SyncQueue::None)
      fs.push_back({"sync.runtime_SemacquireMutex", "$GOROOT/src/runtime/sema.go", 77,
                    fmt::format(fmt::runtime(words.parkedIn), "m.mu", "m.mu.sema")});
    fs.push_back({"sync.(*Mutex).lockSlow", kMutexGo, 171,
                  v.sync.queue != SyncQueue::None ? "runtime_SemacquireMutex(&m.sema, queueLifo, 1)"
                                                  : std::string(words.retriesCas)});
    fs.push_back({"sync.(*Mutex).Lock", kMutexGo, 90, "m.lockSlow()"});
    fs.push_back({syncMapFunction(method), "$GOROOT/src/sync/map.go", line, "m.mu.Lock()"});
  } else if (w.isSyncMap() && v.hasEvent) {
    fs.push_back({syncMapFunction(v.function), "$GOROOT/src/sync/map.go", v.goLine, words.siteNote(v.what)});
  } else if (v.hasEvent && w.isSwiss()) {
    // A dying goroutine's stack as Go 1.26/1.27 print it: internal/runtime/maps
    // calls fatal() (linked to runtime's maps_fatal in panic.go) for every map
    // check, and the map functions' own frames are not shown (checked on the
    // real runtimes). A goroutine paused elsewhere shows where it stands.
    if (dying && e.kind == Ending::Kind::Fatal) {
      const bool go127 = w.swissMap().version() == swiss::Version::Go127;
      fs.push_back({"internal/runtime/maps.fatal", "$GOROOT/src/runtime/panic.go", go127 ? 1197 : 1181,
                    fmt::format("{{\"{}\"}}", e.message)});
    } else if (!dying) {
      fs.push_back({fmt::format("internal/runtime/maps.{}", v.function), fmt::format("$GOROOT/src/{}", v.file),
                    v.goLine, words.siteNote(v.what)});
    }
  } else if (v.hasEvent) {
    std::string fn(v.function);
    const std::string op = opFunction(in, fn);
    if (dying && e.kind == Ending::Kind::Fatal) {
      const bool isThrow = e.hasEvent && e.at.kind == EventKind::Fatal &&
                           thrownByRuntime(payloadOf<EventKind::Fatal>(e.at).message);
      fs.push_back({isThrow ? "runtime.throw" : "runtime.fatal", "$GOROOT/src/runtime/panic.go", isThrow ? 1047 : 1066,
                    fmt::format("{{\"{}\"}}", e.message)});
    }
    if (dying && e.kind == Ending::Kind::Panic)
      fs.push_back({"runtime.gopanic", "$GOROOT/src/runtime/panic.go", 838, fmt::format("{{\"{}\"}}", e.message)});
    fs.push_back({"runtime." + fn, kMapGo, v.goLine, words.siteNote(v.what)});
    // The callers up to the op's function, from the engine's call table. A
    // callee with several callers is taken as called by the op's function if
    // it is one of them, else by the table's first caller (newoverflow under
    // mapassign, evacuate at growWork's first call).
    while (fn != op) {
      const CallEdge* c = callerEdge(fn, op);
      if (!c) break;
      fs.push_back({"runtime." + std::string(c->caller), kMapGo, c->line, std::string(c->text)});
      fn = std::string(c->caller);
    }
    if (sc.cow && cow::isInPlace(sc.cowVariant)) { // the user program's method that indexes *p (cow.go)
      const bool store = in.kind == Instr::Kind::Put;
      fs.push_back({store ? "main.(*InPlace[...]).Store" : "main.(*InPlace[...]).Load", "cow.go",
                    store ? cow::kInPlaceStoreWriteLine : cow::kInPlaceLoadReadLine,
                    store ? std::string(words.inPlaceStore) : "v, ok := (*p)[k]"});
    }
  } else if (!in.isMapOp() && in.kind != Instr::Kind::Gc && (v.state == GoroutineView::State::Blocked || dying || v.sync.phase > 0)) {
    syncFrames(fs, sc, in, v, dying ? e.message : std::string(), words);
  }
  fs.push_back({fmt::format("main.G{}", g), sc.file, in.line, statementNote(in)});
  return fs;
}

std::string goroutineStateWord(const World& w, int g) {
  GoroutineView v = w.view(g);
  switch (v.state) {
  case GoroutineView::State::Died: return "running";
  case GoroutineView::State::Blocked: return "semacquire";
  default: return "runnable";
  }
}

namespace {
void appendGoroutine(std::string& o, const World& w, int g, const ReportWords& words) {
  o += fmt::format("goroutine {} [{}]:\n", g, goroutineStateWord(w, g));
  for (const Frame& f : stackOf(w, g, words)) {
    bool isMain = f.function.rfind("main.", 0) == 0;
    o += fmt::format("{}({})\n\t{}:{}", f.function, isMain ? "" : "...", f.file, f.line);
    if (!f.note.empty()) o += "  // " + f.note;
    o += "\n";
  }
  o += fmt::format("created by main.main\n\t{}:{}\n", w.scenario().file, w.scenario().programs[g - 1].line);
}
} // namespace

std::string goDeathOutput(const World& w, const ReportWords& words) {
  const Ending& e = w.ending();
  std::string o;
  if (e.kind == Ending::Kind::Panic) {
    o += fmt::format("panic: {}\n", e.message);
    // Go prints the signal for a fault; the simulator has no address to show.
    if (e.message == messageText(Message::InvalidMemory)) o += "[signal SIGSEGV: segmentation violation]\n";
    o += "\n";
    appendGoroutine(o, w, e.g, words);
    return o;
  }
  if (e.kind != Ending::Kind::Fatal) return o;
  o += fmt::format("fatal error: {}\n", e.message);
  std::vector<int> order;
  if (e.g) order.push_back(e.g);
  for (int g = 1; g <= w.goroutines(); g++)
    if (g != e.g && w.view(g).state != GoroutineView::State::Done) order.push_back(g);
  for (int g : order) {
    o += "\n";
    appendGoroutine(o, w, g, words);
  }
  return o;
}

std::string outcomeClass(const World& w, const ConsistencyReport* rep) {
  const Ending& e = w.ending();
  switch (e.kind) {
  case Ending::Kind::Fatal:
    if (e.deadlock) return "deadlock";
    if (e.hasEvent) return fmt::format("fatal G{}: {} ({} L{})", e.g, e.message, e.function, e.line);
    return fmt::format("fatal G{}: {}", e.g, e.message);
  case Ending::Kind::Panic: return fmt::format("panic G{}: {}", e.g, e.message);
  case Ending::Kind::StepLimit: return "step limit";
  case Ending::Kind::ScheduleEnded: return "schedule ended";
  case Ending::Kind::Running: return "running";
  case Ending::Kind::AllDone:
    if (rep && !rep->consistent) return "corrupt: " + rep->kindsText();
    return "clean";
  }
  return "?";
}

std::string outcomeText(const World& w, const ConsistencyReport* rep) {
  const Ending& e = w.ending();
  std::string o;
  switch (e.kind) {
  case Ending::Kind::Fatal:
  case Ending::Kind::Panic: {
    o += goDeathOutput(w);
    o += "\n";
    if (e.deadlock) {
      o += "-- every goroutine is blocked; the program exits with status 2\n";
    } else if (e.hasEvent) {
      const std::string_view file = e.file.substr(e.file.rfind('/') + 1);
      o += fmt::format("-- G{} died in {} ({}:{}): {}; the program exits with status 2{}\n", e.g, e.function, file,
                       e.line, e.what, e.kind == Ending::Kind::Fatal ? " (a fatal error cannot be recovered)" : "");
    } else {
      o += fmt::format("-- G{} died: {}; the program exits with status 2\n", e.g, e.message);
    }
    break;
  }
  case Ending::Kind::AllDone:
    o += "no race detected\n";
    if (rep) {
      o += rep->consistent ? "consistency report: consistent\n"
                           : fmt::format("consistency report: the map is silently corrupted ({})\n", rep->kindsText());
      for (auto& f : rep->findings) o += fmt::format("  ! {}: {}\n", f.kind, f.text);
      for (auto& n : rep->notes) o += fmt::format("  - {}\n", n.text);
      const bool invOk = w.isSharded()   ? shardedInvariants(w).empty()
                         : w.isCow()     ? false // immutable versions: no invariant checker to report on
                         : w.isSyncMap() ? w.syncMap().checkInvariants().empty()
                         : w.isSwiss() ? w.swissMap().checkInvariants().empty()
                                       : w.map().checkInvariants().empty();
      if (invOk) o += "  - the engine's invariant checker finds nothing wrong\n";
    }
    break;
  case Ending::Kind::StepLimit: o += fmt::format("stopped: {}\n", e.message); break;
  case Ending::Kind::ScheduleEnded:
  case Ending::Kind::Running: {
    o += fmt::format("the schedule ended after {} steps; the program has not finished:\n", w.steps());
    for (int g = 1; g <= w.goroutines(); g++) {
      GoroutineView v = w.view(g);
      if (v.state == GoroutineView::State::Done) {
        o += fmt::format("  G{}: done\n", g);
        continue;
      }
      // The file with its package's directory: sync/map.go and runtime/map.go are two files.
      const std::size_t last = v.file.rfind('/');
      const std::size_t dirStart = last == std::string::npos || last == 0 ? 0 : v.file.rfind('/', last - 1) + 1;
      std::string where = v.hasEvent ? fmt::format(" in {} ({}:{}: {})", v.function, v.file.substr(dirStart), v.goLine, v.what)
                                     : "";
      o += fmt::format("  G{}: {} '{}'{}\n", g, v.state == GoroutineView::State::Blocked ? "blocked at" : "at",
                       v.instr ? v.instr->text : "", where);
    }
    break;
  }
  }
  o += fmt::format("-- {} steps, {} granularity, schedule: {}\n", w.steps(), granularityName(w.scenario().granularity),
                   w.steps() ? formatSteps(w.schedule()) : "(none)");
  return o;
}

void appendTraceJson(std::string& out, const World& w, std::size_t i) {
  const TraceEntry& t = w.trace()[i];
  out += fmt::format("{{\"step\":{},\"g\":{},", t.step, t.g);
  if (t.source == TraceEntry::Source::Sync) {
    out += fmt::format("\"i\":{},\"kind\":\"{}\",\"mutex\":", i, syncKindName(t.sync));
    appendJsonBytes(out, w.mutexName(t.mutex));
    out += fmt::format(",\"act\":\"{}\",\"file\":\"{}\",\"line\":{},\"state\":{}", syncActName(t.act),
                       t.rwFile ? "rwmutex.go" : "mutex.go", t.line, t.state);
    if (w.mutexIsRw(t.mutex)) out += fmt::format(",\"readerCount\":{},\"readerWait\":{}", t.readerCount, t.readerWait);
    if (t.woke) {
      out += ",\"woke\":[";
      bool first = true;
      for (int g = 1; g <= 8; g++)
        if (t.woke & (1u << (g - 1))) {
          out += fmt::format("{}{}", first ? "" : ",", g);
          first = false;
        }
      out += "]";
    }
    out += "}";
    return;
  }
  std::string tmp;
  bool begins;
  if (t.source == TraceEntry::Source::Cow) {
    const OpRecord& r = w.history()[t.op - 1];
    const Instr& in = w.scenario().programs[r.g - 1].code[r.instr];
    cow::appendCowEventJson(tmp, t.cev, w.cowMap().variant(), in.syncOp == syncmap::SyncOpCode::Store, i, t.op);
    begins = true; // every step names its statement ("src")
  } else if (t.source == TraceEntry::Source::SyncMap) {
    appendSyncEventJson(tmp, t.yev, i, t.op);
    begins = t.yev.kind == syncmap::SyncKind::OpBegin;
  } else if (t.source == TraceEntry::Source::Swiss) {
    appendSwissEventJson(tmp, t.sev, i, t.op, w.swissMap().kind(), w.swissMap().version() == swiss::Version::Go127);
    begins = t.sev.kind == swiss::SwissKind::OpBegin;
  } else {
    appendEventJson(tmp, t.ev, i, t.op);
    begins = t.ev.kind == EventKind::OpBegin;
    if (t.shard >= 0) { // a sharded map: the shard whose map emitted it
      tmp.pop_back();
      tmp += fmt::format(",\"shard\":{}}}", t.shard);
    }
  }
  if (begins && t.op > 0) {
    const OpRecord& r = w.history()[t.op - 1];
    tmp.pop_back();
    tmp += ",\"src\":";
    appendJsonBytes(tmp, w.scenario().programs[r.g - 1].code[r.instr].text);
    tmp.push_back('}');
  }
  out.append(tmp, 1, std::string::npos);
}

} // namespace gomap::race

namespace gomap::race {

std::string expectationText(const Expectation& e) {
  switch (e.kind) {
  case Expectation::Kind::Clean: return "clean";
  case Expectation::Kind::Deadlock: return "deadlock";
  case Expectation::Kind::Fatal: return fmt::format("fatal {} {}", e.goroutine, e.message);
  case Expectation::Kind::Panic: return fmt::format("panic {} {}", e.goroutine, e.message);
  case Expectation::Kind::Corrupt: {
    std::string s = "corrupt";
    for (auto& k : e.corruptKinds) s += " " + k;
    return s;
  }
  }
  return "?";
}

bool expectationMet(const Expectation& e, const World& w, const ConsistencyReport* rep, std::string& got) {
  const Ending& end = w.ending();
  switch (end.kind) {
  case Ending::Kind::AllDone:
    if (rep && !rep->consistent) {
      got = "corrupt";
      for (auto& k : rep->kinds()) got += " " + k;
    } else {
      got = "clean";
    }
    break;
  case Ending::Kind::Fatal: got = end.deadlock ? "deadlock" : fmt::format("fatal {} {}", end.g, end.message); break;
  case Ending::Kind::Panic: got = fmt::format("panic {} {}", end.g, end.message); break;
  case Ending::Kind::StepLimit: got = "step limit"; break;
  case Ending::Kind::ScheduleEnded:
  case Ending::Kind::Running: got = "unfinished"; break;
  }
  switch (e.kind) {
  case Expectation::Kind::Clean: return got == "clean";
  case Expectation::Kind::Deadlock: return got == "deadlock";
  case Expectation::Kind::Fatal:
  case Expectation::Kind::Panic: return got == expectationText(e);
  case Expectation::Kind::Corrupt:
    if (end.kind != Ending::Kind::AllDone || !rep || rep->consistent) return false;
    for (auto& k : e.corruptKinds) {
      auto ks = rep->kinds();
      if (std::find(ks.begin(), ks.end(), k) == ks.end()) return false;
    }
    return true;
  }
  return false;
}

Verdict verdictOf(const World& w, const ConsistencyReport* rep) {
  const Ending& e = w.ending();
  switch (e.kind) {
  case Ending::Kind::Running: return Verdict::Running;
  case Ending::Kind::Fatal: return e.deadlock ? Verdict::Deadlock : Verdict::Died;
  case Ending::Kind::Panic: return Verdict::Died;
  case Ending::Kind::StepLimit: return Verdict::StepLimit;
  case Ending::Kind::ScheduleEnded: return Verdict::Unfinished;
  case Ending::Kind::AllDone: return rep && !rep->consistent ? Verdict::Corrupt : Verdict::Clean;
  }
  return Verdict::Running;
}

std::optional<ExpectationCheck> checkExpectation(const World& w, const ConsistencyReport* rep) {
  const auto& e = w.scenario().expect;
  if (!e) return std::nullopt;
  ExpectationCheck c;
  c.expected = expectationText(*e);
  c.met = expectationMet(*e, w, rep, c.got);
  return c;
}

std::string expectationLine(const ExpectationCheck& c) {
  return fmt::format("-- expected: {}: {}\n", c.expected, c.met ? "met" : "NOT met (got " + c.got + ")");
}

} // namespace gomap::race
