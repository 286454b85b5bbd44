// UI string ids for op-script lessons, the Lesson panel and predict mode (see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_lessons.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_LESSONS(X)
