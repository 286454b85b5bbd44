// UI string ids for the caption, projector mode, themes and the evacuation layout (see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_views.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_VIEWS(X)                                                                                   \
  X(CaptionWhere) X(CaptionOfOp) X(CaptionBeforeFirst) X(TimelineCounts) X(EvacOldTitle) X(EvacNewTitle)               \
  X(EvacXTitle) X(EvacYTitle) X(EvacSameTitle) X(EvacLegend) X(ThemeLegendXY) X(LogCategories)                      \
  X(MuTitle) X(MuHeldBy) X(MuFree) X(MuQueue) X(MuQueueEmpty) X(MuWaiterCount) X(MuWriterPending) X(MuReadersHold)     \
  X(MuParkedIn) X(MuActiveReaders) X(MuNotModelled) X(MuBitTip)                                                          \
  X(RaceVerdictDied) X(RaceVerdictDeadlock) X(RaceVerdictCorrupt) X(RaceVerdictClean) X(RaceVerdictStepLimit)          \
  X(RaceVerdictUnfinished) X(RaceExpectMet) X(RaceExpectNotMet) X(RaceDropTitle) X(RaceDropText) X(RaceDropText1)        \
  X(RaceDropContinue) X(RaceBackToSchedule) X(ShNoEventYet) X(SmReadOne) X(SmDirtyOne) X(CowVersions)            \
  X(CowVersionsOne) X(CowCasFailures) X(CowCasFailuresOne) X(SwDirectoryOne) X(RaceStepCount) X(RaceStepCountOne)     \
  X(RaceStepLaneShort) X(TipCellNew) X(TipCellOld) X(TipOverflowPart) X(TipLive) X(TipKeyValue) X(TipStaleCopy)       \
  X(TipKeyNoTophash) X(TipPoolBucket) X(TipHeapOverflow) X(TipKeyIs) X(TipBmaps) X(OvNevacuateBox) X(HdrPoolBucket)    \
  X(HdrBitTip) X(BkOld) X(BkNew) X(BkPoolTag) X(BkHeapTag) X(BkSentinel) X(LabelValue)
