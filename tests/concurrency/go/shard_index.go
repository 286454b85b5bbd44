package main

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
)

// The keys of shard_index_*.race, in their order.
var shardStringKeys = []string{"", "a", "b", "c", "d", "apple", "banana", "cherry", "k1", "k2", "k3", "héllo", "shard", "a somewhat longer key"}
var shardInt64Keys = []int64{0, 1, 2, 3, 4, 5, 42, -1, 1 << 40, math.MaxInt64, math.MinInt64}

// shardIndex prints, for each key, the shard a sharded map (hash/fnv New32a
// over the key's bytes, masked by N-1) puts it in: a string's bytes, an
// int64's 8 little-endian bytes (encoding/binary.LittleEndian). One line per
// scenario: "KIND N: S S S ...". shard_index.sh compares it with the shards
// the simulator's trace names for the same stores.
func shardIndex() {
	index := func(b []byte, n uint32) uint32 {
		h := fnv.New32a()
		h.Write(b)
		return h.Sum32() & (n - 1)
	}
	for _, n := range []uint32{4, 64} {
		var s []string
		for _, k := range shardStringKeys {
			s = append(s, fmt.Sprint(index([]byte(k), n)))
		}
		fmt.Printf("string %d: %s\n", n, strings.Join(s, " "))
	}
	var s []string
	for _, k := range shardInt64Keys {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(k))
		s = append(s, fmt.Sprint(index(b[:], 64)))
	}
	fmt.Printf("int64 64: %s\n", strings.Join(s, " "))
}
