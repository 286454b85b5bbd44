package main

import (
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"time"
)

// seedFlag is --seed N (replay a random run); 0 draws a fresh seed.
var seedFlag int64

// testRandom runs a random script (a fresh seed each run, printed) and holds
// every line to the invariants (checkInvariants) and every result to a plain
// Go map given the same ops: sync.Map "is like a Go map[any]any" (M:L12).
// Few keys, so that promotions, expunges and revives happen all the time.
func testRandom() {
	seed := seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	fmt.Printf("random: seed %d (replay: syncmap-check --oracle %s --seed %d random)\n", seed, oracle, seed)
	rng := rand.New(rand.NewSource(seed))
	const nops, nkeys = 100000, 10
	var sb strings.Builder
	sb.WriteString("make syncmap string\n")
	// The keys are a window of nkeys names that slides by one every 100 ops;
	// the key that leaves it is deleted, so new keys keep coming (dirtyLocked,
	// expunges, promotions) while the map stays small.
	base := 0
	for i := 0; i < nops; i++ {
		if i%100 == 99 {
			fmt.Fprintf(&sb, "delete k%d\n", base)
			base++
			continue
		}
		k := "k" + strconv.Itoa(base+rng.Intn(nkeys))
		switch r := rng.Intn(100); {
		case r < 30:
			fmt.Fprintf(&sb, "store %s %d\n", k, rng.Intn(1000))
		case r < 55:
			fmt.Fprintf(&sb, "load %s\n", k)
		case r < 67:
			fmt.Fprintf(&sb, "loadorstore %s %d\n", k, rng.Intn(1000))
		case r < 77:
			fmt.Fprintf(&sb, "loadanddelete %s\n", k)
		case r < 92:
			fmt.Fprintf(&sb, "delete %s\n", k)
		case r < 96:
			sb.WriteString("range\n")
		default:
			fmt.Fprintf(&sb, "range %d\n", 1+rng.Intn(4))
		}
		if i%1000 == 500 { // a collection costs the oracle milliseconds
			sb.WriteString("gc\n")
		}
	}
	t0 := time.Now()
	ref := map[string]int64{}
	paths := map[string]int{}
	var prev line
	maxCell, maxEntry, maxRead := 0, 0, 0
	i := -1
	stream(sb.String(), func(l *line) {
		i++
		defer func() { prev = *l }()
		if i == 0 || failed > 40 {
			return
		}
		f := strings.Fields(l.Op)
		k := ""
		if len(f) > 1 {
			k = f[1]
		}
		v, had := ref[k]
		switch f[0] {
		case "store":
			n, _ := strconv.ParseInt(f[2], 10, 64)
			ref[k] = n
		case "load":
			expectLoad(l, had, v)
		case "loadorstore":
			n, _ := strconv.ParseInt(f[2], 10, 64)
			if had {
				expectLoaded(l, true, i64(v))
			} else {
				expectLoaded(l, false, i64(n))
				ref[k] = n
			}
		case "loadanddelete", "delete":
			if f[0] == "loadanddelete" {
				if had {
					expectLoaded(l, true, i64(v))
				} else {
					expectLoaded(l, false, nil)
				}
			}
			delete(ref, k)
		case "range":
			want := len(ref)
			if len(f) == 2 {
				n, _ := strconv.Atoi(f[1])
				if n < want { // Range stops after N calls of f
					want = n
				}
			}
			seen := map[string]bool{}
			for j, rk := range l.Keys {
				s, _ := strconv.Unquote(string(rk))
				if rv, ok := ref[s]; !ok || rv != l.Vals[j] || seen[s] {
					errorf("op %d %q visited %s=%d (map: %v, seen before: %v)", i, l.Op, s, l.Vals[j], ok, seen[s])
				}
				seen[s] = true
			}
			if len(l.Keys) != want {
				errorf("op %d %q visited %d keys, want %d", i, l.Op, len(l.Keys), want)
			}
			if prev.Amended && (l.Amended || l.Dirty != nil || l.readID() == prev.readID()) {
				errorf("op %d: Range of an amended map did not promote (spec 3.5): %s", i, brief(l))
			}
		}
		// The live keys the map holds are the reference's.
		live := map[string]int64{}
		for _, es := range [][]ent{l.M, deref2(l.Dirty)} {
			for _, e := range es {
				if e.P == "value" {
					s, _ := strconv.Unquote(string(e.K))
					live[s] = *e.V
				}
			}
		}
		if len(live) != len(ref) {
			errorf("op %d %q: the map holds %d live keys, a Go map %d: %s", i, l.Op, len(live), len(ref), brief(l))
		} else {
			for rk, rv := range ref {
				if lv, ok := live[rk]; !ok || lv != rv {
					errorf("op %d %q: key %s is %d in a Go map, %d (present %v) in sync.Map", i, l.Op, rk, rv, lv, ok)
				}
			}
		}
		// Every store writes a fresh heap cell into p (Store's escaped
		// parameter, M:L144/183/201; newEntry's, M:L103; tryLoadOrStore's copy,
		// M:L256): the key's cell is one never seen before. No other op shows
		// a new cell.
		newCell := f[0] == "store" || (f[0] == "loadorstore" && !had)
		cells := 0
		for _, es := range [][]ent{l.M, deref2(l.Dirty)} {
			for _, e := range es {
				if e.P != "value" {
					continue
				}
				if e.C > maxCell {
					cells++
					maxCell = e.C
					if !newCell || string(e.K) != strconv.Quote(k) {
						errorf("op %d %q: key %s shows a new cell c%d", i, l.Op, e.K, e.C)
					}
				}
			}
		}
		if newCell && cells != 1 {
			errorf("op %d %q: want one new value cell for %s, saw %d", i, l.Op, k, cells)
		}
		// newEntry (M:L103) runs exactly when a store finds its key in
		// neither map (M:L165-168, 229-236); it is the only new entry the
		// state shows, under a number never used before (identities survive
		// the `gc` ops: a reused address must not bring back an old number).
		wantEntry := newCell && prev.rm(strconv.Quote(k)) == nil && prev.dt(strconv.Quote(k)) == nil
		entries := 0
		for _, es := range [][]ent{l.M, deref2(l.Dirty)} {
			for _, e := range es {
				if e.E > maxEntry {
					entries++
					maxEntry = e.E
					if !wantEntry || string(e.K) != strconv.Quote(k) {
						errorf("op %d %q: key %s shows a new entry e%d", i, l.Op, e.K, e.E)
					}
				}
			}
		}
		if wantEntry && entries != 1 {
			errorf("op %d %q: want one new entry for %s, saw %d", i, l.Op, k, entries)
		}
		// Each read.Store publishes a new readOnly, numbered in order.
		if id := l.readID(); id != prev.readID() && id != maxRead+1 {
			errorf("op %d %q: read is ro%d after ro%d (the last published was ro%d)", i, l.Op, id, prev.readID(), maxRead)
		} else if id > maxRead {
			maxRead = id
		}
		if l.readID() != prev.readID() {
			if l.Amended {
				paths["amended publication"]++
			} else {
				paths["promotion by "+f[0]]++
			}
		}
		for _, e := range l.M {
			if e.P == "expunged" {
				if p := prev.rm(string(e.K)); p != nil && p.P != "expunged" {
					paths["expunge"]++
				}
			} else if p := prev.rm(string(e.K)); p != nil && p.P == "expunged" {
				paths["unexpunge"]++
			} else if p != nil && p.P == "nil" && e.P == "value" {
				paths["revive in read.m"]++
			}
		}
	})
	if i != nops+nops/1000 {
		errorf("want %d lines, got %d", nops+nops/1000+1, i+1)
	}
	var ps []string
	for p, n := range paths {
		ps = append(ps, fmt.Sprintf("%s %d", p, n))
	}
	sort.Strings(ps)
	fmt.Printf("random: %d ops in %v; %s\n", nops, time.Since(t0).Round(time.Millisecond), strings.Join(ps, ", "))
	for _, p := range []string{"promotion by load", "promotion by range", "promotion by loadanddelete", "promotion by delete",
		"promotion by loadorstore", "amended publication", "expunge", "unexpunge", "revive in read.m"} {
		if paths[p] == 0 {
			errorf("the random script never reached %q", p)
		}
	}
}

func deref2(p *[]ent) []ent {
	if p == nil {
		return nil
	}
	return *p
}
