package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

func used(l *line) uint64 {
	if l.Used == nil {
		return math.MaxUint64
	}
	return *l.Used
}

// ---- spec 5.5: make's hint table ---------------------------------------------

func testHints() {
	type want struct {
		hint         int64
		tables, capa int // tables == 0: no directory (small map, nothing allocated)
	}
	cases := []want{
		{-100, 0, 0}, {-1, 0, 0}, {0, 0, 0}, {1, 0, 0}, {8, 0, 0},
		{9, 1, 16}, {14, 1, 16}, {15, 1, 32}, {28, 1, 32}, {29, 1, 64}, {56, 1, 64},
		{57, 1, 128}, {112, 1, 128}, {113, 1, 256}, {224, 1, 256}, {225, 1, 512}, {448, 1, 512},
		{449, 1, 1024}, {896, 1, 1024}, {897, 2, 512}, {1792, 2, 1024}, {1793, 4, 512},
		{3585, 8, 512}, {7168, 8, 1024},
	}
	var sb strings.Builder
	for i, c := range cases {
		fmt.Fprintf(&sb, "make swiss %s %d %d\n", []string{"int64", "int32", "string", "float64"}[i%4], c.hint, 1000+i)
	}
	ls := run(sb.String())
	for i, c := range cases {
		l := &ls[i]
		if used(l) != 0 || l.Seed != fmt.Sprintf("0x%016x", 1000+i) || l.ClearSeq != 0 || l.TombstonePossible {
			errorf("%q: used %d, seed %s, clearSeq %d, tombstonePossible %v", l.Op, used(l), l.Seed, l.ClearSeq, l.TombstonePossible)
		}
		if c.tables == 0 {
			if l.DirLen != 0 || l.Small != nil || len(l.Tables) != 0 {
				errorf("%q: want no allocation (spec 5.2: hint <= 8), got dirLen %d, small %v, %d tables", l.Op, l.DirLen, l.Small != nil, len(l.Tables))
			}
			continue
		}
		gd := bits.TrailingZeros(uint(c.tables))
		if l.DirLen != c.tables || l.GlobalDepth != gd || len(l.Tables) != c.tables {
			errorf("%q: want %d tables of %d (spec 5.5), got dirLen %d, globalDepth %d, %d tables", l.Op, c.tables, c.capa, l.DirLen, l.GlobalDepth, len(l.Tables))
			continue
		}
		for ti, t := range l.Tables {
			if t.Index != ti || t.LocalDepth != gd || t.Capacity != c.capa || t.Used != 0 || t.GrowthLeft != c.capa*7/8 {
				errorf("%q: table %d: index %d localDepth %d capacity %d used %d growthLeft %d; want index %d localDepth %d capacity %d growthLeft %d (spec 5.3-5.5)",
					l.Op, ti, t.Index, t.LocalDepth, t.Capacity, t.Used, t.GrowthLeft, ti, gd, c.capa, c.capa*7/8)
			}
			for gi, g := range t.Groups {
				for s := 0; s < 8; s++ {
					if g.Ctrl[s] != 128 || g.V[s] != 0 {
						errorf("%q: table %d group %d slot %d: ctrl %d v %d, want a fresh empty slot (spec 5.4)", l.Op, ti, gi, s, g.Ctrl[s], g.V[s])
					}
				}
			}
		}
	}
}

// ---- spec 13.5: lifecycle of a map filled with distinct keys ---------------------

