package main

import (
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"gomaplab/oracle/internal/msize"
)

// Mirrors of the Go 1.19 runtime structures (runtime/map.go, runtime/type.go)
// for amd64. They are only ever read.

type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      *mapextra
}

type mapextra struct {
	overflow     unsafe.Pointer // *[]*bmap
	oldoverflow  unsafe.Pointer // *[]*bmap
	nextOverflow unsafe.Pointer // *bmap
}

type maptype struct {
	typ        [48]byte // runtime._type
	key        unsafe.Pointer
	elem       unsafe.Pointer
	bucket     unsafe.Pointer // *_type; its first word is the bucket's size
	hasher     func(unsafe.Pointer, uintptr) uintptr
	keysize    uint8
	elemsize   uint8
	bucketsize uint16
	flags      uint32
}

// Compile-time layout checks.
var (
	_ [48 - unsafe.Sizeof(hmap{})]byte
	_ [unsafe.Sizeof(hmap{}) - 48]byte
	_ [72 - unsafe.Offsetof(maptype{}.hasher)]byte
	_ [unsafe.Offsetof(maptype{}.hasher) - 72]byte
)

const (
	bucketCnt    = 8
	dataOffset   = 8
	minTopHash   = 5
	sameSizeGrow = 8
)

type eface struct {
	typ  *maptype
	data *hmap
}

// mapWords returns the *maptype and *hmap of a map held in an interface.
func mapWords(m any) (*maptype, *hmap) {
	e := (*eface)(unsafe.Pointer(&m))
	return e.typ, e.data
}

// checkLayout verifies the sizes the oracle relies on for kind.
func checkLayout(kind mapKind, mt *maptype) error {
	wantKey := [...]uint8{8, 4, 16, 8}[kind]
	bs := uint16(bucketSize[kind])
	bucketTypeSize := *(*uintptr)(mt.bucket)
	if mt.keysize != wantKey || mt.elemsize != 8 || mt.bucketsize != bs || bucketTypeSize != uintptr(bs) {
		return fmt.Errorf("unexpected map layout for %s keys: keysize %d elemsize %d bucketsize %d (bucket type size %d)",
			kindNames[kind], mt.keysize, mt.elemsize, mt.bucketsize, bucketTypeSize)
	}
	return nil
}

// hashOf returns the hash the runtime computes for the key at p in this map.
func hashOf(mt *maptype, h *hmap, p unsafe.Pointer) uint64 {
	var seed uint32
	if h != nil {
		seed = h.hash0
	}
	return uint64(mt.hasher(p, uintptr(seed)))
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
		f := *(*float64)(p)
		b = append(b, '"')
		if f == 0 && math.Signbit(f) {
			b = append(b, "-0"...)
		} else {
			b = append(b, floatKeyString(f)...)
		}
		return append(b, '"')
	}
}

// dumper writes bucket memory for one map type.
type dumper struct {
	kind    mapKind
	bs      uintptr // bucket size
	keysize uintptr
}

func (d *dumper) appendBmap(b []byte, bm unsafe.Pointer, pre int64, isOverflow bool) []byte {
	th := (*[bucketCnt]uint8)(bm)
	b = append(b, `{"th":[`...)
	for i := 0; i < bucketCnt; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(th[i]), 10)
	}
	b = append(b, `],"k":[`...)
	for i := 0; i < bucketCnt; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if th[i] >= minTopHash {
			b = appendKeyAt(b, d.kind, unsafe.Add(bm, dataOffset+uintptr(i)*d.keysize))
		} else {
			b = append(b, "null"...)
		}
	}
	b = append(b, `],"v":[`...)
	elems := unsafe.Add(bm, dataOffset+bucketCnt*d.keysize)
	for i := 0; i < bucketCnt; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if th[i] >= minTopHash {
			b = strconv.AppendInt(b, *(*int64)(unsafe.Add(elems, uintptr(i)*8)), 10)
		} else {
			b = append(b, "null"...)
		}
	}
	b = append(b, ']')
	if isOverflow {
		b = append(b, `,"pre":`...)
		b = strconv.AppendInt(b, pre, 10)
	}
	return append(b, '}')
}

