#include "engine/events.hpp"

#include <array>
#include <cstdlib>
#include <new>

#include "engine/bucket_storage.hpp"

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
    "fatal",            "key_stored",      "tophash_stored",  "count_loaded",       "overflow_linked",
    "nevacuate_loaded",
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
  case Message::InvalidMemory: return "runtime error: invalid memory address or nil pointer dereference";
  }
  return "";
}

EventBuffer::~EventBuffer() { release(); }

void EventBuffer::newChunk() {
  if (used_ == chunks_.size()) {
    chunks_.push_back(static_cast<Event*>(allocateBlock(kChunk * sizeof(Event), false, true)));
  }
  cur_ = chunks_[used_++];
  end_ = cur_ + kChunk;
}

void EventBuffer::truncate(std::size_t n) {
  if (n >= size()) return;
  used_ = (n + kChunk - 1) >> kChunkBits;
  if (used_ == 0) {
    cur_ = end_ = nullptr;
    return;
  }
  cur_ = chunks_[used_ - 1] + (n - (used_ - 1) * kChunk);
  end_ = chunks_[used_ - 1] + kChunk;
}

void EventBuffer::release() {
  for (Event* c : chunks_) freeBlock(c, kChunk * sizeof(Event));
  chunks_.clear();
  used_ = 0;
  cur_ = end_ = nullptr;
}

} // namespace gomap
