// Go 1.19.8's sync.Map: the drivers around the methods of syncmap_ops.inc.
#include "engine/syncmap_impl.hpp"

#include <algorithm>
#include <set>

namespace gomap::syncmap {

SyncRun::SyncRun(SyncMap& m, const SyncRequest& r) : map_(m), req_(r), task_(m.taskOf(req_, out)), cursor_{task_.handle()} {}

bool SyncRun::step() {
  map_.held_ = &held_; // the method's HoldCell/HoldRef locals register into this run's stack
  const bool more = map_.step(task_, cursor_);
  map_.held_ = nullptr;
  if (!more) held_ = Held{}; // returned: its locals are gone
  return more;
}

OpResult SyncRun::result() { return SyncMap::finish(task_); }

Task<void> SyncMap::taskOf(const SyncRequest& r, SyncResult& out) {
  switch (r.code) {
  case SyncOpCode::Load: return Load(r.key, out);
  case SyncOpCode::Store: return Store(r.key, r.value);
  case SyncOpCode::LoadOrStore: return LoadOrStore(r.key, r.value, out);
  case SyncOpCode::LoadAndDelete: return LoadAndDelete(r.key, out, false);
  case SyncOpCode::Delete: return LoadAndDelete(r.key, out, true);
  case SyncOpCode::Range: return Range(r.limit, out);
  }
  return Range(r.limit, out);
}

OpResult SyncMap::apply(const SyncRequest& r, SyncResult& out) {
  out = SyncResult{};
  return runDirect([&](auto via) {
    switch (r.code) {
    case SyncOpCode::Load: Load(via, r.key, out); break;
    case SyncOpCode::Store: Store(via, r.key, r.value); break;
    case SyncOpCode::LoadOrStore: LoadOrStore(via, r.key, r.value, out); break;
    case SyncOpCode::LoadAndDelete: LoadAndDelete(via, r.key, out, false); break;
    case SyncOpCode::Delete: LoadAndDelete(via, r.key, out, true); break;
    case SyncOpCode::Range: Range(via, r.limit, out); break;
    }
  });
}

std::unique_ptr<SyncRun> SyncMap::start(const SyncRequest& r) { return std::make_unique<SyncRun>(*this, r); }

// Go's `for k, e := range m` starts at a fastrand-chosen place (mapiterinit
// draws only for a non-empty map): here the sorted keys rotated by one draw.
std::vector<std::pair<KeyValue, EntryRef>> SyncMap::goOrder(const KeyMap* m) {
  std::vector<std::pair<KeyValue, EntryRef>> out;
  if (!m || m->empty()) return out;
  out.assign(m->begin(), m->end());
  const std::size_t r = rng_.fastrand() % out.size();
  std::rotate(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r), out.end());
  return out;
}

namespace {
// A deep copy of m whose entries are copied once per identity (read.m and
// dirty share them).
KeyMapRef copyKeyMap(const KeyMapRef& m, std::map<const Entry*, EntryRef>& copies) {
  if (!m) return nullptr;
  auto out = std::make_shared<KeyMap>();
  for (const auto& [k, e] : *m) {
    EntryRef& c = copies[e.get()];
    if (!c) c = std::make_shared<Entry>(*e);
    out->emplace(k, c);
  }
  return out;
}
} // namespace

std::shared_ptr<const SyncMap::Snapshot> SyncMap::snapshot() const {
  auto s = std::make_shared<Snapshot>();
  std::map<const Entry*, EntryRef> copies;
  s->rng = rng_.state();
  s->mu = mu_;
  if (read_) s->read = ReadOnly{read_->id, copyKeyMap(read_->m, copies), read_->amended};
  s->dirty = dirty_ && read_ && dirty_ == read_->m ? s->read->m : copyKeyMap(dirty_, copies);
  s->misses = misses_;
  s->lastReadOnly = lastReadOnly_, s->lastEntry = lastEntry_, s->lastCell = lastCell_, s->lastBox = lastBox_;
  s->allocs = allocs_, s->frees = frees_, s->opAllocs = opAllocs_, s->opFrees = opFrees_;
  return s;
}

void SyncMap::restore(const Snapshot& s) {
  std::map<const Entry*, EntryRef> copies;
  rng_.reseed(s.rng);
  mu_ = s.mu;
  read_.reset();
  KeyMapRef rm;
  if (s.read) {
    rm = copyKeyMap(s.read->m, copies);
    read_ = std::make_shared<const ReadOnly>(ReadOnly{s.read->id, rm, s.read->amended});
  }
  dirty_ = s.dirty && s.read && s.dirty == s.read->m ? rm : copyKeyMap(s.dirty, copies);
  misses_ = s.misses;
  lastReadOnly_ = s.lastReadOnly, lastEntry_ = s.lastEntry, lastCell_ = s.lastCell, lastBox_ = s.lastBox;
  allocs_ = s.allocs, frees_ = s.frees, opAllocs_ = s.opAllocs, opFrees_ = s.opFrees;
  lockPending_ = false;
}