// appendArray writes the 2^lb chains of the bucket array at arr, which was
// allocated for log2 size lb (so it holds msize.ArrayBuckets(lb) buckets).
func (d *dumper) appendArray(b []byte, arr unsafe.Pointer, lb uint8) []byte {
	heads := uintptr(1) << lb
	alloc := uintptr(msize.ArrayBuckets(lb, uint64(d.bs)))
	lo := uintptr(arr)
	hi := lo + alloc*d.bs
	b = append(b, '[')
	for i := uintptr(0); i < heads; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		bm := unsafe.Add(arr, i*d.bs)
		b = d.appendBmap(b, bm, 0, false)
		for n := 0; ; n++ {
			ovf := *(*unsafe.Pointer)(unsafe.Add(bm, d.bs-8))
			if ovf == nil {
				break
			}
			if n > 1<<24 {
				panic("overflow chain does not end")
			}
			bm = ovf
			pre := int64(-1)
			if a := uintptr(bm); a >= lo && a < hi {
				pre = int64((a - lo) / d.bs)
			}
			b = append(b, ',')
			b = d.appendBmap(b, bm, pre, true)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendState writes the header fields and, if full, the bucket arrays.
func (d *dumper) appendState(b []byte, h *hmap, full, digest bool) []byte {
	var hv hmap
	if h != nil {
		hv = *h
	}
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(hv.count), 10)
	b = append(b, `,"flags":`...)
	b = strconv.AppendUint(b, uint64(hv.flags), 10)
	b = append(b, `,"B":`...)
	b = strconv.AppendUint(b, uint64(hv.B), 10)
	b = append(b, `,"noverflow":`...)
	b = strconv.AppendUint(b, uint64(hv.noverflow), 10)
	b = append(b, `,"hash0":`...)
	b = strconv.AppendUint(b, uint64(hv.hash0), 10)
	b = append(b, `,"nevacuate":`...)
	b = strconv.AppendUint(b, uint64(hv.nevacuate), 10)
	b = append(b, `,"old":`...)
	b = strconv.AppendBool(b, hv.oldbuckets != nil)
	nextov := int64(-1)
	if hv.extra != nil && hv.extra.nextOverflow != nil {
		p := uintptr(hv.extra.nextOverflow)
		lo := uintptr(hv.buckets)
		hi := lo + uintptr(msize.ArrayBuckets(hv.B, uint64(d.bs)))*d.bs
		if hv.buckets != nil && p >= lo && p < hi {
			nextov = int64((p - lo) / d.bs)
		} else {
			nextov = -2 // should not happen: points outside the current array
		}
	}
	b = append(b, `,"nextov":`...)
	b = strconv.AppendInt(b, nextov, 10)
	if digest {
		b = append(b, `,"digest":"`...)
		b = appendHex64(b, d.digest(&hv))
		b = append(b, '"')
	}
	if !full {
		return b
	}
	b = append(b, `,"buckets":`...)
	if hv.buckets == nil {
		b = append(b, "null"...)
	} else {
		b = d.appendArray(b, hv.buckets, hv.B)
	}
	b = append(b, `,"oldbuckets":`...)
	if hv.oldbuckets == nil {
		b = append(b, "null"...)
	} else {
		ob := hv.B
		if hv.flags&sameSizeGrow == 0 {
			ob--
		}
		b = d.appendArray(b, hv.oldbuckets, ob)
	}
	return b
}

// fnv is FNV-1a 64, fed the canonical bytes of the bucket arrays.
type fnv uint64

func (f *fnv) byte(c byte) { *f = (*f ^ fnv(c)) * 0x100000001b3 }
func (f *fnv) u64(v uint64) {
	for i := 0; i < 8; i++ {
		f.byte(byte(v >> (8 * i)))
	}
}

// digest hashes what the JSON dump shows: per chain, each bmap's tophash
// bytes, then for each live cell (tophash >= minTopHash) the key (int64 and
// float64: 8 bytes little-endian; int32: 4; string: 8-byte length then the
// bytes) and the elem (8 bytes), then "pre" (8 bytes) on overflow bmaps; 0xff
// ends each chain. 'N' precedes the current array, 'O' the old one.
func (d *dumper) digest(h *hmap) uint64 {
	f := fnv(0xcbf29ce484222325)
	if h.buckets != nil {
		f.byte('N')
		d.digestArray(&f, h.buckets, h.B)
	}
	if h.oldbuckets != nil {
		ob := h.B
		if h.flags&sameSizeGrow == 0 {
			ob--
		}
		f.byte('O')
		d.digestArray(&f, h.oldbuckets, ob)
	}
	return uint64(f)
}

func (d *dumper) digestArray(f *fnv, arr unsafe.Pointer, lb uint8) {
	heads := uintptr(1) << lb
	alloc := uintptr(msize.ArrayBuckets(lb, uint64(d.bs)))
	lo := uintptr(arr)
	hi := lo + alloc*d.bs
	for i := uintptr(0); i < heads; i++ {
		bm := unsafe.Add(arr, i*d.bs)
		for n := 0; ; n++ {
			th := (*[bucketCnt]uint8)(bm)
			for j := 0; j < bucketCnt; j++ {
				f.byte(th[j])
			}
			elems := unsafe.Add(bm, dataOffset+bucketCnt*d.keysize)
			for j := 0; j < bucketCnt; j++ {
				if th[j] < minTopHash {
					continue
				}
				kp := unsafe.Add(bm, dataOffset+uintptr(j)*d.keysize)
				switch d.kind {
				case kindInt32:
					v := *(*uint32)(kp)
					for k := 0; k < 4; k++ {
						f.byte(byte(v >> (8 * k)))
					}
				case kindString:
					s := *(*string)(kp)
					f.u64(uint64(len(s)))
					for k := 0; k < len(s); k++ {
						f.byte(s[k])
					}
				default:
					f.u64(*(*uint64)(kp))
				}
				f.u64(*(*uint64)(unsafe.Add(elems, uintptr(j)*8)))
			}
			if n > 0 {
				pre := int64(-1)
				if a := uintptr(bm); a >= lo && a < hi {
					pre = int64((a - lo) / d.bs)
				}
				f.u64(uint64(pre))
			}
			ovf := *(*unsafe.Pointer)(unsafe.Add(bm, d.bs-8))
			if ovf == nil {
				break
			}
			bm = ovf
		}
		f.byte(0xff)
	}
}