func testLifecycle() {
	const n = 2400
	var sb strings.Builder
	sb.WriteString("make swiss int64 0 0x5eed\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "put %d %d\n", i, -i)
	}
	ls := run(sb.String())
	capFor := func(k int) int { // spec 13.5, single-table phase
		switch {
		case k <= 8:
			return 8
		case k <= 14:
			return 16
		case k <= 28:
			return 32
		case k <= 56:
			return 64
		case k <= 112:
			return 128
		case k <= 224:
			return 256
		case k <= 448:
			return 512
		default:
			return 1024
		}
	}
	splits := 0
	for k := 1; k <= n; k++ {
		l, prev := &ls[k], &ls[k-1]
		if used(l) != uint64(k) {
			errorf("%q: used %d, want %d", l.Op, used(l), k)
			return
		}
		switch {
		case k <= 8:
			if l.DirLen != 0 || l.Small == nil {
				errorf("%q: want a small map (spec 13.5: 1-8 keys), got dirLen %d", l.Op, l.DirLen)
			}
		case k <= 896:
			if l.DirLen != 1 || len(l.Tables) != 1 || l.Tables[0].Capacity != capFor(k) {
				errorf("%q: want one table of %d slots (spec 13.5), got dirLen %d, %d tables", l.Op, capFor(k), l.DirLen, len(l.Tables))
			} else if t := l.Tables[0]; t.GrowthLeft != t.Capacity*7/8-k {
				errorf("%q: growthLeft %d, want %d", l.Op, t.GrowthLeft, t.Capacity*7/8-k)
			}
		case k == 897:
			if l.DirLen != 2 || l.GlobalDepth != 1 || len(l.Tables) != 2 || l.Tables[0].Capacity != 1024 ||
				l.Tables[1].Capacity != 1024 || l.Tables[0].LocalDepth != 1 || l.Tables[1].LocalDepth != 1 {
				errorf("%q: want two 1024-slot tables of local depth 1, globalDepth 1 (spec 13.5, 13.3), got dirLen %d globalDepth %d %d tables", l.Op, l.DirLen, l.GlobalDepth, len(l.Tables))
			}
		default:
			for ti, t := range l.Tables {
				if t.Capacity != 1024 {
					errorf("%q: table %d has capacity %d; after the first split every table has 1024 (spec 13.3)", l.Op, ti, t.Capacity)
				}
			}
			if len(l.Tables) == len(prev.Tables)+1 {
				// Spec 13.5: a table splits when it is full again: 896 entries, growthLeft 0.
				splits++
				ok := false
				for _, t := range prev.Tables {
					if t.Used == 896 && t.GrowthLeft == 0 {
						ok = true
					}
				}
				if !ok {
					errorf("%q: a table split, but before it no table had 896 entries and growthLeft 0", l.Op)
				}
				wantDir := prev.DirLen
				grown := false
				for _, t := range prev.Tables {
					if t.LocalDepth == prev.GlobalDepth && t.Used == 896 {
						grown = true
					}
				}
				if grown {
					wantDir *= 2 // spec 7.3: the directory doubles
				}
				if l.DirLen != wantDir && !(grown && l.DirLen == prev.DirLen) {
					errorf("%q: dirLen %d after a split, want %d (spec 7.3)", l.Op, l.DirLen, wantDir)
				}
			} else if len(l.Tables) != len(prev.Tables) {
				errorf("%q: %d tables after %d", l.Op, len(l.Tables), len(prev.Tables))
			}
		}
	}
	if splits < 2 {
		errorf("lifecycle: only %d splits after the first in %d inserts; want at least 2", splits, n)
	}
	fmt.Printf("     lifecycle: %d inserts, %d tables, dirLen %d, %d later splits\n", n, len(ls[n].Tables), ls[n].DirLen, splits)
}

// ---- spec 11.3 / 8.2: delete to tombstone or to empty ------------------------------

// fullGroupMap finds a seed for which `make swiss int64 9 SEED` filled with
// keys 1..14 (16 slots, growthLeft 0) has a group of 8 full slots. It returns
// the script, its last state, the full group and the other one.
func fullGroupMap() (string, line, int) {
	for seed := 1; seed < 200; seed++ {
		var sb strings.Builder
		fmt.Fprintf(&sb, "make swiss int64 9 %d\n", seed)
		for k := 1; k <= 14; k++ {
			fmt.Fprintf(&sb, "put %d %d\n", k, 100+k)
		}
		ls := run(sb.String())
		last := ls[len(ls)-1]
		if len(last.Tables) != 1 || last.Tables[0].Capacity != 16 || last.Tables[0].GrowthLeft != 0 {
			errorf("keys 1..14 in a map made with hint 9: want one 16-slot table at growthLeft 0 (spec 5.5, 8.2)")
			return "", last, -1
		}
		for gi, g := range last.Tables[0].Groups {
			full := 0
			for _, c := range g.Ctrl {
				if c < 128 {
					full++
				}
			}
			if full == 8 {
				return sb.String(), last, gi
			}
		}
	}
	errorf("no seed gave a full group")
	return "", line{}, -1
}

