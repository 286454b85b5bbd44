package main

import (
	"reflect"
	"unsafe"
)

// mapRunner performs the script's operations on a real Go map. There is one
// implementation per key kind, written with concrete types (not generics) so
// the compiler emits exactly the calls a normal program gets: mapassign_fast64,
// fast32 and faststr (the fast rule, spec 10.3) for int64, int32 and string
// keys, the generic mapassign (spec 10.4) for float64 keys, and the matching
// mapaccess2 and mapdelete variants. clear is the builtin (runtime.mapclear,
// spec 15) for every kind.
//
// The map lives in a field of a heap-allocated runner, so it escapes, and make
// with a run-time hint always calls runtime.makemap (spec 5.2): hint <= 8
// leaves dirPtr nil until the first insert.
type mapRunner interface {
	makeMap(hint int)
	iface() any
	keyPtr(k *keyVal) unsafe.Pointer
	put(k *keyVal, v int64)
	del(k *keyVal)
	get(k *keyVal) (int64, bool)
	clear()
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
func (r *runInt64) iface() any                       { return r.m }
func (r *runInt64) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.i64) }
func (r *runInt64) put(k *keyVal, v int64)           { r.m[k.i64] = v }
func (r *runInt64) del(k *keyVal)                    { delete(r.m, k.i64) }
func (r *runInt64) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.i64]; return }
func (r *runInt64) clear()                           { clear(r.m) }

type runInt32 struct{ m map[int32]int64 }

func (r *runInt32) makeMap(hint int)                 { r.m = make(map[int32]int64, hint) }
func (r *runInt32) iface() any                       { return r.m }
func (r *runInt32) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.i32) }
func (r *runInt32) put(k *keyVal, v int64)           { r.m[k.i32] = v }
func (r *runInt32) del(k *keyVal)                    { delete(r.m, k.i32) }
func (r *runInt32) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.i32]; return }
func (r *runInt32) clear()                           { clear(r.m) }

type runString struct{ m map[string]int64 }

func (r *runString) makeMap(hint int)                 { r.m = make(map[string]int64, hint) }
func (r *runString) iface() any                       { return r.m }
func (r *runString) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.str) }
func (r *runString) put(k *keyVal, v int64)           { r.m[k.str] = v }
func (r *runString) del(k *keyVal)                    { delete(r.m, k.str) }
func (r *runString) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.str]; return }
func (r *runString) clear()                           { clear(r.m) }

type runFloat64 struct{ m map[float64]int64 }

func (r *runFloat64) makeMap(hint int)                 { r.m = make(map[float64]int64, hint) }
func (r *runFloat64) iface() any                       { return r.m }
func (r *runFloat64) keyPtr(k *keyVal) unsafe.Pointer  { return unsafe.Pointer(&k.f64) }
func (r *runFloat64) put(k *keyVal, v int64)           { r.m[k.f64] = v }
func (r *runFloat64) del(k *keyVal)                    { delete(r.m, k.f64) }
func (r *runFloat64) get(k *keyVal) (v int64, ok bool) { v, ok = r.m[k.f64]; return }
func (r *runFloat64) clear()                           { clear(r.m) }

// appendIter iterates the map with reflect.MapIter (whose Next runs
// maps.Iter.Init and Next, spec 16) and writes ,"keys":[...],"offsets":[E,D].
// The offsets are read at MapIter+56 and +64 after the first Next (dirOffset
// may already be adjusted to its table's first entry, which gives the same
// order). With explicit offsets the iterator is put back to its state right
// after Init with those offsets, and iteration starts again from there: the
// runtime's own Next then walks the map in the order those draws give.
//
// body, when not nil, runs after each key yielded and before the next Next:
// a range loop's body (writes from compiled code on the same map, so a
// reflect iteration has range's semantics). The yielded values are then
// written too, as ,"vals":[...] after the offsets.
func appendIter(b []byte, kind mapKind, m any, explicit bool, e, d uint64, body func(k reflect.Value)) []byte {
	it := reflect.ValueOf(m).MapRange()
	var keys []reflect.Value
	var vals []int64
	yield := func() {
		k := it.Key()
		keys = append(keys, k)
		vals = append(vals, it.Value().Int())
		if body != nil {
			body(k)
		}
	}
	var offE, offD uint64
	if it.Next() {
		p := unsafe.Pointer(it)
		if explicit {
			*(*uint64)(unsafe.Add(p, iterEntryOffset)) = e
			*(*uint64)(unsafe.Add(p, iterDirOffset)) = d
			*(*uint64)(unsafe.Add(p, iterEntryIdx)) = 0
			*(*unsafe.Pointer)(unsafe.Add(p, iterTab)) = nil
			if *(*int)(unsafe.Add(p, iterDirIdx)) >= 0 { // a table map (small: -1, its group kept)
				*(*int)(unsafe.Add(p, iterDirIdx)) = 0
				*(*unsafe.Pointer)(unsafe.Add(p, iterGroup)) = nil
			}
			// The key pointer stays non-nil, so MapIter.Next calls the
			// runtime's Next instead of reporting an exhausted iterator.
			if !it.Next() {
				panic("iteration with explicit offsets ended at once")
			}
		}
		offE = *(*uint64)(unsafe.Add(p, iterEntryOffset))
		offD = *(*uint64)(unsafe.Add(p, iterDirOffset))
		if explicit {
			offE, offD = e, d
		}
		yield()
		for it.Next() {
			yield()
		}
	}
	b = append(b, `,"keys":[`...)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		switch kind {
		case kindInt64, kindInt32:
			b = appendInt(b, k.Int())
		case kindString:
			b = appendJSONString(b, k.String())
		default:
			b = appendFloatKey(b, k.Float())
		}
	}
	b = append(b, `],"offsets":[`...)
	b = appendUint(b, offE)
	b = append(b, ',')
	b = appendUint(b, offD)
	b = append(b, ']')
	if body != nil {
		b = append(b, `,"vals":[`...)
		for i, v := range vals {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendInt(b, v)
		}
		b = append(b, ']')
	}
	return b
}

// keyOf is the script key of a key the iterator yielded.
func keyOf(kind mapKind, k reflect.Value) keyVal {
	var kv keyVal
	switch kind {
	case kindInt64:
		kv.i64 = k.Int()
	case kindInt32:
		kv.i32 = int32(k.Int())
	case kindString:
		kv.str = k.String()
	default:
		kv.f64 = k.Float()
	}
	return kv
}
