// Empty assembly file: lets this package use pull-style //go:linkname
// (the compiler otherwise insists that every declaration be complete).
