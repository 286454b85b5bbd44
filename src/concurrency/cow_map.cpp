#include "concurrency/cow_map.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "trace/state_json.hpp"

namespace gomap::race::cow {

std::string_view variantName(Variant v) {
  switch (v) {
  case Variant::PtrCas: return "ptrcas";
  case Variant::ValueStore: return "valuestore";
  case Variant::ValueCas: return "valuecas";
  case Variant::PtrStore: return "ptrstore";
  case Variant::InPlace: return "inplace";
  }
  return "?";
}

std::optional<Variant> parseVariant(std::string_view s) {
  for (Variant v : {Variant::PtrCas, Variant::ValueStore, Variant::ValueCas, Variant::PtrStore, Variant::InPlace})
    if (variantName(v) == s) return v;
  return std::nullopt;
}

bool KeyLess::operator()(const KeyValue& a, const KeyValue& b) const {
  if (a.kind == KeyKind::String) return a.s < b.s;
  return a.i < b.i;
}

std::string uncomparablePanic(KeyKind k) {
  return fmt::format("runtime error: comparing uncomparable type map[{}]int", k == KeyKind::String ? "string" : "int64");
}

namespace {
bool isPtr(Variant v) { return v == Variant::PtrCas || v == Variant::PtrStore || v == Variant::InPlace; }
} // namespace

std::string_view siteName(Site s) {
  switch (s) {
  case Site::PtrLoad: return "ptr-load";
  case Site::Copy: return "copy";
  case Site::Insert: return "insert";
  case Site::PtrCas: return "ptr-cas";
  case Site::PtrStore: return "ptr-store";
  case Site::MuLock: return "mu-lock";
  case Site::ValueLoad: return "value-load";
  case Site::ValueStore: return "value-store";
  case Site::MuUnlock: return "mu-unlock";
  case Site::ValueCas: return "value-cas";
  case Site::Lookup: return "lookup";
  case Site::kCount: break;
  }
  return "?";
}

bool readsWord(Site s) {
  return s == Site::PtrLoad || s == Site::ValueLoad || s == Site::PtrCas || s == Site::ValueCas ||
         s == Site::PtrStore || s == Site::ValueStore;
}

// Lines of tests/concurrency/cow_go/cow.go (cow_test checks that each names the statement).
int callerLine(Site s, Variant v, bool store) {
  switch (s) {
  case Site::PtrLoad:
    if (v == Variant::PtrCas) return store ? 33 : 42;
    return store ? 57 : 63;
  case Site::PtrCas: return 35;
  case Site::PtrStore: return 59;
  case Site::ValueLoad:
    if (v == Variant::ValueStore) return store ? 78 : 85;
    return store ? 97 : 107;
  case Site::ValueStore: return 80;
  case Site::ValueCas: return 100;
  default: return 0;
  }
}

SiteInfo siteInfo(Site s, Variant v, bool store) {
  switch (s) {
  case Site::PtrLoad: return {"sync/atomic.(*Pointer[...]).Load", "sync/atomic/type.go", 50, "return (*T)(LoadPointer(&x.v))"};
  case Site::Copy: return {"main.copyWith", "cow.go", 14, "m := make(map[K]int, len(old)+1); for k2, v2 := range old { m[k2] = v2 }"};
  case Site::Insert: return {"main.copyWith", "cow.go", 18, "m[k] = v (in the private copy)"};
  case Site::PtrCas:
    return {"sync/atomic.(*Pointer[...]).CompareAndSwap", "sync/atomic/type.go", 60,
            "return CompareAndSwapPointer(&x.v, unsafe.Pointer(old), unsafe.Pointer(new)) (compares pointers)"};
  case Site::PtrStore: return {"sync/atomic.(*Pointer[...]).Store", "sync/atomic/type.go", 53, "StorePointer(&x.v, unsafe.Pointer(val))"};
  case Site::MuLock: return {"main.(*ValueStore[...]).Store", "cow.go", 77, "c.mu.Lock()"};
  case Site::ValueLoad: return {"sync/atomic.(*Value).Load", "sync/atomic/value.go", 35, "typ := LoadPointer(&vp.typ); data := LoadPointer(&vp.data)"};
  case Site::ValueStore: return {"sync/atomic.(*Value).Store", "sync/atomic/value.go", 80, "StorePointer(&vp.data, vlp.data) (the first Store: lines 60-66)"};
  case Site::MuUnlock: return {"main.(*ValueStore[...]).Store", "cow.go", 81, "c.mu.Unlock()"};
  case Site::ValueCas: return {"sync/atomic.(*Value).CompareAndSwap", "sync/atomic/value.go", 185, "if i != old (== on two interfaces: runtime.efaceeq compares their dynamic values)"};
  case Site::Lookup: {
    const int line = isPtr(v) ? (v == Variant::PtrCas ? 43 : 64) : (v == Variant::ValueStore ? 86 : 108);
    (void)store;
    return {"main.(*...).Load", "cow.go", line, "v, ok := m[k] (the version loaded: immutable)"};
  }
  case Site::kCount: break;
  }
  return {"?", "?", 0, "?"};
}

void CowMap::init(const std::vector<std::pair<KeyValue, int64_t>>& entries) {
  published_.reset();
  nextId_ = 1;
  casFailures_ = 0;
  if (isPtr(variant_) || !entries.empty()) {
    auto v = std::make_shared<Version>();
    v->id = nextId_++;
    for (auto& [k, x] : entries) v->m[k] = x;
    published_ = std::move(v);
  }
}

Run CowMap::start(bool store, const KeyValue& k, int64_t v) const {
  Run r;
  r.store = store;
  r.key = k;
  r.value = v;
  if (store && variant_ == Variant::ValueStore) r.next = Site::MuLock;
  else r.next = isPtr(variant_) ? Site::PtrLoad : Site::ValueLoad;
  return r;
}

void CowMap::lockTaken(Run& r) const {
  if (r.next != Site::MuLock) throw std::logic_error("cow: lockTaken outside c.mu.Lock()");
  r.next = Site::ValueLoad;
}

CowEvent CowMap::step(Run& r) {
  if (r.done || r.next == Site::MuLock) throw std::logic_error("cow: step of a finished run or at c.mu.Lock()");
  CowEvent e;
  e.site = r.next;
  auto id = [](const auto& p) { return p ? p->id : 0u; };
  switch (r.next) {
  case Site::PtrLoad:
  case Site::ValueLoad:
    r.held = published_;
    r.heldLoaded = true;
    e.entries = r.held ? static_cast<uint32_t>(r.held->m.size()) : 0;
    r.next = r.store ? Site::Copy : Site::Lookup;
    break;
  case Site::Copy: {
    auto c = std::make_shared<Version>();
    c->id = nextId_++;
    if (r.held) c->m = r.held->m;
    e.entries = static_cast<uint32_t>(c->m.size());
    r.copy = std::move(c);
    r.next = Site::Insert;
    break;
  }
  case Site::Insert:
    r.copy->m[r.key] = r.value;
    e.entries = static_cast<uint32_t>(r.copy->m.size());
    r.next = variant_ == Variant::PtrCas     ? Site::PtrCas
             : variant_ == Variant::PtrStore ? Site::PtrStore
             : variant_ == Variant::ValueCas ? Site::ValueCas
                                             : Site::ValueStore;
    break;
  case Site::PtrCas:
    e.swapped = published_.get() == r.held.get(); // the pointers, never the maps
    if (e.swapped) {
      published_ = r.copy;
      e.ends = true;
    } else {
      e.retry = true;
      casFailures_++;
      r.retries++;
      r.next = Site::PtrLoad;
    }
    break;
  case Site::PtrStore:
    published_ = r.copy;
    e.ends = true;
    break;
  case Site::ValueStore:
    published_ = r.copy;
    r.next = Site::MuUnlock;
    break;
  case Site::MuUnlock: e.ends = true; break;
  case Site::ValueCas:
    if (!published_) {
      // value.go:147-164: an empty Value; no comparison: old must be nil.
      e.swapped = !r.held;
      if (e.swapped) published_ = r.copy;
    } else if (r.held) {
      // value.go:185: i != old compares two map[K]int interfaces: runtime.efaceeq panics.
      e.panics = true;
      e.ends = true;
    }
    // else: the Value holds a map and old is nil: different dynamic types, unequal, false (value.go:186).
    if (e.panics) break;
    if (e.swapped) {
      e.ends = true;
    } else {
      e.retry = true;
      casFailures_++;
      r.retries++;
      r.next = Site::ValueLoad;
    }
    break;
  case Site::Lookup: {
    const Version* v = r.held.get();
    auto it = v ? v->m.find(r.key) : decltype(v->m.end()){};
    r.found = v && it != v->m.end();
    r.result = r.found ? it->second : 0;
    e.found = r.found;
    e.value = r.result;
    e.entries = v ? static_cast<uint32_t>(v->m.size()) : 0;
    e.ends = true;
    break;
  }
  case Site::MuLock:
  case Site::kCount: break;
  }
  if (e.retry) {
    r.heldLoaded = false;
    r.held.reset();
    r.copy.reset();
  }
  if (e.ends) r.done = true;
  e.held = id(r.held);
  e.made = id(r.copy);
  // (a step that does not touch the word does not see which version is published)
  e.published = readsWord(e.site) ? id(published_) : 0;
  return e;
}

void appendVersionJson(std::string& out, const Version* v) {
  if (!v) {
    out += "null";
    return;
  }
  out += fmt::format("{{\"id\":{},\"m\":{{", v->id);
  bool first = true;
  for (auto& [k, x] : v->m) {
    if (!first) out.push_back(',');
    first = false;
    appendJsonBytes(out, k.kind == KeyKind::String ? k.s : std::to_string(k.i));
    out += fmt::format(":{}", x);
  }
  out += "}}";
}

void appendCowEventJson(std::string& out, const CowEvent& e, Variant v, bool store, uint64_t index, uint64_t opIndex) {
  const SiteInfo si = siteInfo(e.site, v, store);
  out += fmt::format("{{\"i\":{},\"op\":{},\"kind\":\"cow\",\"site\":\"{}\",\"fn\":\"{}\",\"file\":\"{}\",\"line\":{}", index,
                     opIndex, siteName(e.site), si.function, si.file, si.line);
  if (const int c = callerLine(e.site, v, store)) out += fmt::format(",\"callerLine\":{}", c);
  auto id = [](uint32_t x) { return x ? std::to_string(x) : std::string("null"); };
  out += fmt::format(",\"held\":{},\"copy\":{},\"entries\":{}", id(e.held), id(e.made), e.entries);
  if (readsWord(e.site)) out += fmt::format(",\"published\":{}", id(e.published));
  if (e.site == Site::PtrCas || e.site == Site::ValueCas)
    out += fmt::format(",\"swapped\":{},\"retry\":{}", e.swapped, e.retry);
  if (e.panics) out += ",\"panic\":true";
  if (e.site == Site::Lookup) out += fmt::format(",\"found\":{},\"value\":{}", e.found, e.value);
  if (e.ends) out += ",\"returns\":true";
  out += "}";
}

void appendCowState(std::string& out, const CowMap& m, const std::vector<HeldBy>& runs) {
  out += fmt::format(",\"cow\":{{\"variant\":\"{}\",\"published\":", variantName(m.variant()));
  appendVersionJson(out, m.published().get());
  out += fmt::format(",\"versionsMade\":{},\"casFailures\":{},\"held\":[", m.versionsMade(), m.casFailures());
  bool first = true;
  for (const HeldBy& h : runs) {
    if (!h.run) continue;
    if (!first) out.push_back(',');
    first = false;
    out += fmt::format("{{\"g\":{},\"old\":", h.g);
    if (h.run->heldLoaded) appendVersionJson(out, h.run->held.get());
    else out += "null";
    out += ",\"copy\":";
    appendVersionJson(out, h.run->copy.get());
    out += fmt::format(",\"retries\":{}}}", h.run->retries);
  }
  out += "]}";
}

} // namespace gomap::race::cow
