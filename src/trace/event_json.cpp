#include "trace/event_json.hpp"

#include <fmt/format.h>

#include "engine/runtime_consts.hpp"

namespace gomap {

namespace {
const char* tophashOutcomeName(TophashOutcome o) {
  switch (o) {
  case TophashOutcome::Match: return "match";
  case TophashOutcome::Mismatch: return "mismatch";
  case TophashOutcome::Empty: return "empty";
  case TophashOutcome::EmptyRestStop: return "emptyRest";
  case TophashOutcome::Evacuated: return "evacuated";
  }
  return "?";
}
const char* opName(OpCode code) {
  switch (code) {
  case OpCode::Make: return "make";
  case OpCode::Put: return "put";
  case OpCode::Get: return "get";
  case OpCode::Del: return "del";
  case OpCode::Iter: return "iter";
  case OpCode::IterNext: return "iternext";
  case OpCode::Clear: return "clear";
  case OpCode::Hash: return "hash";
  case OpCode::Seed: return "seed";
  }
  return "?";
}
const char* outcomeName(Outcome o) {
  switch (o) {
  case Outcome::Ok: return "ok";
  case Outcome::Panic: return "panic";
  case Outcome::Fatal: return "fatal";
  }
  return "?";
}
} // namespace

void appendEventJson(std::string& out, const Event& e, uint64_t index, uint64_t opIndex) {
  using K = EventKind;
  auto o = std::back_inserter(out);
  const SiteInfo& si = siteInfo(e.site);
  fmt::format_to(o, "{{\"i\":{},\"op\":{},\"kind\":\"{}\",\"fn\":\"{}\",\"line\":{}", index, opIndex,
                 eventKindName(e.kind), si.function, si.line);
  if (const std::optional<Loc> l = cellOf(e)) {
    fmt::format_to(o, ",\"arr\":\"{}\",\"bucket\":{},\"chain\":{},\"slot\":{}", l->old ? "old" : "new", l->bucket,
                   l->chain, l->slot);
  }
  switch (e.kind) {
  case K::OpBegin: fmt::format_to(o, ",\"opcode\":\"{}\"", opName(payloadOf<K::OpBegin>(e).op)); break;
  case K::OpEnd: fmt::format_to(o, ",\"outcome\":\"{}\"", outcomeName(payloadOf<K::OpEnd>(e).outcome)); break;
  case K::HashComputed: {
    const auto p = payloadOf<K::HashComputed>(e);
    fmt::format_to(o, ",\"hash\":\"0x{:016x}\",\"B\":{},\"bucketIndex\":{},\"tophash\":{}", p.hash, p.B,
                   p.hash & bucketMask(p.B), p.top);
    break;
  }
  case K::BucketSelected: fmt::format_to(o, ",\"hash\":\"0x{:016x}\"", payloadOf<K::BucketSelected>(e).hash); break;
  case K::TophashCompared: {
    const auto p = payloadOf<K::TophashCompared>(e);
    fmt::format_to(o, ",\"cell\":{},\"top\":{},\"outcome\":\"{}\"", p.tophash, p.top, tophashOutcomeName(p.outcome));
    break;
  }
  case K::KeyCompared: fmt::format_to(o, ",\"equal\":{}", payloadOf<K::KeyCompared>(e).equal ? "true" : "false"); break;
  case K::SlotChosen: {
    const SlotChoice why = payloadOf<K::SlotChosen>(e).why;
    fmt::format_to(o, ",\"why\":\"{}\"", why == SlotChoice::FirstEmpty    ? "first empty cell"
                                         : why == SlotChoice::ExistingKey ? "existing key"
                                                                          : "new overflow bucket");
    break;
  }
  case K::OverflowAllocated: {
    const auto p = payloadOf<K::OverflowAllocated>(e);
    fmt::format_to(o, ",\"from\":\"{}\",\"pre\":{},\"noverflow\":{}", p.fromPool ? "pool" : "heap",
                   p.pre == p.kNotPreallocated ? int64_t{-1} : int64_t{p.pre}, p.noverflow);
    break;
  }
  case K::NoverflowIncr: {
    const auto p = payloadOf<K::NoverflowIncr>(e);
    fmt::format_to(o, ",\"noverflow\":{},\"incremented\":{}", p.noverflow, p.incremented ? "true" : "false");
    break;
  }
  case K::BucketsAllocated: {
    const auto p = payloadOf<K::BucketsAllocated>(e);
    fmt::format_to(o, ",\"B\":{},\"nbuckets\":{},\"spare\":{}", p.B, p.nbuckets, p.spare);
    break;
  }
  case K::GrowthStarted: {
    const auto p = payloadOf<K::GrowthStarted>(e);
    std::string trig;
    if (p.trigger & kGrowLoadFactor) trig = "load factor";
    if (p.trigger & kGrowOverflow) trig += trig.empty() ? "overflow buckets" : "+overflow buckets";
    fmt::format_to(o, ",\"growth\":\"{}\",\"newB\":{},\"trigger\":\"{}\",\"noldbuckets\":{}",
                   (p.trigger & kGrowSameSize) ? "same-size" : "doubling", p.newB, trig, p.noldbuckets);
    break;
  }
  case K::GrowWork: {
    const auto p = payloadOf<K::GrowWork>(e);
    fmt::format_to(o, ",\"bucket\":{},\"oldbucket\":{}", p.bucket, p.oldbucket);
    break;
  }
  case K::EvacuateBegin: {
    const auto p = payloadOf<K::EvacuateBegin>(e);
    fmt::format_to(o, ",\"oldbucket\":{},\"already\":{}", p.oldbucket, p.already ? "true" : "false");
    break;
  }
  case K::CellEvacuated: {
    const auto p = payloadOf<K::CellEvacuated>(e);
    fmt::format_to(o, ",\"dst\":\"{}\",\"dstBucket\":{},\"dstChain\":{},\"dstSlot\":{},\"top\":{},\"hashLow32\":{}",
                   p.useY ? "Y" : "X", p.dstBucket(), p.dstChain, p.dstSlot, p.top, p.hashLow);
    break;
  }
  case K::OldBucketCleared: fmt::format_to(o, ",\"oldbucket\":{}", payloadOf<K::OldBucketCleared>(e).oldbucket); break;
  case K::BucketEvacuated: {
    const auto p = payloadOf<K::BucketEvacuated>(e);
    fmt::format_to(o, ",\"oldbucket\":{},\"moved\":{}", p.oldbucket, p.moved);
    break;
  }
  case K::NevacuateAdvanced: {
    const auto p = payloadOf<K::NevacuateAdvanced>(e);
    fmt::format_to(o, ",\"nevacuate\":{},\"from\":{}", p.nevacuate, p.from);
    break;
  }
  case K::NevacuateLoaded: {
    const auto p = payloadOf<K::NevacuateLoaded>(e);
    fmt::format_to(o, ",\"nevacuate\":{},\"from\":{}", p.nevacuate, p.from);
    break;
  }
  case K::TophashStored: fmt::format_to(o, ",\"tophash\":{}", payloadOf<K::TophashStored>(e).tophash); break;
  case K::CountLoaded: fmt::format_to(o, ",\"value\":{}", payloadOf<K::CountLoaded>(e).count); break;
  case K::GrowthFinished: fmt::format_to(o, ",\"B\":{}", payloadOf<K::GrowthFinished>(e).B); break;
  case K::CellWritten: fmt::format_to(o, ",\"tophash\":{}", payloadOf<K::CellWritten>(e).top); break;
  case K::ElemWritten: fmt::format_to(o, ",\"value\":{}", payloadOf<K::ElemWritten>(e).value); break;
  case K::ElemRead: fmt::format_to(o, ",\"value\":{}", payloadOf<K::ElemRead>(e).value); break;
  // Printed as the unsigned word it always was (a racing delete can take h.count below 0).
  case K::CountChanged: fmt::format_to(o, ",\"count\":{}", static_cast<uint64_t>(payloadOf<K::CountChanged>(e).count)); break;
  case K::FlagsLoaded: fmt::format_to(o, ",\"value\":{}", payloadOf<K::FlagsLoaded>(e).flags); break;
  case K::FlagsChanged: {
    const auto p = payloadOf<K::FlagsChanged>(e);
    fmt::format_to(o, ",\"from\":{},\"to\":{}", p.from, p.to);
    break;
  }
  case K::Hash0Reseeded: fmt::format_to(o, ",\"hash0\":{}", payloadOf<K::Hash0Reseeded>(e).hash0); break;
  case K::MapCleared: {
    const auto p = payloadOf<K::MapCleared>(e);
    fmt::format_to(o, ",\"B\":{},\"nbuckets\":{}", p.B, p.nbuckets);
    break;
  }
  case K::IterStarted: {
    const auto p = payloadOf<K::IterStarted>(e);
    fmt::format_to(o, ",\"startBucket\":{},\"offset\":{},\"r\":{}", p.startBucket, p.offset, p.r);
    break;
  }
  case K::IterBucket: {
    const uint64_t cb = payloadOf<K::IterBucket>(e).checkBucket;
    fmt::format_to(o, ",\"checkBucket\":{}", cb == noCheck ? int64_t{-1} : static_cast<int64_t>(cb));
    break;
  }
  case K::IterYielded:
    fmt::format_to(o, ",\"via\":\"{}\"", payloadOf<K::IterYielded>(e).viaMapaccessK ? "mapaccessK" : "cell");
    break;
  case K::IterSkipped: {
    const IterSkip why = payloadOf<K::IterSkipped>(e).why;
    fmt::format_to(o, ",\"why\":\"{}\"", why == IterSkip::OtherHalf ? "other half" : why == IterSkip::Deleted ? "deleted" : "empty");
    break;
  }
  case K::Panic: fmt::format_to(o, ",\"message\":\"{}\"", messageText(payloadOf<K::Panic>(e).message)); break;
  case K::Fatal: fmt::format_to(o, ",\"message\":\"{}\"", messageText(payloadOf<K::Fatal>(e).message)); break;
  default: break;
  }
  out.push_back('}');
}

std::string describeEvent(const Event& e) {
  using K = EventKind;
  const SiteInfo& si = siteInfo(e.site);
  const Loc l = cellOf(e).value_or(Loc{});
  auto where = [&] {
    return fmt::format("{} bucket {}{} slot {}", l.old ? "old" : "new", l.bucket,
                       l.chain ? fmt::format(" (overflow {})", l.chain) : std::string(), l.slot);
  };
  switch (e.kind) {
  case K::OpBegin: return fmt::format("{} begins", si.function);
  case K::OpEnd: return fmt::format("{} returns", si.function);
  case K::HashComputed: {
    const auto p = payloadOf<K::HashComputed>(e);
    return fmt::format("hash = 0x{:016x}: bucket {} (low {} bits), tophash {}", p.hash, p.hash & bucketMask(p.B), p.B,
                       p.top);
  }
  case K::BucketSelected: return fmt::format("search {} bucket {}", l.old ? "old" : "new", l.bucket);
  case K::TophashCompared: {
    const auto p = payloadOf<K::TophashCompared>(e);
    return fmt::format("{}: tophash {} vs {}: {}", where(), p.tophash, p.top, tophashOutcomeName(p.outcome));
  }
  case K::KeyCompared: return fmt::format("{}: key {}", where(), payloadOf<K::KeyCompared>(e).equal ? "equal" : "differs");
  case K::SlotChosen: {
    const SlotChoice why = payloadOf<K::SlotChosen>(e).why;
    return fmt::format("{}: {}", where(), why == SlotChoice::FirstEmpty    ? "first empty cell, remembered for insert"
                                          : why == SlotChoice::ExistingKey ? "key found, update in place"
                                                                           : "insert into new overflow bucket");
  }
  case K::OverflowAllocated: {
    const auto p = payloadOf<K::OverflowAllocated>(e);
    return fmt::format("new overflow bmap for bucket {} from the {} (noverflow {})", l.bucket,
                       p.fromPool ? "preallocated pool" : "heap", p.noverflow);
  }
  case K::GrowthStarted: {
    const auto p = payloadOf<K::GrowthStarted>(e);
    return fmt::format("{} grow to B={} ({})", (p.trigger & kGrowSameSize) ? "same-size" : "doubling", p.newB,
                       (p.trigger & kGrowLoadFactor) ? "load factor over 6.5" : "too many overflow buckets");
  }
  case K::GrowWork: return fmt::format("growWork: evacuate old bucket {} and one more", payloadOf<K::GrowWork>(e).oldbucket);
  case K::EvacuateBegin: {
    const auto p = payloadOf<K::EvacuateBegin>(e);
    return fmt::format("evacuate old bucket {}{}", p.oldbucket, p.already ? " (already done)" : "");
  }
  case K::CellEvacuated: {
    const auto p = payloadOf<K::CellEvacuated>(e);
    return fmt::format("{} -> {} bucket {} slot {}", where(), p.useY ? "Y" : "X", p.dstBucket(), p.dstSlot);
  }
  case K::BucketEvacuated: {
    const auto p = payloadOf<K::BucketEvacuated>(e);
    return fmt::format("old bucket {} evacuated ({} cells moved)", p.oldbucket, p.moved);
  }
  case K::NevacuateAdvanced: {
    const auto p = payloadOf<K::NevacuateAdvanced>(e);
    return fmt::format("nevacuate {} -> {}", p.from, p.nevacuate);
  }
  case K::NevacuateLoaded: {
    const auto p = payloadOf<K::NevacuateLoaded>(e);
    return fmt::format("load nevacuate = {}: will store {}", p.from, p.nevacuate);
  }
  case K::KeyStored:
    return fmt::format("{}: key {}", where(), e.site == Site::EvacuateCopyKey ? "copied" : "stored (its tophash not yet)");
  case K::TophashStored: {
    const uint8_t th = payloadOf<K::TophashStored>(e).tophash;
    if (e.site == Site::EvacuateMarkOld) return fmt::format("{}: marked {}", where(), th == evacuatedY ? "evacuatedY" : "evacuatedX");
    return fmt::format("{}: tophash {} copied", where(), th);
  }
  case K::CountLoaded: return fmt::format("load count = {}", payloadOf<K::CountLoaded>(e).count);
  case K::OverflowLinked:
    return fmt::format("new overflow bmap linked into bucket {}'s chain (position {})", l.bucket, l.chain);
  case K::GrowthFinished: return "growth finished: oldbuckets = nil";
  case K::CellWritten: return fmt::format("{}: key stored, tophash {}", where(), payloadOf<K::CellWritten>(e).top);
  case K::KeyUpdated: return fmt::format("{}: stored key overwritten", where());
  case K::ElemWritten: return fmt::format("{}: value {} written", where(), payloadOf<K::ElemWritten>(e).value);
  case K::ElemRead: return fmt::format("{}: value {} read", where(), payloadOf<K::ElemRead>(e).value);
  case K::CountChanged: return fmt::format("count = {}", static_cast<uint64_t>(payloadOf<K::CountChanged>(e).count));
  case K::CellDeleted: return fmt::format("{}: deleted (emptyOne)", where());
  case K::EmptyRestMarked: return fmt::format("{}: emptyRest", where());
  case K::FlagsLoaded: return fmt::format("load flags = {:04b}", payloadOf<K::FlagsLoaded>(e).flags);
  case K::FlagsChanged: {
    const auto p = payloadOf<K::FlagsChanged>(e);
    return fmt::format("flags {:04b} -> {:04b}", p.from, p.to);
  }
  case K::Hash0Reseeded:
    // makemap's seed is random; a script's make then overwrites it with HASH0 (what the header shows).
    if (e.site == Site::MakemapHash0)
      return fmt::format("h.hash0 = fastrand() = 0x{:08x} (a random seed; the script's make then overwrites hash0 with its "
                         "HASH0, 0 when left out: see the header)",
                         payloadOf<K::Hash0Reseeded>(e).hash0);
    return fmt::format("hash0 = 0x{:08x}", payloadOf<K::Hash0Reseeded>(e).hash0);
  case K::IterStarted: {
    const auto p = payloadOf<K::IterStarted>(e);
    return fmt::format("iterator starts at bucket {}, offset {}", p.startBucket, p.offset);
  }
  case K::IterYielded: return fmt::format("{}: yield", where());
  case K::IterSkipped: return fmt::format("{}: skip", where());
  case K::Panic: return fmt::format("panic: {}", messageText(payloadOf<K::Panic>(e).message));
  case K::Fatal: return fmt::format("fatal error: {}", messageText(payloadOf<K::Fatal>(e).message));
  default: return std::string(si.what);
  }
}

} // namespace gomap
