package native

import (
	"slices"
	"unsafe"

	"github.com/binpipe/binpipe/go-host/internal/kerr"
)

// chunkBytes is the most input one native call of a splittable kernel handles: 256 KiB take
// 4-90 µs at the kernels' 3-60 GB/s, inside the ~100 µs a call may delay a stop-the-world
// (TestChunkDuration measures it).
const chunkBytes = 256 << 10

// ptr is the address of b's first element as the trampolines take it (nil or anything when
// len(b) is 0: the entries never read a zero-length argument).
func ptr(b []byte) *byte { return unsafe.SliceData(b) }

// ptr32 is ptr for a []uint32.
func ptr32(b []uint32) *byte { return (*byte)(unsafe.Pointer(unsafe.SliceData(b))) }

// ptr64 is ptr for a []uint64.
func ptr64(b []uint64) *byte { return (*byte)(unsafe.Pointer(unsafe.SliceData(b))) }

// unsupported is the error of a method called on a Kernels without a tier, or for a kernel
// the entry table lacks.
func (k Kernels) unsupported(kernel string) error {
	return &kerr.Error{Kind: kerr.InvalidArgument, Message: kernel + " has no native code on tier " + k.tier.String()}
}

// broken is the error of an entry that returned what its contract rules out.
func broken(kernel string) error {
	return &kerr.Error{Kind: kerr.InvalidArgument, Message: kernel + ": native entry broke its contract"}
}

// grow extends dst by n bytes and returns the extended slice and its new tail for the native
// code to write. If the tail overlaps an input (dst's spare capacity aliases it), the tail is
// a fresh buffer instead, so the kernel never reads what it has written; finish copies it.
func grow(dst []byte, n int, inputs ...[]byte) (out, tail []byte) {
	out = slices.Grow(dst, n)[:len(dst)+n]
	tail = out[len(dst):]
	for _, in := range inputs {
		if overlaps(tail, in) {
			return out, make([]byte, n)
		}
	}
	return out, tail
}

// finish returns out (from grow) holding the first n bytes the kernel wrote into tail.
func finish(out, tail []byte, n int) []byte {
	start := len(out) - len(tail)
	if n > 0 && &out[start] != &tail[0] {
		copy(out[start:], tail[:n])
	}
	return out[:start+n]
}

// overlaps reports whether a and b share memory.
func overlaps(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 < b0+uintptr(len(b)) && b0 < a0+uintptr(len(a))
}
