package purego

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// mismatchChunk is how many bytes Mismatch compares per bytes.Equal call (assembly) before
// locating a difference 8 bytes at a time.
const mismatchChunk = 256

// Mismatch returns the first offset where a and b differ; if one is a strict prefix of the
// other, the shorter length; -1 if they are equal.
//
//	purego.Mismatch([]byte("abcd"), []byte("abXd")) // 2
//	purego.Mismatch([]byte("ab"), []byte("abc"))    // 2
//
// Equal stretches are skipped mismatchChunk bytes per bytes.Equal (the standard library's
// vector assembly); the chunk that differs is searched 8 bytes at a time, the first
// differing byte being the lowest set bit of the little-endian words' xor.
func Mismatch(a, b []byte) int {
	n := min(len(a), len(b))
	differentLengths := len(a) != len(b)
	a, b = a[:n:n], b[:n:n]
	i := 0
	for i+mismatchChunk <= n && bytes.Equal(a[i:i+mismatchChunk], b[i:i+mismatchChunk]) {
		i += mismatchChunk
	}
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for ; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if differentLengths {
		return n
	}
	return -1
}
