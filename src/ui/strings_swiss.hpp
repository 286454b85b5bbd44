// UI string ids of the Swiss map's views (issue 13; see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_swiss.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_SWISS(X) \
  X(WinSwissHeader) X(WinSwissGroups) X(WinSwissHash) X(WinSwissCode) X(WinSwissEvents) X(WinSwissTimeline) \
  X(SwNotMade) X(SwNilMap) X(SwFieldUsed) X(SwFieldSeed) X(SwFieldDirLen) X(SwFieldGlobalDepth) \
  X(SwFieldWriting) X(SwFieldTombstonePossible) X(SwFieldClearSeq) X(SwVersion) X(SwSmallMap) X(SwDirectory) \
  X(SwDirEntries) X(SwDirEntry) X(SwTables) X(SwColTable) X(SwColCapacity) X(SwColUsed) X(SwColGrowthLeft) \
  X(SwColTombstones) X(SwColLoad) X(SwLoadHelp) X(SwTableTitle) X(SwSmallTitle) X(SwGroupLabel) X(SwTableShort) X(SwLegend) \
  X(SwProbeLegend) X(SwOverviewBecause) X(SwNoHash) X(SwHashLine) X(SwH1) X(SwH2) X(SwDirIndex) \
  X(SwDirIndexSmall) X(SwProbeStart) X(SwProbeSeq) X(SwBitsLegend) X(SwCodeSite) X(SwCodeSteps) X(SwRealSource) \
  X(SwRealMissing) X(SwBeforeFirst) X(SwOpHeader) X(SwFollow) X(SwEvOpBegin) X(SwEvOpEnd) X(SwEvHashed) \
  X(SwEvHashedSmall) X(SwEvGroupProbed) X(SwEvKeyCompared) X(SwEvSlotChosenEmpty) X(SwEvSlotChosenTomb) \
  X(SwEvSlotChosenExisting) X(SwEvSlotWritten) X(SwEvKeyUpdated) X(SwEvElemWritten) X(SwEvElemRead) \
  X(SwEvUsedChanged) X(SwEvUsedChangedSmall) X(SwEvSlotDeletedEmpty) X(SwEvSlotDeletedTomb) X(SwEvGroupAllocated) X(SwEvTableAllocated) \
  X(SwEvConvert) X(SwEvRehashGrow) X(SwEvRehashSplit) X(SwEvSlotMoved) X(SwEvRight) X(SwEvLeft) \
  X(SwEvTableInstalled) X(SwEvDirDoubled) X(SwEvPruneStarted) X(SwEvPruneGroup) X(SwEvPruneEndFew) \
  X(SwEvPruneEndTooFew) X(SwEvPruneEndPruned) X(SwEvWriting) X(SwEvSeedMake) X(SwEvSeedDelete) X(SwEvSeedClear) \
  X(SwEvCleared) X(SwEvClearedFull) X(SwEvIterStarted) X(SwEvIterTable) X(SwEvIterYielded) X(SwEvIterFinished) \
  X(SwEvPanic) X(SwEvFatal) X(SwEqual) X(SwNotEqual) X(SwInTableSmall) X(SwInTable) X(SwInNewTable) X(SwEventOf) \
  X(SwOpsEvents) X(SwLoaded) X(SwMenuTitle) X(SwRaceReplaced) X(SwRaceTag) X(SwRaceWriting) X(SwRaceHeader) \
  X(SwRaceTitle) X(SwLoopBody) X(SwLoopPair) X(SwBuildingTitle) X(SwBuildingLeft) X(SwBuildingRight) \
  X(SwBuildingShort) X(SwBuildingShortRight) X(SwMovedKey) X(SwSplitBit) X(SwSplitLeft) X(SwSplitRight) \
  X(SwMovedProbeStart) \
  X(SwNoGroupYet) X(SwScriptSeed) X(SwColTableShort) X(SwColCapacityShort) X(SwColGrowthLeftShort) \
  X(SwColTombstonesShort) X(SbsOpShort)
