// GUI tests for lesson (issue 11). Filled in by the work on that area.
