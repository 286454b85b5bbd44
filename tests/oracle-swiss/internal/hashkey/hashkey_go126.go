//go:build !go1.27

package hashkey

import _ "unsafe" // for go:linkname

// Go 1.26: the fallback hash and its key live in package runtime (alg.go).

//go:linkname runtimeHashkey runtime.hashkey
var runtimeHashkey [4]uintptr

//go:linkname runtimeUseAeshash runtime.useAeshash
var runtimeUseAeshash bool
