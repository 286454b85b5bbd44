package main

// Checks on the real Go 1.19 runtime itself: allocation counts (spec section
// 5), a deleted value's and key's lifetimes (10.3), the atomic.Value CAS
// panic (8.2, 10.6) and the RWMutex writer-preference deadlock (7.3). The
// panic and the deadlock run this binary again as a child program.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// mallocs returns the heap allocations (objects, bytes) f makes, exactly
// (ReadMemStats flushes every P's counts; this program runs one goroutine).
func mallocs(f func()) (uint64, uint64) {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.Mallocs - a.Mallocs, b.TotalAlloc - a.TotalAlloc
}

func expectAllocs(what string, got, want float64) {
	if got != want {
		errorf("%s: %v allocations per op, want %v (spec 5)", what, got, want)
	} else {
		fmt.Printf("  %-62s %v\n", what, got)
	}
}

// keys returns n distinct string keys, boxed once here so that the measured
// calls box nothing ("a pre-boxed key", spec 5.1).
func keys(prefix string, n int) []any {
	ks := make([]any, n)
	for i := range ks {
		ks[i] = prefix + strconv.Itoa(i)
	}
	return ks
}

// promoted returns a sync.Map holding ks in read.m only (Range promotes).
func promoted(ks []any, v any) *sync.Map {
	m := new(sync.Map)
	for _, k := range ks {
		m.Store(k, v)
	}
	m.Range(func(any, any) bool { return true })
	return m
}

//go:noinline
func sink(v any) { sunk = v }

var sunk any

func testAllocs() {
	ks := keys("k", 1000)
	val := new(int) // a pointer value: boxing it allocates nothing
	m := promoted(ks, val)
	i := 0
	next := func() any { i++; return ks[i%len(ks)] }

	// 5.1: Load hit, with a pre-boxed key and with a string boxed at the call; LoadOrStore hit.
	expectAllocs("Load hit (pre-boxed key)", testing.AllocsPerRun(1000, func() { m.Load(next()) }), 0)
	strs := make([]string, len(ks))
	for j, k := range ks {
		strs[j] = k.(string)
	}
	expectAllocs("Load hit (string key boxed at the call)", testing.AllocsPerRun(1000, func() { i++; m.Load(strs[i%len(strs)]) }), 0)
	expectAllocs("LoadOrStore hit", testing.AllocsPerRun(1000, func() { m.LoadOrStore(next(), val) }), 0)
	// 5.1: map+RWMutex Load and Store of an existing key.
	var rw sync.RWMutex
	plain := map[string]int{}
	for _, s := range strs {
		plain[s] = 1
	}
	expectAllocs("map+RWMutex Load", testing.AllocsPerRun(1000, func() {
		i++
		rw.RLock()
		sink(plain[strs[i%len(strs)]] > 0)
		rw.RUnlock()
	}), 0)
	expectAllocs("map+RWMutex Store of an existing key", testing.AllocsPerRun(1000, func() {
		i++
		rw.Lock()
		plain[strs[i%len(strs)]] = i
		rw.Unlock()
	}), 0)
	// 5.2: Store to an existing key: the escaped value cell (M:L144).
	expectAllocs("Store to an existing key, pointer value", testing.AllocsPerRun(1000, func() { m.Store(next(), val) }), 1)
	n := 0
	expectAllocs("Store to an existing key, int 0..255", testing.AllocsPerRun(1000, func() { n = (n + 1) % 256; m.Store(next(), n) }), 1)
	expectAllocs("Store to an existing key, int >= 256 (convT64)", testing.AllocsPerRun(1000, func() { n++; m.Store(next(), 256+n) }), 2)
	// 5.2: reviving a deleted key (still in read.m): one cell, no lock.
	var revive uint64
	for j := 0; j < 100; j++ {
		k := next()
		m.Delete(k)
		a, _ := mallocs(func() { m.Store(k, val) })
		revive += a
	}
	expectAllocs("Store reviving a deleted key (100 keys)", float64(revive)/100, 1)

	// 5.3: the first new key after a promotion with 1,000 keys: dirtyLocked
	// makes dirty presized to len(read.m) (M:L377), read.Store boxes a
	// readOnly (5.4), plus the escaped value, newEntry's cell and the entry.
	m = promoted(ks, val)
	nk := keys("new", 101)
	a, b := mallocs(func() { m.Store(nk[0], val) })
	if a != 7 || b != 57472 {
		errorf("first new key after a promotion with 1,000 keys: %d allocations, %d bytes, want 7 and 57,472 (spec 5.3)", a, b)
	} else {
		fmt.Printf("  %-62s %d (%d B)\n", "first new key after a promotion of 1,000 keys", a, b)
	}
	// 5.3: further new keys while dirty exists: 3 each (plus, rarely, an
	// overflow bucket of dirty: it is presized, so it does not grow here).
	var per []int
	for _, k := range nk[1:] {
		a, _ := mallocs(func() { m.Store(k, val) })
		per = append(per, int(a))
	}
	sort.Ints(per)
	if per[0] != 3 || per[len(per)/2] != 3 || per[len(per)*9/10] != 3 {
		errorf("new keys while dirty exists: sorted allocations %v, want 3 each apart from dirty's overflow buckets (spec 5.3)", per)
	} else {
		fmt.Printf("  %-62s 3 (%d of 100 took an overflow bucket)\n", "new key while dirty exists", len(per)-sort.SearchInts(per, 4))
	}
	// 5.4: each read.Store allocates a readOnly box (M:L365 here): a miss
	// that promotes makes exactly one object, a miss that does not makes none.
	m = new(sync.Map)
	m.Store(ks[0], val)
	m.Store(ks[1], val)
	missKey := any("absent")
	a1, _ := mallocs(func() { m.Load(missKey) }) // misses 1 < 2
	a2, _ := mallocs(func() { m.Load(missKey) }) // misses 2 >= 2: promotion
	if a1 != 0 || a2 != 1 {
		errorf("a miss allocated %d, a promoting miss %d: want 0 and 1 (the readOnly box, spec 5.4)", a1, a2)
	} else {
		fmt.Printf("  %-62s %d (a plain miss: %d)\n", "a promoting miss (readOnly box)", a2, a1)
	}
}

