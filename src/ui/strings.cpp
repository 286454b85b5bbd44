#include "ui/strings.hpp"

#include <array>
#include <unordered_map>

namespace gomap::ui {

namespace {
struct Entry {
  S id;
  const char* en;
  const char* zh;
};

// One row per id, in enum order (checked at compile time below).
constexpr std::array<Entry, static_cast<std::size_t>(S::kCount)> kTable = {{
    {S::MenuFile, "File", "文件"},
    {S::MenuQuit, "Quit", "退出"},
    {S::MenuView, "View", "视图"},
    {S::MenuResetLayout, "Reset layout", "重置布局"},
    {S::MenuTheme, "Theme", "主题"},
    {S::ThemeDark, "Dark", "深色"},
    {S::ThemeProjector, "Projector (high contrast)", "投影仪（高对比度）"},
    {S::MenuFontScale, "Font size", "字体大小"},
    {S::MenuLanguage, "Language", "语言"},
    {S::MenuHelp, "Help", "帮助"},
    {S::MenuKeys, "Keyboard", "快捷键"},
    {S::KeysText,
     "Space        play / pause\n"
     "Right        step into (next event)\n"
     "Left         step back\n"
     "Shift+Right  step over (whole operation)\n"
     "Shift+Left   back one operation\n"
     "Up           step out (finish the runtime function)\n"
     "F11 / F10 / Shift+F11   into / over / out\n"
     "Home / End   first / last event\n"
     "Ctrl+Q       quit",
     "空格         播放 / 暂停\n"
     "→            单步进入（下一个事件）\n"
     "←            后退一步\n"
     "Shift+→      单步跳过（整个操作）\n"
     "Shift+←      后退一个操作\n"
     "↑            单步跳出（执行完当前运行时函数）\n"
     "F11 / F10 / Shift+F11   进入 / 跳过 / 跳出\n"
     "Home / End   第一个 / 最后一个事件\n"
     "Ctrl+Q       退出"},
    {S::WinControls, "Map and operations", "映射与操作"},
    {S::WinHeader, "hmap header", "hmap 头部"},
    {S::WinBuckets, "Buckets", "桶"},
    {S::WinPlots, "Over time", "随时间变化"},
    {S::WinHash, "Hash of the key", "键的哈希"},
    {S::WinCode, "Runtime code", "运行时代码"},
    {S::WinEvents, "Event log", "事件日志"},
    {S::WinTimeline, "Timeline", "时间线"},
    {S::NoMap, "No map yet: open a script or make a new map.", "还没有映射：打开脚本或新建映射。"},
    {S::NilMap, "m is a nil map: reads return zero values, every write panics.",
     "m 是 nil 映射：读取返回零值，写入会 panic。"},
    {S::NoBuckets, "buckets = nil: the first insert allocates one bucket (B = 0).",
     "buckets = nil：第一次插入时分配一个桶（B = 0）。"},
    {S::Dismiss, "Dismiss", "关闭"},
    {S::SecOperations, "Operations", "操作"},
    {S::Key, "key", "键"},
    {S::Value, "value", "值"},
    {S::ValueHint, "auto", "自动"},
    {S::Insert, "Insert", "插入"},
    {S::Delete, "Delete", "删除"},
    {S::Lookup, "Look up", "查找"},
    {S::Iterate, "Iterate", "遍历"},
    {S::Clear, "Clear", "清空"},
    {S::InsertRange, "Insert range", "插入区间"},
    {S::InsertRandom, "Insert random keys", "插入随机键"},
    {S::Run, "Run", "执行"},
    {S::WatchNewOps, "Step through new operations", "逐步观看新操作"},
    {S::WatchNewOpsHelp,
     "After Insert, Delete, ... the cursor goes to the new operation's first event, so you can step through it. "
     "Off: the cursor goes to the end.",
     "插入、删除等之后，光标停在新操作的第一个事件，便于逐步观察。关闭时光标移到末尾。"},
    {S::SecTeaching, "Teaching", "教学"},
    {S::UntilGrow, "Insert until the map grows", "插入直到映射扩容"},
    {S::UntilGrowHelp,
     "Inserts fresh keys one at a time until an insert starts a grow (load factor over 6.5, or too many overflow "
     "buckets), then shows that insert from its first event.",
     "逐个插入新键，直到某次插入触发扩容（负载因子超过 6.5 或溢出桶过多），然后从该插入的第一个事件开始显示。"},
    {S::BucketN, "bucket", "桶"},
    {S::SameHash, "same hash (pin)", "相同哈希（固定）"},
    {S::SameHashHelp,
     "Off: searches for keys whose hash lands in bucket N. On: pins every key to the same 64-bit hash, so they also "
     "share the tophash and every lookup must compare keys.",
     "关闭：搜索哈希落入桶 N 的键。打开：把每个键固定为同一个 64 位哈希，tophash 也相同，查找必须逐一比较键。"},
    {S::Collide, "Insert colliding keys", "插入冲突的键"},
    {S::SecNewMap, "New map", "新建映射"},
    {S::KeyKind, "key type", "键类型"},
    {S::SizeHint, "size hint", "容量提示"},
    {S::HashMode, "hash", "哈希"},
    {S::HashGo, "Go's runtime hash", "Go 运行时哈希"},
    {S::HashIdentity, "identity (hash = key)", "恒等（哈希 = 键）"},
    {S::NewMap, "New map", "新建映射"},
    {S::SecBig, "Big maps", "大映射"},
    {S::NewMapB, "New map with this B", "新建此 B 的映射"},
    {S::RandomKeys, "random", "随机"},
    {S::BulkInsert, "Bulk insert", "批量插入"},
    {S::Cancel, "Cancel", "取消"},
    {S::SecScript, "Op script", "操作脚本"},
    {S::PathHint, "path/to/script.ops", "脚本路径.ops"},
    {S::Open, "Open", "打开"},
    {S::Save, "Save", "保存"},
    {S::DropFuture, "Drop ops after cursor", "删除光标后的操作"},
    {S::DropFutureHelp, "Forget every operation after the cursor (new operations are always added at the end).",
     "删除光标之后的所有操作（新操作总是添加在末尾）。"},
    {S::Scenarios, "Scenarios:", "场景："},
    {S::NoteCount, "live keys", "个键"},
    {S::BucketsWord, "buckets", "个桶"},
    {S::LoadFactor, "load", "负载"},
    {S::NoteGrowAt, "an insert that makes count {} starts a grow", "插入使 count 达到 {} 时开始扩容"},
    {S::NoteNoverflowApprox, "approximate at B >= 16 (counted 1 in 2^(B-15))", "B >= 16 时为近似值（每 2^(B-15) 个计 1）"},
    {S::NoteIdentity, "identity hash", "恒等哈希"},
    {S::Spares, "spare", "个备用"},
    {S::GrowSameSize, "same-size grow (too many overflow buckets)", "等量扩容（溢出桶过多）"},
    {S::GrowDoubling, "doubling: B {} -> {}", "翻倍扩容：B {} -> {}"},
    {S::NotGrowing, "not growing", "未在扩容"},
    {S::Memory, "memory", "内存"},
    {S::MemArrays, "arrays", "桶数组"},
    {S::MemHeap, "heap overflow", "堆上溢出桶"},
    {S::Op, "op", "操作"},
    {S::Event, "event", "事件"},
    {S::BeforeFirstEvent, "before the first event", "第一个事件之前"},
    {S::StateEmptyRest, "emptyRest", "emptyRest 空（其后皆空）"},
    {S::StateEmptyOne, "emptyOne", "emptyOne 空（已删除）"},
    {S::StateEvacX, "evacuatedX", "evacuatedX 迁往 X"},
    {S::StateEvacY, "evacuatedY", "evacuatedY 迁往 Y"},
    {S::StateEvacEmpty, "evacuatedEmpty", "evacuatedEmpty 迁移时为空"},
    {S::StateLive, "live key", "有效键"},
    {S::StateCurrent, "current event", "当前事件"},
    {S::View, "view:", "显示："},
    {S::ViewAuto, "auto", "自动"},
    {S::ViewDetail, "detail", "详细"},
    {S::ViewOverview, "overview", "总览"},
    {S::ShowMoves, "all X/Y moves", "全部 X/Y 迁移"},
    {S::Zoom, "zoom", "缩放"},
    {S::OverviewBecause, "Large map: one pixel per cell. Zoom in (mouse wheel) to read cells.",
     "大映射：每个单元一个像素。滚动鼠标滚轮放大查看。"},
    {S::DetailTooBig, "Too many buckets for the detail view (B > 10): use the overview.",
     "桶太多，无法详细显示（B > 10）：请使用总览。"},
    {S::Evacuated, "evac.", "已迁移"},
    {S::OverflowPool, "preallocated overflow pool", "预分配的溢出桶池"},
    {S::Chain, "chain", "链"},
    {S::OverviewCells, "cells:", "单元："},
    {S::OverviewZoom, "zoom:", "缩放："},
    {S::OverviewFit, "Fit", "适应窗口"},
    {S::OverviewFollow, "follow the event", "跟随事件"},
    {S::OverviewHelp,
     "Each texel is one cell of a bucket (8 per bucket, left to right). Colours: cell states. An orange band marks a "
     "bucket with overflow bmaps. Mouse wheel: zoom; drag: pan; double-click: zoom in.",
     "每个像素是桶中的一个单元（每桶 8 个，从左到右）。颜色表示单元状态；橙色条表示该桶有溢出桶。滚轮缩放，拖动平移，双击放大。"},
    {S::HashNone, "No hash at this event: step into an insert, lookup or delete to see its key's hash.",
     "此事件没有哈希：单步进入插入、查找或删除即可看到键的哈希。"},
    {S::HashOfKey, "hash of", "哈希："},
    {S::HashOldBucket, "during the grow: old bucket = hash & (2^(B-1)-1) = {}", "扩容期间：旧桶 = hash & (2^(B-1)-1) = {}"},
    {S::HashSameSize, "Same-size grow: no hashing, every key stays at its bucket index (X).",
     "等量扩容：无需计算哈希，每个键保持原桶号（X）。"},
    {S::HashKeptTop, "(kept)", "（保持不变）"},
    {S::RealSource, "real runtime/map.go", "真实的 runtime/map.go"},
    {S::RealSourceMissing, "Go 1.19 sources not found", "未找到 Go 1.19 源码"},
    {S::NoFunction, "(no runtime function at the cursor)", "（光标处没有运行时函数）"},
    {S::CatOps, "ops", "操作"},
    {S::CatSearch, "search", "查找"},
    {S::CatWrites, "writes", "写入"},
    {S::CatGrowth, "growth", "扩容"},
    {S::CatOverflow, "overflow", "溢出"},
    {S::CatIteration, "iteration", "遍历"},
    {S::CatFlags, "flags", "标志"},
    {S::CatErrors, "errors", "错误"},
    {S::FilterHint, "filter text", "筛选文本"},
    {S::FollowCursor, "follow", "跟随"},
    {S::Function, "function", "函数"},
    {S::WhatHappened, "what happened", "发生了什么"},
    {S::TipStart, "First event (Home)", "第一个事件（Home）"},
    {S::TipBackOp, "Back one operation (Shift+Left)", "后退一个操作（Shift+←）"},
    {S::TipBack, "Step back (Left)", "后退一步（←）"},
    {S::TipPlay, "Play / pause (Space)", "播放 / 暂停（空格）"},
    {S::TipStep, "Step into: next event (Right)", "单步进入：下一个事件（→）"},
    {S::TipOver, "Step over: finish the operation (Shift+Right)", "单步跳过：执行完整个操作（Shift+→）"},
    {S::TipOut, "Step out: finish the runtime function (Up)", "单步跳出：执行完当前运行时函数（↑）"},
    {S::TipEnd, "Last event (End)", "最后一个事件（End）"},
    {S::SpeedFormat, "%.0f events/s", "%.0f 事件/秒"},
    {S::EventOfTotal, "event {} of {}", "事件 {} / {}"},
    {S::MarkGrowStart, "grow starts", "开始扩容"},
    {S::MarkSameSize, "same-size grow", "等量扩容"},
    {S::MarkGrowEnd, "grow ends", "扩容结束"},
    {S::MarkOverflow, "overflow bucket", "溢出桶"},
    {S::MarkPanic, "panic", "panic"},
    {S::MarkFatal, "fatal error", "致命错误"},
    {S::PlotLoad, "load factor (6.5 grows)", "负载因子（6.5 时扩容）"},
    {S::PlotCount, "count", "元素个数"},
    {S::PlotNoverflow, "noverflow (vs 2^min(B,15))", "溢出桶数（阈值 2^min(B,15)）"},
    {S::PlotMemory, "bytes in buckets", "桶占用字节"},
    {S::WinGoroutines, "Goroutines", "协程"},
    {S::RaceReady, "ready", "就绪"},
    {S::RaceInOp, "in a map operation", "映射操作中"},
    {S::RaceBlocked, "blocked", "阻塞"},
    {S::RaceDone, "done", "已结束"},
    {S::RaceDied, "died", "已崩溃"},
    {S::RaceWriting, "hashWriting is set: a map write is in progress", "hashWriting 已置位：有写操作正在进行"},
    {S::RaceNotWriting, "hashWriting is clear", "hashWriting 未置位"},
    {S::RaceSchedule, "Schedule (goroutine of each step)", "调度（每一步运行的协程）"},
    {S::RaceStepTip, "step %d: G%d", "第 %d 步：G%d"},
    {S::RaceNone, "No race scenario: open a .race file.", "没有竞争场景：请打开 .race 文件。"},
    {S::RaceNarration, "Lesson", "课程说明"},
    {S::RaceRestart, "Restart", "重新开始"},
    {S::RaceStepBack, "Step back", "后退一步"},
    {S::RaceStepSched, "Step (scheduler)", "单步（调度器）"},
    {S::RaceRunToEnd, "Run to end", "运行到结束"},
    {S::RaceStepForward, "Redo step", "重做一步"},
    {S::RaceSaveSession, "Save session as scenario", "将会话保存为场景"},
    {S::RaceSaved, "Saved to %s (replays this schedule)", "已保存到 %s（按此调度重放）"},
    {S::RaceSteps, "steps", "步数"},
    {S::RaceStepLane, "Step this goroutine", "单步执行此协程"},
    {S::RaceCurrentOp, "current op", "当前操作"},
    {S::RaceNotInOp, "not inside a map operation", "不在映射操作中"},
    {S::RaceOutcome, "Outcome", "结果"},
    {S::RaceRunning, "still running: step the lanes", "仍在运行：请逐步执行各泳道"},
    {S::RaceNoRace, "no race detected", "未检测到竞争"},
    {S::RaceConsistent, "the map is consistent with some order of the operations", "映射与某种操作顺序一致"},
    {S::RaceWritingSetBy, "hashWriting set by G{}", "hashWriting 由 G{} 置位"},
    {S::RaceWritingClearedBy, "hashWriting last cleared by G{}", "hashWriting 最后由 G{} 清除"},
    {S::ColG, "G", "协程"},
    {S::AllGoroutines, "all goroutines", "全部协程"},
    {S::RaceStepOf, "step {} of {}", "第 {} 步，共 {} 步"},
    {S::StepsWord, "steps", "步"},
    {S::MenuShowRace, "Show the race", "显示竞争场景"},
    {S::MenuShowScript, "Show the op-script session", "显示操作脚本会话"},
    {S::RaceBmapLost,
     "G{0}'s overflow bucket (chain {2} of bucket {1}) was unlinked by G{3} at event {4}: unreachable now, with what G{0} "
     "stored in it",
     "G{0} 的溢出桶（{1} 号桶链上的第 {2} 个）在事件 {4} 被 G{3} 断开：现在无法访问，G{0} 存入其中的内容随之丢失"},
#include "ui/strings_files.inc"
#include "ui/strings_lessons.inc"
#include "ui/strings_views.inc"
#include "ui/strings_text.inc"
#include "ui/strings_compare.inc"
#include "ui/strings_swiss.inc"
#include "ui/strings_sync.inc"
#include "ui/strings_race.inc"
}};

constexpr bool inOrder() {
  for (std::size_t i = 0; i < kTable.size(); i++)
    if (static_cast<std::size_t>(kTable[i].id) != i) return false;
  return true;
}
static_assert(inOrder(), "the string table is out of step with enum S");

Lang gLang = Lang::En;
} // namespace

void setLanguage(Lang l) { gLang = l; }
Lang language() { return gLang; }

const char* trIn(S s, Lang l) {
  const Entry& e = kTable[static_cast<std::size_t>(s)];
  return l == Lang::Zh ? e.zh : e.en;
}

const char* tr(S s) { return trIn(s, gLang); }

const char* languageName(Lang l) { return l == Lang::Zh ? "简体中文" : "English"; }

namespace {
constexpr SiteNoteRow kSiteNotes[] = {
#include "ui/strings_site_notes.inc"
};
} // namespace

std::span<const SiteNoteRow> siteNoteRows() { return kSiteNotes; }

std::string_view siteNoteIn(std::string_view english, Lang l) {
  if (l != Lang::Zh) return english;
  static const std::unordered_map<std::string_view, const char*> zh = [] {
    std::unordered_map<std::string_view, const char*> m;
    for (const SiteNoteRow& r : kSiteNotes)
      if (r.zh) m.emplace(r.en, r.zh);
    return m;
  }();
  const auto it = zh.find(english);
  return it == zh.end() ? english : std::string_view(it->second);
}

std::string_view siteNote(std::string_view english) { return siteNoteIn(english, gLang); }

std::string allStringsOf(Lang l) {
  std::string out;
  for (const Entry& e : kTable) out += l == Lang::Zh ? e.zh : e.en;
  for (const SiteNoteRow& r : kSiteNotes)
    if (l == Lang::Zh && r.zh) out += r.zh;
  return out;
}

} // namespace gomap::ui
