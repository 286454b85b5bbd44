#include "engine/events.hpp"

#include <array>

namespace gomap {

namespace {
constexpr std::array<std::string_view, static_cast<size_t>(EventKind::kCount)> kKindNames = {
    "op_begin",         "op_end",          "hash_computed",   "bucket_selected",    "tophash_compared",
    "key_compared",     "slot_chosen",     "overflow_alloc",  "noverflow_incr",     "buckets_alloc",
    "growth_started",   "grow_work",       "evacuate_begin",  "cell_evacuated",     "old_bucket_cleared",
    "bucket_evacuated", "nevacuate_advanced", "growth_finished", "cell_written",     "key_updated",
    "elem_written",     "elem_read",       "count_changed",   "cell_deleted",       "empty_rest_marked",
    "flags_loaded",     "flags_changed",   "hash0_reseeded",  "map_cleared",        "iter_started",
    "iter_bucket",      "iter_yielded",    "iter_skipped",    "iter_finished",      "panic",
    "fatal",
};
} // namespace

std::string_view eventKindName(EventKind k) { return kKindNames[static_cast<size_t>(k)]; }

std::string_view messageText(Message m) {
  switch (m) {
  case Message::None: return "";
  case Message::NilMapWrite: return "assignment to entry in nil map";
  case Message::ConcurrentMapWrites: return "concurrent map writes";
  case Message::ConcurrentReadWrite: return "concurrent map read and map write";
  case Message::ConcurrentIterationWrite: return "concurrent map iteration and map write";
  case Message::BadMapState: return "bad map state";
  case Message::OldoverflowNotNil: return "oldoverflow is not nil";
  case Message::OutOfMemory: return "runtime: out of memory";
  }
  return "";
}

void EventBuffer::newChunk() {
  chunks_.push_back(std::make_unique_for_overwrite<Event[]>(kChunk));
  tail_ = chunks_.back().get();
  fill_ = 0;
}

void EventBuffer::truncate(std::size_t n) {
  if (n >= size()) return;
  std::size_t keep = (n + kChunk - 1) >> kChunkBits;
  chunks_.resize(keep);
  if (keep == 0) {
    clear();
    return;
  }
  tail_ = chunks_.back().get();
  fill_ = n - (keep - 1) * kChunk;
}

} // namespace gomap
