//go:build go1.27

package hashkey

import _ "unsafe" // for go:linkname

// Go 1.27: hashing moved into internal/runtime/maps (runtime_alg.go).

//go:linkname runtimeHashkey internal/runtime/maps.hashkey
var runtimeHashkey [4]uintptr

//go:linkname runtimeUseAeshash internal/runtime/maps.UseAeshash
var runtimeUseAeshash bool
