// UI string ids of the race Outcome's texts (see ui/strings.hpp): the words of
// concurrency/consistency.hpp's ConsistencyWords (Cw*) and of
// concurrency/report.hpp's ReportWords (Rw*), field for field.
// One X(Name) per id; the rows are in ui/strings_race.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_RACE(X) \
  X(CwWho) X(CwListSep) X(CwAndMore) X(CwOneOf) X(CwNotFound) X(CwCountLive) X(CwSlot) X(CwCell) X(CwDuplicateKey) \
  X(CwPlaceSwiss) X(CwSmallGroup) X(CwTableGroup) X(CwPlaceClassic) X(CwOldArray) X(CwNewArray) X(CwOverflow) \
  X(CwIterDuplicate) X(CwLostInsert) X(CwLostInsertBy) X(CwLostDelete) X(CwExtraKey) X(CwWrongValue) X(CwWrongNaNs) \
  X(CwOrderFinal) X(CwWrongGet) X(CwIterMissing) X(CwIterPhantom) X(CwOrderIter) X(CwOrderStrict) \
  X(CwBudgetRelaxed) X(CwBudgetStrict) X(CwMapNote) X(CwFullSlot) X(CwLiveCell) X(CwMapConsistent) X(CwSyncMap) \
  X(CwCowMap) X(CwFTwice) X(CwCowLost) X(CwSyncOrder) X(CwSyncBudget) X(CwSyncNote) X(CwSyncConsistent) \
  X(RwParkedIn) X(RwNotLocked) X(RwRwNotLocked) X(RwNotReadLocked) X(RwRetriesCas) X(RwAnnouncesWriter) X(RwWaitsForReaders) \
  X(RwReaderWaitNext) X(RwWriterPending) X(RwUnlockNext) X(RwReaderWaitDecNext) X(RwCowComparePanicked) X(RwInPlaceStore)
