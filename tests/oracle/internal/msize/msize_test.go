package msize

import (
	"testing"
	_ "unsafe" // for go:linkname
)

//go:linkname runtimeRoundupsize runtime.roundupsize
func runtimeRoundupsize(size uintptr) uintptr

func TestRoundUpSizeMatchesRuntime(t *testing.T) {
	for s := uint64(0); s <= 1<<20; s++ {
		if got, want := RoundUpSize(s), uint64(runtimeRoundupsize(uintptr(s))); got != want {
			t.Fatalf("RoundUpSize(%d) = %d, runtime says %d", s, got, want)
		}
	}
}

func TestSpareBuckets(t *testing.T) {
	// map[int64]int64 (bucket size 144), from the spec: B=4..9.
	want := []uint64{2, 5, 7, 14, 28, 56}
	for i, w := range want {
		b := uint8(4 + i)
		if got := ArrayBuckets(b, 144) - 1<<b; got != w {
			t.Errorf("B=%d: %d spare buckets, want %d", b, got, w)
		}
	}
	for b := uint8(0); b < 4; b++ {
		if got := ArrayBuckets(b, 208); got != 1<<b {
			t.Errorf("B=%d: %d buckets, want %d", b, got, 1<<b)
		}
	}
}