type bigValue [1 << 20]byte
type keyObj [32]byte // not a tiny allocation, so its finalizer can run

var valueFreed, keyFreed, entryFreed int32

// The layout of sync.Map (sync/map.go:34-101), enough to reach read.m's
// *entry for a key (the oracle's mirror.go checks the layout at start-up;
// gomap-oracle-syncmap is a different program, so these few lines are repeated).
type entryLayout struct{ p unsafe.Pointer }
type readOnlyLayout struct {
	m       map[any]*entryLayout
	amended bool
}
type mapLayout struct {
	mu struct {
		state int32
		sema  uint32
	}
	read   struct{ typ, data unsafe.Pointer }
	dirty  map[any]*entryLayout
	misses int
}

// watchEntry sets a finalizer on the *entry read.m holds for k (the heap
// object the model calls an entry, M:L104), holding no reference after it.
//
//go:noinline
func watchEntry(m *sync.Map, k any) bool {
	if unsafe.Sizeof(sync.Map{}) != unsafe.Sizeof(mapLayout{}) {
		return false
	}
	ro := (*readOnlyLayout)((*mapLayout)(unsafe.Pointer(m)).read.data)
	if ro == nil || ro.m[k] == nil {
		return false
	}
	runtime.SetFinalizer(ro.m[k], func(*entryLayout) { atomic.StoreInt32(&entryFreed, 1) })
	return true
}

