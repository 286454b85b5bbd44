package main

import (
	"strconv"
	"unsafe"
)

// mapRunner performs the script's operations on a real Go map. There is one
// implementation per key kind, written with concrete types (not generics) so
// the compiler emits exactly the calls a normal program gets: the fast
// mapassign/mapaccess/mapdelete variants for int64, int32 and string keys,
// and runtime.mapclear for the `for k := range m { delete(m, k) }` loop when
// the key type is reflexive (not float64).
//
// The map lives in a field of a heap-allocated runner, so it escapes and make
// with a run-time hint always calls runtime.makemap (hmap and buckets on the
// heap, no stack bucket).
type mapRunner interface {
	makeMap(hint int)
	setNil()
	iface() any
	keyPtr(k *keyVal) unsafe.Pointer
	put(k *keyVal, v int64)
	del(k *keyVal)
	get(k *keyVal) (int64, bool)
	clear()
	appendIterKeys(b []byte) []byte
}

func newRunner(kind mapKind) mapRunner {
	switch kind {
	case kindInt64:
		return &runInt64{}
	case kindInt32:
		return &runInt32{}
	case kindString:
		return &runString{}
	default:
		return &runFloat64{}
	}
}

type runInt64 struct{ m map[int64]int64 }

func (r *runInt64) makeMap(hint int)                 { r.m = make(map[int64]int64, hint) }
func (r *runInt64) setNil()                          { r.m = nil }
func (r *runInt64) iface() any                       { return r.m }
func (r *runInt64) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.i64) }
func (r *runInt64) put(k *keyVal, v int64)           { r.m[k.i64] = v }
func (r *runInt64) del(k *keyVal)                    { delete(r.m, k.i64) }
func (r *runInt64) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.i64]; return }
func (r *runInt64) clear() {
	m := r.m
	for k := range m {
		delete(m, k) // compiled to runtime.mapclear
	}
}
func (r *runInt64) appendIterKeys(b []byte) []byte {
	keys := make([]int64, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, k, 10)
	}
	return append(b, ']')
}

type runInt32 struct{ m map[int32]int64 }

func (r *runInt32) makeMap(hint int)                 { r.m = make(map[int32]int64, hint) }
func (r *runInt32) setNil()                          { r.m = nil }
func (r *runInt32) iface() any                       { return r.m }
func (r *runInt32) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.i32) }
func (r *runInt32) put(k *keyVal, v int64)           { r.m[k.i32] = v }
func (r *runInt32) del(k *keyVal)                    { delete(r.m, k.i32) }
func (r *runInt32) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.i32]; return }
func (r *runInt32) clear() {
	m := r.m
	for k := range m {
		delete(m, k) // compiled to runtime.mapclear
	}
}
func (r *runInt32) appendIterKeys(b []byte) []byte {
	keys := make([]int32, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(k), 10)
	}
	return append(b, ']')
}

type runString struct{ m map[string]int64 }

func (r *runString) makeMap(hint int)                 { r.m = make(map[string]int64, hint) }
func (r *runString) setNil()                          { r.m = nil }
func (r *runString) iface() any                       { return r.m }
func (r *runString) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.str) }
func (r *runString) put(k *keyVal, v int64)           { r.m[k.str] = v }
func (r *runString) del(k *keyVal)                    { delete(r.m, k.str) }
func (r *runString) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.str]; return }
func (r *runString) clear() {
	m := r.m
	for k := range m {
		delete(m, k) // compiled to runtime.mapclear
	}
}
func (r *runString) appendIterKeys(b []byte) []byte {
	keys := make([]string, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
	}
	return append(b, ']')
}

type runFloat64 struct{ m map[float64]int64 }

func (r *runFloat64) makeMap(hint int)                 { r.m = make(map[float64]int64, hint) }
func (r *runFloat64) setNil()                          { r.m = nil }
func (r *runFloat64) iface() any                       { return r.m }
func (r *runFloat64) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.f64) }
func (r *runFloat64) put(k *keyVal, v int64)           { r.m[k.f64] = v }
func (r *runFloat64) del(k *keyVal)                    { delete(r.m, k.f64) }
func (r *runFloat64) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.f64]; return }
func (r *runFloat64) clear() {
	m := r.m
	for k := range m {
		// float64 == is not reflexive (NaN), so this is a real iterate-and-
		// delete loop, not runtime.mapclear; NaN keys stay in the map.
		delete(m, k)
	}
}
func (r *runFloat64) appendIterKeys(b []byte) []byte {
	keys := make([]float64, 0, len(r.m))
	for k := range r.m {
		keys = append(keys, k)
	}
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, floatKeyString(k)...)
		b = append(b, '"')
	}
	return append(b, ']')
}

// appendJSONString writes s as a JSON string: bytes 0x20..0x7e are written
// as they are except '"' and '\\' (escaped with a backslash); every other
// byte is written as \u00xx, one escape per byte.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20 && c <= 0x7e:
			b = append(b, c)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
	}
	return append(b, '"')
}
