// Fuzzes random operation sequences against a model: the map must hold exactly
// what a std::map says it should, and pass the invariant checker after every
// op. Bytes choose the key kind, hash mode, collisions (pinned hashes), puts,
// deletes, lookups, iterations, clears, snapshots and restores.
#include <cmath>
#include <cstddef>

#include "fuzz_util.hpp"
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "engine/any_map.hpp"

using namespace gomap;

namespace {
using gomap::fuzz::Reader;

KeyValue keyFor(KeyKind kind, uint8_t k) {
  switch (kind) {
  case KeyKind::Int64: return KeyValue::ofInt(kind, static_cast<int64_t>(k) * 0x10001 - 300);
  case KeyKind::Int32: return KeyValue::ofInt(kind, static_cast<int32_t>(k) * 77 - 5000);
  case KeyKind::String: return KeyValue::ofString(std::string(k % 7, 'x') + std::to_string(k));
  case KeyKind::Float64: return KeyValue::ofFloat(k == 0 ? -0.0 : k * 0.5);
  }
  return {};
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r{data, size};
  KeyKind kind = static_cast<KeyKind>(r.next() % 4);
  auto m = AnyMap::create(kind, r.next());
  if (r.next() & 1) m->setHashMode(HashMode::Identity);
  fuzz_assert(m->apply({OpCode::Make, {}, r.next()}).outcome == Outcome::Ok);
  std::map<uint8_t, int64_t> model; // by key index (distinct indexes are distinct keys)
  std::optional<std::any> snap;
  std::map<uint8_t, int64_t> snapModel;
  int64_t v = 0;
  while (!r.done()) {
    uint8_t op = r.next(), k = r.next();
    KeyValue key = keyFor(kind, k);
    switch (op % 9) {
    case 0:
    case 1:
    case 2:
      fuzz_assert(m->apply({OpCode::Put, key, ++v}).outcome == Outcome::Ok);
      model[k] = v;
      break;
    case 3:
    case 4:
      fuzz_assert(m->apply({OpCode::Del, key, 0}).outcome == Outcome::Ok);
      model.erase(k);
      break;
    case 5: {
      AccessResult a;
      m->apply({OpCode::Get, key, 0}, &a);
      auto it = model.find(k);
      fuzz_assert(a.found == (it != model.end()) && (!a.found || a.value == it->second));
      break;
    }
    case 6: {
      // Force collisions: pin a key's hash to a small bucket index (only keys
      // not stored yet, so that a stored key never moves under its hash).
      if (!model.count(k)) m->pinHash(key, (uint64_t{r.next()} << 56) | (r.next() & 3));
      break;
    }
    case 7: {
      std::vector<KeyValue> keys;
      m->apply({OpCode::Iter, {}, 0}, nullptr, &keys);
      fuzz_assert(keys.size() == model.size());
      if (r.next() % 8 == 0) {
        m->apply({OpCode::Clear, {}, 0});
        model.clear();
      }
      break;
    }
    case 8:
      if (!snap || (r.next() & 1)) {
        snap = m->snapshot();
        snapModel = model;
      } else {
        m->restore(*snap);
        model = snapModel;
      }
      break;
    }
    fuzz_assert(m->header().count == static_cast<int64_t>(model.size()));
    fuzz_assert(m->checkInvariants().empty());
  }
  return 0;
}
