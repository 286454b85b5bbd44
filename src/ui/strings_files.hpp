// UI string ids for the File menu, the file browser, New map, saving and autosave (see ui/strings.hpp).
// One X(Name) per id; the rows are in ui/strings_files.inc, in the same order.
#pragma once
#define GOMAPLAB_UI_STRINGS_FILES(X)
