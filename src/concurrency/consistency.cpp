#include "concurrency/consistency.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "concurrency/world.hpp"

namespace gomap::race {

namespace {

constexpr std::string_view kKinds[] = {"lost-insert",    "lost-delete",  "extra-key",   "wrong-value",
                                       "duplicate-key",  "count",        "wrong-get",   "iter-duplicate",
                                       "iter-missing",   "iter-phantom", "invariant",   "order"};

constexpr int kChainLimit = 100'000;

// The model's key: the bytes that decide Go's key equality (+0 and -0 are one
// key). NaN never equals itself: each stored NaN is its own key.
std::optional<std::string> canon(const KeyValue& k) {
  std::string s;
  switch (k.kind) {
  case KeyKind::Int64:
  case KeyKind::Int32:
    s.resize(8);
    std::memcpy(s.data(), &k.i, 8);
    return s;
  case KeyKind::Float64: {
    if (k.f != k.f) return std::nullopt;
    double d = k.f == 0 ? 0.0 : k.f;
    s.resize(8);
    std::memcpy(s.data(), &d, 8);
    return s;
  }
  case KeyKind::String: return "s" + k.s;
  }
  return s;
}

uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
uint64_t hashBytes(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return mix(h);
}
uint64_t entryHash(const std::string& k, int64_t v) { return mix(hashBytes(k) ^ mix(static_cast<uint64_t>(v) + 0x9e37)); }

struct Model {
  std::unordered_map<std::string, int64_t> kv;
  int64_t nans = 0; // stored NaN keys (each distinct)
  uint64_t hash = 0;
  void set(const std::string& k, int64_t v) {
    auto it = kv.find(k);
    if (it != kv.end()) {
      hash -= entryHash(k, it->second);
      it->second = v;
    } else {
      kv.emplace(k, v);
    }
    hash += entryHash(k, v);
  }
  void erase(const std::string& k) {
    auto it = kv.find(k);
    if (it == kv.end()) return;
    hash -= entryHash(k, it->second);
    kv.erase(it);
  }
  uint64_t fullHash() const { return hash ^ mix(static_cast<uint64_t>(nans) + 77); }
};

// A range loop's window: what the map held between the loop's first and last
// step, in one order.
struct IterWin {
  std::map<std::string, int64_t> start;              // contents when the loop began
  std::set<std::string> removed;                     // keys of `start` removed at some point since
  std::map<std::string, std::set<int64_t>> seen;     // every key/value present at some point
  uint64_t hash() const {
    uint64_t h = 0;
    for (auto& r : removed) h += hashBytes(r);
    for (auto& [k, vs] : seen)
      for (auto v : vs) h += entryHash(k, v) * 3;
    return mix(h);
  }
};

struct Item {
  int rec;
  uint8_t phase; // 0: whole op; 1: iteration begins; 2: iteration ends
  uint64_t start, end;
};

struct Searcher {
  const World& w;
  const std::vector<OpRecord>& hist;
  std::vector<std::vector<Item>> items;
  bool strict = false;
  uint64_t budget;
  // state
  Model model;
  std::vector<std::size_t> pos;
  std::vector<std::optional<IterWin>> open;
  std::unordered_set<uint64_t> visited;
  uint64_t nodes = 0;
  bool exhausted = false;
  bool success = false;
  // strict goal
  std::map<std::string, int64_t> goal;
  int64_t goalNans = 0;
  // relaxed outputs
  std::vector<std::pair<std::map<std::string, int64_t>, int64_t>> finals;
  std::unordered_set<uint64_t> finalHashes;
  std::map<int, std::set<std::pair<bool, int64_t>>> getResults;
  std::map<int, bool> iterOk;
  std::map<int, std::set<std::string>> iterRequired; // intersection over orders
  std::map<int, bool> iterRequiredInit;
  std::map<int, std::map<std::string, std::set<int64_t>>> iterAllowed; // union over orders

