// GUI tests for text (issue 11). Filled in by the work on that area.
