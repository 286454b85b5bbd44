#include "concurrency/explore.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "concurrency/consistency.hpp"
#include "concurrency/report.hpp"
#include "trace/swiss_json.hpp"
#include "trace/syncmap_json.hpp"

namespace gomap::race {

namespace {

uint64_t mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 29);
}

// What the consistency check of a finished run depends on: the map's memory,
// its header, and the operations' results and real-time order. Runs with the
// same key get the same report, so it is computed once.
// The Swiss map's whole state as the dump prints it (header, small group,
// directory, every group's bytes), folded.
uint64_t swissDigest(const swiss::AnySwiss& m) {
  std::string s;
  appendSwissState(s, m);
  return std::hash<std::string>{}(s);
}

uint64_t consistencyKey(const World& w) {
  uint64_t k;
  if (w.isCow()) {
    std::string s;
    cow::appendCowState(s, w.cowMap(), {});
    k = std::hash<std::string>{}(s);
  } else if (w.isSyncMap()) {
    std::string s;
    appendSyncState(s, w.syncMap());
    k = std::hash<std::string>{}(s);
  } else if (w.isSharded()) {
    k = w.shards().digest();
  } else if (w.isSwiss()) {
    k = mix64(swissDigest(w.swissMap()), w.swissMap().header().used);
  } else {
    const AnyMap& m = w.map();
    const Hmap& h = m.header();
    k = mix64(m.digest(), static_cast<uint64_t>(h.count));
    k = mix64(k, uint64_t{h.flags} | uint64_t{h.B} << 8 | uint64_t{h.noverflow} << 16);
    k = mix64(k, h.nevacuate ^ (h.oldbuckets ? 1ULL << 63 : 0));
  }
  const auto& hist = w.history();
  std::vector<std::size_t> order(hist.size());
  for (std::size_t i = 0; i < order.size(); i++) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(hist[a].g, hist[a].instr) < std::pair(hist[b].g, hist[b].instr);
  });
  for (std::size_t a : order) {
    const OpRecord& r = hist[a];
    k = mix64(k, static_cast<uint64_t>(r.g) << 32 | r.instr);
    k = mix64(k, static_cast<uint64_t>(r.result.outcome) | static_cast<uint64_t>(r.access.found) << 8);
    k = mix64(k, static_cast<uint64_t>(r.access.value));
    for (std::size_t i = 0; i < r.keys.size(); i++) {
      const KeyValue& kv = r.keys[i];
      k = mix64(k, static_cast<uint64_t>(kv.i) ^ std::hash<std::string>{}(kv.s) ^ std::hash<double>{}(kv.f));
      k = mix64(k, static_cast<uint64_t>(r.vals[i]));
    }
    for (std::size_t b : order) k = mix64(k, hist[a].endStep < hist[b].startStep);
  }
  return k;
}

