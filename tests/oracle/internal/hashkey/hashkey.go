// Package hashkey makes the Go runtime's fallback map hash deterministic.
//
// With GODEBUG=cpu.aes=off the runtime hashes map keys with the portable
// wyhash-style functions in runtime/hash64.go, keyed by runtime.hashkey[0]
// (and a map's hash0). runtime.hashkey is normally filled with random bytes
// by alginit. This package overwrites it in its init function, which must run
// before any other package builds a map: maps built with the old key can no
// longer find their entries. main imports this package first, in its own
// import declaration, and this package imports nothing but unsafe.
//
// The key comes from the environment variable GOMAPLAB_HASHKEY (decimal or
// 0x hexadecimal uint64); without it Default is used. The environment is read
// from runtime.envs directly, because os.Getenv/syscall.Getenv build a map
// (syscall's env cache) that would be hashed with the old key.
package hashkey

import _ "unsafe" // for go:linkname

// EnvVar names the environment variable that carries hashkey[0].
const EnvVar = "GOMAPLAB_HASHKEY"

// Default is hashkey[0] when EnvVar is not set.
const Default uint64 = 0x0123456789abcdef

// Fixed values for the other three words. They only feed the 32-bit hash
// functions (hash32.go), which amd64 does not use; they are set anyway so
// that nothing in the runtime's hashing stays random.
const (
	Word1 uint64 = 0x9e3779b97f4a7c15
	Word2 uint64 = 0xbf58476d1ce4e5b9
	Word3 uint64 = 0x94d049bb133111eb
)

//go:linkname runtimeHashkey runtime.hashkey
var runtimeHashkey [4]uintptr

//go:linkname runtimeUseAeshash runtime.useAeshash
var runtimeUseAeshash bool

//go:linkname runtimeEnvs runtime.envs
var runtimeEnvs []string

// Key is the value installed in runtime.hashkey[0].
var Key uint64

// EnvError is non-empty when EnvVar was set but could not be parsed (Default
// is then used).
var EnvError string

func init() {
	k := Default
	for _, e := range runtimeEnvs {
		if len(e) > len(EnvVar) && e[:len(EnvVar)] == EnvVar && e[len(EnvVar)] == '=' {
			v, ok := ParseUint64(e[len(EnvVar)+1:])
			if ok {
				k = v
			} else {
				EnvError = "bad " + e
			}
		}
	}
	Key = k
	runtimeHashkey[0] = uintptr(k)
	runtimeHashkey[1] = uintptr(Word1)
	runtimeHashkey[2] = uintptr(Word2)
	runtimeHashkey[3] = uintptr(Word3)
}

// Current returns runtime.hashkey[0] as it is now.
func Current() uint64 { return uint64(runtimeHashkey[0]) }

// AESHash reports whether the runtime uses the AES map hash (then hashkey has
// no effect). It is false when the process started with GODEBUG=cpu.aes=off.
func AESHash() bool { return runtimeUseAeshash }

// ParseUint64 parses a decimal or 0x/0X-prefixed hexadecimal uint64. It uses
// no other package so that it can run before anything else is initialised.
func ParseUint64(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	var v uint64
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
		if len(s) > 16 {
			return 0, false
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			var d uint64
			switch {
			case c >= '0' && c <= '9':
				d = uint64(c - '0')
			case c >= 'a' && c <= 'f':
				d = uint64(c-'a') + 10
			case c >= 'A' && c <= 'F':
				d = uint64(c-'A') + 10
			default:
				return 0, false
			}
			v = v<<4 | d
		}
		return v, true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}
