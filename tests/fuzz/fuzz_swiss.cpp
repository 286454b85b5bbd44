// Fuzzes random operation sequences against the Swiss map: it must hold
// exactly what a std::map says it should and pass the invariant checker
// (swiss-map-spec 8.3, 7.2, used counts) after every op. Bytes choose the key
// kind, the version, the hint, puts, deletes, lookups, iterations (with
// offsets), clears, snapshots and restores, and stepping an op event by event.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "fuzz_util.hpp"

#include "engine/swiss_model.hpp"

using namespace gomap;
using namespace gomap::swiss;

namespace {
using gomap::fuzz::Reader;

// Key indexes 0..1023 (two bytes) so maps can pass 896 entries and split.
KeyValue keyFor(KeyKind kind, unsigned k) {
  switch (kind) {
  case KeyKind::Int64: return KeyValue::ofInt(kind, static_cast<int64_t>(k) * 0x10001 - 300);
  case KeyKind::Int32: return KeyValue::ofInt(kind, static_cast<int32_t>(k) * 77 - 5000);
  case KeyKind::String: {
    std::string s(k % 7, 'x');
    s += std::to_string(k);
    return KeyValue::ofString(std::move(s));
  }
  case KeyKind::Float64: return KeyValue::ofFloat(k == 0 ? -0.0 : k * 0.5);
  }
  return {};
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r{data, size};
  const KeyKind kind = static_cast<KeyKind>(r.next() % 4);
  auto m = AnySwiss::create(kind);
  m->setVersion(r.next() & 1 ? Version::Go126 : Version::Go127);
  m->setRngState(r.next());
  const int64_t hint = (r.next() & 1) ? r.next() * 8 : r.next() % 16;
  fuzz_assert(m->apply({SwissOpCode::Make, {}, hint, {}}).outcome == Outcome::Ok);
  std::map<unsigned, int64_t> model;
  std::optional<std::any> snap;
  std::map<unsigned, int64_t> snapModel;
  int64_t v = 0;
  while (!r.done()) {
    const uint8_t op = r.next();
    const unsigned k = (unsigned{r.next()} | (unsigned{r.next()} << 8)) % 1024;
    const KeyValue key = keyFor(kind, k);
    switch (op % 10) {
    case 0:
    case 1:
    case 2:
      fuzz_assert(m->apply({SwissOpCode::Put, key, ++v, {}}).outcome == Outcome::Ok);
      model[k] = v;
      break;
    case 3:
    case 4:
      fuzz_assert(m->apply({SwissOpCode::Del, key, 0, {}}).outcome == Outcome::Ok);
      model.erase(k);
      break;
    case 5: {
      bool found = false;
      int64_t val = 0;
      m->apply({SwissOpCode::Get, key, 0, {}}, &found, &val);
      auto it = model.find(k);
      fuzz_assert(found == (it != model.end()) && (!found || val == it->second));
      break;
    }
    case 6: {
      IterResult it;
      m->apply({SwissOpCode::Iter, {}, 0, std::make_pair(uint64_t{r.next()} * 0x9e3779b97f4a7c15ULL, uint64_t{r.next()})},
               nullptr, nullptr, &it);
      fuzz_assert(it.keys.size() == model.size());
      if (r.next() % 8 == 0) {
        m->apply({SwissOpCode::Clear, {}, 0, {}});
        model.clear();
      }
      break;
    }
    case 7: {
      // The resumable form, paused at every event, ends where the direct one would.
      m->setPauseMask(~uint64_t{0});
      auto run = m->start({SwissOpCode::Put, key, ++v, {}});
      while (run->step()) {
      }
      fuzz_assert(run->result().outcome == Outcome::Ok);
      m->setPauseMask(0);
      model[k] = v;
      break;
    }
    case 8:
    case 9:
      if (!snap || (r.next() & 1)) {
        snap = m->snapshot();
        snapModel = model;
      } else {
        m->restore(*snap);
        model = snapModel;
      }
      break;
    }
    fuzz_assert(m->header().used == model.size());
    fuzz_assert(m->checkInvariants().empty());
  }
  return 0;
}