// Runs a then b (fused steps) from the state after `prefix` and describes the
// result: each goroutine's events in those steps, the map, and how it ended.
std::string runPair(World& v, const std::vector<uint8_t>& prefix, int a, int b) {
  v.reset();
  for (uint8_t g : prefix) v.step(g);
  std::size_t t0 = v.trace().size();
  std::string sig;
  for (int g : {a, b}) {
    if (!v.runnable(g)) {
      sig += fmt::format("G{} cannot run;", g);
      continue;
    }
    v.stepFused(g);
  }
  std::string ga, gb;
  for (std::size_t i = t0; i < v.trace().size(); i++) {
    const TraceEntry& t = v.trace()[i];
    std::string e = t.source == TraceEntry::Source::Cow
                        ? fmt::format("cow{}:{}:{}:{}:{}:{}:{}:{}:{};", static_cast<int>(t.cev.site), t.cev.held,
                                      t.cev.made, t.cev.published, t.cev.entries, t.cev.swapped, t.cev.found,
                                      t.cev.value, t.cev.panics)
                    : t.source == TraceEntry::Source::SyncMap ? [&] {
      std::string j;
      appendSyncEventJson(j, t.yev, 0, 0);
      std::replace(j.begin(), j.end(), ']', ')'); // the goroutine's part of the signature ends at ']'
      return j + ";";
    }()
                    : t.source == TraceEntry::Source::Swiss
                        ? fmt::format("{}:{}:{}:{}:{};", static_cast<int>(t.sev.kind), static_cast<int>(t.sev.site),
                                      t.sev.a, t.sev.b, t.sev.c)
                        : fmt::format("{:x}:{:x}:{};", t.ev.word0(), t.ev.word1(), static_cast<int>(t.source));
    if (t.source == TraceEntry::Source::Sync)
      e += fmt::format("{}:{}:{}:{}:{}:{}:{};", static_cast<int>(t.sync), t.mutex, static_cast<int>(t.act), t.woke,
                       t.state, t.readerCount, t.readerWait);
    (t.g == a ? ga : gb) += e;
  }
  if (v.isCow()) {
    std::vector<cow::HeldBy> held;
    for (int g = 1; g <= v.goroutines(); g++) held.push_back({g, v.cowRun(g)});
    std::string st;
    cow::appendCowState(st, v.cowMap(), held);
    sig += fmt::format("G{}[{}] G{}[{}] digest {} ended {} {}", a, ga, b, gb, st, static_cast<int>(v.ending().kind),
                       v.ending().message);
  } else if (v.isSyncMap()) {
    std::string st;
    appendSyncState(st, v.syncMap());
    // ("digest": where verifyIndependence's comparison starts.)
    sig += fmt::format("G{}[{}] G{}[{}] digest {} rng {} ended {} {}", a, ga, b, gb, st, v.syncMap().rngState(),
                       static_cast<int>(v.ending().kind), v.ending().message);
  } else if (v.isSharded()) {
    sig += fmt::format("G{}[{}] G{}[{}] digest {} ended {} {}", a, ga, b, gb, v.shards().signature(),
                       static_cast<int>(v.ending().kind), v.ending().message);
  } else if (v.isSwiss()) {
    std::string st;
    appendSwissState(st, v.swissMap());
    sig += fmt::format("G{}[{}] G{}[{}] state {} rng {} ended {} {}", a, ga, b, gb, st, v.swissMap().rngState(),
                       static_cast<int>(v.ending().kind), v.ending().message);
  } else {
    const Hmap& h = v.map().header();
    sig += fmt::format("G{}[{}] G{}[{}] digest {} count {} flags {} B {} nevac {} rng {} ended {} {}", a, ga, b, gb,
                       v.map().digest(), h.count, h.flags, h.B, h.nevacuate, v.map().rngState(),
                       static_cast<int>(v.ending().kind), v.ending().message);
  }
  // The mutexes and their queues too (a wake changes another goroutine's state).
  for (std::size_t m = 0; m < v.sync().mutexCount(); m++) {
    const MutexState& x = v.sync().mutex(static_cast<int>(m));
    sig += fmt::format(" mu{} {} {} {} [{}] [{}] [{}]", m, x.state, x.readerCount, x.readerWait,
                       fmt::join(x.sema, ","), fmt::join(x.readerSem, ","), fmt::join(x.writerSem, ","));
  }
  return sig;
}

} // namespace

