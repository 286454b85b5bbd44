// UI string ids for glyphs, languages, messages and the status area (see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_text.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_TEXT(X)                                                                                  \
  X(LangZhMissing) X(CjkFontMissing) X(RaceCannotWrite) X(RaceWaitingMutex) X(RaceLoadedFlags) X(RaceFlagBit)           \
  X(RaceOpened) X(RaceStepRefused) X(WinSyncMap) X(SmRead) X(SmReadNil) X(SmDirty) X(SmDirtyNil) X(SmMisses) \
  X(SmPromoteHelp) X(SmHeap) X(SmColKey) X(SmColEntry) X(SmColP) X(SmColValue) X(SmShared) X(SmNoEvent) X(SmMu) X(SmRaceTitle) \
  X(SmHeapRow) X(SmStacks) X(SmStackRow) X(SmStackRead) X(SmStackStale) X(SmStackEntry) X(SmStackCell) \
  X(SmStackNothing) X(SmGcCaption) \
  X(WinCow) X(CowRaceTitle) X(CowNoStep) X(CowVariant) X(CowWordValue) X(CowWordPointer) X(CowPublished) X(CowEmptyValue) \
  X(CowNilPointer) X(CowCounts) X(CowColG) X(CowColOp) X(CowColHeld) X(CowColCopy) X(CowColRetries) X(CowNoMethod) \
  X(CowStale) X(CowHelpCas) X(CowHelpStore) X(CowHelpValueCas) X(CowHelpValueStore) X(CowHelpInPlace) \
  X(WinShards) X(ShRaceTitle) X(ShNoStep) X(ShHelp) X(ShShard) X(ShWriting) X(ShNotWriting) X(ShEmpty) X(ShLockFree) X(ShLockWriter) X(ShLockReaders) X(ShLockPending) X(ShBucketsOf) X(ShFollow)
