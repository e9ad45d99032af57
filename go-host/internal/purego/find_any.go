package purego

import "bytes"

// findAnyHead is how many leading bytes FindAny checks with a table before it switches to one
// bytes.IndexByte pass per needle: dense matches are found without a call per needle, and
// long needle-free inputs are scanned by the standard library's vector assembly.
const findAnyHead = 64

// FindAny returns the offset of the first byte of data equal to any byte of needles, or -1.
//
//	purego.FindAny([]byte("a,b;c"), []byte(";,")) // 1
//
// The caller has validated needles: 1 to 16 bytes, duplicates allowed. One distinct needle
// is bytes.IndexByte. More: a 256-entry table over the first findAnyHead bytes, then
// bytes.IndexByte for each needle over the rest, each pass bounded by the best offset so far
// (at most one full pass per needle when none occurs).
func FindAny(data, needles []byte) int {
	var set [256]bool
	var distinct [16]byte
	n := 0
	for _, b := range needles {
		if !set[b] && n < len(distinct) {
			set[b] = true
			distinct[n] = b
			n++
		}
	}
	if n == 1 {
		return bytes.IndexByte(data, distinct[0])
	}
	head := min(len(data), findAnyHead)
	for i, b := range data[:head] {
		if set[b] {
			return i
		}
	}
	best := len(data)
	for _, b := range distinct[:n] {
		if j := bytes.IndexByte(data[head:best], b); j >= 0 {
			best = head + j
		}
	}
	if best == len(data) {
		return -1
	}
	return best
}
