// Package msize reproduces how many buckets runtime.makeBucketArray
// allocates, so the oracle can tell whether an overflow bucket lies inside a
// bucket array's allocation (the preallocated overflow pool).
package msize

// classToSize is the size class table of Go 1.19 (runtime/sizeclasses.go,
// class_to_size); class 0 (large objects) is left out.
var classToSize = [...]uint32{
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
	240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896,
	1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456,
	4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
	12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
	28672, 32768,
}

const (
	maxSmallSize = 32768 // runtime._MaxSmallSize
	pageSize     = 8192  // runtime._PageSize
)

// RoundUpSize is runtime.roundupsize: the size of the block mallocgc
// returns for a request of size bytes. Below 32768 bytes that is the
// smallest size class that fits (runtime/msize.go looks it up through
// size_to_class8/size_to_class128, which encode the same thing); from 32768
// on it is rounded up to a whole number of 8 KiB pages.
func RoundUpSize(size uint64) uint64 {
	if size == 0 {
		return 0 // size class 0
	}
	if size < maxSmallSize {
		for _, c := range classToSize {
			if uint64(c) >= size {
				return uint64(c)
			}
		}
	}
	if size+pageSize < size {
		return size
	}
	return (size + pageSize - 1) &^ (pageSize - 1)
}

// ArrayBuckets is the number of buckets makeBucketArray(t, b) allocates for
// a bucket of bucketSize bytes: 2^b, plus for b >= 4 an extra 2^(b-4) and
// whatever else fits in the rounded-up allocation.
func ArrayBuckets(b uint8, bucketSize uint64) uint64 {
	n := uint64(1) << (b & 63)
	if b >= 4 {
		n += uint64(1) << ((b - 4) & 63)
		sz := bucketSize * n
		if up := RoundUpSize(sz); up != sz {
			n = up / bucketSize
		}
	}
	return n
}
