// The UI's text in English and Simplified Chinese: one table (strings.cpp),
// looked up by id, never literals scattered through the views. Strings with
// {} are fmt format strings with the same arguments in both languages.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

// Each area of the UI keeps its ids in its own list (ui/strings_AREA.hpp) and
// its rows in ui/strings_AREA.inc, in the same order, so work on one area does
// not touch the others' lines.
#include "ui/strings_compare.hpp"
#include "ui/strings_files.hpp"
#include "ui/strings_lessons.hpp"
#include "ui/strings_race.hpp"
#include "ui/strings_swiss.hpp"
#include "ui/strings_sync.hpp"
#include "ui/strings_text.hpp"
#include "ui/strings_views.hpp"

namespace gomap::ui {

enum class Lang : uint8_t { En, Zh };

#define GOMAPLAB_UI_STRING_IDS(X)                                                                                      \
  X(MenuFile) X(MenuQuit) X(MenuView) X(MenuResetLayout) X(MenuTheme) X(ThemeDark) X(ThemeProjector) X(MenuFontScale)  \
  X(MenuLanguage) X(MenuHelp) X(MenuKeys) X(KeysText)                                                                 \
  X(WinControls) X(WinHeader) X(WinBuckets) X(WinPlots) X(WinHash) X(WinCode) X(WinEvents) X(WinTimeline)              \
  X(NoMap) X(NilMap) X(NoBuckets) X(Dismiss)                                                                          \
  X(SecOperations) X(Key) X(Value) X(ValueHint) X(Insert) X(Delete) X(Lookup) X(Iterate) X(Clear) X(InsertRange)       \
  X(InsertRandom) X(Run) X(WatchNewOps) X(WatchNewOpsHelp)                                                            \
  X(SecTeaching) X(UntilGrow) X(UntilGrowHelp) X(BucketN) X(SameHash) X(SameHashHelp) X(Collide)                      \
  X(SecNewMap) X(KeyKind) X(SizeHint) X(HashMode) X(HashGo) X(HashIdentity) X(NewMap)                                 \
  X(SecBig) X(NewMapB) X(RandomKeys) X(BulkInsert) X(Cancel)                                                          \
  X(SecScript) X(PathHint) X(Open) X(Save) X(DropFuture) X(DropFutureHelp) X(Scenarios)                               \
  X(NoteCount) X(BucketsWord) X(LoadFactor) X(NoteGrowAt) X(NoteNoverflowApprox) X(NoteIdentity) X(Spares)            \
  X(GrowSameSize) X(GrowDoubling) X(NotGrowing) X(Memory) X(MemArrays) X(MemHeap) X(Op) X(Event) X(BeforeFirstEvent)  \
  X(StateEmptyRest) X(StateEmptyOne) X(StateEvacX) X(StateEvacY) X(StateEvacEmpty) X(StateLive) X(StateCurrent)       \
  X(View) X(ViewAuto) X(ViewDetail) X(ViewOverview) X(ShowMoves) X(Zoom) X(OverviewBecause) X(DetailTooBig)           \
  X(Evacuated) X(OverflowPool) X(Chain)                                                                               \
  X(OverviewCells) X(OverviewZoom) X(OverviewFit) X(OverviewFollow) X(OverviewHelp)                                   \
  X(HashNone) X(HashOfKey) X(HashOldBucket) X(HashSameSize) X(HashKeptTop)                                            \
  X(RealSource) X(RealSourceMissing) X(NoFunction)                                                                    \
  X(CatOps) X(CatSearch) X(CatWrites) X(CatGrowth) X(CatOverflow) X(CatIteration) X(CatFlags) X(CatErrors)            \
  X(FilterHint) X(FollowCursor) X(Function) X(WhatHappened)                                                           \
  X(TipStart) X(TipBackOp) X(TipBack) X(TipPlay) X(TipStep) X(TipOver) X(TipOut) X(TipEnd) X(SpeedFormat)             \
  X(EventOfTotal) X(MarkGrowStart) X(MarkSameSize) X(MarkGrowEnd) X(MarkOverflow) X(MarkPanic) X(MarkFatal)           \
  X(PlotLoad) X(PlotCount) X(PlotNoverflow) X(PlotMemory)                                                  \
  X(WinGoroutines) X(RaceReady) X(RaceInOp) X(RaceBlocked) X(RaceDone) X(RaceDied) X(RaceWriting) X(RaceNotWriting)   \
  X(RaceSchedule) X(RaceStepTip) X(RaceNone) X(RaceNarration) X(RaceRestart) X(RaceStepBack) X(RaceStepSched)         \
  X(RaceRunToEnd) X(RaceStepForward) X(RaceSaveSession) X(RaceSaved) X(RaceSteps) X(RaceStepLane) X(RaceCurrentOp) X(RaceNotInOp) X(RaceOutcome)      \
  X(RaceRunning) X(RaceNoRace) X(RaceConsistent)                                                                      \
  X(RaceWritingSetBy) X(RaceWritingClearedBy) X(ColG) X(AllGoroutines) X(RaceStepOf) X(StepsWord) X(MenuShowRace) X(MenuShowScript) X(RaceBmapLost)  \
  GOMAPLAB_UI_STRINGS_FILES(X) GOMAPLAB_UI_STRINGS_LESSONS(X) GOMAPLAB_UI_STRINGS_VIEWS(X) GOMAPLAB_UI_STRINGS_TEXT(X)  \
  GOMAPLAB_UI_STRINGS_COMPARE(X) GOMAPLAB_UI_STRINGS_SWISS(X) GOMAPLAB_UI_STRINGS_SYNC(X) GOMAPLAB_UI_STRINGS_RACE(X)

enum class S : uint16_t {
#define GOMAPLAB_UI_STRING_ENUM(name) name,
  GOMAPLAB_UI_STRING_IDS(GOMAPLAB_UI_STRING_ENUM)
#undef GOMAPLAB_UI_STRING_ENUM
      kCount
};

void setLanguage(Lang l);
Lang language();
// The text of s in the current language.
const char* tr(S s);
const char* trIn(S s, Lang l);
// Every string of a language, concatenated (for the font's glyph set).
std::string allStringsOf(Lang l);
// A language's name in its own script, whatever the UI's language (the
// Language menu): "English", "简体中文".
const char* languageName(Lang l);

// A runtime site's description (its `what`: English, in the engine's tables of
// the classic, Swiss and copy-on-write maps) in the UI's language: its row of
// ui/strings_site_notes.inc, or the text itself when it is code (the same in
// every language) or has no row (Strings.EverySiteNoteHasARow forbids that).
std::string_view siteNote(std::string_view english);
std::string_view siteNoteIn(std::string_view english, Lang l);
// The rows of that table: the English text, and its Chinese or nullptr for code.
struct SiteNoteRow {
  std::string_view en;
  const char* zh;
};
std::span<const SiteNoteRow> siteNoteRows();

} // namespace gomap::ui
