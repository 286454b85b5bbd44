package main

import (
	"fmt"
	"strconv"
	"unsafe"
)

// Mirrors of internal/runtime/maps (Go 1.26 and 1.27, amd64), swiss-map-spec
// sections 2.1-2.5. They are only read, except Map.seed (the `seed` op and
// make's SEED, written before the first insert or after a delete-to-empty or
// clear, spec 21).

// swissMap is maps.Map (48 bytes).
type swissMap struct {
	used              uint64
	seed              uintptr
	dirPtr            unsafe.Pointer // one group (small map) or *[dirLen]*table
	dirLen            int
	globalDepth       uint8
	globalShift       uint8
	writing           uint8
	tombstonePossible bool
	_                 [4]byte
	clearSeq          uint64
}

// table is maps.table (32 bytes).
type table struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	_          uint8
	index      int
	groups     unsafe.Pointer
	lengthMask uint64
}

// mapTypeHead is the part of abi.MapType common to 1.26 and 1.27; the rest
// (slot layout) is read by slotLayout in mem_go126.go / mem_go127.go.
type mapTypeHead struct {
	typ       [48]byte // abi.Type
	key       unsafe.Pointer
	elem      unsafe.Pointer
	group     unsafe.Pointer
	hasher    func(unsafe.Pointer, uintptr) uintptr
	groupSize uintptr
}

// Compile-time layout checks (spec 2.1, 2.2, 2.4).
var (
	_ [48 - unsafe.Sizeof(swissMap{})]byte
	_ [unsafe.Sizeof(swissMap{}) - 48]byte
	_ [40 - unsafe.Offsetof(swissMap{}.clearSeq)]byte
	_ [unsafe.Offsetof(swissMap{}.clearSeq) - 40]byte
	_ [32 - unsafe.Sizeof(table{})]byte
	_ [unsafe.Sizeof(table{}) - 32]byte
	_ [72 - unsafe.Offsetof(mapTypeHead{}.hasher)]byte
	_ [unsafe.Offsetof(mapTypeHead{}.hasher) - 72]byte
	_ [80 - unsafe.Offsetof(mapTypeHead{}.groupSize)]byte
	_ [unsafe.Offsetof(mapTypeHead{}.groupSize) - 80]byte
)

const groupSlots = 8

// Offsets inside reflect.MapIter: {Value (24 bytes); maps.Iter} (spec 2.5, 21).
const (
	iterBase        = 24
	iterEntryOffset = iterBase + 32
	iterDirOffset   = iterBase + 40
	iterDirIdx      = iterBase + 64
	iterTab         = iterBase + 72
	iterGroup       = iterBase + 80
	iterEntryIdx    = iterBase + 88
)

type eface struct {
	typ  *mapTypeHead
	data *swissMap
}

// mapWords returns the *abi.MapType and *maps.Map of a map held in an interface.
func mapWords(m any) (*mapTypeHead, *swissMap) {
	e := (*eface)(unsafe.Pointer(&m))
	return e.typ, e.data
}

// layout is where slot i's key and elem are inside a group.
type layout struct {
	keysOff, keyStride, elemsOff, elemStride uintptr
}

func (l *layout) key(g unsafe.Pointer, i int) unsafe.Pointer {
	return unsafe.Add(g, l.keysOff+uintptr(i)*l.keyStride)
}
func (l *layout) elem(g unsafe.Pointer, i int) unsafe.Pointer {
	return unsafe.Add(g, l.elemsOff+uintptr(i)*l.elemStride)
}

// checkLayout verifies the sizes of spec 2.6 (float64 keys: like int64).
func checkLayout(kind mapKind, mt *mapTypeHead) (layout, error) {
	l := slotLayout(mt)
	wantSlot := [...]uintptr{16, 16, 24, 16}[kind]
	wantGroup := 8 + 8*wantSlot
	wantElem := [...]uintptr{8, 8, 16, 8}[kind]
	if mt.groupSize != wantGroup || l.keysOff != 8 || l.keyStride != wantSlot || l.elemStride != wantSlot ||
		l.elemsOff != 8+wantElem {
		return l, fmt.Errorf("unexpected map layout for %s keys: group %d bytes, keys at %d+i*%d, elems at %d+i*%d (want %d, 8+i*%d, %d+i*%d)",
			kindNames[kind], mt.groupSize, l.keysOff, l.keyStride, l.elemsOff, l.elemStride,
			wantGroup, wantSlot, 8+wantElem, wantSlot)
	}
	return l, nil
}

