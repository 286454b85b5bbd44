#include "engine/events.hpp"

#include <array>
#include <cstdlib>
#include <new>

#include "engine/bucket_storage.hpp"

namespace gomap {

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
  case Message::SmallMapNoEmptySlot: return "small map with no empty slot (concurrent map writes?)";
  }
  return "";
}

std::vector<Event> sampleEvents() {
  std::vector<Event> out;
  // c: small values in each field position the payloads use (the low byte,
  // bytes 1 and 2, the words at bits 32 and 48), and a Fatal that names a cell.
  std::vector<uint64_t> cs;
  cs.push_back(0);
  for (uint64_t v = 1; v <= 4; v++)
    for (unsigned shift : {0u, 8u, 16u, 32u, 48u}) cs.push_back(v << shift);
  for (uint64_t m = 0; m <= 8; m++) cs.push_back(m | uint64_t{1} << 32);
  for (std::size_t s = 0; s < static_cast<std::size_t>(Site::kCount); s++) {
    for (uint64_t c : cs) {
      for (uint32_t b : {0u, 1u, 2u, 3u, 4u, 5u}) {
        out.push_back(Event::raw(static_cast<Site>(s), Fields{1, b, c}));
        out.push_back(Event::raw(static_cast<Site>(s), locFields(Loc{true, b, 1, 0}, c))); // old array, overflow 1
      }
    }
  }
  return out;
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
