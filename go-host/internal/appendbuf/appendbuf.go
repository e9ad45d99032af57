// Package appendbuf is the one place where a kernel's output is appended to a caller's slice
// that may alias the kernel's input: the root package's Go paths and internal/native both
// append through it, so src overlapping dst's spare capacity (HexDecode(buf[:0], buf)) is
// handled the same way on every path.
package appendbuf

import (
	"slices"
	"unsafe"
)

// Grow extends dst by n bytes and returns the extended slice and its new tail for a kernel to
// write. If the tail overlaps an input (dst's spare capacity aliases it), the tail is a fresh
// buffer instead, so the kernel never reads what it has written and the input is intact if the
// kernel fails; Finish copies it into place.
func Grow(dst []byte, n int, inputs ...[]byte) (out, tail []byte) {
	out = slices.Grow(dst, n)[:len(dst)+n]
	tail = out[len(dst):]
	for _, in := range inputs {
		if Overlaps(tail, in) {
			return out, make([]byte, n)
		}
	}
	return out, tail
}

// Finish returns out (from Grow) holding the first n bytes the kernel wrote into tail.
func Finish(out, tail []byte, n int) []byte {
	start := len(out) - len(tail)
	if n > 0 && &out[start] != &tail[0] { // Grow handed out a fresh tail
		copy(out[start:], tail[:n])
	}
	return out[:start+n]
}

// InPlace reports whether src is exactly the first len(src) bytes of dst's spare capacity, so
// an element-wise kernel can append src to dst by rewriting src where it stands
// (Byteswap(buf[:0], buf)).
func InPlace(dst, src []byte) bool {
	return len(src) > 0 && cap(dst)-len(dst) >= len(src) &&
		unsafe.SliceData(dst[len(dst):cap(dst)]) == unsafe.SliceData(src)
}

// Overlaps reports whether a and b share memory.
func Overlaps(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 < b0+uintptr(len(b)) && b0 < a0+uintptr(len(a))
}
