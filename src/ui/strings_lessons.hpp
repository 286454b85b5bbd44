// UI string ids for op-script lessons, the Lesson panel and predict mode (see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_lessons.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_LESSONS(X)                                                                                 \
  X(WinLesson) X(LessonNone) X(LessonOpAt) X(LessonBeforeFirst) X(LessonNoNarration) X(LessonAfterOp)               \
  X(LessonExpectHolds) X(LessonExpectFails) X(LessonSummary) X(LessonTyped)                                          \
  X(PredictMode) X(PredictHelp) X(PredictAsk) X(PredictPick) X(PredictBucket) X(PredictOverflow) X(PredictSlot)      \
  X(PredictGuess) X(PredictYourGuess) X(PredictRun) X(PredictRight) X(PredictWrong) X(PredictRightBucket)             \
  X(PredictSkipped) X(PredictNoTarget) X(PredictTyped) X(PredictInsert) X(PredictCell) X(PredictCellOverflow)         \
  X(WhyHash) X(WhyTop) X(WhyTopPlus) X(WhyGrow) X(WhyGrowSameSize) X(WhyFirstEmpty) X(WhyOverflow) X(WhyExisting)   \
  X(WhyEvacuated) X(WhyTitle) X(PredictNext)
