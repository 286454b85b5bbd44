// Command syncmapbench times Go 1.19's own sync.Map, as a yardstick for the
// gomaplab simulator's sequential sync.Map model (bench/syncmap_vs_go.cpp):
// one goroutine, K string keys "k0".."k{K-1}" stored once and promoted into
// read (a Range), then N mixed ops on them: a xorshift64 stream picks the key
// (x % K) and the op (x>>32 % 10 == 0: Store(key, i), else Load(key), a hit).
// The same stream drives the model. Each rep runs the N ops on the same map;
// the minimum ns/op is printed as one JSON line:
//
//	{"n":N,"keys":K,"ns":..,"loads":..,"stores":..}
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"time"
)

var sink int

func main() {
	n := flag.Int("n", 1000000, "number of ops")
	k := flag.Int("keys", 1000, "number of keys")
	reps := flag.Int("reps", 5, "repetitions (minimum is reported)")
	flag.Parse()
	if *n < 1 || *k < 1 || *reps < 1 {
		fmt.Fprintln(os.Stderr, "syncmapbench: -n, -keys and -reps must be >= 1")
		os.Exit(2)
	}
	keys := make([]any, *k) // boxed once, as a caller holding its keys would
	for i := range keys {
		keys[i] = fmt.Sprintf("k%d", i)
	}
	var m sync.Map
	for i, key := range keys {
		m.Store(key, i)
	}
	m.Range(func(any, any) bool { return true }) // promotes dirty: every key is in read
	best := time.Duration(-1)
	loads, stores := 0, 0
	for r := 0; r < *reps; r++ {
		x := uint64(0x9E3779B97F4A7C15)
		loads, stores = 0, 0
		t0 := time.Now()
		for i := 0; i < *n; i++ {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			key := keys[x%uint64(*k)]
			if (x>>32)%10 == 0 {
				m.Store(key, i)
				stores++
			} else {
				v, _ := m.Load(key)
				sink += v.(int)
				loads++
			}
		}
		d := time.Since(t0)
		if best < 0 || d < best {
			best = d
		}
	}
	fmt.Printf("{\"n\":%d,\"keys\":%d,\"ns\":%.2f,\"loads\":%d,\"stores\":%d}\n", *n, *k,
		float64(best.Nanoseconds())/float64(*n), loads, stores)
}