func testTombstone() {
	script, st, fg := fullGroupMap()
	if fg < 0 {
		return
	}
	og := 1 - fg
	kFull := string(st.Tables[0].Groups[fg].K[3])
	slotOther := -1
	for s, c := range st.Tables[0].Groups[og].Ctrl {
		if c < 128 {
			slotOther = s
			break
		}
	}
	kOther := string(st.Tables[0].Groups[og].K[slotOther])
	ls := run(script + "del " + kFull + "\ndel " + kOther + "\nput 1000 1\n")
	n := len(ls)
	a, b, c := &ls[n-3], &ls[n-2], &ls[n-1]
	t0, ta, tb := st.Tables[0], a.Tables[0], b.Tables[0]
	// Delete in a group with no empty slot: a tombstone (spec 11.3).
	if ta.Groups[fg].Ctrl[3] != 254 || ta.GrowthLeft != t0.GrowthLeft || ta.Used != t0.Used-1 || !a.TombstonePossible {
		errorf("%q in a full group: ctrl %d growthLeft %d used %d tombstonePossible %v; want 254, %d, %d, true (spec 11.3, 8.2)",
			a.Op, ta.Groups[fg].Ctrl[3], ta.GrowthLeft, ta.Used, a.TombstonePossible, t0.GrowthLeft, t0.Used-1)
	}
	// The int64 key keeps its stale bytes, the elem is zeroed (spec 6.3).
	if string(ta.Groups[fg].K[3]) != kFull || ta.Groups[fg].V[3] != 0 {
		errorf("%q: slot holds k %s v %d; want the stale key %s and a zeroed elem (spec 6.3)", a.Op, ta.Groups[fg].K[3], ta.Groups[fg].V[3], kFull)
	}
	// Delete in a group with an empty slot: empty again, growthLeft++.
	if tb.Groups[og].Ctrl[slotOther] != 128 || tb.GrowthLeft != ta.GrowthLeft+1 || tb.Used != ta.Used-1 {
		errorf("%q in a group with an empty slot: ctrl %d growthLeft %d; want 128 and %d (spec 11.3, 8.2)",
			b.Op, tb.Groups[og].Ctrl[slotOther], tb.GrowthLeft, ta.GrowthLeft+1)
	}
	if used(c) != used(b)+1 {
		errorf("%q: used %d, want %d", c.Op, used(c), used(b)+1)
	}
}

// ---- spec 6.2: the full small map's update rule, 1.26 against 1.27 -----------------

func testSmallUpdate() {
	for _, kind := range []string{"int64", "string", "int32"} {
		var sb strings.Builder
		fmt.Fprintf(&sb, "make swiss %s 0 3\n", kind)
		for k := 1; k <= 8; k++ {
			fmt.Fprintf(&sb, "put %d %d\n", k, k)
		}
		sb.WriteString("put 1 100\nget 1\nput 9 9\n")
		ls := run(sb.String())
		full, upd, get, nine := &ls[8], &ls[9], &ls[10], &ls[11]
		if full.DirLen != 0 || full.Small == nil || used(full) != 8 {
			errorf("%s: 8 keys: want a full small map, got dirLen %d used %d", kind, full.DirLen, used(full))
			continue
		}
		if version == "go1.26" {
			// 1.26 checks used < 8 before looking for the key: an update converts.
			if upd.DirLen != 1 || upd.Small != nil || len(upd.Tables) != 1 || upd.Tables[0].Capacity != 16 || used(upd) != 8 || upd.Tables[0].GrowthLeft != 6 {
				errorf("%s %q on a full small map in go1.26: want one 16-slot table, used 8, growthLeft 6 (spec 6.2, 6.4), got dirLen %d used %d", kind, upd.Op, upd.DirLen, used(upd))
			}
		} else {
			// 1.27: putSlotSmall runs first; an update does not convert.
			if upd.DirLen != 0 || upd.Small == nil || used(upd) != 8 {
				errorf("%s %q on a full small map in go1.27: want it still small with 8 keys (spec 6.2 [1.27]), got dirLen %d used %d", kind, upd.Op, upd.DirLen, used(upd))
			} else {
				at := -1
				for s := range upd.Small.K {
					if strings.Trim(string(upd.Small.K[s]), `"`) == "1" {
						at = s
					}
				}
				if at < 0 || upd.Small.V[at] != 100 {
					errorf("%s %q: key 1 does not hold 100 in the small group", kind, upd.Op)
				}
			}
		}
		if get.Found == nil || !*get.Found || *get.Val != 100 {
			errorf("%s %q: want found 100", kind, get.Op)
		}
		if nine.DirLen != 1 || len(nine.Tables) != 1 || nine.Tables[0].Capacity != 16 || used(nine) != 9 || nine.Tables[0].GrowthLeft != 5 {
			errorf("%s %q: want one 16-slot table with 9 keys, growthLeft 5 (spec 6.2, 6.4), got dirLen %d used %d", kind, nine.Op, nine.DirLen, used(nine))
		}
	}
}

