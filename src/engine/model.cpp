#include "engine/model.hpp"

#include <array>

namespace gomap {

std::string_view invariantKindName(InvariantKind k) {
  static constexpr std::array<std::string_view, static_cast<std::size_t>(InvariantKind::kCount)> names{
      "writing-between-ops",  "samesize-not-growing", "count-without-buckets", "nevacuate-past-end",
      "chain-does-not-end",   "not-evacuated",        "stray-evacuation-mark", "after-empty-rest",
      "emptyone-before-emptyrest", "chain-ends-emptyone", "tophash-mismatch",   "wrong-bucket",
      "duplicate-key",        "filled-before-evacuation", "count-mismatch"};
  const auto i = static_cast<std::size_t>(k);
  return i < names.size() ? names[i] : "?";
}

const ModelEventTables& classicMapEventTables() {
  static const ModelEventTables tables = [] {
    ModelEventTables t;
    for (const KindInfo& k : kKindTable) t.kinds.push_back({k.kind, k.name, k.category, k.cell, k.endsOp});
    for (std::size_t i = 0; i < kSiteTable.size(); i++) {
      const SiteInfo& s = kSiteTable[i];
      t.sites.push_back({static_cast<Site>(i), s.kind, s.function, s.line ? "runtime/map.go" : "", s.line, s.what});
    }
    return t;
  }();
  return tables;
}

} // namespace gomap