  Searcher(const World& world, uint64_t b) : w(world), hist(world.history()), budget(b) {
    items.resize(world.goroutines());
    for (std::size_t i = 0; i < hist.size(); i++) {
      const OpRecord& r = hist[i];
      if (!r.finished || r.result.outcome != Outcome::Ok) continue; // a panicked write changed nothing
      const Instr& in = world.scenario().programs[r.g - 1].code[r.instr];
      if (in.kind == Instr::Kind::Iter) {
        items[r.g - 1].push_back({static_cast<int>(i), 1, r.startStep, r.endStep});
        items[r.g - 1].push_back({static_cast<int>(i), 2, r.startStep, r.endStep});
      } else {
        items[r.g - 1].push_back({static_cast<int>(i), 0, r.startStep, r.endStep});
      }
    }
    pos.assign(items.size(), 0);
    open.resize(items.size());
    for (auto& [k, v] : world.initialContents()) {
      auto c = canon(k);
      if (c) model.set(*c, v);
      else model.nans++;
    }
  }

  const Instr& instrOf(int rec) const { return w.scenario().programs[hist[rec].g - 1].code[hist[rec].instr]; }

  bool eligible(std::size_t g) const {
    const Item& x = items[g][pos[g]];
    for (std::size_t h = 0; h < items.size(); h++) {
      if (h == g || pos[h] >= items[h].size()) continue;
      if (items[h][pos[h]].end < x.start) return false;
    }
    return true;
  }

  uint64_t stateHash() const {
    uint64_t h = model.fullHash();
    for (std::size_t g = 0; g < pos.size(); g++) {
      h = mix(h ^ (pos[g] + 1) * 0x9e3779b97f4a7c15ULL * (g + 1));
      if (open[g]) h = mix(h ^ open[g]->hash());
    }
    return h;
  }

  // Keeps every open window up to date after the model changed key k.
  void noteWrite(const std::string& k, std::optional<int64_t> now, std::vector<IterWin>* saved) {
    for (auto& o : open) {
      if (!o) continue;
      (void)saved;
      if (now) o->seen[k].insert(*now);
      else if (o->start.count(k)) o->removed.insert(k);
    }
  }

  void checkIterEnd(int rec, const IterWin& win, bool& ok) {
    const OpRecord& r = hist[rec];
    ok = true;
    std::set<std::string> yielded;
    for (std::size_t i = 0; i < r.keys.size(); i++) {
      auto c = canon(r.keys[i]);
      if (!c) continue;
      yielded.insert(*c);
      auto it = win.seen.find(*c);
      if (it == win.seen.end() || !it->second.count(r.vals[i])) ok = false;
    }
    std::set<std::string> required;
    for (auto& [k, v] : win.start)
      if (!win.removed.count(k)) {
        required.insert(k);
        if (!yielded.count(k)) ok = false;
      }
    if (!strict) {
      iterOk[rec] = iterOk[rec] || ok;
      if (!iterRequiredInit[rec]) {
        iterRequired[rec] = required;
        iterRequiredInit[rec] = true;
      } else {
        std::set<std::string> both;
        for (auto& k : iterRequired[rec])
          if (required.count(k)) both.insert(k);
        iterRequired[rec] = std::move(both);
      }
      auto& allowed = iterAllowed[rec];
      for (auto& [k, vs] : win.seen) allowed[k].insert(vs.begin(), vs.end());
    }
  }

  void atEnd() {
    std::map<std::string, int64_t> fin(model.kv.begin(), model.kv.end());
    if (strict) {
      if (fin == goal && model.nans == goalNans) success = true;
      return;
    }
    uint64_t h = model.fullHash();
    if (finalHashes.insert(h).second && finals.size() < 4096) finals.emplace_back(std::move(fin), model.nans);
  }