// ---- NaN and ±0 (spec 6.1, 13.4, 18, 19.2) ------------------------------------------

// f64hash's constants on 64-bit (spec 19.2).
var (
	c0 uint64 = 33054211828000289
	c1 uint64 = 23344194077549503
)

func testNaN() {
	var sb strings.Builder
	sb.WriteString("make swiss float64 0 0x77\nput NaN 1\nput NaN 2\nget NaN\ndel NaN\nput -0 5\nput 0 6\nget -0\nhash 0\nhash -0\n")
	for k := 1; k <= 10; k++ {
		fmt.Fprintf(&sb, "put %d.5 %d\n", k, k)
	}
	ls := run(sb.String())
	two, get, del, neg, pos, getz, h0, hn, last := &ls[2], &ls[3], &ls[4], &ls[5], &ls[6], &ls[7], &ls[8], &ls[9], &ls[len(ls)-1]
	countNaN := func(g *group) (n int) {
		for s, k := range g.K {
			if g.Ctrl[s] < 128 && string(k) == `"NaN"` {
				n++
			}
		}
		return
	}
	if used(two) != 2 || two.Small == nil || countNaN(two.Small) != 2 {
		errorf("%q: want two NaN entries (NaN != NaN), got used %d", two.Op, used(two))
	}
	if get.Found == nil || *get.Found || *get.Val != 0 {
		errorf("%q: want not found, val 0", get.Op)
	}
	if used(del) != 2 {
		errorf("%q: want nothing deleted, got used %d", del.Op, used(del))
	}
	if used(neg) != 3 || used(pos) != 3 {
		errorf("put -0 then put 0: want one entry (0 == -0), used %d then %d", used(neg), used(pos))
	}
	// NeedKeyUpdate (spec 1.4, 6.1): the update rewrites the stored key -0 to +0.
	zs := -1
	for s, k := range neg.Small.K {
		if neg.Small.Ctrl[s] < 128 && string(k) == `"-0"` {
			zs = s
		}
	}
	if zs < 0 || string(pos.Small.K[zs]) != "0" || pos.Small.V[zs] != 6 {
		errorf("put 0 6 after put -0 5: want the slot's key rewritten to 0 and elem 6 (spec 6.1 NeedKeyUpdate)")
	}
	if getz.Found == nil || !*getz.Found || *getz.Val != 6 {
		errorf("%q: want found 6", getz.Op)
	}
	want := fmt.Sprintf("0x%016x", c1*(c0^0x77))
	if h0.Hash != want || hn.Hash != want {
		errorf("hash of 0 and -0 with seed 0x77: %s and %s, want %s = c1*(c0^seed) (spec 19.2)", h0.Hash, hn.Hash, want)
	}
	// Growing rehashes NaNs with fresh random hashes (13.4) but keeps both.
	if last.DirLen != 1 || used(last) != 13 {
		errorf("%q: want a table map with 13 entries, got dirLen %d used %d", last.Op, last.DirLen, used(last))
	} else {
		n := 0
		for _, g := range last.Tables[0].Groups {
			n += countNaN(&g)
		}
		if n != 2 {
			errorf("%q: %d NaN entries in the table, want 2", last.Op, n)
		}
	}
}

// ---- spec 19.2: the fallback hash, bit for bit ----------------------------------------

const m5 = 0x1d8e4e27c47d124f

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

