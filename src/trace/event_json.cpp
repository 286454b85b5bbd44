#include "trace/event_json.hpp"

#include <fmt/format.h>

#include "engine/runtime_consts.hpp"

namespace gomap {

namespace {
const char* tophashOutcomeName(uint64_t o) {
  switch (static_cast<TophashOutcome>(o)) {
  case TophashOutcome::Match: return "match";
  case TophashOutcome::Mismatch: return "mismatch";
  case TophashOutcome::Empty: return "empty";
  case TophashOutcome::EmptyRestStop: return "emptyRest";
  case TophashOutcome::Evacuated: return "evacuated";
  }
  return "?";
}
const char* opName(uint16_t code) {
  switch (static_cast<OpCode>(code)) {
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
const char* outcomeName(uint16_t o) {
  switch (static_cast<Outcome>(o)) {
  case Outcome::Ok: return "ok";
  case Outcome::Panic: return "panic";
  case Outcome::Fatal: return "fatal";
  }
  return "?";
}
} // namespace

void appendEventJson(std::string& out, const Event& e, uint64_t index, uint64_t opIndex) {
  auto o = std::back_inserter(out);
  const SiteInfo& si = siteInfo(e.site);
  fmt::format_to(o, "{{\"i\":{},\"op\":{},\"kind\":\"{}\",\"fn\":\"{}\",\"line\":{}", index, opIndex,
                 eventKindName(e.kind), si.function, si.line);
  if (hasLoc(e.kind) || (e.kind == EventKind::Fatal && e.site == Site::ThrowBadMapState && e.a)) {
    Loc l = e.loc();
    fmt::format_to(o, ",\"arr\":\"{}\",\"bucket\":{},\"chain\":{},\"slot\":{}", l.old ? "old" : "new", l.bucket,
                   l.chain, l.slot);
  }
  switch (e.kind) {
  case EventKind::OpBegin: fmt::format_to(o, ",\"opcode\":\"{}\"", opName(e.a)); break;
  case EventKind::OpEnd: fmt::format_to(o, ",\"outcome\":\"{}\"", outcomeName(e.a)); break;
  case EventKind::HashComputed:
    fmt::format_to(o, ",\"hash\":\"0x{:016x}\",\"B\":{},\"bucketIndex\":{},\"tophash\":{}", e.c, e.a,
                   e.c & bucketMask(static_cast<uint8_t>(e.a)), e.b);
    break;
  case EventKind::BucketSelected: fmt::format_to(o, ",\"hash\":\"0x{:016x}\"", e.c); break;
  case EventKind::TophashCompared:
    fmt::format_to(o, ",\"cell\":{},\"top\":{},\"outcome\":\"{}\"", e.c & 0xff, (e.c >> 8) & 0xff,
                   tophashOutcomeName((e.c >> 16) & 0xff));
    break;
  case EventKind::KeyCompared: fmt::format_to(o, ",\"equal\":{}", e.c ? "true" : "false"); break;
  case EventKind::SlotChosen:
    fmt::format_to(o, ",\"why\":\"{}\"", e.c == 1 ? "first empty cell" : e.c == 2 ? "existing key" : "new overflow bucket");
    break;
  case EventKind::OverflowAllocated: {
    uint32_t pre = static_cast<uint32_t>(e.c);
    fmt::format_to(o, ",\"from\":\"{}\",\"pre\":{},\"noverflow\":{}", (e.c >> 48) & 1 ? "pool" : "heap",
                   pre == 0xffffffffu ? int64_t{-1} : int64_t{pre}, (e.c >> 32) & 0xffff);
    break;
  }
  case EventKind::NoverflowIncr: fmt::format_to(o, ",\"noverflow\":{},\"incremented\":{}", e.a, e.c ? "true" : "false"); break;
  case EventKind::BucketsAllocated: fmt::format_to(o, ",\"B\":{},\"nbuckets\":{},\"spare\":{}", e.a, e.b, e.c); break;
  case EventKind::GrowthStarted: {
    std::string trig;
    if (e.b & kGrowLoadFactor) trig = "load factor";
    if (e.b & kGrowOverflow) trig += trig.empty() ? "overflow buckets" : "+overflow buckets";
    fmt::format_to(o, ",\"growth\":\"{}\",\"newB\":{},\"trigger\":\"{}\",\"noldbuckets\":{}",
                   (e.b & kGrowSameSize) ? "same-size" : "doubling", e.a, trig, e.c);
    break;
  }
  case EventKind::GrowWork: fmt::format_to(o, ",\"bucket\":{},\"oldbucket\":{}", e.b, e.c); break;
  case EventKind::EvacuateBegin: fmt::format_to(o, ",\"oldbucket\":{},\"already\":{}", e.b, e.c ? "true" : "false"); break;
  case EventKind::CellEvacuated: {
    Loc l = e.loc();
    uint64_t useY = (e.c >> 3) & 1;
    uint64_t newbit = uint64_t{1} << ((e.c >> 24) & 0x3f);
    fmt::format_to(o, ",\"dst\":\"{}\",\"dstBucket\":{},\"dstChain\":{},\"dstSlot\":{},\"top\":{},\"hashLow32\":{}",
                   useY ? "Y" : "X", l.bucket + (useY ? newbit : 0), (e.c >> 4) & 0xfff, e.c & 7, (e.c >> 16) & 0xff,
                   e.c >> 32);
    break;
  }
  case EventKind::OldBucketCleared: fmt::format_to(o, ",\"oldbucket\":{}", e.b); break;
  case EventKind::BucketEvacuated: fmt::format_to(o, ",\"oldbucket\":{},\"moved\":{}", e.b, e.a); break;
  case EventKind::NevacuateAdvanced:
  case EventKind::NevacuateLoaded: fmt::format_to(o, ",\"nevacuate\":{},\"from\":{}", e.b, e.c); break;
  case EventKind::TophashStored: fmt::format_to(o, ",\"tophash\":{}", e.c); break;
  case EventKind::CountLoaded: fmt::format_to(o, ",\"value\":{}", e.c); break;
  case EventKind::GrowthFinished: fmt::format_to(o, ",\"B\":{}", e.a); break;
  case EventKind::CellWritten: fmt::format_to(o, ",\"tophash\":{}", e.c); break;
  case EventKind::ElemWritten:
  case EventKind::ElemRead: fmt::format_to(o, ",\"value\":{}", static_cast<int64_t>(e.c)); break;
  case EventKind::CountChanged: fmt::format_to(o, ",\"count\":{}", e.c); break;
  case EventKind::FlagsLoaded: fmt::format_to(o, ",\"value\":{}", e.a); break;
  case EventKind::FlagsChanged: fmt::format_to(o, ",\"from\":{},\"to\":{}", e.a, e.b); break;
  case EventKind::Hash0Reseeded: fmt::format_to(o, ",\"hash0\":{}", e.c); break;
  case EventKind::MapCleared: fmt::format_to(o, ",\"B\":{},\"nbuckets\":{}", e.a, e.b); break;
  case EventKind::IterStarted: fmt::format_to(o, ",\"startBucket\":{},\"offset\":{},\"r\":{}", e.b, e.a, e.c); break;
  case EventKind::IterBucket:
    fmt::format_to(o, ",\"checkBucket\":{}", e.c == noCheck ? int64_t{-1} : static_cast<int64_t>(e.c));
    break;
  case EventKind::IterYielded: fmt::format_to(o, ",\"via\":\"{}\"", e.c ? "mapaccessK" : "cell"); break;
  case EventKind::IterSkipped:
    fmt::format_to(o, ",\"why\":\"{}\"", e.c == static_cast<uint64_t>(IterSkip::OtherHalf) ? "other half" : e.c == static_cast<uint64_t>(IterSkip::Deleted) ? "deleted" : "empty");
    break;
  case EventKind::Panic:
  case EventKind::Fatal: {
    Message m = static_cast<Message>(e.kind == EventKind::Fatal && e.site == Site::ThrowBadMapState && e.a ? e.c : e.b);
    fmt::format_to(o, ",\"message\":\"{}\"", messageText(m));
    break;
  }
  default: break;
  }
  out.push_back('}');
}

std::string describeEvent(const Event& e) {
  const SiteInfo& si = siteInfo(e.site);
  Loc l = e.loc();
  auto where = [&] {
    return fmt::format("{} bucket {}{} slot {}", l.old ? "old" : "new", l.bucket,
                       l.chain ? fmt::format(" (overflow {})", l.chain) : std::string(), l.slot);
  };
  switch (e.kind) {
  case EventKind::OpBegin: return fmt::format("{} begins", si.function);
  case EventKind::OpEnd: return fmt::format("{} returns", si.function);
  case EventKind::HashComputed:
    return fmt::format("hash = 0x{:016x}: bucket {} (low {} bits), tophash {}", e.c,
                       e.c & bucketMask(static_cast<uint8_t>(e.a)), e.a, e.b);
  case EventKind::BucketSelected: return fmt::format("search {} bucket {}", l.old ? "old" : "new", l.bucket);
  case EventKind::TophashCompared:
    return fmt::format("{}: tophash {} vs {}: {}", where(), e.c & 0xff, (e.c >> 8) & 0xff,
                       tophashOutcomeName((e.c >> 16) & 0xff));
  case EventKind::KeyCompared: return fmt::format("{}: key {}", where(), e.c ? "equal" : "differs");
  case EventKind::SlotChosen:
    return fmt::format("{}: {}", where(), e.c == 1 ? "first empty cell, remembered for insert" : e.c == 2 ? "key found, update in place" : "insert into new overflow bucket");
  case EventKind::OverflowAllocated:
    return fmt::format("new overflow bmap for bucket {} from the {} (noverflow {})", l.bucket,
                       (e.c >> 48) & 1 ? "preallocated pool" : "heap", (e.c >> 32) & 0xffff);
  case EventKind::GrowthStarted:
    return fmt::format("{} grow to B={} ({})", (e.b & kGrowSameSize) ? "same-size" : "doubling", e.a,
                       (e.b & kGrowLoadFactor) ? "load factor over 6.5" : "too many overflow buckets");
  case EventKind::GrowWork: return fmt::format("growWork: evacuate old bucket {} and one more", e.c);
  case EventKind::EvacuateBegin: return fmt::format("evacuate old bucket {}{}", e.b, e.c ? " (already done)" : "");
  case EventKind::CellEvacuated: {
    uint64_t useY = (e.c >> 3) & 1;
    uint64_t newbit = uint64_t{1} << ((e.c >> 24) & 0x3f);
    return fmt::format("{} -> {} bucket {} slot {}", where(), useY ? "Y" : "X", l.bucket + (useY ? newbit : 0), e.c & 7);
  }
  case EventKind::BucketEvacuated: return fmt::format("old bucket {} evacuated ({} cells moved)", e.b, e.a);
  case EventKind::NevacuateAdvanced: return fmt::format("nevacuate {} -> {}", e.c, e.b);
  case EventKind::NevacuateLoaded: return fmt::format("load nevacuate = {}: will store {}", e.c, e.b);
  case EventKind::KeyStored:
    return fmt::format("{}: key {}", where(), e.site == Site::EvacuateCopyKey ? "copied" : "stored (its tophash not yet)");
  case EventKind::TophashStored:
    if (e.site == Site::EvacuateMarkOld) return fmt::format("{}: marked {}", where(), e.c == evacuatedY ? "evacuatedY" : "evacuatedX");
    return fmt::format("{}: tophash {} copied", where(), e.c);
  case EventKind::CountLoaded: return fmt::format("load count = {}", e.c);
  case EventKind::OverflowLinked:
    return fmt::format("new overflow bmap linked into bucket {}'s chain (position {})", l.bucket, l.chain);
  case EventKind::GrowthFinished: return "growth finished: oldbuckets = nil";
  case EventKind::CellWritten: return fmt::format("{}: key stored, tophash {}", where(), e.c);
  case EventKind::KeyUpdated: return fmt::format("{}: stored key overwritten", where());
  case EventKind::ElemWritten: return fmt::format("{}: value {} written", where(), static_cast<int64_t>(e.c));
  case EventKind::ElemRead: return fmt::format("{}: value {} read", where(), static_cast<int64_t>(e.c));
  case EventKind::CountChanged: return fmt::format("count = {}", e.c);
  case EventKind::CellDeleted: return fmt::format("{}: deleted (emptyOne)", where());
  case EventKind::EmptyRestMarked: return fmt::format("{}: emptyRest", where());
  case EventKind::FlagsLoaded: return fmt::format("load flags = {:04b}", e.a);
  case EventKind::FlagsChanged: return fmt::format("flags {:04b} -> {:04b}", e.a, e.b);
  case EventKind::Hash0Reseeded: return fmt::format("hash0 = {}", e.c);
  case EventKind::IterStarted: return fmt::format("iterator starts at bucket {}, offset {}", e.b, e.a);
  case EventKind::IterYielded: return fmt::format("{}: yield", where());
  case EventKind::IterSkipped: return fmt::format("{}: skip", where());
  case EventKind::Panic: return fmt::format("panic: {}", messageText(static_cast<Message>(e.b)));
  case EventKind::Fatal:
    return fmt::format("fatal error: {}",
                       messageText(static_cast<Message>(e.site == Site::ThrowBadMapState && e.a ? e.c : e.b)));
  default: return std::string(si.what);
  }
}

} // namespace gomap
