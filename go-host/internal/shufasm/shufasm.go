// Package shufasm is the assembly Blosc byte shuffle and unshuffle for the common element
// sizes 2, 4 and 8 (amd64: AVX2 where the CPU and OS support it, else SSE2). It is part of the
// Go path: no cgo, no wasm. Elsewhere, and for other element sizes, Shuffle and Unshuffle
// report false and the caller uses internal/purego.
//
// Semantics are those of purego: with n = len(src)/elemSize, dst[j*n+i] = src[i*elemSize+j],
// and the last len(src)%elemSize bytes are copied unchanged. dst and src must not overlap.
package shufasm

// Supported reports whether Shuffle and Unshuffle handle elemSize on this machine.
func Supported(elemSize int) bool {
	return level != levelNone && (elemSize == 2 || elemSize == 4 || elemSize == 8)
}

// Shuffle writes the byte shuffle of src into dst[:len(src)] and reports true, or reports false
// without writing if !Supported(elemSize). len(dst) must be >= len(src); dst and src must not
// overlap.
func Shuffle(dst, src []byte, elemSize int) bool {
	if !Supported(elemSize) {
		return false
	}
	n := len(src) / elemSize
	body := n * elemSize
	dst = dst[:len(src)] // panics if dst is too short, before any assembly writes
	if n == 0 {
		copy(dst, src)
		return true
	}
	done := shuffleBody(dst, src, n, elemSize)
	// The elements after the last whole block (fewer than 16), one plane at a time.
	for j := 0; j < elemSize && done < n; j++ {
		row := dst[j*n+done : j*n+n]
		in := src[done*elemSize+j : body]
		for i := range row {
			row[i] = in[i*elemSize]
		}
	}
	copy(dst[body:], src[body:])
	return true
}

// Unshuffle is the inverse of Shuffle: dst[i*elemSize+j] = src[j*n+i], tail copied. It reports
// false without writing if !Supported(elemSize).
func Unshuffle(dst, src []byte, elemSize int) bool {
	if !Supported(elemSize) {
		return false
	}
	n := len(src) / elemSize
	body := n * elemSize
	dst = dst[:len(src)]
	if n == 0 {
		copy(dst, src)
		return true
	}
	done := unshuffleBody(dst, src, n, elemSize)
	for j := 0; j < elemSize && done < n; j++ {
		row := src[j*n+done : j*n+n]
		out := dst[done*elemSize+j : body]
		for i, b := range row {
			out[i*elemSize] = b
		}
	}
	copy(dst[body:], src[body:])
	return true
}

// Level names the instruction set in use, for tests and benchmarks.
func Level() string {
	switch level {
	case levelAVX2:
		return "avx2"
	case levelSSE2:
		return "sse2"
	}
	return "none"
}

const (
	levelNone = iota
	levelSSE2
	levelAVX2
)