func memhash(p []byte, seed uint64, k [4]uint64) uint64 {
	r8 := func(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
	r4 := func(b []byte) uint64 { return uint64(binary.LittleEndian.Uint32(b)) }
	s := uint64(len(p))
	seed ^= k[0]
	var a, b uint64
	switch {
	case s == 0:
		return seed
	case s < 4:
		a = uint64(p[0]) | uint64(p[s>>1])<<8 | uint64(p[s-1])<<16
	case s == 4:
		a = r4(p)
		b = a
	case s < 8:
		a = r4(p)
		b = r4(p[s-4:])
	case s == 8:
		a = r8(p)
		b = a
	case s <= 16:
		a = r8(p)
		b = r8(p[s-8:])
	default:
		// o is the read position; the last reads go back from it (o+l-16).
		l, o := s, uint64(0)
		if l > 48 {
			seed1, seed2 := seed, seed
			for ; l > 48; l -= 48 {
				seed = mix(r8(p[o:])^k[1], r8(p[o+8:])^seed)
				seed1 = mix(r8(p[o+16:])^k[2], r8(p[o+24:])^seed1)
				seed2 = mix(r8(p[o+32:])^k[3], r8(p[o+40:])^seed2)
				o += 48
			}
			seed ^= seed1 ^ seed2
		}
		for ; l > 16; l -= 16 {
			seed = mix(r8(p[o:])^k[1], r8(p[o+8:])^seed)
			o += 16
		}
		a = r8(p[o+l-16:])
		b = r8(p[o+l-8:])
	}
	return mix(m5^s, mix(a^k[1], b^seed))
}

func memhash64(a, seed uint64, k [4]uint64) uint64 { return mix(m5^8, mix(a^k[1], a^seed^k[0])) }
func memhash32(a uint32, seed uint64, k [4]uint64) uint64 {
	return mix(m5^4, mix(uint64(a)^k[1], uint64(a)^seed^k[0]))
}

func testHash() {
	defKey := [4]uint64{0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x8796a5b4c3d2e1f0}
	keys := [][4]uint64{defKey, {1, 2, 3, 4}, {0xffffffffffffffff, 0x8000000000000001, 0x1234, 0x9e3779b97f4a7c15}}
	seeds := []uint64{0, 1, 0xdeadbeefcafebabe}
	ints := []int64{0, 1, -1, 42, 1 << 62, math.MinInt64}
	i32s := []int32{0, 1, -1, 123456, math.MinInt32}
	alpha := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var strs []string
	for _, n := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 95, 96, 97, 100, 150} {
		strs = append(strs, alpha[:n])
	}
	floats := []float64{1.5, -2.25, 1e300, 5e-324, math.Inf(1), math.Inf(-1), 3}
	checked := 0
	for ki, k := range keys {
		var sb strings.Builder
		if ki > 0 {
			fmt.Fprintf(&sb, "hashkey %d %d %d %d\n", k[0], k[1], k[2], k[3])
		}
		var want []uint64
		for _, seed := range seeds {
			fmt.Fprintf(&sb, "make swiss int64 0 %d\n", seed)
			want = append(want, 0)
			for _, v := range ints {
				fmt.Fprintf(&sb, "hash %d\n", v)
				want = append(want, memhash64(uint64(v), seed, k))
			}
			fmt.Fprintf(&sb, "put 42 1\n")
			want = append(want, memhash64(42, seed, k))
			fmt.Fprintf(&sb, "make swiss int32 0 %d\n", seed)
			want = append(want, 0)
			for _, v := range i32s {
				fmt.Fprintf(&sb, "hash %d\n", v)
				want = append(want, memhash32(uint32(v), seed, k))
			}
			fmt.Fprintf(&sb, "make swiss string 0 %d\n", seed)
			want = append(want, 0)
			for _, s := range strs {
				fmt.Fprintf(&sb, "hash %s\n", strconv.Quote(s))
				want = append(want, memhash([]byte(s), seed, k))
			}
			fmt.Fprintf(&sb, "make swiss float64 0 %d\n", seed)
			want = append(want, 0)
			for _, f := range floats {
				fmt.Fprintf(&sb, "hash %s\n", strconv.FormatFloat(f, 'g', -1, 64))
				var b [8]byte
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(f))
				want = append(want, memhash(b[:], seed, k))
			}
		}
		ls := run(sb.String())
		if ki > 0 {
			ls = ls[1:]
		}
		for i, l := range ls {
			if want[i] == 0 && !strings.HasPrefix(l.Op, "make") {
				continue
			}
			if strings.HasPrefix(l.Op, "make") {
				continue
			}
			checked++
			if l.Hash != fmt.Sprintf("0x%016x", want[i]) {
				errorf("hashkey %x, %q: hash %s, want 0x%016x (spec 19.2)", k, l.Op, l.Hash, want[i])
			}
		}
	}
	fmt.Printf("     hash: %d hashes compared with spec 19.2's formula\n", checked)
}

// ---- spec 16.3-16.5: iteration order of an unmodified map ------------------------------

// specOrder lists the full slots' keys in the order spec 16.3/16.4 gives.
func specOrder(l *line, e, d uint64) []string {
	var out []string
	if l.Small != nil {
		for i := uint64(0); i < 8; i++ {
			s := (i + e) % 8
			if l.Small.Ctrl[s] < 128 {
				out = append(out, string(l.Small.K[s]))
			}
		}
		return out
	}
	dirOffset := d
	for dirIdx := 0; dirIdx < l.DirLen; {
		di := int((uint64(dirIdx) + dirOffset) & uint64(l.DirLen-1))
		t := &l.Tables[l.Dir[di]]
		if t.Index != di {
			dirOffset -= uint64(di - t.Index)
		}
		for en := 0; en < t.Capacity; en++ {
			x := (uint64(en) + e) & uint64(t.Capacity-1)
			g := &t.Groups[x>>3]
			if g.Ctrl[x&7] < 128 {
				out = append(out, string(g.K[x&7]))
			}
		}
		dirIdx += 1 << (l.GlobalDepth - t.LocalDepth)
	}
	return out
}

