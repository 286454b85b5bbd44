#include "concurrency/sharded_map.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

#include "concurrency/scenario.hpp"
#include "concurrency/world.hpp"
#include "engine/site_footprints.hpp"
#include "trace/state_json.hpp"

namespace gomap::race {

uint32_t fnv1a32(std::string_view bytes) {
  uint32_t h = 2166136261u;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string shardKeyBytes(const KeyValue& k) {
  if (k.kind == KeyKind::String) return k.s;
  std::string b(8, '\0');
  const uint64_t u = static_cast<uint64_t>(k.i);
  for (int i = 0; i < 8; i++) b[static_cast<std::size_t>(i)] = static_cast<char>((u >> (8 * i)) & 0xff);
  return b;
}

int shardOf(const KeyValue& k, int n) { return static_cast<int>(fnv1a32(shardKeyBytes(k)) & static_cast<uint32_t>(n - 1)); }

std::string shardMutexName(int s) { return fmt::format("shard {}", s); }

namespace {

bool parseInt(std::string_view t, int64_t& out) {
  if (t.empty()) return false;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out, 10);
  return ec == std::errc() && p == t.data() + t.size();
}

SourceError at(const std::string& file, int line, int col, std::string msg) {
  return SourceError{file, line, col, std::move(msg)};
}

constexpr std::string_view kShardStatements =
    "store, load, delete, lock, unlock, rlock, runlock or for (on a sharded map: store K V, load K, delete K; "
    "lock/rlock shard(K) or shard N)";

} // namespace

bool parseShardedMake(const std::vector<Token>& toks, int lineNo, const std::string& file, Scenario& sc,
                      std::string& opLine, SourceError& err) {
  opLine.clear();
  if (toks.size() < 2 || toks[0].text != "make" || toks[1].text != "sharded") return true;
  auto fail = [&](int col, std::string msg) {
    err = at(file, lineNo, col, std::move(msg));
    return false;
  };
  constexpr std::string_view usage = "expected 'make sharded N KIND [HINT]' with N a power of two 1..64 and KIND "
                                     "string or int64";
  if (toks.size() < 4 || toks.size() > 5)
    return fail(toks.size() > 5 ? toks[5].column : toks.back().endColumn() + 1, std::string(usage));
  int64_t n = 0;
  if (!parseInt(toks[2].text, n) || n < 1 || n > kMaxShards || (n & (n - 1)) != 0)
    return fail(toks[2].column, fmt::format("expected a shard count N, a power of two 1..{}, got {:?}", kMaxShards,
                                            std::string(toks[2].text)));
  if (toks[3].text != "string" && toks[3].text != "int64")
    return fail(toks[3].column,
                fmt::format("expected the key kind string or int64 of a sharded map, got {:?}", std::string(toks[3].text)));
  int64_t hint = 0;
  if (toks.size() == 5 && (!parseInt(toks[4].text, hint) || hint < 0))
    return fail(toks[4].column, fmt::format("expected a size hint per shard (an integer >= 0), got {:?}",
                                            std::string(toks[4].text)));
  if (!sc.programs.empty() || !sc.mutexes.empty()) throw std::logic_error("make sharded after the goroutines");
  sc.shards = static_cast<int>(n);
  sc.kind = toks[3].text == "string" ? KeyKind::String : KeyKind::Int64;
  for (int s = 0; s < sc.shards; s++) sc.mutexes.push_back({shardMutexName(s), true});
  opLine = fmt::format("make {} {}", toks[3].text, hint);
  return true;
}

ShardParse parseShardedStatement(ScriptParser& ops, Scenario& sc, const std::vector<Token>& toks,
                                 const std::vector<std::string>& texts, int lineNo, std::vector<Instr>& out,
                                 SourceError& err) {
  const std::string_view verb = texts[0];
  auto fail = [&](int col, std::string msg) {
    err = at(sc.file, lineNo, col, std::move(msg));
    return ShardParse::Error;
  };
  auto endCol = [&] { return toks.back().endColumn(); };
  // A key as the op grammar reads it (the map's kind, quoting, errors at the key's column).
  auto key = [&](std::size_t i, KeyValue& k) -> bool {
    std::vector<Token> sub{{"get", toks[0].column, 0}, {texts[i], toks[i].column, toks[i].endColumn()}};
    std::optional<SourceError> e;
    auto op = ops.parseTokens(sub, lineNo, e);
    if (!op) {
      err = std::move(*e);
      return false;
    }
    k = op->key;
    return true;
  };
  auto instr = [&](Instr::Kind kind, std::string text) {
    Instr in;
    in.kind = kind;
    in.line = lineNo;
    in.column = toks[0].column;
    in.text = std::move(text);
    return in;
  };
  if (verb == "store" || verb == "load" || verb == "delete") {
    const std::size_t n = verb == "store" ? 3 : 2;
    if (toks.size() != n)
      return fail(toks.size() > n ? toks[n].column : endCol(),
                  fmt::format("expected '{}' on a sharded map", verb == "store" ? "store KEY VAL" : fmt::format("{} KEY", verb)));
    KeyValue k;
    if (!key(1, k)) return ShardParse::Error;
    int64_t v = 0;
    if (n == 3 && !parseInt(texts[2], v))
      return fail(toks[2].column, fmt::format("expected an int64 value, got {:?}", texts[2]));
    const int s = shardOf(k, sc.shards);
    const bool write = verb != "load";
    const std::string stmt = n == 3 ? fmt::format("{} {} {}", verb, texts[1], texts[2]) : fmt::format("{} {}", verb, texts[1]);
    Instr lk = instr(write ? Instr::Kind::Lock : Instr::Kind::RLock,
                     fmt::format("{} shard {} ({})", write ? "lock" : "rlock", s, stmt));
    lk.mutex = s;
    Instr op = instr(verb == "store" ? Instr::Kind::Put : verb == "delete" ? Instr::Kind::Del : Instr::Kind::Get,
                     fmt::format("{} on shard {}", stmt, s));
    op.key = k;
    op.value = v;
    op.shard = s;
    Instr ul = instr(write ? Instr::Kind::Unlock : Instr::Kind::RUnlock,
                     fmt::format("{} shard {} ({})", write ? "unlock" : "runlock", s, stmt));
    ul.mutex = s;
    out.push_back(std::move(lk));
    out.push_back(std::move(op));
    out.push_back(std::move(ul));
    return ShardParse::Handled;
  }
  if (verb == "lock" || verb == "unlock" || verb == "rlock" || verb == "runlock") {
    if (toks.size() < 2 || texts[1].rfind("shard", 0) != 0) return ShardParse::NotMine;
    const std::string& t = texts[1];
    int s = -1;
    if (t == "shard") {
      int64_t i = 0;
      if (toks.size() != 3 || !parseInt(texts[2], i) || i < 0 || i >= sc.shards)
        return fail(toks.size() > 2 ? toks[2].column : endCol(),
                    fmt::format("expected '{} shard N' with N a shard number 0..{}, or '{} shard(KEY)'", verb,
                                sc.shards - 1, verb));
      s = static_cast<int>(i);
    } else if (t.size() > 7 && t[5] == '(' && t.back() == ')') {
      if (toks.size() != 2) return fail(toks[2].column, fmt::format("expected nothing after '{} {}'", verb, t));
      // The key between the parentheses, read by the op grammar.
      const std::string inner = t.substr(6, t.size() - 7);
      std::vector<Token> two{{"get", toks[0].column, 0}, {inner, toks[1].column + 6, 0}};
      std::optional<SourceError> e;
      auto op = ops.parseTokens(two, lineNo, e);
      if (!op) {
        err = std::move(*e);
        return ShardParse::Error;
      }
      s = shardOf(op->key, sc.shards);
    } else if (t == "shard()") {
      return fail(toks[1].column + 6, "expected a key between the parentheses of shard(KEY)");
    } else {
      return ShardParse::NotMine; // a mutex of the scenario's own that begins with "shard"
    }
    Instr in = instr(verb == "lock"     ? Instr::Kind::Lock
                     : verb == "unlock" ? Instr::Kind::Unlock
                     : verb == "rlock"  ? Instr::Kind::RLock
                                        : Instr::Kind::RUnlock,
                     fmt::format("{} shard {}{}", verb, s, t == "shard" ? "" : fmt::format(" ({})", t)));
    in.mutex = s;
    out.push_back(std::move(in));
    return ShardParse::Handled;
  }
  return fail(toks[0].column, fmt::format("expected a statement ({}), got {:?}", kShardStatements, verb));
}

ShardSet::ShardSet(const Scenario& sc, std::shared_ptr<StringPool> strings, uint64_t rngSeed) {
  for (int s = 0; s < sc.shards; s++) {
    OpTarget t;
    t.strings = strings;
    t.initialRng = rngSeed;
    for (const ScriptOp& op : sc.setup) applyOp(t, op);
    if (!t.map) throw std::logic_error("a sharded scenario without its shards' make");
    maps_.push_back(std::move(t.map));
  }
  for (auto& m : maps_) {
    start_.push_back(m->snapshot());
    m->unshare();
  }
}

void ShardSet::setEvents(EventBuffer* buf, uint64_t pauseMask) {
  for (auto& m : maps_) {
    m->setEventBuffer(buf);
    m->setPauseMask(pauseMask);
  }
}

void ShardSet::restoreStart() {
  for (std::size_t i = 0; i < maps_.size(); i++) {
    maps_[i]->restore(start_[i]);
    maps_[i]->unshare();
  }
}

std::any ShardSet::snapshot() const {
  auto v = std::make_shared<std::vector<std::any>>();
  for (auto& m : maps_) {
    v->push_back(m->snapshot());
    m->unshare();
  }
  return std::shared_ptr<const std::vector<std::any>>(std::move(v));
}

void ShardSet::restore(const std::any& snap) {
  const auto& v = *std::any_cast<const std::shared_ptr<const std::vector<std::any>>&>(snap);
  for (std::size_t i = 0; i < maps_.size(); i++) {
    maps_[i]->restore(v[i]);
    maps_[i]->unshare();
  }
}

namespace {
uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}
} // namespace