HeapCounts SyncMap::live() const {
  HeapCounts l;
  for (int k = 0; k < kHeapKinds; k++) l.n[k] = allocs_.n[k] - frees_.n[k];
  return l;
}

HeapCounts SyncMap::reachable(std::span<const Held* const> stacks) const {
  // Marks by identity: an entry, a cell or a box reached twice (read.m and
  // dirty share entries, spec 0.3; a held snapshot's m shares them too)
  // counts once. A cell not numbered yet (a Store's &value before it is
  // stored) is its stack's alone.
  std::set<const ReadOnly*> ros;
  std::set<const Entry*> ents;
  std::set<uint32_t> cells, boxes;
  uint64_t unnumbered = 0;
  auto cell = [&](uint32_t id, uint32_t box) {
    if (id == 0) unnumbered++;
    else cells.insert(id);
    if (box) boxes.insert(box);
  };
  auto entry = [&](const Entry* e) {
    if (!e || !ents.insert(e).second) return;
    if (e->p == PState::Value) cell(e->cell, e->box); // nil and expunged point at no cell of this map
  };
  auto keyMap = [&](const KeyMap* m) {
    if (m)
      for (const auto& kv : *m) entry(kv.second.get());
  };
  auto readOnly = [&](const ReadOnly* r) {
    if (r && ros.insert(r).second) keyMap(r->m.get());
  };
  readOnly(read_.get());
  keyMap(dirty_.get());
  for (const Held* h : stacks) {
    // `read, _ := m.read.Load().(readOnly)` copies the struct {m, amended}
    // onto the stack: the stack holds read.m (its entries), not the box the
    // atomic.Value published (spec 5.4), which only read_ keeps.
    if (h->read && *h->read) keyMap((*h->read)->m.get());
    if (h->e) entry(h->e->get());
    if (h->d) entry(h->d->get());
    for (const HeldCell* c : {&h->own, &h->copy, &h->loaded})
      if (c->present) cell(c->id, c->box);
    if (h->box) boxes.insert(h->box);
  }
  HeapCounts r;
  r[HeapKind::ReadOnly] = ros.size();
  r[HeapKind::Entry] = ents.size();
  r[HeapKind::Cell] = cells.size() + unnumbered;
  r[HeapKind::Box] = boxes.size();
  return r;
}

std::vector<const ReadOnly*> SyncMap::heldReadOnly(std::span<const Held* const> stacks) const {
  std::vector<const ReadOnly*> out;
  for (const Held* h : stacks) {
    const ReadOnly* r = h->read ? h->read->get() : nullptr;
    if (r && r != read_.get() && std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  }
  return out;
}

bool SyncMap::gc(std::span<const Held* const> stacks) {
  if (static_cast<std::size_t>(inflight()) > stacks.size()) return false;
  clearOpCounts();
  const HeapCounts l = live(), r = reachable(stacks);
  for (int k = 0; k < kHeapKinds; k++) {
    opFrees_.n[k] = l.n[k] - r.n[k]; // every reachable object is live: none is freed while reachable
    frees_.n[k] += opFrees_.n[k];
  }
  return true;
}

std::vector<std::string> SyncMap::checkInvariants() const {
  std::vector<std::string> bad;
  if (inflight() == 0 && mu_.state != 0) bad.push_back("mu held with no method in flight");
  const KeyMap* rm = read_ ? read_->m.get() : nullptr;
  if (!dirty_ && read_ && read_->amended) bad.push_back("amended with a nil dirty (spec 1.2)");
  if (!dirty_ && misses_ != 0) bad.push_back("misses != 0 with a nil dirty");
  if (dirty_ && misses_ >= static_cast<int64_t>(dirty_->size()) && misses_ != 0)
    bad.push_back("misses >= len(dirty) without a promotion (spec 3.6)");
  if (rm)
    for (const auto& [k, e] : *rm) {
      if (e->p == PState::Expunged) {
        if (!dirty_) bad.push_back("an expunged entry with a nil dirty (spec 1.3)");
        else if (dirty_->count(k)) bad.push_back("an expunged entry in dirty (spec 1.3)");
      } else if (dirty_) {
        auto it = dirty_->find(k);
        if (it == dirty_->end() || it->second != e)
          bad.push_back("a key of read.m not expunged but not in dirty with its entry (spec 1.2)");
      }
    }
  if (dirty_)
    for (const auto& [k, e] : *dirty_)
      if (e->p == PState::Expunged) bad.push_back("dirty holds an expunged entry");
  return bad;
}

} // namespace gomap::syncmap