func testIter() {
	type iterCase struct {
		name string
		fill int
		kind string
	}
	for _, c := range []iterCase{{"small", 6, "int64"}, {"one table", 40, "string"}, {"several tables", 2300, "int64"}, {"empty", 0, "int32"}} {
		var sb strings.Builder
		fmt.Fprintf(&sb, "make swiss %s 0 0x99\n", c.kind)
		for k := 1; k <= c.fill; k++ {
			fmt.Fprintf(&sb, "put %d %d\n", k, k)
		}
		if c.fill > 3 {
			sb.WriteString("del 3\n")
		}
		sb.WriteString("iter\niter\niter 5 3\niter 5 3\niter 18446744073709551615 12345678901234567\n")
		ls := run(sb.String())
		its := ls[len(ls)-5:]
		for i := range its {
			l := &its[i]
			e, d := l.Offsets[0], l.Offsets[1]
			if c.fill == 0 {
				if len(l.Keys) != 0 || e != 0 || d != 0 {
					errorf("%s %q: an empty map yields nothing and draws nothing: keys %d, offsets [%d,%d] (spec 16.1)", c.name, l.Op, len(l.Keys), e, d)
				}
				continue
			}
			if i >= 2 && strings.Count(l.Op, " ") == 2 {
				want := strings.Fields(l.Op)
				if strconv.FormatUint(e, 10) != want[1] || strconv.FormatUint(d, 10) != want[2] {
					errorf("%s %q: offsets [%d,%d], want the given ones", c.name, l.Op, e, d)
				}
			}
			got := make([]string, len(l.Keys))
			for j, k := range l.Keys {
				got[j] = string(k)
			}
			want := specOrder(l, e, d)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				g, w := strings.Join(got, ","), strings.Join(want, ",")
				if len(g) > 120 {
					g, w = g[:120]+"...", w[:min(120, len(w))]+"..."
				}
				errorf("%s %q: order %s, spec 16.3-16.5 gives %s", c.name, l.Op, g, w)
			}
			if uint64(len(got)) != used(l) {
				errorf("%s %q: %d keys for %d entries", c.name, l.Op, len(got), used(l))
			}
		}
		if c.fill > 0 && strings.Join(rawStrings(its[2].Keys), ",") != strings.Join(rawStrings(its[3].Keys), ",") {
			errorf("%s: `iter 5 3` twice gave two orders", c.name)
		}
		if c.name == "several tables" && its[0].DirLen < 4 {
			errorf("several tables: only dirLen %d", its[0].DirLen)
		}
	}
}

func rawStrings(ks []json.RawMessage) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// ---- spec 15: clear ----------------------------------------------------------------------

