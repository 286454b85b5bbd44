package main

import (
	"fmt"
	"strconv"
	"strings"
)

// ents renders entries as spec section 4 writes them: a:e1=1 b:e2=nil c:e3=X.
func ents(es []ent) string {
	var parts []string
	for _, e := range es {
		k := string(e.K)
		if s, err := strconv.Unquote(k); err == nil {
			k = s
		}
		v := e.P
		switch e.P {
		case "value":
			v = strconv.FormatInt(*e.V, 10)
		case "expunged":
			v = "X"
		}
		parts = append(parts, fmt.Sprintf("%s:e%d=%s", k, e.E, v))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// brief renders a state line as spec section 4 does.
func brief(l *line) string {
	d := "nil"
	if l.Dirty != nil {
		d = ents(*l.Dirty)
	}
	return fmt.Sprintf("read=ro%d%s amended=%v dirty=%s misses=%d", l.readID(), ents(l.M), l.Amended, d, l.Misses)
}

// script runs `make syncmap string` and the given ops; ls[i] is op i (ls[0] the make).
func script(ops ...string) []line {
	return run("make syncmap string\n" + strings.Join(ops, "\n") + "\n")
}

func expectBrief(l *line, want, why string) {
	if got := brief(l); got != want {
		errorf("after %q (%s):\n      got  %s\n      want %s", l.Op, why, got, want)
	}
}

func expectLoad(l *line, found bool, val int64) {
	if l.Found == nil || *l.Found != found || (found && (l.Val == nil || *l.Val != val)) || (!found && l.Val != nil) {
		errorf("%q: got found=%v val=%v, want found=%v val=%v", l.Op, deref(l.Found), derefI(l.Val), found, val)
	}
}

func expectLoaded(l *line, loaded bool, val *int64) {
	if l.Loaded == nil || *l.Loaded != loaded || (val == nil) != (l.Val == nil) || (val != nil && *val != *l.Val) {
		errorf("%q: got loaded=%v val=%v, want loaded=%v val=%v", l.Op, deref(l.Loaded), derefI(l.Val), loaded, derefI(val))
	}
}

func deref(b *bool) any {
	if b == nil {
		return "absent"
	}
	return *b
}

func derefI(v *int64) any {
	if v == nil {
		return "null"
	}
	return *v
}

func i64(v int64) *int64 { return &v }

// testTrace: spec section 4, the sequential trace read from the real runtime,
// step by step. Entry numbers are creation order (each newEntry, M:L103, is
// stored at once in dirty). readOnly numbers count read.Store calls: the
// first Store's dirtyLocked publishes ro1 (M:L166), a promotion (M:L365,
// 342) or an amended publication (M:L166, 232) each a new object.
func testTrace() {
	ls := script(
		"store a 1", "store b 2", "load a", "load zz", "delete a", "load a", "store a 11",
		"delete a", "store c 3", "store a 12", "store c 33", "loadorstore c 99", "delete b", "range",
		"loadanddelete c", "store d 4", "loadanddelete d")
	if len(ls) != 18 {
		errorf("want 18 lines, got %d", len(ls))
		return
	}
	if l := ls[0]; l.Read != nil || l.Amended || len(l.M) != 0 || l.Dirty != nil || l.Misses != 0 {
		errorf("a zero Map (spec 0.4): got %s", brief(&l))
	}
	want := []struct {
		brief, why string
	}{
		{"read=ro1{} amended=true dirty={a:e1=1} misses=0", "first Store: dirtyLocked, amended"},
		{"read=ro1{} amended=true dirty={a:e1=1 b:e2=2} misses=0", "new key into dirty"},
		{"read=ro1{} amended=true dirty={a:e1=1 b:e2=2} misses=1", "miss 1 < len 2"},
		{"read=ro2{a:e1=1 b:e2=2} amended=false dirty=nil misses=0", "miss 2 >= len 2: promoted"},
		{"read=ro2{a:e1=nil b:e2=2} amended=false dirty=nil misses=0", "Delete: no lock, key and entry stay"},
		{"read=ro2{a:e1=nil b:e2=2} amended=false dirty=nil misses=0", "deleted key found in read.m: no miss"},
		{"read=ro2{a:e1=11 b:e2=2} amended=false dirty=nil misses=0", "lock-free revive (2.3)"},
		{"read=ro2{a:e1=nil b:e2=2} amended=false dirty=nil misses=0", "Delete again"},
		{"read=ro3{a:e1=X b:e2=2} amended=true dirty={b:e2=2 c:e3=3} misses=0", "dirtyLocked expunges a"},
		{"read=ro3{a:e1=12 b:e2=2} amended=true dirty={a:e1=12 b:e2=2 c:e3=3} misses=0", "unexpunge"},
		{"read=ro3{a:e1=12 b:e2=2} amended=true dirty={a:e1=12 b:e2=2 c:e3=33} misses=0", "Store to a dirty key counts no miss"},
		{"read=ro3{a:e1=12 b:e2=2} amended=true dirty={a:e1=12 b:e2=2 c:e3=33} misses=1", "LoadOrStore dirty hit counts a miss"},
		{"read=ro3{a:e1=12 b:e2=nil} amended=true dirty={a:e1=12 b:e2=nil c:e3=33} misses=1", "entry kept in both"},
		{"read=ro4{a:e1=12 b:e2=nil c:e3=33} amended=false dirty=nil misses=0", "Range promotes at once"},
		{"read=ro4{a:e1=12 b:e2=nil c:e3=nil} amended=false dirty=nil misses=0", "LoadAndDelete of a read.m key"},
		{"read=ro5{a:e1=12 b:e2=X c:e3=X} amended=true dirty={a:e1=12 d:e4=4} misses=0", "Store(d): dirtyLocked expunges b and c"},
		{"read=ro6{a:e1=12} amended=false dirty=nil misses=0", "a miss: 1 >= len 1, promoted; b and c are gone"},
	}
	for i, w := range want {
		expectBrief(&ls[i+1], w.brief, w.why)
	}
	expectLoad(&ls[3], true, 1)
	expectLoad(&ls[4], false, 0)
	expectLoad(&ls[6], false, 0)
	expectLoaded(&ls[12], true, i64(33))
	if got := sortedRaw(ls[14].Keys); strings.Join(got, ",") != `"a","c"` {
		errorf("Range visited %v, want a and c (b's p is nil: skipped, M:L352)", got)
	}
	expectLoaded(&ls[15], true, i64(33))
	expectLoaded(&ls[17], true, i64(4))
}

// testMissesPromotion: spec 3.1 and 3.6 (M:L110-133, 360-368). With n keys in
// dirty only, the first n-1 missing Loads count misses 1..n-1 and change
// nothing else; the nth publishes read={m: dirty, amended: false} (a new
// readOnly), dirty=nil, misses=0, the very same entries. A miss is counted
// whether the key is found in dirty or not. Then Loads are hits that touch
// nothing (lesson L3).
func testMissesPromotion() {
	for _, n := range []int{1, 2, 5} {
		var ops []string
		for i := 0; i < n; i++ {
			ops = append(ops, fmt.Sprintf("store k%d %d", i, i))
		}
		for i := 0; i < n; i++ {
			if i%2 == 0 {
				ops = append(ops, fmt.Sprintf("load k%d", i)) // found in dirty
			} else {
				ops = append(ops, "load absent") // in neither
			}
		}
		ops = append(ops, "load k0", "load k0")
		ls := script(ops...)
		before := ls[n]
		for i := 1; i <= n; i++ {
			l := &ls[n+i]
			if i%2 == 1 {
				expectLoad(l, true, int64(i-1))
			} else {
				expectLoad(l, false, 0)
			}
			if i < n {
				if l.Misses != i || l.readID() != before.readID() || l.Dirty == nil || len(*l.Dirty) != n {
					errorf("n=%d: after miss %d got %s, want misses=%d and nothing else changed", n, i, brief(l), i)
				}
				continue
			}
			if l.Misses != 0 || l.Dirty != nil || l.Amended || l.readID() == before.readID() {
				errorf("n=%d: miss %d >= len(dirty) %d must promote: got %s", n, i, n, brief(l))
			}
			if ents(l.M) != ents(*before.Dirty) {
				errorf("n=%d: promotion must publish dirty itself: read.m %s, dirty was %s", n, ents(l.M), ents(*before.Dirty))
			}
		}
		for _, l := range ls[2*n+1:] {
			expectLoad(&l, true, 0)
			if l.stateText() != ls[2*n].stateText() {
				errorf("n=%d: a Load hit after the promotion changed the state:\n      %s\n      %s", n, ls[2*n].stateText(), l.stateText())
			}
		}
	}
}

// testRangePromotion: spec 3.5 (M:L327-358): Range promotes an amended map at
// once, whatever misses says; on an unamended map it publishes nothing.
// Range skips nil and expunged entries; `range N` stops after N calls.
func testRangePromotion() {
	ls := script("store a 1", "store b 2", "store c 3", "range", "range", "delete b", "range", "range 1",
		"store d 4", "range 2")
	pre, r := ls[3], ls[4]
	if pre.Misses != 0 || !pre.Amended {
		errorf("setup: %s", brief(&pre))
	}
	expectBrief(&r, "read=ro2{a:e1=1 b:e2=2 c:e3=3} amended=false dirty=nil misses=0", "Range on an amended map promotes with misses 0 < len 3")
	if got := strings.Join(sortedRaw(r.Keys), ","); got != `"a","b","c"` {
		errorf("range visited %s, want a,b,c", got)
	}
	if ls[5].stateText() != r.stateText() {
		errorf("a Range of an unamended map changed the state: %s", brief(&ls[5]))
	}
	if got := strings.Join(sortedRaw(ls[7].Keys), ","); got != `"a","c"` {
		errorf("range after delete b visited %s, want a,c (nil entries skipped)", got)
	}
	if len(ls[8].Keys) != 1 {
		errorf("range 1 visited %d keys, want 1", len(ls[8].Keys))
	}
	l := ls[10]
	if len(l.Keys) != 2 || l.Dirty != nil || l.Amended || l.readID() != ls[9].readID()+1 {
		errorf("range 2 after a new key: got %d keys, %s (want 2 keys and a promotion)", len(l.Keys), brief(&l))
	}
	for i, k := range l.Keys {
		if e := l.rm(string(k)); e == nil || e.V == nil || *e.V != l.Vals[i] {
			errorf("range 2 gave %s=%d, which read.m does not hold", k, l.Vals[i])
		}
	}
	// b was expunged by store d's dirtyLocked and dropped by this promotion.
	if l.rm(key("b")) != nil {
		errorf("the promotion after b was expunged kept b: %s", brief(&l))
	}
}

// testExpungeUnexpunge: spec 2.4, 2.5, 3.2(2a), 3.7 (M:L189-197, 370-393).
func testExpungeUnexpunge() {
	ls := script("store a 1", "store b 2", "store c 3", "range", "delete a", "delete c", "store n 9",
		"store a 5", "loadorstore c 7")
	p, l := ls[6], ls[7]
	// dirtyLocked: a and c (p=nil) become expunged and stay out of dirty; b is copied.
	expectBrief(&l, fmt.Sprintf("read=ro%d{a:e1=X b:e2=2 c:e3=X} amended=true dirty={b:e2=2 n:e4=9} misses=0", p.readID()+1),
		"first new key after a promotion: dirtyLocked expunges the nil entries, read republished amended")
	u := ls[8]
	expectBrief(&u, fmt.Sprintf("read=ro%d{a:e1=5 b:e2=2 c:e3=X} amended=true dirty={a:e1=5 b:e2=2 n:e4=9} misses=0", l.readID()),
		"Store to an expunged key: unexpunge, dirty[a]=e, storeLocked; read not republished")
	w := ls[9]
	expectLoaded(&w, false, i64(7))
	expectBrief(&w, fmt.Sprintf("read=ro%d{a:e1=5 b:e2=2 c:e3=7} amended=true dirty={a:e1=5 b:e2=2 c:e3=7 n:e4=9} misses=0", l.readID()),
		"LoadOrStore of an expunged key: unexpunge, then tryLoadOrStore (M:L219-224)")
}

// testDeleteKeepsEntry: spec 3.4, 2.2, 2.3, 10.3 (M:L276-314).
func testDeleteKeepsEntry() {
	ls := script("store a 1", "store b 2", "range", "store n 3",
		"delete a",        // 5: in read.m and dirty: p=nil, both keep the entry
		"delete n",        // 6: dirty only: removed from dirty, and a miss
		"loadanddelete b", // 7
		"loadanddelete b", // 8: already nil
		"store a 4",       // 9: revive without the lock
		"delete zz")       // 10: in neither: a miss
	d := ls[5]
	if e, f := d.rm(key("a")), d.dt(key("a")); e == nil || f == nil || e.P != "nil" || f.E != e.E || e.E != ls[4].rm(key("a")).E {
		errorf("Delete of a key in read.m and dirty: got %s (want the same entry, p=nil, in both)", brief(&d))
	}
	if d.Misses != 0 || d.readID() != ls[4].readID() {
		errorf("Delete of a read.m key took the slow path: %s", brief(&d))
	}
	n := ls[6]
	if n.dt(key("n")) != nil || n.Misses != 1 {
		errorf("Delete of a dirty-only key: got %s (want it removed from dirty and misses=1)", brief(&n))
	}
	expectLoaded(&ls[7], true, i64(2))
	expectLoaded(&ls[8], false, nil)
	if e := ls[8].rm(key("b")); e == nil || e.P != "nil" || ls[8].Misses != 1 {
		errorf("LoadAndDelete twice: got %s (want b kept with p=nil, no miss)", brief(&ls[8]))
	}
	r := ls[9]
	if e := r.rm(key("a")); e == nil || e.P != "value" || *e.V != 4 || e.E != d.rm(key("a")).E || r.Misses != 1 || r.readID() != d.readID() {
		errorf("Store to a deleted key in read.m: got %s (want the same entry revived, no miss, read unchanged)", brief(&r))
	}
	if ls[10].Misses != 0 || ls[10].Dirty != nil {
		errorf("Delete of a missing key: misses 2 >= len(dirty) 2 must promote (M:L286-288, 360-368): got %s", brief(&ls[10]))
	}
}

// testLoadOrStoreMiss: spec 3.3 (M:L207-272).
func testLoadOrStoreMiss() {
	ls := script("loadorstore a 1", "loadorstore a 2", "loadorstore b 3", "store b 4", "loadorstore b 5",
		"range", "delete a", "loadorstore a 6")
	expectLoaded(&ls[1], false, i64(1))
	expectBrief(&ls[1], "read=ro1{} amended=true dirty={a:e1=1} misses=0", "LoadOrStore of a new key: dirtyLocked, amended, new entry")
	expectLoaded(&ls[2], true, i64(1))
	if ls[2].Misses != 0 || ls[2].readID() != 2 || ls[2].Dirty != nil {
		errorf("LoadOrStore hit in dirty (len 1) must count a miss and promote: %s", brief(&ls[2]))
	}
	expectLoaded(&ls[3], false, i64(3))
	if ls[4].Misses != 0 {
		errorf("Store to a dirty key counted a miss: %s", brief(&ls[4]))
	}
	expectLoaded(&ls[5], true, i64(4))
	if ls[5].Misses != 1 {
		errorf("LoadOrStore hit in dirty (M:L226) must count a miss: %s", brief(&ls[5]))
	}
	l := ls[8]
	expectLoaded(&l, false, i64(6))
	if e := l.rm(key("a")); e == nil || e.P != "value" || *e.V != 6 || e.E != ls[7].rm(key("a")).E || l.readID() != ls[7].readID() || l.Dirty != nil {
		errorf("LoadOrStore of a deleted read.m key: got %s (want the same entry, CAS nil->cell, no lock)", brief(&l))
	}
}

// testLoadHit: a Load that finds its key in read.m, live or deleted, touches
// nothing (spec 3.1 steps 1, 2, 4): the state is byte-identical, value cells
// included. A missing key with amended=false takes no lock and counts nothing.
func testLoadHit() {
	ls := script("store a 1", "store b 2", "range", "delete b", "store c 3",
		"load a", "load b", "load a", "dump")
	base := ls[5].stateText()
	for _, l := range ls[6:] {
		if l.stateText() != base {
			errorf("%q changed the state:\n      %s\n      %s", l.Op, base, l.stateText())
		}
	}
	expectLoad(&ls[6], true, 1)
	expectLoad(&ls[7], false, 0)
	ls = script("store a 1", "range", "load zz", "load zz")
	for _, l := range ls[3:] {
		expectLoad(&l, false, 0)
		if l.stateText() != ls[2].stateText() {
			errorf("a missing Load with amended=false changed the state: %s", brief(&l))
		}
	}
}

// testInt64Keys: `make syncmap int64` boxes int64 keys; the contract prints
// them as JSON numbers sorted numerically (docs/formats.md), so -5 < 3 < 10
// (byte order would put "10" before "3"). A key is found only as the same
// dynamic type and value (interface equality).
func testInt64Keys() {
	ls := run("make syncmap int64\nstore 10 1\nstore 3 2\nstore -5 3\nrange\nload 3\nload -5\nload 4\n" +
		"store 9223372036854775807 4\nload 9223372036854775807\n")
	if len(ls) != 10 {
		errorf("want 10 lines, got %d", len(ls))
		return
	}
	if got := strings.Join(keysOf(*ls[3].Dirty), ","); got != "-5,3,10" {
		errorf("dirty keys printed as %s, want -5,3,10 (numeric order)", got)
	}
	if got := strings.Join(keysOf(ls[4].M), ","); got != "-5,3,10" || ls[4].Dirty != nil {
		errorf("after range: read.m %s dirty %s, want -5,3,10 and null", got, dirtyKeys(&ls[4]))
	}
	if got := strings.Join(sortedRaw(ls[4].Keys), ","); got != "-5,10,3" { // sorted as text here
		errorf("range visited %s, want -5, 3 and 10", got)
	}
	expectLoad(&ls[5], true, 2)
	expectLoad(&ls[6], true, 3)
	expectLoad(&ls[7], false, 0)
	expectLoad(&ls[9], true, 4)
	if e := ls[9].dt("9223372036854775807"); e == nil || *e.V != 4 {
		errorf("the largest int64 key is not printed exactly: %s", ls[9].raw)
	}
}
