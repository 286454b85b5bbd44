// Empty assembly file: allows the pull-style //go:linkname in main.go.