func testClear() {
	// 15.1: an empty map that never held a tombstone: nothing happens.
	ls := run("make swiss int64 0 0x42\nclear\nput 1 1\ndel 1\n")
	if ls[1].ClearSeq != 0 || ls[1].Seed != "0x0000000000000042" {
		errorf("clear on an empty map: clearSeq %d seed %s, want 0 and the old seed (spec 15.1)", ls[1].ClearSeq, ls[1].Seed)
	}
	// 11.4: a delete that empties the map draws a new seed (RNG-2).
	if ls[3].Seed == "0x0000000000000042" {
		errorf("%q: the seed did not change when used reached 0 (spec 11.4)", ls[3].Op)
	}

	// 15.3: small map: the group is zeroed and emptied; 15.5 clearSeq++, new seed.
	ls = run("make swiss int64 0 0x42\nput 1 1\nput 2 2\nput 3 3\nclear\n")
	l := &ls[len(ls)-1]
	if l.Small == nil || used(l) != 0 || l.ClearSeq != 1 || l.Seed == "0x0000000000000042" {
		errorf("clear of a small map: small %v used %d clearSeq %d seed %s (spec 15.3, 15.5)", l.Small != nil, used(l), l.ClearSeq, l.Seed)
	} else {
		for s := 0; s < 8; s++ {
			if l.Small.Ctrl[s] != 128 || string(l.Small.K[s]) != "0" || l.Small.V[s] != 0 {
				errorf("clear of a small map: slot %d ctrl %d k %s v %d, want 128 0 0", s, l.Small.Ctrl[s], l.Small.K[s], l.Small.V[s])
			}
		}
	}

	// 15.4, not fullTest (used*4 > lengthMask): every group zeroed.
	var sb strings.Builder
	sb.WriteString("make swiss int64 0 0x42\n")
	for k := 1; k <= 40; k++ {
		fmt.Fprintf(&sb, "put %d %d\n", k, k)
	}
	sb.WriteString("clear\n")
	ls = run(sb.String())
	l = &ls[len(ls)-1]
	if len(l.Tables) != 1 || l.Tables[0].Capacity != 64 || l.Tables[0].GrowthLeft != 56 || used(l) != 0 || l.ClearSeq != 1 || l.DirLen != 1 {
		errorf("clear of a 64-slot table: want capacity kept, growthLeft 56, used 0, clearSeq 1 (spec 15.3-15.5)")
	} else {
		for gi, g := range l.Tables[0].Groups {
			for s := 0; s < 8; s++ {
				if g.Ctrl[s] != 128 || string(g.K[s]) != "0" || g.V[s] != 0 {
					errorf("clear (every group zeroed): group %d slot %d ctrl %d k %s v %d (spec 15.4)", gi, s, g.Ctrl[s], g.K[s], g.V[s])
				}
			}
		}
	}

	// 15.4, fullTest (used*4 <= lengthMask): only groups with a full slot are
	// zeroed; the others keep the stale keys that deletes left (6.3).
	sb.Reset()
	sb.WriteString("make swiss int64 0 0x42\n")
	for k := 1; k <= 449; k++ {
		fmt.Fprintf(&sb, "put %d %d\n", k, k)
	}
	for k := 21; k <= 449; k++ {
		fmt.Fprintf(&sb, "del %d\n", k)
	}
	sb.WriteString("dump\nclear\n")
	ls = run(sb.String())
	before, after := &ls[len(ls)-2], &ls[len(ls)-1]
	if len(after.Tables) != 1 || after.Tables[0].Capacity != 1024 || used(before) != 20 {
		errorf("fullTest clear: want one 1024-slot table with 20 keys before the clear")
	} else {
		stale := 0
		for gi, g := range after.Tables[0].Groups {
			bg := before.Tables[0].Groups[gi]
			hadFull := false
			for _, c := range bg.Ctrl {
				if c < 128 {
					hadFull = true
				}
			}
			for s := 0; s < 8; s++ {
				wantK, wantV := string(bg.K[s]), bg.V[s]
				if hadFull {
					wantK, wantV = "0", 0
				} else if wantK != "0" {
					stale++
				}
				if g.Ctrl[s] != 128 || string(g.K[s]) != wantK || g.V[s] != wantV {
					errorf("fullTest clear: group %d slot %d ctrl %d k %s v %d, want 128 %s %d (spec 15.4)", gi, s, g.Ctrl[s], g.K[s], g.V[s], wantK, wantV)
				}
			}
		}
		if stale == 0 {
			errorf("fullTest clear: no stale key survived, so the rule was not exercised")
		}
		if after.Tables[0].GrowthLeft != 896 || after.ClearSeq != 1 {
			errorf("fullTest clear: growthLeft %d clearSeq %d, want 896 and 1", after.Tables[0].GrowthLeft, after.ClearSeq)
		}
	}

	// 15.1: a map with used 0 but tombstonePossible is cleared.
	script, st, fg := fullGroupMap()
	if fg < 0 {
		return
	}
	sb.Reset()
	sb.WriteString(script)
	for gi := 0; gi < 2; gi++ {
		for s, c := range st.Tables[0].Groups[gi].Ctrl {
			if c < 128 {
				fmt.Fprintf(&sb, "del %s\n", st.Tables[0].Groups[gi].K[s])
			}
		}
	}
	sb.WriteString("clear\n")
	ls = run(sb.String())
	empty, cl := &ls[len(ls)-2], &ls[len(ls)-1]
	if used(empty) != 0 || !empty.TombstonePossible || empty.Tables[0].GrowthLeft == 14 {
		errorf("deleting every key of a map with a full group: want used 0, tombstonePossible, tombstones left")
	}
	if cl.ClearSeq != 1 || cl.TombstonePossible || cl.Tables[0].GrowthLeft != 14 {
		errorf("clear of an empty map with tombstones: clearSeq %d tombstonePossible %v growthLeft %d, want 1 false 14 (spec 15.1, 15.4)",
			cl.ClearSeq, cl.TombstonePossible, cl.Tables[0].GrowthLeft)
	}
}

