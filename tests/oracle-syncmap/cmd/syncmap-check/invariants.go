package main

// checkInvariants holds every state line to syncmap-spec.md section 1 and
// 3.6 (sync/map.go:37-66, 81-99, 360-368).
func checkInvariants(l *line) {
	if l.Mu == nil {
		return // a panic line
	}
	// Between two ops of one goroutine the mutex is free with no waiter.
	if l.Mu.State != 0 || l.Mu.Sema != 0 {
		errorf("%q: mu is state=%d sema=%d between ops (want 0, 0)", l.Op, l.Mu.State, l.Mu.Sema)
	}
	// 1.2: dirty=nil => amended=false.
	if l.Dirty == nil && l.Amended {
		errorf("%q: amended with dirty=nil (spec 1.2)", l.Op)
	}
	// 3.6: a miss promotes once misses >= len(dirty); misses is reset with dirty.
	if l.Dirty == nil && l.Misses != 0 {
		errorf("%q: misses=%d with dirty=nil (spec 3.6: promotion resets misses)", l.Op, l.Misses)
	}
	if l.Dirty != nil && l.Misses >= len(*l.Dirty) {
		errorf("%q: misses=%d >= len(dirty)=%d after the op (spec 3.6)", l.Op, l.Misses, len(*l.Dirty))
	}
	if l.Read == nil && (len(l.M) != 0 || l.Amended) {
		errorf("%q: read never stored but m or amended set (spec 0.4)", l.Op)
	}
	// One entry per identity, the same state wherever it appears (0.3).
	seen := map[int]ent{}
	all := l.M
	if l.Dirty != nil {
		all = append(append([]ent(nil), l.M...), *l.Dirty...)
	}
	for _, e := range all {
		if o, ok := seen[e.E]; ok && (o.P != e.P || o.C != e.C || (o.V == nil) != (e.V == nil) || (o.V != nil && *o.V != *e.V)) {
			errorf("%q: entry e%d shows two states", l.Op, e.E)
		}
		seen[e.E] = e
		if (e.P == "value") != (e.V != nil) || (e.P != "value" && e.P != "nil" && e.P != "expunged") {
			errorf("%q: entry e%d has p=%q (want value with v, nil or expunged)", l.Op, e.E, e.P)
		}
	}
	for _, e := range l.M {
		d := l.dt(string(e.K))
		switch {
		case e.P == "expunged":
			// 1.3: p=expunged => dirty≠nil and k∉dirty.
			if l.Dirty == nil || d != nil {
				errorf("%q: key %s is expunged but dirty=%s (spec 1.3: dirty≠nil without the key)", l.Op, e.K, dirtyKeys(l))
			}
		case l.Dirty != nil:
			// 1.2: dirty holds every non-expunged key of read.m, with the same entry.
			if d == nil || d.E != e.E {
				errorf("%q: key %s (e%d, p=%s) is in read.m but dirty does not share its entry (spec 1.2)", l.Op, e.K, e.E, e.P)
			}
		}
	}
	if l.Dirty != nil {
		for _, d := range *l.Dirty {
			if d.P == "expunged" {
				errorf("%q: dirty holds expunged key %s (spec 1.3)", l.Op, d.K)
			}
			if r := l.rm(string(d.K)); r == nil && !l.Amended {
				errorf("%q: dirty holds %s, which read.m lacks, with amended=false (spec 0.2)", l.Op, d.K)
			} else if r != nil && r.E != d.E {
				errorf("%q: key %s has entry e%d in read.m and e%d in dirty (spec 0.3: one shared entry)", l.Op, d.K, r.E, d.E)
			}
		}
	}
}
