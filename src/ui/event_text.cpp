#include "ui/event_text.hpp"

#include <fmt/format.h>

#include "engine/runtime_consts.hpp"
#include "trace/event_json.hpp"

namespace gomap::ui {

namespace {
const char* outcomeZh(TophashOutcome o) {
  switch (o) {
  case TophashOutcome::Match: return "相同";
  case TophashOutcome::Mismatch: return "不同";
  case TophashOutcome::Empty: return "空";
  case TophashOutcome::EmptyRestStop: return "emptyRest，停止";
  case TophashOutcome::Evacuated: return "已迁移";
  }
  return "?";
}
const char* messageZh(Message m) {
  switch (m) {
  case Message::NilMapWrite: return "向 nil 映射赋值 (assignment to entry in nil map)";
  case Message::ConcurrentMapWrites: return "并发写映射 (concurrent map writes)";
  case Message::ConcurrentReadWrite: return "并发读写映射 (concurrent map read and map write)";
  case Message::ConcurrentIterationWrite: return "遍历时并发写 (concurrent map iteration and map write)";
  default: return nullptr;
  }
}
} // namespace

std::string describeEventIn(const Event& e, Lang lang) {
  // makemap draws a random hash0 (map.go:314), and then the script's make
  // (make KIND HINT HASH0, HASH0 0 when left out) overwrites it, as the header
  // shows: the sentence says both, so that the log and the header agree.
  // (The English sentence is trace/event_json's, shared with the terminal view.)
  if (lang != Lang::Zh) return describeEvent(e);
  if (e.kind == EventKind::Hash0Reseeded && e.site == Site::MakemapHash0)
    return fmt::format("h.hash0 = fastrand() = 0x{:08x}（随机种子；脚本的 make 随后把 hash0 改为它的 HASH0，省略时为 0，见头部）",
                       payloadOf<EventKind::Hash0Reseeded>(e).hash0);
  using K = EventKind;
  const SiteInfo& si = siteInfo(e.site);
  const Loc l = cellOf(e).value_or(Loc{});
  auto where = [&] {
    return fmt::format("{}桶 {}{} 槽 {}", l.old ? "旧" : "新", l.bucket,
                       l.chain ? fmt::format("（溢出 {}）", l.chain) : std::string(), l.slot);
  };
  switch (e.kind) {
  case EventKind::OpBegin: return fmt::format("{} 开始", si.function);
  case EventKind::OpEnd: return fmt::format("{} 返回", si.function);
  case EventKind::HashComputed: {
    const auto p = payloadOf<K::HashComputed>(e);
    return fmt::format("hash = 0x{:016x}：桶 {}（低 {} 位），tophash {}", p.hash, p.hash & bucketMask(p.B), p.B, p.top);
  }
  case EventKind::BucketSelected: return fmt::format("查找{}桶 {}", l.old ? "旧" : "新", l.bucket);
  case EventKind::TophashCompared: {
    const auto p = payloadOf<K::TophashCompared>(e);
    return fmt::format("{}：tophash {} 与 {}：{}", where(), p.tophash, p.top, outcomeZh(p.outcome));
  }
  case EventKind::KeyCompared: return fmt::format("{}：键{}", where(), payloadOf<K::KeyCompared>(e).equal ? "相同" : "不同");
  case EventKind::SlotChosen: {
    const SlotChoice why = payloadOf<K::SlotChosen>(e).why;
    return fmt::format("{}：{}", where(),
                       why == SlotChoice::FirstEmpty    ? "第一个空槽，记下用于插入"
                       : why == SlotChoice::ExistingKey ? "找到键，原地更新"
                                                        : "插入新的溢出桶");
  }
  case EventKind::OverflowAllocated: {
    const auto p = payloadOf<K::OverflowAllocated>(e);
    return fmt::format("为桶 {} 分配溢出桶，来自{}（noverflow {}）", l.bucket, p.fromPool ? "预分配池" : "堆",
                       p.noverflow);
  }
  case EventKind::GrowthStarted: {
    const auto p = payloadOf<K::GrowthStarted>(e);
    return fmt::format("{}到 B={}（{}）", (p.trigger & kGrowSameSize) ? "等量扩容" : "翻倍扩容", p.newB,
                       (p.trigger & kGrowLoadFactor) ? "负载因子超过 6.5" : "溢出桶过多");
  }
  case EventKind::GrowWork:
    return fmt::format("growWork：迁移旧桶 {}，再多迁移一个", payloadOf<K::GrowWork>(e).oldbucket);
  case EventKind::EvacuateBegin: {
    const auto p = payloadOf<K::EvacuateBegin>(e);
    return fmt::format("迁移旧桶 {}{}", p.oldbucket, p.already ? "（已完成）" : "");
  }
  case EventKind::CellEvacuated: {
    const auto p = payloadOf<K::CellEvacuated>(e);
    return fmt::format("{} -> {}：新桶 {} 槽 {}", where(), p.useY ? "Y" : "X", p.dstBucket(), p.dstSlot);
  }
  case EventKind::OldBucketCleared:
    return fmt::format("清除旧桶 {} 的键、值和溢出指针", payloadOf<K::OldBucketCleared>(e).oldbucket);
  case EventKind::BucketEvacuated: {
    const auto p = payloadOf<K::BucketEvacuated>(e);
    return fmt::format("旧桶 {} 迁移完成（移动 {} 个）", p.oldbucket, p.moved);
  }
  case EventKind::NevacuateAdvanced: {
    const auto p = payloadOf<K::NevacuateAdvanced>(e);
    return fmt::format("nevacuate {} -> {}", p.from, p.nevacuate);
  }
  case EventKind::NevacuateLoaded: {
    const auto p = payloadOf<K::NevacuateLoaded>(e);
    return fmt::format("读取 nevacuate = {}：将写回 {}", p.from, p.nevacuate);
  }
  case EventKind::KeyStored:
    return fmt::format("{}：{}", where(), e.site == Site::EvacuateCopyKey ? "复制键" : "写入键（tophash 尚未写入）");
  case EventKind::TophashStored: {
    const uint8_t th = payloadOf<K::TophashStored>(e).tophash;
    if (e.site == Site::EvacuateMarkOld) return fmt::format("{}：标记为 {}", where(), th == evacuatedY ? "evacuatedY" : "evacuatedX");
    return fmt::format("{}：复制 tophash {}", where(), th);
  }
  case EventKind::CountLoaded: return fmt::format("读取 count = {}", payloadOf<K::CountLoaded>(e).count);
  case EventKind::OverflowLinked: return fmt::format("新溢出桶接入桶 {} 的链（位置 {}）", l.bucket, l.chain);
  case EventKind::GrowthFinished: return "扩容完成：oldbuckets = nil";
  case EventKind::CellWritten: return fmt::format("{}：写入键，tophash {}", where(), payloadOf<K::CellWritten>(e).top);
  case EventKind::KeyUpdated: return fmt::format("{}：覆盖已存的键", where());
  case EventKind::ElemWritten: return fmt::format("{}：写入值 {}", where(), payloadOf<K::ElemWritten>(e).value);
  case EventKind::ElemRead: return fmt::format("{}：读到值 {}", where(), payloadOf<K::ElemRead>(e).value);
  case EventKind::CountChanged:
    return fmt::format("count = {}", static_cast<uint64_t>(payloadOf<K::CountChanged>(e).count));
  case EventKind::CellDeleted: return fmt::format("{}：删除（emptyOne）", where());
  case EventKind::EmptyRestMarked: return fmt::format("{}：emptyRest", where());
  case EventKind::FlagsLoaded: return fmt::format("读取 flags = {:04b}", payloadOf<K::FlagsLoaded>(e).flags);
  case EventKind::FlagsChanged: {
    const auto p = payloadOf<K::FlagsChanged>(e);
    return fmt::format("flags {:04b} -> {:04b}", p.from, p.to);
  }
  case EventKind::Hash0Reseeded: return fmt::format("hash0 = 0x{:08x}", payloadOf<K::Hash0Reseeded>(e).hash0);
  case EventKind::BucketsAllocated: {
    const auto p = payloadOf<K::BucketsAllocated>(e);
    return fmt::format("分配桶数组：B={}，共 {} 个桶（{} 个备用）", p.B, p.nbuckets, p.spare);
  }
  case EventKind::MapCleared: return fmt::format("清空桶数组（B={}）", payloadOf<K::MapCleared>(e).B);
  case EventKind::IterStarted: {
    const auto p = payloadOf<K::IterStarted>(e);
    return fmt::format("迭代器从桶 {} 开始，偏移 {}", p.startBucket, p.offset);
  }
  case EventKind::IterBucket: return fmt::format("遍历{}桶 {}", l.old ? "旧" : "新", l.bucket);
  case EventKind::IterYielded: return fmt::format("{}：产出", where());
  case EventKind::IterSkipped: return fmt::format("{}：跳过", where());
  case EventKind::IterFinished: return "遍历结束";
  case EventKind::NoverflowIncr: {
    const auto p = payloadOf<K::NoverflowIncr>(e);
    return fmt::format("noverflow = {}{}", p.noverflow, p.incremented ? "" : "（未计数）");
  }
  case EventKind::Panic:
  case EventKind::Fatal: {
    const Message m =
        e.kind == EventKind::Panic ? payloadOf<K::Panic>(e).message : payloadOf<K::Fatal>(e).message;
    const char* z = messageZh(m);
    return fmt::format("{}：{}", e.kind == EventKind::Panic ? "panic" : "致命错误",
                       z ? std::string(z) : std::string(messageText(m)));
  }
  default: return describeEvent(e);
  }
}

std::string allEventTextZh() {
  std::string out;
  for (const Event& e : sampleEvents()) out += describeEventIn(e, Lang::Zh);
  return out;
}

} // namespace gomap::ui