uint64_t ShardSet::digest() const {
  uint64_t k = maps_.size();
  for (auto& m : maps_) {
    const Hmap& h = m->header();
    k = mix(k, m->digest());
    k = mix(k, static_cast<uint64_t>(h.count));
    k = mix(k, uint64_t{h.flags} | uint64_t{h.B} << 8 | uint64_t{h.noverflow} << 16);
    k = mix(k, h.nevacuate ^ (h.oldbuckets ? 1ULL << 63 : 0));
    k = mix(k, m->rngState());
  }
  return k;
}

std::string ShardSet::signature() const {
  std::string s;
  for (std::size_t i = 0; i < maps_.size(); i++) {
    const Hmap& h = maps_[i]->header();
    s += fmt::format("shard {} {} count {} flags {} B {} nevac {} rng {};", i, maps_[i]->digest(), h.count, h.flags, h.B,
                     h.nevacuate, maps_[i]->rngState());
  }
  return s;
}

unsigned shardObject(int s) {
  // After the classic map's names (Footprint::kCell0 + its cells): 40 names, folded.
  constexpr unsigned kBase = Footprint::kCell0 + Footprint::kBucketFold * Footprint::kChainFold * Footprint::kPerBmap;
  static_assert(kBase + 40 <= 256);
  return kBase + static_cast<unsigned>(s) % 40;
}

