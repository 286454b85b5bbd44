// cowcheck: the copy-on-write patterns of cow.go on the real Go 1.19 runtime.
//
//	cowcheck valuecas string|int64   two Stores on a ValueCas; prints what each did
//	                                 and the panic the second one recovers
//	cowcheck valuecas-unrecovered    the same, unrecovered: Go's traceback
//	cowcheck ptrcas                  two racing writers, many rounds: every key kept
//	cowcheck inplace                 two writers Store into InPlace in a loop: the runtime's
//	                                 "fatal error: concurrent map writes" ends the program
//	cowcheck inplace-read            one writer and one reader: "concurrent map read and map write"
package main

import (
	"fmt"
	"os"
	"sync"
)

func storeRecovering(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Printf("%s: panic: %v\n", what, r)
		}
	}()
	f()
	fmt.Printf("%s: returned\n", what)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: cowcheck valuecas string|int64 | ptrcas")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "valuecas":
		if len(os.Args) > 2 && os.Args[2] == "int64" {
			c := &ValueCas[int64]{}
			storeRecovering("store 1 1 (empty Value)", func() { c.Store(1, 1) })
			storeRecovering("store 2 2", func() { c.Store(2, 2) })
		} else {
			c := &ValueCas[string]{}
			storeRecovering("store a 1 (empty Value)", func() { c.Store("a", 1) })
			storeRecovering("store b 2", func() { c.Store("b", 2) })
		}
	case "valuecas-unrecovered":
		c := &ValueCas[string]{}
		c.Store("a", 1)
		c.Store("b", 2)
	case "ptrcas":
		lost := 0
		for round := 0; round < 2000; round++ {
			c := NewPtrCas[string]()
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); c.Store("a", 1) }()
			go func() { defer wg.Done(); c.Store("b", 2) }()
			wg.Wait()
			if _, ok := c.Load("a"); !ok {
				lost++
			} else if _, ok := c.Load("b"); !ok {
				lost++
			}
		}
		fmt.Printf("ptrcas: rounds that lost a key: %d\n", lost)
	case "inplace", "inplace-read":
		// Runs until the runtime's check ends the program (exit status 2).
		c := NewInPlace[string]()
		keys := make([]string, 64)
		for i := range keys {
			keys[i] = fmt.Sprintf("k%d", i)
		}
		reader := os.Args[1] == "inplace-read"
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				c.Store(keys[i%len(keys)], i)
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				if reader {
					c.Load(keys[i%len(keys)])
				} else {
					c.Store(keys[(i+32)%len(keys)], i)
				}
			}
		}()
		wg.Wait()
		fmt.Println("inplace: both goroutines returned (never expected)")
	default:
		fmt.Fprintln(os.Stderr, "cowcheck: unknown program", os.Args[1])
		os.Exit(2)
	}
}
