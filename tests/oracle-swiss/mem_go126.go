//go:build !go1.27

package main

import "unsafe"

// Go 1.26's abi.MapType after GroupSize: SlotSize @88, ElemOff @96 (spec 2.4);
// key(i) = 8 + i*SlotSize, elem(i) = key(i) + ElemOff.
type mapTypeTail struct {
	head     mapTypeHead
	slotSize uintptr
	elemOff  uintptr
	flags    uint32
}

var (
	_ [88 - unsafe.Offsetof(mapTypeTail{}.slotSize)]byte
	_ [unsafe.Offsetof(mapTypeTail{}.slotSize) - 88]byte
	_ [112 - unsafe.Sizeof(mapTypeTail{})]byte
	_ [unsafe.Sizeof(mapTypeTail{}) - 112]byte
)

func slotLayout(mt *mapTypeHead) layout {
	t := (*mapTypeTail)(unsafe.Pointer(mt))
	return layout{keysOff: 8, keyStride: t.slotSize, elemsOff: 8 + t.elemOff, elemStride: t.slotSize}
}