void addShardFootprint(Footprint& fp, int s, const Event& e) {
  // The engine's own declaration (engine/site_footprints.hpp), coarsened to
  // the shard: whatever cell, header word or fastrand state of shard s's map
  // the code leading to e reads or writes. Folding only merges objects.
  const ResolvedFootprint t = resolveFootprint(e, false);
  if (t.reads) fp.r.add(shardObject(s));
  if (t.writes) fp.w.add(shardObject(s));
}

std::vector<Cell> shardedLiveCells(const World& w) {
  std::vector<Cell> out;
  for (int s = 0; s < w.shards().size(); s++)
    for (auto& c : liveCells(w.shards().map(s))) out.push_back(c);
  return out;
}

int64_t shardedCount(const World& w) {
  int64_t n = 0;
  for (int s = 0; s < w.shards().size(); s++) n += w.shards().map(s).header().count;
  return n;
}

std::vector<std::string> shardedInvariants(const World& w) {
  std::vector<std::string> out;
  for (int s = 0; s < w.shards().size(); s++)
    for (auto& v : w.shards().map(s).checkInvariants()) {
      if (v.kind == InvariantKind::DuplicateKey) continue; // reported from the cells
      out.push_back(fmt::format("shard {}: {}", s, v.text));
    }
  return out;
}

void appendShardedState(std::string& out, const World& w) {
  const ShardSet& set = w.shards();
  out += ",\"shards\":[";
  for (int s = 0; s < set.size(); s++) {
    const MutexState& mx = w.mutex(s);
    out += fmt::format("{}{{\"shard\":{},\"mutex\":{{\"state\":{},\"readerCount\":{},\"readerWait\":{}}}", s ? "," : "",
                       s, mx.state, mx.readerCount, mx.readerWait);
    appendStateFields(out, set.map(s), true);
    out.push_back('}');
  }
  out.push_back(']');
}

} // namespace gomap::race
