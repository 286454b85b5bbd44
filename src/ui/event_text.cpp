#include "ui/event_text.hpp"

#include <fmt/format.h>

#include "engine/runtime_consts.hpp"
#include "trace/event_json.hpp"

namespace gomap::ui {

namespace {
const char* outcomeZh(uint64_t o) {
  switch (static_cast<TophashOutcome>(o)) {
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
  if (lang != Lang::Zh) return describeEvent(e);
  const SiteInfo& si = siteInfo(e.site);
  const Loc l = e.loc();
  auto where = [&] {
    return fmt::format("{}桶 {}{} 槽 {}", l.old ? "旧" : "新", l.bucket,
                       l.chain ? fmt::format("（溢出 {}）", l.chain) : std::string(), l.slot);
  };
  switch (e.kind) {
  case EventKind::OpBegin: return fmt::format("{} 开始", si.function);
  case EventKind::OpEnd: return fmt::format("{} 返回", si.function);
  case EventKind::HashComputed:
    return fmt::format("hash = 0x{:016x}：桶 {}（低 {} 位），tophash {}", e.c, e.c & bucketMask(static_cast<uint8_t>(e.a)),
                       e.a, e.b);
  case EventKind::BucketSelected: return fmt::format("查找{}桶 {}", l.old ? "旧" : "新", l.bucket);
  case EventKind::TophashCompared:
    return fmt::format("{}：tophash {} 与 {}：{}", where(), e.c & 0xff, (e.c >> 8) & 0xff, outcomeZh((e.c >> 16) & 0xff));
  case EventKind::KeyCompared: return fmt::format("{}：键{}", where(), e.c ? "相同" : "不同");
  case EventKind::SlotChosen:
    return fmt::format("{}：{}", where(),
                       e.c == 1   ? "第一个空槽，记下用于插入"
                       : e.c == 2 ? "找到键，原地更新"
                                  : "插入新的溢出桶");
  case EventKind::OverflowAllocated:
    return fmt::format("为桶 {} 分配溢出桶，来自{}（noverflow {}）", l.bucket, (e.c >> 48) & 1 ? "预分配池" : "堆",
                       (e.c >> 32) & 0xffff);
  case EventKind::GrowthStarted:
    return fmt::format("{}到 B={}（{}）", (e.b & kGrowSameSize) ? "等量扩容" : "翻倍扩容", e.a,
                       (e.b & kGrowLoadFactor) ? "负载因子超过 6.5" : "溢出桶过多");
  case EventKind::GrowWork: return fmt::format("growWork：迁移旧桶 {}，再多迁移一个", e.c);
  case EventKind::EvacuateBegin: return fmt::format("迁移旧桶 {}{}", e.b, e.c ? "（已完成）" : "");
  case EventKind::CellEvacuated: {
    const uint64_t useY = (e.c >> 3) & 1;
    const uint64_t newbit = uint64_t{1} << ((e.c >> 24) & 0x3f);
    return fmt::format("{} -> {}：新桶 {} 槽 {}", where(), useY ? "Y" : "X", l.bucket + (useY ? newbit : 0), e.c & 7);
  }
  case EventKind::OldBucketCleared: return fmt::format("清除旧桶 {} 的键、值和溢出指针", e.b);
  case EventKind::BucketEvacuated: return fmt::format("旧桶 {} 迁移完成（移动 {} 个）", e.b, e.a);
  case EventKind::NevacuateAdvanced: return fmt::format("nevacuate {} -> {}", e.c, e.b);
  case EventKind::NevacuateLoaded: return fmt::format("读取 nevacuate = {}：将写回 {}", e.c, e.b);
  case EventKind::KeyStored:
    return fmt::format("{}：{}", where(), e.site == Site::EvacuateCopyKey ? "复制键" : "写入键（tophash 尚未写入）");
  case EventKind::TophashStored:
    if (e.site == Site::EvacuateMarkOld) return fmt::format("{}：标记为 {}", where(), e.c == evacuatedY ? "evacuatedY" : "evacuatedX");
    return fmt::format("{}：复制 tophash {}", where(), e.c);
  case EventKind::CountLoaded: return fmt::format("读取 count = {}", e.c);
  case EventKind::OverflowLinked: return fmt::format("新溢出桶接入桶 {} 的链（位置 {}）", l.bucket, l.chain);
  case EventKind::GrowthFinished: return "扩容完成：oldbuckets = nil";
  case EventKind::CellWritten: return fmt::format("{}：写入键，tophash {}", where(), e.c);
  case EventKind::KeyUpdated: return fmt::format("{}：覆盖已存的键", where());
  case EventKind::ElemWritten: return fmt::format("{}：写入值 {}", where(), static_cast<int64_t>(e.c));
  case EventKind::ElemRead: return fmt::format("{}：读到值 {}", where(), static_cast<int64_t>(e.c));
  case EventKind::CountChanged: return fmt::format("count = {}", e.c);
  case EventKind::CellDeleted: return fmt::format("{}：删除（emptyOne）", where());
  case EventKind::EmptyRestMarked: return fmt::format("{}：emptyRest", where());
  case EventKind::FlagsLoaded: return fmt::format("读取 flags = {:04b}", e.a);
  case EventKind::FlagsChanged: return fmt::format("flags {:04b} -> {:04b}", e.a, e.b);
  case EventKind::Hash0Reseeded: return fmt::format("hash0 = {}", e.c);
  case EventKind::BucketsAllocated:
    return fmt::format("分配桶数组：B={}，共 {} 个桶（{} 个备用）", e.a, e.b, e.c);
  case EventKind::MapCleared: return fmt::format("清空桶数组（B={}）", e.a);
  case EventKind::IterStarted: return fmt::format("迭代器从桶 {} 开始，偏移 {}", e.b, e.a);
  case EventKind::IterBucket: return fmt::format("遍历{}桶 {}", l.old ? "旧" : "新", l.bucket);
  case EventKind::IterYielded: return fmt::format("{}：产出", where());
  case EventKind::IterSkipped: return fmt::format("{}：跳过", where());
  case EventKind::IterFinished: return "遍历结束";
  case EventKind::NoverflowIncr: return fmt::format("noverflow = {}{}", e.a, e.c ? "" : "（未计数）");
  case EventKind::Panic:
  case EventKind::Fatal: {
    const Message m =
        static_cast<Message>(e.kind == EventKind::Fatal && e.site == Site::ThrowBadMapState && e.a ? e.c : e.b);
    const char* z = messageZh(m);
    return fmt::format("{}：{}", e.kind == EventKind::Panic ? "panic" : "致命错误",
                       z ? std::string(z) : std::string(messageText(m)));
  }
  default: return describeEvent(e);
  }
}

std::string allEventTextZh() {
  std::string out;
  for (std::size_t s = 0; s < static_cast<std::size_t>(Site::kCount); s++) {
    for (uint64_t c : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{1} << 48, uint64_t{1} << 16,
                       uint64_t{2} << 16, uint64_t{3} << 16, uint64_t{4} << 16}) {
      for (uint32_t b : {0u, 1u, 2u, 3u, 4u, 5u}) {
        Event e = Event::make(static_cast<Site>(s), 1, b, c);
        out += describeEventIn(e, Lang::Zh);
        e = Event::make(static_cast<Site>(s), 0x8008, b, c); // old array, overflow 1
        out += describeEventIn(e, Lang::Zh);
      }
    }
  }
  return out;
}

} // namespace gomap::ui
