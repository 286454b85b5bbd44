// Command swiss-check holds the real Go runtime, through gomap-oracle-swiss,
// to facts taken from ../shared/reference/swiss-map-spec.md (not from the
// oracle's own output), so the oracle is proven before the simulator exists.
//
//	swiss-check --oracle PATH --version go1.26|go1.27 TEST...
//
// Tests: hints (5.5), lifecycle (13.5), tombstone (11.3, 8), small_update
// (6.2), nan (6.1, 13.4, 19.2), hash (19.2), iter (16.3-16.5), clear (15),
// prune (12, 10.3 against 10.4).
// Every state line of every test is also checked against the invariants of
// spec 7.2, 8.1 and 8.3. Exit 0 when all pass, 1 otherwise.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

type group struct {
	Ctrl []int             `json:"ctrl"`
	K    []json.RawMessage `json:"k"`
	V    []int64           `json:"v"`
}

type table struct {
	Index      int     `json:"index"`
	LocalDepth int     `json:"localDepth"`
	Capacity   int     `json:"capacity"`
	Used       int     `json:"used"`
	GrowthLeft int     `json:"growthLeft"`
	Groups     []group `json:"groups"`
}

type line struct {
	Op                string            `json:"op"`
	Hash              string            `json:"hash"`
	Panic             string            `json:"panic"`
	Found             *bool             `json:"found"`
	Val               *int64            `json:"val"`
	Keys              []json.RawMessage `json:"keys"`
	Offsets           []uint64          `json:"offsets"`
	Used              *uint64           `json:"used"`
	Seed              string            `json:"seed"`
	Writing           int               `json:"writing"`
	TombstonePossible bool              `json:"tombstonePossible"`
	ClearSeq          uint64            `json:"clearSeq"`
	DirLen            int               `json:"dirLen"`
	GlobalDepth       int               `json:"globalDepth"`
	Small             *group            `json:"small"`
	Dir               []int             `json:"dir"`
	Tables            []table           `json:"tables"`
}

var (
	oracle  string
	version string
	failed  int
)

// errorf records a failed expectation.
func errorf(format string, a ...any) {
	failed++
	if failed <= 30 {
		fmt.Printf("FAIL: "+format+"\n", a...)
	}
}

// run feeds script to the oracle and decodes its lines (one per op).
func run(script string) []line {
	script = "version " + version + "\n" + script
	cmd := exec.Command(oracle, "-")
	cmd.Stdin = strings.NewReader(script)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		fmt.Printf("FAIL: the oracle failed: %v\n%s", err, stderr.String())
		os.Exit(1)
	}
	var ls []line
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			fmt.Printf("FAIL: oracle line %d is not JSON: %v\n", len(ls)+1, err)
			os.Exit(1)
		}
		checkInvariants(&l)
		ls = append(ls, l)
	}
	return ls[1:] // drop the version line
}

