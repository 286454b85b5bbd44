// Command syncmap-check holds the real Go 1.19 sync.Map, through
// gomap-oracle-syncmap, to the claims of syncmap-spec.md (Go 1.19.8's
// sync.Map, Mutex, RWMutex and atomic.Value, step by step) and of Go's own
// source, sync/map.go: never to the oracle's own earlier output. Some checks
// run on the real runtime directly (allocation counts with
// testing.AllocsPerRun, finalizers), and two run this binary again as a
// child program that panics or deadlocks, as a user's program would.
//
//	syncmap-check --oracle PATH [--seed N] TEST...
//
// Every state line of every oracle run is also checked against the
// invariants of spec section 1 (invariants.go). Exit 0 when all pass, 1
// otherwise. See ../../README.md.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// ent is one element of "m" or "dirty".
type ent struct {
	K json.RawMessage `json:"k"`
	E int             `json:"e"`
	P string          `json:"p"`
	C int             `json:"c"`
	V *int64          `json:"v"`
}

type line struct {
	Op     string            `json:"op"`
	Panic  string            `json:"panic"`
	Found  *bool             `json:"found"`
	Val    *int64            `json:"val"`
	Loaded *bool             `json:"loaded"`
	Keys   []json.RawMessage `json:"keys"`
	Vals   []int64           `json:"vals"`
	Mu     *struct {
		State int32  `json:"state"`
		Sema  uint32 `json:"sema"`
	} `json:"mu"`
	Read    *int   `json:"read"`
	Amended bool   `json:"amended"`
	M       []ent  `json:"m"`
	Dirty   *[]ent `json:"dirty"`
	Misses  int    `json:"misses"`

	raw string // the line as printed
}

// key returns the JSON form of a string key, as the oracle prints it.
func key(s string) string { b, _ := json.Marshal(s); return string(b) }

func find(es []ent, k string) *ent {
	for i := range es {
		if string(es[i].K) == k {
			return &es[i]
		}
	}
	return nil
}

// rm returns read.m[k] or nil; dt returns dirty[k] or nil.
func (l *line) rm(k string) *ent { return find(l.M, k) }
func (l *line) dt(k string) *ent {
	if l.Dirty == nil {
		return nil
	}
	return find(*l.Dirty, k)
}

func (l *line) readID() int {
	if l.Read == nil {
		return 0
	}
	return *l.Read
}

// stateText is the line without the op and its results: what the map holds.
func (l *line) stateText() string {
	i := strings.Index(l.raw, `"mu":`)
	if i < 0 {
		return l.raw
	}
	return l.raw[i:]
}

func keysOf(es []ent) []string {
	var ks []string
	for _, e := range es {
		ks = append(ks, string(e.K))
	}
	return ks
}

func dirtyKeys(l *line) string {
	if l.Dirty == nil {
		return "null"
	}
	return strings.Join(keysOf(*l.Dirty), ",")
}

func sortedRaw(ks []json.RawMessage) []string {
	var s []string
	for _, k := range ks {
		s = append(s, string(k))
	}
	sort.Strings(s)
	return s
}

var (
	oracle string
	failed int
)

// errorf records a failed expectation.
func errorf(format string, a ...any) {
	failed++
	if failed <= 40 {
		fmt.Printf("FAIL: "+format+"\n", a...)
	}
}

// run feeds script to the oracle and decodes its lines (one per op).
func run(script string) []line {
	var ls []line
	stream(script, func(l *line) { ls = append(ls, *l) })
	return ls
}

// stream feeds script to the oracle and hands each decoded line to f, with
// the invariants checked; the lines are not kept.
func stream(script string, f func(*line)) {
	cmd := exec.Command(oracle, "-")
	cmd.Stdin = strings.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Printf("FAIL: cannot run the oracle: %v\n", err)
		os.Exit(1)
	}
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	n := 0
	for sc.Scan() {
		n++
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			fmt.Printf("FAIL: oracle line %d is not JSON: %v\n", n, err)
			os.Exit(1)
		}
		l.raw = sc.Text()
		if l.Panic != "" {
			errorf("%q panicked: %s", l.Op, l.Panic)
		}
		checkInvariants(&l)
		f(&l)
	}
	if err := cmd.Wait(); err != nil {
		fmt.Printf("FAIL: the oracle failed: %v\n%s", err, stderr.String())
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "--child" {
		child(os.Args[2])
		return
	}
	args := os.Args[1:]
	var tests []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--oracle":
			i++
			if i < len(args) {
				oracle = args[i]
			}
		case "--sim":
			i++
			if i < len(args) {
				sim = args[i]
			}
		case "--seed":
			i++
			if i < len(args) {
				n, err := strconv.ParseInt(args[i], 10, 64)
				if err != nil || n == 0 {
					fmt.Fprintf(os.Stderr, "syncmap-check: --seed needs a nonzero integer, got %s\n", args[i])
					os.Exit(2)
				}
				seedFlag = n
			}
		default:
			tests = append(tests, args[i])
		}
	}
	all := map[string]func(){
		"trace": testTrace, "misses_promotion": testMissesPromotion, "range_promotion": testRangePromotion,
		"expunge_unexpunge": testExpungeUnexpunge, "delete_keeps_entry": testDeleteKeepsEntry,
		"loadorstore_miss": testLoadOrStoreMiss, "load_hit": testLoadHit, "int64_keys": testInt64Keys, "random": testRandom,
		"bad_script": testBadScript, "allocs": testAllocs, "model_allocs": testModelAllocs, "value_freed": testValueFreed,
		"cas_panic": testCASPanic, "rwmutex_deadlock": testRWMutexDeadlock,
	}
	var names []string
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	if oracle == "" || len(tests) == 0 {
		fmt.Fprintf(os.Stderr, "usage: syncmap-check --oracle PATH TEST... (tests: %s)\n", strings.Join(names, " "))
		os.Exit(2)
	}
	for _, t := range tests {
		f, ok := all[t]
		if !ok {
			fmt.Fprintf(os.Stderr, "syncmap-check: unknown test %s (tests: %s)\n", t, strings.Join(names, " "))
			os.Exit(2)
		}
		before := failed
		f()
		if failed == before {
			fmt.Printf("ok   %s\n", t)
		} else {
			fmt.Printf("FAIL %s (%d failed expectations)\n", t, failed-before)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}
