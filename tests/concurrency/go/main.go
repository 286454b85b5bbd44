// racecheck runs, on the real Go 1.19 runtime, the racing programs that
// tests/concurrency/go/*.race describe for the simulator, so that the test can
// compare the fatal error each one dies with. Standard library only.
//
//	racecheck writers        two goroutines write the same map
//	racecheck reader_writer  one goroutine writes while another reads
//	racecheck iter_writer    one goroutine writes while another ranges over the map
//	racecheck rw_deadlock    G1 RLock, G2 Lock (waits for G1), G1 RLock again: the
//	                         pending writer holds back the second RLock (writer
//	                         preference, sync/rwmutex.go L22-27), and every
//	                         goroutine is asleep: a deadlock on every run
//	racecheck syncmap_mu     sync.Map's one mutex: with m.mu held (as a Store of a
//	                         new key holds it), a Store of an existing key and a
//	                         Load hit return; a Store of a new key blocks on mu
//	                         (syncmap_mu.race, syncmap_mu.sh)
//	racecheck shard_index    a sharded map's shard of each of a few keys: FNV-1a 32
//	                         (hash/fnv) masked by N-1 (shard_index.go, shard_index.sh)
//
// The runtime only notices a race when two operations overlap in time, so run
// it with GOMAXPROCS=2 (several times if needed): it then dies with
// "fatal error: ..." and exit status 2. If the loops finish without being
// caught, it prints "no race detected" and exits 0.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

const rounds = 2000000

var sink int64

func writer(m map[int64]int64, base int64) {
	for i := int64(0); i < rounds; i++ {
		m[base+i%4096] = i
	}
}

func reader(m map[int64]int64) {
	var s int64
	for i := int64(0); i < rounds; i++ {
		s += m[i%4096]
	}
	sink = s
}

func iterator(m map[int64]int64) {
	var s int64
	for r := 0; r < rounds/1024; r++ {
		for k, v := range m {
			s += k + v
		}
	}
	sink = s
}

// rwDeadlock is lesson 7c's program: G1 read-locks rw; G2 calls rw.Lock and
// waits for that reader; G1 read-locks rw again. G1 waits until G2 has
// announced itself (TryRLock fails once readerCount is negative) so that the
// order is the same on every run.
func rwDeadlock(wg *sync.WaitGroup) {
	var rw sync.RWMutex
	var m = map[int64]int64{1: 10}
	started := make(chan struct{})
	wg.Add(2)
	go func() { // G1
		defer wg.Done()
		rw.RLock()
		sink += m[1]
		close(started)
		for rw.TryRLock() {
			rw.RUnlock()
			runtime.Gosched()
		}
		rw.RLock()
		sink += m[1]
		rw.RUnlock()
		rw.RUnlock()
	}()
	go func() { // G2
		defer wg.Done()
		<-started
		rw.Lock()
		m[1] = 11
		rw.Unlock()
	}()
}

// syncMapMu holds a sync.Map's mu (its first field, sync/map.go L87 in Go
// 1.19.8, as a Store of a new key holds it) and shows which methods still
// return: it prints what syncmap_mu.sh compares with the simulator.
func syncMapMu() {
	var m sync.Map
	m.Store("a", 1)
	m.Range(func(k, v any) bool { return true }) // promotes dirty: a is in read.m
	mu := (*sync.Mutex)(unsafe.Pointer(&m))
	state := (*int32)(unsafe.Pointer(&m)) // Mutex.state is its first word
	mu.Lock()
	done := make(chan string, 2)
	go func() { m.Store("a", 2); done <- "store-existing: returned" }()
	go func() { m.Load("a"); done <- "load-hit: returned" }()
	var lines []string
	for i := 0; i < 2; i++ {
		select {
		case l := <-done:
			lines = append(lines, l)
		case <-time.After(10 * time.Second):
			lines = append(lines, "timeout")
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
	newDone := make(chan struct{})
	go func() { m.Store("n2", 2); close(newDone) }()
	// Wait until that Store has counted itself as a waiter and parked.
	for i := 0; atomic.LoadInt32(state)>>3 == 0 && i < 10000; i++ {
		time.Sleep(time.Millisecond)
	}
	select {
	case <-newDone:
		fmt.Println("store-new: returned")
	default:
		fmt.Printf("store-new: blocked state=%d\n", atomic.LoadInt32(state))
	}
	mu.Unlock()
	<-newDone
	v, _ := m.Load("n2")
	fmt.Printf("store-new: returned after unlock, n2=%v\n", v)
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "shard_index" { // shard_index.go
		shardIndex()
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "syncmap_mu" {
		syncMapMu()
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: racecheck writers|reader_writer|iter_writer|rw_deadlock")
		os.Exit(64)
	}
	m := make(map[int64]int64)
	for i := int64(0); i < 1024; i++ {
		m[i] = i
	}
	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	switch os.Args[1] {
	case "writers":
		run(func() { writer(m, 0) })
		run(func() { writer(m, 1<<20) })
	case "reader_writer":
		run(func() { writer(m, 0) })
		run(func() { reader(m) })
	case "iter_writer":
		run(func() { writer(m, 0) })
		run(func() { iterator(m) })
	case "rw_deadlock":
		rwDeadlock(&wg)
	default:
		fmt.Fprintln(os.Stderr, "unknown program", os.Args[1])
		os.Exit(64)
	}
	wg.Wait()
	fmt.Println("no race detected")
}