  void dfs() {
    if (success || exhausted) return;
    if (++nodes > budget) {
      exhausted = true;
      return;
    }
    if (!visited.insert(stateHash()).second) return;
    bool pending = false;
    for (std::size_t g = 0; g < items.size(); g++) {
      if (pos[g] >= items[g].size()) continue;
      pending = true;
      if (!eligible(g)) continue;
      const Item& x = items[g][pos[g]];
      const OpRecord& r = hist[x.rec];
      const Instr& in = instrOf(x.rec);
      // Apply, remembering how to undo.
      std::optional<std::string> key;
      if (in.kind == Instr::Kind::Put || in.kind == Instr::Kind::Del || in.kind == Instr::Kind::Get) key = canon(in.key);
      std::optional<int64_t> prev;
      bool hadPrev = false;
      Model savedModel;
      std::vector<std::optional<IterWin>> savedOpen;
      bool restoreAll = false;
      bool skip = false;
      switch (x.phase) {
      case 1:
        savedOpen = open;
        restoreAll = true;
        {
          IterWin win;
          for (auto& [k, v] : model.kv) {
            win.start.emplace(k, v);
            win.seen[k].insert(v);
          }
          open[g] = std::move(win);
        }
        break;
      case 2: {
        bool ok;
        checkIterEnd(x.rec, *open[g], ok);
        if (strict && !ok) skip = true;
        savedOpen = open;
        restoreAll = true;
        open[g].reset();
        break;
      }
      default:
        switch (in.kind) {
        case Instr::Kind::Put:
          if (!key) {
            model.nans++;
            break;
          }
          if (auto it = model.kv.find(*key); it != model.kv.end()) {
            prev = it->second;
            hadPrev = true;
          }
          savedOpen = open;
          restoreAll = true;
          model.set(*key, in.value);
          noteWrite(*key, in.value, nullptr);
          break;
        case Instr::Kind::Del:
          if (!key) break;
          if (auto it = model.kv.find(*key); it != model.kv.end()) {
            prev = it->second;
            hadPrev = true;
            savedOpen = open;
            restoreAll = true;
            model.erase(*key);
            noteWrite(*key, std::nullopt, nullptr);
          }
          break;
        case Instr::Kind::Get: {
          std::pair<bool, int64_t> res{false, 0};
          if (key)
            if (auto it = model.kv.find(*key); it != model.kv.end()) res = {true, it->second};
          if (strict) {
            if (res.first != r.access.found || (res.first && res.second != r.access.value)) skip = true;
          } else {
            getResults[x.rec].insert(res);
          }
          break;
        }
        case Instr::Kind::Clear:
          savedModel = model;
          savedOpen = open;
          restoreAll = true;
          for (auto& [k, v] : model.kv) noteWrite(k, std::nullopt, nullptr);
          model.kv.clear();
          model.nans = 0;
          model.hash = 0;
          break;
        default: break;
        }
      }
      if (!skip) {
        pos[g]++;
        dfs();
        pos[g]--;
      }
      // Undo.
      if (x.phase == 0) {
        if (in.kind == Instr::Kind::Clear) {
          model = std::move(savedModel);
        } else if (in.kind == Instr::Kind::Put) {
          if (!key) model.nans--;
          else if (hadPrev) model.set(*key, *prev);
          else model.erase(*key);
        } else if (in.kind == Instr::Kind::Del && hadPrev) {
          model.set(*key, *prev);
        }
      }
      if (restoreAll) open = std::move(savedOpen);
      if (success || exhausted) return;
    }
    if (!pending) atEnd();
  }
};

// ---- the report's sentences, said in a words table -----------------------------------------
using Words = ConsistencyWords;
using Say = std::function<std::string(const Words&)>;

template <class... A> std::string say(std::string_view format, const A&... a) {
  return fmt::format(fmt::runtime(format), a...);
}

// An operation of the run, as its sentences name it: "G1's 'put 1 10' (x.race:26)".
struct Who {
  int g = 0;
  std::string text, file;
  int line = 0;
};
std::string whoText(const Words& w, const Who& x) { return say(w.who, x.g, x.text, x.file, x.line); }

std::string keyList(const Words& w, const std::vector<std::string>& ks, std::size_t max = 6) {
  std::string s;
  for (std::size_t i = 0; i < ks.size() && i < max; i++) s += (i ? std::string(w.listSep) : "") + ks[i];
  if (ks.size() > max) s = say(w.andMore, s, ks.size() - max);
  return s;
}
std::string whoList(const Words& w, const std::vector<Who>& ws) {
  std::vector<std::string> t;
  for (const Who& x : ws) t.push_back(whoText(w, x));
  return keyList(w, t);
}
// One value, or "one of 1, 2": values are numbers, or a get's "not found" (nullopt).
std::string valuesText(const Words& w, const std::vector<std::optional<int64_t>>& vs) {
  std::vector<std::string> t;
  for (const auto& v : vs) t.push_back(v ? std::to_string(*v) : std::string(w.notFound));
  return t.size() == 1 ? t[0] : say(w.oneOf, keyList(w, t));
}

Sentence sentence(Say s) {
  Sentence x;
  x.text = s(kConsistencyWordsEn);
  x.say = std::move(s);
  return x;
}
void addFinding(ConsistencyReport& rep, std::string kind, Say s) {
  Finding f;
  static_cast<Sentence&>(f) = sentence(std::move(s));
  f.kind = std::move(kind);
  rep.findings.push_back(std::move(f));
}
// A finding in the engine's words only (an invariant checker's text).
void addFindingText(ConsistencyReport& rep, std::string kind, std::string text) {
  Finding f;
  f.text = std::move(text);
  f.kind = std::move(kind);
  rep.findings.push_back(std::move(f));
}

} // namespace

bool isCorruptionKind(std::string_view k) {
  for (auto x : kKinds)
    if (x == k) return true;
  return false;
}

std::string corruptionKindList() {
  std::string s;
  for (auto x : kKinds) s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

std::vector<std::string> ConsistencyReport::kinds() const {
  std::set<std::string> k;
  for (auto& f : findings) k.insert(f.kind);
  return {k.begin(), k.end()};
}

std::string ConsistencyReport::kindsText() const {
  std::string s;
  for (auto& k : kinds()) s += (s.empty() ? "" : ",") + k;
  return s;
}

std::vector<Cell> liveCells(const AnyMap& m) {
  std::vector<Cell> out;
  if (m.isNil()) return out;
  const Hmap& h = m.header();
  std::vector<BmapView> chain;
  auto walk = [&](bool old, uint64_t n) {
    for (uint64_t b = 0; b < n; b++) {
      if (m.chainLength(old, b) > kChainLimit) continue; // a cycle: reported by the invariant checker
      m.chain(old, b, chain);
      for (std::size_t c = 0; c < chain.size(); c++)
        for (int s = 0; s < bucketCnt; s++)
          if (chain[c].tophash[s] >= minTopHash)
            out.push_back(Cell{chain[c].keys[s], chain[c].elems[s], old, b, static_cast<int>(c), s});
    }
  };
  if (h.buckets) walk(false, bucketShift(h.B));
  if (h.oldbuckets) walk(true, m.noldbuckets());
  return out;
}

// The Swiss map's full slots (table = position in tables(), or -1 for the
// small group; chain = the group; slot = the slot), and m.used.
std::vector<Cell> liveCells(const swiss::AnySwiss& m) {
  std::vector<Cell> out;
  if (m.isNil()) return out;
  swiss::GroupView g;
  auto group = [&](int table, uint64_t gi) {
    for (unsigned s = 0; s < swiss::MapGroupSlots; s++)
      if ((g.ctrlByte(s) & swiss::ctrlEmpty) == 0)
        out.push_back(Cell{g.keys[s], g.elems[s], false, static_cast<uint64_t>(table), static_cast<int>(gi),
                           static_cast<int>(s), true});
  };
  if (m.hasSmallGroup()) {
    m.smallGroup(g);
    group(-1, 0);
    return out;
  }
  const auto tabs = m.tables();
  for (std::size_t t = 0; t < tabs.size(); t++)
    for (uint64_t gi = 0; gi < tabs[t].groups; gi++) {
      m.group(t, gi, g);
      group(static_cast<int>(t), gi);
    }
  return out;
}

namespace {

// A sync.Map run: its invariants, then one sequential order of the methods
// (program order and real time respected) that gives every result and the
// final contents. Range is weak in Go ("Range does not necessarily correspond
// to any consistent snapshot"): its calls are checked only for a key visited
// twice, not ordered.
ConsistencyReport checkSyncMapConsistency(const World& w, uint64_t nodeBudget) {
  using C = syncmap::SyncOpCode;
  ConsistencyReport rep;
  const auto& hist = w.history();
  const Scenario& sc = w.scenario();
  const bool cowMap = w.isCow(); // a copy-on-write map: the same check on its published version
  auto what = [cowMap](const Words& ws) { return cowMap ? ws.cowMap : ws.syncMap; };
  if (!cowMap)
    for (auto& v : w.syncMap().checkInvariants()) addFindingText(rep, "invariant", v);
  using State = std::map<std::string, int64_t>;
  auto key = [](const KeyValue& k) { return k.kind == KeyKind::String ? "s" + k.s : fmt::format("i{}", k.i); };
  State start, final;
  for (auto& [k, v] : w.initialContents()) start[key(k)] = v;
  if (cowMap) {
    if (const auto& p = w.cowMap().published())
      for (const auto& [k, v] : p->m) final[key(k)] = v;
  } else {
    // The final contents: keys with a value, in read.m or dirty.
    const syncmap::SyncMap& m = w.syncMap();
    for (const syncmap::KeyMap* km : std::initializer_list<const syncmap::KeyMap*>{m.read() ? m.read()->m.get() : nullptr, m.dirty()})
      if (km)
        for (const auto& [k, e] : *km)
          if (e->p == syncmap::PState::Value) final[key(k)] = e->value;
  }
  std::vector<std::vector<std::size_t>> perG(static_cast<std::size_t>(w.goroutines()));
  std::size_t nOps = 0;
  for (std::size_t i = 0; i < hist.size(); i++) {
    const OpRecord& r = hist[i];
    const Instr& in = sc.programs[r.g - 1].code[r.instr];
    if (!r.finished || in.kind != Instr::Kind::SyncMap) continue;
    if (r.result.outcome != Outcome::Ok) continue; // a recovered panic (valuecas): the method did not complete
    if (in.syncOp == C::Range) {
      std::set<std::string> seen;
      for (auto& k : r.keys)
        if (!seen.insert(key(k)).second)
          addFinding(rep, "iter-duplicate", [who = Who{r.g, in.text, sc.file, in.line}, k = keyText(k)](const Words& ws) {
            return say(ws.fTwice, whoText(ws, who), k);
          });
      continue;
    }
    perG[static_cast<std::size_t>(r.g - 1)].push_back(i);
    nOps++;
  }
  // Applies op i to st; false when its result is not what this state gives.
  auto apply = [&](std::size_t i, State& st) {
    const OpRecord& r = hist[i];
    const Instr& in = sc.programs[r.g - 1].code[r.instr];
    const std::string k = key(in.key);
    auto it = st.find(k);
    const bool has = it != st.end();
    const int64_t cur = has ? it->second : 0;
    switch (in.syncOp) {
    case C::Store: st[k] = in.value; return true;
    case C::Load: return r.access.found == has && (!has || r.access.value == cur);
    case C::LoadOrStore:
      if (r.access.found != has) return false;
      if (has) return r.access.value == cur;
      st[k] = in.value;
      return r.access.value == in.value;
    case C::LoadAndDelete:
    case C::Delete:
      if (r.access.found != has || (has && r.access.value != cur)) return false;
      if (has) st.erase(it);
      return true;
    case C::Range: return true;
    }
    return true;
  };
  std::vector<std::size_t> pos(perG.size(), 0);
  std::set<std::pair<std::vector<std::size_t>, State>> seen;
  uint64_t nodes = 0;
  bool found = false, exhausted = false;
  std::function<void(State&)> dfs = [&](State& st) {
    if (found || exhausted) return;
    if (++nodes > nodeBudget) {
      exhausted = true;
      return;
    }
    bool all = true;
    for (std::size_t g = 0; g < perG.size(); g++) all = all && pos[g] == perG[g].size();
    if (all) {
      found = st == final;
      return;
    }
    if (!seen.insert({pos, st}).second) return;
    for (std::size_t g = 0; g < perG.size() && !found; g++) {
      if (pos[g] == perG[g].size()) continue;
      const OpRecord& c = hist[perG[g][pos[g]]];
      bool ok = true; // no other goroutine's next op finished before c started
      for (std::size_t h = 0; h < perG.size() && ok; h++)
        if (h != g && pos[h] < perG[h].size() && hist[perG[h][pos[h]]].endStep < c.startStep) ok = false;
      if (!ok) continue;
      State next = st;
      if (!apply(perG[g][pos[g]], next)) continue;
      pos[g]++;
      dfs(next);
      pos[g]--;
    }
  };
  State st = start;
  dfs(st);
  rep.ordersExplored = nodes;
  if (exhausted) {
    rep.partial = true;
    rep.notes.push_back(sentence([](const Words& ws) { return std::string(ws.syncBudget); }));
  } else if (!found) {
    if (cowMap) // a copy-on-write map only stores and loads: a stored key missing at the end was lost
      for (std::size_t i = 0; i < hist.size(); i++) {
        const OpRecord& r = hist[i];
        const Instr& in = sc.programs[r.g - 1].code[r.instr];
        if (r.finished && r.result.outcome == Outcome::Ok && in.syncOp == C::Store && !final.count(key(in.key)))
          addFinding(rep, "lost-insert",
                     [who = Who{r.g, in.text, sc.file, in.line}, k = keyText(in.key),
                      v = w.cowMap().published() ? w.cowMap().published()->id : 0](const Words& ws) {
                       return say(ws.cowLost, whoText(ws, who), k, v);
                     });
      }
    addFinding(rep, "order", [what](const Words& ws) { return say(ws.syncOrder, what(ws)); });
  }
  rep.consistent = rep.findings.empty();
  rep.notes.insert(rep.notes.begin(), sentence([what, n = final.size()](const Words& ws) {
                     return say(ws.syncNote, what(ws), n, n == 1 ? std::string_view() : ws.plural);
                   }));
  if (rep.consistent)
    rep.notes.push_back(sentence([what, nOps](const Words& ws) { return say(ws.syncConsistent, nOps, what(ws)); }));
  return rep;
}

} // namespace

ConsistencyReport checkConsistency(const World& w, uint64_t nodeBudget) {
  if (w.isSyncMap() || w.isCow()) return checkSyncMapConsistency(w, nodeBudget);
  ConsistencyReport rep;
  const auto& hist = w.history();
  const Scenario& sc = w.scenario();
  auto who = [&](int rec) {
    const OpRecord& r = hist[rec];
    const Instr& in = sc.programs[r.g - 1].code[r.instr];
    return Who{r.g, in.text, sc.file, in.line};
  };

  // 1. The memory itself.
  std::vector<Cell> cells = w.isSharded() ? shardedLiveCells(w) : w.isSwiss() ? liveCells(w.swissMap()) : liveCells(w.map());
  const int64_t count = w.isSharded() ? shardedCount(w)
                        : w.isSwiss() ? static_cast<int64_t>(w.swissMap().header().used)
                                      : w.map().header().count;
  if (static_cast<int64_t>(cells.size()) != count)
    addFinding(rep, "count", [swiss = w.isSwiss(), count, n = cells.size()](const Words& ws) {
      return say(ws.countLive, swiss ? "m.used" : "h.count", count, n, swiss ? ws.slot : ws.cell,
                 n == 1 ? ws.isOne : ws.areMany);
    });
  std::map<std::string, std::vector<const Cell*>> byKey;
  std::map<std::string, KeyValue> display;
  int64_t nans = 0;
  for (auto& c : cells) {
    auto k = canon(c.key);
    if (!k) {
      nans++;
      continue;
    }
    byKey[*k].push_back(&c);
    display.emplace(*k, c.key);
  }
  for (auto& [k, cs] : byKey) {
    if (cs.size() < 2) continue;
    std::vector<Cell> where;
    for (auto* c : cs) where.push_back(*c);
    addFinding(rep, "duplicate-key", [key = keyText(display[k]), where](const Words& ws) {
      std::string places;
      for (const Cell& c : where) {
        if (!places.empty()) places += ws.listSep;
        places += c.swiss ? say(ws.placeSwiss,
                                static_cast<int64_t>(c.bucket) < 0 ? std::string(ws.smallGroup) : say(ws.tableGroup, c.bucket, c.chain),
                                c.slot, c.value)
                          : say(ws.placeClassic, c.old ? ws.oldArray : ws.newArray, c.bucket,
                                c.chain ? say(ws.overflow, c.chain) : std::string(), c.slot, c.value);
      }
      return say(ws.duplicateKey, key, where.size(), places);
    });
  }
  if (w.isSharded()) {
    for (auto& v : shardedInvariants(w)) addFindingText(rep, "invariant", v);
  } else if (w.isSwiss()) {
    for (auto& v : w.swissMap().checkInvariants()) addFindingText(rep, "invariant", v);
  } else {
    for (auto& v : w.map().checkInvariants()) {
      if (v.kind == InvariantKind::DuplicateKey || v.kind == InvariantKind::CountMismatch) continue; // reported above
      addFindingText(rep, "invariant", v.text);
    }
  }

  // 2. Range loops that produced a key twice.
  for (std::size_t i = 0; i < hist.size(); i++) {
    const OpRecord& r = hist[i];
    if (!r.finished || sc.programs[r.g - 1].code[r.instr].kind != Instr::Kind::Iter) continue;
    std::map<std::string, int> n;
    for (auto& k : r.keys)
      if (auto c = canon(k)) n[*c]++;
    for (auto& [k, c] : n)
      if (c > 1) {
        KeyValue kv;
        for (auto& x : r.keys)
          if (canon(x) == k) kv = x;
        // times = c: clang 14 cannot capture a structured binding.
        addFinding(rep, "iter-duplicate", [who = who(static_cast<int>(i)), k = keyText(kv), times = c](const Words& ws) {
          return say(ws.iterDuplicate, whoText(ws, who), k, times);
        });
      }
  }

  // 3. Every order of the operations (relaxed: collect what each could give).
  Searcher relaxed(w, nodeBudget);
  relaxed.dfs();
  rep.ordersExplored = relaxed.nodes;
  if (relaxed.exhausted) {
    rep.partial = true;
    rep.notes.push_back(sentence([nodeBudget](const Words& ws) { return say(ws.budgetRelaxed, nodeBudget); }));
  }
  std::map<std::string, int64_t> actual;
  for (auto& [k, cs] : byKey) actual[k] = cs.front()->value;
  std::size_t nOps = 0;
  for (auto& g : relaxed.items)
    for (auto& it : g) nOps += it.phase != 2;
  bool finalOk = false;
  for (auto& [f, fn] : relaxed.finals)
    if (f == actual && fn == nans) finalOk = true;
  if (!finalOk && !relaxed.finals.empty() && !relaxed.exhausted) {
    std::set<std::string> all;
    for (auto& [f, fn] : relaxed.finals)
      for (auto& [k, v] : f) all.insert(k);
    for (auto& [k, v] : actual) all.insert(k);
    // Who wrote each key (for the sentences).
    auto writers = [&](const std::string& k, bool puts) {
      std::vector<Who> ws;
      for (std::size_t i = 0; i < hist.size(); i++) {
        const Instr& in = sc.programs[hist[i].g - 1].code[hist[i].instr];
        bool match = (puts ? in.kind == Instr::Kind::Put : (in.kind == Instr::Kind::Del || in.kind == Instr::Kind::Clear)) &&
                     (in.kind == Instr::Kind::Clear || canon(in.key) == k);
        if (match) ws.push_back(who(static_cast<int>(i)));
      }
      return ws;
    };
    bool explained = false;
    for (auto& k : all) {
      std::size_t present = 0;
      std::set<int64_t> vals;
      KeyValue kv;
      for (auto& [f, fn] : relaxed.finals) {
        auto it = f.find(k);
        if (it != f.end()) {
          present++;
          vals.insert(it->second);
        }
      }
      for (auto& [ik, iv] : w.initialContents())
        if (canon(ik) == k) kv = ik;
      for (std::size_t i = 0; i < hist.size(); i++) {
        const Instr& in = sc.programs[hist[i].g - 1].code[hist[i].instr];
        if ((in.kind == Instr::Kind::Put || in.kind == Instr::Kind::Del) && canon(in.key) == k) kv = in.key;
      }
      if (display.count(k)) kv = display[k];
      auto it = actual.find(k);
      if (it == actual.end()) {
        if (present == relaxed.finals.size()) {
          addFinding(rep, "lost-insert", [key = keyText(kv), ws = writers(k, true)](const Words& w) {
            return ws.empty() ? say(w.lostInsert, key) : say(w.lostInsertBy, key, whoList(w, ws));
          });
          explained = true;
        }
        continue;
      }
      if (present == 0) {
        auto ws = writers(k, false);
        if (!ws.empty())
          addFinding(rep, "lost-delete", [key = keyText(kv), ws](const Words& w) { return say(w.lostDelete, key, whoList(w, ws)); });
        else addFinding(rep, "extra-key", [key = keyText(kv)](const Words& w) { return say(w.extraKey, key); });
        explained = true;
        continue;
      }
      if (!vals.count(it->second)) {
        std::vector<std::optional<int64_t>> vs(vals.begin(), vals.end());
        addFinding(rep, "wrong-value", [key = keyText(kv), v = it->second, vs](const Words& w) {
          return say(w.wrongValue, key, v, valuesText(w, vs));
        });
        explained = true;
      }
    }
    if (nans != relaxed.finals.front().second && !explained) {
      addFinding(rep, "wrong-value", [nans, left = relaxed.finals.front().second](const Words& w) {
        return say(w.wrongNaNs, nans, left);
      });
      explained = true;
    }
    if (!explained)
      addFinding(rep, "order", [](const Words& w) { return std::string(w.orderFinal); });
  }
  for (auto& [rec, set] : relaxed.getResults) {
    const OpRecord& r = hist[rec];
    std::pair<bool, int64_t> got{r.access.found, r.access.found ? r.access.value : 0};
    if (!set.count(got) && !relaxed.exhausted) {
      std::vector<std::optional<int64_t>> poss;
      for (auto& [f, v] : set) poss.push_back(f ? std::optional<int64_t>(v) : std::nullopt);
      const std::optional<int64_t> gotV = r.access.found ? std::optional<int64_t>(r.access.value) : std::nullopt;
      addFinding(rep, "wrong-get", [who = who(rec), gotV, poss](const Words& w) {
        return say(w.wrongGet, whoText(w, who), valuesText(w, {gotV}), valuesText(w, poss));
      });
    }
  }
  for (auto& [rec, ok] : relaxed.iterOk) {
    if (ok || relaxed.exhausted) continue;
    const OpRecord& r = hist[rec];
    std::set<std::string> yielded;
    for (std::size_t i = 0; i < r.keys.size(); i++)
      if (auto c = canon(r.keys[i])) yielded.insert(*c);
    std::vector<std::string> missing, phantom;
    for (auto& k : relaxed.iterRequired[rec])
      if (!yielded.count(k)) {
        KeyValue kv;
        for (auto& [ik, iv] : w.initialContents())
          if (canon(ik) == k) kv = ik;
        for (auto& h : hist) {
          const Instr& in = sc.programs[h.g - 1].code[h.instr];
          if (in.kind == Instr::Kind::Put && canon(in.key) == k) kv = in.key;
        }
        missing.push_back(keyText(kv));
      }
    for (std::size_t i = 0; i < r.keys.size(); i++) {
      auto c = canon(r.keys[i]);
      if (!c) continue;
      auto it = relaxed.iterAllowed[rec].find(*c);
      if (it == relaxed.iterAllowed[rec].end() || !it->second.count(r.vals[i]))
        phantom.push_back(fmt::format("{}={}", keyText(r.keys[i]), r.vals[i]));
    }
    if (!missing.empty())
      addFinding(rep, "iter-missing", [who = who(rec), missing](const Words& w) {
        return say(w.iterMissing, whoText(w, who), missing.size() == 1 ? std::string_view() : w.plural, keyList(w, missing));
      });
    if (!phantom.empty())
      addFinding(rep, "iter-phantom", [who = who(rec), phantom](const Words& w) {
        return say(w.iterPhantom, whoText(w, who), keyList(w, phantom));
      });
    if (missing.empty() && phantom.empty())
      addFinding(rep, "order", [who = who(rec)](const Words& w) { return say(w.orderIter, whoText(w, who)); });
  }

  // 4. One order for everything at once.
  if (rep.findings.empty() && !relaxed.exhausted) {
    Searcher strict(w, nodeBudget);
    strict.strict = true;
    strict.goal = actual;
    strict.goalNans = nans;
    strict.dfs();
    rep.ordersExplored += strict.nodes;
    if (strict.exhausted) {
      rep.partial = true;
      rep.notes.push_back(sentence([](const Words& w) { return std::string(w.budgetStrict); }));
    } else if (!strict.success) {
      addFinding(rep, "order", [](const Words& w) { return std::string(w.orderStrict); });
    }
  }

  rep.consistent = rep.findings.empty();
  // What was checked.
  rep.notes.insert(rep.notes.begin(),
                   sentence([swiss = w.isSwiss(), count, n = cells.size(),
                             keys = byKey.size() + static_cast<std::size_t>(nans)](const Words& ws) {
                     return say(ws.mapNote, swiss ? "m.used" : "h.count", count, n, swiss ? ws.fullSlot : ws.liveCell,
                                n == 1 ? std::string_view() : ws.plural, keys, keys == 1 ? std::string_view() : ws.plural);
                   }));
  std::vector<std::size_t> perG(w.goroutines(), 0);
  for (auto& h : hist)
    if (h.finished && h.result.outcome == Outcome::Ok) perG[h.g - 1]++;
  std::string per;
  for (std::size_t g = 0; g < perG.size(); g++) per += fmt::format("{}G{}: {}", g ? ", " : "", g + 1, perG[g]);
  if (rep.consistent)
    rep.notes.push_back(sentence([nOps, per](const Words& ws) { return say(ws.mapConsistent, nOps, per); }));
  return rep;
}

} // namespace gomap::race