// ---- spec 12, 10.3 against 10.4: prune at growthLeft 0 (fast rule) or grow (generic) --------

// testPrune builds a 16-slot table (hint 9) whose group 0 holds 8 keys whose
// probe sequences start at group 0 and whose group 1 holds 6 keys starting at
// group 1 (chosen with spec 19.2's hash: group = (h>>7) & 1), so growthLeft
// is 0 and no key sits past its first group. Two deletes in the full group 0
// leave two tombstones (11.3). A new key starting at group 1 then finds
// group 1's empty slot with growthLeft 0. The fast rule (int64) prunes
// (12.1-12.4: 2 tombstones*10 >= 16; group 0 is not marked, since no key
// passes it and it has no empty slot): group 0's tombstones become empty,
// growthLeft 2, then 1 after the insert, capacity still 16. The generic rule
// (float64) never prunes (10.4): the table grows to 32 slots.
func testPrune() {
	k := [4]uint64{0x0123456789abcdef, 0xfedcba9876543210, 0x0f1e2d3c4b5a6978, 0x8796a5b4c3d2e1f0}
	const seed = 0x1234
	for _, kind := range []string{"int64", "float64"} {
		bitsOf := func(i int) (uint64, string) {
			if kind == "int64" {
				return uint64(i), strconv.Itoa(i)
			}
			f := float64(i) + 0.5
			return math.Float64bits(f), strconv.FormatFloat(f, 'g', -1, 64)
		}
		var home [2][]string
		for i := 1; len(home[0]) < 9 || len(home[1]) < 7; i++ {
			b, s := bitsOf(i)
			g := (memhash64(b, seed, k) >> 7) & 1
			home[g] = append(home[g], s)
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "make swiss %s 9 %d\n", kind, seed)
		for _, s := range home[0][:8] {
			fmt.Fprintf(&sb, "put %s 1\n", s)
		}
		for _, s := range home[1][:6] {
			fmt.Fprintf(&sb, "put %s 2\n", s)
		}
		fmt.Fprintf(&sb, "del %s\ndel %s\nput %s 3\n", home[0][2], home[0][5], home[1][6])
		ls := run(sb.String())
		n := len(ls)
		full, dels, ins := &ls[n-4], &ls[n-2], &ls[n-1]
		if len(full.Tables) != 1 || full.Tables[0].Capacity != 16 || full.Tables[0].GrowthLeft != 0 {
			errorf("%s: 14 keys in a hint-9 map: want one 16-slot table at growthLeft 0", kind)
			continue
		}
		for s, c := range full.Tables[0].Groups[0].Ctrl {
			if c >= 128 {
				errorf("%s: group 0 slot %d is not full after 8 keys whose probe starts there (spec 4, 10.3)", kind, s)
			}
		}
		t := dels.Tables[0]
		if t.GrowthLeft != 0 || t.Used != 12 || t.Groups[0].Ctrl[2] != 254 || t.Groups[0].Ctrl[5] != 254 {
			errorf("%s: two deletes in the full group: growthLeft %d used %d ctrl %v, want 0, 12, tombstones in slots 2 and 5", kind, t.GrowthLeft, t.Used, t.Groups[0].Ctrl)
		}
		if kind == "int64" {
			if len(ins.Tables) != 1 || ins.Tables[0].Capacity != 16 {
				errorf("int64 %q: want the table pruned, not grown (spec 12): capacity %d", ins.Op, ins.Tables[0].Capacity)
				continue
			}
			t := ins.Tables[0]
			if t.GrowthLeft != 1 || t.Used != 13 || t.Groups[0].Ctrl[2] != 128 || t.Groups[0].Ctrl[5] != 128 {
				errorf("int64 %q: growthLeft %d used %d group 0 ctrl %v; want 1, 13, slots 2 and 5 empty (spec 12.4)", ins.Op, t.GrowthLeft, t.Used, t.Groups[0].Ctrl)
			}
		} else if len(ins.Tables) != 1 || ins.Tables[0].Capacity != 32 || ins.Tables[0].Used != 13 || ins.Tables[0].GrowthLeft != 28-13 {
			errorf("float64 %q: want a grown 32-slot table with 13 keys, growthLeft 15 (spec 10.4: no prune; 13.2)", ins.Op)
		}
	}
}
