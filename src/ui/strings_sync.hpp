// UI string ids of sync.Map's event texts (issue 12; see ui/strings.hpp): the
// words of a payload's facts (trace's SyncWords, in Chinese) and the sentences
// of the sites whose `what` (engine/syncmap_events.hpp) is not Go code alone.
// One X(Name) per id; the rows are in ui/strings_sync.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_SYNC(X) \
  X(SmwValue) X(SmwReturns) X(SmwNil) X(SmwReadNever) X(SmwReadOnly) X(SmwFound) X(SmwMissing) X(SmwAbsent) \
  X(SmwSwapped) X(SmwFailed) X(SmwRangeCall) X(SmwPublished) X(SmwFreed) \
  X(SmsNone) X(SmsMissingAmendedLock) X(SmsReread) X(SmsRelookupPromotion) X(SmsLoadDirty) X(SmsNotFound) \
  X(SmsLoadEnd) X(SmsTryStoreCas) X(SmsStoredLockFree) X(SmsRelookup) X(SmsWasExpunged) X(SmsStoreDirtyLookup) \
  X(SmsFirstNewKey) X(SmsStoreEnd) X(SmsTlosReload) X(SmsCleanHit) X(SmsLosDirtyLookup) X(SmsLadDirtyDelete) \
  X(SmsDeleteCas) X(SmsAmendedLock) X(SmsPromoteNow) X(SmsRandomOrder) X(SmsRangeEnd) X(SmsMissCount) \
  X(SmsPromotion) X(SmsDirtyIsNil) X(SmsExpungeReload) X(SmsNotExpunged) X(SmsGc) \
  X(SmsCellNotNumbered) \
  X(SmaAcquired) X(SmaParked) X(SmaParkedAgain) X(SmaReleased) X(SmaReleasedWoke) X(SmaReaderIn) X(SmaReaderParked) \
  X(SmaReaderOut) X(SmaReaderDeparting) X(SmaReaderDeparted) X(SmaReaderWokeWriter) X(SmaWriterAnnounced) \
  X(SmaWriterWaits) X(SmaWriterIn) X(SmaWriterParked) X(SmaWriterReleased) X(SmaFatal) \
  X(SmaStep) X(SmaUnlocked) X(SmaWaiters) X(SmaRw) X(SmaWakes) \
  X(SwRaceReplacedSmall)
