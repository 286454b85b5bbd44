// Command mapbench times Go's own map[int64]int64, as a yardstick for the
// gomaplab simulator: N inserts into make(map[int64]int64) (hint 0, so all
// growth is included), N lookups of present keys, then N deletes. Each phase
// runs -reps times on fresh maps; the minimum ns/op per phase is printed as
// one JSON line:
//
//	{"n":N,"insert_ns":..,"lookup_ns":..,"delete_ns":..,"aes":BOOL}
//
// "aes" is true when the runtime hashes with AES (the default on amd64 with
// AES-NI) and false when it uses the portable fallback hash, e.g. when run
// with GODEBUG=cpu.aes=off (the hash the simulator reproduces).
//
// Keys: k_i = int64(uint64(i) * 0x9E3779B97F4A7C15), i = 0..N-1, in order.
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

//go:linkname useAeshash runtime.useAeshash
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
		fmt.Fprintln(os.Stderr, "mapbench: -n and -reps must be >= 1")
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
			fmt.Fprintln(os.Stderr, "mapbench: internal check failed")
			os.Exit(1)
		}
	}
	ns := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(*n) }
	if useAeshash == godebugAESOff() {
		fmt.Fprintf(os.Stderr, "mapbench: note: runtime AES hash=%v but GODEBUG cpu.aes=off is %v\n", useAeshash, godebugAESOff())
	}
	fmt.Printf("{\"n\":%d,\"insert_ns\":%.2f,\"lookup_ns\":%.2f,\"delete_ns\":%.2f,\"aes\":%v}\n",
		*n, ns(best[0]), ns(best[1]), ns(best[2]), useAeshash)
}
