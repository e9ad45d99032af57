// Package mem reads and writes a wasm instance's linear memory with bounds checks that fail
// loudly: every helper returns a *RangeError naming the pointer instead of reading garbage or
// panicking.
//
// A view returned by View aliases linear memory and goes stale when memory grows. Take a
// view right before using it and never keep one across a call into the module.
package mem

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"unsafe"

	"github.com/tetratelabs/wazero/api"
)

// RangeError reports a guest pointer range outside linear memory (or a null pointer). It means
// the module broke its ABI, so callers discard the instance.
type RangeError struct {
	What string // what the pointer was for, e.g. "shuffle result"
	Ptr  uint32
	Len  uint64
	Size uint64 // memory size in bytes when the access failed
}

// Error names the access, the range and the memory size.
func (e *RangeError) Error() string {
	return fmt.Sprintf("guest pointer out of range: %s [%#x, +%d) outside %d bytes of linear memory",
		e.What, e.Ptr, e.Len, e.Size)
}

// size is the memory size in bytes; api.Memory.Size overflows at 4 GiB.
func size(m api.Memory) uint64 {
	pages, _ := m.Grow(0)
	return uint64(pages) * 65536
}

func rangeErr(m api.Memory, what string, ptr uint32, n uint64) error {
	return &RangeError{What: what, Ptr: ptr, Len: n, Size: size(m)}
}

// View returns the n bytes at ptr as a slice aliasing linear memory. A zero-length view is
// always valid; otherwise ptr must be non-null and the range inside memory.
func View(m api.Memory, what string, ptr, n uint32) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	if ptr == 0 {
		return nil, rangeErr(m, what, ptr, uint64(n))
	}
	b, ok := m.Read(ptr, n)
	if !ok {
		return nil, rangeErr(m, what, ptr, uint64(n))
	}
	return b, nil
}

// Write copies data to ptr in one copy.
func Write(m api.Memory, what string, ptr uint32, data []byte) error {
	b, err := View(m, what, ptr, uint32(len(data)))
	if err != nil {
		return err
	}
	copy(b, data)
	return nil
}

// U8 reads the byte at ptr.
func U8(m api.Memory, what string, ptr uint32) (uint8, error) {
	return read(m, what, ptr, 1, m.ReadByte)
}

// U32 reads the little-endian uint32 at ptr.
func U32(m api.Memory, what string, ptr uint32) (uint32, error) {
	return read(m, what, ptr, 4, m.ReadUint32Le)
}

// U64 reads the little-endian uint64 at ptr.
func U64(m api.Memory, what string, ptr uint32) (uint64, error) {
	return read(m, what, ptr, 8, m.ReadUint64Le)
}

// read reads one n-byte value at ptr with get, turning a null pointer or an out-of-range read
// into a range error that names what was read.
func read[T any](m api.Memory, what string, ptr uint32, n uint64, get func(uint32) (T, bool)) (T, error) {
	var zero T
	if ptr == 0 {
		return zero, rangeErr(m, what, ptr, n)
	}
	v, ok := get(ptr)
	if !ok {
		return zero, rangeErr(m, what, ptr, n)
	}
	return v, nil
}

// String copies the n bytes at ptr out of linear memory into a Go string.
func String(m api.Memory, what string, ptr, n uint32) (string, error) {
	b, err := View(m, what, ptr, n)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// littleEndian reports whether the host stores integers little-endian, as wasm does: then a
// []uint32 or []uint64 and its linear-memory image have the same bytes and copy in one go.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// bytesOf returns the bytes of s, aliasing it (little-endian hosts only).
func bytesOf[T uint32 | uint64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(s[0])))
}

// viewN is View of count elements of size bytes each, refusing a range past 4 GiB.
func viewN(m api.Memory, what string, ptr uint32, count, size uint64) ([]byte, error) {
	if count*size > math.MaxUint32 {
		return nil, rangeErr(m, what, ptr, count*size)
	}
	return View(m, what, ptr, uint32(count*size))
}

// WriteU32s stores values at ptr as little-endian uint32s in one copy (a loop on big-endian
// hosts).
func WriteU32s(m api.Memory, what string, ptr uint32, values []uint32) error {
	b, err := viewN(m, what, ptr, uint64(len(values)), 4)
	if err != nil {
		return err
	}
	if littleEndian {
		copy(b, bytesOf(values))
		return nil
	}
	for i, v := range values {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return nil
}

// WriteU64s stores values at ptr as little-endian uint64s, as WriteU32s does.
func WriteU64s(m api.Memory, what string, ptr uint32, values []uint64) error {
	b, err := viewN(m, what, ptr, uint64(len(values)), 8)
	if err != nil {
		return err
	}
	if littleEndian {
		copy(b, bytesOf(values))
		return nil
	}
	for i, v := range values {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return nil
}

// AppendU32s appends the n little-endian uint32s at ptr to dst, adding base to each (the
// offset of a chunk).
func AppendU32s(m api.Memory, what string, ptr, n uint32, dst []uint32, base uint32) ([]uint32, error) {
	b, err := viewN(m, what, ptr, uint64(n), 4)
	if err != nil {
		return dst, err
	}
	return DecodeU32s(dst, b, base), nil
}

// AppendU64s appends the n little-endian uint64s at ptr to dst.
func AppendU64s(m api.Memory, what string, ptr, n uint32, dst []uint64) ([]uint64, error) {
	b, err := viewN(m, what, ptr, uint64(n), 8)
	if err != nil {
		return dst, err
	}
	return DecodeU64s(dst, b), nil
}

// DecodeU32s appends the little-endian uint32s of b (len(b)/4 of them) to dst, adding base to
// each, in one copy and one pass.
func DecodeU32s(dst []uint32, b []byte, base uint32) []uint32 {
	n := len(b) / 4
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	if littleEndian {
		copy(bytesOf(out), b)
	} else {
		for i := range out {
			out[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
	}
	if base != 0 {
		for i := range out {
			out[i] += base
		}
	}
	return dst
}

// DecodeU64s appends the little-endian uint64s of b (len(b)/8 of them) to dst.
func DecodeU64s(dst []uint64, b []byte) []uint64 {
	n := len(b) / 8
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	out := dst[start:]
	if littleEndian {
		copy(bytesOf(out), b)
		return dst
	}
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return dst
}