ExploreResult explore(const Scenario& sc, const ExploreOptions& opts,
                      const std::function<void(const World&, const std::string& cls)>& onLeaf) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  ExploreResult res;
  res.reduced = opts.reduce;
  WorldOptions wo;
  wo.record = false;
  wo.maxSteps = opts.maxStepsPerRun;
  World w(sc, wo);
  const int n = w.goroutines();
  std::unique_ptr<World> verifier;
  if (opts.verifyIndependence) verifier = std::make_unique<World>(sc, WorldOptions{});

  // A transition is "the next step of goroutine g"; its footprint is what that
  // step touched when it was taken from the frame's state.
  struct Trans {
    int g;
    Footprint fp;
  };
  struct TransSet {
    std::array<Trans, kMaxGoroutines> t;
    int n = 0;
    bool has(int g) const {
      for (int i = 0; i < n; i++)
        if (t[i].g == g) return true;
      return false;
    }
  };
  struct Frame {
    std::array<int, kMaxGoroutines> todo; // choices to explore from this state (runnable, not asleep)
    int ntodo = 0, next = 1;
    uint64_t schedLen = 0; // engine steps before this state
    TransSet sleep;        // asleep on arrival
    TransSet done;         // explored from here
  };
  struct Ck {
    uint64_t schedLen;
    std::shared_ptr<const World::Checkpoint> c;
  };
  std::vector<Frame> frames;
  frames.reserve(256);
  std::vector<Ck> cks{{0, w.checkpoint()}};
  std::unordered_map<std::string, std::size_t> index;
  std::unordered_map<uint64_t, std::pair<std::string, bool>> verdicts;
  std::vector<uint8_t> prefix;
  TransSet sleep; // sleep set of the current state

  // Takes transition g from frame f's state and computes the sleep set of the
  // state it leads to.
  auto take = [&](Frame& f, int g) {
    uint64_t before = w.steps();
    w.stepFused(g);
    res.stepsExecuted += w.steps() - before;
    const Footprint& fp = w.lastFootprint();
    sleep.n = 0;
    if (opts.reduce) {
      for (int i = 0; i < f.sleep.n; i++)
        if (independent(f.sleep.t[i].fp, fp)) sleep.t[sleep.n++] = f.sleep.t[i];
      for (int i = 0; i < f.done.n; i++)
        if (independent(f.done.t[i].fp, fp)) sleep.t[sleep.n++] = f.done.t[i];
      f.done.t[f.done.n++] = Trans{g, fp};
      if (opts.verifyIndependence && sleep.n > 0) {
        std::vector<uint8_t> pre(w.schedule().begin(), w.schedule().begin() + static_cast<std::ptrdiff_t>(f.schedLen));
        for (int i = 0; i < sleep.n; i++) {
          int u = sleep.t[i].g;
          res.independenceChecks++;
          std::string ab = runPair(*verifier, pre, g, u);
          std::string ba = runPair(*verifier, pre, u, g);
          // Same events per goroutine and the same end state, whatever the order.
          auto norm = [&](const std::string& x, int first) {
            std::string gA = fmt::format("G{}[", g), gU = fmt::format("G{}[", u);
            auto pa = x.find(gA), pu = x.find(gU);
            auto seg = [&](std::size_t p) { return x.substr(p, x.find(']', p) - p); };
            (void)first;
            return seg(pa) + "|" + seg(pu) + x.substr(x.find("digest"));
          };
          if (norm(ab, g) != norm(ba, u) && res.independenceViolations.size() < 20)
            res.independenceViolations.push_back(fmt::format("after {}: G{} then G{}: {}\n  G{} then G{}: {}",
                                                             formatSteps(pre), g, u, ab, u, g, ba));
        }
      }
    }
    if (!w.ended() && w.quiescent() && cks.back().schedLen < w.steps()) cks.push_back({w.steps(), w.checkpoint()});
  };

  for (;;) {
    bool blocked = false;
    while (!w.ended()) {
      frames.emplace_back();
      Frame& f = frames.back();
      f.schedLen = w.steps();
      for (int g = 1; g <= n; g++)
        if (w.runnable(g) && !sleep.has(g)) f.todo[f.ntodo++] = g;
      if (f.ntodo == 0) {
        frames.pop_back();
        blocked = true; // every enabled step is asleep: an equivalent schedule was explored
        break;
      }
      f.sleep = sleep;
      take(f, f.todo[0]);
    }
    if (blocked) {
      res.sleepBlocked++;
    } else {
      // A leaf.
      std::string cls;
      OutcomeGroup::Category cat;
      const Ending& e = w.ending();
      if (e.kind == Ending::Kind::AllDone) {
        bool consistent = true;
        if (opts.checkConsistency) {
          uint64_t key = consistencyKey(w);
          auto it = verdicts.find(key);
          if (it == verdicts.end()) {
            ConsistencyReport rep = checkConsistency(w, opts.consistencyBudget);
            it = verdicts.emplace(key, std::pair(outcomeClass(w, &rep), rep.consistent)).first;
          }
          cls = it->second.first;
          consistent = it->second.second;
        } else {
          cls = outcomeClass(w, nullptr);
        }
        cat = consistent ? OutcomeGroup::Category::Clean : OutcomeGroup::Category::Corrupt;
      } else {
        cls = outcomeClass(w, nullptr);
        cat = e.kind == Ending::Kind::Fatal
                  ? (e.deadlock ? OutcomeGroup::Category::Deadlock : OutcomeGroup::Category::Fatal)
              : e.kind == Ending::Kind::Panic ? OutcomeGroup::Category::Panic
                                              : OutcomeGroup::Category::Other;
      }
      res.interleavings++;
      res.longest = std::max<uint64_t>(res.longest, w.steps());
      switch (cat) {
      case OutcomeGroup::Category::Clean: res.clean++; break;
      case OutcomeGroup::Category::Fatal: res.fatal++; break;
      case OutcomeGroup::Category::Corrupt: res.corrupt++; break;
      case OutcomeGroup::Category::Panic: res.panic++; break;
      case OutcomeGroup::Category::Deadlock: res.deadlock++; break;
      case OutcomeGroup::Category::Other: res.other++; break;
      }
      auto [it, fresh] = index.emplace(cls, res.groups.size());
      if (fresh) res.groups.push_back({cls, cat, 0, w.schedule()});
      res.groups[it->second].count++;
      if (onLeaf) onLeaf(w, cls);
      if (res.interleavings >= opts.maxInterleavings ||
          (opts.timeLimitSeconds > 0 && (res.interleavings & 1023) == 0 &&
           std::chrono::duration<double>(Clock::now() - t0).count() > opts.timeLimitSeconds)) {
        res.complete = false;
        break;
      }
    }
    // Backtrack to the deepest frame with an untried choice.
    while (!frames.empty() && frames.back().next >= frames.back().ntodo) frames.pop_back();
    if (frames.empty()) break;
    Frame& f = frames.back();
    int g = f.todo[f.next++];
    prefix.assign(w.schedule().begin(), w.schedule().begin() + static_cast<std::ptrdiff_t>(f.schedLen));
    while (cks.back().schedLen > f.schedLen) cks.pop_back();
    w.restore(*cks.back().c);
    w.trackFootprints(false);
    for (uint64_t i = cks.back().schedLen; i < f.schedLen; i++) {
      w.step(prefix[i]);
      res.stepsExecuted++;
    }
    w.trackFootprints(true);
    take(f, g);
  }
  std::stable_sort(res.groups.begin(), res.groups.end(), [](const OutcomeGroup& a, const OutcomeGroup& b) {
    if (a.category != b.category) return a.category < b.category;
    return a.count > b.count;
  });
  res.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return res;
}

