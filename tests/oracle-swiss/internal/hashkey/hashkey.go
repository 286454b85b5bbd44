// Package hashkey makes the Go runtime's fallback map hash deterministic for
// the Swiss-map oracle (Go 1.26 and 1.27).
//
// With GODEBUG=cpu.aes=off the runtime hashes map keys with the portable
// functions of hash64.go (runtime in 1.26, internal/runtime/maps in 1.27),
// keyed by the four words of hashkey and the map's 64-bit seed (spec 19).
// This package overwrites hashkey in its init function, which must run before
// any other package builds a map: maps built with the old key could no longer
// find their entries. Go >= 1.21 initialises ready packages in import-path
// order, and this module's path starts with a capital letter, so this package
// (which imports only unsafe) is initialised right after the runtime.
//
// The words come from GOMAPLAB_SWISS_HASHKEY ("K0,K1,K2,K3", decimal or 0x
// hexadecimal); without it Default is used. The environment is read from
// runtime.envs, because os.Getenv would build syscall's env map too early.
// The linknames are in hashkey_go126.go / hashkey_go127.go; they need
// -ldflags=-checklinkname=0.
package hashkey

import _ "unsafe" // for go:linkname

// EnvVar carries the four hashkey words.
const EnvVar = "GOMAPLAB_SWISS_HASHKEY"

// Default is the default hashkey.
var Default = [4]uint64{0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x8796a5b4c3d2e1f0}

//go:linkname runtimeEnvs runtime.envs
var runtimeEnvs []string

// Key is the value installed in hashkey.
var Key [4]uint64

// EnvError is non-empty when EnvVar was set but could not be parsed (Default
// is then used).
var EnvError string

func init() {
	k := Default
	for _, e := range runtimeEnvs {
		if len(e) > len(EnvVar) && e[:len(EnvVar)] == EnvVar && e[len(EnvVar)] == '=' {
			if v, ok := ParseKey(e[len(EnvVar)+1:]); ok {
				k = v
			} else {
				EnvError = "bad " + e
			}
		}
	}
	Key = k
	for i := range k {
		runtimeHashkey[i] = uintptr(k[i])
	}
}

// Current returns the runtime's hashkey as it is now.
func Current() [4]uint64 {
	var k [4]uint64
	for i := range k {
		k[i] = uint64(runtimeHashkey[i])
	}
	return k
}

// AESHash reports whether the runtime uses the AES map hash (then hashkey has
// no effect on hashes). It is false when the process started with
// GODEBUG=cpu.aes=off.
func AESHash() bool { return runtimeUseAeshash }

// Format gives k in the EnvVar syntax.
func Format(k [4]uint64) string {
	s := ""
	for i, w := range k {
		if i > 0 {
			s += ","
		}
		s += Hex(w)
	}
	return s
}

// Hex formats v as 0x followed by 16 hexadecimal digits.
func Hex(v uint64) string {
	const hex = "0123456789abcdef"
	var b [18]byte
	b[0], b[1] = '0', 'x'
	for i := 0; i < 16; i++ {
		b[2+i] = hex[(v>>uint(60-4*i))&15]
	}
	return string(b[:])
}

// ParseKey parses four comma-separated words.
func ParseKey(s string) ([4]uint64, bool) {
	var k [4]uint64
	n := 0
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if n == 4 {
				return k, false
			}
			v, ok := ParseUint64(s[start:i])
			if !ok {
				return k, false
			}
			k[n] = v
			n++
			start = i + 1
		}
	}
	return k, n == 4
}

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