// checkInvariants checks spec 7.2, 8.1 and 8.3 and the writing flag on a state line.
func checkInvariants(l *line) {
	if l.Used == nil {
		return
	}
	if l.Writing != 0 {
		errorf("%q: writing=%d after the op (spec 14.1: toggled back at the end)", l.Op, l.Writing)
	}
	if l.DirLen == 0 {
		if len(l.Tables) != 0 || len(l.Dir) != 0 {
			errorf("%q: dirLen 0 but tables/dir are not empty", l.Op)
		}
		if l.Small != nil {
			full := 0
			for _, c := range l.Small.Ctrl {
				if c == 254 {
					errorf("%q: a small map holds a tombstone (spec 6.1)", l.Op)
				}
				if c < 128 {
					full++
				}
			}
			if uint64(full) != *l.Used {
				errorf("%q: used %d but the small group has %d full slots", l.Op, *l.Used, full)
			}
		} else if *l.Used != 0 {
			errorf("%q: used %d without a group", l.Op, *l.Used)
		}
		return
	}
	if l.Small != nil {
		errorf("%q: a table map prints a small group", l.Op)
	}
	if l.DirLen != 1<<l.GlobalDepth || len(l.Dir) != l.DirLen {
		errorf("%q: dirLen %d, globalDepth %d, %d dir entries (spec 0.1: dirLen = 2^globalDepth)", l.Op, l.DirLen, l.GlobalDepth, len(l.Dir))
		return
	}
	sum := 0
	for ti, t := range l.Tables {
		// Spec 7.2: 2^(globalDepth-localDepth) consecutive entries from index.
		n := 1 << (l.GlobalDepth - t.LocalDepth)
		if t.LocalDepth > l.GlobalDepth || t.Index < 0 || t.Index%n != 0 || t.Index+n > l.DirLen {
			errorf("%q: table %d has index %d, localDepth %d (globalDepth %d)", l.Op, ti, t.Index, t.LocalDepth, l.GlobalDepth)
			continue
		}
		for i, p := range l.Dir {
			if (p == ti) != (i >= t.Index && i < t.Index+n) {
				errorf("%q: directory entry %d points at table %d; table %d should hold entries [%d,%d)", l.Op, i, p, ti, t.Index, t.Index+n)
				break
			}
		}
		if t.Capacity < 8 || t.Capacity > 1024 || t.Capacity&(t.Capacity-1) != 0 || len(t.Groups)*8 != t.Capacity {
			errorf("%q: table %d has capacity %d and %d groups", l.Op, ti, t.Capacity, len(t.Groups))
			continue
		}
		full, dead := 0, 0
		for gi, g := range t.Groups {
			empty, del := false, false
			for _, c := range g.Ctrl {
				switch {
				case c == 128:
					empty = true
				case c == 254:
					del = true
					dead++
				case c < 128:
					full++
				default:
					errorf("%q: control byte %d (spec 1.3: 0x80, 0xfe or 0hhhhhhh)", l.Op, c)
				}
			}
			if empty && del {
				errorf("%q: table %d group %d holds both a tombstone and an empty slot (spec 8.3)", l.Op, ti, gi)
			}
		}
		if full != t.Used {
			errorf("%q: table %d: used %d but %d full slots", l.Op, ti, t.Used, full)
		}
		// Spec 8.1: tombstones = capacity*7/8 - used - growthLeft.
		if dead != t.Capacity*7/8-t.Used-t.GrowthLeft {
			errorf("%q: table %d: %d tombstones but capacity*7/8-used-growthLeft = %d", l.Op, ti, dead, t.Capacity*7/8-t.Used-t.GrowthLeft)
		}
		sum += t.Used
	}
	if uint64(sum) != *l.Used {
		errorf("%q: map used %d but the tables hold %d", l.Op, *l.Used, sum)
	}
}

func main() {
	args := os.Args[1:]
	var tests []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--oracle":
			i++
			oracle = args[i]
		case "--version":
			i++
			version = args[i]
		default:
			tests = append(tests, args[i])
		}
	}
	if oracle == "" || (version != "go1.26" && version != "go1.27") || len(tests) == 0 {
		fmt.Fprintln(os.Stderr, "usage: swiss-check --oracle PATH --version go1.26|go1.27 TEST... (tests: hints lifecycle tombstone small_update nan hash iter clear prune)")
		os.Exit(2)
	}
	all := map[string]func(){
		"hints": testHints, "lifecycle": testLifecycle, "tombstone": testTombstone,
		"small_update": testSmallUpdate, "nan": testNaN, "hash": testHash, "iter": testIter, "clear": testClear,
		"prune": testPrune,
	}
	for _, t := range tests {
		f, ok := all[t]
		if !ok {
			fmt.Fprintf(os.Stderr, "swiss-check: unknown test %s\n", t)
			os.Exit(2)
		}
		before := failed
		f()
		if failed == before {
			fmt.Printf("ok   %s %s\n", version, t)
		} else {
			fmt.Printf("FAIL %s %s (%d failed expectations)\n", version, t, failed-before)
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
}
