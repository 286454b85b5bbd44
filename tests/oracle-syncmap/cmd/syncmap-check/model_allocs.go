package main

// model_allocs: the simulator's allocation counter (gomaplab dump's
// "allocs":{"op":N,...}, docs/formats.md) against the real runtime, path by
// path. For each path a setup script runs on a fresh real sync.Map, and the
// heap allocations of the one op that follows are counted exactly
// (runtime.MemStats.Mallocs around the call, the collector off; the least of
// several fresh runs); the same script goes through `gomaplab dump`, whose
// last line's allocs.op must equal that count minus the Go map's own objects
// (dirty's hmap and buckets), which the model does not count. Those are
// written per path from runtime/map.go, not from either program's output:
// make(map, hint) allocates the hmap (makemap's new(hmap): dirty escapes), a
// bucket array only when hint > 8 (B > 0), and a mapextra when B >= 4
// (preallocated overflow buckets); the first insert into a map with no bucket
// array allocates one bucket (mapassign, h.buckets == nil); a map of at most
// 8 keys never grows. Keys are boxed once, before the measured call (spec
// 5.1); values are int64s converted to `any` by the call (convT64: 0..255
// allocate nothing, other values one box), as in gomap-oracle-syncmap.

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

var sim string // --sim: the gomaplab binary

type mop struct {
	verb string
	k    any
	v    int64
}

func parseMop(s string) mop {
	f := strings.Fields(s)
	o := mop{verb: f[0]}
	if len(f) > 1 {
		o.k = f[1] // boxed here, once
	}
	if len(f) > 2 {
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			panic(err)
		}
		o.v = n
	}
	return o
}

//go:noinline
func (o *mop) do(m *sync.Map) {
	switch o.verb {
	case "store":
		m.Store(o.k, o.v)
	case "load":
		m.Load(o.k)
	case "loadorstore":
		m.LoadOrStore(o.k, o.v)
	case "loadanddelete":
		m.LoadAndDelete(o.k)
	case "delete":
		m.Delete(o.k)
	case "range":
		m.Range(func(any, any) bool { return true })
	default:
		panic("model_allocs: unknown op " + o.verb)
	}
}

type allocPath struct {
	name  string
	setup []string
	op    string
	goMap uint64 // the Go map's own objects in the op (map.go, see above); the model does not count them
}

func manyStores(prefix string, n int) []string {
	var s []string
	for i := 0; i < n; i++ {
		s = append(s, fmt.Sprintf("store %s%d 1", prefix, i))
	}
	return s
}

func allocPaths() []allocPath {
	promote1 := []string{"store a 1", "range"} // a in read.m only
	thousand := append(manyStores("k", 1000), "range")
	return []allocPath{
		{"Load hit in read.m", promote1, "load a", 0},
		{"Load of a deleted key in read.m (no miss)", append(promote1[:2:2], "delete a"), "load a", 0},
		{"Load miss, misses < len(dirty)", []string{"store a 1", "store b 2"}, "load z", 0},
		{"Load miss that promotes (readOnly box)", []string{"store a 1"}, "load z", 0},
		{"Load hit in dirty, counted miss, no promotion", []string{"store a 1", "store b 2"}, "load a", 0},
		{"Store to an existing key in read.m, int 0..255", promote1, "store a 2", 0},
		{"Store to an existing key in read.m, int >= 256", promote1, "store a 300", 0},
		{"Store to an existing key in read.m, negative int", promote1, "store a -1", 0},
		{"Store to a key in dirty only", []string{"store a 1"}, "store a 2", 0},
		{"Store reviving a deleted key (lock-free)", append(promote1[:2:2], "delete a"), "store a 5", 0},
		{"Store unexpunging a key", append(promote1[:2:2], "delete a", "store b 1"), "store a 5", 0},
		{"Store of a new key while dirty exists", []string{"store a 1"}, "store b 2", 0},
		{"Store of a new key while dirty exists, int >= 256", []string{"store a 1"}, "store b 1000", 0},
		{"Store of the first key of a zero Map", nil, "store a 1", 2},
		{"Store of the first new key after a promotion (1 key)", promote1, "store b 2", 2},
		{"Store of the first new key after a promotion (1,000 keys)", thousand, "store new 2", 3},
		{"LoadOrStore hit in read.m", promote1, "loadorstore a 2", 0},
		{"LoadOrStore hit, int >= 256 (the box is garbage)", promote1, "loadorstore a 2000", 0},
		{"LoadOrStore of a deleted key in read.m (ic)", append(promote1[:2:2], "delete a"), "loadorstore a 3", 0},
		{"LoadOrStore hit in dirty (a miss that promotes)", []string{"store a 1"}, "loadorstore a 3", 0},
		{"LoadOrStore of a new key while dirty exists", []string{"store a 1"}, "loadorstore b 3", 0},
		{"LoadOrStore of the first key of a zero Map", nil, "loadorstore a 3", 2},
		{"Delete of a key in read.m (lock-free)", promote1, "delete a", 0},
		{"Delete of a key in dirty only (promotes)", []string{"store a 1"}, "delete a", 0},
		{"LoadAndDelete of a key in dirty only (len(dirty) 1 after it: promotes)", []string{"store a 1", "store b 1"}, "loadanddelete a", 0},
		{"Range of an amended map (promotes)", []string{"store a 1", "store b 2"}, "range", 0},
		{"Range of a promoted map", promote1, "range", 0},
	}
}

// realAllocs counts the op's allocations on the real runtime (the least of 20 fresh runs).
func realAllocs(p allocPath) uint64 {
	best := ^uint64(0)
	for trial := 0; trial < 20; trial++ {
		m := new(sync.Map)
		for _, s := range p.setup {
			o := parseMop(s)
			o.do(m)
		}
		o := parseMop(p.op)
		a, _ := mallocs(func() { o.do(m) })
		if a < best {
			best = a
		}
	}
	return best
}

type simHeap struct {
	Allocs map[string]uint64 `json:"allocs"`
}

// simAllocs runs the script on the simulator and returns its last line's allocs.
func simAllocs(dir string, i int, p allocPath) (map[string]uint64, error) {
	script := "make syncmap string\n" + strings.Join(p.setup, "\n") + "\n" + p.op + "\n"
	file := filepath.Join(dir, fmt.Sprintf("path%02d.ops", i))
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		return nil, err
	}
	out, err := exec.Command(sim, "dump", file).Output()
	if err != nil {
		return nil, fmt.Errorf("%s dump %s: %v", sim, file, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var h simHeap
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &h); err != nil || h.Allocs == nil {
		return nil, fmt.Errorf("%s: the last line has no allocs object (%v)", file, err)
	}
	return h.Allocs, nil
}

func testModelAllocs() {
	if sim == "" {
		errorf("model_allocs needs --sim PATH (the gomaplab binary)")
		return
	}
	dir, err := os.MkdirTemp("", "syncmap-model-allocs")
	if err != nil {
		errorf("%v", err)
		return
	}
	defer os.RemoveAll(dir)
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	runtime.GC()
	for i, p := range allocPaths() {
		got := realAllocs(p)
		s, err := simAllocs(dir, i, p)
		if err != nil {
			errorf("%s: %v", p.name, err)
			continue
		}
		model := s["op"]
		if model+p.goMap != got {
			errorf("%s: the real runtime allocated %d objects (%d of them the Go map's), the model counts %d (%v)",
				p.name, got, p.goMap, model, s)
			continue
		}
		fmt.Printf("  %-62s real %d = model %d + Go map %d\n", p.name, got, model, p.goMap)
	}
}
