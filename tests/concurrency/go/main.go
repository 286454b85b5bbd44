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
	"sync"
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

func main() {
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
