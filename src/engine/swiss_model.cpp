#include "engine/swiss_model.hpp"

namespace gomap::swiss {

std::string AnySwiss::goType() const {
  switch (kind()) {
  case KeyKind::Int64: return "map[int64]int64";
  case KeyKind::Int32: return "map[int32]int64";
  case KeyKind::String: return "map[string]int64";
  case KeyKind::Float64: return "map[float64]int64";
  }
  return "";
}

namespace {

template <class KT> class SwissImpl final : public AnySwiss {
public:
  explicit SwissImpl(std::shared_ptr<StringPool> pool) : m_(std::move(pool)) {}
  KeyKind kind() const override { return KT::kind; }
  void setVersion(Version v) override { m_.setVersion(v); }
  Version version() const override { return m_.version(); }
  void setHashKeys(const uint64_t (&k)[4]) override { m_.setHashKeys(k); }
  void setHashMode(HashMode m) override { m_.setHashMode(m); }
  void setRngState(uint64_t s) override { m_.setRngState(s); }
  uint64_t rngState() const override { return m_.rngState(); }
  void setSeed(uint64_t s) override { m_.setSeed(s); }
  void setEventSink(SwissEventSink* s) override { m_.setEventBuffer(s); }
  void setPauseMask(uint64_t mask) override { m_.setPauseMask(mask); }
  uint64_t pauseMask() const override { return m_.pauseMask(); }

  OpResult apply(const SwissRequest& r, bool* found, int64_t* value, IterResult* iter) override {
    switch (r.code) {
    case SwissOpCode::Make: return m_.make(r.value);
    case SwissOpCode::Put: return m_.put(r.key, r.value);
    case SwissOpCode::Get: {
      bool f = false;
      int64_t v = 0;
      OpResult res = m_.get(r.key, f, v);
      if (found) *found = f;
      if (value) *value = v;
      return res;
    }
    case SwissOpCode::Del: return m_.del(r.key);
    case SwissOpCode::Clear: return m_.clear();
    case SwissOpCode::Iter: {
      IterResult tmp;
      OpResult res = m_.iter(iter ? *iter : tmp, r.offsets);
      return res;
    }
    }
    return {};
  }

  // A started op: the task, the cursor it parks in, and the outputs it writes.
  class Run final : public SwissRun {
  public:
    explicit Run(SwissMap<KT>& m) : m_(m) {}
    void begin(Task<void> t) {
      task_.emplace(std::move(t));
      cursor_ = Cursor{task_->handle()};
    }
    bool step() override {
      if (task_->done()) return false;
      return m_.step(*task_, cursor_);
    }
    bool done() const override { return task_->done(); }
    OpResult result() override { return SwissMap<KT>::finish(*task_); }

  private:
    SwissMap<KT>& m_;
    std::optional<Task<void>> task_;
    Cursor cursor_{};
  };
  std::unique_ptr<SwissRun> start(const SwissRequest& r) override {
    auto run = std::make_unique<Run>(m_);
    if (r.code == SwissOpCode::Make) run->begin(m_.makeTask(r.value));
    else if (r.code == SwissOpCode::Put) run->begin(m_.putTask(r.key, r.value));
    else if (r.code == SwissOpCode::Get) run->begin(m_.getTask(r.key, run->found, run->value));
    else if (r.code == SwissOpCode::Del) run->begin(m_.delTask(r.key));
    else if (r.code == SwissOpCode::Clear) run->begin(m_.clearTask());
    else run->begin(m_.iterTask(run->iter, r.offsets));
    return run;
  }
  void makeNil() override { m_.makeNil(); }
  uint64_t hashOf(const KeyValue& k) override { return m_.hashOf(k); }
  void prefetchKey(const KeyValue& k) const override { m_.prefetchKey(k); }
  bool peekHash(const KeyValue& k, uint64_t& hash) const override { return m_.peekHash(k, hash); }

  const Header& header() const override { return m_.header(); }
  bool isNil() const override { return m_.isNil(); }
  bool hasSmallGroup() const override { return m_.smallGroup() != nullptr; }
  void smallGroup(GroupView& out) const override {
    if (const auto* g = m_.smallGroup()) view(*g, out);
    else {
      out.ctrl = ctrlGroupEmpty;
      for (unsigned i = 0; i < MapGroupSlots; i++) {
        out.keys[i] = KeyValue{};
        out.elems[i] = 0;
      }
    }
  }
  std::vector<uint32_t> directoryPositions() const override {
    std::vector<uint32_t> out;
    const auto& dir = m_.directory();
    out.reserve(dir.size());
    uint32_t pos = 0;
    for (std::size_t i = 0; i < dir.size(); i++) {
      if (i > 0 && dir[i] != dir[i - 1]) pos++;
      out.push_back(pos);
    }
    return out;
  }
  std::vector<TableInfo> tables() const override {
    std::vector<TableInfo> out;
    for (const auto* t : m_.tables())
      out.push_back(infoOf(*t));
    return out;
  }
  void group(std::size_t table, uint64_t g, GroupView& out) const override { view(m_.tables()[table]->groups[g], out); }
  bool buildingTable(bool right, TableInfo& out) const override {
    const auto* t = m_.buildingTable(right);
    if (!t) return false;
    out = infoOf(*t);
    return true;
  }
  void buildingGroup(bool right, uint64_t g, GroupView& out) const override {
    view(m_.buildingTable(right)->groups[g], out);
  }
  uint64_t ctrlWord(std::size_t table, uint64_t g) const override { return m_.tables()[table]->groups[g].ctrl; }
  void allCtrlWords(std::vector<uint64_t>& out) const override {
    out.clear();
    for (const auto& t : m_.tables())
      for (const auto& g : t->groups) out.push_back(g.ctrl);
  }
  std::vector<std::string> checkInvariants() const override { return m_.checkInvariants(); }
  uint64_t liveBytes() const override { return m_.liveBytes(); }
  uint64_t groupSize() const override { return kGroupSize<KT>; }
  uint64_t slotSize() const override { return kSlotSize<KT>; }
  std::vector<std::pair<KeyValue, int64_t>> entries() const override {
    std::vector<std::pair<KeyValue, int64_t>> out;
    m_.forEachLive([&](const typename KT::Slot& k, int64_t v) { out.emplace_back(m_.keyValue(k), v); });
    return out;
  }
  std::any snapshot() override { return m_.snapshot(); }
  void restore(const std::any& s) override { m_.restore(std::any_cast<const typename SwissMap<KT>::State&>(s)); }
  void unshare() override { m_.unshare(); }
  void setRetainReplaced(bool on) override { m_.setRetainReplaced(on); }

private:
  static TableInfo infoOf(const Table<KT>& t) {
    return TableInfo{t.index, t.localDepth, t.capacity, t.used, t.growthLeft, t.groups.size()};
  }
  void view(const Group<KT>& g, GroupView& out) const {
    out.ctrl = g.ctrl;
    for (unsigned i = 0; i < MapGroupSlots; i++) {
      out.keys[i] = m_.keyValue(g.key(i));
      out.elems[i] = g.elem(i);
    }
  }
  SwissMap<KT> m_;
};

} // namespace

std::unique_ptr<AnySwiss> AnySwiss::create(KeyKind kind, std::shared_ptr<StringPool> pool) {
  switch (kind) {
  case KeyKind::Int64: return std::make_unique<SwissImpl<Int64Key>>(std::move(pool));
  case KeyKind::Int32: return std::make_unique<SwissImpl<Int32Key>>(std::move(pool));
  case KeyKind::String: return std::make_unique<SwissImpl<StringKey>>(std::move(pool));
  case KeyKind::Float64: return std::make_unique<SwissImpl<Float64Key>>(std::move(pool));
  }
  return nullptr;
}

} // namespace gomap::swiss