func appendHex64(b []byte, v uint64) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '0', 'x')
	for s := 60; s >= 0; s -= 4 {
		b = append(b, hex[(v>>uint(s))&15])
	}
	return b
}

// appendKeyAt writes the key stored at p.
func appendKeyAt(b []byte, kind mapKind, p unsafe.Pointer) []byte {
	switch kind {
	case kindInt64:
		return strconv.AppendInt(b, *(*int64)(p), 10)
	case kindInt32:
		return strconv.AppendInt(b, int64(*(*int32)(p)), 10)
	case kindString:
		return appendJSONString(b, *(*string)(p))
	default:
		return appendFloatKey(b, *(*float64)(p))
	}
}

// appendGroup writes {"ctrl":[8],"k":[8],"v":[8]}: every slot's key and elem
// as memory holds them, whatever its control byte says.
func appendGroup(b []byte, kind mapKind, l *layout, g unsafe.Pointer) []byte {
	ctrl := (*[groupSlots]uint8)(g)
	b = append(b, `{"ctrl":[`...)
	for i := 0; i < groupSlots; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(ctrl[i]), 10)
	}
	b = append(b, `],"k":[`...)
	for i := 0; i < groupSlots; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendKeyAt(b, kind, l.key(g, i))
	}
	b = append(b, `],"v":[`...)
	for i := 0; i < groupSlots; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, *(*int64)(l.elem(g, i)), 10)
	}
	return append(b, "]}"...)
}

// appendState writes the state fields of the JSON contract (issue 13, 2).
func appendState(b []byte, kind mapKind, l *layout, groupSize uintptr, m *swissMap) []byte {
	b = append(b, `,"used":`...)
	b = strconv.AppendUint(b, m.used, 10)
	b = append(b, `,"seed":"`...)
	b = appendHex64(b, uint64(m.seed))
	b = append(b, `","writing":`...)
	b = strconv.AppendUint(b, uint64(m.writing), 10)
	b = append(b, `,"tombstonePossible":`...)
	b = strconv.AppendBool(b, m.tombstonePossible)
	b = append(b, `,"clearSeq":`...)
	b = strconv.AppendUint(b, m.clearSeq, 10)
	b = append(b, `,"dirLen":`...)
	b = strconv.AppendInt(b, int64(m.dirLen), 10)
	b = append(b, `,"globalDepth":`...)
	b = strconv.AppendUint(b, uint64(m.globalDepth), 10)
	b = append(b, `,"small":`...)
	if m.dirLen == 0 && m.dirPtr != nil {
		b = appendGroup(b, kind, l, m.dirPtr)
	} else {
		b = append(b, "null"...)
	}
	var tabs []*table
	pos := map[*table]int{}
	b = append(b, `,"dir":[`...)
	for i := 0; i < m.dirLen; i++ {
		t := *(**table)(unsafe.Add(m.dirPtr, uintptr(i)*8))
		p, ok := pos[t]
		if !ok {
			p = len(tabs)
			pos[t] = p
			tabs = append(tabs, t)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p), 10)
	}
	b = append(b, `],"tables":[`...)
	for i, t := range tabs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"index":`...)
		b = strconv.AppendInt(b, int64(t.index), 10)
		b = append(b, `,"localDepth":`...)
		b = strconv.AppendUint(b, uint64(t.localDepth), 10)
		b = append(b, `,"capacity":`...)
		b = strconv.AppendUint(b, uint64(t.capacity), 10)
		b = append(b, `,"used":`...)
		b = strconv.AppendUint(b, uint64(t.used), 10)
		b = append(b, `,"growthLeft":`...)
		b = strconv.AppendUint(b, uint64(t.growthLeft), 10)
		b = append(b, `,"groups":[`...)
		for g := uint64(0); g <= t.lengthMask; g++ {
			if g > 0 {
				b = append(b, ',')
			}
			b = appendGroup(b, kind, l, unsafe.Add(t.groups, uintptr(g)*groupSize))
		}
		b = append(b, "]}"...)
	}
	return append(b, ']')
}
