// Copy-on-write maps: the user program patterns gomaplab's cow model steps
// through (src/concurrency/cow_map.cpp names these lines). Go 1.19, standard
// library only. Each map is immutable once published; a writer copies the
// published version, inserts into its copy and publishes the copy.
package main

import (
	"sync"
	"sync/atomic"
)

// copyWith returns a new map: the entries of old plus k: v.
func copyWith[K comparable](old map[K]int, k K, v int) map[K]int {
	m := make(map[K]int, len(old)+1)
	for k2, v2 := range old {
		m[k2] = v2
	}
	m[k] = v
	return m
}

// (a) ptrcas: atomic.Pointer to an immutable map, written with a CAS loop.
type PtrCas[K comparable] struct{ p atomic.Pointer[map[K]int] }

func NewPtrCas[K comparable]() *PtrCas[K] {
	c := &PtrCas[K]{}
	c.p.Store(&map[K]int{})
	return c
}

func (c *PtrCas[K]) Store(k K, v int) {
	for {
		old := c.p.Load()
		m := copyWith(*old, k, v)
		if c.p.CompareAndSwap(old, &m) {
			return
		}
	}
}

func (c *PtrCas[K]) Load(k K) (int, bool) {
	m := c.p.Load()
	v, ok := (*m)[k]
	return v, ok
}

// (ptrstore) BROKEN: Store instead of CAS; a concurrent writer's copy is lost.
type PtrStore[K comparable] struct{ p atomic.Pointer[map[K]int] }

func NewPtrStore[K comparable]() *PtrStore[K] {
	c := &PtrStore[K]{}
	c.p.Store(&map[K]int{})
	return c
}

func (c *PtrStore[K]) Store(k K, v int) {
	old := c.p.Load()
	m := copyWith(*old, k, v)
	c.p.Store(&m)
}

func (c *PtrStore[K]) Load(k K) (int, bool) {
	m := c.p.Load()
	v, ok := (*m)[k]
	return v, ok
}

// (b) valuestore: the shape of Go's own DeepCopyMap (sync/map_reference_test.go):
// writers serialise on a Mutex and publish with atomic.Value.Store; readers
// take no lock.
type ValueStore[K comparable] struct {
	mu    sync.Mutex
	clean atomic.Value
}

func (c *ValueStore[K]) Store(k K, v int) {
	c.mu.Lock()
	old, _ := c.clean.Load().(map[K]int)
	m := copyWith(old, k, v)
	c.clean.Store(m)
	c.mu.Unlock()
}

func (c *ValueStore[K]) Load(k K) (int, bool) {
	m, _ := c.clean.Load().(map[K]int)
	v, ok := m[k]
	return v, ok
}

// (c) valuecas: atomic.Value.CompareAndSwap(old, new) on maps. The Value
// compares the interfaces with ==, and a map type is not comparable: once
// the Value holds a map, the CAS panics.
type ValueCas[K comparable] struct{ v atomic.Value }

func (c *ValueCas[K]) Store(k K, v int) {
	for {
		old := c.v.Load()
		cur, _ := old.(map[K]int)
		m := copyWith(cur, k, v)
		if c.v.CompareAndSwap(old, m) {
			return
		}
	}
}

func (c *ValueCas[K]) Load(k K) (int, bool) {
	m, _ := c.v.Load().(map[K]int)
	v, ok := m[k]
	return v, ok
}

// (inplace) BROKEN: no copy and no CAS: Store writes the published map itself.
// Every goroutine that loads the pointer gets the same map, so two writers (or a
// writer and a reader) race on one ordinary map: the runtime's hashWriting
// check ends the program with "fatal error: concurrent map writes".
type InPlace[K comparable] struct{ p atomic.Pointer[map[K]int] }

func NewInPlace[K comparable]() *InPlace[K] {
	c := &InPlace[K]{}
	c.p.Store(&map[K]int{})
	return c
}

func (c *InPlace[K]) Store(k K, v int) {
	p := c.p.Load()
	(*p)[k] = v
}

func (c *InPlace[K]) Load(k K) (int, bool) {
	p := c.p.Load()
	v, ok := (*p)[k]
	return v, ok
}
