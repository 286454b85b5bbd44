//go:build go1.27

package main

import "unsafe"

// Go 1.27's abi.MapType after GroupSize: KeysOff @88, KeyStride @96,
// ElemsOff @104, ElemStride @112, ElemOff @120, Flags @128 (spec 2.4);
// key(i) = KeysOff + i*KeyStride, elem(i) = ElemsOff + i*ElemStride.
type mapTypeTail struct {
	head       mapTypeHead
	keysOff    uintptr
	keyStride  uintptr
	elemsOff   uintptr
	elemStride uintptr
	elemOff    uintptr
	flags      uint32
}

var (
	_ [88 - unsafe.Offsetof(mapTypeTail{}.keysOff)]byte
	_ [unsafe.Offsetof(mapTypeTail{}.keysOff) - 88]byte
	_ [136 - unsafe.Sizeof(mapTypeTail{})]byte
	_ [unsafe.Sizeof(mapTypeTail{}) - 136]byte
)

func slotLayout(mt *mapTypeHead) layout {
	t := (*mapTypeTail)(unsafe.Pointer(mt))
	return layout{keysOff: t.keysOff, keyStride: t.keyStride, elemsOff: t.elemsOff, elemStride: t.elemStride}
}