std::string exploreText(const Scenario& sc, const ExploreResult& r) {
  std::string o;
  o += fmt::format("explored {} goroutines at {} level: {} {}interleavings{} in {:.3f} s ({} engine steps, longest run {} "
                   "steps)\n",
                   sc.programs.size(), granularityName(sc.granularity), r.interleavings,
                   r.reduced ? "distinct " : "", r.complete ? "" : " (INCOMPLETE: limit reached)", r.seconds,
                   r.stepsExecuted, r.longest);
  if (r.reduced)
    o += fmt::format("  (schedules that only reorder independent steps count once; {} redundant branches were cut; "
                     "--no-reduction counts every schedule)\n",
                     r.sleepBlocked);
  auto line = [&](const char* name, uint64_t n) {
    if (n) o += fmt::format("  {:<22} {:>10}\n", name, n);
  };
  line("clean", r.clean);
  line("fatal error", r.fatal);
  line("silently corrupted", r.corrupt);
  line("panic", r.panic);
  line("deadlock", r.deadlock);
  line("other (step limit)", r.other);
  o += "by outcome (replay one with --schedule):\n";
  for (auto& g : r.groups)
    o += fmt::format("  {:>10}  {}\n              e.g. --schedule \"{}\"\n", g.count, g.cls, formatSteps(g.example));
  return o;
}

} // namespace gomap::race
