// GUI tests for files (issue 11). Filled in by the work on that area.
