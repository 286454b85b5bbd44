// Command swissbench times Go 1.27's own map[int64]int64 (the Swiss table of
// internal/runtime/maps), as the yardstick for gomaplab's Swiss engine
// (bench/swiss_vs_go.cpp spawns it): N inserts into make(map[int64]int64)
// (hint 0, so every small-to-table conversion, grow, split and directory
// doubling is included), N lookups of present keys, then N deletes. Each
// phase runs -reps times on fresh maps; the minimum ns/op per phase is
// printed as one JSON line:
//
//	{"n":N,"insert_ns":..,"lookup_ns":..,"delete_ns":..,"aes":BOOL,"go":"go1.27.x"}
//
// "aes" is the runtime's own internal/runtime/maps.UseAeshash: true when it
// hashes with AES (the default on amd64), false with the portable fallback
// hash, e.g. under GODEBUG=cpu.aes=off (the hash the engine reproduces).
// Built with -ldflags=-checklinkname=0 (the linkname below pulls a runtime
// variable, as tests/oracle-swiss does).
//
// Keys: k_i = int64(uint64(i) * 0x9E3779B97F4A7C15), i = 0..N-1, in order
// (the same keys as bench/go and the C++ side).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
	_ "unsafe" // for go:linkname
)

//go:linkname useAeshash internal/runtime/maps.UseAeshash
var useAeshash bool

// sink keeps the lookup results alive.
var sink int64

func godebugAESOff() bool {
	off := false
	for _, f := range strings.Split(os.Getenv("GODEBUG"), ",") {
		switch f {
		case "cpu.aes=off", "cpu.all=off":
			off = true
		case "cpu.aes=on":
			off = false
		}
	}
	return off
}

func main() {
	n := flag.Int("n", 1000000, "number of keys")
	reps := flag.Int("reps", 5, "repetitions per phase (minimum is reported)")
	flag.Parse()
	if *n < 1 || *reps < 1 {
		fmt.Fprintln(os.Stderr, "swissbench: -n and -reps must be >= 1")
		os.Exit(2)
	}
	keys := make([]int64, *n)
	for i := range keys {
		keys[i] = int64(uint64(i) * 0x9E3779B97F4A7C15)
	}
	best := [3]time.Duration{-1, -1, -1}
	keep := func(phase int, d time.Duration) {
		if best[phase] < 0 || d < best[phase] {
			best[phase] = d
		}
	}
	for r := 0; r < *reps; r++ {
		runtime.GC()
		t0 := time.Now()
		m := make(map[int64]int64)
		for i, k := range keys {
			m[k] = int64(i)
		}
		keep(0, time.Since(t0))

		runtime.GC()
		t0 = time.Now()
		var sum int64
		for _, k := range keys {
			sum += m[k]
		}
		keep(1, time.Since(t0))
		sink += sum

		runtime.GC()
		t0 = time.Now()
		for _, k := range keys {
			delete(m, k)
		}
		keep(2, time.Since(t0))
		if len(m) != 0 || sum != int64(*n)*int64(*n-1)/2 {
			fmt.Fprintln(os.Stderr, "swissbench: internal check failed")
			os.Exit(1)
		}
	}
	ns := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(*n) }
	if useAeshash == godebugAESOff() {
		fmt.Fprintf(os.Stderr, "swissbench: note: runtime AES hash=%v but GODEBUG cpu.aes=off is %v\n", useAeshash, godebugAESOff())
	}
	fmt.Printf("{\"n\":%d,\"insert_ns\":%.2f,\"lookup_ns\":%.2f,\"delete_ns\":%.2f,\"aes\":%v,\"go\":%q}\n",
		*n, ns(best[0]), ns(best[1]), ns(best[2]), useAeshash, runtime.Version())
}
