// UI string ids for the comparison panel: classic and Swiss side by side (ui/compare_view.hpp; see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_compare.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_COMPARE(X)                                                                                 \
  X(WinCompare) X(CmpNone) X(CmpOpOf) X(CmpBefore) X(CmpColFigure) X(CmpColClassic) X(CmpColSwiss) X(CmpBytes)         \
  X(CmpEntries) X(CmpShape) X(CmpSlots) X(CmpLoad) X(CmpEmpty) X(CmpLookups) X(CmpProbes) X(CmpKeyCmp) X(CmpTophash)   \
  X(CmpThisGet) X(CmpGrows) X(CmpEvacuations) X(CmpOverflow) X(CmpConversions) X(CmpSplits) X(CmpDirDoublings)         \
  X(CmpPrunes) X(CmpPlotBytes) X(CmpPlotProbes) X(CmpShapeNil) X(CmpShapeBuckets) X(CmpGrowing) X(CmpShapeSmall)       \
  X(CmpShapeSmallEmpty) X(CmpShapeTables) X(CmpStopped) X(CmpFirst) X(CmpPrev) X(CmpNext) X(CmpLast) X(CmpSameSize)    \
  X(CmpNotMade) X(CmpPlotHelp) X(CmpLoadError)                                                                        \
  X(SbsLoaded) X(SbsCannotOpen) X(SbsMenuOpen) X(SbsMenuLeave) X(WinSbsSteps) X(WinSbsClassicHeader)                   \
  X(WinSbsClassicBuckets) X(WinSbsSwissHeader) X(WinSbsSwissGroups) X(SbsTitle) X(SbsEvents) X(SbsSpeed) X(SbsLeave)    \
  X(SbsTipLeave) X(SbsTipFirst) X(SbsTipPrev) X(SbsTipNext) X(SbsTipLast) X(SbsTipPlay) X(SbsScrub) X(SbsTabMaps) X(SbsTabFigures)
