package main

// Go 1.19's sync.Map, mirrored field for field (sync/map.go lines 34-101) so
// that its state can be read through unsafe. The layouts are checked at
// start-up (checkLayout) against a map whose state is known.

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"unsafe"
)

// expunged is sync's own sentinel (sync/map.go:77): an entry whose p equals
// it has been deleted and left out of dirty.
//
//go:linkname expunged sync.expunged
var expunged unsafe.Pointer

type mutexMirror struct { // sync.Mutex (sync/mutex.go:34)
	state int32
	sema  uint32
}

type eface struct { // an `any`: atomic.Value holds one (sync/atomic/value.go:16)
	typ  unsafe.Pointer
	data unsafe.Pointer
}

type entryMirror struct { // sync.entry (sync/map.go:80)
	p unsafe.Pointer // *any, nil or expunged
}

type readOnlyMirror struct { // sync.readOnly (sync/map.go:70)
	m       map[any]*entryMirror
	amended bool
}

type mapMirror struct { // sync.Map (sync/map.go:34)
	mu     mutexMirror
	read   eface // atomic.Value: a readOnly boxed in an interface
	dirty  map[any]*entryMirror
	misses int
}

func mirror(m *sync.Map) *mapMirror { return (*mapMirror)(unsafe.Pointer(m)) }

// readOnly returns the published readOnly object (its box's address is its
// identity), or nil for a map whose read was never stored (spec 0.4).
func (mm *mapMirror) readOnly() *readOnlyMirror {
	return (*readOnlyMirror)(mm.read.data)
}

// checkLayout proves the mirror on a map whose state the source fixes: the
// first Store of a zero Map runs dirtyLocked (an empty dirty, then
// read.Store(readOnly{m: nil, amended: true})) and puts the key in dirty.
func checkLayout() error {
	if unsafe.Sizeof(sync.Map{}) != unsafe.Sizeof(mapMirror{}) || unsafe.Sizeof(sync.Mutex{}) != unsafe.Sizeof(mutexMirror{}) {
		return fmt.Errorf("sync.Map is %d bytes and its Mutex %d, the mirror has %d and %d (not Go 1.19's layout)",
			unsafe.Sizeof(sync.Map{}), unsafe.Sizeof(sync.Mutex{}), unsafe.Sizeof(mapMirror{}), unsafe.Sizeof(mutexMirror{}))
	}
	if expunged == nil {
		return errors.New("sync.expunged is nil")
	}
	var m sync.Map
	mm := mirror(&m)
	if mm.read.typ != nil || mm.dirty != nil {
		return errors.New("a zero sync.Map does not read as zero through the mirror")
	}
	m.Store("x", int64(7))
	ro := mm.readOnly()
	if ro == nil || ro.m != nil || !ro.amended || len(mm.dirty) != 1 || mm.misses != 0 || mm.mu.state != 0 {
		return errors.New("after the first Store the mirror does not show read={m:nil, amended:true}, one dirty key, misses 0")
	}
	e := mm.dirty["x"]
	if e == nil || e.p == nil || e.p == expunged {
		return errors.New("after the first Store the mirror does not find the key's entry in dirty")
	}
	if v, ok := (*(*any)(e.p)).(int64); !ok || v != 7 {
		return errors.New("the entry's p does not point at the stored value")
	}
	m.Load("y") // one miss: 1 >= len(dirty) promotes
	if ro2 := mm.readOnly(); ro2 == ro || ro2.amended || ro2.m["x"] != e || mm.dirty != nil || mm.misses != 0 {
		return errors.New("a promotion does not read as read={m:{x}, amended:false}, dirty nil through the mirror")
	}
	return nil
}

// ids numbers objects by first sight. Its maps are keyed by the objects'
// pointers, so a numbered object stays alive and its address cannot be
// reused while it has a number. Each op keeps only the objects its state
// shows: one the map dropped is forgotten, and a new object later allocated
// at its address gets a new number.
type ids struct {
	cur, nxt map[unsafe.Pointer]int
	last     int
}

func newIDs() *ids {
	return &ids{cur: map[unsafe.Pointer]int{}, nxt: map[unsafe.Pointer]int{}}
}

func (t *ids) see(p unsafe.Pointer) int {
	if id, ok := t.nxt[p]; ok {
		return id
	}
	id, ok := t.cur[p]
	if !ok {
		t.last++
		id = t.last
	}
	t.nxt[p] = id
	return id
}

// endOp forgets the objects the last state did not show.
func (t *ids) endOp() {
	t.cur, t.nxt = t.nxt, t.cur
	for k := range t.nxt {
		delete(t.nxt, k)
	}
}

// identities: readOnly objects, entries and value cells, each numbered apart.
type identities struct{ read, entry, cell *ids }

func newIdentities() *identities { return &identities{newIDs(), newIDs(), newIDs()} }

func (id *identities) endOp() { id.read.endOp(); id.entry.endOp(); id.cell.endOp() }

func sortedKeys(m map[any]*entryMirror) []any {
	keys := make([]any, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		switch a := keys[i].(type) {
		case int64:
			return a < keys[j].(int64)
		case string:
			return a < keys[j].(string)
		}
		return false
	})
	return keys
}

func appendKey(b []byte, k any) []byte {
	switch k := k.(type) {
	case int64:
		return appendInt(b, k)
	case string:
		return appendJSONString(b, k)
	}
	return appendJSONString(b, fmt.Sprint(k))
}

func appendValue(b []byte, v any) []byte {
	if i, ok := v.(int64); ok {
		return appendInt(b, i)
	}
	if v == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, fmt.Sprint(v))
}

// appendEntries writes [{"k":K,"e":N,"p":"value","c":N,"v":V}, ...] in key order.
func appendEntries(b []byte, m map[any]*entryMirror, id *identities) []byte {
	b = append(b, '[')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		e := m[k]
		b = append(b, `{"k":`...)
		b = appendKey(b, k)
		b = append(b, `,"e":`...)
		b = appendInt(b, int64(id.entry.see(unsafe.Pointer(e))))
		switch p := e.p; p {
		case nil:
			b = append(b, `,"p":"nil"`...)
		case expunged:
			b = append(b, `,"p":"expunged"`...)
		default:
			b = append(b, `,"p":"value","c":`...)
			b = appendInt(b, int64(id.cell.see(p)))
			b = append(b, `,"v":`...)
			b = appendValue(b, *(*any)(p))
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendState writes the map's fields (docs/formats.md, "sync.Map JSON").
func appendState(b []byte, m *sync.Map, id *identities) []byte {
	mm := mirror(m)
	b = append(b, `,"mu":{"state":`...)
	b = appendInt(b, int64(mm.mu.state))
	b = append(b, `,"sema":`...)
	b = appendUint(b, uint64(mm.mu.sema))
	b = append(b, `},"read":`...)
	ro := mm.readOnly()
	var rm map[any]*entryMirror
	amended := false
	if ro == nil {
		b = append(b, "null"...)
	} else {
		b = appendInt(b, int64(id.read.see(unsafe.Pointer(ro))))
		rm, amended = ro.m, ro.amended
	}
	b = append(b, `,"amended":`...)
	b = appendBool(b, amended)
	b = append(b, `,"m":`...)
	b = appendEntries(b, rm, id)
	b = append(b, `,"dirty":`...)
	if mm.dirty == nil {
		b = append(b, "null"...)
	} else {
		b = appendEntries(b, mm.dirty, id)
	}
	b = append(b, `,"misses":`...)
	b = appendInt(b, int64(mm.misses))
	return b
}
