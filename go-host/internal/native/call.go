package native

import (
	"unsafe"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
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
	return &callresult.Error{Kind: callresult.InvalidArgument, Message: kernel + " has no native code on tier " + k.tier.String()}
}

// broken is the error of an entry that returned what its contract rules out.
func broken(kernel string) error {
	return &callresult.Error{Kind: callresult.InvalidArgument, Message: kernel + ": native entry broke its contract"}
}