// waitFor collects until *flag is set or about 5 s have passed.
func waitFor(flag *int32) bool {
	for i := 0; i < 500; i++ {
		runtime.GC()
		if atomic.LoadInt32(flag) != 0 {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// stillAlive collects three times and reports whether *flag stayed unset.
func stillAlive(flag *int32) bool {
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	return atomic.LoadInt32(flag) == 0
}

//go:noinline
func storeBig(m *sync.Map) *keyObj {
	k, v := new(keyObj), new(bigValue)
	runtime.SetFinalizer(k, func(*keyObj) { atomic.StoreInt32(&keyFreed, 1) })
	runtime.SetFinalizer(v, func(*bigValue) { atomic.StoreInt32(&valueFreed, 1) })
	m.Store(k, v)
	return k
}

// testValueFreed: spec 10.3 (claim 3.3 "Delete leaks the value"). A 1 MiB
// value whose key is only in read.m is freed by the first GC after Delete
// (the delete CAS sets p=nil, M:L310). The key stays reachable (it is still
// in read.m) after the Delete, after Loads, and after a new-key Store
// (dirtyLocked only expunges it, M:L377-381); the promotion at the next miss
// drops it (M:L365), and the next GC frees it.
func testValueFreed() {
	var m sync.Map
	k := storeBig(&m)
	m.Range(func(any, any) bool { return true }) // promote: the key is in read.m only
	if !watchEntry(&m, k) {
		errorf("cannot reach the key's entry in read.m (not Go 1.19's layout?)")
	}
	m.Delete(k) // k is dead after this line: only read.m holds the key
	if !waitFor(&valueFreed) {
		errorf("the deleted 1 MiB value was not freed by a GC after Delete (spec 10.3)")
	} else {
		fmt.Println("  the value's finalizer ran after Delete and a GC")
	}
	if !stillAlive(&keyFreed) {
		errorf("the key was freed after Delete; it must stay in read.m (spec 10.3)")
	}
	if atomic.LoadInt32(&entryFreed) != 0 {
		errorf("the entry was freed after Delete; it must stay in read.m with p=nil (spec 10.3)")
	} else {
		fmt.Println("  the entry was not freed by the GCs after Delete (it stays in read.m, p=nil)")
	}
	absent := any("absent")
	for i := 0; i < 100; i++ {
		m.Load(absent) // amended=false: no lock, no miss
	}
	if !stillAlive(&keyFreed) {
		errorf("the key was freed after 100 Loads (spec 10.3)")
	}
	m.Store("new", 1) // dirtyLocked: the key is expunged, still in read.m
	if !stillAlive(&keyFreed) || atomic.LoadInt32(&entryFreed) != 0 {
		errorf("the key or its entry was freed after Store(new key): it is expunged but still in read.m (spec 10.3)")
	}
	m.Load(absent) // misses 1 >= len(dirty) 1: promotion drops the key
	if !waitFor(&keyFreed) {
		errorf("the key was not freed after the promoting miss (spec 10.3)")
	} else {
		fmt.Println("  the key stayed through Delete, 100 Loads and Store(new); freed after one more miss and a GC")
	}
	if !waitFor(&entryFreed) {
		errorf("the entry was not freed after the promoting miss (spec 10.3, lesson m02)")
	} else {
		fmt.Println("  the entry stayed as long as the key; freed after the same promotion")
	}
}

// runChild runs this binary as a child program and returns its exit status and output.
func runChild(mode string, env ...string) (int, string, string) {
	exe, err := os.Executable()
	if err != nil {
		errorf("cannot find own executable: %v", err)
		return -1, "", ""
	}
	cmd := exec.Command(exe, "--child", mode)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		errorf("cannot start the child program: %v", err)
		return -1, "", ""
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		errorf("child %s did not end within 20 s", mode)
		return -1, stdout.String(), stderr.String()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		errorf("child %s: %v", mode, err)
		return -1, "", ""
	}
	return 0, stdout.String(), stderr.String()
}

const casPanic = "runtime error: comparing uncomparable type map[string]int"

// testCASPanic: spec 8.2 and 10.6 (claim 4.3). CompareAndSwap(old, new) with
// map values compares with interface == (V:L185), which panics with Go's
// exact text; the panic is recoverable. On an empty Value, CAS(nil, m) does
// no comparison and succeeds (V:L147-164). atomic.Pointer's CAS compares the
// pointer bits (T:L59-61): a copy-insert-CAS loop keeps every key.
func testCASPanic() {
	code, out, errOut := runChild("cas_recover")
	if code != 0 || out != "first CAS(nil, m): true\nrecovered runtime.Error: "+casPanic+"\nthe program went on\n" {
		errorf("recovered CAS panic: exit %d, stdout %q, stderr %q", code, out, errOut)
	} else {
		fmt.Print(indent(out))
	}
	code, _, errOut = runChild("cas_uncaught", "GOTRACEBACK=single")
	if code != 2 || !strings.HasPrefix(errOut, "panic: "+casPanic+"\n") || !strings.Contains(errOut, "sync/atomic/value.go:185") {
		errorf("uncaught CAS panic: exit %d, stderr %q; want exit 2, \"panic: %s\" at sync/atomic/value.go:185", code, errOut, casPanic)
	} else {
		fmt.Printf("  uncaught: exit 2, %q, at sync/atomic/value.go:185\n", strings.SplitN(errOut, "\n", 2)[0])
	}
	code, out, errOut = runChild("pointer_cas_loop")
	if code != 0 || !strings.HasPrefix(out, "keys 4000/4000") {
		errorf("atomic.Pointer CAS loop, 8 goroutines x 500 inserts: exit %d, %q %q; want all 4000 keys kept (spec 10.6)", code, out, errOut)
	} else {
		fmt.Print(indent(out))
	}
}

// testRWMutexDeadlock: spec 7.3 (RW:L22-27, 61-71, 147-153). G1 RLock; G2
// Lock announces itself (readerCount -= 2^30) and waits; G1 RLock again
// blocks behind the writer: every goroutine sleeps, and the runtime ends the
// program with a fatal error (exit status 2). Without the writer the
// recursive RLock goes through.
func testRWMutexDeadlock() {
	code, out, errOut := runChild("rlock_no_writer")
	if code != 0 || out != "recursive RLock without a writer: ok\n" {
		errorf("recursive RLock without a writer: exit %d, %q %q", code, out, errOut)
	}
	code, out, errOut = runChild("rlock_writer_waits", "GOTRACEBACK=single")
	const fatal = "fatal error: all goroutines are asleep - deadlock!"
	if code != 2 || out != "writer waiting: readerCount -1073741823\n" || !strings.HasPrefix(errOut, fatal+"\n") {
		errorf("RLock, writer waits, RLock: exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, fatal)
	} else {
		fmt.Printf("  %s  exit 2, %q\n", strings.TrimSpace(out), fatal)
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

// child runs one of the real programs the checks above start.
func child(mode string) {
	switch mode {
	case "cas_recover":
		var v atomic.Value
		fmt.Printf("first CAS(nil, m): %v\n", v.CompareAndSwap(nil, map[string]int{"a": 1}))
		func() {
			defer func() {
				r := recover()
				if re, ok := r.(runtime.Error); ok {
					fmt.Printf("recovered runtime.Error: %s\n", re.Error())
				} else {
					fmt.Printf("recovered %T: %v\n", r, r)
				}
			}()
			old := v.Load().(map[string]int)
			next := map[string]int{"a": 1, "b": 2}
			v.CompareAndSwap(old, next)
			fmt.Println("CompareAndSwap returned")
		}()
		fmt.Println("the program went on")
	case "cas_uncaught":
		var v atomic.Value
		v.Store(map[string]int{"a": 1})
		v.CompareAndSwap(v.Load(), map[string]int{"b": 2})
		fmt.Println("CompareAndSwap returned")
	case "pointer_cas_loop":
		var p atomic.Pointer[map[string]int]
		p.Store(&map[string]int{})
		var retries int64
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 500; i++ {
					for {
						old := p.Load()
						next := make(map[string]int, len(*old)+1)
						for k, v := range *old {
							next[k] = v
						}
						next[fmt.Sprintf("g%d-%d", g, i)] = i
						if p.CompareAndSwap(old, &next) {
							break
						}
						atomic.AddInt64(&retries, 1)
					}
				}
			}(g)
		}
		wg.Wait()
		fmt.Printf("keys %d/4000 kept by the atomic.Pointer CAS loop (%d retries)\n", len(*p.Load()), retries)
	case "rlock_no_writer":
		var rw sync.RWMutex
		rw.RLock()
		rw.RLock()
		fmt.Println("recursive RLock without a writer: ok")
	case "rlock_writer_waits":
		var rw sync.RWMutex
		// readerCount follows w (a Mutex), writerSem and readerSem (RW:L36-41).
		readerCount := (*int32)(unsafe.Add(unsafe.Pointer(&rw), unsafe.Sizeof(sync.Mutex{})+8))
		rw.RLock()
		go func() { rw.Lock() }()
		for atomic.LoadInt32(readerCount) >= 0 { // RW:L149: the writer announces itself
			runtime.Gosched()
		}
		fmt.Printf("writer waiting: readerCount %d\n", atomic.LoadInt32(readerCount))
		os.Stdout.Sync()
		rw.RLock() // RW:L69: readerCount+1 < 0, so it blocks on readerSem: deadlock
		fmt.Println("second RLock returned")
	default:
		fmt.Fprintf(os.Stderr, "syncmap-check: unknown child %s\n", mode)
		os.Exit(2)
	}
}
