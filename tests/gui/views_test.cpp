// GUI tests for views (issue 11). Filled in by the work on that area.
